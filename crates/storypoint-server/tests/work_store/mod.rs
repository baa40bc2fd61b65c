//! The work session's storage, the same for both stores: observations and typical marks kept
//! per campaign, seen by a second collector on the same database (`tests/worksession.rs`
//! runs it on SQLite, `tests/postgres.rs` on PostgreSQL).
use storypoint_server::store::{Observation, Store};

/// Saves, reads, changes and deletes observations and marks through `one`, checking each
/// through `other` (another collector on the same database).
pub fn observations_and_marks_are_kept_per_campaign(one: &dyn Store, other: &dyn Store) {
    let noord = Observation {
        id: 0,
        campaign: Some("noord".into()),
        view: "question=emotion&by=perspective".into(),
        text: "Ouders zijn vaker boos.\nVooral bij wachten.".into(),
        interpretations: vec!["Wachtlijsten".into(), "Ouders vertellen eerder als het misgaat".into()],
        stories: vec![3, 1],
    };
    let id = one.save_observation(&noord).unwrap().expect("a new observation gets an id");
    let national = one.save_observation(&Observation { campaign: None, text: "Overal hetzelfde.".into(), ..noord.clone() }).unwrap().unwrap();
    assert_ne!(id, national);
    assert_eq!(other.observations(Some("noord")).unwrap(), [Observation { id, ..noord.clone() }], "its campaign's only, as saved");
    assert!(other.observations(Some("zuid")).unwrap().is_empty());
    assert_eq!(other.observations(None).unwrap().iter().map(|o| o.id).collect::<Vec<_>>(), [id, national], "every one, oldest first");
    assert_eq!(other.observation(national).unwrap().unwrap().campaign, None);

    // Changed: its words and stories; its campaign stays whatever is sent.
    let changed =
        Observation { id, campaign: Some("zuid".into()), interpretations: vec!["Een".into(), "Twee".into(), "Drie".into()], stories: vec![], ..noord };
    assert_eq!(other.save_observation(&changed).unwrap(), Some(id));
    let kept = one.observation(id).unwrap().unwrap();
    assert_eq!((kept.campaign.as_deref(), kept.interpretations.len(), kept.stories.len()), (Some("noord"), 3, 0));
    assert_eq!(one.save_observation(&Observation { id: id + 1000, ..changed }).unwrap(), None, "no such observation");

    assert!(other.delete_observation(national).unwrap());
    assert!(!one.delete_observation(national).unwrap(), "deleted once");
    assert_eq!(one.observation(national).unwrap(), None);

    one.set_typical(7, "noord", true).unwrap();
    one.set_typical(7, "noord", true).unwrap();
    other.set_typical(8, "zuid", true).unwrap();
    assert_eq!(other.typical_stories(Some("noord")).unwrap(), [7]);
    assert_eq!(one.typical_stories(None).unwrap(), [7, 8]);
    other.set_typical(7, "noord", false).unwrap();
    assert_eq!(one.typical_stories(None).unwrap(), [8]);
}

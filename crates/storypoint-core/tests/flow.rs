//! The flow: which steps and questions a teller sees, and the progress, given prefill
//! and answers.
use storypoint_core::*;

fn step_ids(flow: &Flow<'_>) -> Vec<String> {
    flow.steps().iter().map(|s| s.step.id.clone()).collect()
}

fn question_ids(flow: &Flow<'_>, step: &str) -> Vec<String> {
    flow.step(step).map(|s| s.questions.iter().map(|q| q.id.clone()).collect()).unwrap_or_default()
}

#[test]
fn without_prefill_every_step_is_shown_in_order_and_child_age_too() {
    let q = default_questionnaire();
    let flow = Flow::new(&q, &Prefill::new(), &Answers::new());
    assert_eq!(step_ids(&flow), ["prompt", "story", "about_story", "about_you"]);
    assert_eq!(flow.progress("prompt"), Some(Progress { step: 1, of: 4 }));
    assert_eq!(flow.progress("about_you"), Some(Progress { step: 4, of: 4 }));
    assert_eq!(question_ids(&flow, "about_you"), ["perspective", "age_group", "child_age", "living_situation", "organisation", "organisation_type"]);
}

#[test]
fn prefilled_questions_are_never_asked() {
    let q = default_questionnaire();
    let link = Prefill::from_query(&q, "organisation=Basisschool+De+Linde&organisation_type=school&age_group=under_12&perspective=parent");
    assert_eq!(link.warnings, vec![]);
    let flow = Flow::new(&q, &link.prefill, &Answers::new());
    for id in ["organisation", "organisation_type", "age_group", "perspective"] {
        assert!(flow.is_prefilled(id), "{id}");
        assert!(!flow.is_asked(id), "{id}");
    }
    // A known age group: the extra age question is not asked either.
    assert!(!flow.is_asked("child_age"));
    assert_eq!(question_ids(&flow, "about_you"), ["living_situation"]);
    assert_eq!(flow.answer("age_group"), Some(&Answer::Choice("under_12".into())));
}

#[test]
fn an_organisation_for_all_ages_gets_the_extra_age_question() {
    let q = default_questionnaire();
    let link = Prefill::from_query(&q, "age_group=unknown");
    let flow = Flow::new(&q, &link.prefill, &Answers::new());
    assert!(flow.is_prefilled("age_group"));
    assert!(flow.is_asked("child_age"));
}

#[test]
fn answering_the_age_group_hides_and_shows_child_age() {
    let q = default_questionnaire();
    let cases = [(None, true), (Some("unknown"), true), (Some("under_12"), false), (Some("12_to_18"), false), (Some("bogus"), true)];
    for (age_group, asked) in cases {
        let mut answers = Answers::new();
        if let Some(value) = age_group {
            answers.set("age_group", Value::Text(value.into()));
        }
        let flow = Flow::new(&q, &Prefill::new(), &answers);
        assert_eq!(flow.is_asked("child_age"), asked, "age_group = {age_group:?}");
    }
}

#[test]
fn a_step_whose_questions_are_all_prefilled_is_skipped_and_progress_counts_only_shown_steps() {
    let q = Questionnaire::from_json(
        &serde_json::json!({
            "id": "drie", "version": 1, "languages": ["nl"], "title": {"nl": "Drie"},
            "steps": [
                {"id": "een", "title": {"nl": "Een"}, "questions": [
                    {"id": "story", "kind": "long_text", "label": {"nl": "Verhaal"}, "max_length": 100}]},
                {"id": "twee", "title": {"nl": "Twee"}, "questions": [
                    {"id": "org", "kind": "short_text", "label": {"nl": "Organisatie"}, "max_length": 50, "prefillable": true}]},
                {"id": "drie", "title": {"nl": "Drie"}, "questions": [
                    {"id": "feel", "kind": "single_choice", "label": {"nl": "Gevoel"}, "options": [
                        {"value": "good", "label": {"nl": "Goed"}}, {"value": "bad", "label": {"nl": "Slecht"}}]},
                    {"id": "why", "kind": "short_text", "label": {"nl": "Waarom slecht?"}, "max_length": 50,
                     "visible_if": {"question": "feel", "equals": "bad"}}]}
            ]
        })
        .to_string(),
    )
    .unwrap();
    let link = Prefill::from_query(&q, "org=Wijkteam");
    let flow = Flow::new(&q, &link.prefill, &Answers::new());
    assert_eq!(step_ids(&flow), ["een", "drie"]);
    assert_eq!(flow.progress("drie"), Some(Progress { step: 2, of: 2 }));
    assert_eq!(flow.progress("twee"), None);
    assert_eq!(flow.next_step("een").map(|s| s.step.id.clone()), Some("drie".into()));
    assert_eq!(flow.previous_step("drie").map(|s| s.step.id.clone()), Some("een".into()));
    // next/previous work from a step that the prefill hides, too.
    assert_eq!(flow.next_step("twee").map(|s| s.step.id.clone()), Some("drie".into()));
    assert_eq!(flow.next_step("drie"), None, "after the last step comes the review");
    assert_eq!(flow.previous_step("een"), None);
    assert_eq!(flow.first_step().map(|s| s.number), Some(1));
    // equals: the follow-up question appears only for "bad".
    assert_eq!(question_ids(&flow, "drie"), ["feel"]);
    let answers = Answers::new().with_text("feel", "bad");
    assert_eq!(question_ids(&Flow::new(&q, &link.prefill, &answers), "drie"), ["feel", "why"]);
}

#[test]
fn step_errors_are_the_problems_of_one_step_only() {
    let q = default_questionnaire();
    let answers = Answers::new().with_text("prompt", "geholpen").with_integer("seen_heard", 300);
    let flow = Flow::new(&q, &Prefill::new(), &answers);
    assert_eq!(flow.step_errors("prompt"), vec![]);
    let story_errors: Vec<_> = flow.step_errors("story").into_iter().map(|e| (e.question, e.code)).collect();
    assert_eq!(story_errors, [("story".to_string(), ErrorCode::Required)]);
    let about: Vec<_> = flow.step_errors("about_story").into_iter().map(|e| e.question).collect();
    assert_eq!(about, ["seen_heard"]);
    assert_eq!(flow.errors().len(), 3, "story, seen_heard and the required perspective");
    assert_eq!(flow.step_errors("no_such_step"), vec![]);
}

#[test]
fn conditions_one_of_and_not_answered() {
    let q = Questionnaire::from_json(
        &serde_json::json!({
            "id": "c", "version": 1, "languages": ["nl"], "title": {"nl": "C"},
            "steps": [{"id": "s", "title": {"nl": "S"}, "questions": [
                {"id": "who", "kind": "single_choice", "label": {"nl": "Wie"}, "options": [
                    {"value": "child", "label": {"nl": "Kind"}}, {"value": "parent", "label": {"nl": "Ouder"}},
                    {"value": "pro", "label": {"nl": "Pro"}}]},
                {"id": "family", "kind": "short_text", "label": {"nl": "Gezin"}, "max_length": 10,
                 "visible_if": {"question": "who", "one_of": ["child", "parent"]}},
                {"id": "why_not", "kind": "short_text", "label": {"nl": "Waarom niet?"}, "max_length": 10,
                 "visible_if": {"question": "who", "not_answered": true}}
            ]}]
        })
        .to_string(),
    )
    .unwrap();
    let asked = |who: Option<&str>| {
        let answers = who.map_or_else(Answers::new, |w| Answers::new().with_text("who", w));
        let flow = Flow::new(&q, &Prefill::new(), &answers);
        (flow.is_asked("family"), flow.is_asked("why_not"))
    };
    assert_eq!(asked(None), (false, true));
    assert_eq!(asked(Some("child")), (true, false));
    assert_eq!(asked(Some("parent")), (true, false));
    assert_eq!(asked(Some("pro")), (false, false));
}

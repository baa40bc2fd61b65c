//! The work session in-process: the stories behind a bar at a realistic size (300 stories
//! from 60 organisations, skewed groups) are listed with only the teller facts that at
//! least k stories share, as a page and as JSON; stories marked typical; observations with
//! their interpretations saved, listed, changed, deleted and printed as the report (HTML and
//! PDF); forms from another site refused; a campaign's token sees only its own.
mod in_process;
mod work_store;

use std::collections::HashMap;

use axum::http::StatusCode;
use in_process::{TOKEN, collector};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use storypoint_server::state::AppState;
use storypoint_server::store::Campaign;

const HOST: &str = "verhalen.example";
const ORIGIN: &str = "http://verhalen.example";
const K: usize = 5;

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// One request through the router as a browser on our pages sends it (Host; Origin and a
/// form body on a POST), with the session cookie when there is one.
async fn call(state: &AppState, method: &str, path: &str, cookie: Option<&str>, extra: &[(&str, &str)], body: &str) -> Reply {
    let mut headers = vec![("host", HOST)];
    if method == "POST" {
        headers.push(("content-type", "application/x-www-form-urlencoded"));
        if !extra.iter().any(|(name, _)| *name == "origin") {
            headers.push(("origin", ORIGIN));
        }
    }
    headers.extend(cookie.map(|cookie| ("cookie", cookie)));
    headers.extend_from_slice(extra);
    let (status, headers, body) = in_process::call(state, method, path, &headers, body.as_bytes()).await;
    Reply { status, headers, body: String::from_utf8_lossy(&body).into_owned() }
}

fn form(pairs: &[(&str, &str)]) -> String {
    String::from_utf8(in_process::form(pairs)).unwrap()
}

async fn log_in(state: &AppState, token: &str) -> String {
    let reply = call(state, "POST", "/admin/login", None, &[], &form(&[("token", token), ("terug", "/admin/inzicht")])).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    reply.header("set-cookie").split(';').next().unwrap().to_string()
}

/// The session's form token, from a page that has a form.
fn csrf(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").unwrap_or_else(|| panic!("no form token in {page}"));
    let rest = &page[at + "name=\"csrf\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// One teller's facts and answers, as seeded.
#[derive(Clone, Debug)]
struct Told {
    title: String,
    facts: HashMap<&'static str, String>,
    emotion: &'static str,
    treatment: &'static str,
    campaign: String,
}

/// Picks from `(value, weight)`s.
fn pick<'a>(rng: &mut StdRng, choices: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = choices.iter().map(|(_, w)| w).sum();
    let mut at = rng.random_range(0..total);
    for (value, weight) in choices {
        if at < *weight {
            return value;
        }
        at -= weight;
    }
    choices[0].0
}

/// Tells `n` stories to `path` (a campaign's intake) as a realistic region does: many
/// parents and young people, few young children; three big organisations and 57 small.
async fn seed(state: &AppState, path: &str, campaign: &str, n: usize, seed: u64) -> HashMap<i64, Told> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut told = HashMap::new();
    for i in 0..n {
        let organisation = if rng.random_bool(0.45) {
            format!("Grote organisatie {}", rng.random_range(1..=3))
        } else {
            format!("Kleine organisatie {}", rng.random_range(4..=60))
        };
        let perspective = pick(&mut rng, &[("parent", 45), ("young_person", 25), ("professional", 20), ("child", 5), ("other", 5)]);
        let age = pick(&mut rng, &[("12_to_18", 60), ("under_12", 30), ("unknown", 10)]);
        let living = pick(&mut rng, &[("at_home", 70), ("foster_or_family_home", 12), ("institution_or_protected_living", 12), ("other", 6)]);
        let kind =
            pick(&mut rng, &[("care_provider", 40), ("neighbourhood_team", 25), ("school", 15), ("youth_protection", 10), ("gp", 5), ("municipality", 5)]);
        let lang = pick(&mut rng, &[("nl", 90), ("en", 7), ("pl", 3)]);
        let emotion = pick(&mut rng, &[("angry", 20), ("sad", 15), ("afraid", 8), ("surprised", 7), ("relieved", 20), ("happy", 20), ("proud", 10)]);
        let treatment = pick(&mut rng, &[("warm", 25), ("respectful", 30), ("businesslike", 20), ("distant", 15), ("disrespectful", 10)]);
        let body = json!({
            "questionnaire": "vertelpunt-jeugdhulp", "version": 1, "lang": lang,
            "submission_id": storypoint_core::SubmissionId::from_random_bytes(rng.random()).to_hyphenated(),
            "answers": {
                "prompt": "geholpen", "title": format!("Verhaal {i}"), "story": format!("Wat ik meemaakte, deel {i}."),
                "perspective": perspective, "age_group": age, "living_situation": living, "organisation_type": kind,
                "organisation": organisation, "emotion": emotion, "treatment": treatment, "seen_heard": rng.random_range(0..=100),
            }
        });
        let (status, _, reply) = in_process::call(state, "POST", path, &[("Content-Type", "application/json")], body.to_string().as_bytes()).await;
        assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply));
        let id = serde_json::from_slice::<Value>(&reply).unwrap()["id"].as_i64().unwrap();
        let facts = HashMap::from([
            ("perspective", perspective.to_string()),
            ("age_group", age.to_string()),
            ("living_situation", living.to_string()),
            ("organisation_type", kind.to_string()),
            ("organisation", organisation),
            ("lang", lang.to_string()),
            ("month", storypoint_server::app::today()[..7].to_string()),
        ]);
        told.insert(id, Told { title: format!("Verhaal {i}"), facts, emotion, treatment, campaign: campaign.to_string() });
    }
    told
}

/// The listed stories of a bar (JSON), or `None` when it is suppressed.
async fn listing(state: &AppState, query: &str) -> Option<Vec<Value>> {
    let reply = call(state, "GET", &format!("/api/v1/patterns?{query}"), None, &[("authorization", &format!("Bearer {TOKEN}"))], "").await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
    let json = reply.json();
    json["stories"].as_array().cloned()
}

#[tokio::test]
async fn most_big_bars_list_their_stories_and_no_listed_teller_is_one_of_fewer_than_k() {
    let (state, _dir) = collector(64 * 1024);
    let told = seed(&state, "/api/v1/stories", "default", 300, 2027).await;
    let bearer = format!("Bearer {TOKEN}");
    let mut faces: HashMap<i64, Value> = HashMap::new();
    let (mut big_bars, mut listed_bars) = (0, 0);
    for view in [
        "question=emotion&by=perspective",
        "question=treatment&by=perspective",
        "question=emotion&by=age_group",
        "question=treatment&by=organisation_type",
        "question=living_situation&by=perspective",
        "question=emotion&by=none&perspective=parent",
    ] {
        let reply = call(&state, "GET", &format!("/api/v1/patterns?{view}"), None, &[("authorization", &bearer)], "").await;
        let d = reply.json();
        for group in d["groups"].as_array().unwrap() {
            for (c, cell) in group["cells"].as_array().unwrap().iter().enumerate() {
                let Some(query) = cell["stories_query"].as_str() else { continue };
                let value = d["categories"][c]["value"].as_str().unwrap();
                // The bar's stories, counted by hand.
                let question = d["question"].as_str().unwrap();
                let by = d["by"].as_str().unwrap();
                let key = group["key"].as_str().unwrap();
                let in_bar = |t: &Told| {
                    let answer = match question {
                        "emotion" => t.emotion.to_string(),
                        "treatment" => t.treatment.to_string(),
                        fact => t.facts[fact].clone(),
                    };
                    answer == value && (key == "all" || t.facts[by] == key) && (!view.contains("perspective=parent") || t.facts["perspective"] == "parent")
                };
                let exact = told.values().filter(|t| in_bar(t)).count();
                let stories = listing(&state, query).await.unwrap_or_else(|| panic!("{query}: a bar of {exact} is listed"));
                if exact >= 20 {
                    big_bars += 1;
                    if stories.len() * 10 >= exact * 8 {
                        listed_bars += 1;
                    }
                }
                for story in &stories {
                    let id = story["id"].as_i64().unwrap();
                    let me = &told[&id];
                    assert!(in_bar(me), "story {id} is not in the bar {query}");
                    let teller = &story["teller"];
                    let left_out: Vec<&str> = teller["left_out"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
                    // Everyone in the campaign who has what this story shows.
                    let shown: Vec<&str> = me.facts.keys().copied().filter(|f| !left_out.contains(f)).collect();
                    let alike = told.values().filter(|t| t.campaign == me.campaign && shown.iter().all(|f| t.facts[f] == me.facts[f])).count();
                    assert!(alike >= K, "story {id} shows {shown:?}, which only {alike} stories have");
                    for fact in teller["facts"].as_array().unwrap() {
                        assert_eq!(fact["value"].as_str().unwrap(), me.facts[fact["fact"].as_str().unwrap()], "a shown fact is true");
                    }
                    assert!(!story.to_string().contains(&storypoint_server::app::today()), "never the day");
                    // One face in every listing.
                    if let Some(before) = faces.insert(id, teller.clone()) {
                        assert_eq!(&before, teller, "story {id} shows another face in {query}");
                    }
                }
            }
        }
    }
    // The faces counted over all listings: every one is shown by at least k stories alike.
    let mut alike: HashMap<String, usize> = HashMap::new();
    for face in faces.values() {
        *alike.entry(face.to_string()).or_default() += 1;
    }
    assert!(alike.values().all(|&n| n >= K), "{alike:?}");
    assert!(big_bars >= 15, "the views have {big_bars} bars of 20 or more");
    assert!(listed_bars * 10 >= big_bars * 8, "{listed_bars} of {big_bars} bars of 20 or more list at least 80% of their stories");

    // The page shows each story's words with what may be shown of its teller, never the organisation of a small one.
    let page =
        call(&state, "GET", "/admin/inzicht?view=stories&question=emotion&by=perspective&value=angry&group=parent", None, &[("authorization", &bearer)], "")
            .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Over de verteller: </strong>Ouder, verzorger of familie"), "{}", page.body);
    assert!(page.body.contains("Wat ik meemaakte, deel") && page.body.contains("<dt>Wat voelde je in dit verhaal?</dt><dd>Boos</dd>"), "{}", page.body);
    let listed = &page.body[page.body.find("<ol class=\"stories\">").unwrap()..];
    assert!(!listed.contains("Kleine organisatie"), "a small organisation is never named beside a story");
    assert!(!page.body.contains(&storypoint_server::app::today()), "never the day");
}

/// A campaign with its own token (`token`), open for stories.
fn campaign(state: &AppState, slug: &str, token: &str) {
    let hash = storypoint_server::auth::AdminToken::from_token(token).hash_hex();
    state.store.set_campaign(&Campaign { slug: slug.into(), open: true, admin_hash: Some(hash), ..Campaign::default() }).unwrap();
}

const NOORD: &str = "noord-token-0123456789abcdef";
const ZUID: &str = "zuid-token-0123456789abcdef01";

#[tokio::test]
async fn a_team_marks_typical_stories_saves_observations_and_prints_its_report() {
    let (state, _dir) = collector(64 * 1024);
    campaign(&state, "noord", NOORD);
    campaign(&state, "zuid", ZUID);
    let noord = seed(&state, "/api/v1/c/noord/stories", "noord", 120, 1).await;
    let zuid = seed(&state, "/api/v1/c/zuid/stories", "zuid", 60, 2).await;
    // Without a session: to the login page, and back afterwards; a form changes nothing.
    let away = call(&state, "GET", "/admin/inzicht/observaties", None, &[], "").await;
    assert_eq!((away.status, away.header("location")), (StatusCode::SEE_OTHER, "/admin/login?terug=%2Fadmin%2Finzicht%2Fobservaties"));
    let posted = call(&state, "POST", "/admin/inzicht/observaties", None, &[], &form(&[("observatie", "x")])).await;
    assert!(posted.status == StatusCode::SEE_OTHER && posted.header("location").starts_with("/admin/login"), "{}", posted.status);
    let cookie = log_in(&state, NOORD).await;
    let bar = "/admin/inzicht?view=stories&question=emotion&by=perspective&value=angry&group=parent";
    let page = call(&state, "GET", bar, Some(&cookie), &[], "").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Markeer als typerend") && page.body.contains("Observatie bewaren voor de werksessie"), "{}", page.body);
    let token = csrf(&page.body);
    let first = page.body.split("name=\"verhaal\" value=\"").nth(1).unwrap();
    let story: i64 = first[..first.find('"').unwrap()].parse().unwrap();
    assert!(noord.contains_key(&story));

    // A form from another site, or without the form token, changes nothing.
    let mark = |csrf: &str, story: i64| form(&[("csrf", csrf), ("verhaal", &story.to_string()), ("typerend", "ja"), ("terug", bar)]);
    let foreign = call(&state, "POST", "/admin/inzicht/typerend", Some(&cookie), &[("origin", "https://elders.example")], &mark(&token, story)).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    let tokenless = call(&state, "POST", "/admin/inzicht/typerend", Some(&cookie), &[], &mark("raden", story)).await;
    assert_eq!(tokenless.status, StatusCode::FORBIDDEN);
    assert!(state.store.typical_stories(None).unwrap().is_empty());
    // Another campaign's story cannot be marked with this token.
    let theirs = *zuid.keys().next().unwrap();
    assert_eq!(call(&state, "POST", "/admin/inzicht/typerend", Some(&cookie), &[], &mark(&token, theirs)).await.status, StatusCode::NOT_FOUND);

    let marked = call(&state, "POST", "/admin/inzicht/typerend", Some(&cookie), &[], &mark(&token, story)).await;
    assert_eq!(marked.status, StatusCode::SEE_OTHER);
    assert_eq!(marked.header("location"), format!("{bar}#verhaal-{story}"));
    assert_eq!(state.store.typical_stories(Some("noord")).unwrap(), [story]);
    let again = call(&state, "GET", bar, Some(&cookie), &[], "").await;
    assert!(again.body.contains("Niet meer typerend") && again.body.contains(">Typerend</p>"), "{}", again.body);
    // The observation form offers the typical story.
    let view = "question=emotion&by=perspective";
    let on_view = call(&state, "GET", &format!("/admin/inzicht?{view}"), Some(&cookie), &[], "").await;
    assert!(on_view.body.contains(&format!("id=\"kies-{story}\"")), "{}", on_view.body);

    // One interpretation is not enough: the form comes back with what was typed.
    let observation = |readings: &[&str]| {
        let mut pairs = vec![("csrf", token.as_str()), ("weergave", view), ("observatie", "Ouders zijn vaker boos dan jongeren.")];
        pairs.extend(readings.iter().map(|r| ("betekenis", *r)));
        let story = story.to_string();
        let mut body = form(&pairs);
        body.push_str(&format!("&verhaal={story}"));
        body
    };
    let refused = call(&state, "POST", "/admin/inzicht/observaties", Some(&cookie), &[], &observation(&["Ze wachten lang."])).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("ten minste twee betekenissen") && refused.body.contains("Ouders zijn vaker boos dan jongeren."), "{}", refused.body);
    assert!(state.store.observations(None).unwrap().is_empty(), "nothing saved");

    let saved =
        call(&state, "POST", "/admin/inzicht/observaties", Some(&cookie), &[], &observation(&["Ze wachten lang.", "Ouders vertellen eerder als het misgaat."]))
            .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let kept = state.store.observations(None).unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].campaign.as_deref(), Some("noord"), "a campaign token's observation is its campaign's");
    assert_eq!(kept[0].interpretations, ["Ze wachten lang.", "Ouders vertellen eerder als het misgaat."]);
    assert_eq!(kept[0].stories, [story]);
    let id = kept[0].id;

    let list = call(&state, "GET", saved.header("location"), Some(&cookie), &[], "").await;
    assert!(list.body.contains("De observatie is bewaard.") && list.body.contains("Ouders vertellen eerder als het misgaat."), "{}", list.body);
    let report = call(&state, "GET", "/admin/inzicht/werksessie", Some(&cookie), &[], "").await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(report.body.contains("Observatie 1") && report.body.contains("id=\"grafiek-1\"") && report.body.contains("Ze wachten lang."), "{}", report.body);
    assert!(report.body.contains(&format!(">{}</h4>", noord[&story].title)) && report.body.contains("Over de verteller"), "{}", report.body);
    let pdf = call(&state, "GET", "/admin/inzicht/werksessie.pdf", Some(&cookie), &[], "").await;
    assert_eq!(pdf.header("content-type"), "application/pdf");
    assert!(pdf.header("content-disposition").contains("werksessie-noord.pdf"));
    assert!(pdf.body.starts_with("%PDF-") && pdf.body.contains("(Ze wachten lang.) Tj"));

    // Changed: a third interpretation; then deleted after asking.
    let edit = call(&state, "GET", &format!("/admin/inzicht/observaties/{id}"), Some(&cookie), &[], "").await;
    assert!(edit.body.contains(">Ze wachten lang.</textarea>"), "{}", edit.body);
    let changed = observation(&["Ze wachten lang.", "Ouders vertellen eerder als het misgaat.", "Jongeren vertellen minder."]);
    let reply = call(&state, "POST", &format!("/admin/inzicht/observaties/{id}"), Some(&cookie), &[], &changed).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(state.store.observation(id).unwrap().unwrap().interpretations.len(), 3);

    // The other campaign's token sees none of it.
    let other = log_in(&state, ZUID).await;
    let their_list = call(&state, "GET", "/admin/inzicht/observaties", Some(&other), &[], "").await;
    assert!(!their_list.body.contains("Ouders zijn vaker boos"), "{}", their_list.body);
    assert_eq!(call(&state, "GET", &format!("/admin/inzicht/observaties/{id}"), Some(&other), &[], "").await.status, StatusCode::NOT_FOUND);
    let their_token = csrf(&call(&state, "GET", "/admin/inzicht?question=emotion", Some(&other), &[], "").await.body);
    let deleting = call(&state, "POST", &format!("/admin/inzicht/observaties/{id}/verwijderen"), Some(&other), &[], &form(&[("csrf", &their_token)])).await;
    assert_eq!(deleting.status, StatusCode::NOT_FOUND);
    let their_report = call(&state, "GET", "/admin/inzicht/werksessie.pdf", Some(&other), &[], "").await;
    assert!(!their_report.body.contains("wachten lang"));
    // The collector's token sees every campaign's.
    let all = call(&state, "GET", "/admin/inzicht/observaties", None, &[("authorization", &format!("Bearer {TOKEN}"))], "").await;
    assert!(all.body.contains("Ouders zijn vaker boos") && all.body.contains("Campagne noord"), "{}", all.body);

    let confirm = call(&state, "GET", &format!("/admin/inzicht/observaties/{id}/verwijderen"), Some(&cookie), &[], "").await;
    assert!(confirm.body.contains("Verwijderen kan niet ongedaan worden"), "{}", confirm.body);
    let deleted = call(&state, "POST", &format!("/admin/inzicht/observaties/{id}/verwijderen"), Some(&cookie), &[], &form(&[("csrf", &token)])).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert!(state.store.observations(None).unwrap().is_empty());
    // Unmarked again.
    let unmark = form(&[("csrf", &token), ("verhaal", &story.to_string()), ("typerend", "nee"), ("terug", bar)]);
    assert_eq!(call(&state, "POST", "/admin/inzicht/typerend", Some(&cookie), &[], &unmark).await.status, StatusCode::SEE_OTHER);
    assert!(state.store.typical_stories(None).unwrap().is_empty());
}

#[test]
fn the_store_keeps_observations_and_marks_per_campaign() {
    let dir = tempfile::tempdir().unwrap();
    let db = storypoint_server::store::Database::Sqlite(dir.path().join("stories.db"));
    let (one, other) = (db.open(None).unwrap(), db.open(None).unwrap());
    work_store::observations_and_marks_are_kept_per_campaign(one.as_ref(), other.as_ref());
}

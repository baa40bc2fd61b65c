//! "Patronen die opvallen" in-process: stories with a real difference told through the API,
//! then `GET /api/v1/patterns/standouts` checked against scipy.stats to 4 significant digits
//! and `/admin/inzicht/patronen` read as the Dutch page a coordinator sees.
mod in_process;

use axum::body::Body;
use axum::http::StatusCode;
use in_process::*;
use serde_json::{Value, json};
use storypoint_server::standouts::{MinTestGroup, with_min_test_group};
use tower::ServiceExt;

const JSON: (&str, &str) = ("Content-Type", "application/json");

fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

/// Tells a story with these answers.
async fn tell(state: &storypoint_server::state::AppState, perspective: &str, emotion: &str, seen_heard: i64, effect: i64) {
    let id = storypoint_core::SubmissionId::from_random_bytes(rand::random()).to_hyphenated();
    let body = json!({"questionnaire": "vertelpunt-jeugdhulp", "version": 1, "submission_id": id, "lang": "nl",
                      "answers": {"prompt": "geholpen", "story": "Wat er gebeurde.", "perspective": perspective,
                                  "emotion": emotion, "seen_heard": seen_heard, "effect": effect}});
    let (status, _, reply) = call(state, "POST", "/api/v1/stories", &[JSON], body.to_string().as_bytes()).await;
    assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply));
}

/// 40 children who felt heard, 25 parents who felt less heard, 3 professionals (too few to
/// test). In Python, for the scipy references below: child seen_heard a[i] = (i * 37) % 101,
/// effect (i * 29) % 101, emotion "happy" if i % 4 == 0 else "angry" (i in range(40));
/// parent seen_heard c[i] = (i * 17) % 61, effect (i * 31) % 50, emotion "angry" if
/// i % 4 == 0 else "happy" (i in range(25)); professional 50, 50, "proud" (3 times).
async fn seeded() -> (storypoint_server::state::AppState, tempfile::TempDir) {
    let (state, dir) = collector(64 * 1024);
    for i in 0..40 {
        tell(&state, "child", if i % 4 == 0 { "happy" } else { "angry" }, (i * 37) % 101, (i * 29) % 101).await;
    }
    for i in 0..25 {
        tell(&state, "parent", if i % 4 == 0 { "angry" } else { "happy" }, (i * 17) % 61, (i * 31) % 50).await;
    }
    for _ in 0..3 {
        tell(&state, "professional", "proud", 50, 50).await;
    }
    (state, dir)
}

async fn get_json(state: &storypoint_server::state::AppState, path: &str) -> (StatusCode, Value) {
    let (status, _, body) = call(state, "GET", path, &[("Authorization", &bearer())], b"").await;
    (status, serde_json::from_slice(&body).unwrap_or_else(|_| panic!("{path}: not JSON: {}", String::from_utf8_lossy(&body))))
}

fn finding<'a>(overview: &'a Value, a: &str, b: &str) -> &'a Value {
    overview["findings"].as_array().unwrap().iter().find(|f| f["a"]["id"] == a && f["b"]["id"] == b).unwrap_or_else(|| panic!("no {a} × {b}"))
}

/// Agreement with the reference to 4 significant digits.
#[track_caller]
fn agrees(value: &Value, reference: f64) {
    let value = value.as_f64().unwrap_or_else(|| panic!("{value} is not a number"));
    assert!((value - reference).abs() / reference.abs() < 5e-4, "{value} is not {reference} to 4 significant digits");
}

#[tokio::test]
async fn the_overview_agrees_with_scipy_and_shows_only_rounded_sizes() {
    let (state, _dir) = seeded().await;
    let (status, overview) = get_json(&state, "/api/v1/patterns/standouts").await;
    assert_eq!(status, StatusCode::OK, "{overview}");
    assert_eq!((overview["tests"].as_u64(), overview["standing_out"].as_u64()), (Some(6), Some(5)));
    assert_eq!((overview["min_group"].as_u64(), overview["min_cell"].as_u64(), overview["stories"].as_u64()), (Some(20), Some(5), Some(70)));

    // scipy.stats.kruskal(a, c) → statistic 7.904218186586259, pvalue 0.00493196528461735;
    // statsmodels.stats.multitest.multipletests over the six p-values (method="holm") → 0.024117796954182497.
    let f = finding(&overview, "seen_heard", "perspective");
    assert_eq!((f["test"].as_str(), f["df"].as_u64(), f["standout"].as_bool()), (Some("kruskal_wallis"), Some(1), Some(true)));
    agrees(&f["h"], 7.904218);
    agrees(&f["p"], 0.004931965);
    agrees(&f["p_holm"], 0.02411780);
    assert_eq!(f["n"], 65);
    let groups: Vec<(&Value, &Value, &Value)> = f["groups"].as_array().unwrap().iter().map(|g| (&g["value"], &g["label"]["nl"], &g["n"])).collect();
    assert_eq!(
        groups,
        vec![(&json!("child"), &json!("Kind (jonger dan 12 jaar)"), &json!(40)), (&json!("parent"), &json!("Ouder, verzorger of familie"), &json!(25))]
    );
    let professional = f["left_out"].as_array().unwrap().iter().find(|l| l["value"] == "professional").unwrap();
    assert_eq!((&professional["n"], &professional["reason"]["nl"]), (&json!("< 5"), &json!("minder dan 20 verhalen")));
    // scipy.stats.mannwhitneyu(a, c, method="asymptotic", use_continuity=True) → 708.5, 0.005036310732702047.
    let pair = &f["pairs"][0];
    assert_eq!((&pair["a"], &pair["b"], &pair["u"]), (&json!("child"), &json!("parent"), &json!(708.5)));
    agrees(&pair["p"], 0.005036311);
    assert_eq!(f["query"], "question=seen_heard&by=perspective");
    assert!(f["note"]["nl"].as_str().unwrap().starts_with("Wie bij ‘Ik vertel dit als’ ‘Ouder, verzorger of familie’ koos, antwoordde op"), "{}", f["note"]);

    // scipy.stats.spearmanr(a + c + [50] * 3, ea + ec + [50] * 3) → 0.28746933501876204, 0.01745439703156935.
    let f = finding(&overview, "seen_heard", "effect");
    agrees(&f["rho"], 0.2874693);
    agrees(&f["p"], 0.01745440);
    agrees(&f["p_holm"], 0.03546351);
    assert_eq!(f["query"], Value::Null);

    // Shown counts [[30, 5], [10, 20]] (exact [[30, 7], [10, 18]]): scipy.stats.chi2_contingency(
    // [[30, 5], [10, 20]], correction=False) → 18.72619047619047, 1.5089565704354287e-05, dof 1;
    // scipy.stats.contingency.association(…, method="cramer") → 0.5367450401216932.
    let f = finding(&overview, "emotion", "perspective");
    agrees(&f["chi2"], 18.72619);
    agrees(&f["p"], 1.508957e-5);
    agrees(&f["cramers_v"], 0.5367450);
    assert_eq!(f["df"], 1);
    assert_eq!(f["query"], "view=crosstab&row=emotion&col=perspective");
    assert_eq!(overview["findings"][0]["a"]["id"], "emotion", "the largest difference first");

    // No exact group size below the minimum anywhere in the reply.
    let text = overview.to_string();
    for exact in ["\"n\":3,", "\"n\":7,", "\"n\":18,", "\"n\":68,"] {
        assert!(!text.contains(exact), "{exact} in {text}");
    }
}

#[tokio::test]
async fn the_page_says_it_in_dutch_and_links_each_finding_to_its_view() {
    let (state, _dir) = seeded().await;
    let (status, headers, body) = call(&state, "GET", "/admin/inzicht/patronen", &[("Authorization", &bearer())], b"").await;
    let page = String::from_utf8(body).unwrap();
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(headers.get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    assert!(headers.get("content-security-policy").is_some());
    assert!(page.contains("<h1>Patronen die opvallen</h1>") && page.contains("Vallen op (5)"), "{page}");
    assert!(page.contains(
        "Wie bij ‘Ik vertel dit als’ ‘Ouder, verzorger of familie’ koos, antwoordde op ‘Werd het kind of de jongere gezien en gehoord?’ meestal lager \
         (meer naar ‘Helemaal niet’) dan wie ‘Kind (jonger dan 12 jaar)’ koos. Dit verschil is middelgroot en komt waarschijnlijk niet door toeval \
         (p = 0,024, gecorrigeerd voor 6 vergelijkingen)."
    ));
    assert!(page.contains("Kruskal-Wallis-toets: H = 7,90, 1 vrijheidsgraad; p = 0,005; gecorrigeerd p = 0,024"), "{page}");
    assert!(page.contains(r#"href="/admin/inzicht?question=seen_heard&amp;by=perspective""#), "{page}");
    assert!(page.contains(r#"href="/admin/inzicht?view=crosstab&amp;row=emotion&amp;col=perspective""#), "{page}");
    assert!(page.contains("Minder dan 20 verhalen: Jongere (12 tot 18 jaar) (&lt; 5), Professional (zorg, onderwijs, wijk, politie…) (&lt; 5)"), "{page}");
    assert!(page.contains("Vallen niet op (1)") && page.contains("Niet getoetst ("), "{page}");

    // Without a session: to the login page and back.
    let (status, headers, _) = call(&state, "GET", "/admin/inzicht/patronen", &[], b"").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers.get("location").and_then(|v| v.to_str().ok()), Some("/admin/login?terug=%2Fadmin%2Finzicht%2Fpatronen"));
}

#[tokio::test]
async fn one_pair_a_campaign_and_mistakes_in_the_address() {
    let (state, _dir) = seeded().await;
    let (status, one) = get_json(&state, "/api/v1/patterns/standouts?a=perspective&b=seen_heard").await;
    assert_eq!(status, StatusCode::OK, "{one}");
    assert_eq!((&one["a"]["id"], &one["test"]), (&json!("seen_heard"), &json!("kruskal_wallis")));
    assert_eq!(one["p_holm"], one["p"], "one test: nothing to correct");

    // Another campaign's stories: none here.
    let (_, other) = get_json(&state, "/api/v1/patterns/standouts?campaign=elders").await;
    assert_eq!((&other["stories"], &other["tests"], &other["campaign"]), (&json!("< 5"), &json!(0), &json!("elders")));
    assert_eq!(finding(&other, "seen_heard", "perspective")["query"], "question=seen_heard&by=perspective&campaign=elders");

    for (path, field) in [
        ("/api/v1/patterns/standouts?organisation=De%20Brug", "organisation"),
        ("/api/v1/patterns/standouts?a=emotion", "b"),
        ("/api/v1/patterns/standouts?a=story&b=emotion", "a"),
    ] {
        let (status, error) = get_json(&state, path).await;
        assert_eq!((status, &error["field"]), (StatusCode::BAD_REQUEST, &json!(field)), "{path}: {error}");
    }
    let (status, _, _) = call(&state, "GET", "/api/v1/patterns/standouts", &[], b"").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, page) = call(&state, "GET", "/admin/inzicht/patronen?organisation=x", &[("Authorization", &bearer())], b"").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(String::from_utf8_lossy(&page).contains("organisation"));
}

#[tokio::test]
async fn the_collector_can_ask_for_bigger_groups() {
    let (state, _dir) = seeded().await;
    // --min-test-group 26: the 25 parents are left out, so there is no second group to test.
    let app = with_min_test_group(storypoint_server::app::app(state.clone()), MinTestGroup::new(26, 5).unwrap());
    let request = axum::http::Request::get("/api/v1/patterns/standouts").header("Authorization", bearer()).body(Body::empty()).unwrap();
    let reply = app.oneshot(request).await.unwrap();
    let overview: Value = serde_json::from_slice(&axum::body::to_bytes(reply.into_body(), usize::MAX).await.unwrap()).unwrap();
    assert_eq!(overview["min_group"], 26);
    let f = finding(&overview, "seen_heard", "perspective");
    assert_eq!(f["test"], Value::Null);
    assert_eq!(f["note"]["nl"], "Niet getoetst: er zijn geen twee antwoorden met elk minstens 26 verhalen.");
    assert!(f["left_out"].as_array().unwrap().iter().any(|l| l["value"] == "parent" && l["n"] == 25));
}

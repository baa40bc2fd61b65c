//! The HTTP API as a function: the router called in-process (no socket, no binary), a table
//! of cases for every bad input and every route's login, each with the status and the body a
//! client gets. What needs a real socket (peer addresses, SIGKILL, load, browsers) is tested
//! against the binary elsewhere.
mod in_process;

use axum::http::StatusCode;
use in_process::*;
use serde_json::{Value, json};

fn story(id: &str) -> Value {
    json!({"questionnaire": "vertelpunt-jeugdhulp", "version": 1, "submission_id": id, "lang": "nl",
           "answers": {"prompt": "geholpen", "story": "De juf luisterde echt naar me.", "perspective": "child",
                       "seen_heard": 80, "emotion": "happy"}})
}

fn id() -> String {
    storypoint_core::SubmissionId::from_random_bytes(rand::random()).to_hyphenated()
}

const JSON: (&str, &str) = ("Content-Type", "application/json");

/// A case: what it is, the request's headers and body, the status and what the body says.
type BadStory = (&'static str, Vec<(&'static str, &'static str)>, Vec<u8>, u16, Value);

#[tokio::test]
async fn every_bad_story_gets_its_status_and_a_body_that_says_why() {
    let (state, _dir) = collector(2048);
    let with = |change: &dyn Fn(&mut Value)| {
        let mut body = story(&id());
        change(&mut body);
        body.to_string().into_bytes()
    };
    let mut english = story(&id());
    english["lang"] = json!("en");
    english["answers"]["story"] = json!("");
    english["answers"]["seen_heard"] = json!(250);
    english["answers"]["naam"] = json!("Piet");
    let cases: Vec<BadStory> = vec![
        ("no content type", vec![], story(&id()).to_string().into_bytes(), 415, json!({"error": "unsupported_media_type"})),
        ("text/plain", vec![("Content-Type", "text/plain")], story(&id()).to_string().into_bytes(), 415, json!({"error": "unsupported_media_type"})),
        ("a form", vec![("Content-Type", "application/x-www-form-urlencoded")], b"a=b".to_vec(), 415, json!({"error": "unsupported_media_type"})),
        ("not JSON", vec![JSON], b"{not json".to_vec(), 400, json!({"error": "malformed"})),
        ("not UTF-8", vec![JSON], b"\xff\xfe{}".to_vec(), 400, json!({"error": "malformed"})),
        ("a wrong id", vec![JSON], with(&|b| b["submission_id"] = json!("not-a-uuid")), 400, json!({"error": "malformed", "field": "submission_id"})),
        ("a wrong version", vec![JSON], with(&|b| b["version"] = json!("een")), 400, json!({"error": "malformed", "field": "version"})),
        ("over the limit", vec![JSON], with(&|b| b["answers"]["story"] = json!("x".repeat(3000))), 413, json!({"error": "too_large"})),
        (
            "answers that do not pass, in the teller's language",
            vec![JSON],
            english.to_string().into_bytes(),
            422,
            json!({"errors": [
                {"question": "story", "code": "required", "message": "Please answer this question."},
                {"question": "seen_heard", "code": "out_of_range", "message": "Choose a number from 0 to 100."},
                {"question": "naam", "code": "unknown_question", "message": "This question is not part of this questionnaire."}
            ]}),
        ),
        ("charset is fine", vec![("Content-Type", "application/json; charset=utf-8")], story(&id()).to_string().into_bytes(), 201, json!({})),
    ];
    for (what, headers, body, status, says) in cases {
        let (got, _, reply) = call(&state, "POST", "/api/v1/stories", &headers, &body).await;
        assert_eq!(got.as_u16(), status, "{what}: {}", String::from_utf8_lossy(&reply));
        let reply: Value = serde_json::from_slice(&reply).unwrap_or_else(|_| panic!("{what}: not JSON"));
        for (key, value) in says.as_object().unwrap() {
            assert_eq!(&reply[key], value, "{what}: {reply}");
        }
        if status >= 400 && status != 422 {
            assert!(reply["message"].as_str().is_some_and(|m| !m.is_empty()), "{what}: a message says why");
        }
    }
    let (_, _, export) = call(&state, "GET", "/api/v1/export.json", &[("Authorization", &format!("Bearer {TOKEN}"))], b"").await;
    assert_eq!(serde_json::from_slice::<Value>(&export).unwrap().as_array().unwrap().len(), 1, "only the good story is kept");
}

#[tokio::test]
async fn a_story_is_stored_once_and_a_repeat_hears_it_arrived() {
    let (state, _dir) = collector(64 * 1024);
    let body = story(&id()).to_string();
    let (first, _, reply) = call(&state, "POST", "/api/v1/stories", &[JSON], body.as_bytes()).await;
    assert_eq!(first, StatusCode::CREATED);
    let stored = serde_json::from_slice::<Value>(&reply).unwrap()["id"].clone();
    let (again, _, reply) = call(&state, "POST", "/api/v1/stories", &[JSON], body.as_bytes()).await;
    assert_eq!((again, serde_json::from_slice::<Value>(&reply).unwrap()), (StatusCode::OK, json!({"id": stored, "duplicate": true})));
}

#[tokio::test]
async fn every_coordinators_route_asks_for_the_token() {
    let (state, _dir) = collector(64 * 1024);
    let bearer = format!("Bearer {TOKEN}");
    // (route, what a browser opens itself: asks for the login prompt)
    let routes =
        [("/api/v1/stats", false), ("/api/v1/campaigns", false), ("/api/v1/export.json", false), ("/api/v1/export.csv", false), ("/api/v1/patterns", true)];
    for (route, prompt) in routes {
        for (who, headers) in [("nobody", vec![]), ("a wrong token", vec![("Authorization", "Bearer wrong-token-of-some-length")])] {
            let (status, headers, body) = call(&state, "GET", route, &headers, b"").await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{route} for {who}");
            assert_eq!(headers.get("www-authenticate").is_some(), prompt, "{route} for {who}: login prompt");
            assert_eq!(headers.get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"), "{route}");
            assert!(!String::from_utf8_lossy(&body).contains(TOKEN));
        }
        let (status, headers, _) = call(&state, "GET", route, &[("Authorization", &bearer), ("Origin", "https://evil.example")], b"").await;
        assert_eq!(status, StatusCode::OK, "{route} with the token");
        assert_eq!(headers.get("access-control-allow-origin"), None, "{route} never answers another site");
        assert_eq!(headers.get("cross-origin-resource-policy").and_then(|v| v.to_str().ok()), Some("same-origin"), "{route}");
        assert_eq!(headers.get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"), "{route}");
        if route.starts_with("/admin") {
            // The coordinators' pages run no script at all; their GET forms go to themselves.
            let csp = headers.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default();
            assert!(csp.starts_with("default-src 'none'") && !csp.contains("script-src") && csp.contains("form-action 'self'"), "{route}: {csp}");
        }
    }
    let (status, _, _) = call(&state, "GET", "/admin/audio/1", &[], b"").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The pages send a browser without a session to the login page, and back afterwards.
    for (page, back) in [("/admin", "%2Fadmin"), ("/admin/inzicht?view=crosstab", "%2Fadmin%2Finzicht%3Fview%3Dcrosstab")] {
        let (status, headers, _) = call(&state, "GET", page, &[], b"").await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
        let location = headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert!(location.starts_with(&format!("/admin/login?terug={back}")), "{page}: {location}");
    }
    for page in ["/admin", "/admin/inzicht"] {
        let (status, headers, _) = call(&state, "GET", page, &[("Authorization", &bearer)], b"").await;
        assert_eq!(status, StatusCode::OK, "{page} with the token");
        let csp = headers.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert!(csp.starts_with("default-src 'none'") && !csp.contains("script-src") && csp.contains("form-action 'self'"), "{page}: {csp}");
    }
    // Partner pages on any site may post stories: the public intake answers their preflight.
    let preflight = [("Origin", "https://gemeente.example"), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "content-type")];
    let (status, headers, _) = call(&state, "OPTIONS", "/api/v1/stories", &preflight, b"").await;
    assert!(status.is_success(), "{status}");
    assert_eq!(headers.get("access-control-allow-origin").and_then(|v| v.to_str().ok()), Some("*"));
}

#[tokio::test]
async fn public_routes_answer_with_the_security_headers_and_json_errors() {
    let (state, _dir) = collector(64 * 1024);
    // (route, status, error code in a JSON body, if an error)
    let cases = [
        ("/api/v1/health", 200, None),
        ("/api/v1/questionnaire", 200, None),
        ("/api/v1/campaign", 200, None),
        ("/vertel", 200, None),
        ("/", 200, None),
        ("/api/v1/links/zzzzzzzz", 404, Some("not_found")),
        ("/api/v1/links/not%20a%20code", 404, Some("not_found")),
        ("/api/v1/c/nope/campaign", 404, Some("not_found")),
        ("/api/v1/c/NOT_A_SLUG/questionnaire", 404, Some("not_found")),
        ("/storypoint/storypoint.js", 404, Some("not_found")),
        ("/.well-known/security.txt", 404, Some("not_found")),
        ("/nope", 404, Some("not_found")),
    ];
    for (route, status, error) in cases {
        let (got, headers, body) = call(&state, "GET", route, &[], b"").await;
        assert_eq!(got.as_u16(), status, "{route}");
        let csp = headers.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'") && !csp.contains("unsafe-inline"), "{route}: {csp}");
        assert_eq!(headers.get("x-content-type-options").and_then(|v| v.to_str().ok()), Some("nosniff"), "{route}");
        assert_eq!(headers.get("referrer-policy").and_then(|v| v.to_str().ok()), Some("no-referrer"), "{route}");
        assert!(headers.get("permissions-policy").is_some(), "{route}");
        assert_eq!(headers.get("set-cookie"), None, "{route}: no cookie for tellers");
        if let Some(code) = error {
            let body: Value = serde_json::from_slice(&body).unwrap_or_else(|_| panic!("{route}: not JSON"));
            assert_eq!(body["error"], code, "{route}");
        }
    }
    let (_, _, body) = call(&state, "GET", "/api/v1/questionnaire", &[], b"").await;
    let served = storypoint_core::Questionnaire::from_json(std::str::from_utf8(&body).unwrap()).unwrap();
    assert_eq!(served, storypoint_core::default_questionnaire());
}

#[tokio::test]
async fn recordings_refuse_what_is_not_a_part_of_one() {
    let (state, _dir) = collector(64 * 1024);
    let story = id();
    let junk = vec![7u8; 4096];
    // (what, method, path, body, status, code)
    let cases = [
        ("no offset", "PUT", format!("/api/v1/stories/{story}/audio"), junk.clone(), 400, "malformed"),
        ("a wrong id", "PUT", "/api/v1/stories/not-an-id/audio?offset=0".to_string(), junk.clone(), 400, "malformed"),
        ("junk as a first part", "PUT", format!("/api/v1/stories/{story}/audio?offset=0"), junk.clone(), 415, "audio"),
        ("a gap", "PUT", format!("/api/v1/stories/{story}/audio?offset=100"), junk.clone(), 409, "audio"),
        ("a part over the limit", "PUT", format!("/api/v1/stories/{story}/audio?offset=0"), vec![0; 1024 * 1024 + 1], 413, "too_large"),
        (
            "a bad checksum",
            "POST",
            format!("/api/v1/stories/{story}/audio/complete"),
            br#"{"length":1,"sha256":"xyz","mime":"audio/webm"}"#.to_vec(),
            400,
            "malformed",
        ),
        ("no body", "POST", format!("/api/v1/stories/{story}/audio/complete"), Vec::new(), 400, "malformed"),
    ];
    for (what, method, path, body, status, code) in cases {
        let (got, _, reply) = call(&state, method, &path, &[JSON], &body).await;
        assert_eq!(got.as_u16(), status, "{what}: {}", String::from_utf8_lossy(&reply));
        let reply: Value = serde_json::from_slice(&reply).unwrap_or_else(|_| panic!("{what}: not JSON"));
        assert_eq!(reply["error"], code, "{what}: {reply}");
    }
}

/// The session cookie a reply sets, as `name=value`.
fn session_cookie(headers: &axum::http::HeaderMap) -> Option<String> {
    let set = headers.get("set-cookie")?.to_str().ok()?;
    Some(set.split(';').next()?.to_string())
}

#[tokio::test]
async fn a_coordinator_logs_in_works_a_day_and_logs_out() {
    let (state, _dir) = collector(64 * 1024);
    let (status, headers, page) = call(&state, "GET", "/admin/login?terug=%2Fadmin%2Finzicht", &[], b"").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get("set-cookie").is_none(), "no cookie before logging in");
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains("Beheercode") && page.contains(r#"name="terug" value="/admin/inzicht""#), "{page}");

    // A wrong token: the page again, saying so in Dutch, and no session.
    let wrong = form(&[("token", "not-the-token-at-all-0000"), ("terug", "/admin")]);
    let (status, headers, page) = call(&state, "POST", "/admin/login", &[FORM, HOST, OURS], &wrong).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(headers.get("set-cookie").is_none());
    assert!(String::from_utf8(page).unwrap().contains("Deze beheercode klopt niet"));

    // Another site's login form is refused, even with the right token.
    let right = form(&[("token", TOKEN), ("terug", "/admin/inzicht")]);
    let (status, headers, _) = call(&state, "POST", "/admin/login", &[FORM, HOST, ("Origin", "https://evil.example")], &right).await;
    assert_eq!((status, headers.get("set-cookie").is_some()), (StatusCode::FORBIDDEN, false));

    // The right token: a strict, script-proof cookie for a working day, back where asked.
    let (status, headers, _) = call(&state, "POST", "/admin/login", &[FORM, HOST, OURS], &right).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers.get("location").and_then(|v| v.to_str().ok()), Some("/admin/inzicht"));
    let set = headers.get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    for part in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=32400"] {
        assert!(set.contains(part), "{set}");
    }
    assert!(!set.contains("Secure"), "plain HTTP here: a Secure cookie would never come back");
    let cookie = session_cookie(&headers).unwrap();
    let with = [("Cookie", cookie.as_str())];
    for page in ["/admin", "/admin/inzicht", "/api/v1/stats", "/api/v1/export.csv"] {
        assert_eq!(call(&state, "GET", page, &with, b"").await.0, StatusCode::OK, "{page} in the session");
    }
    // A page never goes to another site after logging in.
    let away = form(&[("token", TOKEN), ("terug", "https://evil.example/")]);
    let (_, headers, _) = call(&state, "POST", "/admin/login", &[FORM, HOST, OURS], &away).await;
    assert_eq!(headers.get("location").and_then(|v| v.to_str().ok()), Some("/admin"));

    // Logging out takes the session's form token, from our own page only.
    let (status, _, page) = call(&state, "GET", "/admin/logout", &with, b"").await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8(page).unwrap();
    let csrf = page.split(r#"name="csrf" value=""#).nth(1).and_then(|rest| rest.split('"').next()).unwrap().to_string();
    let cross = [FORM, HOST, ("Origin", "https://evil.example"), ("Cookie", cookie.as_str())];
    assert_eq!(call(&state, "POST", "/admin/logout", &cross, &form(&[("csrf", &csrf)])).await.0, StatusCode::FORBIDDEN);
    let ours = [FORM, HOST, OURS, ("Cookie", cookie.as_str())];
    assert_eq!(call(&state, "POST", "/admin/logout", &ours, &form(&[("csrf", "guessed")])).await.0, StatusCode::FORBIDDEN);
    let (status, headers, _) = call(&state, "POST", "/admin/logout", &ours, &form(&[("csrf", &csrf)])).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cleared = headers.get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(cleared.starts_with("storypoint_beheer=;") && cleared.contains("Max-Age=0"), "{cleared}");

    // A forged or foreign cookie opens nothing.
    let forged = cookie.replace(".all.", ".c:default.");
    assert_eq!(call(&state, "GET", "/api/v1/stats", &[("Cookie", forged.as_str())], b"").await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_replaced_token_ends_its_sessions() {
    let (mut state, _dir) = collector(64 * 1024);
    let right = form(&[("token", TOKEN)]);
    let (_, headers, _) = call(&state, "POST", "/admin/login", &[FORM, HOST, OURS], &right).await;
    let cookie = session_cookie(&headers).unwrap();
    assert_eq!(call(&state, "GET", "/api/v1/stats", &[("Cookie", cookie.as_str())], b"").await.0, StatusCode::OK);
    state.admin = storypoint_server::auth::AdminToken::from_token("a-new-admin-token-after-a-loss");
    assert_eq!(call(&state, "GET", "/api/v1/stats", &[("Cookie", cookie.as_str())], b"").await.0, StatusCode::UNAUTHORIZED);
}

//! Campaigns in the coordinators' console (`/admin/campagnes`), in-process: log in with a
//! token, make a campaign (the errors at their fields, nothing stored until all is right;
//! the campaign's token shown once, and it opens only that campaign), close and open, change
//! the days, replace the token (its sessions end), and no form from another site.
mod in_process;

use axum::http::StatusCode;
use in_process::{TOKEN, collector};
use storypoint_server::state::AppState;
use storypoint_server::store::Window;

const HOST: &str = "verhalen.example";
const ORIGIN: &str = "http://verhalen.example";

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

/// One request through the router, as a browser on our own pages sends it (Host, and
/// Origin on a POST), with the session cookie when there is one.
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
    Reply { status, headers, body: String::from_utf8(body).unwrap() }
}

/// A form body from pairs.
fn form(pairs: &[(&str, &str)]) -> String {
    String::from_utf8(in_process::form(pairs)).unwrap()
}

/// Logs in with `token`: the session cookie (`name=value`).
async fn log_in(state: &AppState, token: &str) -> String {
    let reply = call(state, "POST", "/admin/login", None, &[], &form(&[("token", token), ("terug", "/admin/campagnes")])).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.header("location"), "/admin/campagnes");
    reply.header("set-cookie").split(';').next().unwrap().to_string()
}

/// The value of the first `<input … name="NAME" … value="…">` on a page.
fn input_value(page: &str, marker: &str) -> String {
    let at = page.find(marker).unwrap_or_else(|| panic!("no {marker} in {page}"));
    let tag_start = page[..at].rfind('<').unwrap();
    let tag = &page[tag_start..tag_start + page[tag_start..].find('>').unwrap()];
    let value = tag.split("value=\"").nth(1).unwrap_or_else(|| panic!("no value in {tag}"));
    value[..value.find('"').unwrap()].to_string()
}

fn csrf(page: &str) -> String {
    input_value(page, "name=\"csrf\"")
}

fn today() -> String {
    storypoint_server::app::today()
}

#[tokio::test]
async fn a_coordinator_makes_a_campaign_whose_token_opens_only_it() {
    let (state, _dir) = collector(64 * 1024);
    assert_eq!(call(&state, "GET", "/admin/campagnes", None, &[], "").await.header("location"), "/admin/login?terug=%2Fadmin%2Fcampagnes");
    let admin = log_in(&state, TOKEN).await;
    let list = call(&state, "GET", "/admin/campagnes", Some(&admin), &[], "").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("href=\"/admin/campagnes/nieuw\"") && list.body.contains("href=\"/admin/campagnes\">Campagnes</a>"), "{}", list.body);
    assert!(list.header("content-security-policy").contains("default-src 'none'") && !list.header("content-security-policy").contains("script-src"));
    assert_eq!(list.header("cache-control"), "no-store");

    let blank = call(&state, "GET", "/admin/campagnes/nieuw", Some(&admin), &[], "").await;
    assert_eq!(blank.status, StatusCode::OK);
    assert!(blank.body.contains("Geholpen…") && blank.body.contains("type=\"date\""), "the prompts by their Dutch titles: {}", blank.body);
    let token = csrf(&blank.body);
    let fields = |closes: &'static str| {
        vec![
            ("csrf", token.clone()),
            ("name", "Vertelpunt Twente 2027".to_string()),
            ("slug", "twente-2027".to_string()),
            ("theme", "Passend onderwijs".to_string()),
            ("prompts", "geholpen".to_string()),
            ("prompts", "passend_onderwijs".to_string()),
            ("opens", "2020-01-01".to_string()),
            ("closes", closes.to_string()),
            ("base_url", "https://twente.example.nl/vertel".to_string()),
        ]
    };
    let body = |pairs: Vec<(&str, String)>| form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();

    // The last day before the first: the Dutch message at the field, nothing stored.
    let wrong = call(&state, "POST", "/admin/campagnes/nieuw", Some(&admin), &[], &body(fields("2019-06-30"))).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong.body);
    assert!(wrong.body.contains("<title>Fout: Nieuwe campagne"), "{}", wrong.body);
    assert!(wrong.body.contains("class=\"error-summary\"") && wrong.body.contains("href=\"#closes\""), "{}", wrong.body);
    let message = "De laatste dag (30-06-2019) ligt vóór de eerste dag (01-01-2020). Kies een laatste dag op of na de eerste dag.";
    assert!(
        wrong.body.contains(&format!("<p class=\"field-error\" id=\"closes-fout\"><span class=\"visually-hidden\">Fout: </span>{message}</p>")),
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("id=\"closes\" name=\"closes\" type=\"date\" value=\"2019-06-30\"") && wrong.body.contains("aria-invalid=\"true\""));
    assert!(wrong.body.contains("value=\"Vertelpunt Twente 2027\"") && wrong.body.contains("value=\"https://twente.example.nl/vertel\""), "kept");
    assert!(!wrong.body.contains("value=\"veilig\" checked") && wrong.body.contains("value=\"geholpen\" checked"), "the choice kept");
    assert_eq!(state.store.find_campaign("twente-2027").unwrap(), None, "nothing stored");

    // Several problems at once, each at its field; a loopback address is no teller's page.
    let mut many = fields("2027-06-30");
    many[2].1 = "Twente 2027".into();
    many[8].1 = "http://localhost:8080/vertel".into();
    many.retain(|(key, _)| *key != "prompts");
    let refused = call(&state, "POST", "/admin/campagnes/nieuw", Some(&admin), &[], &body(many)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (field, text) in [("slug", "alleen kleine letters"), ("prompt-geholpen", "Kies minstens één vraag."), ("base_url", "werkt alleen op de server zelf")]
    {
        assert!(refused.body.contains(&format!("href=\"#{field}\"")) && refused.body.contains(text), "{field}: {}", refused.body);
    }
    assert_eq!(state.store.campaigns().unwrap().len(), 1, "only the default campaign");

    // Right: stored, and its token shown once, with the copy button's script allowed there only.
    let made = call(&state, "POST", "/admin/campagnes/nieuw", Some(&admin), &[], &body(fields("2999-12-31"))).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert!(made.header("content-security-policy").contains("script-src 'self'"));
    assert!(made.body.contains("<script src=\"/admin/kopieer.js\" defer></script>"));
    let campaign_token = input_value(&made.body, "id=\"beheercode\"");
    assert_eq!(campaign_token.len(), 48, "{campaign_token}");
    let stored = state.store.find_campaign("twente-2027").unwrap().expect("stored");
    assert_eq!(stored.name.as_deref(), Some("Vertelpunt Twente 2027"));
    assert_eq!(stored.prompts, Some(vec!["geholpen".to_string(), "passend_onderwijs".to_string()]));
    assert_eq!((stored.opens_on.as_deref(), stored.closes_at.as_deref()), (Some("2020-01-01"), Some("2999-12-31")));
    assert_eq!(stored.base_url.as_deref(), Some("https://twente.example.nl/vertel"));
    let script = call(&state, "GET", "/admin/kopieer.js", None, &[], "").await;
    assert!(script.header("content-type").starts_with("text/javascript") && script.body.contains("clipboard"));
    let page = call(&state, "GET", "/admin/campagnes/twente-2027", Some(&admin), &[], "").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(&campaign_token), "shown once");
    assert!(page.body.contains("01-01-2020") && page.body.contains("31-12-2999") && page.body.contains("<dd id=\"stand\">Open</dd>"), "{}", page.body);
    let listed = call(&state, "GET", "/admin/campagnes", Some(&admin), &[], "").await;
    assert!(listed.body.contains("Vertelpunt Twente 2027") && listed.body.contains("Het eigen vertelpunt van deze server"), "{}", listed.body);
    // The same short name again is refused at its field.
    let again = call(&state, "POST", "/admin/campagnes/nieuw", Some(&admin), &[], &body(fields("2999-12-31"))).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("Er is al een campagne met de korte naam twente-2027."));

    // The campaign's token logs in as that campaign only.
    let own = log_in(&state, &campaign_token).await;
    let own_list = call(&state, "GET", "/admin/campagnes", Some(&own), &[], "").await;
    assert!(own_list.body.contains("Vertelpunt Twente 2027"), "{}", own_list.body);
    assert!(!own_list.body.contains("/admin/campagnes/default") && !own_list.body.contains("/admin/campagnes/nieuw"), "{}", own_list.body);
    assert_eq!(call(&state, "GET", "/admin/campagnes/default", Some(&own), &[], "").await.status, StatusCode::NOT_FOUND);
    assert_eq!(call(&state, "GET", "/admin/campagnes/nieuw", Some(&own), &[], "").await.status, StatusCode::FORBIDDEN);
    let own_page = call(&state, "GET", "/admin/campagnes/twente-2027", Some(&own), &[], "").await;
    assert_eq!(own_page.status, StatusCode::OK);
    let own_csrf = csrf(&own_page.body);
    let mut theirs = fields("2999-12-31");
    theirs[0].1 = own_csrf.clone();
    theirs[2].1 = "ook-van-mij".into();
    let sneaky = call(&state, "POST", "/admin/campagnes/nieuw", Some(&own), &[], &body(theirs)).await;
    assert_eq!(sneaky.status, StatusCode::FORBIDDEN);
    assert_eq!(state.store.find_campaign("ook-van-mij").unwrap(), None);
    let close_default = call(&state, "POST", "/admin/campagnes/default/sluiten", Some(&own), &[], &form(&[("csrf", &own_csrf)])).await;
    assert_eq!(close_default.status, StatusCode::NOT_FOUND, "another campaign is not there for this token");
    assert_eq!(state.store.campaign("default").unwrap().window(&today()), Window::Open);

    // Its own campaign: close and open change the window.
    let closed = call(&state, "POST", "/admin/campagnes/twente-2027/sluiten", Some(&own), &[], &form(&[("csrf", &own_csrf)])).await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    assert_eq!(closed.header("location"), "/admin/campagnes/twente-2027?gedaan=gesloten");
    assert!(matches!(state.store.campaign("twente-2027").unwrap().window(&today()), Window::Closed(_)));
    let shown = call(&state, "GET", closed.header("location"), Some(&own), &[], "").await;
    assert!(shown.body.contains("De campagne is gesloten.") && shown.body.contains("<dd id=\"stand\">Gesloten</dd>"), "{}", shown.body);
    let opened = call(&state, "POST", "/admin/campagnes/twente-2027/openen", Some(&own), &[], &form(&[("csrf", &own_csrf)])).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    assert_eq!(state.store.campaign("twente-2027").unwrap().window(&today()), Window::Open);

    // Its days: in order or refused at the field; a Dutch-typed day is read too.
    let backwards = call(
        &state,
        "POST",
        "/admin/campagnes/twente-2027/data",
        Some(&own),
        &[],
        &form(&[("csrf", &own_csrf), ("opens", "2999-01-01"), ("closes", "2998-12-31")]),
    )
    .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(backwards.body.contains("href=\"#closes\"") && backwards.body.contains("value=\"2998-12-31\""), "{}", backwards.body);
    assert_eq!(state.store.campaign("twente-2027").unwrap().opens_on.as_deref(), Some("2020-01-01"), "nothing saved");
    let later =
        call(&state, "POST", "/admin/campagnes/twente-2027/data", Some(&own), &[], &form(&[("csrf", &own_csrf), ("opens", "01-01-2999"), ("closes", "")]))
            .await;
    assert_eq!(later.status, StatusCode::SEE_OTHER, "{}", later.body);
    let campaign = state.store.campaign("twente-2027").unwrap();
    assert_eq!((campaign.opens_on.as_deref(), campaign.closes_at.as_deref()), (Some("2999-01-01"), None));
    assert_eq!(campaign.window(&today()), Window::NotYetOpen("2999-01-01".into()));
    let words = call(&state, "GET", "/admin/campagnes", Some(&admin), &[], "").await;
    assert!(words.body.contains("Nog niet open (opent op 01-01-2999)"), "{}", words.body);
    let admin_csrf = csrf(&call(&state, "GET", "/admin/campagnes/twente-2027", Some(&admin), &[], "").await.body);

    // A new token: shown once, the old token and its sessions end.
    let renewed = call(&state, "POST", "/admin/campagnes/twente-2027/beheercode", Some(&admin), &[], &form(&[("csrf", &admin_csrf)])).await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.body);
    let new_token = input_value(&renewed.body, "id=\"beheercode\"");
    assert_ne!(new_token, campaign_token);
    assert_eq!(call(&state, "GET", "/admin/campagnes", Some(&own), &[], "").await.status, StatusCode::SEE_OTHER, "the old session ended");
    let old = call(&state, "POST", "/admin/login", None, &[], &form(&[("token", &campaign_token)])).await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    log_in(&state, &new_token).await;
}

#[tokio::test]
async fn a_form_from_another_site_or_without_the_form_token_is_refused() {
    let (state, _dir) = collector(64 * 1024);
    let admin = log_in(&state, TOKEN).await;
    let page = call(&state, "GET", "/admin/campagnes/default", Some(&admin), &[], "").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let token = csrf(&page.body);
    let close = form(&[("csrf", &token)]);
    let evil = [("origin", "https://evil.example")];
    let cross = call(&state, "POST", "/admin/campagnes/default/sluiten", Some(&admin), &evil, &close).await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
    let fetch = [("sec-fetch-site", "cross-site")];
    assert_eq!(call(&state, "POST", "/admin/campagnes/default/sluiten", Some(&admin), &fetch, &close).await.status, StatusCode::FORBIDDEN);
    let without = call(&state, "POST", "/admin/campagnes/default/sluiten", Some(&admin), &[], &form(&[("csrf", "0123")])).await;
    assert_eq!(without.status, StatusCode::FORBIDDEN);
    let create = form(&[("csrf", ""), ("name", "X"), ("slug", "x"), ("base_url", "https://x.example/vertel")]);
    assert_eq!(call(&state, "POST", "/admin/campagnes/nieuw", Some(&admin), &evil, &create).await.status, StatusCode::FORBIDDEN);
    assert_eq!(call(&state, "POST", "/admin/campagnes/nieuw", None, &[], &create).await.status, StatusCode::SEE_OTHER, "no session: log in");
    assert_eq!(state.store.campaign("default").unwrap().window(&today()), Window::Open, "nothing changed");
    assert_eq!(state.store.find_campaign("x").unwrap(), None);
    // Our own form goes through.
    let ours = call(&state, "POST", "/admin/campagnes/default/sluiten", Some(&admin), &[], &close).await;
    assert_eq!(ours.status, StatusCode::SEE_OTHER);
    assert!(matches!(state.store.campaign("default").unwrap().window(&today()), Window::Closed(_)));
}

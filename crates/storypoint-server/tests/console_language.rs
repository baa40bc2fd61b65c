//! The console in English, in-process: the browser's `Accept-Language` or the coordinator's
//! choice (the link in the header, a cookie for `/admin` only) decides the words and
//! `<html lang>`, from the login page to the campaign and links pages and their problems,
//! and the work session (the insight pages, the stories behind a bar, observations, the
//! report and "Patronen die opvallen"), the questionnaire's words from the widget's English;
//! the way back after switching stays on our own pages; tellers never get a cookie, the
//! language cookie or not.
mod in_process;

use axum::http::{HeaderMap, StatusCode};
use in_process::*;
use storypoint_server::state::AppState;
use storypoint_server::store::{DEFAULT_CAMPAIGN, NewLink};

/// A page asked for with `headers` (plus the Host): status, headers and the page as text.
async fn get(state: &AppState, path: &str, headers: &[(&str, &str)]) -> (StatusCode, HeaderMap, String) {
    let mut all = vec![HOST];
    all.extend_from_slice(headers);
    let (status, headers, body) = call(state, "GET", path, &all, b"").await;
    (status, headers, String::from_utf8(body).unwrap().replace("&#39;", "'"))
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// Logs in with the collector's token (`lang`: the language cookie the browser also sends):
/// the cookies to send afterwards.
async fn log_in(state: &AppState, lang: &str) -> String {
    let language = format!("storypoint_taal={lang}");
    let posted = [FORM, HOST, OURS, ("Cookie", language.as_str())];
    let (status, headers, _) = call(state, "POST", "/admin/login", &posted, &form(&[("token", TOKEN), ("terug", "/admin")])).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    format!("{}; {language}", header(&headers, "set-cookie").split(';').next().unwrap())
}

const ENGLISH_BROWSER: (&str, &str) = ("Accept-Language", "en-US,en;q=0.9");
const DUTCH_BROWSER: (&str, &str) = ("Accept-Language", "nl-NL,nl;q=0.9,en-US;q=0.8");

#[tokio::test]
async fn the_login_page_speaks_the_browsers_language_until_the_coordinator_chooses() {
    let (state, _dir) = collector(64 * 1024);
    // No language asked for: Dutch, with the way to English in the header.
    let (status, _, page) = get(&state, "/admin/login?terug=%2Fadmin%2Flinks", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.starts_with("<!DOCTYPE html><html lang=\"nl\">") && page.contains("<title>Inloggen — Storypoint</title>"), "{page}");
    let switch = "<a href=\"/admin/taal?kies=en&amp;terug=%2Fadmin%2Flogin%3Fterug%3D%252Fadmin%252Flinks\" lang=\"en\" hreflang=\"en\">English</a>";
    assert!(page.contains(switch), "{page}");

    // An English browser: the page in English, and the way back to Dutch.
    let (_, headers, page) = get(&state, "/admin/login", &[ENGLISH_BROWSER]).await;
    assert!(page.starts_with("<!DOCTYPE html><html lang=\"en\">") && page.contains("<title>Log in — Storypoint</title>"), "{page}");
    assert!(page.contains("<label for=\"token\">Admin code</label>") && page.contains(">Log in</button>"), "{page}");
    assert!(page.contains("lang=\"nl\" hreflang=\"nl\">Nederlands</a>"), "{page}");
    for dutch in ["Inloggen", "Beheercode", "Uitloggen", "Naar de inhoud"] {
        assert!(!page.contains(dutch), "no Dutch left: {dutch} in {page}");
    }
    assert!(headers.get("set-cookie").is_none(), "reading a page sets no cookie");

    // The coordinator's choice beats the browser, both ways.
    let (_, _, page) = get(&state, "/admin/login", &[DUTCH_BROWSER, ("Cookie", "storypoint_taal=en")]).await;
    assert!(page.contains("<html lang=\"en\">") && page.contains("<title>Log in — Storypoint</title>"), "{page}");
    let (_, _, page) = get(&state, "/admin/login", &[ENGLISH_BROWSER, ("Cookie", "storypoint_taal=nl")]).await;
    assert!(page.contains("<html lang=\"nl\">") && page.contains("<title>Inloggen — Storypoint</title>"), "{page}");

    // A wrong token is said in English too.
    let posted = [FORM, HOST, OURS, ENGLISH_BROWSER];
    let (status, _, page) = call(&state, "POST", "/admin/login", &posted, &form(&[("token", "not-the-token-at-all-0000")])).await;
    let page = String::from_utf8(page).unwrap();
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(page.contains("Logging in did not work") && page.contains("This admin code is not right."), "{page}");
    assert!(!page.contains("/admin/taal"), "no switch on the answer to a form (what was typed would be lost): {page}");
}

#[tokio::test]
async fn switching_keeps_the_choice_for_the_console_only_and_goes_back_only_to_our_pages() {
    let (state, _dir) = collector(64 * 1024);
    let (status, headers, _) = get(&state, "/admin/taal?kies=en&terug=%2Fadmin%2Flinks%3Fcampaign%3Ddefault", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(header(&headers, "location"), "/admin/links?campaign=default");
    let set = header(&headers, "set-cookie");
    assert!(set.starts_with("storypoint_taal=en; "), "{set}");
    for part in ["; Path=/admin;", "SameSite=Strict", "Max-Age=31536000", "HttpOnly"] {
        assert!(set.contains(part), "{part} in {set}");
    }
    assert!(!set.contains("Path=/;") && !set.contains("Secure"), "for the console only; plain HTTP here: {set}");
    assert_eq!(header(&headers, "cache-control"), "no-store");

    // Back only to a coordinators' page of ours.
    for away in ["https%3A%2F%2Fevil.example", "%2F%2Fevil.example%2Fadmin", "%2Fvertel", "%2Fadministrator", ""] {
        let (status, headers, _) = get(&state, &format!("/admin/taal?kies=nl&terug={away}"), &[]).await;
        assert_eq!((status, header(&headers, "location")), (StatusCode::SEE_OTHER, "/admin"), "terug={away}");
        assert!(header(&headers, "set-cookie").starts_with("storypoint_taal=nl; "));
    }
    // A language the console does not speak changes nothing.
    let (status, headers, _) = get(&state, "/admin/taal?kies=de&terug=%2Fadmin", &[]).await;
    assert_eq!((status, headers.get("set-cookie")), (StatusCode::SEE_OTHER, None));
}

#[tokio::test]
async fn a_coordinator_in_english_reads_every_console_page_and_its_problems_in_english() {
    let (state, _dir) = collector(64 * 1024);
    let cookies = log_in(&state, "en").await;
    let session = [("Cookie", cookies.as_str())];

    let (_, _, page) = get(&state, "/admin", &session).await;
    assert!(page.contains("<html lang=\"en\">") && page.contains("<h1>Story point: how many stories come in?</h1>"), "{page}");
    assert!(page.contains("0 stories in total, 0 of them without an organisation link."), "{page}");
    // The answers in the words of the widget's English questionnaire.
    assert!(page.contains("No stories yet from: Child (under 12),") && page.contains("<td>Under 12</td>"), "{page}");
    assert!(page.contains("<td>not answered</td>") && !page.contains("niet ingevuld"), "{page}");
    assert!(page.contains("<a href=\"/admin/taal?kies=nl&amp;terug=%2Fadmin\" lang=\"nl\" hreflang=\"nl\">Nederlands</a>"), "{page}");

    let (_, _, page) = get(&state, "/admin/campagnes", &session).await;
    assert!(page.contains("<title>Campaigns — Storypoint</title>") && page.contains("This server's own story point"), "{page}");
    assert!(page.contains("<dt>Status</dt><dd>Open</dd>"), "{page}");
    let (_, _, page) = get(&state, "/admin/campagnes/nieuw", &session).await;
    assert!(page.contains("Short name for the link") && page.contains("Helped…"), "the prompts in the widget's English: {page}");
    let csrf = page.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();

    // A refused form: its problems in English, at their fields (the rules run off the async
    // threads: the language goes along).
    let wrong = form(&[("csrf", &csrf), ("name", ""), ("slug", "Twente 2027"), ("prompts", "geholpen"), ("base_url", "http://localhost/vertel")]);
    let (status, _, page) = call(&state, "POST", "/admin/campagnes/nieuw", &[FORM, HOST, OURS, session[0]], wrong.as_slice()).await;
    let page = String::from_utf8(page).unwrap();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("<title>Error: New campaign — Storypoint</title>") && page.contains("Something is not filled in correctly"), "{page}");
    assert!(page.contains("Fill in a name, for example: Vertelpunt Twente 2027."), "{page}");
    assert!(page.contains("This address only works on the server itself."), "{page}");

    // The organisation table with a wrong age: the problem at its line, in English.
    let (_, _, page) = get(&state, "/admin/links", &session).await;
    assert!(page.contains("<h1>Organisations and links</h1>") && page.contains("There are no links yet."), "{page}");
    let boundary = "----language-test";
    let table = "organisatie;type;leeftijd\nDe Esch;school;tieners\n";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"bestand\"; \
         filename=\"organisaties.csv\"\r\nContent-Type: text/csv\r\n\r\n{table}\r\n--{boundary}--\r\n"
    );
    let kind = format!("multipart/form-data; boundary={boundary}");
    let (status, _, page) = call(&state, "POST", "/admin/links", &[HOST, OURS, session[0], ("Content-Type", kind.as_str())], body.as_bytes()).await;
    let page = String::from_utf8(page).unwrap().replace("&#39;", "'");
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("There is 1 problem in the table") && page.contains("href=\"#probleem-0\">Line 2</a>"), "{page}");
    assert!(page.contains("The age group 'tieners' is not a word we know. Use one of these words: 0-12, 12-18, beide, onbekend."), "{page}");

    // A right table: the preview says what happens, the answers in the questionnaire's English.
    let body = body.replace("De Esch;school;tieners", "De Esch;wijkteam;0-12");
    let (status, _, page) = call(&state, "POST", "/admin/links", &[HOST, OURS, session[0], ("Content-Type", kind.as_str())], body.as_bytes()).await;
    let page = String::from_utf8(page).unwrap();
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("The table is right. 1 new, 0 updated, 0 unchanged. Nothing has been imported yet."), "{page}");
    for cell in ["<td data-label=\"Type\">Neighbourhood team</td>", "<td data-label=\"Age\">Under 12</td>", "<strong class=\"status nieuw\">new</strong>"] {
        assert!(page.contains(cell), "{cell} in {page}");
    }
    // The links table too.
    let link = NewLink { organisation: "Jeugdhulp Oost".into(), contact: None, prefill: vec![("age_group".into(), "12_to_18".into())] };
    state.store.import_links(DEFAULT_CAMPAIGN, &[link]).unwrap();
    let (_, _, page) = get(&state, "/admin/links", &session).await;
    assert!(page.contains("<caption>1 link</caption>") && page.contains("<td data-label=\"Age\">12 to 18</td>"), "{page}");
    assert!(page.contains("aria-label=\"Copy the link of Jeugdhulp Oost\"") && page.contains("data-gekopieerd=\"Copied.\""), "{page}");

    // A form from elsewhere: the refusal in English.
    let (status, _, page) = call(&state, "POST", "/admin/logout", &[FORM, HOST, OURS, session[0]], &form(&[("csrf", "guessed")])).await;
    let page = String::from_utf8(page).unwrap();
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("<html lang=\"en\">") && page.contains("<h1>We cannot accept this form</h1>"), "{page}");

    // The insight pages too, with the way back to Dutch.
    let (_, _, page) = get(&state, "/admin/inzicht", &session).await;
    assert!(page.contains("<html lang=\"en\">") && page.contains("<h1>Patterns in the stories</h1>"), "{page}");
    assert!(page.contains("/admin/taal?kies=nl&amp;terug=%2Fadmin%2Finzicht"), "{page}");

    // Dutch again, by the header's link.
    let (_, headers, _) = get(&state, "/admin/taal?kies=nl&terug=%2Fadmin", &session).await;
    let dutch = format!("{}; {}", cookies.split("; ").next().unwrap(), header(&headers, "set-cookie").split(';').next().unwrap());
    let (_, _, page) = get(&state, "/admin", &[("Cookie", dutch.as_str())]).await;
    assert!(page.contains("<html lang=\"nl\">") && page.contains("0 verhalen in totaal, waarvan 0 zonder organisatielink."), "{page}");
}

/// 60 stories: 30 parents who felt little seen and heard, 30 children who felt much more.
async fn tell_stories(state: &AppState) {
    for i in 0..60 {
        let (perspective, seen_heard, emotion) = if i % 2 == 0 { ("parent", 10 + i % 7, "angry") } else { ("child", 80 + i % 9, "happy") };
        let story = serde_json::json!({"questionnaire": "vertelpunt-jeugdhulp", "version": 1, "lang": "nl",
            "submission_id": storypoint_core::SubmissionId::from_random_bytes(rand::random()).to_hyphenated(),
            "answers": {"prompt": "geholpen", "story": format!("Verhaal {i}: er werd naar ons geluisterd."), "perspective": perspective,
                "seen_heard": seen_heard, "emotion": emotion}});
        let (status, _, _) = call(state, "POST", "/api/v1/stories", &[("Content-Type", "application/json")], story.to_string().as_bytes()).await;
        assert_eq!(status, StatusCode::CREATED);
    }
}

/// The first value of `name="…" value="…"` on a page.
fn value_of(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    page.split(&marker).nth(1).unwrap_or_else(|| panic!("no {name} in {page}")).split('"').next().unwrap().to_string()
}

/// Walks the work session in `lang`: every page's `<html lang>`, its heading, and none of
/// the other language's headings.
async fn work_session(lang: &str, headings: &[&str; 9], others: &[&str; 9]) {
    let (state, _dir) = collector(64 * 1024);
    tell_stories(&state).await;
    let cookies = log_in(&state, lang).await;
    let session = [("Cookie", cookies.as_str())];
    let html = format!("<html lang=\"{lang}\">");
    let check = |what: &str, page: &str, at: usize| {
        assert!(page.contains(&html), "{what}: {page}");
        assert!(page.contains(headings[at]), "{what}: {} in {page}", headings[at]);
        assert!(!page.contains(others[at]), "{what}: not {} in {page}", others[at]);
    };

    // A chart: one question per group, its bars leading to the stories.
    let (status, _, page) = get(&state, "/admin/inzicht?question=emotion&by=perspective", &session).await;
    assert_eq!(status, StatusCode::OK);
    check("the chart", &page, 0);
    check("the chart's table", &page, 1);
    let stories = page
        .split("href=\"/admin/inzicht?")
        .map(|rest| rest.split('"').next().unwrap())
        .find(|query| query.contains("view=stories"))
        .expect("a bar with stories");
    let stories = format!("/admin/inzicht?{}", stories.replace("&amp;", "&"));

    // The stories behind a bar, with the form that marks one typical.
    let (status, _, page) = get(&state, &stories, &session).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    check("the stories", &page, 2);
    let (csrf, story) = (value_of(&page, "csrf"), value_of(&page, "verhaal"));
    let mark = form(&[("csrf", &csrf), ("verhaal", &story), ("typerend", "ja"), ("terug", &stories)]);
    let (status, _, _) = call(&state, "POST", "/admin/inzicht/typerend", &[FORM, HOST, OURS, session[0]], &mark).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // An observation refused (one interpretation), then saved.
    let view = stories.trim_start_matches("/admin/inzicht?").to_string();
    let one = form(&[("csrf", &csrf), ("weergave", &view), ("observatie", "Ouders zijn vaker boos."), ("betekenis", "Wachten")]);
    let (status, _, page) = call(&state, "POST", "/admin/inzicht/observaties", &[FORM, HOST, OURS, session[0]], &one).await;
    let page = String::from_utf8(page).unwrap();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    check("the refused observation", &page, 3);
    let two = form(&[
        ("csrf", &csrf),
        ("weergave", &view),
        ("observatie", "Ouders zijn vaker boos."),
        ("betekenis", "Wachten"),
        ("betekenis", "Niet gehoord"),
        ("verhaal", &story),
    ]);
    let (status, _, _) = call(&state, "POST", "/admin/inzicht/observaties", &[FORM, HOST, OURS, session[0]], &two).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // The observations, the report (page and PDF) and the patterns that stand out.
    let (_, _, page) = get(&state, "/admin/inzicht/observaties?bewaard=1", &session).await;
    check("the observations", &page, 4);
    let (_, _, page) = get(&state, "/admin/inzicht/werksessie", &session).await;
    check("the report", &page, 5);
    check("the report's typical story", &page, 6);
    let (status, headers, pdf) = call(&state, "GET", "/admin/inzicht/werksessie.pdf", &[HOST, session[0]], b"").await;
    assert_eq!((status, header(&headers, "content-type")), (StatusCode::OK, "application/pdf"));
    assert!(String::from_utf8_lossy(&pdf).contains(&format!("/Lang ({lang})")), "the PDF says its language");
    let (_, _, page) = get(&state, "/admin/inzicht/patronen", &session).await;
    check("the patterns that stand out", &page, 7);
    check("a finding", &page, 8);
}

#[tokio::test]
async fn the_work_session_speaks_english_with_the_cookie_and_stays_dutch_without() {
    let english = [
        "<h2 id=\"result\">What did you feel in this story? — per group</h2>",
        "<th scope=\"col\">Answer</th>",
        "<h2 id=\"result\">Stories for “",
        "<h2 id=\"fouten-titel\">The observation has not been saved yet</h2>",
        "<h1>Observations for the work session</h1>",
        "<h1 id=\"rapport-titel\">Work session: what we saw</h1>",
        "About the teller: </strong>",
        "<h1>Patterns that stand out</h1>",
        "Those who chose ‘Parent, carer or family’ for ‘I am telling this as’",
    ];
    let dutch = [
        "<h2 id=\"result\">Wat voelde je in dit verhaal? — per groep</h2>",
        "<th scope=\"col\">Antwoord</th>",
        "<h2 id=\"result\">Verhalen bij “",
        "<h2 id=\"fouten-titel\">De observatie is nog niet bewaard</h2>",
        "<h1>Observaties voor de werksessie</h1>",
        "<h1 id=\"rapport-titel\">Werksessie: wat we zagen</h1>",
        "Over de verteller: </strong>",
        "<h1>Patronen die opvallen</h1>",
        "Wie bij ‘Ik vertel dit als’ ‘Ouder, verzorger of familie’ koos",
    ];
    work_session("en", &english, &dutch).await;
    work_session("nl", &dutch, &english).await;
}

#[tokio::test]
async fn tellers_get_no_cookie_even_with_the_language_cookie() {
    let (state, _dir) = collector(64 * 1024);
    let sends = [ENGLISH_BROWSER, ("Cookie", "storypoint_taal=en")];
    for path in ["/", "/vertel", "/api/v1/questionnaire", "/api/v1/campaign"] {
        let (status, headers, page) = get(&state, path, &sends).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(headers.get("set-cookie").is_none(), "{path}: no cookie for tellers");
        if path == "/vertel" {
            assert!(page.contains("<html lang=\"nl\">") && !page.contains("/admin/taal"), "the teller's page is not the console's: {page}");
        }
    }
    let story = serde_json::json!({"questionnaire": "vertelpunt-jeugdhulp", "version": 1, "lang": "nl",
        "submission_id": storypoint_core::SubmissionId::from_random_bytes(rand::random()).to_hyphenated(),
        "answers": {"prompt": "geholpen", "story": "De juf luisterde echt naar me.", "perspective": "child", "seen_heard": 80, "emotion": "happy"}});
    let posted = [("Content-Type", "application/json"), sends[0], sends[1]];
    let (status, headers, _) = call(&state, "POST", "/api/v1/stories", &posted, story.to_string().as_bytes()).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(headers.get("set-cookie").is_none(), "a story gets no cookie");
}

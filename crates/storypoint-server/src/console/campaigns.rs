//! Campaigns in the console (`/admin/campagnes`): list them, make one (the collector's token
//! only), open, close, change its days, and replace its admin token. A campaign's own token
//! sees and changes only its own campaign (another one is a 404) and never makes one (403).
//! The rules are [`crate::campaigns`], the same the command line calls; nothing is saved
//! until every field is right, and a refused form comes back with the values typed and the
//! problems at their fields (422). Every change is a POST with the session's form token.
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use storypoint_core::{Lang, QuestionKind};

use crate::access::{Access, page_reply};
use crate::campaigns::{CampaignError, Draft};
use crate::error::ApiError;
use crate::pages::campaigns::{self as pages, DaysForm, Listed, PromptChoice};
use crate::state::AppState;
use crate::store::Campaign;
use crate::words::t;

/// The console's campaign routes (merged into the admin router).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/campagnes", get(list))
        .route("/admin/campagnes/nieuw", get(new_form).post(create))
        .route("/admin/campagnes/{slug}", get(detail))
        .route("/admin/campagnes/{slug}/data", post(change_days))
        .route("/admin/campagnes/{slug}/openen", post(open))
        .route("/admin/campagnes/{slug}/sluiten", post(close))
        .route("/admin/campagnes/{slug}/beheercode", post(new_token))
        .route("/admin/kopieer.js", get(copy_script))
}

/// The largest form accepted, in bytes.
const MAX_FORM_BYTES: usize = 16 * 1024;

/// The copy button of the page that shows a token once (the only script of the
/// coordinators' pages). Without it the button stays hidden and the code can be selected.
/// Its words come from the button (`data-gekopieerd`, `data-mislukt`), in the page's language.
const COPY_JS: &str = r#"// Kopieer-knop: de knop verschijnt alleen als dit script draait; de woorden staan op de knop.
for (const button of document.querySelectorAll("button[data-kopieer]")) {
  const field = document.getElementById(button.dataset.kopieer);
  const status = document.getElementById(button.dataset.kopieer + "-status");
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = button.dataset.gekopieerd;
    } catch {
      field.select();
      const copied = document.execCommand && document.execCommand("copy");
      status.textContent = copied ? button.dataset.gekopieerd : button.dataset.mislukt;
    }
  });
}
"#;

/// The token page's Content-Security-Policy: [`crate::access::PAGE_CSP`] plus our own
/// scripts. Only this page needs one (the copy button, `/admin/kopieer.js`, same origin,
/// no inline script); every other coordinators' page keeps `PAGE_CSP`, which allows none.
const TOKEN_PAGE_CSP: &str =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// `GET /admin/kopieer.js`.
async fn copy_script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], COPY_JS).into_response()
}

/// Runs blocking storage work off the async threads, in the request's language.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, ApiError> + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(crate::words::carried(work)).await.unwrap_or(Err(ApiError::Internal))
}

/// What a coordinator gets when something cannot be done: to the login page without a
/// session (coming back to `back`), a page in their words for 403 and 404, the API's reply
/// otherwise.
fn refusal(error: ApiError, back: &str) -> Response {
    match error {
        ApiError::Unauthorized => crate::access::login_page(back),
        ApiError::Forbidden => page_reply(StatusCode::FORBIDDEN, pages::refused(t("campaigns.refused.forbidden_title"), t("campaigns.refused.forbidden_text"))),
        ApiError::NotFound(_) => {
            page_reply(StatusCode::NOT_FOUND, pages::refused(t("campaigns.refused.not_found_title"), t("campaigns.refused.not_found_text")))
        }
        other => other.into_response(),
    }
}

/// A posted form: its fields in order, after checking it came from our own page in the
/// session (its form token); the reply to give instead otherwise.
async fn posted(state: &AppState, request: axum::extract::Request, back: &str) -> Result<(Access, Vec<(String, String)>), Response> {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES).await.map_err(|_| ApiError::TooLarge(MAX_FORM_BYTES).into_response())?;
    let fields: Vec<(String, String)> = form_urlencoded::parse(&bytes).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let csrf = value(&fields, "csrf").to_string();
    let state = state.clone();
    let headers = parts.headers;
    let access = blocking(move || crate::access::form_access(&state, &headers, &csrf)).await.map_err(|error| refusal(error, back))?;
    Ok((access, fields))
}

/// A form field's value (empty when it was not sent).
fn value<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(key, _)| key == name).map_or("", |(_, value)| value.as_str())
}

/// A day as typed: `2027-06-30` (what a date field sends) as it is, and `30-06-2027` (typed
/// where a browser shows a plain text field) as `2027-06-30`; anything else as typed, for the
/// rules to refuse.
fn typed_day(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let parts: Vec<&str> = text.split(['-', '/', '.']).collect();
    let digits = |part: &str, most: usize| !part.is_empty() && part.len() <= most && part.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [d, m, y] if digits(d, 2) && digits(m, 2) && y.len() == 4 && digits(y, 4) => Some(format!("{y}-{m:0>2}-{d:0>2}")),
        _ => Some(text.to_string()),
    }
}

/// The prompts of the questionnaire served, in the coordinator's language (the widget's
/// translation of the questionnaire, `translations/{code}.json`; Dutch where it has none).
fn prompt_choices(state: &AppState) -> Vec<PromptChoice> {
    let lang = Lang::parse(crate::words::language().code()).unwrap_or(Lang::NL);
    let translated;
    let questionnaire = match storypoint_core::shipped(lang).filter(|_| lang != Lang::NL) {
        Some(translation) => {
            let mut questionnaire = state.history.current().clone();
            questionnaire.translate(translation);
            translated = questionnaire;
            &translated
        }
        None => state.history.current(),
    };
    match questionnaire.question(storypoint_core::contract::PROMPT).map(|q| &q.kind) {
        Some(QuestionKind::PromptChoice { prompts }) => {
            prompts.iter().map(|p| PromptChoice { value: p.value.clone(), title: p.title.get(lang).to_string(), text: p.text.get(lang).to_string() }).collect()
        }
        _ => Vec::new(),
    }
}

/// The campaign `slug` if `access` may see it (a campaign's token: only its own), else 404.
fn visible(state: &AppState, access: &Access, slug: &str) -> Result<Campaign, ApiError> {
    const NONE: ApiError = ApiError::NotFound("no such campaign");
    if access.campaign().is_some_and(|own| own != slug) || !Campaign::is_slug(slug) {
        return Err(NONE);
    }
    state.store.find_campaign(slug)?.ok_or(NONE)
}

/// `GET /admin/campagnes`: the campaigns this token sees.
async fn list(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let access = match crate::access::signed_in(&state, &headers, "/admin/campagnes").await {
        Ok(access) => access,
        Err(reply) => return reply,
    };
    let shown = blocking(move || {
        let mut listed = Vec::new();
        for campaign in state.store.campaigns()? {
            if access.campaign().is_none_or(|own| own == campaign.slug) {
                let stories = state.store.counts(Some(&campaign.slug))?.total;
                listed.push(Listed { campaign, stories });
            }
        }
        Ok(pages::list(&listed, access == Access::All, &crate::campaigns::today()))
    })
    .await;
    match shown {
        Ok(page) => page_reply(StatusCode::OK, page),
        Err(error) => refusal(error, "/admin/campagnes"),
    }
}

/// `GET /admin/campagnes/nieuw`: the form, all prompts ticked (the collector's token only).
async fn new_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let back = "/admin/campagnes/nieuw";
    match crate::access::signed_in(&state, &headers, back).await {
        Ok(Access::All) => {}
        Ok(Access::Campaign(_)) => return refusal(ApiError::Forbidden, back),
        Err(reply) => return reply,
    }
    let Some(csrf) = crate::access::csrf_of(&state, &headers) else { return crate::access::login_page(back) };
    page_reply(StatusCode::OK, pages::new_form(&Draft::default(), &[], &prompt_choices(&state), &csrf))
}

/// `POST /admin/campagnes/nieuw`: makes the campaign and shows its token once (201), or the
/// form again with every problem at its field (422) and nothing saved.
async fn create(State(state): State<AppState>, headers: HeaderMap, request: axum::extract::Request) -> Response {
    let back = "/admin/campagnes/nieuw";
    let (access, fields) = match posted(&state, request, back).await {
        Ok(posted) => posted,
        Err(reply) => return reply,
    };
    if access != Access::All {
        return refusal(ApiError::Forbidden, back);
    }
    let choices = prompt_choices(&state);
    let ticked: Vec<String> = fields.iter().filter(|(key, _)| key == "prompts").map(|(_, v)| v.clone()).collect();
    // Every prompt ticked is "all of them" (also those a later version adds).
    let all = !choices.is_empty() && choices.iter().all(|c| ticked.contains(&c.value)) && ticked.len() == choices.len();
    let optional = |name: &str| Some(value(&fields, name).trim().to_string()).filter(|v| !v.is_empty());
    let draft = Draft {
        slug: value(&fields, "slug").trim().to_string(),
        name: value(&fields, "name").trim().to_string(),
        theme: optional("theme"),
        prompts: if all { None } else { Some(ticked) },
        opens_on: typed_day(value(&fields, "opens")),
        closes_at: typed_day(value(&fields, "closes")),
        base_url: optional("base_url"),
    };
    let csrf = crate::access::csrf_of(&state, &headers).unwrap_or_default();
    let shared = state.clone();
    let kept = draft.clone();
    let made = blocking(move || match crate::campaigns::create(shared.store.as_ref(), shared.history.current(), &kept, true) {
        Ok(made) => Ok(Ok(made)),
        Err(CampaignError::Problems(problems)) => Ok(Err(problems)),
        Err(CampaignError::Store(error)) => Err(ApiError::from(error)),
    })
    .await;
    match made {
        Ok(Ok(made)) => token_reply(StatusCode::CREATED, pages::token_shown(&made.campaign, &made.token, true)),
        Ok(Err(problems)) => page_reply(StatusCode::UNPROCESSABLE_ENTITY, pages::new_form(&draft, &problems, &choices, &csrf)),
        Err(error) => refusal(error, back),
    }
}

/// The page that shows a token once: its own CSP, which lets the copy button's script run.
fn token_reply(status: StatusCode, page: maud::Markup) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CONTENT_SECURITY_POLICY, TOKEN_PAGE_CSP)], page.into_string()).into_response()
}

/// What the page of a campaign says was just done (`?gedaan=`).
fn notice(query: &axum::extract::RawQuery) -> Option<&'static str> {
    let done = form_urlencoded::parse(query.0.as_deref()?.as_bytes()).find(|(key, _)| key == "gedaan")?.1;
    match done.as_ref() {
        "gesloten" => Some(t("campaigns.done.closed")),
        "geopend" => Some(t("campaigns.done.opened")),
        "data" => Some(t("campaigns.done.days")),
        _ => None,
    }
}

/// `GET /admin/campagnes/{slug}`: the campaign's page.
async fn detail(State(state): State<AppState>, Path(slug): Path<String>, headers: HeaderMap, query: axum::extract::RawQuery) -> Response {
    let back = format!("/admin/campagnes/{}", if Campaign::is_slug(&slug) { slug.as_str() } else { "" });
    let access = match crate::access::signed_in(&state, &headers, &back).await {
        Ok(access) => access,
        Err(reply) => return reply,
    };
    let Some(csrf) = crate::access::csrf_of(&state, &headers) else { return crate::access::login_page(&back) };
    let notice = notice(&query);
    let shown = blocking(move || {
        let campaign = visible(&state, &access, &slug)?;
        let stories = state.store.counts(Some(&campaign.slug))?.total;
        let (opens, closes) = (campaign.opens_on.clone().unwrap_or_default(), campaign.closes_at.clone().unwrap_or_default());
        let days = DaysForm { opens: &opens, closes: &closes, problems: &[] };
        Ok(pages::detail(&campaign, stories, &crate::campaigns::today(), &csrf, &days, notice))
    })
    .await;
    match shown {
        Ok(page) => page_reply(StatusCode::OK, page),
        Err(error) => refusal(error, &back),
    }
}

/// Back to the campaign's page, saying what was done.
fn done(slug: &str, what: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/admin/campagnes/{slug}?gedaan={what}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// A change to one campaign (open, close, days, token): the form checked, the campaign
/// visible to the token, then `change` off the async threads.
async fn change<T: Send + 'static>(
    state: AppState,
    slug: String,
    request: axum::extract::Request,
    change: impl FnOnce(&AppState, &mut Campaign, &[(String, String)]) -> Result<T, ApiError> + Send + 'static,
) -> Result<(Campaign, T), Response> {
    let back = format!("/admin/campagnes/{}", if Campaign::is_slug(&slug) { slug.as_str() } else { "" });
    let (access, fields) = posted(&state, request, &back).await?;
    blocking(move || {
        let mut campaign = visible(&state, &access, &slug)?;
        let outcome = change(&state, &mut campaign, &fields)?;
        Ok((campaign, outcome))
    })
    .await
    .map_err(|error| refusal(error, &back))
}

/// A store error in a change, as the API says it.
fn stored(result: Result<(), CampaignError>) -> Result<Result<(), Vec<crate::campaigns::Problem>>, ApiError> {
    match result {
        Ok(()) => Ok(Ok(())),
        Err(CampaignError::Problems(problems)) => Ok(Err(problems)),
        Err(CampaignError::Store(error)) => Err(error.into()),
    }
}

/// `POST /admin/campagnes/{slug}/sluiten`: closes it today.
async fn close(State(state): State<AppState>, Path(slug): Path<String>, request: axum::extract::Request) -> Response {
    let changed = change(state, slug, request, |state, campaign, _| {
        stored(crate::campaigns::close(state.store.as_ref(), campaign, &crate::campaigns::today())).map(|_| ())
    })
    .await;
    match changed {
        Ok((campaign, ())) => done(&campaign.slug, "gesloten"),
        Err(reply) => reply,
    }
}

/// `POST /admin/campagnes/{slug}/openen`: opens it again (its days still count).
async fn open(State(state): State<AppState>, Path(slug): Path<String>, headers: HeaderMap, request: axum::extract::Request) -> Response {
    let csrf = crate::access::csrf_of(&state, &headers);
    let changed = change(state, slug, request, |state, campaign, _| stored(crate::campaigns::open(state.store.as_ref(), campaign, None))).await;
    match changed {
        Ok((campaign, Ok(()))) => done(&campaign.slug, "geopend"),
        // Its days were checked when they were set; should they be wrong, say it at them.
        Ok((campaign, Err(problems))) => days_refused(&campaign, &problems, csrf.as_deref()),
        Err(reply) => reply,
    }
}

/// `POST /admin/campagnes/{slug}/data`: new first and last days, both checked (422 with the
/// problems at the fields, nothing saved).
async fn change_days(State(state): State<AppState>, Path(slug): Path<String>, headers: HeaderMap, request: axum::extract::Request) -> Response {
    let csrf = crate::access::csrf_of(&state, &headers).unwrap_or_default();
    let changed = change(state, slug, request, |state, campaign, fields| {
        let (opens, closes) = (typed_day(value(fields, "opens")), typed_day(value(fields, "closes")));
        let result = stored(crate::campaigns::change_days(state.store.as_ref(), campaign, opens.as_deref(), closes.as_deref()))?;
        let stories = state.store.counts(Some(&campaign.slug))?.total;
        Ok((result, opens.unwrap_or_default(), closes.unwrap_or_default(), stories))
    })
    .await;
    match changed {
        Ok((campaign, (Ok(()), ..))) => done(&campaign.slug, "data"),
        Ok((campaign, (Err(problems), opens, closes, stories))) => {
            let days = DaysForm { opens: &opens, closes: &closes, problems: &problems };
            page_reply(StatusCode::UNPROCESSABLE_ENTITY, pages::detail(&campaign, stories, &crate::campaigns::today(), &csrf, &days, None))
        }
        Err(reply) => reply,
    }
}

/// A campaign's page with problems at its days (422).
fn days_refused(campaign: &Campaign, problems: &[crate::campaigns::Problem], csrf: Option<&str>) -> Response {
    let (opens, closes) = (campaign.opens_on.clone().unwrap_or_default(), campaign.closes_at.clone().unwrap_or_default());
    let days = DaysForm { opens: &opens, closes: &closes, problems };
    page_reply(StatusCode::UNPROCESSABLE_ENTITY, pages::detail(campaign, 0, &crate::campaigns::today(), csrf.unwrap_or(""), &days, None))
}

/// `POST /admin/campagnes/{slug}/beheercode`: a new admin token for the campaign, shown
/// once; the old one and its sessions end.
async fn new_token(State(state): State<AppState>, Path(slug): Path<String>, request: axum::extract::Request) -> Response {
    let changed = change(state, slug, request, |state, campaign, _| {
        crate::campaigns::new_token(state.store.as_ref(), campaign).map_err(|error| match error {
            CampaignError::Store(error) => ApiError::from(error),
            CampaignError::Problems(_) => ApiError::Internal,
        })
    })
    .await;
    match changed {
        Ok((campaign, token)) => token_reply(StatusCode::OK, pages::token_shown(&campaign, &token, false)),
        Err(reply) => reply,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_typed_the_dutch_way_is_read_as_a_date() {
        assert_eq!(typed_day("2027-06-30").as_deref(), Some("2027-06-30"));
        assert_eq!(typed_day(" 1-3-2027 ").as_deref(), Some("2027-03-01"));
        assert_eq!(typed_day("30/06/2027").as_deref(), Some("2027-06-30"));
        assert_eq!(typed_day("morgen").as_deref(), Some("morgen"));
        assert_eq!(typed_day("  "), None);
    }
}

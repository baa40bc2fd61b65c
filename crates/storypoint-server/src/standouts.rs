//! "Patronen die opvallen": `/admin/inzicht/patronen` (a page that works without JavaScript)
//! and `GET /api/v1/patterns/standouts` (the same as JSON) — every pair of questions tested,
//! corrected for the number of tests, ranked by the size of the difference, each linked to
//! its view on `/admin/inzicht`.
//!
//! All testing and all suppression happen in `storypoint-insight` ([`standouts`],
//! [`pattern`]); this module only asks the stories' dataset ([`crate::facts`]) and hands the
//! result to the page ([`crate::pages::standouts`]) or writes it as JSON. The only filter is
//! the campaign (a campaign's token: always its own), as the insight crate's privacy argument
//! requires.
//!
//! The smallest group a test looks at is [`MIN_TEST_GROUP`] unless the collector was started
//! with `--min-test-group` (an [`axum::Extension`] of [`MinTestGroup`] on the router, see
//! [`with_min_test_group`]).
use axum::Router;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use storypoint_insight::{Finding, InsightError, MIN_TEST_GROUP, Standouts, TestRules, pattern, standouts};

use crate::access::{login_page, page_reply, who};
use crate::error::ApiError;
use crate::state::AppState;

/// The routes of this module (merged into the coordinators' routes in [`crate::app`]).
pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/inzicht/patronen", get(page)).route("/api/v1/patterns/standouts", get(api))
}

/// The smallest group of stories a test looks at (`storypoint serve --min-test-group`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MinTestGroup(u32);

impl MinTestGroup {
    /// `min` stories, which must be more than the insight pages' threshold `min_cell`.
    pub fn new(min: u32, min_cell: u32) -> Result<MinTestGroup, String> {
        let disclosure = storypoint_insight::Disclosure::new(min_cell).map_err(|e| e.to_string())?;
        TestRules::new(min, disclosure).map(|_| MinTestGroup(min)).map_err(|_| {
            format!("--min-test-group must be more than --min-cell ({min_cell}): a test never describes a group that small; {MIN_TEST_GROUP} is usual")
        })
    }
}

/// `router` with tests on groups of at least `min` stories.
pub fn with_min_test_group(router: Router, min: MinTestGroup) -> Router {
    router.layer(Extension(min))
}

/// What an address asks for: a campaign (admin only), and perhaps one pair of questions.
#[derive(Debug, Default, PartialEq, Eq)]
struct Asked {
    campaign: Option<String>,
    pair: Option<(String, String)>,
}

/// Reads `campaign`, `a` and `b` (both or neither); any other key is a mistake named.
fn asked(query: Option<&str>) -> Result<Asked, InsightError> {
    let mut asked = Asked::default();
    let (mut a, mut b) = (None, None);
    for (key, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        let value = value.trim().to_string();
        if value.is_empty() {
            continue;
        }
        match key.as_ref() {
            "campaign" => asked.campaign = Some(value),
            "a" => a = Some(value),
            "b" => b = Some(value),
            other => {
                return Err(InsightError::BadParameter {
                    field: other.to_string(),
                    message: "not a parameter of this view; use campaign, and a and b for one pair of questions".into(),
                });
            }
        }
    }
    asked.pair = match (a, b) {
        (Some(a), Some(b)) => Some((a, b)),
        (None, None) => None,
        (None, _) => return Err(InsightError::BadParameter { field: "a".into(), message: "choose a question to compare with b".into() }),
        (_, None) => return Err(InsightError::BadParameter { field: "b".into(), message: "choose a question to compare with a".into() }),
    };
    Ok(asked)
}

/// The overview, or one pair, as computed for a page or the API.
enum Outcome {
    Overview(Standouts),
    One(Box<Finding>),
}

/// What the campaign chooser offers besides the result.
struct Computed {
    outcome: Result<Outcome, InsightError>,
    campaigns: Vec<String>,
}

/// Runs the tests off the async threads. `scope`: a campaign's token sees only its campaign.
async fn compute(state: &AppState, asked: Asked, scope: Option<String>, min: u32) -> Result<Computed, ApiError> {
    let rules = TestRules::new(min, state.insight.disclosure).map_err(malformed)?;
    let state = state.clone();
    let campaign = scope.clone().or(asked.campaign);
    let work = move || {
        state.insight.with_data(state.store.as_ref(), |data| {
            let outcome = match &asked.pair {
                Some((a, b)) => pattern(data, campaign.as_deref(), a, b, rules).map(|f| Outcome::One(Box::new(f))),
                None => Ok(Outcome::Overview(standouts(data, campaign.as_deref(), rules))),
            };
            Computed { outcome, campaigns: data.campaigns_in(scope.as_deref()) }
        })
    };
    Ok(tokio::task::spawn_blocking(work).await.map_err(|_| ApiError::Internal)??)
}

fn malformed(error: InsightError) -> ApiError {
    let field = match &error {
        InsightError::BadParameter { field, .. } => Some(field.clone()),
        _ => None,
    };
    ApiError::Malformed { message: error.to_string(), field }
}

/// The smallest group tested: the collector's setting, or the default.
fn min_group(setting: Option<Extension<MinTestGroup>>) -> u32 {
    setting.map_or(MIN_TEST_GROUP, |Extension(MinTestGroup(min))| min)
}

/// `GET /api/v1/patterns/standouts?campaign=…` (admin; a campaign's token: its campaign): the
/// overview as JSON; with `a=…&b=…`, one pair of questions.
async fn api(State(state): State<AppState>, setting: Option<Extension<MinTestGroup>>, headers: HeaderMap, uri: Uri) -> Result<Response, ApiError> {
    let access = who(&state, headers).await?.ok_or(ApiError::LoginRequired)?;
    let asked = asked(uri.query()).map_err(malformed)?;
    let computed = compute(&state, asked, access.campaign().map(String::from), min_group(setting)).await?;
    Ok(match computed.outcome.map_err(malformed)? {
        Outcome::Overview(overview) => axum::Json(overview).into_response(),
        Outcome::One(finding) => axum::Json(finding).into_response(),
    })
}

/// `GET /admin/inzicht/patronen?campaign=…`: the overview as a page; the login page first
/// without a session.
async fn page(State(state): State<AppState>, setting: Option<Extension<MinTestGroup>>, headers: HeaderMap, uri: Uri) -> Response {
    let access = match who(&state, headers).await {
        Ok(Some(access)) => access,
        Ok(None) => {
            let back = uri.query().map_or_else(|| "/admin/inzicht/patronen".to_string(), |q| format!("/admin/inzicht/patronen?{q}"));
            return login_page(&back);
        }
        Err(error) => return error.into_response(),
    };
    let asked = match asked(uri.query()) {
        Ok(asked) if asked.pair.is_none() => asked,
        Ok(_) => return page_reply(StatusCode::BAD_REQUEST, crate::pages::insight::bad_address(crate::words::t("standouts.api_only"))),
        Err(error) => return page_reply(StatusCode::BAD_REQUEST, crate::pages::insight::bad_address(&error.to_string())),
    };
    let scope = access.campaign().map(String::from);
    let chosen = scope.clone().or(asked.campaign.clone());
    let computed = match compute(&state, asked, scope.clone(), min_group(setting)).await {
        Ok(computed) => computed,
        Err(error) => return error.into_response(),
    };
    match computed.outcome {
        Ok(Outcome::Overview(overview)) => {
            let campaigns = if scope.is_some() { Vec::new() } else { computed.campaigns };
            page_reply(StatusCode::OK, crate::pages::standouts::page(&overview, &campaigns, chosen.as_deref()))
        }
        Ok(Outcome::One(_)) => ApiError::Internal.into_response(),
        Err(error) => page_reply(StatusCode::BAD_REQUEST, crate::pages::insight::bad_address(&error.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_names_a_campaign_and_perhaps_a_pair() {
        assert_eq!(asked(None).unwrap(), Asked::default());
        assert_eq!(asked(Some("campaign=regio&a=")).unwrap(), Asked { campaign: Some("regio".into()), pair: None });
        assert_eq!(asked(Some("a=seen_heard&b=perspective")).unwrap().pair, Some(("seen_heard".into(), "perspective".into())));
        let field = |query: &str| match asked(Some(query)) {
            Err(InsightError::BadParameter { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field("organisation=De%20Brug"), "organisation", "no filter but the campaign");
        assert_eq!(field("a=emotion"), "b");
        assert_eq!(field("b=emotion"), "a");
    }

    #[test]
    fn the_minimum_is_more_than_the_threshold() {
        assert!(MinTestGroup::new(20, 5).is_ok());
        assert!(MinTestGroup::new(5, 5).unwrap_err().contains("more than --min-cell (5)"));
        assert!(MinTestGroup::new(20, 2).is_err(), "the threshold itself is checked");
    }
}

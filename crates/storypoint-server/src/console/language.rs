//! The console's language: which one a coordinator reads ([`speak`], the middleware on the
//! coordinators' routes that sets the request's [`crate::words::Scope`]) and how they choose
//! it (`GET /admin/taal?kies=en&terug=/admin/...`, the link in the header).
//!
//! The choice is a cookie, `storypoint_taal`, only for `/admin` (`Path=/admin`,
//! `SameSite=Strict`, a year); without it the browser's `Accept-Language` decides between
//! Dutch and English, and Dutch when it names neither. The cookie is no session and needs
//! no form token: it changes only the words. Tellers never get it: only this route sets it,
//! and no teller's page is below `/admin`.
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::AppState;
use crate::words::{Language, Scope};

/// The cookie's name.
pub const COOKIE: &str = "storypoint_taal";

/// How long the choice is kept: a year.
const MAX_AGE_SECS: u64 = 365 * 24 * 3600;

/// The route that switches the language.
pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/taal", get(switch))
}

/// The middleware on the coordinators' routes: every `/admin` page (the work session's under
/// `/admin/inzicht` too) is answered in the coordinator's language, with the page's own address for the way back
/// after switching (a GET only; see [`Scope::here`]).
pub async fn speak(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let below = |prefix: &str| path == prefix || path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'));
    if !below("/admin") {
        return next.run(request).await;
    }
    let here = (request.method() == Method::GET).then(|| request.uri().path_and_query().map_or(path, |p| p.as_str()).to_string());
    let scope = Scope { language: chosen(request.headers()), here };
    crate::words::speaking(scope, next.run(request)).await
}

/// The language a request asks for: the cookie's, else the first of Dutch and English in
/// `Accept-Language` (by its weights), else Dutch.
pub fn chosen(headers: &HeaderMap) -> Language {
    let cookie = crate::session::named_cookie(headers, COOKIE).and_then(|value| Language::parse(&value));
    let accepted = || {
        let header = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
        let mut best: Option<(Language, f32)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default().trim();
            let primary = tag.split('-').next().unwrap_or_default();
            let weight = parts.find_map(|p| p.trim().strip_prefix("q=")).map_or(Some(1.0), |q| q.trim().parse::<f32>().ok()).unwrap_or(0.0);
            if let Some(language) = Language::parse(primary).filter(|_| weight > 0.0) {
                // The first of the highest weight wins.
                if best.is_none_or(|(_, w)| weight > w) {
                    best = Some((language, weight));
                }
            }
        }
        best.map(|(language, _)| language)
    };
    cookie.or_else(accepted).unwrap_or(Language::Dutch)
}

/// Where to go back to after switching: a coordinators' page of ours (`/admin`, or below it),
/// never another site; `/admin` otherwise.
fn back_to(terug: Option<&str>) -> &str {
    let ours = |path: &&str| {
        let rest = path.strip_prefix("/admin").unwrap_or("x");
        (rest.is_empty() || rest.starts_with('/') || rest.starts_with('?'))
            && !path.contains("//")
            && !path.contains('\\')
            && !path.chars().any(char::is_control)
            && HeaderValue::from_str(path).is_ok()
    };
    terug.filter(ours).unwrap_or("/admin")
}

/// `GET /admin/taal?kies=en&terug=/admin/...`: keeps the language chosen (`kies`: `nl` or
/// `en`; another changes nothing) in the cookie and goes back to the page (303).
async fn switch(State(state): State<AppState>, request: Request) -> Response {
    let query = request.uri().query().unwrap_or_default();
    let param = |name: &str| form_urlencoded::parse(query.as_bytes()).find(|(key, _)| key == name).map(|(_, value)| value.into_owned());
    let (kies, terug) = (param("kies"), param("terug"));
    let mut response = StatusCode::SEE_OTHER.into_response();
    let back = back_to(terug.as_deref());
    if let Ok(location) = HeaderValue::from_str(back) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    if let Some(language) = kies.as_deref().and_then(Language::parse) {
        let secure = if crate::access::over_tls(&state, request.extensions(), request.headers()) { "; Secure" } else { "" };
        let cookie = format!("{COOKIE}={}; Path=/admin; Max-Age={MAX_AGE_SECS}; SameSite=Strict; HttpOnly{secure}", language.code());
        if let Ok(cookie) = HeaderValue::from_str(&cookie) {
            response.headers_mut().insert(header::SET_COOKIE, cookie);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn the_cookie_decides_then_the_browser_then_dutch() {
        let cases: [(&[(&str, &str)], Language); 9] = [
            (&[], Language::Dutch),
            (&[("accept-language", "en-US,en;q=0.9")], Language::English),
            (&[("accept-language", "nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7")], Language::Dutch),
            (&[("accept-language", "de-DE,en;q=0.5")], Language::English),
            (&[("accept-language", "en;q=0.4, nl;q=0.8")], Language::Dutch),
            (&[("accept-language", "en;q=0, fr")], Language::Dutch),
            (&[("accept-language", "fr-FR, *")], Language::Dutch),
            (&[("accept-language", "en-GB"), ("cookie", "a=1; storypoint_taal=nl")], Language::Dutch),
            (&[("accept-language", "nl"), ("cookie", "storypoint_taal=en")], Language::English),
        ];
        for (pairs, language) in cases {
            assert_eq!(chosen(&headers(pairs)), language, "{pairs:?}");
        }
        assert_eq!(chosen(&headers(&[("cookie", "storypoint_taal=de"), ("accept-language", "en")])), Language::English, "an unknown cookie is no choice");
    }

    #[test]
    fn the_way_back_is_a_coordinators_page_of_ours() {
        for ours in ["/admin", "/admin/links?campaign=noord", "/admin?campaign=zuid", "/admin/campagnes/noord"] {
            assert_eq!(back_to(Some(ours)), ours);
        }
        for away in ["https://evil.example", "//evil.example/admin", "/admin//evil.example", "/administrator", "/vertel", "/admin/\\evil", "admin", ""] {
            assert_eq!(back_to(Some(away)), "/admin", "{away}");
        }
        assert_eq!(back_to(None), "/admin");
    }
}

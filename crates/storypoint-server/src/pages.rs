//! The presentation layer: every page the server renders (dashboard, insight pages, report,
//! flyers, landing page) is a `maud` template in a module below this one, inside the one
//! [`document`] layout. maud escapes every value it inserts, checks the markup at compile
//! time and needs no template files; no page builds HTML with `format!`.
use axum::http::header;
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

pub mod admin;
pub mod campaigns;
pub mod charts;
pub mod flyers;
pub mod insight;
pub mod landing;
pub mod links;
pub mod observations;
pub mod report;
pub mod standouts;
pub mod stories;

/// The Content-Security-Policy of the coordinators' pages: no script at all, our own styles,
/// images and recordings; they may submit their own filter forms (GET).
pub const PAGE_CSP: &str =
    "default-src 'none'; style-src 'self'; img-src 'self'; media-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// What a page's `<head>` says.
pub struct Head<'a> {
    /// The page's own title (the layout adds nothing: the teller's page has its own words).
    pub title: &'a str,
    /// The page's language (`nl` unless a teller chose another).
    pub lang: &'a str,
    /// Stylesheets, by path on the collector.
    pub stylesheets: &'a [&'a str],
    /// What else the page needs in its head (preloads, its module script).
    pub extra: Markup,
}

impl<'a> Head<'a> {
    /// A Dutch page titled `title` with one stylesheet.
    pub fn new(title: &'a str, stylesheets: &'a [&'a str]) -> Head<'a> {
        Head { title, lang: "nl", stylesheets, extra: html! {} }
    }
}

/// The one layout of every page: the head (charset, viewport, no referrer, title,
/// stylesheets) and `body`.
pub fn document(head: Head<'_>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(head.lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (head.title) }
                @for stylesheet in head.stylesheets {
                    link rel="stylesheet" href=(stylesheet);
                }
                (head.extra)
            }
            body { (body) }
        }
    }
}

/// A rendered page as an HTML reply.
pub fn reply(markup: Markup) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], markup.into_string()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_escapes_and_has_one_head() {
        let page = document(Head::new("Ouders <b>&</b> kinderen", &["/admin/admin.css"]), html! { p { "<script>" } }).into_string();
        assert!(page.starts_with("<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\">"), "{page}");
        assert!(page.contains("<title>Ouders &lt;b&gt;&amp;&lt;/b&gt; kinderen</title>"), "{page}");
        assert!(page.contains("<link rel=\"stylesheet\" href=\"/admin/admin.css\">"), "{page}");
        assert!(page.contains("<p>&lt;script&gt;</p>"), "{page}");
        assert_eq!(page.matches("<head>").count(), 1);
    }
}

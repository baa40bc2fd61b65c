//! The coordinators' pages: their frame (skip link, header, the way to the other page), the
//! login page behind the browser's prompt, and the response page `/admin` (how many stories
//! came in, per organisation, group, age and day), drawn from [`crate::overview`]. No
//! script: the campaign is chosen with a plain GET form, the downloads are links. The words
//! are the request's language's, from `translations/console/` ([`crate::words`]).
use maud::{Markup, html};

use super::{Head, document};
use storypoint_core::contract::{AGE_GROUP, PERSPECTIVE};

use crate::overview::{CampaignInfo, OptionCount, Overview};
use crate::words::{self, t, t_around, t_with};

/// The coordinators' frame around `main`: a skip link, a header with `brand`, a link to the
/// other coordinators' page (`other`: address and text), the console's pages and the other
/// language. The words are the request's (see [`crate::words`]), and so is `<html lang>`.
pub fn frame(title: &str, stylesheets: &[&str], brand: &str, other: (&str, &str), main: Markup) -> Markup {
    framed(title, stylesheets, brand, other, true, main)
}

/// [`frame`]; `signed_in: false` (the login page) leaves out the console's pages and
/// "Uitloggen": they would only lead back to the login page.
fn framed(title: &str, stylesheets: &[&str], brand: &str, other: (&str, &str), signed_in: bool, main: Markup) -> Markup {
    let title = format!("{title} — Storypoint");
    let language = words::language();
    // The way to the other language: only on a page asked for by address (not the answer to
    // a form: switching would lose what was typed, or a token shown once).
    let switch = words::scope().and_then(|scope| scope.here).map(|here| {
        let to = language.other();
        let back: String = form_urlencoded::byte_serialize(here.as_bytes()).collect();
        (format!("/admin/taal?kies={}&terug={back}", to.code()), to)
    });
    document(
        Head { lang: language.code(), ..Head::new(&title, stylesheets) },
        html! {
            a.skip href="#main" { (t("frame.skip")) }
            header {
                p.brand { (brand) }
                p { a href=(other.0) { (other.1) } }
                @if signed_in {
                    p { a href="/admin/campagnes" { (t("frame.campaigns")) } }
                    p { a href="/admin/links" { (t("frame.links")) } }
                    p { a href="/admin/logout" { (t("frame.logout")) } }
                }
                @if let Some((href, to)) = &switch {
                    p { a href=(href) lang=(to.code()) hreflang=(to.code()) { (to.name()) } }
                }
            }
            main #main { (main) }
        },
    )
}

/// The login page: the token (the collector's, or a campaign's) starts a session that
/// comes back to `back`; `problem` says what went wrong with the last try.
pub fn login(back: &str, problem: Option<&str>, logged_out: bool) -> Markup {
    framed(
        t("login.title"),
        &[STYLE, "/admin/admin.css"],
        t("brand.admin"),
        ("/vertel", t("login.to_teller")),
        false,
        html! {
            h1 { (t("login.title")) }
            @if logged_out {
                p.notice role="status" { (t("login.logged_out")) }
            }
            @if let Some(problem) = problem {
                div.error-summary role="alert" {
                    h2 { (t("login.failed")) }
                    p { a href="#token" { (problem) } }
                }
            }
            form method="post" action="/admin/login" {
                input type="hidden" name="terug" value=(back);
                p {
                    label for="token" { (t("login.token")) }
                    span.hint #token-hint { (t("login.token_hint")) }
                    input #token type="password" name="token" autocomplete="current-password" aria-describedby="token-hint"
                        aria-invalid=[problem.map(|_| "true")];
                }
                p { button type="submit" { (t("login.submit")) } }
            }
            p { (t("login.lost")) }
        },
    )
}

/// The page behind "Uitloggen": one button that ends the session (a POST with the form
/// token, so another site cannot log a coordinator out).
pub fn logout(csrf: &str) -> Markup {
    frame(
        t("logout.title"),
        &[STYLE, "/admin/admin.css"],
        t("brand.admin"),
        ("/admin", t("logout.back")),
        html! {
            h1 { (t("logout.title")) }
            p { (t("logout.shared_computer")) }
            form method="post" action="/admin/logout" {
                input type="hidden" name="csrf" value=(csrf);
                p { button type="submit" { (t("logout.submit")) } }
            }
        },
    )
}

/// The coordinators' shared style; the response page adds its own.
const STYLE: &str = "/admin/inzicht.css";

/// The widest bar, in steps (`.w-0` … `.w-12` in admin.css).
const STEPS: i64 = 12;

/// The response page: `overview` of the chosen campaign (`chosen`, none: every campaign
/// together), the campaigns the token sees (a choice when there are several).
pub fn page(overview: &Overview, campaigns: &[CampaignInfo], chosen: Option<&str>) -> Markup {
    let state = match &overview.campaign {
        Some(campaign) if campaign.open => Some(t("response.state_open")),
        Some(_) => Some(t("response.state_closed")),
        None => None,
    };
    // The downloads hold what the page shows: the chosen campaign, or all of them.
    let scope = chosen.map(|slug| format!("?campaign={}", form_urlencoded::byte_serialize(slug.as_bytes()).collect::<String>())).unwrap_or_default();
    // Organisations without stories first: they may need a reminder.
    let mut links: Vec<_> = overview.per_link.iter().collect();
    links.sort_by_key(|link| link.stories);
    let (done_before, done_after) = t_around("response.done");
    let main = html! {
        h1 { (t("response.title")) }
        p { (t("response.intro")) }
        @if campaigns.len() > 1 {
            form #choose method="get" action="/admin" {
                p {
                    label for="campaign" { (t("choose.campaign")) }
                    select #campaign name="campaign" {
                        option value="" selected[chosen.is_none()] { (t("response.all_campaigns")) }
                        @for campaign in campaigns {
                            option value=(campaign.slug) selected[chosen == Some(campaign.slug.as_str())] {
                                (t_with("response.campaign_option", &[("name", &campaign.name.as_deref().unwrap_or(&campaign.slug)), ("count", &campaign.stories.unwrap_or(0))]))
                            }
                        }
                    }
                }
                p { button type="submit" { (t("choose.show")) } }
            }
        }
        p #summary {
            (t_with("response.summary", &[("total", &overview.total), ("without_link", &overview.without_link)]))
            @if let Some(state) = state { " " (state) }
        }
        @if !overview.bursts.is_empty() {
            section #bursts .warning aria-labelledby="h-bursts" {
                h2 #h-bursts { (t("response.bursts_title")) }
                ul {
                    @for burst in &overview.bursts {
                        li {
                            @match &burst.organisation {
                                Some(organisation) => {
                                    (t_with("response.burst_via", &[("day", &day(&burst.day)), ("count", &burst.stories), ("organisation", organisation)]))
                                }
                                None => (t_with("response.burst_without_link", &[("day", &day(&burst.day)), ("count", &burst.stories)])),
                            }
                        }
                    }
                }
                p { (t("response.bursts_advice")) }
            }
        }
        section aria-labelledby="h-links" {
            h2 #h-links { (t("response.per_link")) }
            p { (t("response.per_link_intro")) }
            @let most = links.iter().map(|l| l.stories).max().unwrap_or(0);
            table #per-link {
                thead { tr { th scope="col" { (t("response.organisation")) } th scope="col" { (t("response.code")) } th scope="col" { (t("response.stories")) } } }
                tbody {
                    @for link in &links {
                        tr.missing[link.stories == 0] {
                            td { (link.organisation) }
                            td.code { (link.code) }
                            (stories(link.stories, most))
                        }
                    }
                }
            }
        }
        (per_option("h-perspective", t("response.per_perspective"), "per-perspective", t("response.tells_as"), (PERSPECTIVE, &overview.per_perspective)))
        (per_option("h-age", t("response.per_age"), "per-age", t("response.age"), (AGE_GROUP, &overview.per_age_group)))
        section aria-labelledby="h-day" {
            h2 #h-day { (t("response.per_day")) }
            @let most = overview.per_day.iter().map(|d| d.stories).max().unwrap_or(0);
            table #per-day {
                thead { tr { th scope="col" { (t("response.day")) } th scope="col" { (t("response.stories")) } } }
                tbody {
                    @for counted in &overview.per_day {
                        tr.missing[counted.stories == 0] { td { (counted.day) } (stories(counted.stories, most)) }
                    }
                }
            }
        }
        section aria-labelledby="h-export" {
            h2 #h-export { (t("response.export_title")) }
            p { (t("response.export_intro")) }
            ul.downloads {
                // The file names come from the collector (`verhalen-SLUG.csv` for one campaign).
                li { a href=(format!("/api/v1/export.csv{scope}")) download { (t("response.export_csv")) } }
                li { a href=(format!("/api/v1/export.sav{scope}")) download { (t("response.export_sav")) } }
                li { a href=(format!("/api/v1/export.qdpx{scope}")) download { (t("response.export_qdpx")) } }
                li { a href=(format!("/api/v1/export.csv{scope}{}codes=1", if scope.is_empty() { "?" } else { "&" })) download { (t("response.export_codes")) } }
                li { a href=(format!("/api/v1/export.json{scope}")) download { (t("response.export_json")) } }
            }
            p { (done_before) a href="/admin/logout" { (t("frame.logout")) } (done_after) }
        }
    };
    frame(t("response.page_title"), &[STYLE, "/admin/admin.css"], t("brand.response"), ("/admin/inzicht", t("response.to_insight")), main)
}

/// A table of stories per answer of one choice question (`question`: its id and the counts).
fn per_option(heading: &str, title: &str, id: &str, column: &str, (question, counts): (&str, &[OptionCount])) -> Markup {
    let most = counts.iter().map(|c| c.stories).max().unwrap_or(0);
    let label = |counted: &OptionCount| option_label(question, counted);
    // Which answers no teller gave yet, in words (the unanswered row aside).
    let missing: Vec<String> = counts.iter().filter(|c| c.stories == 0 && c.value.is_some()).map(label).collect();
    html! {
        section aria-labelledby=(heading) {
            h2 id=(heading) { (title) }
            @if !missing.is_empty() {
                p.missing-note { (t_with("response.missing", &[("groups", &missing.join(", "))])) }
            }
            table id=(id) {
                thead { tr { th scope="col" { (column) } th scope="col" { (t("response.stories")) } } }
                tbody {
                    @for counted in counts {
                        tr.missing[counted.stories == 0] { td { (label(counted)) } (stories(counted.stories, most)) }
                    }
                }
            }
        }
    }
}

/// An answer in the request's language (the questionnaire's Dutch label where the widget's
/// translation has none); "not answered" in the console's words.
fn option_label(question: &str, counted: &OptionCount) -> String {
    let Some(value) = &counted.value else { return t("response.not_answered").into() };
    words::option_label(question, value).map_or_else(|| counted.label.clone(), str::to_string)
}

/// The stories cell: a bar (its length relative to `most`, in whole steps) and the number.
fn stories(count: i64, most: i64) -> Markup {
    let step = if most > 0 { (count * STEPS + most / 2) / most } else { 0 };
    html! {
        td { span class={ "bar w-" (step) } {} span { (count) } }
    }
}

/// `2026-12-07` as a Dutch reader writes it: `7-12-2026`.
fn day(iso: &str) -> String {
    iso.split('-').rev().map(|part| part.trim_start_matches('0')).collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::overview::Burst;
    use crate::store::LinkCount;

    fn overview() -> Overview {
        Overview {
            total: 3,
            without_link: 1,
            per_link: vec![
                LinkCount { code: "aaaa2222".into(), organisation: "Jeugdteam <b>Noord</b>".into(), stories: 2 },
                LinkCount { code: "bbbb3333".into(), organisation: "De Linde".into(), stories: 0 },
            ],
            per_perspective: vec![
                OptionCount { value: Some("parent".into()), label: "ouder".into(), stories: 0 },
                OptionCount { value: None, label: "niet ingevuld".into(), stories: 3 },
            ],
            per_age_group: vec![],
            per_day: vec![crate::overview::DayCount { day: "2026-12-07".into(), stories: 3 }],
            bursts: vec![Burst { day: "2026-01-05".into(), campaign: "default".into(), link: None, organisation: None, stories: 4 }],
            campaign: None,
        }
    }

    #[test]
    fn the_response_page_shows_the_figures_as_text_without_script() {
        let page = page(&overview(), &[], None).into_string();
        assert!(page.contains("3 verhalen in totaal, waarvan 1 zonder organisatielink."), "{page}");
        assert!(page.contains("Jeugdteam &lt;b&gt;Noord&lt;/b&gt;") && !page.contains("<b>"), "{page}");
        let empty = page.find("De Linde").unwrap();
        assert!(empty < page.find("Jeugdteam").unwrap(), "without stories on top");
        assert!(page.contains("<tr class=\"missing\"><td>De Linde"), "{page}");
        assert!(page.contains("Nog geen verhalen van: ouder."), "the missing groups in words: {page}");
        assert!(page.contains("Op 5-1-2026 kwamen 4 bijna gelijke verhalen binnen zonder organisatielink."), "{page}");
        assert!(page.contains("class=\"bar w-12\"") && page.contains("class=\"bar w-0\""), "{page}");
        assert!(!page.contains("<script") && !page.contains("style="), "{page}");
        assert!(!page.contains("id=\"choose\""), "one campaign: no choice");
    }

    #[test]
    fn several_campaigns_are_a_get_form_with_the_chosen_one_selected() {
        let noord = CampaignInfo { slug: "noord".into(), name: Some("Vertelpunt Noord".into()), open: true, opens_on: None, closes_at: None, stories: Some(2) };
        let zuid = CampaignInfo { slug: "zuid".into(), name: None, open: false, opens_on: None, closes_at: None, stories: Some(0) };
        let page = page(&overview(), &[noord, zuid], Some("zuid")).into_string();
        assert!(page.contains("<form id=\"choose\" method=\"get\" action=\"/admin\">"), "{page}");
        assert!(page.contains("<option value=\"\">Alle campagnes samen</option>"), "{page}");
        assert!(page.contains("<option value=\"noord\">Vertelpunt Noord (2 verhalen)</option>"), "{page}");
        assert!(page.contains("<option value=\"zuid\" selected>zuid (0 verhalen)</option>"), "{page}");
    }

    #[test]
    fn the_login_page_offers_no_console_pages_that_would_only_lead_back_to_it() {
        let login = login("/admin", None, false).into_string();
        for page in ["/admin/campagnes", "/admin/links", "/admin/logout"] {
            assert!(!login.contains(&format!("href=\"{page}\"")), "{page}: {login}");
        }
        let response = page(&overview(), &[], None).into_string();
        assert!(response.contains("href=\"/admin/campagnes\"") && response.contains("href=\"/admin/logout\""), "{response}");
    }
}

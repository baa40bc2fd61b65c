//! The coordinators' pages: their frame (skip link, header, the way to the other page), the
//! login page behind the browser's prompt, and the response page `/admin` (how many stories
//! came in, per organisation, group, age and day), drawn from [`crate::overview`]. No
//! script: the campaign is chosen with a plain GET form, the downloads are links.
use maud::{Markup, html};

use super::{Head, document};
use crate::overview::{CampaignInfo, OptionCount, Overview};

/// The coordinators' frame around `main`: a skip link, a header with `brand` and a link to
/// the other coordinators' page (`other`: address and text).
pub fn frame(title: &str, stylesheets: &[&str], brand: &str, other: (&str, &str), main: Markup) -> Markup {
    let title = format!("{title} — Storypoint");
    document(
        Head::new(&title, stylesheets),
        html! {
            a.skip href="#main" { "Naar de inhoud" }
            header {
                p.brand { (brand) }
                p { a href=(other.0) { (other.1) } }
                p { a href="/admin/campagnes" { "Campagnes" } }
                p { a href="/admin/links" { "Organisaties en links" } }
                p { a href="/admin/logout" { "Uitloggen" } }
            }
            main #main { (main) }
        },
    )
}

/// The login page: the token (the collector's, or a campaign's) starts a session that
/// comes back to `back`; `problem` says what went wrong with the last try.
pub fn login(back: &str, problem: Option<&str>, logged_out: bool) -> Markup {
    frame(
        "Inloggen",
        &[STYLE, "/admin/admin.css"],
        "Storypoint · Beheer",
        ("/vertel", "Naar het vertelpunt"),
        html! {
            h1 { "Inloggen" }
            @if logged_out {
                p.notice role="status" { "Je bent uitgelogd." }
            }
            @if let Some(problem) = problem {
                div.error-summary role="alert" {
                    h2 { "Inloggen lukte niet" }
                    p { a href="#token" { (problem) } }
                }
            }
            form method="post" action="/admin/login" {
                input type="hidden" name="terug" value=(back);
                p {
                    label for="token" { "Beheercode" }
                    span.hint #token-hint { "Je kreeg de beheercode bij de start van de server, of bij het maken van je campagne." }
                    input #token type="password" name="token" autocomplete="current-password" aria-describedby="token-hint"
                        aria-invalid=[problem.map(|_| "true")];
                }
                p { button type="submit" { "Inloggen" } }
            }
            p { "Beheercode kwijt? Vraag de beheerder van de server om een nieuwe." }
        },
    )
}

/// The page behind "Uitloggen": one button that ends the session (a POST with the form
/// token, so another site cannot log a coordinator out).
pub fn logout(csrf: &str) -> Markup {
    frame(
        "Uitloggen",
        &[STYLE, "/admin/admin.css"],
        "Storypoint · Beheer",
        ("/admin", "Terug naar de respons"),
        html! {
            h1 { "Uitloggen" }
            p { "Op een gedeelde computer: log altijd uit als je klaar bent." }
            form method="post" action="/admin/logout" {
                input type="hidden" name="csrf" value=(csrf);
                p { button type="submit" { "Uitloggen" } }
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
        Some(campaign) if campaign.open => " Het vertelpunt is open.",
        Some(_) => " Het vertelpunt is gesloten.",
        None => "",
    };
    // The downloads hold what the page shows: the chosen campaign, or all of them.
    let scope = chosen.map(|slug| format!("?campaign={}", form_urlencoded::byte_serialize(slug.as_bytes()).collect::<String>())).unwrap_or_default();
    // Organisations without stories first: they may need a reminder.
    let mut links: Vec<_> = overview.per_link.iter().collect();
    links.sort_by_key(|link| link.stories);
    let main = html! {
        h1 { "Vertelpunt: hoeveel verhalen komen er binnen?" }
        p { "Kijk twee keer per week: welke organisaties en welke groepen vertellers ontbreken nog?" }
        @if campaigns.len() > 1 {
            form #choose method="get" action="/admin" {
                p {
                    label for="campaign" { "Campagne" }
                    select #campaign name="campaign" {
                        option value="" selected[chosen.is_none()] { "Alle campagnes samen" }
                        @for campaign in campaigns {
                            option value=(campaign.slug) selected[chosen == Some(campaign.slug.as_str())] {
                                (campaign.name.as_deref().unwrap_or(&campaign.slug)) " (" (campaign.stories.unwrap_or(0)) " verhalen)"
                            }
                        }
                    }
                }
                p { button type="submit" { "Toon" } }
            }
        }
        p #summary { (overview.total) " verhalen in totaal, waarvan " (overview.without_link) " zonder organisatielink." (state) }
        @if !overview.bursts.is_empty() {
            section #bursts .warning aria-labelledby="h-bursts" {
                h2 #h-bursts { "Let op: bijna gelijke verhalen" }
                ul {
                    @for burst in &overview.bursts {
                        li {
                            "Op " (day(&burst.day)) " kwamen " (burst.stories) " bijna gelijke verhalen binnen "
                            @match &burst.organisation {
                                Some(organisation) => { "via " (organisation) }
                                None => "zonder organisatielink",
                            }
                            "."
                        }
                    }
                }
                p { "Misschien heeft iemand hetzelfde verhaal vaak verstuurd. Tel ze niet mee als aparte ervaringen voordat je ze hebt gelezen." }
            }
        }
        section aria-labelledby="h-links" {
            h2 #h-links { "Per organisatie (link)" }
            p { "Een organisatie zonder verhalen staat bovenaan: vraag hen om een herinnering te sturen." }
            @let most = links.iter().map(|l| l.stories).max().unwrap_or(0);
            table #per-link {
                thead { tr { th scope="col" { "Organisatie" } th scope="col" { "Code" } th scope="col" { "Verhalen" } } }
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
        (per_option("h-perspective", "Per groep vertellers", "per-perspective", "Vertelt als", &overview.per_perspective))
        (per_option("h-age", "Per leeftijd", "per-age", "Leeftijd", &overview.per_age_group))
        section aria-labelledby="h-day" {
            h2 #h-day { "Per dag" }
            @let most = overview.per_day.iter().map(|d| d.stories).max().unwrap_or(0);
            table #per-day {
                thead { tr { th scope="col" { "Dag" } th scope="col" { "Verhalen" } } }
                tbody {
                    @for counted in &overview.per_day {
                        tr.missing[counted.stories == 0] { td { (counted.day) } (stories(counted.stories, most)) }
                    }
                }
            }
        }
        section aria-labelledby="h-export" {
            h2 #h-export { "Gegevens downloaden" }
            p { "Voor de werksessie: alle verhalen, zonder namen of andere gegevens van vertellers." }
            ul.downloads {
                li { a href=(format!("/api/v1/export.csv{scope}")) download="verhalen.csv" { "Download voor Excel (CSV)" } }
                li { a href=(format!("/api/v1/export.json{scope}")) download="verhalen.json" { "Download als JSON" } }
            }
            p { "Klaar? Log uit met " a href="/admin/logout" { "Uitloggen" } ", zeker op een gedeelde computer." }
        }
    };
    frame("Respons per link", &[STYLE, "/admin/admin.css"], "Storypoint · Respons", ("/admin/inzicht", "Patronen in de verhalen (voor de werksessie)"), main)
}

/// A table of stories per answer of one choice question.
fn per_option(heading: &str, title: &str, id: &str, column: &str, counts: &[OptionCount]) -> Markup {
    let most = counts.iter().map(|c| c.stories).max().unwrap_or(0);
    // Which answers no teller gave yet, in words (the unanswered row aside).
    let missing: Vec<&str> = counts.iter().filter(|c| c.stories == 0 && c.value.is_some()).map(|c| c.label.as_str()).collect();
    html! {
        section aria-labelledby=(heading) {
            h2 id=(heading) { (title) }
            @if !missing.is_empty() {
                p.missing-note { "Nog geen verhalen van: " (missing.join(", ")) "." }
            }
            table id=(id) {
                thead { tr { th scope="col" { (column) } th scope="col" { "Verhalen" } } }
                tbody {
                    @for counted in counts {
                        tr.missing[counted.stories == 0] { td { (counted.label) } (stories(counted.stories, most)) }
                    }
                }
            }
        }
    }
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
}

//! `/admin/links`, the organisation table in the browser: the upload form (CSV, `.xlsx`,
//! `.ods`), the problems of a table at their spreadsheet lines with what to do, the preview
//! of what an import makes (new, unchanged, updated per row) with the button that imports
//! it, the report, and the campaign's links with their downloads. Plain forms and links;
//! the only script is the console's copy button beside each link (hidden without it). On a
//! phone the tables stack their cells.
use maud::{Markup, html};

use super::admin::frame;
use crate::import::Problem;

/// What happens to one row of a table when it is imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// A new link is made.
    New,
    /// The organisation's link stays as it is.
    Unchanged,
    /// The organisation's link keeps its code and gets the row's values.
    Updated,
}

impl Status {
    /// The word the coordinator reads.
    pub fn word(self) -> &'static str {
        match self {
            Status::New => "nieuw",
            Status::Unchanged => "ongewijzigd",
            Status::Updated => "bijgewerkt",
        }
    }
}

/// One row of a table as the preview or the report shows it.
pub struct PlannedRow {
    /// The spreadsheet line.
    pub line: usize,
    /// Organisation, type, age group and contact, in the coordinator's words.
    pub cells: [String; 4],
    /// What the import does with it.
    pub status: Status,
    /// The link's code, when the organisation has one already (or after the import).
    pub code: Option<String>,
}

/// One link of the campaign.
pub struct LinkLine {
    /// Organisation, type, age group and contact, in the coordinator's words.
    pub cells: [String; 4],
    /// The address a teller opens.
    pub url: String,
    /// The link's code.
    pub code: String,
}

/// What the page shows above the upload form.
pub enum Outcome {
    /// Nothing: the page as opened.
    Nothing,
    /// The uploaded table has problems: nothing was imported.
    Problems(Vec<Problem>),
    /// The uploaded table is right: what an import would do, and the table (base64) the
    /// import button sends back.
    Preview(Vec<PlannedRow>, String),
    /// The table was imported: what happened per row.
    Imported(Vec<PlannedRow>),
    /// Something else went wrong with the upload, in a sentence.
    Refused(String),
}

/// A campaign the coordinator may choose.
pub struct Choice {
    /// Its slug.
    pub slug: String,
    /// Its name (or slug).
    pub name: String,
}

/// Everything the page shows.
pub struct LinksPage<'a> {
    /// The campaign shown.
    pub campaign: &'a Choice,
    /// The campaigns to choose from (empty for a campaign's own token).
    pub campaigns: &'a [Choice],
    /// The session's form token (none with a bearer token: then no forms).
    pub csrf: Option<&'a str>,
    /// The campaign's links.
    pub links: &'a [LinkLine],
    /// The address the links point to, and whether it is this server's guess (the
    /// campaign has none of its own yet).
    pub base_url: (&'a str, bool),
    /// What happened just now.
    pub outcome: Outcome,
}

const STYLES: &[&str] = &["/admin/inzicht.css", "/admin/admin.css"];

/// The page.
pub fn page(view: &LinksPage<'_>) -> Markup {
    let slug = &view.campaign.slug;
    let query = format!("?campaign={}", form_urlencoded::byte_serialize(slug.as_bytes()).collect::<String>());
    let main = html! {
        h1 { "Organisaties en links" }
        p { "Elke organisatie krijgt een eigen link en QR-code. Zo zie je later per organisatie hoeveel verhalen er binnenkomen." }
        @if view.campaigns.len() > 1 {
            form #choose method="get" action="/admin/links" {
                p {
                    label for="campaign" { "Campagne" }
                    select #campaign name="campaign" {
                        @for choice in view.campaigns {
                            option value=(choice.slug) selected[choice.slug == *slug] { (choice.name) }
                        }
                    }
                }
                p { button type="submit" { "Toon" } }
            }
        } @else {
            p { "Campagne: " strong { (view.campaign.name) } }
        }
        (outcome(&view.outcome, view.csrf, &query))
        @if let Some(csrf) = view.csrf {
            (upload(csrf, &query, !view.links.is_empty()))
        }
        (links(view, &query))
    };
    frame("Organisaties en links", STYLES, "Storypoint · Beheer", ("/admin", "Naar de respons"), main)
}

fn outcome(outcome: &Outcome, csrf: Option<&str>, query: &str) -> Markup {
    match outcome {
        Outcome::Nothing => html! {},
        Outcome::Refused(sentence) => html! {
            div.error-summary role="alert" tabindex="-1" {
                h2 { "Het uploaden lukte niet" }
                p { (sentence) }
                p { a href="#bestand" { "Kies het bestand opnieuw" } }
            }
        },
        Outcome::Problems(problems) => html! {
            div.error-summary #problemen role="alert" tabindex="-1" {
                h2 {
                    @if problems.len() == 1 { "Er is 1 probleem in de tabel" } @else { "Er zijn " (problems.len()) " problemen in de tabel" }
                }
                p { "Er is niets geïmporteerd. Pas deze regels aan in je rekenblad, sla het op en upload de tabel opnieuw." }
                ul {
                    @for (i, problem) in problems.iter().enumerate() {
                        li { a href=(format!("#probleem-{i}")) { "Regel " (problem.line) } }
                    }
                }
            }
            section aria-labelledby="h-problemen" {
                h2 #h-problemen { "Wat je moet aanpassen" }
                ol.problems {
                    @for (i, problem) in problems.iter().enumerate() {
                        li #(format!("probleem-{i}")) {
                            strong { "Regel " (problem.line) ": " } (problem.dutch)
                        }
                    }
                }
            }
        },
        Outcome::Preview(rows, table) => {
            let count = |status: Status| rows.iter().filter(|row| row.status == status).count();
            html! {
                section #voorbeeld aria-labelledby="h-voorbeeld" {
                    h2 #h-voorbeeld { "Dit gaat er gebeuren" }
                    p role="status" {
                        "De tabel klopt. " (count(Status::New)) " nieuw, " (count(Status::Updated)) " bijgewerkt, "
                        (count(Status::Unchanged)) " ongewijzigd. Er is nog niets geïmporteerd."
                    }
                    @if count(Status::Updated) > 0 {
                        p { "Een bijgewerkte organisatie houdt haar code: flyers die al gedrukt zijn, blijven werken." }
                    }
                    (planned(rows, "Wat de import doet per regel"))
                    @if let Some(csrf) = csrf {
                        form method="post" action=(format!("/admin/links/importeren{query}")) {
                            input type="hidden" name="csrf" value=(csrf);
                            input type="hidden" name="tabel" value=(table);
                            p { button type="submit" { "Importeren" } }
                        }
                    }
                    p { "Klopt er iets niet? Pas de tabel aan en upload hem hieronder opnieuw." }
                }
            }
        }
        Outcome::Imported(rows) => {
            let count = |status: Status| rows.iter().filter(|row| row.status == status).count();
            html! {
                section #klaar aria-labelledby="h-klaar" {
                    h2 #h-klaar { "De tabel is geïmporteerd" }
                    p.notice role="status" {
                        (count(Status::New)) " nieuwe links, " (count(Status::Updated)) " bijgewerkt (dezelfde code, dus gedrukte flyers blijven werken), "
                        (count(Status::Unchanged)) " ongewijzigd."
                    }
                    (planned(rows, "Wat de import deed per regel"))
                    p { a href="#links" { "Naar de links en de QR-codes" } }
                }
            }
        }
    }
}

fn planned(rows: &[PlannedRow], caption: &str) -> Markup {
    html! {
        table.stack {
            caption { (caption) }
            thead { tr { th scope="col" { "Regel" } th scope="col" { "Organisatie" } th scope="col" { "Type" } th scope="col" { "Leeftijd" }
                th scope="col" { "Contact" } th scope="col" { "Wat er gebeurt" } th scope="col" { "Code" } } }
            tbody {
                @for row in rows {
                    tr {
                        td data-label="Regel" { (row.line) }
                        td data-label="Organisatie" { (row.cells[0]) }
                        td data-label="Type" { (row.cells[1]) }
                        td data-label="Leeftijd" { (row.cells[2]) }
                        td data-label="Contact" { (row.cells[3]) }
                        td data-label="Wat er gebeurt" { strong class=(format!("status {}", row.status.word())) { (row.status.word()) } }
                        td.code data-label="Code" { (row.code.as_deref().unwrap_or("nog geen")) }
                    }
                }
            }
        }
    }
}

fn upload(csrf: &str, query: &str, has_links: bool) -> Markup {
    html! {
        section #uploaden aria-labelledby="h-uploaden" {
            h2 #h-uploaden { @if has_links { "Tabel opnieuw uploaden" } @else { "Tabel met organisaties uploaden" } }
            p { "Maak in Excel of LibreOffice een tabel met één regel per organisatie. Op de eerste regel staan de kolommen:" }
            ul {
                li { strong { "organisatie" } ": de naam (verplicht)" }
                li { strong { "type" } ": jeugdhulp, wijkteam, school, huisarts, gemeente, jeugdbescherming of anders (mag leeg)" }
                li { strong { "leeftijd" } ": 0-12, 12-18 of beide (mag leeg)" }
                li { strong { "perspectief" } " (niet verplicht): kind, jongere, ouder, professional of anders" }
                li { strong { "contact" } " (niet verplicht): wie je bij de organisatie mailt; tellers zien dit nooit" }
            }
            p { "Je ziet eerst wat er gaat gebeuren. Er wordt pas iets geïmporteerd als je op \u{201c}Importeren\u{201d} drukt." }
            form method="post" action=(format!("/admin/links{query}")) enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(csrf);
                p {
                    label for="bestand" { "Bestand" }
                    span.hint #bestand-hint { "Een .xlsx-, .ods- of .csv-bestand, hoogstens 2 MB. Alleen het eerste werkblad telt." }
                    input #bestand type="file" name="bestand" required accept=".xlsx,.ods,.csv,.xls,text/csv" aria-describedby="bestand-hint";
                }
                p { button type="submit" { "Bekijk wat er gebeurt" } }
            }
        }
    }
}

fn links(view: &LinksPage<'_>, query: &str) -> Markup {
    html! {
        section #links aria-labelledby="h-links" {
            h2 #h-links { "Links van de organisaties" }
            @if view.links.is_empty() {
                p { "Er zijn nog geen links. Upload hierboven de tabel met organisaties." }
            } @else {
                @if view.base_url.1 {
                    p.notice { "Deze campagne heeft nog geen eigen webadres. De links gebruiken het adres van deze server: " (view.base_url.0) }
                }
                p { "Stuur elke organisatie haar eigen link of flyer. Wie via de link vertelt, hoeft de organisatie niet zelf in te vullen." }
                ul.downloads {
                    li { a href=(format!("/admin/links/links.csv{query}")) download { "Download de links (Excel, CSV)" } }
                    li { a href=(format!("/admin/links/qr.zip{query}")) download { "Download de QR-codes (ZIP met PNG en SVG)" } }
                    li { a href=(format!("/admin/links/flyers.pdf{query}")) download { "Download de flyers (PDF, één A4 per organisatie)" } }
                }
                table.stack #linktabel {
                    caption { (view.links.len()) " links" }
                    thead { tr { th scope="col" { "Organisatie" } th scope="col" { "Type" } th scope="col" { "Leeftijd" } th scope="col" { "Contact" }
                        th scope="col" { "Link voor vertellers" } th scope="col" { "Code" } } }
                    tbody {
                        @for link in view.links {
                            tr {
                                td data-label="Organisatie" { (link.cells[0]) }
                                td data-label="Type" { (link.cells[1]) }
                                td data-label="Leeftijd" { (link.cells[2]) }
                                td data-label="Contact" { (link.cells[3]) }
                                td.url data-label="Link" {
                                    a href=(link.url) { (link.url) }
                                    input type="hidden" id=(format!("link-{}", link.code)) value=(link.url);
                                    " "
                                    button.copy type="button" hidden data-kopieer=(format!("link-{}", link.code))
                                        aria-label=(format!("Kopieer de link van {}", link.cells[0])) { "Kopieer" }
                                    " " span id=(format!("link-{}-status", link.code)) role="status" {}
                                }
                                td.code data-label="Code" { (link.code) }
                            }
                        }
                    }
                }
                // The copy buttons (the console's one script, same origin): without it they
                // stay hidden and a link is selected and copied by hand.
                script src="/admin/kopieer.js" defer {}
            }
        }
    }
}

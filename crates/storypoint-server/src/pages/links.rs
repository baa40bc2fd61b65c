//! `/admin/links`, the organisation table in the browser: the upload form (CSV, `.xlsx`,
//! `.ods`), the problems of a table at their spreadsheet lines with what to do, the preview
//! of what an import makes (new, unchanged, updated per row) with the button that imports
//! it, the report, and the campaign's links with their downloads. Plain forms and links;
//! the only script is the console's copy button beside each link (hidden without it). On a
//! phone the tables stack their cells.
use maud::{Markup, html};

use super::admin::frame;
use crate::import::Problem;
use crate::words::{t, t_around, t_with};

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
            Status::New => t("links.status.new"),
            Status::Unchanged => t("links.status.unchanged"),
            Status::Updated => t("links.status.updated"),
        }
    }

    /// Its class in `admin.css` (the same in every language).
    fn class(self) -> &'static str {
        match self {
            Status::New => "status nieuw",
            Status::Unchanged => "status ongewijzigd",
            Status::Updated => "status bijgewerkt",
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
        h1 { (t("links.title")) }
        p { (t("links.intro")) }
        @if view.campaigns.len() > 1 {
            form #choose method="get" action="/admin/links" {
                p {
                    label for="campaign" { (t("choose.campaign")) }
                    select #campaign name="campaign" {
                        @for choice in view.campaigns {
                            option value=(choice.slug) selected[choice.slug == *slug] { (choice.name) }
                        }
                    }
                }
                p { button type="submit" { (t("choose.show")) } }
            }
        } @else {
            @let (before, after) = t_around("links.campaign");
            p { (before) strong { (view.campaign.name) } (after) }
        }
        (outcome(&view.outcome, view.csrf, &query))
        @if let Some(csrf) = view.csrf {
            (upload(csrf, &query, !view.links.is_empty()))
        }
        (links(view, &query))
    };
    frame(t("links.title"), STYLES, t("brand.admin"), ("/admin", t("links.to_response")), main)
}

fn outcome(outcome: &Outcome, csrf: Option<&str>, query: &str) -> Markup {
    match outcome {
        Outcome::Nothing => html! {},
        Outcome::Refused(sentence) => html! {
            div.error-summary role="alert" tabindex="-1" {
                h2 { (t("links.refused.title")) }
                p { (sentence) }
                p { a href="#bestand" { (t("links.refused.again")) } }
            }
        },
        Outcome::Problems(problems) => html! {
            div.error-summary #problemen role="alert" tabindex="-1" {
                h2 {
                    @if problems.len() == 1 { (t("links.problems.one")) } @else { (t_with("links.problems.many", &[("count", &problems.len())])) }
                }
                p { (t("links.problems.nothing_imported")) }
                ul {
                    @for (i, problem) in problems.iter().enumerate() {
                        li { a href=(format!("#probleem-{i}")) { (t_with("links.line", &[("line", &problem.line)])) } }
                    }
                }
            }
            section aria-labelledby="h-problemen" {
                h2 #h-problemen { (t("links.problems.what_to_change")) }
                ol.problems {
                    @for (i, problem) in problems.iter().enumerate() {
                        li #(format!("probleem-{i}")) {
                            strong { (t_with("links.line", &[("line", &problem.line)])) ": " } (problem.advice())
                        }
                    }
                }
            }
        },
        Outcome::Preview(rows, table) => {
            let count = |status: Status| rows.iter().filter(|row| row.status == status).count();
            html! {
                section #voorbeeld aria-labelledby="h-voorbeeld" {
                    h2 #h-voorbeeld { (t("links.preview.title")) }
                    p role="status" {
                        (t_with("links.preview.counts", &[("new", &count(Status::New)), ("updated", &count(Status::Updated)), ("unchanged", &count(Status::Unchanged))]))
                    }
                    @if count(Status::Updated) > 0 {
                        p { (t("links.preview.updated_keeps_code")) }
                    }
                    (planned(rows, t("links.preview.caption")))
                    @if let Some(csrf) = csrf {
                        form method="post" action=(format!("/admin/links/importeren{query}")) {
                            input type="hidden" name="csrf" value=(csrf);
                            input type="hidden" name="tabel" value=(table);
                            p { button type="submit" { (t("links.preview.import")) } }
                        }
                    }
                    p { (t("links.preview.not_right")) }
                }
            }
        }
        Outcome::Imported(rows) => {
            let count = |status: Status| rows.iter().filter(|row| row.status == status).count();
            html! {
                section #klaar aria-labelledby="h-klaar" {
                    h2 #h-klaar { (t("links.imported.title")) }
                    p.notice role="status" {
                        (t_with("links.imported.counts", &[("new", &count(Status::New)), ("updated", &count(Status::Updated)), ("unchanged", &count(Status::Unchanged))]))
                    }
                    (planned(rows, t("links.imported.caption")))
                    p { a href="#links" { (t("links.imported.to_links")) } }
                }
            }
        }
    }
}

fn planned(rows: &[PlannedRow], caption: &str) -> Markup {
    let (line, organisation, kind, age) = (t("links.column.line"), t("links.column.organisation"), t("links.column.type"), t("links.column.age"));
    let (contact, status, code) = (t("links.column.contact"), t("links.column.status"), t("links.column.code"));
    html! {
        table.stack {
            caption { (caption) }
            thead { tr { th scope="col" { (line) } th scope="col" { (organisation) } th scope="col" { (kind) } th scope="col" { (age) }
                th scope="col" { (contact) } th scope="col" { (status) } th scope="col" { (code) } } }
            tbody {
                @for row in rows {
                    tr {
                        td data-label=(line) { (row.line) }
                        td data-label=(organisation) { (row.cells[0]) }
                        td data-label=(kind) { (row.cells[1]) }
                        td data-label=(age) { (row.cells[2]) }
                        td data-label=(contact) { (row.cells[3]) }
                        td data-label=(status) { strong class=(row.status.class()) { (row.status.word()) } }
                        td.code data-label=(code) { (row.code.as_deref().unwrap_or(t("links.no_code_yet"))) }
                    }
                }
            }
        }
    }
}

fn upload(csrf: &str, query: &str, has_links: bool) -> Markup {
    html! {
        section #uploaden aria-labelledby="h-uploaden" {
            h2 #h-uploaden { @if has_links { (t("links.upload.again")) } @else { (t("links.upload.first")) } }
            p { (t("links.upload.make_table")) }
            ul {
                // The column names stay as they are: the table's first line says them so.
                li { @let (before, after) = t_around("links.upload.organisation"); (before) strong { "organisatie" } (after) }
                li { @let (before, after) = t_around("links.upload.type"); (before) strong { "type" } (after) }
                li { @let (before, after) = t_around("links.upload.age"); (before) strong { "leeftijd" } (after) }
                li { @let (before, after) = t_around("links.upload.perspective"); (before) strong { "perspectief" } (after) }
                li { @let (before, after) = t_around("links.upload.contact"); (before) strong { "contact" } (after) }
            }
            p { (t("links.upload.preview_first")) }
            form method="post" action=(format!("/admin/links{query}")) enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(csrf);
                p {
                    label for="bestand" { (t("links.upload.file")) }
                    span.hint #bestand-hint { (t("links.upload.file_hint")) }
                    input #bestand type="file" name="bestand" required accept=".xlsx,.ods,.csv,.xls,text/csv" aria-describedby="bestand-hint";
                }
                p { button type="submit" { (t("links.upload.submit")) } }
            }
        }
    }
}

fn links(view: &LinksPage<'_>, query: &str) -> Markup {
    html! {
        section #links aria-labelledby="h-links" {
            h2 #h-links { (t("links.list.title")) }
            @if view.links.is_empty() {
                p { (t("links.list.none")) }
            } @else {
                @if view.base_url.1 {
                    p.notice { (t_with("links.list.server_address", &[("address", &view.base_url.0)])) }
                }
                p { (t("links.list.send")) }
                ul.downloads {
                    li { a href=(format!("/admin/links/links.csv{query}")) download { (t("links.list.download_csv")) } }
                    li { a href=(format!("/admin/links/qr.zip{query}")) download { (t("links.list.download_qr")) } }
                    li { a href=(format!("/admin/links/flyers.pdf{query}")) download { (t("links.list.download_flyers")) } }
                }
                @let (organisation, kind, age, contact) = (t("links.column.organisation"), t("links.column.type"), t("links.column.age"), t("links.column.contact"));
                @let (link_column, link_label, code) = (t("links.column.teller_link"), t("links.column.link"), t("links.column.code"));
                table.stack #linktabel {
                    caption {
                        @if view.links.len() == 1 { (t("links.list.caption_one")) } @else { (t_with("links.list.caption", &[("count", &view.links.len())])) }
                    }
                    thead { tr { th scope="col" { (organisation) } th scope="col" { (kind) } th scope="col" { (age) } th scope="col" { (contact) }
                        th scope="col" { (link_column) } th scope="col" { (code) } } }
                    tbody {
                        @for link in view.links {
                            tr {
                                td data-label=(organisation) { (link.cells[0]) }
                                td data-label=(kind) { (link.cells[1]) }
                                td data-label=(age) { (link.cells[2]) }
                                td data-label=(contact) { (link.cells[3]) }
                                td.url data-label=(link_label) {
                                    a href=(link.url) { (link.url) }
                                    input type="hidden" id=(format!("link-{}", link.code)) value=(link.url);
                                    " "
                                    button.copy type="button" hidden data-kopieer=(format!("link-{}", link.code))
                                        data-gekopieerd=(t("copy.done")) data-mislukt=(t("copy.failed"))
                                        aria-label=(t_with("links.list.copy_label", &[("organisation", &link.cells[0])])) { (t("links.list.copy")) }
                                    " " span id=(format!("link-{}-status", link.code)) role="status" {}
                                }
                                td.code data-label=(code) { (link.code) }
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

//! The campaigns pages of the coordinators' console (`/admin/campagnes`): the list, the form
//! that makes a campaign, a campaign's own page (open, close, change its days, a new admin
//! token) and the page that shows a token once. Plain forms that POST with the session's
//! form token; errors as the NL Design System shows them (a summary on top linking to each
//! field, the message at the field, `aria-invalid`), the values kept. Only the token page
//! loads a script (the copy button; without it, the code can be selected and copied).
use maud::{Markup, html};

use super::admin::frame;
use crate::campaigns::{Draft, Field, Problem, dutch_day};
use crate::store::{Campaign, Window};
use crate::words::{t, t_with};

/// The coordinators' styles.
const STYLES: &[&str] = &["/admin/inzicht.css", "/admin/admin.css"];

/// The frame of every campaigns page around `main`: its brand and the way back to the
/// response page in the header.
fn framed(title: &str, main: Markup) -> Markup {
    frame(title, STYLES, t("brand.campaigns"), ("/admin", t("frame.to_response")), main)
}

/// A campaign in the list, with its stories.
pub struct Listed {
    /// The campaign.
    pub campaign: Campaign,
    /// How many stories it has.
    pub stories: i64,
}

/// A prompt of the questionnaire as a choice in the form.
pub struct PromptChoice {
    /// Its value (stored).
    pub value: String,
    /// Its short title ("Geholpen…").
    pub title: String,
    /// The question a teller answers.
    pub text: String,
}

/// Where a campaign stands today, in the coordinator's words.
pub fn state_words(campaign: &Campaign, today: &str) -> String {
    match campaign.window(today) {
        Window::Open => t("campaigns.state.open").into(),
        Window::NotYetOpen(first) => t_with("campaigns.state.not_yet_open", &[("day", &dutch_day(&first))]),
        Window::Closed(_) => t("campaigns.state.closed").into(),
    }
}

/// A day as a Dutch reader writes it, or a word saying there is none.
fn day_or_none(day: Option<&str>) -> String {
    day.map_or_else(|| t("campaigns.no_day").into(), dutch_day)
}

/// The name people see, or the short name when it has none.
fn name_of(campaign: &Campaign) -> &str {
    campaign.name.as_deref().unwrap_or(if campaign.slug == crate::store::DEFAULT_CAMPAIGN { t("campaigns.default_name") } else { &campaign.slug })
}

/// `/admin/campagnes`: every campaign the token sees, with a way to make one
/// (`can_create`: the collector's token only); `notice`: what just happened.
pub fn list(listed: &[Listed], can_create: bool, today: &str) -> Markup {
    let main = html! {
        h1 { (t("campaigns.title")) }
        p { (t("campaigns.intro")) }
        @if can_create {
            p { a.button href="/admin/campagnes/nieuw" { (t("campaigns.new_campaign")) } }
        }
        ul.campaigns {
            @for item in listed {
                @let campaign = &item.campaign;
                li {
                    h2 { a href={ "/admin/campagnes/" (campaign.slug) } { (name_of(campaign)) } }
                    dl {
                        dt { (t("campaigns.slug")) } dd { (campaign.slug) }
                        dt { (t("campaigns.standing")) } dd { (state_words(campaign, today)) }
                        dt { (t("campaigns.first_day")) } dd { (day_or_none(campaign.opens_on.as_deref())) }
                        dt { (t("campaigns.last_day")) } dd { (day_or_none(campaign.closes_at.as_deref())) }
                        dt { (t("campaigns.stories")) } dd { (item.stories) }
                    }
                    p {
                        a href={ "/admin/campagnes/" (campaign.slug) } {
                            (t("campaigns.manage")) span.visually-hidden { " " (t_with("campaigns.manage_for", &[("name", &name_of(campaign))])) }
                        }
                    }
                }
            }
        }
    };
    framed(t("campaigns.title"), main)
}

/// The id of a field's input (where the error summary links to).
fn field_id(field: Field, prompts: &[PromptChoice]) -> String {
    match field {
        Field::Name => "name".into(),
        Field::Slug => "slug".into(),
        Field::Prompts => prompts.first().map_or_else(|| "prompts".into(), |p| format!("prompt-{}", p.value)),
        Field::Opens => "opens".into(),
        Field::Closes => "closes".into(),
        Field::BaseUrl => "base_url".into(),
    }
}

/// The error summary on top of a form: every problem, linking to its field.
fn summary(problems: &[Problem], prompts: &[PromptChoice]) -> Markup {
    html! {
        @if !problems.is_empty() {
            div.error-summary #fouten role="alert" aria-labelledby="fouten-titel" tabindex="-1" {
                h2 #fouten-titel { (t("form.errors_title")) }
                p { (t("form.errors_intro")) }
                ul {
                    @for problem in problems {
                        li { a href={ "#" (field_id(problem.field(), prompts)) } { (problem.message()) } }
                    }
                }
            }
        }
    }
}

/// The message at a field, if it has a problem.
fn problem_at(field: Field, problems: &[Problem]) -> Option<String> {
    let messages: Vec<String> = problems.iter().filter(|p| p.field() == field).map(Problem::message).collect();
    (!messages.is_empty()).then(|| messages.join(" "))
}

/// One text or date field: label, hint, the message at it, the input with the value kept.
fn input(id: &str, kind: &str, label: &str, hint: Option<&str>, value: &str, problem: Option<String>) -> Markup {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-fout");
    let described: Vec<&str> = [hint.map(|_| hint_id.as_str()), problem.as_ref().map(|_| error_id.as_str())].into_iter().flatten().collect();
    html! {
        div.field.invalid[problem.is_some()] {
            label for=(id) { (label) }
            @if let Some(hint) = hint { span.hint id=(hint_id) { (hint) } }
            @if let Some(problem) = &problem { p.field-error id=(error_id) { span.visually-hidden { (t("form.error")) " " } (problem) } }
            input id=(id) name=(id) type=(kind) value=(value) autocomplete="off"
                aria-describedby=[(!described.is_empty()).then(|| described.join(" "))]
                aria-invalid=[problem.as_ref().map(|_| "true")];
        }
    }
}

/// `/admin/campagnes/nieuw`: the form that makes a campaign, with `draft`'s values and
/// `problems` at their fields.
pub fn new_form(draft: &Draft, problems: &[Problem], prompts: &[PromptChoice], csrf: &str) -> Markup {
    let title = if problems.is_empty() { t("campaigns.new.title").to_string() } else { t_with("form.error_title", &[("title", &t("campaigns.new.title"))]) };
    let prompt_problem = problem_at(Field::Prompts, problems);
    let chosen = |value: &str| draft.prompts.as_ref().is_none_or(|chosen| chosen.iter().any(|c| c == value));
    let main = html! {
        h1 { (t("campaigns.new.heading")) }
        (summary(problems, prompts))
        form method="post" action="/admin/campagnes/nieuw" novalidate {
            input type="hidden" name="csrf" value=(csrf);
            (input("name", "text", t("campaigns.new.name"), Some(t("campaigns.new.name_hint")), &draft.name, problem_at(Field::Name, problems)))
            (input("slug", "text", t("campaigns.new.slug"), Some(t("campaigns.new.slug_hint")), &draft.slug, problem_at(Field::Slug, problems)))
            (input("theme", "text", t("campaigns.new.theme"), Some(t("campaigns.new.theme_hint")), draft.theme.as_deref().unwrap_or(""), None))
            fieldset.field.invalid[prompt_problem.is_some()] #prompts aria-describedby=[prompt_problem.as_ref().map(|_| "prompts-fout")] {
                legend { (t("campaigns.new.prompts")) }
                span.hint { (t("campaigns.new.prompts_hint")) }
                @if let Some(problem) = &prompt_problem { p.field-error #prompts-fout { span.visually-hidden { (t("form.error")) " " } (problem) } }
                @for prompt in prompts {
                    @let id = format!("prompt-{}", prompt.value);
                    div.choice {
                        input type="checkbox" id=(id) name="prompts" value=(prompt.value) checked[chosen(&prompt.value)]
                            aria-invalid=[prompt_problem.as_ref().map(|_| "true")];
                        label for=(id) { strong { (prompt.title) } " " span.hint { (prompt.text) } }
                    }
                }
            }
            (input("opens", "date", t("campaigns.first_day_optional"), Some(t("campaigns.new.opens_hint")),
                draft.opens_on.as_deref().unwrap_or(""), problem_at(Field::Opens, problems)))
            (input("closes", "date", t("campaigns.last_day_optional"), Some(t("campaigns.new.closes_hint")),
                draft.closes_at.as_deref().unwrap_or(""), problem_at(Field::Closes, problems)))
            (input("base_url", "url", t("campaigns.new.base_url"), Some(t("campaigns.new.base_url_hint")),
                draft.base_url.as_deref().unwrap_or(""), problem_at(Field::BaseUrl, problems)))
            p { button type="submit" { (t("campaigns.new.submit")) } }
        }
        p { a href="/admin/campagnes" { (t("campaigns.back")) } }
    };
    framed(&title, main)
}

/// The page that shows a campaign's admin token once: after making the campaign (`made`),
/// or after "Nieuwe beheercode maken". The copy button appears only with `/admin/kopieer.js`.
pub fn token_shown(campaign: &Campaign, token: &str, made: bool) -> Markup {
    let main = html! {
        @if made {
            h1 { (t_with("campaigns.made.heading", &[("name", &name_of(campaign))])) }
            p.notice role="status" { (t_with("campaigns.made.notice", &[("slug", &campaign.slug)])) }
        } @else {
            h1 { (t_with("campaigns.new_token.heading", &[("name", &name_of(campaign))])) }
            p.notice role="status" { (t("campaigns.new_token.notice")) }
        }
        section.token aria-labelledby="h-token" {
            h2 #h-token { (t("campaigns.token.heading")) }
            p { strong { (t("campaigns.token.once")) } " " (t("campaigns.token.keep")) }
            p {
                label for="beheercode" { (t("campaigns.token.label")) }
                input #beheercode type="text" readonly value=(token) autocomplete="off" spellcheck="false" aria-describedby="beheercode-hint";
                span.hint #beheercode-hint { (t("campaigns.token.hint")) }
            }
            p {
                button type="button" hidden data-kopieer="beheercode" data-gekopieerd=(t("copy.done")) data-mislukt=(t("copy.failed")) { (t("campaigns.token.copy")) }
                " " span #beheercode-status role="status" {}
            }
            p { (t("campaigns.token.use")) }
        }
        p { a href={ "/admin/campagnes/" (campaign.slug) } { (t("campaigns.token.continue")) } }
        // The one page with a script: the copy button (served same-origin, see the console).
        script src="/admin/kopieer.js" defer {}
    };
    framed(if made { t("campaigns.made.title") } else { t("campaigns.new_token.title") }, main)
}

/// What the form on a campaign's page to change its days shows: the values typed (or the
/// stored days) and the problems with them.
pub struct DaysForm<'a> {
    /// The first day as typed.
    pub opens: &'a str,
    /// The last day as typed.
    pub closes: &'a str,
    /// What is wrong with them.
    pub problems: &'a [Problem],
}

/// `/admin/campagnes/{slug}`: where the campaign stands, its days (a form), open or close,
/// and a new admin token. `notice`: what was just done.
pub fn detail(campaign: &Campaign, stories: i64, today: &str, csrf: &str, days: &DaysForm<'_>, notice: Option<&str>) -> Markup {
    let action = |what: &str| format!("/admin/campagnes/{}/{what}", campaign.slug);
    let problems = days.problems;
    let main = html! {
        h1 { (name_of(campaign)) }
        @if let Some(notice) = notice { p.notice role="status" { (notice) } }
        (summary(problems, &[]))
        dl {
            dt { (t("campaigns.slug")) } dd { (campaign.slug) }
            dt { (t("campaigns.standing")) } dd #stand { (state_words(campaign, today)) }
            dt { (t("campaigns.first_day")) } dd { (day_or_none(campaign.opens_on.as_deref())) }
            dt { (t("campaigns.last_day")) } dd { (day_or_none(campaign.closes_at.as_deref())) }
            dt { (t("campaigns.stories")) } dd { (stories) }
            @if let Some(theme) = &campaign.theme { dt { (t("campaigns.theme")) } dd { (theme) } }
            @if let Some(url) = &campaign.base_url { dt { (t("campaigns.web_address")) } dd { (url) } }
        }
        section aria-labelledby="h-open" {
            h2 #h-open { (t("campaigns.detail.open_or_closed")) }
            @if campaign.open {
                p { (t("campaigns.detail.close_when")) }
                form method="post" action=(action("sluiten")) {
                    input type="hidden" name="csrf" value=(csrf);
                    button type="submit" { (t("campaigns.detail.close")) }
                }
            } @else {
                p { (t("campaigns.detail.closed_by_hand")) }
                form method="post" action=(action("openen")) {
                    input type="hidden" name="csrf" value=(csrf);
                    button type="submit" { (t("campaigns.detail.open_again")) }
                }
            }
            @if let Some(last) = campaign.closes_at.as_deref().filter(|last| *last < today) {
                p { (t_with("campaigns.detail.last_day_past", &[("day", &dutch_day(last))])) }
            }
        }
        section aria-labelledby="h-days" {
            h2 #h-days { (t("campaigns.detail.change_days")) }
            form method="post" action=(action("data")) novalidate {
                input type="hidden" name="csrf" value=(csrf);
                (input("opens", "date", t("campaigns.first_day_optional"), Some(t("campaigns.detail.opens_hint")), days.opens, problem_at(Field::Opens, problems)))
                (input("closes", "date", t("campaigns.last_day_optional"), Some(t("campaigns.detail.closes_hint")), days.closes, problem_at(Field::Closes, problems)))
                p { button type="submit" { (t("campaigns.detail.save_days")) } }
            }
        }
        section aria-labelledby="h-code" {
            h2 #h-code { (t("campaigns.token.label")) }
            p { (t("campaigns.detail.token_lost")) }
            form method="post" action=(action("beheercode")) {
                input type="hidden" name="csrf" value=(csrf);
                button type="submit" { (t("campaigns.detail.new_token")) }
            }
        }
        p { a href="/admin/campagnes" { (t("campaigns.back")) } }
    };
    let title = if problems.is_empty() { name_of(campaign).to_string() } else { t_with("form.error_title", &[("title", &name_of(campaign))]) };
    framed(&title, main)
}

/// A page that says why something cannot be done here (403, 404), with the way back.
pub fn refused(title: &str, text: &str) -> Markup {
    let main = html! {
        h1 { (title) }
        p { (text) }
        p { a href="/admin/campagnes" { (t("campaigns.to_list")) } }
    };
    framed(title, main)
}

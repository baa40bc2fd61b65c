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

/// The coordinators' styles.
const STYLES: &[&str] = &["/admin/inzicht.css", "/admin/admin.css"];

/// The header's brand on every campaigns page.
const BRAND: &str = "Storypoint · Campagnes";

/// The way back to the response page, in the header.
const RESPONSE: (&str, &str) = ("/admin", "Respons per link");

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

/// Where a campaign stands today, in Dutch words.
pub fn state_words(campaign: &Campaign, today: &str) -> String {
    match campaign.window(today) {
        Window::Open => "Open".into(),
        Window::NotYetOpen(first) => format!("Nog niet open (opent op {})", dutch_day(&first)),
        Window::Closed(_) => "Gesloten".into(),
    }
}

/// A day in Dutch, or a dash when there is none.
fn day_or_none(day: Option<&str>) -> String {
    day.map_or_else(|| "geen".into(), dutch_day)
}

/// The name people see, or the short name when it has none.
fn name_of(campaign: &Campaign) -> &str {
    campaign.name.as_deref().unwrap_or(if campaign.slug == crate::store::DEFAULT_CAMPAIGN { "Het eigen vertelpunt van deze server" } else { &campaign.slug })
}

/// `/admin/campagnes`: every campaign the token sees, with a way to make one
/// (`can_create`: the collector's token only); `notice`: what just happened.
pub fn list(listed: &[Listed], can_create: bool, today: &str) -> Markup {
    let main = html! {
        h1 { "Campagnes" }
        p { "Een campagne is een eigen vertelpunt, bijvoorbeeld voor een regio of een periode. Elke campagne heeft eigen data, vragen en beheercode." }
        @if can_create {
            p { a.button href="/admin/campagnes/nieuw" { "Nieuwe campagne maken" } }
        }
        ul.campaigns {
            @for item in listed {
                @let campaign = &item.campaign;
                li {
                    h2 { a href={ "/admin/campagnes/" (campaign.slug) } { (name_of(campaign)) } }
                    dl {
                        dt { "Korte naam" } dd { (campaign.slug) }
                        dt { "Stand" } dd { (state_words(campaign, today)) }
                        dt { "Eerste dag" } dd { (day_or_none(campaign.opens_on.as_deref())) }
                        dt { "Laatste dag" } dd { (day_or_none(campaign.closes_at.as_deref())) }
                        dt { "Verhalen" } dd { (item.stories) }
                    }
                    p { a href={ "/admin/campagnes/" (campaign.slug) } { "Openen, sluiten of data wijzigen" span.visually-hidden { " voor " (name_of(campaign)) } } }
                }
            }
        }
    };
    frame("Campagnes", STYLES, BRAND, RESPONSE, main)
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
                h2 #fouten-titel { "Er is iets niet goed ingevuld" }
                p { "Er is nog niets bewaard. Verbeter dit en probeer het opnieuw:" }
                ul {
                    @for problem in problems {
                        li { a href={ "#" (field_id(problem.field(), prompts)) } { (problem.dutch()) } }
                    }
                }
            }
        }
    }
}

/// The message at a field, if it has a problem.
fn problem_at(field: Field, problems: &[Problem]) -> Option<String> {
    let messages: Vec<String> = problems.iter().filter(|p| p.field() == field).map(Problem::dutch).collect();
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
            @if let Some(problem) = &problem { p.field-error id=(error_id) { span.visually-hidden { "Fout: " } (problem) } }
            input id=(id) name=(id) type=(kind) value=(value) autocomplete="off"
                aria-describedby=[(!described.is_empty()).then(|| described.join(" "))]
                aria-invalid=[problem.as_ref().map(|_| "true")];
        }
    }
}

/// `/admin/campagnes/nieuw`: the form that makes a campaign, with `draft`'s values and
/// `problems` at their fields.
pub fn new_form(draft: &Draft, problems: &[Problem], prompts: &[PromptChoice], csrf: &str) -> Markup {
    let title = if problems.is_empty() { "Nieuwe campagne" } else { "Fout: Nieuwe campagne" };
    let prompt_problem = problem_at(Field::Prompts, problems);
    let chosen = |value: &str| draft.prompts.as_ref().is_none_or(|chosen| chosen.iter().any(|c| c == value));
    let main = html! {
        h1 { "Nieuwe campagne maken" }
        (summary(problems, prompts))
        form method="post" action="/admin/campagnes/nieuw" novalidate {
            input type="hidden" name="csrf" value=(csrf);
            (input("name", "text", "Naam", Some("De naam die mensen zien, bijvoorbeeld: Vertelpunt Twente 2027."), &draft.name, problem_at(Field::Name, problems)))
            (input("slug", "text", "Korte naam voor in de link",
                Some("Alleen kleine letters, cijfers en streepjes, zonder spaties. Bijvoorbeeld: twente-2027. Je kunt dit later niet meer veranderen."),
                &draft.slug, problem_at(Field::Slug, problems)))
            (input("theme", "text", "Thema (mag leeg blijven)", Some("Waar de regio vooral over wil horen, bijvoorbeeld: passend onderwijs."),
                draft.theme.as_deref().unwrap_or(""), None))
            fieldset.field.invalid[prompt_problem.is_some()] #prompts aria-describedby=[prompt_problem.as_ref().map(|_| "prompts-fout")] {
                legend { "Vragen die vertellers kunnen kiezen" }
                span.hint { "Kies minstens één vraag. Vertellers kiezen er zelf één uit." }
                @if let Some(problem) = &prompt_problem { p.field-error #prompts-fout { span.visually-hidden { "Fout: " } (problem) } }
                @for prompt in prompts {
                    @let id = format!("prompt-{}", prompt.value);
                    div.choice {
                        input type="checkbox" id=(id) name="prompts" value=(prompt.value) checked[chosen(&prompt.value)]
                            aria-invalid=[prompt_problem.as_ref().map(|_| "true")];
                        label for=(id) { strong { (prompt.title) } " " span.hint { (prompt.text) } }
                    }
                }
            }
            (input("opens", "date", "Eerste dag (mag leeg blijven)", Some("Vanaf deze dag kunnen vertellers hun verhaal sturen. Leeg: meteen."),
                draft.opens_on.as_deref().unwrap_or(""), problem_at(Field::Opens, problems)))
            (input("closes", "date", "Laatste dag (mag leeg blijven)", Some("Tot en met deze dag kunnen vertellers hun verhaal sturen. Leeg: geen einde."),
                draft.closes_at.as_deref().unwrap_or(""), problem_at(Field::Closes, problems)))
            (input("base_url", "url", "Webadres van het vertelpunt",
                Some("De pagina die vertellers openen. De links en QR-codes wijzen hierheen. Bijvoorbeeld: https://vertelpunt.example.nl/vertel."),
                draft.base_url.as_deref().unwrap_or(""), problem_at(Field::BaseUrl, problems)))
            p { button type="submit" { "Campagne maken" } }
        }
        p { a href="/admin/campagnes" { "Terug naar de campagnes" } }
    };
    frame(title, STYLES, BRAND, RESPONSE, main)
}

/// The page that shows a campaign's admin token once: after making the campaign (`made`),
/// or after "Nieuwe beheercode maken". The copy button appears only with `/admin/kopieer.js`.
pub fn token_shown(campaign: &Campaign, token: &str, made: bool) -> Markup {
    let main = html! {
        @if made {
            h1 { "Campagne gemaakt: " (name_of(campaign)) }
            p.notice role="status" { "De campagne " (campaign.slug) " is bewaard." }
        } @else {
            h1 { "Nieuwe beheercode voor " (name_of(campaign)) }
            p.notice role="status" { "De oude beheercode werkt niet meer. Wie met de oude code was ingelogd, is nu uitgelogd." }
        }
        section.token aria-labelledby="h-token" {
            h2 #h-token { "De beheercode van deze campagne" }
            p { strong { "Je ziet deze code maar één keer." } " Bewaar hem nu op een veilige plek, bijvoorbeeld in een wachtwoordmanager. Geef hem alleen aan de coördinatoren van deze campagne." }
            p {
                label for="beheercode" { "Beheercode" }
                input #beheercode type="text" readonly value=(token) autocomplete="off" spellcheck="false" aria-describedby="beheercode-hint";
                span.hint #beheercode-hint { "Selecteer de code en kopieer hem (Ctrl+C, of op een telefoon: lang indrukken)." }
            }
            p {
                button type="button" hidden data-kopieer="beheercode" { "Kopieer de code" }
                " " span #beheercode-status role="status" {}
            }
            p { "Met deze code logt een coördinator in en ziet hij alleen deze campagne. Kwijt? Maak op de pagina van de campagne een nieuwe beheercode." }
        }
        p { a href={ "/admin/campagnes/" (campaign.slug) } { "Verder naar de campagne" } }
        // The one page with a script: the copy button (served same-origin, see the console).
        script src="/admin/kopieer.js" defer {}
    };
    frame(if made { "Campagne gemaakt" } else { "Nieuwe beheercode" }, STYLES, BRAND, RESPONSE, main)
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
            dt { "Korte naam" } dd { (campaign.slug) }
            dt { "Stand" } dd #stand { (state_words(campaign, today)) }
            dt { "Eerste dag" } dd { (day_or_none(campaign.opens_on.as_deref())) }
            dt { "Laatste dag" } dd { (day_or_none(campaign.closes_at.as_deref())) }
            dt { "Verhalen" } dd { (stories) }
            @if let Some(theme) = &campaign.theme { dt { "Thema" } dd { (theme) } }
            @if let Some(url) = &campaign.base_url { dt { "Webadres" } dd { (url) } }
        }
        section aria-labelledby="h-open" {
            h2 #h-open { "Open of gesloten" }
            @if campaign.open {
                p { "Sluit de campagne als er geen verhalen meer bij mogen komen. Wie op dat moment nog aan het schrijven is, kan het verhaal nog een dag lang sturen." }
                form method="post" action=(action("sluiten")) {
                    input type="hidden" name="csrf" value=(csrf);
                    button type="submit" { "Campagne sluiten" }
                }
            } @else {
                p { "De campagne is met de hand gesloten. Open hem weer als er toch nog verhalen bij mogen komen." }
                form method="post" action=(action("openen")) {
                    input type="hidden" name="csrf" value=(csrf);
                    button type="submit" { "Campagne weer openen" }
                }
            }
            @if let Some(last) = campaign.closes_at.as_deref().filter(|last| *last < today) {
                p { "Let op: de laatste dag (" (dutch_day(last)) ") is voorbij. Verander de laatste dag hieronder om weer verhalen te krijgen." }
            }
        }
        section aria-labelledby="h-days" {
            h2 #h-days { "Data wijzigen" }
            form method="post" action=(action("data")) novalidate {
                input type="hidden" name="csrf" value=(csrf);
                (input("opens", "date", "Eerste dag (mag leeg blijven)", Some("Leeg: de campagne is meteen open."), days.opens, problem_at(Field::Opens, problems)))
                (input("closes", "date", "Laatste dag (mag leeg blijven)", Some("Leeg: geen einde."), days.closes, problem_at(Field::Closes, problems)))
                p { button type="submit" { "Data bewaren" } }
            }
        }
        section aria-labelledby="h-code" {
            h2 #h-code { "Beheercode" }
            p { "Is de beheercode van deze campagne kwijt, of weet iemand hem die hem niet mag weten? Maak een nieuwe. De oude werkt dan meteen niet meer." }
            form method="post" action=(action("beheercode")) {
                input type="hidden" name="csrf" value=(csrf);
                button type="submit" { "Nieuwe beheercode maken" }
            }
        }
        p { a href="/admin/campagnes" { "Terug naar de campagnes" } }
    };
    let title = if problems.is_empty() { name_of(campaign).to_string() } else { format!("Fout: {}", name_of(campaign)) };
    frame(&title, STYLES, BRAND, RESPONSE, main)
}

/// A page that says why something cannot be done here (403, 404), with the way back.
pub fn refused(title: &str, text: &str) -> Markup {
    let main = html! {
        h1 { (title) }
        p { (text) }
        p { a href="/admin/campagnes" { "Naar de campagnes" } }
    };
    frame(title, STYLES, BRAND, RESPONSE, main)
}

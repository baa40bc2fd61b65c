//! The work session's observation pages: the form on every insight view (what the team sees,
//! two or more interpretations, typical stories), the list of observations with a way to
//! change and delete each, the page to confirm a deletion, and a refusal. Plain forms, no
//! script; every change a POST with the session's form token.
use maud::{Markup, html};

use super::insight::layout_with;
use super::report::Entry;
use super::stories::{Readable, teller_line};
use crate::observations::{Draft, FEWEST_INTERPRETATIONS, Field, INTERPRETATION_FIELDS, Problem};

const STYLES: &[&str] = &["/admin/inzicht.css", "/admin/admin.css", "/admin/werksessie.css"];

/// The id of the form element a problem links to.
fn field_id(field: Field, typical: &[Readable]) -> String {
    match field {
        Field::Text | Field::View => "observatie".into(),
        Field::Interpretations => "betekenis-1".into(),
        Field::Stories => typical.first().map_or_else(|| "verhalen".into(), |s| format!("kies-{}", s.id)),
    }
}

/// The messages at `field`, if any.
fn problem_at(field: Field, problems: &[Problem]) -> Option<String> {
    let messages: Vec<String> = problems.iter().filter(|p| p.field() == field).map(|p| p.to_string()).collect();
    (!messages.is_empty()).then(|| messages.join(" "))
}

/// A message at a field, for screen readers prefixed with "Fout:".
fn field_error(id: &str, message: &str) -> Markup {
    html! { p.field-error id=(id) { span.visually-hidden { "Fout: " } (message) } }
}

/// The error summary on top of a form, each problem linking to its field.
fn summary(problems: &[Problem], typical: &[Readable]) -> Markup {
    html! {
        @if !problems.is_empty() {
            div.error-summary #fouten role="alert" aria-labelledby="fouten-titel" tabindex="-1" {
                h2 #fouten-titel { "De observatie is nog niet bewaard" }
                ul { @for problem in problems { li { a href={ "#" (field_id(problem.field(), typical)) } { (problem) } } } }
            }
        }
    }
}

/// The observation's fields and its button, posting to `action`.
fn form(action: &str, csrf: &str, draft: &Draft, problems: &[Problem], typical: &[Readable], submit: &str) -> Markup {
    let text_problem = problem_at(Field::Text, problems).or_else(|| problem_at(Field::View, problems));
    let readings_problem = problem_at(Field::Interpretations, problems);
    let stories_problem = problem_at(Field::Stories, problems);
    let fields = INTERPRETATION_FIELDS.max(draft.interpretations.len() + 1);
    html! {
        form.observe method="post" action=(action) novalidate {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="weergave" value=(draft.view);
            div.field.invalid[text_problem.is_some()] {
                label for="observatie" { "Wat zien jullie?" }
                span.hint #observatie-hint { "Beschrijf wat opvalt in deze weergave, zonder het al te verklaren." }
                @if let Some(problem) = &text_problem { (field_error("observatie-fout", problem)) }
                textarea #observatie name="observatie" rows="4"
                    aria-describedby=(if text_problem.is_some() { "observatie-hint observatie-fout" } else { "observatie-hint" })
                    aria-invalid=[text_problem.as_ref().map(|_| "true")] { (draft.text) }
            }
            fieldset.field.invalid[readings_problem.is_some()]
                aria-describedby=(if readings_problem.is_some() { "betekenis-hint betekenis-fout" } else { "betekenis-hint" }) {
                legend { "Wat kan het betekenen?" }
                span.hint #betekenis-hint { "Schrijf ten minste " (FEWEST_INTERPRETATIONS) " mogelijke betekenissen op. Ze mogen elkaar tegenspreken." }
                @if let Some(problem) = &readings_problem { (field_error("betekenis-fout", problem)) }
                @for i in 0..fields {
                    @let id = format!("betekenis-{}", i + 1);
                    p {
                        label for=(id) { "Betekenis " (i + 1) }
                        textarea id=(id) name="betekenis" rows="2" aria-invalid=[(readings_problem.is_some() && i < FEWEST_INTERPRETATIONS).then_some("true")] {
                            (draft.interpretations.get(i).map_or("", String::as_str))
                        }
                    }
                }
            }
            fieldset.field.invalid[stories_problem.is_some()] #verhalen {
                legend { "Typerende verhalen bij deze observatie" }
                @if let Some(problem) = &stories_problem { (field_error("verhalen-fout", problem)) }
                @if typical.is_empty() {
                    p.hint {
                        "Er zijn nog geen verhalen gemarkeerd als typerend. Klik op een balk om de verhalen te lezen en kies "
                        "“Markeer als typerend”. Je kunt de observatie ook nu bewaren en later verhalen toevoegen."
                    }
                } @else {
                    span.hint { "Kies uit de verhalen die jullie als typerend hebben gemarkeerd." }
                    @for readable in typical {
                        @let id = format!("kies-{}", readable.id);
                        div.choice {
                            input type="checkbox" id=(id) name="verhaal" value=(readable.id) checked[draft.stories.contains(&readable.id)];
                            label for=(id) { strong { (readable.title()) } " " span.hint { (teller_line(&readable.teller)) } }
                        }
                    }
                }
            }
            p { button type="submit" { (submit) } }
        }
    }
}

/// The section on an insight view (its query `view`) that saves an observation on it.
pub fn section(view: &str, csrf: &str, typical: &[Readable]) -> Markup {
    let draft = Draft { view: view.to_string(), ..Draft::default() };
    html! {
        section.no-print #observatie-opslaan aria-labelledby="observatie-titel" {
            h2 #observatie-titel { "Observatie bewaren voor de werksessie" }
            p { "Ziet het team iets in deze weergave? Schrijf het op, met wat het kan betekenen. Het komt in het "
                a href="/admin/inzicht/werksessie" { "werksessie-rapport" } "." }
            (form("/admin/inzicht/observaties", csrf, &draft, &[], typical, "Observatie bewaren"))
        }
    }
}

/// The form again after a refused new observation, with every problem at its field.
pub fn refused_new(draft: &Draft, problems: &[Problem], typical: &[Readable], csrf: &str) -> Markup {
    let main = html! {
        h1 { "Observatie bewaren" }
        (summary(problems, typical))
        (form("/admin/inzicht/observaties", csrf, draft, problems, typical, "Observatie bewaren"))
        p { a href={ "/admin/inzicht?" (draft.view) } { "Terug naar de weergave" } }
    };
    layout_with("Fout: Observatie bewaren", STYLES, main)
}

/// The page that changes observation `id` (`number` in the list), with `problems` at their fields.
pub fn edit(id: i64, number: usize, draft: &Draft, problems: &[Problem], typical: &[Readable], csrf: &str, view_title: &str) -> Markup {
    let title = if problems.is_empty() { format!("Observatie {number} wijzigen") } else { format!("Fout: Observatie {number} wijzigen") };
    let main = html! {
        h1 { "Observatie " (number) " wijzigen" }
        (summary(problems, typical))
        p { "Bij de weergave: " a href={ "/admin/inzicht?" (draft.view) } { (view_title) } }
        (form(&format!("/admin/inzicht/observaties/{id}"), csrf, draft, problems, typical, "Wijzigingen bewaren"))
        p { a href="/admin/inzicht/observaties" { "Terug naar de observaties" } }
    };
    layout_with(&title, STYLES, main)
}

/// The list of observations (`scope` in words), each with its view, words, interpretations,
/// typical stories and the ways to change or delete it; `notice` after a change.
pub fn list(entries: &[Entry], scope: &str, report: &str, notice: Option<&str>) -> Markup {
    let main = html! {
        h1 { "Observaties voor de werksessie" }
        @if let Some(notice) = notice { p.notice role="status" { (notice) } }
        p { "De observaties van " (scope) ". Elke observatie komt op een eigen pagina in het rapport." }
        ul.actions {
            li { a.button href=(report) { "Werksessie-rapport (om te printen)" } }
            li { a href={ (report.replacen("werksessie", "werksessie.pdf", 1)) } download { "Rapport als PDF" } }
            li { a href="/admin/inzicht" { "Naar Inzicht" } }
        }
        @if entries.is_empty() {
            p role="status" { "Er zijn nog geen observaties. Kies een weergave op de pagina Inzicht en bewaar daar wat het team ziet." }
        }
        ol.observations {
            @for (i, entry) in entries.iter().enumerate() {
                @let o = &entry.observation;
                li #{ "observatie-" (o.id) } {
                    article aria-labelledby={ "obs-titel-" (o.id) } {
                        h2 #{ "obs-titel-" (o.id) } { "Observatie " (i + 1) }
                        p { "Bij de weergave: " a href={ "/admin/inzicht?" (o.view) } { (entry.view_title()) } }
                        @if let Some(campaign) = &o.campaign { p.hint { "Campagne " (campaign) } }
                        p.words { (o.text) }
                        h3 { "Wat het kan betekenen" }
                        ol { @for reading in &o.interpretations { li.words { (reading) } } }
                        h3 { "Typerende verhalen" }
                        @if entry.stories.is_empty() && entry.gone == 0 { p { "Geen gekozen." } }
                        ul { @for readable in &entry.stories { li { (readable.title()) " (" (teller_line(&readable.teller)) ")" } } }
                        @if entry.gone > 0 { p { (entry.gone) " gekozen verhalen kunnen niet meer getoond worden." } }
                        p.actions {
                            a.button href={ "/admin/inzicht/observaties/" (o.id) } aria-label={ "Wijzigen: observatie " (i + 1) } { "Wijzigen" }
                            " "
                            a href={ "/admin/inzicht/observaties/" (o.id) "/verwijderen" } aria-label={ "Verwijderen: observatie " (i + 1) } { "Verwijderen" }
                        }
                    }
                }
            }
        }
    };
    layout_with("Observaties", STYLES, main)
}

/// The page that asks whether observation `number` may really be deleted.
pub fn confirm_delete(entry: &Entry, number: usize, csrf: &str) -> Markup {
    let o = &entry.observation;
    let main = html! {
        h1 { "Observatie " (number) " verwijderen?" }
        p.words { (o.text) }
        p { "Bij de weergave: " (entry.view_title()) ". Verwijderen kan niet ongedaan worden. De verhalen zelf blijven bewaard." }
        form method="post" action={ "/admin/inzicht/observaties/" (o.id) "/verwijderen" } {
            input type="hidden" name="csrf" value=(csrf);
            p { button.danger type="submit" { "Ja, verwijder observatie " (number) } }
        }
        p { a href="/admin/inzicht/observaties" { "Nee, terug naar de observaties" } }
    };
    layout_with(&format!("Observatie {number} verwijderen"), STYLES, main)
}

/// A page that says why something cannot be done, with a way back.
pub fn refused(title: &str, text: &str) -> Markup {
    let main = html! {
        h1 { (title) }
        p { (text) }
        p { a href="/admin/inzicht/observaties" { "Naar de observaties" } }
    };
    layout_with(title, STYLES, main)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_observation_keeps_what_was_typed_and_names_each_problem_at_its_field() {
        let draft = Draft { view: "question=emotion".into(), text: "<Ouders> boos".into(), interpretations: vec!["Wachten".into()], stories: vec![] };
        let problems = [Problem::TooFewInterpretations(1)];
        let page = refused_new(&draft, &problems, &[], "token").into_string();
        assert!(page.contains("<title>Fout: Observatie bewaren — Storypoint</title>"), "{page}");
        assert!(page.contains("href=\"#betekenis-1\"") && page.contains("ten minste twee betekenissen"), "{page}");
        assert!(page.contains(">&lt;Ouders&gt; boos</textarea>"), "escaped and kept: {page}");
        assert!(page.contains("id=\"betekenis-1\" name=\"betekenis\" rows=\"2\" aria-invalid=\"true\">Wachten</textarea>"), "{page}");
        assert!(page.contains("name=\"csrf\" value=\"token\"") && page.contains("name=\"weergave\" value=\"question=emotion\""), "{page}");
        assert_eq!(page.matches("<textarea").count(), 1 + INTERPRETATION_FIELDS);
    }
}

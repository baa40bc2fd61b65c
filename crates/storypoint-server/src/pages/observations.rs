//! The work session's observation pages: the form on every insight view (what the team sees,
//! two or more interpretations, typical stories), the list of observations with a way to
//! change and delete each, the page to confirm a deletion, and a refusal. Plain forms, no
//! script; every change a POST with the session's form token.
use maud::{Markup, html};

use super::insight::layout_with;
use super::report::Entry;
use super::stories::{Readable, teller_line};
use crate::observations::{Draft, FEWEST_INTERPRETATIONS, Field, INTERPRETATION_FIELDS, Problem};
use crate::words::{t, t_around, t_with};

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
    html! { p.field-error id=(id) { span.visually-hidden { (t("observation.error_prefix")) } (message) } }
}

/// The error summary on top of a form, each problem linking to its field.
fn summary(problems: &[Problem], typical: &[Readable]) -> Markup {
    html! {
        @if !problems.is_empty() {
            div.error-summary #fouten role="alert" aria-labelledby="fouten-titel" tabindex="-1" {
                h2 #fouten-titel { (t("observation.not_saved")) }
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
                label for="observatie" { (t("observation.text.label")) }
                span.hint #observatie-hint { (t("observation.text.hint")) }
                @if let Some(problem) = &text_problem { (field_error("observatie-fout", problem)) }
                textarea #observatie name="observatie" rows="4"
                    aria-describedby=(if text_problem.is_some() { "observatie-hint observatie-fout" } else { "observatie-hint" })
                    aria-invalid=[text_problem.as_ref().map(|_| "true")] { (draft.text) }
            }
            fieldset.field.invalid[readings_problem.is_some()]
                aria-describedby=(if readings_problem.is_some() { "betekenis-hint betekenis-fout" } else { "betekenis-hint" }) {
                legend { (t("observation.meanings.legend")) }
                span.hint #betekenis-hint { (t_with("observation.meanings.hint", &[("count", &FEWEST_INTERPRETATIONS)])) }
                @if let Some(problem) = &readings_problem { (field_error("betekenis-fout", problem)) }
                @for i in 0..fields {
                    @let id = format!("betekenis-{}", i + 1);
                    p {
                        label for=(id) { (t_with("observation.meaning", &[("number", &(i + 1))])) }
                        textarea id=(id) name="betekenis" rows="2" aria-invalid=[(readings_problem.is_some() && i < FEWEST_INTERPRETATIONS).then_some("true")] {
                            (draft.interpretations.get(i).map_or("", String::as_str))
                        }
                    }
                }
            }
            fieldset.field.invalid[stories_problem.is_some()] #verhalen {
                legend { (t("observation.stories.legend")) }
                @if let Some(problem) = &stories_problem { (field_error("verhalen-fout", problem)) }
                @if typical.is_empty() {
                    p.hint { (t("observation.stories.none")) }
                } @else {
                    span.hint { (t("observation.stories.hint")) }
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
    let (before, after) = t_around("observation.section.intro");
    html! {
        section.no-print #observatie-opslaan aria-labelledby="observatie-titel" {
            h2 #observatie-titel { (t("observation.section.heading")) }
            p { (before) a href="/admin/inzicht/werksessie" { (t("observation.section.report")) } (after) }
            (form("/admin/inzicht/observaties", csrf, &draft, &[], typical, t("observation.save")))
        }
    }
}

/// The form again after a refused new observation, with every problem at its field.
pub fn refused_new(draft: &Draft, problems: &[Problem], typical: &[Readable], csrf: &str) -> Markup {
    let main = html! {
        h1 { (t("observation.save")) }
        (summary(problems, typical))
        (form("/admin/inzicht/observaties", csrf, draft, problems, typical, t("observation.save")))
        p { a href={ "/admin/inzicht?" (draft.view) } { (t("observation.back_to_view")) } }
    };
    layout_with(&t_with("observation.error_title", &[("title", &t("observation.save"))]), STYLES, main)
}

/// The page that changes observation `id` (`number` in the list), with `problems` at their fields.
pub fn edit(id: i64, number: usize, draft: &Draft, problems: &[Problem], typical: &[Readable], csrf: &str, view_title: &str) -> Markup {
    let heading = t_with("observation.edit.title", &[("number", &number)]);
    let title = if problems.is_empty() { heading.clone() } else { t_with("observation.error_title", &[("title", &heading)]) };
    let main = html! {
        h1 { (heading) }
        (summary(problems, typical))
        p { (t("observation.at_view")) a href={ "/admin/inzicht?" (draft.view) } { (view_title) } }
        (form(&format!("/admin/inzicht/observaties/{id}"), csrf, draft, problems, typical, t("observation.edit.save")))
        p { a href="/admin/inzicht/observaties" { (t("observation.back_to_list")) } }
    };
    layout_with(&title, STYLES, main)
}

/// The list of observations (`scope` in words), each with its view, words, interpretations,
/// typical stories and the ways to change or delete it; `notice` after a change.
pub fn list(entries: &[Entry], scope: &str, report: &str, notice: Option<&str>) -> Markup {
    let main = html! {
        h1 { (t("observation.list.heading")) }
        @if let Some(notice) = notice { p.notice role="status" { (notice) } }
        p { (t_with("observation.list.intro", &[("scope", &scope)])) }
        ul.actions {
            li { a.button href=(report) { (t("observation.list.report")) } }
            li { a href={ (report.replacen("werksessie", "werksessie.pdf", 1)) } download { (t("observation.list.pdf")) } }
            li { a href="/admin/inzicht" { (t("observation.list.to_insight")) } }
        }
        @if entries.is_empty() {
            p role="status" { (t("observation.list.empty")) }
        }
        ol.observations {
            @for (i, entry) in entries.iter().enumerate() {
                @let o = &entry.observation;
                li #{ "observatie-" (o.id) } {
                    article aria-labelledby={ "obs-titel-" (o.id) } {
                        h2 #{ "obs-titel-" (o.id) } { (t_with("observation.number", &[("number", &(i + 1))])) }
                        p { (t("observation.at_view")) a href={ "/admin/inzicht?" (o.view) } { (entry.view_title()) } }
                        @if let Some(campaign) = &o.campaign { p.hint { (t_with("observation.campaign", &[("campaign", campaign)])) } }
                        p.words { (o.text) }
                        h3 { (t("observation.meanings")) }
                        ol { @for reading in &o.interpretations { li.words { (reading) } } }
                        h3 { (t("observation.typical")) }
                        @if entry.stories.is_empty() && entry.gone == 0 { p { (t("observation.none_chosen")) } }
                        ul { @for readable in &entry.stories { li { (readable.title()) " (" (teller_line(&readable.teller)) ")" } } }
                        @if entry.gone > 0 { p { (t_with("observation.gone", &[("count", &entry.gone)])) } }
                        p.actions {
                            a.button href={ "/admin/inzicht/observaties/" (o.id) } aria-label=(t_with("observation.change_label", &[("number", &(i + 1))])) { (t("observation.change")) }
                            " "
                            a href={ "/admin/inzicht/observaties/" (o.id) "/verwijderen" } aria-label=(t_with("observation.delete_label", &[("number", &(i + 1))])) { (t("observation.delete")) }
                        }
                    }
                }
            }
        }
    };
    layout_with(t("observation.list.title"), STYLES, main)
}

/// The page that asks whether observation `number` may really be deleted.
pub fn confirm_delete(entry: &Entry, number: usize, csrf: &str) -> Markup {
    let o = &entry.observation;
    let main = html! {
        h1 { (t_with("observation.delete.heading", &[("number", &number)])) }
        p.words { (o.text) }
        p { (t_with("observation.delete.warning", &[("view", &entry.view_title())])) }
        form method="post" action={ "/admin/inzicht/observaties/" (o.id) "/verwijderen" } {
            input type="hidden" name="csrf" value=(csrf);
            p { button.danger type="submit" { (t_with("observation.delete.yes", &[("number", &number)])) } }
        }
        p { a href="/admin/inzicht/observaties" { (t("observation.delete.no")) } }
    };
    layout_with(&t_with("observation.delete.title", &[("number", &number)]), STYLES, main)
}

/// A page that says why something cannot be done, with a way back.
pub fn refused(title: &str, text: &str) -> Markup {
    let main = html! {
        h1 { (title) }
        p { (text) }
        p { a href="/admin/inzicht/observaties" { (t("observation.to_list")) } }
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

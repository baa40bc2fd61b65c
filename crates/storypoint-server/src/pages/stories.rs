//! A story as the work session reads it: its title, words (or recording), the answers about
//! the story, and only the teller facts the insight crate lets it show, with the form that
//! marks it typical for the report. Used by the list behind a bar, the observation form and
//! the work-session report.
use maud::{Markup, html};
use storypoint_insight::{ShownTeller, StoryAnswer};

use crate::words::{pick, t, t_with};

/// One listed story: what may be read or heard of it. Never the day, never the link; of the
/// teller only [`ShownTeller`]'s facts.
#[derive(Clone, Debug)]
pub struct Readable {
    /// Its id in the store (for the typical mark).
    pub id: i64,
    /// Its title (may be empty).
    pub title: String,
    /// Its text (empty for a spoken story without text).
    pub text: String,
    /// The coordinators' address of its recording, for a spoken story.
    pub audio: Option<String>,
    /// What may be shown about its teller.
    pub teller: ShownTeller,
    /// Its answers about the story.
    pub answers: Vec<StoryAnswer>,
    /// Whether it is marked typical for the work-session report.
    pub typical: bool,
}

impl Readable {
    /// Its title, or "Zonder titel" ("Untitled").
    pub fn title(&self) -> &str {
        if self.title.trim().is_empty() { t("stories.untitled") } else { self.title.as_str() }
    }
}

/// What is shown about the teller in one line: "Ouder · 12 tot 18 jaar · Nederlands".
pub fn teller_line(teller: &ShownTeller) -> String {
    let facts: Vec<&str> = teller.facts.iter().map(|f| pick(&f.label)).collect();
    if facts.is_empty() { t("stories.nothing").to_string() } else { facts.join(" · ") }
}

/// The facts left out, in words: "organisatie en maand" (empty when none).
pub fn left_out_line(teller: &ShownTeller) -> String {
    let words: Vec<&str> = teller
        .left_out
        .iter()
        .map(|fact| match fact.as_str() {
            "organisation" => t("stories.fact.organisation"),
            "month" => t("stories.fact.month"),
            "living_situation" => t("stories.fact.living_situation"),
            "organisation_type" => t("stories.fact.organisation_type"),
            "age_group" => t("stories.fact.age_group"),
            "perspective" => t("stories.fact.perspective"),
            other => other,
        })
        .collect();
    match words.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => t_with("stories.and", &[("list", &rest.join(", ")), ("last", last)]),
    }
}

/// The form that marks a story typical (or no longer), coming back to `back`.
pub fn typical_form(story: &Readable, csrf: &str, back: &str) -> Markup {
    let (value, label) = if story.typical { ("nee", t("stories.typical.unmark")) } else { ("ja", t("stories.typical.mark")) };
    html! {
        form.typical method="post" action="/admin/inzicht/typerend" {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="verhaal" value=(story.id);
            input type="hidden" name="typerend" value=(value);
            input type="hidden" name="terug" value=(back);
            button.secondary type="submit" aria-describedby={ "verhaal-" (story.id) } { (label) }
        }
    }
}

/// One story as an article: `heading` is its heading level (3 in a list, 4 under an
/// observation); with `mark` (form token and the address to come back to) the typical
/// button.
pub fn story(story: &Readable, heading: u8, mark: Option<(&str, &str)>) -> Markup {
    let title = story.title();
    let left_out = left_out_line(&story.teller);
    html! {
        article.story {
            // The id names the typical button's story; without the button a story may stand
            // twice on a page (the report), so it has none.
            @let id = mark.map(|_| format!("verhaal-{}", story.id));
            @if heading == 3 { h3 id=[id] { (title) } } @else { h4 id=[id] { (title) } }
            @if story.typical { p.badge { (t("stories.typical")) } }
            p.teller {
                strong { (t("stories.teller")) } (teller_line(&story.teller)) "."
                @if !left_out.is_empty() { (t_with("stories.left_out", &[("facts", &left_out)])) }
            }
            @if let Some(audio) = &story.audio {
                p { audio controls preload="none" src=(audio) aria-label=(t_with("stories.listen", &[("title", &title)])) {} }
            }
            @if !story.text.is_empty() {
                p.words { (story.text) }
            }
            @if !story.answers.is_empty() {
                dl.answers {
                    @for answer in &story.answers {
                        dt { (pick(&answer.label).trim_end_matches('…')) }
                        dd { (pick(&answer.answer)) }
                    }
                }
            }
            @if let Some((csrf, back)) = mark { (typical_form(story, csrf, back)) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use storypoint_core::Text;
    use storypoint_insight::ShownFact;

    fn readable(left_out: &[&str]) -> Readable {
        Readable {
            id: 7,
            title: "<b>Boos</b>".into(),
            text: "Niemand belde terug.".into(),
            audio: None,
            teller: ShownTeller {
                facts: vec![ShownFact { fact: "perspective".into(), name: Text::dutch("Vertelt als"), value: "parent".into(), label: Text::dutch("Ouder") }],
                left_out: left_out.iter().map(|s| s.to_string()).collect(),
                campaign: "twente".into(),
            },
            answers: vec![StoryAnswer { question: "emotion".into(), label: Text::dutch("Wat voelde je…"), answer: Text::dutch("Boos") }],
            typical: false,
        }
    }

    #[test]
    fn a_story_says_what_is_shown_and_left_out_about_its_teller_and_escapes_its_words() {
        let page = story(&readable(&["organisation", "month", "age_group"]), 3, Some(("token", "/admin/inzicht?x=1"))).into_string();
        assert!(page.contains("<h3 id=\"verhaal-7\">&lt;b&gt;Boos&lt;/b&gt;</h3>"), "{page}");
        assert!(page.contains("Over de verteller: </strong>Ouder. Niet getoond: organisatie, maand en leeftijd, zodat"), "{page}");
        assert!(page.contains("<dt>Wat voelde je</dt><dd>Boos</dd>"), "{page}");
        assert!(page.contains("name=\"typerend\" value=\"ja\"") && page.contains("Markeer als typerend"), "{page}");
        let plain = story(&readable(&[]), 4, None).into_string();
        assert!(!plain.contains("Niet getoond") && !plain.contains("<form") && plain.contains("<h4"), "{plain}");
    }
}

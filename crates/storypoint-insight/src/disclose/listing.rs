//! The stories behind a bar or cell, as they may be read: every story's own answers, and of
//! its teller only what at least *k* stories of the campaign show alike.
//!
//! # What is shown, and why comparing listings gives no teller away
//!
//! A bar or cell of at least *k* stories lists its stories with their title, text and the
//! answers *about the story* (feelings, themes, sliders): those are what the work session
//! reads, and the issue accepts that a story's own words may say something about its teller.
//! What protects the teller is what is shown *about the teller*: perspective, age group,
//! living situation, organisation type, organisation and month ([`TellerFact`]), plus the
//! language and the campaign. Never the day, never the link.
//!
//! 1. **One face per story, the same in every view.** Each story gets a *face* from the
//!    campaign's teller facts alone ([`Dataset::teller_levels`]): one of
//!    [`Schema::teller_faces`](crate::Schema::teller_faces), from every fact down to none, the organisation and the
//!    month left out first, then the questions about the teller from the least to the most
//!    useful for reading (living situation, organisation type, age group, perspective).
//!    Faces are handed out from the fullest down, and a story takes a face only in a group
//!    of at least *k* stories that show exactly the same with it. So every listed story
//!    shows what at least *k − 1* other stories of its campaign show, to the fact, and it
//!    shows it in every listing, whatever the view. The few stories that fit no group are
//!    joined by stories from groups larger than *k* to show nothing together; if there are
//!    too few of those, they are never listed.
//! 2. **A listing says nothing its stories do not show.** Being listed under a view tells
//!    that the story passes the view's filter, group and bar. So a story is listed only
//!    when every teller fact the view picks out (a filter on the perspective or the
//!    organisation, a period, a group "per age", a bar of the living situation) is among
//!    what it shows. Which stories a listing holds then follows from the stories' own
//!    answers and their shown facts, which the unfiltered listing shows anyway: two
//!    listings, or a listing and the filtered views, together tell no more about a teller
//!    than the one face of step 1. (Without this rule, a listing filtered on one
//!    organisation would name the organisation of every story in it.)
//! 3. **The language is always shown** (the words give it away), so a story told in a
//!    language that fewer than *k* tellers of the campaign used is never listed. The
//!    campaign is shown too: a listing across campaigns says where each story is from.
//!
//! Why not "drop facts until the shown combination matches *k* stories": a story whose
//! full combination is rare would then show less than the *k* stories it matches, which
//! show more; the one that shows less stands out, and who it is follows from the rest.
//! Counting only stories that show exactly the same face (step 1) closes that.
//!
//! What stays: the number of stories a listing holds is exact (as before); each listed story
//! carries its id in the store (to mark it typical), and ids follow the order stories came
//! in, so the collector shows lists shuffled, never in that order; a bar is listed
//! only when its exact count is at least *k* (the chart says as much); levels are worked out
//! again as stories come in, so a story may show more later, when more tellers like it
//! have told theirs; and a story's own words can still say who told it (the coordinators
//! read before they share).
use serde::Serialize;
use storypoint_core::Text;
use storypoint_core::contract::{AGE_GROUP, LIVING_SITUATION, ORGANISATION, ORGANISATION_TYPE, PERSPECTIVE};

use super::Disclosure;
use crate::dataset::{Dataset, LANG, NO_ORGANISATION, SCALE_NA, SCALE_NONE, TellerFact, UNLISTED};
use crate::filter::{Filter, Period};
use crate::view::{DistributionView, Grouping, Measure, members};

/// One fact about a listed story's teller, as shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShownFact {
    /// Which fact: a question id (`perspective`, `age_group`, `living_situation`,
    /// `organisation_type`), `organisation`, `month` or `lang`.
    pub fact: String,
    /// What the fact is called, in a few words ("Leeftijd").
    pub name: Text,
    /// The stored value (`parent`, `2026-03`, an organisation's name).
    pub value: String,
    /// The value in words ("Ouder", "maart 2026").
    pub label: Text,
}

/// What a listing shows about one story's teller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShownTeller {
    /// The facts shown, the most useful first (perspective, age group, …, the language
    /// last). A fact the teller did not answer is not among them.
    pub facts: Vec<ShownFact>,
    /// The facts left out so that the teller stays one of at least *k* (ids as in
    /// [`ShownFact::fact`]), in the order they were left out.
    pub left_out: Vec<String>,
    /// The campaign the story was told in.
    pub campaign: String,
}

/// An answer about the story itself (not about its teller).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoryAnswer {
    /// The question id (`emotion`, `seen_heard`).
    pub question: String,
    /// The question as the teller saw it.
    pub label: Text,
    /// The answer in words (options joined with ", "; a slider as "37 van 100" or
    /// "niet van toepassing").
    pub answer: Text,
}

/// One story that may be read, with what may be shown about its teller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ListedStory {
    /// The story's id in the store (its title and text are read from there).
    pub id: i64,
    /// What is shown about its teller.
    pub teller: ShownTeller,
    /// Its answers about the story, in questionnaire order.
    pub answers: Vec<StoryAnswer>,
}

/// The stories behind a cell, or why they are not listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Listing {
    /// The cell has at least *k* stories: these may be read (oldest first). Stories whose
    /// shown facts do not include what the view picks out are left out (see the module
    /// docs); so the list may be shorter than the cell, or empty.
    Stories(Vec<ListedStory>),
    /// Fewer than *k* stories: none are listed.
    Suppressed,
}

impl Disclosure {
    /// The stories of bar `cell` of group `group` (0 = all) of `view` under `filter` that
    /// may be read (see the module docs): none when the bar has fewer than *k* stories.
    pub fn listing(self, data: &Dataset, filter: &Filter, view: &DistributionView, cell: usize, group: usize) -> Listing {
        let rows = members(data, filter, view, cell, group);
        if rows.len() < self.k as usize {
            return Listing::Suppressed;
        }
        let (facts, faces) = (data.schema().teller_facts(), data.schema().teller_faces());
        let levels = data.teller_levels(self.k);
        let picked = picked_out(data, filter, view, group);
        // Which faces show every fact the view picks out.
        let fits: Vec<bool> = faces.iter().map(|face| picked.iter().all(|fact| face.contains(fact))).collect();
        let stories = rows.into_iter().filter(|&row| fits.get(usize::from(levels[row])).copied().unwrap_or(false));
        Listing::Stories(stories.map(|row| listed(data, &facts, &faces, levels[row], row)).collect())
    }

    /// The story with store id `id` as any listing would show it, unless it may never be
    /// listed (or is not here): for the stories marked typical and the printed report.
    pub fn listed(self, data: &Dataset, id: i64) -> Option<ListedStory> {
        let row = data.row_of(id)?;
        let level = data.teller_levels(self.k)[row];
        let schema = data.schema();
        (level != UNLISTED).then(|| listed(data, &schema.teller_facts(), &schema.teller_faces(), level, row))
    }
}

/// The teller facts a view picks out: a listing under it tells that its stories have them.
fn picked_out(data: &Dataset, filter: &Filter, view: &DistributionView, group: usize) -> Vec<TellerFact> {
    let schema = data.schema();
    let teller_question = |d: usize| (schema.dimensions[d].identifying && schema.dimensions[d].id != LANG).then_some(TellerFact::Dimension(d));
    let mut picked: Vec<TellerFact> = filter.choices.iter().filter_map(|&(d, _)| teller_question(d)).collect();
    if filter.organisation.is_some() {
        picked.push(TellerFact::Organisation);
    }
    if filter.period != Period::default() {
        picked.push(TellerFact::Month);
    }
    if let Measure::Choice(d) = view.measure {
        picked.extend(teller_question(d));
    }
    match &view.grouping {
        Grouping::By(d) if group > 0 => picked.extend(teller_question(*d)),
        Grouping::Rounds(..) if group > 0 => picked.push(TellerFact::Month),
        _ => {}
    }
    picked
}

/// Story `row` with face `level` of `faces`: its shown teller facts (most useful first, of
/// `facts`) and its answers about the story.
fn listed(data: &Dataset, facts: &[TellerFact], faces: &[Vec<TellerFact>], level: u8, row: usize) -> ListedStory {
    let schema = data.schema();
    let face: &[TellerFact] = faces.get(usize::from(level)).map_or(&[], Vec::as_slice);
    let mut shown: Vec<ShownFact> = facts.iter().rev().filter(|fact| face.contains(fact)).filter_map(|&fact| shown_fact(data, fact, row)).collect();
    if let Some(lang) = schema.dimension(LANG) {
        shown.extend(shown_fact(data, TellerFact::Dimension(lang), row));
    }
    let left_out = facts.iter().filter(|fact| !face.contains(fact)).map(|&fact| fact_id(data, fact)).collect();
    let campaign = data.campaign_name(data.campaigns[row]).unwrap_or_default().to_string();
    let mut answers = Vec::new();
    for (d, dimension) in schema.dimensions.iter().enumerate().filter(|(_, d)| !d.identifying) {
        let labels = labels_of(data, d, row);
        if !labels.is_empty() {
            answers.push(StoryAnswer { question: dimension.id.clone(), label: dimension.label.clone(), answer: joined(&labels) });
        }
    }
    for (s, scale) in schema.scales.iter().enumerate() {
        let answer = match data.scale(row, s) {
            SCALE_NONE => continue,
            SCALE_NA => Text::new("niet van toepassing", "does not apply"),
            value => Text::new(&format!("{value} van 100"), &format!("{value} of 100")),
        };
        answers.push(StoryAnswer { question: scale.id.clone(), label: scale.label.clone(), answer });
    }
    ListedStory { id: data.id(row), teller: ShownTeller { facts: shown, left_out, campaign }, answers }
}

/// The labels of the options of dimension `d` that story `row` chose.
fn labels_of(data: &Dataset, d: usize, row: usize) -> Vec<&Text> {
    let bits = data.choice(row, d);
    data.schema().dimensions[d].categories.iter().enumerate().filter(|(c, _)| bits & (1 << c) != 0).map(|(_, category)| &category.label).collect()
}

/// Texts joined with ", ", per language.
fn joined(texts: &[&Text]) -> Text {
    let nl: Vec<&str> = texts.iter().map(|t| t.nl.as_str()).collect();
    let en: Vec<&str> = texts.iter().map(|t| t.get(storypoint_core::Lang::EN)).collect();
    Text::new(&nl.join(", "), &en.join(", "))
}

/// The id of a fact, as [`ShownFact::fact`] names it.
fn fact_id(data: &Dataset, fact: TellerFact) -> String {
    match fact {
        TellerFact::Organisation => ORGANISATION.to_string(),
        TellerFact::Month => "month".to_string(),
        TellerFact::Dimension(d) => data.schema().dimensions[d].id.clone(),
    }
}

/// What a fact is called on a page.
fn fact_name(data: &Dataset, fact: TellerFact) -> Text {
    let id = fact_id(data, fact);
    match id.as_str() {
        PERSPECTIVE => Text::new("Vertelt als", "Tells as"),
        AGE_GROUP => Text::new("Leeftijd", "Age"),
        LIVING_SITUATION => Text::new("Woont", "Lives"),
        ORGANISATION_TYPE => Text::new("Soort organisatie", "Kind of organisation"),
        ORGANISATION => Text::new("Organisatie", "Organisation"),
        "month" => Text::new("Maand", "Month"),
        LANG => Text::new("Taal", "Language"),
        _ => match fact {
            TellerFact::Dimension(d) => {
                let label = &data.schema().dimensions[d].label;
                Text::new(label.nl.trim_end_matches('…'), label.get(storypoint_core::Lang::EN).trim_end_matches('…'))
            }
            _ => Text::dutch(&id),
        },
    }
}

/// Fact `fact` of story `row` as shown, or nothing when the teller did not answer it.
fn shown_fact(data: &Dataset, fact: TellerFact, row: usize) -> Option<ShownFact> {
    let (value, label) = match fact {
        TellerFact::Organisation => {
            let index = data.organisations[row];
            let name = (index != NO_ORGANISATION).then(|| data.organisation_name(index)).flatten()?;
            (name.to_string(), Text::dutch(name))
        }
        TellerFact::Month => {
            let month = data.months[row];
            (month.to_string(), month_words(&month.to_string()))
        }
        TellerFact::Dimension(d) => {
            let labels = labels_of(data, d, row);
            if labels.is_empty() {
                return None;
            }
            let bits = data.choice(row, d);
            let values: Vec<&str> =
                data.schema().dimensions[d].categories.iter().enumerate().filter(|(c, _)| bits & (1 << c) != 0).map(|(_, c)| c.value.as_str()).collect();
            (values.join(","), joined(&labels))
        }
    };
    Some(ShownFact { fact: fact_id(data, fact), name: fact_name(data, fact), value, label })
}

/// `2026-03` as "maart 2026" / "March 2026".
fn month_words(month: &str) -> Text {
    const NL: [&str; 12] = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];
    const EN: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    let (year, number) = month.split_once('-').unwrap_or((month, ""));
    match number.parse::<usize>().ok().filter(|m| (1..=12).contains(m)) {
        Some(m) => Text::new(&format!("{} {year}", NL[m - 1]), &format!("{} {year}", EN[m - 1])),
        None => Text::dutch(month),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_read_as_words() {
        assert_eq!(month_words("2026-03").nl, "maart 2026");
        assert_eq!(month_words("2025-12").get(storypoint_core::Lang::EN), "December 2025");
    }
}

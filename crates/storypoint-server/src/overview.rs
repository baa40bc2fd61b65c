//! How many stories came in: the figures behind `GET /api/v1/stats` (JSON, for scripts) and
//! the `/admin` page (HTML), computed once here so both always show the same. Store reads:
//! call off the async threads. Also the bursts of look-alike stories the page warns about.
use serde::Serialize;

use crate::state::AppState;
use crate::store::{Campaign, LinkCount, StoreError, Window};

/// The response of one campaign (or of every campaign together).
#[derive(Debug, Serialize)]
pub struct Overview {
    /// All stories.
    pub total: i64,
    /// Stories without a (known) link.
    pub without_link: i64,
    /// Every link, also those without stories.
    pub per_link: Vec<LinkCount>,
    /// Per perspective answer, "niet ingevuld" last.
    pub per_perspective: Vec<OptionCount>,
    /// Per age group answer, "niet ingevuld" last.
    pub per_age_group: Vec<OptionCount>,
    /// Per day, oldest first.
    pub per_day: Vec<DayCount>,
    /// Near-identical stories that came in together (see [`bursts`]).
    pub bursts: Vec<Burst>,
    /// The chosen campaign (`None`: every campaign together).
    pub campaign: Option<CampaignInfo>,
}

/// Stories with one answer to a choice question (`value` none: not answered).
#[derive(Debug, Serialize)]
pub struct OptionCount {
    /// The answer's value.
    pub value: Option<String>,
    /// Its Dutch label.
    pub label: String,
    /// How many stories gave it.
    pub stories: i64,
}

/// Stories received on one day.
#[derive(Debug, Serialize)]
pub struct DayCount {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// How many.
    pub stories: i64,
}

/// A campaign as the coordinators see it.
#[derive(Debug, Serialize)]
pub struct CampaignInfo {
    /// Its slug (in addresses).
    pub slug: String,
    /// Its name, if it has one.
    pub name: Option<String>,
    /// Whether it takes stories today.
    pub open: bool,
    /// The first day it takes stories.
    pub opens_on: Option<String>,
    /// When it stops.
    pub closes_at: Option<String>,
    /// Its stories (in the list of campaigns only).
    pub stories: Option<i64>,
}

impl CampaignInfo {
    /// `campaign` on `today` (`YYYY-MM-DD`).
    pub fn of(campaign: &Campaign, stories: Option<i64>, today: &str) -> CampaignInfo {
        CampaignInfo {
            slug: campaign.slug.clone(),
            name: campaign.name.clone(),
            open: campaign.window(today) == Window::Open,
            opens_on: campaign.opens_on.clone(),
            closes_at: campaign.closes_at.clone(),
            stories,
        }
    }
}

/// The figures of `chosen` (every campaign together: `None`) on `today`.
pub fn of(state: &AppState, chosen: Option<&Campaign>, today: &str) -> Result<Overview, StoreError> {
    let slug = chosen.map(|c| c.slug.as_str());
    let counts = state.store.counts(slug)?;
    let q = state.history.current();
    let per_option = |question: &str, counted: &[(Option<String>, i64)]| {
        let count = |value: Option<&str>| counted.iter().find(|(v, _)| v.as_deref() == value).map_or(0, |(_, n)| *n);
        let asked = q.question(question);
        let mut rows: Vec<OptionCount> = asked
            .and_then(|asked| asked.kind.option_values())
            .into_iter()
            .flatten()
            .map(|value| OptionCount {
                value: Some(value.to_string()),
                label: asked.and_then(|asked| asked.kind.option_label(value)).map(|t| t.nl.clone()).unwrap_or_default(),
                stories: count(Some(value)),
            })
            .collect();
        rows.push(OptionCount { value: None, label: "niet ingevuld".into(), stories: count(None) });
        rows
    };
    Ok(Overview {
        total: counts.total,
        without_link: counts.without_link,
        per_perspective: per_option(storypoint_core::contract::PERSPECTIVE, &counts.per_perspective),
        per_age_group: per_option(storypoint_core::contract::AGE_GROUP, &counts.per_age_group),
        per_day: counts.per_day.iter().map(|(day, n)| DayCount { day: day.clone(), stories: *n }).collect(),
        bursts: bursts(state, slug, &counts.per_link)?,
        per_link: counts.per_link,
        campaign: chosen.map(|c| CampaignInfo::of(c, None, today)),
    })
}

/// The campaigns a token sees (`scope`: a campaign's token, limited to its own), each with
/// its stories.
pub fn campaigns(state: &AppState, scope: Option<&str>, today: &str) -> Result<Vec<CampaignInfo>, StoreError> {
    let mut listed = Vec::new();
    for campaign in state.store.campaigns()? {
        if scope.is_none_or(|own| own == campaign.slug) {
            let stories = state.store.counts(Some(&campaign.slug))?.total;
            listed.push(CampaignInfo::of(&campaign, Some(stories), today));
        }
    }
    Ok(listed)
}

/// Near-identical stories that came in together: one person may have sent them many times.
#[derive(Debug, serde::Serialize)]
pub struct Burst {
    /// The day they came in (`YYYY-MM-DD`).
    pub day: String,
    /// Their campaign.
    pub campaign: String,
    /// The link they came through, if any.
    pub link: Option<String>,
    /// That link's organisation.
    pub organisation: Option<String>,
    /// How many.
    pub stories: usize,
}

/// Bursts of near-identical stories in `campaign` (every campaign: `None`) for the response
/// page: the day, the link's organisation (none without a link) and how many. Suppression
/// cannot tell one person's look-alike stories from many tellers; a coordinator can, by
/// reading them (see RELIABILITY.md). Reads every story: the page is opened a few times a week.
pub fn bursts(state: &AppState, campaign: Option<&str>, links: &[crate::store::LinkCount]) -> Result<Vec<Burst>, StoreError> {
    let questionnaire = state.history.current();
    let is_text = |id: &str| {
        questionnaire
            .question(id)
            .is_some_and(|q| matches!(q.kind, storypoint_core::QuestionKind::LongText { .. } | storypoint_core::QuestionKind::ShortText { .. }))
    };
    // Per story: (campaign, day, link, closed answers, free text), the answers in key order.
    let facts: Vec<(String, String, Option<String>, String, String)> = state
        .store
        .stories()?
        .into_iter()
        .filter(|story| campaign.is_none_or(|slug| slug == story.campaign))
        .map(|story| {
            let mut answers: Vec<(&String, &serde_json::Value)> = story.answers.iter().collect();
            answers.sort_by(|a, b| a.0.cmp(b.0));
            let (texts, closed): (Vec<_>, Vec<_>) = answers.into_iter().partition(|(id, _)| is_text(id));
            let closed = serde_json::to_string(&closed).unwrap_or_default();
            let text = texts.iter().filter_map(|(_, v)| v.as_str()).collect::<Vec<_>>().join("\n");
            (story.campaign, story.received_on, story.link, closed, text)
        })
        .collect();
    let told: Vec<storypoint_insight::bursts::Told<'_>> = facts
        .iter()
        .map(|(campaign, day, link, answers, text)| storypoint_insight::bursts::Told { campaign, day, link: link.as_deref(), answers, text })
        .collect();
    let organisation = |code: &str| links.iter().find(|l| l.code == code).map(|l| l.organisation.clone());
    Ok(storypoint_insight::bursts::bursts(&told)
        .into_iter()
        .map(|b| Burst { organisation: b.link.as_deref().and_then(organisation), day: b.day, campaign: b.campaign, link: b.link, stories: b.stories })
        .collect())
}

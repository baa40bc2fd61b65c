//! How many stories came in: the figures behind `GET /api/v1/stats` (JSON, for scripts) and
//! the `/admin` page (HTML), computed once here so both always show the same. Store reads:
//! call off the async threads.
use serde::Serialize;

use crate::access::Access;
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
    /// Near-identical stories that came in together (see [`crate::insight::bursts`]).
    pub bursts: Vec<crate::insight::Burst>,
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
        bursts: crate::insight::bursts(state, slug, &counts.per_link)?,
        per_link: counts.per_link,
        campaign: chosen.map(|c| CampaignInfo::of(c, None, today)),
    })
}

/// The campaigns `access` sees, each with its stories.
pub fn campaigns(state: &AppState, access: &Access, today: &str) -> Result<Vec<CampaignInfo>, StoreError> {
    let mut listed = Vec::new();
    for campaign in state.store.campaigns()? {
        if access.campaign().is_none_or(|own| own == campaign.slug) {
            let stories = state.store.counts(Some(&campaign.slug))?.total;
            listed.push(CampaignInfo::of(&campaign, Some(stories), today));
        }
    }
    Ok(listed)
}

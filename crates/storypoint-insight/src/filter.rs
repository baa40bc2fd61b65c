//! What a view is narrowed to: a [`Filter`] on the tellers' answers, organisation, campaign,
//! language and a [`Period`] of months, compiled against a dataset once per view.
use storypoint_core::contract::ORGANISATION;
use storypoint_core::{Lang, Text};

use crate::dataset::{Dataset, Month, NO_ORGANISATION, Schema};
/// A span of months; either end may be open.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Period {
    /// The first month included.
    pub from: Option<Month>,
    /// The last month included.
    pub to: Option<Month>,
}

impl Period {
    /// Whether `month` falls in the period.
    pub fn contains(&self, month: Month) -> bool {
        self.from.is_none_or(|from| month >= from) && self.to.is_none_or(|to| month <= to)
    }

    /// The period in words: `2025-01 t/m 2025-12`, `vanaf 2026-01`, `alle maanden`.
    pub fn label(&self) -> String {
        self.words().nl
    }

    /// The period in Dutch and English words.
    pub fn words(&self) -> Text {
        let (nl, en) = match (self.from, self.to) {
            (Some(from), Some(to)) => (format!("{from} t/m {to}"), format!("{from} to {to}")),
            (Some(from), None) => (format!("vanaf {from}"), format!("from {from}")),
            (None, Some(to)) => (format!("t/m {to}"), format!("up to {to}")),
            (None, None) => ("alle maanden".into(), "all months".into()),
        };
        Text::new(&nl, &en)
    }
}

/// Which stories a view counts. Within one question several values mean "any of them";
/// across questions, "all of them".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// (dimension, category) pairs.
    pub(crate) choices: Vec<(usize, usize)>,
    /// The organisation's name, exactly as stored.
    pub(crate) organisation: Option<String>,
    /// The campaign's slug (none: every campaign, the national view).
    pub(crate) campaign: Option<String>,
    /// The months.
    pub period: Period,
}

/// A filter compiled against one dataset: a mask per dimension.
pub(crate) struct Compiled {
    masks: Vec<(usize, u64)>,
    /// `Some(NO_ORGANISATION)` when the named organisation has no stories: nothing matches.
    organisation: Option<u32>,
    /// Likewise for the campaign.
    campaign: Option<u32>,
    period: Period,
}

impl Compiled {
    pub(crate) fn matches(&self, data: &Dataset, row: usize) -> bool {
        self.masks.iter().all(|&(d, mask)| data.choice(row, d) & mask != 0)
            && self.organisation.is_none_or(|o| o != NO_ORGANISATION && data.organisations[row] == o)
            && self.campaign.is_none_or(|c| c != NO_ORGANISATION && data.campaigns[row] == c)
            && self.period.contains(data.months[row])
    }
}

impl Filter {
    pub(crate) fn compile(&self, data: &Dataset) -> Compiled {
        let mut masks: Vec<(usize, u64)> = Vec::new();
        for &(d, c) in &self.choices {
            match masks.iter_mut().find(|(dimension, _)| *dimension == d) {
                Some((_, mask)) => *mask |= 1 << c,
                None => masks.push((d, 1 << c)),
            }
        }
        Compiled {
            masks,
            organisation: self.organisation.as_ref().map(|name| data.organisation(name).unwrap_or(NO_ORGANISATION)),
            campaign: self.campaign.as_ref().map(|slug| data.campaign(slug).unwrap_or(NO_ORGANISATION)),
            period: self.period.clone(),
        }
    }

    /// Whether nothing is filtered.
    pub fn is_empty(&self) -> bool {
        self.choices.is_empty() && self.organisation.is_none() && self.campaign.is_none() && self.period == Period::default()
    }

    /// The filter as query pairs, in a stable order.
    pub fn pairs(&self, schema: &Schema) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> =
            self.choices.iter().map(|&(d, c)| (schema.dimensions[d].id.clone(), schema.dimensions[d].categories[c].value.clone())).collect();
        if let Some(name) = &self.organisation {
            pairs.push((ORGANISATION.into(), name.clone()));
        }
        if let Some(slug) = &self.campaign {
            pairs.push(("campaign".into(), slug.clone()));
        }
        if let Some(from) = self.period.from {
            pairs.push(("from".into(), from.to_string()));
        }
        if let Some(to) = self.period.to {
            pairs.push(("to".into(), to.to_string()));
        }
        pairs
    }

    /// The filter in plain Dutch, for the page and the printed report.
    pub fn describe(&self, schema: &Schema) -> String {
        self.describe_in(schema, Lang::NL)
    }

    /// The filter in plain words of `lang` (Dutch or English; another is Dutch).
    pub fn describe_in(&self, schema: &Schema, lang: Lang) -> String {
        let english = lang == Lang::EN;
        let pick = |text: &Text| if english { text.get(Lang::EN).to_string() } else { text.nl.clone() };
        let mut parts: Vec<String> = self
            .choices
            .iter()
            .map(|&(d, c)| {
                let dimension = &schema.dimensions[d];
                format!("{}: {}", pick(&dimension.label).trim_end_matches('…'), pick(&dimension.categories[c].label))
            })
            .collect();
        if let Some(name) = &self.organisation {
            parts.push(format!("{}: {name}", if english { "organisation" } else { "organisatie" }));
        }
        if let Some(slug) = &self.campaign {
            parts.push(format!("{}: {slug}", if english { "campaign" } else { "campagne" }));
        }
        if self.period != Period::default() {
            parts.push(format!("{}: {}", if english { "period" } else { "periode" }, pick(&self.period.words())));
        }
        match (parts.is_empty(), english) {
            (true, true) => "all stories".into(),
            (true, false) => "alle verhalen".into(),
            _ => parts.join("; "),
        }
    }

    /// Whether the filter holds this (dimension, category) pair.
    pub fn has(&self, dimension: usize, category: usize) -> bool {
        self.choices.contains(&(dimension, category))
    }

    /// The organisation filtered on.
    pub fn organisation(&self) -> Option<&str> {
        self.organisation.as_deref()
    }

    /// The campaign filtered on (none: all campaigns together).
    pub fn campaign(&self) -> Option<&str> {
        self.campaign.as_deref()
    }

    /// Limits the filter to one campaign, whatever it asked for (a campaign's coordinators).
    pub fn only_campaign(&mut self, slug: &str) {
        self.campaign = Some(slug.to_string());
    }
}

//! A view and its filter, read from (and written back to) a URL's query string, so every
//! view can be shared with the team, bookmarked and printed.
use storypoint_core::contract::{EMOTION, ORGANISATION, PERSPECTIVE};

use crate::InsightError;
use crate::dataset::{Dataset, LANG, Month, NO_ORGANISATION, Schema};
use crate::view::{DistributionView, Grouping, Measure, SCALE_BINS};

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

    /// The period in words: `2025-01 t/m 2025-12`, `vanaf 2026-01`, `altijd`.
    pub fn label(&self) -> String {
        match (self.from, self.to) {
            (Some(from), Some(to)) => format!("{from} t/m {to}"),
            (Some(from), None) => format!("vanaf {from}"),
            (None, Some(to)) => format!("t/m {to}"),
            (None, None) => "alle maanden".into(),
        }
    }
}

/// Which stories a view counts. Within one question several values mean "any of them";
/// across questions, "all of them".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// (dimension, category) pairs.
    choices: Vec<(usize, usize)>,
    /// The organisation's name, exactly as stored.
    organisation: Option<String>,
    /// The campaign's slug (none: every campaign, the national view).
    campaign: Option<String>,
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
        let mut pairs: Vec<(String, String)> = self
            .choices
            .iter()
            .map(|&(d, c)| (schema.dimensions[d].id.clone(), schema.dimensions[d].categories[c].value.clone()))
            .collect();
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
        let mut parts: Vec<String> = self
            .choices
            .iter()
            .map(|&(d, c)| {
                let dimension = &schema.dimensions[d];
                format!("{}: {}", dimension.label.nl.trim_end_matches('…'), dimension.categories[c].label.nl)
            })
            .collect();
        if let Some(name) = &self.organisation {
            parts.push(format!("organisatie: {name}"));
        }
        if let Some(slug) = &self.campaign {
            parts.push(format!("campagne: {slug}"));
        }
        if self.period != Period::default() {
            parts.push(format!("periode: {}", self.period.label()));
        }
        if parts.is_empty() { "alle verhalen".into() } else { parts.join("; ") }
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

/// What a request asks to see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum View {
    /// One question's distribution, per group (`view=distribution`, the default).
    Distribution(DistributionView),
    /// Two choice questions against each other (`view=crosstab&row=…&col=…`).
    CrossTab {
        /// The row dimension.
        rows: usize,
        /// The column dimension.
        columns: usize,
    },
    /// The stories behind one cell (`view=stories&question=…&value=…&group=…`).
    Stories {
        /// The distribution the cell is in.
        view: DistributionView,
        /// The cell: a category or slider bin; [`SCALE_BINS`] is "does not apply".
        cell: usize,
        /// The group: 0 is all stories.
        group: usize,
    },
    /// One page per question, for printing (`view=report`).
    Report,
}

/// A parsed request: a view and a filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// What to show.
    pub view: View,
    /// Which stories.
    pub filter: Filter,
}

/// Query keys the caller handles itself (the output format).
const PASSED_THROUGH: &[&str] = &["format"];

impl Request {
    /// Reads a query string (`question=emotion&by=perspective&age_group=under_12`). Empty
    /// values mean "not set". An unknown key or value is an error naming the key.
    pub fn parse(schema: &Schema, query: &str) -> Result<Request, InsightError> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
            .map(|(k, v)| (k.into_owned(), v.trim().to_string()))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        let month = |key: &str| -> Result<Option<Month>, InsightError> {
            get(key)
                .map(|v| Month::parse(v).ok_or_else(|| InsightError::bad(key, format!("`{v}` is not a month; write it as YYYY-MM"))))
                .transpose()
        };
        let dimension = |key: &str, default: Option<&str>| -> Result<usize, InsightError> {
            let id = get(key).or(default).ok_or_else(|| InsightError::bad(key, "choose a question"))?;
            schema.dimension(id).ok_or_else(|| InsightError::bad(key, format!("`{id}` is not a choice question of this questionnaire")))
        };

        let mut filter = Filter { period: Period { from: month("from")?, to: month("to")? }, ..Filter::default() };
        const VIEW_KEYS: &[&str] = &["view", "question", "by", "row", "col", "value", "group", "a_from", "a_to", "b_from", "b_to"];
        for (key, value) in &pairs {
            if VIEW_KEYS.contains(&key.as_str()) || PASSED_THROUGH.contains(&key.as_str()) || key == "from" || key == "to" {
                continue;
            }
            if key == ORGANISATION {
                filter.organisation = Some(value.clone());
                continue;
            }
            if key == "campaign" {
                filter.campaign = Some(value.clone());
                continue;
            }
            let d = schema.dimension(key).ok_or_else(|| InsightError::bad(key, "not a filter; filter on a choice question, organisation, campaign, from or to"))?;
            let c = schema.dimensions[d]
                .categories
                .iter()
                .position(|c| &c.value == value)
                .ok_or_else(|| InsightError::bad(key, format!("`{value}` is not one of its options")))?;
            if !filter.has(d, c) {
                filter.choices.push((d, c));
            }
        }

        let default_group = schema.dimension(PERSPECTIVE).map(|_| PERSPECTIVE);
        let distribution = || -> Result<DistributionView, InsightError> {
            let question = get("question").or_else(|| schema.dimensions.first().map(|d| d.id.as_str())).unwrap_or(LANG);
            let measure = match (schema.dimension(question), schema.scale(question)) {
                (Some(d), _) => Measure::Choice(d),
                (None, Some(s)) => Measure::Scale(s),
                (None, None) => {
                    return Err(InsightError::bad("question", format!("`{question}` is not a choice or slider question of this questionnaire")));
                }
            };
            let grouping = match get("by").or(default_group) {
                None | Some("none") => Grouping::All,
                Some("rounds") => Grouping::Rounds(
                    Period { from: month("a_from")?, to: month("a_to")? },
                    Period { from: month("b_from")?, to: month("b_to")? },
                ),
                Some(id) => Grouping::By(dimension("by", Some(id))?),
            };
            Ok(DistributionView { measure, grouping })
        };
        let view = match get("view").unwrap_or("distribution") {
            "distribution" => View::Distribution(distribution()?),
            "crosstab" => {
                let rows = dimension("row", Some(EMOTION).filter(|id| schema.dimension(id).is_some()).or(schema.dimensions.first().map(|d| d.id.as_str())))?;
                let columns = dimension("col", default_group)?;
                if rows == columns {
                    return Err(InsightError::bad("col", "choose two different questions"));
                }
                View::CrossTab { rows, columns }
            }
            "stories" => {
                let view = distribution()?;
                let value = get("value").ok_or_else(|| InsightError::bad("value", "say which bar: the option's value"))?;
                let cell = match view.measure {
                    Measure::Choice(d) => schema.dimensions[d].categories.iter().position(|c| c.value == value),
                    Measure::Scale(_) if value == storypoint_core::NOT_APPLICABLE => Some(SCALE_BINS),
                    Measure::Scale(_) => (0..SCALE_BINS).find(|&b| {
                        let high = if b + 1 == SCALE_BINS { 100 } else { b * 10 + 9 };
                        value == format!("{}-{high}", b * 10)
                    }),
                }
                .ok_or_else(|| InsightError::bad("value", format!("`{value}` is not a bar of this chart")))?;
                let group = match (get("group").unwrap_or("all"), &view.grouping) {
                    ("all", _) => 0,
                    ("a", Grouping::Rounds(..)) => 1,
                    ("b", Grouping::Rounds(..)) => 2,
                    (key, Grouping::By(d)) => 1 + schema.dimensions[*d]
                        .categories
                        .iter()
                        .position(|c| c.value == key)
                        .ok_or_else(|| InsightError::bad("group", format!("`{key}` is not a group of this chart")))?,
                    (key, _) => return Err(InsightError::bad("group", format!("`{key}` is not a group of this chart"))),
                };
                View::Stories { view, cell, group }
            }
            "report" => View::Report,
            other => return Err(InsightError::bad("view", format!("`{other}` is not a view; use distribution, crosstab, stories or report"))),
        };
        Ok(Request { view, filter })
    }

    /// The distribution this request shows (also for a list of stories), if any.
    pub fn distribution(&self) -> Option<DistributionView> {
        match &self.view {
            View::Distribution(view) | View::Stories { view, .. } => Some(view.clone()),
            _ => None,
        }
    }
}

/// The query pairs of a distribution view (without the filter).
pub(crate) fn view_pairs(schema: &Schema, view: &DistributionView) -> Vec<(String, String)> {
    let mut pairs = vec![(
        "question".to_string(),
        match view.measure {
            Measure::Choice(d) => schema.dimensions[d].id.clone(),
            Measure::Scale(s) => schema.scales[s].id.clone(),
        },
    )];
    match &view.grouping {
        Grouping::All => pairs.push(("by".into(), "none".into())),
        Grouping::By(d) => pairs.push(("by".into(), schema.dimensions[*d].id.clone())),
        Grouping::Rounds(a, b) => {
            pairs.push(("by".into(), "rounds".into()));
            for (key, month) in [("a_from", a.from), ("a_to", a.to), ("b_from", b.from), ("b_to", b.to)] {
                if let Some(month) = month {
                    pairs.push((key.into(), month.to_string()));
                }
            }
        }
    }
    pairs
}

/// Pairs as a query string (form encoding).
pub fn encode(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

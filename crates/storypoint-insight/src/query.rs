//! A view and its filter, read from (and written back to) a URL's query string, so every
//! view can be shared with the team, bookmarked and printed.
use storypoint_core::contract::{EMOTION, ORGANISATION, PERSPECTIVE};

use crate::InsightError;
use crate::dataset::{LANG, Month, Schema};
use crate::filter::{Filter, Period};
use crate::view::{DistributionView, Grouping, Measure, SCALE_BINS};

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
            get(key).map(|v| Month::parse(v).ok_or_else(|| InsightError::bad(key, format!("`{v}` is not a month; write it as YYYY-MM")))).transpose()
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
            let d =
                schema.dimension(key).ok_or_else(|| InsightError::bad(key, "not a filter; filter on a choice question, organisation, campaign, from or to"))?;
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
                Some("rounds") => {
                    Grouping::Rounds(Period { from: month("a_from")?, to: month("a_to")? }, Period { from: month("b_from")?, to: month("b_to")? })
                }
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
                    (key, Grouping::By(d)) => {
                        1 + schema.dimensions[*d]
                            .categories
                            .iter()
                            .position(|c| c.value == key)
                            .ok_or_else(|| InsightError::bad("group", format!("`{key}` is not a group of this chart")))?
                    }
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

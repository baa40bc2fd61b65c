//! Patterns across stories for the work session ("Inzicht"), and the rules that keep every
//! teller unrecognisable while coordinators look at them.
//!
//! Pure Rust, no I/O: the collector loads stories into a [`Dataset`], parses a request's
//! query string into a [`Request`] (a view plus a [`Filter`]), computes the exact
//! aggregates ([`distribution`], [`cross_tab`], [`members`]) and passes them through a
//! [`Disclosure`] before anything leaves the server. Only the disclosed forms
//! ([`PublicDistribution`], [`PublicCrossTab`], [`Listing`]) are serialisable, so an
//! exact small count cannot reach a browser by accident.
//!
//! The disclosure rules (see [`Disclosure`]):
//! * every count below the threshold *k* (default 5, never below 3), zero included, is
//!   shown as "< k"; every other count is rounded to a multiple of *k*. So the difference
//!   between any two views, however their filters nest, is never a known number from 1 to
//!   k − 1;
//! * percentages, medians and the χ² test are computed from what is shown, or not at all;
//! * the stories behind a cell are listed only when the cell holds at least *k* stories,
//!   each with its title, text and answers about the story; of its teller (perspective, age
//!   group, living situation, organisation type, organisation, month; never the day or the
//!   link) a story shows only what at least k − 1 other stories of its campaign show
//!   exactly alike, the same in every view, and a view lists only stories that show every
//!   teller fact it picks out. Comparing listings, or a listing with the filtered views,
//!   therefore never narrows a teller down to fewer than *k* (the argument is in
//!   `disclose/listing.rs`, on [`Listing`]).
//!
//! ```
//! use storypoint_core::{default_questionnaire, Answers};
//! use storypoint_insight::{Dataset, Disclosure, Request, StoryInput, distribution};
//!
//! let mut data = Dataset::new(&default_questionnaire());
//! for id in 0..12 {
//!     let answers = Answers::new().with_text("perspective", "child").with_text("emotion", "happy");
//!     data.push(&StoryInput { id, received_on: "2026-03-04", lang: "nl", answers: &answers, campaign: "default", version: 1 });
//! }
//! let request = Request::parse(data.schema(), "question=emotion&by=perspective").unwrap();
//! let view = request.distribution().unwrap();
//! let exact = distribution(&data, &request.filter, &view);
//! let shown = Disclosure::new(5).unwrap().distribution(&data, &exact, &request.filter);
//! assert_eq!(shown.groups[0].stories.to_string(), "10"); // 12, rounded to a multiple of 5
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod bursts;
mod chi;
mod compare;
mod dataset;
mod disclose;
mod filter;
mod query;
mod rank;
mod standout;
mod view;

pub use chi::{ChiSquare, Verdict, chi_square};
pub use compare::{ALPHA, Association, KruskalWallis, MannWhitney, Size, Spearman, association, holm, kruskal_wallis, mann_whitney, spearman};
pub use dataset::{Category, Dataset, Dimension, LANG, Month, Scale, Schema, StoryInput, TellerFact, UNLISTED};
pub use disclose::{
    Disclosure, ListedStory, Listing, PublicCell, PublicCrossTab, PublicDistribution, PublicGroup, PublicRow, PublicTest, Shown, ShownFact, ShownTeller,
    StoryAnswer,
};
pub use filter::{Filter, Period};
pub use query::{Request, View, encode};
pub use rank::average_ranks;
pub use standout::{Effect, Finding, GroupSize, Kind, LeftOut, MIN_TEST_GROUP, PairTest, Question, Standouts, TestRules, pattern, standouts};
pub use view::{CrossTab, Distribution, DistributionView, Group, Grouping, Measure, SCALE_BINS, cross_tab, distribution, members};

/// Why a request for a view cannot be answered; names the parameter, for a 400.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InsightError {
    /// A query parameter that is unknown or holds a value that does not fit.
    #[error("`{field}`: {message}")]
    BadParameter {
        /// The parameter's name.
        field: String,
        /// What is wrong, and what would be right.
        message: String,
    },
    /// A suppression threshold below 3.
    #[error("the smallest group shown must be at least 3 stories, not {0}")]
    ThresholdTooLow(u32),
}

impl InsightError {
    pub(crate) fn bad(field: &str, message: impl Into<String>) -> InsightError {
        InsightError::BadParameter { field: field.to_string(), message: message.into() }
    }
}

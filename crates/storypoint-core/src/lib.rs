//! The Vertelpunt questionnaire and the rules of a valid story: pure Rust, no I/O.
//!
//! `storypoint-core` is the single source of truth for Storypoint. It knows what a
//! [`Questionnaire`] is, which questions a teller is asked given a link's [`Prefill`] and
//! the answers so far ([`Flow`]), and what makes a [`Story`] valid ([`validate`]). The
//! widget (in the browser, through WebAssembly) and the collector (on the server) both
//! call these functions, so they can never disagree about a rule.
//!
//! ```
//! use storypoint_core::{default_questionnaire, validate, Answers, Prefill};
//!
//! let questionnaire = default_questionnaire();
//! // A link for a primary school fills in who the story is about.
//! let link = Prefill::from_query(&questionnaire, "organisation_type=school&age_group=under_12");
//! assert!(link.warnings.is_empty());
//!
//! let answers = Answers::new()
//!     .with_text("prompt", "geholpen")
//!     .with_text("story", "De juf luisterde echt naar me.")
//!     .with_text("perspective", "child");
//! let story = validate(&questionnaire, &link.prefill, &answers).expect("a valid story");
//! assert_eq!(story.get("age_group").map(|a| a.as_str()), Some(Some("under_12")));
//! ```
//!
//! Crate features: `std` (error trait impls) and `serde` (JSON in and out, on by default).
//! Without them the crate is `#![no_std]` + `alloc` and uses no `core::fmt` on the paths
//! the widget calls, which keeps the WebAssembly bundle small (see `BENCHMARKS.md`).
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

extern crate alloc;

mod answer;
mod check;
pub mod contract;
mod default;
pub mod diff;
mod entries;
mod error;
mod flow;
mod interpret;
mod link;
mod number;
pub mod org_table;
mod prefill;
mod questionnaire;
#[cfg(feature = "serde")]
mod serde_impl;
mod story;
mod submission;
mod text;
pub mod translation;
mod validate;

pub use answer::{Answer, Answers, NOT_APPLICABLE, Value};
pub use check::Problem;
pub use default::{DEFAULT_QUESTIONNAIRE_JSON, default_questionnaire};
pub use error::{ErrorCode, ValidationError};
pub use flow::{Flow, FlowStep, Progress};
pub use interpret::char_count;
pub use link::{LinkCode, LinkCodeError, LinkEntry, LinkTable};
pub use number::push_int;
pub use prefill::{Prefill, PrefillWarning, Prefilled};
pub use questionnaire::{ChoiceOption, Condition, ConditionTest, Prompt, Question, QuestionKind, Questionnaire, Step};
#[cfg(feature = "serde")]
pub use serde_impl::ParseError;
pub use story::{Story, StoryAnswer};
pub use submission::{AudioContainer, AudioRef, Submission, SubmissionId, SubmissionIdError, is_sha256_hex};
pub use text::{Direction, Lang, Text};
pub use translation::Translation;
#[cfg(feature = "serde")]
pub use translation::{shipped, shipped_files, shipped_translations};
pub use validate::{validate, validate_submission};

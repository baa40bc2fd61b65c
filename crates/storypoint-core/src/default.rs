//! The default Vertelpunt questionnaire, compiled in.
use crate::questionnaire::Questionnaire;

/// The source of the default questionnaire, `questionnaires/vertelpunt-jeugdhulp.json`.
pub const DEFAULT_QUESTIONNAIRE_JSON: &str =
    include_str!("../../../questionnaires/vertelpunt-jeugdhulp.json");

#[path = "generated/vertelpunt_jeugdhulp.rs"]
mod generated;

/// The default questionnaire `vertelpunt-jeugdhulp`, version 1, built from static data.
///
/// The data is generated from [`DEFAULT_QUESTIONNAIRE_JSON`] (a test keeps it in step and
/// checks it equals what the JSON parses to), so the widget gets the questionnaire without
/// a JSON parser inside the WebAssembly.
pub fn default_questionnaire() -> Questionnaire {
    generated::questionnaire()
}

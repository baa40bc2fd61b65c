//! `Questionnaire::check`: every problem in a questionnaire at once, with its JSON path.
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::questionnaire::{ConditionTest, QuestionKind, Questionnaire};
use crate::text::{Lang, Text};

/// One problem in a questionnaire: where (a JSON path such as
/// `steps[1].questions[0].options[2].value`) and what is wrong, in plain English.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// JSON path of the offending value.
    pub path: String,
    /// What is wrong and what to do about it.
    pub message: String,
}

impl core::fmt::Display for Problem {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

struct Checker<'q> {
    questionnaire: &'q Questionnaire,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn report(&mut self, path: String, message: String) {
        self.problems.push(Problem { path, message });
    }

    fn text(&mut self, path: String, text: &Text) {
        if text.exact(Lang::NL).is_none() {
            self.report(format!("{path}.nl"), "the Dutch text is missing or empty; every text needs Dutch".into());
        }
        for lang in &self.questionnaire.languages {
            if *lang != Lang::NL && text.exact(*lang).is_none() {
                let code = lang.code();
                let message = format!("the text has no `{code}` version although `languages` lists `{code}`; add it or remove `{code}` from `languages`");
                self.report(format!("{path}.{code}"), message);
            }
        }
    }

    fn identifier(&mut self, path: String, id: &str, what: &str) {
        if !is_snake_case(id) {
            self.report(path, format!("{what} `{id}` must be lowercase snake_case (a-z, 0-9 and single underscores, e.g. `age_group`)"));
        }
    }

    fn options<'a>(&mut self, path: &str, key: &str, values: impl Iterator<Item = (&'a str, Vec<(&'static str, &'a Text)>)>) {
        let mut seen: Vec<&str> = Vec::new();
        let mut count = 0;
        for (i, (value, texts)) in values.enumerate() {
            count += 1;
            let here = format!("{path}.{key}[{i}]");
            self.identifier(format!("{here}.value"), value, "option value");
            if seen.contains(&value) {
                self.report(format!("{here}.value"), format!("the option value `{value}` appears twice in this list; each value must be unique"));
            }
            seen.push(value);
            for (name, text) in texts {
                self.text(format!("{here}.{name}"), text);
            }
        }
        if count == 0 {
            self.report(format!("{path}.{key}"), format!("`{key}` is empty; a choice question needs at least one"));
        }
    }
}

impl Questionnaire {
    /// Every problem in this questionnaire at once, in document order; empty when it is fine.
    ///
    /// Checks: identifiers (lowercase snake_case, unique), Dutch text everywhere (and every
    /// other language listed in `languages`), no empty steps or option lists, unique option
    /// values, sane ranges, and visibility conditions that refer to an earlier question
    /// and to options it has, without cycles.
    pub fn check(&self) -> Vec<Problem> {
        let mut c = Checker { questionnaire: self, problems: Vec::new() };
        if self.id.is_empty() || !self.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_') {
            c.report(
                "id".into(),
                format!("the questionnaire id `{}` must be lowercase letters, digits, dashes and underscores, e.g. `vertelpunt-jeugdhulp`", self.id),
            );
        }
        if self.version == 0 {
            c.report("version".into(), "the version starts at 1".into());
        }
        if self.languages.first() != Some(&Lang::NL) {
            c.report("languages".into(), "`languages` must start with \"nl\": Dutch comes first".into());
        }
        for (i, lang) in self.languages.iter().enumerate() {
            if self.languages[..i].contains(lang) {
                c.report(format!("languages[{i}]"), format!("`{}` is listed twice", lang.code()));
            }
        }
        c.text("title".into(), &self.title);
        if self.steps.is_empty() {
            c.report("steps".into(), "the questionnaire has no steps".into());
        }

        let mut step_ids: Vec<&str> = Vec::new();
        // (id, path) of every question so far, in order: conditions may only look back.
        let mut earlier: Vec<(&str, String)> = Vec::new();
        for (s, step) in self.steps.iter().enumerate() {
            let step_path = format!("steps[{s}]");
            c.identifier(format!("{step_path}.id"), &step.id, "the step id");
            if step_ids.contains(&step.id.as_str()) {
                c.report(format!("{step_path}.id"), format!("the step id `{}` is used twice", step.id));
            }
            step_ids.push(&step.id);
            c.text(format!("{step_path}.title"), &step.title);
            if let Some(intro) = &step.intro {
                c.text(format!("{step_path}.intro"), intro);
            }
            if step.questions.is_empty() {
                c.report(format!("{step_path}.questions"), format!("the step `{}` has no questions; remove it or add one", step.id));
            }
            for (q, question) in step.questions.iter().enumerate() {
                let path = format!("{step_path}.questions[{q}]");
                c.identifier(format!("{path}.id"), &question.id, "the question id");
                if let Some((_, first)) = earlier.iter().find(|(id, _)| *id == question.id) {
                    c.report(format!("{path}.id"), format!("the question id `{}` is already used at {first}", question.id));
                }
                c.text(format!("{path}.label"), &question.label);
                if let Some(help) = &question.help {
                    c.text(format!("{path}.help"), help);
                }
                // Document order: `visible_if` comes before the kind's own fields.
                if let Some(condition) = &question.visible_if {
                    let cpath = format!("{path}.visible_if");
                    check_condition(&mut c, &cpath, &question.id, condition, &earlier);
                }
                check_kind(&mut c, &path, &question.kind);
                earlier.push((&question.id, path));
            }
        }
        c.problems
    }
}

fn check_kind(c: &mut Checker<'_>, path: &str, kind: &QuestionKind) {
    match kind {
        QuestionKind::PromptChoice { prompts } => {
            c.options(path, "prompts", prompts.iter().map(|p| (p.value.as_str(), Vec::from([("title", &p.title), ("text", &p.text)]))))
        }
        QuestionKind::SingleChoice { options } => c.options(path, "options", options.iter().map(|o| (o.value.as_str(), Vec::from([("label", &o.label)])))),
        QuestionKind::MultipleChoice { options, max_choices } => {
            c.options(path, "options", options.iter().map(|o| (o.value.as_str(), Vec::from([("label", &o.label)]))));
            if let Some(max) = max_choices {
                if *max == 0 || *max as usize > options.len() {
                    c.report(format!("{path}.max_choices"), format!("max_choices is {max} but must be from 1 to the number of options ({})", options.len()));
                }
            }
        }
        QuestionKind::LongText { max_length } | QuestionKind::ShortText { max_length } => {
            if *max_length == 0 {
                c.report(format!("{path}.max_length"), "max_length must be at least 1".into());
            }
        }
        QuestionKind::Slider { low, high, not_applicable } => {
            c.text(format!("{path}.low"), low);
            c.text(format!("{path}.high"), high);
            if let Some(label) = not_applicable {
                c.text(format!("{path}.not_applicable"), label);
            }
        }
        QuestionKind::Number { min, max } => {
            if min > max {
                c.report(format!("{path}.min"), format!("min ({min}) is greater than max ({max})"));
            }
        }
    }
}

fn check_condition(c: &mut Checker<'_>, path: &str, own_id: &str, condition: &crate::questionnaire::Condition, earlier: &[(&str, String)]) {
    let target = condition.question.as_str();
    let questionnaire = c.questionnaire;
    if target == own_id {
        c.report(format!("{path}.question"), format!("the question `{own_id}` depends on itself (a cycle); a condition must refer to an earlier question"));
        return;
    }
    let Some(question) = questionnaire.question(target) else {
        c.report(format!("{path}.question"), format!("the condition refers to `{target}`, but there is no question with that id"));
        return;
    };
    if !earlier.iter().any(|(id, _)| *id == target) {
        let mut message = format!("the condition refers to `{target}`, which comes later; a condition may only refer to an earlier question");
        if let Some(cycle) = cycle_through(questionnaire, own_id) {
            message = format!("{message}. These conditions form a cycle: {cycle}");
        }
        c.report(format!("{path}.question"), message);
    }
    let values: Vec<&String> = match &condition.test {
        ConditionTest::Equals(value) => Vec::from([value]),
        ConditionTest::OneOf(values) => values.iter().collect(),
        ConditionTest::IsUnknown | ConditionTest::NotAnswered => Vec::new(),
    };
    if matches!(condition.test, ConditionTest::OneOf(ref v) if v.is_empty()) {
        c.report(format!("{path}.one_of"), "one_of is empty, so the question would never be shown".into());
    }
    match question.kind.option_values() {
        Some(options) => {
            for value in values {
                if !options.contains(&value.as_str()) {
                    c.report(path.into(), format!("`{target}` has no option `{value}`; it has {}", options.join(", ")));
                }
            }
        }
        None if !values.is_empty() => {
            c.report(path.into(), format!("`{target}` is a {} question; equals and one_of only work on choice questions", question.kind.name()));
        }
        None => {}
    }
}

/// The cycle of conditions that leads from `start` back to it, as `a → b → a`.
fn cycle_through(questionnaire: &Questionnaire, start: &str) -> Option<String> {
    let mut chain: Vec<&str> = Vec::from([start]);
    let mut current = start;
    // Each question has at most one condition, so the chain either ends or loops.
    while let Some(next) = questionnaire.question(current)?.visible_if.as_ref().map(|c| c.question.as_str()) {
        if next == start {
            chain.push(next);
            return Some(chain.join(" → "));
        }
        if chain.contains(&next) {
            return None; // a loop that does not pass through `start`
        }
        chain.push(next);
        current = next;
    }
    None
}

/// Lowercase snake_case: `[a-z0-9]+(_[a-z0-9]+)*`.
fn is_snake_case(id: &str) -> bool {
    !id.is_empty() && id.split('_').all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::is_snake_case;

    #[test]
    fn snake_case() {
        for good in ["age_group", "12_to_18", "a", "under_12"] {
            assert!(is_snake_case(good), "{good}");
        }
        for bad in ["", "Age", "age-group", "_age", "age_", "age__group", "leeftijd ", "één"] {
            assert!(!is_snake_case(bad), "{bad}");
        }
    }
}

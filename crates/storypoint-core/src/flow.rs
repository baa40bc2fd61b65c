//! Which steps and questions a teller sees now, given the prefill and the answers so far.
use alloc::vec::Vec;

use crate::answer::{Answer, Answers};
use crate::error::{ErrorCode, ValidationError};
use crate::interpret::interpret;
use crate::prefill::Prefill;
use crate::questionnaire::{Condition, ConditionTest, Question, QuestionKind, Questionnaire, Step};
use crate::story::{Story, StoryAnswer};

/// What became of one question.
#[derive(Clone, Debug, PartialEq, Eq)]
enum State {
    /// Its condition does not hold: not asked, any answer dropped.
    Hidden,
    /// A link or the page filled it in: not asked.
    Prefilled(Answer),
    /// Asked; the teller's answer read against the question.
    Asked(Result<Option<Answer>, ErrorCode>),
}

impl State {
    /// The answer that counts, for conditions of later questions and for the story.
    fn answer(&self) -> Option<&Answer> {
        match self {
            State::Prefilled(answer) | State::Asked(Ok(Some(answer))) => Some(answer),
            _ => None,
        }
    }
}

/// The flow of the questionnaire for one teller, right now.
///
/// The widget asks the flow everything it shows: which steps remain, which questions a
/// step has, what the progress is, which answers are wrong. It decides nothing itself.
///
/// ```
/// use storypoint_core::{default_questionnaire, Answers, Flow, Prefill};
/// let questionnaire = default_questionnaire();
/// let link = Prefill::from_query(&questionnaire, "age_group=unknown").prefill;
/// let flow = Flow::new(&questionnaire, &link, &Answers::new());
/// assert!(flow.is_prefilled("age_group"));
/// assert!(flow.is_asked("child_age")); // an organisation for all ages: ask the age
/// ```
#[derive(Clone, Debug)]
pub struct Flow<'q> {
    questionnaire: &'q Questionnaire,
    /// One state per question, in [`Questionnaire::questions`] order.
    states: Vec<State>,
    /// How many of the answers belong to a question of the questionnaire: when that is
    /// all of them, no answer needs looking up again to find unknown questions.
    known_answers: usize,
    /// The story was spoken in: a required long-text question may stay empty.
    spoken: bool,
}

/// A step the teller will see, with the questions asked in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowStep<'q> {
    /// The step.
    pub step: &'q Step,
    /// Its place among the steps the teller sees: 1, 2, …
    pub number: usize,
    /// The questions asked in it now (not hidden, not prefilled), in order.
    pub questions: Vec<&'q Question>,
}

/// Where the teller is: step `step` of `of`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// The current step, counting from 1.
    pub step: usize,
    /// How many steps the teller sees in all.
    pub of: usize,
}

impl<'q> Flow<'q> {
    /// Works out the flow. Conditions look only at earlier questions, so one pass in order
    /// decides everything; a condition on a missing or later question (which
    /// [`Questionnaire::check`] reports) sees "not answered".
    pub fn new(questionnaire: &'q Questionnaire, prefill: &Prefill, answers: &Answers) -> Flow<'q> {
        let mut states: Vec<State> = Vec::new();
        let mut known_answers = 0;
        for question in questionnaire.questions() {
            let answer = answers.get(&question.id);
            known_answers += usize::from(answer.is_some());
            let prefilled = prefill.get(&question.id).filter(|_| question.prefillable);
            let state = match prefilled {
                Some(answer) => State::Prefilled(answer.clone()),
                None => {
                    let shown = match &question.visible_if {
                        None => true,
                        Some(condition) => holds(condition, lookup(questionnaire, &states, &condition.question)),
                    };
                    if shown { State::Asked(interpret(question, answer)) } else { State::Hidden }
                }
            };
            states.push(state);
        }
        Flow { questionnaire, states, known_answers, spoken: false }
    }

    /// Marks the story as spoken in (a recording goes with it): then a required long-text
    /// question may stay empty, and a typed summary or title is still possible.
    pub fn spoken(mut self, spoken: bool) -> Flow<'q> {
        self.spoken = spoken;
        self
    }

    fn states(&self) -> impl Iterator<Item = (&'q Question, &State)> {
        self.questionnaire.questions().zip(self.states.iter())
    }

    fn state(&self, question: &str) -> Option<&State> {
        self.states().find(|(q, _)| q.id == question).map(|(_, s)| s)
    }

    /// The steps the teller sees (those with at least one question asked), in order.
    pub fn steps(&self) -> Vec<FlowStep<'q>> {
        let mut steps = Vec::new();
        let mut states = self.states.iter();
        for step in &self.questionnaire.steps {
            let questions: Vec<&'q Question> =
                step.questions.iter().zip(states.by_ref()).filter(|(_, state)| matches!(state, State::Asked(_))).map(|(question, _)| question).collect();
            if !questions.is_empty() {
                steps.push(FlowStep { step, number: steps.len() + 1, questions });
            }
        }
        steps
    }

    /// The visible step with this id.
    pub fn step(&self, step_id: &str) -> Option<FlowStep<'q>> {
        self.steps().into_iter().find(|s| s.step.id == step_id)
    }

    /// Where the step with this id stands: step i of n. `None` if it is not shown.
    pub fn progress(&self, step_id: &str) -> Option<Progress> {
        let steps = self.steps();
        let of = steps.len();
        steps.iter().find(|s| s.step.id == step_id).map(|s| Progress { step: s.number, of })
    }

    /// The first step shown.
    pub fn first_step(&self) -> Option<FlowStep<'q>> {
        self.steps().into_iter().next()
    }

    /// The step shown after `step_id` (by questionnaire order, so it works even when
    /// an answer just hid `step_id` itself). `None` after the last: time to review.
    pub fn next_step(&self, step_id: &str) -> Option<FlowStep<'q>> {
        let index = self.step_index(step_id)?;
        self.steps().into_iter().find(|s| self.step_index(&s.step.id) > Some(index))
    }

    /// The step shown before `step_id`. `None` before the first.
    pub fn previous_step(&self, step_id: &str) -> Option<FlowStep<'q>> {
        let index = self.step_index(step_id)?;
        self.steps().into_iter().rev().find(|s| self.step_index(&s.step.id) < Some(index))
    }

    fn step_index(&self, step_id: &str) -> Option<usize> {
        self.questionnaire.steps.iter().position(|s| s.id == step_id)
    }

    /// Whether the teller is asked this question now.
    pub fn is_asked(&self, question: &str) -> bool {
        matches!(self.state(question), Some(State::Asked(_)))
    }

    /// Whether a link or the page filled this question in (so it is not asked).
    pub fn is_prefilled(&self, question: &str) -> bool {
        matches!(self.state(question), Some(State::Prefilled(_)))
    }

    /// The answer that counts for this question: the prefill, or the teller's valid answer.
    pub fn answer(&self, question: &str) -> Option<&Answer> {
        self.state(question).and_then(State::answer)
    }

    /// Every problem with the answers to the questions asked now, in order.
    pub fn errors(&self) -> Vec<ValidationError> {
        self.states().filter_map(|(question, state)| error_of(question, state, self.spoken)).collect()
    }

    /// The problems in one step: what the widget shows before it lets the teller go on.
    pub fn step_errors(&self, step_id: &str) -> Vec<ValidationError> {
        let Some(step) = self.questionnaire.step(step_id) else {
            return Vec::new();
        };
        self.states()
            .filter(|(question, _)| step.questions.iter().any(|q| q.id == question.id))
            .filter_map(|(question, state)| error_of(question, state, self.spoken))
            .collect()
    }

    /// The story, or every problem: the answers' own problems and answers to questions
    /// that do not exist.
    pub(crate) fn into_story(self, answers: &Answers) -> Result<Story, Vec<ValidationError>> {
        let mut errors = self.errors();
        if self.known_answers < answers.len() {
            for (id, _) in answers.iter() {
                if self.questionnaire.question(id).is_none() {
                    errors.push(ValidationError::new(id, ErrorCode::UnknownQuestion));
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        // The flow is used up here, so its answers move into the story without a copy.
        let answers = self
            .questionnaire
            .questions()
            .zip(self.states)
            .filter_map(|(question, state)| {
                let (answer, prefilled) = match state {
                    State::Prefilled(answer) => (answer, true),
                    State::Asked(Ok(Some(answer))) => (answer, false),
                    _ => return None,
                };
                Some(StoryAnswer { question: question.id.clone(), answer, prefilled })
            })
            .collect();
        Ok(Story { questionnaire: self.questionnaire.id.clone(), version: self.questionnaire.version, answers })
    }
}

fn error_of(question: &Question, state: &State, spoken: bool) -> Option<ValidationError> {
    match state {
        State::Asked(Err(code)) => Some(ValidationError::new(&question.id, *code)),
        State::Asked(Ok(None)) if spoken && matches!(question.kind, QuestionKind::LongText { .. }) => None,
        State::Asked(Ok(None)) if question.required => Some(ValidationError::new(&question.id, ErrorCode::Required)),
        _ => None,
    }
}

/// The answer that counts for an earlier question.
fn lookup<'s>(questionnaire: &Questionnaire, earlier: &'s [State], question: &str) -> Option<&'s Answer> {
    questionnaire.questions().zip(earlier).find(|(q, _)| q.id == question).and_then(|(_, state)| state.answer())
}

fn holds(condition: &Condition, answer: Option<&Answer>) -> bool {
    match (&condition.test, answer) {
        (ConditionTest::NotAnswered, answer) => answer.is_none(),
        (ConditionTest::IsUnknown, None) => true,
        (ConditionTest::IsUnknown, Some(answer)) => answer.includes(UNKNOWN),
        (ConditionTest::Equals(value), Some(answer)) => answer.includes(value),
        (ConditionTest::OneOf(values), Some(answer)) => values.iter().any(|v| answer.includes(v)),
        (ConditionTest::Equals(_) | ConditionTest::OneOf(_), None) => false,
    }
}

/// The option value that means "we do not know" (e.g. `age_group` for an organisation
/// that serves all ages), which [`ConditionTest::IsUnknown`] treats as not answered.
const UNKNOWN: &str = "unknown";

//! Questionnaires that inquiry groups run with inhabitants (docs/product.md § Lifecycle, step 4): the types of question
//! and their settings, what makes an answer valid, and conditional display. The server evaluates all of it whatever the
//! browser did: a question hidden by its condition keeps no answer, a shown one is validated.
//!
//! Answers are kept in long form, as (item, value) pairs of one question: `("", code)` for each chosen choice,
//! `("autre", text)` for "other, please specify", `(row, point)` for a matrix, `(choice, rank)` for a ranking,
//! `("", value)` for the other types.
//!
//! One file per concern: the question itself (`question`), answering it (`answering`), what the builder's forms
//! give (`builder`), changing a question that has answers (`editing`), respondents' profile and coverage targets
//! (`profile`), results (`summary`) and the export (`export`). Callers name everything from here,
//! `domain::questionnaire::…`: the files are how the rules are kept, not what callers need to know.

mod answering;
mod builder;
mod editing;
mod export;
mod profile;
mod question;
mod summary;

#[cfg(test)]
mod fixtures;

pub use answering::{
    field_name, item_field_name, limits, validate_response, AnswerItem, FieldErrors, Submitted, PROFILE_CONSENT,
};
pub use builder::{choices_text, parse_choices, parse_question, NewQuestionnaire, QuestionInput};
pub use editing::{conditions_broken_by, orphaning_change};
pub use export::{asked_when, export_columns, export_row, Column, ColumnContent};
pub use profile::{parse_targets, profile_values, standard_profile_questions, target_field_name};
pub use question::{numbers, takes_answers, Choice, Condition, ConditionOp, Question, QuestionType, Settings, OTHER};
pub use summary::{other_texts, summarize, Summary};

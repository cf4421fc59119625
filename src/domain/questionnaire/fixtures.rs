//! Questions and submitted forms built for the tests of this module's files.

use super::{Choice, Question, QuestionType, Settings};

pub fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

pub fn question(id: i64, kind: QuestionType, settings: Settings) -> Question {
    Question {
        id,
        kind,
        label: format!("Question {id}"),
        help: String::new(),
        required: false,
        settings,
        condition: None,
        profile: false,
    }
}

pub fn choices(codes: &[&str]) -> Vec<Choice> {
    codes.iter().map(|c| Choice { code: c.to_string(), label: c.to_uppercase() }).collect()
}

//! A question as the builder stores it and the respondent meets it: its type (eleven of them), the settings its
//! type needs (choices with stable codes, bounds, scale words, matrix rows; one JSON column), the condition on an
//! earlier answer that shows it, and the numbers people see beside questions.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionType {
    SingleChoice,
    MultipleChoice,
    YesNo,
    Scale,
    Matrix,
    Ranking,
    Number,
    ShortText,
    LongText,
    Date,
    Place,
    /// Not a question: the title (and presentation, in `help`) of a part of the questionnaire; the questions that
    /// follow belong to it until the next section, and its condition applies to all of them.
    Section,
}

impl QuestionType {
    pub const ALL: [QuestionType; 12] = [
        QuestionType::SingleChoice,
        QuestionType::MultipleChoice,
        QuestionType::YesNo,
        QuestionType::Scale,
        QuestionType::Matrix,
        QuestionType::Ranking,
        QuestionType::Number,
        QuestionType::ShortText,
        QuestionType::LongText,
        QuestionType::Date,
        QuestionType::Place,
        QuestionType::Section,
    ];

    pub fn code(self) -> &'static str {
        match self {
            QuestionType::SingleChoice => "single_choice",
            QuestionType::MultipleChoice => "multiple_choice",
            QuestionType::YesNo => "yes_no",
            QuestionType::Scale => "scale",
            QuestionType::Matrix => "matrix",
            QuestionType::Ranking => "ranking",
            QuestionType::Number => "number",
            QuestionType::ShortText => "short_text",
            QuestionType::LongText => "long_text",
            QuestionType::Date => "date",
            QuestionType::Place => "place",
            QuestionType::Section => "section",
        }
    }

    pub fn parse(code: &str) -> Result<Self, String> {
        QuestionType::ALL
            .into_iter()
            .find(|t| t.code() == code)
            .ok_or_else(|| "Choisissez le type de question dans la liste.".to_owned())
    }

    pub fn label(self) -> &'static str {
        match self {
            QuestionType::SingleChoice => "Choix unique",
            QuestionType::MultipleChoice => "Choix multiple",
            QuestionType::YesNo => "Oui / non",
            QuestionType::Scale => "Échelle (de 1 à 5, par exemple)",
            QuestionType::Matrix => "Tableau (plusieurs lignes, une même échelle)",
            QuestionType::Ranking => "Classement",
            QuestionType::Number => "Nombre",
            QuestionType::ShortText => "Texte court",
            QuestionType::LongText => "Texte long",
            QuestionType::Date => "Date",
            QuestionType::Place => "Lieu (commune, quartier ou point)",
            QuestionType::Section => "Section : titre d’une partie, avec sa présentation",
        }
    }

    /// Whether it takes an answer (a section does not).
    pub fn is_answerable(self) -> bool {
        self != QuestionType::Section
    }

    /// Types a respondent-profile question may have: profile answers are counted against targets, so they are
    /// chosen from a list.
    pub fn may_be_profile(self) -> bool {
        matches!(self, QuestionType::SingleChoice | QuestionType::MultipleChoice | QuestionType::YesNo)
    }

    /// Types whose answers a condition may read.
    pub fn may_be_condition(self) -> bool {
        matches!(self, QuestionType::SingleChoice | QuestionType::MultipleChoice | QuestionType::YesNo)
    }

    /// Types whose settings list choices.
    pub fn has_choices(self) -> bool {
        matches!(self, QuestionType::SingleChoice | QuestionType::MultipleChoice | QuestionType::Ranking)
    }
}

/// A choice, a matrix row: a stable code (answers refer to it) and what people read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub code: String,
    pub label: String,
}

/// The code answers use for "other, please specify".
pub const OTHER: &str = "autre";

/// What a question type needs beyond its wording. Stored as JSON with the question.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
    /// Choice questions: an "other, please specify" choice with its text field.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_other: bool,
    /// Multiple choice: selections; number: value; scale and matrix: first point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    /// Scale and matrix: the words at both ends ("Pas du tout d’accord" … "Tout à fait d’accord").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub min_label: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub max_label: String,
    /// Matrix: its rows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<Choice>,
}

impl Settings {
    /// The points of a scale or matrix: `min..=max`, 1 to 5 unless set.
    pub fn scale(&self) -> (i64, i64) {
        (self.min.unwrap_or(1), self.max.unwrap_or(5))
    }
}

/// When an earlier answer decides whether a question is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConditionOp {
    /// The answer is this value.
    Equals,
    /// Among the choices ticked, there is this one (multiple choice).
    Includes,
    /// The answer is one of these values.
    AmongValues,
}

impl ConditionOp {
    pub const ALL: [ConditionOp; 3] = [ConditionOp::Equals, ConditionOp::Includes, ConditionOp::AmongValues];

    pub fn code(self) -> &'static str {
        match self {
            ConditionOp::Equals => "equals",
            ConditionOp::Includes => "includes",
            ConditionOp::AmongValues => "among",
        }
    }

    pub fn parse(code: &str) -> Result<Self, String> {
        ConditionOp::ALL
            .into_iter()
            .find(|o| o.code() == code)
            .ok_or_else(|| "Choisissez la condition dans la liste.".to_owned())
    }

    pub fn label(self) -> &'static str {
        match self {
            ConditionOp::Equals => "est égale à",
            ConditionOp::Includes => "comprend",
            ConditionOp::AmongValues => "est l’une de",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub question_id: i64,
    pub op: ConditionOp,
    /// Codes of choices (or values); one for `Equals` and `Includes`.
    pub values: Vec<String>,
}

/// A question as the respondent meets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: i64,
    pub kind: QuestionType,
    pub label: String,
    pub help: String,
    pub required: bool,
    pub settings: Settings,
    pub condition: Option<Condition>,
    /// A respondent-profile question (age band, situations…): never required, asked at the end, kept only when
    /// the respondent agrees to answer it (`PROFILE_CONSENT`).
    pub profile: bool,
}

/// The numbers people see beside questions, in the questionnaire's order: answerable questions outside the profile
/// are numbered 1, 2, 3…; sections and profile questions have none.
pub fn numbers(questions: &[Question]) -> Vec<Option<usize>> {
    let mut next = 0;
    questions
        .iter()
        .map(|q| {
            (q.kind.is_answerable() && !q.profile).then(|| {
                next += 1;
                next
            })
        })
        .collect()
}

/// Whether a questionnaire with these questions can take a response: it needs one question to answer (sections
/// alone ask nothing), or a response would be empty by construction.
pub fn takes_answers(questions: &[Question]) -> bool {
    questions.iter().any(|q| q.kind.is_answerable())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::fixtures::choices;

    #[test]
    fn settings_round_trip_through_json() {
        let settings = Settings { choices: choices(&["a"]), allow_other: true, min: Some(1), ..Settings::default() };
        let json = serde_json::to_string(&settings).unwrap();
        assert_eq!(json, r#"{"choices":[{"code":"a","label":"A"}],"allow_other":true,"min":1}"#);
        assert_eq!(serde_json::from_str::<Settings>(&json).unwrap(), settings);
        assert_eq!(serde_json::from_str::<Settings>("{}").unwrap(), Settings::default());
    }
}

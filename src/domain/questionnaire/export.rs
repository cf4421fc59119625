//! The one-row-per-response export and its codebook: the columns in the questionnaire's order (the same
//! whatever path each response took through the conditions), one response's cells, and when each question is asked.

use super::profile::profile_values;
use super::question::{numbers, Question, QuestionType, OTHER};

/// A column of the one-row-per-response export: which question and which item of its answer it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// "q3", "q3_velo", "q3_autre": stable whatever the conditional paths of the responses.
    pub name: String,
    pub question_id: i64,
    pub content: ColumnContent,
    /// What the column holds, for the codebook.
    pub label: String,
    /// Whether its cells are numbers (ticks, points, ranks, number answers), for spreadsheets that type cells.
    pub numeric: bool,
    /// The codes its cells may hold and what they mean, as (code, label): choices, « oui » / « non », and the
    /// ends of a scale; for the codebook, and for an export with labels instead of codes.
    pub codes: Vec<(String, String)>,
}

impl Column {
    /// A cell as people read it: the label of its code when it has one.
    pub fn labelled<'a>(&'a self, cell: &'a str) -> &'a str {
        match self.content {
            ColumnContent::Value => self.codes.iter().find(|(code, _)| code == cell).map_or(cell, |(_, label)| label),
            _ => cell,
        }
    }
}

/// The ends of a scale or matrix as codes: (point, its words), for the codebook.
fn scale_ends(question: &Question) -> Vec<(String, String)> {
    let (min, max) = question.settings.scale();
    [(min, &question.settings.min_label), (max, &question.settings.max_label)]
        .into_iter()
        .filter(|(_, label)| !label.is_empty())
        .map(|(n, label)| (n.to_string(), label.clone()))
        .collect()
}

/// When a question is asked, for the codebook: its own condition and its section's, « q1 = non », or None when
/// it is always asked.
pub fn asked_when(questions: &[Question], question: &Question) -> Option<String> {
    let index = questions.iter().position(|q| q.id == question.id)?;
    let section = if question.profile {
        None
    } else {
        questions[..index].iter().rev().find(|q| q.kind == QuestionType::Section).and_then(|s| s.condition.as_ref())
    };
    let numbered: Vec<(i64, Option<usize>)> = questions.iter().map(|q| q.id).zip(numbers(questions)).collect();
    let said: Vec<String> = [section, question.condition.as_ref()]
        .into_iter()
        .flatten()
        .map(|c| {
            let on = numbered.iter().find(|(id, _)| *id == c.question_id).and_then(|(_, n)| *n);
            let name = on.map_or_else(|| "une question".to_owned(), |n| format!("q{n}"));
            format!("{name} {} {}", c.op.label(), c.values.join(", "))
        })
        .collect();
    (!said.is_empty()).then(|| said.join(" et "))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnContent {
    /// The value of the question's main answer (several joined by " | " never happens: multiple choices get one
    /// column per choice).
    Value,
    /// 1 when this choice was ticked, 0 when the question was answered without it, empty when not answered.
    Ticked(String),
    /// The value of an item: a matrix row's point, a choice's rank, the "other" text.
    Item(String),
}

/// The export's columns in the questionnaire's order.
pub fn export_columns(questions: &[Question]) -> Vec<Column> {
    let mut columns = Vec::new();
    let mut profile_number = 0;
    for (question, number) in questions.iter().zip(numbers(questions)) {
        let base = match number {
            Some(number) => format!("q{number}"),
            None if question.profile => {
                profile_number += 1;
                format!("profil{profile_number}")
            }
            None => continue,
        };
        let column = |name: String, content: ColumnContent, label: String| Column {
            numeric: match &content {
                ColumnContent::Ticked(_) => true,
                ColumnContent::Item(item) => item != OTHER,
                ColumnContent::Value => matches!(question.kind, QuestionType::Number | QuestionType::Scale),
            },
            codes: match (&content, question.kind) {
                (ColumnContent::Value, QuestionType::SingleChoice | QuestionType::YesNo) => {
                    let mut codes = profile_values(question);
                    if question.settings.allow_other {
                        codes.push((OTHER.into(), "Autre".into()));
                    }
                    codes
                }
                (ColumnContent::Value, QuestionType::Scale) => scale_ends(question),
                (ColumnContent::Item(item), QuestionType::Matrix) if item != OTHER => scale_ends(question),
                _ => Vec::new(),
            },
            name,
            question_id: question.id,
            content,
            label,
        };
        match question.kind {
            QuestionType::MultipleChoice => {
                for choice in &question.settings.choices {
                    columns.push(column(
                        format!("{base}_{}", choice.code),
                        ColumnContent::Ticked(choice.code.clone()),
                        format!("{} — {}", question.label, choice.label),
                    ));
                }
                if question.settings.allow_other {
                    columns.push(column(
                        format!("{base}_{OTHER}"),
                        ColumnContent::Ticked(OTHER.into()),
                        format!("{} — Autre", question.label),
                    ));
                }
            }
            QuestionType::Matrix => {
                for row in &question.settings.rows {
                    columns.push(column(
                        format!("{base}_{}", row.code),
                        ColumnContent::Item(row.code.clone()),
                        format!("{} — {}", question.label, row.label),
                    ));
                }
            }
            QuestionType::Ranking => {
                for choice in &question.settings.choices {
                    columns.push(column(
                        format!("{base}_{}", choice.code),
                        ColumnContent::Item(choice.code.clone()),
                        format!("{} — rang de « {} »", question.label, choice.label),
                    ));
                }
            }
            _ => columns.push(column(base.clone(), ColumnContent::Value, question.label.clone())),
        }
        if question.settings.allow_other {
            columns.push(column(
                format!("{base}_{OTHER}_precision"),
                ColumnContent::Item(OTHER.into()),
                format!("{} — précision de « Autre »", question.label),
            ));
        }
    }
    columns
}

/// The cells of one response under `columns`, from its answers in long form as (question, item, value).
pub fn export_row<'a>(columns: &[Column], answers: &[(i64, &'a str, &'a str)]) -> Vec<&'a str> {
    columns
        .iter()
        .map(|column| {
            let of_question = || answers.iter().filter(|(q, _, _)| *q == column.question_id);
            match &column.content {
                ColumnContent::Value => of_question().find(|(_, item, _)| item.is_empty()).map_or("", |(_, _, v)| v),
                ColumnContent::Ticked(code) => {
                    let mut main = of_question().filter(|(_, item, _)| item.is_empty()).peekable();
                    if main.peek().is_none() {
                        ""
                    } else if main.any(|(_, _, v)| v == code) {
                        "1"
                    } else {
                        "0"
                    }
                }
                ColumnContent::Item(wanted) => {
                    of_question().find(|(_, item, _)| item == wanted).map_or("", |(_, _, v)| v)
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::fixtures::{choices, question};
    use crate::domain::questionnaire::*;

    #[test]
    fn the_export_has_stable_columns_and_one_row_per_response() {
        let single = question(
            10,
            QuestionType::SingleChoice,
            Settings { choices: choices(&["bus", "velo"]), allow_other: true, ..Settings::default() },
        );
        let multiple = question(
            11,
            QuestionType::MultipleChoice,
            Settings { choices: choices(&["a", "b"]), ..Settings::default() },
        );
        let matrix = question(12, QuestionType::Matrix, Settings { rows: choices(&["x"]), ..Settings::default() });
        let text = question(13, QuestionType::ShortText, Settings::default());
        let columns = export_columns(&[single, multiple, matrix, text]);
        let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["q1", "q1_autre_precision", "q2_a", "q2_b", "q3_x", "q4"]);
        assert_eq!(
            export_row(&columns, &[(10, "", "autre"), (10, "autre", "trottinette"), (11, "", "b"), (12, "x", "4")]),
            vec!["autre", "trottinette", "0", "1", "4", ""]
        );
        assert_eq!(
            export_row(&columns, &[(13, "", "rien")]),
            vec!["", "", "", "", "", "rien"],
            "unanswered stays empty"
        );
        // Labels instead of codes, when asked.
        assert_eq!(columns[0].labelled("velo"), "VELO");
        assert_eq!(columns[0].labelled("autre"), "Autre");
        assert_eq!(columns[2].labelled("1"), "1", "a tick stays a tick");
    }

    #[test]
    fn the_codebook_says_the_ends_of_scales_and_when_questions_are_asked() {
        let car = question(1, QuestionType::YesNo, Settings::default());
        let scale = Question {
            condition: Some(Condition { question_id: 1, op: ConditionOp::Equals, values: vec!["non".into()] }),
            ..question(
                2,
                QuestionType::Scale,
                Settings { min_label: "Pas du tout".into(), max_label: "Tout à fait".into(), ..Settings::default() },
            )
        };
        let mut section = question(3, QuestionType::Section, Settings::default());
        section.condition = Some(Condition { question_id: 1, op: ConditionOp::Equals, values: vec!["oui".into()] });
        let matrix = question(
            4,
            QuestionType::Matrix,
            Settings { rows: choices(&["bus"]), max: Some(4), max_label: "Souvent".into(), ..Settings::default() },
        );
        let all = [car, scale, section, matrix];
        let columns = export_columns(&all);
        assert_eq!(columns[0].codes, [("oui".to_owned(), "Oui".to_owned()), ("non".to_owned(), "Non".to_owned())]);
        assert_eq!(
            columns[1].codes,
            [("1".to_owned(), "Pas du tout".to_owned()), ("5".to_owned(), "Tout à fait".to_owned())]
        );
        assert_eq!(columns[2].codes, [("4".to_owned(), "Souvent".to_owned())]);
        assert_eq!(asked_when(&all, &all[0]), None);
        assert_eq!(asked_when(&all, &all[1]).as_deref(), Some("q1 est égale à non"));
        assert_eq!(asked_when(&all, &all[3]).as_deref(), Some("q1 est égale à oui"), "its section's condition");
    }
}

//! What the answers to each question say, for the results and comparison pages: counts and shares, matrices,
//! mean ranks, figures of numbers, and the texts given with « Autre ».

use super::question::{Question, QuestionType, OTHER};

/// What the answers to one question say, for the results page.
#[derive(Debug, Clone, PartialEq)]
pub enum Summary {
    /// Choices, yes/no and scales: each option with the number of responses that gave it (in the options'
    /// order, "Autre" last).
    Options(Vec<(String, i64)>),
    /// A matrix: each row with its count per point of the scale.
    Matrix {
        points: Vec<i64>,
        rows: Vec<(String, Vec<i64>)>,
    },
    /// A ranking: each choice with its mean rank (1 = first), best first.
    Ranking(Vec<(String, f64)>),
    Numbers {
        count: i64,
        min: f64,
        max: f64,
        mean: f64,
        median: f64,
    },
    /// Free answers (texts, dates, places) with how many gave each, most frequent first.
    Texts(Vec<(String, i64)>),
}

/// Summarises a question from its grouped answers: (item, value, number of responses).
pub fn summarize(question: &Question, counts: &[(String, String, i64)]) -> Summary {
    let count_of = |item: &str, value: &str| {
        counts.iter().filter(|(i, v, _)| i == item && v == value).map(|(_, _, n)| *n).sum::<i64>()
    };
    match question.kind {
        QuestionType::SingleChoice | QuestionType::MultipleChoice => {
            let mut rows: Vec<(String, i64)> =
                question.settings.choices.iter().map(|c| (c.label.clone(), count_of("", &c.code))).collect();
            if question.settings.allow_other {
                rows.push(("Autre".into(), count_of("", OTHER)));
            }
            Summary::Options(rows)
        }
        QuestionType::YesNo => {
            Summary::Options(vec![("Oui".into(), count_of("", "oui")), ("Non".into(), count_of("", "non"))])
        }
        QuestionType::Scale => {
            let (min, max) = question.settings.scale();
            Summary::Options((min..=max).map(|n| (n.to_string(), count_of("", &n.to_string()))).collect())
        }
        QuestionType::Matrix => {
            let (min, max) = question.settings.scale();
            let points: Vec<i64> = (min..=max).collect();
            let rows = question
                .settings
                .rows
                .iter()
                .map(|row| (row.label.clone(), points.iter().map(|p| count_of(&row.code, &p.to_string())).collect()))
                .collect();
            Summary::Matrix { points, rows }
        }
        QuestionType::Ranking => {
            let mut rows: Vec<(String, f64)> = question
                .settings
                .choices
                .iter()
                .filter_map(|c| {
                    let (sum, n) = counts
                        .iter()
                        .filter(|(item, _, _)| *item == c.code)
                        .filter_map(|(_, rank, n)| rank.parse::<f64>().ok().map(|r| (r * *n as f64, *n)))
                        .fold((0.0, 0), |(s, k), (r, n)| (s + r, k + n));
                    (n > 0).then(|| (c.label.clone(), sum / n as f64))
                })
                .collect();
            rows.sort_by(|a, b| a.1.total_cmp(&b.1));
            Summary::Ranking(rows)
        }
        QuestionType::Number => {
            let mut values: Vec<f64> = Vec::new();
            for (_, value, n) in counts {
                if let Ok(v) = value.parse::<f64>() {
                    values.extend(std::iter::repeat_n(v, *n as usize));
                }
            }
            values.sort_by(f64::total_cmp);
            let count = values.len();
            if count == 0 {
                return Summary::Numbers { count: 0, min: 0.0, max: 0.0, mean: 0.0, median: 0.0 };
            }
            let median =
                if count % 2 == 1 { values[count / 2] } else { (values[count / 2 - 1] + values[count / 2]) / 2.0 };
            Summary::Numbers {
                count: count as i64,
                min: values[0],
                max: values[count - 1],
                mean: values.iter().sum::<f64>() / count as f64,
                median,
            }
        }
        QuestionType::ShortText
        | QuestionType::LongText
        | QuestionType::Date
        | QuestionType::Place
        | QuestionType::Section => {
            let mut rows: Vec<(String, i64)> =
                counts.iter().filter(|(item, _, _)| item.is_empty()).map(|(_, v, n)| (v.clone(), *n)).collect();
            rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            Summary::Texts(rows)
        }
    }
}

/// The texts given with « Autre » in a question's grouped answers, most frequent first.
pub fn other_texts(counts: &[(String, String, i64)]) -> Vec<(String, i64)> {
    let mut texts: Vec<(String, i64)> =
        counts.iter().filter(|(item, _, _)| item == OTHER).map(|(_, text, n)| (text.clone(), *n)).collect();
    texts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    texts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::fixtures::{choices, question};
    use crate::domain::questionnaire::*;

    #[test]
    fn answers_are_summarised_per_type() {
        let counts = |rows: &[(&str, &str, i64)]| -> Vec<(String, String, i64)> {
            rows.iter().map(|(i, v, n)| (i.to_string(), v.to_string(), *n)).collect()
        };
        let single = question(
            1,
            QuestionType::SingleChoice,
            Settings { choices: choices(&["bus", "velo"]), allow_other: true, ..Settings::default() },
        );
        assert_eq!(
            summarize(&single, &counts(&[("", "velo", 3), ("", "autre", 1), ("autre", "trottinette", 1)])),
            Summary::Options(vec![("BUS".into(), 0), ("VELO".into(), 3), ("Autre".into(), 1)])
        );
        let number = question(2, QuestionType::Number, Settings::default());
        assert_eq!(
            summarize(&number, &counts(&[("", "20", 2), ("", "50", 1), ("", "30", 1)])),
            Summary::Numbers { count: 4, min: 20.0, max: 50.0, mean: 30.0, median: 25.0 }
        );
        let ranking =
            question(3, QuestionType::Ranking, Settings { choices: choices(&["a", "b"]), ..Settings::default() });
        assert_eq!(
            summarize(&ranking, &counts(&[("a", "1", 1), ("a", "2", 3), ("b", "1", 3), ("b", "2", 1)])),
            Summary::Ranking(vec![("B".into(), 1.25), ("A".into(), 1.75)])
        );
        let matrix = question(
            4,
            QuestionType::Matrix,
            Settings { rows: choices(&["bus"]), min: Some(1), max: Some(3), ..Settings::default() },
        );
        assert_eq!(
            summarize(&matrix, &counts(&[("bus", "3", 2), ("bus", "1", 1)])),
            Summary::Matrix { points: vec![1, 2, 3], rows: vec![("BUS".into(), vec![1, 0, 2])] }
        );
        let text = question(5, QuestionType::ShortText, Settings::default());
        assert_eq!(
            summarize(&text, &counts(&[("", "b", 1), ("", "a", 1), ("", "c", 2)])),
            Summary::Texts(vec![("c".into(), 2), ("a".into(), 1), ("b".into(), 1)])
        );
    }
}

//! What the builder's forms give, parsed: a questionnaire's header (title, introduction, the dates it takes
//! answers between), a question with its settings and condition, and choices typed one per line.

use chrono::NaiveDate;

use super::question::{Choice, Condition, ConditionOp, Question, QuestionType, Settings, OTHER};
use crate::domain::text::{bounded_text, clean_line, errors_of, fold};

/// Parses choices typed one per line, as "label" or "code = label"; codes are made from labels when absent and
/// stay unique. Errors name the line.
pub fn parse_choices(input: &str) -> Result<Vec<Choice>, String> {
    let mut choices: Vec<Choice> = Vec::new();
    for (index, line) in input.lines().enumerate() {
        let line = clean_line(line).ok_or_else(|| format!("Ligne {} : caractères non autorisés.", index + 1))?;
        if line.is_empty() {
            continue;
        }
        let (code, label) = match line.split_once(" = ") {
            Some((code, label)) => (code_of(code), label.trim().to_owned()),
            None => (code_of(&line), line.clone()),
        };
        if code.is_empty() || label.is_empty() {
            return Err(format!("Ligne {} : une proposition a besoin d’un libellé.", index + 1));
        }
        if label.chars().count() > 200 {
            return Err(format!("Ligne {} : 200 caractères au plus.", index + 1));
        }
        let mut unique = code.clone();
        let mut n = 2;
        while choices.iter().any(|c| c.code == unique) || unique == OTHER {
            unique = format!("{code}_{n}");
            n += 1;
        }
        choices.push(Choice { code: unique, label });
    }
    if choices.len() > 100 {
        return Err(format!("100 propositions au plus ({} saisies).", choices.len()));
    }
    Ok(choices)
}

/// A code from a label: lowercase ASCII words joined by "_", at most 40 characters.
fn code_of(label: &str) -> String {
    fold(label).replace(' ', "_").chars().take(40).collect()
}

/// The choices as the builder shows them back: "code = label", one per line.
pub fn choices_text(choices: &[Choice]) -> String {
    choices.iter().map(|c| format!("{} = {}", c.code, c.label)).collect::<Vec<_>>().join("\n")
}

/// A questionnaire's header as the builder gives it: a title, an introduction for respondents, and the dates
/// between which it takes answers online (both optional: open as soon as published, until closed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewQuestionnaire {
    pub title: String,
    pub introduction: String,
    pub opens_on: Option<NaiveDate>,
    pub closes_on: Option<NaiveDate>,
}

impl NewQuestionnaire {
    pub fn parse(
        title: &str,
        introduction: &str,
        opens_on: &str,
        closes_on: &str,
    ) -> Result<NewQuestionnaire, Vec<(&'static str, String)>> {
        let title = clean_line(title)
            .ok_or_else(|| "Le titre contient des caractères non autorisés.".to_owned())
            .and_then(|t| bounded_text(&t, "Le titre", 5, 150));
        let introduction = bounded_text(introduction, "L’introduction", 0, 3000);
        let date = |input: &str, what: &str| match input.trim() {
            "" => Ok(None),
            value => crate::domain::project::parse_date(value, what).map(Some),
        };
        let opens_on = date(opens_on, "La date d’ouverture");
        let closes_on = match (&opens_on, date(closes_on, "La date de clôture")) {
            (Ok(Some(open)), Ok(Some(close))) if close < *open => Err("La clôture doit suivre l’ouverture.".to_owned()),
            (_, close) => close,
        };
        match (title, introduction, opens_on, closes_on) {
            (Ok(title), Ok(introduction), Ok(opens_on), Ok(closes_on)) => {
                Ok(NewQuestionnaire { title, introduction, opens_on, closes_on })
            }
            (title, introduction, opens_on, closes_on) => Err(errors_of(vec![
                ("title", title.err()),
                ("introduction", introduction.err()),
                ("opens_on", opens_on.err()),
                ("closes_on", closes_on.err()),
            ])),
        }
    }

    /// Whether answers are taken online on `today`.
    pub fn is_open(opens_on: Option<NaiveDate>, closes_on: Option<NaiveDate>, today: NaiveDate) -> bool {
        opens_on.is_none_or(|open| open <= today) && closes_on.is_none_or(|close| today <= close)
    }
}

/// The builder's question form, as typed.
#[derive(Debug, Clone, Default)]
pub struct QuestionInput<'a> {
    pub kind: &'a str,
    pub label: &'a str,
    pub help: &'a str,
    pub required: bool,
    pub choices: &'a str,
    pub allow_other: bool,
    pub min: &'a str,
    pub max: &'a str,
    pub min_label: &'a str,
    pub max_label: &'a str,
    pub rows: &'a str,
    /// The id of an earlier question, or empty.
    pub condition_question: &'a str,
    pub condition_op: &'a str,
    /// Codes, one per line.
    pub condition_values: &'a str,
    pub profile: bool,
}

/// A question to add, validated; `id` is 0 until stored.
pub fn parse_question(input: &QuestionInput, earlier: &[Question]) -> Result<Question, Vec<(&'static str, String)>> {
    let kind = QuestionType::parse(input.kind).and_then(|kind| {
        if input.profile && !kind.may_be_profile() {
            Err("Une question de profil se répond par un choix (unique, multiple ou oui / non), pour être comptée."
                .into())
        } else {
            Ok(kind)
        }
    });
    let label = bounded_text(input.label, "L’intitulé", 3, 500);
    let help = bounded_text(input.help, "L’aide", 0, 1000);
    let bound = |value: &str, what: &str| match value.trim() {
        "" => Ok(None),
        v => v.parse::<i64>().map(Some).map_err(|_| format!("{what} doit être un nombre entier.")),
    };
    let min = bound(input.min, "Le minimum");
    let max = match (&min, bound(input.max, "Le maximum")) {
        (Ok(Some(min)), Ok(Some(max))) if max < *min => Err("Le maximum ne peut pas être inférieur au minimum.".into()),
        (_, max) => max,
    };
    let choices = match (&kind, parse_choices(input.choices)) {
        (Ok(k), Ok(c)) if k.has_choices() && c.len() < 2 => {
            Err("Une question à choix a besoin d’au moins deux propositions, une par ligne.".into())
        }
        (Ok(k), Ok(_)) if !k.has_choices() => Ok(Vec::new()),
        (_, choices) => choices,
    };
    let rows = match (&kind, parse_choices(input.rows)) {
        (Ok(QuestionType::Matrix), Ok(r)) if r.is_empty() => {
            Err("Un tableau a besoin d’au moins une ligne, une par ligne.".into())
        }
        (Ok(QuestionType::Matrix), rows) => rows,
        _ => Ok(Vec::new()),
    };
    let label_of = |text: &str, what: &str| {
        clean_line(text)
            .ok_or_else(|| format!("{what} contient des caractères non autorisés."))
            .and_then(|t| bounded_text(&t, what, 0, 100))
    };
    let min_label = label_of(input.min_label, "Le libellé du début");
    let max_label = label_of(input.max_label, "Le libellé de la fin");
    let condition = match input.condition_question.trim() {
        "" => Ok(None),
        _ if input.profile => {
            Err("Une question de profil est toujours proposée, à la fin : elle ne peut pas avoir de condition."
                .to_owned())
        }
        id => match id
            .parse::<i64>()
            .ok()
            .and_then(|id| earlier.iter().find(|q| q.id == id && q.kind.may_be_condition() && !q.profile))
        {
            None => Err("La condition porte sur une question précédente : choisissez-la dans la liste.".to_owned()),
            Some(on) => {
                let values: Vec<String> = input
                    .condition_values
                    .lines()
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned)
                    .collect();
                ConditionOp::parse(input.condition_op).and_then(|op| {
                    let known: Vec<String> = match on.kind {
                        QuestionType::YesNo => vec!["oui".into(), "non".into()],
                        _ => on.settings.choices.iter().map(|c| c.code.clone()).collect(),
                    };
                    if values.is_empty() {
                        Err("Indiquez la ou les réponses qui font apparaître la question.".to_owned())
                    } else if !known.is_empty() && values.iter().any(|v| !known.contains(v)) {
                        Err(format!("Les réponses possibles de cette question sont : {}.", known.join(", ")))
                    } else if op != ConditionOp::AmongValues && values.len() > 1 {
                        Err("Une seule réponse pour « est égale à » et « comprend » ; sinon choisissez « est l’une de ».".to_owned())
                    } else {
                        Ok(Some(Condition { question_id: on.id, op, values }))
                    }
                })
            }
        },
    };
    match (kind, label, help, min, max, choices, rows, min_label, max_label, condition) {
        (
            Ok(kind),
            Ok(label),
            Ok(help),
            Ok(min),
            Ok(max),
            Ok(choices),
            Ok(rows),
            Ok(min_label),
            Ok(max_label),
            Ok(condition),
        ) => Ok(Question {
            id: 0,
            kind,
            label,
            help,
            // A section takes no answer; a profile answer is always optional.
            required: input.required && kind.is_answerable() && !input.profile,
            settings: Settings {
                choices,
                allow_other: input.allow_other && kind.has_choices() && kind != QuestionType::Ranking,
                min,
                max,
                min_label,
                max_label,
                rows,
            },
            condition,
            profile: input.profile,
        }),
        (kind, label, help, min, max, choices, rows, min_label, max_label, condition) => Err(errors_of(vec![
            ("kind", kind.err()),
            ("label", label.err()),
            ("help", help.err()),
            ("choices", choices.err()),
            ("min", min.err()),
            ("max", max.err()),
            ("min_label", min_label.err()),
            ("max_label", max_label.err()),
            ("rows", rows.err()),
            ("condition_question", condition.err()),
        ])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::fixtures::{choices, question};

    #[test]
    fn choices_are_typed_one_per_line_with_stable_codes() {
        let parsed = parse_choices("Bus\nVélo = Vélo ou trottinette\n\nbus\nautre").unwrap();
        assert_eq!(
            parsed.iter().map(|c| (c.code.as_str(), c.label.as_str())).collect::<Vec<_>>(),
            vec![("bus", "Bus"), ("velo", "Vélo ou trottinette"), ("bus_2", "bus"), ("autre_2", "autre")]
        );
        assert_eq!(parse_choices(&choices_text(&parsed)).unwrap(), parsed, "the builder shows codes back unchanged");
        assert!(parse_choices("ok\n = \n").unwrap_err().starts_with("Ligne 2"));
    }

    #[test]
    fn the_builder_checks_a_question_and_its_condition() {
        let earlier = [Question {
            settings: Settings { choices: choices(&["bus", "velo"]), ..Settings::default() },
            ..question(7, QuestionType::SingleChoice, Settings::default())
        }];
        let input = QuestionInput {
            kind: "multiple_choice",
            label: "Quels transports utilisez-vous ?",
            choices: "Bus\nVélo\nMarche",
            allow_other: true,
            max: "2",
            condition_question: "7",
            condition_op: "equals",
            condition_values: "bus",
            ..QuestionInput::default()
        };
        let q = parse_question(&input, &earlier).unwrap();
        assert_eq!(q.settings.choices.len(), 3);
        assert!(q.settings.allow_other);
        assert_eq!(
            q.condition,
            Some(Condition { question_id: 7, op: ConditionOp::Equals, values: vec!["bus".into()] })
        );
        let bad = QuestionInput { choices: "Seul", condition_values: "train", min: "3", ..input.clone() };
        let fields: Vec<&str> = parse_question(&bad, &earlier).unwrap_err().iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["choices", "max", "condition_question"]);
        let later = QuestionInput { condition_question: "99", ..input.clone() };
        assert_eq!(parse_question(&later, &earlier).unwrap_err()[0].0, "condition_question");
        let text = QuestionInput { kind: "short_text", choices: "ignorées", ..input };
        assert!(parse_question(&text, &earlier).unwrap().settings.choices.is_empty());
    }

    #[test]
    fn a_questionnaire_takes_answers_between_its_dates() {
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        let q = NewQuestionnaire::parse("Se déplacer à Châtellerault", "", "2027-03-01", "31/03/2027").unwrap();
        assert!(!NewQuestionnaire::is_open(q.opens_on, q.closes_on, day("2027-02-28")));
        assert!(NewQuestionnaire::is_open(q.opens_on, q.closes_on, day("2027-03-31")));
        assert!(!NewQuestionnaire::is_open(q.opens_on, q.closes_on, day("2027-04-01")));
        assert!(NewQuestionnaire::is_open(None, None, day("2027-04-01")));
        let errors = NewQuestionnaire::parse("Non", "", "2027-03-01", "2027-02-01").unwrap_err();
        assert_eq!(errors.iter().map(|(f, _)| *f).collect::<Vec<_>>(), vec!["title", "closes_on"]);
    }
}

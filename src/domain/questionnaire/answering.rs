//! Answering: what makes an answer valid for each type, which questions a response's earlier answers show, what
//! an answer must respect said before answering, and a whole response validated in the questionnaire's order. The
//! server decides all of it whatever the browser sent: a question hidden by its condition keeps nothing, a shown
//! one is checked, profile answers are kept only with the respondent's consent.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::question::{ConditionOp, Question, QuestionType, OTHER};
use crate::domain::text::{bounded_text, clean_line};

/// The box a respondent ticks to agree to answer the profile questions.
pub const PROFILE_CONSENT: &str = "profil_accord";

/// One (item, value) pair of an answer; see the module's documentation.
pub type AnswerItem = (String, String);

/// Errors of a response form, as (field name, message), in the order of the form.
pub type FieldErrors = Vec<(String, String)>;

/// The name of a question's main field in the answer form; other fields append `-item`.
pub fn field_name(question_id: i64) -> String {
    format!("q{question_id}")
}

pub fn item_field_name(question_id: i64, item: &str) -> String {
    format!("q{question_id}-{item}")
}

/// The values a submitted form gives for a field name (several for ticked boxes).
pub trait Submitted {
    fn values(&self, name: &str) -> Vec<&str>;

    fn value_of(&self, name: &str) -> &str {
        self.values(name).into_iter().map(str::trim).find(|v| !v.is_empty()).unwrap_or("")
    }
}

impl Submitted for [(String, String)] {
    fn values(&self, name: &str) -> Vec<&str> {
        self.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }
}

const REQUIRED: &str = "Cette question demande une réponse.";

impl Question {
    fn choice_codes(&self) -> impl Iterator<Item = &str> {
        self.settings.choices.iter().map(|c| c.code.as_str())
    }

    /// The answer the form gives to this question, validated: empty when not answered (and not required).
    pub fn answer(&self, form: &(impl Submitted + ?Sized)) -> Result<Vec<AnswerItem>, String> {
        let main = field_name(self.id);
        let items = match self.kind {
            QuestionType::Section => Vec::new(),
            QuestionType::SingleChoice => {
                let code = form.value_of(&main);
                if code.is_empty() {
                    Vec::new()
                } else if self.choice_codes().any(|c| c == code) {
                    vec![(String::new(), code.to_owned())]
                } else if self.settings.allow_other && code == OTHER {
                    self.with_other(form, vec![(String::new(), OTHER.to_owned())])?
                } else {
                    return Err("Choisissez une réponse dans la liste.".into());
                }
            }
            QuestionType::MultipleChoice => {
                let mut items: Vec<AnswerItem> = Vec::new();
                for code in form.values(&main).into_iter().map(str::trim).filter(|c| !c.is_empty()) {
                    let known = self.choice_codes().any(|c| c == code) || (self.settings.allow_other && code == OTHER);
                    if !known {
                        return Err("Choisissez les réponses dans la liste.".into());
                    }
                    if !items.iter().any(|(_, v)| v == code) {
                        items.push((String::new(), code.to_owned()));
                    }
                }
                let n = items.len() as i64;
                if n > 0 {
                    if let Some(min) = self.settings.min.filter(|min| n < *min) {
                        return Err(format!("Cochez au moins {min} réponses ({n} cochée{}).", plural(n)));
                    }
                    if let Some(max) = self.settings.max.filter(|max| n > *max) {
                        return Err(format!("Cochez au plus {max} réponses ({n} cochées)."));
                    }
                }
                if items.iter().any(|(_, v)| v == OTHER) {
                    self.with_other(form, items)?
                } else {
                    items
                }
            }
            QuestionType::YesNo => match form.value_of(&main) {
                "" => Vec::new(),
                value @ ("oui" | "non") => vec![(String::new(), value.to_owned())],
                _ => return Err("Répondez par oui ou par non.".into()),
            },
            QuestionType::Scale => match form.value_of(&main) {
                "" => Vec::new(),
                value => vec![(String::new(), self.point(value)?.to_string())],
            },
            QuestionType::Matrix => {
                let mut items = Vec::new();
                let mut missing = Vec::new();
                for row in &self.settings.rows {
                    match form.value_of(&item_field_name(self.id, &row.code)) {
                        "" => missing.push(row.label.as_str()),
                        value => items.push((row.code.clone(), self.point(value)?.to_string())),
                    }
                }
                if self.required && !missing.is_empty() && !items.is_empty() {
                    return Err(format!("Répondez aussi pour : {}.", missing.join(", ")));
                }
                items
            }
            QuestionType::Ranking => self.ranking(form)?,
            QuestionType::Number => match form.value_of(&main) {
                "" => Vec::new(),
                value => vec![(String::new(), self.number(value)?)],
            },
            QuestionType::ShortText => match form.value_of(&main) {
                "" => Vec::new(),
                value => {
                    let line = clean_line(value).ok_or("La réponse contient des caractères non autorisés.")?;
                    vec![(String::new(), bounded_text(&line, "La réponse", 0, 300)?)]
                }
            },
            QuestionType::LongText => match form.values(&main).first().map(|v| v.trim()).unwrap_or("") {
                "" => Vec::new(),
                value => vec![(String::new(), bounded_text(value, "La réponse", 0, 5000)?)],
            },
            QuestionType::Date => match form.value_of(&main) {
                "" => Vec::new(),
                value => {
                    let date = NaiveDate::parse_from_str(value, "%Y-%m-%d")
                        .or_else(|_| NaiveDate::parse_from_str(value, "%d/%m/%Y"))
                        .map_err(|_| "Cette date n’est pas valide (attendu : JJ/MM/AAAA).".to_owned())?;
                    vec![(String::new(), date.format("%Y-%m-%d").to_string())]
                }
            },
            QuestionType::Place => match form.value_of(&main) {
                "" => Vec::new(),
                value => vec![(String::new(), place(value)?)],
            },
        };
        if self.required && items.is_empty() {
            return Err(REQUIRED.into());
        }
        Ok(items)
    }

    fn with_other(
        &self,
        form: &(impl Submitted + ?Sized),
        mut items: Vec<AnswerItem>,
    ) -> Result<Vec<AnswerItem>, String> {
        let text = form.value_of(&item_field_name(self.id, OTHER));
        let text = clean_line(text).ok_or("La précision contient des caractères non autorisés.")?;
        if text.is_empty() {
            return Err("Vous avez choisi « Autre » : précisez votre réponse.".into());
        }
        items.push((OTHER.to_owned(), bounded_text(&text, "La précision", 1, 300)?));
        Ok(items)
    }

    fn point(&self, value: &str) -> Result<i64, String> {
        let (min, max) = self.settings.scale();
        match value.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(format!("Choisissez une valeur de {min} à {max}.")),
        }
    }

    fn number(&self, value: &str) -> Result<String, String> {
        let n: f64 = value
            .replace(',', ".")
            .replace([' ', '\u{202f}', '\u{a0}'], "")
            .parse()
            .ok()
            .filter(|n: &f64| n.is_finite())
            .ok_or_else(|| "Indiquez un nombre, en chiffres.".to_owned())?;
        match (self.settings.min, self.settings.max) {
            (Some(min), _) if n < min as f64 => Err(format!("Le nombre doit être au moins {min}.")),
            (_, Some(max)) if n > max as f64 => Err(format!("Le nombre doit être au plus {max}.")),
            _ => Ok(if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { n.to_string() }),
        }
    }

    /// A ranking gives distinct ranks from 1: to every choice when it is required; to the ones the respondent
    /// chooses when it is not (1, 2, 3… without a gap, the others left unranked), as [`limits`] says on the form.
    fn ranking(&self, form: &(impl Submitted + ?Sized)) -> Result<Vec<AnswerItem>, String> {
        let n = self.settings.choices.len() as i64;
        let mut items = Vec::new();
        for choice in &self.settings.choices {
            match form.value_of(&item_field_name(self.id, &choice.code)) {
                "" => {}
                value => match value.parse::<i64>() {
                    Ok(rank) if (1..=n).contains(&rank) => items.push((choice.code.clone(), rank.to_string())),
                    _ => return Err(format!("Donnez à chaque proposition un rang de 1 à {n}.")),
                },
            }
        }
        if self.required && !items.is_empty() && items.len() as i64 != n {
            return Err(format!("Classez toutes les propositions, de 1 à {n}."));
        }
        let mut ranks: Vec<i64> = items.iter().filter_map(|(_, r)| r.parse().ok()).collect();
        ranks.sort_unstable();
        ranks.dedup();
        if ranks.len() != items.len() {
            return Err("Chaque rang ne sert qu’une fois.".into());
        }
        if ranks.iter().zip(1..).any(|(rank, expected)| *rank != expected) {
            return Err("Classez à partir de 1, sans sauter de rang (1, 2, 3…) ; les autres propositions peuvent rester sans rang.".into());
        }
        Ok(items)
    }

    /// Whether the question is shown, given the answers already validated (by question id).
    pub fn is_shown(&self, answers: &HashMap<i64, Vec<AnswerItem>>) -> bool {
        let Some(condition) = &self.condition else { return true };
        let Some(answer) = answers.get(&condition.question_id) else { return false };
        let chosen: Vec<&str> = answer.iter().filter(|(item, _)| item.is_empty()).map(|(_, v)| v.as_str()).collect();
        match condition.op {
            ConditionOp::Equals | ConditionOp::Includes => {
                condition.values.first().is_some_and(|v| chosen.contains(&v.as_str()))
            }
            ConditionOp::AmongValues => chosen.iter().any(|c| condition.values.iter().any(|v| v == c)),
        }
    }
}

/// What an answer must respect, said before answering (« Cochez-en 2 au plus. »): the form shows it under the
/// question and the builder lists it, so that nobody learns a limit from an error.
pub fn limits(question: &Question) -> Option<String> {
    let settings = &question.settings;
    match question.kind {
        QuestionType::MultipleChoice => match (settings.min, settings.max) {
            (Some(min), Some(max)) if min == max => Some(format!("Cochez-en {min}.")),
            (Some(min), Some(max)) => Some(format!("Cochez-en de {min} à {max}.")),
            (Some(min), None) => Some(format!("Cochez-en au moins {min}.")),
            (None, Some(max)) => Some(format!("Cochez-en {max} au plus.")),
            (None, None) => None,
        },
        QuestionType::Number => match (settings.min, settings.max) {
            (Some(min), Some(max)) => Some(format!("Un nombre de {min} à {max}.")),
            (Some(min), None) => Some(format!("Un nombre supérieur ou égal à {min}.")),
            (None, Some(max)) => Some(format!("Un nombre inférieur ou égal à {max}.")),
            (None, None) => None,
        },
        QuestionType::Scale | QuestionType::Matrix => {
            let (min, max) = settings.scale();
            let end = |n: i64, label: &str| if label.is_empty() { n.to_string() } else { format!("{n} ({label})") };
            Some(format!("De {} à {}.", end(min, &settings.min_label), end(max, &settings.max_label)))
        }
        QuestionType::Ranking => {
            let n = settings.choices.len();
            Some(if question.required {
                format!("Donnez à chaque proposition un rang, de 1 (en premier) à {n}.")
            } else {
                "Classez les propositions que vous voulez, à partir de 1 (en premier) ; les autres peuvent rester sans rang."
                    .to_owned()
            })
        }
        _ => None,
    }
}

fn plural(n: i64) -> &'static str {
    if n > 1 {
        "s"
    } else {
        ""
    }
}

/// A place: "latitude, longitude" in France's range of the WGS84 system, or a name (a commune, a neighbourhood).
fn place(value: &str) -> Result<String, String> {
    let parts: Vec<&str> = value.split(',').map(str::trim).collect();
    if let [lat, lon] = parts.as_slice() {
        if let (Ok(lat), Ok(lon)) = (lat.parse::<f64>(), lon.parse::<f64>()) {
            if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) {
                return Ok(format!("{lat:.6},{lon:.6}"));
            }
            return Err("Ces coordonnées ne sont pas valides (latitude, longitude en degrés).".into());
        }
    }
    let name = clean_line(value).ok_or("Le lieu contient des caractères non autorisés.")?;
    bounded_text(&name, "Le lieu", 2, 200)
}

/// Validates a whole response in the questionnaire's order: each question shown by its condition (and its
/// section's) is validated, each hidden one keeps no answer; profile questions are kept only with the respondent's
/// consent. Errors come by field name, in the order of the form.
pub fn validate_response(
    questions: &[Question],
    form: &(impl Submitted + ?Sized),
) -> Result<Vec<(i64, AnswerItem)>, FieldErrors> {
    let consented = form.value_of(PROFILE_CONSENT) == "oui";
    let mut answers: HashMap<i64, Vec<AnswerItem>> = HashMap::new();
    let mut errors = Vec::new();
    let mut items = Vec::new();
    let mut section_shown = true;
    for question in questions {
        if question.kind == QuestionType::Section {
            section_shown = question.is_shown(&answers);
            continue;
        }
        // Profile questions are asked apart, at the end, whatever section they were written in.
        let asked = if question.profile { consented } else { section_shown && question.is_shown(&answers) };
        if !asked {
            continue;
        }
        match question.answer(form) {
            Ok(answer) => {
                items.extend(answer.iter().cloned().map(|item| (question.id, item)));
                answers.insert(question.id, answer);
            }
            Err(message) => errors.push((field_name(question.id), message)),
        }
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::fixtures::{choices, form, question};
    use crate::domain::questionnaire::*;

    #[test]
    fn single_choice_accepts_a_listed_code_or_other_with_its_text() {
        let q = question(
            1,
            QuestionType::SingleChoice,
            Settings { choices: choices(&["bus", "velo"]), allow_other: true, ..Settings::default() },
        );
        assert_eq!(q.answer(form(&[("q1", "bus")]).as_slice()).unwrap(), vec![("".into(), "bus".into())]);
        assert!(q.answer(form(&[("q1", "train")]).as_slice()).is_err());
        assert!(q.answer(form(&[("q1", "autre")]).as_slice()).unwrap_err().contains("précisez"));
        assert_eq!(
            q.answer(form(&[("q1", "autre"), ("q1-autre", " covoiturage ")]).as_slice()).unwrap(),
            vec![("".into(), "autre".into()), ("autre".into(), "covoiturage".into())]
        );
        assert_eq!(q.answer(form(&[]).as_slice()).unwrap(), vec![]);
        let required = Question { required: true, ..q };
        assert_eq!(required.answer(form(&[("q1", " ")]).as_slice()).unwrap_err(), REQUIRED);
    }

    #[test]
    fn multiple_choice_counts_its_selections() {
        let q = question(
            2,
            QuestionType::MultipleChoice,
            Settings { choices: choices(&["a", "b", "c"]), min: Some(2), max: Some(2), ..Settings::default() },
        );
        assert_eq!(q.answer(form(&[("q2", "a"), ("q2", "c")]).as_slice()).unwrap().len(), 2);
        assert!(q.answer(form(&[("q2", "a")]).as_slice()).unwrap_err().contains("au moins 2"));
        assert!(q.answer(form(&[("q2", "a"), ("q2", "b"), ("q2", "c")]).as_slice()).unwrap_err().contains("au plus 2"));
        assert_eq!(
            q.answer(form(&[("q2", "a"), ("q2", "a"), ("q2", "b")]).as_slice()).unwrap().len(),
            2,
            "a box ticked twice counts once"
        );
        assert!(q.answer(form(&[("q2", "a"), ("q2", "z")]).as_slice()).is_err());
    }

    #[test]
    fn scales_numbers_dates_and_texts_are_checked() {
        let scale = question(3, QuestionType::Scale, Settings::default());
        assert_eq!(scale.answer(form(&[("q3", "5")]).as_slice()).unwrap(), vec![("".into(), "5".into())]);
        assert_eq!(scale.answer(form(&[("q3", "6")]).as_slice()).unwrap_err(), "Choisissez une valeur de 1 à 5.");
        let number =
            question(4, QuestionType::Number, Settings { min: Some(0), max: Some(120), ..Settings::default() });
        assert_eq!(number.answer(form(&[("q4", "42")]).as_slice()).unwrap()[0].1, "42");
        assert_eq!(number.answer(form(&[("q4", "1,5")]).as_slice()).unwrap()[0].1, "1.5");
        assert!(number.answer(form(&[("q4", "-1")]).as_slice()).unwrap_err().contains("au moins 0"));
        assert!(number.answer(form(&[("q4", "beaucoup")]).as_slice()).is_err());
        assert!(number.answer(form(&[("q4", "NaN")]).as_slice()).is_err());
        let date = question(5, QuestionType::Date, Settings::default());
        assert_eq!(date.answer(form(&[("q5", "03/02/2027")]).as_slice()).unwrap()[0].1, "2027-02-03");
        assert!(date.answer(form(&[("q5", "31/02/2027")]).as_slice()).is_err());
        let short = question(6, QuestionType::ShortText, Settings::default());
        assert!(short.answer(form(&[("q6", &"x".repeat(301))]).as_slice()).is_err());
        let yes_no = question(7, QuestionType::YesNo, Settings::default());
        assert!(yes_no.answer(form(&[("q7", "peut-être")]).as_slice()).is_err());
        let place_q = question(8, QuestionType::Place, Settings::default());
        assert_eq!(place_q.answer(form(&[("q8", "46.8, 0.54")]).as_slice()).unwrap()[0].1, "46.800000,0.540000");
        assert_eq!(place_q.answer(form(&[("q8", "Quartier Ozon")]).as_slice()).unwrap()[0].1, "Quartier Ozon");
        assert!(place_q.answer(form(&[("q8", "95, 0")]).as_slice()).is_err());
    }

    #[test]
    fn matrices_and_rankings_answer_every_line() {
        let matrix = Question {
            required: true,
            ..question(9, QuestionType::Matrix, Settings { rows: choices(&["bus", "train"]), ..Settings::default() })
        };
        assert_eq!(
            matrix.answer(form(&[("q9-bus", "2"), ("q9-train", "4")]).as_slice()).unwrap(),
            vec![("bus".into(), "2".into()), ("train".into(), "4".into())]
        );
        assert!(matrix.answer(form(&[("q9-bus", "2")]).as_slice()).unwrap_err().contains("TRAIN"));
        assert_eq!(matrix.answer(form(&[]).as_slice()).unwrap_err(), REQUIRED);
        let ranking =
            question(10, QuestionType::Ranking, Settings { choices: choices(&["a", "b", "c"]), ..Settings::default() });
        assert_eq!(
            ranking.answer(form(&[("q10-a", "2"), ("q10-b", "1"), ("q10-c", "3")]).as_slice()).unwrap().len(),
            3
        );
        assert!(ranking
            .answer(form(&[("q10-a", "1"), ("q10-b", "1"), ("q10-c", "3")]).as_slice())
            .unwrap_err()
            .contains("une fois"));
        assert!(ranking.answer(form(&[("q10-a", "4"), ("q10-b", "1"), ("q10-c", "3")]).as_slice()).is_err());
        // Optional, it may be partly filled: the first ranks, the others left unranked.
        assert_eq!(
            ranking.answer(form(&[("q10-c", "1"), ("q10-a", "2")]).as_slice()).unwrap(),
            vec![("a".into(), "2".into()), ("c".into(), "1".into())]
        );
        assert!(ranking.answer(form(&[("q10-a", "2")]).as_slice()).unwrap_err().contains("à partir de 1"));
        assert!(limits(&ranking).unwrap().contains("les autres peuvent rester sans rang"));
        // Required, every choice needs its rank.
        let required = Question { required: true, ..ranking };
        assert!(required.answer(form(&[("q10-a", "1")]).as_slice()).unwrap_err().contains("toutes"));
        assert!(limits(&required).unwrap().contains("de 1 (en premier) à 3"));
    }

    #[test]
    fn limits_are_said_before_answering() {
        let multiple = |min, max| {
            question(
                1,
                QuestionType::MultipleChoice,
                Settings { min, max, choices: choices(&["a", "b", "c"]), ..Settings::default() },
            )
        };
        assert_eq!(limits(&multiple(None, Some(2))).as_deref(), Some("Cochez-en 2 au plus."));
        assert_eq!(limits(&multiple(Some(2), Some(2))).as_deref(), Some("Cochez-en 2."));
        assert_eq!(limits(&multiple(Some(1), Some(3))).as_deref(), Some("Cochez-en de 1 à 3."));
        assert_eq!(limits(&multiple(None, None)), None);
        let number =
            question(2, QuestionType::Number, Settings { min: Some(0), max: Some(120), ..Settings::default() });
        assert_eq!(limits(&number).as_deref(), Some("Un nombre de 0 à 120."));
        let scale = question(
            3,
            QuestionType::Scale,
            Settings { min_label: "Pas du tout".into(), max_label: "Tout à fait".into(), ..Settings::default() },
        );
        assert_eq!(limits(&scale).as_deref(), Some("De 1 (Pas du tout) à 5 (Tout à fait)."));
        assert_eq!(limits(&question(4, QuestionType::ShortText, Settings::default())), None);
    }

    #[test]
    fn conditions_show_questions_and_hidden_ones_keep_nothing() {
        let has_car = Question { required: true, ..question(1, QuestionType::YesNo, Settings::default()) };
        let why_not = Question {
            required: true,
            condition: Some(Condition { question_id: 1, op: ConditionOp::Equals, values: vec!["non".into()] }),
            ..question(2, QuestionType::ShortText, Settings::default())
        };
        let modes = question(
            3,
            QuestionType::MultipleChoice,
            Settings { choices: choices(&["bus", "velo", "pied"]), ..Settings::default() },
        );
        let bus_line = Question {
            condition: Some(Condition { question_id: 3, op: ConditionOp::Includes, values: vec!["bus".into()] }),
            required: true,
            ..question(4, QuestionType::ShortText, Settings::default())
        };
        let soft = Question {
            condition: Some(Condition {
                question_id: 3,
                op: ConditionOp::AmongValues,
                values: vec!["velo".into(), "pied".into()],
            }),
            required: true,
            ..question(5, QuestionType::Scale, Settings::default())
        };
        let questions = [has_car, why_not, modes, bus_line, soft];
        // Has a car: the follow-up is hidden, and what was typed in it is dropped.
        let answers = validate_response(&questions, form(&[("q1", "oui"), ("q2", "trop cher")]).as_slice()).unwrap();
        assert_eq!(answers, vec![(1, ("".into(), "oui".into()))]);
        // No car: the follow-up is required.
        let errors = validate_response(&questions, form(&[("q1", "non")]).as_slice()).unwrap_err();
        assert_eq!(errors, vec![("q2".to_owned(), REQUIRED.to_owned())]);
        // Bus and walking ticked: both follow-ups shown and required.
        let errors = validate_response(&questions, form(&[("q1", "oui"), ("q3", "bus"), ("q3", "pied")]).as_slice())
            .unwrap_err();
        assert_eq!(errors.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(), vec!["q4", "q5"]);
        let answers = validate_response(
            &questions,
            form(&[("q1", "oui"), ("q3", "velo"), ("q4", "ligne 3"), ("q5", "4")]).as_slice(),
        )
        .unwrap();
        assert_eq!(
            answers.iter().map(|(q, _)| *q).collect::<Vec<_>>(),
            vec![1, 3, 5],
            "the bus line is hidden without the bus"
        );
    }

    #[test]
    fn sections_carry_their_condition_and_the_profile_needs_consent() {
        let bus = question(1, QuestionType::YesNo, Settings::default());
        let mut section = question(2, QuestionType::Section, Settings::default());
        section.condition = Some(Condition { question_id: 1, op: ConditionOp::Equals, values: vec!["oui".into()] });
        let mut line = question(3, QuestionType::ShortText, Settings::default());
        line.required = true;
        let mut age = question(
            4,
            QuestionType::SingleChoice,
            Settings { choices: choices(&["jeune", "age"]), ..Settings::default() },
        );
        age.profile = true;
        let after = question(5, QuestionType::Section, Settings::default());
        let mut last = question(6, QuestionType::ShortText, Settings::default());
        last.required = true;
        let all = [bus, section, line, age, after, last];
        assert_eq!(numbers(&all), [Some(1), None, Some(2), None, None, Some(3)]);
        // Not taking the bus: the section's required question is not asked, the next section's is.
        let no = form(&[("q1", "non"), ("q3", "gardé ?"), ("q4", "jeune"), ("q6", "fin")]);
        assert_eq!(
            validate_response(&all, no.as_slice()).unwrap(),
            vec![(1, ("".into(), "non".into())), (6, ("".into(), "fin".into()))],
            "the hidden section keeps nothing and the profile without consent neither"
        );
        let yes = form(&[("q1", "oui"), ("q4", "jeune"), ("q6", "fin"), (PROFILE_CONSENT, "oui")]);
        assert_eq!(validate_response(&all, yes.as_slice()).unwrap_err()[0].0, "q3");
        let yes = form(&[("q1", "oui"), ("q3", "ligne A"), ("q4", "jeune"), ("q6", "fin"), (PROFILE_CONSENT, "oui")]);
        assert!(validate_response(&all, yes.as_slice()).unwrap().contains(&(4, ("".into(), "jeune".into()))));
    }
}

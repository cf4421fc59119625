//! Questionnaires that inquiry groups run with inhabitants (docs/product.md § Lifecycle, step 4): the types of question
//! and their settings, what makes an answer valid, and conditional display. The server evaluates all of it whatever the
//! browser did: a question hidden by its condition keeps no answer, a shown one is validated.
//!
//! Answers are kept in long form, as (item, value) pairs of one question: `("", code)` for each chosen choice,
//! `("autre", text)` for "other, please specify", `(row, point)` for a matrix, `(choice, rank)` for a ranking,
//! `("", value)` for the other types.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::text::{bounded_text, clean_line};

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

/// The box a respondent ticks to agree to answer the profile questions.
pub const PROFILE_CONSENT: &str = "profil_accord";

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
    super::text::fold(label).replace(' ', "_").chars().take(40).collect()
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
            value => super::project::parse_date(value, what).map(Some),
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
            (title, introduction, opens_on, closes_on) => Err(super::text::errors_of(vec![
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
        (kind, label, help, min, max, choices, rows, min_label, max_label, condition) => {
            Err(super::text::errors_of(vec![
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
            ]))
        }
    }
}

/// Why changing `old` into `new` would orphan the answers `old` already has, if it would: its type, and the codes
/// answers refer to (choices, matrix rows, the points of a scale, "other") must stay; wording, help, order,
/// added choices and conditions may change.
pub fn orphaning_change(old: &Question, new: &Question) -> Option<String> {
    let missing = |before: &[Choice], after: &[Choice]| -> Vec<String> {
        before.iter().filter(|b| !after.iter().any(|a| a.code == b.code)).map(|b| format!("« {} »", b.label)).collect()
    };
    if old.kind != new.kind {
        return Some("Le type d’une question qui a des réponses ne peut pas changer : ses réponses n’auraient plus de sens. Créez une autre question.".into());
    }
    let choices = missing(&old.settings.choices, &new.settings.choices);
    if !choices.is_empty() {
        return Some(format!(
            "Des réponses citent des propositions retirées ({}) : on peut en changer le libellé (gardez « code = … ») ou en ajouter, pas en retirer.",
            choices.join(", ")
        ));
    }
    let rows = missing(&old.settings.rows, &new.settings.rows);
    if !rows.is_empty() {
        return Some(format!(
            "Des réponses portent sur des lignes retirées ({}) : elles ne peuvent pas être retirées.",
            rows.join(", ")
        ));
    }
    if old.settings.allow_other && !new.settings.allow_other {
        return Some("Des réponses peuvent avoir choisi « Autre » : ce choix ne peut plus être retiré.".into());
    }
    if matches!(old.kind, QuestionType::Scale | QuestionType::Matrix) && old.settings.scale() != new.settings.scale() {
        return Some("Les points de l’échelle ne peuvent plus changer : les réponses données s’y rapportent. Les libellés des extrémités, eux, peuvent changer.".into());
    }
    if old.profile != new.profile {
        return Some("Une question qui a des réponses ne peut plus entrer dans le profil ni en sortir : les répondants n’ont pas consenti de la même manière.".into());
    }
    None
}

/// Why a change to `changed` would break the conditions of other questions that read its answers, if it would:
/// a condition must keep finding the answers it names.
pub fn conditions_broken_by(questions: &[Question], changed: &Question) -> Option<String> {
    let offered: Vec<String> = match changed.kind {
        QuestionType::YesNo => vec!["oui".into(), "non".into()],
        kind if kind.may_be_condition() && !changed.profile => {
            changed.settings.choices.iter().map(|c| c.code.clone()).collect()
        }
        _ => Vec::new(),
    };
    let readers: Vec<String> = questions
        .iter()
        .zip(numbers(questions))
        .filter(|(q, _)| {
            q.condition
                .as_ref()
                .is_some_and(|c| c.question_id == changed.id && c.values.iter().any(|v| !offered.contains(v)))
        })
        .map(|(q, n)| n.map_or_else(|| format!("« {} »", q.label), |n| format!("la question {n}")))
        .collect();
    (!readers.is_empty()).then(|| {
        format!(
            "La condition de {} lit une réponse que cette modification retire : changez d’abord cette condition.",
            readers.join(", ")
        )
    })
}

/// The profile questions the builder proposes (age band, situations that make people hard to reach, and, for an
/// intercommunality, the commune among `communes` — (INSEE code, name) of its communes as far as they are known,
/// with « Autre » for a commune the list lacks), after the publics the Territoires en commun method asks to reach
/// first. A commune's questionnaire gets no commune question: `communes` is empty.
pub fn standard_profile_questions(communes: &[(String, String)]) -> Vec<Question> {
    let choice = |code: &str, label: &str| Choice { code: code.into(), label: label.into() };
    let question = |kind, label: &str, choices: Vec<Choice>| Question {
        id: 0,
        kind,
        label: label.into(),
        help: String::new(),
        required: false,
        settings: Settings { choices, ..Settings::default() },
        condition: None,
        profile: true,
    };
    let mut questions = vec![
        question(
            QuestionType::SingleChoice,
            "Votre tranche d’âge",
            vec![
                choice("moins_de_18", "Moins de 18 ans"),
                choice("18_24", "18 à 24 ans"),
                choice("25_39", "25 à 39 ans"),
                choice("40_59", "40 à 59 ans"),
                choice("60_74", "60 à 74 ans"),
                choice("75_et_plus", "75 ans et plus"),
            ],
        ),
        question(
            QuestionType::MultipleChoice,
            "Votre situation (cochez ce qui vous concerne)",
            vec![
                choice("vit_seul", "Je vis seul·e"),
                choice("sans_internet", "Je n’ai pas internet à la maison"),
                choice("qpv", "J’habite un quartier prioritaire de la ville"),
                choice("handicap", "Je vis avec un handicap"),
                choice("sans_emploi", "Je cherche un emploi"),
                choice("parent_seul", "J’élève seul·e mon ou mes enfants"),
            ],
        ),
    ];
    if !communes.is_empty() {
        let mut communes: Vec<&(String, String)> = communes.iter().collect();
        communes.sort_by(|a, b| super::text::fold(&a.1).cmp(&super::text::fold(&b.1)).then(a.0.cmp(&b.0)));
        let choices = communes.into_iter().map(|(code, name)| choice(code, name)).collect();
        let mut commune = question(QuestionType::SingleChoice, "Votre commune", choices);
        commune.settings.allow_other = true;
        questions.push(commune);
    }
    questions
}

/// The answers a choice or yes / no question offers, as (code, label): what coverage targets, result filters,
/// condition notes and the codebook name.
pub fn profile_values(question: &Question) -> Vec<(String, String)> {
    match question.kind {
        QuestionType::YesNo => vec![("oui".into(), "Oui".into()), ("non".into(), "Non".into())],
        _ => question.settings.choices.iter().map(|c| (c.code.clone(), c.label.clone())).collect(),
    }
}

/// The name of the coverage-target field of a profile answer.
pub fn target_field_name(question_id: i64, value: &str) -> String {
    format!("cible-{question_id}-{value}")
}

/// The coverage targets typed for the profile questions' answers: (question, value, respondents wanted), an
/// empty field or 0 meaning none. Errors name the field.
pub fn parse_targets(
    questions: &[Question],
    form: &(impl Submitted + ?Sized),
) -> Result<Vec<(i64, String, i32)>, FieldErrors> {
    let mut targets = Vec::new();
    let mut errors = Vec::new();
    for question in questions.iter().filter(|q| q.profile) {
        for (code, label) in profile_values(question) {
            let name = target_field_name(question.id, &code);
            match form.value_of(&name) {
                "" | "0" => {}
                typed => match typed.parse::<i32>() {
                    Ok(n) if (1..=100_000).contains(&n) => targets.push((question.id, code, n)),
                    _ => errors.push((
                        name,
                        format!(
                            "« {label} » : indiquez un nombre entier de répondants, de 1 à 100 000, ou laissez vide."
                        ),
                    )),
                },
            }
        }
    }
    if errors.is_empty() {
        Ok(targets)
    } else {
        Err(errors)
    }
}

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

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn question(id: i64, kind: QuestionType, settings: Settings) -> Question {
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

    fn choices(codes: &[&str]) -> Vec<Choice> {
        codes.iter().map(|c| Choice { code: c.to_string(), label: c.to_uppercase() }).collect()
    }

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

    #[test]
    fn edits_that_would_orphan_answers_are_explained() {
        let old =
            question(1, QuestionType::SingleChoice, Settings { choices: choices(&["a", "b"]), ..Settings::default() });
        let mut reworded = old.clone();
        reworded.label = "Nouvelle formulation".into();
        reworded.settings.choices[0].label = "Autre libellé".into();
        reworded.settings.choices.push(Choice { code: "c".into(), label: "C".into() });
        assert_eq!(orphaning_change(&old, &reworded), None);
        let mut fewer = old.clone();
        fewer.settings.choices.pop();
        assert!(orphaning_change(&old, &fewer).unwrap().contains("« B »"));
        let retyped = Question { kind: QuestionType::MultipleChoice, ..old.clone() };
        assert!(orphaning_change(&old, &retyped).unwrap().contains("type"));
        let scale = question(2, QuestionType::Scale, Settings::default());
        let narrower = Question { settings: Settings { max: Some(4), ..Settings::default() }, ..scale.clone() };
        assert!(orphaning_change(&scale, &narrower).is_some());
        // A condition reading a removed choice is broken, answers or not.
        let mut reader = question(3, QuestionType::ShortText, Settings::default());
        reader.condition = Some(Condition { question_id: 1, op: ConditionOp::Equals, values: vec!["b".into()] });
        assert!(conditions_broken_by(&[old.clone(), reader.clone()], &fewer).unwrap().contains("la question 2"));
        assert_eq!(conditions_broken_by(&[old, reader], &reworded), None);
    }

    #[test]
    fn the_proposed_profile_names_the_communes_of_an_intercommunality() {
        let communes = vec![("41018".to_owned(), "Blois".to_owned()), ("41269".to_owned(), "Vineuil".to_owned())];
        let proposed = standard_profile_questions(&communes);
        assert!(proposed.iter().all(|q| q.profile && !q.required && q.kind.may_be_profile()));
        let commune = proposed.iter().find(|q| q.label == "Votre commune").unwrap();
        assert_eq!(commune.settings.choices[1], Choice { code: "41269".into(), label: "Vineuil".into() });
        assert!(commune.settings.allow_other, "a commune the list lacks");
        // An intercommunality whose communes are not all known yet still gets the question; a commune does not.
        assert!(standard_profile_questions(&communes[..1]).iter().any(|q| q.label == "Votre commune"));
        assert!(standard_profile_questions(&[]).iter().all(|q| q.label != "Votre commune"));
        // In alphabetical order, whatever the order given.
        let many = vec![("2".to_owned(), "Vineuil".to_owned()), ("1".to_owned(), "Ávila".to_owned())];
        let labels: Vec<String> =
            standard_profile_questions(&many)[2].settings.choices.iter().map(|c| c.label.clone()).collect();
        assert_eq!(labels, ["Ávila", "Vineuil"]);
    }

    #[test]
    fn coverage_targets_are_whole_numbers_per_profile_answer() {
        let mut situation = question(
            7,
            QuestionType::MultipleChoice,
            Settings { choices: choices(&["sans_internet", "vit_seul"]), ..Settings::default() },
        );
        situation.profile = true;
        let typed = form(&[("cible-7-sans_internet", "30"), ("cible-7-vit_seul", "")]);
        assert_eq!(
            parse_targets(&[situation.clone()], typed.as_slice()).unwrap(),
            vec![(7, "sans_internet".into(), 30)]
        );
        let wrong = form(&[("cible-7-sans_internet", "-3"), ("cible-7-vit_seul", "beaucoup")]);
        let errors = parse_targets(&[situation], wrong.as_slice()).unwrap_err();
        assert_eq!(
            errors.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(),
            ["cible-7-sans_internet", "cible-7-vit_seul"]
        );
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

    #[test]
    fn settings_round_trip_through_json() {
        let settings = Settings { choices: choices(&["a"]), allow_other: true, min: Some(1), ..Settings::default() };
        let json = serde_json::to_string(&settings).unwrap();
        assert_eq!(json, r#"{"choices":[{"code":"a","label":"A"}],"allow_other":true,"min":1}"#);
        assert_eq!(serde_json::from_str::<Settings>(&json).unwrap(), settings);
        assert_eq!(serde_json::from_str::<Settings>("{}").unwrap(), Settings::default());
    }
}

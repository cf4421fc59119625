//! XLSForm, the questionnaire format of KoboToolbox and ODK: a `survey` sheet (one row per question, group or
//! note), a `choices` sheet (the lists of answers) and a `settings` sheet. Importing maps what our question types
//! can carry and reports, line by line, what it could not; exporting writes our questionnaires in the same
//! format. Works on sheets already read as text (see `crate::xlsx`), so it stays pure.

use std::collections::HashMap;

use super::questionnaire::{Choice, Condition, ConditionOp, Question, QuestionType, Settings, OTHER};

/// A sheet as rows of cells, the first row naming the columns.
pub type Rows = Vec<Vec<String>>;

/// What an import gives: a title, the questions in order (ids are their index + 1 until stored, conditions
/// pointing at those provisional ids), and what could not be taken over, in the file's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    pub title: String,
    pub questions: Vec<Question>,
    pub report: Vec<String>,
}

/// The columns of a sheet by name: the first `label` in any language (`label::Français (fr)` preferred).
struct Columns(HashMap<String, usize>);

impl Columns {
    fn of(header: &[String]) -> Columns {
        let mut map = HashMap::new();
        for (i, name) in header.iter().enumerate() {
            let name = name.trim().to_lowercase();
            let base = name.split("::").next().unwrap_or("").trim().to_owned();
            let french = name.contains("(fr)") || name.contains("fran");
            if !map.contains_key(&base) || (french && base != name) {
                map.insert(base, i);
            }
            map.entry(name).or_insert(i);
        }
        Columns(map)
    }

    fn get<'a>(&self, row: &'a [String], name: &str) -> &'a str {
        self.0.get(name).and_then(|i| row.get(*i)).map_or("", |v| v.trim())
    }
}

/// A label as plain text: Markdown emphasis removed, at most `max` characters.
fn plain(text: &str, max: usize) -> String {
    let text = text.replace("**", "").replace("__", "");
    let text: String = text.chars().filter(|c| !c.is_control() || *c == '\n').collect();
    let text = text.trim();
    if text.chars().count() > max {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    } else {
        text.to_owned()
    }
}

fn is_yes(value: &str) -> bool {
    matches!(value.trim().to_lowercase().as_str(), "yes" | "true" | "true()" | "1" | "oui" | "ja")
}

/// Reads a `relevant` expression of the simple forms `${q} = 'x'`, `selected(${q}, 'x')`, and alternatives of
/// the same question joined by `or`: (question name, operator, values).
fn parse_relevant(expression: &str) -> Option<(String, ConditionOp, Vec<String>)> {
    let mut name: Option<String> = None;
    let mut values = Vec::new();
    let mut op = ConditionOp::Equals;
    for part in expression.split(" or ") {
        let part = part.trim().trim_start_matches('(').trim_end_matches(')').trim();
        let (question, value, this_op) = if let Some(inner) = part.strip_prefix("selected(") {
            let (question, value) = inner.split_once(',')?;
            (question.trim(), value.trim(), ConditionOp::Includes)
        } else {
            let (question, value) = part.split_once('=')?;
            if question.ends_with('!') || question.ends_with('<') || question.ends_with('>') {
                return None;
            }
            (question.trim(), value.trim(), ConditionOp::Equals)
        };
        let question = question.strip_prefix("${")?.strip_suffix('}')?.trim().to_owned();
        let value = value.trim_end_matches(')').trim();
        let value = value
            .strip_prefix('\'')
            .and_then(|v| v.strip_suffix('\''))
            .or_else(|| value.strip_prefix('"').and_then(|v| v.strip_suffix('"')))?;
        if value.is_empty() || value.contains(['\'', '"']) || name.as_ref().is_some_and(|n| *n != question) {
            return None;
        }
        name = Some(question);
        values.push(value.to_owned());
        op = this_op;
    }
    if values.len() > 1 {
        op = ConditionOp::AmongValues;
    }
    Some((name?, op, values))
}

/// XLSForm types our questionnaires cannot hold, and why, as the report says it.
fn unsupported(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "start" | "end" | "today" | "deviceid" | "username" | "audit" | "subscriberid" | "simserial"
        | "phonenumber" | "start-geopoint" => "métadonnée de l’appareil de collecte, sans objet ici",
        "calculate" | "hidden" => "calcul sans question posée",
        "image" | "audio" | "video" | "file" | "background-audio" => "fichier joint : non pris en charge",
        "barcode" => "code-barres : non pris en charge",
        "geotrace" | "geoshape" => "tracé ou surface sur une carte : non pris en charge",
        "acknowledge" => "case d’accusé de lecture : non prise en charge",
        "begin_repeat" | "end_repeat" => "groupe répété : ses questions sont importées une seule fois",
        _ => return None,
    })
}

/// Imports the sheets of an XLSForm workbook, as (sheet name, rows). Errors when there is nothing to import;
/// otherwise everything that maps is taken, and the report says what was not.
pub fn import(sheets: &[(String, Rows)], fallback_title: &str) -> Result<Import, String> {
    let sheet = |name: &str| sheets.iter().find(|(n, _)| n.trim().eq_ignore_ascii_case(name)).map(|(_, r)| r);
    let survey = sheet("survey").ok_or("Le classeur n’a pas de feuille « survey » : ce n’est pas un XLSForm.")?;
    let header = survey.first().ok_or("La feuille « survey » est vide.")?;
    let columns = Columns::of(header);
    if !columns.0.contains_key("type") || !columns.0.contains_key("name") {
        return Err("La feuille « survey » doit avoir des colonnes « type » et « name » sur sa première ligne.".into());
    }
    let mut lists: HashMap<String, Vec<Choice>> = HashMap::new();
    if let Some(choices) = sheet("choices") {
        if let Some(header) = choices.first() {
            let c = Columns::of(header);
            for row in choices.iter().skip(1) {
                let (list, name) = (c.get(row, "list_name"), c.get(row, "name"));
                if list.is_empty() || name.is_empty() {
                    continue;
                }
                let label = match plain(c.get(row, "label"), 200) {
                    l if l.is_empty() => name.to_owned(),
                    l => l,
                };
                lists.entry(list.to_owned()).or_default().push(Choice { code: name.chars().take(40).collect(), label });
            }
        }
    }
    let title = sheet("settings")
        .and_then(|rows| {
            let c = Columns::of(rows.first()?);
            rows.get(1).map(|row| plain(c.get(row, "form_title"), 150))
        })
        .filter(|t| t.chars().count() >= 5)
        .unwrap_or_else(|| fallback_title.to_owned());

    let mut questions: Vec<Question> = Vec::new();
    let mut names: HashMap<String, i64> = HashMap::new();
    let mut report = Vec::new();
    for (index, row) in survey.iter().enumerate().skip(1) {
        let line = index + 1;
        let raw_type = columns.get(row, "type");
        if raw_type.is_empty() {
            continue;
        }
        let name = columns.get(row, "name").to_owned();
        let mut words = raw_type.split_whitespace();
        let kind_word = words.next().unwrap_or("").replace(' ', "_");
        let list = words.next().unwrap_or("").to_owned();
        let or_other = words.next() == Some("or_other");
        let what = if name.is_empty() { String::new() } else { format!(" ({name})") };
        let kind = match kind_word.as_str() {
            "begin_group" | "begin" if raw_type.contains("group") || kind_word == "begin_group" => {
                QuestionType::Section
            }
            "end_group" | "end" if raw_type.contains("group") || kind_word == "end_group" => continue,
            "select_one" => QuestionType::SingleChoice,
            "select_multiple" => QuestionType::MultipleChoice,
            "rank" => QuestionType::Ranking,
            "integer" | "int" | "decimal" => QuestionType::Number,
            "text" | "string" if columns.get(row, "appearance").contains("multiline") => QuestionType::LongText,
            "text" | "string" | "time" | "datetime" => QuestionType::ShortText,
            "date" => QuestionType::Date,
            "geopoint" => QuestionType::Place,
            "range" => QuestionType::Scale,
            "note" => {
                // A note informs: it goes into the presentation of the section it belongs to, if that has room.
                let text = plain(columns.get(row, "label"), 1000);
                match questions.last_mut().filter(|q| q.kind == QuestionType::Section && q.help.is_empty()) {
                    Some(section) if !text.is_empty() => section.help = text,
                    _ => report.push(format!("Ligne {line}{what} : note d’information non reprise (elle n’a pas de section juste avant où se placer).")),
                }
                continue;
            }
            other => {
                let why = unsupported(other).map_or_else(|| format!("type « {raw_type} » inconnu"), str::to_owned);
                report.push(format!("Ligne {line}{what} : {why}."));
                continue;
            }
        };
        let mut label = plain(columns.get(row, "label"), 500);
        if label.chars().count() < 3 {
            if kind == QuestionType::Section && label.is_empty() {
                report.push(format!(
                    "Ligne {line}{what} : groupe sans titre, ses questions rejoignent la partie précédente."
                ));
                continue;
            }
            label = if name.is_empty() { format!("Question {line}") } else { name.clone() };
        }
        let mut settings = Settings::default();
        if kind.has_choices() {
            match lists.get(&list) {
                Some(choices) if choices.len() >= 2 => {
                    settings.choices = choices.iter().take(100).cloned().collect();
                    settings.choices.retain(|c| c.code != OTHER);
                    settings.allow_other = or_other && kind != QuestionType::Ranking;
                }
                _ => {
                    report.push(format!("Ligne {line}{what} : la liste de réponses « {list} » manque dans la feuille « choices » ou a moins de deux réponses ; question non importée."));
                    continue;
                }
            }
            if or_other && kind == QuestionType::Ranking {
                report.push(format!("Ligne {line}{what} : « Autre » n’existe pas pour un classement ; il est omis."));
            }
        }
        if kind == QuestionType::Scale {
            let parameters = columns.get(row, "parameters");
            let param = |key: &str| {
                parameters.split_whitespace().find_map(|p| p.strip_prefix(key)?.strip_prefix('=')?.parse::<f64>().ok())
            };
            settings.min = Some(param("start").unwrap_or(1.0) as i64);
            settings.max = Some(param("end").unwrap_or(5.0) as i64);
            if settings.max <= settings.min || settings.max.unwrap_or(0) - settings.min.unwrap_or(0) > 20 {
                report.push(format!("Ligne {line}{what} : échelle « {parameters} » ramenée à 1–5."));
                (settings.min, settings.max) = (Some(1), Some(5));
            }
        }
        if matches!(kind_word.as_str(), "time" | "datetime") {
            report.push(format!("Ligne {line}{what} : heure ou date et heure importée comme texte court."));
        }
        let relevant = columns.get(row, "relevant");
        let condition = if relevant.is_empty() {
            None
        } else {
            let on = parse_relevant(relevant).and_then(|(on, op, values)| {
                let target = questions.iter().find(|q| names.get(&on) == Some(&q.id))?;
                let known: Vec<&str> = target.settings.choices.iter().map(|c| c.code.as_str()).collect();
                if !target.kind.may_be_condition() || values.iter().any(|v| !known.contains(&v.as_str())) {
                    return None;
                }
                let op = match (op, target.kind) {
                    (ConditionOp::Equals, QuestionType::MultipleChoice) => ConditionOp::Includes,
                    (ConditionOp::Includes, QuestionType::SingleChoice) => ConditionOp::Equals,
                    (op, _) => op,
                };
                Some(Condition { question_id: target.id, op, values })
            });
            if on.is_none() {
                report.push(format!("Ligne {line}{what} : condition « {relevant} » non reprise (seules « ${{q}} = 'x' », « selected(${{q}}, 'x') » et leurs « or » sur une question à choix précédente le sont) ; la question est toujours posée."));
            }
            on
        };
        let id = questions.len() as i64 + 1;
        if !name.is_empty() {
            names.insert(name, id);
        }
        questions.push(Question {
            id,
            kind,
            label,
            help: plain(columns.get(row, "hint"), 1000),
            required: kind.is_answerable() && is_yes(columns.get(row, "required")),
            settings,
            condition,
            profile: false,
        });
    }
    if !questions.iter().any(|q| q.kind.is_answerable()) {
        return Err("Aucune question de la feuille « survey » n’a pu être importée.".into());
    }
    Ok(Import { title, questions, report })
}

/// A questionnaire as the three sheets of an XLSForm: survey, choices, settings.
pub fn export(title: &str, form_id: &str, questions: &[Question]) -> Vec<(&'static str, Rows)> {
    let row = |cells: &[&str]| cells.iter().map(|c| (*c).to_owned()).collect::<Vec<String>>();
    let mut survey = vec![row(&["type", "name", "label", "hint", "required", "relevant", "appearance", "parameters"])];
    let mut choices = vec![row(&["list_name", "name", "label"])];
    let name_of = |q: &Question| format!("q{}", q.id);
    let mut in_group = false;
    let close = |survey: &mut Rows, in_group: &mut bool| {
        if *in_group {
            survey.push(row(&["end_group"]));
            *in_group = false;
        }
    };
    let ordered: Vec<&Question> =
        questions.iter().filter(|q| !q.profile).chain(questions.iter().filter(|q| q.profile)).collect();
    let mut profile_opened = false;
    for question in ordered {
        let name = name_of(question);
        let relevant = question.condition.as_ref().map_or(String::new(), |c| {
            let on = format!("${{q{}}}", c.question_id);
            let one = |v: &String| match c.op {
                ConditionOp::Includes => format!("selected({on}, '{v}')"),
                _ if questions.iter().any(|q| q.id == c.question_id && q.kind == QuestionType::MultipleChoice) => {
                    format!("selected({on}, '{v}')")
                }
                _ => format!("{on} = '{v}'"),
            };
            c.values.iter().map(one).collect::<Vec<_>>().join(" or ")
        });
        if question.profile && !profile_opened {
            close(&mut survey, &mut in_group);
            survey.push(row(&["begin_group", "profil", "Votre profil (facultatif)"]));
            in_group = true;
            profile_opened = true;
        }
        let required = if question.required { "yes" } else { "" };
        let list = format!("{name}_choix");
        let mut push_list = |items: &[Choice]| {
            for c in items {
                choices.push(row(&[&list, &c.code, &c.label]));
            }
        };
        let (kind, appearance, parameters) = match question.kind {
            QuestionType::Section => {
                close(&mut survey, &mut in_group);
                survey.push(row(&["begin_group", &name, &question.label, &question.help, "", &relevant]));
                in_group = true;
                continue;
            }
            QuestionType::SingleChoice | QuestionType::MultipleChoice | QuestionType::Ranking => {
                push_list(&question.settings.choices);
                let word = match question.kind {
                    QuestionType::SingleChoice => "select_one",
                    QuestionType::MultipleChoice => "select_multiple",
                    _ => "rank",
                };
                let other = if question.settings.allow_other { " or_other" } else { "" };
                (format!("{word} {list}{other}"), "", String::new())
            }
            QuestionType::YesNo => {
                push_list(&[
                    Choice { code: "oui".into(), label: "Oui".into() },
                    Choice { code: "non".into(), label: "Non".into() },
                ]);
                (format!("select_one {list}"), "", String::new())
            }
            QuestionType::Scale => {
                let (min, max) = question.settings.scale();
                ("range".to_owned(), "", format!("start={min} end={max} step=1"))
            }
            QuestionType::Matrix => {
                // A field-list group, one single choice per row on the same list of points.
                let (min, max) = question.settings.scale();
                let points: Vec<Choice> =
                    (min..=max).map(|p| Choice { code: p.to_string(), label: p.to_string() }).collect();
                push_list(&points);
                let in_section = in_group;
                survey.push(row(&["begin_group", &name, &question.label, &question.help, "", &relevant, "field-list"]));
                for r in &question.settings.rows {
                    survey.push(row(&[
                        &format!("select_one {list}"),
                        &format!("{name}_{}", r.code),
                        &r.label,
                        "",
                        required,
                    ]));
                }
                survey.push(row(&["end_group"]));
                in_group = in_section;
                continue;
            }
            QuestionType::Number => ("decimal".to_owned(), "", String::new()),
            QuestionType::ShortText | QuestionType::Place => ("text".to_owned(), "", String::new()),
            QuestionType::LongText => ("text".to_owned(), "multiline", String::new()),
            QuestionType::Date => ("date".to_owned(), "", String::new()),
        };
        survey.push(row(&[
            &kind,
            &name,
            &question.label,
            &question.help,
            required,
            &relevant,
            appearance,
            &parameters,
        ]));
    }
    close(&mut survey, &mut in_group);
    let settings = vec![row(&["form_title", "form_id", "default_language"]), row(&[title, form_id, "French (fr)"])];
    vec![("survey", survey), ("choices", choices), ("settings", settings)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_relevant_expressions_become_conditions() {
        assert_eq!(parse_relevant("${q1} = 'oui'"), Some(("q1".into(), ConditionOp::Equals, vec!["oui".into()])));
        assert_eq!(
            parse_relevant("selected(${themes}, 'other')"),
            Some(("themes".into(), ConditionOp::Includes, vec!["other".into()]))
        );
        assert_eq!(
            parse_relevant("${a} = 'x' or ${a} = 'y'"),
            Some(("a".into(), ConditionOp::AmongValues, vec!["x".into(), "y".into()]))
        );
        assert_eq!(parse_relevant("${a} != ''"), None);
        assert_eq!(parse_relevant("${a} = 'x' and ${b} = 'y'"), None);
        assert_eq!(parse_relevant("${a} = 'x' or ${b} = 'y'"), None);
    }

    #[test]
    fn an_exported_questionnaire_imports_back_the_same() {
        let choice = |code: &str| Choice { code: code.into(), label: code.to_uppercase() };
        let question = |id, kind, settings: Settings| Question {
            id,
            kind,
            label: format!("Question numéro {id}"),
            help: String::new(),
            required: id == 1,
            settings,
            condition: None,
            profile: false,
        };
        let mut questions = vec![
            question(
                1,
                QuestionType::MultipleChoice,
                Settings { choices: vec![choice("a"), choice("b")], allow_other: true, ..Settings::default() },
            ),
            question(2, QuestionType::Section, Settings::default()),
            question(3, QuestionType::Scale, Settings { min: Some(0), max: Some(10), ..Settings::default() }),
            question(4, QuestionType::LongText, Settings::default()),
        ];
        questions[1].condition =
            Some(Condition { question_id: 1, op: ConditionOp::Includes, values: vec!["b".into()] });
        let sheets: Vec<(String, Rows)> =
            export("Titre exporté", "f", &questions).into_iter().map(|(n, r)| (n.to_owned(), r)).collect();
        let back = import(&sheets, "secours").unwrap();
        assert_eq!(back.title, "Titre exporté");
        assert!(back.report.is_empty(), "{:?}", back.report);
        let shape = |qs: &[Question]| -> Vec<(QuestionType, String, bool, bool)> {
            qs.iter().map(|q| (q.kind, q.label.clone(), q.required, q.condition.is_some())).collect()
        };
        assert_eq!(shape(&back.questions), shape(&questions));
        assert_eq!(back.questions[0].settings, questions[0].settings);
        assert_eq!(back.questions[2].settings.scale(), (0, 10));
    }
}

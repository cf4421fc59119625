//! The profile of respondents: the profile questions the builder proposes (after the publics the method asks to
//! reach first), the answers they offer, and the coverage targets set on those answers.

use super::answering::{FieldErrors, Submitted};
use super::question::{Choice, Question, QuestionType, Settings};
use crate::domain::text::fold;

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
        communes.sort_by(|a, b| fold(&a.1).cmp(&fold(&b.1)).then(a.0.cmp(&b.0)));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::fixtures::{choices, form, question};

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
}

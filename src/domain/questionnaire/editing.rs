//! The rules for changing a question that already has answers or that other questions' conditions read: what
//! would orphan answers, and what would break a condition. The builder asks them in the writing transaction.

use super::question::{numbers, Choice, Question, QuestionType};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::fixtures::{choices, question};
    use crate::domain::questionnaire::*;

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
}

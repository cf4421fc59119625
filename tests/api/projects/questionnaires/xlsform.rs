//! XLSForm: questionnaires imported from and exported to KoboToolbox and ODK's format.

use encommun::domain::questionnaire::{Question, QuestionType};
use encommun::storage::questionnaires::questions_of;
use encommun::xlsx::read_workbook;

use super::{group_path, logged_in, world, ADMIN};
use crate::helpers::{shared_data, with_conn, Client, TestApp};
use crate::on_both_backends;

on_both_backends!(xlsform_files_are_imported_and_exported);

async fn import(app: &TestApp, admin: &Client, file_name: &str, data: &[u8]) -> crate::helpers::Page {
    let group = group_path(app);
    admin.upload(&group, &format!("{group}/questionnaires/import"), &[], file_name, data).await
}

fn latest_questionnaire(app: &TestApp) -> (i64, Vec<Question>) {
    with_conn(app, |conn| {
        use diesel::prelude::*;
        use encommun::storage::schema::questionnaires;
        let id: i64 =
            questionnaires::table.select(questionnaires::id).order(questionnaires::id.desc()).first(conn).unwrap();
        (id, questions_of(conn, id).unwrap())
    })
}

async fn xlsform_files_are_imported_and_exported(app: TestApp) {
    let Some(data) =
        shared_data(&["questionnaires/xlsform-civil-society-survey-de.xlsx", "questionnaires/xlsform-all-types.xlsx"])
    else {
        return;
    };
    let shared_file = |name: &str| data.bytes(&format!("questionnaires/{name}"));
    world(&app);
    let admin = logged_in(&app, ADMIN).await;
    // The German survey of civil-society organisations: 8 titled groups, 14 conditions, of which one uses "and" and
    // one names an answer its list does not have.
    let page = import(
        &app,
        &admin,
        "xlsform-civil-society-survey-de.xlsx",
        &shared_file("xlsform-civil-society-survey-de.xlsx"),
    )
    .await;
    page.assert_status(200).assert_contains("Questionnaire importé");
    let (id, questions) = latest_questionnaire(&app);
    let count = |kind: QuestionType| questions.iter().filter(|q| q.kind == kind).count();
    assert_eq!(count(QuestionType::Section), 8, "the groups with a title");
    assert_eq!(count(QuestionType::MultipleChoice), 12);
    assert_eq!(count(QuestionType::SingleChoice), 8);
    assert_eq!(count(QuestionType::LongText), 4);
    assert_eq!(count(QuestionType::Number), 2);
    assert_eq!(questions.iter().filter(|q| q.condition.is_some()).count(), 12);
    let landkreis = questions.iter().find(|q| q.label == "In welchem Landkreis sind Sie aktiv?").unwrap();
    assert_eq!(landkreis.settings.choices.len(), 10);
    assert_eq!(landkreis.settings.choices[2].label, "Görlitz");
    let other = questions.iter().find(|q| q.label == "Sonstige Themenfelder (bitte angeben)").unwrap();
    let condition = other.condition.as_ref().unwrap();
    let themes = questions.iter().find(|q| q.id == condition.question_id).unwrap();
    assert_eq!(themes.label, "Was sind die Themenfelder Ihrer Arbeit?");
    assert_eq!(condition.values, ["other"]);
    // "and" conditions and regular expressions are reported, line by line.
    page.assert_contains("Ligne 21 (gesetz_veraenderung_text) : condition");
    page.assert_contains("Ligne 28 (teilhabe_gruppen_other) : condition");

    // Every XLSForm type: what cannot be mapped is said, the rest is taken.
    let page = import(&app, &admin, "xlsform-all-types.xlsx", &shared_file("xlsform-all-types.xlsx")).await;
    page.assert_status(200)
        .assert_contains("Ligne 2 (start) : métadonnée")
        .assert_contains("Ligne 7 (calc1) : calcul")
        .assert_contains("Ligne 18 (q_time) : heure");
    let (_, all_types) = latest_questionnaire(&app);
    let ranking = all_types.iter().find(|q| q.kind == QuestionType::Ranking).unwrap();
    assert_eq!(ranking.settings.choices.len(), 3);
    assert!(all_types.iter().any(|q| q.kind == QuestionType::SingleChoice && q.settings.allow_other));

    // Exported as XLSForm and imported again, the questionnaire keeps its questions and conditions.
    let exported = admin.get(&format!("/questionnaires/{id}/xlsform.xlsx")).await;
    exported.assert_status(200);
    let sheets = read_workbook(&exported.bytes).unwrap();
    assert_eq!(sheets.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["survey", "choices", "settings"]);
    import(&app, &admin, "reimport.xlsx", &exported.bytes).await.assert_status(200);
    let (_, again) = latest_questionnaire(&app);
    let shape = |qs: &[Question]| -> Vec<(QuestionType, String, bool)> {
        qs.iter().map(|q| (q.kind, q.label.clone(), q.condition.is_some())).collect()
    };
    assert_eq!(shape(&again), shape(&questions));

    // Not a workbook: refused in French, nothing created.
    let before = latest_questionnaire(&app).0;
    let page = import(&app, &admin, "faux.xlsx", b"ceci n'est pas un classeur").await;
    page.assert_status(422).assert_contains("n’est pas un classeur Excel");
    assert_eq!(latest_questionnaire(&app).0, before);
}

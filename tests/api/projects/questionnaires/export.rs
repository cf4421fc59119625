//! Exports: one row per response with stable columns whatever the conditions, as CSV and as a workbook.

use encommun::xlsx::read_workbook;

use super::{
    add_question, answer, build, create, empty_questionnaire, group_path, logged_in, questions_of_builder, survey_of,
    world, ADMIN, OUTSIDER, REFERENT,
};
use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(
    the_export_has_one_row_per_response_and_stable_columns,
    the_workbook_export_holds_the_same_cells_as_the_csv,
);

/// Two responses through different conditional paths: the CSV has the same columns for both, cell by cell.
async fn the_export_has_one_row_per_response_and_stable_columns(app: TestApp) {
    world(&app);
    let group = group_path(&app);
    let admin = logged_in(&app, ADMIN).await;
    let builder = create(&admin, &group, "").await;
    let q = build(&app, &admin, &builder).await;
    let survey = survey_of(&app, &builder);
    let f = |n: usize| format!("q{}", q[n]);
    let i = |n: usize, item: &str| format!("q{}-{item}", q[n]);
    let first = vec![
        (f(0), "oui"),
        (f(2), "bus"),
        (f(2), "autre"),
        (i(2, "autre"), "trottinette"),
        (f(3), "34"),
        (f(4), "2"),
        (i(5, "bus"), "4"),
        (i(5, "train"), "1"),
        (i(6, "prix"), "2"),
        (i(6, "horaires"), "1"),
        (i(6, "securite"), "3"),
        (f(7), "12/11/2026"),
        (f(8), "Quartier Kennedy, Blois"),
    ];
    let second = vec![(f(0), "non"), (f(1), "pas de permis")];
    for answers in [first, second] {
        let inhabitant = app.client();
        let token = inhabitant.get(&survey).await.csrf_token();
        let mut fields: Vec<(&str, &str)> = vec![("csrf_token", &token)];
        fields.extend(answers.iter().map(|(k, v)| (k.as_str(), *v)));
        inhabitant.post(&survey, &fields).await.assert_status(303);
    }
    let referent = logged_in(&app, REFERENT).await;
    let csv = referent.get(&format!("{builder}/reponses.csv?separateur=pointvirgule")).await;
    csv.assert_status(200);
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    assert!(csv.body.starts_with('\u{feff}'), "a byte order mark for spreadsheet software");
    let lines: Vec<Vec<&str>> =
        csv.body.trim_start_matches('\u{feff}').lines().map(|l| l.split(';').collect()).collect();
    assert_eq!(lines.len(), 3, "a header and one row per response:\n{}", csv.body);
    assert_eq!(
        lines[0],
        vec![
            "reponse",
            "canal",
            "mode_entretien",
            "lieu_entretien",
            "saisie_par",
            "date",
            "q1",
            "q2",
            "q3_bus",
            "q3_velo",
            "q3_a_pied",
            "q3_autre",
            "q3_autre_precision",
            "q4",
            "q5",
            "q6_bus",
            "q6_train",
            "q7_prix",
            "q7_horaires",
            "q7_securite",
            "q8",
            "q9",
            "q10"
        ]
    );
    // Online: no interview mode, place nor recorder; the date aside, the cells are known.
    assert!(lines[1][2..5].iter().all(|cell| cell.is_empty()), "{:?}", lines[1]);
    let without_date = |row: &Vec<&str>| -> Vec<String> {
        row.iter().enumerate().filter(|(n, _)| !(2..=5).contains(n)).map(|(_, c)| c.to_string()).collect()
    };
    assert_eq!(
        without_date(&lines[1])[1..],
        [
            "en ligne",
            "oui",
            "",
            "1",
            "0",
            "0",
            "1",
            "trottinette",
            "34",
            "2",
            "4",
            "1",
            "2",
            "1",
            "3",
            "2026-11-12",
            "Quartier Kennedy, Blois",
            ""
        ]
    );
    assert_eq!(
        without_date(&lines[2])[1..],
        ["en ligne", "non", "pas de permis", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""]
    );
    // With commas, the place that holds one is quoted.
    let csv = referent.get(&format!("{builder}/reponses.csv")).await;
    csv.assert_contains(",\"Quartier Kennedy, Blois\",");
    let codes = referent.get(&format!("{builder}/codes.csv?separateur=pointvirgule")).await;
    codes
        .assert_status(200)
        .assert_contains("q1;Avez-vous une voiture ?;Oui / non;réponse;;oui;Oui")
        .assert_contains(
            "q3_velo;Comment vous déplacez-vous ? — Vélo;Choix multiple;1 si cochée, 0 sinon, vide sans réponse;;;",
        )
        // When a question is asked, and the words at the ends of a scale.
        .assert_contains("q2;Pourquoi n’en avez-vous pas ?;Texte court;réponse;q1 est égale à non;;")
        .assert_contains("réponse;;1;Pas du tout")
        .assert_contains("mode_entretien;;;face à face ou téléphone, pour un entretien");
    logged_in(&app, OUTSIDER).await.get(&format!("{builder}/reponses.csv")).await.assert_status(403);
}

async fn the_workbook_export_holds_the_same_cells_as_the_csv(app: TestApp) {
    let (admin, builder) = empty_questionnaire(&app).await;
    add_question(&admin, &builder, &[("kind", "multiple_choice"), ("label", "Vos modes"), ("choices", "Bus\nVélo")])
        .await
        .assert_status(303);
    add_question(&admin, &builder, &[("kind", "short_text"), ("label", "Code postal")]).await.assert_status(303);
    let ids = questions_of_builder(&app, &builder);
    let survey = survey_of(&app, &builder);
    let visitor = app.client();
    let (modes, postcode) = (format!("q{}", ids[0]), format!("q{}", ids[1]));
    answer(&visitor, &survey, &[(&modes, "velo"), (&postcode, "01000")]).await.assert_status(303);
    answer(&visitor, &survey, &[(&postcode, "=1+1 <b>")]).await.assert_status(303);
    let csv = admin.get(&format!("{builder}/reponses.csv")).await;
    let xlsx = admin.get(&format!("{builder}/reponses.xlsx")).await;
    xlsx.assert_status(200);
    let sheet = read_workbook(&xlsx.bytes).unwrap().remove(0);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).from_reader(csv.body.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    assert_eq!(rows.len(), 3);
    for (csv_row, sheet_row) in rows.iter().zip(&sheet.rows) {
        for (i, cell) in csv_row.iter().enumerate() {
            assert_eq!(sheet_row.get(i).map_or("", String::as_str), cell, "column {i}");
        }
    }
    // The postcode stays text (its leading zero), the formula-looking answer is plain text.
    assert_eq!(sheet.rows[1][8], "01000");
    assert_eq!(sheet.rows[2][8], "=1+1 <b>");
}

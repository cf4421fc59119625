//! Questionnaires beyond the basics: sections and their conditions, edits that would orphan answers, the
//! consented respondent profile and the coverage of publics, single-use invitations, XLSForm import and export,
//! the XLSX export, the comparison across territories, and the 2,204 real answers of the Grand Débat.

use std::collections::HashMap;
use std::future::Future;

use encommun::domain::questionnaire::{NewQuestionnaire, Question, QuestionType, Settings};
use encommun::storage::questionnaires::{
    add_questions, answer_counts, count_responses, create_questionnaire, find_questionnaire, invitations_of,
    questions_of, record_response, Channel, ResponseFilter,
};
use encommun::storage::users::find_user_by_email;
use encommun::storage::write_transaction;
use encommun::xlsx::read_workbook;

use encommun::web::survey::{FormPurpose, FormToken, TokenCheck, FORM_TOKEN_HOURS};

use crate::helpers::{enrolment_project, shared_data, with_conn, Client, TestApp};
use crate::on_both_backends;
use crate::questionnaires::{
    add_question, create, group_path, id_in, logged_in, questions_of_builder, survey_of, ADMIN, REFERENT,
};

on_both_backends!(
    sections_hide_their_questions_and_answered_questions_keep_their_codes,
    the_profile_is_kept_only_with_consent_and_coverage_counts_it,
    an_invitation_records_one_response_only,
    xlsform_files_are_imported_and_exported,
    the_workbook_export_holds_the_same_cells_as_the_csv,
    the_grand_debat_answers_are_counted_per_question,
    a_questionnaire_is_answered_without_any_cookie,
    a_questionnaire_takes_answers_once_published_with_a_question,
    an_optional_ranking_may_be_partly_filled,
    refused_form_tokens_keep_the_answers,
);

/// The demo and an empty questionnaire of Agglopolys's group: (agency client, builder path).
async fn empty_questionnaire(app: &TestApp) -> (Client, String) {
    app.load_demo();
    let admin = logged_in(app, ADMIN).await;
    let builder = create(&admin, &group_path(app), "").await;
    (admin, builder)
}

async fn answer(client: &Client, survey: &str, fields: &[(&str, &str)]) -> crate::helpers::Page {
    client.submit(survey, survey, fields).await
}

async fn sections_hide_their_questions_and_answered_questions_keep_their_codes(app: TestApp) {
    let (admin, builder) = empty_questionnaire(&app).await;
    add_question(&admin, &builder, &[("kind", "yes_no"), ("label", "Prenez-vous le bus ?"), ("required", "oui")])
        .await
        .assert_status(303);
    let bus = questions_of_builder(&app, &builder)[0].to_string();
    let section = [
        ("kind", "section"),
        ("label", "Vos trajets en bus"),
        ("help", "Quelques questions pour ceux qui le prennent."),
        ("condition_question", bus.as_str()),
        ("condition_op", "equals"),
        ("condition_values", "oui"),
    ];
    add_question(&admin, &builder, &section).await.assert_status(303);
    let lines = [("kind", "single_choice"), ("label", "Quelle ligne ?"), ("choices", "A\nB\nC"), ("required", "oui")];
    add_question(&admin, &builder, &lines).await.assert_status(303);
    let ids = questions_of_builder(&app, &builder);
    let line = ids[2];
    let survey = survey_of(&app, &builder);
    let page = app.client().get(&survey).await;
    page.assert_status(200).assert_contains("Vos trajets en bus").assert_contains("data-section");
    // The section's required question is not asked of those who do not take the bus…
    let visitor = app.client();
    let (q_bus, q_line) = (format!("q{bus}"), format!("q{line}"));
    answer(&visitor, &survey, &[(&q_bus, "non")]).await.assert_status(303);
    // …and is required of those who do.
    let page = answer(&visitor, &survey, &[(&q_bus, "oui")]).await;
    page.assert_status(422).assert_contains("Cette question demande une réponse.");
    answer(&visitor, &survey, &[(&q_bus, "oui"), (&q_line, "b")]).await.assert_status(303);
    with_conn(&app, |conn| {
        let all = answer_counts(conn, id_in(&builder), &ResponseFilter::default()).unwrap();
        assert_eq!(all.iter().filter(|(q, _, _, _)| *q == line).map(|(_, _, _, n)| n).sum::<i64>(), 1);
    });

    // Once answered, wording may change and choices may be added; removing one is refused with the reason.
    let edit = format!("{builder}/questions/{line}");
    let reworded =
        [("kind", "single_choice"), ("label", "Quelle ligne prenez-vous ?"), ("choices", "a = A\nb = B\nc = C\nD")];
    admin.submit(&edit, &edit, &reworded).await.assert_redirect(&format!("{builder}#questions"));
    let removed = [("kind", "single_choice"), ("label", "Quelle ligne prenez-vous ?"), ("choices", "a = A\nc = C")];
    let page = admin.submit(&edit, &edit, &removed).await;
    page.assert_status(422).assert_contains("propositions retirées (« B », « D »)");
    let retyped = [("kind", "short_text"), ("label", "Quelle ligne prenez-vous ?")];
    admin.submit(&edit, &edit, &retyped).await.assert_status(422).assert_contains("Le type d’une question");
    // A choice another question's condition reads cannot go either, answered or not.
    let edit_bus = format!("{builder}/questions/{bus}");
    admin
        .submit(&edit_bus, &edit_bus, &[("kind", "single_choice"), ("label", "Le bus ?"), ("choices", "x\ny")])
        .await
        .assert_status(422);
    with_conn(&app, |conn| {
        let stored = questions_of(conn, id_in(&builder)).unwrap();
        assert_eq!(stored[2].label, "Quelle ligne prenez-vous ?");
        let codes: Vec<&str> = stored[2].settings.choices.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["a", "b", "c", "d"]);
        assert_eq!(stored[0].kind, QuestionType::YesNo);
    });
}

async fn the_profile_is_kept_only_with_consent_and_coverage_counts_it(app: TestApp) {
    let (admin, builder) = empty_questionnaire(&app).await;
    add_question(&admin, &builder, &[("kind", "yes_no"), ("label", "Connaissez-vous le marché ?")])
        .await
        .assert_status(303);
    admin.submit(&builder, &format!("{builder}/profil-type"), &[]).await.assert_status(303);
    let questions = with_conn(&app, |conn| questions_of(conn, id_in(&builder)).unwrap());
    // Agglopolys is an intercommunality: its communes are asked, with « Autre » for one its list lacks.
    let profile: Vec<&str> = questions.iter().filter(|q| q.profile).map(|q| q.label.as_str()).collect();
    assert_eq!(profile, ["Votre tranche d’âge", "Votre situation (cochez ce qui vous concerne)", "Votre commune"]);
    let commune = questions.iter().find(|q| q.label == "Votre commune").unwrap();
    assert_eq!(commune.settings.choices[0].label, "Blois");
    assert!(commune.settings.allow_other);
    let situation = questions.iter().find(|q| q.profile && q.kind == QuestionType::MultipleChoice).unwrap().id;
    let market = questions[0].id;
    // The group wants 2 respondents without internet at home.
    let coverage = format!("{builder}/couverture");
    let target = format!("cible-{situation}-sans_internet");
    let page = admin.submit(&coverage, &coverage, &[(&target, "deux")]).await;
    page.assert_status(422).assert_contains("indiquez un nombre entier de répondants");
    admin.submit(&coverage, &coverage, &[(&target, "2")]).await.assert_redirect(&coverage);

    let survey = survey_of(&app, &builder);
    let (q_market, q_situation) = (format!("q{market}"), format!("q{situation}"));
    let visitor = app.client();
    // The page says, before sending, that profile answers need the box ticked.
    visitor
        .get(&survey)
        .await
        .assert_contains(r#"aria-describedby="profil-accord-aide""#)
        .assert_contains("Sans cette case cochée, les réponses aux questions de profil ne sont pas enregistrées");
    // Without consent, the profile answer is not kept; with it, it is.
    answer(&visitor, &survey, &[(&q_market, "oui"), (&q_situation, "sans_internet")]).await.assert_status(303);
    let with_consent = [(q_market.as_str(), "non"), (q_situation.as_str(), "sans_internet"), ("profil_accord", "oui")];
    answer(&visitor, &survey, &with_consent).await.assert_status(303);
    // An interview recorded by Agglopolys's referent, with consent.
    let referent = logged_in(&app, REFERENT).await;
    let entry = format!("{builder}/saisie");
    let interview = [("way", "phone"), (q_situation.as_str(), "vit_seul"), ("profil_accord", "oui")];
    referent.submit(&entry, &entry, &interview).await.assert_status(303);
    with_conn(&app, |conn| {
        let all = answer_counts(conn, id_in(&builder), &ResponseFilter::default()).unwrap();
        let profile: i64 = all.iter().filter(|(q, _, _, _)| *q == situation).map(|(_, _, _, n)| n).sum();
        assert_eq!(profile, 2, "one online profile with consent, one interview");
        let filter = ResponseFilter { channel: None, profile: Some((situation, "sans_internet".into())) };
        let filtered = answer_counts(conn, id_in(&builder), &filter).unwrap();
        let market_answers: Vec<(String, i64)> =
            filtered.iter().filter(|(q, _, _, _)| *q == market).map(|(_, _, v, n)| (v.clone(), *n)).collect();
        assert_eq!(market_answers, [("non".to_owned(), 1)]);
    });
    let page = admin.get(&coverage).await;
    page.assert_status(200)
        .assert_contains("encore <strong>1</strong> répondant à trouver sur 2")
        .assert_contains("Sophie Martin");
    let results = admin.get(&format!("{builder}/resultats?profil={situation}:sans_internet")).await;
    results.assert_status(200).assert_contains("Résultats de 1 réponse dont le profil indique");
}

async fn an_invitation_records_one_response_only(app: TestApp) {
    let (admin, builder) = empty_questionnaire(&app).await;
    add_question(&admin, &builder, &[("kind", "short_text"), ("label", "Votre idée ?")]).await.assert_status(303);
    let question = format!("q{}", questions_of_builder(&app, &builder)[0]);
    let invitations = format!("{builder}/invitations");
    admin.submit(&invitations, &format!("{invitations}/mode"), &[("only", "oui")]).await.assert_status(303);
    admin.submit(&invitations, &invitations, &[("count", "0")]).await.assert_status(422);
    admin.submit(&invitations, &invitations, &[("count", "2")]).await.assert_status(303);
    let tokens: Vec<String> =
        with_conn(&app, |conn| invitations_of(conn, id_in(&builder)).unwrap().into_iter().map(|(t, _)| t).collect());
    assert_eq!(tokens.len(), 2);
    let csv = admin.get(&format!("{invitations}.csv")).await;
    csv.assert_status(200).assert_contains(&format!("?invitation={}", tokens[0]));

    let survey = survey_of(&app, &builder);
    let visitor = app.client();
    visitor.get(&survey).await.assert_status(200).assert_contains("se remplit sur invitation");
    let invited = format!("{survey}?invitation={}", tokens[0]);
    // Ten simultaneous submissions with the same invitation: one response.
    let token = visitor.get(&invited).await.csrf_token();
    let fields = [("csrf_token", token.as_str()), (question.as_str(), "Un jardin partagé")];
    let pages = futures_join(&visitor, &invited, &fields, 10).await;
    assert_eq!(pages.iter().filter(|s| **s == 303).count(), 1, "statuses: {pages:?}");
    assert!(pages.iter().all(|s| *s == 303 || *s == 410), "statuses: {pages:?}");
    assert_eq!(with_conn(&app, |conn| count_responses(conn, id_in(&builder)).unwrap()), 1);
    visitor.get(&invited).await.assert_contains("Cette invitation a déjà servi");
    let used = with_conn(&app, |conn| invitations_of(conn, id_in(&builder)).unwrap());
    assert_eq!(used.iter().filter(|(_, at)| at.is_some()).count(), 1);
}

/// Posts the same form `n` times at once, as ten tabs would; the statuses.
async fn futures_join(client: &Client, path: &str, fields: &[(&str, &str)], n: usize) -> Vec<u16> {
    let mut posts: Vec<_> = (0..n).map(|_| Some(Box::pin(client.post(path, fields)))).collect();
    let mut statuses: Vec<Option<u16>> = vec![None; n];
    std::future::poll_fn(|cx| {
        for (slot, status) in posts.iter_mut().zip(statuses.iter_mut()) {
            if let Some(post) = slot {
                if let std::task::Poll::Ready(page) = post.as_mut().poll(cx) {
                    *status = Some(page.status);
                    *slot = None;
                }
            }
        }
        if posts.iter().all(Option::is_none) {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    statuses.into_iter().flatten().collect()
}

/// A multipart body with one file field.
fn multipart(file_name: &str, data: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----encommun-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn import(app: &TestApp, admin: &Client, file_name: &str, data: &[u8]) -> crate::helpers::Page {
    let group = group_path(app);
    let token = admin.get(&group).await.csrf_token();
    let (content_type, body) = multipart(file_name, data);
    admin.post_raw(&format!("{group}/questionnaires/import?csrf_token={token}"), &content_type, body).await
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
    app.load_demo();
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

async fn the_grand_debat_answers_are_counted_per_question(app: TestApp) {
    let (answers_file, labels_file) = (
        "questionnaires/grand-debat-2019-answers-sample.json",
        "questionnaires/grand-debat-2019-answer-question-labels.json",
    );
    let Some(data) = shared_data(&[answers_file, labels_file]) else { return };
    app.load_demo();
    #[derive(serde::Deserialize)]
    struct Answer {
        reponse: String,
        #[serde(rename = "questionIndex")]
        question: String,
        #[serde(rename = "authorId")]
        author: String,
    }
    let answers: Vec<Answer> = serde_json::from_str(&data.text(answers_file)).unwrap();
    let labels: HashMap<String, (String, i64)> = serde_json::from_str(&data.text(labels_file)).unwrap();
    assert_eq!(answers.len(), 2204);
    // One long-text question per question answered, in a stable order.
    let mut keys: Vec<&String> = labels.keys().filter(|k| answers.iter().any(|a| &a.question == *k)).collect();
    keys.sort();
    let questions: Vec<Question> = keys
        .iter()
        .enumerate()
        .map(|(i, key)| Question {
            id: i as i64 + 1,
            kind: QuestionType::LongText,
            label: labels[*key].0.clone(),
            help: String::new(),
            required: false,
            settings: Settings::default(),
            condition: None,
            profile: false,
        })
        .collect();
    // One response per author, holding all their answers: long form, one row per (response, question).
    let mut by_author: Vec<(&str, Vec<(usize, &str)>)> = Vec::new();
    for answer in &answers {
        let index = keys.iter().position(|k| **k == answer.question).unwrap();
        match by_author.iter_mut().find(|(a, _)| *a == answer.author) {
            Some((_, list)) => list.push((index, answer.reponse.as_str())),
            None => by_author.push((answer.author.as_str(), vec![(index, answer.reponse.as_str())])),
        }
    }
    let (id, stored) = with_conn(&app, |conn| {
        let project = enrolment_project(conn).id;
        let admin = find_user_by_email(conn, ADMIN).unwrap().unwrap().id;
        let collectivity = encommun::storage::projects::participant_territories(conn, project).unwrap()[0].0;
        write_transaction(conn, |conn| {
            let header = NewQuestionnaire::parse("Le Grand Débat national", "", "", "").unwrap();
            let id = create_questionnaire(conn, project, collectivity, &header, "grand-debat", admin)?;
            add_questions(conn, id, &questions)?;
            let stored = questions_of(conn, id)?;
            for (_, list) in &by_author {
                let mut items: Vec<(i64, (String, String))> =
                    list.iter().map(|(i, text)| (stored[*i].id, (String::new(), (*text).to_owned()))).collect();
                // The same text twice to one question by one author is one answer.
                items.sort();
                items.dedup();
                record_response(conn, id, Channel::Paper, None, &items)?;
            }
            Ok::<_, diesel::result::Error>((id, stored))
        })
        .unwrap()
    });
    with_conn(&app, |conn| {
        assert_eq!(count_responses(conn, id).unwrap(), by_author.len() as i64);
        let counts = answer_counts(conn, id, &ResponseFilter::default()).unwrap();
        for (index, key) in keys.iter().enumerate() {
            let mut expected: Vec<(&str, &str)> = answers
                .iter()
                .filter(|a| a.question == **key)
                .map(|a| (a.author.as_str(), a.reponse.as_str()))
                .collect();
            expected.sort();
            expected.dedup();
            let got: i64 = counts.iter().filter(|(q, _, _, _)| *q == stored[index].id).map(|(_, _, _, n)| n).sum();
            assert_eq!(got, expected.len() as i64, "question {}", stored[index].label);
        }
    });
    // The results page lists them and finds a word among 2,204 answers.
    let admin = logged_in(&app, ADMIN).await;
    admin
        .get(&format!("/questionnaires/{id}/resultats?recherche=proportionnelle"))
        .await
        .assert_status(200)
        .assert_contains("contenant « proportionnelle »");
}

/// No `Set-Cookie` on a page.
#[track_caller]
fn sets_no_cookie(page: &crate::helpers::Page) {
    assert!(!page.headers.contains_key("set-cookie"), "a cookie was set: {:?}", page.headers.get("set-cookie"));
}

async fn a_questionnaire_is_answered_without_any_cookie(app: TestApp) {
    let (admin, builder) = empty_questionnaire(&app).await;
    add_question(&admin, &builder, &[("kind", "yes_no"), ("label", "Prenez-vous le bus ?"), ("required", "oui")])
        .await
        .assert_status(303);
    let question = format!("q{}", questions_of_builder(&app, &builder)[0]);
    let survey = survey_of(&app, &builder);
    // A browser that refuses cookies: this client never sends one, and none is ever set.
    let visitor = app.client();
    let first = visitor.get(&survey).await;
    first.assert_status(200).assert_contains("Prenez-vous le bus ?");
    sets_no_cookie(&first);
    // The same page for everyone: the second visitor is served from the instance's memory.
    let again = app.client().get(&survey).await;
    again.assert_status(200);
    assert_eq!(again.headers.get("x-encommun-cache").map(String::as_str), Some("hit"));
    sets_no_cookie(&again);
    let token = again.csrf_token();
    let sent = visitor.post(&survey, &[("csrf_token", &token), (&question, "oui")]).await;
    sent.assert_redirect(&format!("{survey}/merci"));
    sets_no_cookie(&sent);
    assert!(!visitor.has_session());
    assert_eq!(with_conn(&app, |conn| count_responses(conn, id_in(&builder)).unwrap()), 1);
    let thanks = visitor.get(&format!("{survey}/merci")).await;
    thanks.assert_status(200);
    sets_no_cookie(&thanks);
    let kept = visitor
        .post(&format!("{survey}/suivi"), &[("csrf_token", &thanks.csrf_token()), ("email", "bus@exemple.fr")])
        .await;
    kept.assert_status(200).assert_contains("C’est noté");
    sets_no_cookie(&kept);
    // A question added to the questionnaire shows at once, cache or not.
    add_question(&admin, &builder, &[("kind", "short_text"), ("label", "Quelle ligne ?")]).await.assert_status(303);
    app.client().get(&survey).await.assert_contains("Quelle ligne ?");
}

async fn refused_form_tokens_keep_the_answers(app: TestApp) {
    let (admin, builder) = empty_questionnaire(&app).await;
    let fields =
        [("kind", "single_choice"), ("label", "Votre quartier"), ("choices", "Centre\nVienne"), ("required", "oui")];
    add_question(&admin, &builder, &fields).await.assert_status(303);
    let question = format!("q{}", questions_of_builder(&app, &builder)[0]);
    let survey = survey_of(&app, &builder);
    let other = create(&admin, &group_path(&app), "").await;
    add_question(&admin, &other, &[("kind", "short_text"), ("label", "Une idée ?")]).await.assert_status(303);
    let other_token = app.client().get(&survey_of(&app, &other)).await.csrf_token();
    let id = id_in(&builder);
    let key = encommun::startup::link_key(&actix_web::cookie::Key::from(
        &encommun::security::hex_decode(crate::helpers::SESSION_KEY).unwrap(),
    ));
    let hour = FormToken::hour(chrono::Utc::now());
    let expired = FormToken::issue(&key, FormPurpose::Answers, id, hour - FORM_TOKEN_HOURS - 1);
    let feedback = FormToken::issue(&key, FormPurpose::Feedback, id, hour);
    let visitor = app.client();
    for (token, says) in [
        ("", "n’a pas pu être vérifié"),
        ("493000.0000", "n’a pas pu être vérifié"),
        (other_token.as_str(), "n’a pas pu être vérifié"),
        (feedback.as_str(), "n’a pas pu être vérifié"),
        (expired.as_str(), "ouvert depuis plus d’une journée"),
    ] {
        let page = visitor.post(&survey, &[("csrf_token", token), (&question, "vienne")]).await;
        page.assert_status(422).assert_contains(says);
        // The answer is kept on the page, with a fresh token that works.
        page.assert_contains(r#"value="vienne" checked"#);
        let fresh = page.csrf_token();
        assert_eq!(FormToken::check(&key, FormPurpose::Answers, id, &fresh, hour), TokenCheck::Valid, "{token:?}");
        sets_no_cookie(&page);
    }
    assert_eq!(with_conn(&app, |conn| count_responses(conn, id).unwrap()), 0, "nothing kept from a refused token");
    answer(&visitor, &survey, &[(&question, "vienne")]).await.assert_redirect(&format!("{survey}/merci"));
    assert_eq!(with_conn(&app, |conn| count_responses(conn, id).unwrap()), 1);
}

async fn a_questionnaire_takes_answers_once_published_with_a_question(app: TestApp) {
    let (admin, builder) = empty_questionnaire(&app).await;
    let id = id_in(&builder);
    let survey = with_conn(&app, |conn| format!("/q/{}", find_questionnaire(conn, id).unwrap().unwrap().public_token));
    // A new questionnaire is a draft: its link says so and takes nothing, not even an empty response.
    admin
        .get(&builder)
        .await
        .assert_contains("<strong>Brouillon</strong>")
        .assert_contains("Il se publie dès qu’il a au moins une question.");
    let visitor = app.client();
    let page = visitor.get(&survey).await;
    page.assert_status(200).assert_contains("en préparation").assert_lacks("Envoyer mes réponses");
    visitor.post(&survey, &[]).await.assert_status(410);
    // Without a question (a section asks nothing), publishing is refused.
    let publish = format!("{builder}/publication");
    add_question(&admin, &builder, &[("kind", "section"), ("label", "Première partie")]).await.assert_status(303);
    admin.submit(&builder, &publish, &[]).await.assert_redirect(&builder);
    admin.get(&builder).await.assert_contains("ajoutez-en au moins une pour le publier").assert_contains("Brouillon");
    // Nor does an interview record anything for it.
    let referent = logged_in(&app, REFERENT).await;
    let entry = format!("{builder}/saisie");
    referent.submit(&entry, &entry, &[("way", "phone")]).await.assert_status(422).assert_contains("rien à saisir");
    assert_eq!(with_conn(&app, |conn| count_responses(conn, id).unwrap()), 0);
    // With a question, it is published, and its link takes answers.
    add_question(&admin, &builder, &[("kind", "yes_no"), ("label", "Venez-vous au marché ?")]).await.assert_status(303);
    admin.submit(&builder, &publish, &[]).await.assert_redirect(&builder);
    admin.get(&builder).await.assert_contains("Questionnaire publié").assert_contains("<strong>Ouvert</strong>");
    let question = format!("q{}", questions_of_builder(&app, &builder)[1]);
    answer(&visitor, &survey, &[(&question, "oui")]).await.assert_redirect(&format!("{survey}/merci"));
    assert_eq!(with_conn(&app, |conn| count_responses(conn, id).unwrap()), 1);
    // Publishing again changes nothing.
    admin.submit(&builder, &publish, &[]).await.assert_redirect(&builder);
    admin.get(&builder).await.assert_contains("déjà publié");
}

async fn an_optional_ranking_may_be_partly_filled(app: TestApp) {
    let (admin, builder) = empty_questionnaire(&app).await;
    let ranking = [("kind", "ranking"), ("label", "Vos priorités"), ("choices", "Prix\nHoraires\nSécurité")];
    add_question(&admin, &builder, &ranking).await.assert_status(303);
    let q = questions_of_builder(&app, &builder)[0];
    let survey = survey_of(&app, &builder);
    let visitor = app.client();
    let (first, second) = (format!("q{q}-horaires"), format!("q{q}-prix"));
    // Only the first choice ranked: kept as given.
    answer(&visitor, &survey, &[(&first, "1")]).await.assert_redirect(&format!("{survey}/merci"));
    // A gap is explained; the answers stay on the page.
    let page = answer(&visitor, &survey, &[(&first, "1"), (&second, "3")]).await;
    page.assert_status(422).assert_contains("sans sauter de rang");
    answer(&visitor, &survey, &[(&first, "1"), (&second, "2")]).await.assert_status(303);
    with_conn(&app, |conn| {
        let all = answer_counts(conn, id_in(&builder), &ResponseFilter::default()).unwrap();
        let ranks: Vec<(String, String, i64)> = all.into_iter().map(|(_, item, value, n)| (item, value, n)).collect();
        assert_eq!(ranks, [("horaires".to_owned(), "1".to_owned(), 2), ("prix".to_owned(), "2".to_owned(), 1)]);
    });
}

//! Results: counts and shares per answer, figures of numbers, mean ranks, free answers and their search, and the
//! 2,204 real answers of the Grand Débat counted per question.

use std::collections::HashMap;

use encommun::domain::questionnaire::{NewQuestionnaire, Question, QuestionType, Settings};
use encommun::storage::questionnaires::{
    add_questions, answer_counts, count_responses, create_questionnaire, questions_of, record_response, Channel,
    ResponseFilter,
};
use encommun::storage::users::find_user_by_email;
use encommun::storage::write_transaction;

use super::{build, create, group_path, logged_in, survey_of, world, ADMIN, OUTSIDER, REFERENT};
use crate::helpers::{shared_data, with_conn, TestApp};
use crate::on_both_backends;

on_both_backends!(results_count_each_answer_and_search_free_ones, the_grand_debat_answers_are_counted_per_question);

/// Three inhabitants answer; the results show counts and shares, figures of numbers, mean ranks and free answers.
async fn results_count_each_answer_and_search_free_ones(app: TestApp) {
    world(&app);
    let group = group_path(&app);
    let admin = logged_in(&app, ADMIN).await;
    let builder = create(&admin, &group, "").await;
    let q = build(&app, &admin, &builder).await;
    let survey = survey_of(&app, &builder);
    let people: [(&str, &str, &str, &str); 3] = [
        ("oui", "20", "prix", "Plus de bus le dimanche"),
        ("oui", "30", "horaires", "un bus le soir"),
        ("non", "40", "prix", "Des pistes cyclables"),
    ];
    for (car, age, first, remark) in people {
        let inhabitant = app.client();
        let token = inhabitant.get(&survey).await.csrf_token();
        let (car_field, why_field, age_field, more_field) =
            (format!("q{}", q[0]), format!("q{}", q[1]), format!("q{}", q[3]), format!("q{}", q[9]));
        let ranks: Vec<(String, &str)> = ["prix", "horaires", "securite"]
            .iter()
            .map(|c| {
                (
                    format!("q{}-{c}", q[6]),
                    if *c == first {
                        "1"
                    } else if *c == "securite" {
                        "3"
                    } else {
                        "2"
                    },
                )
            })
            .collect();
        let mut fields: Vec<(&str, &str)> = vec![
            ("csrf_token", &token),
            (&car_field, car),
            (&why_field, "trop cher"),
            (&age_field, age),
            (&more_field, remark),
        ];
        fields.extend(ranks.iter().map(|(k, v)| (k.as_str(), *v)));
        inhabitant.post(&survey, &fields).await.assert_status(303);
    }
    let referent = logged_in(&app, REFERENT).await;
    let results = format!("{builder}/resultats");
    let page = referent.get(&results).await;
    page.assert_status(200)
        .assert_contains("<strong>3</strong> réponses reçues.")
        .assert_contains(r#"<th scope="row">Oui</th><td class="num">2</td><td class="num">66,7 %</td>"#)
        .assert_contains(r#"<th scope="row">Non</th><td class="num">1</td><td class="num">33,3 %</td>"#)
        .assert_contains("Moyenne <strong>30</strong>")
        .assert_contains(r#"<th scope="row">Prix</th><td class="num">1,33</td>"#)
        .assert_contains("trop cher")
        // The chart's words are the page's text (legible and wrapped on a phone); scales say their ends.
        .assert_contains(r#"<div class="chart" aria-hidden="true"><div class="chart-row">Oui : <strong>2</strong>"#)
        .assert_contains(r#"<th scope="row">1 (Pas du tout)</th>"#)
        .assert_contains(r#"<option value="interview">Recueillies par entretien</option>"#)
        // Tables scroll sideways by keyboard on a phone.
        .assert_contains(r#"<div class="table-scroll" role="region" aria-label="Réponses à « Avez-vous une voiture ? »" tabindex="0">"#);
    let page = referent.get(&format!("{results}?recherche=BUS")).await;
    page.assert_contains("2 réponses contenant « BUS »")
        .assert_contains("Plus de bus le dimanche")
        .assert_lacks("Des pistes cyclables");
    logged_in(&app, OUTSIDER).await.get(&results).await.assert_status(403);
}

async fn the_grand_debat_answers_are_counted_per_question(app: TestApp) {
    let (answers_file, labels_file) = (
        "questionnaires/grand-debat-2019-answers-sample.json",
        "questionnaires/grand-debat-2019-answer-question-labels.json",
    );
    let Some(data) = shared_data(&[answers_file, labels_file]) else { return };
    world(&app);
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
        let project = encommun::storage::projects::list_projects(conn).unwrap()[0].id;
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

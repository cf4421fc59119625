//! Questionnaires: the provider or the agency builds one for a territory's inquiry group, with questions of every
//! type and conditions; inhabitants answer online without an account; answers are stored in long form, validated
//! on the server, and nothing of a refused or robotic submission is kept.

use encommun::demo::DEMO_PASSWORD;
use encommun::domain::territory::TerritoryKind;
use encommun::storage::collectivities::find_collectivity_of_territory;
use encommun::storage::questionnaires::{
    answers_of_response, count_responses, find_questionnaire, publish_questionnaire, questions_of,
};
use encommun::storage::territories::find_territory;

use crate::helpers::{enrolment_project, with_conn, Client, Page, TestApp};
use crate::on_both_backends;

pub const ADMIN: &str = "agence@demo.encommun.fr";
pub const REFERENT: &str = "referente@agglopolys.demo.encommun.fr";

pub async fn logged_in(app: &TestApp, email: &str) -> Client {
    let client = app.client();
    client.login(email, DEMO_PASSWORD).await.assert_redirect("/");
    client
}

/// The group page of Agglopolys (participant of the demo project).
pub fn group_path(app: &TestApp) -> String {
    with_conn(app, |conn| {
        let project = enrolment_project(conn).id;
        let territory = find_territory(conn, TerritoryKind::Epci, "200030385").unwrap().unwrap();
        let collectivity = find_collectivity_of_territory(conn, territory.id).unwrap().unwrap().id;
        format!("/projets/{project}/groupes/{collectivity}")
    })
}

pub fn id_in(location: &str) -> i64 {
    location.trim_start_matches("/questionnaires/").split(['#', '/']).next().unwrap().parse().unwrap()
}

/// Creates a questionnaire with `closes_on`; returns its builder path.
pub async fn create(admin: &Client, group: &str, closes_on: &str) -> String {
    let page = admin
        .submit(
            group,
            &format!("{group}/questionnaires"),
            &[
                ("title", "Se déplacer au quotidien"),
                ("introduction", "Le groupe d’enquête de **Blois** vous interroge."),
                ("opens_on", ""),
                ("closes_on", closes_on),
            ],
        )
        .await;
    page.assert_status(303);
    page.location.clone().unwrap()
}

pub async fn add_question(admin: &Client, builder: &str, fields: &[(&str, &str)]) -> Page {
    admin.submit(builder, &format!("{builder}/questions"), fields).await
}

/// The questions of the tests, through the builder; returns their ids in order.
async fn build(app: &TestApp, admin: &Client, builder: &str) -> Vec<i64> {
    let car = [("kind", "yes_no"), ("label", "Avez-vous une voiture ?"), ("required", "oui")];
    let added = add_question(admin, builder, &car).await;
    added.assert_status(303);
    let location = added.location.clone().unwrap_or_default();
    assert!(location.starts_with(&format!("{builder}?ajoutee=")) && location.ends_with("#ajouter"), "{location}");
    // The confirmation is beside the form that adds the next question, where the person is.
    admin.get(&location).await.assert_contains("Question ajoutée. « Avez-vous une voiture ? » est la question 1.");
    let first = questions_of_builder(app, builder)[0];
    let first = first.to_string();
    let why = [
        ("kind", "short_text"),
        ("label", "Pourquoi n’en avez-vous pas ?"),
        ("required", "oui"),
        ("condition_question", first.as_str()),
        ("condition_op", "equals"),
        ("condition_values", "non"),
    ];
    add_question(admin, builder, &why).await.assert_status(303);
    let modes = [
        ("kind", "multiple_choice"),
        ("label", "Comment vous déplacez-vous ?"),
        ("choices", "Bus\nVélo\nÀ pied"),
        ("allow_other", "oui"),
        ("max", "2"),
    ];
    add_question(admin, builder, &modes).await.assert_status(303);
    let age = [("kind", "number"), ("label", "Votre âge"), ("min", "0"), ("max", "120")];
    add_question(admin, builder, &age).await.assert_status(303);
    let scale = [
        ("kind", "scale"),
        ("label", "Êtes-vous satisfait des transports ?"),
        ("min_label", "Pas du tout"),
        ("max_label", "Tout à fait"),
    ];
    add_question(admin, builder, &scale).await.assert_status(303);
    let matrix = [("kind", "matrix"), ("label", "Fréquence"), ("rows", "Bus\nTrain"), ("min", "1"), ("max", "4")];
    add_question(admin, builder, &matrix).await.assert_status(303);
    let ranking = [("kind", "ranking"), ("label", "Vos priorités"), ("choices", "Prix\nHoraires\nSécurité")];
    add_question(admin, builder, &ranking).await.assert_status(303);
    add_question(admin, builder, &[("kind", "date"), ("label", "Votre dernier trajet en bus")])
        .await
        .assert_status(303);
    add_question(admin, builder, &[("kind", "place"), ("label", "Où habitez-vous ?")]).await.assert_status(303);
    add_question(admin, builder, &[("kind", "long_text"), ("label", "Autre chose ?")]).await.assert_status(303);
    questions_of_builder(app, builder)
}

pub fn questions_of_builder(app: &TestApp, builder: &str) -> Vec<i64> {
    with_conn(app, |conn| questions_of(conn, id_in(builder)).unwrap().into_iter().map(|q| q.id).collect())
}

/// The public link of a questionnaire, published first as the builder's button does (`publication.rs` tries the
/// button itself).
pub fn survey_of(app: &TestApp, builder: &str) -> String {
    with_conn(app, |conn| {
        publish_questionnaire(conn, id_in(builder)).unwrap();
        format!("/q/{}", find_questionnaire(conn, id_in(builder)).unwrap().unwrap().public_token)
    })
}

/// The demo, and a questionnaire of Agglopolys's group with one required question of `kind`: (agency client,
/// builder path, question id).
async fn with_one_question(app: &TestApp, kind: &str, label: &str) -> (Client, String, i64) {
    app.load_demo();
    let group = group_path(app);
    let admin = logged_in(app, ADMIN).await;
    let builder = create(&admin, &group, "").await;
    add_question(&admin, &builder, &[("kind", kind), ("label", label), ("required", "oui")]).await.assert_status(303);
    let question = questions_of_builder(app, &builder)[0];
    (admin, builder, question)
}

on_both_backends!(
    the_agency_builds_a_questionnaire_and_an_inhabitant_answers_it_anonymously,
    refused_robotic_and_late_answers_keep_nothing,
    answered_questions_stay_and_conditions_keep_their_order,
    concurrent_submissions_are_all_kept,
    results_count_each_answer_and_search_free_ones,
    the_export_has_one_row_per_response_and_stable_columns,
    the_group_records_interviews_and_paper_forms,
    a_questionnaire_is_duplicated_to_another_territory,
    a_respondent_may_ask_to_be_told_what_came_of_it,
);

async fn the_agency_builds_a_questionnaire_and_an_inhabitant_answers_it_anonymously(app: TestApp) {
    app.load_demo();
    let group = group_path(&app);
    let admin = logged_in(&app, ADMIN).await;
    let builder = create(&admin, &group, "").await;
    let q = build(&app, &admin, &builder).await;
    assert_eq!(q.len(), 10);
    let page = admin.get(&builder).await;
    page.assert_status(200)
        .assert_contains("<strong>10</strong> questions")
        .assert_contains("posée si la question 1 est égale à non")
        .assert_contains("bus = Bus · velo = Vélo · a_pied = À pied");
    admin.get(&format!("{builder}/apercu")).await.assert_status(200).assert_contains("Vos priorités");
    // The group's people see it listed with its public link; they do not build it.
    let survey = survey_of(&app, &builder);
    let referent = logged_in(&app, REFERENT).await;
    referent.get(&group).await.assert_contains(&survey).assert_contains("0 réponse");
    referent.get(&builder).await.assert_status(403);

    // An inhabitant, without an account.
    let inhabitant = app.client();
    let form = inhabitant.get(&survey).await;
    form.assert_status(200)
        .assert_contains("Le groupe d’enquête de <strong>Blois</strong> vous interroge.")
        .assert_contains(&format!(
            r#"Seulement si vous avez répondu « Non » à la question <span class="question-ref" data-ref="{}">1</span>."#,
            q[0]
        ));
    let (car, why, modes, age, scale, matrix, ranking, date, place, more) =
        (q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9]);
    let f = |id: i64| format!("q{id}");
    let i = |id: i64, item: &str| format!("q{id}-{item}");
    // Limits are said before answering, not learnt from an error.
    form.assert_contains("Cochez-en 2 au plus.")
        .assert_contains("Un nombre de 0 à 120.")
        .assert_contains("De 1 (Pas du tout) à 5 (Tout à fait).")
        .assert_contains("Classez les propositions que vous voulez");
    // « Autre »: the box reads « Autre », its text field has an id and a name of its own, tied to the question.
    form.assert_contains(&format!(r#"<input type="checkbox" name="q{modes}" id="q{modes}-autre" value="autre"><label for="q{modes}-autre">Autre</label>"#))
        .assert_contains(&format!(
            r#"<label for="q{modes}-autre-precision">Autre, précisez :<span class="visually-hidden"> Comment vous déplacez-vous ?</span></label><input type="text" id="q{modes}-autre-precision" name="q{modes}-autre""#
        ));
    let ids: Vec<&str> = form.body.split(" id=\"").skip(1).filter_map(|rest| rest.split('"').next()).collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "every id once: {ids:?}");
    // Mistakes: the required follow-up is empty, three modes ticked, an age of 130.
    let mistaken = [
        (f(car), "non".to_owned()),
        (f(modes), "bus".to_owned()),
        (f(modes), "velo".to_owned()),
        (f(modes), "a_pied".to_owned()),
        (f(age), "130".to_owned()),
    ];
    let token = form.csrf_token();
    let mut fields: Vec<(&str, &str)> = vec![("csrf_token", &token)];
    fields.extend(mistaken.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let page = inhabitant.post(&survey, &fields).await;
    // The page opens on the summary, which names each question and leads to it; the title says it was refused.
    page.assert_status(422)
        .assert_contains("<title>Erreur : Se déplacer au quotidien — encommun</title>")
        .assert_contains(r#"role="alert" tabindex="-1" autofocus"#)
        .assert_contains("Le formulaire contient 3 erreurs")
        .assert_contains(&format!(
            r##"<a href="#q{why}">Question <span class="question-ref" data-ref="{why}">2</span> — Cette question demande une réponse.</a>"##
        ))
        .assert_contains("Cochez au plus 2 réponses (3 cochées).")
        .assert_contains("Le nombre doit être au plus 120.")
        .assert_contains(r#"value="130""#);
    // Corrected: the follow-up hidden by a "yes" keeps nothing of what was typed in it.
    let answered = [
        (f(car), "oui"),
        (f(why), "pas de permis"),
        (f(modes), "bus"),
        (f(modes), "autre"),
        (i(modes, "autre"), "trottinette"),
        (f(age), "34"),
        (f(scale), "2"),
        (i(matrix, "bus"), "4"),
        (i(matrix, "train"), "1"),
        (i(ranking, "prix"), "2"),
        (i(ranking, "horaires"), "1"),
        (i(ranking, "securite"), "3"),
        (f(date), "12/11/2026"),
        (f(place), "Quartier Kennedy, Blois"),
        (f(more), ""),
    ];
    let mut fields: Vec<(&str, &str)> = vec![("csrf_token", &token)];
    fields.extend(answered.iter().map(|(k, v)| (k.as_str(), *v)));
    inhabitant.post(&survey, &fields).await.assert_redirect(&format!("{survey}/merci"));
    inhabitant.get(&format!("{survey}/merci")).await.assert_contains("Merci pour vos réponses");
    let stored = with_conn(&app, |conn| {
        let response = questionnaire_responses(conn, id_in(&builder));
        assert_eq!(response.len(), 1);
        answers_of_response(conn, response[0]).unwrap()
    });
    let expected: Vec<(i64, (String, String))> = vec![
        (car, ("", "oui")),
        (modes, ("", "autre")),
        (modes, ("", "bus")),
        (modes, ("autre", "trottinette")),
        (age, ("", "34")),
        (scale, ("", "2")),
        (matrix, ("bus", "4")),
        (matrix, ("train", "1")),
        (ranking, ("horaires", "1")),
        (ranking, ("prix", "2")),
        (ranking, ("securite", "3")),
        (date, ("", "2026-11-12")),
        (place, ("", "Quartier Kennedy, Blois")),
    ]
    .into_iter()
    .map(|(q, (item, value))| (q, (item.to_owned(), value.to_owned())))
    .collect();
    assert_eq!(stored, expected);
    // The results show the « Autre » texts, the date in words, the place as written.
    admin
        .get(&format!("{builder}/resultats"))
        .await
        .assert_contains("<h3>Précisions données avec « Autre »</h3><ul class=\"free-answers\"><li>trottinette</li>")
        .assert_contains("<li>12 novembre 2026</li>")
        .assert_contains("<li>Quartier Kennedy, Blois</li>");
    referent.get(&group).await.assert_contains("1 réponse ·");
}

fn questionnaire_responses(conn: &mut encommun::storage::DbConnection, questionnaire: i64) -> Vec<i64> {
    use diesel::prelude::*;
    use encommun::storage::schema::responses;
    responses::table.filter(responses::questionnaire_id.eq(questionnaire)).select(responses::id).load(conn).unwrap()
}

async fn refused_robotic_and_late_answers_keep_nothing(app: TestApp) {
    let (admin, builder, q) = with_one_question(&app, "yes_no", "Avez-vous une voiture ?").await;
    let group = group_path(&app);
    let survey = survey_of(&app, &builder);
    let robot = app.client();
    let token = robot.get(&survey).await.csrf_token();
    let field = format!("q{q}");
    robot
        .post(&survey, &[("csrf_token", &token), (&field, "oui"), ("site_web", "https://spam.example")])
        .await
        .assert_redirect(&format!("{survey}/merci"));
    robot.post(&survey, &[("csrf_token", &token), (&field, "peut-être")]).await.assert_status(422);
    assert_eq!(with_conn(&app, |conn| count_responses(conn, id_in(&builder)).unwrap()), 0);
    // A questionnaire closed yesterday says so and takes nothing.
    let late = create(&admin, &group, "2020-01-31").await;
    add_question(&admin, &late, &[("kind", "yes_no"), ("label", "Trop tard ?")]).await.assert_status(303);
    let late_survey = survey_of(&app, &late);
    robot
        .get(&late_survey)
        .await
        .assert_status(200)
        .assert_contains("Ce questionnaire est clos depuis le 31 janvier 2020");
    robot.post(&late_survey, &[("csrf_token", &token)]).await.assert_status(410);
    // The builder explains its mistakes and keeps the input.
    let page = add_question(&admin, &builder, &[("kind", "single_choice"), ("label", "Q"), ("choices", "Seule")]).await;
    page.assert_status(422)
        .assert_contains("L’intitulé demande au moins 3 caractères")
        .assert_contains("Une question à choix a besoin d’au moins deux propositions")
        .assert_contains(">Seule</textarea>");
    app.client().get("/q/inexistant").await.assert_status(404);
}

async fn answered_questions_stay_and_conditions_keep_their_order(app: TestApp) {
    app.load_demo();
    let group = group_path(&app);
    let admin = logged_in(&app, ADMIN).await;
    let builder = create(&admin, &group, "").await;
    let q = build(&app, &admin, &builder).await;
    let token = admin.csrf().await;
    // The follow-up cannot move above the question its condition reads.
    admin
        .post(&format!("{builder}/questions/{}/deplacement", q[1]), &[("csrf_token", &token), ("direction", "up")])
        .await
        .assert_status(303);
    assert_eq!(questions_of_builder(&app, &builder)[..2], [q[0], q[1]]);
    admin.get(&builder).await.assert_contains("ne peut pas passer avant la question dont dépend sa condition");
    admin
        .post(&format!("{builder}/questions/{}/deplacement", q[3]), &[("csrf_token", &token), ("direction", "up")])
        .await
        .assert_status(303);
    assert_eq!(questions_of_builder(&app, &builder)[2..4], [q[3], q[2]]);
    // Once answered, a question stays; an unanswered one goes.
    let survey = survey_of(&app, &builder);
    let inhabitant = app.client();
    let form_token = inhabitant.get(&survey).await.csrf_token();
    let field = format!("q{}", q[0]);
    inhabitant.post(&survey, &[("csrf_token", &form_token), (&field, "oui")]).await.assert_status(303);
    admin
        .post(&format!("{builder}/questions/{}/suppression", q[0]), &[("csrf_token", &token)])
        .await
        .assert_status(303);
    admin.get(&builder).await.assert_contains("Cette question a déjà 1 réponse");
    admin
        .post(&format!("{builder}/questions/{}/suppression", q[9]), &[("csrf_token", &token)])
        .await
        .assert_status(303);
    assert_eq!(questions_of_builder(&app, &builder).len(), 9);
    admin
        .post(&format!("{builder}/questions/{}/suppression", q[9]), &[("csrf_token", &token)])
        .await
        .assert_status(404);
}

/// 100 people answer at the same moment: every response is kept, each with its answer.
async fn concurrent_submissions_are_all_kept(app: TestApp) {
    let (_, builder, q) = with_one_question(&app, "number", "Votre âge").await;
    let survey = survey_of(&app, &builder);
    let mut clients = Vec::new();
    for _ in 0..100 {
        let client = app.client();
        let token = client.get(&survey).await.csrf_token();
        clients.push((client, token));
    }
    let field = format!("q{q}");
    let tasks: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(n, (client, token))| {
            let (survey, field) = (survey.clone(), field.clone());
            actix_web::rt::spawn(async move {
                let age = (18 + n).to_string();
                client.post(&survey, &[("csrf_token", &token), (&field, &age)]).await.status
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), 303);
    }
    let stored = with_conn(&app, |conn| {
        use diesel::prelude::*;
        use encommun::storage::schema::answers;
        let mut ages: Vec<i64> = answers::table
            .filter(answers::question_id.eq(q))
            .select(answers::value)
            .load::<String>(conn)
            .unwrap()
            .into_iter()
            .map(|v| v.parse().unwrap())
            .collect();
        ages.sort_unstable();
        ages
    });
    assert_eq!(stored, (18..118).collect::<Vec<i64>>(), "every answer, once");
}

/// Three inhabitants answer; the results show counts and shares, figures of numbers, mean ranks and free answers.
async fn results_count_each_answer_and_search_free_ones(app: TestApp) {
    app.load_demo();
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
    logged_in(&app, "agent@grand-chatellerault.demo.encommun.fr").await.get(&results).await.assert_status(403);
}

/// Two responses through different conditional paths: the CSV has the same columns for both, cell by cell.
async fn the_export_has_one_row_per_response_and_stable_columns(app: TestApp) {
    app.load_demo();
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
    logged_in(&app, "agent@grand-chatellerault.demo.encommun.fr")
        .await
        .get(&format!("{builder}/reponses.csv"))
        .await
        .assert_status(403);
}

/// A referent of the territory records a phone interview, then a paper form: each response keeps who recorded it
/// and how; the way and the place are kept from one entry to the next.
async fn the_group_records_interviews_and_paper_forms(app: TestApp) {
    let (_, builder, q) = with_one_question(&app, "yes_no", "Avez-vous une voiture ?").await;
    let group = group_path(&app);
    let q = format!("q{q}");
    let entry = format!("{builder}/saisie");
    let referent = logged_in(&app, REFERENT).await;
    referent.get(&group).await.assert_contains(&format!("href=\"{entry}\""));
    let token = referent.get(&entry).await.assert_status(200).csrf_token();
    // A forgotten answer: refused, what was typed kept.
    let page = referent.post(&entry, &[("csrf_token", &token), ("way", "phone"), ("place", "Marché de Vienne")]).await;
    page.assert_status(422)
        .assert_contains("Cette question demande une réponse.")
        .assert_contains(r#"value="Marché de Vienne""#);
    let done = referent
        .post(&entry, &[("csrf_token", &token), ("way", "phone"), ("place", "Marché de Vienne"), (&q, "non")])
        .await;
    let next = done.location.clone().unwrap();
    assert!(next.starts_with(&format!("{entry}?way=phone&place=March")), "{next}");
    referent
        .get(&next)
        .await
        .assert_contains("vous en avez saisi 1 pour ce questionnaire")
        .assert_contains(r#"value="Marché de Vienne""#);
    referent
        .post(&entry, &[("csrf_token", &token), ("way", "paper"), ("place", ""), (&q, "oui")])
        .await
        .assert_status(303);
    referent.post(&entry, &[("csrf_token", &token), ("way", "par pigeon"), (&q, "oui")]).await.assert_status(422);
    let stored = with_conn(&app, |conn| {
        use diesel::prelude::*;
        use encommun::storage::schema::responses;
        responses::table
            .filter(responses::questionnaire_id.eq(id_in(&builder)))
            .select((
                responses::channel,
                responses::interview_mode,
                responses::place,
                responses::interviewer_id.is_not_null(),
            ))
            .order(responses::id)
            .load::<(String, Option<String>, Option<String>, bool)>(conn)
            .unwrap()
    });
    assert_eq!(
        stored,
        vec![
            ("interview".into(), Some("phone".into()), Some("Marché de Vienne".into()), true),
            ("paper".into(), None, None, true),
        ]
    );
    // The export says how each was collected, where, and who recorded it; with labels if asked.
    let csv = referent.get(&format!("{builder}/reponses.csv")).await;
    csv.assert_contains(",entretien,téléphone,Marché de Vienne,Sophie Martin,")
        .assert_contains(",papier,,,Sophie Martin,")
        .assert_contains(",non\n")
        .assert_lacks(",Non\n");
    referent.get(&format!("{builder}/reponses.csv?libelles=oui")).await.assert_contains(",Non\n");
    // The results say who collected what, and filter by the way of collecting.
    let results = referent.get(&format!("{builder}/resultats")).await;
    results
        .assert_contains(r#"<th scope="row">entretien</th><td>Sophie Martin</td><td class="num">1</td>"#)
        .assert_contains(r#"<th scope="row">papier</th><td>Sophie Martin</td><td class="num">1</td>"#);
    let paper = referent.get(&format!("{builder}/resultats?canal=paper")).await;
    paper
        .assert_contains("Résultats de 1 réponse recueillie sur papier.")
        .assert_contains(r#"<th scope="row">Oui</th><td class="num">1</td><td class="num">100 %</td>"#)
        .assert_contains(r#"<th scope="row">Non</th><td class="num">0</td>"#);
    // Outside the territory, no entry.
    logged_in(&app, "agent@grand-chatellerault.demo.encommun.fr").await.get(&entry).await.assert_status(403);
}

/// The agency copies a questionnaire to Grand Angoulême, the project's other participant: same questions, the
/// condition pointing at the copy's own question, its own public link, no answers carried over.
async fn a_questionnaire_is_duplicated_to_another_territory(app: TestApp) {
    app.load_demo();
    let group = group_path(&app);
    let admin = logged_in(&app, ADMIN).await;
    let builder = create(&admin, &group, "").await;
    build(&app, &admin, &builder).await;
    let angouleme = with_conn(&app, |conn| {
        let territory = find_territory(conn, TerritoryKind::Epci, "200071827").unwrap().unwrap();
        find_collectivity_of_territory(conn, territory.id).unwrap().unwrap().id.to_string()
    });
    let page = admin.get(&builder).await;
    page.assert_contains("Dupliquer vers un autre territoire").assert_contains("CA du Grand Angoulême");
    let copy = admin
        .submit(&builder, &format!("{builder}/copie"), &[("collectivity_id", &angouleme)])
        .await
        .location
        .clone()
        .unwrap();
    assert_ne!(copy, builder);
    let (original, copied) = with_conn(&app, |conn| {
        (questions_of(conn, id_in(&builder)).unwrap(), questions_of(conn, id_in(&copy)).unwrap())
    });
    assert_eq!(copied.len(), original.len());
    assert_eq!(copied[1].condition.as_ref().unwrap().question_id, copied[0].id, "the condition reads the copy");
    assert_eq!(
        copied.iter().map(|q| &q.settings).collect::<Vec<_>>(),
        original.iter().map(|q| &q.settings).collect::<Vec<_>>()
    );
    assert_ne!(survey_of(&app, &copy), survey_of(&app, &builder));
    admin
        .get(&copy)
        .await
        .assert_contains("Groupe d’enquête de CA du Grand Angoulême")
        .assert_contains("<strong>0</strong> réponse");
    // Only to another participant of the project.
    let token = admin.csrf().await;
    admin
        .post(&format!("{builder}/copie"), &[("csrf_token", &token), ("collectivity_id", "999999")])
        .await
        .assert_status(400);
}

/// After answering, a respondent leaves an address; it is kept once, apart from the answers, shown to the group
/// leaders and never in the export.
async fn a_respondent_may_ask_to_be_told_what_came_of_it(app: TestApp) {
    let (admin, builder, q) = with_one_question(&app, "yes_no", "Avez-vous une voiture ?").await;
    let survey = survey_of(&app, &builder);
    let inhabitant = app.client();
    let token = inhabitant.get(&survey).await.csrf_token();
    let field = format!("q{q}");
    inhabitant
        .post(&survey, &[("csrf_token", &token), (&field, "oui")])
        .await
        .assert_redirect(&format!("{survey}/merci"));
    let thanks = inhabitant.get(&format!("{survey}/merci")).await;
    thanks.assert_contains("Savoir ce que deviendront vos réponses");
    // The address form has its own token: the answers' one does not open it.
    let follow = format!("{survey}/suivi");
    inhabitant
        .post(&follow, &[("csrf_token", &token), ("email", "habitante@exemple.fr")])
        .await
        .assert_status(422)
        .assert_contains("n’a pas pu être vérifié")
        .assert_contains(r#"value="habitante@exemple.fr""#);
    let token = thanks.csrf_token();
    inhabitant
        .post(&follow, &[("csrf_token", &token), ("email", "pas une adresse")])
        .await
        .assert_status(422)
        .assert_contains(r#"value="pas une adresse""#);
    for _ in 0..2 {
        inhabitant
            .post(&follow, &[("csrf_token", &token), ("email", "Habitante@Exemple.fr")])
            .await
            .assert_status(200)
            .assert_contains("C’est noté");
    }
    admin
        .get(&builder)
        .await
        .assert_contains("1 répondant à tenir au courant de la suite")
        .assert_contains("habitante@exemple.fr");
    admin.get(&format!("{builder}/reponses.csv")).await.assert_status(200).assert_lacks("habitante@exemple.fr");
}

//! Answering by the public link without an account: answers validated on the server and stored in long form,
//! nothing kept of a refused or robotic submission, no cookie, form tokens, concurrent submissions, and the
//! address a respondent leaves to be told what came of it.

use encommun::storage::questionnaires::{answer_counts, answers_of_response, count_responses, ResponseFilter};
use encommun::web::survey::{FormPurpose, FormToken, TokenCheck, FORM_TOKEN_HOURS};

use super::{
    add_question, answer, build, create, empty_questionnaire, group_path, id_in, logged_in, questions_of_builder,
    survey_of, with_one_question, world, ADMIN, REFERENT,
};
use crate::helpers::{with_conn, TestApp};
use crate::on_both_backends;

on_both_backends!(
    the_agency_builds_a_questionnaire_and_an_inhabitant_answers_it_anonymously,
    refused_robotic_and_late_answers_keep_nothing,
    concurrent_submissions_are_all_kept,
    an_optional_ranking_may_be_partly_filled,
    a_questionnaire_is_answered_without_any_cookie,
    refused_form_tokens_keep_the_answers,
    a_respondent_may_ask_to_be_told_what_came_of_it,
);

async fn the_agency_builds_a_questionnaire_and_an_inhabitant_answers_it_anonymously(app: TestApp) {
    world(&app);
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

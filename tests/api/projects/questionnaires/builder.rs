//! The builder: questions of every type added, edited and ordered, what a question that has answers or that a
//! condition reads may no longer lose, sections, publication, and a copy to another territory of the project.

use encommun::domain::questionnaire::QuestionType;
use encommun::domain::territory::TerritoryKind;
use encommun::storage::collectivities::find_collectivity_of_territory;
use encommun::storage::questionnaires::{
    answer_counts, count_responses, find_questionnaire, questions_of, ResponseFilter,
};
use encommun::storage::territories::find_territory;

use super::{
    add_question, answer, build, create, empty_questionnaire, group_path, id_in, logged_in, questions_of_builder,
    survey_of, world, ADMIN, REFERENT,
};
use crate::helpers::{with_conn, TestApp};
use crate::on_both_backends;

on_both_backends!(
    answered_questions_stay_and_conditions_keep_their_order,
    sections_hide_their_questions_and_answered_questions_keep_their_codes,
    a_questionnaire_takes_answers_once_published_with_a_question,
    a_questionnaire_is_duplicated_to_another_territory,
);

async fn answered_questions_stay_and_conditions_keep_their_order(app: TestApp) {
    world(&app);
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

/// The agency copies a questionnaire to Grand Angoulême, the project's other participant: same questions, the
/// condition pointing at the copy's own question, its own public link, no answers carried over.
async fn a_questionnaire_is_duplicated_to_another_territory(app: TestApp) {
    world(&app);
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

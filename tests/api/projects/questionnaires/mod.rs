//! Questionnaires, one file per feature as in `web::projects::questionnaires`: the provider or the agency builds
//! one for a territory's inquiry group, with questions of every type and conditions; inhabitants answer online
//! without an account; the group records interviews, reads results and coverage, exports and invites. This file
//! holds what those tests share: their world (built with the fixtures), a questionnaire created and filled through
//! the builder.

mod answering;
mod builder;
mod coverage;
mod export;
mod interviews;
mod invitations;
mod results;
mod xlsform;

use encommun::domain::territory::TerritoryKind;
use encommun::storage::collectivities::find_collectivity_of_territory;
use encommun::storage::projects::list_projects;
use encommun::storage::questionnaires::{find_questionnaire, publish_questionnaire, questions_of};
use encommun::storage::territories::find_territory;

use crate::fixtures;
pub use crate::fixtures::logged_in;
use crate::helpers::{with_conn, Client, Page, TestApp};

pub const ADMIN: &str = "agence@exemple.fr";
pub const REFERENT: &str = "referente@agglopolys.exemple.fr";
/// An agent of Grand Châtellerault, a collectivity outside the project.
pub const OUTSIDER: &str = "agent@grand-chatellerault.exemple.fr";
pub const AGGLOPOLYS: &str = "200030385";
pub const ANGOULEME: &str = "200071827";

/// The world of these tests: the agency, a project in enrolment with Agglopolys (its referent, Sophie Martin) and
/// Grand Angoulême as participants, and Grand Châtellerault outside it.
pub fn world(app: &TestApp) {
    with_conn(app, |conn| {
        fixtures::territories(conn);
        let admin = fixtures::agency_admin(conn, ADMIN, "Claire Dubois");
        let agglopolys = fixtures::collectivity(conn, TerritoryKind::Epci, AGGLOPOLYS);
        agglopolys.referent(conn, REFERENT, "Sophie Martin");
        let angouleme = fixtures::collectivity(conn, TerritoryKind::Epci, ANGOULEME);
        fixtures::collectivity(conn, TerritoryKind::Epci, "248600413").member(conn, OUTSIDER, "Karim Benali");
        fixtures::project(conn, &admin).participant(&agglopolys).participant(&angouleme).create();
    });
}

/// The group page of a participant of the project of [`world`].
pub fn group_of(app: &TestApp, code: &str) -> String {
    with_conn(app, |conn| {
        let project = list_projects(conn).unwrap()[0].id;
        let territory = find_territory(conn, TerritoryKind::Epci, code).unwrap().unwrap();
        let collectivity = find_collectivity_of_territory(conn, territory.id).unwrap().unwrap().id;
        format!("/projets/{project}/groupes/{collectivity}")
    })
}

/// The group page of Agglopolys.
pub fn group_path(app: &TestApp) -> String {
    group_of(app, AGGLOPOLYS)
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
pub async fn build(app: &TestApp, admin: &Client, builder: &str) -> Vec<i64> {
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

/// The [`world`], and a questionnaire of Agglopolys's group with one required question of `kind`: (agency client,
/// builder path, question id).
pub async fn with_one_question(app: &TestApp, kind: &str, label: &str) -> (Client, String, i64) {
    world(app);
    let group = group_path(app);
    let admin = logged_in(app, ADMIN).await;
    let builder = create(&admin, &group, "").await;
    add_question(&admin, &builder, &[("kind", kind), ("label", label), ("required", "oui")]).await.assert_status(303);
    let question = questions_of_builder(app, &builder)[0];
    (admin, builder, question)
}

/// The [`world`] and an empty questionnaire of Agglopolys's group: (agency client, builder path).
pub async fn empty_questionnaire(app: &TestApp) -> (Client, String) {
    world(app);
    let admin = logged_in(app, ADMIN).await;
    let builder = create(&admin, &group_path(app), "").await;
    (admin, builder)
}

pub async fn answer(client: &Client, survey: &str, fields: &[(&str, &str)]) -> crate::helpers::Page {
    client.submit(survey, survey, fields).await
}

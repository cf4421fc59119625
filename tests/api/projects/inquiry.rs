//! Mixed inquiry groups: each participant territory forms its group (members with a category, with or without an
//! account), sees how mixed it is, invites those who need an account, and removes people with their data.

use encommun::domain::territory::TerritoryKind;
use encommun::storage::inquiry::members_of_group;

use crate::fixtures::{self, logged_in};
use crate::helpers::{with_conn, Client, TestApp};
use crate::on_both_backends;

const ADMIN: &str = "agence@exemple.fr";
const AGGLOPOLYS_REFERENT: &str = "referente@agglopolys.exemple.fr";
const CHATELLERAULT_REFERENT: &str = "agent@grand-chatellerault.exemple.fr";
const PROVIDER: &str = "prestataire@exemple.fr";

/// A project in enrolment in which Agglopolys participates and Grand Châtellerault does not, each with its
/// referent; the agency; a provider not assigned to the project. Returns the ids of the project, Agglopolys and
/// Grand Châtellerault.
fn project(app: &TestApp) -> (i64, i64, i64) {
    with_conn(app, |conn| {
        fixtures::territories(conn);
        let admin = fixtures::agency_admin(conn, ADMIN, "Claire Dubois");
        let agglopolys = fixtures::collectivity(conn, TerritoryKind::Epci, "200030385");
        agglopolys.referent(conn, AGGLOPOLYS_REFERENT, "Sophie Martin");
        let chatellerault = fixtures::collectivity(conn, TerritoryKind::Epci, "248600413");
        chatellerault.referent(conn, CHATELLERAULT_REFERENT, "Karim Benali");
        fixtures::provider(conn, "Coopérative des essais").member(conn, PROVIDER, "Amandine Roux");
        let project = fixtures::project(conn, &admin).participant(&agglopolys).create();
        (project.id, agglopolys.id, chatellerault.id)
    })
}

async fn add(client: &Client, group: &str, fields: &[(&str, &str)]) -> crate::helpers::Page {
    client.submit(group, &format!("{group}/membres"), fields).await
}

on_both_backends!(
    a_referent_forms_a_mixed_group_and_invites_who_needs_an_account,
    mistakes_are_explained_and_nothing_is_written,
    only_the_territory_and_those_who_lead_see_and_form_a_group,
);

async fn a_referent_forms_a_mixed_group_and_invites_who_needs_an_account(app: TestApp) {
    let (project, agglopolys, _) = project(&app);
    let group = format!("/projets/{project}/groupes/{agglopolys}");
    let referent = logged_in(&app, AGGLOPOLYS_REFERENT).await;
    // The project page links to the group, which starts empty and says what it lacks.
    referent.get(&format!("/projets/{project}")).await.assert_contains(&format!("href=\"{group}\""));
    referent
        .get(&group)
        .await
        .assert_status(200)
        .assert_contains("Le groupe n’a pas encore de membres.")
        .assert_contains("Aucun habitant dans le groupe");
    add(
        &referent,
        &group,
        &[("display_name", "Marc Lefèvre"), ("category", "elu"), ("note", "adjoint à la vie locale")],
    )
    .await
    .assert_redirect(&group);
    let page = referent.get(&group).await;
    page.assert_contains("Marc Lefèvre rejoint le groupe.")
        .assert_contains("1 catégorie représentée : un groupe mixte en réunit au moins 3.")
        .assert_contains("Aucun habitant dans le groupe");
    add(
        &referent,
        &group,
        &[("display_name", "Inès"), ("category", "habitant"), ("note", "conseil citoyen de Kennedy")],
    )
    .await
    .assert_redirect(&group);
    add(
        &referent,
        &group,
        &[("display_name", "Lina Moreau"), ("category", "scolaire"), ("email", "Lina.Moreau@Exemple.fr")],
    )
    .await
    .assert_redirect(&group);
    let page = referent.get(&group).await;
    page.assert_contains("une invitation à créer son compte est envoyée à lina.moreau@exemple.fr")
        .assert_contains("Groupe mixte : des habitants et au moins trois catégories de personnes.")
        .assert_contains("Membres (3)")
        .assert_contains("Invitation envoyée")
        .assert_lacks("Aucun habitant");
    // The invited member creates an account from the e-mail; it opens their group, and only theirs.
    let emails = app.emails_to("lina.moreau@exemple.fr");
    assert_eq!(emails.len(), 1);
    assert!(emails[0].body.contains("membre du groupe d’enquête mixte de CA de Blois"), "{}", emails[0].body);
    let link = emails[0].link_containing("/invitation/");
    let lina = app.client();
    lina.submit(
        &link,
        &link,
        &[
            ("display_name", "Lina Moreau"),
            ("password", "une phrase assez longue"),
            ("password_confirmation", "une phrase assez longue"),
        ],
    )
    .await
    .assert_redirect(&group);
    lina.get("/ma-collectivite")
        .await
        .assert_contains("Vos groupes d’enquête")
        .assert_contains(&format!("href=\"{group}\""))
        .assert_lacks("n’est rattaché à aucune collectivité");
    let page = lina.get(&group).await;
    page.assert_status(200).assert_contains("Membres (3)").assert_lacks("Ajouter une personne");
    lina.get(&format!("/projets/{project}")).await.assert_contains(&format!("href=\"{group}\""));
    lina.get(&format!("/projets/{project}/groupes/999999")).await.assert_status(403);
    assert!(with_conn(&app, |conn| members_of_group(conn, project, agglopolys).unwrap())
        .iter()
        .any(|m| m.display_name == "Lina Moreau" && m.user_id.is_some()));
    // Removing a member removes their data; the group says what it lacks again.
    let members = with_conn(&app, |conn| members_of_group(conn, project, agglopolys).unwrap());
    let ines = members.iter().find(|m| m.display_name == "Inès").unwrap().id;
    let token = referent.csrf().await;
    referent.post(&format!("{group}/membres/{ines}/retrait"), &[("csrf_token", &token)]).await.assert_redirect(&group);
    referent.get(&group).await.assert_contains("Membres (2)").assert_contains("Aucun habitant").assert_lacks("Inès");
    referent.post(&format!("{group}/membres/{ines}/retrait"), &[("csrf_token", &token)]).await.assert_status(404);
}

async fn mistakes_are_explained_and_nothing_is_written(app: TestApp) {
    let (project, agglopolys, _) = project(&app);
    let group = format!("/projets/{project}/groupes/{agglopolys}");
    // The provider is not assigned to the project: the agency forms the group.
    logged_in(&app, PROVIDER).await.get(&group).await.assert_status(403);
    let admin = logged_in(&app, ADMIN).await;
    let page = add(&admin, &group, &[("display_name", "X"), ("category", "maire"), ("email", "pas une adresse")]).await;
    page.assert_status(422)
        .assert_contains("Le formulaire contient 3 erreurs")
        .assert_contains("Le nom demande au moins 2 caractères (1 saisis).")
        .assert_contains("Choisissez la catégorie de la personne dans la liste.")
        .assert_contains(r#"value="pas une adresse""#);
    add(&admin, &group, &[("display_name", "Paul Girard"), ("category", "agent"), ("email", "paul@exemple.fr")])
        .await
        .assert_redirect(&group);
    // The same address twice in one group: refused, the first seat and its invitation kept.
    let page =
        add(&admin, &group, &[("display_name", "Paul G."), ("category", "agent"), ("email", "PAUL@exemple.fr")]).await;
    page.assert_status(422).assert_contains("Une personne du groupe a déjà cette adresse électronique.");
    let members = with_conn(&app, |conn| members_of_group(conn, project, agglopolys).unwrap());
    assert_eq!(members.len(), 1);
    assert_eq!(app.emails_to("paul@exemple.fr").len(), 1);
}

async fn only_the_territory_and_those_who_lead_see_and_form_a_group(app: TestApp) {
    let (project, agglopolys, chatellerault) = project(&app);
    let group = format!("/projets/{project}/groupes/{agglopolys}");
    // Grand Châtellerault is not enrolled: it has no group, and its referent cannot see or form Agglopolys's.
    let admin = logged_in(&app, ADMIN).await;
    admin.get(&format!("/projets/{project}/groupes/{chatellerault}")).await.assert_status(404);
    admin.get(&group).await.assert_status(200).assert_contains("Ajouter une personne");
    let outsider = logged_in(&app, CHATELLERAULT_REFERENT).await;
    outsider.get(&group).await.assert_status(403);
    outsider.get(&format!("/projets/{project}")).await.assert_lacks("Groupes d’enquête mixtes");
    let token = outsider.csrf().await;
    outsider
        .post(&format!("{group}/membres"), &[("csrf_token", &token), ("display_name", "Intrus"), ("category", "autre")])
        .await
        .assert_status(403);
    app.client().get(&group).await.assert_redirect(&format!("/connexion?suivant={group}"));
    assert!(with_conn(&app, |conn| members_of_group(conn, project, agglopolys).unwrap()).is_empty());
}

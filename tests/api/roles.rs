//! Authorisation comes from a person's relations: a referent acts for their collectivity only.

use encommun::domain::account::Function;
use encommun::domain::territory::TerritoryKind;

use crate::fixtures::{self, PASSWORD};
use crate::helpers::{with_conn, TestApp};
use crate::on_both_backends;

const ADMIN: &str = "agence@exemple.fr";
const AGGLOPOLYS_REFERENT: &str = "referente@agglopolys.exemple.fr";
const CHATELLERAULT_REFERENT: &str = "agent@grand-chatellerault.exemple.fr";
const CAHORS_MEMBER: &str = "elu@grand-cahors.exemple.fr";
const PROVIDER: &str = "prestataire@exemple.fr";

/// Agglopolys's and Grand Châtellerault's referents, a plain member of Grand Cahors, a provider's member, the
/// agency.
fn people(app: &TestApp) {
    with_conn(app, |conn| {
        fixtures::territories(conn);
        fixtures::agency_admin(conn, ADMIN, "Claire Dubois");
        let agglopolys = fixtures::collectivity(conn, TerritoryKind::Epci, "200030385");
        agglopolys.person(conn, AGGLOPOLYS_REFERENT, "Sophie Martin", Function::Elu, true);
        let chatellerault = fixtures::collectivity(conn, TerritoryKind::Epci, "248600413");
        chatellerault.referent(conn, CHATELLERAULT_REFERENT, "Karim Benali");
        fixtures::collectivity(conn, TerritoryKind::Epci, "200023737").member(conn, CAHORS_MEMBER, "Jean Lacombe");
        fixtures::provider(conn, "Coopérative des essais").member(conn, PROVIDER, "Amandine Roux");
    });
}

const AGGLOPOLYS: &str = "/territoires/epci/200030385";
const CHATELLERAULT: &str = "/territoires/epci/248600413";
const CAHORS: &str = "/territoires/epci/200023737";

fn invite_fields(email: &str) -> Vec<(&str, &str)> {
    vec![("email", email), ("function", "agent")]
}

on_both_backends!(
    a_referent_invites_for_their_collectivity_only,
    a_plain_member_cannot_invite,
    members_are_visible_to_members_and_agency_only,
    administration_is_for_the_agency_only,
);

async fn a_referent_invites_for_their_collectivity_only(app: TestApp) {
    people(&app);
    let referent = app.client();
    referent.login(AGGLOPOLYS_REFERENT, PASSWORD).await.assert_redirect("/");
    // Grand Châtellerault's page has no form for her, and posting anyway is refused.
    referent.get(CHATELLERAULT).await.assert_status(200).assert_lacks("Inviter une personne");
    let token = referent.get(AGGLOPOLYS).await.assert_contains("Inviter une personne").csrf_token();
    let mut fields = invite_fields("intrus@exemple.fr");
    fields.push(("csrf_token", &token));
    referent
        .post(&format!("{CHATELLERAULT}/invitations"), &fields)
        .await
        .assert_status(403)
        .assert_contains("Accès refusé");
    assert!(app.emails_to("intrus@exemple.fr").is_empty(), "no invitation left");
    // Her own collectivity: accepted.
    referent.post(&format!("{AGGLOPOLYS}/invitations"), &fields).await.assert_redirect(AGGLOPOLYS);
    assert_eq!(app.emails_to("intrus@exemple.fr").len(), 1);
}

async fn a_plain_member_cannot_invite(app: TestApp) {
    people(&app);
    let member = app.client();
    member.login(CAHORS_MEMBER, PASSWORD).await.assert_redirect("/");
    let page = member.get(CAHORS).await;
    page.assert_contains("Membres").assert_lacks("Inviter une personne");
    let token = page.csrf_token();
    let mut fields = invite_fields("collegue@exemple.fr");
    fields.push(("csrf_token", &token));
    member.post(&format!("{CAHORS}/invitations"), &fields).await.assert_status(403);
    // Anonymous: asked to log in first.
    let anonymous = app.client();
    let token = anonymous.get("/connexion").await.csrf_token();
    let mut fields = invite_fields("collegue@exemple.fr");
    fields.push(("csrf_token", &token));
    anonymous.post(&format!("{CAHORS}/invitations"), &fields).await.assert_status(303);
    assert!(app.emails().is_empty());
}

async fn members_are_visible_to_members_and_agency_only(app: TestApp) {
    people(&app);
    let outsider = app.client();
    outsider.get(CHATELLERAULT).await.assert_status(200).assert_lacks("Karim Benali");
    outsider.login(CAHORS_MEMBER, PASSWORD).await;
    outsider.get(CHATELLERAULT).await.assert_lacks("Karim Benali");
    let agent = app.client();
    agent.login(CHATELLERAULT_REFERENT, PASSWORD).await;
    agent.get(CHATELLERAULT).await.assert_contains("Karim Benali — Agent, référent·e");
    let admin = app.client();
    admin.login(ADMIN, PASSWORD).await;
    admin.get(CHATELLERAULT).await.assert_contains("Karim Benali").assert_contains("Inviter une personne");
}

async fn administration_is_for_the_agency_only(app: TestApp) {
    people(&app);
    for email in [PROVIDER, AGGLOPOLYS_REFERENT] {
        let client = app.client();
        client.login(email, PASSWORD).await.assert_redirect("/");
        client.get("/admin").await.assert_status(403);
        let token = client.get("/compte").await.csrf_token();
        client
            .post("/admin/prestataires", &[("csrf_token", &token), ("name", "Cabinet pirate")])
            .await
            .assert_status(403);
    }
    let admin = app.client();
    admin.login(ADMIN, PASSWORD).await;
    admin.get("/admin").await.assert_status(200).assert_lacks("Cabinet pirate");
}

//! Authorisation comes from a person's relations: a referent acts for their collectivity only.

use encommun::demo::DEMO_PASSWORD;

use crate::helpers::TestApp;
use crate::on_both_backends;

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
    app.load_demo();
    let referent = app.client();
    referent.login("referente@agglopolys.demo.encommun.fr", DEMO_PASSWORD).await.assert_redirect("/");
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
    app.load_demo();
    let member = app.client();
    member.login("elu@grand-cahors.demo.encommun.fr", DEMO_PASSWORD).await.assert_redirect("/");
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
    app.load_demo();
    let outsider = app.client();
    outsider.get(CHATELLERAULT).await.assert_status(200).assert_lacks("Karim Benali");
    outsider.login("elu@grand-cahors.demo.encommun.fr", DEMO_PASSWORD).await;
    outsider.get(CHATELLERAULT).await.assert_lacks("Karim Benali");
    let agent = app.client();
    agent.login("agent@grand-chatellerault.demo.encommun.fr", DEMO_PASSWORD).await;
    agent.get(CHATELLERAULT).await.assert_contains("Karim Benali — Agent, référent·e");
    let admin = app.client();
    admin.login("agence@demo.encommun.fr", DEMO_PASSWORD).await;
    admin.get(CHATELLERAULT).await.assert_contains("Karim Benali").assert_contains("Inviter une personne");
}

async fn administration_is_for_the_agency_only(app: TestApp) {
    app.load_demo();
    for email in ["prestataire@demo.encommun.fr", "referente@agglopolys.demo.encommun.fr"] {
        let client = app.client();
        client.login(email, DEMO_PASSWORD).await.assert_redirect("/");
        client.get("/admin").await.assert_status(403);
        let token = client.get("/compte").await.csrf_token();
        client
            .post("/admin/prestataires", &[("csrf_token", &token), ("name", "Cabinet pirate")])
            .await
            .assert_status(403);
    }
    let admin = app.client();
    admin.login("agence@demo.encommun.fr", DEMO_PASSWORD).await;
    admin.get("/admin").await.assert_status(200).assert_lacks("Cabinet pirate");
}

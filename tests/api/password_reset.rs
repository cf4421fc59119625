//! Choosing a new password through an e-mailed, single-use, expiring link.

use crate::fixtures::{self, PASSWORD};
use crate::helpers::{with_conn, TestApp};
use crate::on_both_backends;

const EMAIL: &str = "referente@agglopolys.exemple.fr";

fn an_account(app: &TestApp) {
    with_conn(app, |conn| fixtures::account(conn, EMAIL, "Sophie Martin"));
}

on_both_backends!(
    a_reset_link_works_once,
    unknown_addresses_get_the_same_answer_and_no_mail,
    resets_are_limited_per_hour
);

async fn a_reset_link_works_once(app: TestApp) {
    an_account(&app);
    let client = app.client();
    client
        .submit("/mot-de-passe-oublie", "/mot-de-passe-oublie", &[("email", "Referente@Agglopolys.exemple.fr ")])
        .await
        .assert_status(200)
        .assert_contains("Si un compte existe pour cette adresse");
    let emails = app.emails_to(EMAIL);
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].subject, "Choisir un nouveau mot de passe");
    assert!(emails[0].body.contains("Bonjour Sophie Martin"));
    let path = emails[0].link_containing("/mot-de-passe/nouveau/");

    client.get(&path).await.assert_status(200).assert_contains("Choisir un nouveau mot de passe");
    client
        .submit(&path, &path, &[("password", "nouveau mot de passe"), ("password_confirmation", "autre chose")])
        .await
        .assert_status(422)
        .assert_contains("ne sont pas identiques");
    let new_password = "nouveau mot de passe";
    client
        .submit(&path, &path, &[("password", new_password), ("password_confirmation", new_password)])
        .await
        .assert_redirect("/connexion");
    client.get("/connexion").await.assert_contains("Votre mot de passe a été changé.");

    // Used once: the link is dead, the old password too.
    app.client().get(&path).await.assert_status(410).assert_contains("Ce lien n’est plus valable");
    let replay = app.client();
    let token = replay.get("/connexion").await.csrf_token();
    replay
        .post(
            &path,
            &[("csrf_token", &token), ("password", "encore un autre"), ("password_confirmation", "encore un autre")],
        )
        .await
        .assert_status(410);
    app.client().login(EMAIL, PASSWORD).await.assert_status(422);
    app.client().login(EMAIL, new_password).await.assert_redirect("/");
}

async fn unknown_addresses_get_the_same_answer_and_no_mail(app: TestApp) {
    an_account(&app);
    let client = app.client();
    client
        .submit("/mot-de-passe-oublie", "/mot-de-passe-oublie", &[("email", "inconnu@exemple.fr")])
        .await
        .assert_status(200)
        .assert_contains("Si un compte existe pour cette adresse");
    client
        .submit("/mot-de-passe-oublie", "/mot-de-passe-oublie", &[("email", "pas une adresse")])
        .await
        .assert_status(422)
        .assert_contains("n’est pas valide");
    assert!(app.emails().is_empty());
    app.client().get("/mot-de-passe/nouveau/inexistant").await.assert_status(410);
}

async fn resets_are_limited_per_hour(app: TestApp) {
    an_account(&app);
    let client = app.client();
    for _ in 0..5 {
        client.submit("/mot-de-passe-oublie", "/mot-de-passe-oublie", &[("email", EMAIL)]).await.assert_status(200);
    }
    assert_eq!(app.emails_to(EMAIL).len(), 3, "three links per hour at most");
}

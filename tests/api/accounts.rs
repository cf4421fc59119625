//! Logging in and out, CSRF, rate limits, sessions, the account page.

use crate::fixtures::{self, PASSWORD};
use crate::helpers::{with_conn, TestApp};
use crate::on_both_backends;

const ADMIN: &str = "agence@exemple.fr";
const PROVIDER: &str = "prestataire@exemple.fr";

/// Two accounts: the agency's administrator and a member of a provider (whose name needs escaping).
fn accounts(app: &TestApp) {
    with_conn(app, |conn| {
        fixtures::agency_admin(conn, ADMIN, "Claire Dubois");
        fixtures::provider(conn, "Études & Territoires").member(conn, PROVIDER, "Amandine Roux");
    });
}

on_both_backends!(
    login_opens_a_session_and_logout_closes_it,
    wrong_credentials_are_refused_with_a_french_message,
    requests_without_a_valid_csrf_token_are_refused,
    failed_logins_are_limited_per_account,
    failed_logins_are_limited_per_address,
    pages_behind_login_redirect_and_come_back,
    login_never_redirects_off_site,
    account_page_changes_name_and_password,
    a_session_works_on_every_instance,
);

async fn login_opens_a_session_and_logout_closes_it(app: TestApp) {
    accounts(&app);
    let client = app.client();
    client.login(ADMIN, PASSWORD).await.assert_redirect("/");
    client.get("/admin").await.assert_status(200).assert_contains("<h1>Administration</h1>");
    client.get("/").await.assert_contains("Se déconnecter").assert_lacks(">Se connecter<");
    let token = client.get("/compte").await.csrf_token();
    client.post("/deconnexion", &[("csrf_token", &token)]).await.assert_redirect("/");
    client.get("/admin").await.assert_redirect("/connexion?suivant=/admin");
}

async fn wrong_credentials_are_refused_with_a_french_message(app: TestApp) {
    accounts(&app);
    let client = app.client();
    for (email, password) in [(ADMIN, "pas-le-bon-mot-de-passe"), ("personne@nulle-part.fr", PASSWORD)] {
        let page = client.login(email, password).await;
        page.assert_status(422).assert_contains("Adresse électronique ou mot de passe incorrect.");
        assert!(page.body.contains(&format!(r#"value="{email}""#)), "the address is kept");
    }
    // Empty fields are missing, not wrong (tests/api/pages.rs).
    client.login("", "").await.assert_status(422).assert_contains("ce champ est obligatoire").assert_lacks("incorrect");
    client.get("/admin").await.assert_status(303);
}

async fn requests_without_a_valid_csrf_token_are_refused(app: TestApp) {
    accounts(&app);
    let client = app.client();
    client.get("/connexion").await;
    let without = client.post("/connexion", &[("email", ADMIN), ("password", PASSWORD)]).await;
    without.assert_status(403).assert_contains("Formulaire expiré");
    let forged = client.post("/connexion", &[("csrf_token", "0000"), ("email", ADMIN), ("password", PASSWORD)]).await;
    forged.assert_status(403);
    // A token from another visitor's session is worth nothing either.
    let other = app.client();
    let foreign_token = other.get("/connexion").await.csrf_token();
    client
        .post("/connexion", &[("csrf_token", &foreign_token), ("email", ADMIN), ("password", PASSWORD)])
        .await
        .assert_status(403);
    // Logged in, state-changing requests still need it.
    client.login(ADMIN, PASSWORD).await.assert_redirect("/");
    client.post("/compte/nom", &[("display_name", "Pirate")]).await.assert_status(403);
    client.post("/deconnexion", &[]).await.assert_status(403);
    client.get("/compte").await.assert_status(200).assert_contains("Claire Dubois");
}

async fn failed_logins_are_limited_per_account(app: TestApp) {
    accounts(&app);
    let client = app.client();
    for _ in 0..encommun::web::auth::MAX_FAILURES_PER_ACCOUNT {
        client.login(ADMIN, "mauvais-mot-de-passe").await.assert_status(422);
    }
    // Even the right password is refused for a while, with an explanation.
    client.login(ADMIN, PASSWORD).await.assert_status(429).assert_contains("Trop de tentatives");
    client.get("/admin").await.assert_status(303);
    // Another account from the same computer is not locked out.
    app.client().login(PROVIDER, PASSWORD).await.assert_redirect("/");
}

async fn failed_logins_are_limited_per_address(app: TestApp) {
    accounts(&app);
    let client = app.client();
    for i in 0..encommun::web::auth::MAX_FAILURES_PER_ADDRESS {
        client.login(&format!("essai{i}@exemple.fr"), "mauvais-mot-de-passe").await.assert_status(422);
    }
    client.login(PROVIDER, PASSWORD).await.assert_status(429);
}

async fn pages_behind_login_redirect_and_come_back(app: TestApp) {
    accounts(&app);
    let client = app.client();
    let redirect = client.get("/compte").await;
    redirect.assert_redirect("/connexion?suivant=/compte");
    let form = client.get("/connexion?suivant=/compte").await;
    let token = form.csrf_token();
    form.assert_contains(r#"name="suivant" value="/compte""#);
    client
        .post(
            "/connexion",
            &[("csrf_token", &token), ("email", PROVIDER), ("password", PASSWORD), ("suivant", "/compte")],
        )
        .await
        .assert_redirect("/compte");
}

async fn login_never_redirects_off_site(app: TestApp) {
    accounts(&app);
    for next in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
        let client = app.client();
        let token = client.get("/connexion").await.csrf_token();
        client
            .post("/connexion", &[("csrf_token", &token), ("email", ADMIN), ("password", PASSWORD), ("suivant", next)])
            .await
            .assert_redirect("/");
    }
}

async fn account_page_changes_name_and_password(app: TestApp) {
    accounts(&app);
    let client = app.client();
    let elsewhere = app.client();
    client.login(PROVIDER, PASSWORD).await.assert_redirect("/");
    elsewhere.login(PROVIDER, PASSWORD).await.assert_redirect("/");
    // Read once, so that the instance keeps the person of this session in memory.
    elsewhere.get("/compte").await.assert_status(200);
    client.get("/compte").await.assert_contains("Membre du prestataire Études &amp; Territoires");

    client
        .submit("/compte", "/compte/nom", &[("display_name", "   ")])
        .await
        .assert_status(422)
        .assert_contains("Indiquez votre nom.");
    client
        .submit("/compte", "/compte/nom", &[("display_name", "Amandine Roux-Petit")])
        .await
        .assert_redirect("/compte");
    client.get("/compte").await.assert_contains("Votre nom a été enregistré.").assert_contains("Amandine Roux-Petit");

    let wrong = client
        .submit(
            "/compte",
            "/compte/mot-de-passe",
            &[("current_password", "faux"), ("password", "court"), ("password_confirmation", "court")],
        )
        .await;
    wrong
        .assert_status(422)
        .assert_contains("Le mot de passe actuel n’est pas le bon.")
        .assert_contains("au moins 10 caractères");
    let new_password = "une phrase de passe solide";
    client
        .submit(
            "/compte",
            "/compte/mot-de-passe",
            &[("current_password", PASSWORD), ("password", new_password), ("password_confirmation", new_password)],
        )
        .await
        .assert_redirect("/compte");
    client.get("/compte").await.assert_status(200);
    // The other session was opened with the old password: it is over.
    elsewhere.get("/compte").await.assert_status(303);
    app.client().login(PROVIDER, PASSWORD).await.assert_status(422);
    app.client().login(PROVIDER, new_password).await.assert_redirect("/");
}

async fn a_session_works_on_every_instance(app: TestApp) {
    accounts(&app);
    let other = app.second_instance();
    let on_a = app.client();
    on_a.login(ADMIN, PASSWORD).await.assert_redirect("/");
    // The same browser, sent to the other instance by the load balancer.
    let on_b = crate::helpers::Client::new(&other.address);
    on_b.adopt_cookies(&on_a);
    on_b.get("/admin").await.assert_status(200);
    // A form read on B is accepted by A: the CSRF token lives in the shared cookie.
    let token = on_b.get("/compte").await.csrf_token();
    on_a.adopt_cookies(&on_b);
    on_a.post("/compte/nom", &[("csrf_token", &token), ("display_name", "Claire Dubois-Martin")])
        .await
        .assert_redirect("/compte");
    on_b.adopt_cookies(&on_a);
    on_b.get("/compte").await.assert_contains("Claire Dubois-Martin");
}

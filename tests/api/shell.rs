//! The web shell: pages, errors, headers, assets, health.

use encommun::domain::territory::TerritoryKind;

use crate::fixtures;
use crate::helpers::{with_conn, TestApp};
use crate::on_both_backends;

on_both_backends!(home_shows_a_living_platform_in_french, health_check_reaches_the_database, fixed_pages_are_served);

async fn home_shows_a_living_platform_in_french(app: TestApp) {
    // Two collectivities on the platform.
    with_conn(&app, |conn| {
        fixtures::territories(conn);
        fixtures::collectivity(conn, TerritoryKind::Epci, "248600413");
        fixtures::collectivity(conn, TerritoryKind::Epci, "200030385");
    });
    let home = app.client().get("/").await;
    home.assert_status(200)
        .assert_contains(r#"<html lang="fr">"#)
        .assert_contains("Aller au contenu")
        .assert_contains("CA Grand Châtellerault")
        .assert_contains("<strong>2</strong> collectivités engagées")
        .assert_contains("/accessibilite");
}

async fn health_check_reaches_the_database(app: TestApp) {
    let health = app.client().get("/healthz").await;
    health.assert_status(200);
    assert_eq!(health.body, "ok");
    let head = app.client().head("/healthz").await;
    head.assert_status(200);
    assert!(head.body.is_empty(), "HEAD answers without a body");
    app.client().head("/").await.assert_status(200);
}

async fn fixed_pages_are_served(app: TestApp) {
    let client = app.client();
    for (path, title) in [
        ("/accessibilite", "Déclaration d’accessibilité"),
        ("/mentions-legales", "Mentions légales"),
        ("/donnees-personnelles", "Données personnelles"),
        ("/connexion", "Connexion"),
        ("/mot-de-passe-oublie", "Mot de passe oublié"),
        ("/collectivites", "Collectivités"),
    ] {
        client.get(path).await.assert_status(200).assert_contains(&format!("<h1>{title}</h1>"));
    }
}

#[actix_web::test]
async fn unknown_pages_get_a_french_404() {
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite).await;
    let client = app.client();
    client.get("/nulle-part").await.assert_status(404).assert_contains("Page introuvable");
    client.get("/territoires/canton/123").await.assert_status(404).assert_contains("Page introuvable");
    client.get("/territoires/commune/99999").await.assert_status(404);
    client.get("/assets/absent.css").await.assert_status(404);
}

#[actix_web::test]
async fn every_response_carries_security_headers() {
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite).await;
    for path in ["/", "/connexion", "/nulle-part", "/assets/style.css"] {
        let page = app.client().get(path).await;
        let csp = page.headers.get("content-security-policy").expect("CSP");
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(page.headers.get("x-content-type-options").map(String::as_str), Some("nosniff"));
        assert_eq!(page.headers.get("referrer-policy").map(String::as_str), Some("same-origin"));
    }
}

#[actix_web::test]
async fn assets_are_embedded_and_cacheable() {
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite).await;
    let home = app.client().get("/connexion").await;
    let start = home.body.find("/assets/style.css?v=").expect("versioned stylesheet link");
    let url = home.body[start..].split('"').next().unwrap().to_owned();
    let css = app.client().get(&url).await;
    css.assert_status(200).assert_contains(".skip-link");
    assert_eq!(css.headers.get("content-type").map(String::as_str), Some("text/css; charset=utf-8"));
    assert!(css.headers["cache-control"].contains("immutable"));
}

#[actix_web::test]
async fn anonymous_visitors_get_no_cookie_on_public_pages() {
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite).await;
    let client = app.client();
    client.get("/").await.assert_status(200);
    client.get("/collectivites?q=blois").await.assert_status(200);
    assert!(!client.has_session(), "no cookie before a form needs one");
}

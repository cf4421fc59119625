//! Page weight and phones: compressed responses, long tables a page at a time, refused forms that say so in
//! their title and take the focus to their summary, and the accessibility statement.

use encommun::domain::diagnostic::{EntryKind, NewEntry, SheetFields};
use encommun::domain::territory::TerritoryKind;
use encommun::storage::diagnostic::{insert_entry, Author, Place};

use crate::fixtures::{self, logged_in, Account, PASSWORD};
use crate::helpers::{with_conn, TestApp};
use crate::on_both_backends;

const ADMIN: &str = "agence@exemple.fr";

/// The agency's administrator.
fn admin(app: &TestApp) -> Account {
    with_conn(app, |conn| fixtures::agency_admin(conn, ADMIN, "Claire Dubois"))
}

on_both_backends!(
    a_territory_of_thousands_of_sheets_lists_them_a_page_at_a_time,
    a_refused_login_says_why_in_its_title
);

/// The body of a response, gzip-decoded.
fn gunzip(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes).read_to_string(&mut text).expect("valid gzip");
    text
}

#[actix_web::test]
async fn pages_come_compressed_to_browsers_that_accept_it() {
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite).await;
    // The agency and a few themes, so that the index is a page worth compressing.
    with_conn(&app, |conn| {
        let admin = fixtures::agency_admin(conn, ADMIN, "Claire Dubois");
        for title in ["Mobilités du quotidien en milieu rural", "Engagement des jeunes", "Tiers-lieux et services"] {
            fixtures::theme(conn, &admin, title).create();
        }
    });
    let client = app.client();
    // A public page twice (rendered, then from the page cache), and a page with a session.
    for path in ["/themes", "/themes"] {
        let plain = client.get(path).await;
        plain.assert_status(200);
        assert!(!plain.headers.contains_key("content-encoding"), "no Accept-Encoding, no encoding");
        let gzipped = client.get_with(path, &[("Accept-Encoding", "gzip")]).await;
        gzipped.assert_status(200);
        assert_eq!(gzipped.headers.get("content-encoding").map(String::as_str), Some("gzip"));
        assert!(gzipped.headers["vary"].to_lowercase().contains("accept-encoding"));
        assert!(gzipped.bytes.len() * 2 < plain.bytes.len(), "{} → {} bytes", plain.bytes.len(), gzipped.bytes.len());
        assert_eq!(gunzip(&gzipped.bytes), plain.body, "the same page once decoded");
        let brotli = client.get_with(path, &[("Accept-Encoding", "gzip, deflate, br, zstd")]).await;
        assert_eq!(brotli.headers.get("content-encoding").map(String::as_str), Some("br"), "a browser's preference");
    }
    // From memory, a kept page comes in the encoding asked for too (compressed once, then kept with the page).
    let kept = client.get_with("/themes", &[("Accept-Encoding", "br")]).await;
    assert_eq!(kept.headers.get("x-encommun-cache").map(String::as_str), Some("hit"));
    assert_eq!(kept.headers.get("content-encoding").map(String::as_str), Some("br"));
    assert_eq!(client.get_with("/themes", &[("Accept-Encoding", "br")]).await.bytes, kept.bytes);
    client.login(ADMIN, PASSWORD).await.assert_status(303);
    let plain = client.get("/admin").await;
    let gzipped = client.get_with("/admin", &[("Accept-Encoding", "gzip;q=1, identity;q=0.5")]).await;
    assert_eq!(gzipped.headers.get("content-encoding").map(String::as_str), Some("gzip"));
    // The page carries the session's form token and nothing else varies between the two requests.
    assert_eq!(gunzip(&gzipped.bytes), plain.body);
    // What is small or compressed already goes as it is; an encoding we do not offer is no error.
    let health = client.get_with("/healthz", &[("Accept-Encoding", "gzip")]).await;
    assert!(!health.headers.contains_key("content-encoding"));
    let unknown = client.get_with("/themes", &[("Accept-Encoding", "compress")]).await;
    unknown.assert_status(200).assert_contains("<h1>");
}

/// 250 published sheets in Agglopolys's diagnostic (a project it participates in), located or not; returns its
/// page's path.
fn many_sheets(app: &TestApp) -> String {
    let admin = admin(app);
    with_conn(app, |conn| {
        fixtures::territories(conn);
        let agglopolys = fixtures::collectivity(conn, TerritoryKind::Epci, "200030385");
        let project_id = fixtures::project(conn, &admin).participant(&agglopolys).create().id;
        let collectivity_id = agglopolys.id;
        let place = Place { project_id, collectivity_id };
        let admin = admin.id;
        encommun::storage::write_transaction(conn, |conn| {
            for i in 1..=250 {
                let fields = SheetFields {
                    // Zero-padded: the table lists sheets by name.
                    name: format!("Maison France services n° {i:03}"),
                    category: "france_services".into(),
                    domain: "citizen".into(),
                    lat: if i % 5 == 0 { String::new() } else { format!("47,{}", 5000 + i) },
                    lon: if i % 5 == 0 { String::new() } else { "1,33".into() },
                    ..SheetFields::default()
                };
                let entry = NewEntry::parse(EntryKind::Space, &fields, &["france_services".into()]).unwrap();
                insert_entry(
                    conn,
                    place,
                    &entry,
                    &Default::default(),
                    None,
                    Author { user_id: admin, publishes: true },
                )?;
            }
            Ok::<_, diesel::result::Error>(())
        })
        .unwrap();
        format!("/projets/{project_id}/diagnostic/{collectivity_id}")
    })
}

/// The table of a territory's sheets shows a hundred at a time, with plain links to the others; the map, its
/// counts and the exports keep every sheet.
async fn a_territory_of_thousands_of_sheets_lists_them_a_page_at_a_time(app: TestApp) {
    let path = many_sheets(&app);
    let admin = logged_in(&app, ADMIN).await;
    let first = admin.get(&path).await;
    first.assert_status(200).assert_contains("Les fiches de la carte (1–100 sur 250)");
    let rows = |html: &str| html.matches("Maison France services n°").count();
    // Each sheet is named once in the table; located ones once more in the map's markers.
    let in_table = |html: &str| html.matches("<th scope=\"row\"><a href=").count();
    assert_eq!(in_table(&first.body), 100, "one page of the table");
    assert_eq!(rows(&first.body), 100 + 200, "the table's hundred, and the map's 200 located markers");
    first
        .assert_contains("200 fiches situées sur 250")
        .assert_contains(&format!(r#"href="{path}?page=2#fiches""#))
        .assert_contains(&format!(r#"href="{path}?page=3#fiches""#))
        .assert_contains("Page 1 sur 3 (1–100 sur 250)");
    let last = admin.get(&format!("{path}?page=3")).await;
    last.assert_status(200).assert_contains("Les fiches de la carte (201–250 sur 250)");
    assert_eq!(in_table(&last.body), 50);
    last.assert_contains("n° 250</a>").assert_lacks("n° 001</a>");
    // A number out of range shows the nearest page; filters are kept from page to page.
    admin.get(&format!("{path}?page=999")).await.assert_contains("201–250 sur 250");
    let filtered = admin.get(&format!("{path}?type=space&page=2")).await;
    filtered.assert_contains(&format!(r#"href="{path}?type=space&amp;page=1#fiches""#));
    // The export has every sheet, whatever the page.
    let csv = admin.get(&format!("{path}/export.csv?page=2")).await;
    csv.assert_status(200);
    assert_eq!(rows(&csv.body), 250);
}

/// An empty field is missing, not wrong; a wrong pair marks both fields; the title says « Erreur » and the summary
/// is where the focus goes.
async fn a_refused_login_says_why_in_its_title(app: TestApp) {
    admin(&app);
    let client = app.client();
    let empty = client.submit("/connexion", "/connexion", &[("email", ""), ("password", "")]).await;
    empty
        .assert_status(422)
        .assert_contains("<title>Erreur : Connexion — encommun</title>")
        .assert_contains(r#"id="erreurs""#)
        .assert_contains("autofocus")
        .assert_contains("Indiquez votre adresse électronique : ce champ est obligatoire.")
        .assert_contains("Indiquez votre mot de passe : ce champ est obligatoire.")
        .assert_contains("Le formulaire contient 2 erreurs")
        .assert_lacks("incorrect");
    let no_password = client.submit("/connexion", "/connexion", &[("email", ADMIN), ("password", "")]).await;
    no_password
        .assert_status(422)
        .assert_contains(&format!(r#"value="{ADMIN}""#))
        .assert_lacks("adresse électronique :");
    let wrong = client.submit("/connexion", "/connexion", &[("email", ADMIN), ("password", "pas le bon")]).await;
    wrong.assert_status(422).assert_contains("<title>Erreur : Connexion — encommun</title>");
    assert_eq!(wrong.body.matches(r#"aria-invalid="true""#).count(), 2, "both fields marked");
    assert_eq!(
        wrong.body.matches("Adresse électronique ou mot de passe incorrect.").count(),
        3,
        "summary once, each field"
    );
    client.get("/connexion").await.assert_contains("<title>Connexion — encommun</title>").assert_lacks("autofocus");
    // Only the wrong password counted as a failure: four more are allowed before the account is throttled.
    for _ in 0..4 {
        client.submit("/connexion", "/connexion", &[("email", ADMIN), ("password", "")]).await.assert_status(422);
        client.submit("/connexion", "/connexion", &[("email", ADMIN), ("password", "faux")]).await.assert_status(422);
    }
    let throttled = client.submit("/connexion", "/connexion", &[("email", ADMIN), ("password", "faux")]).await;
    throttled.assert_status(429);
}

#[actix_web::test]
async fn the_accessibility_statement_follows_the_rgaa_model() {
    let app = crate::helpers::spawn_app_with(crate::helpers::Backend::Sqlite, |config| {
        config.accessibility_contact =
            Some(encommun::domain::account::EmailAddress::parse("accessibilite@agence.example").unwrap());
    })
    .await;
    let statement = app.client().get("/accessibilite").await;
    statement.assert_status(200);
    for part in [
        "<h2>État de conformité</h2>",
        "<strong>non conforme</strong>",
        "<h2>Contenus non accessibles</h2>",
        "<h3>Non-conformités</h3>",
        "<h3>Dérogations pour charge disproportionnée</h3>",
        "<h3>Contenus non soumis à l’obligation d’accessibilité</h3>",
        "Cette déclaration a été établie le ",
        "<h3>Pages ayant fait l’objet de la vérification</h3>",
        r#"<a href="mailto:accessibilite@agence.example">accessibilite@agence.example</a>"#,
        "<h2>Voies de recours</h2>",
        "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07",
    ] {
        statement.assert_contains(part);
    }
    statement.assert_contains("Accessibilité : non conforme");
    // Without the setting, the statement still says whom to write to.
    let without = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite).await;
    without
        .client()
        .get("/accessibilite")
        .await
        .assert_contains("référent de votre collectivité")
        .assert_lacks("mailto:");
}

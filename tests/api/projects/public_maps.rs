//! Public maps (`web::projects::diagnostic::public`): the leads make a territory's map public; everyone then reads
//! its published sheets — on its page, each sheet's page, its GeoJSON and CSV, the API and open data — and,
//! table-driven over every private thing of a diagnostic and every reader, nothing else; withdrawn, it is gone.

use encommun::domain::diagnostic::EntryKind;
use encommun::domain::territory::TerritoryKind;
use encommun::storage::diagnostic::Place;
use serde_json::Value;

use crate::fixtures::{self, logged_in};
use crate::helpers::{with_conn, Client, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_public_map_shows_everyone_its_published_sheets_and_nothing_else,
    only_the_leads_publish_and_twice_is_once,
);

const ADMIN: &str = "agence@exemple.fr";
const REFERENT: &str = "referente@agglopolys.exemple.fr";
const PROVIDER: &str = "prestataire@exemple.fr";
const OUTSIDER: &str = "elu@grand-cahors.exemple.fr";

/// Grand Angoulême's diagnostic, whose map stays private.
const ANGOULEME_SHEETS: &[encommun::demo::DemoSheet] = &[
    (EntryKind::Actor, "Service démocratie locale d’Angoulême", "services_collectivite", "citizen", "", None),
    (EntryKind::Space, "France services Basseau", "france_services", "citizen", "", Some((45.6482142, 0.1179563))),
];

/// A project in which Agglopolys and Grand Angoulême (a diagnostic of two sheets) participate, its provider
/// assigned; a member of Grand Cahors, not enrolled. Returns Agglopolys's and Angoulême's places.
fn project(app: &TestApp) -> (Place, Place) {
    with_conn(app, |conn| {
        fixtures::territories(conn);
        fixtures::outlines(conn);
        let admin = fixtures::agency_admin(conn, ADMIN, "Claire Dubois");
        let agglopolys = fixtures::collectivity(conn, TerritoryKind::Epci, "200030385");
        agglopolys.referent(conn, REFERENT, "Sophie Martin");
        let angouleme = fixtures::collectivity(conn, TerritoryKind::Epci, "200071827");
        fixtures::collectivity(conn, TerritoryKind::Epci, "200023737").member(conn, OUTSIDER, "Jean Lacombe");
        let provider = fixtures::provider(conn, "Coopérative des essais");
        provider.member(conn, PROVIDER, "Amandine Roux");
        let project = fixtures::project(conn, &admin)
            .participant(&agglopolys)
            .participant(&angouleme)
            .provider(&provider)
            .create();
        fixtures::diagnostic(conn, &project, &angouleme, &admin).sheets(ANGOULEME_SHEETS).create();
        (
            Place { project_id: project.id, collectivity_id: agglopolys.id },
            Place { project_id: project.id, collectivity_id: angouleme.id },
        )
    })
}

fn diagnostic(place: Place) -> String {
    format!("/projets/{}/diagnostic/{}", place.project_id, place.collectivity_id)
}

fn public(place: Place) -> String {
    format!("/projets/{}/cartes/{}", place.project_id, place.collectivity_id)
}

/// Adds a sheet through the form; returns its id.
async fn add_sheet(client: &Client, place: Place, kind: &str, fields: &[(&str, &str)]) -> String {
    let base = diagnostic(place);
    let mut all = vec![("kind", kind)];
    all.extend_from_slice(fields);
    let page = client.submit(&format!("{base}/fiches/nouvelle?type={kind}"), &format!("{base}/fiches"), &all).await;
    page.assert_status(303);
    page.location.clone().unwrap().rsplit('/').next().unwrap().to_owned()
}

async fn set_public(client: &Client, place: Place, public: &str) -> crate::helpers::Page {
    let base = diagnostic(place);
    client.submit(&base, &format!("{base}/carte-publique"), &[("publique", public)]).await
}

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

async fn a_public_map_shows_everyone_its_published_sheets_and_nothing_else(app: TestApp) {
    let (agglopolys, angouleme) = project(&app);
    let provider = logged_in(&app, PROVIDER).await;
    let referent = logged_in(&app, REFERENT).await;
    let base = diagnostic(agglopolys);

    // The provider's sheets are published; one carries a contact and resources, which stay inside.
    let house = add_sheet(
        &provider,
        agglopolys,
        "acteur",
        &[
            ("name", "Maison des solidarités de Blois"),
            ("category", "associations"),
            ("domain", "citizen"),
            ("description", "Accueil sans rendez-vous pour les démarches."),
            ("publics", "Familles monoparentales"),
            ("engagement", "Ateliers mensuels avec les habitants"),
            ("resources", "Deux salariées, budget de 80 000 €"),
            ("contact", "Mme Dupont, 06 12 34 56 78"),
            ("address", "2 rue Porte-Chartraine, Blois"),
            ("lat", "47.5861"),
            ("lon", "1.3359"),
        ],
    )
    .await;
    let library = add_sheet(
        &provider,
        agglopolys,
        "espace",
        &[("name", "Médiathèque Maurice-Genevoix"), ("category", "mediatheque"), ("lat", "47.6016"), ("lon", "1.3187")],
    )
    .await;
    // A relation and a source with their notes: the network and the sources stay in the working space.
    let sheet = format!("{base}/fiches/{house}");
    provider
        .submit(
            &sheet,
            &format!("{sheet}/relations"),
            &[("kind", "utilise"), ("to_id", &library), ("intensity", "2"), ("note", "Une brouille depuis 2023")],
        )
        .await
        .assert_status(303);
    provider
        .submit(
            &format!("{base}/sources/nouvelle"),
            &format!("{base}/sources"),
            &[
                ("kind", "interview"),
                ("title", "Entretien avec la directrice"),
                ("notes", "Elle craint la fermeture du local."),
                ("mentions", &house),
            ],
        )
        .await
        .assert_status(303);
    // The referent proposes two sheets: one waits, the provider refuses the other with a note.
    let waiting = add_sheet(
        &referent,
        agglopolys,
        "acteur",
        &[
            ("name", "Collectif des locataires Croix-Chevalier"),
            ("category", "collectifs_habitants"),
            ("domain", "citizen"),
        ],
    )
    .await;
    let refused = add_sheet(
        &referent,
        agglopolys,
        "acteur",
        &[("name", "Un doublon de la maison"), ("category", "associations"), ("domain", "citizen")],
    )
    .await;
    let queue = format!("/projets/{}/diagnostic/moderation", agglopolys.project_id);
    provider
        .submit(
            &queue,
            &queue,
            &[("what", "fiche"), ("id", &refused), ("decision", "refuser"), ("note", "Doublon d’une autre fiche")],
        )
        .await
        .assert_redirect(&queue);

    // Not public yet: nothing anywhere.
    let visitor = app.client();
    visitor.get(&public(agglopolys)).await.assert_status(404);
    visitor.get(&format!("{}/fiches/{house}", public(agglopolys))).await.assert_status(404);
    assert_eq!(json(&visitor.get("/api/v1/maps").await.body)["data"], serde_json::json!([]));
    provider
        .get(&base)
        .await
        .assert_contains("La carte n’est pas publique")
        .assert_contains("Rendre la carte publique");

    set_public(&provider, agglopolys, "oui").await.assert_redirect(&format!("{base}#carte-publique"));
    provider
        .get(&base)
        .await
        .assert_contains("La carte est publique depuis le")
        .assert_contains(&format!("href=\"{}\"", public(agglopolys)))
        .assert_contains("Retirer la carte publique");
    let maps = json(&visitor.get("/api/v1/maps").await.body);
    let api_map = maps["data"][0]["geojson"].as_str().unwrap().to_owned();
    assert_eq!(maps["data"][0]["sheets"], 2, "the two published sheets: {maps}");
    assert_eq!(maps["data"].as_array().unwrap().len(), 1, "Angoulême's map is not public");

    // What every surface must show, and what none may, for every reader.
    let shown = [
        "Maison des solidarités de Blois",
        "Accueil sans rendez-vous pour les démarches.",
        "Familles monoparentales",
        "Ateliers mensuels avec les habitants",
        "2 rue Porte-Chartraine, Blois",
        "Médiathèque Maurice-Genevoix",
    ];
    let private = [
        ("a sheet's contact", "06 12 34 56 78"),
        ("a sheet's resources", "budget de 80 000"),
        ("a proposed sheet", "Croix-Chevalier"),
        ("a refused sheet", "Un doublon de la maison"),
        ("a moderation note", "Doublon d’une autre fiche"),
        ("a relation's note", "Une brouille depuis 2023"),
        ("a source", "Entretien avec la directrice"),
        ("a source's notes", "craint la fermeture"),
        ("a sheet of a map not public", "Service démocratie locale"),
        ("a sheet of a map not public", "France services Basseau"),
    ];
    let surfaces = [
        public(agglopolys),
        format!("{}?type=actor", public(agglopolys)),
        format!("{}/fiches/{house}", public(agglopolys)),
        format!("{}/export.geojson", public(agglopolys)),
        format!("{}/export.csv", public(agglopolys)),
        "/api/v1/maps".to_owned(),
        api_map.clone(),
        "/donnees-ouvertes/cartes_publiques.csv".to_owned(),
        format!("/projets/{}", agglopolys.project_id),
    ];
    let outsider = logged_in(&app, OUTSIDER).await;
    let readers =
        [("a visitor", &visitor), ("someone of another collectivity", &outsider), ("the referent", &referent)];
    let mut everything = String::new();
    for (who, reader) in readers {
        for surface in &surfaces {
            // The project page shows its working space to the referent, who belongs to it.
            if who == "the referent" && surface.ends_with(&format!("/projets/{}", agglopolys.project_id)) {
                continue;
            }
            let page = reader.get(surface).await;
            assert_eq!(page.status, 200, "{who} reads {surface}");
            // JSON escapes apostrophes not, but a CSV doubles quotes and a JSON string escapes line breaks: the
            // words checked hold neither.
            for (what, text) in private {
                assert!(!page.body.contains(text), "{who} reads {what} at {surface}: {text}");
            }
            everything.push_str(&page.body);
        }
    }
    for text in shown {
        assert!(everything.contains(text), "the public map shows {text}");
    }
    // The page frames the map, its table links to the public sheets; the sheet page says no more than it should.
    let page = visitor.get(&public(agglopolys)).await;
    page.assert_contains("role=\"img\"")
        .assert_contains(&format!("href=\"{}/fiches/{house}\"", public(agglopolys)))
        .assert_lacks(&format!("href=\"{base}"));
    visitor
        .get(&format!("{}/fiches/{house}", public(agglopolys)))
        .await
        .assert_contains("<dt>Commune</dt><dd>Blois (41018)</dd>")
        .assert_lacks("Contact institutionnel")
        .assert_lacks("Ressources");
    // A proposed, a refused or another territory's sheet has no public page.
    let angouleme_sheet = with_conn(&app, |conn| {
        encommun::storage::diagnostic::entries_of_territory(conn, angouleme).unwrap()[0].id.to_string()
    });
    for id in [&waiting, &refused, &angouleme_sheet] {
        visitor.get(&format!("{}/fiches/{id}", public(agglopolys))).await.assert_status(404);
    }
    visitor.get(&public(angouleme)).await.assert_status(404);
    // The GeoJSON: one feature per published sheet, a point where it lies, properties without the private ones.
    let collection = json(&visitor.get(&api_map).await.body);
    let features = collection["features"].as_array().unwrap();
    assert_eq!(features.len(), 2);
    let house_feature = features.iter().find(|f| f["properties"]["identifiant"] == house.as_str()).unwrap();
    assert_eq!(house_feature["geometry"]["coordinates"], serde_json::json!([1.3359, 47.5861]));
    assert_eq!(house_feature["properties"]["nom_commune"], "Blois");
    for column in ["contact", "ressources", "id_source"] {
        assert!(house_feature["properties"].get(column).is_none(), "{column}");
    }
    let api_page = visitor.get(&api_map).await;
    assert_eq!(api_page.headers.get("content-type").map(String::as_str), Some("application/geo+json"));

    // Withdrawn: gone from the page, the downloads, the API and open data.
    set_public(&provider, agglopolys, "non").await.assert_redirect(&format!("{base}#carte-publique"));
    visitor.get(&public(agglopolys)).await.assert_status(404);
    visitor.get(&format!("{}/export.geojson", public(agglopolys))).await.assert_status(404);
    visitor.get(&api_map).await.assert_status(404);
    assert_eq!(json(&visitor.get("/api/v1/maps").await.body)["data"], serde_json::json!([]));
    visitor.get("/donnees-ouvertes/cartes_publiques.csv").await.assert_lacks("Maison des solidarités");
}

async fn only_the_leads_publish_and_twice_is_once(app: TestApp) {
    let (agglopolys, _) = project(&app);
    let referent = logged_in(&app, REFERENT).await;
    let admin = logged_in(&app, ADMIN).await;
    let base = diagnostic(agglopolys);
    // The referent reads the diagnostic but does not decide what is public.
    referent.get(&base).await.assert_contains("La carte n’est pas publique").assert_lacks("Rendre la carte publique");
    set_public(&referent, agglopolys, "oui").await.assert_status(403);
    app.client().get(&public(agglopolys)).await.assert_status(404);
    // Agglopolys's page says the projects it takes part in, and links its map once it is public.
    let territory = "/territoires/epci/200030385";
    app.client()
        .get(territory)
        .await
        .assert_contains("Dans les projets partagés")
        .assert_contains("— participante")
        .assert_lacks("la carte du diagnostic");
    // The agency publishes; a double click publishes once, tells it, and the project's activity says it once.
    set_public(&admin, agglopolys, "oui").await.assert_redirect(&format!("{base}#carte-publique"));
    set_public(&admin, agglopolys, "oui").await.assert_redirect(&format!("{base}#carte-publique"));
    admin.get(&base).await.assert_contains("La carte était déjà publique.");
    let overview = format!("/projets/{}/diagnostic", agglopolys.project_id);
    admin.get(&overview).await.assert_contains(&format!("<a href=\"{}\">Publique", public(agglopolys)));
    let project = app.client().get(&format!("/projets/{}", agglopolys.project_id)).await;
    project.assert_contains(&format!("href=\"{}\"", public(agglopolys)));
    assert_eq!(project.body.matches("La carte du diagnostic").count(), 1, "one activity entry");
    app.client()
        .get(territory)
        .await
        .assert_contains(&format!("<a href=\"{}\">la carte du diagnostic</a>", public(agglopolys)));
    // A map without a sheet is public and says so.
    app.client()
        .get(&public(agglopolys))
        .await
        .assert_status(200)
        .assert_contains("Aucune fiche publiée pour l’instant.");
    // A choice that is neither is refused; withdrawn twice is withdrawn once.
    set_public(&admin, agglopolys, "peut-être").await.assert_status(400);
    set_public(&admin, agglopolys, "non").await.assert_status(303);
    set_public(&admin, agglopolys, "non").await.assert_status(303);
    admin.get(&base).await.assert_contains("La carte n’était pas publique.");
    // Public again, then Agglopolys leaves the project: its map is shown nowhere, though its row stays.
    set_public(&admin, agglopolys, "oui").await.assert_status(303);
    app.client().get(&public(agglopolys)).await.assert_status(200);
    with_conn(&app, |conn| {
        let referent = encommun::storage::users::find_user_by_email(conn, REFERENT).unwrap().unwrap();
        encommun::storage::write_transaction(conn, |conn| {
            encommun::storage::projects::withdraw(
                conn,
                agglopolys.project_id,
                agglopolys.collectivity_id,
                referent.id,
                encommun::domain::project::Withdrawal::GiveUpSeat,
                "CA de Blois",
            )
        })
        .unwrap();
    });
    app.client().get(&public(agglopolys)).await.assert_status(404);
    assert_eq!(json(&app.client().get("/api/v1/maps").await.body)["data"], serde_json::json!([]));
    app.client().get(territory).await.assert_lacks("la carte du diagnostic");
}

//! National geography: établissements publics territoriaux, every kind of code a real file carries for a commune,
//! and places placed in the finest outline known when they carry no code.

use encommun::domain::diagnostic::{EntryKind, NewEntry, SheetFields};
use encommun::domain::territory::TerritoryKind;
use encommun::import::boundaries::import_boundaries;
use encommun::import::territories::{import_files, parse_file, ImportOptions, ImportReport};
use encommun::storage::boundaries::{Gazetteer, Placement};
use encommun::storage::diagnostic::{import_entries, ImportedRow, Place};
use encommun::storage::territories::{communes_of_ept, find_territory};
use encommun::storage::write_transaction;

use crate::fixtures::{self, PASSWORD};
use crate::helpers::{shared_data, with_conn, TestApp, NATIONAL_FILES};
use crate::on_both_backends;
use crate::shared_data::SharedData;

on_both_backends!(
    epts_and_every_kind_of_commune_code_are_imported,
    a_point_is_placed_in_the_finest_outline_known,
    an_ept_acts_for_its_communes_and_a_territory_page_draws_its_outline,
    a_map_frames_its_territory_and_lists_the_places_beyond_apart,
);

const ADMIN: &str = "agence@exemple.fr";

const OUTLINES: [&str; 3] = [
    "boundaries/epci-6-departements-dissolved.geojson",
    "boundaries/departements-simplifies.geojson",
    "boundaries/communes-6-departements.geojson",
];

/// Every territory file: régions, départements, EPCI, communes, EPT and the codes of every kind of commune.
fn import_national_territories(app: &TestApp, data: &SharedData) -> ImportReport {
    let files: Vec<_> = NATIONAL_FILES.iter().map(|f| parse_file(&data.path(f)).unwrap()).collect();
    with_conn(app, |conn| import_files(conn, &files, &ImportOptions::default(), &mut |_| {}, &mut |_| {}).unwrap())
}

async fn epts_and_every_kind_of_commune_code_are_imported(app: TestApp) {
    let Some(data) = shared_data(&NATIONAL_FILES) else { return };
    for _ in 0..2 {
        let report = import_national_territories(&app, &data);
        assert_eq!(report.counts.get(&TerritoryKind::Ept), Some(&11));
        // The file's codes of communes merged since, déléguées, associées and arrondissements that are not a current
        // commune's own code (an independent count over the same file).
        assert_eq!(report.commune_codes, 4_285);
    }
    with_conn(&app, |conn| {
        let plaine = find_territory(conn, TerritoryKind::Ept, "200057867").unwrap().unwrap();
        assert_eq!(plaine.name, "Plaine Commune");
        assert_eq!((plaine.departement_code.as_deref(), plaine.region_code.as_deref()), (Some("93"), Some("11")));
        let members: Vec<String> = communes_of_ept(conn, "200057867").unwrap().into_iter().map(|c| c.name).collect();
        assert_eq!(members.len(), 8);
        assert_eq!(members[0], "Saint-Denis", "most populated first");
        let gazetteer = Gazetteer::load(conn).unwrap();
        let mut commune = |code: &str| find_territory(conn, TerritoryKind::Commune, code).unwrap().unwrap().id;
        let current = |code: &str| gazetteer.commune_by_code.get(code).copied();
        // Pierrefitte-sur-Seine merged into Saint-Denis; an arrondissement of Paris; a commune déléguée.
        assert_eq!(current("93059"), Some(commune("93066")));
        assert_eq!(current("75112"), Some(commune("75056")));
        assert_eq!(current("13202"), Some(commune("13055")));
        assert_eq!(current("49069"), Some(commune("49126")));
        assert_eq!(current("86066"), Some(commune("86066")), "a current code is its own");
    });
}

async fn a_point_is_placed_in_the_finest_outline_known(app: TestApp) {
    let Some(data) = shared_data(&[&NATIONAL_FILES[..], &OUTLINES].concat()) else { return };
    import_national_territories(&app, &data);
    let read = |file: &str| data.text(&format!("boundaries/{file}"));
    with_conn(&app, |conn| {
        import_boundaries(conn, &read("epci-6-departements-dissolved.geojson")).unwrap();
        import_boundaries(conn, &read("departements-simplifies.geojson")).unwrap();
        let gazetteer = Gazetteer::load(conn).unwrap();
        let agglopolys = find_territory(conn, TerritoryKind::Epci, "200030385").unwrap().unwrap().id;
        // The France services of Blois, in an EPCI outline where no commune outline is known.
        assert_eq!(
            gazetteer.at(1.309648, 47.59411),
            Placement { commune_id: None, epci_id: Some(agglopolys), departement_code: Some("41".into()) }
        );
        // Lyon: no EPCI outline there, the département's.
        assert_eq!(
            gazetteer.at(4.8357, 45.764),
            Placement { departement_code: Some("69".into()), ..Placement::default() }
        );
        // At sea.
        assert_eq!(gazetteer.at(-5.0, 46.0), Placement::default());
        let blois = find_territory(conn, TerritoryKind::Commune, "41018").unwrap().unwrap().id;
        assert_eq!(
            gazetteer.of_commune(blois),
            Placement { commune_id: Some(blois), epci_id: Some(agglopolys), departement_code: Some("41".into()) }
        );
        // Once commune outlines are known, the commune's.
        import_boundaries(conn, &read("communes-6-departements.geojson")).unwrap();
        assert_eq!(Gazetteer::load(conn).unwrap().at(1.309648, 47.59411).commune_id, Some(blois));
    });
}

async fn an_ept_acts_for_its_communes_and_a_territory_page_draws_its_outline(app: TestApp) {
    // Plaine Commune is an EPT on the platform, with Saint-Denis among its communes.
    with_conn(&app, |conn| {
        fixtures::territories(conn);
        fixtures::outlines(conn);
        fixtures::collectivity(conn, TerritoryKind::Ept, "200057867");
    });
    let page = app.client().get("/territoires/ept/200057867").await;
    page.assert_status(200)
        .assert_contains("<h1>Plaine Commune</h1>")
        .assert_contains("Établissement public territorial")
        .assert_contains("<dt>Sur la plateforme</dt><dd>Oui")
        .assert_contains(">Saint-Denis</a>")
        .assert_lacks("class=\"map-outline\"");
    app.client().get("/territoires/commune/93066").await.assert_contains(
        "<dt>Établissement public territorial</dt><dd><a href=\"/territoires/ept/200057867\">Plaine Commune</a>",
    );
    let Some(data) = shared_data(&[OUTLINES[2]]) else { return };
    with_conn(&app, |conn| import_boundaries(conn, &data.text(OUTLINES[2])).unwrap());
    // Once outlines are known, the public page draws them: Saint-Denis's for Plaine Commune, Blois's for itself.
    app.client()
        .get("/territoires/ept/200057867")
        .await
        .assert_contains("Carte de Plaine Commune et de sa commune")
        .assert_contains("class=\"map-commune\"");
    app.client().get("/territoires/commune/41018").await.assert_contains("class=\"map-outline\"");
}

async fn a_map_frames_its_territory_and_lists_the_places_beyond_apart(app: TestApp) {
    let Some(data) = shared_data(&[OUTLINES[2]]) else { return };
    let path = with_conn(&app, |conn| {
        fixtures::territories(conn);
        fixtures::outlines(conn);
        import_boundaries(conn, &data.text(OUTLINES[2])).unwrap();
        let admin = fixtures::agency_admin(conn, ADMIN, "Claire Dubois");
        let agglopolys = fixtures::collectivity(conn, TerritoryKind::Epci, "200030385");
        let project_id = fixtures::project(conn, &admin).participant(&agglopolys).create().id;
        let place = Place { project_id, collectivity_id: agglopolys.id };
        // Two places in Blois, three in Paris.
        let points = [(1.3096, 47.5941), (1.3350, 47.5860), (2.35, 48.85), (2.30, 48.87), (2.40, 48.84)];
        let rows: Vec<ImportedRow> = points
            .iter()
            .enumerate()
            .map(|(i, (lon, lat))| {
                let fields = SheetFields {
                    name: format!("Lieu {i}"),
                    category: "mairie".into(),
                    domain: "citizen".into(),
                    lat: lat.to_string(),
                    lon: lon.to_string(),
                    ..SheetFields::default()
                };
                let entry = NewEntry::parse(EntryKind::Space, &fields, &["mairie".into()]).unwrap();
                ImportedRow { external_id: Some(i.to_string()), entry, placement: Placement::default() }
            })
            .collect();
        write_transaction(conn, |conn| import_entries(conn, place, EntryKind::Space, &rows, admin.id)).unwrap();
        format!("/projets/{}/diagnostic/{}?type=space&categorie=mairie", place.project_id, place.collectivity_id)
    });
    let admin = app.client();
    admin.login(ADMIN, PASSWORD).await.assert_redirect("/");
    let page = admin.get(&path).await;
    page.assert_status(200).assert_contains("3 fiches hors du territoire").assert_contains(">Lieu 3</a>");
    let markers = page.body.split("<g class=\"map-markers\">").nth(1).unwrap().split("</g>").next().unwrap();
    assert_eq!(markers.matches("<path ").count(), 2, "only the places of Agglopolys are drawn: {markers}");
}

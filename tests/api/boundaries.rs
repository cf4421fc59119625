//! Territory outlines: every shared GeoJSON file imports against the official territories, stale codes (communes
//! merged since 2018) are reported, a file of points only is refused whole, and points find their commune.

use encommun::domain::territory::TerritoryKind;
use encommun::geo::shapes::AreaIndex;
use encommun::import::boundaries::import_boundaries;
use encommun::import::territories::{import_files, parse_file, ImportOptions};
use encommun::storage::boundaries::{areas_of_kind, count_boundaries_by_kind};
use encommun::storage::territories::find_territory_by_id;

use crate::fixtures;
use crate::helpers::{shared_data, with_conn, TestApp, TERRITORY_FILES};
use crate::on_both_backends;

on_both_backends!(
    every_shared_outline_file_imports_and_points_find_their_commune,
    the_agency_uploads_outlines_and_reads_what_matched,
    invalid_outlines_and_unknown_epci_codes_are_reported,
);

/// Posts `data` as the file of the upload form at `path`, as a browser would.
async fn upload(client: &crate::helpers::Client, path: &str, data: &str) -> crate::helpers::Page {
    client.upload(path, path, &[], "contours.geojson", data.as_bytes()).await
}

async fn the_agency_uploads_outlines_and_reads_what_matched(app: TestApp) {
    let Some(data) = shared_data(&[
        "boundaries/departement-41-single-feature.geojson",
        "anct/epci-points-lambert93.geojson",
        "boundaries/epci-6-departements-dissolved.geojson",
        "boundaries/communes-6-departements.geojson",
    ]) else {
        return;
    };
    let shared = |file: &str| data.text(file);
    let group = with_conn(&app, |conn| {
        fixtures::territories(conn);
        fixtures::outlines(conn);
        let admin = fixtures::agency_admin(conn, "agence@exemple.fr", "Claire Dubois");
        let agglopolys = fixtures::collectivity(conn, TerritoryKind::Epci, "200030385");
        let project = fixtures::project(conn, &admin).participant(&agglopolys).create();
        format!("/projets/{}/groupes/{}", project.id, agglopolys.id)
    });
    let admin = fixtures::logged_in(&app, "agence@exemple.fr").await;
    // The demo's simplified outlines of its six départements.
    admin
        .get("/admin/contours")
        .await
        .assert_status(200)
        .assert_contains("<strong>6</strong> départements avec un contour");
    // The demo knows Loir-et-Cher: its outline, a single Feature, replaces the demo's.
    let page = upload(&admin, "/admin/contours", &shared("boundaries/departement-41-single-feature.geojson")).await;
    page.assert_status(200)
        .assert_contains("1 contour(s) enregistré(s) — départements")
        .assert_contains("<strong>6</strong> départements avec un contour");
    // Lambert-93 points only: refused whole, in French.
    let page = upload(&admin, "/admin/contours", &shared("anct/epci-points-lambert93.geojson")).await;
    page.assert_status(422).assert_contains("Aucun contour ne correspond").assert_contains("Rien n’a été importé");
    // Agglopolys's outline and Blois's: the group page of its inquiry group draws them, the commune listed.
    upload(&admin, "/admin/contours", &shared("boundaries/epci-6-departements-dissolved.geojson"))
        .await
        .assert_status(200);
    upload(&admin, "/admin/contours", &shared("boundaries/communes-6-departements.geojson")).await.assert_status(200);
    let page = admin.get(&group).await;
    page.assert_status(200)
        .assert_contains("Carte de CA de Blois «\u{202f}Agglopolys\u{202f}» et de sa commune")
        .assert_contains("class=\"map-outline\"")
        .assert_contains("<li>Blois<span class=\"meta\"> (47219 hab.)</span></li>");
    let page = upload(&admin, "/admin/contours", "{\"type\": \"Nimporte\"}").await;
    page.assert_status(422).assert_contains("FeatureCollection ou une Feature");
}

async fn every_shared_outline_file_imports_and_points_find_their_commune(app: TestApp) {
    let outlines = [
        "anct/epci-points-lambert93.geojson",
        "boundaries/communes-86-cog2018.geojson",
        "boundaries/communes-6-departements.geojson",
        "boundaries/epci-6-departements-dissolved.geojson",
        "boundaries/departements-simplifies.geojson",
        "boundaries/departement-41-single-feature.geojson",
        "places/mairies-6-departements.csv",
    ];
    let Some(data) = shared_data(&[&TERRITORY_FILES[..], &outlines].concat()) else { return };
    let shared = |file: &str| data.text(file);
    let files: Vec<_> = TERRITORY_FILES.iter().map(|f| parse_file(&data.path(f)).unwrap()).collect();
    with_conn(&app, |conn| {
        import_files(conn, &files, &ImportOptions { skip_invalid: false }, &mut |_| {}, &mut |_| {}).unwrap();
        // Nothing matches yet: a file of points only is refused, and nothing is written.
        let points = import_boundaries(conn, &shared("anct/epci-points-lambert93.geojson")).unwrap_err();
        assert!(points.contains("Aucun contour"), "{points}");
        assert!(count_boundaries_by_kind(conn).unwrap().is_empty());

        let report = import_boundaries(conn, &shared("boundaries/communes-86-cog2018.geojson")).unwrap();
        assert_eq!(report.stored, [(TerritoryKind::Commune, 265)]);
        let unknown: Vec<&str> = report.unknown.iter().map(|(_, code)| code.as_str()).collect();
        assert_eq!(
            unknown,
            ["86021", "86056", "86166", "86277", "86043", "86067", "86188", "86231", "86278"],
            "the 2018 communes merged since"
        );
        assert!(report.unknown.iter().all(|(kind, _)| *kind == TerritoryKind::Commune));
        let report = import_boundaries(conn, &shared("boundaries/communes-6-departements.geojson")).unwrap();
        assert_eq!(report.stored, [(TerritoryKind::Commune, 2136)]);
        assert!(report.unknown.is_empty());
        // Valid rings, as shapely's `is_simple` also finds for every ring of these files.
        assert!(report.self_intersecting.is_empty());
        assert_eq!(report.without_outline[0].1, 34_969 - 2136, "the communes still without an outline are counted");
        let report = import_boundaries(conn, &shared("boundaries/epci-6-departements-dissolved.geojson")).unwrap();
        assert_eq!(report.stored, [(TerritoryKind::Epci, 67)]);
        let (kind, count, names) = &report.without_outline[0];
        assert_eq!((*kind, *count, names.len()), (TerritoryKind::Epci, 1255 - 67, 30));
        assert!(names.windows(2).all(|w| w[0] <= w[1]), "named in order");
        let report = import_boundaries(conn, &shared("boundaries/departements-simplifies.geojson")).unwrap();
        assert_eq!(report.stored, [(TerritoryKind::Departement, 96)]);
        // A single Feature, not a collection: Loir-et-Cher's finer outline replaces the simplified one.
        let report = import_boundaries(conn, &shared("boundaries/departement-41-single-feature.geojson")).unwrap();
        assert_eq!(report.stored, [(TerritoryKind::Departement, 1)]);

        let mut counts = count_boundaries_by_kind(conn).unwrap();
        counts.sort();
        // Importing 86 twice (2018, then the current file) leaves one outline per commune.
        assert_eq!(counts, [("commune".to_owned(), 2136), ("departement".to_owned(), 96), ("epci".to_owned(), 67)]);

        // Town halls find their commune: Blois, Châtellerault, Cahors (coordinates of mairies-6-departements.csv).
        let index = AreaIndex::new(areas_of_kind(conn, TerritoryKind::Commune).unwrap(), 0.05);
        let halls_file = shared("places/mairies-6-departements.csv");
        let mut halls = csv::Reader::from_reader(halls_file.as_bytes());
        let mut found = 0;
        for row in halls.records() {
            let row = row.unwrap();
            let (code, lon, lat) = (&row[0], row[10].parse::<f64>(), row[11].parse::<f64>());
            let (Ok(lon), Ok(lat)) = (lon, lat) else { continue };
            if ["41018", "86066", "46042"].contains(&code) {
                let territory = index.locate(lon, lat).and_then(|id| find_territory_by_id(conn, *id).unwrap()).unwrap();
                assert_eq!(territory.code, code);
                found += 1;
            }
        }
        assert_eq!(found, 3);
    });
}

/// A ring crossing itself is stored but reported, and a code of no known EPCI is said to be one.
async fn invalid_outlines_and_unknown_epci_codes_are_reported(app: TestApp) {
    with_conn(&app, |conn| {
        fixtures::territories(conn);
        fixtures::outlines(conn);
        fixtures::agency_admin(conn, "agence@exemple.fr", "Claire Dubois");
    });
    let file = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"code":"41018"},"geometry":{"type":"Polygon","coordinates":[[[1.30,47.58],[1.34,47.61],[1.34,47.58],[1.30,47.61],[1.30,47.58]]]}},
        {"type":"Feature","properties":{"code":"200000172"},"geometry":{"type":"Polygon","coordinates":[[[1.0,47.0],[1.1,47.0],[1.1,47.1],[1.0,47.0]]]}}
    ]}"#;
    let admin = app.client();
    admin.login("agence@exemple.fr", fixtures::PASSWORD).await.assert_redirect("/");
    upload(&admin, "/admin/contours", file)
        .await
        .assert_status(200)
        .assert_contains("1 contour(s) invalide(s) : leur bord se croise lui-même")
        .assert_contains("41018.")
        .assert_contains("1 code(s) d’intercommunalités inconnus de la plateforme : 200000172.")
        .assert_lacks("communes fusionnées");
}

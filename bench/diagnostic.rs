//! Bench (bench/diagnostic.sh): on a database holding the demo, the official territories and the communes'
//! outlines, (1) imports ANCT's 2,845 France services into Grand Angoulême's diagnostic through the same code as
//! the web (read, column mapping, checks, one transaction), then again (every row updated); (2) seeds MARKERS
//! sheets inside Agglopolys's perimeter and times the drawing of its map, printing the SVG's size.
//! Usage: diagnostic DATABASE_URL SHARED_DATA_DIR [MARKERS]
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: a bench fixture stops at the first failure

use std::time::{Duration, Instant};

use encommun::domain::diagnostic::{Domain, EntryKind, NewEntry, SheetFields, FAMILIES, SPACE_TYPES};
use encommun::domain::territory::TerritoryKind;
use encommun::import::places::{plan, read_table, suggest, Communes, Mapping};
use encommun::storage::boundaries::Gazetteer;
use encommun::storage::collectivities::find_collectivity_of_territory;
use encommun::storage::diagnostic::{import_entries, insert_entry, Author, Place};
use encommun::storage::territories::find_territory;
use encommun::storage::users::find_user_by_email;
use encommun::storage::{establish, write_transaction, DatabaseUrl, DbConnection};
use encommun::web::projects::diagnostic::map::{draw_map, Marker};
use encommun::web::projects::perimeter::Perimeter;

fn place_of(conn: &mut DbConnection, project_id: i64, siren: &str) -> Place {
    let territory = find_territory(conn, TerritoryKind::Epci, siren).unwrap().unwrap();
    Place { project_id, collectivity_id: find_collectivity_of_territory(conn, territory.id).unwrap().unwrap().id }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("usage: diagnostic DATABASE_URL SHARED_DATA_DIR [MARKERS]");
    let data = std::path::PathBuf::from(args.next().expect("SHARED_DATA_DIR"));
    let markers: usize = args.next().map_or(5_000, |n| n.parse().expect("MARKERS"));
    let mut conn = establish(&DatabaseUrl::parse(&url)).unwrap();
    let admin = find_user_by_email(&mut conn, "agence@demo.encommun.fr").unwrap().expect("the demo is loaded").id;
    let project =
        encommun::demo::project(&mut conn, encommun::demo::ENROLMENT_PROJECT).unwrap().expect("the demo is loaded").id;

    // (1) France services, as the web imports them.
    let angouleme = place_of(&mut conn, project, "200071827");
    let text = std::fs::read_to_string(data.join("places/france-services-2024-08-01.csv")).unwrap();
    let mut import = |label: &str| {
        let started = Instant::now();
        let table = read_table(&text).unwrap();
        let read = started.elapsed();
        let mapping = Mapping {
            kind: EntryKind::Space,
            targets: suggest(&table.headers),
            default_category: "france_services".into(),
            default_domain: Domain::Citizen,
            inside_only: false,
        };
        let gazetteer = Gazetteer::load(&mut conn).unwrap();
        let lookups = started.elapsed() - read;
        let categories: Vec<(String, String)> =
            SPACE_TYPES.iter().map(|(c, l)| (c.to_string(), l.to_string())).collect();
        let communes = Communes { gazetteer: &gazetteer, of_territory: &[], territory_id: 0 };
        let checked = plan(&table, &mapping, &categories, &communes);
        assert!(checked.errors.is_empty(), "{:?}", &checked.errors[..3.min(checked.errors.len())]);
        let planned = started.elapsed() - read - lookups;
        let (added, updated) = write_transaction(&mut conn, |conn| {
            import_entries(conn, angouleme, EntryKind::Space, &checked.rows, admin)
        })
        .unwrap();
        let total = started.elapsed();
        println!(
            "import France services ({label}) : {} lignes, {added} ajoutées, {updated} mises à jour, {} placées par leur point — \
             lecture {:.3} s, codes et contours {:.3} s, contrôle {:.3} s, écriture {:.3} s, total {:.3} s",
            table.rows.len(),
            checked.located,
            read.as_secs_f64(),
            lookups.as_secs_f64(),
            planned.as_secs_f64(),
            (total - read - lookups - planned).as_secs_f64(),
            total.as_secs_f64()
        );
    };
    import("premier import");
    import("réimport");

    // (2) MARKERS sheets inside Agglopolys's perimeter, then its map.
    let agglopolys = place_of(&mut conn, project, "200030385");
    let territory = find_territory(&mut conn, TerritoryKind::Epci, "200030385").unwrap().unwrap();
    let perimeter = Perimeter::load(&mut conn, &territory).unwrap().expect("Agglopolys's outlines are imported");
    let bbox = perimeter.boxes().into_iter().reduce(|a, b| encommun::geo::shapes::BBox {
        min_lon: a.min_lon.min(b.min_lon),
        min_lat: a.min_lat.min(b.min_lat),
        max_lon: a.max_lon.max(b.max_lon),
        max_lat: a.max_lat.max(b.max_lat),
    });
    let bbox = bbox.unwrap();
    let mut state: u64 = 7;
    let mut next = || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let author = Author { user_id: admin, publishes: true };
    let started = Instant::now();
    let mut seeded = Vec::with_capacity(markers);
    write_transaction(&mut conn, |conn| {
        for n in 0..markers {
            let (kind, (category, _)) = if n % 3 == 0 {
                (EntryKind::Space, SPACE_TYPES[n % SPACE_TYPES.len()])
            } else {
                (EntryKind::Actor, FAMILIES[n % FAMILIES.len()])
            };
            let lon = bbox.min_lon + next() * (bbox.max_lon - bbox.min_lon);
            let lat = bbox.min_lat + next() * (bbox.max_lat - bbox.min_lat);
            let fields = SheetFields {
                name: format!("Fiche de mesure {n}"),
                category: category.to_string(),
                domain: if n % 2 == 0 { "citizen" } else { "thematic" }.into(),
                lat: lat.to_string(),
                lon: lon.to_string(),
                ..SheetFields::default()
            };
            let entry = NewEntry::parse(kind, &fields, &[category.to_string()]).unwrap();
            insert_entry(conn, agglopolys, &entry, &Default::default(), None, author)?;
            seeded.push((lon, lat, kind, n % 12, fields.name));
        }
        Ok::<_, diesel::result::Error>(())
    })
    .unwrap();
    let seeding = started.elapsed();
    let drawn: Vec<Marker> = seeded
        .iter()
        .map(|(lon, lat, kind, rank, name)| Marker { lon: *lon, lat: *lat, kind: *kind, rank: *rank, name })
        .collect();
    let mut times: Vec<Duration> = Vec::new();
    let mut size = 0;
    for _ in 0..15 {
        let started = Instant::now();
        let svg = draw_map(Some(&perimeter), &drawn, "Carte de mesure", 800.0).unwrap().into_string();
        times.push(started.elapsed());
        size = svg.len();
    }
    times.sort();
    println!(
        "carte de {markers} marqueurs dans le périmètre d'Agglopolys (43 communes) : dessin médian {:.1} ms (min {:.1}, max {:.1}), SVG {:.0} Ko ; {markers} fiches écrites en {:.2} s",
        times[times.len() / 2].as_secs_f64() * 1000.0,
        times[0].as_secs_f64() * 1000.0,
        times[times.len() - 1].as_secs_f64() * 1000.0,
        size as f64 / 1024.0,
        seeding.as_secs_f64()
    );
    println!("{} {} {}", agglopolys.project_id, agglopolys.collectivity_id, angouleme.collectivity_id);
}

//! Open data, as `web::opendata`: every dataset's CSV has the columns its README documents and rows of the demo; the
//! zip holds them all with the README and the licence; nothing private is in any file.

use std::io::Read;

use diesel::prelude::*;
use encommun::storage::schema::{measurements, restitution_quotes};
use encommun::web::opendata::{DATASETS, README, ZIP};

use crate::fixtures;
use crate::helpers::{with_conn, TestApp};
use crate::on_both_backends;

on_both_backends!(open_data_files_have_their_documented_columns_and_nothing_private);

/// A CSV's records, header first.
fn records(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(!bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 without a byte order mark");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|r| r.expect("a valid CSV record").iter().map(str::to_owned).collect())
        .collect()
}

async fn open_data_files_have_their_documented_columns_and_nothing_private(app: TestApp) {
    app.load_demo();
    // A quote shortened by the group, as the restitution's chooser lets it: the answer's original stays inside.
    with_conn(&app, fixtures::shorten_a_quote);
    let visitor = app.client();
    let index = visitor.get("/donnees-ouvertes").await;
    index.assert_status(200).assert_contains("Licence Ouverte 2.0");
    let readme = visitor.get(&format!("/donnees-ouvertes/{README}")).await;
    readme.assert_status(200);
    let mut files = Vec::new();
    for dataset in &DATASETS {
        index.assert_contains(&format!("/donnees-ouvertes/{}", dataset.file));
        let page = visitor.get(&format!("/donnees-ouvertes/{}", dataset.file)).await;
        page.assert_status(200);
        assert_eq!(page.headers.get("content-type").map(String::as_str), Some("text/csv; charset=utf-8"));
        let records = records(&page.bytes);
        let header: Vec<&str> = dataset.columns.iter().map(|(name, _)| *name).collect();
        assert_eq!(records[0], header, "{}: the header is the documented columns", dataset.file);
        assert!(records.len() > 1, "{}: the demo has rows", dataset.file);
        assert!(records.iter().all(|r| r.len() == header.len()), "{}: one value per column", dataset.file);
        for (name, meaning) in dataset.columns {
            assert!(readme.body.contains(&format!("| `{name}` | {meaning} |")), "{name} documented");
        }
        files.push((dataset.file, page.bytes.clone()));
    }
    visitor.get("/donnees-ouvertes/secret.csv").await.assert_status(404);
    // The demo's figures where they are known: Grand Châtellerault's adopted plan and its measurements.
    let actions = records(&files.iter().find(|(f, _)| *f == "actions_adoptees.csv").unwrap().1);
    assert!(actions.iter().any(|r| r[2] == "248600413" && r[7].starts_with("Un bus France services")));
    let indicators = records(&files.iter().find(|(f, _)| *f == "indicateurs.csv").unwrap().1);
    assert!(indicators.iter().any(|r| r[6] == "mesure" && r[8] == "190"));
    // Grand Châtellerault's public map: its published sheets, placed in their commune.
    let sheets = records(&files.iter().find(|(f, _)| *f == "cartes_publiques.csv").unwrap().1);
    let centre = sheets.iter().find(|r| r[5] == "Centre socioculturel d’Ozon").expect("the demo's public map");
    assert_eq!((centre[1].as_str(), centre[15].as_str()), ("248600413", "86066"));
    // The zip: the README, the licence, and the same files.
    let zip = visitor.get(&format!("/donnees-ouvertes/{ZIP}")).await;
    zip.assert_status(200);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.bytes.clone())).expect("a zip");
    let mut names: Vec<String> = archive.file_names().map(str::to_owned).collect();
    names.sort();
    let mut expected: Vec<String> = DATASETS.iter().map(|d| d.file.to_owned()).collect();
    expected.extend([README.to_owned(), "LICENCE.txt".to_owned()]);
    expected.sort();
    assert_eq!(names, expected);
    for (file, bytes) in &files {
        let mut inside = Vec::new();
        archive.by_name(file).unwrap().read_to_end(&mut inside).unwrap();
        assert_eq!(records(&inside), records(bytes), "{file} in the zip");
    }
    // Nothing private: proposals, a measurement's comment, an answer's original beside its chosen quote.
    let mut private: Vec<String> = vec![
        "Tiers-lieux et services publics de proximité".into(),
        "Une conférence citoyenne sur l’alimentation".into(),
        "Blois Citoyens".into(),
        // A public map's sheet's contact and resources, a sheet proposed, another refused.
        "05 49 20 00 00".into(),
        "410 000".into(),
        "Permanence du Secours populaire de Naintré".into(),
        "Guichet unique du Châtelleraudais".into(),
    ];
    with_conn(&app, |conn| {
        private.extend(
            measurements::table
                .select(measurements::comment)
                .load::<String>(conn)
                .unwrap()
                .into_iter()
                .filter(|c| c.len() > 3),
        );
        let quotes: Vec<(String, String)> = restitution_quotes::table
            .select((restitution_quotes::original, restitution_quotes::text))
            .load(conn)
            .unwrap();
        private.extend(quotes.into_iter().filter(|(o, t)| o != t).map(|(o, _)| o));
    });
    assert!(private.len() >= 5, "the demo has a measurement's comment and a shortened quote: {private:?}");
    let everything: String = files.iter().map(|(_, b)| String::from_utf8_lossy(b).into_owned()).collect();
    for text in &private {
        assert!(!everything.contains(text.as_str()), "open data shows {text}");
    }
}

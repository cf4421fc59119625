//! Importing the official territory files and searching collectivities.

use std::path::{Path, PathBuf};

use encommun::domain::territory::TerritoryKind;
use encommun::import::territories::{import_files, parse_file, ImportError, ImportOptions, ImportReport};
use encommun::storage::territories::{count_territories_by_kind, search_territories, TerritorySearch};

use crate::fixtures;
use crate::helpers::{shared_data, with_conn, TestApp, TERRITORY_FILES};
use crate::on_both_backends;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The real files of shared/data, when this checkout has them beside it.
fn official_files() -> Option<Vec<PathBuf>> {
    let data = shared_data(&TERRITORY_FILES)?;
    Some(TERRITORY_FILES.iter().map(|f| data.path(f)).collect())
}

fn import(app: &TestApp, files: &[PathBuf], skip_invalid: bool) -> Result<ImportReport, ImportError> {
    let parsed: Vec<_> = files.iter().map(|f| parse_file(f).expect("file recognised")).collect();
    with_conn(app, |conn| import_files(conn, &parsed, &ImportOptions { skip_invalid }, &mut |_| {}, &mut |_| {}))
}

fn counts(app: &TestApp) -> Vec<(String, i64)> {
    let mut counts = with_conn(app, |conn| count_territories_by_kind(conn).unwrap());
    counts.sort();
    counts
}

fn search(app: &TestApp, query: &str) -> Vec<String> {
    let words = encommun::domain::text::fold(query).split(' ').map(str::to_owned).collect();
    with_conn(app, |conn| search_territories(conn, &TerritorySearch { words, kind: None, limit: 50 }).unwrap())
        .into_iter()
        .map(|t| t.name)
        .collect()
}

on_both_backends!(
    the_official_files_import_completely_and_idempotently,
    broken_files_are_refused_whole,
    a_file_with_bad_rows_imports_nothing_and_says_why,
    skip_invalid_imports_the_good_rows,
    search_is_accent_and_case_insensitive_by_name_code_and_postcode,
    the_official_file_s_line_101_is_named_101_with_either_line_ending,
);

async fn the_official_files_import_completely_and_idempotently(app: TestApp) {
    let Some(files) = official_files() else { return };
    let report = import(&app, &files, false).expect("official files import");
    assert_eq!(report.counts[&TerritoryKind::Commune], 34_969);
    assert_eq!(report.counts[&TerritoryKind::Epci], 1_255);
    let expected = vec![
        ("commune".to_owned(), 34_969),
        ("departement".to_owned(), 109),
        ("epci".to_owned(), 1_255),
        ("region".to_owned(), 26),
    ];
    assert_eq!(counts(&app), expected);
    import(&app, &files, false).expect("second import");
    assert_eq!(counts(&app), expected, "re-importing changes nothing");

    let found = search(&app, "chatellerault");
    assert!(found.contains(&"CA Grand Châtellerault".to_owned()), "{found:?}");
    assert!(found.contains(&"Châtellerault".to_owned()), "{found:?}");
    assert_eq!(search(&app, "86066"), vec!["Châtellerault"]);
    assert_eq!(search(&app, "248600413"), vec!["CA Grand Châtellerault"]);
    // Official names quote with two apostrophes or ASCII quotes: stored with French guillemets.
    assert_eq!(search(&app, "200030385"), vec!["CA de Blois «\u{202f}Agglopolys\u{202f}»"]);
    assert_eq!(search(&app, "agglopolys"), vec!["CA de Blois «\u{202f}Agglopolys\u{202f}»"]);
    // An EPCI gets the département most of its communes are in.
    let page = app.client().get("/territoires/epci/248600413").await;
    page.assert_status(200).assert_contains("Vienne (86)").assert_contains("47 communes membres");
    let page = app.client().get("/collectivites?q=CHATELLERAULT").await;
    page.assert_status(200).assert_contains("Communauté d’agglomération").assert_contains(">Châtellerault</a>");
}

/// The official communes file's first 100 lines (its header and 99 communes), then at line 101 a row with one value
/// too many, all ended by `ending` except, when `final_ending` is false, the last. The file itself ends its lines with
/// CRLF, as most spreadsheets export.
pub fn communes_head_with_a_bad_line_101(ending: &str, final_ending: bool) -> Option<String> {
    let file = "territories/communes-2026.csv";
    let text = shared_data(&[file])?.text(file);
    assert!(text.contains("\r\n"), "the official file ends its lines with CRLF");
    let lines: Vec<&str> = text.lines().take(100).collect();
    let bad = format!("{},en trop", lines[99]);
    let mut head = [&lines[..], &[bad.as_str()]].concat().join(ending);
    if final_ending {
        head.push_str(ending);
    }
    Some(head)
}

async fn the_official_file_s_line_101_is_named_101_with_either_line_ending(app: TestApp) {
    for (ending, final_ending) in [("\r\n", true), ("\r\n", false), ("\n", true), ("\n", false)] {
        let Some(head) = communes_head_with_a_bad_line_101(ending, final_ending) else { return };
        let parsed = encommun::import::territories::parse_bytes("communes-2026.csv", head.as_bytes()).unwrap();
        assert_eq!(parsed.rows.len(), 99);
        let error =
            with_conn(&app, |conn| import_files(conn, &[parsed], &ImportOptions::default(), &mut |_| {}, &mut |_| {}))
                .expect_err("a bad row refuses the file");
        let ImportError::InvalidRows(rows) = error else { panic!("unexpected error {error}") };
        let messages: Vec<String> = rows.iter().map(ToString::to_string).collect();
        assert_eq!(messages, ["communes-2026.csv, ligne 101 : 13 champs au lieu de 12"], "{ending:?} {final_ending}");
    }
    assert!(counts(&app).is_empty(), "nothing imported");
}

async fn broken_files_are_refused_whole(app: TestApp) {
    let header = "code_insee,nom,departement,departement_nom,region,region_nom,population,codes_postaux,siren_commune,epci_siren,epci_nom,epci_type\n";
    let good = "86066,Châtellerault,86,Vienne,75,Nouvelle-Aquitaine,31003,86100,218600666,248600413,CA Grand Châtellerault,CA\n";
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("vide.csv", Vec::new(), "fichier vide"),
        ("blancs.csv", b"  \n\n".to_vec(), "fichier vide"),
        ("latin1.csv", [header.as_bytes(), b"86067,Ch\xe2tellerault,86,Vienne,75,NA,1,86100,,,,\n"].concat(), "UTF-8"),
        ("tronque.csv", [header, good, "86067,Colombi"].concat().into_bytes(), "champs au lieu de 12"),
        ("tronque.json", br#"[{"code":"248600413","nom":"CA Grand Ch"#.to_vec(), "JSON invalide"),
        ("objet.json", br#"{"type":"FeatureCollection","features":[]}"#.to_vec(), "n’est pas un fichier de communes"),
        (
            "script.csv",
            [header, good, "86067,<script>alert(1)</script>,86,Vienne,75,NA,-5,86100,,,,\n"].concat().into_bytes(),
            "population invalide",
        ),
    ];
    for (name, bytes, expected) in cases {
        let message = match encommun::import::territories::parse_bytes(name, &bytes) {
            Err(file_error) => file_error.to_string(),
            Ok(parsed) => {
                let error = with_conn(&app, |conn| {
                    import_files(conn, &[parsed], &ImportOptions::default(), &mut |_| {}, &mut |_| {})
                })
                .expect_err(name);
                match error {
                    ImportError::InvalidRows(rows) => {
                        rows.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
                    }
                    other => other.to_string(),
                }
            }
        };
        assert!(message.contains(expected), "{name}: {message}");
        assert!(message.starts_with(name), "{name}: the message names the file: {message}");
    }
    assert!(counts(&app).is_empty(), "nothing imported from any broken file");
}

async fn a_file_with_bad_rows_imports_nothing_and_says_why(app: TestApp) {
    let error = import(&app, &[fixture("communes-bad.csv")], false).expect_err("bad rows refuse the import");
    let ImportError::InvalidRows(rows) = error else { panic!("unexpected error {error}") };
    let messages: Vec<String> = rows.iter().map(ToString::to_string).collect();
    let expected = [
        "communes-bad.csv, ligne 3 : code INSEE invalide « 8607 »",
        "communes-bad.csv, ligne 4 : population invalide « -40 »",
        "communes-bad.csv, ligne 5 : code postal invalide « 8600 »",
        "communes-bad.csv, ligne 6 : code INSEE 86066 en double (déjà ligne 2)",
        "communes-bad.csv, ligne 7 : 5 champs au lieu de 12",
        "communes-bad.csv, ligne 8 : nom manquant",
        "communes-bad.csv, ligne 9 : SIREN invalide « 248600414 » (la clé de contrôle ne correspond pas)",
        "communes-bad.csv, ligne 10 : type d’EPCI inconnu « XX »",
    ];
    assert_eq!(messages.len(), expected.len(), "{messages:#?}");
    for (message, start) in messages.iter().zip(expected) {
        assert!(message.starts_with(start), "{message} does not start with {start}");
    }
    assert!(counts(&app).is_empty(), "nothing imported");
}

async fn skip_invalid_imports_the_good_rows(app: TestApp) {
    let report = import(&app, &[fixture("communes-bad.csv")], true).expect("imports with skip");
    assert_eq!(report.skipped.len(), 8);
    assert_eq!(counts(&app), vec![("commune".to_owned(), 2)]);
    assert_eq!(search(&app, "saint georges les baillargeaux"), vec!["Saint-Georges-lès-Baillargeaux"]);
}

async fn search_is_accent_and_case_insensitive_by_name_code_and_postcode(app: TestApp) {
    with_conn(&app, fixtures::territories);
    let client = app.client();
    for query in ["chatellerault", "CHÂTELLERAULT", "Chatel", "86100", "86066"] {
        let page = client.get(&format!("/collectivites?q={}", encommun::web::error::url_encode(query))).await;
        page.assert_status(200).assert_contains(">Châtellerault</a>");
    }
    client
        .get("/collectivites?q=248600413")
        .await
        .assert_contains("1 résultat")
        .assert_contains(">CA Grand Châtellerault</a>");
    let page = client.get("/collectivites?q=chatellerault").await;
    page.assert_contains(">CA Grand Châtellerault</a>").assert_contains("2 résultats");
    // Saint-Denis has three postcodes; each finds it.
    client.get("/collectivites?q=93380").await.assert_contains(">Saint-Denis</a>");
    client.get("/collectivites?q=xyzzy").await.assert_contains("Aucune collectivité ne correspond");
    client.get("/collectivites?q=blois&type=commune").await.assert_contains(">Blois</a>").assert_lacks("Agglopolys");
    client.get("/collectivites?q=%25%27%3B--").await.assert_status(200);
    client.get("/collectivites?q=blois&type=inconnu").await.assert_status(200);
}

#[test]
fn the_command_line_reports_bad_rows_and_imports_nothing() {
    let data_dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_encommun"))
        .args(["import-territories"])
        .arg(fixture("communes-bad.csv"))
        .env("ENCOMMUN_DATA_DIR", data_dir.path())
        .env_remove("ENCOMMUN_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("communes-bad.csv, ligne 3 : code INSEE invalide"), "{stderr}");
    assert!(stderr.contains("8 ligne(s) invalide(s) : rien n’a été importé"), "{stderr}");

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_encommun"))
        .args(["import-territories", "--skip-invalid"])
        .arg(fixture("communes-bad.csv"))
        .env("ENCOMMUN_DATA_DIR", data_dir.path())
        .env_remove("ENCOMMUN_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("communes : 2"));
}

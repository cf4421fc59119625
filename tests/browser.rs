//! Runs the real-browser suite (tests/browser/run.mjs: Chromium + axe-core) against the binary cargo just built.
//! Without Chromium, Node.js or the npm packages the test says it was skipped, except under `CI=true`, where the
//! suite must run (`.ci/run` installs what it needs). Its uploads are files of ../shared/data: without them it is
//! skipped in the same way.

use std::path::Path;
use std::process::Command;

#[allow(dead_code)] // reason: this binary only checks that the files are there; the suite reads them itself
#[path = "support/shared_data.rs"]
mod shared_data;

/// The files the suite uploads, passed to it by these variables.
const UPLOADS: [(&str, &str); 3] = [
    ("ENCOMMUN_XLSFORM", "questionnaires/xlsform-civil-society-survey-de.xlsx"),
    ("ENCOMMUN_TOWN_HALLS", "places/mairies-6-departements.csv"),
    ("ENCOMMUN_EPCI_OUTLINES", "boundaries/epci-6-departements-dissolved.geojson"),
];

#[test]
fn browser_suite() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let chromium = std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    let missing: Vec<&str> = [
        (!Path::new(&chromium).exists()).then_some("chromium"),
        (!node).then_some("node"),
        (!dir.join("node_modules/playwright-core").exists()).then_some("npm packages (cd tests/browser && npm ci)"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !missing.is_empty() {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true but the browser tests cannot run: {missing:?}"
        );
        eprintln!("browser tests skipped: missing {}", missing.join(", "));
        return;
    }
    let Some(data) = shared_data::shared_data(&UPLOADS.map(|(_, file)| file)) else { return };
    let status = Command::new("node")
        .args(["--test", "--test-concurrency=1", "--test-reporter=spec", "run.mjs"])
        .current_dir(&dir)
        .envs(UPLOADS.map(|(variable, file)| (variable, data.path(file))))
        .env("ENCOMMUN_BIN", env!("CARGO_BIN_EXE_encommun"))
        .env("ENCOMMUN_ARTEFACTS", dir.join("artefacts"))
        .env("CHROMIUM_PATH", &chromium)
        .status()
        .expect("node runs");
    assert!(status.success(), "browser suite failed (see its report above)");
}

//! Runs the real-browser suite (tests/browser/run.mjs: Chromium + axe-core) against the binary cargo just built.
//! Without Chromium, Node.js or the npm packages the test says it was skipped, except under `CI=true`, where the
//! suite must run (`.ci/run` installs what it needs).

use std::path::Path;
use std::process::Command;

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
    let status = Command::new("node")
        .args(["--test", "--test-concurrency=1", "--test-reporter=spec", "run.mjs"])
        .current_dir(&dir)
        .env("ENCOMMUN_BIN", env!("CARGO_BIN_EXE_encommun"))
        .env("ENCOMMUN_ARTEFACTS", dir.join("artefacts"))
        .env("CHROMIUM_PATH", &chromium)
        .status()
        .expect("node runs");
    assert!(status.success(), "browser suite failed (see its report above)");
}

//! The real open data of `../shared/data`, read by tests when the checkout has it beside it. A fresh clone has
//! not: there `cargo test` must still pass, so a test that needs these files says it was skipped — except under
//! `CI=true`, where skipping would hide the proof, and a missing file fails the test.
//!
//! One file, included by the library's unit tests (`src/lib.rs`), the API tests (`tests/api/main.rs`) and the
//! browser suite's runner (`tests/browser.rs`), so that every reader of shared data skips and fails the same way.

use std::path::{Path, PathBuf};

/// Where the shared data lives: `../shared/data` beside the checkout, or the folder `ENCOMMUN_TEST_SHARED_DATA`
/// names (a missing folder there shows what a fresh clone sees).
fn shared_dir() -> PathBuf {
    match std::env::var_os("ENCOMMUN_TEST_SHARED_DATA") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"),
    }
}

/// The files of the shared data a test reads, all of them named up front so that the test is skipped before it
/// starts rather than failing half-way.
pub struct SharedData {
    dir: PathBuf,
    files: Vec<String>,
}

/// `Some` when every one of `files` (paths under `shared/data`, such as `"territories/communes-2026.csv"`) is
/// there; otherwise the test is told to skip itself (`None`), or fails under `CI=true`.
pub fn shared_data(files: &[&str]) -> Option<SharedData> {
    let dir = shared_dir();
    let missing: Vec<&str> = files.iter().copied().filter(|f| !dir.join(f).is_file()).collect();
    if missing.is_empty() {
        return Some(SharedData { dir, files: files.iter().map(|f| (*f).to_owned()).collect() });
    }
    assert!(
        std::env::var("CI").map_or(true, |v| v != "true"),
        "under CI the shared data must be beside the checkout; missing in {}: {}",
        dir.display(),
        missing.join(", ")
    );
    eprintln!("shared data absent from {} ({}): test skipped", dir.display(), missing.join(", "));
    None
}

impl SharedData {
    /// The path of a file named to `shared_data`.
    pub fn path(&self, file: &str) -> PathBuf {
        assert!(self.files.iter().any(|f| f == file), "{file} must be named to shared_data() before it is read");
        self.dir.join(file)
    }

    pub fn text(&self, file: &str) -> String {
        let path = self.path(file);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    pub fn bytes(&self, file: &str) -> Vec<u8> {
        let path = self.path(file);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }
}

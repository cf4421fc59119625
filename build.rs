//! Rebuilds when a migration is added or changed: `embed_migrations!` reads the folders at compile time, but cargo
//! only watches Rust sources.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}

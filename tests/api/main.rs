//! Integration tests: one binary, the real application on port 0, each test with its own database. Tests that
//! touch storage run on SQLite and PostgreSQL (`on_both_backends!`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: a failing test should stop at the failing line

mod fixtures;
mod helpers;
// Also included by the library's unit tests: one reader of ../shared/data for both.
#[path = "../support/shared_data.rs"]
mod shared_data;

mod hostile;

mod accounts;
mod boundaries;
mod demo;
mod digests;
mod geography;
mod inspiration;
mod invitations;
mod matrix;
mod opendata;
mod outbox;
mod page_cache;
mod pages;
mod password_reset;
mod programmes;
mod projects;
mod public_api;
mod races;
mod resources;
mod roles;
mod search;
mod shell;
mod territories;
mod themes;

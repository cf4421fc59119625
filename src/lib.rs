//! encommun: the platform of shared projects between territories. `main.rs` only wires; everything lives here.

pub mod commands;
pub mod config;
pub mod demo;
pub mod domain;
pub mod geo;
pub mod import;
pub mod jobs;
pub mod mail;
pub mod security;
pub mod startup;
pub mod storage;
pub mod web;
pub mod xlsx;

// The integration tests' reader of ../shared/data, shared so that unit tests skip the same way on a fresh clone.
#[cfg(test)]
#[path = "../tests/support/shared_data.rs"]
mod shared_data;

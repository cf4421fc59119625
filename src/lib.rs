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

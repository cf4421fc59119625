//! Pure rules of the platform: parsed types and their invariants. This module imports neither actix nor diesel;
//! error messages are French because they are shown to users as they are.

pub mod account;
pub mod activity;
pub mod calendar;
pub mod capitalisation;
pub mod codesign;
pub mod community;
pub mod diagnostic;
pub mod digest;
pub mod inquiry;
pub mod inspiration;
pub mod markdown;
pub mod network;
pub mod newsletter;
pub mod paris;
pub mod plan;
pub mod programme;
pub mod project;
pub mod questionnaire;
pub mod readability;
pub mod resources;
pub mod restitution;
pub mod steering;
pub mod territory;
pub mod text;
pub mod theme;
pub mod xlsform;

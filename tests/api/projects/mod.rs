//! Shared projects, as `web::projects`: a project's life (selection, enrolment, phases, events, news), its inquiry
//! groups, diagnostic, newsletters and questionnaires.

mod capitalisation;
mod codesign;
mod committee;
mod community;
mod diagnostic;
mod inquiry;
mod lifecycle;
mod newsletters;
mod plans;
mod public_maps;
pub mod questionnaires;
mod restitution;

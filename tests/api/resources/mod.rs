//! The resource base, as `web::resources`: experience reports and the directory of actors.

mod directory;
mod reports;

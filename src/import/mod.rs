//! Imports of official files. Parsing is pure (file → validated rows + errors with their line); storing happens in
//! one transaction, so a rejected import writes nothing.

pub mod boundaries;
pub mod csv_lines;
pub mod places;
pub mod territories;

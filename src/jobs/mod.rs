//! Work done beside the requests, on every instance: queuing the digests and the reminders that are due, sending
//! the outbox.

pub mod digests;
pub mod exchanges;
pub mod outbox;
pub mod reminders;
pub mod resources;
pub mod restitutions;
pub mod steering;

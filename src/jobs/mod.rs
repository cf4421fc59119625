//! Work done beside the requests, on every instance: queuing the digests that are due, sending the outbox.

pub mod digests;
pub mod outbox;

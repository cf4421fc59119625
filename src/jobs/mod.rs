//! Work done beside the requests, on every instance: sending the outbox.

pub mod outbox;

-- Outgoing e-mail that must go exactly once (digests, newsletters): written in the transaction that decides to
-- send, then sent by a worker. The idempotency key (a subscription and its period, a newsletter and its recipient)
-- makes queueing the same message twice a no-op. A worker claims due messages for a lease: a message whose lease
-- ran out (its worker died) is due again.
CREATE TABLE outbox_messages (
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    -- the one-click unsubscribe link (RFC 8058), when the message belongs to a subscription
    unsubscribe_url TEXT,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_by TEXT,
    claimed_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_messages_due ON outbox_messages (state, next_attempt_at);

-- Who follows which project by e-mail, and how often. Members of a project's participant and observer
-- collectivities are subscribed (weekly) by default. A subscription remembers the last activity entry it told of,
-- so that no item is told twice, and the last period it was considered for, so that one digest at most goes per
-- period (the outbox's idempotency key makes that certain across instances).
CREATE TABLE subscriptions (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    frequency TEXT NOT NULL CHECK (frequency IN ('immediate', 'daily', 'weekly', 'off')),
    weekday INTEGER NOT NULL DEFAULT 1 CHECK (weekday BETWEEN 1 AND 7),
    last_activity_id BIGINT NOT NULL DEFAULT 0,
    last_period TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, project_id)
);
CREATE INDEX subscriptions_frequency ON subscriptions (frequency);

ALTER TABLE outbox_messages DROP COLUMN calendar;
ALTER TABLE activity_log DROP COLUMN event_id;
CREATE TABLE subscriptions_old (
    id INTEGER PRIMARY KEY,
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
INSERT INTO subscriptions_old
SELECT s.id, b.user_id, s.project_id, s.frequency, s.weekday, s.last_activity_id, s.last_period, s.created_at,
       s.updated_at
FROM subscriptions s JOIN subscribers b ON b.id = s.subscriber_id
WHERE b.user_id IS NOT NULL AND s.project_id IS NOT NULL;
DROP TABLE subscriptions;
ALTER TABLE subscriptions_old RENAME TO subscriptions;
CREATE INDEX subscriptions_frequency ON subscriptions (frequency);
DROP TABLE subscribers;

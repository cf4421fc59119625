-- A subscriber is whoever receives digests: a platform user (their address is their account's), or anyone who
-- subscribed to a public project or theme with an e-mail address and confirmed it (double opt-in). Digests are
-- prepared per subscriber, one message per day grouping all their subscriptions due that day; touching
-- `digests_prepared_at` first locks the subscriber while their digest is prepared (two instances never both do it).
CREATE TABLE subscribers (
    id INTEGER PRIMARY KEY,
    user_id BIGINT UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    email TEXT UNIQUE,
    digests_prepared_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    CHECK ((user_id IS NULL) <> (email IS NULL))
);
INSERT INTO subscribers (user_id, created_at) SELECT user_id, MIN(created_at) FROM subscriptions GROUP BY user_id;

-- A subscription follows a project or a theme. One not yet confirmed (`confirmed_at` NULL: an address waiting for
-- its double opt-in) sends nothing and is deleted after a week. The table is rebuilt (SQLite cannot drop a
-- NOT NULL); its columns keep PostgreSQL's order.
CREATE TABLE subscriptions_new (
    id INTEGER PRIMARY KEY,
    project_id BIGINT REFERENCES projects (id) ON DELETE CASCADE,
    frequency TEXT NOT NULL CHECK (frequency IN ('immediate', 'daily', 'weekly', 'off')),
    weekday INTEGER NOT NULL DEFAULT 1 CHECK (weekday BETWEEN 1 AND 7),
    last_activity_id BIGINT NOT NULL DEFAULT 0,
    last_period TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    subscriber_id BIGINT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    theme_id BIGINT REFERENCES themes (id) ON DELETE CASCADE,
    confirmed_at TIMESTAMP,
    CHECK ((project_id IS NULL) <> (theme_id IS NULL)),
    UNIQUE (subscriber_id, project_id),
    UNIQUE (subscriber_id, theme_id)
);
INSERT INTO subscriptions_new
SELECT s.id, s.project_id, s.frequency, s.weekday, s.last_activity_id, s.last_period, s.created_at, s.updated_at,
       b.id, NULL, s.created_at
FROM subscriptions s JOIN subscribers b ON b.user_id = s.user_id;
DROP TABLE subscriptions;
ALTER TABLE subscriptions_new RENAME TO subscriptions;
CREATE INDEX subscriptions_frequency ON subscriptions (frequency);
CREATE INDEX subscriptions_project ON subscriptions (project_id);
CREATE INDEX subscriptions_theme ON subscriptions (theme_id);

-- The event an entry announces: digests attach it as an iCalendar file.
ALTER TABLE activity_log ADD COLUMN event_id BIGINT REFERENCES events (id) ON DELETE SET NULL;
-- An iCalendar file sent as an attachment (a digest's events).
ALTER TABLE outbox_messages ADD COLUMN calendar TEXT;

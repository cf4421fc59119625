-- Signed links and outbox keys name subscribers and subscriptions by id: an id must never come back after a
-- deletion (an old link would open someone else's preferences, or confirm their subscription). SQLite reuses the
-- largest rowid unless the table is AUTOINCREMENT; PostgreSQL's sequences never go back (nothing to do there).
-- Both tables are rebuilt: the new ones first, then the old ones dropped (subscriptions first, which references
-- subscribers), then renamed (SQLite rewrites the reference).
CREATE TABLE subscribers_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    email TEXT UNIQUE,
    digests_prepared_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    CHECK ((user_id IS NULL) <> (email IS NULL))
);
INSERT INTO subscribers_new SELECT id, user_id, email, digests_prepared_at, created_at FROM subscribers;
CREATE TABLE subscriptions_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id BIGINT REFERENCES projects (id) ON DELETE CASCADE,
    frequency TEXT NOT NULL CHECK (frequency IN ('immediate', 'daily', 'weekly', 'off')),
    weekday INTEGER NOT NULL DEFAULT 1 CHECK (weekday BETWEEN 1 AND 7),
    last_activity_id BIGINT NOT NULL DEFAULT 0,
    last_period TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    subscriber_id BIGINT NOT NULL REFERENCES subscribers_new (id) ON DELETE CASCADE,
    theme_id BIGINT REFERENCES themes (id) ON DELETE CASCADE,
    confirmed_at TIMESTAMP,
    CHECK (project_id IS NULL OR theme_id IS NULL),
    UNIQUE (subscriber_id, project_id),
    UNIQUE (subscriber_id, theme_id)
);
INSERT INTO subscriptions_new
SELECT id, project_id, frequency, weekday, last_activity_id, last_period, created_at, updated_at, subscriber_id,
       theme_id, confirmed_at
FROM subscriptions;
DROP TABLE subscriptions;
DROP TABLE subscribers;
ALTER TABLE subscribers_new RENAME TO subscribers;
ALTER TABLE subscriptions_new RENAME TO subscriptions;
CREATE INDEX subscriptions_frequency ON subscriptions (frequency);
CREATE INDEX subscriptions_project ON subscriptions (project_id);
CREATE INDEX subscriptions_theme ON subscriptions (theme_id);
CREATE UNIQUE INDEX subscriptions_all_themes ON subscriptions (subscriber_id)
    WHERE project_id IS NULL AND theme_id IS NULL;

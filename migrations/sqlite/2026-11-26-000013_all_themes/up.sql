-- A subscription with neither project nor theme follows the themes as a whole: new themes open for positioning,
-- themes merged, archived or selected into a project. One per subscriber. Members of collectivities follow them,
-- weekly, from now on (the table is rebuilt: SQLite cannot change a CHECK).
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
    CHECK (project_id IS NULL OR theme_id IS NULL),
    UNIQUE (subscriber_id, project_id),
    UNIQUE (subscriber_id, theme_id)
);
INSERT INTO subscriptions_new SELECT * FROM subscriptions;
DROP TABLE subscriptions;
ALTER TABLE subscriptions_new RENAME TO subscriptions;
CREATE INDEX subscriptions_frequency ON subscriptions (frequency);
CREATE INDEX subscriptions_project ON subscriptions (project_id);
CREATE INDEX subscriptions_theme ON subscriptions (theme_id);
CREATE UNIQUE INDEX subscriptions_all_themes ON subscriptions (subscriber_id)
    WHERE project_id IS NULL AND theme_id IS NULL;

INSERT INTO subscribers (user_id, created_at)
SELECT DISTINCT m.user_id, CURRENT_TIMESTAMP FROM memberships m
WHERE NOT EXISTS (SELECT 1 FROM subscribers s WHERE s.user_id = m.user_id);
INSERT INTO subscriptions (subscriber_id, frequency, weekday, last_activity_id, confirmed_at, created_at, updated_at)
SELECT s.id, 'weekly', 1, COALESCE((SELECT MAX(id) FROM activity_log), 0), CURRENT_TIMESTAMP, CURRENT_TIMESTAMP,
       CURRENT_TIMESTAMP
FROM subscribers s
WHERE s.user_id IN (SELECT user_id FROM memberships);

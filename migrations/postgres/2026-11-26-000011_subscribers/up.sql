-- A subscriber is whoever receives digests: a platform user (their address is their account's), or anyone who
-- subscribed to a public project or theme with an e-mail address and confirmed it (double opt-in). Digests are
-- prepared per subscriber, one message per day grouping all their subscriptions due that day; touching
-- `digests_prepared_at` first locks the subscriber while their digest is prepared (two instances never both do it).
CREATE TABLE subscribers (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    email TEXT UNIQUE,
    digests_prepared_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    CHECK ((user_id IS NULL) <> (email IS NULL))
);
INSERT INTO subscribers (user_id, created_at) SELECT user_id, MIN(created_at) FROM subscriptions GROUP BY user_id;

-- A subscription follows a project or a theme. One not yet confirmed (`confirmed_at` NULL: an address waiting for
-- its double opt-in) sends nothing and is deleted after a week.
ALTER TABLE subscriptions ADD COLUMN subscriber_id BIGINT REFERENCES subscribers (id) ON DELETE CASCADE;
UPDATE subscriptions s SET subscriber_id = b.id FROM subscribers b WHERE b.user_id = s.user_id;
ALTER TABLE subscriptions ALTER COLUMN subscriber_id SET NOT NULL;
ALTER TABLE subscriptions DROP COLUMN user_id;
ALTER TABLE subscriptions ALTER COLUMN project_id DROP NOT NULL;
ALTER TABLE subscriptions ADD COLUMN theme_id BIGINT REFERENCES themes (id) ON DELETE CASCADE;
ALTER TABLE subscriptions ADD COLUMN confirmed_at TIMESTAMP;
UPDATE subscriptions SET confirmed_at = created_at;
ALTER TABLE subscriptions ADD CHECK ((project_id IS NULL) <> (theme_id IS NULL));
ALTER TABLE subscriptions ADD UNIQUE (subscriber_id, project_id);
ALTER TABLE subscriptions ADD UNIQUE (subscriber_id, theme_id);
CREATE INDEX subscriptions_project ON subscriptions (project_id);
CREATE INDEX subscriptions_theme ON subscriptions (theme_id);

-- The event an entry announces: digests attach it as an iCalendar file.
ALTER TABLE activity_log ADD COLUMN event_id BIGINT REFERENCES events (id) ON DELETE SET NULL;
-- An iCalendar file sent as an attachment (a digest's events).
ALTER TABLE outbox_messages ADD COLUMN calendar TEXT;

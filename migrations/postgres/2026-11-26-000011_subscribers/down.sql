ALTER TABLE outbox_messages DROP COLUMN calendar;
ALTER TABLE activity_log DROP COLUMN event_id;
DELETE FROM subscriptions s USING subscribers b
WHERE b.id = s.subscriber_id AND (b.user_id IS NULL OR s.project_id IS NULL);
ALTER TABLE subscriptions ADD COLUMN user_id BIGINT REFERENCES users (id) ON DELETE CASCADE;
UPDATE subscriptions s SET user_id = b.user_id FROM subscribers b WHERE b.id = s.subscriber_id;
ALTER TABLE subscriptions ALTER COLUMN user_id SET NOT NULL;
ALTER TABLE subscriptions ALTER COLUMN project_id SET NOT NULL;
ALTER TABLE subscriptions DROP COLUMN subscriber_id;
ALTER TABLE subscriptions DROP COLUMN theme_id;
ALTER TABLE subscriptions DROP COLUMN confirmed_at;
ALTER TABLE subscriptions ADD UNIQUE (user_id, project_id);
DROP INDEX IF EXISTS subscriptions_project;
DROP TABLE subscribers;

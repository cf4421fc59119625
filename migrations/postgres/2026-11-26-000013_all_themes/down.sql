DELETE FROM subscriptions WHERE project_id IS NULL AND theme_id IS NULL;
DROP INDEX subscriptions_all_themes;
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_check;
ALTER TABLE subscriptions ADD CHECK ((project_id IS NULL) <> (theme_id IS NULL));

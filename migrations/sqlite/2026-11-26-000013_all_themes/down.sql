DELETE FROM subscriptions WHERE project_id IS NULL AND theme_id IS NULL;
DROP INDEX subscriptions_all_themes;

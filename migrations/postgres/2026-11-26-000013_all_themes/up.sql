-- A subscription with neither project nor theme follows the themes as a whole: new themes open for positioning,
-- themes merged, archived or selected into a project. One per subscriber. Members of collectivities follow them,
-- weekly, from now on.
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_check;
ALTER TABLE subscriptions ADD CHECK (project_id IS NULL OR theme_id IS NULL);
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

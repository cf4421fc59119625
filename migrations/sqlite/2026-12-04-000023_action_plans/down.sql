-- The plan's tables go; `events` and `actions` keep their rebuilt shape, whose CHECKs accept every row the
-- previous code writes. Follow-up meetings go with the plans.
DELETE FROM events WHERE kind = 'follow_up';
DROP TABLE measurements;
DROP TABLE review_items;
DROP TABLE plan_reviews;
DROP TABLE indicator_targets;
DROP TABLE indicators;
DROP TABLE action_comments;
DROP TABLE action_evidence;
DROP TABLE action_milestones;
DROP TABLE action_fundings;
DROP TABLE action_partners;
UPDATE actions SET axis_id = NULL;
DROP TABLE plan_axes;
DROP TABLE adoption_acts;
DROP TABLE adoptions;
DROP TABLE plan_versions;
DROP TABLE action_plans;

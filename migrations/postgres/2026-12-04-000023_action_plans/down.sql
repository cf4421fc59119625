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
DROP INDEX actions_axis;
DROP INDEX actions_territory;
ALTER TABLE actions DROP CONSTRAINT actions_reason, DROP CONSTRAINT actions_late_reason,
    DROP CONSTRAINT actions_dates, DROP CONSTRAINT actions_status_check;
ALTER TABLE actions DROP COLUMN axis_id, DROP COLUMN position, DROP COLUMN lead_name, DROP COLUMN lead_entry_id,
    DROP COLUMN starts_on, DROP COLUMN ends_on, DROP COLUMN budget_cents, DROP COLUMN status_reason,
    DROP COLUMN priority, DROP COLUMN progress_mode, DROP COLUMN progress_manual, DROP COLUMN late_override,
    DROP COLUMN late_reason, DROP COLUMN revision, DROP COLUMN updated_by, DROP COLUMN updated_at;
UPDATE actions SET status = 'draft';
ALTER TABLE actions ALTER COLUMN status SET DEFAULT 'draft';
ALTER TABLE actions ADD CONSTRAINT actions_status_check CHECK (status IN ('draft'));
DROP TABLE plan_axes;
DROP TABLE adoption_acts;
DROP TABLE adoptions;
DROP TABLE plan_versions;
DROP TABLE action_plans;
DROP INDEX events_kind;
DELETE FROM events WHERE kind = 'follow_up';
ALTER TABLE events DROP CONSTRAINT events_follow_up_territory;
ALTER TABLE events DROP CONSTRAINT events_kind_check;
ALTER TABLE events ADD CONSTRAINT events_kind_check
    CHECK (kind IN ('meeting', 'local_seminar', 'inter_site_seminar', 'peer_exchange', 'supervision', 'workshop'));

ALTER TABLE events DROP COLUMN confirmed;
DELETE FROM events WHERE kind = 'steering_committee';
ALTER TABLE events DROP CONSTRAINT events_kind_check;
ALTER TABLE events ADD CONSTRAINT events_kind_check
    CHECK (kind IN ('meeting', 'local_seminar', 'inter_site_seminar', 'peer_exchange', 'supervision', 'workshop',
                    'follow_up', 'restitution'));
ALTER TABLE projects DROP COLUMN skipped_phases;
ALTER TABLE projects DROP COLUMN programme_version;
ALTER TABLE projects DROP COLUMN programme_id;
DROP TABLE programme_versions;
DROP TABLE programmes;

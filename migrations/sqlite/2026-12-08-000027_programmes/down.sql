PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
DELETE FROM events WHERE kind = 'steering_committee';
CREATE TABLE events_rebuilt (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('meeting', 'local_seminar', 'inter_site_seminar', 'peer_exchange',
                                       'supervision', 'workshop', 'follow_up', 'restitution')),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL CHECK (ends_at > starts_at),
    place TEXT,
    online_url TEXT,
    collectivity_id BIGINT REFERENCES collectivities (id),
    minutes TEXT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (place IS NOT NULL OR online_url IS NOT NULL),
    CHECK (kind NOT IN ('local_seminar', 'workshop', 'follow_up', 'restitution') OR collectivity_id IS NOT NULL)
);
INSERT INTO events_rebuilt SELECT id, project_id, kind, title, description, starts_at, ends_at, place, online_url,
    collectivity_id, minutes, created_by, created_at, updated_at FROM events;
DROP TABLE events;
ALTER TABLE events_rebuilt RENAME TO events;
CREATE INDEX events_project ON events (project_id, starts_at);
CREATE INDEX events_kind ON events (kind, starts_at);
ALTER TABLE projects DROP COLUMN skipped_phases;
ALTER TABLE projects DROP COLUMN programme_version;
ALTER TABLE projects DROP COLUMN programme_id;
DROP TABLE programme_versions;
DROP TABLE programmes;
COMMIT;
PRAGMA foreign_keys = ON;

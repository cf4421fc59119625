-- Programmes (docs/product.md § Programmes): templates a project is opened from — participant bounds, the phases
-- used and their durations, the seminar plan, the delegations' categories, a charter, the deliverables expected.
-- A programme's definition is kept whole, one row per version, so that a project says (and shows) the version it was
-- opened with even after the programme changed. The built-in programmes are written at start by the binary.
-- `events` gains a kind (« comité de pilotage ») and `confirmed`: the seminar plan's events are dated by the
-- calendar, to be confirmed; SQLite cannot change a CHECK in place, so `events` is rebuilt as in migration 000024.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE TABLE programmes (
    id INTEGER PRIMARY KEY,
    -- the built-in programmes' stable name in the binary; NULL for the agency's own
    built_in TEXT UNIQUE,
    name TEXT NOT NULL UNIQUE,
    current_version INTEGER NOT NULL CHECK (current_version >= 1),
    archived_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE programme_versions (
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    version INTEGER NOT NULL CHECK (version >= 1),
    -- the definition as its export file has it (JSON), read by domain::programme
    definition TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (programme_id, version)
);

ALTER TABLE projects ADD COLUMN programme_id BIGINT REFERENCES programmes (id);
ALTER TABLE projects ADD COLUMN programme_version INTEGER;
-- the phases of the lifecycle the project's programme does not use, as codes separated by spaces
ALTER TABLE projects ADD COLUMN skipped_phases TEXT NOT NULL DEFAULT '';

CREATE TABLE events_rebuilt (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('meeting', 'local_seminar', 'inter_site_seminar', 'peer_exchange',
                                       'supervision', 'workshop', 'follow_up', 'restitution', 'steering_committee')),
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
    confirmed BOOLEAN NOT NULL DEFAULT 1,
    CHECK (place IS NOT NULL OR online_url IS NOT NULL),
    CHECK (kind NOT IN ('local_seminar', 'workshop', 'follow_up', 'restitution') OR collectivity_id IS NOT NULL)
);
INSERT INTO events_rebuilt (id, project_id, kind, title, description, starts_at, ends_at, place, online_url,
                            collectivity_id, minutes, created_by, created_at, updated_at)
    SELECT id, project_id, kind, title, description, starts_at, ends_at, place, online_url, collectivity_id, minutes,
           created_by, created_at, updated_at FROM events;
DROP TABLE events;
ALTER TABLE events_rebuilt RENAME TO events;
CREATE INDEX events_project ON events (project_id, starts_at);
CREATE INDEX events_kind ON events (kind, starts_at);

COMMIT;
PRAGMA foreign_keys = ON;

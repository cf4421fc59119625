-- Programmes (docs/product.md § Programmes): templates a project is opened from — participant bounds, the phases
-- used and their durations, the seminar plan, the delegations' categories, a charter, the deliverables expected.
-- A programme's definition is kept whole, one row per version, so that a project says (and shows) the version it was
-- opened with even after the programme changed. The built-in programmes are written at start by the binary.
-- `events` gains a kind (« comité de pilotage ») and `confirmed`: the seminar plan's events are dated by the
-- calendar, to be confirmed.
CREATE TABLE programmes (
    id BIGSERIAL PRIMARY KEY,
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

ALTER TABLE events DROP CONSTRAINT events_kind_check;
ALTER TABLE events ADD CONSTRAINT events_kind_check
    CHECK (kind IN ('meeting', 'local_seminar', 'inter_site_seminar', 'peer_exchange', 'supervision', 'workshop',
                    'follow_up', 'restitution', 'steering_committee'));
ALTER TABLE events ADD COLUMN confirmed BOOLEAN NOT NULL DEFAULT TRUE;

-- Inspiration material published by the agency, attached to themes.
CREATE TABLE inspiration_resources (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    -- Markdown, rendered through the sanitiser
    body TEXT NOT NULL,
    -- one link per line: "https://… Label"
    links TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX inspiration_resources_created ON inspiration_resources (created_at);

CREATE TABLE inspiration_resource_themes (
    resource_id BIGINT NOT NULL REFERENCES inspiration_resources (id) ON DELETE CASCADE,
    theme_id BIGINT NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
    PRIMARY KEY (resource_id, theme_id)
);
CREATE INDEX inspiration_resource_themes_theme ON inspiration_resource_themes (theme_id);

-- A shared project, opened from one selected theme.
CREATE TABLE projects (
    id BIGSERIAL PRIMARY KEY,
    theme_id BIGINT NOT NULL UNIQUE REFERENCES themes (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    charter TEXT NOT NULL,
    min_participants INTEGER NOT NULL CHECK (min_participants >= 1),
    max_participants INTEGER NOT NULL CHECK (max_participants >= min_participants AND max_participants <= 100),
    -- maintained in the transaction that changes an enrolment; the CHECK is the last word on the cap
    active_participants INTEGER NOT NULL DEFAULT 0
        CHECK (active_participants >= 0 AND active_participants <= max_participants),
    phase TEXT NOT NULL CHECK (phase IN ('enrolment', 'provider_selection', 'diagnostic', 'co_design', 'adoption',
                                         'restitution', 'follow_up', 'closed')),
    provider_id BIGINT REFERENCES providers (id),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL CHECK (ends_on >= starts_on),
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX projects_provider ON projects (provider_id);

-- One enrolment per collectivity and project; a withdrawal keeps the row (status 'withdrawn').
CREATE TABLE enrolments (
    id BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('participant', 'observer')),
    status TEXT NOT NULL CHECK (status IN ('active', 'waitlisted', 'withdrawn')),
    charter_accepted_at TIMESTAMP,
    enrolled_by BIGINT NOT NULL REFERENCES users (id),
    -- arrival order, for the waiting list
    requested_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (project_id, collectivity_id),
    -- a participant has signed the charter
    CHECK (role = 'observer' OR charter_accepted_at IS NOT NULL),
    -- only participants wait for a seat
    CHECK (role = 'participant' OR status <> 'waitlisted')
);
CREATE INDEX enrolments_waiting ON enrolments (project_id, status, requested_at, id);
CREATE INDEX enrolments_collectivity ON enrolments (collectivity_id);

-- The dated history of a project's phases.
CREATE TABLE phase_transitions (
    id BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    from_phase TEXT,
    to_phase TEXT NOT NULL,
    note TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    at TIMESTAMP NOT NULL
);
CREATE INDEX phase_transitions_project ON phase_transitions (project_id, at);

-- Meetings and seminars of a project. A local event names the collectivity whose territory hosts it.
CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('meeting', 'local_seminar', 'inter_site_seminar', 'peer_exchange',
                                       'supervision')),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- local time in France, as people give and read it
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL CHECK (ends_at > starts_at),
    place TEXT,
    online_url TEXT,
    collectivity_id BIGINT REFERENCES collectivities (id),
    -- Markdown, written after the event
    minutes TEXT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (place IS NOT NULL OR online_url IS NOT NULL),
    CHECK (kind <> 'local_seminar' OR collectivity_id IS NOT NULL)
);
CREATE INDEX events_project ON events (project_id, starts_at);

CREATE TABLE event_registrations (
    id BIGSERIAL PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    registered_by BIGINT NOT NULL REFERENCES users (id),
    registered_at TIMESTAMP NOT NULL,
    UNIQUE (event_id, user_id)
);

-- News of a project ("remontées"), by the agency or the provider.
CREATE TABLE posts (
    id BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES users (id),
    title TEXT NOT NULL,
    -- Markdown
    body TEXT NOT NULL,
    is_public BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX posts_project ON posts (project_id, created_at);

-- The activity log learns about projects; entries of participants-only matters are not public.
ALTER TABLE activity_log ADD COLUMN project_id BIGINT REFERENCES projects (id) ON DELETE CASCADE;
ALTER TABLE activity_log ADD COLUMN is_public BOOLEAN NOT NULL DEFAULT TRUE;
CREATE INDEX activity_log_project ON activity_log (project_id, at);

-- The positions on each theme counted per région and kind of collectivity, maintained with `themes`' own counts in
-- the transaction that takes, changes or withdraws a position: the themes index filtered by région or kind reads
-- at most a few rows per theme instead of joining every position to its territory.
CREATE TABLE theme_area_counts (
    theme_id BIGINT NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
    -- '' when the territory has no région
    region_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    positions_count INTEGER NOT NULL DEFAULT 0 CHECK (positions_count >= 0),
    participate_count INTEGER NOT NULL DEFAULT 0 CHECK (participate_count >= 0),
    observe_count INTEGER NOT NULL DEFAULT 0 CHECK (observe_count >= 0),
    interested_count INTEGER NOT NULL DEFAULT 0 CHECK (interested_count >= 0),
    PRIMARY KEY (theme_id, region_code, kind)
);
CREATE INDEX theme_area_counts_area ON theme_area_counts (region_code, kind, theme_id);
INSERT INTO theme_area_counts
SELECT p.theme_id, COALESCE(t.region_code, ''), t.kind, COUNT(*),
       SUM(CASE WHEN p.engagement = 'participate' THEN 1 ELSE 0 END),
       SUM(CASE WHEN p.engagement = 'observe' THEN 1 ELSE 0 END),
       SUM(CASE WHEN p.engagement = 'interested' THEN 1 ELSE 0 END)
FROM theme_positions p
JOIN collectivities c ON c.id = p.collectivity_id
JOIN territories t ON t.id = c.territory_id
GROUP BY p.theme_id, COALESCE(t.region_code, ''), t.kind;

CREATE INDEX collectivities_created ON collectivities (created_at);

-- The version of what public pages show, raised by every activity entry in the transaction that writes it.
-- Instances keep rendered public pages for visitors without a session and serve them while the version holds
-- (web::cache::PageCache); a counter row rather than max(activity_log.id), because on PostgreSQL ids are taken
-- before commit and can become visible out of order.
CREATE TABLE content_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO content_version (id, version) VALUES (1, 0);

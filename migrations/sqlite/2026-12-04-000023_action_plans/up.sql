-- The territorial action plan (docs/product.md § Lifecycle, steps 6 and 7): axes and actions (the actions retained
-- by the workshops become its first actions), partners, funding, milestones, what each action cites, indicators
-- with their baseline, targets and measurements, comments, versions submitted for adoption and the adoption record
-- with its act, the follow-up meeting (a new kind of event) and the reviews.
-- `events` gains a kind and `actions` a status set: SQLite cannot change a CHECK in place, so both are rebuilt as
-- https://sqlite.org/lang_altertable.html says, with foreign keys off, outside diesel's transaction.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE TABLE events_rebuilt (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('meeting', 'local_seminar', 'inter_site_seminar', 'peer_exchange',
                                       'supervision', 'workshop', 'follow_up')),
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
    CHECK (kind NOT IN ('local_seminar', 'workshop', 'follow_up') OR collectivity_id IS NOT NULL)
);
INSERT INTO events_rebuilt SELECT * FROM events;
DROP TABLE events;
ALTER TABLE events_rebuilt RENAME TO events;
CREATE INDEX events_project ON events (project_id, starts_at);
CREATE INDEX events_kind ON events (kind, starts_at);

-- One plan per participant territory of a project. `state` is where its current version stands: being written
-- (draft), submitted to the executive, adopted (its content frozen until a new version is opened); `version` is
-- the number of that version. The three texts are « l'étape d'après ».
CREATE TABLE action_plans (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted', 'adopted')),
    version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    implementation TEXT NOT NULL DEFAULT '',
    citizens TEXT NOT NULL DEFAULT '',
    evaluation TEXT NOT NULL DEFAULT '',
    revision INTEGER NOT NULL DEFAULT 1,
    follow_up_event_id BIGINT REFERENCES events (id) ON DELETE SET NULL,
    updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (project_id, collectivity_id)
);

-- A version submitted for adoption: the plan's content as it was (JSON), never changed afterwards. A submission
-- withdrawn before adoption is deleted; an adopted one stays.
CREATE TABLE plan_versions (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    number INTEGER NOT NULL CHECK (number >= 1),
    content TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('submitted', 'adopted')),
    submitted_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    submitted_at TIMESTAMP NOT NULL,
    UNIQUE (plan_id, number)
);

-- What the executive decided: the body, the act, its number and date, the vote, and the act itself (a link, or the
-- PDF in adoption_acts).
CREATE TABLE adoptions (
    version_id BIGINT PRIMARY KEY REFERENCES plan_versions (id) ON DELETE CASCADE,
    body TEXT NOT NULL CHECK (body IN ('conseil_municipal', 'conseil_communautaire', 'bureau',
                                       'conseil_departemental', 'conseil_regional', 'comite_syndical')),
    act_kind TEXT NOT NULL CHECK (act_kind IN ('deliberation', 'arrete', 'decision')),
    act_number TEXT NOT NULL,
    adopted_on DATE NOT NULL,
    votes_for INTEGER NOT NULL CHECK (votes_for >= 0),
    votes_against INTEGER NOT NULL CHECK (votes_against >= 0),
    abstentions INTEGER NOT NULL CHECK (abstentions >= 0),
    act_url TEXT,
    recorded_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    recorded_at TIMESTAMP NOT NULL
);

-- The act's PDF, kept in the database so that every instance serves it.
CREATE TABLE adoption_acts (
    version_id BIGINT PRIMARY KEY REFERENCES adoptions (version_id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    content BLOB NOT NULL,
    byte_size BIGINT NOT NULL,
    sha256 TEXT NOT NULL
);

CREATE TABLE plan_axes (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    UNIQUE (plan_id, title)
);

-- The plan's actions. Those retained by a workshop keep their lineage; an action outside any axis is « à classer ».
-- `revision` grows with each save: a save names the revision it started from, so that two people saving at once
-- never lose an update silently.
CREATE TABLE actions_rebuilt (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    axis_id BIGINT REFERENCES plan_axes (id) ON DELETE SET NULL,
    position INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    lead_name TEXT NOT NULL DEFAULT '',
    lead_entry_id BIGINT REFERENCES map_entries (id) ON DELETE SET NULL,
    starts_on DATE,
    ends_on DATE,
    budget_cents BIGINT CHECK (budget_cents >= 0),
    status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'ongoing', 'done', 'paused', 'abandoned')),
    status_reason TEXT NOT NULL DEFAULT '',
    priority INTEGER NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 3),
    progress_mode TEXT NOT NULL DEFAULT 'indicators' CHECK (progress_mode IN ('indicators', 'milestones', 'manual')),
    progress_manual INTEGER CHECK (progress_manual BETWEEN 0 AND 100),
    late_override TEXT CHECK (late_override IN ('late', 'on_time')),
    late_reason TEXT NOT NULL DEFAULT '',
    revision INTEGER NOT NULL DEFAULT 1,
    workshop_id BIGINT REFERENCES workshops (event_id) ON DELETE SET NULL,
    cluster_id BIGINT REFERENCES idea_clusters (id) ON DELETE SET NULL,
    idea_id BIGINT REFERENCES ideas (id) ON DELETE SET NULL,
    lineage TEXT NOT NULL DEFAULT '{}',
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (status NOT IN ('paused', 'abandoned') OR status_reason <> ''),
    CHECK (late_override IS NULL OR late_reason <> ''),
    CHECK (starts_on IS NULL OR ends_on IS NULL OR ends_on >= starts_on),
    UNIQUE (project_id, collectivity_id, cluster_id),
    UNIQUE (project_id, collectivity_id, idea_id)
);
INSERT INTO actions_rebuilt (id, project_id, collectivity_id, title, description, workshop_id, cluster_id, idea_id,
                             lineage, created_by, created_at, updated_by, updated_at)
    SELECT id, project_id, collectivity_id, title, description, workshop_id, cluster_id, idea_id, lineage,
           created_by, created_at, created_by, created_at
    FROM actions;
DROP TABLE actions;
ALTER TABLE actions_rebuilt RENAME TO actions;
CREATE INDEX actions_territory ON actions (project_id, collectivity_id, position);
CREATE INDEX actions_axis ON actions (axis_id);

-- Partners: an actor of the diagnostic, or a name.
CREATE TABLE action_partners (
    id INTEGER PRIMARY KEY,
    action_id BIGINT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    entry_id BIGINT REFERENCES map_entries (id) ON DELETE CASCADE,
    name TEXT NOT NULL DEFAULT '',
    CHECK (entry_id IS NOT NULL OR name <> '')
);
CREATE INDEX action_partners_action ON action_partners (action_id);

CREATE TABLE action_fundings (
    id INTEGER PRIMARY KEY,
    action_id BIGINT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    funder TEXT NOT NULL,
    amount_cents BIGINT NOT NULL CHECK (amount_cents >= 0),
    secured BOOLEAN NOT NULL DEFAULT 0
);
CREATE INDEX action_fundings_action ON action_fundings (action_id);

CREATE TABLE action_milestones (
    id INTEGER PRIMARY KEY,
    action_id BIGINT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    due_on DATE NOT NULL,
    done_on DATE
);
CREATE INDEX action_milestones_action ON action_milestones (action_id, due_on);

-- What an action answers, cited directly: a sheet or a source of the diagnostic, a question of a questionnaire.
CREATE TABLE action_evidence (
    id INTEGER PRIMARY KEY,
    action_id BIGINT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    entry_id BIGINT REFERENCES map_entries (id) ON DELETE CASCADE,
    source_id BIGINT REFERENCES map_sources (id) ON DELETE CASCADE,
    question_id BIGINT REFERENCES questions (id) ON DELETE CASCADE,
    CHECK ((entry_id IS NOT NULL) + (source_id IS NOT NULL) + (question_id IS NOT NULL) = 1),
    UNIQUE (action_id, entry_id),
    UNIQUE (action_id, source_id),
    UNIQUE (action_id, question_id)
);

-- The working group's comments on an action.
CREATE TABLE action_comments (
    id INTEGER PRIMARY KEY,
    action_id BIGINT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX action_comments_action ON action_comments (action_id, created_at);

CREATE TABLE indicators (
    id INTEGER PRIMARY KEY,
    action_id BIGINT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    direction TEXT NOT NULL CHECK (direction IN ('up', 'down')),
    frequency TEXT NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'half_yearly', 'yearly', 'once')),
    source TEXT NOT NULL DEFAULT '',
    method TEXT NOT NULL DEFAULT '',
    baseline_on DATE,
    baseline_value REAL,
    created_at TIMESTAMP NOT NULL,
    CHECK ((baseline_on IS NULL) = (baseline_value IS NULL)),
    UNIQUE (action_id, name)
);

CREATE TABLE indicator_targets (
    id INTEGER PRIMARY KEY,
    indicator_id BIGINT NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
    due_on DATE NOT NULL,
    value REAL NOT NULL,
    UNIQUE (indicator_id, due_on)
);

-- Follow-up reviews: dated, kept; one per plan and day.
CREATE TABLE plan_reviews (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    held_on DATE NOT NULL,
    event_id BIGINT REFERENCES events (id) ON DELETE SET NULL,
    summary TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (plan_id, held_on)
);

CREATE TABLE review_items (
    id INTEGER PRIMARY KEY,
    review_id BIGINT NOT NULL REFERENCES plan_reviews (id) ON DELETE CASCADE,
    action_id BIGINT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('planned', 'ongoing', 'done', 'paused', 'abandoned')),
    done TEXT NOT NULL DEFAULT '',
    obstacles TEXT NOT NULL DEFAULT '',
    means TEXT NOT NULL DEFAULT '',
    UNIQUE (review_id, action_id)
);

-- One value per indicator and date; `estimated` when it is not measured.
CREATE TABLE measurements (
    id INTEGER PRIMARY KEY,
    indicator_id BIGINT NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
    measured_on DATE NOT NULL,
    value REAL NOT NULL,
    estimated BOOLEAN NOT NULL DEFAULT 0,
    comment TEXT NOT NULL DEFAULT '',
    review_id BIGINT REFERENCES plan_reviews (id) ON DELETE SET NULL,
    entered_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    entered_at TIMESTAMP NOT NULL,
    UNIQUE (indicator_id, measured_on)
);

COMMIT;
PRAGMA foreign_keys = ON;

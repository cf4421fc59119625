-- The territorial action plan (docs/product.md § Lifecycle, steps 6 and 7): axes and actions (the actions retained
-- by the workshops become its first actions), partners, funding, milestones, what each action cites, indicators
-- with their baseline, targets and measurements, comments, versions submitted for adoption and the adoption record
-- with its act, the follow-up meeting (a new kind of event) and the reviews.
ALTER TABLE events DROP CONSTRAINT events_kind_check;
ALTER TABLE events ADD CONSTRAINT events_kind_check
    CHECK (kind IN ('meeting', 'local_seminar', 'inter_site_seminar', 'peer_exchange', 'supervision', 'workshop',
                    'follow_up'));
ALTER TABLE events ADD CONSTRAINT events_follow_up_territory CHECK (kind <> 'follow_up' OR collectivity_id IS NOT NULL);
CREATE INDEX events_kind ON events (kind, starts_at);

-- One plan per participant territory of a project. `state` is where its current version stands: being written
-- (draft), submitted to the executive, adopted (its content frozen until a new version is opened); `version` is
-- the number of that version. The three texts are « l'étape d'après ».
CREATE TABLE action_plans (
    id BIGSERIAL PRIMARY KEY,
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
    id BIGSERIAL PRIMARY KEY,
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
    content BYTEA NOT NULL,
    byte_size BIGINT NOT NULL,
    sha256 TEXT NOT NULL
);

CREATE TABLE plan_axes (
    id BIGSERIAL PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    UNIQUE (plan_id, title)
);

-- The plan's actions. Those retained by a workshop keep their lineage; an action outside any axis is « à classer ».
-- `revision` grows with each save: a save names the revision it started from, so that two people saving at once
-- never lose an update silently.
ALTER TABLE actions DROP CONSTRAINT actions_status_check;
UPDATE actions SET status = 'planned';
ALTER TABLE actions ALTER COLUMN status SET DEFAULT 'planned';
ALTER TABLE actions ADD CONSTRAINT actions_status_check
    CHECK (status IN ('planned', 'ongoing', 'done', 'paused', 'abandoned'));
ALTER TABLE actions
    ADD COLUMN axis_id BIGINT REFERENCES plan_axes (id) ON DELETE SET NULL,
    ADD COLUMN position INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN lead_name TEXT NOT NULL DEFAULT '',
    ADD COLUMN lead_entry_id BIGINT REFERENCES map_entries (id) ON DELETE SET NULL,
    ADD COLUMN starts_on DATE,
    ADD COLUMN ends_on DATE,
    ADD COLUMN budget_cents BIGINT CHECK (budget_cents >= 0),
    ADD COLUMN status_reason TEXT NOT NULL DEFAULT '',
    ADD COLUMN priority INTEGER NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 3),
    ADD COLUMN progress_mode TEXT NOT NULL DEFAULT 'indicators'
        CHECK (progress_mode IN ('indicators', 'milestones', 'manual')),
    ADD COLUMN progress_manual INTEGER CHECK (progress_manual BETWEEN 0 AND 100),
    ADD COLUMN late_override TEXT CHECK (late_override IN ('late', 'on_time')),
    ADD COLUMN late_reason TEXT NOT NULL DEFAULT '',
    ADD COLUMN revision INTEGER NOT NULL DEFAULT 1,
    ADD COLUMN updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN updated_at TIMESTAMP,
    ADD CONSTRAINT actions_reason CHECK (status NOT IN ('paused', 'abandoned') OR status_reason <> ''),
    ADD CONSTRAINT actions_late_reason CHECK (late_override IS NULL OR late_reason <> ''),
    ADD CONSTRAINT actions_dates CHECK (starts_on IS NULL OR ends_on IS NULL OR ends_on >= starts_on);
UPDATE actions SET updated_at = created_at, updated_by = created_by;
ALTER TABLE actions ALTER COLUMN updated_at SET NOT NULL;
CREATE INDEX actions_territory ON actions (project_id, collectivity_id, position);
CREATE INDEX actions_axis ON actions (axis_id);

-- Partners: an actor of the diagnostic, or a name.
CREATE TABLE action_partners (
    id BIGSERIAL PRIMARY KEY,
    action_id BIGINT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    entry_id BIGINT REFERENCES map_entries (id) ON DELETE CASCADE,
    name TEXT NOT NULL DEFAULT '',
    CHECK (entry_id IS NOT NULL OR name <> '')
);
CREATE INDEX action_partners_action ON action_partners (action_id);

CREATE TABLE action_fundings (
    id BIGSERIAL PRIMARY KEY,
    action_id BIGINT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    funder TEXT NOT NULL,
    amount_cents BIGINT NOT NULL CHECK (amount_cents >= 0),
    secured BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX action_fundings_action ON action_fundings (action_id);

CREATE TABLE action_milestones (
    id BIGSERIAL PRIMARY KEY,
    action_id BIGINT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    due_on DATE NOT NULL,
    done_on DATE
);
CREATE INDEX action_milestones_action ON action_milestones (action_id, due_on);

-- What an action answers, cited directly: a sheet or a source of the diagnostic, a question of a questionnaire.
CREATE TABLE action_evidence (
    id BIGSERIAL PRIMARY KEY,
    action_id BIGINT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    entry_id BIGINT REFERENCES map_entries (id) ON DELETE CASCADE,
    source_id BIGINT REFERENCES map_sources (id) ON DELETE CASCADE,
    question_id BIGINT REFERENCES questions (id) ON DELETE CASCADE,
    CHECK (num_nonnulls(entry_id, source_id, question_id) = 1),
    UNIQUE (action_id, entry_id),
    UNIQUE (action_id, source_id),
    UNIQUE (action_id, question_id)
);

-- The working group's comments on an action.
CREATE TABLE action_comments (
    id BIGSERIAL PRIMARY KEY,
    action_id BIGINT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX action_comments_action ON action_comments (action_id, created_at);

CREATE TABLE indicators (
    id BIGSERIAL PRIMARY KEY,
    action_id BIGINT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    direction TEXT NOT NULL CHECK (direction IN ('up', 'down')),
    frequency TEXT NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'half_yearly', 'yearly', 'once')),
    source TEXT NOT NULL DEFAULT '',
    method TEXT NOT NULL DEFAULT '',
    baseline_on DATE,
    baseline_value DOUBLE PRECISION,
    created_at TIMESTAMP NOT NULL,
    CHECK ((baseline_on IS NULL) = (baseline_value IS NULL)),
    UNIQUE (action_id, name)
);

CREATE TABLE indicator_targets (
    id BIGSERIAL PRIMARY KEY,
    indicator_id BIGINT NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
    due_on DATE NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    UNIQUE (indicator_id, due_on)
);

-- Follow-up reviews: dated, kept; one per plan and day.
CREATE TABLE plan_reviews (
    id BIGSERIAL PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    held_on DATE NOT NULL,
    event_id BIGINT REFERENCES events (id) ON DELETE SET NULL,
    summary TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (plan_id, held_on)
);

CREATE TABLE review_items (
    id BIGSERIAL PRIMARY KEY,
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
    id BIGSERIAL PRIMARY KEY,
    indicator_id BIGINT NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
    measured_on DATE NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    estimated BOOLEAN NOT NULL DEFAULT FALSE,
    comment TEXT NOT NULL DEFAULT '',
    review_id BIGINT REFERENCES plan_reviews (id) ON DELETE SET NULL,
    entered_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    entered_at TIMESTAMP NOT NULL,
    UNIQUE (indicator_id, measured_on)
);


-- The restitution to inhabitants (docs/product.md § Lifecycle, step 8): a page per participant territory (what
-- we heard, what was decided, what comes next), the questions and quotes it shows, its meetings (a new kind of
-- event) and who they reached; the addresses respondents left are written to once, then forgotten.
ALTER TABLE events DROP CONSTRAINT events_kind_check;
ALTER TABLE events ADD CONSTRAINT events_kind_check
    CHECK (kind IN ('meeting', 'local_seminar', 'inter_site_seminar', 'peer_exchange', 'supervision', 'workshop',
                    'follow_up', 'restitution'));
ALTER TABLE events ADD CONSTRAINT events_restitution_territory CHECK (kind <> 'restitution' OR collectivity_id IS NOT NULL);

-- One restitution per participant territory of a project: what the group tells the inhabitants. `heard` and
-- `figures` (one per line, « valeur ; ce qu'elle dit ») are « ce que nous avons entendu », `decided` introduces the
-- adopted plan's actions, `next_steps` and `involved` are « et maintenant ». Published once: `told` counts the
-- inhabitants written to.
CREATE TABLE restitutions (
    id BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    heard TEXT NOT NULL DEFAULT '',
    figures TEXT NOT NULL DEFAULT '',
    decided TEXT NOT NULL DEFAULT '',
    next_steps TEXT NOT NULL DEFAULT '',
    involved TEXT NOT NULL DEFAULT '',
    revision INTEGER NOT NULL DEFAULT 1,
    published_at TIMESTAMP,
    published_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    told INTEGER NOT NULL DEFAULT 0 CHECK (told >= 0),
    updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (project_id, collectivity_id)
);

-- The questions whose results the restitution shows, in the group's order.
CREATE TABLE restitution_questions (
    restitution_id BIGINT NOT NULL REFERENCES restitutions (id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (restitution_id, question_id)
);

-- A free answer the group chose to quote: `text` is what the page shows (the answer, shortened or with a name
-- taken out by the group), `original` what the respondent wrote. Nothing else of the response is kept here.
CREATE TABLE restitution_quotes (
    id BIGSERIAL PRIMARY KEY,
    restitution_id BIGINT NOT NULL REFERENCES restitutions (id) ON DELETE CASCADE,
    response_id BIGINT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    original TEXT NOT NULL,
    text TEXT NOT NULL,
    position INTEGER NOT NULL,
    chosen_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    chosen_at TIMESTAMP NOT NULL,
    UNIQUE (restitution_id, response_id, question_id)
);

-- Who a restitution reached: one record per meeting, stand or other channel, with how many people, and as many of
-- them as the group could tell per profile category of the questionnaires (`reach_publics`).
CREATE TABLE restitution_reach (
    id BIGSERIAL PRIMARY KEY,
    restitution_id BIGINT NOT NULL REFERENCES restitutions (id) ON DELETE CASCADE,
    event_id BIGINT UNIQUE REFERENCES events (id) ON DELETE SET NULL,
    channel TEXT NOT NULL CHECK (channel IN ('public_meeting', 'market_stand', 'door_to_door', 'display',
                                             'leaflet', 'school', 'online', 'other')),
    label TEXT NOT NULL,
    happened_on DATE NOT NULL,
    reached INTEGER NOT NULL CHECK (reached >= 0),
    note TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    recorded_at TIMESTAMP NOT NULL
);

CREATE TABLE reach_publics (
    reach_id BIGINT NOT NULL REFERENCES restitution_reach (id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    value TEXT NOT NULL,
    reached INTEGER NOT NULL CHECK (reached >= 0),
    PRIMARY KEY (reach_id, question_id, value)
);

-- A message whose recipient is kept only until it is sent (a respondent's address, given for that one message):
-- sending it erases the address and the bodies.
ALTER TABLE outbox_messages ADD COLUMN forget_recipient BOOLEAN NOT NULL DEFAULT FALSE;

-- The learning community (docs/product.md § Lifecycle, step 6): each participant territory's delegation, by the
-- project's categories of actors; the project's forum and one peer group per category, whose threads only its
-- members and designated facilitators read; the conclusions each group takes to the agora; who attended a
-- supervision session and the notes only they read; and who is told of new messages, how often.
-- A delegation member may be invited to an account: `invitations` gains a target, and SQLite cannot change a CHECK
-- in place, so it is rebuilt as in migration 000022, with foreign keys off, outside diesel's transaction.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

-- The categories of a project's delegations (by default élus, agents, opérateurs socio-économiques, agents de
-- l'État); each is also a peer group, whose conclusions for the agora are `brings` (what this category can bring
-- the others) and `needs` (what it needs from them), published to the whole project once.
CREATE TABLE peer_groups (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    member_label TEXT NOT NULL,
    position INTEGER NOT NULL,
    brings TEXT NOT NULL DEFAULT '',
    needs TEXT NOT NULL DEFAULT '',
    revision INTEGER NOT NULL DEFAULT 1,
    conclusions_updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    conclusions_updated_at TIMESTAMP,
    published_at TIMESTAMP,
    published_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (project_id, label)
);

INSERT INTO peer_groups (project_id, label, member_label, position, created_at)
SELECT id, 'Élus', 'Élu·e', 1, CURRENT_TIMESTAMP FROM projects
UNION ALL SELECT id, 'Agents des collectivités', 'Agent de la collectivité', 2, CURRENT_TIMESTAMP FROM projects
UNION ALL SELECT id, 'Opérateurs socio-économiques', 'Opérateur socio-économique', 3, CURRENT_TIMESTAMP FROM projects
UNION ALL SELECT id, 'Agents de l’État', 'Agent de l’État', 4, CURRENT_TIMESTAMP FROM projects;

-- The people the agency or the provider designate to facilitate a peer group: with its members, the only readers.
CREATE TABLE peer_group_facilitators (
    peer_group_id BIGINT NOT NULL REFERENCES peer_groups (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    designated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    designated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (peer_group_id, user_id)
);
CREATE INDEX peer_group_facilitators_user ON peer_group_facilitators (user_id);

-- A participant territory's delegation: a person per seat, in a category (its peer group), titular or substitute,
-- one of them its referent. A person sits once in a project.
CREATE TABLE delegation_members (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    peer_group_id BIGINT NOT NULL REFERENCES peer_groups (id),
    display_name TEXT NOT NULL,
    function TEXT NOT NULL DEFAULT '',
    is_substitute BOOLEAN NOT NULL DEFAULT 0,
    is_referent BOOLEAN NOT NULL DEFAULT 0,
    email TEXT,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    added_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (project_id, email),
    UNIQUE (project_id, user_id),
    CHECK (NOT (is_referent AND is_substitute))
);
CREATE UNIQUE INDEX delegation_one_referent ON delegation_members (project_id, collectivity_id) WHERE is_referent;
CREATE INDEX delegation_members_group ON delegation_members (peer_group_id);
CREATE INDEX delegation_members_user ON delegation_members (user_id);

-- Threads of the project's forum (`peer_group_id` NULL) or of one peer group, and their messages (the first one
-- opens the thread). `affiliation` is what the author spoke for when writing (a territory, the provider, the
-- agency). `submission` is the form's one-time token: a double click writes one message.
CREATE TABLE threads (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    peer_group_id BIGINT REFERENCES peer_groups (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('question', 'experience', 'obstacle', 'solution', 'other')),
    title TEXT NOT NULL,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    affiliation TEXT NOT NULL,
    messages_count INTEGER NOT NULL DEFAULT 0 CHECK (messages_count >= 0),
    last_message_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX threads_space ON threads (project_id, peer_group_id, last_message_at);

CREATE TABLE thread_messages (
    id INTEGER PRIMARY KEY,
    thread_id BIGINT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    affiliation TEXT NOT NULL,
    body TEXT NOT NULL,
    submission TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    edited_at TIMESTAMP,
    hidden_at TIMESTAMP,
    hidden_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    hidden_reason TEXT,
    UNIQUE (author_id, submission),
    CHECK (hidden_at IS NULL OR hidden_reason IS NOT NULL)
);
CREATE INDEX thread_messages_thread ON thread_messages (thread_id, id);

-- Who is told of new messages in a space (the forum: `peer_group_id` NULL; a peer group), how often, and up to
-- which message they were told.
CREATE TABLE space_followers (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    peer_group_id BIGINT REFERENCES peer_groups (id) ON DELETE CASCADE,
    frequency TEXT NOT NULL CHECK (frequency IN ('immediate', 'daily', 'weekly', 'off')),
    weekday INTEGER NOT NULL DEFAULT 1 CHECK (weekday BETWEEN 1 AND 7),
    last_message_id BIGINT NOT NULL DEFAULT 0,
    last_period TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX space_followers_one ON space_followers (user_id, project_id, COALESCE(peer_group_id, 0));

-- Who attended a supervision session (an event of kind `supervision`), and the notes only they read.
CREATE TABLE supervision_attendance (
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    recorded_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (event_id, user_id)
);

CREATE TABLE supervision_notes (
    id INTEGER PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    submission TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (author_id, submission)
);
CREATE INDEX supervision_notes_event ON supervision_notes (event_id, id);

CREATE TABLE invitations_rebuilt (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    collectivity_id BIGINT REFERENCES collectivities (id) ON DELETE CASCADE,
    provider_id BIGINT REFERENCES providers (id) ON DELETE CASCADE,
    function TEXT CHECK (function IN ('elu', 'agent')),
    is_referent BOOLEAN NOT NULL DEFAULT 0,
    invited_by BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    inquiry_member_id BIGINT REFERENCES inquiry_members (id) ON DELETE CASCADE,
    working_member_id BIGINT REFERENCES working_members (id) ON DELETE CASCADE,
    delegation_member_id BIGINT REFERENCES delegation_members (id) ON DELETE CASCADE,
    CHECK ((collectivity_id IS NOT NULL) + (provider_id IS NOT NULL) + (inquiry_member_id IS NOT NULL)
           + (working_member_id IS NOT NULL) + (delegation_member_id IS NOT NULL) = 1),
    CHECK (collectivity_id IS NULL OR function IS NOT NULL)
);
INSERT INTO invitations_rebuilt (id, token_hash, email, collectivity_id, provider_id, function, is_referent, invited_by, created_at, expires_at,
    accepted_at, inquiry_member_id, working_member_id)
SELECT id, token_hash, email, collectivity_id, provider_id, function, is_referent, invited_by, created_at, expires_at,
    accepted_at, inquiry_member_id, working_member_id FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations_rebuilt RENAME TO invitations;
CREATE INDEX invitations_collectivity ON invitations (collectivity_id, created_at);
CREATE INDEX invitations_pending ON invitations (accepted_at, expires_at);
CREATE INDEX invitations_inquiry_member ON invitations (inquiry_member_id);
CREATE INDEX invitations_working_member ON invitations (working_member_id);
CREATE INDEX invitations_delegation_member ON invitations (delegation_member_id);

COMMIT;
PRAGMA foreign_keys = ON;

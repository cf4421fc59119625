-- The creativity cycle of each participant territory (docs/product.md § Lifecycle, step 5): its frame, working
-- group, workshops, ideas and their evidence, clusters, objectives and criteria, scores, dots, retained actions.
-- A workshop is a new kind of event and a working-group member may be invited to an account: SQLite cannot change
-- a CHECK in place, so `events` and `invitations` are rebuilt as https://sqlite.org/lang_altertable.html says, with
-- foreign keys off (event_registrations and activity_log reference events), outside diesel's transaction.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE TABLE events_rebuilt (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('meeting', 'local_seminar', 'inter_site_seminar', 'peer_exchange',
                                       'supervision', 'workshop')),
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
    CHECK (kind NOT IN ('local_seminar', 'workshop') OR collectivity_id IS NOT NULL)
);
INSERT INTO events_rebuilt SELECT * FROM events;
DROP TABLE events;
ALTER TABLE events_rebuilt RENAME TO events;
CREATE INDEX events_project ON events (project_id, starts_at);

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
    CHECK ((collectivity_id IS NOT NULL) + (provider_id IS NOT NULL) + (inquiry_member_id IS NOT NULL)
           + (working_member_id IS NOT NULL) = 1),
    CHECK (collectivity_id IS NULL OR function IS NOT NULL)
);
INSERT INTO invitations_rebuilt SELECT *, NULL FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations_rebuilt RENAME TO invitations;
CREATE INDEX invitations_collectivity ON invitations (collectivity_id, created_at);
CREATE INDEX invitations_pending ON invitations (accepted_at, expires_at);
CREATE INDEX invitations_inquiry_member ON invitations (inquiry_member_id);
CREATE INDEX invitations_working_member ON invitations (working_member_id);

-- The frame of each participant territory's creativity cycle: the method it chose and the families of actors of
-- its diagnostic it means to involve.
CREATE TABLE co_design_frames (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    method TEXT NOT NULL CHECK (method IN ('thematic', 'families', 'prototyping')),
    method_note TEXT NOT NULL DEFAULT '',
    -- the diagnostic's family codes (built in, or f<id> for a family the project added), separated by spaces
    families TEXT NOT NULL DEFAULT '',
    updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (project_id, collectivity_id)
);

-- The territory's working group (« groupe de travail local »): members with a category and the family of actors
-- they come from; an account only for those who contribute online (the address is kept for that invitation).
CREATE TABLE working_members (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('elu', 'agent', 'habitant', 'scolaire', 'associatif', 'autre')),
    family TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    email TEXT,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    added_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (project_id, collectivity_id, email),
    UNIQUE (project_id, collectivity_id, user_id)
);
CREATE INDEX working_members_user ON working_members (user_id);

-- A workshop is an event of kind 'workshop' on one territory, at one step of the cycle. Ideas, scores and dots are
-- taken only while it is open.
CREATE TABLE workshops (
    event_id BIGINT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    step TEXT NOT NULL CHECK (step IN ('divergence', 'objectives', 'convergence')),
    state TEXT NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'open', 'closed')),
    dots_per_member INTEGER NOT NULL DEFAULT 8 CHECK (dots_per_member BETWEEN 1 AND 50),
    -- Markdown, published by the facilitator after the workshop
    synthesis TEXT,
    synthesis_published_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX workshops_territory ON workshops (project_id, collectivity_id);

-- Clusters of ideas, named by the facilitator.
CREATE TABLE idea_clusters (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (project_id, collectivity_id, name)
);

-- Ideas of a territory. A merge is an idea of origin 'merge' whose originals point to it (merged_into) and stay;
-- undoing it sets the merge 'dissolved' and frees the originals. An inhabitant's idea is 'proposed' until moderated.
CREATE TABLE ideas (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    workshop_id BIGINT REFERENCES workshops (event_id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    member_id BIGINT REFERENCES working_members (id) ON DELETE SET NULL,
    -- the author's category, kept for paper notes and inhabitants, and when a member leaves the group
    author_category TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('online', 'paper', 'public', 'merge')),
    status TEXT NOT NULL CHECK (status IN ('proposed', 'published', 'rejected', 'dissolved')),
    cluster_id BIGINT REFERENCES idea_clusters (id) ON DELETE SET NULL,
    merged_into BIGINT REFERENCES ideas (id) ON DELETE SET NULL,
    entered_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ideas_territory ON ideas (project_id, collectivity_id, status);
CREATE INDEX ideas_merged_into ON ideas (merged_into);

-- What motivated an idea: exactly one of a sheet or a source of the diagnostic, a question of a questionnaire,
-- another idea.
CREATE TABLE idea_evidence (
    id INTEGER PRIMARY KEY,
    idea_id BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    entry_id BIGINT REFERENCES map_entries (id) ON DELETE CASCADE,
    source_id BIGINT REFERENCES map_sources (id) ON DELETE CASCADE,
    question_id BIGINT REFERENCES questions (id) ON DELETE CASCADE,
    cited_idea_id BIGINT REFERENCES ideas (id) ON DELETE CASCADE,
    CHECK ((entry_id IS NOT NULL) + (source_id IS NOT NULL) + (question_id IS NOT NULL)
           + (cited_idea_id IS NOT NULL) = 1),
    UNIQUE (idea_id, entry_id),
    UNIQUE (idea_id, source_id),
    UNIQUE (idea_id, question_id),
    UNIQUE (idea_id, cited_idea_id)
);
CREATE INDEX idea_evidence_entry ON idea_evidence (entry_id);
CREATE INDEX idea_evidence_source ON idea_evidence (source_id);
CREATE INDEX idea_evidence_question ON idea_evidence (question_id);
CREATE INDEX idea_evidence_cited ON idea_evidence (cited_idea_id);

-- The dated history of an idea: entered, clustered, merged, merge undone, moderated.
CREATE TABLE idea_history (
    id INTEGER PRIMARY KEY,
    idea_id BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    at TIMESTAMP NOT NULL,
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    change TEXT NOT NULL
);
CREATE INDEX idea_history_idea ON idea_history (idea_id, at);

-- What the plan must change, and how the group will know (success criteria, weighted).
CREATE TABLE objectives (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX objectives_territory ON objectives (project_id, collectivity_id);

CREATE TABLE criteria (
    id INTEGER PRIMARY KEY,
    objective_id BIGINT NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    weight INTEGER NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 10),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX criteria_objective ON criteria (objective_id);

-- A member's score of a candidate (a cluster or an idea) against a criterion, 0 to 5, in a convergence workshop.
CREATE TABLE scores (
    id INTEGER PRIMARY KEY,
    workshop_id BIGINT NOT NULL REFERENCES workshops (event_id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES working_members (id) ON DELETE CASCADE,
    criterion_id BIGINT NOT NULL REFERENCES criteria (id) ON DELETE CASCADE,
    cluster_id BIGINT REFERENCES idea_clusters (id) ON DELETE CASCADE,
    idea_id BIGINT REFERENCES ideas (id) ON DELETE CASCADE,
    value INTEGER NOT NULL CHECK (value BETWEEN 0 AND 5),
    at TIMESTAMP NOT NULL,
    CHECK ((cluster_id IS NULL) <> (idea_id IS NULL)),
    UNIQUE (workshop_id, member_id, criterion_id, cluster_id),
    UNIQUE (workshop_id, member_id, criterion_id, idea_id)
);

-- A member's ballot in a workshop's dot vote: the cap is the workshop's, copied when the ballot opens, and the
-- CHECK is the last word on it whatever the number of devices submitting at once. Each dot is a row of `dots`.
CREATE TABLE ballots (
    id INTEGER PRIMARY KEY,
    workshop_id BIGINT NOT NULL REFERENCES workshops (event_id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES working_members (id) ON DELETE CASCADE,
    dots_cap INTEGER NOT NULL,
    dots_used INTEGER NOT NULL DEFAULT 0,
    updated_at TIMESTAMP NOT NULL,
    CHECK (dots_used >= 0 AND dots_used <= dots_cap),
    UNIQUE (workshop_id, member_id)
);

CREATE TABLE dots (
    id INTEGER PRIMARY KEY,
    ballot_id BIGINT NOT NULL REFERENCES ballots (id) ON DELETE CASCADE,
    cluster_id BIGINT REFERENCES idea_clusters (id) ON DELETE CASCADE,
    idea_id BIGINT REFERENCES ideas (id) ON DELETE CASCADE,
    at TIMESTAMP NOT NULL,
    CHECK ((cluster_id IS NULL) <> (idea_id IS NULL))
);
CREATE INDEX dots_ballot ON dots (ballot_id);

-- The actions a territory retained: drafts of its action plan, each with what it came from. `lineage` is what the
-- workshop said of it when it was retained (scores per criterion, dots, the ideas and their evidence), as JSON.
CREATE TABLE actions (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft')),
    workshop_id BIGINT REFERENCES workshops (event_id) ON DELETE SET NULL,
    cluster_id BIGINT REFERENCES idea_clusters (id) ON DELETE SET NULL,
    idea_id BIGINT REFERENCES ideas (id) ON DELETE SET NULL,
    lineage TEXT NOT NULL DEFAULT '{}',
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (project_id, collectivity_id, cluster_id),
    UNIQUE (project_id, collectivity_id, idea_id)
);

-- The public link by which inhabitants send ideas to a territory's cycle; no row, no link. Their ideas wait for
-- the facilitator's moderation (status 'proposed').
CREATE TABLE idea_links (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (project_id, collectivity_id)
);

COMMIT;
PRAGMA foreign_keys = ON;

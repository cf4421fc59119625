-- The creativity cycle of each participant territory (docs/product.md § Lifecycle, step 5): its frame, working
-- group, workshops, ideas and their evidence, clusters, objectives and criteria, scores, dots, retained actions.
-- A workshop is a new kind of event; a working-group member may be invited to an account.
ALTER TABLE events DROP CONSTRAINT events_kind_check;
ALTER TABLE events ADD CONSTRAINT events_kind_check
    CHECK (kind IN ('meeting', 'local_seminar', 'inter_site_seminar', 'peer_exchange', 'supervision', 'workshop'));
ALTER TABLE events ADD CONSTRAINT events_workshop_territory CHECK (kind <> 'workshop' OR collectivity_id IS NOT NULL);

-- The frame of each participant territory's creativity cycle: the method it chose and the families of actors of
-- its diagnostic it means to involve.
CREATE TABLE co_design_frames (
    id BIGSERIAL PRIMARY KEY,
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
    id BIGSERIAL PRIMARY KEY,
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
    id BIGSERIAL PRIMARY KEY,
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
    id BIGSERIAL PRIMARY KEY,
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
    id BIGSERIAL PRIMARY KEY,
    idea_id BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    entry_id BIGINT REFERENCES map_entries (id) ON DELETE CASCADE,
    source_id BIGINT REFERENCES map_sources (id) ON DELETE CASCADE,
    question_id BIGINT REFERENCES questions (id) ON DELETE CASCADE,
    cited_idea_id BIGINT REFERENCES ideas (id) ON DELETE CASCADE,
    CHECK (num_nonnulls(entry_id, source_id, question_id, cited_idea_id) = 1),
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
    id BIGSERIAL PRIMARY KEY,
    idea_id BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    at TIMESTAMP NOT NULL,
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    change TEXT NOT NULL
);
CREATE INDEX idea_history_idea ON idea_history (idea_id, at);

-- What the plan must change, and how the group will know (success criteria, weighted).
CREATE TABLE objectives (
    id BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX objectives_territory ON objectives (project_id, collectivity_id);

CREATE TABLE criteria (
    id BIGSERIAL PRIMARY KEY,
    objective_id BIGINT NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    weight INTEGER NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 10),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX criteria_objective ON criteria (objective_id);

-- A member's score of a candidate (a cluster or an idea) against a criterion, 0 to 5, in a convergence workshop.
CREATE TABLE scores (
    id BIGSERIAL PRIMARY KEY,
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
    id BIGSERIAL PRIMARY KEY,
    workshop_id BIGINT NOT NULL REFERENCES workshops (event_id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES working_members (id) ON DELETE CASCADE,
    dots_cap INTEGER NOT NULL,
    dots_used INTEGER NOT NULL DEFAULT 0,
    updated_at TIMESTAMP NOT NULL,
    CHECK (dots_used >= 0 AND dots_used <= dots_cap),
    UNIQUE (workshop_id, member_id)
);

CREATE TABLE dots (
    id BIGSERIAL PRIMARY KEY,
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
    id BIGSERIAL PRIMARY KEY,
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
    id BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (project_id, collectivity_id)
);

ALTER TABLE invitations ADD COLUMN working_member_id BIGINT REFERENCES working_members (id) ON DELETE CASCADE;
ALTER TABLE invitations DROP CONSTRAINT invitations_one_target;
ALTER TABLE invitations ADD CONSTRAINT invitations_one_target
    CHECK (num_nonnulls(collectivity_id, provider_id, inquiry_member_id, working_member_id) = 1
        AND (collectivity_id IS NULL OR function IS NOT NULL));
CREATE INDEX invitations_working_member ON invitations (working_member_id);

-- The mixed inquiry group of each participant territory of a project: its members, with their category. A member
-- needs an account only to record interviews later: the e-mail address is kept for that invitation alone.
CREATE TABLE inquiry_members (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    -- a first name or a pseudonym is enough for an inhabitant
    display_name TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('elu', 'agent', 'habitant', 'scolaire', 'associatif', 'autre')),
    note TEXT NOT NULL DEFAULT '',
    email TEXT,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    added_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (project_id, collectivity_id, email),
    UNIQUE (project_id, collectivity_id, user_id)
);
CREATE INDEX inquiry_members_group ON inquiry_members (project_id, collectivity_id);
CREATE INDEX inquiry_members_user ON inquiry_members (user_id);

-- An invitation may now be for a seat in an inquiry group (removing the member removes their pending invitation):
-- exactly one of a collectivity (with a function), a provider or an inquiry group member. SQLite cannot change a
-- CHECK, so the table is rebuilt; nothing references it.
CREATE TABLE invitations_new (
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
    CHECK ((collectivity_id IS NOT NULL AND function IS NOT NULL AND provider_id IS NULL AND inquiry_member_id IS NULL)
        OR (provider_id IS NOT NULL AND collectivity_id IS NULL AND inquiry_member_id IS NULL)
        OR (inquiry_member_id IS NOT NULL AND collectivity_id IS NULL AND provider_id IS NULL))
);
INSERT INTO invitations_new (id, token_hash, email, collectivity_id, provider_id, function, is_referent, invited_by,
                             created_at, expires_at, accepted_at)
SELECT id, token_hash, email, collectivity_id, provider_id, function, is_referent, invited_by, created_at, expires_at,
       accepted_at
FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations_new RENAME TO invitations;
CREATE INDEX invitations_collectivity ON invitations (collectivity_id, created_at);
CREATE INDEX invitations_pending ON invitations (accepted_at, expires_at);
CREATE INDEX invitations_inquiry_member ON invitations (inquiry_member_id);

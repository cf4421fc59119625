-- A project's steering committee (docs/product.md § Programmes): partner organisations — associations of elected
-- officials, ministries, operators, national networks, researchers — and their members, invited to the committee's
-- meetings (events of kind `steering_committee`) and reading the working space without acting in it. A member is
-- invited to an account like other people: `invitations` gains a target, and SQLite cannot change a CHECK in place.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE TABLE steering_partners (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('elected_officials', 'ministry', 'operator', 'network', 'research', 'other')),
    added_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (project_id, name)
);

CREATE TABLE steering_members (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    partner_id BIGINT NOT NULL REFERENCES steering_partners (id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    function TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    added_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (project_id, email),
    UNIQUE (project_id, user_id)
);
CREATE INDEX steering_members_partner ON steering_members (partner_id);
CREATE INDEX steering_members_user ON steering_members (user_id);

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
    steering_member_id BIGINT REFERENCES steering_members (id) ON DELETE CASCADE,
    CHECK ((collectivity_id IS NOT NULL) + (provider_id IS NOT NULL) + (inquiry_member_id IS NOT NULL)
           + (working_member_id IS NOT NULL) + (delegation_member_id IS NOT NULL)
           + (steering_member_id IS NOT NULL) = 1),
    CHECK (collectivity_id IS NULL OR function IS NOT NULL)
);
INSERT INTO invitations_rebuilt (id, token_hash, email, collectivity_id, provider_id, function, is_referent, invited_by,
    created_at, expires_at, accepted_at, inquiry_member_id, working_member_id, delegation_member_id)
SELECT id, token_hash, email, collectivity_id, provider_id, function, is_referent, invited_by, created_at, expires_at,
    accepted_at, inquiry_member_id, working_member_id, delegation_member_id FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations_rebuilt RENAME TO invitations;
CREATE INDEX invitations_collectivity ON invitations (collectivity_id, created_at);
CREATE INDEX invitations_pending ON invitations (accepted_at, expires_at);
CREATE INDEX invitations_inquiry_member ON invitations (inquiry_member_id);
CREATE INDEX invitations_working_member ON invitations (working_member_id);
CREATE INDEX invitations_delegation_member ON invitations (delegation_member_id);
CREATE INDEX invitations_steering_member ON invitations (steering_member_id);

COMMIT;
PRAGMA foreign_keys = ON;

PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
DELETE FROM invitations WHERE steering_member_id IS NOT NULL;
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
INSERT INTO invitations_rebuilt SELECT id, token_hash, email, collectivity_id, provider_id, function, is_referent,
    invited_by, created_at, expires_at, accepted_at, inquiry_member_id, working_member_id, delegation_member_id
    FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations_rebuilt RENAME TO invitations;
CREATE INDEX invitations_collectivity ON invitations (collectivity_id, created_at);
CREATE INDEX invitations_pending ON invitations (accepted_at, expires_at);
CREATE INDEX invitations_inquiry_member ON invitations (inquiry_member_id);
CREATE INDEX invitations_working_member ON invitations (working_member_id);
CREATE INDEX invitations_delegation_member ON invitations (delegation_member_id);
DROP TABLE steering_members;
DROP TABLE steering_partners;
COMMIT;
PRAGMA foreign_keys = ON;

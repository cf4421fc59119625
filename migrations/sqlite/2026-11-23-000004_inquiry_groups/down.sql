-- Invitations to inquiry groups go with the groups; the table gets its former CHECK back.
DELETE FROM invitations WHERE inquiry_member_id IS NOT NULL;
CREATE TABLE invitations_old (
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
    CHECK ((collectivity_id IS NOT NULL AND function IS NOT NULL AND provider_id IS NULL)
        OR (provider_id IS NOT NULL AND collectivity_id IS NULL))
);
INSERT INTO invitations_old
SELECT id, token_hash, email, collectivity_id, provider_id, function, is_referent, invited_by, created_at, expires_at,
       accepted_at
FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations_old RENAME TO invitations;
CREATE INDEX invitations_collectivity ON invitations (collectivity_id, created_at);
CREATE INDEX invitations_pending ON invitations (accepted_at, expires_at);
DROP TABLE inquiry_members;

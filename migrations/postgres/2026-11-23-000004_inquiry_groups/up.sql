-- The mixed inquiry group of each participant territory of a project: its members, with their category. A member
-- needs an account only to record interviews later: the e-mail address is kept for that invitation alone.
CREATE TABLE inquiry_members (
    id BIGSERIAL PRIMARY KEY,
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
-- exactly one of a collectivity (with a function), a provider or an inquiry group member.
ALTER TABLE invitations ADD COLUMN inquiry_member_id BIGINT REFERENCES inquiry_members (id) ON DELETE CASCADE;
ALTER TABLE invitations DROP CONSTRAINT invitations_check;
ALTER TABLE invitations ADD CONSTRAINT invitations_one_target
    CHECK ((collectivity_id IS NOT NULL AND function IS NOT NULL AND provider_id IS NULL AND inquiry_member_id IS NULL)
        OR (provider_id IS NOT NULL AND collectivity_id IS NULL AND inquiry_member_id IS NULL)
        OR (inquiry_member_id IS NOT NULL AND collectivity_id IS NULL AND provider_id IS NULL));
CREATE INDEX invitations_inquiry_member ON invitations (inquiry_member_id);

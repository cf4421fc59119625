-- A project's steering committee (docs/product.md § Programmes): partner organisations — associations of elected
-- officials, ministries, operators, national networks, researchers — and their members, invited to the committee's
-- meetings (events of kind `steering_committee`) and reading the working space without acting in it. A member is
-- invited to an account like other people: `invitations` gains a target.
CREATE TABLE steering_partners (
    id BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('elected_officials', 'ministry', 'operator', 'network', 'research', 'other')),
    added_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (project_id, name)
);

CREATE TABLE steering_members (
    id BIGSERIAL PRIMARY KEY,
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

ALTER TABLE invitations ADD COLUMN steering_member_id BIGINT REFERENCES steering_members (id) ON DELETE CASCADE;
ALTER TABLE invitations DROP CONSTRAINT invitations_one_target;
ALTER TABLE invitations ADD CONSTRAINT invitations_one_target
    CHECK (num_nonnulls(collectivity_id, provider_id, inquiry_member_id, working_member_id, delegation_member_id,
                        steering_member_id) = 1
        AND (collectivity_id IS NULL OR function IS NOT NULL));
CREATE INDEX invitations_steering_member ON invitations (steering_member_id);

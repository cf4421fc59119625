DELETE FROM invitations WHERE steering_member_id IS NOT NULL;
ALTER TABLE invitations DROP CONSTRAINT invitations_one_target;
ALTER TABLE invitations DROP COLUMN steering_member_id;
ALTER TABLE invitations ADD CONSTRAINT invitations_one_target
    CHECK (num_nonnulls(collectivity_id, provider_id, inquiry_member_id, working_member_id, delegation_member_id) = 1
        AND (collectivity_id IS NULL OR function IS NOT NULL));
DROP TABLE steering_members;
DROP TABLE steering_partners;

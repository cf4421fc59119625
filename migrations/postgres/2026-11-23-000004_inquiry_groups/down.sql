DELETE FROM invitations WHERE inquiry_member_id IS NOT NULL;
ALTER TABLE invitations DROP CONSTRAINT invitations_one_target;
ALTER TABLE invitations ADD CONSTRAINT invitations_check
    CHECK ((collectivity_id IS NOT NULL AND function IS NOT NULL AND provider_id IS NULL)
        OR (provider_id IS NOT NULL AND collectivity_id IS NULL));
ALTER TABLE invitations DROP COLUMN inquiry_member_id;
DROP TABLE inquiry_members;

-- The learning community's tables go, with the invitations to a delegation.
DELETE FROM invitations WHERE delegation_member_id IS NOT NULL;
ALTER TABLE invitations DROP CONSTRAINT invitations_one_target;
ALTER TABLE invitations DROP COLUMN delegation_member_id;
ALTER TABLE invitations ADD CONSTRAINT invitations_one_target
    CHECK (num_nonnulls(collectivity_id, provider_id, inquiry_member_id, working_member_id) = 1
        AND (collectivity_id IS NULL OR function IS NOT NULL));
DROP TABLE supervision_notes;
DROP TABLE supervision_attendance;
DROP TABLE space_followers;
DROP TABLE thread_messages;
DROP TABLE threads;
DROP TABLE delegation_members;
DROP TABLE peer_group_facilitators;
DROP TABLE peer_groups;

-- The learning community's tables go; `invitations` keeps its rebuilt shape (its new column stays NULL for every
-- row the previous code writes, which its CHECK accepts).
DELETE FROM invitations WHERE delegation_member_id IS NOT NULL;
DROP TABLE supervision_notes;
DROP TABLE supervision_attendance;
DROP TABLE space_followers;
DROP TABLE thread_messages;
DROP TABLE threads;
DROP TABLE delegation_members;
DROP TABLE peer_group_facilitators;
DROP TABLE peer_groups;

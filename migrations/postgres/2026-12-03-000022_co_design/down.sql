DROP INDEX invitations_working_member;
ALTER TABLE invitations DROP CONSTRAINT invitations_one_target;
DELETE FROM invitations WHERE working_member_id IS NOT NULL;
ALTER TABLE invitations DROP COLUMN working_member_id;
ALTER TABLE invitations ADD CONSTRAINT invitations_one_target
    CHECK ((collectivity_id IS NOT NULL AND function IS NOT NULL AND provider_id IS NULL AND inquiry_member_id IS NULL)
        OR (provider_id IS NOT NULL AND collectivity_id IS NULL AND inquiry_member_id IS NULL)
        OR (inquiry_member_id IS NOT NULL AND collectivity_id IS NULL AND provider_id IS NULL));
DROP TABLE idea_links;
DROP TABLE actions;
DROP TABLE dots;
DROP TABLE ballots;
DROP TABLE scores;
DROP TABLE criteria;
DROP TABLE objectives;
DROP TABLE idea_history;
DROP TABLE idea_evidence;
DROP TABLE ideas;
DROP TABLE idea_clusters;
DROP TABLE workshops;
DROP TABLE working_members;
DROP TABLE co_design_frames;
DELETE FROM events WHERE kind = 'workshop';
ALTER TABLE events DROP CONSTRAINT events_workshop_territory;
ALTER TABLE events DROP CONSTRAINT events_kind_check;
ALTER TABLE events ADD CONSTRAINT events_kind_check
    CHECK (kind IN ('meeting', 'local_seminar', 'inter_site_seminar', 'peer_exchange', 'supervision'));

-- Workshops and working-group invitations go; `events` and `invitations` keep their new CHECKs, which accept
-- every row the previous schema did.
DELETE FROM invitations WHERE working_member_id IS NOT NULL;
DELETE FROM events WHERE kind = 'workshop';
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

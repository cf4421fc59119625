ALTER TABLE questionnaires DROP COLUMN draft;

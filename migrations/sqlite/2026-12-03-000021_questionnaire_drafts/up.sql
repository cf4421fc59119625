-- A questionnaire is a draft until it is published, which needs at least one question: a draft takes no answer
-- online. Questionnaires that exist already were open from their creation and stay so.
ALTER TABLE questionnaires ADD COLUMN draft BOOLEAN NOT NULL DEFAULT 0;

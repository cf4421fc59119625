PRAGMA foreign_keys = OFF;
BEGIN;
DROP TABLE survey_invitations;
ALTER TABLE questionnaires DROP COLUMN invitation_only;
DROP TABLE coverage_targets;
DELETE FROM questions WHERE kind = 'section';
CREATE TABLE questions_rebuilt (
    id INTEGER PRIMARY KEY,
    questionnaire_id BIGINT NOT NULL REFERENCES questionnaires (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('single_choice', 'multiple_choice', 'yes_no', 'scale', 'matrix', 'ranking',
                                       'number', 'short_text', 'long_text', 'date', 'place')),
    label TEXT NOT NULL,
    help TEXT NOT NULL DEFAULT '',
    required BOOLEAN NOT NULL DEFAULT 0,
    settings TEXT NOT NULL DEFAULT '{}',
    condition_question_id BIGINT REFERENCES questions (id) ON DELETE SET NULL,
    condition_op TEXT CHECK (condition_op IN ('equals', 'includes', 'among')),
    condition_values TEXT NOT NULL DEFAULT ''
);
INSERT INTO questions_rebuilt SELECT id, questionnaire_id, position, kind, label, help, required, settings,
    condition_question_id, condition_op, condition_values FROM questions;
DROP TABLE questions;
ALTER TABLE questions_rebuilt RENAME TO questions;
CREATE INDEX questions_questionnaire ON questions (questionnaire_id, position);
COMMIT;
PRAGMA foreign_keys = ON;

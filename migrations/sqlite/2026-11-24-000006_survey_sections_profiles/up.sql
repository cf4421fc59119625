-- Sections (a heading that may carry a condition for the questions under it) become a kind of question, and a
-- question may be a respondent-profile question (asked only with the respondent's consent, used for coverage).
-- SQLite cannot change a CHECK in place: the table is rebuilt as https://sqlite.org/lang_altertable.html ("other
-- kinds of table schema changes") says, with foreign keys off, which only works outside a transaction: hence
-- metadata.toml's run_in_transaction = false and the explicit transaction below.
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE questions_rebuilt (
    id INTEGER PRIMARY KEY,
    questionnaire_id BIGINT NOT NULL REFERENCES questionnaires (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('single_choice', 'multiple_choice', 'yes_no', 'scale', 'matrix', 'ranking',
                                       'number', 'short_text', 'long_text', 'date', 'place', 'section')),
    label TEXT NOT NULL,
    help TEXT NOT NULL DEFAULT '',
    required BOOLEAN NOT NULL DEFAULT 0,
    settings TEXT NOT NULL DEFAULT '{}',
    condition_question_id BIGINT REFERENCES questions (id) ON DELETE SET NULL,
    condition_op TEXT CHECK (condition_op IN ('equals', 'includes', 'among')),
    condition_values TEXT NOT NULL DEFAULT '',
    -- a respondent-profile question: optional, asked at the end with the respondent's consent
    profile BOOLEAN NOT NULL DEFAULT 0
);
INSERT INTO questions_rebuilt (id, questionnaire_id, position, kind, label, help, required, settings,
                               condition_question_id, condition_op, condition_values)
    SELECT id, questionnaire_id, position, kind, label, help, required, settings,
           condition_question_id, condition_op, condition_values FROM questions;
DROP TABLE questions;
ALTER TABLE questions_rebuilt RENAME TO questions;
CREATE INDEX questions_questionnaire ON questions (questionnaire_id, position);

-- How many respondents the group wants to reach with a given profile answer (30 without internet at home…).
CREATE TABLE coverage_targets (
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    value TEXT NOT NULL,
    target INTEGER NOT NULL CHECK (target > 0),
    PRIMARY KEY (question_id, value)
);

-- A questionnaire may take answers only through single-use invitations.
ALTER TABLE questionnaires ADD COLUMN invitation_only BOOLEAN NOT NULL DEFAULT 0;

CREATE TABLE survey_invitations (
    token TEXT PRIMARY KEY,
    questionnaire_id BIGINT NOT NULL REFERENCES questionnaires (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    -- set, once, in the transaction that records the response
    used_at TIMESTAMP
);
CREATE INDEX survey_invitations_questionnaire ON survey_invitations (questionnaire_id, created_at);
COMMIT;
PRAGMA foreign_keys = ON;

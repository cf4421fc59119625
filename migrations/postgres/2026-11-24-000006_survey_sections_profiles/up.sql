-- Sections (a heading that may carry a condition for the questions under it) become a kind of question, and a
-- question may be a respondent-profile question (asked only with the respondent's consent, used for coverage).
ALTER TABLE questions DROP CONSTRAINT questions_kind_check;
ALTER TABLE questions ADD CONSTRAINT questions_kind_check
    CHECK (kind IN ('single_choice', 'multiple_choice', 'yes_no', 'scale', 'matrix', 'ranking',
                    'number', 'short_text', 'long_text', 'date', 'place', 'section'));
-- a respondent-profile question: optional, asked at the end with the respondent's consent
ALTER TABLE questions ADD COLUMN profile BOOLEAN NOT NULL DEFAULT FALSE;

-- How many respondents the group wants to reach with a given profile answer (30 without internet at home…).
CREATE TABLE coverage_targets (
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    value TEXT NOT NULL,
    target INTEGER NOT NULL CHECK (target > 0),
    PRIMARY KEY (question_id, value)
);

-- A questionnaire may take answers only through single-use invitations.
ALTER TABLE questionnaires ADD COLUMN invitation_only BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE survey_invitations (
    token TEXT PRIMARY KEY,
    questionnaire_id BIGINT NOT NULL REFERENCES questionnaires (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    -- set, once, in the transaction that records the response
    used_at TIMESTAMP
);
CREATE INDEX survey_invitations_questionnaire ON survey_invitations (questionnaire_id, created_at);

-- A long free answer (a page of the Grand Débat) does not fit in a B-tree entry (2,704 bytes at most): the
-- answers' uniqueness and the per-question index hold a digest of the value, not the value.
ALTER TABLE answers DROP CONSTRAINT answers_pkey;
CREATE UNIQUE INDEX answers_unique ON answers (response_id, question_id, item, md5(value));
DROP INDEX answers_question;
CREATE INDEX answers_question ON answers (question_id, item, md5(value));

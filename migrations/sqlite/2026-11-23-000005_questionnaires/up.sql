-- Questionnaires of a participant territory's inquiry group, their questions, and the responses in long form:
-- one row per (response, question, item, value), never a column per question.
CREATE TABLE questionnaires (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    introduction TEXT NOT NULL DEFAULT '',
    -- the public link is /q/{public_token}: unguessable, so a questionnaire in preparation is not found by chance
    public_token TEXT NOT NULL UNIQUE,
    opens_on DATE,
    closes_on DATE,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (closes_on IS NULL OR opens_on IS NULL OR closes_on >= opens_on)
);
CREATE INDEX questionnaires_group ON questionnaires (project_id, collectivity_id);

CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    questionnaire_id BIGINT NOT NULL REFERENCES questionnaires (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('single_choice', 'multiple_choice', 'yes_no', 'scale', 'matrix', 'ranking',
                                       'number', 'short_text', 'long_text', 'date', 'place')),
    label TEXT NOT NULL,
    help TEXT NOT NULL DEFAULT '',
    required BOOLEAN NOT NULL DEFAULT 0,
    -- type-specific settings (choices, bounds, scale labels, matrix rows) as JSON: domain::questionnaire::Settings
    settings TEXT NOT NULL DEFAULT '{}',
    -- shown only when an earlier question's answer matches
    condition_question_id BIGINT REFERENCES questions (id) ON DELETE SET NULL,
    condition_op TEXT CHECK (condition_op IN ('equals', 'includes', 'among')),
    -- one value per line
    condition_values TEXT NOT NULL DEFAULT ''
);
CREATE INDEX questions_questionnaire ON questions (questionnaire_id, position);

CREATE TABLE responses (
    id INTEGER PRIMARY KEY,
    questionnaire_id BIGINT NOT NULL REFERENCES questionnaires (id) ON DELETE CASCADE,
    channel TEXT NOT NULL CHECK (channel IN ('online', 'interview', 'paper')),
    -- who recorded it, for interviews and paper forms; NULL online
    interviewer_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    -- an interview: face to face or by phone, and where (a market, a hall, a doorstep…)
    interview_mode TEXT CHECK (interview_mode IN ('face_to_face', 'phone')),
    place TEXT,
    submitted_at TIMESTAMP NOT NULL,
    CHECK (channel = 'interview' OR interview_mode IS NULL)
);
CREATE INDEX responses_questionnaire ON responses (questionnaire_id, submitted_at);

CREATE TABLE answers (
    response_id BIGINT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES questions (id),
    item TEXT NOT NULL DEFAULT '',
    value TEXT NOT NULL,
    PRIMARY KEY (response_id, question_id, item, value)
);
CREATE INDEX answers_question ON answers (question_id, item, value);

-- Respondents who asked to be told what came of the survey: their address alone, kept apart from the answers
-- (nothing links it to a response) and never exported with them.
CREATE TABLE feedback_contacts (
    questionnaire_id BIGINT NOT NULL REFERENCES questionnaires (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    created_at DATE NOT NULL,
    PRIMARY KEY (questionnaire_id, email)
);

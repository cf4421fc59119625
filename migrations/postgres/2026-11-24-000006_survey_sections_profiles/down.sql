DROP INDEX answers_question;
CREATE INDEX answers_question ON answers (question_id, item, value);
DROP INDEX answers_unique;
ALTER TABLE answers ADD PRIMARY KEY (response_id, question_id, item, value);
DROP TABLE survey_invitations;
ALTER TABLE questionnaires DROP COLUMN invitation_only;
DROP TABLE coverage_targets;
ALTER TABLE questions DROP COLUMN profile;
DELETE FROM questions WHERE kind = 'section';
ALTER TABLE questions DROP CONSTRAINT questions_kind_check;
ALTER TABLE questions ADD CONSTRAINT questions_kind_check
    CHECK (kind IN ('single_choice', 'multiple_choice', 'yes_no', 'scale', 'matrix', 'ranking',
                    'number', 'short_text', 'long_text', 'date', 'place'));

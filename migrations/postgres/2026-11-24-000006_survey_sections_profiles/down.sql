DROP TABLE survey_invitations;
ALTER TABLE questionnaires DROP COLUMN invitation_only;
DROP TABLE coverage_targets;
ALTER TABLE questions DROP COLUMN profile;
DELETE FROM questions WHERE kind = 'section';
ALTER TABLE questions DROP CONSTRAINT questions_kind_check;
ALTER TABLE questions ADD CONSTRAINT questions_kind_check
    CHECK (kind IN ('single_choice', 'multiple_choice', 'yes_no', 'scale', 'matrix', 'ranking',
                    'number', 'short_text', 'long_text', 'date', 'place'));

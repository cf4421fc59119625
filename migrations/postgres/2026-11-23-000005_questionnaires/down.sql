DROP TABLE feedback_contacts;
DROP TABLE answers;
DROP TABLE responses;
DROP TABLE questions;
DROP TABLE questionnaires;

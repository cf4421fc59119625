-- The restitution's tables go; `events` keeps its rebuilt shape, whose CHECK accepts every row the previous code
-- writes. Restitution meetings go with the restitutions.
ALTER TABLE outbox_messages DROP COLUMN forget_recipient;
DROP TABLE reach_publics;
DROP TABLE restitution_reach;
DROP TABLE restitution_quotes;
DROP TABLE restitution_questions;
DROP TABLE restitutions;
DELETE FROM events WHERE kind = 'restitution';

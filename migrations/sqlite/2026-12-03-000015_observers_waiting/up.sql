-- An observer asking for a seat in a full project waits for it and keeps observing meanwhile: the waiting
-- enrolment (role participant, status waitlisted) remembers that it observed, and leaving the waiting list turns
-- it back into an observer.
ALTER TABLE enrolments ADD COLUMN observes_while_waiting BOOLEAN NOT NULL DEFAULT 0;

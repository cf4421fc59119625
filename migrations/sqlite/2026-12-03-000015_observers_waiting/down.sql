ALTER TABLE enrolments DROP COLUMN observes_while_waiting;

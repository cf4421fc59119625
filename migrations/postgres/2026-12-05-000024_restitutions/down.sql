ALTER TABLE outbox_messages DROP COLUMN forget_recipient;
DROP TABLE reach_publics;
DROP TABLE restitution_reach;
DROP TABLE restitution_quotes;
DROP TABLE restitution_questions;
DROP TABLE restitutions;
DELETE FROM events WHERE kind = 'restitution';
ALTER TABLE events DROP CONSTRAINT events_restitution_territory;
ALTER TABLE events DROP CONSTRAINT events_kind_check;
ALTER TABLE events ADD CONSTRAINT events_kind_check
    CHECK (kind IN ('meeting', 'local_seminar', 'inter_site_seminar', 'peer_exchange', 'supervision', 'workshop',
                    'follow_up'));

-- On SQLite, subscribers and subscriptions become AUTOINCREMENT so that an id never comes back after a deletion
-- (signed links and outbox keys name them). PostgreSQL's sequences never go back: nothing to do.
SELECT 1;

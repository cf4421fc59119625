-- A project's newsletter, written by the agency or the provider in rubrics (an empty rubric is left out), sent
-- once to the audiences chosen, then archived publicly. `sent_at` NULL is a draft; sending sets it by a
-- conditional UPDATE, so that two people sending at once send once.
CREATE TABLE newsletters (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    edito TEXT NOT NULL DEFAULT '',
    theory TEXT NOT NULL DEFAULT '',
    practice TEXT NOT NULL DEFAULT '',
    territories TEXT NOT NULL DEFAULT '',
    in_progress TEXT NOT NULL DEFAULT '',
    upcoming TEXT NOT NULL DEFAULT '',
    inspiration TEXT NOT NULL DEFAULT '',
    to_participants BOOLEAN NOT NULL,
    to_observers BOOLEAN NOT NULL,
    to_followers BOOLEAN NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    sent_by BIGINT REFERENCES users (id),
    recipients INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX newsletters_project ON newsletters (project_id, sent_at);

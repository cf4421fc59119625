-- The resource base's experience reports (docs/product.md § Resource base): what a territory did, how, for how long,
-- at what cost, with which results and difficulties, whom to ask; written by the agency or a provider (published at
-- once) or proposed by a collectivity and moderated. Each says when it was last checked (`checked_at`); its owner is
-- reminded once per check (`reminded_for`: the check the last reminder was about).
CREATE TABLE experience_reports (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    territory_id BIGINT NOT NULL REFERENCES territories (id),
    theme_id BIGINT REFERENCES themes (id) ON DELETE SET NULL,
    project_id BIGINT REFERENCES projects (id) ON DELETE SET NULL,
    method TEXT NOT NULL,
    duration TEXT NOT NULL DEFAULT '',
    cost TEXT NOT NULL DEFAULT '',
    done TEXT NOT NULL,
    results TEXT NOT NULL DEFAULT '',
    difficulties TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    links TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('proposed', 'published', 'refused')),
    refusal TEXT,
    collectivity_id BIGINT REFERENCES collectivities (id) ON DELETE SET NULL,
    owner_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    checked_at TIMESTAMP NOT NULL,
    reminded_for TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX experience_reports_status ON experience_reports (status, created_at);
-- A report sent twice (a double click, two tabs) is written once: the second lands on the first.
CREATE UNIQUE INDEX experience_reports_once ON experience_reports (owner_id, territory_id, title);
CREATE INDEX experience_reports_checked ON experience_reports (checked_at);

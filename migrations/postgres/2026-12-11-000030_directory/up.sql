-- The resource base's directory of participation and cooperation actors (docs/product.md § Resource base):
-- consultancies, associations, networks, researchers, with their SIRET (checked; one entry per establishment), skills,
-- the territories they serve (départements or régions, or the whole country), a contact and links, and the shared
-- projects they took part in. Published by the agency or a provider, proposed by a collectivity and moderated; checked
-- again by its owner as experience reports are.
CREATE TABLE directory_entries (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('consultancy', 'association', 'network', 'research', 'other')),
    siret TEXT,
    skills TEXT NOT NULL DEFAULT '',
    -- codes of départements and régions, separated and surrounded by spaces (' 86 75 '), or '' with `nationwide`
    served TEXT NOT NULL DEFAULT '',
    nationwide BOOLEAN NOT NULL DEFAULT FALSE,
    description TEXT NOT NULL,
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
CREATE UNIQUE INDEX directory_entries_siret ON directory_entries (siret) WHERE siret IS NOT NULL;
CREATE INDEX directory_entries_status ON directory_entries (status, name);
-- An entry sent twice (a double click, two tabs) is written once: the second lands on the first.
CREATE UNIQUE INDEX directory_entries_once ON directory_entries (owner_id, name);
CREATE INDEX directory_entries_checked ON directory_entries (checked_at);

CREATE TABLE directory_entry_projects (
    entry_id BIGINT NOT NULL REFERENCES directory_entries (id) ON DELETE CASCADE,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    PRIMARY KEY (entry_id, project_id)
);

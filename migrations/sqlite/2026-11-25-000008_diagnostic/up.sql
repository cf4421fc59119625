-- The diagnostic of each participant territory (docs/product.md § Lifecycle, step 4): what is mapped there — actors, engagement
-- spaces and engagement objects — the relations between them, and the sources that speak of them. What an inquiry
-- group member proposes waits as 'proposed' until the provider or the agency publishes or rejects it.

-- Actor families a project adds to the built-in taxonomy (domain::diagnostic::FAMILIES); an actor refers to one
-- as 'f<id>'.
CREATE TABLE actor_families (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (project_id, label)
);

CREATE TABLE map_entries (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('actor', 'space', 'object')),
    name TEXT NOT NULL,
    -- an actor's family, a space's or an object's type
    category TEXT NOT NULL,
    domain TEXT NOT NULL CHECK (domain IN ('citizen', 'thematic')),
    -- an actor's missions, a space's uses, what an object is
    description TEXT NOT NULL DEFAULT '',
    publics TEXT NOT NULL DEFAULT '',
    resources TEXT NOT NULL DEFAULT '',
    engagement TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    links TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    opening_hours TEXT NOT NULL DEFAULT '',
    accessibility TEXT NOT NULL DEFAULT '',
    lon REAL,
    lat REAL,
    -- the commune the point falls in, found from the imported outlines, or given by an import's INSEE code
    commune_id BIGINT REFERENCES territories (id) ON DELETE SET NULL,
    -- the identifier of the row in the file it was imported from: importing the file again updates it
    external_id TEXT,
    status TEXT NOT NULL CHECK (status IN ('published', 'proposed', 'rejected')),
    review_note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    reviewed_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((lon IS NULL) = (lat IS NULL)),
    CHECK (lon IS NULL OR (lon BETWEEN -180 AND 180 AND lat BETWEEN -90 AND 90)),
    UNIQUE (project_id, collectivity_id, kind, external_id)
);
CREATE INDEX map_entries_territory ON map_entries (project_id, collectivity_id, status);
CREATE INDEX map_entries_status ON map_entries (project_id, status);

-- Actor ↔ actor cooperation (kind, intensity, note), actor ↔ space (runs, uses), actor ↔ object (carries, takes
-- part). A cooperation is stored once, from the smaller id to the larger.
CREATE TABLE map_relations (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    from_id BIGINT NOT NULL REFERENCES map_entries (id) ON DELETE CASCADE,
    to_id BIGINT NOT NULL REFERENCES map_entries (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    intensity INTEGER NOT NULL CHECK (intensity BETWEEN 1 AND 3),
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('published', 'proposed', 'rejected')),
    review_note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    reviewed_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (from_id <> to_id),
    UNIQUE (from_id, to_id, kind)
);
CREATE INDEX map_relations_territory ON map_relations (project_id, collectivity_id, status);
CREATE INDEX map_relations_to ON map_relations (to_id);

-- Studies, wellbeing indicators, cahiers de doléances, interviews (anonymised notes), observations.
CREATE TABLE map_sources (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('study', 'indicator', 'doleances', 'interview', 'observation')),
    title TEXT NOT NULL,
    happened_on DATE,
    people_met TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('published', 'proposed', 'rejected')),
    review_note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    reviewed_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX map_sources_territory ON map_sources (project_id, collectivity_id, status);

-- The actors and spaces a source speaks of.
CREATE TABLE source_mentions (
    source_id BIGINT NOT NULL REFERENCES map_sources (id) ON DELETE CASCADE,
    entry_id BIGINT NOT NULL REFERENCES map_entries (id) ON DELETE CASCADE,
    PRIMARY KEY (source_id, entry_id)
);
CREATE INDEX source_mentions_entry ON source_mentions (entry_id);

-- A file uploaded for import, kept between the upload and the column-mapping step (a day at most).
CREATE TABLE pending_imports (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

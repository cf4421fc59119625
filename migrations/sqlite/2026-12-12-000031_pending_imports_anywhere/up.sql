-- A file waiting for its column mapping may be for a territory's diagnostic or for the directory of actors, which
-- belongs to no project. The files kept are a day's uploads at most: the table is made again rather than altered.
DROP TABLE pending_imports;
CREATE TABLE pending_imports (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- 'diagnostic' (with its project and collectivity) or 'directory'.
    purpose TEXT NOT NULL CHECK (purpose IN ('diagnostic', 'directory')),
    project_id BIGINT REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT REFERENCES collectivities (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    -- Set once the file is imported (its content emptied): a mapping sent again lands on what was imported.
    imported_at TIMESTAMP,
    CHECK ((purpose = 'diagnostic') = (project_id IS NOT NULL AND collectivity_id IS NOT NULL))
);

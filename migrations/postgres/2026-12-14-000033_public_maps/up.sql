-- A territory's diagnostic map made public by the project's leads (the provider, the agency): its published sheets,
-- without what belongs to the working space (contacts, resources, notes, the file a sheet came from), on a public
-- page, in the API (by its id) and in open data. One row per territory of a project: publishing twice is publishing
-- once.
CREATE TABLE public_maps (
    id BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    published_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    published_at TIMESTAMP NOT NULL,
    UNIQUE (project_id, collectivity_id)
);

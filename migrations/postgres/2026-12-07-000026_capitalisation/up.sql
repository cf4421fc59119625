-- Capitalisation (docs/product.md § Lifecycle, step 6): the lessons drawn along the way, whose audience widens by
-- decision (participants → observers → public), each widening dated; the recommendations for national public action
-- and where they stand; a project's national deliverable, assembling chosen lessons, recommendations and adopted
-- plans into one publication.
CREATE TABLE lessons (
    id BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    phase TEXT NOT NULL,
    theme_id BIGINT REFERENCES themes (id) ON DELETE SET NULL,
    audience TEXT NOT NULL DEFAULT 'participants' CHECK (audience IN ('participants', 'observers', 'public')),
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX lessons_project ON lessons (project_id, created_at);

-- Each audience a lesson reached, when and by whose decision (its first, `participants`, at its writing).
CREATE TABLE lesson_audiences (
    lesson_id BIGINT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    audience TEXT NOT NULL CHECK (audience IN ('participants', 'observers', 'public')),
    widened_at TIMESTAMP NOT NULL,
    widened_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (lesson_id, audience)
);

CREATE TABLE recommendations (
    id BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    addressee TEXT NOT NULL,
    addressee_kind TEXT NOT NULL CHECK (addressee_kind IN ('ministry', 'operator', 'elected_officials', 'other')),
    status TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'transmitted', 'answered')),
    transmitted_at TIMESTAMP,
    answered_at TIMESTAMP,
    answer TEXT,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (status = 'proposed' OR transmitted_at IS NOT NULL),
    CHECK (status <> 'answered' OR (answered_at IS NOT NULL AND answer IS NOT NULL))
);
CREATE INDEX recommendations_project ON recommendations (project_id, created_at);

-- A project's national deliverable: its own texts, published once by the agency, and what it assembles (a lesson,
-- a recommendation, or a territory's adopted plan by its collectivity), in order.
CREATE TABLE deliverables (
    project_id BIGINT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    introduction TEXT NOT NULL DEFAULT '',
    conclusion TEXT NOT NULL DEFAULT '',
    revision INTEGER NOT NULL DEFAULT 1,
    published_at TIMESTAMP,
    published_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE deliverable_items (
    project_id BIGINT NOT NULL REFERENCES deliverables (project_id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('lesson', 'recommendation', 'plan')),
    item_id BIGINT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (project_id, kind, item_id)
);

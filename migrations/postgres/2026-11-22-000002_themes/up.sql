-- Themes proposed by the agency or a collectivity, and the positions collectivities take on them.
CREATE TABLE themes (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    problem TEXT NOT NULL,
    why_it_matters TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'open', 'selected', 'archived')),
    proposed_by BIGINT NOT NULL REFERENCES users (id),
    -- NULL: proposed by the agency
    proposer_collectivity_id BIGINT REFERENCES collectivities (id),
    merged_into_id BIGINT REFERENCES themes (id),
    -- maintained in the transaction that changes a position, so ranking reads no aggregate
    positions_count INTEGER NOT NULL DEFAULT 0 CHECK (positions_count >= 0),
    participate_count INTEGER NOT NULL DEFAULT 0 CHECK (participate_count >= 0),
    observe_count INTEGER NOT NULL DEFAULT 0 CHECK (observe_count >= 0),
    interested_count INTEGER NOT NULL DEFAULT 0 CHECK (interested_count >= 0),
    opened_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX themes_ranking ON themes (status, positions_count, participate_count, opened_at);

-- One position per collectivity per theme: the unique constraint is the rule.
CREATE TABLE theme_positions (
    id BIGSERIAL PRIMARY KEY,
    theme_id BIGINT NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    stakes TEXT NOT NULL,
    engagement TEXT NOT NULL CHECK (engagement IN ('participate', 'observe', 'interested')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (theme_id, collectivity_id)
);
CREATE INDEX theme_positions_collectivity ON theme_positions (collectivity_id);

-- Every change of a position, dated: positioned, changed, withdrawn, moved (its theme merged into another).
CREATE TABLE theme_position_history (
    id BIGSERIAL PRIMARY KEY,
    theme_id BIGINT NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    action TEXT NOT NULL CHECK (action IN ('positioned', 'changed', 'withdrawn', 'moved')),
    engagement TEXT,
    stakes TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX theme_position_history_theme ON theme_position_history (theme_id, at);

-- What happened on the platform, for project pages and, later, digests.
CREATE TABLE activity_log (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    theme_id BIGINT REFERENCES themes (id) ON DELETE CASCADE,
    collectivity_id BIGINT REFERENCES collectivities (id) ON DELETE CASCADE,
    summary TEXT NOT NULL
);
CREATE INDEX activity_log_at ON activity_log (at);
CREATE INDEX activity_log_theme ON activity_log (theme_id, at);

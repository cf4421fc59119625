-- Territories from the official geographic code (COG) and Banatic: one row per (kind, code).
CREATE TABLE territories (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('commune', 'epci', 'departement', 'region')),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    -- name folded to lowercase ASCII words, for accent- and case-insensitive search
    search_name TEXT NOT NULL,
    epci_type TEXT CHECK (epci_type IN ('CC', 'CA', 'CU', 'METRO', 'MET69')),
    departement_code TEXT,
    region_code TEXT,
    epci_code TEXT,
    siren TEXT,
    -- postcodes separated and surrounded by spaces (' 86100 86000 '), so '% 86%' finds a prefix
    postcodes TEXT NOT NULL DEFAULT '',
    population BIGINT CHECK (population >= 0),
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (kind, code)
);
CREATE INDEX territories_siren ON territories (siren);
CREATE INDEX territories_epci_code ON territories (epci_code);
CREATE INDEX territories_departement_code ON territories (departement_code);

-- Search index: every word of the folded name, the codes and the postcodes of each territory. A query word matches
-- by prefix with a range on the primary key (word >= 'chat' AND word < 'chau'), the same on both backends.
CREATE TABLE territory_words (
    word TEXT NOT NULL,
    territory_id BIGINT NOT NULL REFERENCES territories (id) ON DELETE CASCADE,
    PRIMARY KEY (word, territory_id)
) WITHOUT ROWID;
CREATE INDEX territory_words_territory ON territory_words (territory_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_agency_admin BOOLEAN NOT NULL DEFAULT 0,
    -- bumped when the password changes: sessions carrying an older epoch are void
    session_epoch INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE collectivities (
    id INTEGER PRIMARY KEY,
    territory_id BIGINT NOT NULL UNIQUE REFERENCES territories (id),
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE memberships (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    collectivity_id BIGINT NOT NULL REFERENCES collectivities (id) ON DELETE CASCADE,
    function TEXT NOT NULL CHECK (function IN ('elu', 'agent')),
    is_referent BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, collectivity_id)
);
CREATE INDEX memberships_collectivity ON memberships (collectivity_id);

CREATE TABLE providers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE provider_members (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider_id BIGINT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, provider_id)
);

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    collectivity_id BIGINT REFERENCES collectivities (id) ON DELETE CASCADE,
    provider_id BIGINT REFERENCES providers (id) ON DELETE CASCADE,
    function TEXT CHECK (function IN ('elu', 'agent')),
    is_referent BOOLEAN NOT NULL DEFAULT 0,
    invited_by BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    -- an invitation is to exactly one collectivity (with a function) or one provider
    CHECK ((collectivity_id IS NOT NULL AND function IS NOT NULL AND provider_id IS NULL)
        OR (provider_id IS NOT NULL AND collectivity_id IS NULL))
);
CREATE INDEX invitations_collectivity ON invitations (collectivity_id, created_at);
CREATE INDEX invitations_pending ON invitations (accepted_at, expires_at);

CREATE TABLE password_resets (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX password_resets_user ON password_resets (user_id, created_at);

-- Failed logins, keyed 'compte:<email>' or 'ip:<address>': shared by every instance.
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, failed_at);

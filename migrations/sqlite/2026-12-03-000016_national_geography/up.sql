-- National geography: établissements publics territoriaux (EPT, the eleven territories of the Métropole du Grand
-- Paris) are a kind of territory a collectivity acts for, and a commune names the EPT it belongs to; the codes a
-- real file carries for a commune (of communes merged since, déléguées, associées, arrondissements municipaux) lead
-- to the current commune; a diagnostic sheet records its EPCI and département besides its commune.
--
-- SQLite cannot change a CHECK in place: `territories` is rebuilt by the documented procedure (foreign keys off,
-- new table, copy, drop, rename), in one transaction, so that no row of the tables referencing it is touched.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE territories_new (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('commune', 'epci', 'ept', 'departement', 'region')),
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
    -- a commune of the Métropole du Grand Paris: the code of its EPT
    ept_code TEXT,
    UNIQUE (kind, code)
);
INSERT INTO territories_new (id, kind, code, name, search_name, epci_type, departement_code, region_code, epci_code,
                             siren, postcodes, population, updated_at)
    SELECT id, kind, code, name, search_name, epci_type, departement_code, region_code, epci_code, siren, postcodes,
           population, updated_at
    FROM territories;
DROP TABLE territories;
ALTER TABLE territories_new RENAME TO territories;
CREATE INDEX territories_siren ON territories (siren);
CREATE INDEX territories_epci_code ON territories (epci_code);
CREATE INDEX territories_departement_code ON territories (departement_code);
CREATE INDEX territories_ept_code ON territories (ept_code);

-- Codes that are not a current commune's, each with the current commune it leads to.
CREATE TABLE commune_codes (
    code TEXT PRIMARY KEY,
    commune_code TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('merged', 'delegated', 'associated', 'district')),
    name TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

ALTER TABLE map_entries ADD COLUMN epci_id BIGINT REFERENCES territories (id) ON DELETE SET NULL;
ALTER TABLE map_entries ADD COLUMN departement_code TEXT;
COMMIT;
PRAGMA foreign_keys = ON;

PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
ALTER TABLE map_entries DROP COLUMN departement_code;
ALTER TABLE map_entries DROP COLUMN epci_id;
DROP TABLE commune_codes;
DELETE FROM territories WHERE kind = 'ept';
CREATE TABLE territories_old (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('commune', 'epci', 'departement', 'region')),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    search_name TEXT NOT NULL,
    epci_type TEXT CHECK (epci_type IN ('CC', 'CA', 'CU', 'METRO', 'MET69')),
    departement_code TEXT,
    region_code TEXT,
    epci_code TEXT,
    siren TEXT,
    postcodes TEXT NOT NULL DEFAULT '',
    population BIGINT CHECK (population >= 0),
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (kind, code)
);
INSERT INTO territories_old SELECT id, kind, code, name, search_name, epci_type, departement_code, region_code,
                                   epci_code, siren, postcodes, population, updated_at FROM territories;
DROP TABLE territories;
ALTER TABLE territories_old RENAME TO territories;
CREATE INDEX territories_siren ON territories (siren);
CREATE INDEX territories_epci_code ON territories (epci_code);
CREATE INDEX territories_departement_code ON territories (departement_code);
COMMIT;
PRAGMA foreign_keys = ON;

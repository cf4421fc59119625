-- National geography: établissements publics territoriaux (EPT, the eleven territories of the Métropole du Grand
-- Paris) are a kind of territory a collectivity acts for, and a commune names the EPT it belongs to; the codes a
-- real file carries for a commune (of communes merged since, déléguées, associées, arrondissements municipaux) lead
-- to the current commune; a diagnostic sheet records its EPCI and département besides its commune.
ALTER TABLE territories DROP CONSTRAINT territories_kind_check;
ALTER TABLE territories ADD CONSTRAINT territories_kind_check
    CHECK (kind IN ('commune', 'epci', 'ept', 'departement', 'region'));
-- a commune of the Métropole du Grand Paris: the code of its EPT
ALTER TABLE territories ADD COLUMN ept_code TEXT;
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

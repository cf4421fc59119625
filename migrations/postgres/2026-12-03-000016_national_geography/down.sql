ALTER TABLE map_entries DROP COLUMN departement_code;
ALTER TABLE map_entries DROP COLUMN epci_id;
DROP TABLE commune_codes;
DELETE FROM territories WHERE kind = 'ept';
DROP INDEX territories_ept_code;
ALTER TABLE territories DROP COLUMN ept_code;
ALTER TABLE territories DROP CONSTRAINT territories_kind_check;
ALTER TABLE territories ADD CONSTRAINT territories_kind_check
    CHECK (kind IN ('commune', 'epci', 'departement', 'region'));

DROP TABLE pending_imports;
DROP TABLE source_mentions;
DROP TABLE map_sources;
DROP TABLE map_relations;
DROP TABLE map_entries;
DROP TABLE actor_families;

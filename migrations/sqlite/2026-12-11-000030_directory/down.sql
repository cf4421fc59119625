DROP TABLE directory_entry_projects;
DROP TABLE directory_entries;

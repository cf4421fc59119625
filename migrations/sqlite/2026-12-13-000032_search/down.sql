DROP TABLE themes_search;
DROP TABLE inspiration_resources_search;
DROP TABLE experience_reports_search;
DROP TABLE directory_entries_search;
DROP TABLE projects_search;
DROP TABLE plan_versions_search;
DROP TABLE lessons_search;

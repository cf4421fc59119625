-- Search across the platform (SQLite): one FTS5 table per searched table, holding its title and its text
-- (accents and case folded by the tokenizer), kept by triggers; what a visitor may read is decided when
-- searching, from the searched table itself (storage::search).

CREATE VIRTUAL TABLE themes_search USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER themes_search_insert AFTER INSERT ON themes BEGIN
    INSERT INTO themes_search (rowid, title, body) VALUES (new.id, coalesce(new.title, ''), coalesce(new.problem, '') || ' ' || coalesce(new.why_it_matters, ''));
END;
CREATE TRIGGER themes_search_update AFTER UPDATE OF title, problem, why_it_matters ON themes BEGIN
    DELETE FROM themes_search WHERE rowid = old.id;
    INSERT INTO themes_search (rowid, title, body) VALUES (new.id, coalesce(new.title, ''), coalesce(new.problem, '') || ' ' || coalesce(new.why_it_matters, ''));
END;
CREATE TRIGGER themes_search_delete AFTER DELETE ON themes BEGIN
    DELETE FROM themes_search WHERE rowid = old.id;
END;
INSERT INTO themes_search (rowid, title, body) SELECT s.id, coalesce(s.title, ''), coalesce(s.problem, '') || ' ' || coalesce(s.why_it_matters, '') FROM themes s;

CREATE VIRTUAL TABLE inspiration_resources_search USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER inspiration_resources_search_insert AFTER INSERT ON inspiration_resources BEGIN
    INSERT INTO inspiration_resources_search (rowid, title, body) VALUES (new.id, coalesce(new.title, ''), coalesce(new.summary, '') || ' ' || coalesce(new.body, ''));
END;
CREATE TRIGGER inspiration_resources_search_update AFTER UPDATE OF title, summary, body ON inspiration_resources BEGIN
    DELETE FROM inspiration_resources_search WHERE rowid = old.id;
    INSERT INTO inspiration_resources_search (rowid, title, body) VALUES (new.id, coalesce(new.title, ''), coalesce(new.summary, '') || ' ' || coalesce(new.body, ''));
END;
CREATE TRIGGER inspiration_resources_search_delete AFTER DELETE ON inspiration_resources BEGIN
    DELETE FROM inspiration_resources_search WHERE rowid = old.id;
END;
INSERT INTO inspiration_resources_search (rowid, title, body) SELECT s.id, coalesce(s.title, ''), coalesce(s.summary, '') || ' ' || coalesce(s.body, '') FROM inspiration_resources s;

CREATE VIRTUAL TABLE experience_reports_search USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER experience_reports_search_insert AFTER INSERT ON experience_reports BEGIN
    INSERT INTO experience_reports_search (rowid, title, body) VALUES (new.id, coalesce(new.title, ''), coalesce(new.method, '') || ' ' || coalesce(new.done, '') || ' ' || coalesce(new.results, '') || ' ' || coalesce(new.difficulties, '') || ' ' || coalesce((SELECT name FROM territories WHERE id = new.territory_id), ''));
END;
CREATE TRIGGER experience_reports_search_update AFTER UPDATE OF title, method, done, results, difficulties, territory_id ON experience_reports BEGIN
    DELETE FROM experience_reports_search WHERE rowid = old.id;
    INSERT INTO experience_reports_search (rowid, title, body) VALUES (new.id, coalesce(new.title, ''), coalesce(new.method, '') || ' ' || coalesce(new.done, '') || ' ' || coalesce(new.results, '') || ' ' || coalesce(new.difficulties, '') || ' ' || coalesce((SELECT name FROM territories WHERE id = new.territory_id), ''));
END;
CREATE TRIGGER experience_reports_search_delete AFTER DELETE ON experience_reports BEGIN
    DELETE FROM experience_reports_search WHERE rowid = old.id;
END;
INSERT INTO experience_reports_search (rowid, title, body) SELECT s.id, coalesce(s.title, ''), coalesce(s.method, '') || ' ' || coalesce(s.done, '') || ' ' || coalesce(s.results, '') || ' ' || coalesce(s.difficulties, '') || ' ' || coalesce((SELECT name FROM territories WHERE id = s.territory_id), '') FROM experience_reports s;

CREATE VIRTUAL TABLE directory_entries_search USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER directory_entries_search_insert AFTER INSERT ON directory_entries BEGIN
    INSERT INTO directory_entries_search (rowid, title, body) VALUES (new.id, coalesce(new.name, ''), coalesce(new.skills, '') || ' ' || coalesce(new.description, ''));
END;
CREATE TRIGGER directory_entries_search_update AFTER UPDATE OF name, skills, description ON directory_entries BEGIN
    DELETE FROM directory_entries_search WHERE rowid = old.id;
    INSERT INTO directory_entries_search (rowid, title, body) VALUES (new.id, coalesce(new.name, ''), coalesce(new.skills, '') || ' ' || coalesce(new.description, ''));
END;
CREATE TRIGGER directory_entries_search_delete AFTER DELETE ON directory_entries BEGIN
    DELETE FROM directory_entries_search WHERE rowid = old.id;
END;
INSERT INTO directory_entries_search (rowid, title, body) SELECT s.id, coalesce(s.name, ''), coalesce(s.skills, '') || ' ' || coalesce(s.description, '') FROM directory_entries s;

CREATE VIRTUAL TABLE projects_search USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER projects_search_insert AFTER INSERT ON projects BEGIN
    INSERT INTO projects_search (rowid, title, body) VALUES (new.id, coalesce(new.title, ''), coalesce(new.description, ''));
END;
CREATE TRIGGER projects_search_update AFTER UPDATE OF title, description ON projects BEGIN
    DELETE FROM projects_search WHERE rowid = old.id;
    INSERT INTO projects_search (rowid, title, body) VALUES (new.id, coalesce(new.title, ''), coalesce(new.description, ''));
END;
CREATE TRIGGER projects_search_delete AFTER DELETE ON projects BEGIN
    DELETE FROM projects_search WHERE rowid = old.id;
END;
INSERT INTO projects_search (rowid, title, body) SELECT s.id, coalesce(s.title, ''), coalesce(s.description, '') FROM projects s;

CREATE VIRTUAL TABLE plan_versions_search USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER plan_versions_search_insert AFTER INSERT ON plan_versions BEGIN
    INSERT INTO plan_versions_search (rowid, title, body) VALUES (new.id, coalesce((SELECT t.name FROM action_plans p JOIN collectivities c ON c.id = p.collectivity_id JOIN territories t ON t.id = c.territory_id WHERE p.id = new.plan_id), ''), (SELECT group_concat(value, ' ') FROM json_tree(new.content) WHERE key IN ('title', 'description') AND type = 'text'));
END;
CREATE TRIGGER plan_versions_search_update AFTER UPDATE OF content ON plan_versions BEGIN
    DELETE FROM plan_versions_search WHERE rowid = old.id;
    INSERT INTO plan_versions_search (rowid, title, body) VALUES (new.id, coalesce((SELECT t.name FROM action_plans p JOIN collectivities c ON c.id = p.collectivity_id JOIN territories t ON t.id = c.territory_id WHERE p.id = new.plan_id), ''), (SELECT group_concat(value, ' ') FROM json_tree(new.content) WHERE key IN ('title', 'description') AND type = 'text'));
END;
CREATE TRIGGER plan_versions_search_delete AFTER DELETE ON plan_versions BEGIN
    DELETE FROM plan_versions_search WHERE rowid = old.id;
END;
INSERT INTO plan_versions_search (rowid, title, body) SELECT s.id, coalesce((SELECT t.name FROM action_plans p JOIN collectivities c ON c.id = p.collectivity_id JOIN territories t ON t.id = c.territory_id WHERE p.id = s.plan_id), ''), (SELECT group_concat(value, ' ') FROM json_tree(s.content) WHERE key IN ('title', 'description') AND type = 'text') FROM plan_versions s;

CREATE VIRTUAL TABLE lessons_search USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER lessons_search_insert AFTER INSERT ON lessons BEGIN
    INSERT INTO lessons_search (rowid, title, body) VALUES (new.id, coalesce(new.title, ''), coalesce(new.body, ''));
END;
CREATE TRIGGER lessons_search_update AFTER UPDATE OF title, body ON lessons BEGIN
    DELETE FROM lessons_search WHERE rowid = old.id;
    INSERT INTO lessons_search (rowid, title, body) VALUES (new.id, coalesce(new.title, ''), coalesce(new.body, ''));
END;
CREATE TRIGGER lessons_search_delete AFTER DELETE ON lessons BEGIN
    DELETE FROM lessons_search WHERE rowid = old.id;
END;
INSERT INTO lessons_search (rowid, title, body) SELECT s.id, coalesce(s.title, ''), coalesce(s.body, '') FROM lessons s;

-- Search across the platform (PostgreSQL): a weighted tsvector per searched row (its title A, its text B),
-- folded as domain::text::fold folds the words searched (accents, case, œ and æ), kept by a trigger, with a
-- GIN index; what a visitor may read is decided when searching, from the row itself (storage::search).

CREATE FUNCTION encommun_fold(input TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT replace(replace(replace(replace(translate(lower(coalesce(input, '')), 'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿ’', 'aaaaaaaaaaaacceeeeeeeeiiiiiiiinnoooooooooouuuuuuuuyyy '), 'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae')
$$;

CREATE FUNCTION encommun_search_vector(title TEXT, body TEXT) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('simple', encommun_fold(title)), 'A') || setweight(to_tsvector('simple', encommun_fold(body)), 'B')
$$;

ALTER TABLE themes ADD COLUMN search_vector tsvector;
CREATE FUNCTION themes_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := encommun_search_vector(NEW.title, concat_ws(' ', NEW.problem, NEW.why_it_matters));
    RETURN NEW;
END
$$;
CREATE TRIGGER themes_search_vector BEFORE INSERT OR UPDATE OF title, problem, why_it_matters ON themes
    FOR EACH ROW EXECUTE FUNCTION themes_search_vector();
UPDATE themes SET title = title;
CREATE INDEX themes_search ON themes USING GIN (search_vector);

ALTER TABLE inspiration_resources ADD COLUMN search_vector tsvector;
CREATE FUNCTION inspiration_resources_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := encommun_search_vector(NEW.title, concat_ws(' ', NEW.summary, NEW.body));
    RETURN NEW;
END
$$;
CREATE TRIGGER inspiration_resources_search_vector BEFORE INSERT OR UPDATE OF title, summary, body ON inspiration_resources
    FOR EACH ROW EXECUTE FUNCTION inspiration_resources_search_vector();
UPDATE inspiration_resources SET title = title;
CREATE INDEX inspiration_resources_search ON inspiration_resources USING GIN (search_vector);

ALTER TABLE experience_reports ADD COLUMN search_vector tsvector;
CREATE FUNCTION experience_reports_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := encommun_search_vector(NEW.title, concat_ws(' ', NEW.method, NEW.done, NEW.results, NEW.difficulties, (SELECT name FROM territories WHERE id = NEW.territory_id)));
    RETURN NEW;
END
$$;
CREATE TRIGGER experience_reports_search_vector BEFORE INSERT OR UPDATE OF title, method, done, results, difficulties, territory_id ON experience_reports
    FOR EACH ROW EXECUTE FUNCTION experience_reports_search_vector();
UPDATE experience_reports SET title = title;
CREATE INDEX experience_reports_search ON experience_reports USING GIN (search_vector);

ALTER TABLE directory_entries ADD COLUMN search_vector tsvector;
CREATE FUNCTION directory_entries_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := encommun_search_vector(NEW.name, concat_ws(' ', NEW.skills, NEW.description));
    RETURN NEW;
END
$$;
CREATE TRIGGER directory_entries_search_vector BEFORE INSERT OR UPDATE OF name, skills, description ON directory_entries
    FOR EACH ROW EXECUTE FUNCTION directory_entries_search_vector();
UPDATE directory_entries SET name = name;
CREATE INDEX directory_entries_search ON directory_entries USING GIN (search_vector);

ALTER TABLE projects ADD COLUMN search_vector tsvector;
CREATE FUNCTION projects_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := encommun_search_vector(NEW.title, concat_ws(' ', NEW.description));
    RETURN NEW;
END
$$;
CREATE TRIGGER projects_search_vector BEFORE INSERT OR UPDATE OF title, description ON projects
    FOR EACH ROW EXECUTE FUNCTION projects_search_vector();
UPDATE projects SET title = title;
CREATE INDEX projects_search ON projects USING GIN (search_vector);

ALTER TABLE plan_versions ADD COLUMN search_vector tsvector;
CREATE FUNCTION plan_versions_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := encommun_search_vector((SELECT t.name FROM action_plans p JOIN collectivities c ON c.id = p.collectivity_id JOIN territories t ON t.id = c.territory_id WHERE p.id = NEW.plan_id), concat_ws(' ', (SELECT string_agg(value #>> '{}', ' ') FROM jsonb_path_query(NEW.content::jsonb, 'strict $.**.title ? (@.type() == "string")') AS value), (SELECT string_agg(value #>> '{}', ' ') FROM jsonb_path_query(NEW.content::jsonb, 'strict $.**.description ? (@.type() == "string")') AS value)));
    RETURN NEW;
END
$$;
CREATE TRIGGER plan_versions_search_vector BEFORE INSERT OR UPDATE OF content ON plan_versions
    FOR EACH ROW EXECUTE FUNCTION plan_versions_search_vector();
UPDATE plan_versions SET content = content;
CREATE INDEX plan_versions_search ON plan_versions USING GIN (search_vector);

ALTER TABLE lessons ADD COLUMN search_vector tsvector;
CREATE FUNCTION lessons_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := encommun_search_vector(NEW.title, concat_ws(' ', NEW.body));
    RETURN NEW;
END
$$;
CREATE TRIGGER lessons_search_vector BEFORE INSERT OR UPDATE OF title, body ON lessons
    FOR EACH ROW EXECUTE FUNCTION lessons_search_vector();
UPDATE lessons SET title = title;
CREATE INDEX lessons_search ON lessons USING GIN (search_vector);

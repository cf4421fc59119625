//! Searching the platform through each backend's own engine: SQLite's FTS5 tables (`{table}_search`, kept by
//! triggers) and PostgreSQL's weighted `search_vector` columns (kept by triggers, GIN-indexed) — migration 000032.
//! What may be found is decided here, from the searched rows themselves and never from the index: published themes,
//! all inspiration, published reports and directory entries, projects, the latest adopted version of each action
//! plan, lessons shared with everyone. Nothing else is public, so nothing else is ever searched.

use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Nullable, Text};
use diesel::sqlite::Sqlite;

use super::DbConnection;
use crate::domain::search::{SearchKind, SearchTerms};

/// How one kind is searched. Its SQL names the searched row `s`, and `:theme`, `:dep`, `:dep_like` and `:reg_like`
/// stand for the filters' values.
struct Source {
    kind: SearchKind,
    /// The searched table, as `table s`; its FTS5 table is `{table}_search`.
    table: &'static str,
    /// Tables joined to it, for what is shown and filtered.
    joins: &'static str,
    title: &'static str,
    excerpt: &'static str,
    /// The project and the collectivity a result belongs to, for its link.
    project: &'static str,
    collectivity: &'static str,
    /// What of it is public.
    visible: &'static str,
    theme: &'static str,
    territory: &'static str,
}

/// A département whose number is `:dep`, or any territory in it.
const IN_DEPARTEMENT: &str = "(t.departement_code = :dep OR (t.kind = 'departement' AND t.code = :dep))";

/// A project with an active participant in the département.
const PROJECT_IN_DEPARTEMENT: &str = "EXISTS (SELECT 1 FROM enrolments e \
    JOIN collectivities c ON c.id = e.collectivity_id JOIN territories t ON t.id = c.territory_id \
    WHERE e.project_id = {project} AND e.role = 'participant' AND e.status = 'active' AND \
    (t.departement_code = :dep OR (t.kind = 'departement' AND t.code = :dep)))";

const SOURCES: [Source; 7] = [
    Source {
        kind: SearchKind::Theme,
        table: "themes",
        joins: "",
        title: "s.title",
        excerpt: "s.problem",
        project: "NULL",
        collectivity: "NULL",
        visible: "s.status <> 'proposed' AND s.merged_into_id IS NULL",
        theme: "s.id = :theme",
        territory: "",
    },
    Source {
        kind: SearchKind::Inspiration,
        table: "inspiration_resources",
        joins: "",
        title: "s.title",
        excerpt: "s.summary",
        project: "NULL",
        collectivity: "NULL",
        visible: "1 = 1",
        theme:
            "EXISTS (SELECT 1 FROM inspiration_resource_themes x WHERE x.resource_id = s.id AND x.theme_id = :theme)",
        territory: "",
    },
    Source {
        kind: SearchKind::Report,
        table: "experience_reports",
        joins: "JOIN territories t ON t.id = s.territory_id",
        title: "s.title",
        excerpt: "s.done",
        project: "NULL",
        collectivity: "NULL",
        visible: "s.status = 'published'",
        theme: "s.theme_id = :theme",
        territory: IN_DEPARTEMENT,
    },
    Source {
        kind: SearchKind::Directory,
        table: "directory_entries",
        joins: "",
        title: "s.name",
        excerpt: "s.description",
        project: "NULL",
        collectivity: "NULL",
        visible: "s.status = 'published'",
        theme: "",
        territory: "(s.served LIKE :dep_like OR s.served LIKE :reg_like OR s.nationwide = TRUE)",
    },
    Source {
        kind: SearchKind::Project,
        table: "projects",
        joins: "",
        title: "s.title",
        excerpt: "s.description",
        project: "s.id",
        collectivity: "NULL",
        visible: "1 = 1",
        theme: "s.theme_id = :theme",
        territory: "PROJECT:s.id",
    },
    Source {
        kind: SearchKind::Plan,
        table: "plan_versions",
        joins: "JOIN action_plans p ON p.id = s.plan_id JOIN projects pr ON pr.id = p.project_id \
                JOIN collectivities c ON c.id = p.collectivity_id JOIN territories t ON t.id = c.territory_id",
        title: "t.name",
        excerpt: "pr.title",
        project: "p.project_id",
        collectivity: "p.collectivity_id",
        // The version in force: adopted, and none adopted after it.
        visible: "s.state = 'adopted' AND NOT EXISTS (SELECT 1 FROM plan_versions n \
                  WHERE n.plan_id = s.plan_id AND n.state = 'adopted' AND n.number > s.number)",
        theme: "pr.theme_id = :theme",
        territory: IN_DEPARTEMENT,
    },
    Source {
        kind: SearchKind::Lesson,
        table: "lessons",
        joins: "JOIN projects pr ON pr.id = s.project_id",
        title: "s.title",
        excerpt: "s.body",
        project: "s.project_id",
        collectivity: "NULL",
        visible: "s.audience = 'public'",
        theme: "coalesce(s.theme_id, pr.theme_id) = :theme",
        territory: "PROJECT:s.project_id",
    },
];

/// What narrows a search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub kind: Option<SearchKind>,
    pub theme_id: Option<i64>,
    /// A département's number and its région's code.
    pub departement: Option<(String, Option<String>)>,
}

/// One thing found.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub kind: SearchKind,
    pub id: i64,
    pub title: String,
    /// The beginning of its text (or, for a plan, its project's title).
    pub excerpt: String,
    pub project_id: Option<i64>,
    pub collectivity_id: Option<i64>,
}

#[derive(QueryableByName)]
struct HitRow {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Text)]
    excerpt: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    project_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    collectivity_id: Option<i64>,
    #[allow(dead_code)]
    #[diesel(sql_type = Double)]
    score: f64,
}

#[derive(QueryableByName)]
struct CountRow {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    found: i64,
}

/// A value bound to a query.
#[derive(Debug, Clone)]
enum Bind {
    Text(String),
    Int(i64),
}

/// The engine a query is written for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Engine {
    Fts5,
    Postgres,
}

/// A query and its values, placeholders numbered as the engine wants them.
struct Sql {
    engine: Engine,
    text: String,
    binds: Vec<Bind>,
}

impl Sql {
    fn new(engine: Engine) -> Sql {
        Sql { engine, text: String::new(), binds: Vec::new() }
    }

    /// Appends a fragment, its `:name` placeholders bound to `values`.
    fn push(&mut self, fragment: &str, values: &[(&str, &Bind)]) {
        let mut rest = fragment;
        while let Some(at) = rest.find(':') {
            let name_len =
                rest[at + 1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len() - at - 1);
            let name = &rest[at + 1..at + 1 + name_len];
            self.text.push_str(&rest[..at]);
            match values.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => {
                    self.binds.push((*value).clone());
                    match self.engine {
                        Engine::Fts5 => self.text.push('?'),
                        Engine::Postgres => self.text.push_str(&format!("${}", self.binds.len())),
                    }
                }
                // Not a placeholder (a cast, a time): kept as written.
                None => self.text.push_str(&rest[at..at + 1 + name_len]),
            }
            rest = &rest[at + 1 + name_len..];
        }
        self.text.push_str(rest);
    }
}

/// The union of every kind searched, each row (kind, id, title, excerpt, project, collectivity, score: lower is
/// better) — or, for counting, its kind alone (nothing ranked, nothing cut).
fn matches(engine: Engine, terms: &SearchTerms, filters: &Filters, counting: bool) -> Sql {
    let query = Bind::Text(match engine {
        Engine::Fts5 => terms.fts5(),
        Engine::Postgres => terms.tsquery(),
    });
    let theme = Bind::Int(filters.theme_id.unwrap_or_default());
    let (dep, region) = filters.departement.clone().unwrap_or_default();
    let dep_like = Bind::Text(format!("% {dep} %"));
    // No région known: a pattern no entry holds.
    let reg_like = Bind::Text(region.map_or_else(|| "-".to_owned(), |r| format!("% R{r} %")));
    let dep = Bind::Text(dep);
    let values = [("q", &query), ("theme", &theme), ("dep", &dep), ("dep_like", &dep_like), ("reg_like", &reg_like)];
    let mut sql = Sql::new(engine);
    let mut first = true;
    for source in &SOURCES {
        if filters.kind.is_some_and(|k| k != source.kind)
            || (filters.theme_id.is_some() && source.theme.is_empty())
            || (filters.departement.is_some() && source.territory.is_empty())
        {
            continue;
        }
        if !first {
            sql.push(" UNION ALL ", &[]);
        }
        first = false;
        let table = source.table;
        let (from, matched, score) = match engine {
            Engine::Fts5 => (
                format!("{table}_search JOIN {table} s ON s.id = {table}_search.rowid"),
                format!("{table}_search MATCH :q"),
                // The title weighs ten times the text.
                format!("bm25({table}_search, 10.0, 1.0)"),
            ),
            Engine::Postgres => (
                format!("{table} s"),
                "s.search_vector @@ to_tsquery('simple', :q)".to_owned(),
                "-ts_rank(s.search_vector, to_tsquery('simple', :q))".to_owned(),
            ),
        };
        let columns = if counting {
            format!("'{}' AS kind", source.kind.code())
        } else {
            format!(
                "'{kind}' AS kind, s.id AS id, {title} AS title, substr({excerpt}, 1, 400) AS excerpt, \
                 CAST({project} AS BIGINT) AS project_id, CAST({collectivity} AS BIGINT) AS collectivity_id, \
                 CAST({score} AS DOUBLE PRECISION) AS score",
                kind = source.kind.code(),
                title = source.title,
                excerpt = source.excerpt,
                project = source.project,
                collectivity = source.collectivity,
            )
        };
        sql.push(
            &format!(
                "SELECT {columns} FROM {from} {joins} WHERE {matched} AND {visible}",
                joins = source.joins,
                visible = source.visible
            ),
            &values,
        );
        if filters.theme_id.is_some() {
            sql.push(&format!(" AND {}", source.theme), &values);
        }
        if filters.departement.is_some() {
            let territory = match source.territory.strip_prefix("PROJECT:") {
                Some(project) => PROJECT_IN_DEPARTEMENT.replace("{project}", project),
                None => source.territory.to_owned(),
            };
            sql.push(&format!(" AND {territory}"), &values);
        }
    }
    if first {
        // Every kind filtered out (a theme with the directory): a union of nothing.
        sql.push(
            "SELECT 'none' AS kind, CAST(0 AS BIGINT) AS id, '' AS title, '' AS excerpt, CAST(NULL AS BIGINT) AS \
             project_id, CAST(NULL AS BIGINT) AS collectivity_id, CAST(0 AS DOUBLE PRECISION) AS score WHERE 1 = 0",
            &[],
        );
    }
    sql
}

/// Loads a query's rows on the connection's backend.
fn load<T>(conn: &mut DbConnection, sql: Sql) -> QueryResult<Vec<T>>
where
    T: QueryableByName<Sqlite> + QueryableByName<Pg> + 'static,
{
    macro_rules! bound {
        ($backend:ty) => {{
            let mut query = diesel::sql_query(sql.text).into_boxed::<$backend>();
            for bind in sql.binds {
                query = match bind {
                    Bind::Text(text) => query.bind::<Text, _>(text),
                    Bind::Int(int) => query.bind::<BigInt, _>(int),
                };
            }
            query
        }};
    }
    match conn {
        DbConnection::Sqlite(c) => bound!(Sqlite).load(c),
        DbConnection::Postgres(c) => bound!(Pg).load(c),
    }
}

fn engine_of(conn: &DbConnection) -> Engine {
    match conn {
        DbConnection::Sqlite(_) => Engine::Fts5,
        DbConnection::Postgres(_) => Engine::Postgres,
    }
}

/// How many things of each kind match (kinds without any left out).
pub fn count_by_kind(
    conn: &mut DbConnection,
    terms: &SearchTerms,
    filters: &Filters,
) -> QueryResult<Vec<(SearchKind, i64)>> {
    let union = matches(engine_of(conn), terms, filters, true);
    let sql =
        Sql { text: format!("SELECT kind, COUNT(*) AS found FROM ({}) found GROUP BY kind", union.text), ..union };
    let rows: Vec<CountRow> = load(conn, sql)?;
    Ok(SearchKind::ALL
        .into_iter()
        .filter_map(|kind| rows.iter().find(|r| r.kind == kind.code()).map(|r| (kind, r.found)))
        .collect())
}

/// A page of what matches, the best first (then by kind and id, so that pages never overlap).
pub fn search(
    conn: &mut DbConnection,
    terms: &SearchTerms,
    filters: &Filters,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<Hit>> {
    let union = matches(engine_of(conn), terms, filters, false);
    let sql = Sql {
        text: format!(
            "SELECT * FROM ({}) found ORDER BY score, kind, id LIMIT {} OFFSET {}",
            union.text,
            limit.clamp(1, 100),
            offset.max(0)
        ),
        ..union
    };
    let rows: Vec<HitRow> = load(conn, sql)?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(Hit {
                kind: SearchKind::parse(&row.kind)?,
                id: row.id,
                title: row.title,
                excerpt: row.excerpt,
                project_id: row.project_id,
                collectivity_id: row.collectivity_id,
            })
        })
        .collect())
}

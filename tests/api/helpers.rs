//! The test harness: `spawn_app` starts the real application on port 0 with its own database (a temporary SQLite
//! file, or a new PostgreSQL database dropped at the end), and `Client` is a browser-like HTTP client that keeps
//! cookies and fills CSRF tokens from the pages it reads.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use encommun::config::Config;
use encommun::startup::Application;
use encommun::storage::{DatabaseUrl, DbConnection, DbPool};

pub use crate::shared_data::shared_data;

/// The official territory files of shared/data, in the order they import (a région before its départements…).
pub const TERRITORY_FILES: [&str; 4] = [
    "territories/regions.json",
    "territories/departements.json",
    "territories/epci-2026.json",
    "territories/communes-2026.csv",
];

/// The same, with the établissements publics territoriaux and the COG's codes of every kind of commune (communes
/// merged since, déléguées, associées, arrondissements).
pub const NATIONAL_FILES: [&str; 6] = [
    "territories/regions.json",
    "territories/departements.json",
    "territories/epci-2026.json",
    "territories/communes-2026.csv",
    "territories/ept-2026.json",
    "territories/communes-2026-tous-types.json",
];

#[derive(Clone, Debug)]
pub enum Backend {
    Sqlite,
    /// Administrative URL of a PostgreSQL server on which test databases are created.
    Postgres(String),
}

impl Backend {
    /// PostgreSQL from `ENCOMMUN_TEST_POSTGRES_URL`. Without it the test says it was skipped, except under CI where
    /// skipping would hide half of the proof.
    pub fn postgres() -> Option<Backend> {
        match std::env::var("ENCOMMUN_TEST_POSTGRES_URL") {
            Ok(url) if !url.is_empty() => Some(Backend::Postgres(url)),
            _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
                panic!(
                    "CI=true mais ENCOMMUN_TEST_POSTGRES_URL n'est pas défini : les tests PostgreSQL doivent tourner"
                )
            }
            _ => {
                eprintln!("PostgreSQL test skipped: ENCOMMUN_TEST_POSTGRES_URL is not set");
                None
            }
        }
    }
}

/// A PostgreSQL database created for one test and dropped with it.
pub struct PgDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl PgDatabase {
    fn create(admin_url: &str) -> PgDatabase {
        let name = format!("encommun_test_{}", &encommun::security::random_token()[..16]);
        let mut admin = PgConnection::establish(admin_url)
            .unwrap_or_else(|e| panic!("PostgreSQL unreachable at ENCOMMUN_TEST_POSTGRES_URL: {e}"));
        admin.batch_execute(&format!("CREATE DATABASE {name}")).expect("create test database");
        let (base, rest) = admin_url.rsplit_once('/').unwrap_or((admin_url, ""));
        // Tests talk to a local server: without TLS, libpq leaves OpenSSL alone, whose clean-up at process exit
        // could otherwise race with the servers' threads still holding pooled connections (seen as a SIGSEGV).
        let query = match rest.split_once('?') {
            Some((_, query)) if query.contains("sslmode=") => query.to_owned(),
            Some((_, query)) => format!("{query}&sslmode=disable"),
            None => "sslmode=disable".to_owned(),
        };
        PgDatabase { admin_url: admin_url.to_owned(), url: format!("{base}/{name}?{query}"), name }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&self.admin_url) {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

pub struct TestApp {
    pub address: String,
    pub data_dir: tempfile::TempDir,
    pub pool: DbPool,
    pub config: Config,
    pub backend: Backend,
    _database: Option<std::sync::Arc<PgDatabase>>,
}

pub const SESSION_KEY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// The application with settings of the test's choosing.
pub async fn spawn_app_with(backend: Backend, settings: impl FnOnce(&mut Config)) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temporary data folder");
    let (database_url, database) = match &backend {
        Backend::Sqlite => {
            (DatabaseUrl::Sqlite(data_dir.path().join("test.sqlite3").to_string_lossy().into_owned()), None)
        }
        Backend::Postgres(admin) => {
            let db = PgDatabase::create(admin);
            (DatabaseUrl::Postgres(db.url.clone()), Some(std::sync::Arc::new(db)))
        }
    };
    let mut config = Config::for_data_dir(data_dir.path(), database_url);
    config.session_key = encommun::security::hex_decode(SESSION_KEY);
    settings(&mut config);
    start(config, backend, data_dir, database)
}

fn start(
    mut config: Config,
    backend: Backend,
    data_dir: tempfile::TempDir,
    database: Option<std::sync::Arc<PgDatabase>>,
) -> TestApp {
    let app = Application::build(config.clone()).expect("application starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    config.base_url = address.clone();
    let pool = app.pool.clone();
    actix_web::rt::spawn(app.run_until_stopped());
    TestApp { address, data_dir, pool, config, backend, _database: database }
}

impl TestApp {
    pub fn conn(&self) -> encommun::storage::PooledConnection {
        self.pool.get().expect("database connection")
    }

    /// Another instance on the same database and session key, as behind a load balancer.
    pub fn second_instance(&self) -> TestApp {
        let data_dir = tempfile::tempdir().expect("temporary data folder");
        let mut config = self.config.clone();
        config.listen = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
        config.mail.transport = encommun::config::MailTransport::File(data_dir.path().join("mail"));
        start(config, self.backend.clone(), data_dir, self._database.clone())
    }

    pub fn client(&self) -> Client {
        Client::new(&self.address)
    }

    pub fn load_demo(&self) {
        encommun::demo::load(&mut self.conn()).expect("demo loads");
    }

    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.path().join("mail")
    }

    /// Every message written by the file transport, decoded, oldest first.
    pub fn emails(&self) -> Vec<Email> {
        let Ok(entries) = std::fs::read_dir(self.mail_dir()) else { return Vec::new() };
        let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
            .filter_map(Result::ok)
            .map(|e| (e.metadata().and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH), e.path()))
            .filter(|(_, p)| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        files.sort();
        files.into_iter().map(|(_, p)| Email::read(&p)).collect()
    }

    pub fn emails_to(&self, address: &str) -> Vec<Email> {
        self.emails().into_iter().filter(|e| e.to.contains(address)).collect()
    }
}

pub fn with_conn<T>(app: &TestApp, f: impl FnOnce(&mut DbConnection) -> T) -> T {
    f(&mut app.conn())
}

/// The demo's project in enrolment (« Alimentation durable »).
pub fn enrolment_project(conn: &mut DbConnection) -> encommun::storage::projects::Project {
    encommun::demo::project(conn, encommun::demo::ENROLMENT_PROJECT).unwrap().expect("the demo is loaded")
}

pub struct Email {
    pub to: String,
    pub subject: String,
    /// Both parts, transfer-decoded.
    pub body: String,
}

impl Email {
    fn read(path: &Path) -> Email {
        let raw = std::fs::read_to_string(path).expect("readable e-mail");
        let header = |name: &str| {
            raw.lines()
                .find(|l| l.to_lowercase().starts_with(&format!("{}: ", name.to_lowercase())))
                .map(|l| l[name.len() + 2..].to_owned())
                .unwrap_or_default()
        };
        Email { to: header("To"), subject: header("Subject"), body: decode_quoted_printable(&raw) }
    }

    /// The path of the first link in the message that contains `fragment` (the host is the configured base URL).
    pub fn link_containing(&self, fragment: &str) -> String {
        let link = self
            .body
            .split(|c: char| c.is_whitespace() || c == '"' || c == '<' || c == '>')
            .find(|w| w.starts_with("http") && w.contains(fragment))
            .unwrap_or_else(|| panic!("no link with {fragment} in:\n{}", self.body));
        let after_scheme = link.split_once("://").map_or(link, |(_, rest)| rest);
        after_scheme.find('/').map_or("/", |i| &after_scheme[i..]).to_owned()
    }
}

fn decode_quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What a response gave back.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub headers: BTreeMap<String, String>,
    pub body: String,
    /// The body as received, for downloads that are not text (workbooks).
    pub bytes: Vec<u8>,
}

impl Page {
    #[track_caller]
    pub fn assert_status(&self, status: u16) -> &Self {
        assert_eq!(self.status, status, "unexpected status; body:\n{}", self.body);
        self
    }

    #[track_caller]
    pub fn assert_redirect(&self, to: &str) -> &Self {
        assert_eq!(self.status, 303, "expected a redirect; body:\n{}", self.body);
        assert_eq!(self.location.as_deref(), Some(to));
        self
    }

    #[track_caller]
    pub fn assert_contains(&self, text: &str) -> &Self {
        assert!(self.body.contains(text), "expected {text:?} in:\n{}", self.body);
        self
    }

    #[track_caller]
    pub fn assert_lacks(&self, text: &str) -> &Self {
        assert!(!self.body.contains(text), "did not expect {text:?} in:\n{}", self.body);
        self
    }

    /// The value of the CSRF field of the page's first form.
    pub fn csrf_token(&self) -> String {
        let marker = "name=\"csrf_token\" value=\"";
        let start = self.body.find(marker).unwrap_or_else(|| panic!("no CSRF field in:\n{}", self.body)) + marker.len();
        self.body[start..].split('"').next().unwrap_or_default().to_owned()
    }
}

pub struct Client {
    base: String,
    http: awc::Client,
    cookies: RefCell<BTreeMap<String, String>>,
}

impl Client {
    pub fn new(base: &str) -> Client {
        Client {
            base: base.to_owned(),
            // Generous: a test checks what a request does, not how fast (benchmarks do); a whole real file
            // imported on a debug build of a shared machine may take more than awc's default 5 s.
            http: awc::Client::builder().disable_redirects().timeout(std::time::Duration::from_secs(60)).finish(),
            cookies: RefCell::new(BTreeMap::new()),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies.borrow().iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    /// Takes the cookies of another client, as one browser talking to two instances.
    pub fn adopt_cookies(&self, other: &Client) {
        *self.cookies.borrow_mut() = other.cookies.borrow().clone();
    }

    pub fn has_session(&self) -> bool {
        self.cookies.borrow().contains_key("encommun")
    }

    pub async fn get(&self, path: &str) -> Page {
        let request = self.http.get(format!("{}{path}", self.base)).insert_header(("Cookie", self.cookie_header()));
        let response = request.send().await.expect("GET answered");
        self.page(response).await
    }

    /// A GET with headers of the caller's choosing (`Accept-Encoding`…); the body is kept as received.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut request = self.http.get(format!("{}{path}", self.base)).insert_header(("Cookie", self.cookie_header()));
        for header in headers {
            request = request.insert_header(*header);
        }
        let response = request.send().await.expect("GET answered");
        self.page(response).await
    }

    /// A browser's preflight (`OPTIONS`) before a cross-site request.
    pub async fn options(&self, path: &str) -> Page {
        let request = self
            .http
            .request(actix_web::http::Method::OPTIONS, format!("{}{path}", self.base))
            .insert_header(("Origin", "https://ailleurs.example"))
            .insert_header(("Access-Control-Request-Method", "GET"));
        let response = request.send().await.expect("OPTIONS answered");
        self.page(response).await
    }

    pub async fn head(&self, path: &str) -> Page {
        let request = self.http.head(format!("{}{path}", self.base)).insert_header(("Cookie", self.cookie_header()));
        let response = request.send().await.expect("HEAD answered");
        self.page(response).await
    }

    /// A raw form POST: nothing added.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let request = self.http.post(format!("{}{path}", self.base)).insert_header(("Cookie", self.cookie_header()));
        let response = request.send_form(&fields).await.expect("POST answered");
        self.page(response).await
    }

    /// A POST with a body of any type, as a hostile client would send it.
    pub async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> Page {
        let request = self
            .http
            .post(format!("{}{path}", self.base))
            .insert_header(("Cookie", self.cookie_header()))
            .insert_header(("Content-Type", content_type));
        let response = request.send_body(body).await.expect("POST answered");
        self.page(response).await
    }

    /// Reads `form_page` as a browser would, then posts `fields` and a file (field `fichier`) to `action` as
    /// `multipart/form-data`, the page's CSRF token in the query string (the request guard reads no multipart body).
    pub async fn upload(
        &self,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
        file: &str,
        data: &[u8],
    ) -> Page {
        let token = self.get(form_page).await.csrf_token();
        let boundary = "----limite-du-test";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
            );
        }
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"{file}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .bytes(),
        );
        body.extend_from_slice(data);
        body.extend(format!("\r\n--{boundary}--\r\n").bytes());
        let separator = if action.contains('?') { '&' } else { '?' };
        let content_type = format!("multipart/form-data; boundary={boundary}");
        self.post_raw(&format!("{action}{separator}csrf_token={token}"), &content_type, body).await
    }

    /// Reads `form_page` as a browser would, then posts `fields` to `action` with the page's CSRF token.
    pub async fn submit(&self, form_page: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.get(form_page).await.csrf_token();
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", &token)];
        all.extend_from_slice(fields);
        self.post(action, &all).await
    }

    /// The CSRF token of this session, read from a page with a form as a browser would have it.
    pub async fn csrf(&self) -> String {
        let login = self.get("/connexion?suivant=/").await;
        // Logged in, the login page redirects: the account page has forms too.
        if login.status == 200 {
            login.csrf_token()
        } else {
            self.get("/compte").await.csrf_token()
        }
    }

    pub async fn login(&self, email: &str, password: &str) -> Page {
        self.submit("/connexion", "/connexion", &[("email", email), ("password", password)]).await
    }

    async fn page<S>(&self, mut response: awc::ClientResponse<S>) -> Page
    where
        S: futures_core::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>> + Unpin,
    {
        let mut headers = BTreeMap::new();
        for (name, value) in response.headers() {
            let value = value.to_str().unwrap_or_default().to_owned();
            if name.as_str() == "set-cookie" {
                let pair = value.split(';').next().unwrap_or_default();
                if let Some((k, v)) = pair.split_once('=') {
                    let removed = v.is_empty() || value.to_lowercase().contains("max-age=0");
                    if removed {
                        self.cookies.borrow_mut().remove(k.trim());
                    } else {
                        self.cookies.borrow_mut().insert(k.trim().to_owned(), v.to_owned());
                    }
                }
            }
            headers.insert(name.as_str().to_owned(), value);
        }
        let body = response.body().limit(16 * 1024 * 1024).await.expect("body read");
        Page {
            status: response.status().as_u16(),
            location: headers.get("location").cloned(),
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
            bytes: body.to_vec(),
        }
    }
}

/// Declares each named `async fn(TestApp)` as two tests, `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($test:ident),* $(,)?) => {
        $(
            mod $test {
                #[actix_web::test]
                async fn sqlite() {
                    super::$test($crate::helpers::spawn_app($crate::helpers::Backend::Sqlite).await).await
                }

                #[actix_web::test]
                async fn postgres() {
                    if let Some(backend) = $crate::helpers::Backend::postgres() {
                        super::$test($crate::helpers::spawn_app(backend).await).await
                    }
                }
            }
        )*
    };
}

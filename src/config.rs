//! Configuration, layered: defaults → optional TOML file → `ENCOMMUN_*` environment variables.
//! Secrets (session key, SMTP password) are never logged: `Debug` redacts them.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::Deserialize;

use crate::domain::account::EmailAddress;
use crate::storage::DatabaseUrl;

#[derive(Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: DatabaseUrl,
    pub listen: SocketAddr,
    /// Public address of the platform, used in e-mailed links; no trailing slash.
    pub base_url: String,
    /// 64-byte key signing and encrypting session cookies; generated into the data folder when absent.
    pub session_key: Option<Vec<u8>>,
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a reverse proxy that sets it).
    pub trust_proxy: bool,
    pub workers: usize,
    pub db_pool_size: u32,
    pub mail: MailConfig,
    /// Anonymous questionnaire responses accepted per network address and hour (0: no limit).
    pub survey_submissions_per_hour: u32,
    /// Requests to the public API (`/api/v1`) accepted per network address and minute (0: no limit).
    pub api_requests_per_minute: u32,
    /// Seconds between two rounds of the outbox worker (0: this instance does not send the outbox).
    pub outbox_every_seconds: u64,
    /// Local hour (Europe/Paris, 0–23) from which daily and weekly digests go.
    pub digest_hour: u32,
    /// Days the addresses respondents left « to be told what came of it » are kept after their project closes, if
    /// the restitution did not use them before.
    pub feedback_retention_days: u32,
    /// Where people write about an accessibility defect (the accessibility statement gives it).
    pub accessibility_contact: Option<EmailAddress>,
}

#[derive(Clone, Debug)]
pub struct MailConfig {
    pub from: String,
    pub transport: MailTransport,
}

#[derive(Clone)]
pub enum MailTransport {
    /// One `.eml` file per message in this folder: a first run needs no mail server.
    File(PathBuf),
    Smtp {
        host: String,
        port: u16,
        username: Option<String>,
        password: Option<String>,
        tls: SmtpTls,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpTls {
    None,
    StartTls,
    Tls,
}

impl fmt::Debug for MailTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MailTransport::File(dir) => f.debug_tuple("File").field(dir).finish(),
            MailTransport::Smtp { host, port, username, tls, .. } => f
                .debug_struct("Smtp")
                .field("host", host)
                .field("port", port)
                .field("username", username)
                .field("password", &"***")
                .field("tls", tls)
                .finish(),
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("database", &self.database_url.backend_name())
            .field("listen", &self.listen)
            .field("base_url", &self.base_url)
            .field("session_key", &self.session_key.as_ref().map(|_| "***"))
            .field("secure_cookies", &self.secure_cookies)
            .field("trust_proxy", &self.trust_proxy)
            .field("survey_submissions_per_hour", &self.survey_submissions_per_hour)
            .field("api_requests_per_minute", &self.api_requests_per_minute)
            .field("outbox_every_seconds", &self.outbox_every_seconds)
            .field("digest_hour", &self.digest_hour)
            .field("feedback_retention_days", &self.feedback_retention_days)
            .field("accessibility_contact", &self.accessibility_contact.as_ref().map(EmailAddress::as_str))
            .field("workers", &self.workers)
            .field("db_pool_size", &self.db_pool_size)
            .field("mail", &self.mail)
            .finish()
    }
}

/// The optional TOML file; every key may be omitted.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    listen: Option<String>,
    base_url: Option<String>,
    session_key: Option<String>,
    secure_cookies: Option<bool>,
    trust_proxy: Option<bool>,
    workers: Option<usize>,
    db_pool_size: Option<u32>,
    survey_submissions_per_hour: Option<u32>,
    api_requests_per_minute: Option<u32>,
    outbox_every_seconds: Option<u64>,
    digest_hour: Option<u32>,
    feedback_retention_days: Option<u32>,
    accessibility_contact: Option<String>,
    mail_transport: Option<String>,
    mail_from: Option<String>,
    smtp_host: Option<String>,
    smtp_port: Option<u16>,
    smtp_username: Option<String>,
    smtp_password: Option<String>,
    smtp_tls: Option<String>,
}

impl Config {
    /// Reads the file named by `file` (or `ENCOMMUN_CONFIG`) then the environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let file = file.map(Path::to_path_buf).or_else(|| env("ENCOMMUN_CONFIG").map(PathBuf::from));
        let from_file = match &file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("lecture du fichier de configuration {}", path.display()))?;
                toml::from_str(&text)
                    .with_context(|| format!("fichier de configuration {} invalide", path.display()))?
            }
            None => FileConfig::default(),
        };
        Config::resolve(from_file, env)
    }

    fn resolve(file: FileConfig, env: impl Fn(&str) -> Option<String>) -> anyhow::Result<Config> {
        let pick = |name: &str, from_file: Option<String>| env(&format!("ENCOMMUN_{name}")).or(from_file);
        let flag = |name: &str, from_file: Option<bool>| -> anyhow::Result<Option<bool>> {
            match env(&format!("ENCOMMUN_{name}")) {
                Some(v) => match v.to_lowercase().as_str() {
                    "1" | "true" | "yes" | "oui" => Ok(Some(true)),
                    "0" | "false" | "no" | "non" => Ok(Some(false)),
                    _ => bail!("ENCOMMUN_{name} : valeur « {v} » non comprise (true ou false)"),
                },
                None => Ok(from_file),
            }
        };
        let number = |name: &str, value: Option<String>| -> anyhow::Result<Option<u64>> {
            value
                .map(|v| v.parse::<u64>().with_context(|| format!("ENCOMMUN_{name} : nombre attendu, pas « {v} »")))
                .transpose()
        };

        let data_dir =
            pick("DATA_DIR", None).map(PathBuf::from).or(file.data_dir).unwrap_or_else(|| PathBuf::from("data"));
        let database_url = DatabaseUrl::parse(
            &pick("DATABASE_URL", file.database_url)
                .unwrap_or_else(|| data_dir.join("encommun.sqlite3").to_string_lossy().into_owned()),
        );
        let listen_text = pick("LISTEN", file.listen).unwrap_or_else(|| "127.0.0.1:8080".into());
        let listen: SocketAddr = listen_text
            .parse()
            .with_context(|| format!("adresse d’écoute « {listen_text} » invalide (exemple : 127.0.0.1:8080)"))?;
        let base_url = pick("BASE_URL", file.base_url)
            .unwrap_or_else(|| format!("http://{listen}"))
            .trim_end_matches('/')
            .to_owned();
        if !base_url.starts_with("http://") && !base_url.starts_with("https://") {
            bail!("ENCOMMUN_BASE_URL doit commencer par http:// ou https:// (reçu « {base_url} »)");
        }
        let session_key = pick("SESSION_KEY", file.session_key).map(|hex| decode_session_key(&hex)).transpose()?;
        let secure_cookies = flag("SECURE_COOKIES", file.secure_cookies)?.unwrap_or(base_url.starts_with("https://"));
        let trust_proxy = flag("TRUST_PROXY", file.trust_proxy)?.unwrap_or(false);
        let workers = number("WORKERS", env("ENCOMMUN_WORKERS"))?
            .map(|n| n as usize)
            .or(file.workers)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
            .max(1);
        let db_pool_size = number("DB_POOL_SIZE", env("ENCOMMUN_DB_POOL_SIZE"))?
            .map(|n| n as u32)
            .or(file.db_pool_size)
            .unwrap_or(10)
            .max(1);

        let survey_submissions_per_hour =
            number("SURVEY_SUBMISSIONS_PER_HOUR", env("ENCOMMUN_SURVEY_SUBMISSIONS_PER_HOUR"))?
                .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
                .or(file.survey_submissions_per_hour)
                .unwrap_or(300);
        let api_requests_per_minute = number("API_REQUESTS_PER_MINUTE", env("ENCOMMUN_API_REQUESTS_PER_MINUTE"))?
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
            .or(file.api_requests_per_minute)
            .unwrap_or(600);
        let outbox_every_seconds = number("OUTBOX_EVERY_SECONDS", env("ENCOMMUN_OUTBOX_EVERY_SECONDS"))?
            .or(file.outbox_every_seconds)
            .unwrap_or(10);
        let digest_hour = number("DIGEST_HOUR", env("ENCOMMUN_DIGEST_HOUR"))?
            .map(|h| u32::try_from(h).unwrap_or(u32::MAX))
            .or(file.digest_hour)
            .unwrap_or(8);
        if digest_hour > 23 {
            bail!("ENCOMMUN_DIGEST_HOUR : une heure de 0 à 23 est attendue ({digest_hour})");
        }

        let feedback_retention_days = number("FEEDBACK_RETENTION_DAYS", env("ENCOMMUN_FEEDBACK_RETENTION_DAYS"))?
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX).min(3650))
            .or(file.feedback_retention_days)
            .unwrap_or(90);

        let accessibility_contact = pick("ACCESSIBILITY_CONTACT", file.accessibility_contact)
            .map(|address| {
                EmailAddress::parse(&address)
                    .map_err(|e| anyhow::anyhow!("ENCOMMUN_ACCESSIBILITY_CONTACT : {e} (« {address} »)"))
            })
            .transpose()?;

        let from =
            pick("MAIL_FROM", file.mail_from).unwrap_or_else(|| "encommun <ne-pas-repondre@encommun.localhost>".into());
        let transport = match pick("MAIL_TRANSPORT", file.mail_transport).as_deref().unwrap_or("file") {
            "file" => MailTransport::File(data_dir.join("mail")),
            "smtp" => {
                let host = pick("SMTP_HOST", file.smtp_host)
                    .context("ENCOMMUN_SMTP_HOST est requis avec le transport smtp")?;
                let tls = match pick("SMTP_TLS", file.smtp_tls).as_deref().unwrap_or("starttls") {
                    "starttls" => SmtpTls::StartTls,
                    "tls" => SmtpTls::Tls,
                    "none" => SmtpTls::None,
                    other => bail!("ENCOMMUN_SMTP_TLS : « {other} » non compris (starttls, tls ou none)"),
                };
                let default_port = match tls {
                    SmtpTls::Tls => 465,
                    SmtpTls::StartTls => 587,
                    SmtpTls::None => 25,
                };
                let port = number("SMTP_PORT", env("ENCOMMUN_SMTP_PORT"))?
                    .map(|p| u16::try_from(p).context("ENCOMMUN_SMTP_PORT : port hors limites"))
                    .transpose()?
                    .or(file.smtp_port)
                    .unwrap_or(default_port);
                MailTransport::Smtp {
                    host,
                    port,
                    username: pick("SMTP_USERNAME", file.smtp_username),
                    password: pick("SMTP_PASSWORD", file.smtp_password),
                    tls,
                }
            }
            other => bail!("ENCOMMUN_MAIL_TRANSPORT : « {other} » non compris (file ou smtp)"),
        };

        Ok(Config {
            data_dir,
            database_url,
            listen,
            base_url,
            session_key,
            secure_cookies,
            trust_proxy,
            workers,
            db_pool_size,
            mail: MailConfig { from, transport },
            survey_submissions_per_hour,
            api_requests_per_minute,
            outbox_every_seconds,
            digest_hour,
            feedback_retention_days,
            accessibility_contact,
        })
    }

    /// A configuration for tests and tools: everything in `data_dir`, port chosen by the system.
    pub fn for_data_dir(data_dir: &Path, database_url: DatabaseUrl) -> Config {
        Config {
            data_dir: data_dir.to_path_buf(),
            database_url,
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            base_url: "http://127.0.0.1".into(),
            session_key: None,
            secure_cookies: false,
            trust_proxy: false,
            workers: 1,
            db_pool_size: 4,
            mail: MailConfig {
                from: "encommun <ne-pas-repondre@encommun.localhost>".into(),
                transport: MailTransport::File(data_dir.join("mail")),
            },
            survey_submissions_per_hour: 300,
            api_requests_per_minute: 600,
            // Tests run the worker themselves, a round at a time.
            outbox_every_seconds: 0,
            digest_hour: 8,
            feedback_retention_days: 90,
            accessibility_contact: None,
        }
    }

    pub fn mail_dir(&self) -> Option<&Path> {
        match &self.mail.transport {
            MailTransport::File(dir) => Some(dir),
            MailTransport::Smtp { .. } => None,
        }
    }
}

fn decode_session_key(hex: &str) -> anyhow::Result<Vec<u8>> {
    let hex = hex.trim();
    let bytes = crate::security::hex_decode(hex).context("ENCOMMUN_SESSION_KEY doit être en hexadécimal")?;
    if bytes.len() < 64 {
        bail!("ENCOMMUN_SESSION_KEY doit compter au moins 64 octets (128 caractères hexadécimaux)");
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn resolve(file: &str, env: &[(&str, &str)]) -> anyhow::Result<Config> {
        let env: HashMap<String, String> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::resolve(toml::from_str(file)?, |k| env.get(k).cloned())
    }

    #[test]
    fn defaults_then_file_then_environment() -> anyhow::Result<()> {
        let defaults = resolve("", &[])?;
        assert_eq!(defaults.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(defaults.database_url, DatabaseUrl::Sqlite("data/encommun.sqlite3".into()));
        assert!(!defaults.secure_cookies);

        let file = resolve("listen = \"0.0.0.0:9000\"\nbase_url = \"https://encommun.fr/\"", &[])?;
        assert_eq!(file.listen.to_string(), "0.0.0.0:9000");
        assert_eq!(file.base_url, "https://encommun.fr");
        assert!(file.secure_cookies, "https implies secure cookies");

        let env = resolve(
            "listen = \"0.0.0.0:9000\"",
            &[("ENCOMMUN_LISTEN", "127.0.0.1:7000"), ("ENCOMMUN_DATABASE_URL", "postgres://u:p@h/db")],
        )?;
        assert_eq!(env.listen.to_string(), "127.0.0.1:7000");
        assert_eq!(env.database_url, DatabaseUrl::Postgres("postgres://u:p@h/db".into()));
        Ok(())
    }

    #[test]
    fn bad_values_are_explained() {
        let listen = resolve("", &[("ENCOMMUN_LISTEN", "nulle part")]).err().map(|e| format!("{e:#}"));
        assert!(listen.is_some_and(|m| m.contains("adresse d’écoute")));
        let key = resolve("", &[("ENCOMMUN_SESSION_KEY", "abcd")]).err().map(|e| format!("{e:#}"));
        assert!(key.is_some_and(|m| m.contains("64 octets")));
        assert!(resolve("inconnu = 1", &[]).is_err(), "unknown keys are refused");
        let contact =
            resolve("", &[("ENCOMMUN_ACCESSIBILITY_CONTACT", "accessibilité")]).err().map(|e| format!("{e:#}"));
        assert!(contact.is_some_and(|m| m.contains("ENCOMMUN_ACCESSIBILITY_CONTACT")));
    }

    #[test]
    fn the_accessibility_contact_is_an_address_from_the_file_or_the_environment() -> anyhow::Result<()> {
        assert_eq!(resolve("", &[])?.accessibility_contact, None);
        let file = resolve("accessibility_contact = \"Accessibilite@Agence.fr\"", &[])?;
        assert_eq!(file.accessibility_contact.as_ref().map(EmailAddress::as_str), Some("accessibilite@agence.fr"));
        let env =
            resolve("accessibility_contact = \"a@agence.fr\"", &[("ENCOMMUN_ACCESSIBILITY_CONTACT", "b@agence.fr")])?;
        assert_eq!(env.accessibility_contact.as_ref().map(EmailAddress::as_str), Some("b@agence.fr"));
        Ok(())
    }

    #[test]
    fn debug_hides_secrets() -> anyhow::Result<()> {
        let config = resolve(
            "",
            &[
                ("ENCOMMUN_SESSION_KEY", &"ab".repeat(64)),
                ("ENCOMMUN_MAIL_TRANSPORT", "smtp"),
                ("ENCOMMUN_SMTP_HOST", "smtp.example.org"),
                ("ENCOMMUN_SMTP_PASSWORD", "tres-secret"),
            ],
        )?;
        let printed = format!("{config:?}");
        assert!(!printed.contains("tres-secret") && !printed.contains("abab"));
        Ok(())
    }
}

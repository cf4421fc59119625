//! What each subcommand of `encommun` does; `main.rs` only parses the command line and calls these.

use std::path::PathBuf;

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Config;
use crate::demo;
use crate::domain::account::{DisplayName, EmailAddress, NewPassword};
use crate::import::territories::{import_files, parse_file, ImportError, ImportOptions};
use crate::security::hash_password;
use crate::startup::{prepare_database, Application};
use crate::storage::{self, users};

pub async fn serve(config: Config) -> anyhow::Result<()> {
    let backend = config.database_url.backend_name();
    let base_url = config.base_url.clone();
    let app = Application::build(config)?;
    log::info!("encommun sert {base_url} (port {}, base {backend})", app.port());
    app.run_until_stopped().await.context("serveur HTTP")
}

pub fn migrate(config: &Config) -> anyhow::Result<()> {
    let pool = storage::build_pool(&config.database_url, 1)?;
    let mut conn = pool.get()?;
    let applied = storage::run_migrations(&mut conn)?;
    if applied.is_empty() {
        println!("La base est à jour.");
    } else {
        println!("Migrations appliquées : {}", applied.join(", "));
    }
    Ok(())
}

pub async fn demo(config: Config) -> anyhow::Result<()> {
    let pool = prepare_database(&config)?;
    let mut conn = pool.get()?;
    let loaded = demo::load(&mut conn)?;
    let survey = demo::survey_path(&mut conn)?;
    drop(conn);
    drop(pool);
    println!();
    println!("encommun — démonstration");
    println!(
        "  {}",
        if loaded { "Données de démonstration chargées." } else { "Données de démonstration déjà présentes." }
    );
    println!(
        "  Base : {}",
        match &config.database_url {
            storage::DatabaseUrl::Sqlite(p) => p.clone(),
            other => other.backend_name().into(),
        }
    );
    if let Some(dir) = config.mail_dir() {
        println!("  Courriels envoyés : fichiers .eml dans {}", dir.display());
    }
    println!("  Comptes (mot de passe commun : {}) :", demo::DEMO_PASSWORD);
    for account in demo::DEMO_ACCOUNTS {
        println!("    {:<46} {}", account.email, account.role);
        println!("    {:<46} à essayer : {}", "", account.try_first);
    }
    if let Some(path) = survey {
        println!("  Sans compte, répondez au questionnaire public : {}{path}", config.base_url);
    }
    println!("  Ouvrez {} dans votre navigateur (Ctrl+C pour arrêter).", config.base_url);
    println!();
    serve(config).await
}

pub fn create_admin(config: &Config, email: &str, name: &str, password: &str) -> anyhow::Result<()> {
    let email = EmailAddress::parse(email).map_err(anyhow::Error::msg)?;
    let name = DisplayName::parse(name).map_err(anyhow::Error::msg)?;
    let password = NewPassword::parse(password, password).map_err(anyhow::Error::msg)?;
    let pool = prepare_database(config)?;
    let mut conn = pool.get()?;
    let hash = hash_password(password.expose())?;
    let created = storage::write_transaction(&mut conn, |conn| -> anyhow::Result<bool> {
        match users::find_user_by_email(conn, email.as_str())? {
            Some(existing) => {
                users::set_agency_admin(conn, existing.id, true)?;
                Ok(false)
            }
            None => {
                let id = users::insert_user(conn, &users::NewUser::new(email.as_str(), name.as_str(), &hash))?;
                users::set_agency_admin(conn, id, true)?;
                Ok(true)
            }
        }
    })?;
    if created {
        println!("Compte administrateur créé pour {email}.");
    } else {
        println!("Le compte {email} existait déjà : il est désormais administrateur (mot de passe inchangé).");
    }
    Ok(())
}

pub fn import_territories(config: &Config, files: &[PathBuf], skip_invalid: bool) -> anyhow::Result<()> {
    if files.is_empty() {
        bail!("indiquez au moins un fichier à importer");
    }
    let mut parsed = Vec::new();
    for path in files {
        let file = parse_file(path)?;
        eprintln!(
            "{} : {} valides, {} invalide(s) ({})",
            path.display(),
            file.rows.len(),
            file.errors.len(),
            file.kind.plural_label()
        );
        parsed.push(file);
    }
    let pool = prepare_database(config)?;
    let mut conn = pool.get()?;
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} territoires ({eta} restantes)")
            .context("modèle de barre de progression")?,
    );
    let result = import_files(
        &mut conn,
        &parsed,
        &ImportOptions { skip_invalid },
        &mut |total| bar.set_length(total as u64),
        &mut |done| bar.inc(done as u64),
    );
    bar.finish_and_clear();
    match result {
        Ok(report) => {
            for error in &report.skipped {
                eprintln!("ignorée — {error}");
            }
            for (kind, count) in &report.counts {
                println!("Importés ou mis à jour — {} : {count}", kind.plural_label());
            }
            if report.commune_codes > 0 {
                println!(
                    "Codes menant à une commune actuelle (communes fusionnées, déléguées, associées, arrondissements) : {}",
                    report.commune_codes
                );
            }
            Ok(())
        }
        Err(ImportError::InvalidRows(errors)) => {
            for error in &errors {
                eprintln!("{error}");
            }
            bail!(
                "{} ligne(s) invalide(s) : rien n’a été importé. Corrigez-les, ou relancez avec --skip-invalid pour importer les autres.",
                errors.len()
            )
        }
        Err(other) => Err(other.into()),
    }
}

/// Imports territory outlines, file by file (each file all or nothing), and says what matched nothing.
pub fn import_boundaries(config: &Config, files: &[PathBuf]) -> anyhow::Result<()> {
    let pool = prepare_database(config)?;
    let mut conn = pool.get()?;
    for path in files {
        let text = std::fs::read_to_string(path).with_context(|| format!("lecture de {}", path.display()))?;
        let report = crate::import::boundaries::import_boundaries(&mut conn, &text)
            .map_err(|message| anyhow::anyhow!("{} : {message} Rien n’a été importé de ce fichier.", path.display()))?;
        if report.lambert93 {
            println!("{} : coordonnées en Lambert-93, converties en WGS84.", path.display());
        }
        for (kind, count) in &report.stored {
            println!("{} : contours enregistrés — {} : {count}", path.display(), kind.plural_label());
        }
        if !report.unknown.is_empty() {
            let codes: Vec<&str> = report.unknown.iter().map(|(_, code)| code.as_str()).collect();
            println!("{} : {} code(s) inconnus de la plateforme : {}", path.display(), codes.len(), codes.join(", "));
        }
        if !report.self_intersecting.is_empty() {
            let codes: Vec<&str> = report.self_intersecting.iter().map(|(_, code)| code.as_str()).collect();
            println!(
                "{} : {} contour(s) invalide(s), dont le bord se croise (enregistrés, à vérifier) : {}",
                path.display(),
                codes.len(),
                codes.join(", ")
            );
        }
        for (kind, count, names) in &report.without_outline {
            println!("{} {} toujours sans contour, dont : {}", count, kind.plural_label(), names.join(", "));
        }
        if report.without_code + report.points > 0 {
            println!(
                "{} : ignorés — {} objet(s) sans code officiel, {} point(s)",
                path.display(),
                report.without_code,
                report.points
            );
        }
    }
    Ok(())
}

/// Reads a password for `create-admin`: from `ENCOMMUN_ADMIN_PASSWORD`, or typed twice on the terminal.
pub fn read_new_password() -> anyhow::Result<String> {
    if let Ok(password) = std::env::var("ENCOMMUN_ADMIN_PASSWORD") {
        return Ok(password);
    }
    let read = |prompt: &str| -> anyhow::Result<String> {
        eprint!("{prompt}");
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    };
    let first = read("Mot de passe : ")?;
    let second = read("Confirmation : ")?;
    NewPassword::parse(&first, &second).map_err(anyhow::Error::msg)?;
    Ok(first)
}

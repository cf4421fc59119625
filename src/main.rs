//! The `encommun` command: parses the command line, loads the configuration and calls `encommun::commands`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgAction, Parser, Subcommand};
use encommun::commands;
use encommun::config::Config;

const HELP: &str = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}";

#[derive(Parser)]
#[command(
    name = "encommun",
    version,
    about = "Plateforme des projets partagés entre territoires (« Territoires en commun »).",
    help_template = HELP,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "Commandes",
    next_help_heading = "Options",
    after_help = "Configuration : fichier TOML (--config ou ENCOMMUN_CONFIG), puis variables ENCOMMUN_* (voir deploy/encommun.env.example)."
)]
struct Cli {
    /// Fichier de configuration TOML.
    #[arg(long, global = true, value_name = "FICHIER")]
    config: Option<PathBuf>,
    /// Affiche cette aide.
    #[arg(short, long, global = true, action = ArgAction::Help)]
    help: Option<bool>,
    /// Affiche la version.
    #[arg(short = 'V', long, action = ArgAction::Version)]
    version: Option<bool>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Sert la plateforme (applique d’abord les migrations en attente).
    #[command(help_template = HELP)]
    Serve,
    /// Applique les migrations de la base de données puis s’arrête.
    #[command(help_template = HELP)]
    Migrate,
    /// Charge les données de démonstration dans la base configurée (SQLite du dossier de données par défaut) et sert
    /// la plateforme.
    #[command(help_template = HELP)]
    Demo,
    /// Crée un compte administrateur de l’agence (mot de passe : ENCOMMUN_ADMIN_PASSWORD, sinon demandé).
    #[command(name = "create-admin", help_template = HELP)]
    CreateAdmin {
        /// Adresse électronique du compte.
        #[arg(long)]
        email: String,
        /// Nom affiché.
        #[arg(long)]
        name: String,
    },
    /// Importe communes (CSV), EPCI, départements et régions (JSON) des fichiers officiels ; le type est reconnu au contenu.
    #[command(name = "import-territories", help_template = HELP)]
    ImportTerritories {
        /// Fichiers à importer, par exemple communes-2026.csv epci-2026.json departements.json regions.json.
        #[arg(required = true, value_name = "FICHIER")]
        files: Vec<PathBuf>,
        /// Importe les lignes valides même si d’autres sont invalides (elles sont signalées).
        #[arg(long)]
        skip_invalid: bool,
    },
    /// Écrit le document OpenAPI 3.1 de l’API publique (servi aussi à /api/v1/openapi.json) sur la sortie standard.
    #[command(name = "openapi", help_template = HELP)]
    OpenApi,
    /// Importe les contours des territoires (GeoJSON en WGS84 ou Lambert-93), rapprochés par leur code officiel.
    #[command(name = "import-boundaries", help_template = HELP)]
    ImportBoundaries {
        /// Fichiers GeoJSON, par exemple communes.geojson epci.geojson.
        #[arg(required = true, value_name = "FICHIER")]
        files: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("Erreur : {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load(cli.config.as_deref())?;
    match cli.command {
        Command::Serve => actix_web::rt::System::new().block_on(commands::serve(config)),
        Command::Demo => actix_web::rt::System::new().block_on(commands::demo(config)),
        Command::Migrate => commands::migrate(&config),
        Command::CreateAdmin { email, name } => {
            let password = commands::read_new_password()?;
            commands::create_admin(&config, &email, &name, &password)
        }
        Command::ImportTerritories { files, skip_invalid } => {
            commands::import_territories(&config, &files, skip_invalid)
        }
        Command::ImportBoundaries { files } => commands::import_boundaries(&config, &files),
        Command::OpenApi => {
            println!("{:#}", encommun::web::api::spec::document(&config.base_url));
            Ok(())
        }
    }
}

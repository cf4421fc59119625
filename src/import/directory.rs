//! Importing the directory of actors from a spreadsheet someone already keeps (a network's members, a former
//! platform's export): the file is read as places' files are (`places::read_table`), a person maps each column to a
//! field of an entry, then every row is checked as the entry form checks it; one bad row stops the whole file with
//! its line and the reason.

use std::collections::HashMap;

use crate::domain::resources::{ActorKind, DirectoryInput, DirectoryText};
use crate::domain::text::fold;
use crate::import::places::Table;

/// What a column becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Ignore,
    Name,
    Kind,
    Siret,
    Skills,
    Served,
    Description,
    Contact,
    Links,
}

impl Target {
    pub const ALL: [Target; 9] = [
        Target::Ignore,
        Target::Name,
        Target::Kind,
        Target::Siret,
        Target::Skills,
        Target::Served,
        Target::Description,
        Target::Contact,
        Target::Links,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Target::Ignore => "",
            Target::Name => "nom",
            Target::Kind => "type",
            Target::Siret => "siret",
            Target::Skills => "competences",
            Target::Served => "territoires",
            Target::Description => "presentation",
            Target::Contact => "contact",
            Target::Links => "liens",
        }
    }

    pub fn parse(code: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Target::Ignore => "Ne pas importer",
            Target::Name => "Nom",
            Target::Kind => "Type d’acteur",
            Target::Siret => "SIRET (réimporter met à jour la fiche de l’établissement)",
            Target::Skills => "Compétences",
            Target::Served => "Départements ou régions où il intervient",
            Target::Description => "Présentation",
            Target::Contact => "Contact",
            Target::Links => "Liens (sites)",
        }
    }

    /// Whether several columns may feed it (their values are then put together).
    fn joins(self) -> bool {
        !matches!(self, Target::Ignore | Target::Name | Target::Kind | Target::Siret)
    }
}

/// A first guess of each column's target from its name.
pub fn suggest(headers: &[String]) -> Vec<Target> {
    let mut taken: Vec<Target> = Vec::new();
    headers
        .iter()
        .map(|header| {
            let name = fold(header).replace(' ', "_");
            let guess = match name.as_str() {
                "nom" | "name" | "raison_sociale" | "denomination" | "structure" | "organisme" => Target::Name,
                "type" | "categorie" | "nature" | "type_d_acteur" | "type_acteur" => Target::Kind,
                "siret" | "n_siret" | "numero_siret" => Target::Siret,
                "competences" | "skills" | "thematiques" | "expertises" | "domaines" => Target::Skills,
                "departements" | "departement" | "territoires" | "zone" | "zone_d_intervention" | "regions" => {
                    Target::Served
                }
                "presentation" | "description" | "missions" | "activites" => Target::Description,
                "contact" | "mail" | "email" | "courriel" | "telephone" | "tel" => Target::Contact,
                "site" | "site_web" | "url" | "web" | "lien" | "liens" | "site_internet" => Target::Links,
                _ => Target::Ignore,
            };
            let guess = if !guess.joins() && taken.contains(&guess) { Target::Ignore } else { guess };
            taken.push(guess);
            guess
        })
        .collect()
}

/// How a file becomes entries: a target per column, and the kind of the rows no column gives one for.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub targets: Vec<Target>,
    pub default_kind: Option<ActorKind>,
}

impl Mapping {
    /// Checks the mapping itself before any row.
    pub fn check(&self, headers: &[String]) -> Result<(), String> {
        if self.targets.len() != headers.len() {
            return Err("Le choix des colonnes ne correspond pas au fichier : recommencez l’envoi.".into());
        }
        for required in [Target::Name, Target::Description] {
            if !self.targets.contains(&required) {
                return Err(format!("Choisissez au moins une colonne pour « {} ».", required.label()));
            }
        }
        if self.default_kind.is_none() && !self.targets.contains(&Target::Kind) {
            return Err("Choisissez le type d’acteur des lignes, ou la colonne qui le donne.".into());
        }
        for single in [Target::Name, Target::Kind, Target::Siret] {
            let columns: Vec<&str> =
                self.targets.iter().zip(headers).filter(|(t, _)| **t == single).map(|(_, h)| h.as_str()).collect();
            if columns.len() > 1 {
                return Err(format!(
                    "« {} » ne peut venir que d’une colonne ; vous en avez choisi {} ({}).",
                    single.label(),
                    columns.len(),
                    columns.join(", ")
                ));
            }
        }
        Ok(())
    }
}

/// The places an entry may serve, by folded name or code: a département's number and name give its number, a
/// région's name or « R » code give « R » and its code.
pub type ServedCodes = HashMap<String, String>;

/// What checking a whole file gives: the entries with their line, or one message per bad row (then nothing is
/// written).
#[derive(Debug, Default)]
pub struct Plan {
    pub rows: Vec<(u64, DirectoryText)>,
    pub errors: Vec<String>,
}

/// Words that mean the whole country in a « served » cell.
const NATIONWIDE: [&str; 5] = ["france", "national", "nationale", "toute la france", "france entiere"];

/// Checks every row of the table under the mapping.
pub fn plan(table: &Table, mapping: &Mapping, served_codes: &ServedCodes) -> Plan {
    let mut plan = Plan::default();
    let mut seen_sirets: HashMap<String, u64> = HashMap::new();
    let mut seen_names: HashMap<String, u64> = HashMap::new();
    for (line, values) in &table.rows {
        let cells = |target: Target| -> Vec<&str> {
            mapping
                .targets
                .iter()
                .enumerate()
                .filter(|(_, t)| **t == target)
                .filter_map(|(i, _)| values.get(i).map(String::as_str).filter(|v| !v.is_empty()))
                .collect()
        };
        let joined = |target: Target, separator: &str| cells(target).join(separator);
        let row_error = |message: String| format!("{} {line} : {message}", table.row_word);

        let kind = match cells(Target::Kind).first() {
            Some(value) => match kind_of(value) {
                Some(kind) => kind.code(),
                None => {
                    let known: Vec<&str> = ActorKind::ALL.iter().map(|k| k.label()).collect();
                    plan.errors.push(row_error(format!(
                        "le type « {value} » n’est pas dans la liste ({}).",
                        known.join(", ")
                    )));
                    continue;
                }
            },
            None => mapping.default_kind.map_or("", ActorKind::code),
        };
        let (served, nationwide, unknown) = served_of(&cells(Target::Served), served_codes);
        if !unknown.is_empty() {
            plan.errors.push(row_error(format!(
                "{} : ni un département ni une région (un numéro comme 86 ou 2A, un nom comme Vienne, R75 ou \
                 Nouvelle-Aquitaine pour une région, « France » pour tout le pays).",
                unknown.iter().map(|u| format!("« {u} »")).collect::<Vec<_>>().join(", ")
            )));
            continue;
        }
        let links = cells(Target::Links).iter().flat_map(|cell| links_of(cell)).collect::<Vec<_>>().join("\n");
        let input = DirectoryInput {
            name: &joined(Target::Name, " "),
            kind,
            siret: &joined(Target::Siret, ""),
            skills: &joined(Target::Skills, ", "),
            served: &served.join(" "),
            nationwide,
            description: &joined(Target::Description, "\n\n"),
            contact: &joined(Target::Contact, " — "),
            links: &links,
        };
        let text = match DirectoryText::parse(&input) {
            Ok(text) => text,
            Err(errors) => {
                let reasons: Vec<String> = errors.into_iter().map(|(_, m)| m).collect();
                plan.errors.push(row_error(reasons.join(" ")));
                continue;
            }
        };
        if let Some(siret) = &text.siret {
            if let Some(first) = seen_sirets.insert(siret.clone(), *line) {
                plan.errors.push(row_error(format!(
                    "le SIRET {siret} figure déjà {} {first}.",
                    table.row_word.to_lowercase()
                )));
                continue;
            }
        } else if let Some(first) = seen_names.insert(fold(&text.name), *line) {
            plan.errors.push(row_error(format!(
                "« {} » figure déjà {} {first}, sans SIRET pour les distinguer.",
                text.name,
                table.row_word.to_lowercase()
            )));
            continue;
        }
        plan.rows.push((*line, text));
    }
    plan
}

/// A kind as files spell it: its code, its label, or a usual synonym.
fn kind_of(value: &str) -> Option<ActorKind> {
    let folded = fold(value);
    ActorKind::ALL.into_iter().find(|k| fold(k.label()) == folded || k.code() == folded).or(match folded.as_str() {
        "cabinet" | "bureau d etudes" | "conseil" | "entreprise" => Some(ActorKind::Consultancy),
        "asso" | "association loi 1901" => Some(ActorKind::Association),
        "reseau national" | "federation" | "tete de reseau" => Some(ActorKind::Network),
        "chercheur" | "chercheuse" | "laboratoire" | "universite" => Some(ActorKind::Research),
        _ => None,
    })
}

/// The codes a « served » cell names, whether it says the whole country, and the words it holds that name nothing.
fn served_of(cells: &[&str], served_codes: &ServedCodes) -> (Vec<String>, bool, Vec<String>) {
    let (mut codes, mut nationwide, mut unknown) = (Vec::new(), false, Vec::new());
    for part in cells.iter().flat_map(|c| c.split([',', ';', '\n', '/'])).map(str::trim).filter(|p| !p.is_empty()) {
        let folded = fold(part);
        if NATIONWIDE.contains(&folded.as_str()) {
            nationwide = true;
            continue;
        }
        // A cell of bare numbers separated by spaces (« 86 79 »), as the entry form takes them.
        let words: Vec<&str> = part.split_whitespace().collect();
        let names: Vec<&str> = if words.len() > 1 && words.iter().all(|w| served_codes.contains_key(&fold(w))) {
            words
        } else {
            vec![part]
        };
        for name in names {
            match served_codes.get(&fold(name)) {
                Some(code) if !codes.contains(code) => codes.push(code.clone()),
                Some(_) => {}
                None => unknown.push(name.to_owned()),
            }
        }
    }
    (codes, nationwide, unknown)
}

/// The links a cell holds, one per line as the entry's form takes them: addresses separated by spaces, commas or
/// lines; an address written without its scheme (« www.exemple.fr ») is given https.
fn links_of(cell: &str) -> Vec<String> {
    cell.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|part| !part.is_empty())
        .map(|part| if part.contains("://") { part.to_owned() } else { format!("https://{part}") })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::places::read_table;

    fn codes() -> ServedCodes {
        [("86", "86"), ("vienne", "86"), ("79", "79"), ("2a", "2A"), ("nouvelle aquitaine", "R75"), ("r75", "R75")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    const FILE: &str = "Structure;Nature;SIRET;Thématiques;Zone d’intervention;Missions;Site web\n\
        Trame;Association;;concertation, enquête;Vienne, 79;Accompagne les collectivités dans leurs démarches.;www.trame.example\n\
        Conseil & Co;Cabinet;123 456 782 00002;facilitation;France;Cabinet de conseil en participation citoyenne.;https://conseil.example\n";

    #[test]
    fn a_network_export_is_read_with_its_usual_column_names() {
        let table = read_table(FILE).unwrap();
        let targets = suggest(&table.headers);
        assert_eq!(
            targets,
            [
                Target::Name,
                Target::Kind,
                Target::Siret,
                Target::Skills,
                Target::Served,
                Target::Description,
                Target::Links
            ]
        );
        let mapping = Mapping { targets, default_kind: None };
        mapping.check(&table.headers).unwrap();
        let plan = plan(&table, &mapping, &codes());
        assert!(plan.errors.is_empty(), "{:?}", plan.errors);
        let (line, trame) = &plan.rows[0];
        assert_eq!(*line, 2);
        assert_eq!(trame.kind, ActorKind::Association);
        assert_eq!(trame.served, ["86", "79"]);
        assert_eq!(trame.skills, ["concertation", "enquête"]);
        assert_eq!(trame.links[0].url, "https://www.trame.example");
        let (_, cabinet) = &plan.rows[1];
        assert_eq!((cabinet.kind, cabinet.nationwide), (ActorKind::Consultancy, true));
        assert_eq!(cabinet.siret.as_deref(), Some("12345678200002"));
    }

    #[test]
    fn every_bad_row_is_told_by_its_line() {
        let file = "nom;type;siret;departements;presentation\n\
            Trame;Association;;86;Accompagne les collectivités dans leurs démarches.\n\
            Autre;Fanfare;;86;Une fanfare qui ne figure dans aucune liste connue.\n\
            Tiers;Réseau;12345678200003;86;Un réseau national d’acteurs de la participation.\n\
            Loin;Réseau;;Atlantide;Un réseau national d’acteurs de la participation.\n\
            Trame;Association;;86;Le même nom, sans SIRET pour les distinguer l’un de l’autre.\n";
        let table = read_table(file).unwrap();
        let mapping = Mapping { targets: suggest(&table.headers), default_kind: None };
        let plan = plan(&table, &mapping, &codes());
        assert_eq!(plan.errors.len(), 4, "{:?}", plan.errors);
        assert!(plan.errors[0].starts_with("Ligne 3 : le type « Fanfare »"), "{}", plan.errors[0]);
        assert!(plan.errors[1].starts_with("Ligne 4 : Le SIRET 12345678200003 n’existe pas"), "{}", plan.errors[1]);
        assert!(plan.errors[2].starts_with("Ligne 5 : « Atlantide »"), "{}", plan.errors[2]);
        assert!(plan.errors[3].contains("figure déjà ligne 2"), "{}", plan.errors[3]);
    }

    #[test]
    fn a_mapping_without_name_description_or_kind_is_refused() {
        let table = read_table("a;b\nx;y\n").unwrap();
        let bare = Mapping { targets: vec![Target::Name, Target::Ignore], default_kind: Some(ActorKind::Other) };
        assert!(bare.check(&table.headers).unwrap_err().contains("Présentation"));
        let kindless = Mapping { targets: vec![Target::Name, Target::Description], default_kind: None };
        assert!(kindless.check(&table.headers).unwrap_err().contains("type d’acteur"));
        let three = read_table("a;b;c\nx;y;z\n").unwrap();
        let twice = Mapping {
            targets: vec![Target::Name, Target::Name, Target::Description],
            default_kind: Some(ActorKind::Other),
        };
        assert!(twice.check(&three.headers).unwrap_err().contains("ne peut venir que d’une colonne"));
    }
}

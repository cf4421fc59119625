//! Importing actors or spaces from a file someone already has: a CSV (any of `,` `;` tab, quoted fields that
//! span lines, like ANCT's France services list) or a GeoJSON of points (its properties become the columns, its
//! coordinates — WGS84 or Lambert-93 — the location). A person maps each column to a field of the identity sheet;
//! every row is then checked, and one bad row stops the whole file with its line and the reason.

use std::collections::HashMap;

use crate::domain::diagnostic::{Domain, EntryKind, NewEntry, SheetFields};
use crate::domain::text::fold;
use crate::geo::geojson::{self, Geometry};
use crate::import::csv_lines::CsvLines;
use crate::storage::boundaries::{Gazetteer, Placement};
use crate::storage::diagnostic::ImportedRow;

/// A file read as a table: its column names and its rows with the line each starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(u64, Vec<String>)>,
    /// How rows are counted in messages: "Ligne" for a CSV, "Objet n°" for a GeoJSON.
    pub row_word: &'static str,
}

/// Reads an uploaded file: GeoJSON when it starts with `{`, CSV otherwise.
pub fn read_table(text: &str) -> Result<Table, String> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('{') {
        read_geojson(text)
    } else {
        read_csv(text)
    }
}

fn read_csv(text: &str) -> Result<Table, String> {
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|d| first_line.matches(*d as char).count())
        .filter(|d| first_line.contains(*d as char))
        .ok_or("Le fichier n’a qu’une colonne : séparez les colonnes par des virgules ou des points-virgules.")?;
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("Ligne 1 : en-tête illisible ({e})."))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if let Some(blank) = headers.iter().position(|h| h.is_empty()) {
        return Err(format!("Ligne 1 : la colonne {} n’a pas de nom.", blank + 1));
    }
    let mut rows = Vec::new();
    let mut lines = CsvLines::new(text.as_bytes());
    loop {
        let before = reader.position().clone();
        let mut record = csv::StringRecord::new();
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = lines.line_of(e.position().unwrap_or(&before));
                return Err(format!("Ligne {line} : ligne illisible ({e})."));
            }
        }
        let line = lines.line_of(record.position().unwrap_or(&before));
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        if record.len() > headers.len() {
            return Err(format!(
                "Ligne {line} : {} valeurs pour {} colonnes (un guillemet ou un séparateur de trop ?).",
                record.len(),
                headers.len()
            ));
        }
        rows.push((line, record.iter().map(|v| v.trim().to_owned()).collect()));
    }
    if rows.is_empty() {
        return Err("Le fichier ne contient aucune ligne après l’en-tête.".into());
    }
    Ok(Table { headers, rows, row_word: "Ligne" })
}

/// The columns of a GeoJSON of points: its properties, then the longitude and the latitude of each point.
pub const GEOJSON_LONGITUDE: &str = "longitude (géométrie)";
pub const GEOJSON_LATITUDE: &str = "latitude (géométrie)";

fn read_geojson(text: &str) -> Result<Table, String> {
    let collection = geojson::read(text)?;
    let mut headers: Vec<String> = Vec::new();
    for feature in &collection.features {
        for key in feature.properties.keys() {
            if !headers.contains(key) {
                headers.push(key.clone());
            }
        }
    }
    headers.push(GEOJSON_LONGITUDE.into());
    headers.push(GEOJSON_LATITUDE.into());
    let mut rows = Vec::new();
    for (i, feature) in collection.features.iter().enumerate() {
        let Geometry::Point(lon, lat) = feature.geometry else {
            return Err(format!("Objet n° {} : c’est un contour ; seuls des points sont importés ici.", i + 1));
        };
        let mut row: Vec<String> = headers[..headers.len() - 2]
            .iter()
            .map(|key| match feature.properties.get(key) {
                Some(serde_json::Value::String(s)) => s.trim().to_owned(),
                Some(serde_json::Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            })
            .collect();
        row.push(format!("{lon:.7}"));
        row.push(format!("{lat:.7}"));
        rows.push((i as u64 + 1, row));
    }
    if rows.is_empty() {
        return Err("Le fichier ne contient aucun point.".into());
    }
    Ok(Table { headers, rows, row_word: "Objet n°" })
}

/// What a column becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Ignore,
    ExternalId,
    Name,
    Category,
    Domain,
    Description,
    Publics,
    Resources,
    Engagement,
    Contact,
    Links,
    Address,
    OpeningHours,
    Accessibility,
    Latitude,
    Longitude,
    CommuneCode,
}

impl Target {
    pub const ALL: [Target; 17] = [
        Target::Ignore,
        Target::ExternalId,
        Target::Name,
        Target::Category,
        Target::Domain,
        Target::Description,
        Target::Publics,
        Target::Resources,
        Target::Engagement,
        Target::Contact,
        Target::Links,
        Target::Address,
        Target::OpeningHours,
        Target::Accessibility,
        Target::Latitude,
        Target::Longitude,
        Target::CommuneCode,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Target::Ignore => "",
            Target::ExternalId => "identifiant",
            Target::Name => "nom",
            Target::Category => "categorie",
            Target::Domain => "domaine",
            Target::Description => "description",
            Target::Publics => "publics",
            Target::Resources => "ressources",
            Target::Engagement => "engagement",
            Target::Contact => "contact",
            Target::Links => "liens",
            Target::Address => "adresse",
            Target::OpeningHours => "horaires",
            Target::Accessibility => "accessibilite",
            Target::Latitude => "latitude",
            Target::Longitude => "longitude",
            Target::CommuneCode => "code_commune",
        }
    }

    pub fn parse(code: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The choice's words in the mapping form, for a kind of entry.
    pub fn label(self, kind: EntryKind) -> &'static str {
        match self {
            Target::Ignore => "Ne pas importer",
            Target::ExternalId => "Identifiant dans le fichier (réimporter met à jour)",
            Target::Name => "Nom",
            Target::Category => match kind {
                EntryKind::Actor => "Famille d’acteurs",
                _ => "Type",
            },
            Target::Domain => "Domaine (engagement citoyen ou coopération thématique)",
            Target::Description => match kind {
                EntryKind::Actor => "Missions",
                EntryKind::Space => "Usages",
                EntryKind::Object => "Description",
            },
            Target::Publics => "Publics touchés",
            Target::Resources => "Ressources",
            Target::Engagement => "Façon d’associer les habitants",
            Target::Contact => "Contact",
            Target::Links => "Liens",
            Target::Address => "Adresse",
            Target::OpeningHours => "Horaires",
            Target::Accessibility => "Accessibilité",
            Target::Latitude => "Latitude (degrés décimaux)",
            Target::Longitude => "Longitude (degrés décimaux)",
            Target::CommuneCode => "Code INSEE de la commune",
        }
    }

    /// Whether several columns may feed it (their values are then put together).
    fn joins(self) -> bool {
        !matches!(
            self,
            Target::Ignore
                | Target::ExternalId
                | Target::Category
                | Target::Domain
                | Target::Latitude
                | Target::Longitude
                | Target::CommuneCode
        )
    }
}

/// A first guess of each column's target from its name, so that the usual files need no change.
pub fn suggest(headers: &[String]) -> Vec<Target> {
    let mut taken: Vec<Target> = Vec::new();
    headers
        .iter()
        .map(|header| {
            let name = fold(header).replace(' ', "_");
            let guess = match name.as_str() {
                "id" | "identifiant" | "uid" => Target::ExternalId,
                n if n.starts_with("id_") => Target::ExternalId,
                "nom" | "name" | "libelle" | "titre" | "lib_fs" | "commune" | "raison_sociale" => Target::Name,
                "latitude" | "lat" | GEO_LAT => Target::Latitude,
                "longitude" | "lon" | "lng" | "long" | GEO_LON => Target::Longitude,
                "adresse" | "address" | "complement_adresse" | "code_postal" | "cp" | "lib_com" => Target::Address,
                "insee_com" | "code_insee" | "codgeo" | "code_commune" | "insee" => Target::CommuneCode,
                "mail" | "email" | "courriel" | "telephone" | "tel" | "phone" => Target::Contact,
                "site" | "url" | "site_web" | "web" | "lien" => Target::Links,
                n if n.starts_with("h_") || n.starts_with("horaires") => Target::OpeningHours,
                "accessibilite" | "accessibility" => Target::Accessibility,
                "description" | "commentaire" | "missions" | "usages" => Target::Description,
                "famille" | "type" | "categorie" => Target::Category,
                "domaine" => Target::Domain,
                "publics" => Target::Publics,
                "ressources" => Target::Resources,
                "engagement" => Target::Engagement,
                "liens" => Target::Links,
                _ => Target::Ignore,
            };
            // A single-column target already taken keeps its first column.
            let guess = if !guess.joins() && taken.contains(&guess) { Target::Ignore } else { guess };
            taken.push(guess);
            guess
        })
        .collect()
}

const GEO_LON: &str = "longitude_geometrie";
const GEO_LAT: &str = "latitude_geometrie";

/// How a file becomes sheets: a target per column, and the values for every row where no column gives them.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub kind: EntryKind,
    pub targets: Vec<Target>,
    pub default_category: String,
    pub default_domain: Domain,
    /// Keep only the rows whose commune belongs to the territory.
    pub inside_only: bool,
}

impl Mapping {
    /// Checks the mapping itself before any row: a name, and both coordinates or neither.
    pub fn check(&self, headers: &[String]) -> Result<(), String> {
        if self.targets.len() != headers.len() {
            return Err("Le choix des colonnes ne correspond pas au fichier : recommencez l’envoi.".into());
        }
        if !self.targets.contains(&Target::Name) {
            return Err("Choisissez au moins une colonne pour le nom.".into());
        }
        for single in [
            Target::ExternalId,
            Target::Category,
            Target::Domain,
            Target::Latitude,
            Target::Longitude,
            Target::CommuneCode,
        ] {
            let columns: Vec<&str> =
                self.targets.iter().zip(headers).filter(|(t, _)| **t == single).map(|(_, h)| h.as_str()).collect();
            if columns.len() > 1 {
                return Err(format!(
                    "« {} » ne peut venir que d’une colonne ; vous en avez choisi {} ({}).",
                    single.label(self.kind),
                    columns.len(),
                    columns.join(", ")
                ));
            }
        }
        if self.targets.contains(&Target::Latitude) != self.targets.contains(&Target::Longitude) {
            return Err("Choisissez une colonne pour la latitude et une pour la longitude, ou aucune des deux.".into());
        }
        Ok(())
    }
}

/// Where the rows are placed, and what "inside the territory" means.
pub struct Communes<'a> {
    pub gazetteer: &'a Gazetteer,
    /// The territory's own communes.
    pub of_territory: &'a [i64],
    /// The territory itself: a place known only by the EPCI outline it lies in is inside when that EPCI is it.
    pub territory_id: i64,
}

/// What checking a whole file gives.
#[derive(Debug, Default)]
pub struct Plan {
    pub rows: Vec<ImportedRow>,
    /// One message per bad row, with its line; when any, nothing is written.
    pub errors: Vec<String>,
    /// Rows left out because their commune lies outside the territory.
    pub outside: usize,
    /// Rows left out because their commune could not be told (no code, no outline around the point).
    pub unplaced: usize,
    /// Rows placed by their point (in their commune, or their EPCI or département where communes have no outline).
    pub located: usize,
}

/// Checks every row of the table under the mapping. `categories` are the accepted codes and labels.
pub fn plan(table: &Table, mapping: &Mapping, categories: &[(String, String)], communes: &Communes) -> Plan {
    let mut plan = Plan::default();
    let codes: Vec<String> = categories.iter().map(|(c, _)| c.clone()).collect();
    let by_label: HashMap<String, String> =
        categories.iter().flat_map(|(code, label)| [(fold(label), code.clone()), (fold(code), code.clone())]).collect();
    let mut seen_ids: HashMap<String, u64> = HashMap::new();
    let labels = column_labels(&table.headers, &mapping.targets);
    for (line, values) in &table.rows {
        let value_of = |target: Target| -> Vec<(&str, &str)> {
            mapping
                .targets
                .iter()
                .enumerate()
                .zip(&labels)
                .filter_map(|((i, t), label)| {
                    let value = values.get(i).map(String::as_str).unwrap_or("");
                    (*t == target && !value.is_empty()).then_some((label.as_str(), value))
                })
                .collect()
        };
        let single = |target: Target| value_of(target).first().map(|(_, v)| v.to_string()).unwrap_or_default();
        let joined = |target: Target, separator: &str| -> String {
            let parts = value_of(target);
            let labelled = parts.len() > 1 && separator == "\n";
            parts
                .iter()
                .map(|(label, value)| {
                    let value = readable_hours(value).unwrap_or_else(|| value.to_string());
                    // A one-line field (name, address) spread over lines in the file is put back on one line.
                    let value = if labelled || separator == "\n" {
                        value
                    } else {
                        value.split_whitespace().collect::<Vec<_>>().join(" ")
                    };
                    if labelled {
                        format!("{label} : {value}")
                    } else {
                        value
                    }
                })
                .collect::<Vec<_>>()
                .join(separator)
        };
        let row_error = |message: String| format!("{} {line} : {message}", table.row_word);
        let category = match single(Target::Category) {
            c if c.is_empty() => mapping.default_category.clone(),
            c => match by_label.get(&fold(&c)) {
                Some(code) => code.clone(),
                None => {
                    let known: Vec<&str> = categories.iter().map(|(_, l)| l.as_str()).collect();
                    plan.errors.push(row_error(format!(
                        "« {c} » n’est pas dans la liste ({}) : ajoutez la famille au projet ou corrigez la valeur.",
                        known.join(", ")
                    )));
                    continue;
                }
            },
        };
        let domain = match single(Target::Domain) {
            d if d.is_empty() => mapping.default_domain.code().to_owned(),
            d => match fold(&d).as_str() {
                "citizen" | "citoyen" | "engagement citoyen" => "citizen".to_owned(),
                "thematic" | "thematique" | "cooperation thematique" => "thematic".to_owned(),
                _ => d,
            },
        };
        let fields = SheetFields {
            name: joined(Target::Name, " "),
            category,
            domain,
            description: joined(Target::Description, "\n"),
            publics: joined(Target::Publics, "\n"),
            resources: joined(Target::Resources, "\n"),
            engagement: joined(Target::Engagement, "\n"),
            contact: joined(Target::Contact, "\n"),
            links: joined(Target::Links, "\n"),
            address: joined(Target::Address, ", "),
            opening_hours: joined(Target::OpeningHours, "\n"),
            accessibility: joined(Target::Accessibility, "\n"),
            lat: single(Target::Latitude),
            lon: single(Target::Longitude),
        };
        let entry = match NewEntry::parse(mapping.kind, &fields, &codes) {
            Ok(entry) => entry,
            Err(errors) => {
                let reasons: Vec<String> = errors.into_iter().map(|(_, m)| m).collect();
                plan.errors.push(row_error(reasons.join(" ")));
                continue;
            }
        };
        let external_id = Some(single(Target::ExternalId)).filter(|e| !e.is_empty());
        if let Some(id) = &external_id {
            if let Some(first) = seen_ids.insert(id.clone(), *line) {
                plan.errors.push(row_error(format!(
                    "l’identifiant « {id} » figure déjà {} {first}.",
                    table.row_word.to_lowercase()
                )));
                continue;
            }
        }
        let code = single(Target::CommuneCode);
        // A row's commune: by its INSEE code when a column gives one (a code of a commune merged since, déléguée,
        // associée or an arrondissement leads to the current commune); else, and when the code names no commune
        // the platform holds, by its point in the finest outline around it.
        let by_code = if code.is_empty() {
            None
        } else {
            let code = normalise_insee(&code);
            if !looks_like_insee(&code) {
                plan.errors.push(row_error(format!(
                    "« {code} » n’est pas un code INSEE de commune (5 caractères, comme 41018 ou 2A004)."
                )));
                continue;
            }
            communes.gazetteer.commune_by_code.get(&code).copied()
        };
        let placement = match (by_code, entry.location) {
            (Some(commune), _) => communes.gazetteer.of_commune(commune),
            (None, Some(l)) => {
                let placement = communes.gazetteer.at(l.lon, l.lat);
                plan.located += usize::from(placement != Placement::default());
                placement
            }
            (None, None) => Placement::default(),
        };
        if mapping.inside_only {
            let inside = match placement.commune_id {
                Some(c) => communes.of_territory.contains(&c),
                None => placement.epci_id == Some(communes.territory_id),
            };
            if !inside {
                if placement == Placement::default() {
                    plan.unplaced += 1;
                } else {
                    plan.outside += 1;
                }
                continue;
            }
        }
        plan.rows.push(ImportedRow { external_id, entry, placement });
    }
    plan
}

/// The label each column's value carries when several columns feed one field: the column's name without the
/// prefix all of them share ("h_lundi", "h_mardi" → "Lundi", "Mardi").
fn column_labels(headers: &[String], targets: &[Target]) -> Vec<String> {
    headers
        .iter()
        .zip(targets)
        .map(|(header, target)| {
            let siblings: Vec<&String> =
                headers.iter().zip(targets).filter(|(_, t)| *t == target).map(|(h, _)| h).collect();
            let prefix = siblings.iter().skip(1).fold(siblings[0].len(), |len, other| {
                siblings[0].bytes().zip(other.bytes()).take(len).take_while(|(a, b)| a == b).count()
            });
            let prefix = if siblings.len() > 1 { prefix } else { 0 };
            let label = header.get(prefix..).filter(|l| !l.is_empty()).unwrap_or(header).replace('_', " ");
            let mut chars = label.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => label,
            }
        })
        .collect()
}

/// A commune code as files spell it: "1033" lost its leading zero.
fn normalise_insee(code: &str) -> String {
    let code = code.trim();
    if code.len() == 4 && code.chars().all(|c| c.is_ascii_digit()) {
        format!("0{code}")
    } else {
        code.to_uppercase()
    }
}

/// Five characters: digits, or the 2A / 2B of Corsica.
fn looks_like_insee(code: &str) -> bool {
    let bytes = code.as_bytes();
    bytes.len() == 5
        && bytes[0].is_ascii_digit()
        && (bytes[1].is_ascii_digit() || (bytes[0] == b'2' && matches!(bytes[1], b'A' | b'B')))
        && bytes[2..].iter().all(u8::is_ascii_digit)
}

/// Opening hours written as the service-public.fr directory's JSON (`[["lundi","vendredi",[["09:00:00",
/// "12:00:00"]]]]`) in words: "Du lundi au vendredi : 9 h 00 – 12 h 00". None for any other text.
fn readable_hours(value: &str) -> Option<String> {
    if !value.starts_with("[[") {
        return None;
    }
    // Each span: first day, last day, and the (opening, closing) times of that span.
    type Span = (String, String, Vec<(String, String)>);
    let spans: Vec<Span> = serde_json::from_str(value).ok()?;
    let time = |t: &str| {
        let mut parts = t.split(':');
        Some(format!("{} h {}", parts.next()?.trim_start_matches('0').max("0"), parts.next()?))
    };
    let lines: Option<Vec<String>> = spans
        .iter()
        .map(|(from, to, slots)| {
            let slots: Option<Vec<String>> =
                slots.iter().map(|(a, b)| Some(format!("{} – {}", time(a)?, time(b)?))).collect();
            let days = if from == to { capitalised(from) } else { format!("Du {from} au {to}") };
            Some(format!("{days} : {}", slots?.join(", ")))
        })
        .collect();
    lines.map(|l| l.join("\n"))
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quoted_fields_that_span_lines_and_names_their_line() {
        let text = "id;nom;commentaire\n1;\"Tiers-lieu\nLa Fabrique\";ok\n2;Marché;\"a;b\"\n";
        let table = read_table(text).unwrap();
        assert_eq!(table.headers, vec!["id", "nom", "commentaire"]);
        assert_eq!(table.rows[0], (2, vec!["1".into(), "Tiers-lieu\nLa Fabrique".into(), "ok".into()]));
        assert_eq!(table.rows[1].0, 4, "the second row starts on line 4");
        assert!(read_table("id;nom\n1;a;b\n").unwrap_err().starts_with("Ligne 2 : 3 valeurs pour 2 colonnes"));
        assert!(read_table("seule colonne\nx\n").is_err());
        assert!(read_table("a,b\n").unwrap_err().contains("aucune ligne"));
    }

    #[test]
    fn names_the_same_lines_whatever_the_line_endings() {
        let rows = ["id;nom;commentaire", "1;Tiers-lieu;\"sur", "deux lignes\"", "", "2;Marché;ok", "3;Halle;a;b"];
        for ending in ["\n", "\r\n"] {
            for last in [ending, ""] {
                let text = format!("{}{last}", rows.join(ending));
                let error = read_table(&text).unwrap_err();
                assert!(error.starts_with("Ligne 6 : 4 valeurs pour 3 colonnes"), "{ending:?}, {last:?}: {error}");
                let good = format!("{}{last}", rows[..5].join(ending));
                let lines: Vec<u64> = read_table(&good).unwrap().rows.iter().map(|(line, _)| *line).collect();
                assert_eq!(lines, [2, 5], "{ending:?}, final ending {last:?}");
            }
        }
    }

    #[test]
    fn suggests_the_usual_columns() {
        let headers: Vec<String> = [
            "id_fs",
            "lib_fs",
            "latitude",
            "longitude",
            "h_lundi",
            "h_mardi",
            "mail",
            "insee_com",
            "adresse",
            "prise_rdv",
        ]
        .map(String::from)
        .to_vec();
        use Target::*;
        assert_eq!(
            suggest(&headers),
            vec![
                ExternalId,
                Name,
                Latitude,
                Longitude,
                OpeningHours,
                OpeningHours,
                Contact,
                CommuneCode,
                Address,
                Ignore
            ]
        );
        let labels = column_labels(&headers, &suggest(&headers));
        assert_eq!((labels[4].as_str(), labels[5].as_str(), labels[6].as_str()), ("Lundi", "Mardi", "Mail"));
    }

    #[test]
    fn hours_of_the_directory_read_as_words() {
        let json = r#"[["lundi","vendredi",[["09:00:00","12:00:00"],["14:00:00","17:30:00"]]],["samedi","samedi",[["10:00:00","12:00:00"]]]]"#;
        assert_eq!(
            readable_hours(json).unwrap(),
            "Du lundi au vendredi : 9 h 00 – 12 h 00, 14 h 00 – 17 h 30\nSamedi : 10 h 00 – 12 h 00"
        );
        assert_eq!(readable_hours("09:00 - 12:00"), None);
        assert_eq!(normalise_insee("1033"), "01033");
        assert_eq!(normalise_insee("2a004"), "2A004");
        assert!(looks_like_insee("2A004") && looks_like_insee("41018"));
        assert!(!looks_like_insee("4101") && !looks_like_insee("3A004") && !looks_like_insee("blois"));
    }
}

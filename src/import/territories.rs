//! Territory files in the formats of the official publications (INSEE COG, DGCL Banatic, via
//! @etalab/decoupage-administratif): a communes CSV, an EPCI JSON, départements and régions JSON.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;

use serde::Deserialize;

use crate::domain::territory::{
    parse_area_code, parse_insee_code, parse_population, parse_postcodes, parse_siren, parse_territory_name, EpciType,
    NewTerritory, TerritoryKind,
};
use crate::import::csv_lines::CsvLines;
use crate::storage::territories::{
    replace_commune_codes, set_ept_members, upsert_territories, CommuneCode, CommuneCodeKind,
};
use crate::storage::{self, DbConnection};

/// Where a bad row is: "ligne 12" of a CSV, "entrée 12" of a JSON array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub file: String,
    pub position: Position,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    Line(u64),
    Entry(usize),
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Position::Line(n) => write!(f, "{}, ligne {n} : {}", self.file, self.message),
            Position::Entry(n) => write!(f, "{}, entrée n° {n} : {}", self.file, self.message),
        }
    }
}

/// A file that could not be read as a territory file at all.
#[derive(Debug, thiserror::Error)]
#[error("{file} : {message}")]
pub struct FileError {
    pub file: String,
    pub message: String,
}

#[derive(Debug)]
pub struct ParsedFile {
    pub kind: TerritoryKind,
    pub rows: Vec<NewTerritory>,
    pub errors: Vec<RowError>,
    /// For an EPT file: each EPT's code and its member communes' codes.
    pub members: Vec<(String, Vec<String>)>,
    /// For the COG's file of every kind of commune code: the codes that lead to a current commune.
    pub commune_codes: Vec<CommuneCode>,
}

impl ParsedFile {
    fn new(kind: TerritoryKind) -> ParsedFile {
        ParsedFile { kind, rows: Vec::new(), errors: Vec::new(), members: Vec::new(), commune_codes: Vec::new() }
    }
}

/// Reads one file, recognising its kind from its content.
pub fn parse_file(path: &Path) -> Result<ParsedFile, FileError> {
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let bytes = std::fs::read(path)
        .map_err(|e| FileError { file: name.clone(), message: format!("lecture impossible ({e})") })?;
    parse_bytes(&name, &bytes)
}

pub fn parse_bytes(name: &str, bytes: &[u8]) -> Result<ParsedFile, FileError> {
    let file_error = |message: String| FileError { file: name.to_owned(), message };
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    match start.map(|i| bytes[i]) {
        None => Err(file_error("fichier vide".into())),
        Some(b'[') => parse_json(name, bytes),
        Some(_) => parse_communes_csv(name, bytes),
    }
}

const COMMUNE_COLUMNS: [&str; 12] = [
    "code_insee",
    "nom",
    "departement",
    "departement_nom",
    "region",
    "region_nom",
    "population",
    "codes_postaux",
    "siren_commune",
    "epci_siren",
    "epci_nom",
    "epci_type",
];

fn parse_communes_csv(name: &str, bytes: &[u8]) -> Result<ParsedFile, FileError> {
    let file_error = |message: String| FileError { file: name.to_owned(), message };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = reader.headers().map_err(|e| file_error(format!("en-tête illisible ({e})")))?.clone();
    let mut index = HashMap::new();
    for column in COMMUNE_COLUMNS {
        match headers.iter().position(|h| h.trim() == column) {
            Some(i) => {
                index.insert(column, i);
            }
            None if ["code_insee", "nom", "departement", "region"].contains(&column) => {
                return Err(file_error(format!(
                    "ce n’est pas un fichier de communes reconnu : colonne « {column} » absente (colonnes attendues : {})",
                    COMMUNE_COLUMNS.join(", ")
                )))
            }
            None => {}
        }
    }
    let mut parsed = ParsedFile::new(TerritoryKind::Commune);
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut record = csv::ByteRecord::new();
    let mut lines = CsvLines::new(bytes);
    loop {
        let before = reader.position().clone();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                parsed.errors.push(RowError {
                    file: name.into(),
                    position: Position::Line(lines.line_of(e.position().unwrap_or(&before))),
                    message: format!("ligne illisible ({e})"),
                });
                continue;
            }
        }
        let line = lines.line_of(record.position().unwrap_or(&before));
        let error = |message: String| RowError { file: name.into(), position: Position::Line(line), message };
        if record.len() != headers.len() {
            parsed.errors.push(error(format!("{} champs au lieu de {}", record.len(), headers.len())));
            continue;
        }
        let record = match csv::StringRecord::from_byte_record(record.clone()) {
            Ok(r) => r,
            Err(_) => {
                parsed.errors.push(error("texte mal encodé (UTF-8 attendu)".into()));
                continue;
            }
        };
        match commune_from_record(&record, &index) {
            Ok(commune) => {
                if let Some(first) = seen.insert(commune.code.clone(), line) {
                    parsed.errors.push(error(format!("code INSEE {} en double (déjà ligne {first})", commune.code)));
                } else {
                    parsed.rows.push(commune);
                }
            }
            Err(message) => parsed.errors.push(error(message)),
        }
    }
    Ok(parsed)
}

fn commune_from_record(record: &csv::StringRecord, index: &HashMap<&str, usize>) -> Result<NewTerritory, String> {
    let field = |column: &str| index.get(column).and_then(|&i| record.get(i)).unwrap_or("").trim();
    let code = parse_insee_code(field("code_insee"))?;
    let name = parse_territory_name(field("nom"))?;
    let departement = parse_area_code(field("departement"), "département")?;
    let region = parse_area_code(field("region"), "région")?;
    let population = parse_population(field("population"))?;
    let postcodes = parse_postcodes(field("codes_postaux"))?;
    let siren = optional(field("siren_commune"), parse_siren)?;
    let epci_code = optional(field("epci_siren"), parse_siren)?;
    let epci_type = optional(field("epci_type"), EpciType::parse)?;
    if epci_code.is_some() != epci_type.is_some() {
        return Err("epci_siren et epci_type doivent être tous deux remplis ou tous deux vides".into());
    }
    Ok(NewTerritory {
        kind: TerritoryKind::Commune,
        code,
        name,
        epci_type: None,
        departement_code: Some(departement),
        region_code: Some(region),
        epci_code,
        siren,
        postcodes,
        population,
    })
}

fn optional<T>(value: &str, parse: impl Fn(&str) -> Result<T, String>) -> Result<Option<T>, String> {
    if value.is_empty() {
        Ok(None)
    } else {
        parse(value).map(Some)
    }
}

#[derive(Deserialize)]
struct JsonEntry {
    code: Option<serde_json::Value>,
    nom: Option<String>,
    #[serde(rename = "type")]
    epci_type: Option<String>,
    region: Option<String>,
    #[serde(rename = "populationMunicipale")]
    population: Option<serde_json::Value>,
    /// Codes (EPCI file) or objects with a `code` (EPT file).
    membres: Option<Vec<serde_json::Value>>,
}

fn parse_json(name: &str, bytes: &[u8]) -> Result<ParsedFile, FileError> {
    let file_error = |message: String| FileError { file: name.to_owned(), message };
    let entries: Vec<serde_json::Value> = serde_json::from_slice(bytes)
        .map_err(|e| file_error(format!("JSON invalide ligne {}, colonne {} ({e})", e.line(), e.column())))?;
    // The kind is recognised from the keys of the first entry: EPCI have members, départements a région.
    let first = entries.first().ok_or_else(|| file_error("liste vide".into()))?;
    let declared = first.get("type").and_then(|t| t.as_str()).unwrap_or("");
    if COMMUNE_CODE_TYPES.contains(&declared) {
        return Ok(parse_commune_codes(name, entries));
    }
    let kind = if declared == "EPT" {
        TerritoryKind::Ept
    } else if first.get("membres").is_some() {
        TerritoryKind::Epci
    } else if first.get("region").is_some() {
        TerritoryKind::Departement
    } else if first.get("code").is_some() && first.get("nom").is_some() {
        TerritoryKind::Region
    } else {
        return Err(file_error(
            "ce n’est pas un fichier de territoires reconnu (entrées avec « code » et « nom » attendues)".into(),
        ));
    };
    let mut parsed = ParsedFile::new(kind);
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, value) in entries.into_iter().enumerate() {
        let entry_number = i + 1;
        let error = |message: String| RowError { file: name.into(), position: Position::Entry(entry_number), message };
        let entry: JsonEntry = match serde_json::from_value(value) {
            Ok(e) => e,
            Err(e) => {
                parsed.errors.push(error(format!("entrée mal formée ({e})")));
                continue;
            }
        };
        let members = entry.membres.clone().unwrap_or_default();
        match territory_from_json(kind, entry).and_then(|t| Ok((member_codes(&members)?, t))) {
            Ok((members, territory)) => {
                if let Some(first) = seen.insert(territory.code.clone(), entry_number) {
                    parsed.errors.push(error(format!("code {} en double (déjà entrée n° {first})", territory.code)));
                } else {
                    if kind == TerritoryKind::Ept {
                        parsed.members.push((territory.code.clone(), members));
                    }
                    parsed.rows.push(territory);
                }
            }
            Err(message) => parsed.errors.push(error(message)),
        }
    }
    Ok(parsed)
}

/// The INSEE codes of a JSON entry's members: strings (EPCI file) or objects with a `code` (EPT file).
fn member_codes(members: &[serde_json::Value]) -> Result<Vec<String>, String> {
    members
        .iter()
        .map(|member| {
            let code = member.as_str().or_else(|| member.get("code").and_then(|c| c.as_str())).unwrap_or("");
            parse_insee_code(code).map_err(|e| format!("membre : {e}"))
        })
        .collect()
}

/// The kinds of entry of the COG's file of every commune code (`communes-…-tous-types.json`).
const COMMUNE_CODE_TYPES: [&str; 4] =
    ["commune-actuelle", "commune-deleguee", "commune-associee", "arrondissement-municipal"];

#[derive(Deserialize)]
struct CodeEntry {
    code: String,
    nom: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "anciensCodes", default)]
    former_codes: Vec<String>,
    #[serde(rename = "chefLieu")]
    chef_lieu: Option<String>,
    commune: Option<String>,
}

/// The codes a real file may carry for a commune that are not its current code: of communes merged into it since
/// (Pierrefitte-sur-Seine, 93059, is Saint-Denis, 93066), of its communes déléguées and associées, of its
/// arrondissements municipaux. The current communes themselves come from the communes file.
fn parse_commune_codes(name: &str, entries: Vec<serde_json::Value>) -> ParsedFile {
    let mut parsed = ParsedFile::new(TerritoryKind::Commune);
    let mut current: HashMap<String, String> = HashMap::new();
    let mut others: Vec<CodeEntry> = Vec::new();
    for (i, value) in entries.into_iter().enumerate() {
        let entry: CodeEntry = match serde_json::from_value(value) {
            Ok(e) => e,
            Err(e) => {
                parsed.errors.push(RowError {
                    file: name.into(),
                    position: Position::Entry(i + 1),
                    message: format!("entrée mal formée ({e})"),
                });
                continue;
            }
        };
        if entry.kind == "commune-actuelle" {
            current.insert(entry.code.clone(), entry.nom.clone());
        }
        others.push(entry);
    }
    let mut codes: HashMap<String, CommuneCode> = HashMap::new();
    let mut add = |code: &str, commune_code: &str, kind: CommuneCodeKind, name: &str| {
        // A commune déléguée often keeps the code of its commune nouvelle: that code is the current commune's.
        if current.contains_key(code) || !current.contains_key(commune_code) {
            return;
        }
        codes.entry(code.to_owned()).or_insert_with(|| CommuneCode {
            code: code.to_owned(),
            commune_code: commune_code.to_owned(),
            kind,
            name: name.to_owned(),
        });
    };
    for entry in &others {
        match (entry.kind.as_str(), entry.commune.as_deref().or(entry.chef_lieu.as_deref())) {
            ("arrondissement-municipal", Some(commune)) => {
                add(&entry.code, commune, CommuneCodeKind::District, &entry.nom)
            }
            ("commune-deleguee", Some(commune)) => add(&entry.code, commune, CommuneCodeKind::Delegated, &entry.nom),
            ("commune-associee", Some(commune)) => add(&entry.code, commune, CommuneCodeKind::Associated, &entry.nom),
            _ => {}
        }
    }
    for entry in others.iter().filter(|e| e.kind == "commune-actuelle") {
        for former in &entry.former_codes {
            add(former, &entry.code, CommuneCodeKind::Merged, "");
        }
    }
    let mut codes: Vec<CommuneCode> = codes.into_values().collect();
    codes.sort_by(|a, b| a.code.cmp(&b.code));
    parsed.commune_codes = codes;
    parsed
}

/// One JSON entry. An EPCI's member codes are checked; membership itself comes from the communes file (`epci_siren`).
fn territory_from_json(kind: TerritoryKind, entry: JsonEntry) -> Result<NewTerritory, String> {
    let code = match entry.code {
        Some(serde_json::Value::String(s)) => s,
        Some(other) => return Err(format!("code « {other} » : texte attendu (les zéros initiaux comptent)")),
        None => return Err("code manquant".into()),
    };
    let name = parse_territory_name(entry.nom.as_deref().unwrap_or(""))?;
    let mut territory = NewTerritory {
        kind,
        code: String::new(),
        name,
        epci_type: None,
        departement_code: None,
        region_code: None,
        epci_code: None,
        siren: None,
        postcodes: String::new(),
        population: None,
    };
    match kind {
        TerritoryKind::Epci => {
            territory.code = parse_siren(&code)?;
            territory.siren = Some(territory.code.clone());
            territory.epci_type = Some(EpciType::parse(entry.epci_type.as_deref().unwrap_or(""))?);
            territory.population = match entry.population {
                None | Some(serde_json::Value::Null) => None,
                Some(serde_json::Value::Number(n)) => parse_population(&n.to_string())?,
                Some(other) => return Err(format!("population « {other} » : nombre attendu")),
            };
        }
        TerritoryKind::Ept => {
            territory.code = parse_siren(&code)?;
            territory.siren = Some(territory.code.clone());
            territory.population = match entry.population {
                None | Some(serde_json::Value::Null) => None,
                Some(serde_json::Value::Number(n)) => parse_population(&n.to_string())?,
                Some(other) => return Err(format!("population « {other} » : nombre attendu")),
            };
        }
        TerritoryKind::Departement => {
            territory.code = parse_area_code(&code, "département")?;
            territory.region_code = Some(parse_area_code(entry.region.as_deref().unwrap_or(""), "région")?);
        }
        TerritoryKind::Region | TerritoryKind::Commune => {
            territory.code = parse_area_code(&code, "région")?;
        }
    }
    Ok(territory)
}

#[derive(Debug, Default)]
pub struct ImportOptions {
    /// Import the valid rows even when some are bad (the bad ones are still reported).
    pub skip_invalid: bool,
}

#[derive(Debug, Default)]
pub struct ImportReport {
    pub counts: BTreeMap<TerritoryKind, usize>,
    pub skipped: Vec<RowError>,
    /// Codes of communes merged since, déléguées, associées and arrondissements, leading to current communes.
    pub commune_codes: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error("{} ligne(s) invalide(s), rien n’a été importé", .0.len())]
    InvalidRows(Vec<RowError>),
    #[error("base de données : {0}")]
    Database(#[from] storage::DbError),
}

/// Stores the rows of already-parsed files in one transaction: with any bad row nothing is stored, unless
/// `skip_invalid` says to store the good ones. `on_total` receives the number of rows to store, `on_progress` each
/// batch's size as it lands (for a progress bar).
pub fn import_files(
    conn: &mut DbConnection,
    files: &[ParsedFile],
    options: &ImportOptions,
    on_total: &mut dyn FnMut(usize),
    on_progress: &mut dyn FnMut(usize),
) -> Result<ImportReport, ImportError> {
    let errors: Vec<RowError> = files.iter().flat_map(|f| f.errors.iter().cloned()).collect();
    if !errors.is_empty() && !options.skip_invalid {
        return Err(ImportError::InvalidRows(errors));
    }
    let rows = with_epci_departements(files);
    on_total(rows.len());
    let at = storage::now();
    storage::write_transaction(conn, |conn| -> Result<(), storage::DbError> {
        for chunk in rows.chunks(500) {
            upsert_territories(conn, chunk, at)?;
            on_progress(chunk.len());
        }
        for (ept, members) in files.iter().flat_map(|f| &f.members) {
            set_ept_members(conn, ept, members)?;
        }
        if let Some(file) = files.iter().find(|f| !f.commune_codes.is_empty()) {
            replace_commune_codes(conn, &file.commune_codes, at)?;
        }
        Ok(())
    })?;
    storage::territories::refresh_statistics(conn)?;
    let commune_codes = files.iter().map(|f| f.commune_codes.len()).sum();
    let mut report = ImportReport { skipped: errors, commune_codes, ..ImportReport::default() };
    for row in &rows {
        *report.counts.entry(row.kind).or_default() += 1;
    }
    Ok(report)
}

/// All rows, parents first (régions, départements, EPCI, communes); each EPCI gets the département and région most of its member communes share, when the
/// communes are part of the same import.
fn with_epci_departements(files: &[ParsedFile]) -> Vec<NewTerritory> {
    let mut rows: Vec<NewTerritory> = files.iter().flat_map(|f| f.rows.iter().cloned()).collect();
    let mut by_epci: HashMap<String, HashMap<(String, String), usize>> = HashMap::new();
    for commune in rows.iter().filter(|t| t.kind == TerritoryKind::Commune) {
        if let (Some(epci), Some(dep), Some(reg)) =
            (&commune.epci_code, &commune.departement_code, &commune.region_code)
        {
            *by_epci.entry(epci.clone()).or_default().entry((dep.clone(), reg.clone())).or_default() += 1;
        }
    }
    for epci in rows.iter_mut().filter(|t| t.kind == TerritoryKind::Epci) {
        if let Some(counts) = by_epci.get(&epci.code) {
            if let Some(((dep, reg), _)) = counts.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))) {
                epci.departement_code = Some(dep.clone());
                epci.region_code = Some(reg.clone());
            }
        }
    }
    rows.sort_by_key(|t| t.kind);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "code_insee,nom,departement,departement_nom,region,region_nom,population,codes_postaux,siren_commune,epci_siren,epci_nom,epci_type\n";

    #[test]
    fn reads_a_good_communes_file() -> Result<(), FileError> {
        let csv = format!("{HEADER}86066,Châtellerault,86,Vienne,75,Nouvelle-Aquitaine,31003,86100,218600666,248600413,CA Grand Châtellerault,CA\n");
        let parsed = parse_bytes("communes.csv", csv.as_bytes())?;
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(parsed.rows[0].code, "86066");
        assert_eq!(parsed.rows[0].postcodes, " 86100 ");
        Ok(())
    }

    #[test]
    fn reports_each_bad_row_with_its_line() -> Result<(), FileError> {
        let csv = format!(
            "{HEADER}8606,Sans zéro,86,Vienne,75,NA,1,86100,,,,\n\
             86066,Châtellerault,86,Vienne,75,NA,-3,86100,,,,\n\
             86067,,86,Vienne,75,NA,3,86100,,,,\n\
             86068,Trop court,86\n\
             86069,Bon,86,Vienne,75,NA,3,86100,,248600413,CA X,XX\n\
             86070,Valide,86,Vienne,75,NA,3,86100,,,,\n"
        );
        let parsed = parse_bytes("communes.csv", csv.as_bytes())?;
        let lines: Vec<String> = parsed.errors.iter().map(ToString::to_string).collect();
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(lines.len(), 5, "{lines:?}");
        assert!(lines[0].starts_with("communes.csv, ligne 2 : code INSEE invalide"), "{}", lines[0]);
        assert!(lines[1].contains("ligne 3 : population invalide"), "{}", lines[1]);
        assert!(lines[2].contains("ligne 4 : nom manquant"), "{}", lines[2]);
        assert!(lines[3].contains("ligne 5 : 3 champs au lieu de 12"), "{}", lines[3]);
        assert!(lines[4].contains("ligne 6 : type d’EPCI inconnu"), "{}", lines[4]);
        Ok(())
    }

    #[test]
    fn names_the_same_lines_whatever_the_line_endings() -> Result<(), FileError> {
        let rows = [
            HEADER.trim_end(),
            "86066,Châtellerault,86,Vienne,75,NA,31003,86100,,,,",
            "86067,Bad,86,Vienne,75,NA,-3,86100,,,,",
            "",
            "86068,Dangé,86,Vienne,75,NA,3,86100,,,,",
            "8606,Sans zéro,86,Vienne,75,NA,1,86100,,,,",
        ];
        for ending in ["\n", "\r\n"] {
            for last in [ending, ""] {
                let csv = format!("{}{last}", rows.join(ending));
                let parsed = parse_bytes("communes.csv", csv.as_bytes())?;
                let lines: Vec<_> = parsed.errors.iter().map(|e| e.position).collect();
                assert_eq!(lines, [Position::Line(3), Position::Line(6)], "{ending:?}, final ending {last:?}");
                assert_eq!(parsed.rows.len(), 2);
            }
        }
        Ok(())
    }

    #[test]
    fn recognises_json_kinds_and_keeps_leading_zeros() -> Result<(), FileError> {
        let deps = parse_bytes(
            "d.json",
            br#"[{"code":"01","region":"84","nom":"Ain"},{"code":1,"region":"84","nom":"Ain"}]"#,
        )?;
        assert_eq!(deps.kind, TerritoryKind::Departement);
        assert_eq!(deps.rows.len(), 1);
        assert!(deps.errors[0].to_string().contains("entrée n° 2"));
        let epci = parse_bytes(
            "e.json",
            br#"[{"code":"248600413","nom":"CA Grand Ch\u00e2tellerault","type":"CA","populationMunicipale":82964,"membres":["86066"]}]"#,
        )?;
        assert_eq!(epci.kind, TerritoryKind::Epci);
        assert_eq!(epci.rows[0].population, Some(82964));
        Ok(())
    }

    #[test]
    fn refuses_unknown_and_empty_files() {
        assert!(parse_bytes("x.csv", b"").is_err());
        assert!(parse_bytes("x.csv", b"a,b\n1,2\n").is_err());
        assert!(parse_bytes("x.json", b"[{\"foo\":1}]").is_err());
        assert!(parse_bytes("x.json", b"[{\"code\":\"01\"").is_err());
    }
}

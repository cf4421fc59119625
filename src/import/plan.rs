//! Importing an action plan from the spreadsheet a territory already keeps, and the columns its export writes (the
//! same ones, so that an exported plan reads back): one row per action, or per indicator of an action (the action's
//! columns repeated, or left empty after its first row). Every row is checked; one bad row stops the whole file,
//! and every bad row is reported with its line, its column and the reason.

use crate::domain::plan::{
    ActionContentFields, ActionInput, ActionStatus, AxisFields, IndicatorFields, IndicatorInput,
};
use crate::domain::text::fold;
use crate::import::places::Table;

/// The columns, in the export's order: (header, other names people give it, folded).
pub const COLUMNS: [(&str, &[&str]); 19] = [
    ("Axe", &["axe strategique", "orientation"]),
    ("Action", &["intitule", "titre", "action"]),
    ("Description", &["descriptif"]),
    ("Pilote", &["porteur", "responsable"]),
    ("Partenaires", &[]),
    ("Début", &["date de debut"]),
    ("Fin", &["date de fin", "echeance"]),
    ("Budget", &["budget (euros)", "montant", "cout"]),
    ("Financements", &["financeurs"]),
    ("Statut", &["etat"]),
    ("Priorité", &[]),
    ("Indicateur", &["indicateurs"]),
    ("Unité", &[]),
    ("Sens", &["sens de variation"]),
    ("Fréquence", &["frequence de releve"]),
    ("Source", &["source des donnees"]),
    ("Date de référence", &["date de reference"]),
    ("Valeur de référence", &["valeur initiale", "reference"]),
    ("Cibles", &["cible", "objectifs"]),
];

/// An action of the file, with the indicators its rows give.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedAction {
    pub line: u64,
    pub axis: AxisFields,
    pub fields: ActionContentFields,
    pub status: ActionStatus,
    pub indicators: Vec<(u64, IndicatorFields)>,
}

/// Which column of the file holds each of [`COLUMNS`].
fn columns_of(headers: &[String]) -> Result<Vec<Option<usize>>, Vec<String>> {
    let folded: Vec<String> = headers.iter().map(|h| fold(h)).collect();
    let found: Vec<Option<usize>> = COLUMNS
        .iter()
        .map(|(name, aliases)| folded.iter().position(|h| *h == fold(name) || aliases.iter().any(|a| fold(a) == *h)))
        .collect();
    let missing: Vec<&str> = [0, 1].iter().filter(|i| found[**i].is_none()).map(|i| COLUMNS[*i].0).collect();
    if missing.is_empty() {
        Ok(found)
    } else {
        Err(vec![format!(
            "Ligne 1 : il manque la colonne {} (les colonnes attendues : {}).",
            missing.iter().map(|m| format!("« {m} »")).collect::<Vec<_>>().join(" et "),
            COLUMNS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
        )])
    }
}

/// Several values in one cell: one per line, or separated by `|`; the parts of each separated by `;`, or by ` : `
/// (which needs no quotes in a CSV separated by semicolons).
fn split_cell(cell: &str) -> String {
    cell.split(['|', '\n'])
        .map(|p| p.trim().replace(" : ", " ; "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The actions of a plan's spreadsheet, or every error with its line.
pub fn plan_rows(table: &Table) -> Result<Vec<ImportedAction>, Vec<String>> {
    let columns = columns_of(&table.headers)?;
    let mut errors = Vec::new();
    let mut actions: Vec<ImportedAction> = Vec::new();
    for (line, row) in &table.rows {
        let cell = |i: usize| columns[i].and_then(|c| row.get(c)).map_or("", String::as_str);
        let at = |column: &str, message: &str| format!("Ligne {line}, colonne « {column} » : {message}");
        let axis = match AxisFields::parse(cell(0), "") {
            Ok(axis) => axis,
            Err(e) => {
                errors.extend(e.into_iter().map(|(_, m)| at("Axe", &m)));
                continue;
            }
        };
        let title = cell(1).trim();
        let known = actions.iter().position(|a| fold(&a.fields.title) == fold(title) && a.axis.title == axis.title);
        let index = match known {
            Some(index) => index,
            None => {
                let partners = split_cell(&cell(4).replace([',', ';'], "|"));
                let fundings = split_cell(cell(8));
                let input = ActionInput {
                    title,
                    description: cell(2),
                    lead_name: cell(3),
                    partners: &partners,
                    starts_on: cell(5),
                    ends_on: cell(6),
                    budget: cell(7),
                    fundings: &fundings,
                    priority: cell(10),
                    ..ActionInput::default()
                };
                let status = match cell(9).trim() {
                    "" => Ok(ActionStatus::Planned),
                    text => ActionStatus::parse(text),
                };
                match (ActionContentFields::parse(&input), status) {
                    (Ok(fields), Ok(status)) => {
                        actions.push(ImportedAction { line: *line, axis, fields, status, indicators: Vec::new() });
                        actions.len() - 1
                    }
                    (fields, status) => {
                        let names = [
                            ("title", "Action"),
                            ("description", "Description"),
                            ("lead_name", "Pilote"),
                            ("partners", "Partenaires"),
                            ("starts_on", "Début"),
                            ("ends_on", "Fin"),
                            ("budget", "Budget"),
                            ("fundings", "Financements"),
                            ("priority", "Priorité"),
                        ];
                        for (field, message) in fields.err().unwrap_or_default() {
                            let column = names.iter().find(|(f, _)| *f == field).map_or("Action", |(_, c)| c);
                            errors.push(at(column, &message));
                        }
                        if let Err(message) = status {
                            errors.push(at("Statut", &message));
                        }
                        continue;
                    }
                }
            }
        };
        if cell(11).trim().is_empty() {
            continue;
        }
        let targets = split_cell(cell(18));
        let input = IndicatorInput {
            name: cell(11),
            unit: cell(12),
            direction: if cell(13).trim().is_empty() { "hausse" } else { cell(13) },
            frequency: cell(14),
            source: cell(15),
            method: "",
            baseline_on: cell(16),
            baseline_value: cell(17),
            targets: &targets,
        };
        match IndicatorFields::parse(&input) {
            Ok(indicator) => {
                let action = &mut actions[index];
                if action.indicators.iter().any(|(_, i)| fold(&i.name) == fold(&indicator.name)) {
                    errors.push(at("Indicateur", "cet indicateur est déjà donné pour cette action plus haut."));
                } else {
                    action.indicators.push((*line, indicator));
                }
            }
            Err(e) => {
                let names = [
                    ("name", "Indicateur"),
                    ("unit", "Unité"),
                    ("direction", "Sens"),
                    ("frequency", "Fréquence"),
                    ("source", "Source"),
                    ("baseline_on", "Date de référence"),
                    ("baseline_value", "Valeur de référence"),
                    ("targets", "Cibles"),
                ];
                for (field, message) in e {
                    let column = names.iter().find(|(f, _)| *f == field).map_or("Indicateur", |(_, c)| c);
                    errors.push(at(column, &message));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(actions)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::places::read_table;

    const FILE: &str = "Axe;Intitulé;Porteur;Début;Échéance;Budget;Financements;État;Indicateur;Unité;Sens;Date de référence;Valeur de référence;Cibles\n\
        Aller vers;Un bus dans les bourgs;CCAS;01/01/2027;31/12/2028;180 000;\"Région ; 40 000 ; acquis\nÉtat ; 60 000 ; à trouver\";en cours;Personnes reçues;personnes;hausse;01/01/2027;0;31/12/2027 : 600 | 31/12/2028 : 1500\n\
        Aller vers;Un bus dans les bourgs;;;;;;;Communes desservies;%;hausse;01/01/2027;0;31/12/2028 : 100\n\
        Former;Former les secrétaires de mairie;Centre de gestion;;;8 000;;à venir;;;;;;\n";

    #[test]
    fn a_plan_spreadsheet_reads_with_its_own_column_names() {
        let table = read_table(FILE).unwrap_or_else(|e| panic!("{e}"));
        let actions = plan_rows(&table).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(actions.len(), 2);
        assert_eq!(actions[0].fields.fundings.len(), 2);
        assert_eq!(actions[0].status, ActionStatus::Ongoing);
        assert_eq!(actions[0].indicators.len(), 2, "two rows, one action, two indicators");
        assert_eq!(actions[0].indicators[0].1.targets.len(), 2);
        assert_eq!(actions[1].axis.title, "Former");
    }

    #[test]
    fn every_bad_row_is_told_with_its_line_and_column() {
        let file = "Axe;Action;Budget;Statut;Indicateur;Cibles\n\
            Aller vers;Un bus;beaucoup;en cours;;\n\
            Aller vers;Des ateliers;;peut-être;;\n\
            ;Sans axe;;;;\n\
            Former;Une formation;;;Formées;demain : 12\n";
        let table = read_table(file).unwrap_or_else(|e| panic!("{e}"));
        let errors = plan_rows(&table).unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].starts_with("Ligne 2, colonne « Budget »"), "{errors:?}");
        assert!(errors[1].starts_with("Ligne 3, colonne « Statut »"), "{errors:?}");
        assert!(errors[2].starts_with("Ligne 4, colonne « Axe »"), "{errors:?}");
        assert!(errors[3].starts_with("Ligne 5, colonne « Cibles »"), "{errors:?}");
        let no_action = read_table("Axe;Budget\nAller vers;12\n").unwrap_or_else(|e| panic!("{e}"));
        assert!(plan_rows(&no_action).unwrap_err()[0].contains("il manque la colonne « Action »"));
    }
}

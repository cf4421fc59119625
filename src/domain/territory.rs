//! Territories: communes, EPCI, EPT, départements and régions, identified by their official codes.

use super::text::{clean_line, fold, french_quotes};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TerritoryKind {
    Region,
    Departement,
    Epci,
    /// Établissement public territorial: the eleven territories of the Métropole du Grand Paris (Plaine Commune…),
    /// which group its communes below the métropole, as an EPCI does elsewhere.
    Ept,
    Commune,
}

impl TerritoryKind {
    pub const ALL: [TerritoryKind; 5] = [
        TerritoryKind::Commune,
        TerritoryKind::Epci,
        TerritoryKind::Ept,
        TerritoryKind::Departement,
        TerritoryKind::Region,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TerritoryKind::Commune => "commune",
            TerritoryKind::Epci => "epci",
            TerritoryKind::Ept => "ept",
            TerritoryKind::Departement => "departement",
            TerritoryKind::Region => "region",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        TerritoryKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            TerritoryKind::Commune => "Commune",
            TerritoryKind::Epci => "Intercommunalité",
            TerritoryKind::Ept => "Établissement public territorial",
            TerritoryKind::Departement => "Département",
            TerritoryKind::Region => "Région",
        }
    }

    pub fn plural_label(self) -> &'static str {
        match self {
            TerritoryKind::Commune => "communes",
            TerritoryKind::Epci => "intercommunalités",
            TerritoryKind::Ept => "établissements publics territoriaux",
            TerritoryKind::Departement => "départements",
            TerritoryKind::Region => "régions",
        }
    }
}

/// Legal form of an EPCI à fiscalité propre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpciType {
    Cc,
    Ca,
    Cu,
    Metro,
    Met69,
}

impl EpciType {
    pub fn parse(code: &str) -> Result<Self, String> {
        match code {
            "CC" => Ok(EpciType::Cc),
            "CA" => Ok(EpciType::Ca),
            "CU" => Ok(EpciType::Cu),
            "METRO" => Ok(EpciType::Metro),
            "MET69" => Ok(EpciType::Met69),
            other => Err(format!("type d’EPCI inconnu « {other} » (attendu : CC, CA, CU, METRO ou MET69)")),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            EpciType::Cc => "CC",
            EpciType::Ca => "CA",
            EpciType::Cu => "CU",
            EpciType::Metro => "METRO",
            EpciType::Met69 => "MET69",
        }
    }

    pub fn label(code: &str) -> &'static str {
        match code {
            "CC" => "Communauté de communes",
            "CA" => "Communauté d’agglomération",
            "CU" => "Communauté urbaine",
            "METRO" => "Métropole",
            "MET69" => "Métropole de Lyon",
            _ => "Intercommunalité",
        }
    }
}

/// INSEE code of a commune: département (2 digits, 2A/2B, or 97x/98x) then the commune number, 5 characters.
pub fn parse_insee_code(input: &str) -> Result<String, String> {
    let code = input.trim().to_uppercase();
    let bytes = code.as_bytes();
    // Compared as bytes: slicing the text could cut a multi-byte character in two.
    let valid = bytes.len() == 5
        && (bytes[..2].iter().all(u8::is_ascii_digit) || &bytes[..2] == b"2A" || &bytes[..2] == b"2B")
        && bytes[2..].iter().all(u8::is_ascii_digit);
    if valid {
        Ok(code)
    } else {
        Err(format!("code INSEE invalide « {} » (5 caractères attendus, par exemple 86066 ou 2A004)", input.trim()))
    }
}

/// SIREN: 9 digits whose Luhn checksum holds (catches a mistyped or truncated code).
pub fn parse_siren(input: &str) -> Result<String, String> {
    let code = input.trim();
    if code.len() != 9 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("SIREN invalide « {code} » (9 chiffres attendus)"));
    }
    let sum: u32 = code
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    if sum % 10 == 0 {
        Ok(code.to_owned())
    } else {
        Err(format!("SIREN invalide « {code} » (la clé de contrôle ne correspond pas)"))
    }
}

/// Code of a département ("01", "2A", "974") or of a région ("84", "01").
pub fn parse_area_code(input: &str, what: &str) -> Result<String, String> {
    let code = input.trim().to_uppercase();
    let valid = match code.len() {
        2 => code.bytes().all(|b| b.is_ascii_digit()) || code == "2A" || code == "2B",
        3 => code.bytes().all(|b| b.is_ascii_digit()),
        _ => false,
    };
    if valid {
        Ok(code)
    } else {
        Err(format!("code de {what} invalide « {} »", input.trim()))
    }
}

/// Postcodes separated by spaces; each must have five digits. Returns them in the stored form (' 86100 86000 ').
pub fn parse_postcodes(input: &str) -> Result<String, String> {
    let mut stored = String::from(" ");
    for postcode in input.split_whitespace() {
        if postcode.len() != 5 || !postcode.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("code postal invalide « {postcode} » (5 chiffres attendus)"));
        }
        stored.push_str(postcode);
        stored.push(' ');
    }
    Ok(if stored.len() == 1 { String::new() } else { stored })
}

pub fn parse_population(input: &str) -> Result<Option<i64>, String> {
    let text = input.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<i64>() {
        Ok(n) if (0..=100_000_000).contains(&n) => Ok(Some(n)),
        _ => Err(format!("population invalide « {text} » (nombre entier positif attendu)")),
    }
}

/// An official name, its ASCII quotes made French (« CA de Blois « Agglopolys » »), once, as it is stored.
pub fn parse_territory_name(input: &str) -> Result<String, String> {
    let name = french_quotes(&clean_line(input).ok_or("nom contenant des caractères de contrôle")?);
    match name.chars().count() {
        0 => Err("nom manquant".into()),
        n if n > 200 => Err("nom trop long (200 caractères au plus)".into()),
        _ => Ok(name),
    }
}

/// A territory as read from an official file, validated, ready to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTerritory {
    pub kind: TerritoryKind,
    pub code: String,
    pub name: String,
    pub epci_type: Option<EpciType>,
    pub departement_code: Option<String>,
    pub region_code: Option<String>,
    pub epci_code: Option<String>,
    pub siren: Option<String>,
    pub postcodes: String,
    pub population: Option<i64>,
}

impl NewTerritory {
    pub fn search_name(&self) -> String {
        fold(&self.name)
    }

    /// The words a search can find this territory by: those of its name, its code, SIREN and postcodes, folded,
    /// without repetition.
    pub fn search_words(&self) -> Vec<String> {
        let mut words: Vec<String> =
            self.search_name().split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect();
        words.push(fold(&self.code));
        words.extend(self.siren.iter().map(|s| fold(s)));
        words.extend(self.postcodes.split_whitespace().map(str::to_owned));
        words.sort();
        words.dedup();
        words
    }
}

/// The smallest text greater than every text starting with `prefix` (folded words are ASCII): the upper bound of
/// a prefix range, "chat" → "chau".
pub fn prefix_upper_bound(prefix: &str) -> String {
    let mut bytes = prefix.as_bytes().to_vec();
    match bytes.pop() {
        Some(last) => {
            bytes.push(last.saturating_add(1));
            String::from_utf8_lossy(&bytes).into_owned()
        }
        None => String::from("\u{7f}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_names_keep_their_quotes_in_french() {
        assert_eq!(
            parse_territory_name("  CA de Blois ''Agglopolys''  ").as_deref(),
            Ok("CA de Blois «\u{202f}Agglopolys\u{202f}»")
        );
        assert_eq!(parse_territory_name("Blois").as_deref(), Ok("Blois"));
    }

    #[test]
    fn insee_codes() {
        assert_eq!(parse_insee_code("86066"), Ok("86066".into()));
        assert_eq!(parse_insee_code("2a004"), Ok("2A004".into()));
        assert_eq!(parse_insee_code("97411"), Ok("97411".into()));
        for bad in ["6066", "860660", "2C004", "8606A", "", "\u{1ED0C}\\"] {
            assert!(parse_insee_code(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn siren_checks_luhn() {
        assert!(parse_siren("248600413").is_ok());
        assert!(parse_siren("248600414").is_err());
        assert!(parse_siren("24860041").is_err());
    }

    #[test]
    fn postcodes_are_stored_between_spaces() {
        assert_eq!(parse_postcodes("93200 93210"), Ok(" 93200 93210 ".into()));
        assert_eq!(parse_postcodes(""), Ok(String::new()));
        assert!(parse_postcodes("9320").is_err());
    }

    #[test]
    fn search_words_cover_name_and_codes() {
        let t = NewTerritory {
            kind: TerritoryKind::Commune,
            code: "2A004".into(),
            name: "Ajaccio-Saint-Ajaccio".into(),
            epci_type: None,
            departement_code: None,
            region_code: None,
            epci_code: None,
            siren: Some("212000046".into()),
            postcodes: " 20000 20090 ".into(),
            population: None,
        };
        assert_eq!(t.search_words(), vec!["20000", "20090", "212000046", "2a004", "ajaccio", "saint"]);
        assert_eq!(prefix_upper_bound("chat"), "chau");
        assert_eq!(prefix_upper_bound("8609"), "860:");
    }

    #[test]
    fn population_bounds() {
        assert_eq!(parse_population(""), Ok(None));
        assert_eq!(parse_population("860"), Ok(Some(860)));
        assert!(parse_population("-12").is_err());
        assert!(parse_population("1e9").is_err());
    }
}

//! Text normalisation shared by search and imports, and the French of interpolated names: elision (« d’Aiffres »,
//! « qu’agent ») and the quotes of official names.

/// Folds a text to lowercase ASCII words separated by single spaces: "Châtellerault" → "chatellerault",
/// "L'Haÿ-les-Roses" → "l hay les roses", "Œuilly" → "oeuilly". Search compares folded forms only.
pub fn fold(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_lowercase();
    let mut folded = String::with_capacity(ascii.len());
    for word in ascii.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        if !folded.is_empty() {
            folded.push(' ');
        }
        folded.push_str(word);
    }
    folded
}

/// Trims and collapses inner whitespace; rejects control characters.
pub fn clean_line(text: &str) -> Option<String> {
    if text.chars().any(|c| c.is_control()) {
        return None;
    }
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Checks a multi-line text: trimmed, Windows line ends normalised, length counted in characters, no control
/// characters other than line breaks and tabs. `what` names the field in the French error ("Le titre").
pub fn bounded_text(input: &str, what: &str, min: usize, max: usize) -> Result<String, String> {
    if input.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(format!("{what} contient des caractères non autorisés."));
    }
    let text = input.trim().replace("\r\n", "\n");
    match text.chars().count() {
        0 if min > 0 => Err(format!("{what} est obligatoire.")),
        n if n < min => Err(format!("{what} demande au moins {min} caractères ({n} saisis).")),
        n if n > max => Err(format!("{what} dépasse {max} caractères ({n} saisis).")),
        _ => Ok(text),
    }
}

/// Collects the errors of several fields, in the order of the form.
pub fn errors_of(results: Vec<(&'static str, Option<String>)>) -> Vec<(&'static str, String)> {
    results.into_iter().filter_map(|(field, error)| error.map(|e| (field, e))).collect()
}

/// « de » before a name or a word, as French writes it: « d’Aiffres », « d’Échiré », « de Blois », and contracted
/// with the article that starts a name: « du Mans » (Le Mans), « des Abymes » (Les Abymes).
pub fn de(name: &str) -> String {
    let name = name.trim_start();
    if let Some(rest) = name.strip_prefix("Le ") {
        return format!("du {rest}");
    }
    if let Some(rest) = name.strip_prefix("Les ") {
        return format!("des {rest}");
    }
    format!("{}{name}", if starts_with_vowel_sound(name) { "d’" } else { "de " })
}

/// « que » before a word: « en tant qu’agent référent·e », « en tant que membre ».
pub fn que(word: &str) -> String {
    let word = word.trim_start();
    format!("{}{word}", que_before(word))
}

/// « que » as it is written before `word`, for a word set apart (« en tant qu’<strong>agent</strong> »): « qu’ »
/// before a vowel sound, « que » and a space otherwise.
pub fn que_before(word: &str) -> &'static str {
    if starts_with_vowel_sound(word.trim_start()) {
        "qu’"
    } else {
        "que "
    }
}

/// Words and names before which French elides although they start with H or with Y followed by a vowel: the
/// first words of their folded form. Most commune names that start with H have an aspirated H (« de Haguenau »,
/// « de Hem », « de Hazebrouck », « de Honfleur », « de Hommert »: names of Germanic or Flemish origin), and
/// wrongly eliding one (« d’Haguenau ») reads worse than keeping « de » before a mute one. So an H elides only
/// when listed: the common words the interface may put after « que » or « de », and the communes of some size whose
/// own usage elides. A Y elides before a consonant, where it sounds [i] (« d’Yvetot », « d’Yzeure »), not before
/// a vowel, where it sounds [j] (« de Yutz », « de Yenne »), Yerres, which writes « d’Yerres », aside.
const ELIDING_DESPITE_FIRST_LETTER: &[&str] = &[
    "habitant",
    "habitante",
    "habitants",
    "habitantes",
    "habitat",
    "heure",
    "heures",
    "histoire",
    "homme",
    "hommes",
    "hopital",
    "hotel",
    "humain",
    "humains",
    "harfleur",
    "hendaye",
    "henin beaumont",
    "hennebont",
    "herblay",
    "hericourt",
    "herouville",
    "huningue",
    "hyeres",
    "yerres",
];

/// Whether a word starts with a vowel sound: a vowel, accented or not (É, Î, Œ…), a Y before a consonant, or a
/// listed word.
fn starts_with_vowel_sound(word: &str) -> bool {
    // Not before a quote, a digit or a sign: « de « Agglopolys » ».
    if !word.chars().next().is_some_and(char::is_alphabetic) {
        return false;
    }
    let folded = fold(word);
    let listed = || {
        ELIDING_DESPITE_FIRST_LETTER
            .iter()
            .any(|w| folded.strip_prefix(w).is_some_and(|rest| rest.is_empty() || rest.starts_with(' ')))
    };
    let mut letters = folded.chars();
    match letters.next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => true,
        Some('y') if letters.next().is_none_or(|c| !"aeiou".contains(c)) => true,
        Some('h' | 'y') => listed(),
        _ => false,
    }
}

/// Official names mark their quotes with ASCII signs — `CA de Blois ''Agglopolys''` (two apostrophes),
/// `CA "Saintes - Grandes Rives - L'Agglo"` — which French writes with guillemets and narrow no-break spaces:
/// `CA de Blois « Agglopolys »`. Signs that do not pair up are left as they are.
pub fn french_quotes(text: &str) -> String {
    let marked = text.replace("''", "\"");
    let quotes = marked.matches('"').count();
    if quotes == 0 || quotes % 2 == 1 {
        return text.to_owned();
    }
    let mut out = String::with_capacity(marked.len() + quotes * 4);
    for (i, part) in marked.split('"').enumerate() {
        if i % 2 == 1 {
            out.push_str("«\u{202f}");
            out.push_str(part.trim());
            out.push_str("\u{202f}»");
        } else {
            out.push_str(part);
        }
    }
    out
}

/// A cell a spreadsheet will not run as a formula: text starting with `=`, `@`, `+` or `-` (other than a number
/// or a telephone number) gets a leading apostrophe, which spreadsheets hide. Every CSV export writes its cells
/// through it.
pub fn spreadsheet_safe(value: &str) -> std::borrow::Cow<'_, str> {
    let numeric = |rest: &str| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || " .,".contains(c));
    match value.chars().next() {
        Some('=' | '@' | '\t' | '\r') => format!("'{value}").into(),
        Some('+' | '-') if !numeric(&value[1..]) => format!("'{value}").into(),
        _ => value.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_and_punctuation() {
        assert_eq!(fold("Grand Châtellerault"), "grand chatellerault");
        assert_eq!(fold("L'Haÿ-les-Roses"), "l hay les roses");
        assert_eq!(fold("  ŒUILLY  "), "oeuilly");
        assert_eq!(fold("CA de Blois ''Agglopolys''"), "ca de blois agglopolys");
        assert_eq!(fold("%_"), "");
    }

    #[test]
    fn clean_line_collapses_spaces_and_refuses_controls() {
        assert_eq!(clean_line("  Marie   Curie ").as_deref(), Some("Marie Curie"));
        assert_eq!(clean_line("a\u{0}b"), None);
    }

    #[test]
    fn de_and_que_elide_before_a_vowel_sound() {
        for (name, expected) in [
            ("Aiffres", "d’Aiffres"),
            ("Échiré", "d’Échiré"),
            ("Île-d’Yeu", "d’Île-d’Yeu"),
            ("Œuilly", "d’Œuilly"),
            ("Èze", "d’Èze"),
            ("Ussel", "d’Ussel"),
            ("Blois", "de Blois"),
            ("CA de Blois ''Agglopolys''", "de CA de Blois ''Agglopolys''"),
            ("L'Isle-Adam", "de L'Isle-Adam"),
            ("La Rochelle", "de La Rochelle"),
            ("Le Mans", "du Mans"),
            ("Les Abymes", "des Abymes"),
            ("Lesneven", "de Lesneven"),
            ("Hyères", "d’Hyères"),
            ("Hérouville-Saint-Clair", "d’Hérouville-Saint-Clair"),
            ("Haguenau", "de Haguenau"),
            ("Hem", "de Hem"),
            ("Hazebrouck", "de Hazebrouck"),
            ("Hommert", "de Hommert"),
            ("Hérouvillette", "de Hérouvillette"),
            ("Yvetot", "d’Yvetot"),
            ("Yzeure", "d’Yzeure"),
            ("Y", "d’Y"),
            ("Yutz", "de Yutz"),
            ("Yerres", "d’Yerres"),
            ("« Agglopolys »", "de « Agglopolys »"),
            ("1er arrondissement", "de 1er arrondissement"),
            ("", "de "),
        ] {
            assert_eq!(de(name), expected, "{name}");
        }
        assert_eq!(que("agent référent·e d’Aiffres"), "qu’agent référent·e d’Aiffres");
        assert_eq!(que("élu·e référent·e de Blois"), "qu’élu·e référent·e de Blois");
        assert_eq!(que("habitant·e"), "qu’habitant·e");
        assert_eq!(que("membre du prestataire"), "que membre du prestataire");
    }

    #[test]
    fn official_quotes_become_guillemets() {
        assert_eq!(french_quotes("CA de Blois ''Agglopolys''"), "CA de Blois «\u{202f}Agglopolys\u{202f}»");
        assert_eq!(
            french_quotes("CA \"Saintes - Grandes Rives - L'Agglo\""),
            "CA «\u{202f}Saintes - Grandes Rives - L'Agglo\u{202f}»"
        );
        assert_eq!(
            french_quotes("CC Alpes-Provence-Verdon \"Sources de lumière\""),
            "CC Alpes-Provence-Verdon «\u{202f}Sources de lumière\u{202f}»"
        );
        assert_eq!(french_quotes("L'Abergement-Clémenciat"), "L'Abergement-Clémenciat");
        assert_eq!(french_quotes("Un \" seul"), "Un \" seul");
        assert_eq!(fold(&french_quotes("CA de Blois ''Agglopolys''")), "ca de blois agglopolys");
    }

    /// Every name of the communes file, with what French writes for « de » before it, decided here from the
    /// name's first letters rather than by the rule under test.
    #[test]
    fn de_before_every_commune_name_of_the_official_file() {
        let file = "territories/communes-2026.csv";
        let Some(data) = crate::shared_data::shared_data(&[file]) else { return };
        let text = data.text(file);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mute_h = [
            "Harfleur",
            "Hendaye",
            "Hennebont",
            "Herblay-sur-Seine",
            "Hérouville-Saint-Clair",
            "Hérouville-en-Vexin",
            "Hommes",
            "Hôpital-Camfrout",
            "Héricourt",
            "Héricourt-en-Caux",
            "Héricourt-sur-Thérain",
            "Hénin-Beaumont",
            "Huningue",
            "Hyères",
        ];
        let (mut vowels, mut h_elided) = (0, 0);
        for record in reader.records() {
            let name = record.unwrap()[1].to_owned();
            let mut letters = name.chars();
            let first = letters.next().unwrap();
            let second = letters.next().map(|c| c.to_lowercase().to_string());
            let elides = match first {
                'A' | 'E' | 'I' | 'O' | 'U' | 'É' | 'È' | 'Î' | 'Ô' | 'Œ' => {
                    vowels += 1;
                    true
                }
                'H' => {
                    h_elided += usize::from(mute_h.contains(&name.as_str()));
                    mute_h.contains(&name.as_str())
                }
                'Y' => name == "Yerres" || second.is_none_or(|c| !"aeiouéèê".contains(&c)),
                _ => false,
            };
            let expected = if let Some(rest) = name.strip_prefix("Les ") {
                format!("des {rest}")
            } else if let Some(rest) = name.strip_prefix("Le ") {
                format!("du {rest}")
            } else if elides {
                format!("d’{name}")
            } else {
                format!("de {name}")
            };
            assert_eq!(de(&name), expected);
        }
        assert_eq!(vowels, 3556, "names starting with a vowel, accented or not");
        assert_eq!(h_elided, 15, "Héricourt is two communes");
    }

    #[test]
    fn formulas_are_neutralised_numbers_kept() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(spreadsheet_safe("-2+3"), "'-2+3");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("-0.5703"), "-0.5703");
        assert_eq!(spreadsheet_safe("+33 6 12 34 56 78"), "+33 6 12 34 56 78");
        assert_eq!(spreadsheet_safe("Mairie"), "Mairie");
    }
}

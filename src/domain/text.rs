//! Text normalisation shared by search and imports.

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
}

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

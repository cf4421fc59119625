//! Searching the platform: what can be found (its kinds), and the words searched as both engines take them —
//! folded as `text::fold` folds (accents and case gone), each word a prefix (« atelier » finds « ateliers »), all of
//! them required. The engines (SQLite FTS5, PostgreSQL's full-text search) are storage's business.

use super::text::fold;

/// What a search finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SearchKind {
    Theme,
    Inspiration,
    Report,
    Directory,
    Project,
    Plan,
    Lesson,
}

impl SearchKind {
    pub const ALL: [SearchKind; 7] = [
        SearchKind::Theme,
        SearchKind::Project,
        SearchKind::Plan,
        SearchKind::Report,
        SearchKind::Directory,
        SearchKind::Inspiration,
        SearchKind::Lesson,
    ];

    /// In URLs (`?type=`) and in the queries' result rows.
    pub fn code(self) -> &'static str {
        match self {
            SearchKind::Theme => "themes",
            SearchKind::Inspiration => "inspiration",
            SearchKind::Report => "retours",
            SearchKind::Directory => "annuaire",
            SearchKind::Project => "projets",
            SearchKind::Plan => "plans",
            SearchKind::Lesson => "enseignements",
        }
    }

    pub fn parse(code: &str) -> Option<SearchKind> {
        SearchKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The kind's name in a filter.
    pub fn plural(self) -> &'static str {
        match self {
            SearchKind::Theme => "Thèmes",
            SearchKind::Inspiration => "Inspiration",
            SearchKind::Report => "Retours d’expérience",
            SearchKind::Directory => "Annuaire des acteurs",
            SearchKind::Project => "Projets",
            SearchKind::Plan => "Plans d’action adoptés",
            SearchKind::Lesson => "Enseignements",
        }
    }

    /// The kind's name beside a result.
    pub fn singular(self) -> &'static str {
        match self {
            SearchKind::Theme => "Thème",
            SearchKind::Inspiration => "Inspiration",
            SearchKind::Report => "Retour d’expérience",
            SearchKind::Directory => "Acteur",
            SearchKind::Project => "Projet",
            SearchKind::Plan => "Plan d’action adopté",
            SearchKind::Lesson => "Enseignement",
        }
    }
}

/// Words too common to narrow a search; a search of only these finds nothing rather than everything.
const STOPWORDS: [&str; 27] = [
    "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "en", "et", "il", "la", "le", "les", "leur", "ou",
    "par", "pas", "pour", "qu", "que", "qui", "sur", "un", "une", "est",
];

/// At most this many words are searched; the rest of a pasted paragraph is left out.
const MAX_WORDS: usize = 8;

/// The words of a search, folded, without the common ones and the single letters (« d’ », « l’ »).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerms(Vec<String>);

impl SearchTerms {
    /// None when nothing is left to search.
    pub fn parse(input: &str) -> Option<SearchTerms> {
        let mut words: Vec<String> = Vec::new();
        for word in fold(input).split(' ') {
            if word.len() >= 2 && !STOPWORDS.contains(&word) && !words.iter().any(|w| w == word) {
                words.push(word.to_owned());
            }
        }
        words.truncate(MAX_WORDS);
        (!words.is_empty()).then_some(SearchTerms(words))
    }

    pub fn words(&self) -> &[String] {
        &self.0
    }

    /// For SQLite's FTS5: every word as a quoted prefix, all required.
    pub fn fts5(&self) -> String {
        self.0.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" ")
    }

    /// For PostgreSQL's `to_tsquery('simple', …)`: every word as a prefix, all required.
    pub fn tsquery(&self) -> String {
        self.0.iter().map(|w| format!("{w}:*")).collect::<Vec<_>>().join(" & ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_and_the_common_ones_left_out() {
        let terms = SearchTerms::parse("  Le Grand CHÂTELLERAULT et l’Agglomération d’Aiffres ").unwrap();
        assert_eq!(terms.words(), ["grand", "chatellerault", "agglomeration", "aiffres"]);
        assert_eq!(terms.fts5(), r#""grand"* "chatellerault"* "agglomeration"* "aiffres"*"#);
        assert_eq!(terms.tsquery(), "grand:* & chatellerault:* & agglomeration:* & aiffres:*");
    }

    #[test]
    fn nothing_searchable_is_none_and_syntax_is_only_words() {
        assert_eq!(SearchTerms::parse(""), None);
        assert_eq!(SearchTerms::parse("de la l’ à"), None);
        // The engines' operators are never passed through: a search is words.
        let terms = SearchTerms::parse("\"eau\" OR NEAR(x*) -budget:* & !").unwrap();
        assert_eq!(terms.words(), ["eau", "or", "near", "budget"]);
        assert!(SearchTerms::parse(&"mot ".repeat(50)).unwrap().words().len() == 1);
        let many = SearchTerms::parse("un deux trois quatre cinq six sept huit neuf dix").unwrap();
        assert_eq!(many.words().len(), MAX_WORDS);
    }

    #[test]
    fn kinds_round_trip() {
        for kind in SearchKind::ALL {
            assert_eq!(SearchKind::parse(kind.code()), Some(kind));
        }
    }
}

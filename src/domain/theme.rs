//! Themes and the positions collectivities take on them (docs/product.md § Lifecycle, step 1).

use super::text::{bounded_text, clean_line};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ThemeStatus {
    /// Waiting for the agency's moderation.
    Proposed,
    /// Published: collectivities may position themselves.
    Open,
    /// Chosen for a shared project.
    Selected,
    Archived,
}

impl ThemeStatus {
    pub fn code(self) -> &'static str {
        match self {
            ThemeStatus::Proposed => "proposed",
            ThemeStatus::Open => "open",
            ThemeStatus::Selected => "selected",
            ThemeStatus::Archived => "archived",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [ThemeStatus::Proposed, ThemeStatus::Open, ThemeStatus::Selected, ThemeStatus::Archived]
            .into_iter()
            .find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ThemeStatus::Proposed => "Proposé, en attente de publication",
            ThemeStatus::Open => "Ouvert aux positionnements",
            ThemeStatus::Selected => "Retenu pour un projet partagé",
            ThemeStatus::Archived => "Archivé",
        }
    }

    /// The moderation moves the agency may make. Selection happens when a project is opened from the theme.
    pub fn may_become(self, next: ThemeStatus) -> Result<(), String> {
        use ThemeStatus::*;
        match (self, next) {
            (Proposed, Open) | (Proposed, Archived) | (Open, Archived) => Ok(()),
            (from, to) => Err(format!("Un thème « {} » ne peut pas passer à « {} ».", from.label(), to.label())),
        }
    }

    /// A duplicate (proposed or open) may be merged into another, open theme.
    pub fn may_merge_into(self, target: ThemeStatus, same_theme: bool) -> Result<(), String> {
        if same_theme {
            return Err("Un thème ne peut pas être fusionné dans lui-même.".into());
        }
        if !matches!(self, ThemeStatus::Proposed | ThemeStatus::Open) {
            return Err(format!("Un thème « {} » ne peut plus être fusionné.", self.label()));
        }
        if target != ThemeStatus::Open {
            return Err("Le thème d’accueil doit être ouvert aux positionnements.".into());
        }
        Ok(())
    }

    /// Positions can be taken, changed or withdrawn only while the theme is open.
    pub fn accepts_positions(self) -> bool {
        self == ThemeStatus::Open
    }
}

/// What a collectivity intends to do if a project opens on the theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engagement {
    Participate,
    Observe,
    Interested,
}

impl Engagement {
    pub const ALL: [Engagement; 3] = [Engagement::Participate, Engagement::Observe, Engagement::Interested];

    pub fn code(self) -> &'static str {
        match self {
            Engagement::Participate => "participate",
            Engagement::Observe => "observe",
            Engagement::Interested => "interested",
        }
    }

    pub fn parse(code: &str) -> Result<Self, String> {
        Engagement::ALL
            .into_iter()
            .find(|e| e.code() == code)
            .ok_or_else(|| "Choisissez l’engagement envisagé : participer, observer ou suivre avec intérêt.".into())
    }

    pub fn label(self) -> &'static str {
        match self {
            Engagement::Participate => "Participer",
            Engagement::Observe => "Observer",
            Engagement::Interested => "Intéressée, sans engagement",
        }
    }
}

/// A theme as proposed, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTheme {
    pub title: String,
    pub problem: String,
    pub why_it_matters: String,
}

impl NewTheme {
    /// Returns each field's error, so the form can show them all at once.
    pub fn parse(title: &str, problem: &str, why: &str) -> Result<NewTheme, Vec<(&'static str, String)>> {
        let title = clean_line(title).ok_or_else(|| "Le titre contient des caractères non autorisés.".to_owned());
        let title = title.and_then(|t| bounded_text(&t, "Le titre", 5, 150));
        let problem = bounded_text(problem, "Le problème posé", 20, 5000);
        let why = bounded_text(why, "Le texte « pourquoi c’est important »", 20, 5000);
        match (title, problem, why) {
            (Ok(title), Ok(problem), Ok(why_it_matters)) => Ok(NewTheme { title, problem, why_it_matters }),
            (title, problem, why) => {
                Err([("title", title.err()), ("problem", problem.err()), ("why_it_matters", why.err())]
                    .into_iter()
                    .filter_map(|(field, error)| error.map(|e| (field, e)))
                    .collect())
            }
        }
    }
}

/// A collectivity's position on a theme: its stakes (required) and intended engagement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPosition {
    pub stakes: String,
    pub engagement: Engagement,
}

impl NewPosition {
    pub fn parse(stakes: &str, engagement: &str) -> Result<NewPosition, Vec<(&'static str, String)>> {
        let stakes = bounded_text(stakes, "L’exposé des enjeux", 20, 3000);
        let engagement = Engagement::parse(engagement);
        match (stakes, engagement) {
            (Ok(stakes), Ok(engagement)) => Ok(NewPosition { stakes, engagement }),
            (stakes, engagement) => Err([("stakes", stakes.err()), ("engagement", engagement.err())]
                .into_iter()
                .filter_map(|(field, error)| error.map(|e| (field, e)))
                .collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moderation_moves() {
        assert!(ThemeStatus::Proposed.may_become(ThemeStatus::Open).is_ok());
        assert!(ThemeStatus::Open.may_become(ThemeStatus::Archived).is_ok());
        assert!(ThemeStatus::Archived.may_become(ThemeStatus::Open).is_err());
        assert!(ThemeStatus::Open.may_become(ThemeStatus::Proposed).is_err());
        assert!(ThemeStatus::Open.accepts_positions() && !ThemeStatus::Archived.accepts_positions());
        assert!(ThemeStatus::Proposed.may_merge_into(ThemeStatus::Open, false).is_ok());
        assert!(ThemeStatus::Open.may_merge_into(ThemeStatus::Open, true).is_err());
        assert!(ThemeStatus::Archived.may_merge_into(ThemeStatus::Open, false).is_err());
        assert!(ThemeStatus::Open.may_merge_into(ThemeStatus::Archived, false).is_err());
    }

    #[test]
    fn a_theme_needs_all_three_texts() {
        let errors = NewTheme::parse("Eau", "", "x".repeat(6000).as_str()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["title", "problem", "why_it_matters"]);
        let theme = NewTheme::parse(
            "  Mobilités   rurales ",
            "Sans voiture, une partie des habitants ne peut rien faire.",
            "La moitié de nos communes n’a aucun transport collectif.",
        )
        .unwrap();
        assert_eq!(theme.title, "Mobilités rurales");
    }

    #[test]
    fn a_position_needs_stakes_and_a_known_engagement() {
        assert_eq!(NewPosition::parse("", "vote").unwrap_err().len(), 2);
        let position =
            NewPosition::parse("Nos quartiers prioritaires sont concernés au premier chef.", "observe").unwrap();
        assert_eq!(position.engagement, Engagement::Observe);
    }
}

//! Mixed inquiry groups (docs/product.md § Lifecycle, step 4): on each participant territory, elected officials,
//! agents, inhabitants, schoolchildren and associations survey inhabitants together. Their mixedness is the point: the
//! indicator says which categories are there and warns when inhabitants are missing or fewer than three
//! categories are represented.

use super::account::EmailAddress;
use super::text::{bounded_text, clean_line, errors_of};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MemberCategory {
    Elu,
    Agent,
    Habitant,
    Scolaire,
    Associatif,
    Autre,
}

impl MemberCategory {
    pub const ALL: [MemberCategory; 6] = [
        MemberCategory::Elu,
        MemberCategory::Agent,
        MemberCategory::Habitant,
        MemberCategory::Scolaire,
        MemberCategory::Associatif,
        MemberCategory::Autre,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MemberCategory::Elu => "elu",
            MemberCategory::Agent => "agent",
            MemberCategory::Habitant => "habitant",
            MemberCategory::Scolaire => "scolaire",
            MemberCategory::Associatif => "associatif",
            MemberCategory::Autre => "autre",
        }
    }

    pub fn parse(code: &str) -> Result<Self, String> {
        MemberCategory::ALL
            .into_iter()
            .find(|c| c.code() == code)
            .ok_or_else(|| "Choisissez la catégorie de la personne dans la liste.".to_owned())
    }

    pub fn label(self) -> &'static str {
        match self {
            MemberCategory::Elu => "Élu·e",
            MemberCategory::Agent => "Agent de la collectivité",
            MemberCategory::Habitant => "Habitant·e",
            MemberCategory::Scolaire => "Élève ou étudiant·e",
            MemberCategory::Associatif => "Membre d’une association",
            MemberCategory::Autre => "Autre",
        }
    }

    /// The plural, for the indicator ("3 habitant·es").
    pub fn plural(self) -> &'static str {
        match self {
            MemberCategory::Elu => "élu·es",
            MemberCategory::Agent => "agents",
            MemberCategory::Habitant => "habitant·es",
            MemberCategory::Scolaire => "élèves ou étudiant·es",
            MemberCategory::Associatif => "membres d’associations",
            MemberCategory::Autre => "autres",
        }
    }
}

/// Fewer categories than this and the group is not mixed enough.
pub const MIN_CATEGORIES: usize = 3;

/// How mixed a group is: the members counted per category present, and what is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mixedness {
    /// Categories present with their number of members, in the order of [`MemberCategory::ALL`].
    pub present: Vec<(MemberCategory, usize)>,
    /// In French, what the group lacks; empty when it is mixed enough.
    pub warnings: Vec<String>,
}

impl Mixedness {
    pub fn of(categories: &[MemberCategory]) -> Mixedness {
        let present: Vec<(MemberCategory, usize)> = MemberCategory::ALL
            .into_iter()
            .map(|c| (c, categories.iter().filter(|m| **m == c).count()))
            .filter(|(_, n)| *n > 0)
            .collect();
        let mut warnings = Vec::new();
        if !categories.contains(&MemberCategory::Habitant) {
            warnings.push(
                "Aucun habitant dans le groupe : l’enquête a besoin d’habitants parmi ceux qui la mènent.".into(),
            );
        }
        if present.len() < MIN_CATEGORIES {
            warnings.push(format!(
                "{} catégorie{} représentée{} : un groupe mixte en réunit au moins {MIN_CATEGORIES}.",
                present.len(),
                if present.len() > 1 { "s" } else { "" },
                if present.len() > 1 { "s" } else { "" },
            ));
        }
        Mixedness { present, warnings }
    }

    pub fn is_mixed(&self) -> bool {
        self.warnings.is_empty()
    }
}

/// A member as the form gives them: a name (a first name or a pseudonym is enough for an inhabitant), a category,
/// a few words on who they are, and an e-mail address only when they need an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMember {
    pub display_name: String,
    pub category: MemberCategory,
    pub note: String,
    pub email: Option<EmailAddress>,
}

impl NewMember {
    pub fn parse(
        display_name: &str,
        category: &str,
        note: &str,
        email: &str,
    ) -> Result<NewMember, Vec<(&'static str, String)>> {
        let display_name = clean_line(display_name)
            .ok_or_else(|| "Le nom contient des caractères non autorisés.".to_owned())
            .and_then(|name| bounded_text(&name, "Le nom", 2, 100));
        let category = MemberCategory::parse(category);
        let note = clean_line(note)
            .ok_or_else(|| "La présentation contient des caractères non autorisés.".to_owned())
            .and_then(|note| bounded_text(&note, "La présentation", 0, 300));
        let email = match email.trim() {
            "" => Ok(None),
            email => EmailAddress::parse(email).map(Some),
        };
        match (display_name, category, note, email) {
            (Ok(display_name), Ok(category), Ok(note), Ok(email)) => {
                Ok(NewMember { display_name, category, note, email })
            }
            (display_name, category, note, email) => Err(errors_of(vec![
                ("display_name", display_name.err()),
                ("category", category.err()),
                ("note", note.err()),
                ("email", email.err()),
            ])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MemberCategory::*;

    #[test]
    fn a_mixed_group_has_inhabitants_and_three_categories() {
        let mixed = Mixedness::of(&[Elu, Habitant, Habitant, Scolaire]);
        assert!(mixed.is_mixed(), "{:?}", mixed.warnings);
        assert_eq!(mixed.present, vec![(Elu, 1), (Habitant, 2), (Scolaire, 1)]);
    }

    #[test]
    fn the_indicator_says_what_is_missing() {
        let no_inhabitants = Mixedness::of(&[Elu, Agent, Associatif]);
        assert_eq!(no_inhabitants.warnings.len(), 1);
        assert!(no_inhabitants.warnings[0].contains("Aucun habitant"));
        let narrow = Mixedness::of(&[Habitant, Agent, Agent]);
        assert_eq!(
            narrow.warnings,
            vec!["2 catégories représentées : un groupe mixte en réunit au moins 3.".to_owned()]
        );
        let empty = Mixedness::of(&[]);
        assert_eq!(empty.warnings.len(), 2);
        assert!(empty.warnings[1].starts_with("0 catégorie représentée"));
    }

    #[test]
    fn a_member_needs_a_name_and_a_category_and_maybe_an_address() {
        let member = NewMember::parse("  Inès  ", "habitant", "Conseil citoyen du quartier Ozon", "").unwrap();
        assert_eq!((member.display_name.as_str(), member.category, member.email), ("Inès", Habitant, None));
        let invited = NewMember::parse("Paul Girard", "agent", "", "Paul.Girard@Exemple.fr").unwrap();
        assert_eq!(invited.email.unwrap().as_str(), "paul.girard@exemple.fr");
        let errors = NewMember::parse("", "chef", "", "pas une adresse").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["display_name", "category", "email"]);
        for category in MemberCategory::ALL {
            assert_eq!(MemberCategory::parse(category.code()), Ok(category));
        }
    }
}

//! A project's newsletter: written by the agency or the provider in rubrics — édito, en théorie, en pratique,
//! nouvelles des territoires, en chantier, à suivre, inspiration — for the audiences chosen (participants,
//! observers, people following the project by e-mail), sent once, then archived publicly.

use super::text::clean_line;

/// The rubrics, in the order a newsletter shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rubric {
    Edito,
    Theory,
    Practice,
    Territories,
    InProgress,
    Upcoming,
    Inspiration,
}

impl Rubric {
    pub const ALL: [Rubric; 7] = [
        Rubric::Edito,
        Rubric::Theory,
        Rubric::Practice,
        Rubric::Territories,
        Rubric::InProgress,
        Rubric::Upcoming,
        Rubric::Inspiration,
    ];

    /// The form field's name.
    pub fn code(self) -> &'static str {
        match self {
            Rubric::Edito => "edito",
            Rubric::Theory => "theory",
            Rubric::Practice => "practice",
            Rubric::Territories => "territories",
            Rubric::InProgress => "in_progress",
            Rubric::Upcoming => "upcoming",
            Rubric::Inspiration => "inspiration",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Rubric::Edito => "Édito",
            Rubric::Theory => "En théorie",
            Rubric::Practice => "En pratique",
            Rubric::Territories => "Nouvelles des territoires",
            Rubric::InProgress => "En chantier",
            Rubric::Upcoming => "À suivre",
            Rubric::Inspiration => "Inspiration",
        }
    }

    pub fn hint(self) -> &'static str {
        match self {
            Rubric::Edito => "Le mot d’ouverture : où en est le projet, ce qui compte ce mois-ci.",
            Rubric::Theory => "Une notion, une étude, un cadre utile pour comprendre.",
            Rubric::Practice => "Une méthode, un outil, un retour d’expérience à reprendre.",
            Rubric::Territories => "Ce qui se passe dans les territoires participants.",
            Rubric::InProgress => "Les travaux en cours : enquêtes, diagnostics, plans d’action.",
            Rubric::Upcoming => "Les prochains rendez-vous et échéances.",
            Rubric::Inspiration => "Ailleurs, une initiative qui donne des idées.",
        }
    }
}

/// Who receives a newsletter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Audience {
    pub participants: bool,
    pub observers: bool,
    pub followers: bool,
}

impl Audience {
    /// "les participantes et les observatrices", for the pages that say who receives it.
    pub fn describe(self) -> String {
        let parts: Vec<&str> = [
            (self.participants, "les membres des collectivités participantes"),
            (self.observers, "les membres des collectivités observatrices"),
            (self.followers, "les personnes qui suivent le projet par courriel"),
        ]
        .into_iter()
        .filter_map(|(chosen, name)| chosen.then_some(name))
        .collect();
        match parts.as_slice() {
            [] => "personne".into(),
            [one] => (*one).into(),
            [rest @ .., last] => format!("{} et {last}", rest.join(", ")),
        }
    }
}

/// A newsletter as written: its title, each rubric's text (Markdown; empty ones are left out), its audience.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNewsletter {
    pub title: String,
    /// In the order of [`Rubric::ALL`].
    pub rubrics: [String; 7],
    pub audience: Audience,
}

const TITLE_MAX: usize = 200;
const RUBRIC_MAX: usize = 20_000;

impl NewNewsletter {
    /// Checks a newsletter; errors name their field, in French.
    pub fn parse(
        title: &str,
        rubrics: [&str; 7],
        audience: Audience,
    ) -> Result<NewNewsletter, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let title = clean_line(title).unwrap_or_default();
        if title.is_empty() {
            errors.push(("title", "Donnez un titre à la lettre.".to_owned()));
        } else if title.chars().count() > TITLE_MAX {
            errors.push(("title", format!("Le titre est trop long ({TITLE_MAX} caractères au plus).")));
        }
        let rubrics = rubrics.map(|text| text.replace("\r\n", "\n").trim().to_owned());
        for (rubric, text) in Rubric::ALL.iter().zip(&rubrics) {
            if text.chars().count() > RUBRIC_MAX {
                errors.push((
                    rubric.code(),
                    format!("La rubrique « {} » est trop longue ({RUBRIC_MAX} caractères au plus).", rubric.label()),
                ));
            }
        }
        if rubrics.iter().all(String::is_empty) {
            errors.push(("edito", "Écrivez au moins une rubrique (l’édito, par exemple).".to_owned()));
        }
        if audience == Audience::default() {
            errors.push(("to_participants", "Choisissez à qui envoyer la lettre.".to_owned()));
        }
        if errors.is_empty() {
            Ok(NewNewsletter { title, rubrics, audience })
        } else {
            Err(errors)
        }
    }

    /// The rubrics written, in order.
    pub fn written(&self) -> impl Iterator<Item = (Rubric, &str)> {
        Rubric::ALL.into_iter().zip(self.rubrics.iter().map(String::as_str)).filter(|(_, text)| !text.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVERYONE: Audience = Audience { participants: true, observers: true, followers: true };

    #[test]
    fn a_newsletter_needs_a_title_a_rubric_and_an_audience() {
        let errors = NewNewsletter::parse("  ", [""; 7], Audience::default()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["title", "edito", "to_participants"]);
        let long = "x".repeat(20_001);
        let mut rubrics = [""; 7];
        rubrics[3] = &long;
        let errors = NewNewsletter::parse("Lettre n° 1", rubrics, EVERYONE).unwrap_err();
        assert_eq!(errors[0].0, "territories");
        assert!(errors[0].1.contains("Nouvelles des territoires"));
    }

    #[test]
    fn empty_rubrics_are_left_out_in_order() {
        let rubrics = ["", "", "Une méthode.\r\n\r\nDeux paragraphes.", "", "", "Le séminaire du 4 février.  ", ""];
        let letter = NewNewsletter::parse(" Lettre  de février ", rubrics, EVERYONE).unwrap();
        assert_eq!(letter.title, "Lettre de février");
        let written: Vec<(Rubric, &str)> = letter.written().collect();
        assert_eq!(
            written,
            [(Rubric::Practice, "Une méthode.\n\nDeux paragraphes."), (Rubric::Upcoming, "Le séminaire du 4 février.")]
        );
    }

    #[test]
    fn an_audience_is_said_in_words() {
        assert_eq!(
            Audience { participants: true, observers: false, followers: true }.describe(),
            "les membres des collectivités participantes et les personnes qui suivent le projet par courriel"
        );
        assert_eq!(EVERYONE.describe().matches(", ").count(), 1);
    }
}

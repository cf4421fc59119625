//! The restitution to inhabitants (docs/product.md § Lifecycle, step 8): what a territory's group tells the people
//! it surveyed — what we heard, what was decided, what comes next —, its key figures as the group writes them, the
//! channels of its meetings and who they reached.

use super::text::{bounded_text, clean_line, errors_of};

pub const TEXT_MAX: usize = 5_000;
/// A quote stays a quote: a few sentences.
pub const QUOTE_MAX: usize = 600;
/// Key figures: a poster holds a handful.
pub const FIGURES_MAX: usize = 8;
const FIGURE_VALUE_MAX: usize = 30;
const FIGURE_LABEL_MAX: usize = 200;

type FieldErrors = Vec<(&'static str, String)>;

/// A key figure as the group writes it: « 412 ; habitants ont répondu au questionnaire ».
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub value: String,
    pub label: String,
}

/// One figure per line, « valeur ; ce qu’elle dit »; each bad line is told by its number.
pub fn parse_figures(text: &str) -> Result<Vec<Figure>, String> {
    let mut figures = Vec::new();
    let mut errors = Vec::new();
    for (n, line) in text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())).filter(|(_, l)| !l.is_empty()) {
        let Some((value, label)) = line.split_once(';') else {
            errors.push(format!(
                "ligne {n} : écrivez « valeur ; ce qu’elle dit », par exemple « 412 ; habitants ont répondu »"
            ));
            continue;
        };
        let (Some(value), Some(label)) = (clean_line(value), clean_line(label)) else {
            errors.push(format!("ligne {n} : caractères non autorisés"));
            continue;
        };
        match (value.chars().count(), label.chars().count()) {
            (0, _) => errors.push(format!("ligne {n} : la valeur manque avant le point-virgule")),
            (_, 0) => errors.push(format!("ligne {n} : dites ce que la valeur compte, après le point-virgule")),
            (v, _) if v > FIGURE_VALUE_MAX => {
                errors.push(format!("ligne {n} : la valeur dépasse {FIGURE_VALUE_MAX} caractères ({v})"))
            }
            (_, l) if l > FIGURE_LABEL_MAX => {
                errors.push(format!("ligne {n} : le texte dépasse {FIGURE_LABEL_MAX} caractères ({l})"))
            }
            _ => figures.push(Figure { value, label }),
        }
    }
    if figures.len() > FIGURES_MAX {
        errors.push(format!("{} chiffres : gardez-en {FIGURES_MAX} au plus, les plus parlants", figures.len()));
    }
    if errors.is_empty() {
        Ok(figures)
    } else {
        Err(format!("Les chiffres clés : {}.", errors.join(" ; ")))
    }
}

/// The texts of a restitution, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RestitutionTexts {
    /// « Ce que nous avons entendu », in the group's words.
    pub heard: String,
    /// Key figures, one per line (see [`parse_figures`]).
    pub figures: String,
    /// A few words before the adopted plan's actions.
    pub decided: String,
    /// « Et maintenant » : the calendar, the follow-up.
    pub next_steps: String,
    /// How to stay involved.
    pub involved: String,
}

impl RestitutionTexts {
    pub fn parse(
        heard: &str,
        figures: &str,
        decided: &str,
        next_steps: &str,
        involved: &str,
    ) -> Result<RestitutionTexts, FieldErrors> {
        let h = bounded_text(heard, "« Ce que nous avons entendu »", 0, TEXT_MAX);
        let f =
            bounded_text(figures, "Les chiffres clés", 0, TEXT_MAX).and_then(|text| parse_figures(&text).map(|_| text));
        let d = bounded_text(decided, "« Ce qui a été décidé »", 0, TEXT_MAX);
        let n = bounded_text(next_steps, "« Et maintenant »", 0, TEXT_MAX);
        let i = bounded_text(involved, "« Comment rester impliqué »", 0, TEXT_MAX);
        match (h, f, d, n, i) {
            (Ok(heard), Ok(figures), Ok(decided), Ok(next_steps), Ok(involved)) => {
                Ok(RestitutionTexts { heard, figures, decided, next_steps, involved })
            }
            (h, f, d, n, i) => Err(errors_of(vec![
                ("heard", h.err()),
                ("figures", f.err()),
                ("decided", d.err()),
                ("next_steps", n.err()),
                ("involved", i.err()),
            ])),
        }
    }

    /// What is missing before the page may be published, in French; empty when nothing is.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.heard.is_empty() {
            missing.push("« Ce que nous avons entendu »");
        }
        if self.next_steps.is_empty() {
            missing.push("« Et maintenant »");
        }
        missing
    }
}

/// A quote chosen from a free answer, as the page will show it: the group may shorten it or take a name out, but
/// it stays a quote (not empty, not a page).
pub fn parse_quote(text: &str) -> Result<String, String> {
    bounded_text(text, "La citation", 1, QUOTE_MAX)
}

/// Where a restitution stands, for the project's page and the phase guard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    NotStarted,
    Draft,
    Published,
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Stage::NotStarted => "pas commencée",
            Stage::Draft => "en préparation",
            Stage::Published => "publiée",
        }
    }
}

/// How a restitution reached people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    PublicMeeting,
    MarketStand,
    DoorToDoor,
    Display,
    Leaflet,
    School,
    Online,
    Other,
}

impl Channel {
    pub const ALL: [Channel; 8] = [
        Channel::PublicMeeting,
        Channel::MarketStand,
        Channel::DoorToDoor,
        Channel::Display,
        Channel::Leaflet,
        Channel::School,
        Channel::Online,
        Channel::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Channel::PublicMeeting => "public_meeting",
            Channel::MarketStand => "market_stand",
            Channel::DoorToDoor => "door_to_door",
            Channel::Display => "display",
            Channel::Leaflet => "leaflet",
            Channel::School => "school",
            Channel::Online => "online",
            Channel::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::PublicMeeting => "Réunion publique",
            Channel::MarketStand => "Stand (marché, fête, sortie d’école)",
            Channel::DoorToDoor => "Porte-à-porte",
            Channel::Display => "Affichage (mairie, France services, commerces)",
            Channel::Leaflet => "Tract distribué",
            Channel::School => "Établissement scolaire",
            Channel::Online => "En ligne",
            Channel::Other => "Autre",
        }
    }

    pub fn parse(code: &str) -> Result<Channel, String> {
        Channel::ALL
            .into_iter()
            .find(|c| c.code() == code)
            .ok_or_else(|| "Choisissez le moyen dans la liste.".to_owned())
    }
}

/// A count of people as someone types it: a whole number, spaces allowed (« 1 200 »).
pub fn parse_count(text: &str, what: &str) -> Result<i32, String> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace() && *c != '\u{202f}').collect();
    if digits.is_empty() {
        return Ok(0);
    }
    match digits.parse::<i32>() {
        Ok(n) if (0..=1_000_000).contains(&n) => Ok(n),
        _ => Err(format!(
            "{what} : écrivez un nombre entier de personnes, de 0 à 1 000 000 (« {} » saisi).",
            text.trim()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_read_line_by_line_and_each_bad_line_is_told() {
        let figures = parse_figures("412 ; habitants ont répondu\n\n38 % ; n’ont pas internet chez eux").unwrap();
        assert_eq!(figures.len(), 2);
        assert_eq!(figures[1], Figure { value: "38 %".into(), label: "n’ont pas internet chez eux".into() });
        let error = parse_figures("412 habitants\n; rien\n12 ;").unwrap_err();
        assert!(error.contains("ligne 1 : écrivez « valeur ; ce qu’elle dit »"), "{error}");
        assert!(error.contains("ligne 2 : la valeur manque"), "{error}");
        assert!(error.contains("ligne 3 : dites ce que la valeur compte"), "{error}");
        let many = (1..=9).map(|n| format!("{n} ; chiffre")).collect::<Vec<_>>().join("\n");
        assert!(parse_figures(&many).unwrap_err().contains("9 chiffres : gardez-en 8 au plus"));
    }

    #[test]
    fn texts_name_the_field_at_fault_and_what_publication_needs() {
        let errors = RestitutionTexts::parse("Nous avons entendu.", "sans point-virgule", "", "", "").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, "figures");
        let texts = RestitutionTexts::parse("Nous avons entendu.", "", "", "", "").unwrap();
        assert_eq!(texts.missing(), vec!["« Et maintenant »"]);
        let long = "a".repeat(TEXT_MAX + 1);
        assert_eq!(RestitutionTexts::parse("", "", "", "", &long).unwrap_err()[0].0, "involved");
    }

    #[test]
    fn quotes_and_counts_are_bounded() {
        assert!(parse_quote("  ").is_err());
        assert_eq!(parse_quote(" Plus de bus le samedi. ").unwrap(), "Plus de bus le samedi.");
        assert!(parse_quote(&"mot ".repeat(200)).is_err());
        assert_eq!(parse_count("1 200", "Personnes"), Ok(1200));
        assert_eq!(parse_count("", "Personnes"), Ok(0));
        assert!(parse_count("-3", "Personnes").unwrap_err().starts_with("Personnes : écrivez un nombre entier"));
        assert!(parse_count("douze", "Personnes").is_err());
        assert_eq!(Channel::parse("market_stand"), Ok(Channel::MarketStand));
        assert!(Channel::parse("pigeon").is_err());
    }
}

//! The restitution to inhabitants (docs/product.md § Lifecycle, step 8): what a territory's group tells the people
//! it surveyed — what we heard, what was decided, what comes next —, its key figures as the group writes them, the
//! channels of its meetings and who they reached.

use chrono::NaiveDate;

use super::text::{bounded_text, clean_line, errors_of};

pub const TEXT_MAX: usize = 5_000;
/// A quote stays a quote: a few sentences.
pub const QUOTE_MAX: usize = 600;
/// Key figures: a poster holds a handful.
pub const FIGURES_MAX: usize = 8;
const FIGURE_VALUE_MAX: usize = 30;
const FIGURE_LABEL_MAX: usize = 200;

type FieldErrors = Vec<(&'static str, String)>;

/// An address as it names a person: « Camille@Exemple.fr » and « camille@exemple.fr » left on two questionnaires
/// are one respondent, told once.
pub fn one_person(address: &str) -> String {
    address.trim().to_lowercase()
}

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

/// A profile category of the territory's questionnaires (« Sans internet à la maison », « 16-25 ans »…), as its
/// reach is counted: the profile question and the answer's code.
pub type Category = (i64, String);

/// Who a meeting or a channel reached, as the group types it.
#[derive(Debug, Default, Clone)]
pub struct ReachInput<'a> {
    /// A restitution meeting of the territory, by id, or empty for another channel.
    pub event: &'a str,
    pub channel: &'a str,
    pub label: &'a str,
    pub happened_on: &'a str,
    pub reached: &'a str,
    /// The count typed for each category offered.
    pub publics: Vec<(Category, &'a str)>,
    pub note: &'a str,
}

/// Who a meeting or a channel reached, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReach {
    pub event_id: Option<i64>,
    pub channel: Channel,
    pub label: String,
    pub happened_on: NaiveDate,
    pub reached: i32,
    /// Only the categories with someone in them.
    pub publics: Vec<(Category, i32)>,
    pub note: String,
}

/// The field of a category's count in the reach form.
pub fn public_field(category: &Category) -> String {
    format!("public-{}-{}", category.0, category.1)
}

impl NewReach {
    /// Checks what the group typed: `events` are the territory's restitution meetings (id, title, date), of which
    /// `input.event` must be one when given (its title and date are then the defaults); `today` bounds the date.
    pub fn parse(
        input: &ReachInput,
        events: &[(i64, String, NaiveDate)],
        today: NaiveDate,
    ) -> Result<NewReach, Vec<(String, String)>> {
        let mut errors: Vec<(String, String)> = Vec::new();
        let mut fail = |field: &str, message: String| errors.push((field.to_owned(), message));
        let event = match input.event.trim() {
            "" => None,
            id => match events.iter().find(|(e, _, _)| e.to_string() == id) {
                Some(event) => Some(event),
                None => {
                    fail("event", "Choisissez la rencontre dans la liste.".to_owned());
                    None
                }
            },
        };
        let channel = Channel::parse(input.channel).map_err(|m| fail("channel", m)).ok();
        let label = match (clean_line(input.label), event) {
            (Some(l), Some((_, title, _))) if l.is_empty() => title.clone(),
            (Some(l), _) if l.is_empty() => {
                fail("label", "Dites où ou comment (« Marché de Naintré », « Affiches en mairie »).".to_owned());
                String::new()
            }
            (Some(l), _) if l.chars().count() > 200 => {
                fail("label", format!("Le lieu dépasse 200 caractères ({}).", l.chars().count()));
                String::new()
            }
            (Some(l), _) => l,
            (None, _) => {
                fail("label", "Le lieu contient des caractères non autorisés.".to_owned());
                String::new()
            }
        };
        let happened_on = match (input.happened_on.trim(), event) {
            ("", Some((_, _, on))) => Some(*on),
            (text, _) => match super::project::parse_date(text, "La date") {
                Ok(date) if date > today => {
                    fail(
                        "happened_on",
                        "La date est à venir : notez qui a été touché une fois la rencontre passée.".to_owned(),
                    );
                    None
                }
                Ok(date) => Some(date),
                Err(m) => {
                    fail("happened_on", m);
                    None
                }
            },
        };
        let reached = parse_count(input.reached, "Personnes touchées").map_err(|m| fail("reached", m)).ok();
        let mut publics = Vec::new();
        for (category, text) in &input.publics {
            let field = public_field(category);
            match parse_count(text, "Ce public") {
                Ok(0) => {}
                Ok(n) if reached.is_some_and(|r| n > r) => fail(
                    &field,
                    format!("{n} personnes de ce public, plus que les {} touchées en tout.", reached.unwrap_or(0)),
                ),
                Ok(n) => publics.push((category.clone(), n)),
                Err(m) => fail(&field, m),
            }
        }
        let note = bounded_text(input.note, "La note", 0, 2_000).map_err(|m| fail("note", m)).ok();
        match (channel, happened_on, reached, note) {
            (Some(channel), Some(happened_on), Some(reached), Some(note)) if errors.is_empty() => Ok(NewReach {
                event_id: event.map(|(id, _, _)| *id),
                channel,
                label,
                happened_on,
                reached,
                publics,
                note,
            }),
            _ => Err(errors),
        }
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

    #[test]
    fn a_reach_names_the_field_at_fault_and_takes_its_meeting_s_defaults() {
        let today = NaiveDate::from_ymd_opt(2027, 3, 10).unwrap();
        let events = vec![(7, "Réunion publique à Naintré".to_owned(), NaiveDate::from_ymd_opt(2027, 3, 2).unwrap())];
        let young: Category = (3, "16-25".into());
        let offline: Category = (4, "oui".into());
        let input = ReachInput {
            event: "7",
            channel: "public_meeting",
            reached: "45",
            publics: vec![(young.clone(), "12"), (offline.clone(), "")],
            ..ReachInput::default()
        };
        let reach = NewReach::parse(&input, &events, today).unwrap();
        assert_eq!(reach.label, "Réunion publique à Naintré");
        assert_eq!(reach.happened_on, NaiveDate::from_ymd_opt(2027, 3, 2).unwrap());
        assert_eq!(reach.publics, vec![(young.clone(), 12)]);
        let bad = ReachInput {
            event: "",
            channel: "pigeon",
            happened_on: "2027-04-01",
            reached: "10",
            publics: vec![(young.clone(), "11")],
            ..ReachInput::default()
        };
        let errors = NewReach::parse(&bad, &events, today).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, vec!["channel", "label", "happened_on", "public-3-16-25"]);
        assert!(errors[3].1.contains("plus que les 10 touchées"), "{errors:?}");
        let other = ReachInput {
            event: "8",
            channel: "display",
            label: "Mairie",
            happened_on: "02/03/2027",
            ..ReachInput::default()
        };
        assert_eq!(NewReach::parse(&other, &events, today).unwrap_err()[0].0, "event");
    }
}

//! The learning community (docs/product.md § Lifecycle, step 6): each participant territory's delegation by
//! category of actors, the threads of the project's forum and of its peer groups, their moderation, the
//! conclusions a peer group takes to the agora, and the notes of a supervision session.

use chrono::{NaiveDateTime, TimeDelta};

use super::account::EmailAddress;
use super::project::one_line;
use super::text::{bounded_text, clean_line, errors_of};

/// The categories a project's delegations start with (the Fabrique des transitions' delegations of four), as
/// (the group's label, a member's label). The agency or the provider add others.
pub const DEFAULT_CATEGORIES: [(&str, &str); 4] = [
    ("Élus", "Élu·e"),
    ("Agents des collectivités", "Agent de la collectivité"),
    ("Opérateurs socio-économiques", "Opérateur socio-économique"),
    ("Agents de l’État", "Agent de l’État"),
];

/// How long the author of a message may still change it.
pub const EDIT_DELAY: TimeDelta = TimeDelta::minutes(30);

/// Whether a message written at `written` may still be changed by its author at `now`.
pub fn may_edit(written: NaiveDateTime, now: NaiveDateTime) -> bool {
    now < written + EDIT_DELAY
}

/// A category of the project's delegations, as the agency or the provider add it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCategory {
    pub label: String,
    pub member_label: String,
}

impl NewCategory {
    pub fn parse(label: &str, member_label: &str) -> Result<NewCategory, Vec<(&'static str, String)>> {
        let label = one_line(label, "Le nom de la catégorie", 2, 80);
        let member_label = one_line(member_label, "Le nom d’un membre", 2, 80);
        match (label, member_label) {
            (Ok(label), Ok(member_label)) => Ok(NewCategory { label, member_label }),
            (label, member_label) => Err(errors_of(vec![("label", label.err()), ("member_label", member_label.err())])),
        }
    }
}

/// A person's seat in a delegation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seat {
    Titular,
    Substitute,
}

impl Seat {
    pub fn code(self) -> &'static str {
        match self {
            Seat::Titular => "titulaire",
            Seat::Substitute => "suppleant",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Seat::Titular => "Titulaire",
            Seat::Substitute => "Suppléant·e",
        }
    }

    pub fn parse(code: &str) -> Result<Seat, String> {
        match code {
            "titulaire" => Ok(Seat::Titular),
            "suppleant" => Ok(Seat::Substitute),
            _ => Err("Choisissez titulaire ou suppléant·e.".into()),
        }
    }
}

/// A person added to a delegation. The category is one of the project's groups, checked by the caller against
/// the project's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelegate {
    pub display_name: String,
    pub peer_group_id: i64,
    pub function: String,
    pub seat: Seat,
    pub is_referent: bool,
    pub email: Option<EmailAddress>,
}

impl NewDelegate {
    /// `categories` are the ids of the project's groups.
    pub fn parse(
        display_name: &str,
        category: &str,
        function: &str,
        seat: &str,
        referent: bool,
        email: &str,
        categories: &[i64],
    ) -> Result<NewDelegate, Vec<(&'static str, String)>> {
        let display_name = one_line(display_name, "Le nom", 2, 100);
        let category = category
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|id| categories.contains(id))
            .ok_or_else(|| "Choisissez la catégorie de la personne.".to_owned());
        let function = one_line(function, "La fonction", 0, 150);
        let seat = Seat::parse(seat.trim()).and_then(|seat| {
            if referent && seat == Seat::Substitute {
                Err("Le ou la référente de la délégation en est titulaire, pas suppléant·e.".into())
            } else {
                Ok(seat)
            }
        });
        let email = match email.trim() {
            "" => Ok(None),
            email => EmailAddress::parse(email).map(Some),
        };
        match (display_name, category, function, seat, email) {
            (Ok(display_name), Ok(peer_group_id), Ok(function), Ok(seat), Ok(email)) => {
                Ok(NewDelegate { display_name, peer_group_id, function, seat, is_referent: referent, email })
            }
            (display_name, category, function, seat, email) => Err(errors_of(vec![
                ("display_name", display_name.err()),
                ("category", category.err()),
                ("function", function.err()),
                ("seat", seat.err()),
                ("email", email.err()),
            ])),
        }
    }
}

/// A delegation's seat as its reading needs it.
#[derive(Debug, Clone, Copy)]
pub struct SeatHeld {
    pub peer_group_id: i64,
    pub seat: Seat,
    pub is_referent: bool,
    pub has_account: bool,
}

/// What a delegation lacks, in words: a category without a titular, no referent, no substitute for a category,
/// people without an account (who cannot enter their peer group).
pub fn missing(categories: &[(i64, &str)], seats: &[SeatHeld]) -> Vec<String> {
    let mut warnings = Vec::new();
    let (without_titular, without_substitute): (Vec<&str>, Vec<&str>) = (
        categories
            .iter()
            .filter(|(id, _)| !seats.iter().any(|s| s.peer_group_id == *id && s.seat == Seat::Titular))
            .map(|(_, label)| *label)
            .collect(),
        categories
            .iter()
            .filter(|(id, _)| {
                seats.iter().any(|s| s.peer_group_id == *id && s.seat == Seat::Titular)
                    && !seats.iter().any(|s| s.peer_group_id == *id && s.seat == Seat::Substitute)
            })
            .map(|(_, label)| *label)
            .collect(),
    );
    if !without_titular.is_empty() {
        warnings.push(format!("Personne ne siège encore pour : {}.", without_titular.join(", ")));
    }
    if !seats.is_empty() && !seats.iter().any(|s| s.is_referent) {
        warnings.push("La délégation n’a pas de référent·e : désignez l’un de ses titulaires.".into());
    }
    if !without_substitute.is_empty() {
        warnings.push(format!("Pas de suppléant·e pour : {}.", without_substitute.join(", ")));
    }
    match seats.iter().filter(|s| !s.has_account).count() {
        0 => {}
        1 => warnings.push(
            "Une personne n’a pas encore de compte : elle n’entre pas dans son groupe de pairs tant qu’elle n’en a pas."
                .into(),
        ),
        n => warnings.push(format!(
            "{n} personnes n’ont pas encore de compte : elles n’entrent pas dans leur groupe de pairs tant qu’elles \
             n’en ont pas."
        )),
    }
    warnings
}

/// What a thread is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadKind {
    Question,
    Experience,
    Obstacle,
    Solution,
    Other,
}

impl ThreadKind {
    pub const ALL: [ThreadKind; 5] =
        [ThreadKind::Question, ThreadKind::Experience, ThreadKind::Obstacle, ThreadKind::Solution, ThreadKind::Other];

    pub fn code(self) -> &'static str {
        match self {
            ThreadKind::Question => "question",
            ThreadKind::Experience => "experience",
            ThreadKind::Obstacle => "obstacle",
            ThreadKind::Solution => "solution",
            ThreadKind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ThreadKind::Question => "Question",
            ThreadKind::Experience => "Retour d’expérience",
            ThreadKind::Obstacle => "Obstacle rencontré",
            ThreadKind::Solution => "Solution trouvée",
            ThreadKind::Other => "Autre",
        }
    }

    pub fn parse(code: &str) -> Result<ThreadKind, String> {
        ThreadKind::ALL
            .into_iter()
            .find(|k| k.code() == code.trim())
            .ok_or_else(|| "Choisissez de quoi parle le fil.".to_owned())
    }
}

/// A message's text (Markdown).
pub fn parse_message(body: &str) -> Result<String, String> {
    bounded_text(body, "Le message", 2, 20_000)
}

/// A thread as it is opened: its kind, its title and its first message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewThread {
    pub kind: ThreadKind,
    pub title: String,
    pub body: String,
}

impl NewThread {
    pub fn parse(kind: &str, title: &str, body: &str) -> Result<NewThread, Vec<(&'static str, String)>> {
        let (kind, title, body) = (ThreadKind::parse(kind), one_line(title, "Le titre", 3, 150), parse_message(body));
        match (kind, title, body) {
            (Ok(kind), Ok(title), Ok(body)) => Ok(NewThread { kind, title, body }),
            (kind, title, body) => {
                Err(errors_of(vec![("kind", kind.err()), ("title", title.err()), ("body", body.err())]))
            }
        }
    }
}

/// Why a facilitator hides a message: it stays, shown as hidden with this reason.
pub fn parse_hide_reason(reason: &str) -> Result<String, String> {
    let line = clean_line(reason).ok_or_else(|| "La raison contient des caractères non autorisés.".to_owned())?;
    bounded_text(&line, "La raison", 3, 300)
}

/// The one-time token a message form carries, so that a double click writes one message: 16 to 64 letters,
/// digits or dashes (what `security::random_token` gives).
pub fn parse_submission(token: &str) -> Result<String, String> {
    let token = token.trim();
    if (16..=64).contains(&token.len()) && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        Ok(token.to_owned())
    } else {
        Err("Ce formulaire a expiré : rechargez la page et écrivez à nouveau.".into())
    }
}

/// A peer group's conclusions for the agora: what its category can bring the others, what it needs from them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conclusions {
    pub brings: String,
    pub needs: String,
}

impl Conclusions {
    pub fn parse(brings: &str, needs: &str) -> Result<Conclusions, Vec<(&'static str, String)>> {
        let brings = bounded_text(brings, "Ce que nous pouvons apporter", 0, 10_000);
        let needs = bounded_text(needs, "Ce dont nous avons besoin", 0, 10_000);
        match (brings, needs) {
            (Ok(brings), Ok(needs)) => Ok(Conclusions { brings, needs }),
            (brings, needs) => Err(errors_of(vec![("brings", brings.err()), ("needs", needs.err())])),
        }
    }

    /// What the group must have written before the agora sees it.
    pub fn ready(&self) -> Result<(), String> {
        if self.brings.is_empty() || self.needs.is_empty() {
            Err("Écrivez les deux parties des conclusions — ce que le groupe peut apporter, ce dont il a besoin — \
                 avant de les publier."
                .into())
        } else {
            Ok(())
        }
    }
}

/// A note written by someone who attended a supervision session.
pub fn parse_note(body: &str) -> Result<String, String> {
    bounded_text(body, "La note", 2, 20_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(hour: u32, minute: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 4).unwrap().and_hms_opt(hour, minute, 0).unwrap()
    }

    #[test]
    fn the_author_edits_within_the_delay_only() {
        assert!(may_edit(at(10, 0), at(10, 29)));
        assert!(!may_edit(at(10, 0), at(10, 30)));
        assert!(!may_edit(at(10, 0), at(11, 0)));
    }

    #[test]
    fn a_delegate_names_every_bad_field() {
        let errors = NewDelegate::parse("", "99", "", "suppleant", true, "pas une adresse", &[1, 2]).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["display_name", "category", "seat", "email"]);
        let delegate =
            NewDelegate::parse(" Anne  Martin ", "2", "Maire adjointe", "titulaire", true, "", &[1, 2]).unwrap();
        assert_eq!(delegate.display_name, "Anne Martin");
        assert_eq!((delegate.peer_group_id, delegate.seat, delegate.is_referent), (2, Seat::Titular, true));
    }

    #[test]
    fn the_reading_says_what_a_delegation_lacks() {
        let categories = [(1, "Élus"), (2, "Agents des collectivités"), (3, "Opérateurs socio-économiques")];
        let seat =
            |peer_group_id, seat, is_referent, has_account| SeatHeld { peer_group_id, seat, is_referent, has_account };
        let warnings =
            missing(&categories, &[seat(1, Seat::Titular, false, true), seat(2, Seat::Substitute, false, false)]);
        assert_eq!(
            warnings,
            vec![
                "Personne ne siège encore pour : Agents des collectivités, Opérateurs socio-économiques.",
                "La délégation n’a pas de référent·e : désignez l’un de ses titulaires.",
                "Pas de suppléant·e pour : Élus.",
                "Une personne n’a pas encore de compte : elle n’entre pas dans son groupe de pairs tant qu’elle n’en a pas.",
            ]
        );
        let complete: Vec<SeatHeld> = categories
            .iter()
            .flat_map(|(id, _)| [seat(*id, Seat::Titular, *id == 1, true), seat(*id, Seat::Substitute, false, true)])
            .collect();
        assert!(missing(&categories, &complete).is_empty());
        assert!(
            missing(&categories, &[]).iter().all(|w| !w.contains("référent")),
            "an empty delegation lacks people first"
        );
    }

    #[test]
    fn a_thread_needs_a_kind_a_title_and_a_message() {
        let errors = NewThread::parse("autre", "Ah", " ").unwrap_err();
        assert_eq!(errors.iter().map(|(f, _)| *f).collect::<Vec<_>>(), vec!["kind", "title", "body"]);
        let thread = NewThread::parse("obstacle", "Mobiliser les jeunes", "Comment faites-vous ?").unwrap();
        assert_eq!(thread.kind, ThreadKind::Obstacle);
    }

    #[test]
    fn conclusions_are_published_whole() {
        let half = Conclusions::parse("Notre connaissance des publics", "").unwrap();
        assert!(half.ready().is_err());
        assert!(Conclusions::parse("a", "b").unwrap().ready().is_ok());
        assert!(Conclusions::parse(&"x".repeat(10_001), "").is_err());
    }

    #[test]
    fn a_submission_token_is_what_the_form_gave() {
        assert!(parse_submission("abcdefghijklmnop").is_ok());
        assert!(parse_submission("court").is_err());
        assert!(parse_submission("abcdefghijklmnop'; --").is_err());
    }
}

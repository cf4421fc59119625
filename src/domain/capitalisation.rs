//! Capitalisation (docs/product.md § Lifecycle, step 6): the lessons the provider and the agency draw along the way,
//! whose audience widens by decision — participants, then observers, then the public —; the recommendations for
//! national public action, with their addressee and where they stand; and the texts of a project's national
//! deliverable.

use super::project::one_line;
use super::text::{bounded_text, errors_of};

/// Who reads a lesson. It only widens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Audience {
    /// The project's working space and its delegations.
    Participants,
    /// And the people of its observer collectivities.
    Observers,
    /// Everyone.
    Public,
}

impl Audience {
    pub const ALL: [Audience; 3] = [Audience::Participants, Audience::Observers, Audience::Public];

    pub fn code(self) -> &'static str {
        match self {
            Audience::Participants => "participants",
            Audience::Observers => "observers",
            Audience::Public => "public",
        }
    }

    pub fn parse(code: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.code() == code.trim())
    }

    /// « Partagé avec … ».
    pub fn label(self) -> &'static str {
        match self {
            Audience::Participants => "les participants du projet",
            Audience::Observers => "les participants et les collectivités observatrices",
            Audience::Public => "tout le monde",
        }
    }

    /// The audience a lesson may widen to from this one, if any.
    pub fn next(self) -> Option<Audience> {
        match self {
            Audience::Participants => Some(Audience::Observers),
            Audience::Observers => Some(Audience::Public),
            Audience::Public => None,
        }
    }

    /// Whether a lesson shared with `self` may go to `to`: wider only.
    pub fn widens_to(self, to: Audience) -> Result<(), String> {
        if to > self {
            Ok(())
        } else {
            Err(format!("Cet enseignement est déjà partagé avec {} : son public ne fait que s’élargir.", self.label()))
        }
    }
}

/// A lesson as written: its title, its text, the phase and the theme it is tagged with (the theme's id, checked by
/// the caller against the platform's themes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonText {
    pub title: String,
    pub body: String,
    pub phase: super::project::Phase,
    pub theme_id: Option<i64>,
}

impl LessonText {
    pub fn parse(
        title: &str,
        body: &str,
        phase: &str,
        theme: &str,
        themes: &[i64],
    ) -> Result<LessonText, Vec<(&'static str, String)>> {
        let title = one_line(title, "Le titre", 3, 150);
        let body = bounded_text(body, "L’enseignement", 20, 20_000);
        let phase = super::project::Phase::parse(phase.trim())
            .ok_or_else(|| "Choisissez l’étape du projet dont l’enseignement est tiré.".to_owned());
        let theme_id = match theme.trim() {
            "" => Ok(None),
            id => id
                .parse::<i64>()
                .ok()
                .filter(|id| themes.contains(id))
                .map(Some)
                .ok_or_else(|| "Choisissez un thème de la liste, ou aucun.".to_owned()),
        };
        match (title, body, phase, theme_id) {
            (Ok(title), Ok(body), Ok(phase), Ok(theme_id)) => Ok(LessonText { title, body, phase, theme_id }),
            (title, body, phase, theme_id) => Err(errors_of(vec![
                ("title", title.err()),
                ("body", body.err()),
                ("phase", phase.err()),
                ("theme", theme_id.err()),
            ])),
        }
    }
}

/// Whom a recommendation is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddresseeKind {
    Ministry,
    Operator,
    ElectedOfficials,
    Other,
}

impl AddresseeKind {
    pub const ALL: [AddresseeKind; 4] =
        [AddresseeKind::Ministry, AddresseeKind::Operator, AddresseeKind::ElectedOfficials, AddresseeKind::Other];

    pub fn code(self) -> &'static str {
        match self {
            AddresseeKind::Ministry => "ministry",
            AddresseeKind::Operator => "operator",
            AddresseeKind::ElectedOfficials => "elected_officials",
            AddresseeKind::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<AddresseeKind> {
        AddresseeKind::ALL.into_iter().find(|k| k.code() == code.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            AddresseeKind::Ministry => "Ministère",
            AddresseeKind::Operator => "Opérateur de l’État",
            AddresseeKind::ElectedOfficials => "Association d’élus",
            AddresseeKind::Other => "Autre",
        }
    }
}

/// Where a recommendation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RecommendationStatus {
    Proposed,
    Transmitted,
    Answered,
}

impl RecommendationStatus {
    pub const ALL: [RecommendationStatus; 3] =
        [RecommendationStatus::Proposed, RecommendationStatus::Transmitted, RecommendationStatus::Answered];

    pub fn code(self) -> &'static str {
        match self {
            RecommendationStatus::Proposed => "proposed",
            RecommendationStatus::Transmitted => "transmitted",
            RecommendationStatus::Answered => "answered",
        }
    }

    pub fn parse(code: &str) -> Option<RecommendationStatus> {
        RecommendationStatus::ALL.into_iter().find(|s| s.code() == code.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            RecommendationStatus::Proposed => "Proposée",
            RecommendationStatus::Transmitted => "Transmise",
            RecommendationStatus::Answered => "Réponse reçue",
        }
    }
}

/// A recommendation as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecommendationText {
    pub title: String,
    pub body: String,
    pub addressee: String,
    pub addressee_kind: AddresseeKind,
}

impl RecommendationText {
    pub fn parse(
        title: &str,
        body: &str,
        addressee: &str,
        kind: &str,
    ) -> Result<RecommendationText, Vec<(&'static str, String)>> {
        let title = one_line(title, "Le titre", 3, 200);
        let body = bounded_text(body, "La recommandation", 20, 20_000);
        let addressee = one_line(addressee, "Le destinataire", 2, 200);
        let kind = AddresseeKind::parse(kind).ok_or_else(|| "Choisissez le type de destinataire.".to_owned());
        match (title, body, addressee, kind) {
            (Ok(title), Ok(body), Ok(addressee), Ok(addressee_kind)) => {
                Ok(RecommendationText { title, body, addressee, addressee_kind })
            }
            (title, body, addressee, kind) => Err(errors_of(vec![
                ("title", title.err()),
                ("body", body.err()),
                ("addressee", addressee.err()),
                ("addressee_kind", kind.err()),
            ])),
        }
    }
}

/// A change of a recommendation's status: transmitted, or answered with the answer received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusChange {
    Transmitted,
    Answered(String),
}

impl StatusChange {
    /// What the agency records, from where the recommendation stands: it moves forward one step at a time.
    pub fn parse(from: RecommendationStatus, to: &str, answer: &str) -> Result<StatusChange, (&'static str, String)> {
        match (from, RecommendationStatus::parse(to)) {
            (RecommendationStatus::Proposed, Some(RecommendationStatus::Transmitted)) => Ok(StatusChange::Transmitted),
            (RecommendationStatus::Transmitted, Some(RecommendationStatus::Answered)) => {
                bounded_text(answer, "La réponse reçue", 10, 20_000)
                    .map(StatusChange::Answered)
                    .map_err(|e| ("answer", e))
            }
            (RecommendationStatus::Proposed, Some(RecommendationStatus::Answered)) => Err((
                "status",
                "Une recommandation est d’abord transmise à son destinataire, avant que sa réponse soit notée.".into(),
            )),
            (from, Some(to)) if to <= from => {
                Err(("status", format!("La recommandation est déjà « {} ».", from.label().to_lowercase())))
            }
            _ => Err(("status", "Choisissez où en est la recommandation.".into())),
        }
    }

    pub fn status(&self) -> RecommendationStatus {
        match self {
            StatusChange::Transmitted => RecommendationStatus::Transmitted,
            StatusChange::Answered(_) => RecommendationStatus::Answered,
        }
    }
}

/// The deliverable's own texts, around the lessons, recommendations and plans it assembles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliverableTexts {
    pub title: String,
    pub introduction: String,
    pub conclusion: String,
}

impl DeliverableTexts {
    pub fn parse(
        title: &str,
        introduction: &str,
        conclusion: &str,
    ) -> Result<DeliverableTexts, Vec<(&'static str, String)>> {
        let title = one_line(title, "Le titre", 3, 200);
        let introduction = bounded_text(introduction, "L’introduction", 0, 50_000);
        let conclusion = bounded_text(conclusion, "La conclusion", 0, 50_000);
        match (title, introduction, conclusion) {
            (Ok(title), Ok(introduction), Ok(conclusion)) => Ok(DeliverableTexts { title, introduction, conclusion }),
            (title, introduction, conclusion) => Err(errors_of(vec![
                ("title", title.err()),
                ("introduction", introduction.err()),
                ("conclusion", conclusion.err()),
            ])),
        }
    }
}

/// What a deliverable needs to be published: its introduction, and something to assemble.
pub fn ready_to_publish(texts: &DeliverableTexts, chosen: usize) -> Result<(), String> {
    match (texts.introduction.is_empty(), chosen) {
        (true, _) => Err("Écrivez l’introduction du livrable avant de le publier.".into()),
        (false, 0) => {
            Err("Choisissez au moins un enseignement, une recommandation ou un plan d’action à y réunir.".into())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_audience_only_widens() {
        assert!(Audience::Participants.widens_to(Audience::Observers).is_ok());
        assert!(Audience::Participants.widens_to(Audience::Public).is_ok());
        assert!(Audience::Observers.widens_to(Audience::Participants).is_err());
        assert!(Audience::Public.widens_to(Audience::Public).is_err());
        assert_eq!(Audience::Observers.next(), Some(Audience::Public));
        assert_eq!(Audience::Public.next(), None);
    }

    #[test]
    fn a_recommendation_moves_forward_one_step_at_a_time() {
        use RecommendationStatus::*;
        assert_eq!(StatusChange::parse(Proposed, "transmitted", ""), Ok(StatusChange::Transmitted));
        assert_eq!(StatusChange::parse(Proposed, "answered", "Une réponse du ministère.").unwrap_err().0, "status");
        assert_eq!(StatusChange::parse(Transmitted, "answered", "").unwrap_err().0, "answer");
        assert_eq!(
            StatusChange::parse(Transmitted, "answered", " La DGCL étudie la mesure. "),
            Ok(StatusChange::Answered("La DGCL étudie la mesure.".into()))
        );
        assert!(StatusChange::parse(Answered, "transmitted", "").unwrap_err().1.contains("déjà « réponse reçue »"));
        assert!(StatusChange::parse(Transmitted, "inconnu", "").is_err());
    }

    #[test]
    fn a_lesson_names_every_bad_field() {
        let errors = LessonText::parse("Ah", "court", "nulle_part", "99", &[1, 2]).unwrap_err();
        assert_eq!(errors.iter().map(|(f, _)| *f).collect::<Vec<_>>(), vec!["title", "body", "phase", "theme"]);
        let lesson =
            LessonText::parse("Aller vers", "Un enseignement tiré du diagnostic.", "diagnostic", "2", &[1, 2]).unwrap();
        assert_eq!((lesson.phase, lesson.theme_id), (crate::domain::project::Phase::Diagnostic, Some(2)));
    }

    #[test]
    fn a_deliverable_needs_an_introduction_and_content() {
        let texts = DeliverableTexts::parse("Livrable national", "", "").unwrap();
        assert!(ready_to_publish(&texts, 3).unwrap_err().contains("introduction"));
        let texts = DeliverableTexts::parse("Livrable national", "Ce que nous avons appris.", "").unwrap();
        assert!(ready_to_publish(&texts, 0).is_err());
        assert!(ready_to_publish(&texts, 1).is_ok());
    }
}

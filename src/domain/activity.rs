//! What the activity log records: one kind per thing that happens, stored by its code (`activity_log.kind`),
//! with its French label, its place in digests and whether it may be told publicly.

/// A kind of activity entry. The code is what the database holds: never change one, add a kind instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActivityKind {
    ThemeProposed,
    ThemeOpened,
    ThemeArchived,
    ThemeMerged,
    PositionTaken,
    PositionChanged,
    PositionWithdrawn,
    InspirationPublished,
    InspirationUpdated,
    InspirationDeleted,
    ProjectOpened,
    EnrolmentInvited,
    EnrolledParticipant,
    EnrolledObserver,
    EnrolmentWaitlisted,
    EnrolmentWithdrawn,
    WaitlistPromoted,
    PhaseChanged,
    ProviderAssigned,
    NewsPosted,
    NewsletterSent,
    EventPlanned,
    EventMinutes,
    InquiryMemberAdded,
    DiagnosticPublished,
    DiagnosticContributionPublished,
    CoDesignUpdated,
    IdeaContributed,
    WorkshopOpened,
    WorkshopClosed,
    ActionRetained,
    SynthesisPublished,
    PlanUpdated,
    PlanSubmitted,
    PlanAdopted,
    ActionStatusChanged,
    PlanReviewed,
    RestitutionUpdated,
    RestitutionPublished,
    ConclusionsPublished,
    LessonShared,
    LessonPublished,
    RecommendationChanged,
    DeliverablePublished,
    MapPublished,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 45] = [
        ActivityKind::ThemeProposed,
        ActivityKind::ThemeOpened,
        ActivityKind::ThemeArchived,
        ActivityKind::ThemeMerged,
        ActivityKind::PositionTaken,
        ActivityKind::PositionChanged,
        ActivityKind::PositionWithdrawn,
        ActivityKind::InspirationPublished,
        ActivityKind::InspirationUpdated,
        ActivityKind::InspirationDeleted,
        ActivityKind::ProjectOpened,
        ActivityKind::EnrolmentInvited,
        ActivityKind::EnrolledParticipant,
        ActivityKind::EnrolledObserver,
        ActivityKind::EnrolmentWaitlisted,
        ActivityKind::EnrolmentWithdrawn,
        ActivityKind::WaitlistPromoted,
        ActivityKind::PhaseChanged,
        ActivityKind::ProviderAssigned,
        ActivityKind::NewsPosted,
        ActivityKind::NewsletterSent,
        ActivityKind::EventPlanned,
        ActivityKind::EventMinutes,
        ActivityKind::InquiryMemberAdded,
        ActivityKind::DiagnosticPublished,
        ActivityKind::DiagnosticContributionPublished,
        ActivityKind::CoDesignUpdated,
        ActivityKind::IdeaContributed,
        ActivityKind::WorkshopOpened,
        ActivityKind::WorkshopClosed,
        ActivityKind::ActionRetained,
        ActivityKind::SynthesisPublished,
        ActivityKind::PlanUpdated,
        ActivityKind::PlanSubmitted,
        ActivityKind::PlanAdopted,
        ActivityKind::ActionStatusChanged,
        ActivityKind::PlanReviewed,
        ActivityKind::RestitutionUpdated,
        ActivityKind::RestitutionPublished,
        ActivityKind::ConclusionsPublished,
        ActivityKind::LessonShared,
        ActivityKind::LessonPublished,
        ActivityKind::RecommendationChanged,
        ActivityKind::DeliverablePublished,
        ActivityKind::MapPublished,
    ];

    /// What the kind is stored as.
    pub fn code(self) -> &'static str {
        match self {
            ActivityKind::ThemeProposed => "theme_proposed",
            ActivityKind::ThemeOpened => "theme_opened",
            ActivityKind::ThemeArchived => "theme_archived",
            ActivityKind::ThemeMerged => "theme_merged",
            ActivityKind::PositionTaken => "position_taken",
            ActivityKind::PositionChanged => "position_changed",
            ActivityKind::PositionWithdrawn => "position_withdrawn",
            ActivityKind::InspirationPublished => "inspiration_published",
            ActivityKind::InspirationUpdated => "inspiration_updated",
            ActivityKind::InspirationDeleted => "inspiration_deleted",
            ActivityKind::ProjectOpened => "project_opened",
            ActivityKind::EnrolmentInvited => "enrolment_invited",
            ActivityKind::EnrolledParticipant => "enrolled_participant",
            ActivityKind::EnrolledObserver => "enrolled_observer",
            ActivityKind::EnrolmentWaitlisted => "enrolment_waitlisted",
            ActivityKind::EnrolmentWithdrawn => "enrolment_withdrawn",
            ActivityKind::WaitlistPromoted => "waitlist_promoted",
            ActivityKind::PhaseChanged => "phase_changed",
            ActivityKind::ProviderAssigned => "provider_assigned",
            ActivityKind::NewsPosted => "news_posted",
            ActivityKind::NewsletterSent => "newsletter_sent",
            ActivityKind::EventPlanned => "event_planned",
            ActivityKind::EventMinutes => "event_minutes",
            ActivityKind::InquiryMemberAdded => "inquiry_member_added",
            ActivityKind::DiagnosticPublished => "diagnostic_published",
            ActivityKind::DiagnosticContributionPublished => "diagnostic_contribution_published",
            ActivityKind::CoDesignUpdated => "co_design_updated",
            ActivityKind::IdeaContributed => "idea_contributed",
            ActivityKind::WorkshopOpened => "workshop_opened",
            ActivityKind::WorkshopClosed => "workshop_closed",
            ActivityKind::ActionRetained => "action_retained",
            ActivityKind::SynthesisPublished => "synthesis_published",
            ActivityKind::PlanUpdated => "plan_updated",
            ActivityKind::PlanSubmitted => "plan_submitted",
            ActivityKind::PlanAdopted => "plan_adopted",
            ActivityKind::ActionStatusChanged => "action_status_changed",
            ActivityKind::PlanReviewed => "plan_reviewed",
            ActivityKind::RestitutionUpdated => "restitution_updated",
            ActivityKind::RestitutionPublished => "restitution_published",
            ActivityKind::ConclusionsPublished => "conclusions_published",
            ActivityKind::LessonShared => "lesson_shared",
            ActivityKind::LessonPublished => "lesson_published",
            ActivityKind::RecommendationChanged => "recommendation_changed",
            ActivityKind::DeliverablePublished => "deliverable_published",
            ActivityKind::MapPublished => "map_published",
        }
    }

    pub fn parse(code: &str) -> Option<ActivityKind> {
        ActivityKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// What happened, in a few French words.
    pub fn label(self) -> &'static str {
        match self {
            ActivityKind::ThemeProposed => "Thème proposé",
            ActivityKind::ThemeOpened => "Thème ouvert aux positionnements",
            ActivityKind::ThemeArchived => "Thème archivé",
            ActivityKind::ThemeMerged => "Thèmes fusionnés",
            ActivityKind::PositionTaken => "Positionnement",
            ActivityKind::PositionChanged => "Positionnement modifié",
            ActivityKind::PositionWithdrawn => "Positionnement retiré",
            ActivityKind::InspirationPublished => "Ressource publiée",
            ActivityKind::InspirationUpdated => "Ressource mise à jour",
            ActivityKind::InspirationDeleted => "Ressource retirée",
            ActivityKind::ProjectOpened => "Projet ouvert",
            ActivityKind::EnrolmentInvited => "Collectivité invitée",
            ActivityKind::EnrolledParticipant => "Inscription comme participante",
            ActivityKind::EnrolledObserver => "Inscription comme observatrice",
            ActivityKind::EnrolmentWaitlisted => "Inscription en liste d’attente",
            ActivityKind::EnrolmentWithdrawn => "Retrait du projet",
            ActivityKind::WaitlistPromoted => "Place attribuée depuis la liste d’attente",
            ActivityKind::PhaseChanged => "Changement de phase",
            ActivityKind::ProviderAssigned => "Prestataire désigné",
            ActivityKind::NewsPosted => "Actualité",
            ActivityKind::NewsletterSent => "Lettre d’information envoyée",
            ActivityKind::EventPlanned => "Rendez-vous annoncé",
            ActivityKind::EventMinutes => "Compte rendu de rendez-vous",
            ActivityKind::InquiryMemberAdded => "Membre d’un groupe d’enquête",
            ActivityKind::DiagnosticPublished => "Diagnostic enrichi",
            ActivityKind::DiagnosticContributionPublished => "Contribution au diagnostic validée",
            ActivityKind::CoDesignUpdated => "Cycle de créativité préparé",
            ActivityKind::IdeaContributed => "Idée proposée",
            ActivityKind::WorkshopOpened => "Atelier ouvert aux contributions",
            ActivityKind::WorkshopClosed => "Atelier terminé",
            ActivityKind::ActionRetained => "Action retenue pour le plan",
            ActivityKind::SynthesisPublished => "Synthèse d’atelier publiée",
            ActivityKind::PlanUpdated => "Plan d’action en préparation",
            ActivityKind::PlanSubmitted => "Plan d’action soumis à l’adoption",
            ActivityKind::PlanAdopted => "Plan d’action adopté",
            ActivityKind::ActionStatusChanged => "Avancement d’une action",
            ActivityKind::PlanReviewed => "Revue de suivi d’un plan d’action",
            ActivityKind::RestitutionUpdated => "Restitution aux habitants en préparation",
            ActivityKind::RestitutionPublished => "Restitution aux habitants publiée",
            ActivityKind::ConclusionsPublished => "Conclusions d’un groupe de pairs à l’agora",
            ActivityKind::LessonShared => "Enseignement partagé avec les observateurs",
            ActivityKind::LessonPublished => "Enseignement rendu public",
            ActivityKind::RecommendationChanged => "Recommandation transmise ou répondue",
            ActivityKind::DeliverablePublished => "Livrable national publié",
            ActivityKind::MapPublished => "Carte du diagnostic rendue publique",
        }
    }

    /// Where a digest tells it: the kinds that change what a participant does come first (0 first), the others
    /// after them, most recent first.
    pub fn digest_rank(self) -> u8 {
        match self {
            ActivityKind::PhaseChanged
            | ActivityKind::PlanAdopted
            | ActivityKind::RestitutionPublished
            | ActivityKind::DeliverablePublished => 0,
            ActivityKind::NewsPosted => 1,
            ActivityKind::EventPlanned => 2,
            ActivityKind::ProviderAssigned => 3,
            ActivityKind::EventMinutes => 4,
            ActivityKind::DiagnosticPublished
            | ActivityKind::SynthesisPublished
            | ActivityKind::MapPublished
            | ActivityKind::PlanReviewed
            | ActivityKind::ActionRetained
            | ActivityKind::WorkshopOpened => 5,
            _ => 6,
        }
    }

    /// Whether an entry of this kind may be public: those about the working space (invitations, inquiry groups,
    /// minutes, the diagnostic under way) are for the project's participants only.
    pub fn may_be_public(self) -> bool {
        !matches!(
            self,
            ActivityKind::EnrolmentInvited
                | ActivityKind::EventMinutes
                | ActivityKind::InquiryMemberAdded
                | ActivityKind::DiagnosticPublished
                | ActivityKind::DiagnosticContributionPublished
                | ActivityKind::CoDesignUpdated
                | ActivityKind::IdeaContributed
                | ActivityKind::WorkshopOpened
                | ActivityKind::WorkshopClosed
                | ActivityKind::ActionRetained
                | ActivityKind::PlanUpdated
                | ActivityKind::PlanSubmitted
                | ActivityKind::RestitutionUpdated
                | ActivityKind::ConclusionsPublished
                | ActivityKind::LessonShared
                | ActivityKind::RecommendationChanged
        )
    }

    /// Whether an entry of this kind, not public, is told to the project's observers too: what the project shares
    /// with them by decision.
    pub fn for_observers(self) -> bool {
        matches!(self, ActivityKind::LessonShared)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_parses_back_to_its_kind() {
        for kind in ActivityKind::ALL {
            assert_eq!(ActivityKind::parse(kind.code()), Some(kind), "{kind:?}");
        }
        assert_eq!(ActivityKind::parse("enrolled"), None);
    }

    #[test]
    fn codes_and_labels_are_unique() {
        let codes: HashSet<_> = ActivityKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(codes.len(), ActivityKind::ALL.len());
        let labels: HashSet<_> = ActivityKind::ALL.iter().map(|k| k.label()).collect();
        assert_eq!(labels.len(), ActivityKind::ALL.len());
    }

    #[test]
    fn a_phase_change_ranks_before_an_enrolment() {
        assert!(ActivityKind::PhaseChanged.digest_rank() < ActivityKind::NewsPosted.digest_rank());
        assert!(ActivityKind::PhaseChanged.digest_rank() < ActivityKind::EnrolledParticipant.digest_rank());
        assert!(ActivityKind::DiagnosticPublished.digest_rank() < ActivityKind::EnrolledObserver.digest_rank());
    }

    #[test]
    fn working_space_kinds_are_never_public() {
        assert!(!ActivityKind::InquiryMemberAdded.may_be_public());
        assert!(!ActivityKind::EventMinutes.may_be_public());
        assert!(ActivityKind::PhaseChanged.may_be_public());
    }
}

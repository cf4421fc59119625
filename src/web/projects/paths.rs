//! The URLs of a project's pages that other pages link to, and the names its downloads are saved under: one place,
//! so that the page that links and the page linked to never need each other.

use crate::domain::codesign::Evidence;
use crate::storage::questionnaires::Questionnaire;

pub fn project_path(id: i64) -> String {
    format!("/projets/{id}")
}

/// The project's learning community: delegations, forum, peer groups, agora, supervision.
pub fn community_path(project_id: i64) -> String {
    format!("/projets/{project_id}/communaute")
}

/// A participant territory's delegation.
pub fn delegation_path(project_id: i64, collectivity_id: i64) -> String {
    format!("/projets/{project_id}/delegations/{collectivity_id}")
}

pub fn forum_path(project_id: i64) -> String {
    format!("/projets/{project_id}/forum")
}

pub fn peer_group_path(project_id: i64, peer_group_id: i64) -> String {
    format!("/projets/{project_id}/pairs/{peer_group_id}")
}

pub fn thread_path(project_id: i64, thread_id: i64) -> String {
    format!("/projets/{project_id}/fils/{thread_id}")
}

pub fn message_path(project_id: i64, message_id: i64) -> String {
    format!("/projets/{project_id}/messages/{message_id}")
}

pub fn agora_path(project_id: i64) -> String {
    format!("/projets/{project_id}/agora")
}

/// The lessons a project draws, for the audience each was shared with.
pub fn lessons_path(project_id: i64) -> String {
    format!("/projets/{project_id}/enseignements")
}

pub fn recommendations_path(project_id: i64) -> String {
    format!("/projets/{project_id}/recommandations")
}

/// The project's national deliverable (its edition is below it).
pub fn deliverable_path(project_id: i64) -> String {
    format!("/projets/{project_id}/livrable")
}

/// A participant territory's inquiry group, where its questionnaires are listed.
pub fn group_path(project_id: i64, collectivity_id: i64) -> String {
    format!("/projets/{project_id}/groupes/{collectivity_id}")
}

/// A territory's diagnostic.
pub fn diagnostic_path(project_id: i64, collectivity_id: i64) -> String {
    format!("/projets/{project_id}/diagnostic/{collectivity_id}")
}

/// A territory's public map, once its leads made it public.
pub fn public_map_path(project_id: i64, collectivity_id: i64) -> String {
    format!("/projets/{project_id}/cartes/{collectivity_id}")
}

/// A territory's creativity cycle (« croisement des regards »): its frame, working group, workshops, ideas and
/// objectives; the workshops' pages are below it.
pub fn co_design_path(project_id: i64, collectivity_id: i64) -> String {
    format!("/projets/{project_id}/croisement/{collectivity_id}")
}

/// A workshop of a territory's cycle.
pub fn workshop_path(project_id: i64, collectivity_id: i64, workshop_id: i64) -> String {
    format!("{}/ateliers/{workshop_id}", co_design_path(project_id, collectivity_id))
}

/// An idea of a territory's cycle.
pub fn idea_path(project_id: i64, collectivity_id: i64, idea_id: i64) -> String {
    format!("{}/idees/{idea_id}", co_design_path(project_id, collectivity_id))
}

/// What an idea or an action cites: a sheet or a source of the territory's diagnostic, a question (its results,
/// in its questionnaire), an idea of its cycle.
pub fn evidence_path(
    project_id: i64,
    collectivity_id: i64,
    evidence: Evidence,
    questionnaire_id: Option<i64>,
) -> String {
    let diagnostic = diagnostic_path(project_id, collectivity_id);
    match evidence {
        Evidence::Sheet(id) => format!("{diagnostic}/fiches/{id}"),
        Evidence::Source(id) => format!("{diagnostic}/sources/{id}"),
        Evidence::Question(id) => {
            format!("{}/resultats#question-{id}", builder_path(questionnaire_id.unwrap_or_default()))
        }
        Evidence::Idea(id) => idea_path(project_id, collectivity_id, id),
    }
}

/// A territory's action plan (its working page); its actions, adoption and follow-up are below it.
pub fn plan_path(project_id: i64, collectivity_id: i64) -> String {
    format!("/projets/{project_id}/plan/{collectivity_id}")
}

/// An action of a territory's plan.
pub fn action_path(project_id: i64, collectivity_id: i64, action_id: i64) -> String {
    format!("{}/actions/{action_id}", plan_path(project_id, collectivity_id))
}

/// The public page of a territory's adopted plan, printable as its roadmap.
pub fn public_plan_path(project_id: i64, collectivity_id: i64) -> String {
    format!("/projets/{project_id}/plans/{collectivity_id}")
}

/// An event of a project: its page, its registrations, its minutes.
pub fn event_path(project_id: i64, event_id: i64) -> String {
    format!("/projets/{project_id}/evenements/{event_id}")
}

/// A territory's restitution as its group writes it.
pub fn restitution_path(project_id: i64, collectivity_id: i64) -> String {
    format!("/projets/{project_id}/restitution/{collectivity_id}")
}

/// A territory's published restitution, as everyone reads it (its poster and leaflet are below it).
pub fn public_restitution_path(project_id: i64, collectivity_id: i64) -> String {
    format!("/projets/{project_id}/restitutions/{collectivity_id}")
}

/// A questionnaire's builder; its other pages (results, coverage, entry, exports…) are below it.
pub fn builder_path(id: i64) -> String {
    format!("/questionnaires/{id}")
}

/// The `Content-Disposition` of a questionnaire's download: `what` it holds and its `extension`.
pub fn download_disposition(questionnaire: &Questionnaire, what: &str, extension: &str) -> String {
    format!("attachment; filename=\"questionnaire-{}-{what}.{extension}\"", questionnaire.id)
}

pub fn committee_path(project_id: i64) -> String {
    format!("{}/comite", project_path(project_id))
}

//! The restitution of Grand Châtellerault to its inhabitants, published: what the group heard (its words, key
//! figures, two results of the questionnaire, two quotes), what was decided (the adopted plan), and what comes next.
//! Two respondents left an address: the worker writes to each once, then forgets it.

use crate::domain::restitution::RestitutionTexts;
use crate::storage::diagnostic::Place;
use crate::storage::questionnaires::add_feedback_contact;
use crate::storage::restitutions::{self as store, Published, Saved, ShowableQuestion};
use crate::storage::DbConnection;

use super::access::Cast;

pub fn load(conn: &mut DbConnection, project_id: i64, cast: &Cast) -> anyhow::Result<()> {
    let place = Place { project_id, collectivity_id: cast.chatellerault };
    let by = cast.provider_member;
    let territory = "de CA Grand Châtellerault";
    // The figures are the demo's own: its responses, its workshops.
    let showable = store::showable_questions(conn, place)?;
    let mut responses = 0;
    let mut questionnaires: Vec<i64> = showable.iter().map(|q| q.questionnaire_id).collect();
    questionnaires.dedup();
    for id in questionnaires {
        responses += crate::storage::questionnaires::count_responses(conn, id)?;
    }
    let workshops = crate::storage::codesign::workshops_of(conn, place)?.len();
    let figures = format!(
        "{responses} ; habitants ont répondu au questionnaire\n{workshops} ; ateliers avec les habitants, les \
         associations et les services"
    );
    let texts = RestitutionTexts::parse(
        "Vous avez été nombreux à répondre, en ligne, sur papier et au marché. Beaucoup d’entre vous renoncent à une \
         démarche parce qu’elle se fait seulement sur internet. D’autres n’ont pas de moyen de transport pour aller \
         au guichet. Vous avez demandé qu’on vienne vers vous, près de chez vous, avec quelqu’un pour aider.",
        &figures,
        "Le conseil communautaire a adopté un plan d’action. Voici ce qui va changer, et pourquoi.",
        "Les premières actions commencent ce trimestre. Six mois après l’adoption, une réunion fera le point : ce qui \
         est fait, ce qui bloque. Nous publierons ce bilan ici.",
        "Venez à la prochaine rencontre, ou écrivez à la mairie de votre commune. Le groupe d’enquête continue : \
         vous pouvez le rejoindre.",
    )
    .map_err(|e| anyhow::anyhow!("démonstration : {e:?}"))?;
    match store::save_texts(conn, place, &texts, 1, by, territory)? {
        Saved::Saved => {}
        Saved::Stale(_) => anyhow::bail!("démonstration : restitution déjà écrite"),
    }
    let questions: Vec<i64> = store::showable_questions(conn, place)?
        .into_iter()
        .filter(ShowableQuestion::has_figures)
        .map(|q| q.id)
        .take(2)
        .collect();
    store::set_questions(conn, place, &questions, by)?;
    for answer in store::free_answers(conn, place)?.into_iter().take(2) {
        store::choose_quote(conn, place, answer.response_id, answer.question_id, by)?;
    }
    if let Some(q) = store::showable_questions(conn, place)?.first() {
        add_feedback_contact(conn, q.questionnaire_id, "habitante.naintre@exemple.fr")?;
        add_feedback_contact(conn, q.questionnaire_id, "habitant.dange@exemple.fr")?;
    }
    match store::publish(conn, place, by, territory)? {
        Published::Now => Ok(()),
        other => anyhow::bail!("démonstration : restitution non publiée ({other:?})"),
    }
}

//! The restitution of Grand Châtellerault to its inhabitants, published: what the group heard (its words, key
//! figures, two results of the questionnaire, two quotes), what was decided (the adopted plan), and what comes next.
//! Two respondents left an address: the worker writes to each once, then forgets it. A public meeting was held,
//! with who it reached; a stand at the market is to come.

use chrono::TimeDelta;

use crate::domain::project::{EventKind, NewEvent};
use crate::domain::questionnaire::profile_values;
use crate::domain::restitution::{Channel, NewReach, RestitutionTexts};
use crate::storage::diagnostic::Place;
use crate::storage::events::insert_event;
use crate::storage::questionnaires::add_feedback_contact;
use crate::storage::restitutions::{self as store, Published, Saved, ShowableQuestion};
use crate::storage::DbConnection;

use super::access::Cast;

pub fn load(conn: &mut DbConnection, project_id: i64, cast: &Cast) -> anyhow::Result<()> {
    let place = Place { project_id, collectivity_id: cast.chatellerault };
    let by = cast.provider_member;
    let territory = "de CA Grand Châtellerault";
    // The figures are the demo's own, as the working page suggests them.
    let figures = store::suggested_figures(conn, place)?.into_iter().take(4).collect::<Vec<_>>().join("\n");
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
        Saved::Saved | Saved::Unchanged => {}
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
        Published::Now => {}
        other => anyhow::bail!("démonstration : restitution non publiée ({other:?})"),
    }
    meetings(conn, place, cast)
}

/// A public meeting held three days ago, with who it reached, and a stand at the market to come.
fn meetings(conn: &mut DbConnection, place: Place, cast: &Cast) -> anyhow::Result<()> {
    let now = crate::storage::now();
    let meeting = |title: &str, days: i64, place_name: &str| NewEvent {
        kind: EventKind::Restitution,
        title: title.into(),
        description: "Le groupe d’enquête présente ce qui a été entendu et décidé, et répond aux questions.".into(),
        starts_at: (now + TimeDelta::days(days)).date().and_hms_opt(18, 0, 0).unwrap_or_default(),
        ends_at: (now + TimeDelta::days(days)).date().and_hms_opt(20, 0, 0).unwrap_or_default(),
        place: Some(place_name.into()),
        online_url: None,
        collectivity_id: Some(place.collectivity_id),
    };
    let held = meeting("Réunion publique : ce que nous avons fait de votre parole", -3, "Salle des fêtes, Naintré");
    let held_id = insert_event(conn, place.project_id, &held, cast.provider_member, super::access::TITLE)?;
    let coming = meeting("Stand de la restitution au marché", 10, "Place Émile-Zola, Châtellerault");
    insert_event(conn, place.project_id, &coming, cast.provider_member, super::access::TITLE)?;
    // Counted by the group at the door: 38 people, of whom some of the publics the survey followed.
    let mut publics = Vec::new();
    let questionnaire = store::showable_questions(conn, place)?.first().map(|q| q.questionnaire_id);
    if let Some(id) = questionnaire {
        for question in crate::storage::questionnaires::questions_of(conn, id)?.into_iter().filter(|q| q.profile) {
            if let Some((code, _)) = profile_values(&question).into_iter().next() {
                publics.push(((question.id, code), 6 + publics.len() as i32 * 3));
            }
        }
    }
    publics.truncate(3);
    let reach = NewReach {
        event_id: Some(held_id),
        channel: Channel::PublicMeeting,
        label: held.title.clone(),
        happened_on: held.starts_at.date(),
        reached: 38,
        publics,
        note: "Beaucoup de questions sur les horaires du bus France services.".into(),
    };
    store::record_reach(conn, place, &reach, cast.provider_member)?;
    Ok(())
}

//! What « Accès aux droits » learnt: three lessons (one still among the participants, one shared with the observer
//! collectivities, one public), two recommendations (one transmitted, one answered), and the national deliverable
//! that assembles them with Grand Châtellerault's adopted plan, published by the agency.

use crate::domain::capitalisation::{Audience, DeliverableTexts, LessonText, RecommendationText, StatusChange};
use crate::storage::capitalisation::{self as store, Widened};
use crate::storage::deliverables::{self, Item, Saved};
use crate::storage::DbConnection;

use super::access::Cast;

pub fn load(conn: &mut DbConnection, project_id: i64, cast: &Cast) -> anyhow::Result<()> {
    let title = super::access::TITLE;
    let lesson = |title: &str, body: &str, phase: &str| {
        LessonText::parse(title, body, phase, "", &[]).map_err(|e| anyhow::anyhow!("démonstration : {e:?}"))
    };
    let lessons = [
        lesson(
            "Le papier et le marché d’abord",
            "La moitié des réponses de l’enquête sont venues des stands au marché et des questionnaires papier laissés \
             à l’accueil de la CAF. Le questionnaire en ligne touche surtout ceux qui ont déjà accès aux droits.",
            "diagnostic",
        )?,
        lesson(
            "Chiffrer le non-recours convainc mieux que chiffrer la permanence",
            "Les élus ont obtenu le financement de l’aller-vers en présentant ce que coûte le non-recours — aides non \
             versées, urgences évitables — plutôt que le coût d’une permanence itinérante.",
            "adoption",
        )?,
        lesson(
            "Un habitant du groupe d’enquête annonce mieux la permanence qu’une affiche",
            "Les permanences du bus France services sont deux fois plus fréquentées quand un habitant du groupe \
             d’enquête les annonce lui-même dans son quartier.",
            "restitution",
        )?,
    ];
    let mut ids = Vec::new();
    for text in &lessons {
        ids.push(store::insert_lesson(conn, project_id, text, cast.provider_member)?);
    }
    // The first stays among the participants; the second is shared with the observers (Grand Cahors reads it).
    let second = store::find_lesson(conn, project_id, ids[1])?.ok_or_else(|| anyhow::anyhow!("enseignement absent"))?;
    if store::widen(conn, &second, Audience::Observers, cast.admin, title)? != Widened::Now {
        anyhow::bail!("démonstration : enseignement non partagé");
    }

    let recommendation = |title: &str, body: &str, addressee: &str, kind: &str| {
        RecommendationText::parse(title, body, addressee, kind).map_err(|e| anyhow::anyhow!("démonstration : {e:?}"))
    };
    let fund = store::insert_recommendation(
        conn,
        project_id,
        &recommendation(
            "Un fonds national pour les permanences itinérantes",
            "Financer sur trois ans les permanences itinérantes des intercommunalités rurales, à condition qu’un \
             groupe d’habitants participe à leur organisation.",
            "Ministère de l’Aménagement du territoire et de la Décentralisation",
            "ministry",
        )?,
        cast.provider_member,
    )?;
    let data = store::insert_recommendation(
        conn,
        project_id,
        &recommendation(
            "Partager les chiffres du non-recours avec les collectivités",
            "Donner aux intercommunalités, chaque année, les estimations du non-recours aux prestations sur leur \
             territoire, pour qu’elles ciblent leur aller-vers.",
            "Caisse nationale des allocations familiales",
            "operator",
        )?,
        cast.provider_member,
    )?;
    for (id, changes) in [
        (fund, vec![StatusChange::Transmitted]),
        (
            data,
            vec![
                StatusChange::Transmitted,
                StatusChange::Answered(
                    "La CNAF proposera en 2027 un tableau annuel du non-recours par intercommunalité, à titre d’essai \
                     dans trois départements."
                        .into(),
                ),
            ],
        ),
    ] {
        for change in changes {
            let current = store::find_recommendation(conn, project_id, id)?
                .ok_or_else(|| anyhow::anyhow!("recommandation absente"))?;
            store::change_status(conn, &current, &change, title, cast.admin)?;
        }
    }

    let texts = DeliverableTexts::parse(
        "Aller vers ceux qu’on n’entend pas : ce que deux territoires nous apprennent",
        "Pendant un an, Grand Châtellerault et Agglopolys ont enquêté auprès des habitants qui renoncent à leurs \
         droits, puis écrit et adopté un plan d’action. Ce livrable réunit ce que le projet nous apprend, les \
         recommandations qu’il adresse à l’action publique nationale et le plan adopté.",
        "Le travail continue : la revue de suivi, six mois après l’adoption, dira ce que les actions ont changé.",
    )
    .map_err(|e| anyhow::anyhow!("démonstration : {e:?}"))?;
    let items = [
        Item::Lesson(ids[1]),
        Item::Lesson(ids[2]),
        Item::Recommendation(fund),
        Item::Recommendation(data),
        Item::Plan(cast.chatellerault),
    ];
    match deliverables::save(conn, project_id, 1, &texts, &items, cast.admin)? {
        Saved::Saved => {}
        Saved::Stale(_) => anyhow::bail!("démonstration : livrable déjà écrit"),
    }
    let deliverable =
        deliverables::find_deliverable(conn, project_id)?.ok_or_else(|| anyhow::anyhow!("livrable absent"))?;
    deliverables::publish(conn, &deliverable, cast.admin, title)?;
    Ok(())
}

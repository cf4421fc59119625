//! The creativity cycle in the demo's project « Accès aux droits »: Grand Châtellerault's is finished (its method,
//! a working group of fourteen with the referent's demo account, a divergence workshop whose ideas cite the
//! diagnostic and the questionnaire, clusters and a merge, weighted criteria, a convergence workshop with scores
//! and dots, three retained actions and two published syntheses); Agglopolys's convergence workshop is open, so
//! that its referent's demo account can score and vote, and its public link brings inhabitants' ideas (one waits for
//! moderation).

use chrono::{NaiveDateTime, TimeDelta};

use super::access::Cast;
use crate::domain::codesign::{
    Candidate, Evidence, Frame, NewCriterion, NewIdea, NewObjective, NewWorkingMember, Origin, Step, WorkshopState,
};
use crate::domain::project::{EventKind, NewEvent};
use crate::storage::codesign::{self as store, Author, MergeOutcome};
use crate::storage::diagnostic::{self, Place};
use crate::storage::inquiry::AddOutcome;
use crate::storage::{self, DbConnection};

/// (name, category, family, note).
const CHATELLERAULT_GROUP: &[(&str, &str, &str, &str)] = &[
    ("Karim Benali", "agent", "services_collectivite", "référent du projet pour l’agglomération"),
    ("Hélène Rousseau", "elu", "elus", "vice-présidente aux solidarités"),
    ("Jacques Morin", "elu", "elus", "maire de Naintré"),
    ("Nadia Cherif", "agent", "services_etat", "sous-préfecture, mission France services"),
    ("Samuel Petit", "agent", "services_etat", "CAF de la Vienne"),
    ("Odile Marchand", "associatif", "associations", "Secours populaire"),
    ("Bruno Lefort", "associatif", "associations", "centre socioculturel d’Ozon"),
    ("Inès", "habitant", "collectifs_habitants", "conseil citoyen de la Plaine d’Ozon"),
    ("Marcel", "habitant", "collectifs_habitants", "retraité, Dangé-Saint-Romain"),
    ("Leïla Haddad", "agent", "equipements_publics", "médiathèque La Rocheforte"),
    ("Thomas Garnier", "autre", "entreprises", "La Poste, bureau de Naintré"),
    ("Chloé Martin", "scolaire", "etablissements_scolaires", "BTS services et prestations, lycée Berthelot"),
    ("Yvette Dubois", "habitant", "", "aidante de sa mère"),
    ("Rachid Amrani", "agent", "bailleurs_sociaux", "Habitat de la Vienne"),
];

/// (title, body, author's index in the group, what motivated it: a sheet's name, a source's title, or a
/// question's start).
const IDEAS: &[(&str, &str, usize, &str)] = &[
    (
        "Une permanence France services au marché",
        "Le samedi matin, une table et deux conseillers au marché de Châtellerault.",
        7,
        "France services Châtellerault - Plaine d’Ozon",
    ),
    (
        "Un bus France services dans les bourgs",
        "Un véhicule équipé qui passe chaque semaine dans les communes sans guichet.",
        8,
        "Combien de minutes vous faut-il",
    ),
    (
        "Des rendez-vous par téléphone avec rappel",
        "On laisse son numéro, un conseiller rappelle à l’heure dite.",
        12,
        "Comment faites-vous le plus souvent",
    ),
    (
        "Des ateliers numériques à la médiathèque",
        "Apprendre à faire ses démarches en ligne, en petits groupes, sans jugement.",
        9,
        "Êtes-vous à l’aise pour faire une démarche en ligne",
    ),
    (
        "Former les aidants familiaux",
        "Une soirée par mois pour ceux qui font les démarches d’un parent.",
        12,
        "Une matinée à l’accueil de France services Plaine d’Ozon",
    ),
    (
        "Un annuaire papier des lieux d’accueil",
        "Distribué avec le journal de l’agglomération, lisible et en gros caractères.",
        2,
        "Connaissez-vous l’espace France services",
    ),
    (
        "Des élèves de BTS en renfort au guichet",
        "Les étudiants accompagnent les démarches, en stage, pendant les pics d’affluence.",
        11,
        "",
    ),
    (
        "Aller frapper aux portes avec le bailleur",
        "Les gardiens d’immeuble repèrent les personnes isolées ; un conseiller passe.",
        13,
        "",
    ),
    ("Un numéro unique pour toutes les démarches", "Un seul numéro, gratuit, qui oriente vers le bon service.", 4, ""),
    ("Traduire les courriers de la CAF", "Des bénévoles aident à lire et comprendre les courriers officiels.", 5, ""),
    (
        "Le facteur comme relais",
        "Le facteur signale les personnes en difficulté qui l’acceptent.",
        10,
        "France services La Poste de Naintré",
    ),
    (
        "Une navette vers les guichets le jeudi",
        "Transport gratuit depuis les bourgs vers Châtellerault, sur réservation.",
        3,
        "",
    ),
];

/// The clusters, by the indexes of their ideas; the ideas outside any stay on their own.
const CLUSTERS: &[(&str, &[usize])] = &[
    ("Aller vers les habitants", &[0, 1, 7, 10]),
    ("Accompagner au numérique", &[3, 4, 6]),
    ("Se repérer et se faire aider", &[5, 8, 9]),
];

/// (objective, [(criterion, weight)]).
const OBJECTIVES: &[(&str, &[(&str, i32)])] = &[
    (
        "Que personne ne renonce à un droit faute d’accompagnement",
        &[("Touche les personnes sans internet", 3), ("Atteint les bourgs éloignés", 2)],
    ),
    ("Que les démarches se fassent près de chez soi", &[("Réaliste avec les moyens actuels", 2), ("Coûte peu", 1)]),
];

fn workshop(
    conn: &mut DbConnection,
    place: Place,
    cast: &Cast,
    title: &str,
    step: Step,
    starts_at: NaiveDateTime,
    place_name: &str,
) -> anyhow::Result<i64> {
    let event = NewEvent {
        kind: EventKind::Workshop,
        title: title.into(),
        description: match step {
            Step::Divergence => "Imaginer, sans se censurer, à partir de ce que le diagnostic a montré.".into(),
            Step::Objectives => "Ce que le plan doit changer, et à quoi on saura que c’est réussi.".into(),
            Step::Convergence => "Noter les propositions au regard des critères, puis choisir avec ses points.".into(),
        },
        starts_at,
        ends_at: starts_at + TimeDelta::hours(3),
        place: Some(place_name.into()),
        online_url: None,
        collectivity_id: Some(place.collectivity_id),
    };
    Ok(store::insert_workshop(conn, &event, step, 8, cast.provider_member, super::access::TITLE, place)?)
}

fn set_state(conn: &mut DbConnection, id: i64, from: WorkshopState, to: WorkshopState, by: i64) -> anyhow::Result<()> {
    let workshop = store::find_workshop(conn, id)?.ok_or_else(|| anyhow::anyhow!("atelier {id}"))?;
    let summary = format!("L’atelier « {} » change d’état.", workshop.title);
    store::set_workshop_state(conn, &workshop, from, to, by, summary)?;
    Ok(())
}

fn seat(
    conn: &mut DbConnection,
    place: Place,
    territory: &str,
    by: i64,
    member: (&str, &str, &str, &str),
) -> anyhow::Result<i64> {
    let (name, category, family, note) = member;
    let families: Vec<String> = vec![family.to_owned()];
    let new =
        NewWorkingMember::parse(name, category, family, note, "", &families).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    match store::add_working_member(conn, place, &new, by, territory)? {
        AddOutcome::Added(id) => Ok(id),
        AddOutcome::EmailTaken => anyhow::bail!("membre en double"),
    }
}

pub fn load(conn: &mut DbConnection, project_id: i64, cast: &Cast) -> anyhow::Result<()> {
    load_chatellerault(conn, Place { project_id, collectivity_id: cast.chatellerault }, cast)?;
    load_agglopolys(conn, Place { project_id, collectivity_id: cast.agglopolys }, cast)
}

fn load_chatellerault(conn: &mut DbConnection, place: Place, cast: &Cast) -> anyhow::Result<()> {
    let territory = "CA Grand Châtellerault";
    let by = cast.provider_member;
    let families: Vec<String> =
        ["services_etat", "associations", "collectifs_habitants", "elus", "equipements_publics"]
            .iter()
            .map(|f| f.to_string())
            .collect();
    let frame = Frame::parse(
        "families",
        "Chaque famille d’acteurs imagine d’abord entre pairs (services de l’État, associations, habitants), puis un \
        atelier commun croise les regards.",
        &families,
        &families,
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    store::save_frame(conn, place, &frame, cast.chatellerault_referent, territory)?;
    let mut members = Vec::new();
    for member in CHATELLERAULT_GROUP {
        members.push(seat(conn, place, territory, cast.chatellerault_referent, *member)?);
    }
    // The referent's demo account holds the first seat.
    store::link_working_account(conn, members[0], cast.chatellerault_referent)?;
    let today = storage::now().date();
    let at = |days: i64| (today - TimeDelta::days(days)).and_hms_opt(18, 0, 0).unwrap_or_default();
    let divergence = workshop(
        conn,
        place,
        cast,
        "Imaginer l’accueil de demain",
        Step::Divergence,
        at(24),
        "Centre socioculturel d’Ozon",
    )?;
    let convergence =
        workshop(conn, place, cast, "Choisir nos actions", Step::Convergence, at(6), "Salle des fêtes de Naintré")?;
    set_state(conn, divergence, WorkshopState::Planned, WorkshopState::Open, by)?;
    // What the ideas may cite: the diagnostic's sheets and sources, the questionnaire's questions.
    let sheets = diagnostic::entries_of_territory(conn, place)?;
    let sources = diagnostic::sources_of_territory(conn, place)?;
    let questions = store::questions_of_territory(conn, place)?;
    let evidence = |motive: &str| -> Option<Evidence> {
        if motive.is_empty() {
            return None;
        }
        sheets
            .iter()
            .find(|s| s.name == motive)
            .map(|s| Evidence::Sheet(s.id))
            .or_else(|| sources.iter().find(|s| s.title == motive).map(|s| Evidence::Source(s.id)))
            .or_else(|| {
                questions
                    .iter()
                    .find(|(_, _, label)| label.starts_with(motive))
                    .map(|(id, _, _)| Evidence::Question(*id))
            })
    };
    let group = store::working_group(conn, place)?;
    let mut ideas = Vec::new();
    for (title, body, author, motive) in IDEAS {
        let member = group.iter().find(|m| m.id == members[*author]).ok_or_else(|| anyhow::anyhow!("membre"))?;
        let idea = NewIdea::parse(title, body).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let id = store::insert_idea(
            conn,
            place,
            Some(divergence),
            &idea,
            Author::Member(member),
            Origin::Paper,
            Some(by),
            territory,
        )?;
        if let Some(evidence) = evidence(motive) {
            store::add_evidence(conn, id, evidence, by)?;
        } else if !motive.is_empty() {
            anyhow::bail!("motivation introuvable : {motive}");
        }
        ideas.push(id);
    }
    // A paper note left without a name, and an inhabitant's idea waiting for moderation.
    let note = NewIdea::parse("Des horaires le samedi", "Beaucoup travaillent en semaine.")
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let note = store::insert_idea(
        conn,
        place,
        Some(divergence),
        &note,
        Author::Category("habitant"),
        Origin::Paper,
        Some(by),
        territory,
    )?;
    set_state(conn, divergence, WorkshopState::Open, WorkshopState::Closed, by)?;
    // The bus and the shuttle say the same: merged, the originals kept.
    let merged = NewIdea::parse(
        "Des transports vers les guichets",
        "Un bus France services dans les bourgs, et une navette le jeudi pour ceux qui veulent venir en ville.",
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let MergeOutcome::Merged(merge) = store::merge_ideas(conn, place, &[ideas[1], ideas[11]], &merged, by)? else {
        anyhow::bail!("fusion refusée");
    };
    for (name, of) in CLUSTERS {
        let cluster = store::cluster_named(conn, place, name, by)?;
        let ids: Vec<i64> = of.iter().map(|i| if *i == 1 { merge } else { ideas[*i] }).collect();
        store::move_to_cluster(conn, place, &ids, Some((cluster, name)), by)?;
    }
    let mut criteria = Vec::new();
    for (title, of) in OBJECTIVES {
        let objective = NewObjective::parse(title, "").map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let id = store::insert_objective(conn, place, &objective, by, territory)?;
        for (label, weight) in *of {
            let criterion = NewCriterion::parse(label, &weight.to_string()).map_err(|e| anyhow::anyhow!("{e:?}"))?;
            criteria.push((store::insert_criterion(conn, id, &criterion)?, *weight));
        }
    }
    // Convergence: nine members score every proposal and spread their dots; the figures are fixed.
    set_state(conn, convergence, WorkshopState::Planned, WorkshopState::Open, by)?;
    let clusters = store::clusters_of(conn, place)?;
    let mut candidates: Vec<Candidate> = clusters.iter().map(|c| Candidate::Cluster(c.id)).collect();
    candidates.extend([Candidate::Idea(ideas[2]), Candidate::Idea(note)]);
    for (m, member) in members.iter().take(9).enumerate() {
        let mut grid = Vec::new();
        for (c, candidate) in candidates.iter().enumerate() {
            for (k, (criterion, _)) in criteria.iter().enumerate() {
                grid.push((*candidate, *criterion, ((m * 3 + c * 5 + k * 7 + c * m) % 6) as i32));
            }
        }
        store::save_scores(conn, convergence, *member, &grid)?;
        for d in 0..8 {
            store::add_dot(conn, convergence, *member, candidates[(m + d * d) % candidates.len()])?;
        }
    }
    set_state(conn, convergence, WorkshopState::Open, WorkshopState::Closed, by)?;
    retain(conn, place, convergence, &candidates[..3], territory, by)?;
    let synthesis = |conn: &mut DbConnection, id: i64, text: &str| -> anyhow::Result<()> {
        let workshop = store::find_workshop(conn, id)?.ok_or_else(|| anyhow::anyhow!("atelier"))?;
        Ok(store::publish_synthesis(conn, &workshop, text, by, territory)?)
    };
    synthesis(
        conn,
        divergence,
        "Vingt-deux personnes, **treize idées**. Ce qui revient : aller vers les habitants plutôt que les attendre, \
        et se faire aider par quelqu’un de confiance. Les idées citent la matinée passée à l’accueil de la Plaine \
        d’Ozon et les réponses au questionnaire sur le temps pour rejoindre un guichet.",
    )?;
    synthesis(
        conn,
        convergence,
        "Trois actions retenues pour le plan d’action : **aller vers les habitants**, **accompagner au numérique**, \
        **se repérer et se faire aider**. Le groupe est partagé sur le coût du bus : à chiffrer avant l’adoption.",
    )
}

/// Retains the candidates as draft actions, as the facilitator's button does, lineage and all.
fn retain(
    conn: &mut DbConnection,
    place: Place,
    workshop: i64,
    candidates: &[Candidate],
    territory: &str,
    by: i64,
) -> anyhow::Result<()> {
    let workshop = store::find_workshop(conn, workshop)?.ok_or_else(|| anyhow::anyhow!("atelier"))?;
    for candidate in candidates {
        match store::retain_proposal(conn, place, &workshop, *candidate, by, territory)? {
            store::RetainOutcome::Retained(_) => {}
            other => anyhow::bail!("action non retenue : {other:?}"),
        }
    }
    Ok(())
}

fn load_agglopolys(conn: &mut DbConnection, place: Place, cast: &Cast) -> anyhow::Result<()> {
    let territory = "CA de Blois";
    let by = cast.provider_member;
    let frame = Frame::parse(
        "thematic",
        "Un atelier par grande question du diagnostic : se déplacer, être accompagné, être informé.",
        &[],
        &[],
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    store::save_frame(conn, place, &frame, cast.agglopolys_referent, territory)?;
    let sophie = seat(
        conn,
        place,
        territory,
        cast.agglopolys_referent,
        ("Sophie Martin", "agent", "services_collectivite", "référente du projet"),
    )?;
    store::link_working_account(conn, sophie, cast.agglopolys_referent)?;
    for member in [
        ("Jean Moreau", "elu", "elus", "adjoint aux solidarités, Blois"),
        ("Fatou", "habitant", "collectifs_habitants", "quartier Kennedy"),
    ] {
        seat(conn, place, territory, cast.agglopolys_referent, member)?;
    }
    let objective = NewObjective::parse("Qu’aucune démarche ne demande plus d’une demi-heure de trajet", "")
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let objective = store::insert_objective(conn, place, &objective, by, territory)?;
    for (label, weight) in [("Atteint les communes rurales", "2"), ("Coûte peu", "1")] {
        let criterion = NewCriterion::parse(label, weight).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        store::insert_criterion(conn, objective, &criterion)?;
    }
    let today = storage::now().date();
    let starts = today.and_hms_opt(9, 0, 0).unwrap_or_default();
    let convergence = workshop(
        conn,
        place,
        cast,
        "Choisir entre nos pistes",
        Step::Convergence,
        starts,
        "Hôtel d’agglomération, Blois",
    )?;
    for (title, body) in [
        ("Un transport à la demande vers les guichets", "Réservé la veille, depuis les communes rurales."),
        ("Des permanences dans les mairies rurales", "Une demi-journée par mois, par roulement."),
        ("Un point d’accueil dans le bus de la médiathèque", "Le bibliobus emmène un conseiller."),
    ] {
        let idea = NewIdea::parse(title, body).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        store::insert_idea(conn, place, None, &idea, Author::Category("elu"), Origin::Paper, Some(by), territory)?;
    }
    set_state(conn, convergence, WorkshopState::Planned, WorkshopState::Open, by)?;
    // The public link is on: an inhabitant's idea waits for the provider's moderation.
    store::set_idea_link(conn, place, Some(&crate::security::random_token()), by)?;
    let idea = NewIdea::parse("Un guichet dans le bus scolaire", "Le matin, le bus passe dans tous les villages.")
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    store::insert_idea(conn, place, None, &idea, Author::Category("habitant"), Origin::Public, None, territory)?;
    Ok(())
}

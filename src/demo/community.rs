//! The learning community of « Accès aux droits »: the two delegations (Grand Châtellerault's nearly complete, with
//! Karim Benali for the agents and Luc Garnier of the CAF for the operators; Agglopolys's led by Sophie Martin, two
//! categories missing), a forum thread with replies and a report of experience, the élus' peer group with its
//! conversation and its conclusions shared at the agora, the agents' group with its conclusions in progress, a
//! day among peers held, a supervision session held (its notes for those who attended) and another to come.

use chrono::TimeDelta;

use crate::domain::community::{Conclusions, NewDelegate, NewThread, Seat};
use crate::domain::project::{EventKind, NewEvent};
use crate::storage::delegations::{self as store, AddOutcome, Saved};
use crate::storage::events::insert_event;
use crate::storage::threads::{self, Space};
use crate::storage::users::find_user;
use crate::storage::{projects, supervision, DbConnection};

use super::access::Cast;

/// A seat: (name, function, category position, substitute, referent, account).
type DemoSeat<'a> = (&'a str, &'a str, usize, bool, bool, Option<i64>);

pub fn load(conn: &mut DbConnection, project_id: i64, cast: &Cast) -> anyhow::Result<()> {
    let project = projects::find_project(conn, project_id)?.ok_or_else(|| anyhow::anyhow!("projet absent"))?;
    let groups = store::peer_groups_of_project(conn, project_id)?;
    let (elus, agents, operators) = (&groups[0], &groups[1], &groups[2]);
    let chatellerault: [DemoSeat; 5] = [
        ("Nadège Fournier", "Vice-présidente à la cohésion sociale", 0, false, true, None),
        ("Thomas Girard", "Conseiller communautaire délégué aux solidarités", 0, true, false, None),
        ("Karim Benali", "Chargé de mission participation", 1, false, false, Some(cast.chatellerault_referent)),
        ("Luc Garnier", "Responsable de l’accueil, CAF de la Vienne", 2, false, false, Some(cast.operator)),
        ("Delphine Roussel", "Déléguée du préfet", 3, false, false, None),
    ];
    let agglopolys: [DemoSeat; 2] = [
        ("Sophie Martin", "Adjointe à la démocratie locale", 0, false, true, Some(cast.agglopolys_referent)),
        ("Claire Petit", "Directrice du centre intercommunal d’action sociale", 1, false, false, None),
    ];
    for (collectivity, seats) in [(cast.chatellerault, &chatellerault[..]), (cast.agglopolys, &agglopolys[..])] {
        for (name, function, category, substitute, referent, account) in seats {
            let delegate = NewDelegate {
                display_name: (*name).into(),
                peer_group_id: groups[*category].id,
                function: (*function).into(),
                seat: if *substitute { Seat::Substitute } else { Seat::Titular },
                is_referent: *referent,
                email: None,
            };
            let AddOutcome::Added(id) = store::add_delegate(conn, project_id, collectivity, &delegate, cast.admin)?
            else {
                anyhow::bail!("démonstration : siège en double")
            };
            if let Some(user) = account {
                store::link_account(conn, id, *user)?;
            }
        }
    }
    store::designate(conn, elus, cast.provider_member, cast.admin)?;
    store::designate(conn, agents, cast.provider_member, cast.admin)?;
    store::designate(conn, operators, cast.admin, cast.admin)?;

    let person = |conn: &mut DbConnection, id: i64| -> anyhow::Result<crate::storage::users::User> {
        find_user(conn, id)?.ok_or_else(|| anyhow::anyhow!("compte absent"))
    };
    let (karim, sophie, amandine, luc) = (
        person(conn, cast.chatellerault_referent)?,
        person(conn, cast.agglopolys_referent)?,
        person(conn, cast.provider_member)?,
        person(conn, cast.operator)?,
    );
    let mut token = 0;
    let mut write = |conn: &mut DbConnection,
                     user: &crate::storage::users::User,
                     space: Space,
                     thread: Option<i64>,
                     text: (&str, &str, &str)|
     -> anyhow::Result<i64> {
        token += 1;
        let submission = format!("jeton-de-la-demonstration-{token:04}");
        let entered = threads::enter(conn, &project, space, user)?
            .ok_or_else(|| anyhow::anyhow!("démonstration : {} hors de l’espace", user.display_name))?;
        match thread {
            None => {
                let new =
                    NewThread::parse(text.0, text.1, text.2).map_err(|e| anyhow::anyhow!("démonstration : {e:?}"))?;
                Ok(threads::start_thread(conn, &entered, &new, &submission)?)
            }
            Some(id) => threads::reply(conn, &entered, id, text.2, &submission)?
                .ok_or_else(|| anyhow::anyhow!("démonstration : fil absent")),
        }
    };
    // The forum, between the territories.
    let question = write(
        conn,
        &karim,
        Space::Forum,
        None,
        (
            "question",
            "Comment toucher les habitants qui n’ont pas internet ?",
            "Notre questionnaire en ligne a surtout été rempli par des personnes déjà connectées. Comment avez-vous fait \
             pour atteindre les autres ?",
        ),
    )?;
    write(
        conn,
        &sophie,
        Space::Forum,
        Some(question),
        (
            "",
            "",
            "Nous avons tenu un stand au marché du samedi, avec des questionnaires papier et deux personnes du \
                   groupe d’enquête. La moitié de nos réponses viennent de là.",
        ),
    )?;
    write(
        conn,
        &luc,
        Space::Forum,
        Some(question),
        (
            "",
            "",
            "À la CAF, nous pouvons laisser des questionnaires papier à l’accueil et les rapporter au groupe. \
                   Dites-nous combien il vous en faut.",
        ),
    )?;
    write(
        conn,
        &amandine,
        Space::Forum,
        None,
        (
            "experience",
            "Le bus France services : ce qui a marché à Blois",
            "Retour de la journée du 12 : les permanences du bus sont plus fréquentées quand elles ont lieu le jour du \
             marché et qu’un habitant du groupe d’enquête les annonce lui-même.",
        ),
    )?;
    // The élus among themselves, then their conclusions at the agora.
    let obstacle = write(
        conn,
        &sophie,
        Space::PeerGroup(elus.id),
        None,
        (
            "obstacle",
            "Convaincre le conseil de financer l’aller-vers",
            "Une partie de ma majorité pense que l’aller-vers coûte cher pour peu de personnes touchées. Comment \
             l’avez-vous défendu chez vous ?",
        ),
    )?;
    write(
        conn,
        &amandine,
        Space::PeerGroup(elus.id),
        Some(obstacle),
        (
            "",
            "",
            "Une piste de la journée entre pairs : chiffrer ce que coûte le non-recours (aides non versées, \
                   urgences évitables) plutôt que ce que coûte la permanence.",
        ),
    )?;
    let elus_conclusions = Conclusions {
        brings: "Le mandat pour mettre les services autour d’une table ; la connaissance fine des bourgs ; la \
                 capacité à inscrire l’aller-vers au budget."
            .into(),
        needs: "Des agents qui remontent ce qu’ils voient au guichet ; des opérateurs qui partagent leurs chiffres de \
                non-recours ; un appui de l’État pour les permanences itinérantes."
            .into(),
    };
    save(conn, elus.id, &elus_conclusions, cast.agglopolys_referent)?;
    store::publish_conclusions(conn, elus, cast.provider_member)?;
    // The agents: a thread and conclusions still in progress.
    write(
        conn,
        &karim,
        Space::PeerGroup(agents.id),
        None,
        (
            "solution",
            "Un classeur commun des démarches au guichet",
            "Nous notons chaque démarche abandonnée au guichet, et pourquoi. En trois mois, un motif sur deux est \
             « pas de justificatif numérique ». Je partage la grille si elle vous sert.",
        ),
    )?;
    let agents_conclusions = Conclusions {
        brings: "Ce que nous voyons chaque jour au guichet : qui renonce, à quelle étape, pour quelle raison.".into(),
        needs: String::new(),
    };
    save(conn, agents.id, &agents_conclusions, cast.chatellerault_referent)?;
    sessions(conn, project_id, cast)
}

fn save(conn: &mut DbConnection, group: i64, conclusions: &Conclusions, by: i64) -> anyhow::Result<()> {
    match store::save_conclusions(conn, group, 1, conclusions, by)? {
        Saved::Saved | Saved::Unchanged => Ok(()),
        Saved::Stale(_) => anyhow::bail!("démonstration : conclusions déjà écrites"),
    }
}

/// A day among peers and a supervision session held, another session to come.
fn sessions(conn: &mut DbConnection, project_id: i64, cast: &Cast) -> anyhow::Result<()> {
    let now = crate::storage::now();
    let session = |kind: EventKind, title: &str, days: i64, description: &str| NewEvent {
        kind,
        title: title.into(),
        description: description.into(),
        starts_at: (now + TimeDelta::days(days)).date().and_hms_opt(9, 30, 0).unwrap_or_default(),
        ends_at: (now + TimeDelta::days(days)).date().and_hms_opt(16, 30, 0).unwrap_or_default(),
        place: Some("Maison des solidarités, Châtellerault".into()),
        online_url: None,
        collectivity_id: None,
    };
    let title = super::access::TITLE;
    let peers = session(
        EventKind::PeerExchange,
        "Journée entre pairs et agora",
        -20,
        "Le matin, chaque catégorie se retrouve entre pairs ; l’après-midi, l’agora : chaque groupe partage ses \
         conclusions.",
    );
    insert_event(conn, project_id, &peers, cast.provider_member, title)?;
    let held = session(
        EventKind::Supervision,
        "Analyse de pratiques : coopérer entre services",
        -6,
        "Une séance pour prendre du recul sur la coopération à l’œuvre, avec une superviseure.",
    );
    let held_id = insert_event(conn, project_id, &held, cast.provider_member, title)?;
    let attended = [cast.provider_member, cast.chatellerault_referent, cast.agglopolys_referent];
    supervision::record_attendance(conn, held_id, &attended, cast.provider_member)?;
    let attendee = supervision::attendee(conn, held_id, cast.provider_member)?
        .ok_or_else(|| anyhow::anyhow!("démonstration : présence absente"))?;
    supervision::add_note(
        conn,
        attendee,
        "Ce qui revient : chacun attend que l’autre service fasse le premier pas. Prochaine fois, partir d’une \
         situation vécue au guichet.",
        "jeton-de-la-demonstration-note",
    )?;
    let coming = session(
        EventKind::Supervision,
        "Analyse de pratiques : la parole des habitants",
        24,
        "Deuxième séance : ce que la restitution aux habitants nous a appris.",
    );
    insert_event(conn, project_id, &coming, cast.provider_member, title)?;
    Ok(())
}

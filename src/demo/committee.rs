//! The demo's steering committee for « Accès aux droits »: three partners, their members (not yet with an account:
//! their invitations are not sent by the demo), a meeting held with its minutes and another to come.

use chrono::TimeDelta;

use super::access::Cast;
use crate::domain::project::{EventKind, NewEvent};
use crate::domain::steering::{NewCommitteeMember, NewPartner};
use crate::storage::events::{insert_event, set_minutes};
use crate::storage::steering::{add_member, add_partner, find_partner};
use crate::storage::{self, DbConnection};

/// (name, function, address) of a partner's member.
type Member = (&'static str, &'static str, &'static str);

const PARTNERS: [(&str, &str, &[Member]); 3] = [
    (
        "Intercommunalités de France",
        "elected_officials",
        &[("Hélène Vasseur", "Conseillère cohésion sociale", "helene.vasseur@intercommunalites.demo.encommun.fr")],
    ),
    (
        "Caisse nationale des allocations familiales",
        "operator",
        &[("Patrick Lenoir", "Responsable de l’accès aux droits", "patrick.lenoir@cnaf.demo.encommun.fr")],
    ),
    (
        "Direction générale de la cohésion sociale",
        "ministry",
        &[
            ("Nadia Cherif", "Cheffe du bureau de l’inclusion", "nadia.cherif@social.demo.encommun.fr"),
            ("Yves Morel", "Chargé de mission", "yves.morel@social.demo.encommun.fr"),
        ],
    ),
];

pub fn load(conn: &mut DbConnection, project_id: i64, cast: &Cast) -> anyhow::Result<()> {
    for (name, kind, members) in PARTNERS {
        let partner = NewPartner::parse(name, kind).map_err(|e| anyhow::anyhow!("démonstration : {e:?}"))?;
        let id = add_partner(conn, project_id, &partner, cast.admin)?
            .ok_or_else(|| anyhow::anyhow!("le partenaire {name} existe déjà"))?;
        let partner = find_partner(conn, project_id, id)?.ok_or_else(|| anyhow::anyhow!("partenaire {name}"))?;
        for (display_name, function, email) in members {
            let member = NewCommitteeMember::parse(display_name, function, email)
                .map_err(|e| anyhow::anyhow!("démonstration : {e:?}"))?;
            add_member(conn, &partner, &member, cast.admin)?;
        }
    }
    let today = storage::now().date();
    let meeting = |days: i64, title: &str| NewEvent {
        kind: EventKind::SteeringCommittee,
        title: title.to_owned(),
        description: "Avancement des territoires, décisions à prendre, suites nationales.".into(),
        starts_at: (today + TimeDelta::days(days)).and_hms_opt(10, 0, 0).unwrap_or_default(),
        ends_at: (today + TimeDelta::days(days)).and_hms_opt(12, 0, 0).unwrap_or_default(),
        place: Some("ANCT, 20 avenue de Ségur, Paris".into()),
        online_url: None,
        collectivity_id: None,
    };
    let held = insert_event(
        conn,
        project_id,
        &meeting(-40, "Comité de pilotage de mi-parcours"),
        cast.admin,
        super::access::TITLE,
    )?;
    let held = crate::storage::events::find_event(conn, project_id, held)?.ok_or_else(|| anyhow::anyhow!("comité"))?;
    set_minutes(
        conn,
        &held,
        "## Décisions\n\n- Les deux territoires poursuivent le croisement des regards jusqu’à l’adoption.\n\
         - La CNAF partage ses données de non-recours par commune avec les groupes d’enquête.\n",
        cast.admin,
    )?;
    insert_event(conn, project_id, &meeting(50, "Comité de pilotage de clôture"), cast.admin, super::access::TITLE)?;
    Ok(())
}

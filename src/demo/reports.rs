//! The demo's experience reports: one from « Accès aux droits », written by the provider; an older one from the
//! agency, not checked for two years (shown as such); a proposal of Agglopolys waiting for the agency.

use chrono::TimeDelta;

use super::access::Cast;
use crate::domain::resources::{EntryStatus, ReportInput, ReportText};
use crate::domain::territory::TerritoryKind;
use crate::storage::reports::{insert_report, written_long_ago, Origin};
use crate::storage::territories::find_territory;
use crate::storage::{self, DbConnection};

struct DemoReport {
    title: &'static str,
    territory: (TerritoryKind, &'static str),
    method: &'static str,
    duration: &'static str,
    cost: &'static str,
    done: &'static str,
    results: &'static str,
    difficulties: &'static str,
    contact: &'static str,
}

const REPORTS: [DemoReport; 3] = [
    DemoReport {
        title: "Un bus des droits dans les bourgs de Grand Châtellerault",
        territory: (TerritoryKind::Epci, "248600413"),
        method: "Permanences itinérantes et enquête auprès des habitants",
        duration: "Douze mois",
        cost: "38 000 € (véhicule loué, deux conseillers à mi-temps)",
        done: "Le groupe d’enquête a repéré les bourgs où le non-recours était le plus fort ; un bus y tient une \
            permanence chaque semaine, avec la CAF, la CPAM et France Travail, au marché ou devant l’école.",
        results: "Six cents personnes reçues, dont un tiers n’avaient jamais ouvert leurs droits.",
        difficulties: "Trouver un stationnement sûr en hiver ; faire venir les hommes seuls, que le bouche-à-oreille \
            a fini par toucher.",
        contact: "Direction de la cohésion sociale, CA Grand Châtellerault",
    },
    DemoReport {
        title: "Un budget participatif jeunesse à Blois",
        territory: (TerritoryKind::Commune, "41018"),
        method: "Budget participatif",
        duration: "Deux éditions",
        cost: "100 000 € par an",
        done:
            "Les 11–25 ans ont proposé puis voté des projets pour leur quartier ; les services les ont chiffrés avec \
            eux avant le vote.",
        results: "Vingt-deux projets réalisés, dont un terrain de sport et une salle de répétition.",
        difficulties: "Garder les porteurs de projet mobilisés pendant les travaux.",
        contact: "Service jeunesse de la ville de Blois",
    },
    DemoReport {
        title: "Une conférence citoyenne sur l’alimentation",
        territory: (TerritoryKind::Epci, "200030385"),
        method: "Conférence citoyenne tirée au sort",
        duration: "Quatre week-ends",
        cost: "25 000 €",
        done: "Trente habitants tirés au sort ont entendu producteurs, cantines et associations, puis rédigé quinze \
            propositions pour le projet alimentaire territorial.",
        results: "",
        difficulties: "",
        contact: "",
    },
];

pub fn load(conn: &mut DbConnection, project_id: i64, theme_id: i64, cast: &Cast) -> anyhow::Result<()> {
    for (n, demo) in REPORTS.iter().enumerate() {
        let text = ReportText::parse(&ReportInput {
            title: demo.title,
            territory_code: demo.territory.1,
            method: demo.method,
            duration: demo.duration,
            cost: demo.cost,
            done: demo.done,
            results: demo.results,
            difficulties: demo.difficulties,
            contact: demo.contact,
            links: "",
        })
        .map_err(|e| anyhow::anyhow!("démonstration : {e:?}"))?;
        let territory = find_territory(conn, demo.territory.0, demo.territory.1)?
            .ok_or_else(|| anyhow::anyhow!("territoire {}", demo.territory.1))?;
        let (owner, status, collectivity, project) = match n {
            0 => (cast.provider_member, EntryStatus::Published, None, Some(project_id)),
            1 => (cast.admin, EntryStatus::Published, None, None),
            _ => (cast.agglopolys_referent, EntryStatus::Proposed, Some(cast.agglopolys), None),
        };
        let origin = Origin {
            territory_id: territory.id,
            theme_id: (n == 0).then_some(theme_id),
            project_id: project,
            collectivity_id: collectivity,
            owner_id: owner,
        };
        let id = insert_report(conn, &text, &origin, status)?;
        if n == 1 {
            // Written long ago and never checked since: readers are warned, and its owner was reminded.
            written_long_ago(conn, id, storage::now() - TimeDelta::days(800))?;
        }
    }
    Ok(())
}

//! The demo's directory: the consultancy of « Accès aux droits » (its SIRET an obviously made-up one whose key
//! holds), a national network, and an association proposed by Agglopolys, waiting for the agency.

use super::access::Cast;
use crate::domain::resources::{DirectoryInput, DirectoryText, EntryStatus};
use crate::storage::directory::insert_entry;
use crate::storage::DbConnection;

pub fn load(conn: &mut DbConnection, project_id: i64, cast: &Cast) -> anyhow::Result<()> {
    let entries = [
        (
            DirectoryInput {
                name: "Coopérative des ateliers citoyens",
                kind: "consultancy",
                siret: "123 456 782 00002",
                skills: "diagnostic participatif, enquête auprès des habitants, ateliers de créativité, facilitation",
                served: "86 41 R75",
                nationwide: false,
                description: "Accompagne les intercommunalités dans leurs démarches d’« aller vers » : groupes \
                    d’enquête mixtes, ateliers, plans d’action co-construits avec les habitants.",
                contact: "contact@ateliers-citoyens.demo.encommun.fr",
                links: "",
            },
            (EntryStatus::Published, None, cast.provider_member),
            vec![project_id],
        ),
        (
            DirectoryInput {
                name: "Réseau des acteurs de la participation",
                kind: "network",
                siret: "",
                skills: "formation, échanges de pratiques",
                served: "",
                nationwide: true,
                description: "Un réseau national qui relie élus, agents et praticiens de la participation \
                    citoyenne : rencontres, formations, ressources.",
                contact: "",
                links: "",
            },
            (EntryStatus::Published, None, cast.admin),
            Vec::new(),
        ),
        (
            DirectoryInput {
                name: "Blois Citoyens",
                kind: "association",
                siret: "",
                skills: "cafés citoyens, porte-à-porte",
                served: "41",
                nationwide: false,
                description: "Une association d’habitants qui anime des cafés citoyens dans les quartiers de Blois.",
                contact: "",
                links: "",
            },
            (EntryStatus::Proposed, Some(cast.agglopolys), cast.agglopolys_referent),
            Vec::new(),
        ),
    ];
    for (input, origin, projects) in entries {
        let text = DirectoryText::parse(&input).map_err(|e| anyhow::anyhow!("démonstration : {e:?}"))?;
        insert_entry(conn, &text, &projects, origin)?;
    }
    Ok(())
}

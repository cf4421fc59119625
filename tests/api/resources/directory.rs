//! The directory of actors, as `web::resources::directory`: SIRET checked and one entry per establishment, the
//! territories served known, filters by kind and territory, proposals moderated and never shown before, reminders
//! to check an entry queued once; a spreadsheet imported through the column mapping, whole or not at all.

use diesel::prelude::*;
use encommun::domain::territory::TerritoryKind;
use encommun::jobs::resources::queue_check_reminders;
use encommun::storage::schema::{directory_entries, outbox_messages};

use crate::fixtures::{self, logged_in};
use crate::helpers::{with_conn, TestApp};
use crate::on_both_backends;

const ADMIN: &str = "agence@exemple.fr";
const PROVIDER: &str = "prestataire@exemple.fr";
const MEMBER: &str = "membre@grand-chatellerault.exemple.fr";

on_both_backends!(
    the_directory_checks_its_entries_and_shows_proposals_only_once_published,
    the_directory_imports_a_spreadsheet_through_its_column_mapping
);

const ENTRY: [(&str, &str); 7] = [
    ("name", "Coopérative Place publique"),
    ("kind", "consultancy"),
    ("siret", "130 026 032 00008"),
    ("skills", "concertation, enquête, facilitation"),
    ("served", "86 R75"),
    ("description", "Accompagne les collectivités de la Vienne dans leurs démarches de participation."),
    ("contact", "contact@place-publique.exemple.fr"),
];

fn with(
    fields: &[(&'static str, &'static str)],
    changes: &[(&'static str, &'static str)],
) -> Vec<(&'static str, &'static str)> {
    fields.iter().map(|(k, v)| (*k, changes.iter().find(|(c, _)| c == k).map_or(*v, |(_, v)| *v))).collect()
}

async fn the_directory_checks_its_entries_and_shows_proposals_only_once_published(app: TestApp) {
    with_conn(&app, |conn| {
        fixtures::territories(conn);
        fixtures::agency_admin(conn, ADMIN, "Claire Agence");
        fixtures::collectivity(conn, TerritoryKind::Epci, "248600413").member(conn, MEMBER, "Marie Membre");
        fixtures::provider(conn, "Coopérative des ateliers").member(conn, PROVIDER, "Amandine Prestataire");
    });
    let provider = logged_in(&app, PROVIDER).await;
    let new = "/annuaire/nouveau";
    // A wrong key, an unknown code: each on its field, nothing written.
    provider
        .submit(new, "/annuaire", &with(&ENTRY, &[("siret", "13002603200009"), ("served", "86 99")]))
        .await
        .assert_status(422)
        .assert_contains("la clé de contrôle ne correspond pas");
    provider
        .submit(new, "/annuaire", &with(&ENTRY, &[("served", "86 99 R99")]))
        .await
        .assert_status(422)
        .assert_contains("Ces codes ne sont ni un département ni une région : 99, R99.");
    assert_eq!(with_conn(&app, |conn| directory_entries::table.count().get_result::<i64>(conn).unwrap()), 0);
    let page = provider.submit(new, "/annuaire", &ENTRY).await;
    page.assert_status(303);
    let entry = page.location.clone().unwrap();
    // Sent again (a double click): written once, the second lands on it.
    provider.submit(new, "/annuaire", &ENTRY).await.assert_redirect(&entry);
    assert_eq!(with_conn(&app, |conn| directory_entries::table.count().get_result::<i64>(conn).unwrap()), 1);
    app.client()
        .get(&entry)
        .await
        .assert_status(200)
        .assert_contains("13002603200008")
        .assert_contains("Vienne, Nouvelle-Aquitaine");
    // The same establishment again: refused, pointing at the entry there is.
    provider
        .submit(new, "/annuaire", &with(&ENTRY, &[("name", "Place publique (bis)")]))
        .await
        .assert_status(422)
        .assert_contains("Cet établissement figure déjà dans l’annuaire");
    // A national network, without SIRET.
    provider
        .submit(
            new,
            "/annuaire",
            &[
                ("name", "Réseau des acteurs de la participation"),
                ("kind", "network"),
                ("nationwide", "oui"),
                ("description", "Un réseau national qui relie les praticiens de la participation."),
            ],
        )
        .await
        .assert_status(303);
    // Filters: by kind, by département (a national actor serves everywhere).
    let anonymous = app.client();
    anonymous
        .get("/annuaire?territoire=86")
        .await
        .assert_contains("Coopérative Place publique")
        .assert_contains("Réseau des acteurs de la participation");
    anonymous
        .get("/annuaire?territoire=13")
        .await
        .assert_lacks("Coopérative Place publique")
        .assert_contains("Réseau des acteurs de la participation");
    // Charente is in Nouvelle-Aquitaine, which the cooperative serves whole.
    anonymous.get("/annuaire?territoire=16").await.assert_contains("Coopérative Place publique");
    anonymous.get("/annuaire?kind=consultancy").await.assert_lacks("Réseau des acteurs de la participation");
    // A collectivity proposes: shown to nobody else until the agency publishes.
    let member = logged_in(&app, MEMBER).await;
    let page = member
        .submit(
            new,
            "/annuaire",
            &[
                ("name", "Association Vivre ensemble"),
                ("kind", "association"),
                ("served", "86"),
                ("description", "Anime des cafés citoyens dans les bourgs du Châtelleraudais."),
            ],
        )
        .await;
    page.assert_status(303);
    let proposed = page.location.clone().unwrap();
    member.get(&proposed).await.assert_status(200).assert_contains("Proposé, en attente de relecture");
    app.client().get(&proposed).await.assert_status(404);
    app.client().get("/annuaire").await.assert_lacks("Association Vivre ensemble");
    let admin = logged_in(&app, ADMIN).await;
    admin.submit(&proposed, &format!("{proposed}/moderation"), &[("decision", "publish")]).await.assert_status(303);
    app.client().get(&proposed).await.assert_status(200);
    // A year unchecked: its owner is reminded once.
    with_conn(&app, |conn| {
        diesel::update(directory_entries::table.filter(directory_entries::name.eq("Coopérative Place publique")))
            .set(directory_entries::checked_at.eq(encommun::storage::now() - chrono::TimeDelta::days(400)))
            .execute(conn)
            .unwrap();
    });
    let remind = |app: &TestApp| {
        with_conn(app, |conn| queue_check_reminders(conn, encommun::storage::now(), &app.address).unwrap())
    };
    assert_eq!(remind(&app), 1);
    assert_eq!(remind(&app), 0);
    let to: Vec<String> = with_conn(&app, |conn| {
        outbox_messages::table
            .filter(outbox_messages::kind.eq("resource_check"))
            .select(outbox_messages::recipient)
            .load(conn)
            .unwrap()
    });
    assert_eq!(to, [PROVIDER]);
}

/// A network's spreadsheet, as its own column names: Place publique's establishment (already in the directory) and
/// two new actors; contacts over two columns.
const NETWORK_FILE: &str = "Structure;Nature;SIRET;Thématiques;Départements;Missions;Courriel;Téléphone;Site web\n\
    Coopérative Place publique;Cabinet;130 026 032 00008;concertation;Vienne, Charente;Accompagne les collectivités de la Vienne et de la Charente.;contact@place-publique.exemple.fr;05 49 00 00 00;www.place-publique.example\n\
    Trame;Association;;enquête, cafés citoyens;16;Anime des enquêtes conduites par des habitants, en Charente.;bonjour@trame.exemple.fr;;\n\
    Fédération des centres sociaux;Réseau;;éducation populaire;France;Une fédération nationale qui relie les centres sociaux.;;;https://centres-sociaux.example\n";

async fn the_directory_imports_a_spreadsheet_through_its_column_mapping(app: TestApp) {
    with_conn(&app, |conn| {
        fixtures::territories(conn);
        fixtures::agency_admin(conn, ADMIN, "Claire Agence");
        fixtures::collectivity(conn, TerritoryKind::Epci, "248600413").member(conn, MEMBER, "Marie Membre");
        fixtures::provider(conn, "Coopérative des ateliers").member(conn, PROVIDER, "Amandine Prestataire");
    });
    let count =
        |app: &TestApp| with_conn(app, |conn| directory_entries::table.count().get_result::<i64>(conn).unwrap());
    // A collectivity proposes entries one by one; it does not import.
    let member = logged_in(&app, MEMBER).await;
    member.get("/annuaire/import").await.assert_status(403);
    let provider = logged_in(&app, PROVIDER).await;
    provider.submit("/annuaire/nouveau", "/annuaire", &ENTRY).await.assert_status(303);
    provider.get("/annuaire").await.assert_contains("href=\"/annuaire/import\"");
    let import = "/annuaire/import";
    // The request guard reads no multipart body: the form carries its token in its address.
    provider.get(import).await.assert_contains(r#"enctype="multipart/form-data" action="/annuaire/import?csrf_token="#);
    // A file of one column is refused at once.
    provider.upload(import, import, &[], "une-colonne.csv", b"nom\nTrame\n").await.assert_status(422);

    // A file with two bad rows: each told by its line, nothing written.
    let bad = NETWORK_FILE.replace(";Association;;", ";Fanfare;;").replace(";France;", ";Atlantide;");
    let page = provider.upload(import, import, &[], "reseau.csv", bad.as_bytes()).await;
    page.assert_status(303);
    let mapping = page.location.clone().unwrap();
    // The usual column names are recognised.
    provider
        .get(&mapping)
        .await
        .assert_status(200)
        .assert_contains("3 lignes, 9 colonnes")
        .assert_contains(r#"<option value="siret" selected>"#)
        .assert_contains(r#"<option value="territoires" selected>"#);
    let columns = [
        ("colonne-0", "nom"),
        ("colonne-1", "type"),
        ("colonne-2", "siret"),
        ("colonne-3", "competences"),
        ("colonne-4", "territoires"),
        ("colonne-5", "presentation"),
        ("colonne-6", "contact"),
        ("colonne-7", "contact"),
        ("colonne-8", "liens"),
        ("type", ""),
    ];
    provider
        .submit(&mapping, &mapping, &columns)
        .await
        .assert_status(422)
        .assert_contains("Ligne 3 : le type « Fanfare » n’est pas dans la liste")
        .assert_contains("2 lignes empêchent l’import");
    assert_eq!(count(&app), 1);
    // Without a column for the name, the mapping itself is refused.
    let nameless: Vec<(&str, &str)> =
        columns.iter().map(|&(k, v)| if k == "colonne-0" { (k, "") } else { (k, v) }).collect();
    provider.submit(&mapping, &mapping, &nameless).await.assert_status(422).assert_contains("« Nom »");

    // The file put right: the establishment's entry updated, two added, published and checked today.
    let page = provider.upload(import, import, &[], "reseau.csv", NETWORK_FILE.as_bytes()).await;
    let mapping = page.location.clone().unwrap();
    provider.submit(&mapping, &mapping, &columns).await.assert_redirect("/annuaire");
    provider
        .get("/annuaire")
        .await
        .assert_contains("Import terminé : 2 acteur(s) ajouté(s), 1 fiche(s) mise(s) à jour.");
    assert_eq!(count(&app), 3);
    // The same mapping sent again (a double click, a reload) lands on the directory and imports nothing more.
    provider.submit("/annuaire", &mapping, &columns).await.assert_redirect("/annuaire");
    provider.get("/annuaire").await.assert_contains("Ce fichier est déjà importé.");
    provider.get(&mapping).await.assert_redirect("/annuaire");
    assert_eq!(count(&app), 3);
    let anonymous = app.client();
    let trame = anonymous.get("/annuaire?territoire=16").await;
    trame.assert_contains("Trame").assert_contains("Fédération des centres sociaux");
    let place_publique: (String, String, String) = with_conn(&app, |conn| {
        directory_entries::table
            .filter(directory_entries::siret.eq("13002603200008"))
            .select((directory_entries::served, directory_entries::contact, directory_entries::links))
            .first(conn)
            .unwrap()
    });
    assert_eq!(place_publique.0, " 86 16 ");
    assert_eq!(place_publique.1, "contact@place-publique.exemple.fr — 05 49 00 00 00");
    assert!(place_publique.2.starts_with("https://www.place-publique.example"), "{}", place_publique.2);
    // Markup in a file or in the mapping is text: shown escaped, or refused.
    let hostile = "nom;type;departements;presentation\n<script>alert(1)</script>;association;France;<img src=x onerror=alert(1)> en plus de vingt caractères\n";
    let page = provider.upload(import, import, &[], "hostile.csv", hostile.as_bytes()).await;
    let hostile_mapping = page.location.clone().unwrap();
    provider
        .submit(
            &hostile_mapping,
            &hostile_mapping,
            &[
                ("colonne-0", "<script>"),
                ("colonne-1", "type"),
                ("colonne-2", "territoires"),
                ("colonne-3", "presentation"),
            ],
        )
        .await
        .assert_status(422)
        .assert_contains("Un choix de colonne est inconnu.");
    let fields =
        [("colonne-0", "nom"), ("colonne-1", "type"), ("colonne-2", "territoires"), ("colonne-3", "presentation")];
    provider.submit(&hostile_mapping, &hostile_mapping, &fields).await.assert_redirect("/annuaire");
    let index = anonymous.get("/annuaire").await;
    index.assert_contains("&lt;script&gt;alert(1)&lt;/script&gt;").assert_lacks("<script>alert(1)");
    // Imported again: every row lands on its entry.
    let page = provider.upload(import, import, &[], "reseau.csv", NETWORK_FILE.as_bytes()).await;
    let mapping = page.location.clone().unwrap();
    provider.submit(&mapping, &mapping, &columns).await.assert_redirect("/annuaire");
    assert_eq!(count(&app), 4);
}

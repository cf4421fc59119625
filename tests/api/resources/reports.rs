//! Experience reports, as `web::resources::reports`: published at once by the agency and the providers, proposed by a
//! collectivity's people and moderated (a proposal shown to nobody else before), corrected by their owner; owners
//! are reminded once per check, and a report not checked for long says so.

use diesel::prelude::*;
use encommun::domain::resources::EntryStatus;
use encommun::domain::territory::TerritoryKind;
use encommun::jobs::resources::queue_check_reminders;
use encommun::storage::schema::{experience_reports, outbox_messages};

use crate::fixtures::{self, logged_in};
use crate::helpers::{with_conn, TestApp};
use crate::on_both_backends;

const ADMIN: &str = "agence@exemple.fr";
const PROVIDER: &str = "prestataire@exemple.fr";
const MEMBER: &str = "membre@grand-chatellerault.exemple.fr";
const COLLEAGUE: &str = "collegue@grand-chatellerault.exemple.fr";
const OTHER: &str = "elu@grand-angouleme.exemple.fr";

on_both_backends!(
    reports_are_published_or_proposed_and_moderated_never_shown_early,
    owners_are_reminded_once_per_check_and_old_reports_say_so
);

fn world(app: &TestApp) {
    with_conn(app, |conn| {
        fixtures::territories(conn);
        let admin = fixtures::agency_admin(conn, ADMIN, "Claire Agence");
        let chatellerault = fixtures::collectivity(conn, TerritoryKind::Epci, "248600413");
        chatellerault.member(conn, MEMBER, "Marie Membre");
        chatellerault.member(conn, COLLEAGUE, "Paul Collègue");
        fixtures::collectivity(conn, TerritoryKind::Epci, "200071827").member(conn, OTHER, "Odile Autre");
        fixtures::provider(conn, "Coopérative des ateliers").member(conn, PROVIDER, "Amandine Prestataire");
        fixtures::theme(conn, &admin, "Mobilités rurales").create();
    });
}

const REPORT: [(&str, &str); 7] = [
    ("title", "Un transport à la demande co-construit avec les habitants"),
    ("territory_code", "86066"),
    ("method", "Ateliers de quartier et enquête"),
    ("duration", "Dix-huit mois"),
    ("cost", "45 000 € d’études"),
    ("done", "Trois ateliers par quartier ont dessiné les arrêts et les horaires, puis une enquête les a vérifiés."),
    ("contact", "Service mobilités de la ville"),
];

async fn reports_are_published_or_proposed_and_moderated_never_shown_early(app: TestApp) {
    world(&app);
    // Bad input: each field says what is wrong; nothing written.
    let provider = logged_in(&app, PROVIDER).await;
    provider
        .submit(
            "/retours-d-experience/nouveau",
            "/retours-d-experience",
            &[("title", "Bus"), ("territory_code", "99999"), ("method", "Ateliers"), ("done", "Trop court")],
        )
        .await
        .assert_status(422)
        .assert_contains("Le titre demande au moins 5 caractères")
        .assert_contains("Ce qui a été fait demande au moins 20 caractères");
    let unknown: Vec<(&str, &str)> =
        REPORT.iter().map(|(k, v)| (*k, if *k == "territory_code" { "99999" } else { *v })).collect();
    provider
        .submit("/retours-d-experience/nouveau", "/retours-d-experience", &unknown)
        .await
        .assert_status(422)
        .assert_contains("Aucun territoire n’a le code « 99999 »");
    assert_eq!(with_conn(&app, |conn| experience_reports::table.count().get_result::<i64>(conn).unwrap()), 0);
    // The provider publishes: everyone reads it, with its territory's kind and population.
    let page = provider.submit("/retours-d-experience/nouveau", "/retours-d-experience", &REPORT).await;
    page.assert_status(303);
    let published = page.location.clone().unwrap();
    // Sent again (a double click): written once, the second lands on it.
    provider
        .submit("/retours-d-experience/nouveau", "/retours-d-experience", &REPORT)
        .await
        .assert_redirect(&published);
    assert_eq!(with_conn(&app, |conn| experience_reports::table.count().get_result::<i64>(conn).unwrap()), 1);
    let anonymous = app.client();
    anonymous
        .get(&published)
        .await
        .assert_status(200)
        .assert_contains("Châtellerault (Commune, 31")
        .assert_contains("Vérifié le");
    anonymous.get("/retours-d-experience").await.assert_contains(REPORT[0].1);
    // A collectivity's member proposes: nobody outside reads it until the agency publishes.
    let member = logged_in(&app, MEMBER).await;
    member
        .get("/retours-d-experience/nouveau")
        .await
        .assert_contains("Proposer un retour d’expérience")
        .assert_contains("L’agence relit votre proposition");
    let mut proposal = REPORT.to_vec();
    proposal[0] = ("title", "Une épicerie solidaire tenue par les habitants");
    let page = member.submit("/retours-d-experience/nouveau", "/retours-d-experience", &proposal).await;
    page.assert_status(303);
    let proposed = page.location.clone().unwrap();
    member.get(&proposed).await.assert_status(200).assert_contains("Proposé, en attente de relecture");
    logged_in(&app, COLLEAGUE).await.get(&proposed).await.assert_status(200);
    for outsider in [app.client(), logged_in(&app, OTHER).await, provider] {
        outsider.get(&proposed).await.assert_status(404);
        outsider.get("/retours-d-experience").await.assert_lacks("Une épicerie solidaire");
    }
    // Someone else's report is not theirs to correct.
    logged_in(&app, OTHER).await.get(&format!("{published}/modifier")).await.assert_status(403);
    // The agency refuses without a reason: refused; with one: the collectivity reads it.
    let admin = logged_in(&app, ADMIN).await;
    admin.get("/retours-d-experience").await.assert_contains("À relire (1)");
    admin
        .submit(&proposed, &format!("{proposed}/moderation"), &[("decision", "refuse"), ("reason", "")])
        .await
        .assert_status(422)
        .assert_contains("La raison");
    admin
        .submit(
            &proposed,
            &format!("{proposed}/moderation"),
            &[("decision", "refuse"), ("reason", "Il manque les résultats : complétez-les et proposez-le de nouveau.")],
        )
        .await
        .assert_status(303);
    member.get("/retours-d-experience").await.assert_contains("Non retenu : Il manque les résultats");
    app.client().get(&proposed).await.assert_status(404);
    // A second proposal, published twice (a double click): once.
    proposal[0] = ("title", "Un conseil citoyen du transport");
    let page = member.submit("/retours-d-experience/nouveau", "/retours-d-experience", &proposal).await;
    let second = page.location.clone().unwrap();
    for expected in ["Retour d’expérience publié.", "déjà été relue"] {
        admin.submit(&second, &format!("{second}/moderation"), &[("decision", "publish")]).await.assert_status(303);
        admin.get(&second).await.assert_contains(expected);
    }
    app.client().get(&second).await.assert_status(200);
    // Its owner corrects it: checked today.
    let mut corrected = proposal.clone();
    corrected[3] = ("duration", "Deux ans");
    member.submit(&format!("{second}/modifier"), &second, &corrected).await.assert_status(303);
    app.client().get(&second).await.assert_contains("Deux ans");
}

async fn owners_are_reminded_once_per_check_and_old_reports_say_so(app: TestApp) {
    world(&app);
    let id = with_conn(&app, |conn| {
        let owner = fixtures::account(conn, "auteur@exemple.fr", "Aline Autrice");
        fixtures::report(conn, &owner, "Le bus des services publics", EntryStatus::Published, None)
    });
    let age = |app: &TestApp, days: i64| {
        with_conn(app, |conn| {
            diesel::update(experience_reports::table.find(id))
                .set(experience_reports::checked_at.eq(encommun::storage::now() - chrono::TimeDelta::days(days)))
                .execute(conn)
                .unwrap();
        })
    };
    let remind = |app: &TestApp| {
        with_conn(app, |conn| queue_check_reminders(conn, encommun::storage::now(), &app.address).unwrap())
    };
    let reminders = |app: &TestApp| {
        with_conn(app, |conn| {
            outbox_messages::table
                .filter(outbox_messages::kind.eq("resource_check"))
                .select(outbox_messages::recipient)
                .load::<String>(conn)
                .unwrap()
        })
    };
    // Fresh: nothing. A year on: one reminder, whatever the instances or the runs.
    assert_eq!(remind(&app), 0);
    age(&app, 400);
    assert_eq!(remind(&app), 1);
    assert_eq!(remind(&app), 0);
    assert_eq!(reminders(&app), ["auteur@exemple.fr"]);
    let path = format!("/retours-d-experience/{id}");
    app.client().get(&path).await.assert_lacks("peut-être dépassé");
    // Two years without a check: readers are warned; the owner confirms it, and it is fresh again.
    age(&app, 800);
    app.client().get(&path).await.assert_contains("peut-être dépassé");
    assert_eq!(remind(&app), 1, "a new check is due: one reminder more");
    let owner = logged_in(&app, "auteur@exemple.fr").await;
    owner.submit(&path, &format!("{path}/verification"), &[]).await.assert_status(303);
    app.client().get(&path).await.assert_lacks("peut-être dépassé");
    assert_eq!(remind(&app), 0);
    assert_eq!(reminders(&app).len(), 2);
    // Someone else may not confirm it.
    logged_in(&app, MEMBER).await.submit(&path, &format!("{path}/verification"), &[]).await.assert_status(403);
}

//! The steering committee, as `web::projects::committee`: partners and members formed by the leads, each member
//! invited to an account and to the committee's meetings (once per date, again when moved), reading the working
//! space and acting in nothing; a member removed reads nothing more.

use diesel::prelude::*;
use encommun::domain::project::Phase;
use encommun::domain::territory::TerritoryKind;
use encommun::storage::schema::{outbox_messages, steering_members};

use crate::fixtures::{self, logged_in};
use crate::helpers::{with_conn, TestApp};
use crate::on_both_backends;

const ADMIN: &str = "agence@exemple.fr";
const PROVIDER: &str = "prestataire@exemple.fr";
const MEMBER: &str = "membre@grand-chatellerault.exemple.fr";
const PARTNER: &str = "nadia.cherif@social.exemple.fr";

on_both_backends!(the_committee_is_invited_and_reads_the_working_space_without_acting);

fn invitations_to(app: &TestApp, email: &str) -> Vec<String> {
    with_conn(app, |conn| {
        outbox_messages::table
            .filter(outbox_messages::recipient.eq(email))
            .filter(outbox_messages::kind.eq("steering_meeting"))
            .order(outbox_messages::id)
            .select(outbox_messages::subject)
            .load(conn)
            .unwrap()
    })
}

async fn the_committee_is_invited_and_reads_the_working_space_without_acting(app: TestApp) {
    let (project, chatellerault) = with_conn(&app, |conn| {
        fixtures::territories(conn);
        let admin = fixtures::agency_admin(conn, ADMIN, "Claire Agence");
        let chatellerault = fixtures::collectivity(conn, TerritoryKind::Epci, "248600413");
        chatellerault.member(conn, MEMBER, "Marie Membre");
        let provider = fixtures::provider(conn, "Coopérative des ateliers");
        provider.member(conn, PROVIDER, "Amandine Prestataire");
        let project = fixtures::project(conn, &admin)
            .participant(&chatellerault)
            .provider(&provider)
            .phase(Phase::Diagnostic)
            .create();
        fixtures::post(
            conn,
            &project,
            &admin,
            "Note réservée aux participantes",
            "Ce que l’espace de travail lit seul.",
            false,
        );
        (project.id, chatellerault.id)
    });
    let committee = format!("/projets/{project}/comite");
    let admin = logged_in(&app, ADMIN).await;
    // Bad input, each error on its field; nothing written.
    admin
        .submit(&committee, &format!("{committee}/partenaires"), &[("name", "X"), ("kind", "syndicat")])
        .await
        .assert_status(422)
        .assert_contains("Le nom du partenaire demande au moins 2 caractères")
        .assert_contains("Choisissez le type de partenaire dans la liste.");
    // A partner, twice (a double click): once.
    for _ in 0..2 {
        admin
            .submit(
                &committee,
                &format!("{committee}/partenaires"),
                &[("name", "Direction générale de la cohésion sociale"), ("kind", "ministry")],
            )
            .await
            .assert_status(303);
    }
    let page = admin.get(&committee).await;
    page.assert_contains("Ce partenaire figure déjà au comité.").assert_contains("Ministère");
    let partner = page.body.split("name=\"partner_id\"").nth(1).unwrap().split("value=\"").nth(1).unwrap();
    let partner = partner[..partner.find('"').unwrap()].to_owned();
    admin
        .submit(
            &committee,
            &format!("{committee}/membres"),
            &[("partner_id", &partner), ("display_name", "Nadia Cherif")],
        )
        .await
        .assert_status(422)
        .assert_contains("L’adresse électronique est obligatoire");
    let member = [
        ("partner_id", partner.as_str()),
        ("display_name", "Nadia Cherif"),
        ("function", "Cheffe du bureau de l’inclusion"),
        ("email", PARTNER),
    ];
    for _ in 0..2 {
        admin.submit(&committee, &format!("{committee}/membres"), &member).await.assert_status(303);
    }
    assert_eq!(with_conn(&app, |conn| steering_members::table.count().get_result::<i64>(conn).unwrap()), 1);
    assert_eq!(app.emails_to(PARTNER).len(), 1, "one invitation to an account");
    // A meeting planned: the member is invited, the agenda file joined; confirmed again unchanged, not twice.
    let page = admin
        .submit(
            &format!("/projets/{project}/evenements/nouveau"),
            &format!("/projets/{project}/evenements"),
            &[
                ("kind", "steering_committee"),
                ("title", "Comité de pilotage de lancement"),
                ("starts_at", "2027-03-02T10:00"),
                ("ends_at", "2027-03-02T12:00"),
                ("place", "ANCT, Paris"),
            ],
        )
        .await;
    page.assert_status(303);
    let event = page.location.clone().unwrap();
    assert_eq!(invitations_to(&app, PARTNER).len(), 1);
    let meeting = [
        ("title", "Comité de pilotage de lancement"),
        ("starts_at", "2027-03-02T10:00"),
        ("ends_at", "2027-03-02T12:00"),
        ("place", "ANCT, Paris"),
    ];
    admin.submit(&format!("{event}/modifier"), &event, &meeting).await.assert_status(303);
    assert_eq!(invitations_to(&app, PARTNER).len(), 1);
    // Moved: invited again.
    let moved = [("starts_at", "2027-03-09T10:00"), ("ends_at", "2027-03-09T12:00")];
    let moved: Vec<(&str, &str)> =
        meeting.iter().map(|(k, v)| (*k, moved.iter().find(|(m, _)| m == k).map_or(*v, |(_, v)| *v))).collect();
    admin.submit(&format!("{event}/modifier"), &event, &moved).await.assert_status(303);
    let invitations = invitations_to(&app, PARTNER);
    assert_eq!(invitations.len(), 2);
    assert!(invitations[1].contains("09/03/2027"), "{invitations:?}");
    // The invitation creates the account, which lands on the committee's page.
    let link = app.emails_to(PARTNER)[0].link_containing("/invitation/");
    let nadia = app.client();
    let password = "une phrase assez longue";
    nadia
        .submit(
            &link,
            &link,
            &[("display_name", "Nadia Cherif"), ("password", password), ("password_confirmation", password)],
        )
        .await
        .assert_redirect(&committee);
    // She reads the working space…
    nadia
        .get(&committee)
        .await
        .assert_status(200)
        .assert_contains("sans pouvoir y écrire")
        .assert_lacks("Ajouter un membre");
    nadia
        .get(&format!("/projets/{project}"))
        .await
        .assert_contains("Vous siégez au")
        .assert_contains("Note réservée aux participantes");
    nadia
        .get(&event)
        .await
        .assert_status(200)
        .assert_lacks("Ajuster et confirmer")
        .assert_lacks("Modifier le rendez-vous");
    nadia.get(&format!("/projets/{project}/diagnostic")).await.assert_status(200);
    nadia.get(&format!("/projets/{project}/diagnostic/{chatellerault}")).await.assert_status(200);
    // … and acts in nothing.
    type Refused<'a> = (&'a str, String, Vec<(&'a str, &'a str)>);
    let refused: [Refused; 6] = [
        (
            "news",
            format!("/projets/{project}/actualites"),
            vec![("title", "Une note"), ("body", "Un texte assez long."), ("visibility", "public")],
        ),
        ("event", format!("/projets/{project}/evenements"), vec![("kind", "meeting"), ("title", "Réunion")]),
        ("event change", event.clone(), meeting.to_vec()),
        ("partner", format!("{committee}/partenaires"), vec![("name", "Un réseau"), ("kind", "network")]),
        (
            "member",
            format!("{committee}/membres"),
            vec![("partner_id", &partner), ("display_name", "X Y"), ("email", "x@exemple.fr")],
        ),
        (
            "diagnostic",
            format!("/projets/{project}/diagnostic/{chatellerault}/fiches"),
            vec![
                ("kind", "acteur"),
                ("name", "Centre social"),
                ("category", "equipements_publics"),
                ("domain", "citizen"),
            ],
        ),
    ];
    for (what, action, fields) in &refused {
        let page = nadia.submit(&committee, action, fields).await;
        assert!(matches!(page.status, 403 | 404), "{what}: {} {}", page.status, page.body);
    }
    assert_eq!(invitations_to(&app, PARTNER).len(), 2, "nothing was planned or moved");
    // Removed from the committee: she reads nothing more.
    let member_id: i64 =
        with_conn(&app, |conn| steering_members::table.select(steering_members::id).first(conn).unwrap());
    admin.submit(&committee, &format!("{committee}/membres/{member_id}/retrait"), &[]).await.assert_status(303);
    nadia.get(&committee).await.assert_status(403);
    nadia
        .get(&format!("/projets/{project}"))
        .await
        .assert_lacks("Note réservée aux participantes")
        .assert_lacks("Vous siégez au");
    nadia.get(&event).await.assert_status(403);
}

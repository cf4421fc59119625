//! Newsletters: the agency writes one in rubrics, previews it, sends itself a test, then sends it once — two
//! people pressing "send" at once included — to the audience chosen, through a real SMTP server; sent, it joins
//! the project's public archive and can no longer change.

use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use encommun::domain::account::Function;
use encommun::domain::digest::Frequency;
use encommun::domain::project::EnrolmentRole;
use encommun::domain::territory::TerritoryKind;
use encommun::jobs::outbox::OutboxWorker;
use encommun::storage::collectivities::upsert_membership;
use encommun::storage::outbox::OutboxMessage;
use encommun::storage::projects::enrolments_of_project;
use encommun::storage::schema::{newsletters, outbox_messages};
use encommun::storage::subscriptions::{
    confirm, request_subscription, set_frequency, subscriber_of_user, subscriptions_of_user, Request, Target,
};
use encommun::storage::users::{insert_user, NewUser};

use crate::fixtures::{self, logged_in};
use crate::helpers::{with_conn, TestApp};
use crate::on_both_backends;
use crate::outbox::{headers, SmtpSink};

on_both_backends!(the_agency_writes_tests_and_sends_a_newsletter_once_to_the_audience_it_chose);

const ADMIN: &str = "agence@exemple.fr";
const REFERENT: &str = "referente@agglopolys.exemple.fr";

fn newsletter_messages(app: &TestApp) -> Vec<OutboxMessage> {
    with_conn(app, |conn| {
        outbox_messages::table
            .filter(outbox_messages::kind.eq("newsletter"))
            .order(outbox_messages::id.asc())
            .load(conn)
            .unwrap()
    })
}

async fn the_agency_writes_tests_and_sends_a_newsletter_once_to_the_audience_it_chose(app: TestApp) {
    let Some(smtp) = SmtpSink::start() else { return };
    // A project in enrolment: Agglopolys (its referent) takes part, Colmar observes.
    let project = with_conn(&app, |conn| {
        fixtures::territories(conn);
        let admin = fixtures::agency_admin(conn, ADMIN, "Claire Dubois");
        let agglopolys = fixtures::collectivity(conn, TerritoryKind::Epci, "200030385");
        agglopolys.referent(conn, REFERENT, "Sophie Martin");
        let colmar = fixtures::collectivity(conn, TerritoryKind::Epci, "246800726");
        fixtures::project(conn, &admin).participant(&agglopolys).observer(&colmar).create()
    });
    // Besides the referent of Agglopolys (participant): a member of Colmar (observer), a member of Agglopolys who
    // turned the project's e-mails off, and an address following the project, confirmed.
    with_conn(&app, |conn| {
        let enrolments = enrolments_of_project(conn, project.id).unwrap();
        let collectivity_of = |role: EnrolmentRole| {
            enrolments.iter().find(|(e, _)| e.role() == role).map(|(e, _)| e.collectivity_id).unwrap()
        };
        let observer = insert_user(conn, &NewUser::new("observatrice@colmar.fr", "Observatrice", "-")).unwrap();
        upsert_membership(conn, observer, collectivity_of(EnrolmentRole::Observer), Function::Agent, false).unwrap();
        let quiet = insert_user(conn, &NewUser::new("discret@agglopolys.fr", "Discret", "-")).unwrap();
        upsert_membership(conn, quiet, collectivity_of(EnrolmentRole::Participant), Function::Agent, false).unwrap();
        let subscription = subscriptions_of_user(conn, quiet).unwrap().remove(0).0.id;
        let subscriber = subscriber_of_user(conn, quiet).unwrap();
        assert!(set_frequency(conn, subscription, subscriber, Frequency::Off, 1).unwrap());
        let Request::Pending(follower) =
            request_subscription(conn, "curieuse@exemple.fr", Target::Project(project.id)).unwrap()
        else {
            panic!("a new address waits for its confirmation")
        };
        assert!(confirm(conn, follower).unwrap());
    });
    let letters = format!("/projets/{}/lettres", project.id);
    let admin = logged_in(&app, ADMIN).await;
    admin.get(&format!("/projets/{}", project.id)).await.assert_contains(&letters);
    let new = format!("{letters}/nouvelle");
    admin.get(&new).await.assert_status(200).assert_contains("Nouvelles des territoires");
    // Nothing written, each field says why.
    admin
        .submit(&new, &letters, &[("title", " "), ("edito", " ")])
        .await
        .assert_status(422)
        .assert_contains("Donnez un titre à la lettre.")
        .assert_contains("Écrivez au moins une rubrique")
        .assert_contains("Choisissez à qui envoyer la lettre.");
    let count = |app: &TestApp| {
        with_conn(app, |conn| {
            newsletters::table.filter(newsletters::project_id.eq(project.id)).count().get_result::<i64>(conn).unwrap()
        })
    };
    assert_eq!(count(&app), 0);
    let fields = [
        ("title", "Lettre n° 1"),
        ("edito", "Bonjour à toutes et à tous."),
        ("territories", "**Blois** lance son enquête."),
        ("to_participants", "on"),
        ("to_followers", "on"),
    ];
    let created = admin.submit(&new, &letters, &fields).await;
    created.assert_status(303);
    let letter = created.location.clone().unwrap();
    assert!(letter.starts_with(&format!("{letters}/")));
    // The preview: rubrics written, in order, and who it will reach today — not the observer, not the one who
    // turned e-mails off.
    admin
        .get(&letter)
        .await
        .assert_contains("Brouillon")
        .assert_contains("<h2>Édito</h2>")
        .assert_contains("<strong>Blois</strong>")
        .assert_lacks("En théorie")
        .assert_contains("Envoyer à 2 personnes");
    let visitor = app.client();
    visitor.get(&letter).await.assert_status(404);
    visitor.get(&letters).await.assert_status(200).assert_lacks("Lettre n° 1");
    let referent = logged_in(&app, REFERENT).await;
    referent.submit(&letters, &format!("{letter}/envoi"), &[("confirm", "oui")]).await.assert_status(403);
    // Sending asks to tick the confirmation.
    admin
        .submit(&letter, &format!("{letter}/envoi"), &[])
        .await
        .assert_status(400)
        .assert_contains("Cochez la case qui confirme l’envoi");

    // A test to oneself, once per version of the draft.
    let test = format!("{letter}/essai");
    admin.submit(&letter, &test, &[]).await.assert_redirect(&letter);
    admin.get(&letter).await.assert_contains(&format!("Essai envoyé à {ADMIN}"));
    admin.submit(&letter, &test, &[]).await.assert_redirect(&letter);
    admin.get(&letter).await.assert_contains("Un essai de cette version est déjà parti");
    let edited = [
        ("edito", "Bonjour à toutes et à tous, voici notre première lettre."),
        ("to_participants", "on"),
        ("to_followers", "on"),
    ];
    let mut edited_fields = vec![("title", "Lettre n° 1")];
    edited_fields.extend(edited);
    edited_fields.push(("territories", "**Blois** lance son enquête."));
    admin.submit(&format!("{letter}/modifier"), &letter, &edited_fields).await.assert_redirect(&letter);
    admin.submit(&letter, &test, &[]).await.assert_redirect(&letter);
    let tests = newsletter_messages(&app);
    assert_eq!(tests.len(), 2, "one test per version");
    assert!(tests.iter().all(|m| m.recipient == ADMIN && m.subject.starts_with("[Essai] Lettre n° 1")));
    assert!(tests[1].text_body.contains("voici notre première lettre"));

    // Two people press "send" at the same moment: it goes once.
    let second = logged_in(&app, ADMIN).await;
    let send = format!("{letter}/envoi");
    let (token_1, token_2) = (admin.get(&letter).await.csrf_token(), second.get(&letter).await.csrf_token());
    let fields_1 = [("csrf_token", token_1.as_str()), ("confirm", "oui")];
    let fields_2 = [("csrf_token", token_2.as_str()), ("confirm", "oui")];
    let (r1, r2) = tokio::join!(admin.post(&send, &fields_1), second.post(&send, &fields_2));
    let mut statuses = [r1.status, r2.status];
    statuses.sort();
    assert_eq!(statuses, [303, 410]);
    let sent: Vec<OutboxMessage> = newsletter_messages(&app).into_iter().skip(2).collect();
    let mut recipients: Vec<&str> = sent.iter().map(|m| m.recipient.as_str()).collect();
    recipients.sort();
    assert_eq!(recipients, ["curieuse@exemple.fr", REFERENT]);
    assert!(sent
        .iter()
        .all(|m| m.subject == format!("Lettre n° 1 — {}", project.title) && m.unsubscribe_url.is_some()));

    // Through a real SMTP server: both tests and both letters, with the one-click unsubscribe headers.
    assert_eq!(OutboxWorker::new(app.pool.clone(), smtp.mailer()).run_once().await.unwrap(), 4);
    let received = smtp.received();
    let letter_to_follower = received.iter().find(|raw| headers(raw)["to"].contains("curieuse@exemple.fr")).unwrap();
    let head = headers(letter_to_follower);
    assert_eq!(head["list-unsubscribe-post"], "List-Unsubscribe=One-Click");
    assert!(letter_to_follower.contains("Content-Type: text/html"));

    // Sent, it is public and archived as it went.
    visitor.get(&letters).await.assert_contains("Lettre n° 1").assert_contains("parue le");
    visitor
        .get(&letter)
        .await
        .assert_status(200)
        .assert_contains("voici notre première lettre")
        .assert_lacks("Brouillon");
    admin.submit(&letters, &letter, &edited_fields).await.assert_status(410);
    admin.get(&format!("{letter}/modifier")).await.assert_status(410);
    visitor.get(&format!("/projets/{}", project.id)).await.assert_contains("La lettre « Lettre n° 1 »");
}

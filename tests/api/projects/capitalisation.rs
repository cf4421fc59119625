//! Capitalisation, as `web::projects::capitalisation`: a lesson read by the participants, then the observers, then
//! everyone, each widening dated and told in the right digests, never narrowed; recommendations moving from proposed
//! to transmitted to answered with their dates; the national deliverable assembled, previewed by the leads only,
//! refused while incomplete, published — its lessons public, its followers told.

use diesel::prelude::*;
use encommun::domain::digest::Frequency;
use encommun::domain::project::Phase;
use encommun::domain::territory::TerritoryKind;
use encommun::jobs::digests::{queue_due_digests, Links};
use encommun::storage::schema::{lesson_audiences, outbox_messages, recommendations};

use crate::fixtures::{self, logged_in};
use crate::helpers::{with_conn, Client, TestApp, SESSION_KEY};
use crate::on_both_backends;

const ADMIN: &str = "agence@exemple.fr";
const MEMBER: &str = "membre@grand-chatellerault.exemple.fr";
const PROVIDER: &str = "prestataire@exemple.fr";
const OBSERVER: &str = "observatrice@angouleme.exemple.fr";
const FOLLOWER: &str = "curieuse@exemple.fr";

const LESSON: &str = "Aller vers les habitants coûte moins que le non-recours";
const LESSON_BODY: &str = "Chiffrer ce que coûte le non-recours a convaincu deux conseils communautaires.";

struct World {
    project: i64,
    chatellerault: i64,
}

fn world(app: &TestApp) -> World {
    with_conn(app, |conn| {
        fixtures::territories(conn);
        let admin = fixtures::agency_admin(conn, ADMIN, "Claire Agence");
        let chatellerault = fixtures::collectivity(conn, TerritoryKind::Epci, "248600413");
        chatellerault.member(conn, MEMBER, "Marie Membre");
        let angouleme = fixtures::collectivity(conn, TerritoryKind::Epci, "200071827");
        angouleme.member(conn, OBSERVER, "Odile Observatrice");
        let provider = fixtures::provider(conn, "Coopérative des ateliers");
        provider.member(conn, PROVIDER, "Amandine Prestataire");
        let project = fixtures::project(conn, &admin)
            .participant(&chatellerault)
            .observer(&angouleme)
            .provider(&provider)
            .phase(Phase::Adoption)
            .create();
        fixtures::adopted_plan(conn, project.id, &chatellerault, &admin);
        // Everyone follows the project at each news: the observer, a member, someone from outside.
        let follower = fixtures::account(conn, FOLLOWER, "Camille Curieuse");
        use encommun::storage::subscriptions::{self as subs, Target};
        for user in [follower.id, find(conn, OBSERVER), find(conn, MEMBER)] {
            subs::subscribe_user(conn, user, Target::Project(project.id)).unwrap();
            let subscriber = subs::subscriber_of_user(conn, user).unwrap();
            for (subscription, _) in subs::subscriptions_of_user(conn, user).unwrap() {
                subs::set_frequency(conn, subscription.id, subscriber, Frequency::Immediate, 1).unwrap();
            }
        }
        subs::catch_up_all(conn).unwrap();
        World { project: project.id, chatellerault: chatellerault.id }
    })
}

fn find(conn: &mut encommun::storage::DbConnection, email: &str) -> i64 {
    encommun::storage::users::find_user_by_email(conn, email).unwrap().unwrap().id
}

/// The digests queued now, as (recipient, text), after those before.
fn digests(app: &TestApp) -> Vec<(String, String)> {
    let key = {
        let session = encommun::security::hex_decode(SESSION_KEY).unwrap();
        encommun::startup::link_key(&actix_web::cookie::Key::from(&session))
    };
    let links = Links { base_url: &app.address, key: &key, send_hour: 8 };
    let later = encommun::storage::now() + chrono::TimeDelta::minutes(5);
    with_conn(app, |conn| {
        queue_due_digests(conn, later, &links).unwrap();
        outbox_messages::table
            .filter(outbox_messages::kind.eq("digest"))
            .order(outbox_messages::id)
            .select((outbox_messages::recipient, outbox_messages::text_body))
            .load(conn)
            .unwrap()
    })
}

fn told(digests: &[(String, String)], to: &str, text: &str) -> bool {
    digests.iter().any(|(recipient, body)| recipient == to && body.contains(text))
}

on_both_backends!(
    a_lesson_widens_from_participants_to_observers_to_everyone,
    a_recommendation_moves_on_with_its_dates,
    the_national_deliverable_is_assembled_previewed_and_published,
);

async fn a_lesson_widens_from_participants_to_observers_to_everyone(app: TestApp) {
    let w = world(&app);
    let lessons = format!("/projets/{}/enseignements", w.project);
    let provider = logged_in(&app, PROVIDER).await;
    provider
        .submit(&lessons, &lessons, &[("title", "Ah"), ("body", "court"), ("phase", "ailleurs"), ("theme", "")])
        .await
        .assert_status(422)
        .assert_contains("Le titre demande au moins 3 caractères")
        .assert_contains("Choisissez l’étape");
    provider
        .submit(&lessons, &lessons, &[("title", LESSON), ("body", LESSON_BODY), ("phase", "co_design"), ("theme", "")])
        .await
        .assert_status(303);
    let lesson: i64 = with_conn(&app, |conn| {
        encommun::storage::schema::lessons::table.select(encommun::storage::schema::lessons::id).first(conn).unwrap()
    });
    let (member, observer, visitor) =
        (logged_in(&app, MEMBER).await, logged_in(&app, OBSERVER).await, Client::new(&app.address));
    // (who, reads it while shared with the participants, with the observers, with everyone)
    let readers = [(&member, [true, true, true]), (&observer, [false, true, true]), (&visitor, [false, false, true])];
    let audience = format!("{lessons}/{lesson}/audience");
    for (step, widen_to) in [(0, None), (1, Some("observers")), (2, Some("public"))] {
        if let Some(to) = widen_to {
            provider.submit(&lessons, &audience, &[("audience", to)]).await.assert_status(303);
            // A double click changes nothing, and the audience never narrows.
            provider.submit(&lessons, &audience, &[("audience", to)]).await.assert_status(303);
            provider.submit(&lessons, &audience, &[("audience", "participants")]).await.assert_status(400);
        }
        for (i, (client, reads)) in readers.iter().enumerate() {
            let page = client.get(&lessons).await;
            page.assert_status(200);
            assert_eq!(page.body.contains(LESSON_BODY), reads[step], "reader {i} at step {step}");
        }
        let news = digests(&app);
        match step {
            1 => {
                assert!(told(&news, OBSERVER, "partagé avec les collectivités observatrices"), "{news:?}");
                assert!(!told(&news, FOLLOWER, LESSON), "a public follower is not told of what observers read");
            }
            2 => assert!(told(&news, FOLLOWER, "rendu public"), "{news:?}"),
            _ => assert!(!news.iter().any(|(_, body)| body.contains(LESSON)), "{news:?}"),
        }
    }
    let widenings: Vec<String> = with_conn(&app, |conn| {
        lesson_audiences::table
            .filter(lesson_audiences::lesson_id.eq(lesson))
            .order(lesson_audiences::widened_at.asc())
            .select(lesson_audiences::audience)
            .load(conn)
            .unwrap()
    });
    assert_eq!(widenings, ["participants", "observers", "public"], "each widening dated once");
    visitor
        .get(&lessons)
        .await
        .assert_contains("Partagé avec les participants du projet le ")
        .assert_contains(", puis avec tout le monde le ");
    // A participant may read, not widen nor write.
    let token = member.get(&lessons).await.csrf_token();
    member.post(&audience, &[("csrf_token", token.as_str()), ("audience", "public")]).await.assert_status(403);
    // Corrected, it shows at once.
    provider
        .submit(
            &format!("{lessons}/{lesson}"),
            &format!("{lessons}/{lesson}"),
            &[
                ("title", LESSON),
                ("body", "Un texte corrigé de l’enseignement."),
                ("phase", "co_design"),
                ("theme", ""),
            ],
        )
        .await
        .assert_status(303);
    visitor.get(&lessons).await.assert_contains("Un texte corrigé de l’enseignement.");
}

async fn a_recommendation_moves_on_with_its_dates(app: TestApp) {
    let w = world(&app);
    let page = format!("/projets/{}/recommandations", w.project);
    let provider = logged_in(&app, PROVIDER).await;
    provider
        .submit(
            &page,
            &page,
            &[("title", "Un fonds pour l’aller-vers"), ("body", "court"), ("addressee", ""), ("addressee_kind", "")],
        )
        .await
        .assert_status(422)
        .assert_contains("Choisissez le type de destinataire");
    provider
        .submit(
            &page,
            &page,
            &[
                ("title", "Un fonds pour l’aller-vers"),
                ("body", "Financer des permanences itinérantes dans les bourgs sans services publics."),
                ("addressee", "Ministère de l’Aménagement du territoire"),
                ("addressee_kind", "ministry"),
            ],
        )
        .await
        .assert_status(303);
    let id: i64 = with_conn(&app, |conn| recommendations::table.select(recommendations::id).first(conn).unwrap());
    let status = format!("{page}/{id}/statut");
    // The provider proposes; the agency notes what happens next.
    let token = provider.get(&page).await.csrf_token();
    provider.post(&status, &[("csrf_token", token.as_str()), ("status", "transmitted")]).await.assert_status(403);
    let admin = logged_in(&app, ADMIN).await;
    admin.submit(&page, &status, &[("status", "answered"), ("answer", "Trop tôt.")]).await.assert_status(422);
    admin.submit(&page, &status, &[("status", "transmitted")]).await.assert_status(303);
    admin.submit(&page, &status, &[("status", "transmitted")]).await.assert_status(303);
    admin
        .submit(&page, &status, &[("status", "answered"), ("answer", "")])
        .await
        .assert_status(422)
        .assert_contains("La réponse reçue est obligatoire");
    admin
        .submit(&page, &status, &[("status", "answered"), ("answer", "La DGCL étudiera la mesure au prochain budget.")])
        .await
        .assert_status(303);
    let (state, transmitted, answered): (String, Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>) =
        with_conn(&app, |conn| {
            recommendations::table
                .find(id)
                .select((recommendations::status, recommendations::transmitted_at, recommendations::answered_at))
                .first(conn)
                .unwrap()
        });
    assert_eq!(state, "answered");
    assert!(transmitted.is_some() && answered.is_some() && transmitted <= answered);
    logged_in(&app, MEMBER)
        .await
        .get(&page)
        .await
        .assert_contains("Réponse reçue le ")
        .assert_contains("La DGCL étudiera la mesure");
    // The recommendations are the community's until the deliverable publishes them.
    logged_in(&app, OBSERVER).await.get(&page).await.assert_status(403);
    let news = digests(&app);
    assert!(told(&news, MEMBER, "a répondu à la recommandation"), "{news:?}");
    assert!(!told(&news, OBSERVER, "recommandation") && !told(&news, FOLLOWER, "recommandation"), "{news:?}");
}

async fn the_national_deliverable_is_assembled_previewed_and_published(app: TestApp) {
    let w = world(&app);
    let provider = logged_in(&app, PROVIDER).await;
    let lessons = format!("/projets/{}/enseignements", w.project);
    provider
        .submit(&lessons, &lessons, &[("title", LESSON), ("body", LESSON_BODY), ("phase", "diagnostic"), ("theme", "")])
        .await
        .assert_status(303);
    let recommendations_page = format!("/projets/{}/recommandations", w.project);
    provider
        .submit(
            &recommendations_page,
            &recommendations_page,
            &[
                ("title", "Un fonds pour l’aller-vers"),
                ("body", "Financer des permanences itinérantes dans les bourgs."),
                ("addressee", "Intercommunalités de France"),
                ("addressee_kind", "elected_officials"),
            ],
        )
        .await
        .assert_status(303);
    let (lesson, recommendation): (i64, i64) = with_conn(&app, |conn| {
        use encommun::storage::schema::lessons;
        (
            lessons::table.select(lessons::id).first(conn).unwrap(),
            recommendations::table.select(recommendations::id).first(conn).unwrap(),
        )
    });
    let deliverable = format!("/projets/{}/livrable", w.project);
    let edition = format!("{deliverable}/edition");
    // Only the agency edits it.
    provider.get(&edition).await.assert_status(403);
    let admin = logged_in(&app, ADMIN).await;
    let (lesson, recommendation, plan) = (lesson.to_string(), recommendation.to_string(), w.chatellerault.to_string());
    let fields = |introduction: &'static str, revision: &'static str| {
        vec![
            ("title", "Ce que les territoires nous apprennent de l’accès aux droits"),
            ("introduction", introduction),
            ("conclusion", "La suite se joue dans les budgets."),
            ("lesson", lesson.as_str()),
            ("recommendation", recommendation.as_str()),
            ("plan", plan.as_str()),
            ("revision", revision),
        ]
    };
    admin.submit(&edition, &edition, &fields("", "1")).await.assert_status(303);
    // Incomplete, it is not published, and says why.
    admin
        .submit(&edition, &format!("{deliverable}/publication"), &[])
        .await
        .assert_status(422)
        .assert_contains("l’introduction");
    admin.submit(&edition, &edition, &fields("Deux territoires, un an de travail.", "2")).await.assert_status(303);
    // A save from an older revision shows the other version.
    admin
        .submit(&edition, &edition, &fields("Une autre introduction.", "2"))
        .await
        .assert_status(422)
        .assert_contains("Quelqu’un a enregistré");
    // A preview for the leads; nothing for anyone else.
    provider.get(&deliverable).await.assert_status(200).assert_contains("Aperçu").assert_contains(LESSON_BODY);
    let visitor = Client::new(&app.address);
    visitor.get(&deliverable).await.assert_status(404);
    logged_in(&app, MEMBER).await.get(&deliverable).await.assert_status(404);
    admin.submit(&edition, &format!("{deliverable}/publication"), &[]).await.assert_status(303);
    admin.submit(&edition, &format!("{deliverable}/publication"), &[]).await.assert_status(303);
    let public = visitor.get(&deliverable).await;
    public
        .assert_status(200)
        .assert_contains("Sommaire")
        .assert_contains("href=\"#enseignement-")
        .assert_contains(LESSON_BODY)
        .assert_contains("Intercommunalités de France")
        .assert_contains("Plan d’action de CA Grand Châtellerault")
        .assert_contains("Une permanence au marché")
        .assert_contains("La suite se joue dans les budgets.")
        .assert_lacks("Aperçu");
    // Its lesson is public now, dated; its followers, observers first, are told.
    visitor.get(&lessons).await.assert_contains(LESSON_BODY);
    let public_since: i64 = with_conn(&app, |conn| {
        lesson_audiences::table.filter(lesson_audiences::audience.eq("public")).count().get_result(conn).unwrap()
    });
    assert_eq!(public_since, 1);
    let news = digests(&app);
    for who in [OBSERVER, FOLLOWER, MEMBER] {
        assert!(told(&news, who, "livrable national du projet est publié"), "{who}: {news:?}");
    }
    visitor.get(&format!("/projets/{}", w.project)).await.assert_contains("Le livrable national");
}

//! The learning community, as `web::projects::community`: delegations formed and invited; a peer group's threads
//! read by its members (titular or substitute) and designated facilitators only — a table of every role of the
//! matrix and of « another category », « the same category in another project », « an observer », « a
//! substitute » over its pages, the project's pages, the digests and the notices (through a real SMTP server);
//! replies racing without a lost message and a double click writing once; edits within the delay only, hidden
//! messages; conclusions taken to the agora; a supervision session's notes for those who attended only.

use diesel::prelude::*;
use encommun::domain::community::{NewDelegate, Seat};
use encommun::domain::digest::Frequency;
use encommun::domain::project::Phase;
use encommun::domain::territory::TerritoryKind;
use encommun::jobs::digests::Links;
use encommun::jobs::exchanges::queue_due_notices;
use encommun::jobs::outbox::OutboxWorker;
use encommun::storage::delegations::{self as store, AddOutcome};
use encommun::storage::schema::{outbox_messages, thread_messages, threads};
use encommun::storage::write_transaction;

use crate::fixtures::{self, logged_in, Account};
use crate::helpers::{with_conn, Client, TestApp, SESSION_KEY};
use crate::on_both_backends;
use crate::outbox::{headers, SmtpSink};

const ADMIN: &str = "agence@exemple.fr";
const REFERENT: &str = "referent@grand-chatellerault.exemple.fr";
const MEMBER: &str = "membre@grand-chatellerault.exemple.fr";
const OTHER_COLLECTIVITY: &str = "elu@grand-cahors.exemple.fr";
const PROVIDER: &str = "prestataire@exemple.fr";
const FACILITATOR: &str = "animatrice@exemple.fr";
const OBSERVER: &str = "observatrice@angouleme.exemple.fr";
/// Élus: Grand Châtellerault's titular (the delegation's referent), Agglopolys's titular and substitute.
const ELU: &str = "elue@grand-chatellerault.exemple.fr";
const ELU_BLOIS: &str = "elu@agglopolys.exemple.fr";
const SUBSTITUTE: &str = "suppleante@agglopolys.exemple.fr";
/// Grand Châtellerault's agent: another category.
const AGENT: &str = "agent@grand-chatellerault.exemple.fr";
/// An élue of another project: the same category elsewhere.
const ELSEWHERE: &str = "elue@autre-projet.exemple.fr";

/// What the élus write among themselves.
const SECRET_TITLE: &str = "Nos difficultés avec le préfet";
const SECRET: &str = "Entre nous : la majorité municipale se divise sur le budget participatif.";
const SECRET_REPLY: &str = "Même chose chez nous, le premier adjoint freine tout.";

struct World {
    project: i64,
    chatellerault: i64,
    agglopolys: i64,
    elus: i64,
    agents: i64,
    admin: Account,
}

/// Seats a new account in a delegation, its account linked as an accepted invitation would.
fn seat(
    conn: &mut encommun::storage::DbConnection,
    (project, collectivity, group): (i64, i64, i64),
    (email, name): (&str, &str),
    seat: Seat,
    referent: bool,
    by: i64,
) -> Account {
    let account = fixtures::account(conn, email, name);
    let delegate = NewDelegate {
        display_name: name.into(),
        peer_group_id: group,
        function: String::new(),
        seat,
        is_referent: referent,
        email: None,
    };
    write_transaction(conn, |conn| {
        let AddOutcome::Added(id) = store::add_delegate(conn, project, collectivity, &delegate, by)? else {
            panic!("seated")
        };
        assert_eq!(store::link_account(conn, id, account.id)?, store::LinkOutcome::Linked);
        Ok::<_, diesel::result::Error>(())
    })
    .unwrap();
    account
}

fn world(app: &TestApp) -> World {
    with_conn(app, |conn| {
        fixtures::territories(conn);
        let admin = fixtures::agency_admin(conn, ADMIN, "Claire Agence");
        let chatellerault = fixtures::collectivity(conn, TerritoryKind::Epci, "248600413");
        chatellerault.referent(conn, REFERENT, "Karim Référent");
        chatellerault.member(conn, MEMBER, "Marie Membre");
        let agglopolys = fixtures::collectivity(conn, TerritoryKind::Epci, "200030385");
        fixtures::collectivity(conn, TerritoryKind::Epci, "200023737").member(conn, OTHER_COLLECTIVITY, "Jean Lacombe");
        let angouleme = fixtures::collectivity(conn, TerritoryKind::Epci, "200071827");
        angouleme.member(conn, OBSERVER, "Odile Observatrice");
        let provider = fixtures::provider(conn, "Coopérative des ateliers");
        provider.member(conn, PROVIDER, "Amandine Prestataire");
        let facilitator = provider.member(conn, FACILITATOR, "Fanny Animatrice");
        let project = fixtures::project(conn, &admin)
            .participant(&chatellerault)
            .participant(&agglopolys)
            .observer(&angouleme)
            .provider(&provider)
            .phase(Phase::CoDesign)
            .create();
        let other = fixtures::project(conn, &admin).title("Un autre projet").participant(&chatellerault).create();
        let groups = store::peer_groups_of_project(conn, project.id).unwrap();
        assert_eq!(
            groups.iter().map(|g| g.label.as_str()).collect::<Vec<_>>(),
            ["Élus", "Agents des collectivités", "Opérateurs socio-économiques", "Agents de l’État"],
            "the default categories"
        );
        let (elus, agents) = (groups[0].id, groups[1].id);
        let here = |collectivity: i64, group: i64| (project.id, collectivity, group);
        seat(conn, here(chatellerault.id, elus), (ELU, "Élise Élue"), Seat::Titular, true, admin.id);
        seat(conn, here(agglopolys.id, elus), (ELU_BLOIS, "Bruno Blésois"), Seat::Titular, false, admin.id);
        seat(conn, here(agglopolys.id, elus), (SUBSTITUTE, "Sabine Suppléante"), Seat::Substitute, false, admin.id);
        seat(conn, here(chatellerault.id, agents), (AGENT, "Arthur Agent"), Seat::Titular, false, admin.id);
        let other_elus = store::peer_groups_of_project(conn, other.id).unwrap()[0].id;
        seat(
            conn,
            (other.id, chatellerault.id, other_elus),
            (ELSEWHERE, "Estelle Ailleurs"),
            Seat::Titular,
            false,
            admin.id,
        );
        write_transaction(conn, |conn| store::designate(conn, &groups[0], facilitator.id, admin.id)).unwrap();
        World { project: project.id, chatellerault: chatellerault.id, agglopolys: agglopolys.id, elus, agents, admin }
    })
}

fn link_key() -> Vec<u8> {
    let session = encommun::security::hex_decode(SESSION_KEY).unwrap();
    encommun::startup::link_key(&actix_web::cookie::Key::from(&session))
}

/// The élue opens a thread in the élus' group and the substitute replies; returns the thread and the reply's page.
async fn elus_write(app: &TestApp, w: &World) -> (String, String) {
    let group = format!("/projets/{}/pairs/{}", w.project, w.elus);
    let elue = logged_in(app, ELU).await;
    let opened = open_thread(&elue, &group, ("obstacle", SECRET_TITLE, SECRET)).await;
    opened.assert_status(303);
    let thread = opened.headers["location"].clone();
    let substitute = logged_in(app, SUBSTITUTE).await;
    let token = encommun::security::random_token();
    let replied = substitute
        .submit(&thread, &format!("{thread}/reponses"), &[("body", SECRET_REPLY), ("submission", token.as_str())])
        .await;
    replied.assert_status(303);
    let reply = with_conn(app, |conn| {
        thread_messages::table
            .filter(thread_messages::body.eq(SECRET_REPLY))
            .select(thread_messages::id)
            .first::<i64>(conn)
            .unwrap()
    });
    (thread, format!("/projets/{}/messages/{reply}", w.project))
}

/// Opens a thread in a space (the forum or a peer group) as a browser would, its form's token fresh.
async fn open_thread(client: &Client, space: &str, (kind, title, body): (&str, &str, &str)) -> crate::helpers::Page {
    let token = encommun::security::random_token();
    client
        .submit(space, space, &[("kind", kind), ("title", title), ("body", body), ("submission", token.as_str())])
        .await
}

on_both_backends!(
    a_peer_group_is_read_by_its_members_and_facilitators_only,
    replies_racing_lose_no_message_and_a_double_click_writes_once,
    the_author_edits_within_the_delay_and_facilitators_hide_with_a_reason,
    conclusions_reach_the_whole_project_at_the_agora,
    a_supervision_sessions_notes_are_for_those_who_attended,
    delegations_are_formed_invited_and_read,
    notices_follow_each_persons_frequency,
);

async fn a_peer_group_is_read_by_its_members_and_facilitators_only(app: TestApp) {
    let w = world(&app);
    let (thread, reply) = elus_write(&app, &w).await;
    let group = format!("/projets/{}/pairs/{}", w.project, w.elus);
    // Pages of the group, and pages of the project that must never carry its content.
    let project_pages = [
        format!("/projets/{}", w.project),
        format!("/projets/{}/communaute", w.project),
        format!("/projets/{}/forum", w.project),
        format!("/projets/{}/agora", w.project),
        format!("/projets/{}/delegations/{}", w.project, w.chatellerault),
        format!("/projets/{}/pairs/{}", w.project, w.agents),
        "/ma-collectivite".to_owned(),
        "/compte".to_owned(),
        "/abonnements".to_owned(),
        // The project's exports, for those who may download them.
        format!("/projets/{}/diagnostic/export.csv", w.project),
        format!("/projets/{}/diagnostic/export.geojson", w.project),
        format!("/projets/{}/croisement/{}/idees.csv", w.project, w.chatellerault),
        format!("/projets/{}/plan/{}/plan.csv", w.project, w.chatellerault),
    ];
    // (who, reads the élus' group)
    let roles: [(&str, Option<&str>, bool); 13] = [
        ("anonymous", None, false),
        ("member of another collectivity", Some(OTHER_COLLECTIVITY), false),
        ("member of the territory", Some(MEMBER), false),
        ("the territory's referent", Some(REFERENT), false),
        ("the provider, not designated", Some(PROVIDER), false),
        ("the agency, not designated", Some(ADMIN), false),
        ("member of another category", Some(AGENT), false),
        ("same category in another project", Some(ELSEWHERE), false),
        ("observer", Some(OBSERVER), false),
        ("substitute", Some(SUBSTITUTE), true),
        ("titular of another territory", Some(ELU_BLOIS), true),
        ("titular and referent", Some(ELU), true),
        ("designated facilitator", Some(FACILITATOR), true),
    ];
    for (role, who, reads) in roles {
        let client = match who {
            Some(email) => logged_in(&app, email).await,
            None => Client::new(&app.address),
        };
        for page in [&group, &thread, &reply] {
            let got = client.get(page).await;
            if reads {
                got.assert_status(200);
                assert!(got.body.contains(SECRET_TITLE), "{role} on {page}: should read the thread");
            } else {
                assert!(matches!(got.status, 302 | 303 | 403 | 404), "{role} on {page}: {}", got.status);
                for secret in [SECRET_TITLE, SECRET, SECRET_REPLY] {
                    assert!(!got.body.contains(secret), "{role} on {page}: leaked");
                }
            }
        }
        for page in &project_pages {
            let body = client.get(page).await.body;
            for secret in [SECRET_TITLE, SECRET, SECRET_REPLY] {
                assert!(!body.contains(secret), "{role} on {page}: the peer group's content leaked");
            }
        }
        // Writing is reading's twin: a reply from outside is refused and writes nothing.
        if let (Some(_), false) = (who, reads) {
            let token = client.csrf().await;
            let refused = client
                .post(
                    &format!("{thread}/reponses"),
                    &[("csrf_token", token.as_str()), ("body", "Je m’invite."), ("submission", "abcdefghijklmnopqrst")],
                )
                .await;
            assert!(matches!(refused.status, 403 | 404), "{role} replied: {}", refused.status);
        }
    }
    let written: i64 = with_conn(&app, |conn| thread_messages::table.count().get_result(conn).unwrap());
    assert_eq!(written, 2, "nothing written from outside");
    // Nothing of the group reaches the activity log.
    let activity: Vec<String> = with_conn(&app, |conn| {
        use encommun::storage::schema::activity_log;
        activity_log::table.select(activity_log::summary).load(conn).unwrap()
    });
    assert!(activity.iter().all(|a| !a.contains(SECRET_TITLE) && !a.contains("pairs")), "{activity:?}");

    // Everyone follows the project at once (digests) and the élus their group (notices): the mailboxes.
    with_conn(&app, |conn| {
        use encommun::storage::subscriptions::{self as subs, Target};
        for email in [REFERENT, MEMBER, PROVIDER, ADMIN, AGENT, OBSERVER, ELU] {
            let user = encommun::storage::users::find_user_by_email(conn, email).unwrap().unwrap();
            subs::subscribe_user(conn, user.id, Target::Project(w.project)).unwrap();
            let subscriber = subs::subscriber_of_user(conn, user.id).unwrap();
            for (subscription, _) in subs::subscriptions_of_user(conn, user.id).unwrap() {
                subs::set_frequency(conn, subscription.id, subscriber, Frequency::Immediate, 1).unwrap();
            }
        }
    });
    let later = (encommun::storage::now() + chrono::TimeDelta::days(1)).date().and_hms_opt(12, 0, 0).unwrap();
    let key = link_key();
    let links = Links { base_url: &app.address, key: &key, send_hour: 8 };
    with_conn(&app, |conn| {
        encommun::jobs::digests::queue_due_digests(conn, later, &links).unwrap();
        // The élues (but not each their own message), the substitute and the facilitator: a day's recap.
        assert_eq!(queue_due_notices(conn, later, &links).unwrap(), 4);
    });
    let Some(smtp) = SmtpSink::start() else { return };
    crate::outbox::drain(&app, OutboxWorker::new(app.pool.clone(), smtp.mailer())).await;
    let received = smtp.received();
    assert!(!received.is_empty());
    for raw in &received {
        for secret in [SECRET_TITLE, SECRET, SECRET_REPLY, "préfet", "budget participatif"] {
            assert!(!raw.contains(secret), "a message leaked the group's content: {}", headers(raw)["to"]);
        }
    }
    let notices: Vec<String> = received
        .iter()
        .filter(|raw| raw.contains("Nouveau message dans votre groupe de pairs."))
        .map(|raw| headers(raw)["to"].to_lowercase())
        .collect();
    for reader in [ELU, ELU_BLOIS, SUBSTITUTE, FACILITATOR] {
        assert_eq!(notices.iter().filter(|to| to.contains(reader)).count(), 1, "{reader} told once: {notices:?}");
    }
    assert_eq!(notices.len(), 4, "{notices:?}");
    let notice = received.iter().find(|raw| raw.contains("Nouveau message dans votre groupe de pairs.")).unwrap();
    assert!(headers(notice)["list-unsubscribe"].contains("/echanges/arret/"), "{:?}", headers(notice));
    assert!(notice.contains(&format!("/projets/{}/pairs/{}", w.project, w.elus)));
}

async fn replies_racing_lose_no_message_and_a_double_click_writes_once(app: TestApp) {
    let w = world(&app);
    let (thread, _) = elus_write(&app, &w).await;
    let elue = logged_in(&app, ELU).await;
    let csrf = elue.get(&thread).await.csrf_token();
    let twice = encommun::security::random_token();
    let mut replies = Vec::new();
    for n in 0..10 {
        let client = app.client();
        client.adopt_cookies(&elue);
        // The last two are one form sent twice: a double click.
        let submission = if n >= 8 { twice.clone() } else { encommun::security::random_token() };
        let (csrf, path) = (csrf.clone(), format!("{thread}/reponses"));
        replies.push(actix_web::rt::spawn(async move {
            let body = format!("Réponse numéro {}", n.min(8));
            client
                .post(
                    &path,
                    &[("csrf_token", csrf.as_str()), ("body", body.as_str()), ("submission", submission.as_str())],
                )
                .await
                .status
        }));
    }
    for reply in replies {
        assert_eq!(reply.await.unwrap(), 303);
    }
    let (rows, counted): (i64, i32) = with_conn(&app, |conn| {
        let thread_id: i64 = thread.rsplit('/').next().unwrap().parse().unwrap();
        (
            thread_messages::table.filter(thread_messages::thread_id.eq(thread_id)).count().get_result(conn).unwrap(),
            threads::table.find(thread_id).select(threads::messages_count).first(conn).unwrap(),
        )
    });
    assert_eq!(rows, 2 + 9, "nine distinct replies, the double click once");
    assert_eq!(counted, 11, "the thread's count follows every message");
    let page = elue.get(&thread).await;
    for n in 0..=8 {
        page.assert_contains(&format!("Réponse numéro {n}"));
    }
    // A new thread sent twice opens once.
    let forum = format!("/projets/{}/forum", w.project);
    let token = encommun::security::random_token();
    let fields = [
        ("kind", "question"),
        ("title", "Qui a une charte de la participation ?"),
        ("body", "Merci !"),
        ("submission", token.as_str()),
    ];
    let first = elue.submit(&forum, &forum, &fields).await;
    let second = elue.submit(&forum, &forum, &fields).await;
    first.assert_status(303);
    assert_eq!(first.headers["location"], second.headers["location"]);
    let opened: i64 = with_conn(&app, |conn| {
        threads::table
            .filter(threads::title.eq("Qui a une charte de la participation ?"))
            .count()
            .get_result(conn)
            .unwrap()
    });
    assert_eq!(opened, 1);
}

async fn the_author_edits_within_the_delay_and_facilitators_hide_with_a_reason(app: TestApp) {
    let w = world(&app);
    let (thread, reply) = elus_write(&app, &w).await;
    let substitute = logged_in(&app, SUBSTITUTE).await;
    substitute
        .submit(&reply, &reply, &[("body", "Même chose chez nous, mais cela s’arrange.")])
        .await
        .assert_status(303);
    substitute.get(&thread).await.assert_contains("cela s’arrange").assert_contains("modifié le");
    // Another reader of the group may not change it.
    let elue = logged_in(&app, ELU).await;
    let token = elue.get(&reply).await.csrf_token();
    elue.post(&reply, &[("csrf_token", token.as_str()), ("body", "Réécrit par une autre.")]).await.assert_status(403);
    // Past the delay, the author is told and nothing changes.
    with_conn(&app, |conn| {
        diesel::update(thread_messages::table.filter(thread_messages::body.like("%cela s’arrange%")))
            .set(thread_messages::created_at.eq(encommun::storage::now() - chrono::TimeDelta::minutes(31)))
            .execute(conn)
            .unwrap();
    });
    substitute.get(&reply).await.assert_contains("est passé");
    let late = substitute.submit(&reply, &reply, &[("body", "Trop tard pour changer.")]).await;
    late.assert_status(422).assert_contains("Le délai de 30 minutes");
    substitute.get(&thread).await.assert_lacks("Trop tard pour changer.");

    // A member of the group may not hide; the facilitator hides with a reason, kept and shown.
    let hide = format!("{reply}/masquage");
    let token = elue.get(&thread).await.csrf_token();
    elue.post(&hide, &[("csrf_token", token.as_str()), ("reason", "Hors sujet")]).await.assert_status(403);
    let facilitator = logged_in(&app, FACILITATOR).await;
    facilitator
        .submit(&reply, &hide, &[("reason", "")])
        .await
        .assert_status(422)
        .assert_contains("La raison est obligatoire");
    facilitator.submit(&reply, &hide, &[("reason", "Propos sur une personne nommée")]).await.assert_status(303);
    facilitator.submit(&reply, &hide, &[("reason", "Une seconde fois")]).await.assert_status(303);
    let page = elue.get(&thread).await;
    page.assert_contains("Message masqué par l’animation").assert_contains("Propos sur une personne nommée");
    page.assert_lacks("cela s’arrange").assert_lacks("Une seconde fois");
    let kept: String = with_conn(&app, |conn| {
        thread_messages::table
            .filter(thread_messages::hidden_reason.eq("Propos sur une personne nommée"))
            .select(thread_messages::body)
            .first(conn)
            .unwrap()
    });
    assert!(kept.contains("cela s’arrange"), "the hidden message is kept");
    // On the forum, the provider moderates; a participant does not.
    let forum = format!("/projets/{}/forum", w.project);
    let opened = open_thread(&elue, &forum, ("experience", "Notre budget participatif", "Voici comment.")).await;
    let forum_thread = opened.headers["location"].clone();
    let message: i64 = with_conn(&app, |conn| {
        thread_messages::table
            .filter(thread_messages::body.eq("Voici comment."))
            .select(thread_messages::id)
            .first(conn)
            .unwrap()
    });
    let forum_message = format!("/projets/{}/messages/{message}", w.project);
    let referent = logged_in(&app, REFERENT).await;
    referent.get(&forum_thread).await.assert_status(200).assert_contains("Voici comment.");
    let token = referent.get(&forum_thread).await.csrf_token();
    referent
        .post(&format!("{forum_message}/masquage"), &[("csrf_token", token.as_str()), ("reason", "Doublon")])
        .await
        .assert_status(403);
    let provider = logged_in(&app, PROVIDER).await;
    provider
        .submit(&forum_message, &format!("{forum_message}/masquage"), &[("reason", "Doublon d’un autre fil")])
        .await
        .assert_status(303);
    referent.get(&forum_thread).await.assert_contains("Doublon d’un autre fil").assert_lacks("Voici comment.");
    // Observers are not of the forum.
    logged_in(&app, OBSERVER).await.get(&forum).await.assert_status(403);
}

async fn conclusions_reach_the_whole_project_at_the_agora(app: TestApp) {
    let w = world(&app);
    let group = format!("/projets/{}/pairs/{}", w.project, w.elus);
    let agora = format!("/projets/{}/agora", w.project);
    const BRINGS: &str = "Nous portons la parole des habitants au conseil.";
    const NEEDS: &str = "Des agents disponibles le soir.";
    let elue = logged_in(&app, ELU).await;
    let conclusions = format!("{group}/conclusions");
    elue.submit(&group, &conclusions, &[("brings", BRINGS), ("needs", ""), ("revision", "1")]).await.assert_status(303);
    // Before the agora, the conclusions are the group's.
    let member = logged_in(&app, MEMBER).await;
    member.get(&agora).await.assert_status(200).assert_lacks(BRINGS).assert_contains("Pas encore partagées");
    // Someone saving from an older revision sees the other version beside theirs.
    let substitute = logged_in(&app, SUBSTITUTE).await;
    substitute
        .submit(&group, &conclusions, &[("brings", "Autre chose."), ("needs", NEEDS), ("revision", "1")])
        .await
        .assert_status(422)
        .assert_contains("Quelqu’un a enregistré")
        .assert_contains(BRINGS)
        .assert_contains("value=\"2\"");
    substitute
        .submit(&group, &conclusions, &[("brings", BRINGS), ("needs", NEEDS), ("revision", "2")])
        .await
        .assert_status(303);
    // Only the facilitator publishes, and only whole conclusions.
    let publish = format!("{conclusions}/publication");
    let token = elue.get(&group).await.csrf_token();
    elue.post(&publish, &[("csrf_token", token.as_str())]).await.assert_status(403);
    let facilitator = logged_in(&app, FACILITATOR).await;
    facilitator.submit(&group, &publish, &[]).await.assert_status(303);
    facilitator.submit(&group, &publish, &[]).await.assert_status(303);
    member.get(&agora).await.assert_contains(BRINGS).assert_contains(NEEDS);
    logged_in(&app, AGENT).await.get(&agora).await.assert_contains(BRINGS);
    // The agora is the project's, not the public's nor the observers'.
    Client::new(&app.address).get(&agora).await.assert_lacks(BRINGS);
    logged_in(&app, OBSERVER).await.get(&agora).await.assert_status(403);
    let entries: Vec<(String, bool)> = with_conn(&app, |conn| {
        use encommun::storage::schema::activity_log;
        activity_log::table
            .filter(activity_log::kind.eq("conclusions_published"))
            .select((activity_log::summary, activity_log::is_public))
            .load(conn)
            .unwrap()
    });
    assert_eq!(entries, vec![("Agora : le groupe de pairs « Élus » partage ses conclusions.".to_owned(), false)]);
    // A group without whole conclusions is told what is missing.
    with_conn(&app, |conn| {
        let agents = store::find_peer_group(conn, w.project, w.agents).unwrap().unwrap();
        write_transaction(conn, |conn| store::designate(conn, &agents, w.admin.id, w.admin.id)).unwrap();
    });
    let admin = logged_in(&app, ADMIN).await;
    let agents = format!("/projets/{}/pairs/{}", w.project, w.agents);
    admin
        .submit(&agents, &format!("{agents}/conclusions/publication"), &[])
        .await
        .assert_status(422)
        .assert_contains("les deux parties");
}

async fn a_supervision_sessions_notes_are_for_those_who_attended(app: TestApp) {
    let w = world(&app);
    let event = with_conn(&app, |conn| {
        use encommun::domain::project::{EventInput, NewEvent};
        let input = EventInput {
            kind: "supervision",
            title: "Analyse de pratiques n° 1",
            description: "",
            starts_at: "2026-01-15T14:00",
            ends_at: "2026-01-15T17:00",
            place: "",
            online_url: "https://visio.exemple.fr/supervision",
            collectivity_id: "",
        };
        let event = NewEvent::parse(&input).unwrap();
        write_transaction(conn, |conn| {
            encommun::storage::events::insert_event(conn, w.project, &event, w.admin.id, "Projet des essais")
        })
        .unwrap()
    });
    let page = format!("/projets/{}/evenements/{event}", w.project);
    const NOTE: &str = "J’ai compris que je décidais seule trop souvent.";
    let elue = logged_in(&app, ELU).await;
    // Before the attendance is noted, nobody reads or writes the notes.
    elue.get(&page).await.assert_status(200).assert_lacks("Ajouter une note");
    let token = elue.get(&page).await.csrf_token();
    elue.post(
        &format!("{page}/notes"),
        &[("csrf_token", token.as_str()), ("body", NOTE), ("submission", "abcdefghijklmnopqrst")],
    )
    .await
    .assert_status(403);
    // A delegation member may not record the attendance; the provider does.
    let users: Vec<(String, i64)> = with_conn(&app, |conn| {
        use encommun::storage::schema::users;
        users::table.select((users::email, users::id)).load(conn).unwrap()
    });
    let id_of = |email: &str| users.iter().find(|(e, _)| e == email).unwrap().1.to_string();
    elue.post(&format!("{page}/presences"), &[("csrf_token", token.as_str()), ("present", &id_of(ELU))])
        .await
        .assert_status(403);
    let provider = logged_in(&app, PROVIDER).await;
    provider
        .submit(
            &page,
            &format!("{page}/presences"),
            &[("present", &id_of(ELU)), ("present", &id_of(PROVIDER)), ("present", &id_of(AGENT))],
        )
        .await
        .assert_status(303);
    // Someone not of the project cannot be ticked.
    provider
        .submit(
            &page,
            &format!("{page}/presences"),
            &[("present", &id_of(ELU)), ("present", &id_of(OTHER_COLLECTIVITY))],
        )
        .await
        .assert_status(400);
    let submission = encommun::security::random_token();
    for _ in 0..2 {
        elue.submit(&page, &format!("{page}/notes"), &[("body", NOTE), ("submission", submission.as_str())])
            .await
            .assert_status(303);
    }
    let notes: i64 =
        with_conn(&app, |conn| encommun::storage::schema::supervision_notes::table.count().get_result(conn).unwrap());
    assert_eq!(notes, 1, "a double click notes once");
    // (who, reads the notes)
    for (who, reads) in [
        (ELU, true),
        (PROVIDER, true),
        (AGENT, true),
        (ADMIN, false),
        (REFERENT, false),
        (ELU_BLOIS, false),
        (FACILITATOR, false),
    ] {
        let body = logged_in(&app, who).await.get(&page).await.body;
        assert_eq!(body.contains(NOTE), reads, "{who} {}", if reads { "should read the notes" } else { "read them" });
    }
    for who in [OBSERVER, OTHER_COLLECTIVITY, ELSEWHERE] {
        let got = logged_in(&app, who).await.get(&page).await;
        assert!(matches!(got.status, 403 | 404) && !got.body.contains(NOTE), "{who}: {}", got.status);
    }
    Client::new(&app.address).get(&page).await.assert_lacks(NOTE);
    // Unticked, the agent no longer reads them; the session has no minutes for the whole project.
    provider
        .submit(&page, &format!("{page}/presences"), &[("present", &id_of(ELU)), ("present", &id_of(PROVIDER))])
        .await
        .assert_status(303);
    logged_in(&app, AGENT).await.get(&page).await.assert_lacks(NOTE);
    provider
        .submit(&page, &format!("{page}/compte-rendu"), &[("minutes", "Un compte rendu pour tous.")])
        .await
        .assert_status(400);
}

async fn delegations_are_formed_invited_and_read(app: TestApp) {
    let w = world(&app);
    let delegation = format!("/projets/{}/delegations/{}", w.project, w.agglopolys);
    let members = format!("{delegation}/membres");
    // Agglopolys's delegation lacks its referent, its agents, operators and State agents.
    let referent = logged_in(&app, REFERENT).await;
    referent
        .get(&delegation)
        .await
        .assert_status(200)
        .assert_contains(
            "Personne ne siège encore pour : Agents des collectivités, Opérateurs socio-économiques, Agents de l’État.",
        )
        .assert_contains("pas de référent·e")
        .assert_lacks("Ajouter une personne");
    // Grand Châtellerault's referent does not form Agglopolys's delegation; the provider does.
    let token = referent.get(&delegation).await.csrf_token();
    referent
        .post(
            &members,
            &[
                ("csrf_token", token.as_str()),
                ("display_name", "Intrus"),
                ("category", &w.agents.to_string()),
                ("seat", "titulaire"),
            ],
        )
        .await
        .assert_status(403);
    let provider = logged_in(&app, PROVIDER).await;
    let refused = provider
        .submit(
            &delegation,
            &members,
            &[
                ("display_name", "X"),
                ("category", "0"),
                ("seat", "suppleant"),
                ("referent", "oui"),
                ("email", "pas-une-adresse"),
            ],
        )
        .await;
    refused
        .assert_status(422)
        .assert_contains("Erreur :")
        .assert_contains("Choisissez la catégorie")
        .assert_contains("titulaire, pas suppléant");
    let agents = w.agents.to_string();
    provider
        .submit(
            &delegation,
            &members,
            &[
                ("display_name", "Paul Agent"),
                ("category", &agents),
                ("function", "Directeur de la vie associative"),
                ("seat", "titulaire"),
                ("referent", "oui"),
                ("email", "paul.agent@agglopolys.exemple.fr"),
            ],
        )
        .await
        .assert_status(303);
    // The address is taken for the project: refused, nothing written.
    provider
        .submit(
            &delegation,
            &members,
            &[
                ("display_name", "Paul Bis"),
                ("category", &agents),
                ("seat", "suppleant"),
                ("email", "paul.agent@agglopolys.exemple.fr"),
            ],
        )
        .await
        .assert_status(422)
        .assert_contains("a déjà cette adresse");
    // The invitation creates the account, which enters the agents' group and follows it.
    let link = app.emails_to("paul.agent@agglopolys.exemple.fr")[0].link_containing("/invitation/");
    let paul = app.client();
    let password = "une phrase assez longue";
    paul.submit(
        &link,
        &link,
        &[("display_name", "Paul Agent"), ("password", password), ("password_confirmation", password)],
    )
    .await
    .assert_redirect(&format!("/projets/{}/communaute", w.project));
    paul.get(&format!("/projets/{}/pairs/{}", w.project, w.agents)).await.assert_status(200);
    paul.get(&format!("/projets/{}/pairs/{}", w.project, w.elus)).await.assert_status(403);
    paul.get(&delegation).await.assert_contains("Paul Agent").assert_contains("Oui");
    // Paul leads the delegation now: he adds a member; the previous referent, had there been one, would step down.
    paul.submit(
        &delegation,
        &members,
        &[("display_name", "Nadia Opératrice"), ("category", &store_group(&app, w.project, 2)), ("seat", "titulaire")],
    )
    .await
    .assert_status(303);
    let roster = paul.get(&delegation).await;
    roster.assert_contains("Nadia Opératrice").assert_contains("Titulaire, référent·e");
    // Making Bruno the referent moves the role; a substitute cannot be made referent.
    let ids: Vec<(String, i64, bool)> = with_conn(&app, |conn| {
        store::delegation_of(conn, w.project, w.agglopolys)
            .unwrap()
            .into_iter()
            .map(|d| (d.display_name, d.id, d.is_referent))
            .collect()
    });
    let id_of = |name: &str| ids.iter().find(|(n, _, _)| n == name).unwrap().1;
    paul.submit(&delegation, &format!("{members}/{}/referent", id_of("Bruno Blésois")), &[]).await.assert_status(303);
    // Paul no longer leads it; Bruno does, and a substitute cannot lead.
    paul.submit(&delegation, &format!("{members}/{}/referent", id_of("Paul Agent")), &[]).await.assert_status(403);
    let bruno = logged_in(&app, ELU_BLOIS).await;
    bruno
        .submit(&delegation, &format!("{members}/{}/referent", id_of("Sabine Suppléante")), &[])
        .await
        .assert_status(404);
    let referents: Vec<String> = with_conn(&app, |conn| {
        store::delegation_of(conn, w.project, w.agglopolys)
            .unwrap()
            .into_iter()
            .filter(|d| d.is_referent)
            .map(|d| d.display_name)
            .collect()
    });
    assert_eq!(referents, vec!["Bruno Blésois".to_owned()]);
    // Removed, the substitute leaves the group (and its notices).
    bruno
        .submit(&delegation, &format!("{members}/{}/retrait", id_of("Sabine Suppléante")), &[])
        .await
        .assert_status(303);
    logged_in(&app, SUBSTITUTE).await.get(&format!("/projets/{}/pairs/{}", w.project, w.elus)).await.assert_status(403);
    // The community's page reads the delegations for the working space; observers and outsiders are refused.
    let hub = format!("/projets/{}/communaute", w.project);
    logged_in(&app, MEMBER)
        .await
        .get(&hub)
        .await
        .assert_status(200)
        .assert_contains("Paul Agent")
        .assert_contains("Confidentiel");
    logged_in(&app, OBSERVER).await.get(&hub).await.assert_status(403);
    logged_in(&app, OTHER_COLLECTIVITY).await.get(&delegation).await.assert_status(403);
    Client::new(&app.address).get(&hub).await.assert_status(303);
}

/// The id of the project's category at `position` (0 = élus), as the form sends it.
fn store_group(app: &TestApp, project: i64, position: usize) -> String {
    with_conn(app, |conn| store::peer_groups_of_project(conn, project).unwrap()[position].id.to_string())
}

async fn notices_follow_each_persons_frequency(app: TestApp) {
    let w = world(&app);
    let key = link_key();
    let links = Links { base_url: &app.address, key: &key, send_hour: 8 };
    let group = format!("/projets/{}/pairs/{}", w.project, w.elus);
    // The élue wants each message at once; the substitute none.
    let elue = logged_in(&app, ELU).await;
    elue.submit(&group, &format!("{group}/suivi"), &[("frequency", "immediate"), ("weekday", "1")])
        .await
        .assert_status(303);
    logged_in(&app, SUBSTITUTE)
        .await
        .submit(&group, &format!("{group}/suivi"), &[("frequency", "off"), ("weekday", "1")])
        .await
        .assert_status(303);
    let bruno = logged_in(&app, ELU_BLOIS).await;
    open_thread(&bruno, &group, ("question", "Vos conseils citoyens ?", "Comment les réunissez-vous ?"))
        .await
        .assert_status(303);
    let now = encommun::storage::now();
    let notices = |at| with_conn(&app, |conn| queue_due_notices(conn, at, &links).unwrap());
    assert_eq!(notices(now), 0, "a message settles two minutes before it is told");
    // 03:00 in Paris is before the digests' hour: only the élue, told at once.
    let night = (now + chrono::TimeDelta::days(1)).date().and_hms_opt(2, 0, 0).unwrap();
    assert_eq!(notices(night), 1, "the élue, at once");
    assert_eq!(notices(night), 0, "once");
    let recipients = |app: &TestApp| -> Vec<String> {
        with_conn(app, |conn| {
            outbox_messages::table
                .filter(outbox_messages::kind.eq("echanges"))
                .order(outbox_messages::id)
                .select(outbox_messages::recipient)
                .load(conn)
                .unwrap()
        })
    };
    assert_eq!(recipients(&app), vec![ELU.to_owned()]);
    // At the digests' hour, the facilitator's daily recap (Bruno wrote it: he is not told of his own message).
    let morning = night + chrono::TimeDelta::hours(8);
    assert_eq!(notices(morning), 1);
    assert_eq!(recipients(&app), vec![ELU.to_owned(), FACILITATOR.to_owned()]);
    assert_eq!(notices(morning + chrono::TimeDelta::hours(1)), 0, "a day's recap once");
    // The one-click link stops them.
    let follower: i64 = with_conn(&app, |conn| {
        use encommun::storage::schema::{space_followers, users};
        space_followers::table
            .inner_join(users::table.on(users::id.eq(space_followers::user_id)))
            .filter(users::email.eq(ELU))
            .filter(space_followers::peer_group_id.eq(w.elus))
            .select(space_followers::id)
            .first(conn)
            .unwrap()
    });
    let stop = encommun::mail::links::Signed::StopFollowing(follower).path(&key);
    let visitor = Client::new(&app.address);
    visitor.get(&stop).await.assert_status(200).assert_contains("Ne plus être prévenu");
    visitor.post(&stop, &[("List-Unsubscribe", "One-Click")]).await.assert_status(200);
    visitor.post(&format!("/echanges/arret/{follower}/0000"), &[]).await.assert_status(410);
    open_thread(&bruno, &group, ("other", "Un autre fil", "Encore une question.")).await.assert_status(303);
    let two_days = morning + chrono::TimeDelta::days(1);
    assert_eq!(notices(two_days), 1, "the facilitator's recap only");
    assert_eq!(recipients(&app).last().unwrap(), FACILITATOR);
    elue.get(&group).await.assert_contains("aucun courriel");
    // Removed from the group, the facilitator hears nothing more of it.
    with_conn(&app, |conn| {
        let elus = store::find_peer_group(conn, w.project, w.elus).unwrap().unwrap();
        let user = encommun::storage::users::find_user_by_email(conn, FACILITATOR).unwrap().unwrap();
        write_transaction(conn, |conn| store::withdraw_facilitator(conn, &elus, user.id)).unwrap();
    });
    open_thread(&bruno, &group, ("other", "Un troisième fil", "Toujours là ?")).await.assert_status(303);
    assert_eq!(notices(two_days + chrono::TimeDelta::days(1)), 0);
}

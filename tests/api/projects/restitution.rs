//! The restitution to inhabitants, as `web::projects::restitution`: drawn from a questionnaire's results and an
//! adopted plan, a chosen quote shown and an unchosen answer never; publication telling each distinct address once
//! (even with two instances preparing at once), through a real SMTP server with both parts and the unsubscribe
//! headers, then forgetting it; the one-click link forgetting an address everywhere; the phase guard.

use std::sync::{Arc, Barrier};

use diesel::prelude::*;
use encommun::domain::diagnostic::EntryKind;
use encommun::domain::project::Phase;
use encommun::domain::questionnaire::QuestionInput;
use encommun::domain::restitution::RestitutionTexts;
use encommun::domain::territory::TerritoryKind;
use encommun::jobs::outbox::OutboxWorker;
use encommun::jobs::restitutions::tell_all_due;
use encommun::storage::diagnostic::Place;
use encommun::storage::projects::{change_phase, PhaseOutcome};
use encommun::storage::questionnaires::{add_feedback_contact, questions_of, record_response, Channel};
use encommun::storage::restitutions::{self as store, Published};
use encommun::storage::schema::{action_evidence, feedback_contacts, outbox_messages};
use encommun::storage::write_transaction;

use crate::fixtures::{self, logged_in};
use crate::helpers::{with_conn, TestApp, SESSION_KEY};
use crate::on_both_backends;
use crate::outbox::{headers, SmtpSink};

const ADMIN: &str = "agence@exemple.fr";
const REFERENT: &str = "referent@grand-chatellerault.exemple.fr";
const PROVIDER: &str = "prestataire@exemple.fr";
const OTHER_REFERENT: &str = "referente@agglopolys.exemple.fr";

/// Written by the respondents; the first is quoted, the second never chosen.
const CHOSEN: &str = "Un bus le samedi matin pour aller au marché.";
const NOT_CHOSEN: &str = "Ma voisine Odette Lambert ne sort plus depuis l’hiver.";
/// A sheet of the diagnostic an action answers.
const SHEET: &str = "Centre social de la Plaine d’Ozon";

struct World {
    project: i64,
    chatellerault: i64,
    admin: fixtures::Account,
    /// The yes/no question (with figures) and the free one.
    closed: i64,
    free: i64,
    /// The adopted plan's action.
    action_title: &'static str,
}

/// Grand Châtellerault and Agglopolys in a project in `restitution`, Grand Châtellerault's plan adopted (Agglopolys's
/// too, so that the phase could be reached); Grand Châtellerault's two questionnaires, three responses, and the
/// addresses left: one on both questionnaires (written differently), one on one.
fn world(app: &TestApp) -> World {
    with_conn(app, |conn| {
        fixtures::territories(conn);
        let admin = fixtures::agency_admin(conn, ADMIN, "Claire Agence");
        let chatellerault = fixtures::collectivity(conn, TerritoryKind::Epci, "248600413");
        chatellerault.referent(conn, REFERENT, "Karim Référent");
        let agglopolys = fixtures::collectivity(conn, TerritoryKind::Epci, "200030385");
        agglopolys.referent(conn, OTHER_REFERENT, "Sophie Martin");
        let provider = fixtures::provider(conn, "Coopérative des ateliers");
        provider.member(conn, PROVIDER, "Amandine Prestataire");
        let project = fixtures::project(conn, &admin)
            .participant(&chatellerault)
            .participant(&agglopolys)
            .provider(&provider)
            .phase(Phase::Adoption)
            .create();
        let plan = fixtures::adopted_plan(conn, project.id, &chatellerault, &admin);
        fixtures::adopted_plan(conn, project.id, &agglopolys, &admin);
        // The action answers a sheet of the diagnostic (the working space's, never named publicly).
        let diagnostic = fixtures::diagnostic(conn, &project, &chatellerault, &admin)
            .sheets(&[(EntryKind::Actor, SHEET, "associations", "citizen", "", None)])
            .create();
        diesel::insert_into(action_evidence::table)
            .values((
                action_evidence::action_id.eq(plan.action),
                action_evidence::entry_id.eq(Some(diagnostic.sheets[0].0)),
            ))
            .execute(conn)
            .unwrap();
        let outcome = write_transaction(conn, |conn| change_phase(conn, project.id, Phase::Restitution, "", admin.id));
        assert!(matches!(outcome, Ok(PhaseOutcome::Changed { .. })), "{outcome:?}");
        let first = fixtures::questionnaire(conn, &project, &chatellerault, &admin)
            .title("Vos démarches")
            .question(QuestionInput {
                kind: "yes_no", label: "Avez-vous internet à la maison ?", ..Default::default()
            })
            .question(QuestionInput { kind: "long_text", label: "Que faudrait-il changer ?", ..Default::default() })
            .published()
            .create();
        let second = fixtures::questionnaire(conn, &project, &chatellerault, &admin)
            .title("Les jeunes")
            .question(QuestionInput { kind: "yes_no", label: "Avez-vous le permis ?", ..Default::default() })
            .published()
            .create();
        let questions = questions_of(conn, first).unwrap();
        let (closed, free) = (questions[0].id, questions[1].id);
        write_transaction(conn, |conn| {
            for (yes, text) in [("oui", CHOSEN), ("non", NOT_CHOSEN), ("non", "")] {
                let mut items = vec![(closed, (String::new(), yes.to_owned()))];
                if !text.is_empty() {
                    items.push((free, (String::new(), text.to_owned())));
                }
                record_response(conn, first, Channel::Paper, None, &items)?;
            }
            add_feedback_contact(conn, first, "camille@exemple.fr")?;
            add_feedback_contact(conn, second, "Camille@Exemple.fr")?;
            add_feedback_contact(conn, first, "dominique@exemple.fr")?;
            Ok::<_, diesel::result::Error>(())
        })
        .unwrap();
        World {
            project: project.id,
            chatellerault: chatellerault.id,
            admin,
            closed,
            free,
            action_title: "Une permanence au marché",
        }
    })
}

fn restitution_messages(app: &TestApp) -> Vec<(String, String)> {
    with_conn(app, |conn| {
        outbox_messages::table
            .filter(outbox_messages::kind.eq("restitution"))
            .order(outbox_messages::id)
            .select((outbox_messages::recipient, outbox_messages::state))
            .load(conn)
            .unwrap()
    })
}

fn addresses_kept(app: &TestApp) -> i64 {
    with_conn(app, |conn| feedback_contacts::table.count().get_result(conn).unwrap())
}

fn link_key() -> Vec<u8> {
    let session = encommun::security::hex_decode(SESSION_KEY).unwrap();
    encommun::startup::link_key(&actix_web::cookie::Key::from(&session))
}

async fn a_restitution_shows_what_the_group_chose_and_tells_each_address_once(app: TestApp) {
    let w = world(&app);
    let working = format!("/projets/{}/restitution/{}", w.project, w.chatellerault);
    let public = format!("/projets/{}/restitutions/{}", w.project, w.chatellerault);
    let provider = logged_in(&app, PROVIDER).await;

    // Not published: nobody reads it but those who see the territory's group.
    let visitor = crate::helpers::Client::new(&app.address);
    visitor.get(&public).await.assert_status(404);
    logged_in(&app, OTHER_REFERENT).await.get(&working).await.assert_status(403);

    // The hint as one writes: jargon and acronyms named, nothing for a plain text.
    let hint = provider
        .submit(&working, &format!("{working}/lisibilite"), &[("text", "La gouvernance de l’EPCI évolue.")])
        .await;
    hint.assert_status(200).assert_contains("gouvernance").assert_contains("EPCI");
    let plain =
        provider.submit(&working, &format!("{working}/lisibilite"), &[("text", "Le bus passe le samedi.")]).await;
    assert_eq!(plain.body, "", "a plain text gets no advice");

    // Texts: a bad line of figures is told by its number, and nothing is written.
    // The territory's own figures are suggested: its three respondents.
    provider
        .get(&working)
        .await
        .assert_status(200)
        .assert_contains("2 habitants ont laissé une adresse")
        .assert_contains("3 ; habitants ont répondu aux questionnaires");
    provider
        .submit(&working, &working, &[("heard", "Vous avez parlé."), ("figures", "412 habitants"), ("revision", "1")])
        .await
        .assert_status(422)
        .assert_contains("ligne 1 : écrivez « valeur ; ce qu’elle dit »");
    // Without « Et maintenant », publication says what is missing.
    provider
        .submit(
            &working,
            &working,
            &[("heard", "Vous avez parlé du bus. Nous avons entendu."), ("figures", "3 ; réponses"), ("revision", "1")],
        )
        .await
        .assert_status(303);
    provider.submit(&working, &format!("{working}/publication"), &[]).await.assert_status(303);
    provider.get(&working).await.assert_contains("il manque : « Et maintenant »");
    visitor.get(&public).await.assert_status(404);
    // A form read before that save is told, and loses nothing.
    provider
        .submit(&working, &working, &[("heard", "Une autre version."), ("revision", "1")])
        .await
        .assert_status(422)
        .assert_contains("Quelqu’un a enregistré ces textes entre-temps")
        .assert_contains("Vous avez parlé du bus.");
    provider
        .submit(
            &working,
            &working,
            &[
                ("heard", "Vous avez parlé du bus. Nous avons entendu."),
                ("figures", "3 ; réponses"),
                ("next_steps", "Une réunion dans six mois fera le point."),
                ("revision", "2"),
            ],
        )
        .await
        .assert_status(303);
    // The same save again (a double click, from a form read at revision 2): saved, not a conflict.
    provider
        .submit(
            &working,
            &working,
            &[
                ("heard", "Vous avez parlé du bus. Nous avons entendu."),
                ("figures", "3 ; réponses"),
                ("next_steps", "Une réunion dans six mois fera le point."),
                ("revision", "2"),
            ],
        )
        .await
        .assert_status(303);

    // The results of the closed question; the free one is not offered as a whole.
    let page = provider.get(&working).await;
    page.assert_contains(&format!("value=\"{}\"", w.closed)).assert_lacks(&format!("id=\"question-{}\"", w.free));
    provider
        .submit(&working, &format!("{working}/questions"), &[("question", &w.closed.to_string())])
        .await
        .assert_status(303);
    provider
        .submit(&working, &format!("{working}/questions"), &[("question", &w.free.to_string())])
        .await
        .assert_status(400);

    // A quote chosen twice (a double click) is one quote; the other answer is listed to the group only.
    let chooser = provider.get(&format!("{working}/citations")).await;
    chooser.assert_contains(CHOSEN).assert_contains(NOT_CHOSEN);
    let response_of = |text: &str| {
        let at = chooser.body.find(text).unwrap();
        let after = &chooser.body[at..];
        let marker = "name=\"response\" value=\"";
        let start = after.find(marker).unwrap() + marker.len();
        after[start..].split('"').next().unwrap().to_owned()
    };
    let chosen_response = response_of(CHOSEN);
    for _ in 0..2 {
        provider
            .submit(
                &working,
                &format!("{working}/citations"),
                &[("response", &chosen_response), ("question", &w.free.to_string())],
            )
            .await
            .assert_status(303);
    }
    let quotes = with_conn(&app, |conn| {
        let r = store::find_restitution(conn, Place { project_id: w.project, collectivity_id: w.chatellerault });
        store::quotes_of(conn, r.unwrap().unwrap().id).unwrap()
    });
    assert_eq!(quotes.len(), 1);

    // Published: the page shows the texts, the figures, the chosen quote, the question's figures and the plan's
    // action — never the unchosen answer.
    provider.submit(&working, &format!("{working}/publication"), &[]).await.assert_status(303);
    let page = visitor.get(&public).await;
    page.assert_status(200)
        .assert_contains("Vous avez parlé du bus.")
        .assert_contains("réponses")
        .assert_contains(CHOSEN)
        .assert_contains("Avez-vous internet à la maison ?")
        .assert_contains(w.action_title)
        .assert_contains("<svg aria-hidden=\"true\"")
        .assert_contains("1 constat du diagnostic et des enquêtes")
        .assert_lacks(SHEET)
        .assert_lacks(NOT_CHOSEN)
        .assert_lacks("Odette");
    for print in ["affiche", "tract"] {
        visitor
            .get(&format!("{public}/{print}"))
            .await
            .assert_status(200)
            .assert_contains(CHOSEN)
            .assert_lacks(NOT_CHOSEN);
    }
    // The project's page says where each territory stands.
    visitor
        .get(&format!("/projets/{}", w.project))
        .await
        .assert_contains("Restitution aux habitants")
        .assert_contains("lire la restitution");

    // One message per distinct address, the addresses deleted from the questionnaires; publishing again queues none.
    let messages = restitution_messages(&app);
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert_eq!(addresses_kept(&app), 0);
    provider.submit(&working, &format!("{working}/publication"), &[]).await.assert_status(303);
    assert_eq!(restitution_messages(&app).len(), 2);

    // An address left afterwards (a questionnaire still open) is told by the worker's next round.
    with_conn(&app, |conn| {
        let questionnaire = encommun::storage::schema::questions::table
            .find(w.closed)
            .select(encommun::storage::schema::questions::questionnaire_id)
            .first::<i64>(conn)
            .unwrap();
        add_feedback_contact(conn, questionnaire, "tardif@exemple.fr").unwrap();
        assert_eq!(tell_all_due(conn, &app.address, &link_key()).unwrap(), 1);
        assert_eq!(tell_all_due(conn, &app.address, &link_key()).unwrap(), 0);
    });
    assert_eq!(restitution_messages(&app).len(), 3);

    // Through a real SMTP server: both parts, the one-click unsubscribe, the page's link, nothing of the answers;
    // once sent, the outbox keeps no address.
    let Some(smtp) = SmtpSink::start() else { return };
    assert_eq!(OutboxWorker::new(app.pool.clone(), smtp.mailer()).run_once().await.unwrap(), 3);
    let received = smtp.received();
    assert_eq!(received.len(), 3);
    let to_camille: Vec<&String> =
        received.iter().filter(|m| headers(m)["to"].to_lowercase().contains("camille@exemple.fr")).collect();
    assert_eq!(to_camille.len(), 1, "one message for an address left on two questionnaires");
    let raw = to_camille[0];
    let head = headers(raw);
    // Encoded words: the subject's ASCII parts are readable as they are.
    assert!(head["subject"].starts_with("Ce qui a ") && head["subject"].contains("fait de votre parole"), "{head:?}");
    assert!(head["list-unsubscribe"].contains("/oubli/"), "{head:?}");
    assert_eq!(head["list-unsubscribe-post"], "List-Unsubscribe=One-Click");
    for part in ["text/plain", "text/html"] {
        assert!(raw.contains(&format!("Content-Type: {part}")), "{part} absent");
    }
    assert!(raw.contains(&format!("/projets/{}/restitutions/{}", w.project, w.chatellerault)));
    assert!(!raw.contains(CHOSEN) && !raw.contains("bus"), "nothing of the answers");
    let sent = restitution_messages(&app);
    assert!(sent.iter().all(|(to, state)| to == "(adresse effacée)" && state == "sent"), "{sent:?}");
}

async fn two_instances_preparing_at_once_tell_each_address_once(app: TestApp) {
    let w = world(&app);
    let place = Place { project_id: w.project, collectivity_id: w.chatellerault };
    // Someone follows the project with an account, at each news.
    with_conn(&app, |conn| {
        use encommun::storage::subscriptions::{self as subs, Target};
        let observer = fixtures::account(conn, "observatrice@exemple.fr", "Odile Observatrice");
        subs::subscribe_user(conn, observer.id, Target::Project(w.project)).unwrap();
        let subscriber = subs::subscriber_of_user(conn, observer.id).unwrap();
        let (subscription, _) = subs::subscriptions_of_user(conn, observer.id).unwrap().remove(0);
        subs::set_frequency(conn, subscription.id, subscriber, encommun::domain::digest::Frequency::Immediate, 1)
            .unwrap();
        observer
    });
    with_conn(&app, |conn| {
        write_transaction(conn, |conn| {
            let texts = RestitutionTexts::parse("Nous avons entendu.", "", "", "La suite.", "").unwrap();
            store::save_texts(conn, place, &texts, 1, w.admin.id, "de Grand Châtellerault")?;
            // Published without telling anyone: the instances' workers do it.
            assert_eq!(store::publish(conn, place, w.admin.id, "de Grand Châtellerault")?, Published::Now);
            Ok::<_, diesel::result::Error>(())
        })
        .unwrap()
    });
    let key = link_key();
    let barrier = Arc::new(Barrier::new(2));
    let instances: Vec<_> = (0..2)
        .map(|_| {
            let (url, barrier, key, address) =
                (app.config.database_url.clone(), barrier.clone(), key.clone(), app.address.clone());
            std::thread::spawn(move || {
                let mut conn = encommun::storage::establish(&url).unwrap();
                barrier.wait();
                tell_all_due(&mut conn, &address, &key).unwrap()
            })
        })
        .collect();
    let told: usize = instances.into_iter().map(|i| i.join().unwrap()).sum();
    assert_eq!(told, 2, "two distinct addresses, once each");
    assert_eq!(restitution_messages(&app).len(), 2);
    assert_eq!(addresses_kept(&app), 0);

    // The publication reaches those who follow the project, in their next digest (nothing of the addresses).
    let tomorrow = (encommun::storage::now() + chrono::TimeDelta::days(1)).date().and_hms_opt(12, 0, 0).unwrap();
    let links = encommun::jobs::digests::Links { base_url: &app.address, key: &key, send_hour: 8 };
    assert!(with_conn(&app, |conn| encommun::jobs::digests::queue_due_digests(conn, tomorrow, &links).unwrap()) >= 1);
    let digest: String = with_conn(&app, |conn| {
        outbox_messages::table
            .filter(outbox_messages::kind.eq("digest"))
            .filter(outbox_messages::recipient.eq("observatrice@exemple.fr"))
            .select(outbox_messages::text_body)
            .first(conn)
            .unwrap()
    });
    assert!(digest.contains("restitution aux habitants"), "{digest}");
    assert!(!digest.contains("camille"), "{digest}");

    // The phase guard names the territory whose restitution is not published.
    let outcome = with_conn(&app, |conn| {
        write_transaction(conn, |conn| change_phase(conn, w.project, Phase::FollowUp, "", w.admin.id)).unwrap()
    });
    match outcome {
        PhaseOutcome::Refused(reason) => {
            assert!(reason.contains("pas encore publiée : CA de Blois") && !reason.contains("Grand"), "{reason}")
        }
        other => panic!("not refused: {other:?}"),
    }
}

async fn the_one_click_link_forgets_an_address_everywhere(app: TestApp) {
    world(&app);
    let key = link_key();
    let digest = encommun::mail::links::address_digest(&key, "dominique@exemple.fr");
    let link = encommun::mail::links::Signed::ForgetAddress(&digest).path(&key);
    let visitor = crate::helpers::Client::new(&app.address);
    visitor.get(&link).await.assert_status(200).assert_contains("Effacer mon adresse partout");
    // A mail client's one-click POST: no form token, the signature is the proof.
    visitor
        .post(&link, &[("List-Unsubscribe", "One-Click")])
        .await
        .assert_status(200)
        .assert_contains("Adresse effacée");
    assert_eq!(addresses_kept(&app), 2, "Camille's two remain");
    visitor.post(&format!("/oubli/{digest}/0000"), &[]).await.assert_status(410);
}

/// The restitution's meetings invite the territory's inquiry-group members with an account (who follow the
/// project since their account was linked); afterwards, who a meeting reached is compared with whom the survey
/// reached, per profile category.
async fn meetings_invite_the_group_and_their_reach_is_compared_with_the_survey(app: TestApp) {
    let w = world(&app);
    let member_email = "enqueteur@exemple.fr";
    let (young, offline) = with_conn(&app, |conn| {
        let member = fixtures::account(conn, member_email, "Inès Enquêtrice");
        let project = encommun::storage::projects::find_project(conn, w.project).unwrap().unwrap();
        let chatellerault = fixtures::Collectivity { id: w.chatellerault, name: String::new() };
        let profiled = fixtures::questionnaire(conn, &project, &chatellerault, &w.admin)
            .title("Profil")
            .question(QuestionInput {
                kind: "single_choice",
                label: "Votre âge",
                choices: "jeunes = 16 à 25 ans\nadultes = 26 à 64 ans\naines = 65 ans et plus",
                profile: true,
                ..Default::default()
            })
            .question(QuestionInput {
                kind: "yes_no",
                label: "Internet à la maison",
                profile: true,
                ..Default::default()
            })
            .published()
            .create();
        let questions = questions_of(conn, profiled).unwrap();
        write_transaction(conn, |conn| {
            // Ten respondents: four young, six without internet.
            for n in 0..10 {
                let age = if n < 4 { "jeunes" } else { "adultes" };
                let internet = if n < 6 { "non" } else { "oui" };
                let items = vec![
                    (questions[0].id, (String::new(), age.to_owned())),
                    (questions[1].id, (String::new(), internet.to_owned())),
                ];
                record_response(conn, profiled, Channel::Online, None, &items)?;
            }
            let seat =
                encommun::domain::inquiry::NewMember::parse("Inès Enquêtrice", "habitant", "", member_email).unwrap();
            let encommun::storage::inquiry::AddOutcome::Added(id) = encommun::storage::inquiry::add_member(
                conn,
                w.project,
                w.chatellerault,
                &seat,
                w.admin.id,
                "CA Grand Châtellerault",
            )?
            else {
                panic!("member not added");
            };
            encommun::storage::inquiry::link_account(conn, id, member.id)?;
            Ok::<_, diesel::result::Error>(())
        })
        .unwrap();
        let follows = encommun::storage::subscriptions::subscriptions_of_user(conn, member.id).unwrap();
        assert!(
            follows.iter().any(|(s, _)| s.project_id == Some(w.project)),
            "an inquiry-group member follows the project once their account is linked"
        );
        ((questions[0].id, "jeunes".to_owned()), (questions[1].id, "non".to_owned()))
    });

    // A meeting planned by the provider invites the member, with the calendar file.
    let provider = logged_in(&app, PROVIDER).await;
    let new_event =
        format!("/projets/{}/evenements/nouveau?type=restitution&territoire={}", w.project, w.chatellerault);
    provider.get(&new_event).await.assert_status(200).assert_contains("value=\"restitution\" selected");
    let yesterday = (encommun::storage::now().date() - chrono::TimeDelta::days(1)).format("%Y-%m-%d");
    provider
        .submit(
            &new_event,
            &format!("/projets/{}/evenements", w.project),
            &[
                ("kind", "restitution"),
                ("title", "Réunion publique à Naintré"),
                ("starts_at", &format!("{yesterday}T18:00")),
                ("ends_at", &format!("{yesterday}T20:00")),
                ("place", "Salle des fêtes"),
                ("collectivity_id", &w.chatellerault.to_string()),
            ],
        )
        .await
        .assert_status(303);
    let invitations: Vec<(String, Option<String>)> = with_conn(&app, |conn| {
        outbox_messages::table
            .filter(outbox_messages::kind.eq("restitution_meeting"))
            .select((outbox_messages::recipient, outbox_messages::calendar))
            .load(conn)
            .unwrap()
    });
    assert_eq!(invitations.len(), 1, "{invitations:?}");
    assert_eq!(invitations[0].0, member_email);
    assert!(invitations[0].1.as_deref().is_some_and(|ics| ics.contains("Réunion publique à Naintré")));

    // The member notes who it reached: a count above the total is refused by its field.
    let member = logged_in(&app, member_email).await;
    let reach_page = format!("/projets/{}/restitution/{}/portee", w.project, w.chatellerault);
    let page = member.get(&reach_page).await;
    page.assert_status(200)
        .assert_contains("Réunion publique à Naintré")
        .assert_contains(&format!("public-{}-", young.0));
    let event_id = {
        let marker = "<option value=\"";
        let at = page.body.find("Réunion publique à Naintré").unwrap();
        let before = &page.body[..at];
        let start = before.rfind(marker).unwrap() + marker.len();
        before[start..].split('"').next().unwrap().to_owned()
    };
    let young_field = format!("public-{}-{}", young.0, young.1);
    let offline_field = format!("public-{}-{}", offline.0, offline.1);
    member
        .submit(
            &reach_page,
            &reach_page,
            &[("event", &event_id), ("channel", "public_meeting"), ("reached", "20"), (&young_field, "25")],
        )
        .await
        .assert_status(422)
        .assert_contains("plus que les 20 touchées");
    member
        .submit(
            &reach_page,
            &reach_page,
            &[
                ("event", &event_id),
                ("channel", "public_meeting"),
                ("reached", "20"),
                (&young_field, "1"),
                (&offline_field, "12"),
            ],
        )
        .await
        .assert_status(303);
    // Noted again (a second look at the sign-in sheet): replaced, not added.
    member
        .submit(
            &reach_page,
            &reach_page,
            &[
                ("event", &event_id),
                ("channel", "public_meeting"),
                ("reached", "20"),
                (&young_field, "2"),
                (&offline_field, "12"),
            ],
        )
        .await
        .assert_status(303);
    // Posters counted (another channel), sent twice: one note.
    for _ in 0..2 {
        member
            .submit(
                &reach_page,
                &reach_page,
                &[
                    ("event", ""),
                    ("channel", "display"),
                    ("label", "Affiches en mairie"),
                    ("happened_on", &yesterday.to_string()),
                    ("reached", "0"),
                ],
            )
            .await
            .assert_status(303);
    }
    let page = member.get(&reach_page).await;
    // The young were 40 % of respondents and 10 % of those reached: less reached than by the survey; those without
    // internet 60 % and 60 %.
    page.assert_contains("Ce qui a été noté (2)").assert_contains("Moins touché que par l’enquête");
    let row = |label: &str| {
        let at = page.body.find(label).unwrap();
        page.body[at..].split("</tr>").next().unwrap().to_owned()
    };
    let young_row = row("Votre âge : 16 à 25 ans");
    assert!(
        young_row.contains("40 %") && young_row.contains("10 %") && young_row.contains("Moins touché"),
        "{young_row}"
    );
    let offline_row = row("Internet à la maison : Non");
    assert!(offline_row.contains("60 %") && offline_row.contains("Touché autant ou plus"), "{offline_row}");
    // Another territory's referent sees none of it.
    logged_in(&app, OTHER_REFERENT).await.get(&reach_page).await.assert_status(403);
}

/// What the group keeps — a restitution being written, the free answers it did not choose — reaches no page of
/// anyone else: each role × each page, before and after publication.
async fn what_the_group_keeps_reaches_no_one_else(app: TestApp) {
    let w = world(&app);
    const DRAFT: &str = "Un brouillon que seul le groupe lit.";
    let working = format!("/projets/{}/restitution/{}", w.project, w.chatellerault);
    let public = format!("/projets/{}/restitutions/{}", w.project, w.chatellerault);
    let provider = logged_in(&app, PROVIDER).await;
    provider
        .submit(&working, &working, &[("heard", DRAFT), ("next_steps", "La suite."), ("revision", "1")])
        .await
        .assert_status(303);
    let pages = [
        public.clone(),
        format!("{public}/affiche"),
        format!("{public}/tract"),
        format!("/projets/{}", w.project),
        working.clone(),
        format!("{working}/citations"),
        format!("{working}/portee"),
    ];
    // (who, sees the draft on the working page, reads the answers to choose quotes)
    let roles: [(Option<&str>, bool, bool); 5] = [
        (None, false, false),
        (Some(OTHER_REFERENT), false, false),
        (Some(REFERENT), true, true),
        (Some(PROVIDER), true, true),
        (Some(ADMIN), true, true),
    ];
    for published in [false, true] {
        if published {
            provider.submit(&working, &format!("{working}/publication"), &[]).await.assert_status(303);
        }
        for (who, group, writes) in roles {
            let client = match who {
                Some(email) => logged_in(&app, email).await,
                None => crate::helpers::Client::new(&app.address),
            };
            for page in &pages {
                let body = client.get(page).await.body;
                // Published, « ce que nous avons entendu » is on the page and the leaflet (the poster keeps figures and
                // quotes).
                let shows_texts = *page == public || page.ends_with("/tract");
                let draft_expected = (published && shows_texts) || (group && *page == working);
                assert_eq!(
                    body.contains(DRAFT),
                    draft_expected,
                    "{who:?} on {page} (published: {published}): the draft {}",
                    if draft_expected { "should show" } else { "leaked" }
                );
                // The diagnostic's sheets are the working space's: a public page counts them, never names them.
                assert!(
                    !(page.starts_with(&public) && body.contains(SHEET)),
                    "{who:?} on {page} (published: {published}): a diagnostic sheet leaked"
                );
                let answers_expected = writes && page.ends_with("/citations");
                assert_eq!(
                    body.contains(NOT_CHOSEN),
                    answers_expected,
                    "{who:?} on {page} (published: {published}): an unchosen answer {}",
                    if answers_expected { "should be offered" } else { "leaked" }
                );
            }
        }
    }
}

on_both_backends!(
    what_the_group_keeps_reaches_no_one_else,
    a_restitution_shows_what_the_group_chose_and_tells_each_address_once,
    two_instances_preparing_at_once_tell_each_address_once,
    the_one_click_link_forgets_an_address_everywhere,
    meetings_invite_the_group_and_their_reach_is_compared_with_the_survey,
);

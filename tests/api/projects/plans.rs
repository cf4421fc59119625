//! The territorial action plan, as `web::projects::plans`: written from a workshop's retained actions (their lineage
//! intact), indicators whose progress comes from their baseline, targets and measurements, « en retard » from the
//! dates, submission and adoption with the act's PDF (refused when it is not one), a frozen version and a new one
//! that says what changed, the follow-up meeting, the phase guard, and two saves of one action that lose nothing.

use encommun::domain::codesign::Candidate;
use encommun::domain::diagnostic::EntryKind;
use encommun::domain::plan::AxisFields;
use encommun::domain::project::Phase;
use encommun::domain::territory::TerritoryKind;
use encommun::storage::codesign as codesign_store;
use encommun::storage::diagnostic::Place;
use encommun::storage::plans::{self as store, AxisOutcome, SubmitOutcome};
use encommun::storage::projects::{change_phase, PhaseOutcome};
use encommun::storage::write_transaction;

use crate::fixtures::{self, logged_in};
use crate::helpers::{with_conn, TestApp};
use crate::on_both_backends;

const ADMIN: &str = "agence@exemple.fr";
const REFERENT: &str = "referent@grand-chatellerault.exemple.fr";
const PROVIDER: &str = "prestataire@exemple.fr";
const OTHER_REFERENT: &str = "referente@agglopolys.exemple.fr";
const MEMBER: &str = "membre@grand-chatellerault.exemple.fr";

/// A whole PDF, as small as one can be.
const PDF: &[u8] = fixtures::ACT_PDF;

struct World {
    project: i64,
    chatellerault: i64,
    sheet: i64,
    /// The action Grand Châtellerault's convergence workshop retained.
    retained: i64,
    admin: fixtures::Account,
    chatellerault_fixture: fixtures::Collectivity,
    agglopolys_fixture: fixtures::Collectivity,
}

/// Grand Châtellerault and Agglopolys participate in a project in co-design; Grand Châtellerault's convergence
/// workshop retained an idea (citing a sheet of its diagnostic) as a draft action.
fn world(app: &TestApp, phase: Phase) -> World {
    with_conn(app, |conn| {
        fixtures::territories(conn);
        let admin = fixtures::agency_admin(conn, ADMIN, "Claire Agence");
        let chatellerault = fixtures::collectivity(conn, TerritoryKind::Epci, "248600413");
        chatellerault.referent(conn, REFERENT, "Karim Référent");
        let member = chatellerault.member(conn, MEMBER, "Marc Membre");
        let agglopolys = fixtures::collectivity(conn, TerritoryKind::Epci, "200030385");
        agglopolys.referent(conn, OTHER_REFERENT, "Sophie Martin");
        let provider = fixtures::provider(conn, "Coopérative des ateliers");
        provider.member(conn, PROVIDER, "Amandine Prestataire");
        let project = fixtures::project(conn, &admin)
            .participant(&chatellerault)
            .participant(&agglopolys)
            .provider(&provider)
            .phase(phase)
            .create();
        let diagnostic = fixtures::diagnostic(conn, &project, &chatellerault, &admin)
            .sheets(&[(EntryKind::Actor, "Centre social de Naintré", "associations", "citizen", "", None)])
            .create();
        let cycle = fixtures::co_design(conn, &project, &chatellerault, &admin).seat(member.id).create();
        let place = Place { project_id: project.id, collectivity_id: chatellerault.id };
        let retained = write_transaction(conn, |conn| -> anyhow::Result<i64> {
            let sheet = encommun::domain::codesign::Evidence::Sheet(diagnostic.sheets[0].0);
            codesign_store::add_evidence(conn, cycle.idea, sheet, admin.id)?;
            let workshop = codesign_store::find_workshop(conn, cycle.convergence)?.expect("workshop");
            match codesign_store::retain_proposal(
                conn,
                place,
                &workshop,
                Candidate::Idea(cycle.idea),
                admin.id,
                &chatellerault.name,
            )? {
                codesign_store::RetainOutcome::Retained(id) => Ok(id),
                other => anyhow::bail!("{other:?}"),
            }
        })
        .expect("retained");
        World {
            project: project.id,
            chatellerault: chatellerault.id,
            sheet: diagnostic.sheets[0].0,
            retained,
            admin,
            chatellerault_fixture: chatellerault,
            agglopolys_fixture: agglopolys,
        }
    })
}

on_both_backends!(
    a_plan_is_written_from_the_workshop_adopted_and_followed,
    the_project_leaves_adoption_only_when_every_plan_is_adopted,
    two_saves_of_one_action_never_lose_an_update_silently,
    refusals_say_what_is_wrong_and_write_nothing,
    the_public_sees_the_adopted_version_and_the_review_is_kept,
    follow_up_reminders_go_once_a_month_then_a_week_before,
    spreadsheets_go_out_and_come_back_in_whole_or_not_at_all,
);

async fn a_plan_is_written_from_the_workshop_adopted_and_followed(app: TestApp) {
    let w = world(&app, Phase::CoDesign);
    let plan = format!("/projets/{}/plan/{}", w.project, w.chatellerault);
    let action = format!("{plan}/actions/{}", w.retained);
    let referent = logged_in(&app, REFERENT).await;
    // The project page and the cycle lead to the plan; the retained action waits « à classer », with why.
    referent.get(&format!("/projets/{}", w.project)).await.assert_contains(&format!("href=\"{plan}\""));
    referent
        .get(&plan)
        .await
        .assert_status(200)
        .assert_contains("Actions à classer (1)")
        .assert_contains("Pourquoi : 1 idée de l’atelier")
        .assert_contains("Centre social de Naintré");
    // An axis, then the action placed in it and completed.
    referent
        .submit(&plan, &format!("{plan}/axes"), &[("title", "Aller vers les habitants"), ("description", "")])
        .await
        .assert_status(303);
    let axis = with_conn(&app, |conn| {
        let p =
            store::find_plan(conn, Place { project_id: w.project, collectivity_id: w.chatellerault }).unwrap().unwrap();
        store::axes_of(conn, p.id).unwrap()[0].id
    });
    referent
        .submit(
            &action,
            &action,
            &[
                ("revision", "1"),
                ("title", "Une permanence d’accès aux droits au marché"),
                ("axis", &axis.to_string()),
                ("description", "Chaque samedi matin, sous la halle."),
                ("lead_entry", &w.sheet.to_string()),
                ("partners", "La Poste\nCAF de la Vienne"),
                ("starts_on", "2025-01-01"),
                ("ends_on", "2026-01-01"),
                ("budget", "24 000"),
                ("fundings", "Région ; 10 000 ; acquis\nÉtat ; 14 000 ; à trouver"),
                ("priority", "1"),
            ],
        )
        .await
        .assert_redirect(&action);
    let page = referent.get(&action).await;
    page.assert_contains("Centre social de Naintré")
        .assert_contains("24\u{202f}000\u{a0}€")
        .assert_contains("Région : 10\u{202f}000\u{a0}€ (acquis)")
        // Planned, its end date passed: late, computed from the dates.
        .assert_contains("En retard : devait être réalisée le 01/01/2026")
        .assert_contains("Retenue à l’atelier");
    // An indicator with its baseline and target, then a measurement: the progress comes from them.
    referent
        .submit(
            &action,
            &format!("{action}/indicateurs"),
            &[
                ("name", "Personnes reçues"),
                ("unit", "personnes"),
                ("direction", "up"),
                ("frequency", "quarterly"),
                ("baseline_on", "2025-01-01"),
                ("baseline_value", "0"),
                ("targets", "31/12/2026 ; 200"),
            ],
        )
        .await
        .assert_status(303);
    let indicator = with_conn(&app, |conn| {
        let place = Place { project_id: w.project, collectivity_id: w.chatellerault };
        store::action_detail(conn, place, w.retained).unwrap().unwrap().indicators[0].row.id
    });
    let indicator_page = format!("{plan}/indicateurs/{indicator}");
    referent
        .submit(
            &indicator_page,
            &format!("{indicator_page}/mesures"),
            &[("measured_on", "2025-12-31"), ("value", "50"), ("comment", "registre d’accueil")],
        )
        .await
        .assert_redirect(&indicator_page);
    // A double click records once.
    referent
        .submit(
            &indicator_page,
            &format!("{indicator_page}/mesures"),
            &[("measured_on", "2025-12-31"), ("value", "50")],
        )
        .await
        .assert_redirect(&indicator_page);
    referent
        .get(&action)
        .await
        .assert_contains("25 %")
        .assert_contains("Moyenne de 1 indicateur")
        .assert_contains("registre d’accueil");
    // It also cites the sheet directly; then « l'étape d'après ».
    referent
        .submit(&action, &format!("{action}/sources"), &[("evidence", &format!("fiche-{}", w.sheet))])
        .await
        .assert_status(303);
    referent
        .submit(
            &plan,
            &format!("{plan}/etape-d-apres"),
            &[
                ("revision", "1"),
                ("implementation", "Un comité de suivi chaque trimestre."),
                ("citizens", "Des habitants au comité."),
                ("evaluation", "Les indicateurs, relevés par le service social."),
            ],
        )
        .await
        .assert_status(303);
    // A second axis and a second action, put first: the plan is read in the order its writers give it.
    referent
        .submit(&plan, &format!("{plan}/axes"), &[("title", "Coordonner les aidants"), ("description", "")])
        .await
        .assert_status(303);
    let place = Place { project_id: w.project, collectivity_id: w.chatellerault };
    let second = with_conn(&app, |conn| {
        let p = store::find_plan(conn, place).unwrap().unwrap();
        store::axes_of(conn, p.id).unwrap()[1].id
    });
    referent.submit(&plan, &format!("{plan}/axes/{second}/ordre"), &[("sens", "haut")]).await.assert_status(303);
    referent.submit(&plan, &format!("{plan}/axes/{second}/ordre"), &[("sens", "haut")]).await.assert_status(303);
    referent
        .submit(
            &plan,
            &format!("{plan}/actions"),
            &[("title", "Une permanence téléphonique"), ("axis", &axis.to_string())],
        )
        .await
        .assert_status(303);
    let newest = with_conn(&app, |conn| store::plan_detail(conn, place).unwrap().actions.last().unwrap().row.id);
    referent.submit(&plan, &format!("{plan}/actions/{newest}/ordre"), &[("sens", "haut")]).await.assert_status(303);
    with_conn(&app, |conn| {
        let detail = store::plan_detail(conn, place).unwrap();
        let axes: Vec<&str> = detail.axes.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(axes, ["Coordonner les aidants", "Aller vers les habitants"], "up once, then already first");
        let first: Vec<i64> = detail.actions_in(Some(axis)).map(|a| a.row.id).collect();
        assert_eq!(first, [newest, w.retained]);
    });
    referent.submit(&plan, &format!("{plan}/axes/{second}/ordre"), &[("sens", "travers")]).await.assert_status(400);
    // The working group comments.
    let member = logged_in(&app, MEMBER).await;
    member
        .submit(&action, &format!("{action}/commentaires"), &[("body", "Et le mercredi pour les familles ?")])
        .await
        .assert_status(303);
    member.get(&action).await.assert_contains("Et le mercredi pour les familles ?");
    member
        .submit(
            &action,
            &format!("{action}/avancement"),
            &[("revision", "2"), ("status", "ongoing"), ("progress_mode", "indicators")],
        )
        .await
        .assert_status(403);
    // Submitted: the content is frozen.
    referent.submit(&plan, &format!("{plan}/soumission"), &[]).await.assert_redirect(&plan);
    referent.get(&plan).await.assert_contains("Version 1 — Soumis à l’adoption");
    let revision = with_conn(&app, |conn| {
        store::find_action(conn, Place { project_id: w.project, collectivity_id: w.chatellerault }, w.retained)
            .unwrap()
            .unwrap()
            .revision
    });
    referent
        .submit(
            &action,
            &action,
            &[("revision", &revision.to_string()), ("title", "Un autre titre"), ("axis", &axis.to_string())],
        )
        .await
        .assert_redirect(&plan);
    referent.get(&plan).await.assert_contains("soumise à l’adoption : son contenu ne change plus");
    // The adoption: a file that is not a PDF is refused, in French; the act as a PDF is kept.
    let adoption = format!("{plan}/adoption");
    let fields = [
        ("body", "conseil_communautaire"),
        ("act_kind", "deliberation"),
        ("act_number", "2026-117"),
        ("adopted_on", "2026-06-25"),
        ("votes_for", "52"),
        ("votes_against", "3"),
        ("abstentions", "4"),
        ("act_url", ""),
    ];
    referent
        .upload(&adoption, &adoption, &fields, "deliberation.pdf", b"PK\x03\x04 une archive")
        .await
        .assert_status(422)
        .assert_contains("n’est pas un PDF");
    referent.upload(&adoption, &adoption, &fields, "deliberation.pdf", PDF).await.assert_redirect(&plan);
    let page = referent.get(&plan).await;
    page.assert_contains("Version 1 — Adopté")
        .assert_contains("52 pour, 3 contre, 4 abstentions")
        .assert_contains(&format!("{plan}/actes/1"));
    // The follow-up meeting, six months on, in the project's agenda.
    page.assert_contains("Rendez-vous de suivi").assert_contains("25 décembre 2026");
    let act = app.client().get(&format!("{plan}/actes/1")).await;
    act.assert_status(200);
    assert_eq!(act.bytes, PDF);
    assert!(act
        .headers
        .get("content-disposition")
        .is_some_and(|d| d.starts_with("attachment") && d.contains("deliberation.pdf")));
    // Adopted, the version is frozen; the progress is still carried out.
    let revision = with_conn(&app, |conn| {
        store::find_action(conn, Place { project_id: w.project, collectivity_id: w.chatellerault }, w.retained)
            .unwrap()
            .unwrap()
            .revision
    });
    referent
        .submit(
            &action,
            &format!("{action}/avancement"),
            &[("revision", &revision.to_string()), ("status", "ongoing"), ("progress_mode", "indicators")],
        )
        .await
        .assert_status(303);
    referent.get(&action).await.assert_contains("En cours").assert_contains("est figé");
    // A new version: the content changes again, and the page says what changed since the adopted one.
    referent.submit(&plan, &format!("{plan}/nouvelle-version"), &[]).await.assert_redirect(&plan);
    referent
        .submit(&plan, &format!("{plan}/axes"), &[("title", "Former les aidants"), ("description", "")])
        .await
        .assert_status(303);
    referent
        .get(&plan)
        .await
        .assert_contains("Version 2 — En préparation")
        .assert_contains("Ce qui change depuis la version adoptée")
        .assert_contains("Axe ajouté : « Former les aidants ».");
    // Observers and the public see no draft: the working page is for the working space.
    app.client().get(&plan).await.assert_status(303);
    let other = logged_in(&app, OTHER_REFERENT).await;
    other.get(&plan).await.assert_status(200);
}

async fn the_project_leaves_adoption_only_when_every_plan_is_adopted(app: TestApp) {
    let w = world(&app, Phase::Adoption);
    let try_to_leave = |conn: &mut encommun::storage::DbConnection| {
        write_transaction(conn, |conn| {
            change_phase(conn, w.project, Phase::Restitution, "Les plans sont adoptés.", w.admin.id)
        })
        .unwrap()
    };
    with_conn(&app, |conn| {
        match try_to_leave(conn) {
            PhaseOutcome::Refused(why) => {
                assert!(why.contains("pas encore adopté : CA Grand Châtellerault, CA de Blois"), "{why}")
            }
            other => panic!("{other:?}"),
        }
        fixtures::adopted_plan(conn, w.project, &w.chatellerault_fixture, &w.admin);
        match try_to_leave(conn) {
            PhaseOutcome::Refused(why) => {
                assert!(why.contains("pas encore adopté : CA de Blois") && !why.contains("Grand"), "{why}")
            }
            other => panic!("{other:?}"),
        }
    });
    // The project page says it too.
    let admin = logged_in(&app, ADMIN).await;
    admin.get(&format!("/projets/{}", w.project)).await.assert_contains("pas encore adopté : CA de Blois");
    with_conn(&app, |conn| {
        fixtures::adopted_plan(conn, w.project, &w.agglopolys_fixture, &w.admin);
        assert!(matches!(try_to_leave(conn), PhaseOutcome::Changed { .. }));
        // Each adoption scheduled its follow-up meeting, an event of the project on its territory.
        let events = encommun::storage::events::events_of_project(conn, w.project).unwrap();
        let follow_ups: Vec<_> = events.iter().filter(|(e, _)| e.kind == "follow_up").collect();
        assert_eq!(follow_ups.len(), 2);
        assert!(follow_ups
            .iter()
            .all(|(e, _)| e.starts_at.date() == chrono::NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()));
    });
}

async fn two_saves_of_one_action_never_lose_an_update_silently(app: TestApp) {
    let w = world(&app, Phase::CoDesign);
    let plan = format!("/projets/{}/plan/{}", w.project, w.chatellerault);
    let action = format!("{plan}/actions/{}", w.retained);
    let referent = logged_in(&app, REFERENT).await;
    let provider = logged_in(&app, PROVIDER).await;
    // Both opened the page at revision 1.
    referent.get(&action).await.assert_contains("name=\"revision\" value=\"1\"");
    provider.get(&action).await.assert_contains("name=\"revision\" value=\"1\"");
    referent
        .submit(&action, &action, &[("revision", "1"), ("title", "Le titre du référent"), ("budget", "1 000")])
        .await
        .assert_redirect(&action);
    // The second is told, sees both versions, and nothing of theirs is written yet.
    provider
        .submit(&action, &action, &[("revision", "1"), ("title", "Le titre du prestataire"), ("budget", "2 000")])
        .await
        .assert_status(422)
        .assert_contains("Quelqu’un a enregistré cette action pendant que vous la modifiiez")
        .assert_contains("Le titre du référent")
        .assert_contains("value=\"Le titre du prestataire\"")
        .assert_contains("name=\"revision\" value=\"2\"");
    let place = Place { project_id: w.project, collectivity_id: w.chatellerault };
    assert_eq!(
        with_conn(&app, |conn| store::find_action(conn, place, w.retained).unwrap().unwrap().title),
        "Le titre du référent"
    );
    // Having seen both, they save on purpose.
    provider
        .submit(&action, &action, &[("revision", "2"), ("title", "Le titre du prestataire"), ("budget", "2 000")])
        .await
        .assert_redirect(&action);
    assert_eq!(
        with_conn(&app, |conn| store::find_action(conn, place, w.retained).unwrap().unwrap().title),
        "Le titre du prestataire"
    );
    // Ten saves at once from revision 3: one lands, nine are told.
    let token = provider.get(&action).await.csrf_token();
    let mut saves = Vec::new();
    for n in 0..10 {
        let save = app.client();
        save.adopt_cookies(&provider);
        let (token, path) = (token.clone(), action.clone());
        saves.push(actix_web::rt::spawn(async move {
            let title = format!("Titre numéro {n}");
            save.post(&path, &[("csrf_token", token.as_str()), ("revision", "3"), ("title", title.as_str())])
                .await
                .status
        }));
    }
    let mut statuses = Vec::new();
    for save in saves {
        statuses.push(save.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|s| **s == 303).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 422).count(), 9, "{statuses:?}");
    assert_eq!(with_conn(&app, |conn| store::find_action(conn, place, w.retained).unwrap().unwrap().revision), 4);
}

async fn refusals_say_what_is_wrong_and_write_nothing(app: TestApp) {
    let w = world(&app, Phase::CoDesign);
    let plan = format!("/projets/{}/plan/{}", w.project, w.chatellerault);
    let action = format!("{plan}/actions/{}", w.retained);
    let referent = logged_in(&app, REFERENT).await;
    let place = Place { project_id: w.project, collectivity_id: w.chatellerault };
    let before = with_conn(&app, |conn| store::find_action(conn, place, w.retained).unwrap().unwrap());
    referent
        .submit(
            &action,
            &action,
            &[
                ("revision", "1"),
                ("title", "Une permanence"),
                ("starts_on", "2027-06-01"),
                ("ends_on", "2027-01-01"),
                ("budget", "beaucoup"),
                ("fundings", "Région ; 10 000 ; acquis\nÉtat"),
            ],
        )
        .await
        .assert_status(422)
        .assert_contains("Erreur : ")
        .assert_contains("La date de fin précède la date de début.")
        .assert_contains("Le budget doit être un montant en euros")
        .assert_contains("Financements, ligne 2");
    let after = with_conn(&app, |conn| store::find_action(conn, place, w.retained).unwrap().unwrap());
    assert_eq!((after.title, after.revision), (before.title, before.revision));
    // An indicator whose target line is wrong; a measurement in the future.
    referent
        .submit(
            &action,
            &format!("{action}/indicateurs"),
            &[("name", "Personnes reçues"), ("direction", "up"), ("targets", "demain ; beaucoup")],
        )
        .await
        .assert_status(422)
        .assert_contains("Cibles, ligne 1");
    // Submitting an empty plan says what is missing; adopting what was not submitted is refused.
    referent.submit(&plan, &format!("{plan}/soumission"), &[]).await.assert_redirect(&plan);
    referent.get(&plan).await.assert_contains("Classez d’abord dans un axe");
    referent.get(&format!("{plan}/adoption")).await.assert_redirect(&plan);
    // The PDF checks, once a version is submitted.
    with_conn(&app, |conn| {
        write_transaction(conn, |conn| -> anyhow::Result<()> {
            let AxisOutcome::Added(axis) =
                store::add_axis(conn, place, &AxisFields::parse("Un axe", "").unwrap(), w.admin.id)?
            else {
                anyhow::bail!("axis")
            };
            let detail = store::plan_detail(conn, place)?;
            let row = &detail.actions[0].row;
            let content = store::content_fields(conn, row)?;
            store::save_action_content(conn, place, row.id, row.revision, Some(axis), &content, w.admin.id)?.unwrap();
            assert_eq!(store::submit(conn, place, w.admin.id, "Grand Châtellerault")?, SubmitOutcome::Submitted(1));
            Ok(())
        })
        .unwrap()
    });
    let adoption = format!("{plan}/adoption");
    let fields = [
        ("body", "bureau"),
        ("act_kind", "decision"),
        ("act_number", "12"),
        ("adopted_on", "2026-06-01"),
        ("votes_for", "9"),
    ];
    for (file, data, message) in [
        ("vide.pdf", &b""[..], "Le fichier de l’acte est vide."),
        ("coupe.pdf", &PDF[..20], "Le PDF est incomplet"),
        ("archive.pdf", &b"PK\x03\x04\x14\x00\x00\x00"[..], "n’est pas un PDF"),
    ] {
        referent.upload(&adoption, &adoption, &fields, file, data).await.assert_status(422).assert_contains(message);
    }
    let huge = vec![b'%'; 50 * 1024 * 1024];
    let refused = referent.upload(&adoption, &adoption, &fields, "enorme.pdf", &huge).await;
    assert_eq!(refused.status, 400);
    assert!(refused.body.contains("dépasse 10 Mo"), "{}", refused.body);
    // A tie is no adoption.
    let tie = [
        ("body", "bureau"),
        ("act_kind", "decision"),
        ("act_number", "12"),
        ("adopted_on", "2026-06-01"),
        ("votes_for", "4"),
        ("votes_against", "4"),
    ];
    referent
        .upload(&adoption, &adoption, &tie, "acte.pdf", PDF)
        .await
        .assert_status(422)
        .assert_contains("les voix pour dépassent les voix contre");
    with_conn(&app, |conn| {
        let plan = store::find_plan(conn, place).unwrap().unwrap();
        assert_eq!(plan.state, "submitted");
        assert!(store::versions_of(conn, plan.id).unwrap()[0].adoption.is_none());
    });
}

async fn the_public_sees_the_adopted_version_and_the_review_is_kept(app: TestApp) {
    let w = world(&app, Phase::Adoption);
    let plan = format!("/projets/{}/plan/{}", w.project, w.chatellerault);
    let public = format!("/projets/{}/plans/{}", w.project, w.chatellerault);
    // Before adoption, nothing is public.
    app.client().get(&public).await.assert_status(404);
    let referent = logged_in(&app, REFERENT).await;
    let action = format!("{plan}/actions/{}", w.retained);
    referent
        .submit(&action, &format!("{action}/commentaires"), &[("body", "Une remarque du groupe de travail")])
        .await
        .assert_status(303);
    let adopted = with_conn(&app, |conn| fixtures::adopted_plan(conn, w.project, &w.chatellerault_fixture, &w.admin));
    // A new version is being written: its draft stays in the working space.
    referent.submit(&plan, &format!("{plan}/nouvelle-version"), &[]).await.assert_redirect(&plan);
    referent
        .submit(&plan, &format!("{plan}/axes"), &[("title", "Un axe encore en brouillon"), ("description", "")])
        .await
        .assert_status(303);
    // The draft renames the action, moves its end, changes its indicator's target and adds another.
    let place = Place { project_id: w.project, collectivity_id: w.chatellerault };
    let revision = with_conn(&app, |conn| store::find_action(conn, place, adopted.action).unwrap().unwrap().revision);
    let adopted_action = format!("{plan}/actions/{}", adopted.action);
    referent
        .submit(
            &adopted_action,
            &adopted_action,
            &[
                ("revision", &revision.to_string()),
                ("title", "Un titre encore en brouillon"),
                ("ends_on", "2031-03-31"),
            ],
        )
        .await
        .assert_redirect(&adopted_action);
    let indicator_page = format!("{plan}/indicateurs/{}", adopted.indicator);
    referent
        .submit(
            &indicator_page,
            &indicator_page,
            &[
                ("name", "Personnes reçues"),
                ("direction", "up"),
                ("baseline_on", "2026-01-01"),
                ("baseline_value", "0"),
                ("targets", "31/12/2027 ; 98765"),
            ],
        )
        .await
        .assert_redirect(&indicator_page);
    referent
        .submit(
            &adopted_action,
            &format!("{adopted_action}/indicateurs"),
            &[("name", "Un indicateur en brouillon"), ("direction", "up")],
        )
        .await
        .assert_status(303);
    let visitor = app.client();
    visitor
        .get(&public)
        .await
        .assert_status(200)
        .assert_contains("Feuille de route de CA Grand Châtellerault")
        .assert_contains("Axe 1 — Aller vers")
        .assert_contains("Une permanence au marché")
        .assert_contains("52 pour, 3 contre, 4 abstentions")
        .assert_contains("Personnes reçues")
        .assert_contains(&format!("{plan}/actes/1"))
        .assert_lacks("Un axe encore en brouillon")
        .assert_lacks("Un titre encore en brouillon")
        .assert_lacks("31/03/2031")
        .assert_lacks("98\u{202f}765")
        .assert_lacks("Un indicateur en brouillon")
        .assert_lacks("Une remarque du groupe de travail");
    visitor
        .get(&format!("/projets/{}/plans", w.project))
        .await
        .assert_status(200)
        .assert_contains(&format!("href=\"{public}\""))
        .assert_contains("Pas encore adopté");
    // The follow-up review: statuses, what was done, obstacles, a measurement; kept and told.
    let review = format!("{plan}/suivi");
    let indicator = format!("mesure-{}", adopted.indicator);
    let status = format!("statut-{}", adopted.action);
    let obstacles = format!("obstacles-{}", adopted.action);
    referent
        .submit(
            &review,
            &review,
            &[
                ("held_on", "2026-12-01"),
                ("summary", "La permanence a trouvé son public."),
                (&status, "ongoing"),
                (&obstacles, "Le marché d’hiver est plus petit."),
                (&indicator, "120"),
            ],
        )
        .await
        .assert_status(303);
    referent
        .get(&review)
        .await
        .assert_contains("Revue du 1 décembre 2026")
        .assert_contains("Le marché d’hiver est plus petit.");
    // A second click of the same review lands on it.
    referent.submit(&review, &review, &[("held_on", "2026-12-01"), (&status, "ongoing")]).await.assert_status(303);
    let place = Place { project_id: w.project, collectivity_id: w.chatellerault };
    with_conn(&app, |conn| {
        let plan_row = store::find_plan(conn, place).unwrap().unwrap();
        assert_eq!(store::reviews_of(conn, plan_row.id).unwrap().len(), 1);
        let detail = store::action_detail(conn, place, adopted.action).unwrap().unwrap();
        assert_eq!(detail.row.status, "ongoing");
        assert_eq!(detail.indicators[0].measurements.len(), 2);
    });
    // Observers read the adoption and the review in the project's public activity.
    visitor
        .get(&format!("/projets/{}", w.project))
        .await
        .assert_contains("est adopté")
        .assert_contains("Revue de suivi du plan d’action");
}

async fn follow_up_reminders_go_once_a_month_then_a_week_before(app: TestApp) {
    use encommun::jobs::reminders::queue_follow_up_reminders;
    use encommun::storage::outbox::recent_messages;
    let w = world(&app, Phase::Adoption);
    // Adopted on 25 June 2026: the follow-up meeting is on 25 December, at ten.
    with_conn(&app, |conn| fixtures::adopted_plan(conn, w.project, &w.chatellerault_fixture, &w.admin));
    let at = |text: &str| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
    // The workers of two instances run at once, and again the next minute.
    let run_both = |now: chrono::NaiveDateTime| -> usize {
        let runs: Vec<_> = (0..2)
            .map(|_| {
                let mut conn = app.conn();
                std::thread::spawn(move || {
                    write_transaction(&mut conn, |conn| queue_follow_up_reminders(conn, now, "https://exemple.fr"))
                        .unwrap()
                })
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).sum()
    };
    assert_eq!(run_both(at("2026-11-01 08:00")), 0, "nothing two months before");
    assert_eq!(run_both(at("2026-11-26 08:00")), 2, "a month before: the referent and the provider's member");
    assert_eq!(run_both(at("2026-11-26 08:01")), 0, "once");
    assert_eq!(run_both(at("2026-12-19 08:00")), 2, "a week before");
    assert_eq!(run_both(at("2026-12-20 08:00")), 0, "once");
    let reminders: Vec<_> = with_conn(&app, |conn| recent_messages(conn, None, 100).unwrap())
        .into_iter()
        .filter(|m| m.kind == "follow_up_reminder")
        .collect();
    assert_eq!(reminders.len(), 4);
    let mut recipients: Vec<&str> = reminders.iter().map(|m| m.recipient.as_str()).collect();
    recipients.sort();
    assert_eq!(recipients, [PROVIDER, PROVIDER, REFERENT, REFERENT]);
    assert!(reminders.iter().all(|m| m.subject.contains("le 25/12/2026") && m.text_body.contains("/suivi")));
}

async fn spreadsheets_go_out_and_come_back_in_whole_or_not_at_all(app: TestApp) {
    let w = world(&app, Phase::Adoption);
    with_conn(&app, |conn| fixtures::adopted_plan(conn, w.project, &w.chatellerault_fixture, &w.admin));
    let plan = format!("/projets/{}/plan/{}", w.project, w.chatellerault);
    let referent = logged_in(&app, REFERENT).await;
    let exported = referent.get(&format!("{plan}/plan.csv")).await;
    exported.assert_status(200);
    assert!(exported.bytes.starts_with(b"\xEF\xBB\xBFAxe;Action;Description;Pilote"), "{}", exported.body);
    exported
        .assert_contains("Une permanence au marché")
        .assert_contains("Personnes reçues")
        .assert_contains("31/12/2027 ; 200");
    let workbook = referent.get(&format!("{plan}/plan.xlsx")).await;
    workbook.assert_status(200);
    let sheets = encommun::xlsx::read_workbook(&workbook.bytes).unwrap();
    assert_eq!(sheets.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["Actions", "Indicateurs", "Mesures"]);
    assert_eq!(sheets[2].rows.len(), 2, "the header and the one measurement");
    // The exported file reads back into another territory's plan.
    let other = logged_in(&app, OTHER_REFERENT).await;
    let other_plan = format!("/projets/{}/plan/{}", w.project, w.agglopolys_fixture.id);
    let import = format!("{other_plan}/import");
    let csv = exported.bytes.clone();
    other.upload(&import, &import, &[], "plan.csv", &csv).await.assert_redirect(&other_plan);
    let agglopolys = Place { project_id: w.project, collectivity_id: w.agglopolys_fixture.id };
    let detail = with_conn(&app, |conn| store::plan_detail(conn, agglopolys).unwrap());
    assert_eq!(detail.axes.len(), 1);
    assert!(detail
        .actions
        .iter()
        .any(|a| a.row.title == "Une permanence au marché" && a.indicators[0].targets.len() == 1));
    // The same file again: its actions are in the plan already, and nothing is written.
    other
        .upload(&import, &import, &[], "plan.csv", &csv)
        .await
        .assert_status(422)
        .assert_contains("est déjà dans l’axe « Aller vers »");
    // A spreadsheet as a territory keeps it, in Windows-1252, with bad rows: every one is told, nothing is written.
    let kept = "Axe;Intitulé;Porteur;Échéance;Budget;État;Indicateur;Cibles\r\n\
        Mobilité;Un transport à la demande;Service mobilité;31/12/2027;45 000;en cours;Trajets;31/12/2027 : 4000\r\n\
        Mobilité;Des navettes le samedi;;2027-13-45;;;;\r\n\
        Mobilité;Un covoiturage solidaire;;;douze mille;;;\r\n\
        ;Une action sans axe;;;;;;\r\n";
    let latin1: Vec<u8> = kept.chars().map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?')).collect();
    let refused = other.upload(&import, &import, &[], "plan-mobilite.csv", &latin1).await;
    refused.assert_status(422).assert_contains("Rien n’a été écrit");
    refused
        .assert_contains("Ligne 3, colonne « Fin »")
        .assert_contains("Ligne 4, colonne « Budget »")
        .assert_contains("Ligne 5, colonne « Axe »");
    let after = with_conn(&app, |conn| store::plan_detail(conn, agglopolys).unwrap());
    assert_eq!((after.axes.len(), after.actions.len()), (detail.axes.len(), detail.actions.len()));
}

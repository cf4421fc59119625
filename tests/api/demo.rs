//! The demo a newcomer meets: every part of the platform has something in it, every demo account's « Ma
//! collectivité » leads somewhere, and the generated survey gives the same figures at every load.

use encommun::demo::{self, DEMO_ACCOUNTS, DEMO_PASSWORD, DIAGNOSTIC_PROJECT};
use encommun::domain::project::Phase;
use encommun::domain::territory::TerritoryKind;
use encommun::storage::codesign;
use encommun::storage::collectivities::find_collectivity_of_territory;
use encommun::storage::diagnostic::{entries_of_territory, Place};
use encommun::storage::questionnaires::{collection_breakdown, count_responses, questionnaires_of_group, targets_of};
use encommun::storage::territories::find_territory;

use crate::helpers::{with_conn, TestApp};
use crate::on_both_backends;

on_both_backends!(
    the_demo_shows_a_project_in_adoption_with_its_survey_cycle_and_plans,
    every_demo_account_has_somewhere_to_go,
    the_demo_has_a_learning_community,
    the_demo_has_the_programmes_and_dates_to_confirm,
    the_demo_has_a_resource_base_fresh_old_and_proposed
);

async fn the_demo_has_a_resource_base_fresh_old_and_proposed(app: TestApp) {
    app.load_demo();
    let index = app.client().get("/retours-d-experience").await;
    index
        .assert_contains("Un bus des droits dans les bourgs de Grand Châtellerault")
        .assert_contains("Un budget participatif jeunesse à Blois")
        .assert_contains("peut-être dépassé")
        .assert_lacks("Une conférence citoyenne sur l’alimentation");
    let admin = app.client();
    admin.login(DEMO_ACCOUNTS[0].email, DEMO_PASSWORD).await.assert_status(303);
    admin.get("/retours-d-experience").await.assert_contains("À relire (1)");
    // The search finds them, accents or not.
    app.client()
        .get("/recherche?q=chatellerault")
        .await
        .assert_contains("Un bus des droits dans les bourgs de Grand Châtellerault")
        .assert_contains("Plan d’action de CA Grand Châtellerault");
    app.client().get("/recherche?q=ateliers+citoyens").await.assert_contains("Coopérative des ateliers citoyens");
    // The directory: two published, one proposed.
    app.client()
        .get("/annuaire?territoire=86")
        .await
        .assert_contains("Coopérative des ateliers citoyens")
        .assert_contains("Réseau des acteurs de la participation")
        .assert_lacks("Blois Citoyens");
    admin.get("/annuaire").await.assert_contains("À relire (1)");
}

async fn the_demo_has_the_programmes_and_dates_to_confirm(app: TestApp) {
    app.load_demo();
    let admin = app.client();
    admin.login(DEMO_ACCOUNTS[0].email, DEMO_PASSWORD).await.assert_status(303);
    let index = admin.get("/admin/programmes").await;
    for name in
        ["Territoires en commun", "Fabriques Prospectives", "Cohorte de territoires pilotes", demo::DEMO_PROGRAMME]
    {
        index.assert_contains(name);
    }
    // The agency's programme in two versions.
    let programme = with_conn(&app, |conn| {
        encommun::storage::programmes::all_programmes(conn)
            .unwrap()
            .into_iter()
            .find(|p| p.name == demo::DEMO_PROGRAMME)
    })
    .unwrap();
    assert_eq!(programme.current_version, 2);
    admin.get(&format!("/admin/programmes/{}", programme.id)).await.assert_contains("Une journée entre pairs de plus");
    // The project in enrolment shows the information meeting of its programme, to confirm.
    let enrolment = with_conn(&app, |conn| demo::project(conn, demo::ENROLMENT_PROJECT).unwrap().unwrap());
    admin
        .get(&format!("/projets/{}", enrolment.id))
        .await
        .assert_contains("Réunion d’information des collectivités candidates")
        .assert_contains("date à confirmer")
        .assert_contains("Le projet suit le programme « Territoires en commun »");
}

async fn the_demo_has_a_learning_community(app: TestApp) {
    app.load_demo();
    let project = with_conn(&app, |conn| demo::project(conn, DIAGNOSTIC_PROJECT).unwrap().unwrap()).id;
    let groups = with_conn(&app, |conn| encommun::storage::delegations::peer_groups_of_project(conn, project).unwrap());
    let luc = app.client();
    luc.login("operateur@caf-vienne.demo.encommun.fr", DEMO_PASSWORD).await.assert_status(303);
    luc.get(&format!("/projets/{project}/communaute"))
        .await
        .assert_status(200)
        .assert_contains("Nadège Fournier")
        .assert_contains("Comment toucher les habitants qui n’ont pas internet ?")
        .assert_contains("Analyse de pratiques : coopérer entre services");
    luc.get(&format!("/projets/{project}/forum"))
        .await
        .assert_contains("Le bus France services : ce qui a marché à Blois");
    luc.get(&format!("/projets/{project}/agora"))
        .await
        .assert_contains("Le mandat pour mettre les services autour d’une table")
        .assert_lacks("Ce que nous voyons chaque jour au guichet");
    luc.get(&format!("/projets/{project}/pairs/{}", groups[2].id)).await.assert_status(200);
    luc.get(&format!("/projets/{project}/pairs/{}", groups[0].id)).await.assert_status(403);
    let sophie = app.client();
    sophie.login(DEMO_ACCOUNTS[1].email, DEMO_PASSWORD).await.assert_status(303);
    sophie
        .get(&format!("/projets/{project}/pairs/{}", groups[0].id))
        .await
        .assert_contains("Convaincre le conseil de financer l’aller-vers");
    let thread: i64 = with_conn(&app, |conn| {
        use diesel::prelude::*;
        use encommun::storage::schema::threads;
        threads::table
            .filter(threads::title.eq("Convaincre le conseil de financer l’aller-vers"))
            .select(threads::id)
            .first(conn)
            .unwrap()
    });
    sophie
        .get(&format!("/projets/{project}/fils/{thread}"))
        .await
        .assert_contains("chiffrer ce que coûte le non-recours");
    luc.get(&format!("/projets/{project}/fils/{thread}")).await.assert_status(403);
    let karim = app.client();
    karim.login(DEMO_ACCOUNTS[2].email, DEMO_PASSWORD).await.assert_status(303);
    karim
        .get(&format!("/projets/{project}/pairs/{}", groups[1].id))
        .await
        .assert_contains("Un classeur commun des démarches au guichet")
        .assert_contains("Ce que nous voyons chaque jour au guichet");
    karim.get(&format!("/projets/{project}/pairs/{}", groups[0].id)).await.assert_status(403);
}

async fn the_demo_shows_a_project_in_adoption_with_its_survey_cycle_and_plans(app: TestApp) {
    app.load_demo();
    assert!(!with_conn(&app, |conn| demo::load(conn).unwrap()), "a second load changes nothing");
    let (project, questionnaires, sheets) = with_conn(&app, |conn| {
        let project = demo::project(conn, DIAGNOSTIC_PROJECT).unwrap().unwrap();
        let territory = find_territory(conn, TerritoryKind::Epci, "248600413").unwrap().unwrap();
        let chatellerault = find_collectivity_of_territory(conn, territory.id).unwrap().unwrap().id;
        let questionnaires = questionnaires_of_group(conn, project.id, chatellerault).unwrap();
        let sheets =
            entries_of_territory(conn, Place { project_id: project.id, collectivity_id: chatellerault }).unwrap();
        (project, questionnaires, sheets)
    });
    assert_eq!(project.phase(), Phase::Adoption);
    assert!(project.provider_id.is_some(), "the demo provider accompanies it");
    let (survey, responses) = &questionnaires[0];
    assert_eq!(survey.title, "Vos démarches du quotidien");
    assert!(!survey.draft);
    assert_eq!(*responses, 320);
    // Fixed figures: the generator is seeded, so both backends and every load give these.
    let (breakdown, targets) =
        with_conn(&app, |conn| (collection_breakdown(conn, survey.id).unwrap(), targets_of(conn, survey.id).unwrap()));
    let by_channel = |channel: &str| breakdown.iter().filter(|(c, _, _)| c == channel).map(|(_, _, n)| n).sum::<i64>();
    assert_eq!(
        (by_channel("online"), by_channel("interview"), by_channel("paper")),
        (199, 88, 33),
        "responses by channel: {breakdown:?}"
    );
    assert_eq!(targets.len(), 7);
    assert_eq!(with_conn(&app, |conn| count_responses(conn, survey.id).unwrap()), 320);
    // Its sheets are placed on the shipped outlines: the France services of Naintré in Naintré.
    let naintre = sheets.iter().find(|s| s.name == "France services La Poste de Naintré").unwrap();
    let commune = with_conn(&app, |conn| find_territory(conn, TerritoryKind::Commune, "86174").unwrap().unwrap());
    assert_eq!(naintre.commune_id, Some(commune.id));

    let karim = app.client();
    karim.login(DEMO_ACCOUNTS[2].email, DEMO_PASSWORD).await.assert_status(303);
    karim
        .get(&format!("/questionnaires/{}/resultats", survey.id))
        .await
        .assert_status(200)
        .assert_contains("<strong>320</strong> réponses reçues");
    karim
        .get(&format!("/questionnaires/{}/couverture", survey.id))
        .await
        .assert_status(200)
        .assert_contains("Je n’ai pas internet à la maison");
    // The public link answers without an account, and the letter stands in the public archive.
    let visitor = app.client();
    visitor.get(&format!("/q/{}", survey.public_token)).await.assert_status(200).assert_contains(&survey.title);
    visitor
        .get(&format!("/projets/{}/lettres", project.id))
        .await
        .assert_status(200)
        .assert_contains("Lettre n° 1 — les diagnostics commencent");
    // The territory page draws the shipped outline.
    visitor.get("/territoires/epci/248600413").await.assert_status(200).assert_contains("<path");
    // Grand Châtellerault's creativity cycle is finished: ideas citing the diagnostic, three retained actions,
    // syntheses that visitors read; Agglopolys's convergence workshop is open to its referent's vote.
    let chatellerault = with_conn(&app, |conn| {
        let territory = find_territory(conn, TerritoryKind::Epci, "248600413").unwrap().unwrap();
        find_collectivity_of_territory(conn, territory.id).unwrap().unwrap().id
    });
    let place = Place { project_id: project.id, collectivity_id: chatellerault };
    let (actions, ideas, inspired) = with_conn(&app, |conn| {
        (
            codesign::actions_of(conn, place).unwrap(),
            codesign::ideas_of(conn, place).unwrap(),
            codesign::inspirations(conn, place).unwrap(),
        )
    });
    assert_eq!(actions.len(), 3);
    assert_eq!(ideas.len(), 14, "twelve ideas, a paper note, a merge");
    assert!(inspired.len() >= 3, "ideas cite the diagnostic: {inspired:?}");
    visitor.get(&format!("/projets/{}", project.id)).await.assert_contains("Synthèses des ateliers");
    karim
        .get(&format!("/projets/{}/croisement/{chatellerault}", project.id))
        .await
        .assert_status(200)
        .assert_contains("Actions retenues (3)")
        .assert_contains("Groupe de travail (14)");
    // Grand Châtellerault's plan is adopted, measured and reviewed; Agglopolys's is being written, so the project
    // cannot leave the adoption yet, and its page says so.
    let plan = format!("/projets/{}/plan/{chatellerault}", project.id);
    karim
        .get(&plan)
        .await
        .assert_status(200)
        .assert_contains("Version 1 — Adopté")
        .assert_contains("61 pour, 4 contre, 3 abstentions")
        .assert_contains("En retard : devait commencer le")
        .assert_contains("Pourquoi : ");
    karim.get(&format!("{plan}/suivi")).await.assert_contains("Revues passées (1)");
    let act = visitor.get(&format!("{plan}/actes/1")).await;
    act.assert_status(200);
    assert!(encommun::domain::plan::check_pdf(&act.bytes).is_ok());
    visitor
        .get(&format!("/projets/{}/plans/{chatellerault}", project.id))
        .await
        .assert_status(200)
        .assert_contains("Un bus France services dans les bourgs")
        .assert_contains("Personnes reçues par le bus et au marché");
    visitor
        .get(&format!("/projets/{}", project.id))
        .await
        .assert_contains("pas encore adopté : CA de Blois")
        .assert_contains("Rendez-vous de suivi du plan d’action");
}

async fn every_demo_account_has_somewhere_to_go(app: TestApp) {
    app.load_demo();
    for account in DEMO_ACCOUNTS {
        let client = app.client();
        client.login(account.email, DEMO_PASSWORD).await.assert_status(303);
        let page = client.get("/ma-collectivite").await;
        page.assert_status(200);
        assert!(
            page.body.contains("href=\"/projets/"),
            "« Ma collectivité » of {} leads to a project:\n{}",
            account.email,
            page.body
        );
        assert!(!page.body.contains("rattaché à aucune collectivité"), "{}", account.email);
    }
}

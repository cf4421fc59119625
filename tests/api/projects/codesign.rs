//! The creativity cycle of a territory, as `web::projects::codesign`: framed by the referent, facilitated by the
//! provider, contributed to, scored and voted by the working group; merges that keep their originals, the dot cap
//! under contention, the board's figures on a known set, lineage from both ends, and refusals that write nothing.

use encommun::domain::codesign::{Candidate, Step};
use encommun::domain::diagnostic::EntryKind;
use encommun::domain::territory::TerritoryKind;
use encommun::storage::codesign as store;
use encommun::storage::diagnostic::Place;
use encommun::storage::write_transaction;

use crate::fixtures::{self, logged_in};
use crate::helpers::{with_conn, Client, TestApp};
use crate::on_both_backends;

const ADMIN: &str = "agence@exemple.fr";
const REFERENT: &str = "referent@grand-chatellerault.exemple.fr";
const PROVIDER: &str = "prestataire@exemple.fr";
const OTHER_REFERENT: &str = "referente@agglopolys.exemple.fr";

struct World {
    project: i64,
    chatellerault: i64,
    agglopolys: i64,
    sheet: i64,
    admin: fixtures::Account,
}

/// A project with Grand Châtellerault and Agglopolys participating (each with its referent), its provider, and a
/// published sheet of Grand Châtellerault's diagnostic.
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
            .create();
        let diagnostic = fixtures::diagnostic(conn, &project, &chatellerault, &admin)
            .sheets(&[(EntryKind::Space, "France services de Naintré", "france_services", "citizen", "", None)])
            .create();
        World {
            project: project.id,
            chatellerault: chatellerault.id,
            agglopolys: agglopolys.id,
            sheet: diagnostic.sheets[0].0,
            admin,
        }
    })
}

/// Accepts the invitation e-mailed to `email` and returns the new member's client.
async fn accept(app: &TestApp, email: &str, name: &str) -> Client {
    let link = app.emails_to(email)[0].link_containing("/invitation/");
    let client = app.client();
    let password = "une phrase assez longue";
    let fields = [("display_name", name), ("password", password), ("password_confirmation", password)];
    client.submit(&link, &link, &fields).await.assert_status(303);
    client
}

fn idea_id(conn: &mut encommun::storage::DbConnection, place: Place, title: &str) -> i64 {
    store::ideas_of(conn, place).unwrap().into_iter().find(|i| i.title == title).unwrap_or_else(|| panic!("{title}")).id
}

on_both_backends!(
    the_cycle_runs_from_the_method_to_retained_actions,
    a_merge_and_its_undo_keep_every_original_and_author,
    one_member_never_places_more_dots_than_the_workshop_gives,
    the_board_aggregates_scores_exactly,
    refusals_are_explained_and_write_nothing,
    an_inhabitants_idea_reaches_no_one_but_the_facilitator_until_published,
    an_author_corrects_their_idea_and_a_scored_criterion_stays,
);

async fn the_cycle_runs_from_the_method_to_retained_actions(app: TestApp) {
    let w = world(&app);
    let place = Place { project_id: w.project, collectivity_id: w.chatellerault };
    let cycle = format!("/projets/{}/croisement/{}", w.project, w.chatellerault);
    // The referent finds the cycle from the project page, chooses the method and forms the group.
    let referent = logged_in(&app, REFERENT).await;
    referent.get(&format!("/projets/{}", w.project)).await.assert_contains(&format!("href=\"{cycle}\""));
    referent.get(&cycle).await.assert_status(200).assert_contains("La méthode n’est pas encore choisie.");
    referent
        .submit(
            &cycle,
            &format!("{cycle}/methode"),
            &[("method", "families"), ("families", "elus"), ("families", "associations")],
        )
        .await
        .assert_redirect(&cycle);
    referent
        .get(&cycle)
        .await
        .assert_contains("Approches par familles d’acteurs")
        .assert_contains("Familles à associer : Élus, Associations.")
        .assert_contains("Familles à associer que personne ne représente encore : Élus, Associations.");
    for (name, category, family, email) in [
        ("Awa Diallo", "associatif", "associations", "awa@exemple.fr"),
        ("Paul Girard", "elu", "elus", "paul@exemple.fr"),
    ] {
        referent
            .submit(
                &cycle,
                &format!("{cycle}/membres"),
                &[("display_name", name), ("category", category), ("family", family), ("email", email)],
            )
            .await
            .assert_redirect(&format!("{cycle}#groupe"));
    }
    referent.get(&cycle).await.assert_contains("Groupe de travail (2)").assert_lacks("personne ne représente encore");
    let awa = accept(&app, "awa@exemple.fr", "Awa Diallo").await;
    let paul = accept(&app, "paul@exemple.fr", "Paul Girard").await;
    // The provider plans a divergence workshop, opens it and types ideas in from paper notes.
    let provider = logged_in(&app, PROVIDER).await;
    provider
        .submit(
            &cycle,
            &format!("{cycle}/ateliers"),
            &[
                ("title", "Imaginer l’accueil de demain"),
                ("step", "divergence"),
                ("starts_at", "2027-01-12T18:00"),
                ("ends_at", "2027-01-12T20:30"),
                ("place", "Salle des fêtes de Naintré"),
            ],
        )
        .await
        .assert_status(303);
    let divergence = with_conn(&app, |conn| store::workshops_of(conn, place).unwrap()[0].event_id);
    let workshop = format!("{cycle}/ateliers/{divergence}");
    provider
        .submit(&workshop, &format!("{workshop}/etat"), &[("from", "planned"), ("to", "open")])
        .await
        .assert_redirect(&workshop);
    let sheet = format!("fiche-{}", w.sheet);
    for (title, author, evidence) in [
        ("Une permanence au marché", "habitant", sheet.as_str()),
        ("Un bus le samedi", "elu", ""),
        ("Une navette vers la mairie", "agent", ""),
    ] {
        provider
            .submit(
                &workshop,
                &format!("{workshop}/idees"),
                &[("title", title), ("author", author), ("evidence", evidence)],
            )
            .await
            .assert_redirect(&workshop);
    }
    // A member proposes one from their telephone: online, under their own name.
    awa.submit(&workshop, &format!("{workshop}/idees"), &[("title", "Des ateliers numériques à la médiathèque")])
        .await
        .assert_redirect(&workshop);
    provider.get(&format!("{workshop}/ecran")).await.assert_contains("<strong>4</strong> idée(s) reçue(s)");
    let ideas = format!("{cycle}/idees");
    awa.get(&ideas)
        .await
        .assert_contains("Awa Diallo (membre d’une association), en ligne")
        .assert_contains("Élu·e, note papier");
    // The sheet lists the idea it inspired; the idea links back to the sheet.
    let market = with_conn(&app, |conn| idea_id(conn, place, "Une permanence au marché"));
    let sheet_page = format!("/projets/{}/diagnostic/{}/fiches/{}", w.project, w.chatellerault, w.sheet);
    referent
        .get(&sheet_page)
        .await
        .assert_contains("Idées qu’elle a inspirées (1)")
        .assert_contains(&format!("{ideas}/{market}"));
    referent.get(&format!("{ideas}/{market}")).await.assert_contains(&format!("href=\"{sheet_page}\""));
    // The provider clusters the two transport ideas, without drag and drop.
    let (bus, shuttle) = with_conn(&app, |conn| {
        (idea_id(conn, place, "Un bus le samedi"), idea_id(conn, place, "Une navette vers la mairie"))
    });
    provider
        .submit(
            &ideas,
            &format!("{ideas}/tri"),
            &[
                ("idees", &bus.to_string()),
                ("idees", &shuttle.to_string()),
                ("action", "regrouper"),
                ("cluster_name", "Se déplacer"),
            ],
        )
        .await
        .assert_redirect(&format!("{ideas}#liste"));
    provider.get(&ideas).await.assert_contains("Se déplacer (2)");
    provider
        .submit(&workshop, &format!("{workshop}/etat"), &[("from", "open"), ("to", "closed")])
        .await
        .assert_redirect(&workshop);
    // Objectives and weighted criteria.
    provider
        .submit(&cycle, &format!("{cycle}/objectifs"), &[("title", "Que personne ne renonce à ses droits")])
        .await
        .assert_status(303);
    let objective = with_conn(&app, |conn| store::objectives_of(conn, place).unwrap()[0].0.id.to_string());
    for (label, weight) in [("Touche les personnes sans internet", "3"), ("Coûte peu", "")] {
        provider
            .submit(
                &cycle,
                &format!("{cycle}/criteres"),
                &[("objective", &objective), ("label", label), ("weight", weight)],
            )
            .await
            .assert_status(303);
    }
    referent
        .get(&cycle)
        .await
        .assert_contains("Touche les personnes sans internet — poids 3")
        .assert_contains("Coûte peu — poids 1");
    // Convergence: each member scores and spreads their dots.
    provider
        .submit(
            &cycle,
            &format!("{cycle}/ateliers"),
            &[
                ("title", "Choisir nos actions"),
                ("step", "convergence"),
                ("starts_at", "2027-02-02T18:00"),
                ("ends_at", "2027-02-02T20:30"),
                ("place", "Salle des fêtes de Naintré"),
                ("dots", "3"),
            ],
        )
        .await
        .assert_status(303);
    let convergence = with_conn(&app, |conn| {
        store::workshops_of(conn, place).unwrap().into_iter().find(|w| w.step() == Step::Convergence).unwrap().event_id
    });
    let board = format!("{cycle}/ateliers/{convergence}");
    provider
        .submit(&board, &format!("{board}/etat"), &[("from", "planned"), ("to", "open")])
        .await
        .assert_redirect(&board);
    let (criteria, cluster) = with_conn(&app, |conn| {
        let criteria: Vec<i64> = store::objectives_of(conn, place).unwrap()[0].1.iter().map(|c| c.id).collect();
        (criteria, store::clusters_of(conn, place).unwrap()[0].id)
    });
    let moving = Candidate::Cluster(cluster).code();
    let field = |criterion: i64| format!("note-{moving}-{criterion}");
    // Awa: (3×5 + 1×4)/4 = 4,75; Paul: (3×3 + 1×2)/4 = 2,75 → mean 3,75 (« 3,8 »), spread 1,0.
    for (member, scores) in [(&awa, ["5", "4"]), (&paul, ["3", "2"])] {
        let fields = [(field(criteria[0]), scores[0]), (field(criteria[1]), scores[1])];
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        member.submit(&board, &format!("{board}/notes"), &fields).await.assert_redirect(&format!("{board}#notes"));
        for _ in 0..2 {
            member
                .submit(&board, &format!("{board}/points"), &[("candidate", &moving), ("sens", "plus")])
                .await
                .assert_redirect(&format!("{board}#points"));
        }
    }
    paul.get(&board).await.assert_contains("Il vous reste <strong>1</strong> point sur 3.");
    let page = provider.get(&board).await;
    page.assert_contains("<th scope=\"row\">Se déplacer</th><td>2</td><td>3,8</td><td>1,0</td><td>2</td><td>4</td>");
    // The provider retains the cluster: a draft action of the plan, with what it came from.
    provider
        .submit(&board, &format!("{board}/retenir"), &[("candidate", &moving)])
        .await
        .assert_redirect(&format!("{board}#tableau"));
    provider
        .submit(&board, &format!("{board}/retenir"), &[("candidate", &moving)])
        .await
        .assert_redirect(&format!("{board}#tableau"));
    let actions = with_conn(&app, |conn| store::actions_of(conn, place).unwrap());
    assert_eq!(actions.len(), 1, "a second click retains nothing more");
    referent
        .get(&cycle)
        .await
        .assert_contains("Actions retenues (1)")
        .assert_contains("Issue de 2 idées · note pondérée 3,8 sur 5 (écart 1,0, 2 personne(s)) · 4 point(s)");
    // Both spreadsheets, for the working space.
    provider
        .get(&format!("{cycle}/idees.csv"))
        .await
        .assert_status(200)
        .assert_contains("identifiant;titre;texte")
        .assert_contains("Une permanence au marché;;Habitant·e;;note papier;published;;;Imaginer l’accueil de demain;")
        .assert_contains("France services de Naintré");
    provider
        .get(&format!("{cycle}/votes.csv"))
        .await
        .assert_contains(
            "Choisir nos actions;Awa Diallo;Membre d’une association;regroupement : Se déplacer;points;;;2",
        )
        .assert_contains("Choisir nos actions;Paul Girard;Élu·e;regroupement : Se déplacer;note;Coûte peu;1;2");
    // The synthesis is public once published.
    provider
        .submit(
            &workshop,
            &format!("{workshop}/synthese"),
            &[("synthesis", "Quatre idées, dont **une permanence au marché**.")],
        )
        .await
        .assert_redirect(&format!("{workshop}#synthese"));
    app.client()
        .get(&format!("/projets/{}", w.project))
        .await
        .assert_contains("Synthèses des ateliers")
        .assert_contains("<strong>une permanence au marché</strong>")
        .assert_lacks(&format!("href=\"{cycle}\""));
    // Every step is in the activity, for the working space.
    let activity = referent.get(&format!("/projets/{}", w.project)).await;
    activity
        .assert_contains("est ouvert aux contributions")
        .assert_contains("Action retenue pour le plan de CA Grand Châtellerault");
}

async fn a_merge_and_its_undo_keep_every_original_and_author(app: TestApp) {
    let w = world(&app);
    let place = Place { project_id: w.project, collectivity_id: w.chatellerault };
    let cycle_ids = with_conn(&app, |conn| {
        let member = fixtures::account(conn, "awa@exemple.fr", "Awa Diallo");
        let project = encommun::storage::projects::find_project(conn, w.project).unwrap().unwrap();
        let chatellerault = fixtures::Collectivity { id: w.chatellerault, name: "Grand Châtellerault".into() };
        fixtures::co_design(conn, &project, &chatellerault, &w.admin).seat(member.id).create()
    });
    let cycle = format!("/projets/{}/croisement/{}", w.project, w.chatellerault);
    let provider = logged_in(&app, PROVIDER).await;
    let merge = format!("{cycle}/idees/{}", cycle_ids.merge);
    // The merge shows both originals with their authors; each original says where it went.
    let page = provider.get(&merge).await;
    page.assert_contains("Idées d’origine (2)")
        .assert_contains("Un bus le samedi</a> — Élu·e")
        .assert_contains("Une navette vers la mairie</a> — Agent de la collectivité")
        .assert_contains("Fusion de « Un bus le samedi » et « Une navette vers la mairie ».");
    let bus = with_conn(&app, |conn| idea_id(conn, place, "Un bus le samedi"));
    provider.get(&format!("{cycle}/idees/{bus}")).await.assert_contains("Fusionnée dans");
    provider
        .get(&format!("{cycle}/idees"))
        .await
        .assert_lacks(">Un bus le samedi<")
        .assert_contains("Des transports vers les services");
    // Undone, twice (a double click): the originals come back, the merge stays in the history.
    provider.submit(&merge, &format!("{merge}/annulation"), &[]).await.assert_redirect(&merge);
    provider.submit(&merge, &format!("{merge}/annulation"), &[]).await.assert_redirect(&merge);
    provider
        .get(&merge)
        .await
        .assert_contains("Cette fusion a été annulée")
        .assert_contains("Fusion annulée : les idées d’origine reviennent.");
    let page = provider.get(&format!("{cycle}/idees")).await;
    page.assert_contains("Un bus le samedi")
        .assert_contains("Une navette vers la mairie")
        .assert_lacks("Des transports vers les services");
    provider
        .get(&format!("{cycle}/idees/{bus}"))
        .await
        .assert_contains("Fusion « Des transports vers les services » annulée.")
        .assert_contains("Élu·e, note papier");
    let ideas = with_conn(&app, |conn| store::ideas_of(conn, place).unwrap());
    assert_eq!(ideas.len(), 4, "every original kept, and the dissolved merge");
    assert!(ideas.iter().all(|i| i.merged_into.is_none()));
    // Merged again from the ideas page, twice at once (a double click): one merge, the same page for both.
    let shuttle = with_conn(&app, |conn| idea_id(conn, place, "Une navette vers la mairie"));
    let list = format!("{cycle}/idees");
    let (bus, shuttle) = (bus.to_string(), shuttle.to_string());
    let fields = [
        ("idees", bus.as_str()),
        ("idees", shuttle.as_str()),
        ("action", "fusionner"),
        ("merge_title", "Aller aux guichets sans voiture"),
    ];
    let first = provider.submit(&list, &format!("{list}/tri"), &fields).await;
    let second = provider.submit(&list, &format!("{list}/tri"), &fields).await;
    first.assert_status(303);
    assert_eq!(first.location, second.location, "the second click lands on the first merge");
    assert_eq!(with_conn(&app, |conn| store::ideas_of(conn, place).unwrap().len()), 5);
}

async fn one_member_never_places_more_dots_than_the_workshop_gives(app: TestApp) {
    let w = world(&app);
    let cycle_ids = with_conn(&app, |conn| {
        let member = fixtures::account(conn, "awa@exemple.fr", "Awa Diallo");
        let project = encommun::storage::projects::find_project(conn, w.project).unwrap().unwrap();
        let chatellerault = fixtures::Collectivity { id: w.chatellerault, name: "Grand Châtellerault".into() };
        fixtures::co_design(conn, &project, &chatellerault, &w.admin).seat(member.id).create()
    });
    let board = format!("/projets/{}/croisement/{}/ateliers/{}", w.project, w.chatellerault, cycle_ids.convergence);
    // Four devices of the same member, five clicks each, all at once.
    let mut devices = Vec::new();
    for _ in 0..4 {
        let client = logged_in(&app, "awa@exemple.fr").await;
        let token = client.get(&board).await.csrf_token();
        devices.push((client, token));
    }
    let candidate = Candidate::Idea(cycle_ids.idea).code();
    let mut clicks = Vec::new();
    for (device, token) in &devices {
        for _ in 0..5 {
            let click = app.client();
            click.adopt_cookies(device);
            let (token, candidate, path) = (token.clone(), candidate.clone(), format!("{board}/points"));
            clicks.push(actix_web::rt::spawn(async move {
                let fields = [("csrf_token", token.as_str()), ("candidate", candidate.as_str()), ("sens", "plus")];
                click.post(&path, &fields).await.status
            }));
        }
    }
    let mut statuses = Vec::new();
    for click in clicks {
        statuses.push(click.await.unwrap());
    }
    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");
    let (dots, ballot) = with_conn(&app, |conn| {
        (
            store::dots_of_workshop(conn, cycle_ids.convergence).unwrap().len(),
            store::ballot_of(conn, cycle_ids.convergence, cycle_ids.seats[0]).unwrap(),
        )
    });
    assert_eq!((dots, ballot), (8, Some((8, 8))), "20 clicks, 8 dots to give");
    devices[0].0.get(&board).await.assert_contains("Il vous reste <strong>0</strong> point sur 8.");
}

async fn the_board_aggregates_scores_exactly(app: TestApp) {
    let w = world(&app);
    let cycle_ids = with_conn(&app, |conn| {
        let project = encommun::storage::projects::find_project(conn, w.project).unwrap().unwrap();
        let chatellerault = fixtures::Collectivity { id: w.chatellerault, name: "Grand Châtellerault".into() };
        let members: Vec<i64> =
            (0..3).map(|n| fixtures::account(conn, &format!("membre{n}@exemple.fr"), "Membre").id).collect();
        members
            .iter()
            .fold(fixtures::co_design(conn, &project, &chatellerault, &w.admin), |builder, id| builder.seat(*id))
            .create()
    });
    // Criteria weighted 2 (the fixture's) and 1; three members score the market idea:
    // (2×4 + 1×1)/3 = 3, (2×5 + 1×5)/3 = 5, (2×1 + 1×1)/3 = 1 → mean 3, spread √(8/3) ≈ 1,63.
    let second = with_conn(&app, |conn| {
        let criterion = encommun::domain::codesign::NewCriterion::parse("Coûte peu", "1").unwrap();
        write_transaction(conn, |conn| store::insert_criterion(conn, cycle_ids.objective, &criterion)).unwrap()
    });
    let market = Candidate::Idea(cycle_ids.idea);
    with_conn(&app, |conn| {
        for (seat, (a, b)) in cycle_ids.seats.iter().zip([(4, 1), (5, 5), (1, 1)]) {
            let grid = [(market, cycle_ids.criterion, a), (market, second, b)];
            write_transaction(conn, |conn| store::save_scores(conn, cycle_ids.convergence, *seat, &grid)).unwrap();
        }
    });
    let tally = with_conn(&app, |conn| {
        let scores: Vec<_> = store::scores_of_workshop(conn, cycle_ids.convergence)
            .unwrap()
            .into_iter()
            .filter(|(c, _)| *c == market)
            .map(|(_, s)| s)
            .collect();
        let weights = [(cycle_ids.criterion, 2), (second, 1)].into_iter().collect();
        encommun::domain::codesign::Tally::of(&scores, &weights).unwrap()
    });
    assert_eq!(tally.weighted_mean, 3.0);
    assert!((tally.spread - (8.0f64 / 3.0).sqrt()).abs() < 1e-12, "{}", tally.spread);
    let provider = logged_in(&app, PROVIDER).await;
    let board = format!("/projets/{}/croisement/{}/ateliers/{}", w.project, w.chatellerault, cycle_ids.convergence);
    provider
        .get(&board)
        .await
        .assert_contains("<th scope=\"row\">Une permanence au marché</th><td>1</td><td>3,0</td><td>1,6 — désaccord</td><td>3</td><td>0</td>");
}

async fn refusals_are_explained_and_write_nothing(app: TestApp) {
    let w = world(&app);
    let (cycle_ids, other) = with_conn(&app, |conn| {
        let member = fixtures::account(conn, "awa@exemple.fr", "Awa Diallo");
        let project = encommun::storage::projects::find_project(conn, w.project).unwrap().unwrap();
        let chatellerault = fixtures::Collectivity { id: w.chatellerault, name: "Grand Châtellerault".into() };
        let agglopolys = fixtures::Collectivity { id: w.agglopolys, name: "Agglopolys".into() };
        let other = fixtures::co_design(conn, &project, &agglopolys, &w.admin).create();
        (fixtures::co_design(conn, &project, &chatellerault, &w.admin).seat(member.id).create(), other)
    });
    let cycle = format!("/projets/{}/croisement/{}", w.project, w.chatellerault);
    let board = format!("{cycle}/ateliers/{}", cycle_ids.convergence);
    let awa = logged_in(&app, "awa@exemple.fr").await;
    let market = Candidate::Idea(cycle_ids.idea).code();
    let field = format!("note-{market}-{}", cycle_ids.criterion);
    // A score outside 0–5: the grid comes back with the French reason, nothing written.
    let page = awa.submit(&board, &format!("{board}/notes"), &[(field.as_str(), "6")]).await;
    page.assert_status(422).assert_contains("Une note va de 0 à 5 : « 6 » n’en est pas une.");
    assert!(with_conn(&app, |conn| store::scores_of_workshop(conn, cycle_ids.convergence).unwrap().is_empty()));
    // Another territory's workshop: Awa does not see Agglopolys's cycle; its workshop is not under her territory.
    let elsewhere = format!("/projets/{}/croisement/{}/ateliers/{}", w.project, w.agglopolys, other.convergence);
    let token = awa.get(&board).await.csrf_token();
    let fields = [("csrf_token", token.as_str()), ("candidate", market.as_str()), ("sens", "plus")];
    awa.post(&format!("{elsewhere}/points"), &fields).await.assert_status(403);
    awa.post(&format!("{cycle}/ateliers/{}/points", other.convergence), &fields).await.assert_status(404);
    // After the step closed: refused in French, nothing written.
    let provider = logged_in(&app, PROVIDER).await;
    provider
        .submit(&board, &format!("{board}/etat"), &[("from", "open"), ("to", "closed")])
        .await
        .assert_redirect(&board);
    let page = awa.post(&format!("{board}/points"), &fields).await;
    page.assert_status(400).assert_contains("L’atelier n’est pas ouvert : le vote est clos ou pas encore commencé.");
    let page = awa.post(&format!("{board}/notes"), &[("csrf_token", token.as_str()), (field.as_str(), "4")]).await;
    page.assert_status(400);
    with_conn(&app, |conn| {
        assert!(store::dots_of_workshop(conn, cycle_ids.convergence).unwrap().is_empty());
        assert!(store::scores_of_workshop(conn, cycle_ids.convergence).unwrap().is_empty());
    });
    // A referent neither facilitates nor votes; an idea without a title is refused field by field.
    let referent = logged_in(&app, REFERENT).await;
    referent.submit(&board, &format!("{board}/retenir"), &[("candidate", market.as_str())]).await.assert_status(403);
    let divergence = format!("{cycle}/ateliers/{}", cycle_ids.divergence);
    let page = provider.submit(&divergence, &format!("{divergence}/idees"), &[("title", ""), ("author", "elu")]).await;
    page.assert_status(422).assert_contains("Le titre de l’idée est obligatoire.");
}

async fn an_inhabitants_idea_reaches_no_one_but_the_facilitator_until_published(app: TestApp) {
    let w = world(&app);
    let place = Place { project_id: w.project, collectivity_id: w.chatellerault };
    let cycle = format!("/projets/{}/croisement/{}", w.project, w.chatellerault);
    let provider = logged_in(&app, PROVIDER).await;
    provider
        .submit(&cycle, &format!("{cycle}/lien-public"), &[("action", "ouvrir")])
        .await
        .assert_redirect(&format!("{cycle}#habitants"));
    let page = provider.get(&cycle).await;
    let start = page.body.find("/i/").expect("the link is shown");
    let link = page.body[start..].split('"').next().unwrap().to_owned();
    // An inhabitant, without an account: a forged form token is refused with the idea kept, then it goes through.
    let inhabitant = app.client();
    inhabitant.get(&link).await.assert_status(200).assert_contains("Une idée pour CA Grand Châtellerault");
    let forged = [("csrf_token", "1.forgé"), ("title", "Un banc devant la poste")];
    inhabitant
        .post(&link, &forged)
        .await
        .assert_status(422)
        .assert_contains("n’a pas pu être vérifié")
        .assert_contains("Un banc devant la poste");
    assert!(with_conn(&app, |conn| store::ideas_of(conn, place).unwrap().is_empty()), "nothing written");
    inhabitant
        .submit(
            &link,
            &link,
            &[("title", "Un banc devant la poste"), ("body", "Pour attendre assis."), ("category", "habitant")],
        )
        .await
        .assert_redirect(&format!("{link}/merci"));
    let idea = with_conn(&app, |conn| idea_id(conn, place, "Un banc devant la poste"));
    // Until the facilitator publishes it, no other role reaches it: page, idea, spreadsheet, cards, project page.
    let referent = logged_in(&app, REFERENT).await;
    let other = logged_in(&app, OTHER_REFERENT).await;
    let visitor = app.client();
    let reads = [
        format!("{cycle}/idees"),
        format!("{cycle}/idees.csv"),
        format!("{cycle}/idees/cartes"),
        format!("/projets/{}", w.project),
    ];
    for (who, client) in [("referent", &referent), ("another territory's referent", &other), ("visitor", &visitor)] {
        for path in &reads {
            let page = client.get(path).await;
            assert!(!page.body.contains("Un banc devant la poste"), "{who} reads the waiting idea on {path}");
        }
        let status = client.get(&format!("{cycle}/idees/{idea}")).await.status;
        assert!([303, 404].contains(&status), "{who} opens the waiting idea: {status}");
    }
    provider
        .get(&format!("{cycle}/idees"))
        .await
        .assert_contains("Idées d’habitants à valider (1)")
        .assert_contains("Un banc devant la poste");
    let ideas = format!("{cycle}/idees");
    provider
        .submit(&ideas, &format!("{ideas}/{idea}/moderation"), &[("decision", "publier")])
        .await
        .assert_redirect(&format!("{ideas}#attente"));
    provider.submit(&ideas, &format!("{ideas}/{idea}/moderation"), &[("decision", "refuser")]).await.assert_status(303);
    referent
        .get(&ideas)
        .await
        .assert_contains("Un banc devant la poste")
        .assert_contains("Habitant·e, habitant·e, par le lien public");
    // Closed, the link takes nothing more.
    provider.submit(&cycle, &format!("{cycle}/lien-public"), &[("action", "fermer")]).await.assert_status(303);
    inhabitant.get(&link).await.assert_status(404);
}

async fn an_author_corrects_their_idea_and_a_scored_criterion_stays(app: TestApp) {
    let w = world(&app);
    let place = Place { project_id: w.project, collectivity_id: w.chatellerault };
    let cycle_ids = with_conn(&app, |conn| {
        let member = fixtures::account(conn, "awa@exemple.fr", "Awa Diallo");
        let project = encommun::storage::projects::find_project(conn, w.project).unwrap().unwrap();
        let chatellerault = fixtures::Collectivity { id: w.chatellerault, name: "Grand Châtellerault".into() };
        fixtures::co_design(conn, &project, &chatellerault, &w.admin).seat(member.id).create()
    });
    let cycle = format!("/projets/{}/croisement/{}", w.project, w.chatellerault);
    let idea = format!("{cycle}/idees/{}", cycle_ids.idea);
    // Its author corrects it; the former title stays in the history. A referent who did not write it may not.
    let awa = logged_in(&app, "awa@exemple.fr").await;
    let fields = [("title", "Une permanence au marché, le samedi"), ("body", "De 9 h à midi.")];
    awa.submit(&idea, &format!("{idea}/modification"), &fields).await.assert_redirect(&idea);
    awa.get(&idea)
        .await
        .assert_contains("<h1>Une permanence au marché, le samedi</h1>")
        .assert_contains("Idée corrigée (elle s’intitulait « Une permanence au marché »).");
    let referent = logged_in(&app, REFERENT).await;
    referent.submit(&idea, &format!("{idea}/modification"), &fields).await.assert_status(403);
    awa.submit(&idea, &format!("{idea}/modification"), &[("title", "")])
        .await
        .assert_status(422)
        .assert_contains("Le titre de l’idée est obligatoire.");
    // A criterion someone scored stays; one nobody scored goes.
    with_conn(&app, |conn| {
        let grid = [(Candidate::Idea(cycle_ids.idea), cycle_ids.criterion, 4)];
        write_transaction(conn, |conn| store::save_scores(conn, cycle_ids.convergence, cycle_ids.seats[0], &grid))
            .unwrap();
    });
    let provider = logged_in(&app, PROVIDER).await;
    let scored = format!("{cycle}/criteres/{}/suppression", cycle_ids.criterion);
    provider.submit(&cycle, &scored, &[]).await.assert_status(400).assert_contains("Ce critère a déjà reçu des notes");
    let spare = with_conn(&app, |conn| {
        let criterion = encommun::domain::codesign::NewCriterion::parse("Se voit vite", "").unwrap();
        write_transaction(conn, |conn| store::insert_criterion(conn, cycle_ids.objective, &criterion)).unwrap()
    });
    let unscored = format!("{cycle}/criteres/{spare}/suppression");
    provider.submit(&cycle, &unscored, &[]).await.assert_redirect(&format!("{cycle}#objectifs"));
    provider.submit(&cycle, &unscored, &[]).await.assert_redirect(&format!("{cycle}#objectifs"));
    let left: Vec<i64> =
        with_conn(&app, |conn| store::objectives_of(conn, place).unwrap()[0].1.iter().map(|c| c.id).collect());
    assert_eq!(left, vec![cycle_ids.criterion]);
}

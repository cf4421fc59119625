//! Public pages kept in memory for visitors without a session: served again only while nothing was recorded in
//! the activity log, on any instance sharing the database; never for a logged-in person.

use encommun::domain::account::Function;
use encommun::domain::territory::TerritoryKind;
use encommun::domain::theme::Engagement;
use encommun::web::middleware::CACHE_HEADER;

use crate::fixtures::{self, logged_in};
use crate::helpers::{with_conn, Page, TestApp};
use crate::on_both_backends;

const REFERENT: &str = "referente@agglopolys.exemple.fr";
const YOUTH: &str = "Engagement des jeunes dans la vie locale";

/// Agglopolys's referent, and the youth theme on which two other collectivities have positioned themselves.
fn youth_and_positions(app: &TestApp) {
    with_conn(app, |conn| {
        fixtures::territories(conn);
        let admin = fixtures::agency_admin(conn, "agence@exemple.fr", "Claire Dubois");
        let agglopolys = fixtures::collectivity(conn, TerritoryKind::Epci, "200030385");
        agglopolys.person(conn, REFERENT, "Sophie Martin", Function::Elu, true);
        let youth = fixtures::theme(conn, &admin, YOUTH).create();
        for code in ["248600413", "200071827"] {
            let collectivity = fixtures::collectivity(conn, TerritoryKind::Epci, code);
            fixtures::position(conn, youth, &collectivity, &admin, Engagement::Participate);
        }
    });
}

fn from_memory(page: &Page) -> bool {
    page.headers.get(CACHE_HEADER).is_some_and(|v| v == "hit")
}

fn youth_theme(page: &Page) -> String {
    let end = page.body.find(&format!("\">{YOUTH}</a>")).unwrap();
    page.body[..end].rsplit("href=\"").next().unwrap().to_owned()
}

on_both_backends!(a_change_on_one_instance_is_seen_at_once_on_the_other);

async fn a_change_on_one_instance_is_seen_at_once_on_the_other(app: TestApp) {
    youth_and_positions(&app);
    let other = app.second_instance();
    let visitor_here = app.client();
    let visitor_there = other.client();
    let index = visitor_there.get("/themes").await;
    assert!(!from_memory(&index), "the first visit renders the page");
    let theme = youth_theme(&index);
    let before = visitor_there.get(&theme).await;
    before.assert_status(200).assert_contains("2 collectivités positionnées");
    let again = visitor_there.get(&theme).await;
    assert!(from_memory(&again), "the second visit is served from memory");
    assert_eq!(again.body, before.body);
    visitor_here.get(&theme).await;
    // A referent positions Agglopolys through the first instance: the second shows it on the next visit.
    let referent = logged_in(&app, REFERENT).await;
    let page = referent.get(&theme).await;
    assert!(!from_memory(&page), "a session never gets a kept page");
    page.assert_contains("Se déconnecter");
    let collectivity = page.body.split("name=\"collectivity_id\" value=\"").nth(1).unwrap().split('"').next().unwrap();
    let token = page.csrf_token();
    referent
        .post(
            &format!("{theme}/positionnement"),
            &[
                ("csrf_token", &token),
                ("collectivity_id", collectivity),
                ("stakes", "Nos jeunes quittent le territoire faute de lieux où se retrouver."),
                ("engagement", "participate"),
            ],
        )
        .await
        .assert_redirect(&theme);
    for visitor in [&visitor_there, &visitor_here] {
        let after = visitor.get(&theme).await;
        assert!(!from_memory(&after));
        after.assert_contains("3 collectivités positionnées").assert_contains("CA de Blois");
    }
    // Only successful pages are kept: a missing theme is rendered every time.
    let fresh = other.client();
    for _ in 0..2 {
        assert!(!from_memory(fresh.get("/themes/999999").await.assert_status(404)));
    }
    fresh.get("/themes").await;
    assert!(from_memory(&fresh.get("/themes").await));
    // Once the session holds something (here the login form's token), every request reaches its handler.
    fresh.get("/connexion").await;
    assert!(fresh.has_session());
    assert!(!from_memory(&fresh.get("/themes").await));
}

on_both_backends!(a_logged_in_page_renders_its_own_part_around_the_part_kept_for_all);

/// A logged-in person's theme page and index are the part kept for all their viewers (per content version and
/// audience) around what is theirs: their forms, the agency's moderation. What is kept never carries one person's
/// part to another, a proposal stays with its collectivity and the agency even once kept, and a change made on
/// another instance shows at once.
async fn a_logged_in_page_renders_its_own_part_around_the_part_kept_for_all(app: TestApp) {
    const OTHER_REFERENT: &str = "referent@colmar.exemple.fr";
    const PROPOSAL: &str = "Revitalisation des centres-bourgs";
    youth_and_positions(&app);
    let proposal = with_conn(&app, |conn| {
        let admin = fixtures::agency_admin(conn, "moderation@exemple.fr", "Marc Petit");
        let colmar = fixtures::collectivity(conn, TerritoryKind::Epci, "246800726");
        colmar.referent(conn, OTHER_REFERENT, "Léa Moreau");
        fixtures::theme(conn, &admin, PROPOSAL).proposed_by(&colmar).create()
    });
    let other = app.second_instance();
    let admin = logged_in(&app, "agence@exemple.fr").await;
    let referent = logged_in(&app, REFERENT).await;
    let other_referent = logged_in(&app, OTHER_REFERENT).await;
    let theme = youth_theme(&app.client().get("/themes").await);

    let seen_by_admin = admin.get(&theme).await;
    seen_by_admin.assert_status(200).assert_contains("Modération").assert_contains("Ouvrir un projet partagé");
    assert!(!seen_by_admin.body.contains("name=\"collectivity_id\""), "the agency acts for no collectivity");
    for _ in 0..2 {
        let page = referent.get(&theme).await;
        page.assert_status(200).assert_contains("Le positionnement de CA de Blois").assert_contains("Se positionner");
        page.assert_contains("2 collectivités positionnées").assert_contains("Sophie Martin");
        assert!(!page.body.contains("Modération") && !page.body.contains("Ouvrir un projet partagé"));
        assert!(!page.body.contains("Claire Dubois"), "the admin's menu stayed theirs");
    }
    let page = other_referent.get(&theme).await;
    page.assert_contains("Le positionnement de CA Colmar Agglomération").assert_contains("Léa Moreau");
    assert!(!page.body.contains("Le positionnement de CA de Blois") && !page.body.contains("Sophie Martin"));

    // The proposal: its collectivity's referent sees it first (the part is kept), another referent never.
    let proposal_path = format!("/themes/{proposal}");
    other_referent.get(&proposal_path).await.assert_status(200).assert_contains(PROPOSAL);
    admin.get(&proposal_path).await.assert_status(200).assert_contains("Publier : ouvrir aux positionnements");
    referent.get(&proposal_path).await.assert_status(404);
    app.client().get(&proposal_path).await.assert_status(404);
    let index = admin.get("/themes").await;
    index.assert_contains("1 proposition à examiner").assert_contains("À examiner");
    let index = referent.get("/themes").await;
    index.assert_contains("Proposer un thème").assert_contains(YOUTH);
    assert!(!index.body.contains("à examiner") && !index.body.contains("À examiner"));

    // Agglopolys positions itself through the other instance: this one's kept parts are read again.
    let there = logged_in(&other, REFERENT).await;
    let form = there.get(&theme).await;
    let collectivity = form.body.split("name=\"collectivity_id\" value=\"").nth(1).unwrap().split('"').next().unwrap();
    let token = form.csrf_token();
    let fields = [
        ("csrf_token", token.as_str()),
        ("collectivity_id", collectivity),
        ("stakes", "Nos jeunes quittent le territoire faute de lieux où se retrouver."),
        ("engagement", "participate"),
    ];
    there.post(&format!("{theme}/positionnement"), &fields).await.assert_redirect(&theme);
    let page = referent.get(&theme).await;
    page.assert_contains("3 collectivités positionnées").assert_contains("Mettre à jour le positionnement");
    page.assert_contains("Nos jeunes quittent le territoire");
    other_referent.get(&theme).await.assert_contains("3 collectivités positionnées").assert_contains("Se positionner");
    let index = admin.get("/themes?statut=proposed").await;
    index.assert_contains(PROPOSAL);
}

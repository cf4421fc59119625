//! Themes: proposals, moderation, positions with their counts and dated history, ranking.

use std::sync::{Arc, Barrier};

use encommun::domain::account::Function;
use encommun::domain::project::Phase;
use encommun::domain::territory::TerritoryKind;
use encommun::domain::theme::{Engagement, NewPosition, NewTheme, ThemeStatus};
use encommun::storage::collectivities::{register_collectivity, upsert_membership};
use encommun::storage::territories::find_territory;
use encommun::storage::themes::{find_theme, insert_theme, take_position};
use encommun::storage::users::find_user_by_email;
use encommun::storage::DbConnection;

use crate::fixtures::{self, logged_in, Account, Collectivity};
use crate::helpers::{with_conn, Client, TestApp};
use crate::on_both_backends;

const ADMIN: &str = "agence@exemple.fr";
const AGGLOPOLYS_REFERENT: &str = "referente@agglopolys.exemple.fr";
const CHATELLERAULT_REFERENT: &str = "agent@grand-chatellerault.exemple.fr";
const CAHORS_MEMBER: &str = "elu@grand-cahors.exemple.fr";

const PROBLEM: &str = "Sans voiture, une partie des habitants ne peut ni travailler ni se soigner.";
const WHY: &str = "La moitié de nos communes n’a aucun transport collectif régulier.";
const ENROLMENT_PROJECT: &str = "Projet en inscriptions";
const STAKES: &str = "Nos bourgs-centres perdent leurs services ; les jeunes partent faute de mobilité.";

/// Who the tests of themes involve: the agency, Agglopolys's referent (an elected member), Grand Châtellerault's
/// (an agent) and a plain member of Grand Cahors.
struct Cast {
    admin: Account,
    agglopolys: Collectivity,
    agglopolys_referent: Account,
    chatellerault: Collectivity,
    chatellerault_referent: Account,
    cahors: Collectivity,
}

fn cast(app: &TestApp) -> Cast {
    with_conn(app, |conn| {
        fixtures::territories(conn);
        let admin = fixtures::agency_admin(conn, ADMIN, "Claire Agence");
        let agglopolys = fixtures::collectivity(conn, TerritoryKind::Epci, "200030385");
        let agglopolys_referent = agglopolys.person(conn, AGGLOPOLYS_REFERENT, "Sophie Référente", Function::Elu, true);
        let chatellerault = fixtures::collectivity(conn, TerritoryKind::Epci, "248600413");
        let chatellerault_referent = chatellerault.referent(conn, CHATELLERAULT_REFERENT, "Karim Référent");
        let cahors = fixtures::collectivity(conn, TerritoryKind::Epci, "200023737");
        cahors.member(conn, CAHORS_MEMBER, "Jean Membre");
        Cast { admin, agglopolys, agglopolys_referent, chatellerault, chatellerault_referent, cahors }
    })
}

const MOBILITY: &str = "Mobilités du quotidien en milieu rural";
const YOUTH: &str = "Engagement des jeunes dans la vie locale";

/// Two open themes with positions: mobility (Agglopolys and Grand Châtellerault to participate, Grand Cahors to
/// observe), youth (Grand Châtellerault interested, Grand Angoulême to participate).
fn positioned_themes(conn: &mut DbConnection, cast: &Cast) {
    let mobility = fixtures::theme(conn, &cast.admin, MOBILITY).create();
    let youth = fixtures::theme(conn, &cast.admin, YOUTH).create();
    let angouleme = fixtures::collectivity(conn, TerritoryKind::Epci, "200071827");
    let positions = [
        (mobility, &cast.agglopolys, &cast.agglopolys_referent, Engagement::Participate),
        (mobility, &cast.chatellerault, &cast.chatellerault_referent, Engagement::Participate),
        (mobility, &cast.cahors, &cast.admin, Engagement::Observe),
        (youth, &cast.chatellerault, &cast.chatellerault_referent, Engagement::Interested),
        (youth, &angouleme, &cast.admin, Engagement::Participate),
    ];
    for (theme, collectivity, by, engagement) in positions {
        fixtures::position(conn, theme, collectivity, by, engagement);
    }
}

/// The agency opens a theme; returns its path.
async fn open_theme(app: &TestApp, title: &str) -> String {
    let admin = logged_in(app, ADMIN).await;
    let page = admin
        .submit("/themes/nouveau", "/themes", &[("title", title), ("problem", PROBLEM), ("why_it_matters", WHY)])
        .await;
    page.assert_status(303);
    page.location.clone().unwrap()
}

fn collectivity_field(page: &crate::helpers::Page) -> String {
    let marker = r#"name="collectivity_id" value=""#;
    let start = page.body.find(marker).expect("a position form") + marker.len();
    page.body[start..].split('"').next().unwrap().to_owned()
}

async fn take(client: &Client, theme: &str, engagement: &str) -> crate::helpers::Page {
    let page = client.get(theme).await;
    let collectivity = collectivity_field(&page);
    let token = page.csrf_token();
    client
        .post(
            &format!("{theme}/positionnement"),
            &[
                ("csrf_token", &token),
                ("collectivity_id", &collectivity),
                ("stakes", STAKES),
                ("engagement", engagement),
            ],
        )
        .await
}

on_both_backends!(
    a_referent_proposes_and_the_agency_publishes,
    positions_are_counted_changed_and_withdrawn_with_history,
    the_index_ranks_by_positions_then_participation,
    only_referents_position_and_only_for_their_collectivity,
    closed_themes_refuse_positions_and_write_nothing,
    concurrent_positions_are_all_counted,
    a_duplicate_is_merged_and_its_positions_follow,
    the_index_filters_by_region_and_kind_and_the_page_breaks_down,
    the_dashboard_shows_positions_and_what_to_do_next,
    a_long_index_is_paged_in_ranking_order,
);

/// 125 open themes (2 with positions and 123 more): pages of 100, ranks running on, a stale page number answered
/// with the last page.
async fn a_long_index_is_paged_in_ranking_order(app: TestApp) {
    let cast = cast(&app);
    with_conn(&app, |conn| {
        positioned_themes(conn, &cast);
        let admin = find_user_by_email(conn, ADMIN).unwrap().unwrap().id;
        for i in 1..=123 {
            let theme = NewTheme::parse(&format!("Thème paginé n° {i:03}"), PROBLEM, WHY).unwrap();
            insert_theme(conn, &theme, admin, None, ThemeStatus::Open).unwrap();
        }
    });
    let visitor = app.client();
    let first = visitor.get("/themes").await;
    first
        .assert_status(200)
        .assert_contains("Page 1 sur 2")
        .assert_contains(r#"href="/themes?statut=open&amp;page=2""#);
    assert_eq!(first.body.matches("<tr>").count(), 101, "a header row and 100 themes");
    // The positioned themes rank first.
    first.assert_contains(MOBILITY);
    let second = visitor.get("/themes?statut=open&page=2").await;
    second
        .assert_status(200)
        .assert_contains("Page 2 sur 2")
        .assert_contains("<td>101</td>")
        .assert_contains("<td>125</td>");
    second.assert_lacks("<td>126</td>").assert_lacks(MOBILITY);
    assert_eq!(second.body.matches("<tr>").count(), 26);
    visitor.get("/themes?page=99").await.assert_contains("Page 2 sur 2");
    visitor.get("/themes?page=abc").await.assert_contains("Page 1 sur 2");
}

async fn the_dashboard_shows_positions_and_what_to_do_next(app: TestApp) {
    let cast = cast(&app);
    with_conn(&app, |conn| {
        positioned_themes(conn, &cast);
        fixtures::theme(conn, &cast.chatellerault_referent, "Tiers-lieux").proposed_by(&cast.chatellerault).create();
        fixtures::project(conn, &cast.admin).title(ENROLMENT_PROJECT).create();
        let provider = fixtures::provider(conn, "Coopérative des essais");
        fixtures::project(conn, &cast.admin)
            .title("Projet en diagnostic")
            .participant(&cast.agglopolys)
            .provider(&provider)
            .phase(Phase::Diagnostic)
            .create();
    });
    app.client().get("/ma-collectivite").await.assert_redirect("/connexion?suivant=/ma-collectivite");
    // Agglopolys has positioned itself on mobility only: youth is to do.
    let referent = logged_in(&app, AGGLOPOLYS_REFERENT).await;
    let page = referent.get("/ma-collectivite").await;
    page.assert_status(200)
        .assert_contains("Vous y êtes élu·e, référent·e")
        .assert_contains("Se positionner sur <a href=\"/themes/")
        .assert_contains(&format!("« {YOUTH} »"))
        .assert_contains(&format!(">{MOBILITY}</a></th><td>Participer</td>"));
    page.assert_lacks("autres thèmes ouverts").assert_lacks("Un autre thème ouvert");
    take(&referent, &open_theme(&app, "Un thème tout neuf").await, "observe").await.assert_status(303);
    referent.get("/ma-collectivite").await.assert_contains(">Un thème tout neuf</a></th><td>Observer</td>");
    // Five suggestions at most; the others are counted, one link away.
    with_conn(&app, |conn| {
        for i in 1..=6 {
            fixtures::theme(conn, &cast.admin, &format!("Thème à découvrir n° {i}")).create();
        }
    });
    let crowded = referent.get("/ma-collectivite").await;
    assert_eq!(crowded.body.matches("Se positionner sur <a").count(), 5, "{}", crowded.body);
    crowded.assert_contains(r#"<a href="/themes">2 autres thèmes ouverts</a> attendent aussi votre positionnement."#);
    // A plain member follows without acting.
    let member = logged_in(&app, CAHORS_MEMBER).await;
    member
        .get("/ma-collectivite")
        .await
        .assert_contains("Les positionnements se prennent par le référent")
        .assert_lacks("Se positionner sur");
    // The agency, without a collectivity, finds what it leads: the proposal to moderate, every project.
    logged_in(&app, ADMIN)
        .await
        .get("/ma-collectivite")
        .await
        .assert_contains("Ce que pilote l’agence")
        .assert_contains("1 thème proposé attend votre modération")
        .assert_contains(&format!("{ENROLMENT_PROJECT}</a> — phase « Inscriptions »"))
        .assert_lacks("n’est rattaché à aucune collectivité");
    // A participant in diagnostic is led to its territory's diagnostic and inquiry group.
    referent.get("/ma-collectivite").await.assert_contains("le diagnostic de votre territoire");
}

async fn the_index_filters_by_region_and_kind_and_the_page_breaks_down(app: TestApp) {
    let cast = cast(&app);
    with_conn(&app, |conn| positioned_themes(conn, &cast));
    let client = app.client();
    let all = client.get("/themes").await.body;
    let (mobility, youth) = (MOBILITY, YOUTH);
    assert!(all.find(mobility) < all.find(youth), "three positions before two");
    // In Nouvelle-Aquitaine, youth has two positions (Grand Châtellerault, Grand Angoulême), mobility one.
    let region = client.get("/themes?statut=open&region=75").await;
    region.assert_status(200).assert_contains("Retirer les filtres").assert_contains(r#"<option value="75" selected>"#);
    assert!(region.body.find(youth) < region.body.find(mobility), "{}", region.body);
    region
        .assert_contains(r#"<td class="num">2</td><td class="num">1</td><td class="num">0</td><td class="num">1</td>"#);
    // No commune has positioned itself.
    client.get("/themes?type=commune").await.assert_contains("Aucun thème dans cette catégorie");
    client.get("/themes?type=region&region=%27%3B--").await.assert_status(200);

    let page = client.get("/themes").await.body;
    // The first theme of the list (the page also links to following themes by e-mail).
    let start = page
        .match_indices("/themes/")
        .map(|(i, _)| i)
        .find(|i| page[i + 8..].starts_with(|c: char| c.is_ascii_digit()))
        .unwrap();
    let first = page[start..].split('"').next().unwrap().to_owned();
    let theme = client.get(&first).await;
    theme
        .assert_contains("Par type de collectivité")
        .assert_contains("Par région")
        .assert_contains("Centre-Val de Loire")
        .assert_contains("Nouvelle-Aquitaine");
}

async fn a_duplicate_is_merged_and_its_positions_follow(app: TestApp) {
    cast(&app);
    let target = open_theme(&app, "Covoiturage solidaire").await;
    let duplicate = open_theme(&app, "Covoiturage entre voisins").await;
    let blois = logged_in(&app, AGGLOPOLYS_REFERENT).await;
    let chatellerault = logged_in(&app, CHATELLERAULT_REFERENT).await;
    take(&blois, &target, "observe").await.assert_status(303);
    take(&blois, &duplicate, "participate").await.assert_status(303);
    take(&chatellerault, &duplicate, "participate").await.assert_status(303);

    let admin = logged_in(&app, ADMIN).await;
    let page = admin.get(&duplicate).await;
    page.assert_contains("Fusionner un doublon");
    let token = page.csrf_token();
    let target_id = target.trim_start_matches("/themes/");
    let duplicate_id = duplicate.trim_start_matches("/themes/");
    admin
        .post(&format!("{duplicate}/fusion"), &[("csrf_token", &token), ("target_id", duplicate_id)])
        .await
        .assert_status(400);
    admin
        .post(&format!("{duplicate}/fusion"), &[("csrf_token", &token), ("target_id", "999999")])
        .await
        .assert_status(400);
    admin
        .post(&format!("{duplicate}/fusion"), &[("csrf_token", &token), ("target_id", target_id)])
        .await
        .assert_redirect(&target);
    let merged = admin.get(&target).await;
    // Blois keeps its position on the target (observe); Grand Châtellerault's moved with the merge.
    merged
        .assert_contains("1 positionnement(s) ont suivi, 1 collectivité(s) étaient déjà positionnées ici.")
        .assert_contains("2 collectivités positionnées")
        .assert_contains("<strong>1</strong> pour participer")
        .assert_contains("<strong>1</strong> pour observer");
    app.client().get(&duplicate).await.assert_contains("Ce thème a été fusionné dans").assert_contains("Archivé");
    app.client().get("/themes").await.assert_lacks("Covoiturage entre voisins");
    // Merging again is refused: the duplicate is archived now.
    admin
        .post(&format!("{duplicate}/fusion"), &[("csrf_token", &token), ("target_id", target_id)])
        .await
        .assert_status(400);

    let csv = admin.get(&format!("{target}/positionnements.csv")).await;
    csv.assert_status(200);
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    assert!(csv.body.starts_with("\u{feff}collectivité,type,code officiel"), "{}", csv.body);
    assert_eq!(csv.body.lines().count(), 3, "a header and two positions:\n{}", csv.body);
    csv.assert_contains("CA Grand Châtellerault,Intercommunalité,248600413,86,75,Participer");
    blois.get(&format!("{target}/positionnements.csv")).await.assert_status(403);
    assert_area_counts_are_exact(&app);
}

async fn a_referent_proposes_and_the_agency_publishes(app: TestApp) {
    let cast = cast(&app);
    with_conn(&app, |conn| {
        fixtures::theme(conn, &cast.chatellerault_referent, "Tiers-lieux").proposed_by(&cast.chatellerault).create();
    });
    let referent = logged_in(&app, AGGLOPOLYS_REFERENT).await;
    let bad = referent
        .submit("/themes/nouveau", "/themes", &[("title", "Eau"), ("problem", "court"), ("why_it_matters", "")])
        .await;
    bad.assert_status(422).assert_contains("Le formulaire contient 3 erreurs").assert_contains(r#"value="Eau""#);
    let created = referent
        .submit(
            "/themes/nouveau",
            "/themes",
            &[("title", "Mobilités rurales"), ("problem", PROBLEM), ("why_it_matters", WHY)],
        )
        .await;
    created.assert_status(303);
    let path = created.location.clone().unwrap();
    referent.get(&path).await.assert_contains("L’agence la relira").assert_contains("Proposé par CA de Blois");
    // Not public yet, not even listed.
    app.client().get(&path).await.assert_status(404);
    app.client().get("/themes").await.assert_lacks("Mobilités rurales");
    app.client().get("/themes?statut=proposed").await.assert_status(403);

    let admin = logged_in(&app, ADMIN).await;
    admin.get("/themes").await.assert_contains("2 propositions à examiner");
    let token = admin.get(&path).await.assert_contains("Modération").csrf_token();
    admin.post(&format!("{path}/statut"), &[("csrf_token", &token), ("status", "selected")]).await.assert_status(400);
    admin.post(&format!("{path}/statut"), &[("csrf_token", &token), ("status", "open")]).await.assert_redirect(&path);
    // A double click publishes once and says so, without an error.
    admin.post(&format!("{path}/statut"), &[("csrf_token", &token), ("status", "open")]).await.assert_redirect(&path);
    admin.get(&path).await.assert_contains("Ce thème est déjà publié.");
    app.client().get(&path).await.assert_status(200).assert_contains("Ouvert aux positionnements");
    app.client().get("/themes").await.assert_contains("Mobilités rurales");
    // The activity log tells the story.
    app.client()
        .get(&path)
        .await
        .assert_contains("propose le thème « Mobilités rurales »")
        .assert_contains("L’agence ouvre aux positionnements");
    // Referents only: a plain member cannot propose.
    let member = logged_in(&app, CAHORS_MEMBER).await;
    member.get("/themes/nouveau").await.assert_status(403);
}

async fn positions_are_counted_changed_and_withdrawn_with_history(app: TestApp) {
    cast(&app);
    let theme = open_theme(&app, "Alimentation de proximité").await;
    let blois = logged_in(&app, AGGLOPOLYS_REFERENT).await;
    let missing = blois.get(&theme).await;
    let collectivity = collectivity_field(&missing);
    let token = missing.csrf_token();
    blois
        .post(
            &format!("{theme}/positionnement"),
            &[("csrf_token", &token), ("collectivity_id", &collectivity), ("stakes", "")],
        )
        .await
        .assert_status(422)
        .assert_contains("L’exposé des enjeux est obligatoire.")
        .assert_contains("Choisissez l’engagement envisagé");
    take(&blois, &theme, "participate").await.assert_redirect(&theme);
    let page = blois.get(&theme).await;
    page.assert_contains("Votre positionnement est enregistré.")
        .assert_contains("1 collectivité positionnée")
        .assert_contains("<strong>1</strong> pour participer");
    take(&blois, &theme, "observe").await.assert_redirect(&theme);
    let page = blois.get(&theme).await;
    page.assert_contains("mis à jour")
        .assert_contains("1 collectivité positionnée")
        .assert_contains("<strong>0</strong> pour participer")
        .assert_contains("<strong>1</strong> pour observer");

    let chatellerault = logged_in(&app, CHATELLERAULT_REFERENT).await;
    take(&chatellerault, &theme, "participate").await.assert_redirect(&theme);
    app.client().get(&theme).await.assert_contains("2 collectivités positionnées").assert_contains(STAKES);

    let page = blois.get(&theme).await;
    let token = page.csrf_token();
    blois
        .post(&format!("{theme}/retrait"), &[("csrf_token", &token), ("collectivity_id", &collectivity)])
        .await
        .assert_redirect(&theme);
    let public = app.client().get(&theme).await;
    public.assert_contains("1 collectivité positionnée").assert_contains("<strong>0</strong> pour observer");
    public
        .assert_contains("CA de Blois «\u{202f}Agglopolys\u{202f}» : se positionne (participer)")
        .assert_contains("modifie son positionnement (observer)")
        .assert_contains("retire son positionnement");
    blois
        .post(&format!("{theme}/retrait"), &[("csrf_token", &token), ("collectivity_id", &collectivity)])
        .await
        .assert_redirect(&theme);
    blois.get(&theme).await.assert_contains("Il n’y avait pas de positionnement à retirer.");
    assert_area_counts_are_exact(&app);
}

async fn the_index_ranks_by_positions_then_participation(app: TestApp) {
    cast(&app);
    let first = open_theme(&app, "Thème A, le moins partagé").await;
    let second = open_theme(&app, "Thème B, observé").await;
    let third = open_theme(&app, "Thème C, pour participer").await;
    let blois = logged_in(&app, AGGLOPOLYS_REFERENT).await;
    let chatellerault = logged_in(&app, CHATELLERAULT_REFERENT).await;
    take(&blois, &second, "observe").await.assert_status(303);
    take(&blois, &third, "participate").await.assert_status(303);
    take(&chatellerault, &second, "observe").await.assert_status(303);
    take(&chatellerault, &third, "participate").await.assert_status(303);
    take(&chatellerault, &first, "interested").await.assert_status(303);
    let index = app.client().get("/themes").await.body;
    let at = |title: &str| index.find(title).unwrap_or_else(|| panic!("{title} listed"));
    // B and C have two positions each; C wins the tie by its participations; A comes last.
    assert!(at("Thème C") < at("Thème B") && at("Thème B") < at("Thème A"), "{index}");
}

async fn only_referents_position_and_only_for_their_collectivity(app: TestApp) {
    cast(&app);
    let theme = open_theme(&app, "Tiers-lieux").await;
    let member = logged_in(&app, CAHORS_MEMBER).await;
    let page = member.get(&theme).await;
    page.assert_lacks("Se positionner");
    let token = page.csrf_token();
    let cahors = with_conn(&app, |conn| {
        let t = find_territory(conn, TerritoryKind::Epci, "200023737").unwrap().unwrap();
        register_collectivity(conn, t.id).unwrap().id.to_string()
    });
    member
        .post(
            &format!("{theme}/positionnement"),
            &[("csrf_token", &token), ("collectivity_id", &cahors), ("stakes", STAKES), ("engagement", "observe")],
        )
        .await
        .assert_status(403);
    // Blois's referent cannot act for Cahors by editing the hidden field.
    let blois = logged_in(&app, AGGLOPOLYS_REFERENT).await;
    let token = blois.get(&theme).await.csrf_token();
    blois
        .post(
            &format!("{theme}/positionnement"),
            &[("csrf_token", &token), ("collectivity_id", &cahors), ("stakes", STAKES), ("engagement", "observe")],
        )
        .await
        .assert_status(403);
    app.client().get(&theme).await.assert_contains("0 collectivité positionnée");
}

async fn closed_themes_refuse_positions_and_write_nothing(app: TestApp) {
    cast(&app);
    let theme = open_theme(&app, "Santé mentale des jeunes").await;
    let blois = logged_in(&app, AGGLOPOLYS_REFERENT).await;
    let page = blois.get(&theme).await;
    let (collectivity, token) = (collectivity_field(&page), page.csrf_token());
    let admin = logged_in(&app, ADMIN).await;
    let admin_token = admin.get(&theme).await.csrf_token();
    admin
        .post(&format!("{theme}/statut"), &[("csrf_token", &admin_token), ("status", "archived")])
        .await
        .assert_redirect(&theme);
    // The form was read while the theme was open; the answer is clear and nothing is written.
    blois
        .post(
            &format!("{theme}/positionnement"),
            &[
                ("csrf_token", &token),
                ("collectivity_id", &collectivity),
                ("stakes", STAKES),
                ("engagement", "observe"),
            ],
        )
        .await
        .assert_status(410)
        .assert_contains("n’est plus ouvert aux positionnements");
    let public = app.client().get(&theme).await;
    public.assert_contains("0 collectivité positionnée").assert_lacks("Historique des positionnements");
    admin
        .post(&format!("{theme}/statut"), &[("csrf_token", &admin_token), ("status", "open")])
        .await
        .assert_status(400)
        .assert_contains("ne peut pas passer");
}

async fn concurrent_positions_are_all_counted(app: TestApp) {
    cast(&app);
    let (theme_id, racers) = with_conn(&app, |conn| {
        let admin = find_user_by_email(conn, ADMIN).unwrap().unwrap();
        let theme = NewTheme::parse("Course aux positions", PROBLEM, WHY).unwrap();
        let theme_id = insert_theme(conn, &theme, admin.id, None, ThemeStatus::Open).unwrap();
        // Eight collectivities (intercommunalities and communes), each with the admin as referent, racing on one theme.
        let codes = [
            (TerritoryKind::Epci, "200030385"),
            (TerritoryKind::Epci, "248600413"),
            (TerritoryKind::Epci, "200023737"),
            (TerritoryKind::Epci, "246800726"),
            (TerritoryKind::Epci, "200071827"),
            (TerritoryKind::Commune, "93066"),
            (TerritoryKind::Commune, "41018"),
            (TerritoryKind::Commune, "86066"),
        ];
        let racers: Vec<i64> = codes
            .iter()
            .map(|(kind, code)| {
                let t = find_territory(conn, *kind, code).unwrap().unwrap();
                let c = register_collectivity(conn, t.id).unwrap();
                upsert_membership(conn, admin.id, c.id, Function::Agent, true).unwrap();
                c.id
            })
            .collect();
        (theme_id, racers)
    });
    let barrier = Arc::new(Barrier::new(racers.len()));
    let handles: Vec<_> = racers
        .iter()
        .enumerate()
        .map(|(i, &collectivity)| {
            let (url, barrier) = (app.config.database_url.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut conn = encommun::storage::establish(&url).unwrap();
                let admin = find_user_by_email(&mut conn, ADMIN).unwrap().unwrap();
                let engagement = ["participate", "observe"][i % 2];
                let position = NewPosition::parse(STAKES, engagement).unwrap();
                barrier.wait();
                encommun::storage::write_transaction(&mut conn, |conn| {
                    take_position(conn, theme_id, collectivity, admin.id, &position, "racer")
                })
                .unwrap();
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    let theme = with_conn(&app, |conn| find_theme(conn, theme_id).unwrap().unwrap());
    assert_eq!((theme.positions_count, theme.participate_count, theme.observe_count), (8, 4, 4));
    assert_area_counts_are_exact(&app);
}

/// The counts by région and kind maintained with each position equal a count of the positions by their
/// territory, for every theme.
fn assert_area_counts_are_exact(app: &TestApp) {
    use diesel::prelude::*;
    use encommun::storage::schema::{collectivities, territories, theme_area_counts, theme_positions};
    type Row = (i64, String, String, i32, i32, i32, i32);
    with_conn(app, |conn| {
        let mut maintained: Vec<Row> = theme_area_counts::table
            .filter(theme_area_counts::positions_count.gt(0))
            .select((
                theme_area_counts::theme_id,
                theme_area_counts::region_code,
                theme_area_counts::kind,
                theme_area_counts::positions_count,
                theme_area_counts::participate_count,
                theme_area_counts::observe_count,
                theme_area_counts::interested_count,
            ))
            .load(conn)
            .unwrap();
        let positions: Vec<(i64, Option<String>, String, String)> = theme_positions::table
            .inner_join(collectivities::table.inner_join(territories::table))
            .select((
                theme_positions::theme_id,
                territories::region_code,
                territories::kind,
                theme_positions::engagement,
            ))
            .load(conn)
            .unwrap();
        let mut expected: Vec<Row> = Vec::new();
        for (theme, region, kind, engagement) in positions {
            let region = region.unwrap_or_default();
            let index = match expected.iter().position(|r| r.0 == theme && r.1 == region && r.2 == kind) {
                Some(i) => i,
                None => {
                    expected.push((theme, region, kind, 0, 0, 0, 0));
                    expected.len() - 1
                }
            };
            let row = &mut expected[index];
            row.3 += 1;
            match engagement.as_str() {
                "participate" => row.4 += 1,
                "observe" => row.5 += 1,
                _ => row.6 += 1,
            }
        }
        maintained.sort();
        expected.sort();
        assert!(!expected.is_empty());
        assert_eq!(maintained, expected);
    });
}

//! Searching the platform, as `web::search`: on the demo, words found whatever their accents and case, ranked title
//! first, narrowed by kind, theme and département; and, table-driven over roles and private items, never a result
//! that is not public — a proposal, a lesson kept among participants or observers, a plan not adopted.

use diesel::prelude::*;
use encommun::demo::{DEMO_ACCOUNTS, DEMO_PASSWORD};
use encommun::domain::capitalisation::Audience;
use encommun::domain::resources::{ActorKind, DirectoryText};
use encommun::storage::capitalisation::{find_lesson, widen, Widened};
use encommun::storage::directory::import_entries;
use encommun::storage::schema::{lessons, users};

use crate::helpers::{with_conn, Client, TestApp};
use crate::on_both_backends;

on_both_backends!(search_finds_words_without_accents_ranked_and_filtered, search_never_shows_what_is_not_public);

/// The positions of `texts` in a page, in order; panics when one is missing.
fn positions(body: &str, texts: &[&str]) -> Vec<usize> {
    texts.iter().map(|t| body.find(t).unwrap_or_else(|| panic!("« {t} » absent"))).collect()
}

async fn search_finds_words_without_accents_ranked_and_filtered(app: TestApp) {
    app.load_demo();
    // Two actors: one says « concertation » in its name, the other only in its presentation.
    with_conn(&app, |conn| {
        let admin: i64 =
            users::table.filter(users::email.eq(DEMO_ACCOUNTS[0].email)).select(users::id).first(conn).unwrap();
        let entry = |name: &str, description: &str| DirectoryText {
            name: name.to_owned(),
            kind: ActorKind::Association,
            siret: None,
            skills: Vec::new(),
            served: vec!["41".to_owned()],
            nationwide: false,
            description: description.to_owned(),
            contact: String::new(),
            links: Vec::new(),
        };
        import_entries(
            conn,
            &[
                entry("Les Amis du bocage", "Une association qui anime la concertation sur les haies du Perche."),
                entry("Maison de la concertation", "Une maison ouverte aux habitants du Loir-et-Cher."),
            ],
            admin,
        )
        .unwrap();
    });
    let visitor = app.client();
    // Accents and case do not count: the same results, the report and the adopted plan of Grand Châtellerault.
    let plain = visitor.get("/recherche?q=chatellerault").await;
    plain
        .assert_status(200)
        .assert_contains("Un bus des droits dans les bourgs de Grand Châtellerault")
        .assert_contains("Plan d’action de CA Grand Châtellerault");
    let accented = visitor.get("/recherche?q=GRAND+CH%C3%82TELLERAULT").await;
    accented.assert_contains("Un bus des droits dans les bourgs de Grand Châtellerault");
    assert_eq!(
        plain.body.matches("<h3>").count(),
        accented.body.matches("<h3>").count(),
        "the same results with and without accents"
    );
    // A word is a prefix: « atelier » finds « ateliers ».
    visitor.get("/recherche?q=atelier").await.assert_contains("Coopérative des ateliers citoyens");
    // Ranked: the name before the presentation.
    let ranked = visitor.get("/recherche?q=concertation").await;
    let at = positions(&ranked.body, &["Maison de la concertation", "Les Amis du bocage"]);
    assert!(at[0] < at[1], "the title ranks first");
    // Narrowed by kind (the counts by kind link to each), by département, by theme.
    ranked.assert_contains("/recherche?q=concertation&amp;type=annuaire");
    let actors = visitor.get("/recherche?q=chatellerault&type=annuaire").await;
    actors.assert_lacks("Un bus des droits").assert_lacks("Plan d’action");
    visitor
        .get("/recherche?q=chatellerault&territoire=86")
        .await
        .assert_contains("Un bus des droits dans les bourgs de Grand Châtellerault");
    visitor.get("/recherche?q=chatellerault&territoire=41").await.assert_lacks("Un bus des droits");
    visitor.get("/recherche?q=concertation&territoire=41").await.assert_contains("Maison de la concertation");
    visitor.get("/recherche?q=concertation&territoire=86").await.assert_lacks("Maison de la concertation");
    let theme_id: i64 = with_conn(&app, |conn| {
        use encommun::storage::schema::{projects, themes};
        projects::table
            .inner_join(themes::table)
            .filter(projects::title.eq(encommun::demo::DIAGNOSTIC_PROJECT))
            .select(themes::id)
            .first(conn)
            .unwrap()
    });
    visitor
        .get(&format!("/recherche?q=chatellerault&theme={theme_id}"))
        .await
        .assert_contains("Plan d’action de CA Grand Châtellerault");
    visitor.get(&format!("/recherche?q=concertation&theme={theme_id}")).await.assert_lacks("Maison de la concertation");
    // Nothing to search: said so, no error; words the engines would read as syntax are words.
    visitor.get("/recherche?q=de+la").await.assert_status(200).assert_contains("au moins un mot");
    visitor.get("/recherche?q=%22eau%22+OR+NEAR(x*)+-budget:*+%26+!").await.assert_status(200);
    visitor
        .get("/recherche?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        .await
        .assert_status(200)
        .assert_contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .assert_lacks("<script>alert(1)");
    visitor.get("/recherche?q=chatellerault&page=999&type=inconnu&theme=x&territoire=zz").await.assert_status(200);
    visitor.get("/recherche").await.assert_status(200).assert_lacks("Aucun résultat");
}

/// Something private in the demo, and words of it to search.
struct Private {
    what: &'static str,
    search: String,
    /// Its title, which a result would show.
    title: String,
}

fn private(what: &'static str, search: &str, title: &str) -> Private {
    Private { what, search: encoded(search), title: title.to_owned() }
}

/// The results of a search page (the form above repeats the words searched).
fn results(body: &str) -> &str {
    body.split("<section aria-labelledby=\"resultats\">").nth(1).unwrap_or("")
}

/// Words as a query string carries them.
fn encoded(words: &str) -> String {
    words
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect()
}

async fn search_never_shows_what_is_not_public(app: TestApp) {
    app.load_demo();
    let mut privates = vec![
        private("a proposed theme", "tiers lieux", "Tiers-lieux et services publics"),
        private(
            "a proposed report",
            "conference citoyenne alimentation",
            "Une conférence citoyenne sur l’alimentation",
        ),
        private("a proposed actor", "blois citoyens", "Blois Citoyens"),
        private("a plan being written", "permanences mairies rurales", "Plan d’action d’Agglopolys"),
    ];
    // Every lesson not shared with everyone, searched by its own title.
    let kept: Vec<(i64, i64, String, String)> = with_conn(&app, |conn| {
        lessons::table
            .filter(lessons::audience.ne(Audience::Public.code()))
            .select((lessons::id, lessons::project_id, lessons::title, lessons::audience))
            .load(conn)
            .unwrap()
    });
    assert!(kept.iter().any(|(.., audience)| audience == "participants"), "the demo keeps a lesson among participants");
    for (_, _, title, _) in &kept {
        privates.push(private("a lesson not shared with everyone", title, title));
    }
    let mut readers: Vec<(&str, Client)> = vec![("a visitor", app.client())];
    // The agency, Agglopolys's referent (its proposals, its plan), Grand Châtellerault's (a participant).
    for account in &DEMO_ACCOUNTS[..3] {
        let client = app.client();
        client.login(account.email, DEMO_PASSWORD).await.assert_status(303);
        readers.push((account.email, client));
    }
    for (who, client) in &readers {
        for private in &privates {
            let page = client.get(&format!("/recherche?q={}", private.search)).await;
            page.assert_status(200);
            assert!(!results(&page.body).contains(&private.title), "{who} found {}: {}", private.what, private.title);
        }
    }
    // Published, the proposals are found by the same words: the searches above could have found them.
    let admin = &readers[1].1;
    for proposal in ["/retours-d-experience/3", "/annuaire/3"] {
        admin.submit(proposal, &format!("{proposal}/moderation"), &[("decision", "publish")]).await.assert_status(303);
    }
    for private in &privates[1..3] {
        let page = app.client().get(&format!("/recherche?q={}", private.search)).await;
        assert!(results(&page.body).contains(&private.title), "{} not found once published", private.what);
    }
    // Shared with everyone, a lesson is found — by everyone.
    let (id, project_id, title, _) = kept[0].clone();
    with_conn(&app, |conn| {
        let lesson = find_lesson(conn, project_id, id).unwrap().unwrap();
        assert_eq!(widen(conn, &lesson, Audience::Public, 1, "Accès aux droits").unwrap(), Widened::Now);
    });
    for (who, client) in &readers {
        let page = client.get(&format!("/recherche?q={}", encoded(&title))).await;
        assert!(results(&page.body).contains(&title), "{who} does not find the lesson shared with everyone");
    }
}

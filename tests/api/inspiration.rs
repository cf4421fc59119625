//! Inspiration resources: the agency publishes, edits and removes them; everyone reads them, on their own pages
//! and on the pages of the themes they feed.

use encommun::domain::account::Function;
use encommun::domain::territory::TerritoryKind;
use encommun::domain::theme::{NewTheme, ThemeStatus};
use encommun::storage::activity::activity_of_theme;
use encommun::storage::inspiration::list_resources;
use encommun::storage::inspiration::themes_of_resources;
use encommun::storage::themes::{find_theme, insert_theme, merge_theme};
use encommun::storage::users::find_user_by_email;
use encommun::storage::write_transaction;

use crate::fixtures::{self, logged_in};
use crate::helpers::{with_conn, TestApp};
use crate::on_both_backends;

const ADMIN: &str = "agence@exemple.fr";
const REFERENT: &str = "referente@agglopolys.exemple.fr";
const MOBILITY: &str = "Mobilités du quotidien en milieu rural";
const YOUTH: &str = "Engagement des jeunes dans la vie locale";
const TRANSPORT: &str = "Transport solidaire : des bénévoles au volant";
const YOUNG_INQUIRERS: &str = "Associer les jeunes au diagnostic de leur territoire";

/// The agency, Agglopolys's referent, two open themes (mobility, youth) and two resources: one on mobility, one on
/// both.
fn library(app: &TestApp) {
    with_conn(app, |conn| {
        fixtures::territories(conn);
        let admin = fixtures::agency_admin(conn, ADMIN, "Claire Dubois");
        fixtures::collectivity(conn, TerritoryKind::Epci, "200030385").person(
            conn,
            REFERENT,
            "Sophie Martin",
            Function::Elu,
            true,
        );
        let mobility = fixtures::theme(conn, &admin, MOBILITY).create();
        let youth = fixtures::theme(conn, &admin, YOUTH).create();
        fixtures::resource(conn, &admin, TRANSPORT, &[mobility]);
        fixtures::resource(conn, &admin, YOUNG_INQUIRERS, &[youth, mobility]);
    });
}

/// Two themes of the agency's: one open, one still a proposal (not attachable).
fn themes(app: &TestApp) -> (i64, i64) {
    with_conn(app, |conn| {
        let admin = find_user_by_email(conn, ADMIN).unwrap().unwrap().id;
        let theme = |title: &str| {
            NewTheme::parse(
                title,
                "Un problème décrit en plus de vingt caractères.",
                "Une raison décrite en plus de vingt caractères.",
            )
            .unwrap()
        };
        let open = insert_theme(conn, &theme("Habitat inclusif"), admin, None, ThemeStatus::Open).unwrap();
        let proposed = insert_theme(conn, &theme("Thème à examiner"), admin, None, ThemeStatus::Proposed).unwrap();
        (open, proposed)
    })
}

fn resource_count(app: &TestApp) -> usize {
    with_conn(app, |conn| list_resources(conn, None, 1000).unwrap().len())
}

on_both_backends!(
    the_agency_publishes_a_resource_that_everyone_reads_on_its_themes,
    a_refused_resource_keeps_the_input_and_writes_nothing,
    the_agency_edits_and_deletes_a_resource,
    resources_follow_a_merged_theme,
);

async fn the_agency_publishes_a_resource_that_everyone_reads_on_its_themes(app: TestApp) {
    library(&app);
    let (theme, _) = themes(&app);
    let theme = theme.to_string();
    let admin = logged_in(&app, ADMIN).await;
    let form = admin.get(&format!("/inspiration/nouvelle?theme={theme}")).await;
    form.assert_status(200).assert_contains("Habitat inclusif");
    assert!(form.body.contains(&format!(r#"value="{theme}" checked"#)), "the theme of origin is ticked");
    let page = admin
        .submit(
            &format!("/inspiration/nouvelle?theme={theme}"),
            "/inspiration",
            &[
                ("title", "Des colocations pour personnes âgées"),
                ("summary", "Trois communes rurales ouvrent des colocations accompagnées dans des maisons de bourg."),
                (
                    "body",
                    "## Le montage\n\nUn bailleur social, une association et la commune. <script>alert(1)</script>\n\n\
                     [Voir le guide](javascript:alert(1))",
                ),
                ("links", "https://www.habitat-inclusif.fr Le portail de l’habitat inclusif\nhttps://exemple.fr"),
                ("theme_ids", &theme),
                ("theme_ids", &theme),
            ],
        )
        .await;
    page.assert_status(303);
    let path = page.location.clone().unwrap();
    // Anyone reads it, sanitised.
    let visitor = app.client();
    let page = visitor.get(&path).await;
    page.assert_status(200)
        .assert_contains("<h2>Le montage</h2>")
        .assert_contains("&lt;script&gt;")
        .assert_contains(r#"<a href="https://www.habitat-inclusif.fr">Le portail de l’habitat inclusif</a>"#)
        .assert_contains(r#"<a href="https://exemple.fr">https://exemple.fr</a>"#)
        .assert_lacks("javascript:")
        .assert_lacks("Modifier ou supprimer");
    // On the theme's page, in the index and its filter.
    visitor
        .get(&format!("/themes/{theme}"))
        .await
        .assert_contains("Pour s’inspirer")
        .assert_contains("Des colocations pour personnes âgées")
        .assert_lacks("Publier une ressource pour ce thème");
    visitor.get("/inspiration").await.assert_contains("Des colocations").assert_contains("Transport solidaire");
    visitor
        .get(&format!("/inspiration?theme={theme}"))
        .await
        .assert_contains("Des colocations")
        .assert_contains("1 ressource pour le thème « Habitat inclusif »")
        .assert_lacks("Transport solidaire");
    // The publication is in the theme's activity (digests read it), once per theme even if ticked twice.
    let theme_id: i64 = theme.parse().unwrap();
    let entries = with_conn(&app, |conn| activity_of_theme(conn, theme_id, 10).unwrap());
    let published: Vec<_> = entries.iter().filter(|a| a.kind == "inspiration_published").collect();
    assert_eq!(published.len(), 1);
    assert!(published[0].summary.contains("Des colocations"), "{}", published[0].summary);
    // A referent reads but does not publish.
    let referent = logged_in(&app, REFERENT).await;
    referent.get("/inspiration/nouvelle").await.assert_status(403);
    let token = referent.csrf().await;
    referent
        .post(
            "/inspiration",
            &[
                ("csrf_token", &token),
                ("title", "Une ressource non autorisée"),
                ("summary", "Un résumé de plus de vingt caractères."),
                ("theme_ids", &theme),
            ],
        )
        .await
        .assert_status(403);
    assert_eq!(resource_count(&app), 3, "the library's two and the agency's one");
}

async fn a_refused_resource_keeps_the_input_and_writes_nothing(app: TestApp) {
    library(&app);
    let (open, proposed) = themes(&app);
    let admin = logged_in(&app, ADMIN).await;
    let before = resource_count(&app);
    // Every field wrong at once: each error named, the input kept.
    let page = admin
        .submit(
            "/inspiration/nouvelle",
            "/inspiration",
            &[
                ("title", "Abc"),
                ("summary", "Trop court"),
                ("links", "https://bon.fr Bon\nwww.sans-protocole.fr Mauvais\nhttps://bon2.fr"),
            ],
        )
        .await;
    page.assert_status(422)
        .assert_contains("Le formulaire contient 4 erreurs")
        .assert_contains("Le titre demande au moins 5 caractères (3 saisis).")
        .assert_contains("Le résumé demande au moins 20 caractères")
        .assert_contains("Liens : ligne 2 : « www.sans-protocole.fr » n’est pas une adresse commençant par https://.")
        .assert_contains("Rattachez la ressource à au moins un thème.")
        .assert_contains("www.sans-protocole.fr Mauvais")
        .assert_contains(r#"value="Abc""#);
    // A theme that is not public cannot be chosen, even by forging the form; the valid one stays ticked.
    let (open, proposed) = (open.to_string(), proposed.to_string());
    let page = admin
        .submit(
            "/inspiration/nouvelle",
            "/inspiration",
            &[
                ("title", "Une ressource valable"),
                ("summary", "Un résumé de plus de vingt caractères."),
                ("theme_ids", &open),
                ("theme_ids", &proposed),
            ],
        )
        .await;
    page.assert_status(422).assert_contains("Un des thèmes choisis n’existe plus ou n’est pas publié");
    assert!(page.body.contains(&format!(r#"value="{open}" checked"#)));
    assert!(!page.body.contains("Thème à examiner"), "a proposal is not offered");
    assert_eq!(resource_count(&app), before, "nothing was written");
}

async fn the_agency_edits_and_deletes_a_resource(app: TestApp) {
    library(&app);
    let (theme, _) = themes(&app);
    let admin = logged_in(&app, ADMIN).await;
    let resource = with_conn(&app, |conn| {
        list_resources(conn, None, 10).unwrap().into_iter().find(|r| r.title == TRANSPORT).unwrap()
    });
    let path = format!("/inspiration/{}", resource.id);
    let edit = admin.get(&format!("{path}/modifier")).await;
    edit.assert_status(200).assert_contains(&resource.title).assert_contains("Je confirme la suppression");
    // Move it to the new theme only, with a new title.
    let theme = theme.to_string();
    admin
        .submit(
            &format!("{path}/modifier"),
            &path,
            &[
                ("title", "Transport solidaire, édition revue"),
                ("summary", &resource.summary),
                ("body", &resource.body),
                ("links", ""),
                ("theme_ids", &theme),
            ],
        )
        .await
        .assert_redirect(&path);
    let page = admin.get(&path).await;
    page.assert_contains("Transport solidaire, édition revue")
        .assert_contains("Habitat inclusif")
        .assert_lacks(&format!("{MOBILITY}</a></li>"));
    admin.get(&format!("/themes/{theme}")).await.assert_contains("Transport solidaire, édition revue");
    // Deleting asks for confirmation; nothing happens without it.
    let token = admin.csrf().await;
    admin.post(&format!("{path}/suppression"), &[("csrf_token", &token)]).await.assert_status(400);
    app.client().get(&path).await.assert_status(200);
    admin
        .post(&format!("{path}/suppression"), &[("csrf_token", &token), ("confirm", "oui")])
        .await
        .assert_redirect("/inspiration");
    app.client().get(&path).await.assert_status(404);
    admin.get(&format!("/themes/{theme}")).await.assert_lacks("Transport solidaire");
    admin.post(&format!("{path}/suppression"), &[("csrf_token", &token), ("confirm", "oui")]).await.assert_status(404);
}

async fn resources_follow_a_merged_theme(app: TestApp) {
    library(&app);
    let (target, _) = themes(&app);
    let titles = with_conn(&app, |conn| {
        let admin = find_user_by_email(conn, ADMIN).unwrap().unwrap().id;
        let resources = list_resources(conn, None, 10).unwrap();
        // The youth resource feeds both themes; merging the mobility theme into the new one moves both resources
        // there, without repeating a link.
        let youth = resources.iter().find(|r| r.title == YOUNG_INQUIRERS).unwrap();
        let mobility = themes_of_resources(conn, &[youth.id])
            .unwrap()
            .into_iter()
            .find(|(_, _, title)| title == MOBILITY)
            .unwrap()
            .1;
        let (mobility, target) =
            (find_theme(conn, mobility).unwrap().unwrap(), find_theme(conn, target).unwrap().unwrap());
        write_transaction(conn, |conn| merge_theme(conn, &mobility, &target, admin)).unwrap();
        let ids: Vec<i64> = resources.iter().map(|r| r.id).collect();
        let mut titles: Vec<String> =
            themes_of_resources(conn, &ids).unwrap().into_iter().map(|(_, _, title)| title).collect();
        titles.sort();
        titles
    });
    assert_eq!(titles, [YOUTH, "Habitat inclusif", "Habitat inclusif"]);
}

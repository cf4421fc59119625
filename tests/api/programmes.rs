//! Programmes, as `web::admin::programmes` and `web::projects::opening`: a project opened from each built-in
//! programme takes its bounds, charter, categories and version, and its seminar plan becomes dated events to
//! confirm (local seminars once per participant, from the day enrolment ends); the phases a programme leaves out are
//! passed over; a programme exported then imported is the same programme; the agency's programmes change in versions
//! while projects keep theirs.

use diesel::prelude::*;
use encommun::domain::programme::Programme;
use encommun::domain::project::{EnrolmentRole, Phase};
use encommun::domain::territory::TerritoryKind;
use encommun::storage::events::Event;
use encommun::storage::programmes::{self, ProgrammeVersion};
use encommun::storage::projects::{change_phase, enrol, find_project, PhaseOutcome, Project};
use encommun::storage::schema::{activity_log, events, peer_groups};
use encommun::storage::{write_transaction, DbConnection};

use crate::fixtures::{self, logged_in, Collectivity};
use crate::helpers::{with_conn, Client, TestApp};
use crate::on_both_backends;

const ADMIN: &str = "agence@exemple.fr";
const EPCI: [&str; 5] = ["248600413", "200030385", "200023737", "246800726", "200071827"];

on_both_backends!(
    a_project_opened_from_each_built_in_programme_takes_its_shape,
    leaving_enrolment_dates_the_seminar_plan_and_confirming_announces_once,
    a_programme_exported_then_imported_is_the_same_programme,
    the_agency_edits_its_programmes_in_versions_and_projects_keep_theirs,
);

struct World {
    admin: fixtures::Account,
    collectivities: Vec<Collectivity>,
}

fn world(app: &TestApp) -> World {
    with_conn(app, |conn| {
        fixtures::territories(conn);
        let admin = fixtures::agency_admin(conn, ADMIN, "Claire Agence");
        let collectivities = EPCI.iter().map(|code| fixtures::collectivity(conn, TerritoryKind::Epci, code)).collect();
        World { admin, collectivities }
    })
}

fn built_in(conn: &mut DbConnection, slug: &str) -> ProgrammeVersion {
    programmes::find_built_in(conn, slug).unwrap().expect("written with the migrations")
}

fn events_of(conn: &mut DbConnection, project_id: i64) -> Vec<Event> {
    events::table.filter(events::project_id.eq(project_id)).order((events::starts_at, events::id)).load(conn).unwrap()
}

/// Opens a project on a new theme through the two steps of the form; returns it.
async fn open_from(app: &TestApp, admin: &Client, w: &World, slug: &str, title: &str) -> Project {
    let version = with_conn(app, |conn| built_in(conn, slug));
    let theme = with_conn(app, |conn| fixtures::theme(conn, &w.admin, &format!("Thème de {title}")).create());
    let choice = admin.get(&format!("/projets/nouveau?theme={theme}")).await;
    choice.assert_status(200).assert_contains(&version.programme.name);
    let form_path = format!("/projets/nouveau?theme={theme}&programme={}", version.programme_id);
    let form = admin.get(&form_path).await;
    let p = &version.programme;
    form.assert_status(200)
        .assert_contains(&format!(r#"name="min_participants" type="number" value="{}""#, p.min_participants))
        .assert_contains(&format!(r#"name="max_participants" type="number" value="{}""#, p.max_participants))
        .assert_contains(&format!(r#"name="programme_version" value="{}""#, version.version));
    let bounds = (p.min_participants.to_string(), p.max_participants.to_string());
    let opening = Opening { programme: version.programme_id, version: version.version, charter: &p.charter, bounds };
    submit_opening(app, admin, theme, &opening, title).await
}

/// What the opening form is sent with.
struct Opening<'a> {
    programme: i64,
    version: i32,
    charter: &'a str,
    bounds: (String, String),
}

/// Sends the opening form for a theme; returns the project opened.
async fn submit_opening(app: &TestApp, admin: &Client, theme: i64, opening: &Opening<'_>, title: &str) -> Project {
    let (id, v, theme) = (opening.programme.to_string(), opening.version.to_string(), theme.to_string());
    let page = admin
        .submit(
            &format!("/projets/nouveau?theme={theme}&programme={id}"),
            "/projets",
            &[
                ("theme_id", &theme),
                ("programme_id", &id),
                ("programme_version", &v),
                ("title", title),
                ("description", "Des territoires conçoivent ensemble une politique avec leurs habitants."),
                ("charter", opening.charter),
                ("min_participants", &opening.bounds.0),
                ("max_participants", &opening.bounds.1),
                ("starts_on", "2027-01-04"),
                ("ends_on", "2028-06-30"),
            ],
        )
        .await;
    page.assert_status(303);
    let project_id: i64 = page.location.clone().unwrap().rsplit('/').next().unwrap().parse().unwrap();
    with_conn(app, |conn| find_project(conn, project_id).unwrap().unwrap())
}

async fn a_project_opened_from_each_built_in_programme_takes_its_shape(app: TestApp) {
    let w = world(&app);
    let admin = logged_in(&app, ADMIN).await;
    for (slug, _) in encommun::domain::programme::BUILT_IN {
        let version = with_conn(&app, |conn| built_in(conn, slug));
        let p = &version.programme;
        let project = open_from(&app, &admin, &w, slug, &format!("Projet {slug}")).await;
        assert_eq!(
            (project.programme_id, project.programme_version),
            (Some(version.programme_id), Some(version.version))
        );
        assert_eq!((project.min_participants, project.max_participants), (p.min_participants, p.max_participants));
        assert_eq!(project.charter, p.charter);
        assert_eq!(project.skipped_phases, p.skipped().codes(), "{slug}");
        let categories: Vec<String> = with_conn(&app, |conn| {
            peer_groups::table
                .filter(peer_groups::project_id.eq(project.id))
                .order(peer_groups::position)
                .select(peer_groups::label)
                .load(conn)
                .unwrap()
        });
        assert_eq!(categories, p.categories.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>(), "{slug}");
        // The events of the enrolment phase are dated from the project's start, to confirm; the others wait for
        // the participants.
        let planned = with_conn(&app, |conn| events_of(conn, project.id));
        let enrolment: Vec<_> = p.seminars.iter().filter(|s| s.phase == Phase::Enrolment).collect();
        assert_eq!(planned.len(), enrolment.len(), "{slug}");
        for (event, seminar) in planned.iter().zip(&enrolment) {
            assert_eq!(event.title, seminar.title);
            assert!(!event.confirmed);
            let start = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
            assert_eq!(event.starts_at.date(), start + chrono::TimeDelta::weeks(i64::from(seminar.week) - 1));
        }
        // The project page says which programme, and when each phase is planned.
        let page = admin.get(&format!("/projets/{}", project.id)).await;
        page.assert_contains(&format!("Le projet suit le programme « {} » (version {})", p.name, version.version))
            .assert_contains("Prévue du 4 janvier 2027 au");
        if slug == "fabriques-prospectives" {
            page.assert_contains("Le programme ne prévoit pas : « Restitution aux habitants ».");
        }
    }
    // A form naming no programme, or an unknown one, is refused and opens nothing.
    let theme = with_conn(&app, |conn| fixtures::theme(conn, &w.admin, "Thème sans programme").create()).to_string();
    let before = with_conn(&app, |conn| encommun::storage::projects::list_projects(conn).unwrap().len());
    for programme in ["", "999999", "abc"] {
        admin
            .submit(
                &format!("/projets/nouveau?theme={theme}"),
                "/projets",
                &[("theme_id", &theme), ("programme_id", programme), ("title", "Sans programme")],
            )
            .await
            .assert_status(400)
            .assert_contains("Choisissez le programme dans la liste.");
    }
    assert_eq!(with_conn(&app, |conn| encommun::storage::projects::list_projects(conn).unwrap().len()), before);
}

async fn leaving_enrolment_dates_the_seminar_plan_and_confirming_announces_once(app: TestApp) {
    let w = world(&app);
    let admin = logged_in(&app, ADMIN).await;
    let project = open_from(&app, &admin, &w, "fabriques-prospectives", "Fabrique des mobilités").await;
    let p = with_conn(&app, |conn| built_in(conn, "fabriques-prospectives")).programme;
    let provider = with_conn(&app, |conn| fixtures::provider(conn, "Coopérative prospective"));
    with_conn(&app, |conn| {
        for c in &w.collectivities[..4] {
            write_transaction(conn, |conn| {
                enrol(conn, project.id, c.id, w.admin.id, EnrolmentRole::Participant, &c.name)
            })
            .unwrap();
        }
        write_transaction(conn, |conn| {
            encommun::storage::projects::assign_provider(conn, project.id, provider.id, &provider.name, w.admin.id)
        })
        .unwrap();
    });
    // The Fabriques use the provider's phase: enrolment goes there, and the plan is dated from today.
    let outcome = with_conn(&app, |conn| {
        write_transaction(conn, |conn| change_phase(conn, project.id, Phase::ProviderSelection, "Fin.", w.admin.id))
            .unwrap()
    });
    assert!(matches!(outcome, PhaseOutcome::Changed { .. }), "{outcome:?}");
    let planned = with_conn(&app, |conn| events_of(conn, project.id));
    let local = p.seminars.iter().filter(|s| s.per_territory()).count();
    let whole = p.seminars.len() - local;
    assert_eq!(planned.len(), local * 4 + whole, "four local seminars on each of the four territories, the rest once");
    assert!(planned.iter().all(|e| !e.confirmed && e.starts_at.date() >= encommun::storage::now().date()));
    for c in &w.collectivities[..4] {
        let on_site = planned.iter().filter(|e| e.collectivity_id == Some(c.id)).count();
        assert_eq!(on_site, local, "{}", c.name);
    }
    assert_eq!(planned.iter().filter(|e| e.kind == "steering_committee").count(), 3);
    // Nothing is announced until confirmed.
    let announced = |app: &TestApp| {
        with_conn(app, |conn| {
            activity_log::table
                .filter(activity_log::project_id.eq(project.id))
                .filter(activity_log::kind.eq("event_planned"))
                .count()
                .get_result::<i64>(conn)
                .unwrap()
        })
    };
    assert_eq!(announced(&app), 0);
    let seminar = planned.iter().find(|e| e.kind == "inter_site_seminar").unwrap();
    let path = format!("/projets/{}/evenements/{}", project.id, seminar.id);
    admin.get(&path).await.assert_contains("Date indicative").assert_contains("Ajuster et confirmer le rendez-vous");
    admin
        .get(&format!("/projets/{}", project.id))
        .await
        .assert_contains("date à confirmer")
        .assert_contains("Le programme ne prévoit pas : « Restitution aux habitants ».");
    // Bad input is refused with its field, nothing changes.
    let edit = format!("{path}/modifier");
    let fields = |starts: &'static str| {
        [
            ("title", "Séminaire inter-sites 1 : lancement"),
            ("description", "Avec les partenaires nationaux."),
            ("starts_at", starts),
            ("ends_at", "2027-09-14T17:00"),
            ("place", "Maison des territoires, Poitiers"),
        ]
    };
    admin
        .submit(&edit, &path, &fields("2027-09-14T18:00"))
        .await
        .assert_status(422)
        .assert_contains("La fin doit suivre le début.");
    assert_eq!(announced(&app), 0);
    // Confirmed twice (a double click): announced once, with its new date and place.
    for _ in 0..2 {
        admin.submit(&edit, &path, &fields("2027-09-14T09:30")).await.assert_status(303);
    }
    assert_eq!(announced(&app), 1);
    let page = admin.get(&path).await;
    page.assert_lacks("Date indicative").assert_contains("Maison des territoires, Poitiers");
    // Moved to another day once confirmed: announced again.
    admin
        .submit(
            &edit,
            &path,
            &[
                ("title", "Séminaire inter-sites 1 : lancement"),
                ("starts_at", "2027-09-21T09:30"),
                ("ends_at", "2027-09-21T17:00"),
                ("place", "Maison des territoires, Poitiers"),
            ],
        )
        .await
        .assert_status(303);
    assert_eq!(announced(&app), 2);
    // The Fabriques leave the restitution out: adoption goes to the follow-up.
    with_conn(&app, |conn| {
        for to in [Phase::Diagnostic, Phase::CoDesign, Phase::Adoption] {
            let outcome =
                write_transaction(conn, |conn| change_phase(conn, project.id, to, "Suite.", w.admin.id)).unwrap();
            assert!(matches!(outcome, PhaseOutcome::Changed { .. }), "{to:?}: {outcome:?}");
        }
        let refused =
            write_transaction(conn, |conn| change_phase(conn, project.id, Phase::Restitution, "Non.", w.admin.id));
        assert!(
            matches!(refused.unwrap(), PhaseOutcome::Refused(reason) if reason.contains("« Suivi et évaluation »"))
        );
    });
}

/// Posts a programme file to the import form.
async fn import(admin: &Client, name: &str, text: &str) -> crate::helpers::Page {
    admin.upload("/admin/programmes", "/admin/programmes/import", &[], name, text.as_bytes()).await
}

async fn a_programme_exported_then_imported_is_the_same_programme(app: TestApp) {
    let w = world(&app);
    let admin = logged_in(&app, ADMIN).await;
    let id = with_conn(&app, |conn| fixtures::programme(conn, &w.admin, "Programme des essais"));
    let path = format!("/admin/programmes/{id}");
    let json = admin.get(&format!("{path}/programme.json")).await;
    json.assert_status(200);
    assert!(
        json.headers["content-disposition"].contains("programme-programme-des-essais-v1.json"),
        "{:?}",
        json.headers
    );
    let toml = admin.get(&format!("{path}/programme.toml")).await;
    toml.assert_status(200);
    let original = with_conn(&app, |conn| programmes::find_version(conn, id, 1).unwrap().unwrap()).programme;
    assert_eq!(Programme::read_file(&json.body), Ok(original.clone()));
    assert_eq!(Programme::read_file(&toml.body), Ok(original.clone()));
    // Imported again, in either format: the same programme, nothing written.
    for (name, text) in [("programme.json", &json.body), ("programme.toml", &toml.body)] {
        let page = import(&admin, name, text).await;
        page.assert_status(303).assert_redirect(&path);
        admin.get(&path).await.assert_contains("Le fichier est identique à la version 1 : rien n’a changé.");
    }
    assert_eq!(with_conn(&app, |conn| programmes::versions_of(conn, id).unwrap().len()), 1);
    // Changed outside (TOML): version 2 of the same programme, equal to what the file says.
    let changed = toml.body.replace("max_participants = 5", "max_participants = 6");
    import(&admin, "programme.toml", &changed).await.assert_status(303).assert_redirect(&path);
    let v2 = with_conn(&app, |conn| programmes::find_version(conn, id, 2).unwrap().unwrap());
    assert_eq!(Programme::read_file(&changed), Ok(v2.programme.clone()));
    assert_eq!(v2.programme.max_participants, 6);
    // Under a new name: a new programme, the same in every other respect.
    let renamed = json.body.replace("\"Programme des essais\"", "\"Programme importé\"");
    let page = import(&admin, "copie.json", &renamed).await;
    page.assert_status(303);
    let new_id: i64 = page.location.clone().unwrap().rsplit('/').next().unwrap().parse().unwrap();
    assert_ne!(new_id, id);
    let copy = with_conn(&app, |conn| programmes::find_version(conn, new_id, 1).unwrap().unwrap()).programme;
    assert_eq!(Programme { name: original.name.clone(), ..copy }, original);
    // Mistakes are named, nothing is written.
    let before = with_conn(&app, |conn| programmes::all_programmes(conn).unwrap().len());
    let cases = [
        ("vide.toml", "", "Choisissez le fichier du programme à importer."),
        ("faux.json", "{\n  \"format\": \"encommun-programme\",\n  \"format_version\": 1,\n  oups\n}", "Le fichier JSON est illisible ligne 4"),
        ("autre.toml", "format = \"autre\"\nformat_version = 1\n[programme]\nname = \"X\"\nmin_participants = 1\nmax_participants = 2\ncharter = \"Une charte assez longue.\"\nphases = []\ncategories = []\n", "n’est pas un programme d’encommun"),
        ("futur.json", &json.body.replace("\"format_version\": 1", "\"format_version\": 7"), "version 7 du format"),
        ("semaine.json", &renamed.replace("\"Programme importé\"", "\"Programme fautif\"").replace("\"week\": 3,", "\"week\": 99,"), "la semaine va de 1 à"),
        ("inconnu.toml", &toml.body.replace("[programme]", "[programme]\ncouleur = \"bleu\""), "le champ « couleur » n’est pas connu"),
    ];
    for (name, text, message) in cases {
        let page = import(&admin, name, text).await;
        page.assert_status(422).assert_contains("Le fichier n’a pas été importé").assert_contains(message);
    }
    // A built-in programme's own file is the same programme; changed, it is refused (it changes with the binary).
    let tec = with_conn(&app, |conn| built_in(conn, "territoires-en-commun"));
    let tec_json = admin.get(&format!("/admin/programmes/{}/programme.json", tec.programme_id)).await.body;
    import(&admin, "tec.json", &tec_json).await.assert_status(303);
    import(&admin, "tec.json", &tec_json.replace("\"max_participants\": 5", "\"max_participants\": 9"))
        .await
        .assert_status(422)
        .assert_contains("fourni avec encommun");
    assert_eq!(with_conn(&app, |conn| programmes::all_programmes(conn).unwrap().len()), before);
}

async fn the_agency_edits_its_programmes_in_versions_and_projects_keep_theirs(app: TestApp) {
    let w = world(&app);
    let admin = logged_in(&app, ADMIN).await;
    // Duplicated from the cohort: the form carries its plan, with blank rows to add more.
    let cohort = with_conn(&app, |conn| built_in(conn, "cohorte"));
    let new = format!("/admin/programmes/nouveau?depuis={}", cohort.programme_id);
    let form = admin.get(&new).await;
    form.assert_status(200)
        .assert_contains("Cohorte de territoires pilotes (copie)")
        .assert_contains(r#"name="seminar_7_title" type="text" value="Séminaire de clôture de la cohorte""#)
        .assert_contains(r#"name="seminar_10_title""#)
        .assert_lacks(r#"name="seminar_11_title""#);
    // The built-in programmes are read, not changed.
    admin.get(&format!("/admin/programmes/{}/modifier", cohort.programme_id)).await.assert_status(400);
    // Every mistake with its field; « Ajouter des lignes » adds rows without saving.
    let mut fields: Vec<(String, String)> = vec![
        ("name".into(), "Cohorte 2027".into()),
        ("summary".into(), "Dix territoires pilotes.".into()),
        ("min_participants".into(), "8".into()),
        ("max_participants".into(), "dix".into()),
        ("weeks_enrolment".into(), "6".into()),
        ("weeks_diagnostic".into(), "12".into()),
        ("weeks_co_design".into(), "20".into()),
        ("weeks_adoption".into(), "".into()),
        ("seminar_0_title".into(), "Séminaire de lancement".into()),
        ("seminar_0_kind".into(), "inter_site_seminar".into()),
        ("seminar_0_phase".into(), "diagnostic".into()),
        ("seminar_0_week".into(), "1".into()),
        ("seminar_0_hours".into(), "7".into()),
        ("seminar_1_title".into(), "".into()),
        ("seminar_2_title".into(), "Journée entre pairs".into()),
        ("seminar_2_kind".into(), "peer_exchange".into()),
        ("seminar_2_phase".into(), "co_design".into()),
        ("seminar_2_week".into(), "30".into()),
        ("seminar_2_hours".into(), "7".into()),
        ("categories".into(), "Élus ; Élu·e\nAgents des collectivités".into()),
        ("charter".into(), "Chaque territoire envoie une délégation de quatre.".into()),
    ];
    let as_refs = |fields: &[(String, String)]| -> Vec<(String, String)> { fields.to_vec() };
    let post = |fields: Vec<(String, String)>| {
        let admin = &admin;
        async move {
            let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            admin.submit("/admin/programmes/nouveau", "/admin/programmes", &refs).await
        }
    };
    let mut more = as_refs(&fields);
    more.push(("more_rows".into(), "oui".into()));
    // The row left blank goes; the two filled follow each other, then three blank rows.
    post(more)
        .await
        .assert_status(200)
        .assert_contains(r#"name="seminar_1_title" type="text" value="Journée entre pairs""#)
        .assert_contains(r#"name="seminar_4_title""#)
        .assert_lacks(r#"name="seminar_5_title""#)
        .assert_lacks("Erreur");
    let page = post(as_refs(&fields)).await;
    page.assert_status(422)
        .assert_contains("Le nombre maximum de participantes s’écrit en chiffres.")
        .assert_contains("La phase « Adoption des plans d’action » fait partie de tout programme")
        // The message's « Rendez-vous 2 » is the second row the page shows back.
        .assert_contains(r#"id="seminar_1_week-erreur""#)
        .assert_contains("Rendez-vous 2 (« Journée entre pairs ») : la semaine va de 1 à 20");
    assert_eq!(with_conn(&app, |conn| programmes::all_programmes(conn).unwrap().len()), 3);
    for (k, v) in fields.iter_mut() {
        match k.as_str() {
            "max_participants" => *v = "10".into(),
            "weeks_adoption" => *v = "8".into(),
            "seminar_2_week" => *v = "6".into(),
            _ => {}
        }
    }
    let page = post(as_refs(&fields)).await;
    page.assert_status(303);
    let path = page.location.clone().unwrap();
    let id: i64 = path.rsplit('/').next().unwrap().parse().unwrap();
    let v1 = with_conn(&app, |conn| programmes::find_version(conn, id, 1).unwrap().unwrap()).programme;
    assert_eq!(v1.seminars.len(), 2, "the blank row is left out");
    assert_eq!(v1.categories[1], ("Agents des collectivités".to_owned(), "Agents des collectivités".to_owned()));
    assert_eq!(v1.skipped().codes(), "provider_selection restitution follow_up");
    // Sent again (a double click): the same programme, created once. Another programme of that name is refused.
    post(as_refs(&fields)).await.assert_redirect(&path);
    assert_eq!(with_conn(&app, |conn| programmes::all_programmes(conn).unwrap().len()), 4);
    let other: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| (k.clone(), if k == "summary" { "Une autre cohorte.".to_owned() } else { v.clone() }))
        .collect();
    post(other).await.assert_status(422).assert_contains("Un programme porte déjà ce nom");
    // A project opened now keeps version 1.
    let project = open_from_programme(&app, &admin, &w, id).await;
    // Two agents edit at once: the first saves version 2, the second is told, then saves on purpose.
    let edit = format!("{path}/modifier");
    let mut v2_fields = as_refs(&fields);
    v2_fields.push(("expected_version".into(), "1".into()));
    v2_fields.push(("note".into(), "Une journée entre pairs plus tôt.".into()));
    let change = |fields: &[(String, String)], week: &str| -> Vec<(String, String)> {
        fields
            .iter()
            .map(|(k, v)| (k.clone(), if k == "seminar_2_week" { week.to_owned() } else { v.clone() }))
            .collect()
    };
    let save = |fields: Vec<(String, String)>| {
        let (admin, path, edit) = (&admin, &path, &edit);
        async move {
            let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            admin.submit(edit, path, &refs).await
        }
    };
    save(change(&v2_fields, "4")).await.assert_status(303);
    let stale = save(change(&v2_fields, "5")).await;
    stale
        .assert_status(422)
        .assert_contains("la version 2 est en vigueur")
        .assert_contains(r#"name="expected_version" value="2""#);
    // Sent again unchanged (a double click of the first): nothing new.
    save(
        change(&v2_fields, "4")
            .into_iter()
            .map(|(k, v)| if k == "expected_version" { (k, "2".into()) } else { (k, v) })
            .collect(),
    )
    .await
    .assert_status(303);
    assert_eq!(with_conn(&app, |conn| programmes::versions_of(conn, id).unwrap().len()), 2);
    let page = admin.get(&path).await;
    page.assert_contains("Version 2")
        .assert_contains("Une journée entre pairs plus tôt.")
        .assert_contains(&format!(r#"<a href="/projets/{}">Cohorte des essais</a>, version 1"#, project.id));
    admin.get(&format!("{path}?version=1")).await.assert_contains("la version en vigueur est la");
    let project = with_conn(&app, |conn| find_project(conn, project.id).unwrap().unwrap());
    assert_eq!(project.programme_version, Some(1));
    admin.get(&format!("/projets/{}", project.id)).await.assert_contains("« Cohorte 2027 » (version 1)");
    // Archived: no longer offered, and a form naming it is refused.
    admin.submit(&path, &format!("{path}/archivage"), &[("archived", "oui")]).await.assert_status(303);
    let theme = with_conn(&app, |conn| fixtures::theme(conn, &w.admin, "Thème après archivage").create());
    admin.get(&format!("/projets/nouveau?theme={theme}")).await.assert_lacks("Cohorte 2027");
    admin.get(&format!("/projets/nouveau?theme={theme}&programme={id}")).await.assert_status(400);
    admin.get("/admin/programmes").await.assert_contains("Archivé");
}

/// Opens a project from the agency's programme at its version 1.
async fn open_from_programme(app: &TestApp, admin: &Client, w: &World, id: i64) -> Project {
    let theme = with_conn(app, |conn| fixtures::theme(conn, &w.admin, "Thème de la cohorte").create());
    let charter = "Chaque territoire envoie une délégation de quatre.";
    let opening = Opening { programme: id, version: 1, charter, bounds: ("8".into(), "10".into()) };
    submit_opening(app, admin, theme, &opening, "Cohorte des essais").await
}

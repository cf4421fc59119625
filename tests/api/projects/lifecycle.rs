//! Shared projects: selection of a theme into a project, enrolment with its cap and waiting list, guarded phases,
//! provider, events, news and the activity log, through the web as each role uses them.

use diesel::prelude::*;
use encommun::domain::account::Function;
use encommun::domain::project::{EnrolmentRole, EnrolmentStatus, Phase, Standing};
use encommun::domain::territory::TerritoryKind;
use encommun::domain::theme::Engagement;
use encommun::storage::collectivities::find_collectivity_of_territory;
use encommun::storage::projects::{
    count_enrolments, enrol, find_enrolment, find_project, list_projects, observer_and_waiting_counts, phase_history,
    Project,
};
use encommun::storage::schema::outbox_messages;
use encommun::storage::territories::find_territory;
use encommun::storage::themes::find_theme;
use encommun::storage::users::find_user_by_email;

use crate::fixtures::{self, logged_in, Account, Collectivity};
use crate::helpers::{with_conn, Client, Page, TestApp};
use crate::on_both_backends;

const ADMIN: &str = "agence@exemple.fr";
const AGGLOPOLYS_REFERENT: &str = "referente@agglopolys.exemple.fr";
const CHATELLERAULT_REFERENT: &str = "agent@grand-chatellerault.exemple.fr";
const CAHORS_MEMBER: &str = "elu@grand-cahors.exemple.fr";
const PROVIDER: &str = "prestataire@exemple.fr";
const ENROLMENT_PROJECT: &str = "Alimentation durable en commun";
const MOBILITY: &str = "Mobilités du quotidien en milieu rural";

/// The agency; Agglopolys's referent Sophie (an elected member), Grand Châtellerault's Karim (an agent), a plain
/// member of Grand Cahors; Grand Angoulême and Colmar without accounts; a provider with a member; an open theme,
/// mobility, on which Agglopolys and Grand Châtellerault would participate and Grand Cahors observe.
struct Cast {
    admin: Account,
    agglopolys: Collectivity,
    angouleme: Collectivity,
    colmar: Collectivity,
}

fn cast(app: &TestApp) -> Cast {
    with_conn(app, |conn| {
        fixtures::territories(conn);
        let admin = fixtures::agency_admin(conn, ADMIN, "Claire Dubois");
        let agglopolys = fixtures::collectivity(conn, TerritoryKind::Epci, AGGLOPOLYS);
        let sophie = agglopolys.person(conn, AGGLOPOLYS_REFERENT, "Sophie Martin", Function::Elu, true);
        let chatellerault = fixtures::collectivity(conn, TerritoryKind::Epci, CHATELLERAULT);
        let karim = chatellerault.referent(conn, CHATELLERAULT_REFERENT, "Karim Benali");
        let cahors = fixtures::collectivity(conn, TerritoryKind::Epci, "200023737");
        cahors.member(conn, CAHORS_MEMBER, "Jean Lacombe");
        let angouleme = fixtures::collectivity(conn, TerritoryKind::Epci, ANGOULEME);
        let colmar = fixtures::collectivity(conn, TerritoryKind::Epci, COLMAR);
        fixtures::provider(conn, "Études & Territoires").member(conn, PROVIDER, "Amandine Roux");
        let mobility = fixtures::theme(conn, &admin, MOBILITY).create();
        fixtures::position(conn, mobility, &agglopolys, &sophie, Engagement::Participate);
        fixtures::position(conn, mobility, &chatellerault, &karim, Engagement::Participate);
        fixtures::position(conn, mobility, &cahors, &admin, Engagement::Observe);
        Cast { admin, agglopolys, angouleme, colmar }
    })
}

/// The cast, and a project in enrolment for three to five participants: Agglopolys and Grand Angoulême
/// participate, Colmar observes; a launch seminar in a month and a public news item.
fn enrolment_project(app: &TestApp) -> Project {
    let Cast { admin, agglopolys, angouleme, colmar } = cast(app);
    with_conn(app, |conn| {
        let project = fixtures::project(conn, &admin)
            .title(ENROLMENT_PROJECT)
            .min_participants(3)
            .participant(&agglopolys)
            .participant(&angouleme)
            .observer(&colmar)
            .create();
        fixtures::event(conn, &project, &admin, "Séminaire de lancement", 30);
        fixtures::post(
            conn,
            &project,
            &admin,
            "Les inscriptions sont ouvertes",
            "Le projet **Alimentation durable** accueille jusqu’à cinq territoires participants.",
            true,
        );
        project
    })
}

fn collectivity(app: &TestApp, code: &str) -> i64 {
    with_conn(app, |conn| {
        let territory = find_territory(conn, TerritoryKind::Epci, code).unwrap().unwrap();
        find_collectivity_of_territory(conn, territory.id).unwrap().unwrap().id
    })
}

const AGGLOPOLYS: &str = "200030385";
const CHATELLERAULT: &str = "248600413";
const ANGOULEME: &str = "200071827";
const COLMAR: &str = "246800726";

fn theme_id_titled(page: &Page, title: &str) -> String {
    let end = page.body.find(&format!("\">{title}</a>")).unwrap_or_else(|| panic!("{title} not listed"));
    page.body[..end].rsplit("/themes/").next().unwrap().to_owned()
}

/// The built-in « Territoires en commun » programme: its id and version, as the opening form carries them.
fn territoires_en_commun(app: &TestApp) -> (String, String) {
    let version =
        with_conn(app, |conn| encommun::storage::programmes::find_built_in(conn, "territoires-en-commun").unwrap())
            .expect("the built-in programmes are written with the migrations");
    (version.programme_id.to_string(), version.version.to_string())
}

/// The agency opens a project on the mobility theme with the given bounds; returns its path.
async fn open_mobility_project(admin: &Client, programme: &(String, String), min: &str, max: &str) -> String {
    let theme = theme_id_titled(&admin.get("/themes").await, MOBILITY);
    let page = admin
        .submit(
            &format!("/projets/nouveau?theme={theme}&programme={}", programme.0),
            "/projets",
            &[
                ("theme_id", &theme),
                ("programme_id", &programme.0),
                ("programme_version", &programme.1),
                ("title", "Mobilités rurales en commun"),
                (
                    "description",
                    "Des territoires ruraux conçoivent ensemble des mobilités pour ceux qui n’ont pas de voiture.",
                ),
                ("charter", "Chaque participante mobilise un groupe d’enquête mixte et accueille un séminaire local."),
                ("min_participants", min),
                ("max_participants", max),
                ("starts_on", "2027-01-11"),
                ("ends_on", "2028-06-30"),
            ],
        )
        .await;
    page.assert_status(303);
    let path = page.location.clone().unwrap();
    assert!(path.starts_with("/projets/"), "{path}");
    path
}

async fn enrol_via_web(client: &Client, project: &str, collectivity: i64, role: &str, charter: bool) -> Page {
    let token = client.get(project).await.csrf_token();
    let id = collectivity.to_string();
    let mut fields = vec![("csrf_token", token.as_str()), ("collectivity_id", id.as_str()), ("role", role)];
    if charter {
        fields.push(("charter", "oui"));
    }
    client.post(&format!("{project}/inscription"), &fields).await
}

fn project_of(app: &TestApp, path: &str) -> Project {
    let id: i64 = path.trim_start_matches("/projets/").parse().unwrap();
    with_conn(app, |conn| find_project(conn, id).unwrap().unwrap())
}

/// `active_participants` is maintained in the same transaction as the enrolments: it always equals their count.
fn assert_counts(app: &TestApp, project_id: i64, participants: i64, waiting: i64) {
    with_conn(app, |conn| {
        let project = find_project(conn, project_id).unwrap().unwrap();
        let active = count_enrolments(conn, project_id, EnrolmentRole::Participant, EnrolmentStatus::Active).unwrap();
        let waitlisted =
            count_enrolments(conn, project_id, EnrolmentRole::Participant, EnrolmentStatus::Waitlisted).unwrap();
        assert_eq!((active, waitlisted), (participants, waiting));
        assert_eq!(i64::from(project.active_participants), active);
    });
}

on_both_backends!(
    the_agency_opens_a_project_from_a_theme_and_positioned_collectivities_are_invited,
    participants_are_capped_and_the_waiting_list_is_served_in_order,
    a_stale_or_repeated_click_changes_only_what_it_meant,
    enrolment_mistakes_are_refused_and_nothing_is_written,
    phases_follow_the_state_machine_and_their_guards,
    events_take_registrations_minutes_and_go_to_calendars,
    news_is_public_or_for_the_working_space,
);

async fn the_agency_opens_a_project_from_a_theme_and_positioned_collectivities_are_invited(app: TestApp) {
    cast(&app);
    let admin = logged_in(&app, ADMIN).await;
    let theme = theme_id_titled(&admin.get("/themes").await, MOBILITY);
    let theme_page = admin.get(&format!("/themes/{theme}")).await;
    theme_page.assert_contains(&format!("href=\"/projets/nouveau?theme={theme}\""));
    // First the programme: the three built in, « Territoires en commun » first and chosen.
    let choice = admin.get(&format!("/projets/nouveau?theme={theme}")).await;
    choice
        .assert_contains("Territoires en commun")
        .assert_contains("Fabriques Prospectives")
        .assert_contains("Cohorte de territoires pilotes");
    let programme = territoires_en_commun(&app);
    choice.assert_contains(&format!(r#"name="programme" id="programme-{0}" value="{0}" checked"#, programme.0));
    // Bad input: every field's error, the typed values kept, nothing written.
    let before = with_conn(&app, |conn| list_projects(conn).unwrap().len());
    let page = admin
        .submit(
            &format!("/projets/nouveau?theme={theme}&programme={}", programme.0),
            "/projets",
            &[
                ("theme_id", &theme),
                ("programme_id", &programme.0),
                ("programme_version", &programme.1),
                ("title", "Mob"),
                ("description", ""),
                ("charter", "Trop court"),
                ("min_participants", "6"),
                ("max_participants", "4"),
                ("starts_on", "31/02/2027"),
                ("ends_on", "2027-01-01"),
            ],
        )
        .await;
    page.assert_status(422)
        .assert_contains("Le titre demande au moins 5 caractères (3 saisis).")
        .assert_contains("La description est obligatoire")
        .assert_contains("La charte demande au moins 20 caractères")
        .assert_contains("Le maximum (4) ne peut pas être inférieur au minimum (6).")
        .assert_contains("La date de début n’est pas une date valide")
        .assert_contains(r#"value="Mob""#);
    assert_eq!(with_conn(&app, |conn| list_projects(conn).unwrap().len()), before);

    let form = admin.get(&format!("/projets/nouveau?theme={theme}&programme={}", programme.0)).await;
    form.assert_contains(r#"name="min_participants" type="number" value="3" required min="1" max="100""#)
        .assert_contains("désigner un binôme élu–agent");
    let path = open_mobility_project(&admin, &programme, "", "").await;
    let project = project_of(&app, &path);
    assert_eq!((project.min_participants, project.max_participants, project.phase()), (3, 5, Phase::Enrolment));
    let theme_row = with_conn(&app, |conn| find_theme(conn, project.theme_id).unwrap().unwrap());
    assert_eq!(theme_row.status, "selected");
    // The three positioned collectivities are invited; the project page and index show it.
    let page = admin.get(&path).await;
    page.assert_status(200)
        .assert_contains("Projet ouvert. Les 3 collectivités positionnées sur le thème sont invitées à s’inscrire.")
        .assert_contains("CA Grand Châtellerault, positionnée sur le thème, est invitée à s’inscrire")
        .assert_contains("Inscriptions</strong> — <span class=\"step-state\">en cours</span>");
    app.client().get("/projets").await.assert_contains("Mobilités rurales en commun");
    // Invitations are for the collectivities, not the public.
    app.client().get(&path).await.assert_lacks("est invitée à s’inscrire");
    let referent = logged_in(&app, CHATELLERAULT_REFERENT).await;
    referent
        .get("/ma-collectivite")
        .await
        .assert_contains("Le projet partagé <a href=\"")
        .assert_contains("est ouvert : inscrivez votre collectivité");
    // The theme is closed to positions, and a second project on it is refused.
    app.client().get(&format!("/themes/{theme}")).await.assert_contains("Ce thème a été retenu");
    let again = admin.get(&format!("/projets/nouveau?theme={theme}")).await;
    again.assert_status(400).assert_contains("seul un thème ouvert aux positionnements");
}

/// A mobility project of one seat, and the referents of Agglopolys (Sophie) and Grand Châtellerault (Karim).
struct OneSeat {
    path: String,
    project: Project,
    agglopolys: i64,
    chatellerault: i64,
    sophie: Client,
    karim: Client,
}

async fn one_seat(app: &TestApp) -> OneSeat {
    cast(app);
    let admin = logged_in(app, ADMIN).await;
    let path = open_mobility_project(&admin, &territoires_en_commun(app), "1", "1").await;
    OneSeat {
        project: project_of(app, &path),
        agglopolys: collectivity(app, AGGLOPOLYS),
        chatellerault: collectivity(app, CHATELLERAULT),
        sophie: logged_in(app, AGGLOPOLYS_REFERENT).await,
        karim: logged_in(app, CHATELLERAULT_REFERENT).await,
        path,
    }
}

async fn participants_are_capped_and_the_waiting_list_is_served_in_order(app: TestApp) {
    let OneSeat { path, project, agglopolys, chatellerault, sophie, karim } = one_seat(&app).await;

    enrol_via_web(&sophie, &path, agglopolys, "participant", true).await.assert_redirect(&format!("{path}#inscrits"));
    sophie.get(&path).await.assert_contains("est inscrite comme participante ; la charte est signée.");
    let page = enrol_via_web(&karim, &path, chatellerault, "participant", true).await;
    page.assert_status(303);
    karim.get(&path).await.assert_contains("est en liste d’attente, au rang 1");
    assert_counts(&app, project.id, 1, 1);
    // A third, from the agency acting in storage for Angoulême: second in line.
    let admin_id = with_conn(&app, |conn| find_user_by_email(conn, ADMIN).unwrap().unwrap().id);
    let angouleme = collectivity(&app, ANGOULEME);
    with_conn(&app, |conn| {
        encommun::storage::write_transaction(conn, |conn| {
            enrol(conn, project.id, angouleme, admin_id, EnrolmentRole::Participant, "CA du Grand Angoulême")
        })
        .unwrap()
    });
    let page = app.client().get(&path).await;
    let (first, second) = (
        page.body.find("<li>CA Grand Châtellerault — 1ʳᵉ, depuis le ").unwrap(),
        page.body.find("<li>CA du Grand Angoulême — 2ᵉ, depuis le ").unwrap(),
    );
    assert!(first < second, "the waiting list is in arrival order");

    // Agglopolys withdraws: the first waiting takes the seat, in the same transaction.
    let token = sophie.get(&path).await.csrf_token();
    let agglopolys_id = agglopolys.to_string();
    let give_up = [("csrf_token", token.as_str()), ("collectivity_id", &agglopolys_id), ("intent", "give_up_seat")];
    sophie.post(&format!("{path}/retrait"), &give_up).await.assert_status(422).assert_contains("cochez la case");
    assert_counts(&app, project.id, 1, 2);
    sophie.post(&format!("{path}/retrait"), &[&give_up[..], &[("confirm", "oui")]].concat()).await.assert_status(303);
    sophie.get(&path).await.assert_contains("CA Grand Châtellerault, première de la liste d’attente, prend sa place.");
    assert_counts(&app, project.id, 1, 1);
    let page = app.client().get(&path).await;
    page.assert_contains("quitte la liste d’attente et devient participante");
    // An observer may later ask to participate: full, so it waits behind Angoulême.
    enrol_via_web(&sophie, &path, agglopolys, "observer", false).await.assert_status(303);
    enrol_via_web(&sophie, &path, agglopolys, "participant", true).await.assert_status(303);
    let page = sophie.get(&path).await;
    page.assert_contains("au rang 2")
        .assert_contains("2ᵉ sur la liste d’attente")
        .assert_contains("reste observatrice");
    assert_counts(&app, project.id, 1, 2);
    // It stays an observer while it waits: counted, told its newsletters as one.
    let standing = |app: &TestApp, collectivity: i64| {
        with_conn(app, |conn| find_enrolment(conn, project.id, collectivity).unwrap().unwrap().standing())
    };
    assert_eq!(standing(&app, agglopolys), Standing::Waiting { observing: true });
    let counts = with_conn(&app, |conn| observer_and_waiting_counts(conn).unwrap());
    assert!(counts.contains(&(project.id, 1, 2)), "one observer, two waiting: {counts:?}");
    page.assert_contains("<strong>1</strong> observatrices");
}

/// What a referent meant is what happens: a page loaded before the collectivity's standing changed leaves nothing it
/// did not show, a repeated request shows where things stand, and the referents of a promoted collectivity are told
/// at once, once.
async fn a_stale_or_repeated_click_changes_only_what_it_meant(app: TestApp) {
    let OneSeat { path, project, agglopolys, chatellerault, sophie, karim } = one_seat(&app).await;
    enrol_via_web(&sophie, &path, agglopolys, "participant", true).await.assert_status(303);
    enrol_via_web(&karim, &path, chatellerault, "participant", true).await.assert_status(303);
    // The rank is on Karim's panel as long as it lasts, with the time of the request.
    let stale = karim.get(&path).await;
    stale
        .assert_contains("1ʳᵉ sur la liste d’attente")
        .assert_contains(" h ")
        .assert_contains("Quitter la liste d’attente");
    karim.get("/ma-collectivite").await.assert_contains("1ʳᵉ sur la liste d’attente, depuis le ");
    // A double click on « Inscrire »: no error page, the current state.
    enrol_via_web(&karim, &path, chatellerault, "participant", true).await.assert_redirect(&format!("{path}#inscrits"));
    karim
        .get(&path)
        .await
        .assert_contains("CA Grand Châtellerault est déjà en liste d’attente : rien n’a été modifié.");

    // Sophie gives her seat up: Karim's collectivity is promoted, and its referents get an e-mail at once.
    let (agglopolys_id, chatellerault_id) = (agglopolys.to_string(), chatellerault.to_string());
    let token = sophie.get(&path).await.csrf_token();
    let give_up = [
        ("csrf_token", token.as_str()),
        ("collectivity_id", &agglopolys_id),
        ("intent", "give_up_seat"),
        ("confirm", "oui"),
    ];
    sophie.post(&format!("{path}/retrait"), &give_up).await.assert_status(303);
    assert_counts(&app, project.id, 1, 0);
    let seat_mails = || {
        with_conn(&app, |conn| {
            outbox_messages::table
                .filter(outbox_messages::kind.eq("seat_obtained"))
                .select((outbox_messages::recipient, outbox_messages::subject, outbox_messages::text_body))
                .load::<(String, String, String)>(conn)
                .unwrap()
        })
    };
    let mails = seat_mails();
    assert_eq!(mails.len(), 1, "one message per referent: {mails:?}");
    assert_eq!(mails[0].0, CHATELLERAULT_REFERENT);
    assert!(mails[0].1.starts_with("Une place de participante pour CA Grand Châtellerault"), "{}", mails[0].1);
    assert!(mails[0].2.contains(&format!("{path}#inscription-{chatellerault}")), "{}", mails[0].2);
    // The same request again (a double click): nothing changes, nothing is sent again, no error page.
    sophie
        .post(&format!("{path}/retrait"), &give_up)
        .await
        .assert_redirect(&format!("{path}#inscription-{agglopolys}"));
    sophie.get(&path).await.assert_contains("n’est déjà plus participante : rien n’a été modifié.");
    assert_eq!(seat_mails().len(), 1);

    // Karim clicks « Quitter la liste d’attente » on the page he loaded before: his new seat stays.
    let activity = || {
        with_conn(&app, |conn| {
            encommun::storage::activity::activity_of_project(conn, project.id, true, 1000).unwrap().len()
        })
    };
    let before = activity();
    karim
        .post(
            &format!("{path}/retrait"),
            &[
                ("csrf_token", stale.csrf_token().as_str()),
                ("collectivity_id", &chatellerault_id),
                ("intent", "leave_waiting_list"),
            ],
        )
        .await
        .assert_redirect(&format!("{path}#inscription-{chatellerault}"));
    karim
        .get(&path)
        .await
        .assert_contains("Votre collectivité vient d’obtenir une place de participante : rien n’a été retiré.")
        .assert_contains("Retirer CA Grand Châtellerault du projet");
    assert_counts(&app, project.id, 1, 0);
    assert_eq!(activity(), before, "nothing was written");
    // A request that names no intent is refused plainly.
    karim
        .post(
            &format!("{path}/retrait"),
            &[("csrf_token", stale.csrf_token().as_str()), ("collectivity_id", &chatellerault_id)],
        )
        .await
        .assert_status(400)
        .assert_contains("Dites ce que votre collectivité quitte");

    // An observer leaving the waiting list stays an observer; stopping observing withdraws.
    enrol_via_web(&sophie, &path, agglopolys, "observer", false).await.assert_status(303);
    enrol_via_web(&sophie, &path, agglopolys, "participant", true).await.assert_status(303);
    let token = sophie.get(&path).await.csrf_token();
    let leave = |intent: &'static str| {
        let (sophie, path, token, id) = (&sophie, path.clone(), token.clone(), agglopolys_id.clone());
        async move {
            sophie
                .post(
                    &format!("{path}/retrait"),
                    &[("csrf_token", token.as_str()), ("collectivity_id", id.as_str()), ("intent", intent)],
                )
                .await
        }
    };
    leave("leave_waiting_list").await.assert_status(303);
    sophie.get(&path).await.assert_contains("quitte la liste d’attente et reste observatrice");
    let standing = with_conn(&app, |conn| find_enrolment(conn, project.id, agglopolys).unwrap().unwrap().standing());
    assert_eq!(standing, Standing::Observer);
    leave("leave_waiting_list").await.assert_status(303);
    sophie.get(&path).await.assert_contains("n’est déjà plus en liste d’attente");
    leave("stop_observing").await.assert_status(303);
    let standing = with_conn(&app, |conn| find_enrolment(conn, project.id, agglopolys).unwrap().unwrap().standing());
    assert_eq!(standing, Standing::NotEnrolled);
}

async fn enrolment_mistakes_are_refused_and_nothing_is_written(app: TestApp) {
    let project = enrolment_project(&app);
    let path = format!("/projets/{}", project.id);
    let (agglopolys, chatellerault) = (collectivity(&app, AGGLOPOLYS), collectivity(&app, CHATELLERAULT));
    let activity_before = with_conn(&app, |conn| {
        encommun::storage::activity::activity_of_project(conn, project.id, true, 1000).unwrap().len()
    });
    let karim = logged_in(&app, CHATELLERAULT_REFERENT).await;
    // Without the charter: the field's error, nothing written.
    let page = enrol_via_web(&karim, &path, chatellerault, "participant", false).await;
    page.assert_status(422)
        .assert_contains("doit accepter la charte du projet")
        .assert_contains(r#"aria-invalid="true""#);
    // For a collectivity one is not the referent of.
    enrol_via_web(&karim, &path, agglopolys, "participant", true).await.assert_status(403);
    // A plain member cannot enrol their collectivity.
    let cahors = with_conn(&app, |conn| {
        let t = find_territory(conn, TerritoryKind::Epci, "200023737").unwrap().unwrap();
        find_collectivity_of_territory(conn, t.id).unwrap().unwrap().id
    });
    enrol_via_web(&logged_in(&app, CAHORS_MEMBER).await, &path, cahors, "observer", false).await.assert_status(403);
    // Enrolling twice.
    let sophie = logged_in(&app, AGGLOPOLYS_REFERENT).await;
    enrol_via_web(&sophie, &path, agglopolys, "participant", true).await.assert_status(303);
    sophie.get(&path).await.assert_contains(
        "CA de Blois «\u{202f}Agglopolys\u{202f}» est déjà inscrite comme participante : rien n’a été modifié.",
    );
    // Withdrawing what is not there: already so, nothing to do.
    let token = karim.get(&path).await.csrf_token();
    karim
        .post(
            &format!("{path}/retrait"),
            &[("csrf_token", &token), ("collectivity_id", &chatellerault.to_string()), ("intent", "stop_observing")],
        )
        .await
        .assert_status(303);
    karim.get(&path).await.assert_contains("ne suit déjà plus le projet : rien n’a été modifié.");
    assert_counts(&app, project.id, 2, 0);
    let activity_after = with_conn(&app, |conn| {
        encommun::storage::activity::activity_of_project(conn, project.id, true, 1000).unwrap().len()
    });
    assert_eq!(activity_before, activity_after, "nothing was recorded");
    // Once enrolment has closed, participants cannot join, observers still can.
    let admin_id = with_conn(&app, |conn| find_user_by_email(conn, ADMIN).unwrap().unwrap().id);
    with_conn(&app, |conn| {
        encommun::storage::write_transaction(conn, |conn| {
            encommun::storage::projects::change_phase(conn, project.id, Phase::Closed, "Projet abandonné.", admin_id)
        })
        .unwrap()
    });
    enrol_via_web(&karim, &path, chatellerault, "observer", false)
        .await
        .assert_status(400)
        .assert_contains("Le projet est en phase « Projet clos » : cette inscription n’est plus possible");
}

async fn phases_follow_the_state_machine_and_their_guards(app: TestApp) {
    let project = enrolment_project(&app);
    let path = format!("/projets/{}", project.id);
    let admin = logged_in(&app, ADMIN).await;
    let change = |to: &'static str, note: &'static str| {
        let (admin, path) = (&admin, path.clone());
        async move { admin.submit(&path, &format!("{path}/phase"), &[("to", to), ("note", note)]).await }
    };
    // Two participants for a minimum of three: refused, with the reason, nothing written.
    change("provider_selection", "Les inscriptions sont closes.")
        .await
        .assert_status(422)
        .assert_contains("Il faut au moins 3 collectivités participantes pour passer à « Choix du prestataire » ; le projet en compte 2.")
        .assert_contains("Les inscriptions sont closes.");
    change("provider_selection", "").await.assert_status(422).assert_contains("La note de passage est obligatoire.");
    change("diagnostic", "On saute une étape.")
        .await
        .assert_status(422)
        .assert_contains("ne peut passer qu’à la phase suivante");
    assert_eq!(project_of(&app, &path).phase(), Phase::Enrolment);
    assert_eq!(with_conn(&app, |conn| phase_history(conn, project.id).unwrap().len()), 1);

    let karim = logged_in(&app, CHATELLERAULT_REFERENT).await;
    enrol_via_web(&karim, &path, collectivity(&app, CHATELLERAULT), "participant", true).await.assert_status(303);
    change("provider_selection", "Trois territoires participants : les inscriptions sont closes.")
        .await
        .assert_redirect(&path);
    // No provider yet: the diagnostic cannot start.
    change("diagnostic", "Lancement du diagnostic.").await.assert_status(422).assert_contains("sans prestataire");
    // Before being assigned, the provider does not see the working space.
    let provider = logged_in(&app, PROVIDER).await;
    provider.get(&path).await.assert_lacks("Vous faites partie de l’espace de travail");
    let provider_id = with_conn(&app, |conn| encommun::storage::providers::list_providers(conn).unwrap()[0].id);
    admin
        .submit(&path, &format!("{path}/prestataire"), &[("provider_id", &provider_id.to_string())])
        .await
        .assert_redirect(&path);
    provider.get(&path).await.assert_contains("Vous faites partie de l’espace de travail");
    provider
        .get("/ma-collectivite")
        .await
        .assert_contains("Les projets que vous accompagnez")
        .assert_contains(ENROLMENT_PROJECT);
    change("diagnostic", "Lancement du diagnostic sur les trois territoires.").await.assert_redirect(&path);
    // The public timeline: passed phases with their date and note, the current one, what comes next.
    let page = app.client().get(&path).await;
    page.assert_contains("Trois territoires participants : les inscriptions sont closes.")
        .assert_contains(r#"aria-current="step""#)
        .assert_contains("Diagnostic</strong> — <span class=\"step-state\">en cours</span>")
        .assert_contains(
            "Croisement des regards et co-construction</strong> — <span class=\"step-state\">à venir</span>",
        )
        .assert_contains(&format!("Le projet « {ENROLMENT_PROJECT} » passe en phase « Diagnostic »."))
        .assert_contains("Études &amp; Territoires accompagnera le projet");
    let history = with_conn(&app, |conn| phase_history(conn, project.id).unwrap());
    let phases: Vec<Phase> = history.iter().map(|t| t.to()).collect();
    assert_eq!(phases, vec![Phase::Enrolment, Phase::ProviderSelection, Phase::Diagnostic]);
    assert!(history.windows(2).all(|w| w[0].at <= w[1].at), "dated in order");
    // Participants can no longer enrol; the form is gone and a forged request is refused.
    let sophie_page = logged_in(&app, AGGLOPOLYS_REFERENT).await.get(&path).await;
    sophie_page.assert_lacks("comme participante</button>");
    // Only the agency steers.
    let token = karim.get(&path).await.csrf_token();
    karim
        .post(&format!("{path}/phase"), &[("csrf_token", &token), ("to", "closed"), ("note", "Je ferme.")])
        .await
        .assert_status(403);
}

async fn events_take_registrations_minutes_and_go_to_calendars(app: TestApp) {
    let project = enrolment_project(&app);
    let path = format!("/projets/{}", project.id);
    let admin = logged_in(&app, ADMIN).await;
    let new_event = format!("{path}/evenements/nouveau");
    let action = format!("{path}/evenements");
    let page = admin
        .submit(
            &new_event,
            &action,
            &[
                ("kind", "local_seminar"),
                ("title", "Séminaire local"),
                ("starts_at", "2026-01-10T09:00"),
                ("ends_at", "2026-01-10T08:00"),
                ("place", ""),
                ("online_url", "javascript:alert(1)"),
                ("collectivity_id", ""),
            ],
        )
        .await;
    page.assert_status(422)
        .assert_contains("La fin doit suivre le début.")
        .assert_contains("Le lien de visioconférence doit être une adresse web complète")
        .assert_contains("Un séminaire local a lieu sur un territoire");
    // A territory that does not participate is refused.
    let chatellerault = collectivity(&app, CHATELLERAULT);
    admin
        .submit(
            &new_event,
            &action,
            &[
                ("kind", "local_seminar"),
                ("title", "Séminaire local"),
                ("starts_at", "2026-01-10T09:00"),
                ("ends_at", "2026-01-10T17:00"),
                ("place", "Salle des fêtes"),
                ("online_url", ""),
                ("collectivity_id", &chatellerault.to_string()),
            ],
        )
        .await
        .assert_status(422)
        .assert_contains("Ce territoire n’est pas participant au projet");
    // A seminar held in Blois, already past, so that its minutes can be written.
    let agglopolys = collectivity(&app, AGGLOPOLYS);
    let page = admin
        .submit(
            &new_event,
            &action,
            &[
                ("kind", "local_seminar"),
                ("title", "Séminaire local à Blois, jour 1"),
                ("description", "Visite de la légumerie; échanges."),
                ("starts_at", "10/01/2026 09:30"),
                ("ends_at", "2026-01-10T17:00"),
                ("place", "Halle aux grains, Blois"),
                ("online_url", ""),
                ("collectivity_id", &agglopolys.to_string()),
            ],
        )
        .await;
    page.assert_status(303);
    let event_path = page.location.clone().unwrap();
    // Visitors see the date and title on the project page, not the details.
    app.client()
        .get(&path)
        .await
        .assert_contains("Séminaire local à Blois, jour 1")
        .assert_lacks(&format!("href=\"{event_path}\""));
    logged_in(&app, CAHORS_MEMBER).await.get(&event_path).await.assert_status(403);
    app.client().get(&event_path).await.assert_status(303);
    // A participant's referent registers herself.
    let sophie = logged_in(&app, AGGLOPOLYS_REFERENT).await;
    let page = sophie.get(&event_path).await;
    page.assert_status(200).assert_contains("10 janvier 2026, de 09h30 à 17h00");
    let sophie_id = with_conn(&app, |conn| find_user_by_email(conn, AGGLOPOLYS_REFERENT).unwrap().unwrap().id);
    let register = |action_name: &'static str| {
        let (sophie, event_path) = (&sophie, event_path.clone());
        async move {
            sophie
                .submit(
                    &event_path,
                    &format!("{event_path}/inscription"),
                    &[
                        ("collectivity_id", &agglopolys.to_string()),
                        ("user_id", &sophie_id.to_string()),
                        ("action", action_name),
                    ],
                )
                .await
        }
    };
    register("register").await.assert_status(303);
    register("register").await.assert_status(303);
    sophie
        .get(&event_path)
        .await
        .assert_contains("était déjà inscrite")
        .assert_contains("Inscriptions (1)")
        .assert_contains("<li>Sophie Martin — CA de Blois");
    // Nobody registers a person of another collectivity.
    let cahors_member = with_conn(&app, |conn| find_user_by_email(conn, CAHORS_MEMBER).unwrap().unwrap().id);
    sophie
        .submit(
            &event_path,
            &format!("{event_path}/inscription"),
            &[
                ("collectivity_id", &agglopolys.to_string()),
                ("user_id", &cahors_member.to_string()),
                ("action", "register"),
            ],
        )
        .await
        .assert_status(403);
    // The calendar file.
    let ics = sophie.get(&format!("{event_path}/calendrier.ics")).await;
    ics.assert_status(200);
    assert!(ics.headers["content-type"].starts_with("text/calendar"));
    ics.assert_contains("DTSTART;TZID=Europe/Paris:20260110T093000\r\n")
        .assert_contains("SUMMARY:Séminaire local à Blois\\, jour 1\r\n")
        .assert_contains("LOCATION:Halle aux grains\\, Blois\r\n");
    // Minutes, in sanitised Markdown, seen by the working space only.
    let minutes = "## Ce qui a été dit\n\n- la légumerie fournira **12 cantines**\n\n[piège](javascript:alert(1))\n\n<script>alert(1)</script>";
    admin
        .submit(&event_path, &format!("{event_path}/compte-rendu"), &[("minutes", "court")])
        .await
        .assert_status(422)
        .assert_contains("Le compte rendu demande au moins 10 caractères");
    admin.submit(&event_path, &format!("{event_path}/compte-rendu"), &[("minutes", minutes)]).await.assert_status(303);
    let page = sophie.get(&event_path).await;
    page.assert_contains("<h2>Ce qui a été dit</h2>")
        .assert_contains("<strong>12 cantines</strong>")
        .assert_lacks("<script>alert")
        .assert_lacks("href=\"javascript:")
        .assert_contains("<p>piège</p>");
    sophie
        .submit(&event_path, &format!("{event_path}/compte-rendu"), &[("minutes", "Je réécris le compte rendu.")])
        .await
        .assert_status(403);
    // The launch seminar is to come: its minutes wait.
    let upcoming = with_conn(&app, |conn| encommun::storage::events::events_of_project(conn, project.id).unwrap())
        .into_iter()
        .find(|(e, _)| e.title == "Séminaire de lancement")
        .unwrap()
        .0;
    let upcoming_path = format!("{path}/evenements/{}", upcoming.id);
    admin.get(&upcoming_path).await.assert_contains("Il sera publié après le rendez-vous.");
    admin
        .submit(&upcoming_path, &format!("{upcoming_path}/compte-rendu"), &[("minutes", "Un compte rendu anticipé.")])
        .await
        .assert_status(400);
    sophie.get("/ma-collectivite").await.assert_contains("Séminaire de lancement");
}

async fn news_is_public_or_for_the_working_space(app: TestApp) {
    let project = enrolment_project(&app);
    let path = format!("/projets/{}", project.id);
    let admin = logged_in(&app, ADMIN).await;
    let action = format!("{path}/actualites");
    admin
        .submit(&path, &action, &[("title", ""), ("body", "x"), ("visibility", "tous")])
        .await
        .assert_status(422)
        .assert_contains("Choisissez qui peut lire cette actualité.");
    let page = admin
        .submit(
            &path,
            &action,
            &[
                ("title", "Note interne aux participantes"),
                ("body", "Le budget du séminaire est *confirmé*. <img src=x onerror=alert(1)>"),
                ("visibility", "participants"),
            ],
        )
        .await;
    page.assert_status(303);
    let private = page.location.clone().unwrap();
    admin.get(&private).await.assert_contains("<em>confirmé</em>").assert_lacks("<img");
    // Visitors and non-participants see neither the post nor its activity entry.
    app.client().get(&path).await.assert_lacks("Note interne aux participantes");
    app.client().get(&private).await.assert_status(404);
    logged_in(&app, CHATELLERAULT_REFERENT).await.get(&private).await.assert_status(404);
    // Participants do.
    let sophie = logged_in(&app, AGGLOPOLYS_REFERENT).await;
    sophie
        .get(&path)
        .await
        .assert_contains("Note interne aux participantes")
        .assert_contains("réservée à l’espace de travail");
    sophie.get(&private).await.assert_status(200);
    // Participants read but do not post.
    sophie
        .submit(
            &path,
            &action,
            &[("title", "Mon actualité"), ("body", "Un texte assez long pour passer."), ("visibility", "public")],
        )
        .await
        .assert_status(403);
    // The public news is everyone's.
    app.client()
        .get(&path)
        .await
        .assert_contains("Les inscriptions sont ouvertes")
        .assert_contains("<strong>Alimentation durable</strong>");
}

//! Invitations by e-mail: the link creates the account or attaches an existing one, once.

use encommun::domain::territory::TerritoryKind;
use encommun::import::territories::{import_files, parse_bytes, ImportOptions};

use crate::fixtures::{self, PASSWORD};
use crate::helpers::{with_conn, TestApp};
use crate::on_both_backends;

const ADMIN: &str = "agence@exemple.fr";
const CHATELLERAULT_REFERENT: &str = "agent@grand-chatellerault.exemple.fr";
const CAHORS_MEMBER: &str = "elu@grand-cahors.exemple.fr";
const PROVIDER: &str = "Coopérative des essais";

/// The territories, the agency, Grand Châtellerault with its referent, Grand Cahors with a member (two
/// collectivities on the platform) and a provider.
fn people(app: &TestApp) {
    with_conn(app, |conn| {
        fixtures::territories(conn);
        fixtures::agency_admin(conn, ADMIN, "Claire Dubois");
        let chatellerault = fixtures::collectivity(conn, TerritoryKind::Epci, "248600413");
        chatellerault.referent(conn, CHATELLERAULT_REFERENT, "Karim Benali");
        fixtures::collectivity(conn, TerritoryKind::Epci, "200023737").member(conn, CAHORS_MEMBER, "Jean Lacombe");
        fixtures::provider(conn, PROVIDER);
    });
}

const COLMAR: &str = "/territoires/epci/246800726";

on_both_backends!(
    an_invitation_creates_the_account_and_membership_once,
    an_existing_account_accepts_after_logging_in,
    a_bad_invitation_form_is_explained_and_kept,
    inviting_for_a_new_territory_registers_the_collectivity,
    the_agency_invites_provider_members,
    an_invitation_elides_before_a_vowel,
);

async fn an_invitation_creates_the_account_and_membership_once(app: TestApp) {
    people(&app);
    let admin = app.client();
    admin.login(ADMIN, PASSWORD).await;
    admin
        .submit(
            COLMAR,
            &format!("{COLMAR}/invitations"),
            &[("email", "Lea.Muller@Colmar.example"), ("function", "agent"), ("referent", "oui")],
        )
        .await
        .assert_redirect(COLMAR);
    admin
        .get(COLMAR)
        .await
        .assert_contains("Invitation envoyée à lea.muller@colmar.example.")
        .assert_contains("Invitations en attente");

    let emails = app.emails_to("lea.muller@colmar.example");
    assert_eq!(emails.len(), 1);
    assert!(emails[0].subject.contains("vous invite"), "{}", emails[0].subject);
    assert!(emails[0].body.contains("agent référent·e de CA Colmar Agglomération"), "{}", emails[0].body);
    let path = emails[0].link_containing("/invitation/");

    let invitee = app.client();
    invitee.get(&path).await.assert_status(200).assert_contains("Créez votre compte pour l’adresse");
    let short = invitee
        .submit(
            &path,
            &path,
            &[("display_name", "Léa Muller"), ("password", "court"), ("password_confirmation", "court")],
        )
        .await;
    short.assert_status(422).assert_contains("au moins 10 caractères").assert_contains(r#"value="Léa Muller""#);
    let password = "les cigognes reviennent";
    invitee
        .submit(
            &path,
            &path,
            &[("display_name", "Léa Muller"), ("password", password), ("password_confirmation", password)],
        )
        .await
        .assert_redirect("/compte");
    invitee.get("/compte").await.assert_contains("Bienvenue").assert_contains("Agent, référent·e");
    invitee.get(COLMAR).await.assert_contains("Léa Muller — Agent, référent·e").assert_contains("Inviter une personne");

    // The link served once.
    app.client().get(&path).await.assert_status(410).assert_contains("déjà été acceptée");
    let again = app.client();
    let token = again.get("/connexion").await.csrf_token();
    again
        .post(
            &path,
            &[
                ("csrf_token", &token),
                ("display_name", "X"),
                ("password", password),
                ("password_confirmation", password),
            ],
        )
        .await
        .assert_status(410);
    app.client().get("/invitation/0123").await.assert_status(404);
}

async fn an_existing_account_accepts_after_logging_in(app: TestApp) {
    people(&app);
    let referent = app.client();
    referent.login(CHATELLERAULT_REFERENT, PASSWORD).await;
    let chatellerault = "/territoires/epci/248600413";
    referent
        .submit(
            chatellerault,
            &format!("{chatellerault}/invitations"),
            &[("email", CAHORS_MEMBER), ("function", "elu")],
        )
        .await
        .assert_redirect(chatellerault);
    let path = app.emails_to(CAHORS_MEMBER)[0].link_containing("/invitation/");

    let invitee = app.client();
    invitee.get(&path).await.assert_contains("Un compte existe déjà").assert_lacks("Créez votre compte");
    // Someone else logged in cannot take it.
    referent.get(&path).await.assert_contains("mais vous êtes connecté·e en tant que");
    let token = referent.get(&path).await.csrf_token();
    referent.post(&path, &[("csrf_token", &token)]).await.assert_status(403);

    invitee.login(CAHORS_MEMBER, PASSWORD).await;
    invitee.submit(&path, &path, &[]).await.assert_redirect("/compte");
    invitee.get("/compte").await.assert_contains("CA Grand Châtellerault").assert_contains("CA du Grand Cahors");
}

async fn a_bad_invitation_form_is_explained_and_kept(app: TestApp) {
    people(&app);
    let admin = app.client();
    admin.login(ADMIN, PASSWORD).await;
    let page = admin
        .submit(
            COLMAR,
            &format!("{COLMAR}/invitations"),
            &[("email", "pas-une-adresse<script>"), ("function", "maire")],
        )
        .await;
    page.assert_status(422)
        .assert_contains("Le formulaire contient 2 erreurs")
        .assert_contains("L’adresse électronique n’est pas valide")
        .assert_contains("Choisissez « élu·e » ou « agent ».")
        .assert_contains(r#"value="pas-une-adresse&lt;script&gt;""#)
        .assert_lacks("<script>");
    let already = admin
        .submit(
            "/territoires/epci/248600413",
            "/territoires/epci/248600413/invitations",
            &[("email", CHATELLERAULT_REFERENT), ("function", "agent")],
        )
        .await;
    already.assert_status(422).assert_contains("est déjà membre de CA Grand Châtellerault");
    // No function chosen: the browser sends no radio value at all.
    let unchosen = admin.submit(COLMAR, &format!("{COLMAR}/invitations"), &[("email", "a@b.fr")]).await;
    unchosen.assert_status(422).assert_contains("Choisissez « élu·e » ou « agent ».");
    let duplicated = admin
        .submit(
            COLMAR,
            &format!("{COLMAR}/invitations"),
            &[("email", "a@b.fr"), ("email", "c@d.fr"), ("function", "agent")],
        )
        .await;
    duplicated.assert_status(400).assert_contains("Demande incorrecte");
    assert!(app.emails().is_empty());
}

async fn inviting_for_a_new_territory_registers_the_collectivity(app: TestApp) {
    people(&app);
    let blois = "/territoires/commune/41018";
    let admin = app.client();
    admin.login(ADMIN, PASSWORD).await;
    admin.get(blois).await.assert_contains("Pas encore");
    admin
        .submit(
            blois,
            &format!("{blois}/invitations"),
            &[("email", "maire@blois.example"), ("function", "elu"), ("referent", "oui")],
        )
        .await
        .assert_redirect(blois);
    admin.get(blois).await.assert_contains("Oui, depuis le");
    // Grand Châtellerault, Grand Cahors and now Blois.
    app.client().get("/").await.assert_contains("<strong>3</strong> collectivités engagées");
}

async fn the_agency_invites_provider_members(app: TestApp) {
    people(&app);
    let admin = app.client();
    admin.login(ADMIN, PASSWORD).await;
    admin
        .submit("/admin", "/admin/prestataires", &[("name", "")])
        .await
        .assert_status(422)
        .assert_contains("Indiquez le nom du prestataire");
    admin
        .submit("/admin", "/admin/prestataires", &[("name", PROVIDER)])
        .await
        .assert_status(422)
        .assert_contains("déjà enregistré");
    admin
        .submit("/admin", "/admin/prestataires", &[("name", "Atelier Communs Publics")])
        .await
        .assert_redirect("/admin#prestataires");
    let page = admin.get("/admin").await;
    page.assert_contains("Atelier Communs Publics");
    let start = page.body.find("/admin/prestataires/").unwrap();
    let action = page.body[start..].split('"').next().unwrap().to_owned();
    let atelier_action = page
        .body
        .match_indices("/admin/prestataires/")
        .map(|(i, _)| page.body[i..].split('"').next().unwrap().to_owned())
        .find(|a| a != &action)
        .unwrap_or(action);
    admin
        .submit("/admin", &atelier_action, &[("email", "nouvelle@atelier.example")])
        .await
        .assert_redirect("/admin#prestataires");
    let path = app.emails_to("nouvelle@atelier.example")[0].link_containing("/invitation/");
    let member = app.client();
    member.get(&path).await.assert_contains("membre du prestataire");
    let password = "un atelier bien mené";
    member
        .submit(
            &path,
            &path,
            &[("display_name", "Nina Perrin"), ("password", password), ("password_confirmation", password)],
        )
        .await
        .assert_redirect("/compte");
    member.get("/compte").await.assert_contains("Membre du prestataire");
}

/// « de » and « que » before a vowel, in the e-mail, the invitation's page, the welcome and a form's error: « en
/// tant qu’agent référent·e d’Aiffres », « qu’élu·e d’Échiré ».
async fn an_invitation_elides_before_a_vowel(app: TestApp) {
    people(&app);
    let communes = "code_insee,nom,departement,departement_nom,region,region_nom,population,codes_postaux,siren_commune,epci_siren,epci_nom,epci_type\n\
        79003,Aiffres,79,Deux-Sèvres,75,Nouvelle-Aquitaine,5419,79230,217900034,,,\n\
        79109,Échiré,79,Deux-Sèvres,75,Nouvelle-Aquitaine,3549,79410,217901099,,,\n";
    let parsed = parse_bytes("communes.csv", communes.as_bytes()).unwrap();
    with_conn(&app, |conn| import_files(conn, &[parsed], &ImportOptions::default(), &mut |_| {}, &mut |_| {})).unwrap();
    let admin = app.client();
    admin.login(ADMIN, PASSWORD).await;
    let (aiffres, echire) = ("/territoires/commune/79003", "/territoires/commune/79109");
    let invite = |territory: &'static str, email: &'static str, function: &'static str| {
        let admin = &admin;
        async move {
            admin
                .submit(
                    territory,
                    &format!("{territory}/invitations"),
                    &[("email", email), ("function", function), ("referent", "oui")],
                )
                .await
        }
    };
    invite(aiffres, "agent@aiffres.example", "agent").await.assert_redirect(aiffres);
    let email = app.emails_to("agent@aiffres.example").remove(0);
    assert!(email.body.contains("en tant qu’agent référent·e d’Aiffres."), "{}", email.body);
    let path = email.link_containing("/invitation/");
    let invitee = app.client();
    invitee.get(&path).await.assert_contains("en tant qu’<strong>agent référent·e d’Aiffres</strong>.");
    let password = "les lavoirs du Niortais";
    invitee
        .submit(
            &path,
            &path,
            &[("display_name", "Inès Morin"), ("password", password), ("password_confirmation", password)],
        )
        .await
        .assert_redirect("/compte");
    invitee.get("/compte").await.assert_contains("en tant qu’agent référent·e d’Aiffres.");
    invite(aiffres, "agent@aiffres.example", "agent")
        .await
        .assert_status(422)
        .assert_contains("agent@aiffres.example est déjà membre d’Aiffres.");

    invite(echire, "maire@echire.example", "elu").await.assert_redirect(echire);
    let email = app.emails_to("maire@echire.example").remove(0);
    assert!(email.body.contains("en tant qu’élu·e référent·e d’Échiré."), "{}", email.body);
    assert!(!email.body.contains(" de É") && !email.body.contains("que é"), "{}", email.body);
}

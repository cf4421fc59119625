//! Hostile and malformed input through every form: the answer is a clear French error or a correct save, never a
//! 500, never markup that executes, never a partial write.

use encommun::demo::DEMO_PASSWORD;

use crate::helpers::{enrolment_project, Client, TestApp};
use crate::on_both_backends;

const SCRIPT: &str = "<script>alert('encommun')</script>";

/// Values tried in every field.
fn hostile_values() -> Vec<String> {
    vec![
        String::new(),
        " ".repeat(50),
        "x".repeat(100_000),
        SCRIPT.to_owned(),
        "\"><img src=x onerror=alert(1)>".to_owned(),
        "'; DROP TABLE users; --".to_owned(),
        "Robert'); DELETE FROM territories WHERE ('1'='1".to_owned(),
        "%00%ff".to_owned(),
        "nul\u{0}octet".to_owned(),
        "-1".to_owned(),
        "99999999999999999999999999".to_owned(),
        "élu\u{202e}tnega".to_owned(),
        "😀".repeat(300),
        "inconnu".to_owned(),
    ]
}

/// A form: who may post it (empty: anyone), where, and a valid example of each field.
type Form = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

/// Every form of the platform.
const FORMS: &[Form] = &[
    ("", "/connexion", &[("email", "personne@exemple.fr"), ("password", "mot de passe")]),
    ("", "/mot-de-passe-oublie", &[("email", "personne@exemple.fr")]),
    ("", "/mot-de-passe/nouveau/0123", &[("password", "abcdefghijkl"), ("password_confirmation", "abcdefghijkl")]),
    ("agence@demo.encommun.fr", "/compte/nom", &[("display_name", "Claire Dubois")]),
    (
        "agence@demo.encommun.fr",
        "/compte/mot-de-passe",
        &[("current_password", "faux"), ("password", "abcdefghijkl"), ("password_confirmation", "abcdefghijkl")],
    ),
    (
        "agence@demo.encommun.fr",
        "/territoires/epci/246800726/invitations",
        &[("email", "x@exemple.fr"), ("function", "agent"), ("referent", "oui")],
    ),
    ("agence@demo.encommun.fr", "/admin/prestataires", &[("name", "Cabinet")]),
    (
        "referente@agglopolys.demo.encommun.fr",
        "/themes",
        &[
            ("title", "Un titre valable"),
            ("problem", "Un problème décrit en plus de vingt caractères."),
            ("why_it_matters", "Une raison décrite en plus de vingt caractères."),
        ],
    ),
    (
        "referente@agglopolys.demo.encommun.fr",
        "/themes/{theme}/positionnement",
        &[
            ("collectivity_id", "{agglopolys}"),
            ("stakes", "Des enjeux exposés en plus de vingt caractères."),
            ("engagement", "observe"),
        ],
    ),
    (
        "agence@demo.encommun.fr",
        "/inspiration",
        &[
            ("title", "Une ressource"),
            ("summary", "Un résumé de plus de vingt caractères."),
            ("body", "## Titre\n\nUn texte."),
            ("links", "https://exemple.fr Exemple"),
            ("theme_ids", "{theme}"),
        ],
    ),
    ("agence@demo.encommun.fr", "/themes/{theme}/statut", &[("status", "inconnu")]),
    ("agence@demo.encommun.fr", "/themes/{theme}/fusion", &[("target_id", "{theme}")]),
    (
        "agence@demo.encommun.fr",
        "/projets/{project}/actualites",
        &[("title", "Une actualité"), ("body", "Un texte de plus de dix caractères."), ("visibility", "participants")],
    ),
    (
        "agence@demo.encommun.fr",
        "/projets/{project}/evenements",
        &[
            ("kind", "local_seminar"),
            ("title", "Séminaire"),
            ("description", "Ordre du jour"),
            ("starts_at", "2027-05-04T14:00"),
            ("ends_at", "04/05/2027 16:00"),
            ("place", "Salle du conseil"),
            ("online_url", "https://visio.example/abc"),
            ("collectivity_id", "{agglopolys}"),
        ],
    ),
    (
        "agence@demo.encommun.fr",
        "/projets/{project}/evenements/{event}/compte-rendu",
        &[("minutes", "Compte rendu de la réunion.")],
    ),
    (
        "referente@agglopolys.demo.encommun.fr",
        "/projets/{project}/evenements/{event}/inscription",
        &[("collectivity_id", "{agglopolys}"), ("user_id", "{sophie}"), ("action", "register")],
    ),
    (
        "referente@agglopolys.demo.encommun.fr",
        "/projets/{project}/groupes/{agglopolys}/membres",
        &[
            ("display_name", "Inès"),
            ("category", "habitant"),
            ("note", "conseil citoyen"),
            ("email", "ines@exemple.fr"),
        ],
    ),
    (
        "agence@demo.encommun.fr",
        "/projets/{project}/groupes/{agglopolys}/questionnaires",
        &[("title", "Questionnaire exposé"), ("introduction", "Bonjour"), ("opens_on", ""), ("closes_on", "")],
    ),
    (
        "agence@demo.encommun.fr",
        "/questionnaires/{questionnaire}/questions",
        &[
            ("kind", "multiple_choice"),
            ("label", "Une question exposée"),
            ("help", "Une aide"),
            ("required", "oui"),
            ("choices", "Un\nDeux = Deux"),
            ("allow_other", "oui"),
            ("min", "1"),
            ("max", "2"),
            ("min_label", "Peu"),
            ("max_label", "Beaucoup"),
            ("rows", "Ligne"),
            ("condition_question", "{question}"),
            ("condition_op", "equals"),
            ("condition_values", "oui"),
        ],
    ),
    (
        "referente@agglopolys.demo.encommun.fr",
        "/questionnaires/{questionnaire}/saisie",
        &[("way", "phone"), ("place", "Marché"), ("q1", "34")],
    ),
    ("agence@demo.encommun.fr", "/questionnaires/{questionnaire}/copie", &[("collectivity_id", "{agglopolys}")]),
    (
        "agence@demo.encommun.fr",
        "/questionnaires/{questionnaire}/questions/{question}",
        &[("kind", "number"), ("label", "Votre âge exact"), ("help", "En années"), ("min", "0"), ("max", "120")],
    ),
    ("agence@demo.encommun.fr", "/questionnaires/{questionnaire}/invitations", &[("count", "3")]),
    ("agence@demo.encommun.fr", "/questionnaires/{questionnaire}/invitations/mode", &[("only", "non")]),
    // The questionnaire's first question is "{question}", a number.
    ("", "/q/jeton-expose", &[("q1", "12"), ("site_web", "")]),
    ("", "/q/jeton-expose/suivi", &[("email", "habitant@exemple.fr")]),
    ("agence@demo.encommun.fr", "/projets/{project}/phase", &[("to", "provider_selection"), ("note", "Une note.")]),
    ("agence@demo.encommun.fr", "/projets/{project}/prestataire", &[("provider_id", "{provider}")]),
    (
        "referente@agglopolys.demo.encommun.fr",
        "/projets/{project}/inscription",
        &[("collectivity_id", "{agglopolys}"), ("role", "participant"), ("charter", "oui")],
    ),
    ("referente@agglopolys.demo.encommun.fr", "/projets/{project}/retrait", &[("collectivity_id", "{agglopolys}")]),
    (
        "agence@demo.encommun.fr",
        "/projets/{project}/evenements/{event}",
        &[
            ("title", "Réunion déplacée"),
            ("description", "Un ordre du jour."),
            ("starts_at", "2027-03-02T10:00"),
            ("ends_at", "2027-03-02T12:00"),
            ("place", "Salle du conseil"),
            ("online_url", "https://visio.exemple.fr/salle"),
        ],
    ),
    (
        "referente@agglopolys.demo.encommun.fr",
        "/retours-d-experience",
        &[
            ("title", "Un retour exposé aux valeurs hostiles"),
            ("territory_code", "41018"),
            ("theme_id", ""),
            ("project_id", ""),
            ("method", "Ateliers"),
            ("duration", "Un an"),
            ("cost", "10 000 €"),
            ("done", "Ce qui a été fait, en plus de vingt caractères."),
            ("results", "Des résultats."),
            ("difficulties", "Des difficultés."),
            ("contact", "Le service jeunesse"),
            ("links", "https://exemple.fr Un lien"),
        ],
    ),
    (
        "prestataire@demo.encommun.fr",
        "/annuaire",
        &[
            ("name", "Un acteur exposé aux valeurs hostiles"),
            ("kind", "association"),
            ("siret", ""),
            ("skills", "concertation, enquête"),
            ("served", "86 R75"),
            ("nationwide", "oui"),
            ("description", "Une présentation de plus de vingt caractères."),
            ("contact", "Le secrétariat"),
            ("links", "https://exemple.fr Un lien"),
            ("project_ids", "{project}"),
        ],
    ),
    ("agence@demo.encommun.fr", "/annuaire/3/moderation", &[("decision", "refuse"), ("reason", "Une raison précise.")]),
    (
        "agence@demo.encommun.fr",
        "/retours-d-experience/3/moderation",
        &[("decision", "refuse"), ("reason", "Une raison précise.")],
    ),
    (
        "agence@demo.encommun.fr",
        "/projets/{project}/comite/partenaires",
        &[("name", "Réseau exposé"), ("kind", "network")],
    ),
    (
        "agence@demo.encommun.fr",
        "/projets/{project}/comite/membres",
        &[
            ("partner_id", "{partner}"),
            ("display_name", "Membre exposé"),
            ("function", "Chargée de mission"),
            ("email", "membre.expose@exemple.fr"),
        ],
    ),
    (
        "agence@demo.encommun.fr",
        "/admin/programmes",
        &[
            ("name", "Programme exposé"),
            ("summary", "Une présentation."),
            ("min_participants", "3"),
            ("max_participants", "5"),
            ("weeks_enrolment", "4"),
            ("weeks_diagnostic", "8"),
            ("weeks_co_design", "8"),
            ("weeks_adoption", "4"),
            ("weeks_follow_up", "26"),
            ("seminar_0_title", "Séminaire exposé"),
            ("seminar_0_kind", "local_seminar"),
            ("seminar_0_phase", "diagnostic"),
            ("seminar_0_week", "2"),
            ("seminar_0_hours", "3"),
            ("categories", "Élus ; Élu·e"),
            ("charter", "Une charte de plus de vingt caractères."),
            ("deliverables", "Une feuille de route"),
        ],
    ),
    (
        "agence@demo.encommun.fr",
        "/admin/programmes/{programme}",
        &[
            ("expected_version", "2"),
            ("note", "Une note."),
            ("name", "Programme exposé en version"),
            ("min_participants", "3"),
            ("max_participants", "5"),
            ("weeks_enrolment", "4"),
            ("weeks_diagnostic", "8"),
            ("weeks_co_design", "8"),
            ("weeks_adoption", "4"),
            ("seminar_0_title", "Séminaire exposé"),
            ("seminar_0_kind", "steering_committee"),
            ("seminar_0_phase", "co_design"),
            ("seminar_0_week", "2"),
            ("seminar_0_hours", "3"),
            ("categories", "Élus ; Élu·e"),
            ("charter", "Une charte de plus de vingt caractères."),
        ],
    ),
    ("agence@demo.encommun.fr", "/admin/programmes/{programme}/archivage", &[("archived", "non")]),
    // Last: opening a project selects the theme the forms above position on.
    (
        "agence@demo.encommun.fr",
        "/projets",
        &[
            ("theme_id", "{theme}"),
            ("programme_id", "{programme}"),
            ("programme_version", "1"),
            ("title", "Projet exposé"),
            ("description", "Une description de plus de vingt caractères."),
            ("charter", "Une charte de plus de vingt caractères."),
            ("min_participants", "3"),
            ("max_participants", "5"),
            ("starts_on", "2027-01-01"),
            ("ends_on", "2027-12-31"),
        ],
    ),
    (
        "agence@demo.encommun.fr",
        "/projets/{project}/diagnostic/{agglopolys}/fiches",
        &[
            ("kind", "acteur"),
            ("name", "Centre social"),
            ("category", "equipements_publics"),
            ("domain", "citizen"),
            ("description", "Accueil des familles."),
            ("contact", "Accueil : 02 54 00 00 00"),
            ("lat", "47,59"),
            ("lon", "1,33"),
        ],
    ),
    (
        "agence@demo.encommun.fr",
        "/projets/{project}/diagnostic/{agglopolys}/fiches/{sheet}/modifier",
        &[("kind", "espace"), ("name", "Marché couvert"), ("category", "marche"), ("opening_hours", "Samedi matin")],
    ),
    (
        "agence@demo.encommun.fr",
        "/projets/{project}/diagnostic/{agglopolys}/fiches/{actor}/relations",
        &[("kind", "utilise"), ("to_id", "{sheet}"), ("intensity", "2"), ("note", "Chaque samedi")],
    ),
    (
        "referente@agglopolys.demo.encommun.fr",
        "/projets/{project}/diagnostic/{agglopolys}/sources",
        &[
            ("kind", "interview"),
            ("title", "Entretien"),
            ("happened_on", "2026-10-02"),
            ("people_met", "2 habitantes"),
            ("notes", "Notes anonymes."),
            ("link", "https://exemple.fr/etude.pdf"),
            ("mentions", "{sheet}"),
        ],
    ),
    (
        "referente@agglopolys.demo.encommun.fr",
        "/abonnements/{subscription}",
        &[("frequency", "weekly"), ("weekday", "3")],
    ),
    ("agence@demo.encommun.fr", "/projets/{project}/diagnostic/familles", &[("label", "Clubs sportifs")]),
    (
        "agence@demo.encommun.fr",
        "/projets/{project}/diagnostic/moderation",
        &[("what", "fiche"), ("id", "{sheet}"), ("decision", "refuser"), ("note", "Doublon")],
    ),
    ("", "/projets/{project}/suivre", &[("email", "curieuse@exemple.fr")]),
    ("", "/themes/{theme}/suivre", &[("email", "curieux@exemple.fr")]),
    ("", "/themes/suivre", &[("email", "veilleur@exemple.fr")]),
    (
        "agence@demo.encommun.fr",
        "/projets/{project}/lettres",
        &[
            ("title", "Lettre exposée"),
            ("edito", "Un édito."),
            ("theory", "Une notion."),
            ("practice", "Une méthode."),
            ("territories", "Des nouvelles."),
            ("in_progress", "Des chantiers."),
            ("upcoming", "Des rendez-vous."),
            ("inspiration", "Une idée."),
            ("to_participants", "on"),
            ("to_observers", "on"),
            ("to_followers", "on"),
        ],
    ),
    // The creativity cycle of Agglopolys in the demo's second project: its convergence workshop is open.
    (
        "agence@demo.encommun.fr",
        "{cycle}/methode",
        &[("method", "thematic"), ("note", "Une note."), ("families", "elus")],
    ),
    (
        "agence@demo.encommun.fr",
        "{cycle}/membres",
        &[
            ("display_name", "Awa"),
            ("category", "associatif"),
            ("family", "associations"),
            ("note", "Une note."),
            ("email", ""),
        ],
    ),
    (
        "agence@demo.encommun.fr",
        "{cycle}/ateliers",
        &[
            ("title", "Atelier exposé"),
            ("step", "divergence"),
            ("starts_at", "2027-03-01T18:00"),
            ("ends_at", "2027-03-01T20:00"),
            ("place", "Salle"),
            ("online_url", ""),
            ("dots", "8"),
            ("description", "Une présentation."),
        ],
    ),
    ("agence@demo.encommun.fr", "{cycle}/objectifs", &[("title", "Un objectif exposé"), ("description", "Précision.")]),
    (
        "agence@demo.encommun.fr",
        "{cycle}/criteres",
        &[("objective", "{objective}"), ("label", "Un critère"), ("weight", "2")],
    ),
    ("agence@demo.encommun.fr", "{cycle}/criteres/poids", &[("poids-{criterion}", "2")]),
    (
        "agence@demo.encommun.fr",
        "{cycle}/idees",
        &[("title", "Une idée exposée"), ("body", "Un texte."), ("author", "habitant"), ("evidence", "")],
    ),
    (
        "agence@demo.encommun.fr",
        "{cycle}/idees/tri",
        &[("idees", "{idea}"), ("action", "regrouper"), ("cluster", ""), ("cluster_name", "Regroupement exposé")],
    ),
    ("agence@demo.encommun.fr", "{cycle}/idees/{idea}/motivations", &[("evidence", "idee-{idea}")]),
    (
        "referente@agglopolys.demo.encommun.fr",
        "{cycle}/ateliers/{workshop}/notes",
        &[("note-i{idea}-{criterion}", "4")],
    ),
    (
        "referente@agglopolys.demo.encommun.fr",
        "{cycle}/ateliers/{workshop}/points",
        &[("candidate", "i{idea}"), ("sens", "plus")],
    ),
    ("agence@demo.encommun.fr", "{cycle}/ateliers/{workshop}/synthese", &[("synthesis", "Une synthèse de l’atelier.")]),
    ("agence@demo.encommun.fr", "{cycle}/ateliers/{workshop}/etat", &[("from", "open"), ("to", "closed")]),
    // Agglopolys's action plan, being written in the demo, and Grand Châtellerault's, adopted.
    ("agence@demo.encommun.fr", "{plan}/axes", &[("title", "Un axe exposé"), ("description", "Une description.")]),
    ("agence@demo.encommun.fr", "{plan}/axes/{plan_axis}", &[("title", "Un axe renommé"), ("description", "")]),
    ("agence@demo.encommun.fr", "{plan}/axes/{plan_axis}/ordre", &[("sens", "bas")]),
    ("agence@demo.encommun.fr", "{plan}/actions/{plan_action}/ordre", &[("sens", "haut")]),
    (
        "agence@demo.encommun.fr",
        "{plan}/actions",
        &[("title", "Une action exposée"), ("axis", "{plan_axis}"), ("description", "")],
    ),
    (
        "agence@demo.encommun.fr",
        "{plan}/actions/{plan_action}",
        &[
            ("revision", "1"),
            ("title", "Une action exposée"),
            ("axis", "{plan_axis}"),
            ("description", "Une description."),
            ("lead_name", "Un pilote"),
            ("lead_entry", "{actor}"),
            ("partner_entries", "{actor}"),
            ("partners", "La Poste"),
            ("starts_on", "2027-01-01"),
            ("ends_on", "2027-12-31"),
            ("budget", "12 000"),
            ("fundings", "Région ; 10 000 ; acquis"),
            ("priority", "2"),
        ],
    ),
    (
        "agence@demo.encommun.fr",
        "{plan}/actions/{plan_action}/avancement",
        &[
            ("revision", "1"),
            ("status", "paused"),
            ("status_reason", "Une raison."),
            ("progress_mode", "manual"),
            ("progress_manual", "40"),
            ("late_override", "late"),
            ("late_reason", "Une raison."),
            ("milestones", "31/03/2027 ; Un jalon ; fait le 20/03/2027"),
        ],
    ),
    ("agence@demo.encommun.fr", "{plan}/actions/{plan_action}/sources", &[("evidence", "fiche-{actor}")]),
    ("agence@demo.encommun.fr", "{plan}/actions/{plan_action}/commentaires", &[("body", "Un commentaire exposé.")]),
    (
        "agence@demo.encommun.fr",
        "{plan}/actions/{plan_action}/indicateurs",
        &[
            ("name", "Un indicateur exposé"),
            ("unit", "personnes"),
            ("direction", "up"),
            ("frequency", "yearly"),
            ("source", "Une source"),
            ("method", "Une méthode."),
            ("baseline_on", "2026-01-01"),
            ("baseline_value", "10"),
            ("targets", "31/12/2027 ; 100"),
        ],
    ),
    (
        "agence@demo.encommun.fr",
        "{plan}/etape-d-apres",
        &[
            ("revision", "1"),
            ("implementation", "Un comité."),
            ("citizens", "Des habitants."),
            ("evaluation", "Des indicateurs."),
        ],
    ),
    (
        "agence@demo.encommun.fr",
        "{adopted_plan}/indicateurs/{indicator}/mesures",
        &[("measured_on", "2026-11-30"), ("value", "12,5"), ("estimated", "oui"), ("comment", "Un commentaire.")],
    ),
    (
        "agence@demo.encommun.fr",
        "{adopted_plan}/suivi",
        &[
            ("held_on", "2026-11-30"),
            ("summary", "Une revue."),
            ("statut-{adopted_action}", "ongoing"),
            ("fait-{adopted_action}", "Fait."),
            ("mesure-{indicator}", "14"),
        ],
    ),
    ("", "/i/{ideas_link}", &[("title", "Une idée d’habitant"), ("body", "Un texte."), ("category", "habitant")]),
    (
        "agence@demo.encommun.fr",
        "{restitution}",
        &[
            ("heard", "Ce que nous avons entendu."),
            ("figures", "412 ; habitants ont répondu"),
            ("decided", "Ce qui a été décidé."),
            ("next_steps", "La suite."),
            ("involved", "Venez."),
            ("revision", "{restitution_revision}"),
        ],
    ),
    ("agence@demo.encommun.fr", "{restitution}/questions", &[("question", "{restitution_question}")]),
    (
        "agence@demo.encommun.fr",
        "{restitution}/citations",
        &[("response", "{free_response}"), ("question", "{free_question}")],
    ),
    ("agence@demo.encommun.fr", "{restitution}/citations/{quote}", &[("text", "Une citation raccourcie.")]),
    (
        "agence@demo.encommun.fr",
        "{restitution}/portee",
        &[
            ("event", ""),
            ("channel", "market_stand"),
            ("label", "Marché de Naintré"),
            ("happened_on", "2026-11-28"),
            ("reached", "60"),
            ("note", "Beaucoup de questions sur le bus."),
        ],
    ),
    ("agence@demo.encommun.fr", "{community}/categories", &[("label", "Chercheurs"), ("member_label", "Chercheur")]),
    (
        "agence@demo.encommun.fr",
        "{community}/delegations/{agglopolys}/membres",
        &[
            ("display_name", "Une personne de plus"),
            ("category", "{elus_group}"),
            ("function", "Conseillère municipale"),
            ("seat", "suppleant"),
            ("email", ""),
        ],
    ),
    (
        "referente@agglopolys.demo.encommun.fr",
        "{community}/forum",
        &[
            ("kind", "question"),
            ("title", "Une question"),
            ("body", "Un message."),
            ("submission", "jeton-hostile-du-forum"),
        ],
    ),
    ("referente@agglopolys.demo.encommun.fr", "{community}/forum/suivi", &[("frequency", "weekly"), ("weekday", "3")]),
    (
        "referente@agglopolys.demo.encommun.fr",
        "{community}/pairs/{elus_group}",
        &[
            ("kind", "obstacle"),
            ("title", "Entre élus"),
            ("body", "Un message."),
            ("submission", "jeton-hostile-des-pairs"),
        ],
    ),
    (
        "referente@agglopolys.demo.encommun.fr",
        "{community}/pairs/{elus_group}/conclusions",
        &[("brings", "Ce que nous apportons."), ("needs", "Ce qu’il nous faut."), ("revision", "{elus_revision}")],
    ),
    ("prestataire@demo.encommun.fr", "{community}/pairs/{agents_group}/animation", &[("user_id", "{admin}")]),
    (
        "referente@agglopolys.demo.encommun.fr",
        "{community}/fils/{peer_thread}/reponses",
        &[("body", "Une réponse."), ("submission", "jeton-hostile-de-reponse")],
    ),
    ("referente@agglopolys.demo.encommun.fr", "{community}/messages/{sophie_message}", &[("body", "Corrigé.")]),
    ("prestataire@demo.encommun.fr", "{community}/messages/{sophie_message}/masquage", &[("reason", "Hors sujet")]),
    ("prestataire@demo.encommun.fr", "{community}/evenements/{supervision}/presences", &[("present", "{karim}")]),
    (
        "prestataire@demo.encommun.fr",
        "{community}/evenements/{supervision}/notes",
        &[("body", "Une note."), ("submission", "jeton-hostile-de-note")],
    ),
    (
        "prestataire@demo.encommun.fr",
        "{community}/enseignements",
        &[
            ("title", "Un enseignement"),
            ("body", "Un enseignement tiré du projet."),
            ("phase", "diagnostic"),
            ("theme", ""),
        ],
    ),
    (
        "prestataire@demo.encommun.fr",
        "{community}/enseignements/{lesson}",
        &[("title", "Un enseignement"), ("body", "Un enseignement corrigé."), ("phase", "diagnostic"), ("theme", "")],
    ),
    ("prestataire@demo.encommun.fr", "{community}/enseignements/{lesson}/audience", &[("audience", "observers")]),
    (
        "prestataire@demo.encommun.fr",
        "{community}/recommandations",
        &[
            ("title", "Une recommandation"),
            ("body", "Une recommandation du projet."),
            ("addressee", "Un ministère"),
            ("addressee_kind", "ministry"),
        ],
    ),
    (
        "agence@demo.encommun.fr",
        "{community}/recommandations/{recommendation}/statut",
        &[("status", "answered"), ("answer", "Une réponse reçue du ministère.")],
    ),
    (
        "agence@demo.encommun.fr",
        "{community}/livrable/edition",
        &[
            ("title", "Un livrable"),
            ("introduction", "Une introduction."),
            ("conclusion", ""),
            ("lesson", "{lesson}"),
            ("revision", "{deliverable_revision}"),
        ],
    ),
    (
        "",
        "/invitation/0123",
        &[("display_name", "X"), ("password", "abcdefghijkl"), ("password_confirmation", "abcdefghijkl")],
    ),
];

const ACCEPTABLE: [u16; 9] = [200, 303, 400, 403, 404, 410, 413, 422, 429];

async fn logged_in(app: &TestApp, email: &str) -> Client {
    let client = app.client();
    if !email.is_empty() {
        client.login(email, DEMO_PASSWORD).await.assert_redirect("/");
    }
    client
}

fn assert_no_live_markup(path: &str, body: &str) {
    assert!(!body.contains(SCRIPT) && !body.contains("<img src=x"), "{path} echoes markup unescaped:\n{body}");
}

on_both_backends!(every_form_survives_hostile_values, malformed_requests_get_french_errors);

/// An open theme and Agglopolys's collectivity, for the forms that need them.
fn placeholders(app: &TestApp) -> Vec<(&'static str, String)> {
    use encommun::domain::territory::TerritoryKind;
    use encommun::domain::theme::{NewTheme, ThemeStatus};
    let mut conn = app.conn();
    let admin = encommun::storage::users::find_user_by_email(&mut conn, "agence@demo.encommun.fr").unwrap().unwrap();
    let theme = NewTheme::parse(
        "Thème exposé",
        "Un problème décrit en plus de vingt caractères.",
        "Une raison décrite en plus de vingt caractères.",
    )
    .unwrap();
    let id = encommun::storage::themes::insert_theme(&mut conn, &theme, admin.id, None, ThemeStatus::Open).unwrap();
    let territory =
        encommun::storage::territories::find_territory(&mut conn, TerritoryKind::Epci, "200030385").unwrap().unwrap();
    let collectivity =
        encommun::storage::collectivities::find_collectivity_of_territory(&mut conn, territory.id).unwrap().unwrap();
    let project = enrolment_project(&mut conn);
    let programme = encommun::storage::programmes::all_programmes(&mut conn)
        .unwrap()
        .into_iter()
        .find(|p| p.name == encommun::demo::DEMO_PROGRAMME)
        .unwrap()
        .id;
    let partner = encommun::storage::steering::add_partner(
        &mut conn,
        project.id,
        &encommun::domain::steering::NewPartner::parse("Partenaire exposé", "research").unwrap(),
        admin.id,
    )
    .unwrap()
    .unwrap();
    let event = encommun::domain::project::NewEvent::parse(&encommun::domain::project::EventInput {
        kind: "meeting",
        title: "Réunion passée",
        description: "",
        starts_at: "2026-01-05T10:00",
        ends_at: "2026-01-05T12:00",
        place: "Salle du conseil",
        online_url: "",
        collectivity_id: "",
    })
    .unwrap();
    let event = encommun::storage::events::insert_event(&mut conn, project.id, &event, admin.id, "projet").unwrap();
    let sophie = encommun::storage::users::find_user_by_email(&mut conn, "referente@agglopolys.demo.encommun.fr")
        .unwrap()
        .unwrap();
    let provider = encommun::storage::providers::list_providers(&mut conn).unwrap()[0].id;
    let questionnaire =
        encommun::domain::questionnaire::NewQuestionnaire::parse("Questionnaire exposé", "", "", "").unwrap();
    let questionnaire = encommun::storage::questionnaires::create_questionnaire(
        &mut conn,
        project.id,
        collectivity.id,
        &questionnaire,
        "jeton-expose",
        admin.id,
    )
    .unwrap();
    let number = encommun::domain::questionnaire::parse_question(
        &encommun::domain::questionnaire::QuestionInput { kind: "number", label: "Votre âge", ..Default::default() },
        &[],
    )
    .unwrap();
    let question = encommun::storage::questionnaires::add_question(&mut conn, questionnaire, &number).unwrap();
    assert!(encommun::storage::questionnaires::publish_questionnaire(&mut conn, questionnaire).unwrap());
    // Two sheets of Agglopolys's diagnostic: a space, and an actor that uses it.
    let place = encommun::storage::diagnostic::Place { project_id: project.id, collectivity_id: collectivity.id };
    let author = encommun::storage::diagnostic::Author { user_id: admin.id, publishes: true };
    let sheet = |kind, category: &str| {
        let fields = encommun::domain::diagnostic::SheetFields {
            name: format!("Fiche {category}"),
            category: category.into(),
            domain: "citizen".into(),
            ..Default::default()
        };
        encommun::domain::diagnostic::NewEntry::parse(kind, &fields, &[category.to_owned()]).unwrap()
    };
    use encommun::domain::diagnostic::EntryKind;
    use encommun::storage::diagnostic::insert_entry;
    let space =
        insert_entry(&mut conn, place, &sheet(EntryKind::Space, "marche"), &Default::default(), None, author).unwrap();
    let actor =
        insert_entry(&mut conn, place, &sheet(EntryKind::Actor, "associations"), &Default::default(), None, author)
            .unwrap();
    let subscription =
        encommun::storage::subscriptions::subscriptions_of_user(&mut conn, sophie.id).unwrap().remove(0).0.id;
    // Agglopolys's cycle in the demo's second project.
    let access = encommun::demo::project(&mut conn, encommun::demo::DIAGNOSTIC_PROJECT).unwrap().unwrap();
    let cycle_place = encommun::storage::diagnostic::Place { project_id: access.id, collectivity_id: collectivity.id };
    let (objective, criteria) = encommun::storage::codesign::objectives_of(&mut conn, cycle_place).unwrap().remove(0);
    let idea = encommun::storage::codesign::ideas_of(&mut conn, cycle_place).unwrap()[0].id;
    let workshop = encommun::storage::codesign::workshops_of(&mut conn, cycle_place).unwrap()[0].event_id;
    let plan = encommun::storage::plans::plan_detail(&mut conn, cycle_place).unwrap();
    let chatellerault = {
        let territory = encommun::storage::territories::find_territory(&mut conn, TerritoryKind::Epci, "248600413")
            .unwrap()
            .unwrap();
        encommun::storage::collectivities::find_collectivity_of_territory(&mut conn, territory.id).unwrap().unwrap().id
    };
    let adopted_place = encommun::storage::diagnostic::Place { project_id: access.id, collectivity_id: chatellerault };
    let adopted = encommun::storage::plans::plan_detail(&mut conn, adopted_place).unwrap();
    let measured = adopted.actions.iter().find(|a| !a.indicators.is_empty()).unwrap();
    let restitution = encommun::storage::restitutions::find_restitution(&mut conn, adopted_place).unwrap().unwrap();
    let restitution_questions = encommun::storage::restitutions::shown_questions(&mut conn, restitution.id).unwrap();
    let quotes = encommun::storage::restitutions::quotes_of(&mut conn, restitution.id).unwrap();
    let free = encommun::storage::restitutions::free_answers(&mut conn, adopted_place).unwrap();
    let groups = encommun::storage::delegations::peer_groups_of_project(&mut conn, access.id).unwrap();
    let (peer_thread, sophie_message, supervision, karim, admin) = {
        use diesel::prelude::*;
        use encommun::storage::schema::{events, thread_messages, threads, users};
        let thread: i64 = threads::table
            .filter(threads::peer_group_id.eq(groups[0].id))
            .select(threads::id)
            .first(&mut conn)
            .unwrap();
        let message: i64 = thread_messages::table
            .filter(thread_messages::thread_id.eq(thread))
            .filter(thread_messages::author_id.eq(sophie.id))
            .select(thread_messages::id)
            .first(&mut conn)
            .unwrap();
        let supervision: i64 = events::table
            .filter(events::kind.eq("supervision"))
            .filter(events::starts_at.lt(encommun::storage::now()))
            .select(events::id)
            .first(&mut conn)
            .unwrap();
        let id_of = |conn: &mut encommun::storage::DbConnection, email: &str| -> i64 {
            users::table.filter(users::email.eq(email)).select(users::id).first(conn).unwrap()
        };
        (
            thread,
            message,
            supervision,
            id_of(&mut conn, "agent@grand-chatellerault.demo.encommun.fr"),
            id_of(&mut conn, "agence@demo.encommun.fr"),
        )
    };
    let lesson = encommun::storage::capitalisation::visible_lessons(
        &mut conn,
        access.id,
        encommun::domain::capitalisation::Audience::Participants,
    )
    .unwrap()[0]
        .lesson
        .id;
    let recommendation = encommun::storage::capitalisation::recommendations_of(&mut conn, access.id).unwrap()[0].id;
    let deliverable_revision =
        encommun::storage::deliverables::find_deliverable(&mut conn, access.id).unwrap().unwrap().revision;
    vec![
        ("{community}", format!("/projets/{}", access.id)),
        ("{elus_group}", groups[0].id.to_string()),
        ("{agents_group}", groups[1].id.to_string()),
        ("{elus_revision}", groups[0].revision.to_string()),
        ("{peer_thread}", peer_thread.to_string()),
        ("{sophie_message}", sophie_message.to_string()),
        ("{supervision}", supervision.to_string()),
        ("{karim}", karim.to_string()),
        ("{admin}", admin.to_string()),
        ("{lesson}", lesson.to_string()),
        ("{recommendation}", recommendation.to_string()),
        ("{deliverable_revision}", deliverable_revision.to_string()),
        ("{plan}", format!("/projets/{}/plan/{}", access.id, collectivity.id)),
        ("{plan_axis}", plan.axes[0].id.to_string()),
        ("{plan_action}", plan.actions[0].row.id.to_string()),
        ("{adopted_plan}", format!("/projets/{}/plan/{chatellerault}", access.id)),
        ("{restitution}", format!("/projets/{}/restitution/{chatellerault}", access.id)),
        ("{restitution_revision}", restitution.revision.to_string()),
        ("{restitution_question}", restitution_questions[0].to_string()),
        ("{quote}", quotes[0].id.to_string()),
        ("{free_response}", free[0].response_id.to_string()),
        ("{free_question}", free[0].question_id.to_string()),
        ("{adopted_action}", measured.row.id.to_string()),
        ("{indicator}", measured.indicators[0].row.id.to_string()),
        ("{cycle}", format!("/projets/{}/croisement/{}", access.id, collectivity.id)),
        ("{ideas_link}", encommun::storage::codesign::idea_link(&mut conn, cycle_place).unwrap().unwrap()),
        ("{objective}", objective.id.to_string()),
        ("{criterion}", criteria[0].id.to_string()),
        ("{idea}", idea.to_string()),
        ("{workshop}", workshop.to_string()),
        ("{subscription}", subscription.to_string()),
        ("{sheet}", space.to_string()),
        ("{actor}", actor.to_string()),
        ("{questionnaire}", questionnaire.to_string()),
        ("{question}", question.to_string()),
        ("{theme}", id.to_string()),
        ("{agglopolys}", collectivity.id.to_string()),
        ("{project}", project.id.to_string()),
        ("{event}", event.to_string()),
        ("{sophie}", sophie.id.to_string()),
        ("{provider}", provider.to_string()),
        ("{programme}", programme.to_string()),
        ("{partner}", partner.to_string()),
    ]
}

async fn every_form_survives_hostile_values(app: TestApp) {
    app.load_demo();
    let fixtures = placeholders(&app);
    let fill = |text: &str| fixtures.iter().fold(text.to_owned(), |text, (key, value)| text.replace(key, value));
    for (who, action, valid) in FORMS {
        let action = fill(action);
        let valid: Vec<(&str, String)> = valid.iter().map(|(name, value)| (*name, fill(value))).collect();
        let action = action.as_str();
        let client = logged_in(&app, who).await;
        let token = client.csrf().await;
        for field in valid.iter().map(|(name, _)| *name) {
            for value in hostile_values() {
                let mut fields: Vec<(&str, &str)> = vec![("csrf_token", &token)];
                fields.extend(
                    valid.iter().map(|(name, v)| (*name, if *name == field { value.as_str() } else { v.as_str() })),
                );
                let page = client.post(action, &fields).await;
                assert!(
                    ACCEPTABLE.contains(&page.status),
                    "{action} with {field}={:.40?} answered {}:\n{}",
                    value,
                    page.status,
                    page.body
                );
                assert_no_live_markup(action, &page.body);
            }
        }
    }
    // Whatever was saved is shown escaped everywhere it appears.
    let admin = logged_in(&app, "agence@demo.encommun.fr").await;
    let project = format!("/projets/{}", fill("{project}"));
    let theme = format!("/themes/{}", fill("{theme}"));
    let group = format!("{project}/groupes/{}", fill("{agglopolys}"));
    let builder = format!("/questionnaires/{}", fill("{questionnaire}"));
    let event = format!("{project}/evenements/{}", fill("{event}"));
    let diagnostic = format!("{project}/diagnostic/{}", fill("{agglopolys}"));
    let (letters, follow) = (format!("{project}/lettres"), format!("{theme}/suivre"));
    let cycle = fill("{cycle}");
    let diagnostic_pages = [
        format!("{project}/diagnostic"),
        format!("{project}/diagnostic/moderation"),
        diagnostic.clone(),
        format!("{diagnostic}/fiches/{}", fill("{sheet}")),
        format!("{diagnostic}/fiches/{}", fill("{actor}")),
        format!("{diagnostic}/sources/nouvelle"),
    ];
    // Agglopolys's map, with the hostile sheets, made public: its page and a sheet's, for a visitor.
    admin.submit(&diagnostic, &format!("{diagnostic}/carte-publique"), &[("publique", "oui")]).await.assert_status(303);
    let public_map = format!("{project}/cartes/{}", fill("{agglopolys}"));
    for path in [public_map.clone(), format!("{public_map}/fiches/{}", fill("{sheet}"))] {
        let page = app.client().get(&path).await;
        page.assert_status(200);
        assert_no_live_markup(&path, &page.body);
    }
    let questionnaire_pages: Vec<String> =
        ["couverture", "invitations", "comparaison", "resultats"].iter().map(|p| format!("{builder}/{p}")).collect();
    for path in [
        "/",
        "/admin",
        "/compte",
        "/collectivites",
        "/territoires/epci/246800726",
        "/collectivites?q=%3Cscript%3E",
        "/projets",
        "/inspiration",
        &theme,
        &project,
        &group,
        &builder,
        &questionnaire_pages[0],
        &questionnaire_pages[1],
        &questionnaire_pages[2],
        &questionnaire_pages[3],
        "/q/jeton-expose",
        &event,
        &diagnostic_pages[0],
        &diagnostic_pages[1],
        &diagnostic_pages[2],
        &diagnostic_pages[3],
        &diagnostic_pages[4],
        &diagnostic_pages[5],
        "/abonnements",
        "/admin/courriels",
        "/admin/programmes",
        "/retours-d-experience",
        "/retours-d-experience/3",
        "/annuaire",
        "/annuaire/3",
        &format!("{project}/comite"),
        &format!("/admin/programmes/{}", fill("{programme}")),
        &format!("/admin/programmes/{}?version=1", fill("{programme}")),
        &cycle,
        &format!("{cycle}/idees"),
        &format!("{cycle}/ateliers/{}", fill("{workshop}")),
        &letters,
        &follow,
    ] {
        let page = admin.get(path).await;
        page.assert_status(200);
        assert_no_live_markup(path, &page.body);
    }
    // The community's pages, for the agency, and the élus' group for one of them (the agency does not read it).
    let community = fill("{community}");
    for path in [
        format!("{community}/communaute"),
        format!("{community}/forum"),
        format!("{community}/agora"),
        format!("{community}/delegations/{}", fill("{agglopolys}")),
        format!("{community}/evenements/{}", fill("{supervision}")),
        format!("{community}/enseignements"),
        format!("{community}/recommandations"),
        format!("{community}/livrable"),
        format!("{community}/livrable/edition"),
    ] {
        let page = admin.get(&path).await;
        page.assert_status(200);
        assert_no_live_markup(&path, &page.body);
    }
    let sophie = logged_in(&app, "referente@agglopolys.demo.encommun.fr").await;
    for path in
        [format!("{community}/pairs/{}", fill("{elus_group}")), format!("{community}/fils/{}", fill("{peer_thread}"))]
    {
        let page = sophie.get(&path).await;
        page.assert_status(200);
        assert_no_live_markup(&path, &page.body);
    }
    // The rate limit did its job without locking the agency out, and no half-written account exists.
    let accounts = encommun::storage::users::count_users(&mut app.conn()).unwrap();
    assert_eq!(accounts, encommun::demo::DEMO_ACCOUNTS.len() as i64, "no account was created by hostile input");
}

async fn malformed_requests_get_french_errors(app: TestApp) {
    app.load_demo();
    let admin = logged_in(&app, "agence@demo.encommun.fr").await;
    let token = admin.get("/compte").await.csrf_token();
    // Duplicated keys, a missing field, invalid UTF-8, an oversized body.
    let cases: Vec<(String, u16)> = vec![
        (format!("csrf_token={token}&display_name=a&display_name=b"), 400),
        (format!("csrf_token={token}"), 400),
        (format!("csrf_token={token}&display_name=%FF%FE%FD"), 400),
        (format!("csrf_token={token}&display_name={}", "a".repeat(300 * 1024)), 400),
    ];
    for (body, status) in cases {
        let body_copy = body.clone().into_bytes();
        let page = admin.post_raw("/compte/nom", "application/x-www-form-urlencoded", body.into_bytes()).await;
        assert_eq!(page.status, status, "{:.80}: {}", String::from_utf8_lossy(&body_copy), page.body);
        page.assert_contains("Demande incorrecte");
    }
    for path in ["/territoires/commune/86%00066", "/collectivites?q=%FF%FE", "/collectivites?q=a%00b"] {
        let page = admin.get(path).await;
        assert_eq!(page.status, 400, "{path}");
        page.assert_contains("caractères invalides");
    }
    // A body that is not a form at all.
    let page = admin.post_raw("/compte/nom", "application/json", br#"{"display_name":"x"}"#.to_vec()).await;
    assert_eq!(page.status, 403, "no token where a form carries it");
    admin.get("/compte").await.assert_contains("Claire Dubois");
}

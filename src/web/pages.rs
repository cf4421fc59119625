//! Fixed pages (accessibility statement, legal notice, privacy) and the health check.

use actix_web::{web, HttpResponse};
use maud::html;

use super::context::PageCtx;
use super::views::page;
use super::AppState;

/// 200 "ok" when the database answers; 503 otherwise, so a load balancer takes the instance out.
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    match state.db(|conn| Ok(crate::storage::ping(conn)?)).await {
        Ok(()) => HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ok"),
        Err(e) => {
            log::warn!("contrôle de santé : base injoignable : {e:?}");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body("base de données injoignable")
        }
    }
}

/// The state of compliance the footer and the statement give. Without a complete RGAA audit, the RGAA's rule is
/// to declare a service « non conforme », whatever the automated checks say; this changes with an audit.
pub const COMPLIANCE: &str = "non conforme";

/// The day the accessibility statement was last written; it changes with what the statement says.
const STATEMENT_DATE: &str = "3 décembre 2026";

/// The page types the browser suite audits at each change (tests/browser/run.mjs), named as their users know them.
const PAGES_TESTED: [&str; 16] = [
    "l’accueil",
    "la connexion et le mot de passe oublié (avec leurs erreurs)",
    "la recherche des collectivités et la page d’un territoire",
    "les thèmes, un thème et le positionnement d’une collectivité",
    "les projets, la page d’un projet et son pilotage",
    "les rendez-vous et les actualités d’un projet",
    "un groupe d’enquête mixte",
    "le constructeur de questionnaire et son aperçu",
    "un questionnaire public, ses erreurs et son remerciement",
    "la saisie d’entretien, les résultats, la couverture des publics et la comparaison",
    "le diagnostic d’un territoire, sa carte, une fiche, une source, l’import d’un fichier",
    "les ressources d’inspiration",
    "les abonnements et les lettres d’un projet",
    "« Ma collectivité » et « Mon compte »",
    "l’administration, les contours et la file des courriels",
    "la présente déclaration, les mentions légales et les données personnelles",
];

/// The accessibility statement, on the model of the RGAA 4.1 (its headings in its order).
pub async fn accessibility(ctx: PageCtx, state: web::Data<AppState>) -> maud::Markup {
    let contact = state.config.accessibility_contact.as_ref();
    page(
        &ctx,
        "Déclaration d’accessibilité",
        html! {
            h1 { "Déclaration d’accessibilité" }
            p { "L’organisme qui édite cette instance d’encommun s’engage à rendre ses services numériques accessibles, conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005." }
            p { "Cette déclaration d’accessibilité s’applique à la plateforme encommun (" (state.config.base_url) ")." }
            h2 { "État de conformité" }
            p { "La plateforme encommun est " strong { (COMPLIANCE) } " avec le référentiel général d’amélioration de l’accessibilité (RGAA), version 4.1 : aucun audit complet de conformité n’a encore été réalisé, et le RGAA demande alors de la déclarer non conforme." }
            h2 { "Résultats des tests" }
            p { "En attendant un audit, chaque type de page est vérifié automatiquement, à chaque modification du code, dans un vrai navigateur : aucune erreur relevée par l’outil axe-core (critères WCAG 2.1 A et AA), sur un écran d’ordinateur (1 280 pixels) comme sur un téléphone (390 pixels), et aucun défilement horizontal de la page à 320 pixels de large. Les parcours principaux (se connecter, chercher une collectivité, se positionner sur un thème, s’inscrire à un projet, répondre à un questionnaire, proposer un lieu pour la carte) sont aussi faits au clavier seul et sans JavaScript." }
            h2 { "Contenus non accessibles" }
            h3 { "Non-conformités" }
            ul {
                li { "Ces vérifications automatiques ne couvrent qu’une partie des critères du RGAA : la pertinence des alternatives, l’ordre de lecture ou la compréhension des messages demandent un audit humain, qui n’a pas encore eu lieu." }
                li { "Les graphiques des résultats de questionnaires et les cartes dessinées par la plateforme sont des images : leurs chiffres et leurs noms sont donnés dans un tableau placé à côté, et non sur l’image elle-même." }
            }
            h3 { "Dérogations pour charge disproportionnée" }
            p { "Aucune." }
            h3 { "Contenus non soumis à l’obligation d’accessibilité" }
            ul {
                li { "La carte interactive du diagnostic, sur fond OpenStreetMap, que l’on ouvre si on le souhaite (carte en ligne, article 3 du décret n° 2019-768) : la carte dessinée par la plateforme, sa légende et le tableau des fiches donnent les mêmes informations." }
                li { "Les fichiers déposés par les utilisateurs (tableaux importés, documents joints) : contenus de tiers, que la plateforme ne produit pas." }
            }
            h2 { "Établissement de cette déclaration" }
            p { "Cette déclaration a été établie le " (STATEMENT_DATE) "." }
            h3 { "Technologies utilisées" }
            ul { li { "HTML" } li { "CSS" } li { "SVG" } li { "JavaScript, facultatif : chaque page fonctionne sans lui" } }
            h3 { "Environnement de test" }
            p { "Chromium (version de Debian) piloté par Playwright, aux largeurs de 1 280, 390 et 320 pixels, avec et sans JavaScript, au clavier seul." }
            h3 { "Outils pour évaluer l’accessibilité" }
            ul { li { "axe-core (Deque), règles WCAG 2.0 et 2.1 de niveaux A et AA, et bonnes pratiques" } }
            h3 { "Pages ayant fait l’objet de la vérification" }
            ul { @for tested in PAGES_TESTED { li { (tested) } } }
            h2 { "Retour d’information et contact" }
            p { "Si vous n’arrivez pas à accéder à un contenu ou à un service, vous pouvez nous le dire pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme." }
            @if let Some(address) = contact {
                p { "Écrivez à " a href={ "mailto:" (address) } { (address) } "." }
            } @else {
                p { "Écrivez à l’agence ou au référent de votre collectivité, qui transmettra à l’équipe de la plateforme." }
            }
            h2 { "Voies de recours" }
            p { "Si vous avez signalé au responsable de la plateforme un défaut d’accessibilité qui vous empêche d’accéder à un contenu ou à un service, et n’avez pas obtenu de réponse satisfaisante, vous êtes en droit de faire parvenir vos doléances ou une demande de saisine au Défenseur des droits :" }
            ul {
                li { "écrire un message au Défenseur des droits (formulaire en ligne : " a href="https://formulaire.defenseurdesdroits.fr/" { "formulaire.defenseurdesdroits.fr" } ") ;" }
                li { "contacter le délégué du Défenseur des droits dans votre région (" a href="https://www.defenseurdesdroits.fr/saisir/delegues" { "liste des délégués" } ") ;" }
                li { "appeler le 09 69 39 00 00 ;" }
                li { "envoyer un courrier par la poste, gratuit, sans mettre de timbre : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07." }
            }
        },
    )
}

pub async fn legal_notice(ctx: PageCtx) -> maud::Markup {
    page(
        &ctx,
        "Mentions légales",
        html! {
            h1 { "Mentions légales" }
            h2 { "Éditeur" }
            p { "Cette instance d’encommun est éditée par l’organisme qui l’héberge pour conduire ses projets partagés entre territoires. Son responsable de publication est désigné par cet organisme." }
            h2 { "Logiciel" }
            p { "encommun est un logiciel libre, publié sous licence AGPL-3.0-or-later." }
            h2 { "Données territoriales" }
            p { "Les listes de communes, d’intercommunalités, de départements et de régions proviennent du code officiel géographique de l’INSEE et de la base Banatic de la DGCL ; les contours, d’IGN Admin Express ; les listes de territoires accompagnés, de l’ANCT. Toutes sont publiées sous Licence Ouverte 2.0." }
        },
    )
}

pub async fn privacy(ctx: PageCtx, state: web::Data<AppState>) -> maud::Markup {
    page(
        &ctx,
        "Données personnelles",
        html! {
            h1 { "Données personnelles" }
            p { "encommun ne collecte que ce qui est nécessaire pour conduire les projets partagés, et ne transmet rien à des tiers : pas de publicité, pas d’outil de mesure d’audience, pas de police de caractères ni de script chargés depuis un autre site." }
            h2 { "Comptes" }
            p { "Pour les élus, agents et prestataires : nom, adresse électronique, mot de passe (conservé sous forme d’empreinte argon2id, jamais en clair), collectivités ou prestataire de rattachement. Base légale : mission d’intérêt public des collectivités et de l’agence." }
            h2 { "Groupes d’enquête mixtes" }
            p { "Pour chaque membre d’un groupe d’enquête : un nom (un prénom ou un pseudonyme suffit pour un habitant), sa catégorie (élu, agent, habitant, scolaire, associatif, autre) et, s’il le souhaite, quelques mots de présentation. Son adresse électronique n’est demandée que s’il doit créer un compte, et ne sert qu’à cette invitation. Ces informations ne sont visibles que de sa collectivité, du prestataire et de l’agence ; retirer une personne du groupe efface ses informations et l’invitation en attente." }
            h2 { "Communauté apprenante" }
            p { "Pour chaque fiche de l’annuaire des acteurs : la personne qui l’a écrite, pour le rappel annuel de la vérifier ; le contact de l’organisation est public : indiquez une adresse générique." }
            p { "Pour chaque retour d’expérience : la personne qui l’a écrit (pour lui rappeler, une fois par an, de le vérifier) et le contact qu’elle a choisi d’y indiquer, public une fois le retour publié : préférez un service ou une fonction à une personne." }
            p { "Pour chaque membre du comité de pilotage d’un projet : son nom, sa fonction, son organisation et son adresse électronique, où sont envoyées l’invitation à créer son compte et les invitations aux réunions du comité. Son adresse n’est montrée qu’à l’agence et au prestataire ; son nom et sa fonction sont lus par l’espace de travail du projet et les autres membres du comité. Retirer une personne du comité efface sa place et l’invitation en attente ; son compte, s’il existe, ne lit plus l’espace de travail." }
            p { "Pour chaque membre d’une délégation : son nom, sa fonction, sa catégorie (élu, agent, opérateur socio-économique, agent de l’État…) et, pour l’inviter à créer son compte, son adresse électronique. Ces informations sont visibles des collectivités participantes, du prestataire, de l’agence et des délégations du projet ; retirer une personne de sa délégation efface sa place et l’invitation en attente." }
            p { "Les messages d’un groupe de pairs ne sont lus que par les membres de sa catégorie et les personnes désignées pour l’animer, dont les noms sont affichés dans le groupe : ni les autres membres du projet, ni l’agence ou le prestataire s’ils ne l’animent pas. Ils n’apparaissent dans aucune activité publique, aucun récapitulatif, aucun export ; le courriel qui prévient d’un nouveau message dit seulement « nouveau message dans votre groupe de pairs ». Les notes d’une séance de supervision ne sont lues que par celles et ceux qui y ont participé. Un message masqué par l’animation est conservé, sans être affiché ; chacun choisit la fréquence de ses courriels ou les arrête d’un clic." }
            h2 { "Réponses aux questionnaires" }
            p { "Les habitants répondent sans compte : ni nom, ni adresse, ni adresse IP ne sont enregistrés avec leurs réponses, seulement la date d’envoi. Celui qui souhaite être tenu au courant de la suite peut laisser une adresse électronique : elle est gardée à part, sans lien avec ses réponses, n’est jamais exportée avec elles et ne sert qu’à lui écrire pour la restitution. Quand la restitution de son territoire est publiée, il reçoit un seul courriel, même s’il a laissé son adresse sur plusieurs questionnaires ; l’adresse est effacée aussitôt le courriel envoyé, et au plus tard " (state.config.feedback_retention_days) " jours après la clôture du projet si la restitution ne l’a pas utilisée. Le lien de ce courriel l’efface aussi des autres questionnaires où elle aurait été laissée." }
            p { "Des questions de profil (tranche d’âge, situations comme vivre seul·e ou ne pas avoir internet) peuvent être posées à la fin, pour vérifier que l’enquête atteint tous les publics : elles sont facultatives et ne sont enregistrées que si le répondant coche la case par laquelle il accepte d’y répondre. Base légale : le consentement ; elles ne servent qu’à des décomptes. Les invitations à usage unique ne relient pas une réponse à la personne invitée. Pour écarter les envois automatiques, le nombre de réponses reçues de chaque adresse réseau est compté en mémoire pendant une heure, sans être enregistré. Lors d’un entretien, la saisie en cours est gardée dans le navigateur de l’enquêteur, sur son appareil, jusqu’à son enregistrement, pour ne rien perdre si la connexion tombe ; elle est effacée dès que la réponse est enregistrée." }
            h2 { "Diagnostic des territoires" }
            p { "Les fiches décrivent des organisations, des lieux et des dispositifs, pas des personnes : on y inscrit un contact institutionnel (un service, une fonction, une adresse générique), jamais de coordonnées personnelles. Les notes d’entretien sont anonymes : la plateforme refuse celles qui contiennent une adresse électronique ou un numéro de téléphone, et demande de désigner chacun par son rôle. Le nom de l’auteur de chaque contribution est gardé pour la validation par le prestataire. Le diagnostic n’est visible que des collectivités participantes du projet, du prestataire, de l’agence et des membres du groupe d’enquête du territoire ; un fichier envoyé pour import est effacé une fois importé, ou un jour après son envoi s’il est abandonné. La carte interactive du diagnostic, si vous l’ouvrez, affiche un fond de carte téléchargé depuis les serveurs d’OpenStreetMap, qui reçoivent alors votre adresse IP ; sans ce clic, rien n’est chargé d’un autre site." }
            h2 { "Récapitulatifs par courriel" }
            p { "Les membres des collectivités inscrites à un projet reçoivent par défaut un récapitulatif hebdomadaire de ce qui s’y passe ; chacun en choisit la fréquence ou l’arrête depuis « Mes abonnements », ou d’un clic sur le lien présent dans chaque courriel, sans avoir à se connecter. Base légale : mission d’intérêt public (le suivi des projets auxquels la collectivité s’est engagée). Les courriels en attente d’envoi sont gardés dans la base, avec leur destinataire, le temps d’être envoyés." }
            p { "Toute personne peut suivre un projet ou un thème public avec sa seule adresse électronique. Base légale : consentement, donné deux fois — en demandant l’abonnement, puis en le confirmant depuis le courriel reçu. Sans confirmation, l’adresse est effacée au bout de sept jours ; le lien « Ne plus recevoir aucun récapitulatif » de chaque courriel l’efface aussitôt. Elle ne sert qu’à ces récapitulatifs et aux lettres du projet." }
            p { "Les lettres d’un projet vont à celles et ceux qui le suivent par courriel, selon les destinataires choisis par l’agence ou le prestataire (participantes, observatrices, abonnés) ; le lien « Ne plus rien recevoir » de chaque lettre les arrête comme les récapitulatifs." }
            h2 { "Cookies" }
            p { "Un seul cookie, chiffré, strictement nécessaire : il maintient votre connexion et protège les formulaires contre la falsification. Il est supprimé à la déconnexion ou à la fermeture du navigateur, et la connexion expire au plus tard après 12 heures. Aucun consentement n’est demandé car aucun autre cookie n’est déposé." }
            p { "Répondre à un questionnaire ne dépose aucun cookie, pas même celui-ci : un navigateur qui les refuse peut répondre. Le formulaire porte à la place un jeton signé par la plateforme, valable une journée, qui prouve qu’il vient bien d’elle ; il est le même pour tous les répondants d’une même heure et ne permet pas de vous reconnaître." }
            h2 { "Sécurité" }
            p { "Les tentatives de connexion échouées sont conservées 24 heures, avec l’adresse IP, pour bloquer les essais de mots de passe en série." }
            h2 { "Vos droits" }
            p { "Vous pouvez consulter et corriger vos informations depuis « Mon compte », et demander leur export ou leur effacement à l’administrateur de la plateforme. Vous pouvez aussi adresser une réclamation à la CNIL." }
        },
    )
}

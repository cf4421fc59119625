//! Fixed pages (accessibility statement, legal notice, privacy) and the health check.

use actix_web::{web, HttpResponse};
use diesel::connection::SimpleConnection;
use maud::html;

use super::context::PageCtx;
use super::views::page;
use super::AppState;

/// 200 "ok" when the database answers; 503 otherwise, so a load balancer takes the instance out.
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    match state.db(|conn| Ok(conn.batch_execute("SELECT 1")?)).await {
        Ok(()) => HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ok"),
        Err(e) => {
            log::warn!("contrôle de santé : base injoignable : {e:?}");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body("base de données injoignable")
        }
    }
}

pub async fn accessibility(ctx: PageCtx) -> maud::Markup {
    page(
        &ctx,
        "Déclaration d’accessibilité",
        html! {
            h1 { "Déclaration d’accessibilité" }
            p { "L’équipe d’encommun s’engage à rendre la plateforme accessible conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005, selon le référentiel général d’amélioration de l’accessibilité (RGAA) 4.1." }
            h2 { "État de conformité" }
            p { "La plateforme est " strong { "partiellement conforme" } " au RGAA 4.1 : aucun audit complet n’a encore été réalisé par un tiers. Chaque type de page est vérifié automatiquement dans un vrai navigateur à chaque modification du code, et les parcours principaux sont testés au clavier seul." }
            h2 { "Ce qui est fait" }
            ul {
                li { "Un lien d’évitement « Aller au contenu » en tête de chaque page." }
                li { "Des formulaires dont chaque champ a une étiquette visible ; les erreurs sont annoncées, listées en haut du formulaire et reliées à leur champ ; ce que vous avez saisi est conservé." }
                li { "Des contrastes de couleurs d’au moins 4,5:1, aucune information donnée par la couleur seule." }
                li { "Toutes les pages fonctionnent sans JavaScript, s’agrandissent jusqu’à 200 % et s’adaptent aux petits écrans." }
            }
            h2 { "Retour d’information et contact" }
            p { "Si vous n’arrivez pas à accéder à un contenu ou à un service, contactez l’administrateur de la plateforme pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme." }
            h2 { "Voies de recours" }
            p { "Si vous avez signalé un défaut d’accessibilité sans obtenir de réponse satisfaisante, vous pouvez écrire au Défenseur des droits (formulaire en ligne, délégué de votre région, ou courrier gratuit : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07)." }
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

pub async fn privacy(ctx: PageCtx) -> maud::Markup {
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
            h2 { "Réponses aux questionnaires" }
            p { "Les habitants répondent sans compte : ni nom, ni adresse, ni adresse IP ne sont enregistrés avec leurs réponses, seulement la date d’envoi. Celui qui souhaite être tenu au courant de la suite peut laisser une adresse électronique : elle est gardée à part, sans lien avec ses réponses, n’est jamais exportée avec elles et ne sert qu’à lui écrire pour la restitution." }
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

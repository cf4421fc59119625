//! The authorisation matrix: every route of the application × every role, with the expected outcome. The route
//! list comes from the application itself (`encommun::web::route_list`), so a route added without declaring its
//! expectations fails `every_route_is_declared`.

use encommun::domain::diagnostic::EntryKind;
use encommun::domain::newsletter::{Audience, NewNewsletter};
use encommun::domain::project::{EventInput, NewEvent, NewPost};
use encommun::domain::questionnaire::QuestionInput;
use encommun::domain::resources::EntryStatus;
use encommun::domain::territory::TerritoryKind;
use encommun::storage::events::insert_event;
use encommun::storage::newsletters;
use encommun::storage::posts::insert_post;
use encommun::storage::write_transaction;

use crate::fixtures;
use crate::helpers::{with_conn, Client, TestApp};
use crate::on_both_backends;

/// The roles of docs/product.md § Roles, relative to the collectivity the routes act on (Grand Châtellerault).
#[derive(Clone, Copy, Debug)]
enum Role {
    Anonymous,
    /// Answers questionnaires without an account: for now, a visitor like any other.
    Inhabitant,
    MemberOfAnotherCollectivity,
    Member,
    Referent,
    Provider,
    AgencyAdmin,
}

const ROLES: [Role; 7] = [
    Role::Anonymous,
    Role::Inhabitant,
    Role::MemberOfAnotherCollectivity,
    Role::Member,
    Role::Referent,
    Role::Provider,
    Role::AgencyAdmin,
];

const ADMIN_EMAIL: &str = "agence@exemple.fr";
const REFERENT_EMAIL: &str = "referent@grand-chatellerault.exemple.fr";
const MEMBER_EMAIL: &str = "membre@grand-chatellerault.exemple.fr";
const OTHER_MEMBER_EMAIL: &str = "elu@grand-cahors.exemple.fr";
const PROVIDER_EMAIL: &str = "prestataire@exemple.fr";

impl Role {
    fn email(self) -> Option<&'static str> {
        match self {
            Role::Anonymous | Role::Inhabitant => None,
            Role::MemberOfAnotherCollectivity => Some(OTHER_MEMBER_EMAIL),
            Role::Member => Some(MEMBER_EMAIL),
            Role::Referent => Some(REFERENT_EMAIL),
            Role::Provider => Some(PROVIDER_EMAIL),
            Role::AgencyAdmin => Some(ADMIN_EMAIL),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// Served or processed (2xx, 422 for refused input, or a redirect elsewhere than the login form).
    A,
    /// Sent to the login form.
    L,
    F,
    N,
    /// The link is no longer valid.
    G,
}
use Expect::{A, F, G, L, N};

struct Case {
    method: &'static str,
    pattern: &'static str,
    /// Placeholders (`{provider}`, `{theme}`…) are replaced by the ids of the fixtures, in the path and the form.
    path: &'static str,
    form: &'static [(&'static str, &'static str)],
    /// In the order of `ROLES`.
    expect: [Expect; 7],
}

const ALL: [Expect; 7] = [A; 7];
const LOGGED_IN: [Expect; 7] = [L, L, A, A, A, A, A];
const REFERENT: [Expect; 7] = [L, L, F, F, A, F, A];
const AGENCY: [Expect; 7] = [L, L, F, F, F, F, A];
/// Only the collectivity's referent positions or enrols it; the agency does not act for collectivities.
const POSITIONS: [Expect; 7] = [L, L, F, F, A, F, F];
/// The agency and the project's provider lead its work (news, events, minutes).
const LEADS: [Expect; 7] = [L, L, F, F, F, A, A];
/// The project's working space: its participants' people, its provider, the agency.
const WORKING_SPACE: [Expect; 7] = [L, L, F, A, A, A, A];
/// A territory's creativity cycle is framed (method, working group) by its referent and the leads.
const FRAMES: [Expect; 7] = [L, L, F, F, A, A, A];
/// Ideas come from the working group's members (Marc Membre holds a seat) and are typed in by the leads.
const CONTRIBUTES: [Expect; 7] = [L, L, F, A, F, A, A];
/// The élus' peer group: Marc Membre sits in it; nobody else of the roles — not the referent, not the provider nor
/// the agency, who are not designated to facilitate it.
const PEERS: [Expect; 7] = [L, L, F, A, F, F, F];
/// What only a facilitator of the group (or, on a supervision session, someone who attended) does: no role here.
const NOBODY: [Expect; 7] = [L, L, F, F, F, F, F];

const CASES: &[Case] = &[
    Case { method: "GET", pattern: "/", path: "/", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/healthz", path: "/healthz", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/assets/{name}", path: "/assets/style.css", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/accessibilite", path: "/accessibilite", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/mentions-legales", path: "/mentions-legales", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/donnees-personnelles", path: "/donnees-personnelles", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/connexion", path: "/connexion", form: &[], expect: ALL },
    Case {
        method: "POST",
        pattern: "/connexion",
        path: "/connexion",
        form: &[("email", "personne@exemple.fr"), ("password", "pas le bon")],
        expect: ALL,
    },
    Case { method: "POST", pattern: "/deconnexion", path: "/deconnexion", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/mot-de-passe-oublie", path: "/mot-de-passe-oublie", form: &[], expect: ALL },
    Case {
        method: "POST",
        pattern: "/mot-de-passe-oublie",
        path: "/mot-de-passe-oublie",
        form: &[("email", "personne@exemple.fr")],
        expect: ALL,
    },
    Case {
        method: "GET",
        pattern: "/mot-de-passe/nouveau/{token}",
        path: "/mot-de-passe/nouveau/0123abcd",
        form: &[],
        expect: [G; 7],
    },
    Case {
        method: "POST",
        pattern: "/mot-de-passe/nouveau/{token}",
        path: "/mot-de-passe/nouveau/0123abcd",
        form: &[("password", "un mot de passe assez long"), ("password_confirmation", "un mot de passe assez long")],
        expect: [G; 7],
    },
    Case { method: "GET", pattern: "/compte", path: "/compte", form: &[], expect: LOGGED_IN },
    Case { method: "GET", pattern: "/ma-collectivite", path: "/ma-collectivite", form: &[], expect: LOGGED_IN },
    Case {
        method: "POST",
        pattern: "/compte/nom",
        path: "/compte/nom",
        form: &[("display_name", "Nom Changé")],
        expect: LOGGED_IN,
    },
    Case {
        method: "POST",
        pattern: "/compte/mot-de-passe",
        path: "/compte/mot-de-passe",
        form: &[
            ("current_password", "pas le bon"),
            ("password", "abcdefghijkl"),
            ("password_confirmation", "abcdefghijkl"),
        ],
        expect: LOGGED_IN,
    },
    Case { method: "GET", pattern: "/collectivites", path: "/collectivites?q=chatellerault", form: &[], expect: ALL },
    Case {
        method: "GET",
        pattern: "/territoires/{kind}/{code}",
        path: "/territoires/epci/248600413",
        form: &[],
        expect: ALL,
    },
    Case {
        method: "POST",
        pattern: "/territoires/{kind}/{code}/invitations",
        path: "/territoires/epci/248600413/invitations",
        form: &[("email", "nouvelle.personne@exemple.fr"), ("function", "agent")],
        expect: REFERENT,
    },
    Case { method: "GET", pattern: "/invitation/{token}", path: "/invitation/0123abcd", form: &[], expect: [N; 7] },
    Case {
        method: "POST",
        pattern: "/invitation/{token}",
        path: "/invitation/0123abcd",
        form: &[("display_name", "X"), ("password", "abcdefghijkl"), ("password_confirmation", "abcdefghijkl")],
        expect: [N; 7],
    },
    Case { method: "GET", pattern: "/themes", path: "/themes", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/themes/nouveau", path: "/themes/nouveau", form: &[], expect: REFERENT },
    Case {
        method: "POST",
        pattern: "/themes",
        path: "/themes",
        form: &[
            ("title", "Un thème de la matrice"),
            ("problem", "Un problème décrit en plus de vingt caractères."),
            ("why_it_matters", "Une raison décrite en plus de vingt caractères."),
        ],
        expect: REFERENT,
    },
    Case { method: "GET", pattern: "/themes/{id}", path: "/themes/{theme}", form: &[], expect: ALL },
    // A proposal not yet published: only the agency (and the proposing collectivity) see it.
    Case {
        method: "GET",
        pattern: "/themes/{id}",
        path: "/themes/{proposed}",
        form: &[],
        expect: [N, N, N, N, N, N, A],
    },
    Case {
        method: "POST",
        pattern: "/themes/{id}/positionnement",
        path: "/themes/{theme}/positionnement",
        form: &[
            ("collectivity_id", "{chatellerault}"),
            ("stakes", "Des enjeux exposés en plus de vingt caractères."),
            ("engagement", "observe"),
        ],
        expect: POSITIONS,
    },
    Case {
        method: "POST",
        pattern: "/themes/{id}/retrait",
        path: "/themes/{theme}/retrait",
        form: &[("collectivity_id", "{chatellerault}")],
        expect: POSITIONS,
    },
    Case {
        method: "GET",
        pattern: "/themes/{id}/positionnements.csv",
        path: "/themes/{theme}/positionnements.csv",
        form: &[],
        expect: AGENCY,
    },
    Case {
        method: "POST",
        pattern: "/themes/{id}/fusion",
        path: "/themes/{duplicate}/fusion",
        form: &[("target_id", "{theme}")],
        expect: AGENCY,
    },
    // Last of the theme cases: the agency archives the theme.
    Case {
        method: "POST",
        pattern: "/themes/{id}/statut",
        path: "/themes/{theme}/statut",
        form: &[("status", "archived")],
        expect: AGENCY,
    },
    Case { method: "GET", pattern: "/inspiration", path: "/inspiration?theme={theme}", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/inspiration/nouvelle", path: "/inspiration/nouvelle", form: &[], expect: AGENCY },
    Case {
        method: "POST",
        pattern: "/inspiration",
        path: "/inspiration",
        form: &[
            ("title", "Ressource de la matrice"),
            ("summary", "Un résumé de plus de vingt caractères."),
            ("theme_ids", "{theme}"),
        ],
        expect: AGENCY,
    },
    Case { method: "GET", pattern: "/inspiration/{id}", path: "/inspiration/{resource}", form: &[], expect: ALL },
    Case {
        method: "GET",
        pattern: "/inspiration/{id}/modifier",
        path: "/inspiration/{resource}/modifier",
        form: &[],
        expect: AGENCY,
    },
    Case {
        method: "POST",
        pattern: "/inspiration/{id}",
        path: "/inspiration/{resource}",
        form: &[
            ("title", "Ressource modifiée"),
            ("summary", "Un résumé de plus de vingt caractères."),
            ("theme_ids", "{theme}"),
        ],
        expect: AGENCY,
    },
    // Last of the inspiration cases: the agency deletes the resource.
    Case {
        method: "POST",
        pattern: "/inspiration/{id}/suppression",
        path: "/inspiration/{resource}/suppression",
        form: &[("confirm", "oui")],
        expect: AGENCY,
    },
    Case { method: "GET", pattern: "/projets", path: "/projets", form: &[], expect: ALL },
    Case {
        method: "GET",
        pattern: "/projets/nouveau",
        path: "/projets/nouveau?theme={theme}",
        form: &[],
        expect: AGENCY,
    },
    // Refused input (no title): the theme stays open for the cases below.
    Case { method: "POST", pattern: "/projets", path: "/projets", form: &[("theme_id", "{theme}")], expect: AGENCY },
    Case { method: "GET", pattern: "/projets/{id}", path: "/projets/{project}", form: &[], expect: ALL },
    Case {
        method: "GET",
        pattern: "/projets/{id}/actualites/{post}",
        path: "/projets/{project}/actualites/{post}",
        form: &[],
        expect: ALL,
    },
    // Participants-only news: Grand Châtellerault participates, Cahors does not.
    Case {
        method: "GET",
        pattern: "/projets/{id}/actualites/{post}",
        path: "/projets/{project}/actualites/{private_post}",
        form: &[],
        expect: [N, N, N, A, A, A, A],
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/actualites",
        path: "/projets/{project}/actualites",
        form: &[
            ("title", "Actualité de la matrice"),
            ("body", "Un texte de plus de dix caractères."),
            ("visibility", "public"),
        ],
        expect: LEADS,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/evenements/nouveau",
        path: "/projets/{project}/evenements/nouveau",
        form: &[],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/evenements",
        path: "/projets/{project}/evenements",
        form: &[
            ("kind", "meeting"),
            ("title", "Réunion de la matrice"),
            ("starts_at", "2027-05-04T14:00"),
            ("ends_at", "2027-05-04T16:00"),
            ("place", "Salle du conseil"),
        ],
        expect: LEADS,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/evenements/{event}",
        path: "/projets/{project}/evenements/{event}",
        form: &[],
        expect: WORKING_SPACE,
    },
    // The steering committee: read by the working space (its members too, whom the matrix has no role for),
    // formed by the leads.
    Case {
        method: "GET",
        pattern: "/projets/{id}/comite",
        path: "/projets/{project}/comite",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/comite/partenaires",
        path: "/projets/{project}/comite/partenaires",
        form: &[("name", "Réseau de la matrice"), ("kind", "network")],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/comite/membres",
        path: "/projets/{project}/comite/membres",
        form: &[("partner_id", "{partner}"), ("display_name", "Membre de la matrice"), ("email", "comite@exemple.fr")],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/comite/membres/{member}/retrait",
        path: "/projets/{project}/comite/membres/{committee_member}/retrait",
        form: &[],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/comite/partenaires/{partner}/retrait",
        path: "/projets/{project}/comite/partenaires/{other_partner}/retrait",
        form: &[],
        expect: LEADS,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/evenements/{event}/modifier",
        path: "/projets/{project}/evenements/{event}/modifier",
        form: &[],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/evenements/{event}",
        path: "/projets/{project}/evenements/{event}",
        form: &[
            ("title", "Réunion de la matrice"),
            ("starts_at", "2027-05-04T14:00"),
            ("ends_at", "2027-05-04T16:00"),
            ("place", "Salle du conseil"),
        ],
        expect: LEADS,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/evenements/{event}/calendrier.ics",
        path: "/projets/{project}/evenements/{event}/calendrier.ics",
        form: &[],
        expect: WORKING_SPACE,
    },
    // People of participant collectivities register (a member themself, the referent a colleague).
    Case {
        method: "POST",
        pattern: "/projets/{id}/evenements/{event}/inscription",
        path: "/projets/{project}/evenements/{event}/inscription",
        form: &[("collectivity_id", "{chatellerault}"), ("user_id", "{member}"), ("action", "register")],
        expect: [L, L, F, A, A, F, F],
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/evenements/{event}/compte-rendu",
        path: "/projets/{project}/evenements/{event}/compte-rendu",
        form: &[("minutes", "Compte rendu de la réunion de la matrice.")],
        expect: LEADS,
    },
    // Grand Châtellerault's inquiry group: its people, the provider and the agency see it; its referent, the
    // provider and the agency form it.
    Case {
        method: "GET",
        pattern: "/projets/{id}/groupes/{collectivity}",
        path: "/projets/{project}/groupes/{chatellerault}",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/groupes/{collectivity}/membres",
        path: "/projets/{project}/groupes/{chatellerault}/membres",
        form: &[("display_name", "Personne de la matrice"), ("category", "habitant")],
        expect: [L, L, F, F, A, A, A],
    },
    // Authorisation comes before existence: those who may form the group learn the member does not exist.
    Case {
        method: "POST",
        pattern: "/projets/{id}/groupes/{collectivity}/membres/{member}/retrait",
        path: "/projets/{project}/groupes/{chatellerault}/membres/999999/retrait",
        form: &[],
        expect: [L, L, F, F, N, N, N],
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/groupes/{collectivity}/questionnaires",
        path: "/projets/{project}/groupes/{chatellerault}/questionnaires",
        form: &[("title", "Questionnaire de la matrice")],
        expect: LEADS,
    },
    // The diagnostic: the working space sees and contributes (participants propose); the provider and the agency
    // lead (families, moderation, imports, edits). Missing sheets and sources are not found for those who may act.
    Case {
        method: "GET",
        pattern: "/projets/{id}/diagnostic",
        path: "/projets/{project}/diagnostic",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/diagnostic/familles",
        path: "/projets/{project}/diagnostic/familles",
        form: &[("label", "Famille de la matrice")],
        expect: LEADS,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/diagnostic/moderation",
        path: "/projets/{project}/diagnostic/moderation",
        form: &[],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/diagnostic/moderation",
        path: "/projets/{project}/diagnostic/moderation",
        form: &[("what", "fiche"), ("id", "999999"), ("decision", "publier")],
        expect: LEADS,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/diagnostic/export.geojson",
        path: "/projets/{project}/diagnostic/export.geojson",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/diagnostic/export.csv",
        path: "/projets/{project}/diagnostic/export.csv",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/diagnostic/{collectivity}",
        path: "/projets/{project}/diagnostic/{chatellerault}",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/diagnostic/{collectivity}/export.geojson",
        path: "/projets/{project}/diagnostic/{chatellerault}/export.geojson",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/diagnostic/{collectivity}/export.csv",
        path: "/projets/{project}/diagnostic/{chatellerault}/export.csv",
        form: &[],
        expect: WORKING_SPACE,
    },
    // A territory's map made public by the leads: everyone reads it, its sheets and their downloads.
    Case {
        method: "POST",
        pattern: "/projets/{id}/diagnostic/{collectivity}/carte-publique",
        path: "/projets/{project}/diagnostic/{chatellerault}/carte-publique",
        form: &[("publique", "oui")],
        expect: LEADS,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/cartes/{collectivity}",
        path: "/projets/{project}/cartes/{chatellerault}?type=actor",
        form: &[],
        expect: ALL,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/cartes/{collectivity}/export.geojson",
        path: "/projets/{project}/cartes/{chatellerault}/export.geojson",
        form: &[],
        expect: ALL,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/cartes/{collectivity}/export.csv",
        path: "/projets/{project}/cartes/{chatellerault}/export.csv",
        form: &[],
        expect: ALL,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/cartes/{collectivity}/fiches/{entry}",
        path: "/projets/{project}/cartes/{chatellerault}/fiches/{sheet}",
        form: &[],
        expect: ALL,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/diagnostic/{collectivity}/fiches/nouvelle",
        path: "/projets/{project}/diagnostic/{chatellerault}/fiches/nouvelle?type=espace",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/diagnostic/{collectivity}/fiches",
        path: "/projets/{project}/diagnostic/{chatellerault}/fiches",
        form: &[("kind", "acteur")],
        expect: WORKING_SPACE,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/diagnostic/{collectivity}/fiches/{entry}",
        path: "/projets/{project}/diagnostic/{chatellerault}/fiches/{sheet}",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/diagnostic/{collectivity}/fiches/{entry}/modifier",
        path: "/projets/{project}/diagnostic/{chatellerault}/fiches/{sheet}/modifier",
        form: &[],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/diagnostic/{collectivity}/fiches/{entry}/modifier",
        path: "/projets/{project}/diagnostic/{chatellerault}/fiches/{sheet}/modifier",
        form: &[("kind", "acteur"), ("name", "")],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/diagnostic/{collectivity}/fiches/{entry}/suppression",
        path: "/projets/{project}/diagnostic/{chatellerault}/fiches/999999/suppression",
        form: &[],
        expect: [L, L, F, N, N, N, N],
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/diagnostic/{collectivity}/fiches/{entry}/relations",
        path: "/projets/{project}/diagnostic/{chatellerault}/fiches/{sheet}/relations",
        form: &[("kind", "partenariat"), ("to_id", ""), ("intensity", "2")],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/diagnostic/{collectivity}/fiches/{entry}/relations/{relation}/suppression",
        path: "/projets/{project}/diagnostic/{chatellerault}/fiches/{sheet}/relations/999999/suppression",
        form: &[],
        expect: [L, L, F, F, F, N, N],
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/diagnostic/{collectivity}/sources/nouvelle",
        path: "/projets/{project}/diagnostic/{chatellerault}/sources/nouvelle",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/diagnostic/{collectivity}/sources",
        path: "/projets/{project}/diagnostic/{chatellerault}/sources",
        form: &[("kind", "study")],
        expect: WORKING_SPACE,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/diagnostic/{collectivity}/sources/{source}",
        path: "/projets/{project}/diagnostic/{chatellerault}/sources/{source}",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/diagnostic/{collectivity}/sources/{source}/suppression",
        path: "/projets/{project}/diagnostic/{chatellerault}/sources/999999/suppression",
        form: &[],
        expect: [L, L, F, F, F, N, N],
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/diagnostic/{collectivity}/import",
        path: "/projets/{project}/diagnostic/{chatellerault}/import",
        form: &[],
        expect: LEADS,
    },
    // Not a file upload: refused as input once the person leads.
    Case {
        method: "POST",
        pattern: "/projets/{id}/diagnostic/{collectivity}/import",
        path: "/projets/{project}/diagnostic/{chatellerault}/import",
        form: &[],
        expect: LEADS,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/diagnostic/{collectivity}/import/{token}",
        path: "/projets/{project}/diagnostic/{chatellerault}/import/jeton-inconnu",
        form: &[],
        expect: [L, L, F, F, F, G, G],
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/diagnostic/{collectivity}/import/{token}",
        path: "/projets/{project}/diagnostic/{chatellerault}/import/jeton-inconnu",
        form: &[],
        expect: [L, L, F, F, F, G, G],
    },
    // The creativity cycle: the working space sees it; the referent and the leads frame it; the leads facilitate;
    // the working group's members (Marc Membre holds a seat) contribute, score and vote.
    // The action plan: the working space reads it and its working group comments; the referent and the leads write
    // it; its adopted act is a public document.
    Case {
        method: "GET",
        pattern: "/projets/{id}/plan/{collectivity}",
        path: "/projets/{project}/plan/{chatellerault}",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/axes",
        path: "/projets/{project}/plan/{chatellerault}/axes",
        form: &[("title", "Un axe de la matrice")],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/axes/{axis}",
        path: "/projets/{project}/plan/{chatellerault}/axes/{axis}",
        form: &[("title", "Aller vers")],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/axes/{axis}/retrait",
        path: "/projets/{project}/plan/{chatellerault}/axes/999999/retrait",
        form: &[],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/actions",
        path: "/projets/{project}/plan/{chatellerault}/actions",
        form: &[("title", "Une action de la matrice"), ("axis", "{axis}")],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/etape-d-apres",
        path: "/projets/{project}/plan/{chatellerault}/etape-d-apres",
        form: &[("revision", "1"), ("citizens", "Un comité d’usagers.")],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/soumission",
        path: "/projets/{project}/plan/{chatellerault}/soumission",
        form: &[],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/soumission/retrait",
        path: "/projets/{project}/plan/{chatellerault}/soumission/retrait",
        form: &[],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/nouvelle-version",
        path: "/projets/{project}/plan/{chatellerault}/nouvelle-version",
        form: &[],
        expect: FRAMES,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/plan/{collectivity}/adoption",
        path: "/projets/{project}/plan/{chatellerault}/adoption",
        form: &[],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/adoption",
        path: "/projets/{project}/plan/{chatellerault}/adoption",
        form: &[("body", "bureau")],
        expect: FRAMES,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/plan/{collectivity}/actes/{version}",
        path: "/projets/{project}/plan/{chatellerault}/actes/1",
        form: &[],
        expect: ALL,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/plan/{collectivity}/actions/{action}",
        path: "/projets/{project}/plan/{chatellerault}/actions/{action}",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/actions/{action}",
        path: "/projets/{project}/plan/{chatellerault}/actions/{action}",
        form: &[("revision", "1"), ("title", "Une permanence au marché")],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/actions/{action}/avancement",
        path: "/projets/{project}/plan/{chatellerault}/actions/{action}/avancement",
        form: &[("revision", "1"), ("status", "ongoing"), ("progress_mode", "indicators")],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/actions/{action}/retrait",
        path: "/projets/{project}/plan/{chatellerault}/actions/999999/retrait",
        form: &[],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/actions/{action}/sources",
        path: "/projets/{project}/plan/{chatellerault}/actions/{action}/sources",
        form: &[("evidence", "fiche-{sheet}")],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/actions/{action}/sources/retrait",
        path: "/projets/{project}/plan/{chatellerault}/actions/{action}/sources/retrait",
        form: &[("evidence", "fiche-{sheet}")],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/actions/{action}/commentaires",
        path: "/projets/{project}/plan/{chatellerault}/actions/{action}/commentaires",
        form: &[("body", "Un commentaire de la matrice.")],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/actions/{action}/indicateurs",
        path: "/projets/{project}/plan/{chatellerault}/actions/{action}/indicateurs",
        form: &[("name", "Un indicateur de la matrice"), ("direction", "up")],
        expect: FRAMES,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/plan/{collectivity}/indicateurs/{indicator}",
        path: "/projets/{project}/plan/{chatellerault}/indicateurs/{indicator}",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/indicateurs/{indicator}",
        path: "/projets/{project}/plan/{chatellerault}/indicateurs/{indicator}",
        form: &[("name", "Personnes reçues"), ("direction", "up")],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/indicateurs/{indicator}/retrait",
        path: "/projets/{project}/plan/{chatellerault}/indicateurs/999999/retrait",
        form: &[],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/indicateurs/{indicator}/mesures",
        path: "/projets/{project}/plan/{chatellerault}/indicateurs/{indicator}/mesures",
        form: &[("measured_on", "2026-07-31"), ("value", "45")],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/indicateurs/{indicator}/mesures/{measurement}/retrait",
        path: "/projets/{project}/plan/{chatellerault}/indicateurs/{indicator}/mesures/999999/retrait",
        form: &[],
        expect: FRAMES,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/plan/{collectivity}/plan.csv",
        path: "/projets/{project}/plan/{chatellerault}/plan.csv",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/plan/{collectivity}/plan.xlsx",
        path: "/projets/{project}/plan/{chatellerault}/plan.xlsx",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/plan/{collectivity}/import",
        path: "/projets/{project}/plan/{chatellerault}/import",
        form: &[],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/import",
        path: "/projets/{project}/plan/{chatellerault}/import",
        form: &[],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/axes/{axis}/ordre",
        path: "/projets/{project}/plan/{chatellerault}/axes/{axis}/ordre",
        form: &[("sens", "bas")],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/actions/{action}/ordre",
        path: "/projets/{project}/plan/{chatellerault}/actions/{action}/ordre",
        form: &[("sens", "haut")],
        expect: FRAMES,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/plan/{collectivity}/suivi",
        path: "/projets/{project}/plan/{chatellerault}/suivi",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/plan/{collectivity}/suivi",
        path: "/projets/{project}/plan/{chatellerault}/suivi",
        form: &[("held_on", "2026-12-01"), ("summary", "Une revue de la matrice.")],
        expect: FRAMES,
    },
    Case { method: "GET", pattern: "/projets/{id}/plans", path: "/projets/{project}/plans", form: &[], expect: ALL },
    Case {
        method: "GET",
        pattern: "/projets/{id}/plans/{collectivity}",
        path: "/projets/{project}/plans/{chatellerault}",
        form: &[],
        expect: ALL,
    },
    // The restitution: read by those who see the territory's inquiry group, written by its referent and the leads
    // (and its inquiry-group members); published, it is everyone's (the matrix's is not published).
    Case {
        method: "GET",
        pattern: "/projets/{id}/restitution/{collectivity}",
        path: "/projets/{project}/restitution/{chatellerault}",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/restitution/{collectivity}",
        path: "/projets/{project}/restitution/{chatellerault}",
        form: &[("heard", "Ce que la matrice a entendu."), ("revision", "1")],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/restitution/{collectivity}/questions",
        path: "/projets/{project}/restitution/{chatellerault}/questions",
        form: &[],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/restitution/{collectivity}/lisibilite",
        path: "/projets/{project}/restitution/{chatellerault}/lisibilite",
        form: &[("text", "Une phrase.")],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/restitution/{collectivity}/publication",
        path: "/projets/{project}/restitution/{chatellerault}/publication",
        form: &[],
        expect: FRAMES,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/restitution/{collectivity}/citations",
        path: "/projets/{project}/restitution/{chatellerault}/citations",
        form: &[],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/restitution/{collectivity}/citations",
        path: "/projets/{project}/restitution/{chatellerault}/citations",
        form: &[("response", "0"), ("question", "0")],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/restitution/{collectivity}/citations/{quote}",
        path: "/projets/{project}/restitution/{chatellerault}/citations/0",
        form: &[("text", "Une citation de la matrice.")],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/restitution/{collectivity}/citations/{quote}/retrait",
        path: "/projets/{project}/restitution/{chatellerault}/citations/0/retrait",
        form: &[],
        expect: FRAMES,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/restitution/{collectivity}/portee",
        path: "/projets/{project}/restitution/{chatellerault}/portee",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/restitution/{collectivity}/portee",
        path: "/projets/{project}/restitution/{chatellerault}/portee",
        form: &[
            ("channel", "display"),
            ("label", "Affiches en mairie"),
            ("happened_on", "2026-11-30"),
            ("reached", "40"),
        ],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/restitution/{collectivity}/portee/{reach}/retrait",
        path: "/projets/{project}/restitution/{chatellerault}/portee/0/retrait",
        form: &[],
        expect: FRAMES,
    },
    // The learning community: the working space reads it (delegations, forum, agora); a peer group is its members'
    // and facilitators' only.
    Case {
        method: "GET",
        pattern: "/projets/{id}/communaute",
        path: "/projets/{project}/communaute",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/categories",
        path: "/projets/{project}/categories",
        form: &[("label", "Chercheurs"), ("member_label", "Chercheur")],
        expect: LEADS,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/agora",
        path: "/projets/{project}/agora",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/delegations/{collectivity}",
        path: "/projets/{project}/delegations/{chatellerault}",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/delegations/{collectivity}/membres",
        path: "/projets/{project}/delegations/{chatellerault}/membres",
        form: &[("display_name", "Personne de la matrice"), ("category", "{agents}"), ("seat", "suppleant")],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/delegations/{collectivity}/membres/{member}/retrait",
        path: "/projets/{project}/delegations/{chatellerault}/membres/{seat_to_remove}/retrait",
        form: &[],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/delegations/{collectivity}/membres/{member}/referent",
        path: "/projets/{project}/delegations/{chatellerault}/membres/{seat_to_lead}/referent",
        form: &[],
        expect: FRAMES,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/forum",
        path: "/projets/{project}/forum",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/forum",
        path: "/projets/{project}/forum",
        form: &[
            ("kind", "question"),
            ("title", "Un fil de la matrice"),
            ("body", "Bonjour."),
            ("submission", "jeton-de-la-matrice-forum"),
        ],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/forum/suivi",
        path: "/projets/{project}/forum/suivi",
        form: &[("frequency", "weekly"), ("weekday", "5")],
        expect: WORKING_SPACE,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/pairs/{group}",
        path: "/projets/{project}/pairs/{elus}",
        form: &[],
        expect: PEERS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/pairs/{group}",
        path: "/projets/{project}/pairs/{elus}",
        form: &[
            ("kind", "obstacle"),
            ("title", "Un fil entre pairs"),
            ("body", "Entre nous."),
            ("submission", "jeton-de-la-matrice-pairs"),
        ],
        expect: PEERS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/pairs/{group}/suivi",
        path: "/projets/{project}/pairs/{elus}/suivi",
        form: &[("frequency", "daily"), ("weekday", "1")],
        expect: PEERS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/pairs/{group}/conclusions",
        path: "/projets/{project}/pairs/{elus}/conclusions",
        form: &[("brings", "Ce que nous apportons."), ("needs", "Ce qu’il nous faut."), ("revision", "1")],
        expect: PEERS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/pairs/{group}/conclusions/publication",
        path: "/projets/{project}/pairs/{elus}/conclusions/publication",
        form: &[],
        expect: NOBODY,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/pairs/{group}/animation",
        path: "/projets/{project}/pairs/{agents}/animation",
        form: &[("user_id", "{admin}")],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/pairs/{group}/animation/{user}/retrait",
        path: "/projets/{project}/pairs/{agents}/animation/{admin}/retrait",
        form: &[],
        expect: LEADS,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/fils/{thread}",
        path: "/projets/{project}/fils/{peer_thread}",
        form: &[],
        expect: PEERS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/fils/{thread}/reponses",
        path: "/projets/{project}/fils/{peer_thread}/reponses",
        form: &[("body", "Une réponse de la matrice."), ("submission", "jeton-de-la-matrice-reponse")],
        expect: PEERS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/fils/{thread}/reponses",
        path: "/projets/{project}/fils/{forum_thread}/reponses",
        form: &[("body", "Une réponse au forum."), ("submission", "jeton-de-la-matrice-forum-reponse")],
        expect: WORKING_SPACE,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/messages/{message}",
        path: "/projets/{project}/messages/{peer_message}",
        form: &[],
        expect: PEERS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/messages/{message}",
        path: "/projets/{project}/messages/{peer_message}",
        form: &[("body", "Entre nous, corrigé.")],
        expect: PEERS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/messages/{message}/masquage",
        path: "/projets/{project}/messages/{peer_message}/masquage",
        form: &[("reason", "Hors sujet")],
        expect: NOBODY,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/evenements/{event}/presences",
        path: "/projets/{project}/evenements/{supervision}/presences",
        form: &[],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/evenements/{event}/notes",
        path: "/projets/{project}/evenements/{supervision}/notes",
        form: &[("body", "Une note de la matrice."), ("submission", "jeton-de-la-matrice-note")],
        expect: NOBODY,
    },
    Case {
        method: "GET",
        pattern: "/echanges/arret/{id}/{signature}",
        path: "/echanges/arret/1/signature-forgee",
        form: &[],
        expect: [G; 7],
    },
    Case {
        method: "POST",
        pattern: "/echanges/arret/{id}/{signature}",
        path: "/echanges/arret/1/signature-forgee",
        form: &[("List-Unsubscribe", "One-Click")],
        expect: [G; 7],
    },
    // Capitalisation: lessons are read by whom they were shared with (this one, by the participants), written and
    // widened by the leads; the recommendations are the community's, their status the agency's; the deliverable is
    // the agency's, previewed by the leads until published.
    Case {
        method: "GET",
        pattern: "/projets/{id}/enseignements",
        path: "/projets/{project}/enseignements",
        form: &[],
        expect: ALL,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/enseignements",
        path: "/projets/{project}/enseignements",
        form: &[
            ("title", "Un enseignement"),
            ("body", "Un enseignement tiré de la matrice."),
            ("phase", "diagnostic"),
            ("theme", ""),
        ],
        expect: LEADS,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/enseignements/{lesson}",
        path: "/projets/{project}/enseignements/{lesson}",
        form: &[],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/enseignements/{lesson}",
        path: "/projets/{project}/enseignements/{lesson}",
        form: &[
            ("title", "Un enseignement corrigé"),
            ("body", "Un enseignement tiré de la matrice."),
            ("phase", "diagnostic"),
            ("theme", ""),
        ],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/enseignements/{lesson}/audience",
        path: "/projets/{project}/enseignements/{lesson}/audience",
        form: &[("audience", "observers")],
        expect: LEADS,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/recommandations",
        path: "/projets/{project}/recommandations",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/recommandations",
        path: "/projets/{project}/recommandations",
        form: &[
            ("title", "Une recommandation"),
            ("body", "Une recommandation de la matrice."),
            ("addressee", "Un ministère"),
            ("addressee_kind", "ministry"),
        ],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/recommandations/{recommendation}/statut",
        path: "/projets/{project}/recommandations/{recommendation}/statut",
        form: &[("status", "transmitted")],
        expect: AGENCY,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/livrable",
        path: "/projets/{project}/livrable",
        form: &[],
        expect: [N, N, N, N, N, A, A],
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/livrable/edition",
        path: "/projets/{project}/livrable/edition",
        form: &[],
        expect: AGENCY,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/livrable/edition",
        path: "/projets/{project}/livrable/edition",
        form: &[
            ("title", "Le livrable de la matrice"),
            ("introduction", "Une introduction."),
            ("conclusion", ""),
            ("lesson", "{lesson}"),
            ("revision", "2"),
        ],
        expect: AGENCY,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/livrable/publication",
        path: "/projets/{project}/livrable/publication",
        form: &[],
        expect: AGENCY,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/restitutions/{collectivity}",
        path: "/projets/{project}/restitutions/{chatellerault}",
        form: &[],
        expect: [N; 7],
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/restitutions/{collectivity}/affiche",
        path: "/projets/{project}/restitutions/{chatellerault}/affiche",
        form: &[],
        expect: [N; 7],
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/restitutions/{collectivity}/tract",
        path: "/projets/{project}/restitutions/{chatellerault}/tract",
        form: &[],
        expect: [N; 7],
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/croisement/{collectivity}",
        path: "/projets/{project}/croisement/{chatellerault}",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/croisement/{collectivity}/methode",
        path: "/projets/{project}/croisement/{chatellerault}/methode",
        form: &[("method", "thematic"), ("families", "elus")],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/croisement/{collectivity}/membres",
        path: "/projets/{project}/croisement/{chatellerault}/membres",
        form: &[("display_name", "Awa"), ("category", "associatif"), ("family", "associations")],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/croisement/{collectivity}/membres/{member}/retrait",
        path: "/projets/{project}/croisement/{chatellerault}/membres/999999/retrait",
        form: &[],
        expect: FRAMES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/croisement/{collectivity}/ateliers",
        path: "/projets/{project}/croisement/{chatellerault}/ateliers",
        form: &[
            ("title", "Atelier de la matrice"),
            ("step", "divergence"),
            ("starts_at", "2027-02-01T18:00"),
            ("ends_at", "2027-02-01T20:00"),
            ("place", "Salle des fêtes"),
        ],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/croisement/{collectivity}/objectifs",
        path: "/projets/{project}/croisement/{chatellerault}/objectifs",
        form: &[("title", "Objectif de la matrice")],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/croisement/{collectivity}/lien-public",
        path: "/projets/{project}/croisement/{chatellerault}/lien-public",
        form: &[("action", "ouvrir")],
        expect: LEADS,
    },
    // Inhabitants send ideas by the territory's public link, without an account.
    Case { method: "GET", pattern: "/i/{token}", path: "/i/jeton-des-idees", form: &[], expect: ALL },
    Case {
        method: "POST",
        pattern: "/i/{token}",
        path: "/i/jeton-des-idees",
        form: &[("title", "Une idée de la matrice")],
        expect: ALL,
    },
    Case { method: "GET", pattern: "/i/{token}/merci", path: "/i/jeton-des-idees/merci", form: &[], expect: ALL },
    Case {
        method: "POST",
        pattern: "/projets/{id}/croisement/{collectivity}/criteres",
        path: "/projets/{project}/croisement/{chatellerault}/criteres",
        form: &[("objective", "{objective}"), ("label", "Critère de la matrice"), ("weight", "2")],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/croisement/{collectivity}/criteres/poids",
        path: "/projets/{project}/croisement/{chatellerault}/criteres/poids",
        form: &[("poids-{criterion}", "3")],
        expect: LEADS,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/croisement/{collectivity}/idees.csv",
        path: "/projets/{project}/croisement/{chatellerault}/idees.csv",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/croisement/{collectivity}/votes.csv",
        path: "/projets/{project}/croisement/{chatellerault}/votes.csv",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/croisement/{collectivity}/idees/cartes",
        path: "/projets/{project}/croisement/{chatellerault}/idees/cartes",
        form: &[],
        expect: WORKING_SPACE,
    },
    // A criterion nobody scored; a second removal finds it gone and says so.
    Case {
        method: "POST",
        pattern: "/projets/{id}/croisement/{collectivity}/criteres/{criterion}/suppression",
        path: "/projets/{project}/croisement/{chatellerault}/criteres/{criterion}/suppression",
        form: &[],
        expect: LEADS,
    },
    // Marc Membre's own idea: he may correct it, as the leads may.
    Case {
        method: "POST",
        pattern: "/projets/{id}/croisement/{collectivity}/idees/{idea}/modification",
        path: "/projets/{project}/croisement/{chatellerault}/idees/{idea}/modification",
        form: &[("title", "Une permanence au marché, le samedi")],
        expect: CONTRIBUTES,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/croisement/{collectivity}/idees",
        path: "/projets/{project}/croisement/{chatellerault}/idees",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/croisement/{collectivity}/idees",
        path: "/projets/{project}/croisement/{chatellerault}/idees",
        form: &[("title", "Idée de la matrice"), ("author", "habitant")],
        expect: CONTRIBUTES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/croisement/{collectivity}/idees/tri",
        path: "/projets/{project}/croisement/{chatellerault}/idees/tri",
        form: &[("idees", "{idea}"), ("action", "regrouper"), ("cluster_name", "Regroupement de la matrice")],
        expect: LEADS,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/croisement/{collectivity}/idees/{idea}",
        path: "/projets/{project}/croisement/{chatellerault}/idees/{idea}",
        form: &[],
        expect: WORKING_SPACE,
    },
    // The idea is Marc Membre's: he may say what motivated it.
    Case {
        method: "POST",
        pattern: "/projets/{id}/croisement/{collectivity}/idees/{idea}/motivations",
        path: "/projets/{project}/croisement/{chatellerault}/idees/{idea}/motivations",
        form: &[("evidence", "fiche-{sheet}")],
        expect: CONTRIBUTES,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/croisement/{collectivity}/idees/{idea}/annulation",
        path: "/projets/{project}/croisement/{chatellerault}/idees/{merge}/annulation",
        form: &[],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/croisement/{collectivity}/idees/{idea}/moderation",
        path: "/projets/{project}/croisement/{chatellerault}/idees/{idea}/moderation",
        form: &[("decision", "publier")],
        expect: LEADS,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/croisement/{collectivity}/ateliers/{workshop}",
        path: "/projets/{project}/croisement/{chatellerault}/ateliers/{convergence}",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/croisement/{collectivity}/ateliers/{workshop}/ecran",
        path: "/projets/{project}/croisement/{chatellerault}/ateliers/{divergence}/ecran",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/croisement/{collectivity}/ateliers/{workshop}/etat",
        path: "/projets/{project}/croisement/{chatellerault}/ateliers/{planned}/etat",
        form: &[("from", "planned"), ("to", "open")],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/croisement/{collectivity}/ateliers/{workshop}/idees",
        path: "/projets/{project}/croisement/{chatellerault}/ateliers/{divergence}/idees",
        form: &[("title", "Idée d’atelier de la matrice"), ("author", "elu")],
        expect: CONTRIBUTES,
    },
    // Only the working group's members score and vote.
    Case {
        method: "POST",
        pattern: "/projets/{id}/croisement/{collectivity}/ateliers/{workshop}/notes",
        path: "/projets/{project}/croisement/{chatellerault}/ateliers/{convergence}/notes",
        form: &[],
        expect: [L, L, F, A, F, F, F],
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/croisement/{collectivity}/ateliers/{workshop}/points",
        path: "/projets/{project}/croisement/{chatellerault}/ateliers/{convergence}/points",
        form: &[("candidate", "i{idea}"), ("sens", "plus")],
        expect: [L, L, F, A, F, F, F],
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/croisement/{collectivity}/ateliers/{workshop}/retenir",
        path: "/projets/{project}/croisement/{chatellerault}/ateliers/{convergence}/retenir",
        form: &[("candidate", "i{idea}")],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/croisement/{collectivity}/ateliers/{workshop}/synthese",
        path: "/projets/{project}/croisement/{chatellerault}/ateliers/{divergence}/synthese",
        form: &[("synthesis", "Une synthèse de la matrice.")],
        expect: LEADS,
    },
    Case {
        method: "GET",
        pattern: "/questionnaires/{id}",
        path: "/questionnaires/{questionnaire}",
        form: &[],
        expect: LEADS,
    },
    Case {
        method: "GET",
        pattern: "/questionnaires/{id}/apercu",
        path: "/questionnaires/{questionnaire}/apercu",
        form: &[],
        expect: LEADS,
    },
    // The results are for the territory's people, the provider and the agency.
    Case {
        method: "GET",
        pattern: "/questionnaires/{id}/resultats",
        path: "/questionnaires/{questionnaire}/resultats?recherche=bus",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "GET",
        pattern: "/questionnaires/{id}/reponses.csv",
        path: "/questionnaires/{questionnaire}/reponses.csv?separateur=pointvirgule",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "GET",
        pattern: "/questionnaires/{id}/codes.csv",
        path: "/questionnaires/{questionnaire}/codes.csv",
        form: &[],
        expect: WORKING_SPACE,
    },
    // Interviews and paper forms are recorded by the territory's people, its group, the provider and the agency.
    Case {
        method: "GET",
        pattern: "/questionnaires/{id}/saisie",
        path: "/questionnaires/{questionnaire}/saisie?way=phone&place=March%C3%A9",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/questionnaires/{id}/saisie",
        path: "/questionnaires/{questionnaire}/saisie",
        form: &[("way", "face_to_face"), ("place", "Salle des fêtes")],
        expect: WORKING_SPACE,
    },
    // Published in the preparation already: said so, nothing changes.
    Case {
        method: "POST",
        pattern: "/questionnaires/{id}/publication",
        path: "/questionnaires/{questionnaire}/publication",
        form: &[],
        expect: LEADS,
    },
    // Refused copy (no such territory): nothing is created.
    Case {
        method: "POST",
        pattern: "/questionnaires/{id}/copie",
        path: "/questionnaires/{questionnaire}/copie",
        form: &[("collectivity_id", "999999")],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/questionnaires/{id}/questions",
        path: "/questionnaires/{questionnaire}/questions",
        form: &[("kind", "yes_no"), ("label", "Une question de la matrice ?")],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/questionnaires/{id}/questions/{question}/suppression",
        path: "/questionnaires/{questionnaire}/questions/999999/suppression",
        form: &[],
        expect: [L, L, F, F, F, N, N],
    },
    Case {
        method: "POST",
        pattern: "/questionnaires/{id}/questions/{question}/deplacement",
        path: "/questionnaires/{questionnaire}/questions/999999/deplacement",
        form: &[("direction", "up")],
        expect: [L, L, F, F, F, N, N],
    },
    Case {
        method: "GET",
        pattern: "/questionnaires/{id}/questions/{question}",
        path: "/questionnaires/{questionnaire}/questions/999999",
        form: &[],
        expect: [L, L, F, F, F, N, N],
    },
    Case {
        method: "POST",
        pattern: "/questionnaires/{id}/questions/{question}",
        path: "/questionnaires/{questionnaire}/questions/999999",
        form: &[("kind", "yes_no"), ("label", "Une question modifiée ?")],
        expect: [L, L, F, F, F, N, N],
    },
    Case {
        method: "POST",
        pattern: "/questionnaires/{id}/profil-type",
        path: "/questionnaires/{questionnaire}/profil-type",
        form: &[],
        expect: LEADS,
    },
    // Coverage of publics and the comparison across territories are the group's business.
    Case {
        method: "GET",
        pattern: "/questionnaires/{id}/couverture",
        path: "/questionnaires/{questionnaire}/couverture",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "POST",
        pattern: "/questionnaires/{id}/couverture",
        path: "/questionnaires/{questionnaire}/couverture",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "GET",
        pattern: "/questionnaires/{id}/comparaison",
        path: "/questionnaires/{questionnaire}/comparaison",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "GET",
        pattern: "/questionnaires/{id}/reponses.xlsx",
        path: "/questionnaires/{questionnaire}/reponses.xlsx",
        form: &[],
        expect: WORKING_SPACE,
    },
    Case {
        method: "GET",
        pattern: "/questionnaires/{id}/xlsform.xlsx",
        path: "/questionnaires/{questionnaire}/xlsform.xlsx",
        form: &[],
        expect: LEADS,
    },
    // A body that is not a file upload: refused as input once the person may import.
    Case {
        method: "POST",
        pattern: "/projets/{id}/groupes/{collectivity}/questionnaires/import",
        path: "/projets/{project}/groupes/{chatellerault}/questionnaires/import",
        form: &[],
        expect: LEADS,
    },
    Case {
        method: "GET",
        pattern: "/questionnaires/{id}/invitations",
        path: "/questionnaires/{questionnaire}/invitations",
        form: &[],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/questionnaires/{id}/invitations",
        path: "/questionnaires/{questionnaire}/invitations",
        form: &[("count", "2")],
        expect: LEADS,
    },
    // Kept open to everyone with the link: the public cases below answer it.
    Case {
        method: "POST",
        pattern: "/questionnaires/{id}/invitations/mode",
        path: "/questionnaires/{questionnaire}/invitations/mode",
        form: &[("only", "non")],
        expect: LEADS,
    },
    Case {
        method: "GET",
        pattern: "/questionnaires/{id}/invitations.csv",
        path: "/questionnaires/{questionnaire}/invitations.csv",
        form: &[],
        expect: LEADS,
    },
    Case { method: "GET", pattern: "/admin/contours", path: "/admin/contours", form: &[], expect: AGENCY },
    // Programmes are the agency's: every page and file, every form (refused input once the person is the agency).
    // Experience reports: read by everyone once published; written by whoever belongs to a collectivity or a provider
    // (proposed) or the agency; corrected by their owner (here the agency) or the agency; moderated by the agency.
    Case { method: "GET", pattern: "/retours-d-experience", path: "/retours-d-experience", form: &[], expect: ALL },
    Case {
        method: "GET",
        pattern: "/retours-d-experience/nouveau",
        path: "/retours-d-experience/nouveau",
        form: &[],
        expect: LOGGED_IN,
    },
    Case {
        method: "POST",
        pattern: "/retours-d-experience",
        path: "/retours-d-experience",
        form: &[("title", "X")],
        expect: LOGGED_IN,
    },
    Case {
        method: "GET",
        pattern: "/retours-d-experience/{id}",
        path: "/retours-d-experience/{report}",
        form: &[],
        expect: ALL,
    },
    Case {
        method: "GET",
        pattern: "/retours-d-experience/{id}/modifier",
        path: "/retours-d-experience/{report}/modifier",
        form: &[],
        expect: AGENCY,
    },
    Case {
        method: "POST",
        pattern: "/retours-d-experience/{id}",
        path: "/retours-d-experience/{report}",
        form: &[("title", "X")],
        expect: AGENCY,
    },
    Case {
        method: "POST",
        pattern: "/retours-d-experience/{id}/verification",
        path: "/retours-d-experience/{report}/verification",
        form: &[],
        expect: AGENCY,
    },
    Case {
        method: "POST",
        pattern: "/retours-d-experience/{id}/moderation",
        path: "/retours-d-experience/{proposed_report}/moderation",
        form: &[("decision", "refuse"), ("reason", "")],
        expect: AGENCY,
    },
    // The directory of actors: as experience reports.
    Case { method: "GET", pattern: "/donnees-ouvertes", path: "/donnees-ouvertes", form: &[], expect: ALL },
    Case {
        method: "GET",
        pattern: "/donnees-ouvertes/{file}",
        path: "/donnees-ouvertes/retours_experience.csv",
        form: &[],
        expect: ALL,
    },
    // The public API: everyone reads it, logged in or not, the same.
    Case { method: "GET", pattern: "/api", path: "/api", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/api/v1", path: "/api/v1", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/api/v1/openapi.json", path: "/api/v1/openapi.json", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/api/v1/themes", path: "/api/v1/themes?limit=2", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/api/v1/themes/{id}", path: "/api/v1/themes/1", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/api/v1/projects", path: "/api/v1/projects", form: &[], expect: ALL },
    Case {
        method: "GET",
        pattern: "/api/v1/projects/{id}",
        path: "/api/v1/projects/{project}",
        form: &[],
        expect: ALL,
    },
    Case {
        method: "GET",
        pattern: "/api/v1/projects/{id}/events",
        path: "/api/v1/projects/{project}/events",
        form: &[],
        expect: ALL,
    },
    Case {
        method: "GET",
        pattern: "/api/v1/projects/{id}/news",
        path: "/api/v1/projects/{project}/news",
        form: &[],
        expect: ALL,
    },
    Case { method: "GET", pattern: "/api/v1/inspiration", path: "/api/v1/inspiration", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/api/v1/reports", path: "/api/v1/reports", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/api/v1/reports/{id}", path: "/api/v1/reports/{report}", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/api/v1/directory", path: "/api/v1/directory", form: &[], expect: ALL },
    Case {
        method: "GET",
        pattern: "/api/v1/directory/{id}",
        path: "/api/v1/directory/{entry}",
        form: &[],
        expect: ALL,
    },
    Case { method: "GET", pattern: "/api/v1/plans", path: "/api/v1/plans", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/api/v1/restitutions", path: "/api/v1/restitutions", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/api/v1/maps", path: "/api/v1/maps", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/api/v1/maps/{id}", path: "/api/v1/maps/{public_map}", form: &[], expect: ALL },
    Case {
        method: "GET",
        pattern: "/api/v1/{tail:.*}",
        path: "/api/v1/nulle-part",
        form: &[],
        expect: [N, N, N, N, N, N, N],
    },
    Case {
        method: "GET",
        pattern: "/recherche",
        path: "/recherche?q=droits&type=retours&theme=1&territoire=86&page=2",
        form: &[],
        expect: ALL,
    },
    Case { method: "GET", pattern: "/annuaire", path: "/annuaire?kind=network&territoire=86", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/annuaire/nouveau", path: "/annuaire/nouveau", form: &[], expect: LOGGED_IN },
    Case { method: "POST", pattern: "/annuaire", path: "/annuaire", form: &[("name", "X")], expect: LOGGED_IN },
    // Importing a spreadsheet: those who publish (the agency, the providers' people); a file no longer kept is gone.
    Case { method: "GET", pattern: "/annuaire/import", path: "/annuaire/import", form: &[], expect: LEADS },
    Case { method: "POST", pattern: "/annuaire/import", path: "/annuaire/import", form: &[], expect: LEADS },
    Case {
        method: "GET",
        pattern: "/annuaire/import/{token}",
        path: "/annuaire/import/jeton-inconnu",
        form: &[],
        expect: [L, L, F, F, F, G, G],
    },
    Case {
        method: "POST",
        pattern: "/annuaire/import/{token}",
        path: "/annuaire/import/jeton-inconnu",
        form: &[],
        expect: [L, L, F, F, F, G, G],
    },
    Case { method: "GET", pattern: "/annuaire/{id}", path: "/annuaire/{entry}", form: &[], expect: ALL },
    Case {
        method: "GET",
        pattern: "/annuaire/{id}/modifier",
        path: "/annuaire/{entry}/modifier",
        form: &[],
        expect: AGENCY,
    },
    Case {
        method: "POST",
        pattern: "/annuaire/{id}",
        path: "/annuaire/{entry}",
        form: &[("name", "X")],
        expect: AGENCY,
    },
    Case {
        method: "POST",
        pattern: "/annuaire/{id}/verification",
        path: "/annuaire/{entry}/verification",
        form: &[],
        expect: AGENCY,
    },
    Case {
        method: "POST",
        pattern: "/annuaire/{id}/moderation",
        path: "/annuaire/{entry}/moderation",
        form: &[("decision", "refuse"), ("reason", "")],
        expect: AGENCY,
    },
    Case { method: "GET", pattern: "/admin/programmes", path: "/admin/programmes", form: &[], expect: AGENCY },
    Case {
        method: "GET",
        pattern: "/admin/programmes/nouveau",
        path: "/admin/programmes/nouveau?depuis={programme}",
        form: &[],
        expect: AGENCY,
    },
    Case {
        method: "POST",
        pattern: "/admin/programmes",
        path: "/admin/programmes",
        form: &[("name", "X")],
        expect: AGENCY,
    },
    Case {
        method: "POST",
        pattern: "/admin/programmes/import",
        path: "/admin/programmes/import",
        form: &[],
        expect: AGENCY,
    },
    Case {
        method: "GET",
        pattern: "/admin/programmes/{id}",
        path: "/admin/programmes/{programme}",
        form: &[],
        expect: AGENCY,
    },
    Case {
        method: "POST",
        pattern: "/admin/programmes/{id}",
        path: "/admin/programmes/{programme}",
        form: &[("name", "X")],
        expect: AGENCY,
    },
    Case {
        method: "GET",
        pattern: "/admin/programmes/{id}/modifier",
        path: "/admin/programmes/{programme}/modifier",
        form: &[],
        expect: AGENCY,
    },
    Case {
        method: "GET",
        pattern: "/admin/programmes/{id}/programme.json",
        path: "/admin/programmes/{programme}/programme.json",
        form: &[],
        expect: AGENCY,
    },
    Case {
        method: "GET",
        pattern: "/admin/programmes/{id}/programme.toml",
        path: "/admin/programmes/{programme}/programme.toml",
        form: &[],
        expect: AGENCY,
    },
    Case {
        method: "POST",
        pattern: "/admin/programmes/{id}/archivage",
        path: "/admin/programmes/{programme}/archivage",
        form: &[("archived", "non")],
        expect: AGENCY,
    },
    // Not a file upload: refused as input once the person is the agency.
    Case { method: "POST", pattern: "/admin/contours", path: "/admin/contours", form: &[], expect: AGENCY },
    // Anyone answers a questionnaire by its public link, with or without an account.
    Case { method: "GET", pattern: "/q/{token}", path: "/q/jeton-de-la-matrice", form: &[], expect: ALL },
    Case { method: "POST", pattern: "/q/{token}", path: "/q/jeton-de-la-matrice", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/q/{token}/merci", path: "/q/jeton-de-la-matrice/merci", form: &[], expect: ALL },
    Case {
        method: "POST",
        pattern: "/q/{token}/suivi",
        path: "/q/jeton-de-la-matrice/suivi",
        form: &[("email", "habitant@exemple.fr")],
        expect: ALL,
    },
    // Refused transition (a phase skipped): nothing changes for the cases below.
    Case {
        method: "POST",
        pattern: "/projets/{id}/phase",
        path: "/projets/{project}/phase",
        form: &[("to", "co_design"), ("note", "Une note de la matrice.")],
        expect: AGENCY,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/prestataire",
        path: "/projets/{project}/prestataire",
        form: &[("provider_id", "{provider}")],
        expect: AGENCY,
    },
    // Grand Châtellerault is enrolled already: the referent is told so; the others may not act for it.
    Case {
        method: "POST",
        pattern: "/projets/{id}/inscription",
        path: "/projets/{project}/inscription",
        form: &[("collectivity_id", "{chatellerault}"), ("role", "observer")],
        expect: POSITIONS,
    },
    // Last of the project cases: the referent withdraws Grand Châtellerault.
    Case {
        method: "POST",
        pattern: "/projets/{id}/retrait",
        path: "/projets/{project}/retrait",
        form: &[("collectivity_id", "{chatellerault}"), ("intent", "give_up_seat"), ("confirm", "oui")],
        expect: POSITIONS,
    },
    Case { method: "GET", pattern: "/admin", path: "/admin", form: &[], expect: AGENCY },
    Case { method: "GET", pattern: "/abonnements", path: "/abonnements", form: &[], expect: LOGGED_IN },
    // Nobody has a subscription numbered so: not found once logged in.
    Case {
        method: "POST",
        pattern: "/abonnements/{id}",
        path: "/abonnements/999999",
        form: &[("frequency", "daily"), ("weekday", "1")],
        expect: [L, L, N, N, N, N, N],
    },
    // Signed links, the same for everyone: a forged signature is no longer valid (410).
    Case {
        method: "GET",
        pattern: "/desabonnement/{id}/{signature}",
        path: "/desabonnement/1/signature-forgee",
        form: &[],
        expect: [G; 7],
    },
    Case {
        method: "POST",
        pattern: "/desabonnement/{id}/{signature}",
        path: "/desabonnement/1/signature-forgee",
        form: &[("List-Unsubscribe", "One-Click")],
        expect: [G; 7],
    },
    Case {
        method: "GET",
        pattern: "/abonnements/gerer/{id}/{signature}",
        path: "/abonnements/gerer/1/signature-forgee",
        form: &[],
        expect: [G; 7],
    },
    Case {
        method: "POST",
        pattern: "/abonnements/gerer/{id}/{signature}/{subscription}",
        path: "/abonnements/gerer/1/signature-forgee/1",
        form: &[("frequency", "off"), ("weekday", "1")],
        expect: [G; 7],
    },
    Case {
        method: "GET",
        pattern: "/confirmation-abonnement/{id}/{signature}",
        path: "/confirmation-abonnement/1/signature-forgee",
        form: &[],
        expect: [G; 7],
    },
    Case {
        method: "POST",
        pattern: "/confirmation-abonnement/{id}/{signature}",
        path: "/confirmation-abonnement/1/signature-forgee",
        form: &[],
        expect: [G; 7],
    },
    Case {
        method: "GET",
        pattern: "/courriels/{key}/{signature}",
        path: "/courriels/digest:s1:2026-11-24/signature-forgee",
        form: &[],
        expect: [G; 7],
    },
    Case {
        method: "GET",
        pattern: "/oubli/{digest}/{signature}",
        path: "/oubli/0123456789abcdef/signature-forgee",
        form: &[],
        expect: [G; 7],
    },
    Case {
        method: "POST",
        pattern: "/oubli/{digest}/{signature}",
        path: "/oubli/0123456789abcdef/signature-forgee",
        form: &[("List-Unsubscribe", "One-Click")],
        expect: [G; 7],
    },
    // Anyone follows a project or a published theme: an address is asked to confirm, an account follows at once.
    Case { method: "GET", pattern: "/projets/{id}/suivre", path: "/projets/{project}/suivre", form: &[], expect: ALL },
    Case {
        method: "POST",
        pattern: "/projets/{id}/suivre",
        path: "/projets/{project}/suivre",
        form: &[("email", "curieuse@exemple.fr")],
        expect: ALL,
    },
    Case { method: "GET", pattern: "/themes/{id}/suivre", path: "/themes/{theme}/suivre", form: &[], expect: ALL },
    Case { method: "GET", pattern: "/themes/suivre", path: "/themes/suivre", form: &[], expect: ALL },
    Case {
        method: "POST",
        pattern: "/themes/suivre",
        path: "/themes/suivre",
        form: &[("email", "veilleuse@exemple.fr")],
        expect: ALL,
    },
    // A proposal waiting for the agency is not public: nobody follows it.
    Case {
        method: "GET",
        pattern: "/themes/{id}/suivre",
        path: "/themes/{proposed}/suivre",
        form: &[],
        expect: [N; 7],
    },
    Case {
        method: "POST",
        pattern: "/themes/{id}/suivre",
        path: "/themes/{theme}/suivre",
        form: &[("email", "curieux@exemple.fr")],
        expect: ALL,
    },
    // Newsletters: the agency and the provider write them; a draft is theirs alone, a sent one is public.
    Case {
        method: "GET",
        pattern: "/projets/{id}/lettres",
        path: "/projets/{project}/lettres",
        form: &[],
        expect: ALL,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/lettres/nouvelle",
        path: "/projets/{project}/lettres/nouvelle",
        form: &[],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/lettres",
        path: "/projets/{project}/lettres",
        form: &[("title", "Lettre"), ("edito", "Un édito."), ("to_participants", "on")],
        expect: LEADS,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/lettres/{letter}",
        path: "/projets/{project}/lettres/{letter}",
        form: &[],
        expect: [N, N, N, N, N, A, A],
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/lettres/{letter}",
        path: "/projets/{project}/lettres/{sent_letter}",
        form: &[],
        expect: ALL,
    },
    Case {
        method: "GET",
        pattern: "/projets/{id}/lettres/{letter}/modifier",
        path: "/projets/{project}/lettres/{letter}/modifier",
        form: &[],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/lettres/{letter}",
        path: "/projets/{project}/lettres/{letter}",
        form: &[("title", "Lettre modifiée"), ("edito", "Un autre édito."), ("to_observers", "on")],
        expect: LEADS,
    },
    Case {
        method: "POST",
        pattern: "/projets/{id}/lettres/{letter}/essai",
        path: "/projets/{project}/lettres/{letter}/essai",
        form: &[],
        expect: LEADS,
    },
    // The provider sends it; the agency, after, is told it went already.
    Case {
        method: "POST",
        pattern: "/projets/{id}/lettres/{letter}/envoi",
        path: "/projets/{project}/lettres/{letter_to_send}/envoi",
        form: &[("confirm", "oui")],
        expect: [L, L, F, F, F, A, G],
    },
    Case {
        method: "GET",
        pattern: "/admin/courriels",
        path: "/admin/courriels?etat=failed",
        form: &[],
        expect: AGENCY,
    },
    Case {
        method: "POST",
        pattern: "/admin/courriels/{id}/renvoi",
        path: "/admin/courriels/999999/renvoi",
        form: &[],
        expect: AGENCY,
    },
    Case {
        method: "POST",
        pattern: "/admin/prestataires",
        path: "/admin/prestataires",
        form: &[("name", "Cabinet Matrice")],
        expect: AGENCY,
    },
    Case {
        method: "POST",
        pattern: "/admin/prestataires/{id}/invitations",
        path: "/admin/prestataires/{provider}/invitations",
        form: &[("email", "consultante@exemple.fr")],
        expect: AGENCY,
    },
];

#[test]
fn every_route_is_declared() {
    let routes = encommun::web::route_list();
    let undeclared: Vec<_> =
        routes.iter().filter(|(m, p)| !CASES.iter().any(|c| c.method == *m && c.pattern == *p)).collect();
    assert!(undeclared.is_empty(), "routes without expectations in the authorisation matrix: {undeclared:?}");
    let unknown: Vec<_> =
        CASES.iter().filter(|c| !routes.contains(&(c.method, c.pattern))).map(|c| (c.method, c.pattern)).collect();
    assert!(unknown.is_empty(), "declared routes that the application does not have: {unknown:?}");
}

/// Grand Châtellerault with its referent and a plain member, Grand Cahors with a member, the agency, a provider,
/// open themes and a proposal for Cahors, and a project in enrolment in which Grand Châtellerault participates;
/// returns the placeholders of the cases with their values.
fn prepare(app: &TestApp) -> Vec<(&'static str, String)> {
    with_conn(app, |conn| {
        fixtures::territories(conn);
        let admin = fixtures::agency_admin(conn, ADMIN_EMAIL, "Claire Agence");
        let chatellerault = fixtures::collectivity(conn, TerritoryKind::Epci, "248600413");
        chatellerault.referent(conn, REFERENT_EMAIL, "Karim Référent");
        let member = chatellerault.member(conn, MEMBER_EMAIL, "Marc Membre").id;
        let cahors = fixtures::collectivity(conn, TerritoryKind::Epci, "200023737");
        cahors.member(conn, OTHER_MEMBER_EMAIL, "Jean Ailleurs");
        let provider = fixtures::provider(conn, "Coopérative de la matrice");
        provider.member(conn, PROVIDER_EMAIL, "Amandine Prestataire");
        let open = fixtures::theme(conn, &admin, "Thème ouvert de la matrice").create();
        let proposed = fixtures::theme(conn, &admin, "Thème proposé de la matrice").proposed_by(&cahors).create();
        let duplicate = fixtures::theme(conn, &admin, "Doublon de la matrice").create();
        let resource = fixtures::resource(conn, &admin, "Ressource de la matrice", &[open]);
        let programme = fixtures::programme(conn, &admin, "Programme de la matrice");
        let report = fixtures::report(conn, &admin, "Retour de la matrice", EntryStatus::Published, None);
        let entry = fixtures::directory_entry(conn, &admin, "Acteur de la matrice");
        let proposed_report =
            fixtures::report(conn, &admin, "Proposition de la matrice", EntryStatus::Proposed, Some(chatellerault.id));
        // A project in enrolment, with Grand Châtellerault participating, the provider assigned, an event already
        // held, and news for everyone and for participants.
        let project = fixtures::project(conn, &admin)
            .title("Projet de la matrice")
            .participant(&chatellerault)
            .provider(&provider)
            .create();
        let event = NewEvent::parse(&EventInput {
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
        // Published, so that its public link takes answers: it needs a question.
        let questionnaire = fixtures::questionnaire(conn, &project, &chatellerault, &admin)
            .title("Questionnaire de la matrice")
            .token("jeton-de-la-matrice")
            .question(QuestionInput { kind: "yes_no", label: "Une question de la matrice ?", ..Default::default() })
            .published()
            .create();
        let (event, post, private_post) = write_transaction(conn, |conn| {
            let event = insert_event(conn, project.id, &event, admin.id, &project.title)?;
            let public = NewPost::parse("Publique", "Une actualité pour tout le monde.", "public").unwrap();
            let private = NewPost::parse("Interne", "Une actualité pour les participantes.", "participants").unwrap();
            let post = insert_post(conn, project.id, &public, admin.id)?;
            Ok::<_, diesel::result::Error>((event, post, insert_post(conn, project.id, &private, admin.id)?))
        })
        .unwrap();
        // A published sheet and source of Grand Châtellerault's diagnostic.
        let diagnostic = fixtures::diagnostic(conn, &project, &chatellerault, &admin)
            .sheets(&[(EntryKind::Actor, "Acteur de la matrice", "elus", "citizen", "", None)])
            .sources(&[("study", "Étude de la matrice", "", "", &[0])])
            .create();
        let (sheet, source) = (diagnostic.sheets[0].0, diagnostic.sources[0]);
        let cycle = fixtures::co_design(conn, &project, &chatellerault, &admin).seat(member).create();
        let place = encommun::storage::diagnostic::Place { project_id: project.id, collectivity_id: chatellerault.id };
        let public_map = write_transaction(conn, |conn| {
            encommun::storage::diagnostic::publish_map(conn, place, admin.id, "CA Grand Châtellerault")?;
            encommun::storage::diagnostic::public_map(conn, encommun::storage::diagnostic::PublicMaps::At(place))
        })
        .unwrap()
        .unwrap()
        .0
        .id;
        write_transaction(conn, |conn| {
            encommun::storage::codesign::set_idea_link(conn, place, Some("jeton-des-idees"), admin.id)
        })
        .unwrap();
        let plan = fixtures::adopted_plan(conn, project.id, &chatellerault, &admin);
        // The learning community: Marc Membre sits for the élus (his account linked), two seats without an account,
        // a thread of the élus with Marc's message, a thread of the forum, a past supervision session.
        let community = fixtures::community(conn, project.id, &chatellerault, &admin, member);
        let capitalisation = fixtures::capitalisation(conn, project.id, &admin);
        let committee = fixtures::committee(conn, project.id, &admin);
        // Newsletters: two drafts (one to edit, one to send) and one sent.
        let audience = Audience { participants: true, observers: true, followers: true };
        let draft =
            NewNewsletter::parse("Lettre de la matrice", ["Un édito.", "", "", "", "", "", ""], audience).unwrap();
        let letter = newsletters::insert_draft(conn, project.id, &draft, admin.id).unwrap();
        let letter_to_send = newsletters::insert_draft(conn, project.id, &draft, admin.id).unwrap();
        let sent_letter = newsletters::insert_draft(conn, project.id, &draft, admin.id).unwrap();
        let sent = newsletters::find_newsletter(conn, project.id, sent_letter).unwrap().unwrap();
        assert!(newsletters::mark_sent(conn, &sent, admin.id, 0, &project.title).unwrap());
        vec![
            ("{letter_to_send}", letter_to_send.to_string()),
            ("{sent_letter}", sent_letter.to_string()),
            ("{letter}", letter.to_string()),
            ("{project}", project.id.to_string()),
            ("{questionnaire}", questionnaire.to_string()),
            ("{event}", event.to_string()),
            ("{private_post}", private_post.to_string()),
            ("{post}", post.to_string()),
            ("{member}", member.to_string()),
            ("{provider}", provider.id.to_string()),
            ("{theme}", open.to_string()),
            ("{resource}", resource.to_string()),
            ("{programme}", programme.to_string()),
            ("{report}", report.to_string()),
            ("{entry}", entry.to_string()),
            ("{proposed_report}", proposed_report.to_string()),
            ("{partner}", committee.partner.to_string()),
            ("{other_partner}", committee.other_partner.to_string()),
            ("{committee_member}", committee.member.to_string()),
            ("{proposed}", proposed.to_string()),
            ("{duplicate}", duplicate.to_string()),
            ("{chatellerault}", chatellerault.id.to_string()),
            ("{sheet}", sheet.to_string()),
            ("{public_map}", public_map.to_string()),
            ("{source}", source.to_string()),
            ("{objective}", cycle.objective.to_string()),
            ("{criterion}", cycle.criterion.to_string()),
            ("{idea}", cycle.idea.to_string()),
            ("{merge}", cycle.merge.to_string()),
            ("{planned}", cycle.planned.to_string()),
            ("{divergence}", cycle.divergence.to_string()),
            ("{convergence}", cycle.convergence.to_string()),
            ("{axis}", plan.axis.to_string()),
            ("{action}", plan.action.to_string()),
            ("{indicator}", plan.indicator.to_string()),
            ("{measurement}", plan.measurement.to_string()),
            ("{elus}", community.elus.to_string()),
            ("{agents}", community.agents.to_string()),
            ("{seat_to_remove}", community.seat_to_remove.to_string()),
            ("{seat_to_lead}", community.seat_to_lead.to_string()),
            ("{peer_thread}", community.peer_thread.to_string()),
            ("{peer_message}", community.peer_message.to_string()),
            ("{forum_thread}", community.forum_thread.to_string()),
            ("{supervision}", community.supervision.to_string()),
            ("{admin}", admin.id.to_string()),
            ("{lesson}", capitalisation.lesson.to_string()),
            ("{recommendation}", capitalisation.recommendation.to_string()),
        ]
    })
}

fn fill(text: &str, placeholders: &[(&'static str, String)]) -> String {
    placeholders.iter().fold(text.to_owned(), |text, (key, value)| text.replace(key, value))
}

async fn client_for(app: &TestApp, role: Role) -> Client {
    let client = app.client();
    if let Some(email) = role.email() {
        client.login(email, fixtures::PASSWORD).await.assert_redirect("/");
    }
    client
}

fn outcome(status: u16, location: Option<&str>) -> Option<Expect> {
    match status {
        403 => Some(F),
        404 => Some(N),
        410 => Some(G),
        303 if location.is_some_and(|l| l.starts_with("/connexion?suivant=")) => Some(L),
        // 400 and 422: refused input, 429: rate limited — all mean the request was let through to its handler.
        200..=399 | 400 | 422 | 429 => Some(A),
        _ => None,
    }
}

on_both_backends!(every_role_gets_what_the_matrix_says, state_changing_routes_require_a_csrf_token);

async fn every_role_gets_what_the_matrix_says(app: TestApp) {
    let placeholders = prepare(&app);
    let mut mismatches = Vec::new();
    for case in CASES {
        let path = fill(case.path, &placeholders);
        let form: Vec<(&str, String)> = case.form.iter().map(|(k, v)| (*k, fill(v, &placeholders))).collect();
        for (role, expected) in ROLES.iter().zip(case.expect) {
            let client = client_for(&app, *role).await;
            let page = if case.method == "GET" {
                client.get(&path).await
            } else {
                let token = client.csrf().await;
                let mut fields = vec![("csrf_token", token.as_str())];
                fields.extend(form.iter().map(|(k, v)| (*k, v.as_str())));
                client.post(&path, &fields).await
            };
            let got = outcome(page.status, page.location.as_deref());
            if got != Some(expected) {
                mismatches.push(format!(
                    "{} {path} as {role:?}: expected {expected:?}, got {} {:?}",
                    case.method, page.status, page.location
                ));
            }
        }
    }
    assert!(mismatches.is_empty(), "authorisation matrix mismatches:\n{}", mismatches.join("\n"));
}

async fn state_changing_routes_require_a_csrf_token(app: TestApp) {
    let placeholders = prepare(&app);
    let admin = client_for(&app, Role::AgencyAdmin).await;
    admin.get("/compte").await.csrf_token();
    // Mail clients post the signed unsubscribe link without any session (RFC 8058), inhabitants answer a
    // questionnaire without a cookie: a signature checked by the handler is the proof (survey_features.rs tries
    // forged ones).
    let signed = encommun::web::middleware::SIGNED_PATTERNS;
    for case in CASES.iter().filter(|c| c.method != "GET" && !signed.contains(&c.pattern)) {
        let path = fill(case.path, &placeholders);
        let form: Vec<(&str, String)> = case.form.iter().map(|(k, v)| (*k, fill(v, &placeholders))).collect();
        for token in [None, Some("jeton-forgé")] {
            let mut fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            if let Some(token) = token {
                fields.push(("csrf_token", token));
            }
            let page = admin.post(&path, &fields).await;
            assert_eq!(page.status, 403, "{path} accepted without a valid token");
            page.assert_contains("Formulaire expiré");
            // A response like any other refusal: through the outer middleware (security headers, the access log).
            assert_eq!(page.headers.get("x-content-type-options").map(String::as_str), Some("nosniff"), "{path}");
        }
    }
    // Still logged in: none of the above went through.
    admin.get("/admin").await.assert_status(200).assert_lacks("Cabinet Matrice");
}

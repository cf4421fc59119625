//! The web edge: one route table, extractors, middleware and the pages of each feature (maud views next to their
//! handlers). Handlers parse input into domain types, call storage through [`AppState::db`] (off the async
//! workers) and check authorisation from the person's relations, never from what the page shows.

pub mod account;
pub mod admin;
pub mod api;
pub mod assets;
pub mod auth;
pub mod cache;
pub mod collectivities;
pub mod context;
pub mod dashboard;
pub mod error;
pub mod home;
pub mod inspiration;
pub mod invitations;
pub mod limits;
pub mod middleware;
pub mod opendata;
pub mod pages;
pub mod projects;
pub mod resources;
pub mod search;
pub mod state;
pub mod subscriptions;
pub mod survey;
pub mod themes;
pub mod upload;
pub mod views;

use actix_web::{guard, web, FromRequest, Handler, Responder};

pub use error::AppError;
pub use state::AppState;

/// The route table: every URL of the platform, in one place. It is written against [`Routes`] so that the same
/// table builds the application and lists itself (the authorisation matrix test walks that list, so a new route
/// cannot escape it).
pub fn route_table<R: Routes>(r: &mut R) {
    // Public pages, the health check and assets
    r.get("/", home::home);
    r.get("/healthz", pages::health);
    r.get("/assets/{name}", assets::asset);
    r.get("/accessibilite", pages::accessibility);
    r.get("/mentions-legales", pages::legal_notice);
    r.get("/donnees-personnelles", pages::privacy);

    // Accounts: signing in, passwords, one's account and collectivity
    r.get("/connexion", auth::login_form);
    r.post("/connexion", auth::login);
    r.post("/deconnexion", auth::logout);
    r.get("/mot-de-passe-oublie", auth::forgotten_form);
    r.post("/mot-de-passe-oublie", auth::forgotten);
    r.get("/mot-de-passe/nouveau/{token}", auth::reset_form);
    r.post("/mot-de-passe/nouveau/{token}", auth::reset);
    r.get("/compte", account::show);
    r.post("/compte/nom", account::change_name);
    r.post("/compte/mot-de-passe", account::change_password);
    r.get("/ma-collectivite", dashboard::show);

    // Collectivities and invitations to join them
    r.get("/collectivites", collectivities::search);
    r.get("/territoires/{kind}/{code}", collectivities::show);
    r.post("/territoires/{kind}/{code}/invitations", collectivities::invite);
    r.get("/invitation/{token}", invitations::show);
    r.post("/invitation/{token}", invitations::accept);

    // Themes ("/themes/suivre" before "/themes/{id}", which would take it)
    r.get("/themes", themes::index);
    r.get("/themes/nouveau", themes::proposals::proposal_form);
    r.get("/themes/suivre", subscriptions::follow_themes_form);
    r.post("/themes/suivre", subscriptions::follow_themes);
    r.post("/themes", themes::proposals::propose);
    r.get("/themes/{id}", themes::page::show);
    r.post("/themes/{id}/positionnement", themes::page::position);
    r.post("/themes/{id}/retrait", themes::page::withdraw);
    r.post("/themes/{id}/statut", themes::moderation::change_status);
    r.post("/themes/{id}/fusion", themes::moderation::merge);
    r.get("/themes/{id}/positionnements.csv", themes::moderation::positions_csv);

    // Inspiration
    r.get("/inspiration", inspiration::index);
    r.get("/inspiration/nouvelle", inspiration::new_form);
    r.post("/inspiration", inspiration::create);
    r.get("/inspiration/{id}", inspiration::show);
    r.get("/inspiration/{id}/modifier", inspiration::edit_form);
    r.post("/inspiration/{id}", inspiration::update);
    r.post("/inspiration/{id}/suppression", inspiration::delete);

    // The resource base: experience reports and the directory of actors
    r.get("/retours-d-experience", resources::reports::index);
    r.get("/retours-d-experience/nouveau", resources::reports::new_form);
    r.post("/retours-d-experience", resources::reports::create);
    r.get("/retours-d-experience/{id}", resources::reports::show);
    r.post("/retours-d-experience/{id}", resources::reports::update);
    r.get("/retours-d-experience/{id}/modifier", resources::reports::edit_form);
    r.post("/retours-d-experience/{id}/verification", resources::reports::confirm_checked);
    r.post("/retours-d-experience/{id}/moderation", resources::reports::moderate);
    r.get("/recherche", search::search);
    r.get("/donnees-ouvertes", opendata::index);
    r.get("/donnees-ouvertes/{file}", opendata::download);
    r.get("/api", api::spec::documentation);
    r.get("/api/v1", api::data::index);
    r.get("/api/v1/openapi.json", api::spec::openapi);
    r.get("/api/v1/themes", api::data::themes);
    r.get("/api/v1/themes/{id}", api::data::theme);
    r.get("/api/v1/projects", api::data::projects_list);
    r.get("/api/v1/projects/{id}", api::data::project);
    r.get("/api/v1/projects/{id}/events", api::data::project_events);
    r.get("/api/v1/projects/{id}/news", api::data::project_news);
    r.get("/api/v1/inspiration", api::data::inspiration_list);
    r.get("/api/v1/reports", api::data::reports_list);
    r.get("/api/v1/reports/{id}", api::data::report);
    r.get("/api/v1/directory", api::data::directory_list);
    r.get("/api/v1/directory/{id}", api::data::directory_entry);
    r.get("/api/v1/plans", api::data::plans_list);
    r.get("/api/v1/restitutions", api::data::restitutions_list);
    r.get("/api/v1/maps", api::data::maps_list);
    r.get("/api/v1/maps/{id}", api::data::map);
    r.get("/api/v1/{tail:.*}", api::unknown);
    r.get("/annuaire", resources::directory::index);
    r.get("/annuaire/nouveau", resources::directory::new_form);
    r.get("/annuaire/import", resources::import::form);
    r.post("/annuaire/import", resources::import::upload);
    r.get("/annuaire/import/{token}", resources::import::mapping_form);
    r.post("/annuaire/import/{token}", resources::import::confirm);
    r.post("/annuaire", resources::directory::create);
    r.get("/annuaire/{id}", resources::directory::show);
    r.post("/annuaire/{id}", resources::directory::update);
    r.get("/annuaire/{id}/modifier", resources::directory::edit_form);
    r.post("/annuaire/{id}/verification", resources::directory::confirm_checked);
    r.post("/annuaire/{id}/moderation", resources::directory::moderate);

    // Projects: page, enrolment, steering, news, newsletters, events
    r.get("/projets", projects::index);
    r.get("/projets/nouveau", projects::opening::selection_form);
    r.post("/projets", projects::opening::open);
    r.get("/projets/{id}", projects::show);
    r.post("/projets/{id}/inscription", projects::enrolment::enrol);
    r.post("/projets/{id}/retrait", projects::enrolment::withdraw);
    r.post("/projets/{id}/phase", projects::steering::change_phase);
    r.post("/projets/{id}/prestataire", projects::steering::assign_provider);
    r.post("/projets/{id}/actualites", projects::news::publish);
    r.get("/projets/{id}/comite", projects::committee::show);
    r.post("/projets/{id}/comite/partenaires", projects::committee::add_partner);
    r.post("/projets/{id}/comite/partenaires/{partner}/retrait", projects::committee::remove_partner);
    r.post("/projets/{id}/comite/membres", projects::committee::add_member);
    r.post("/projets/{id}/comite/membres/{member}/retrait", projects::committee::remove_member);
    r.get("/projets/{id}/actualites/{post}", projects::news::show);
    r.get("/projets/{id}/lettres", projects::newsletters::index);
    r.get("/projets/{id}/lettres/nouvelle", projects::newsletters::new_form);
    r.post("/projets/{id}/lettres", projects::newsletters::create);
    r.get("/projets/{id}/lettres/{letter}", projects::newsletters::show);
    r.get("/projets/{id}/lettres/{letter}/modifier", projects::newsletters::edit_form);
    r.post("/projets/{id}/lettres/{letter}", projects::newsletters::update);
    r.post("/projets/{id}/lettres/{letter}/essai", projects::newsletters::test_send);
    r.post("/projets/{id}/lettres/{letter}/envoi", projects::newsletters::send);
    r.get("/projets/{id}/evenements/nouveau", projects::events::new_form);
    r.post("/projets/{id}/evenements", projects::events::create);
    r.get("/projets/{id}/evenements/{event}", projects::events::show);
    r.post("/projets/{id}/evenements/{event}", projects::events::update);
    r.get("/projets/{id}/evenements/{event}/modifier", projects::events::edit_form);
    r.get("/projets/{id}/evenements/{event}/calendrier.ics", projects::events::ics_file);
    r.post("/projets/{id}/evenements/{event}/inscription", projects::events::registration);
    r.post("/projets/{id}/evenements/{event}/compte-rendu", projects::events::minutes);
    r.post("/projets/{id}/evenements/{event}/presences", projects::community::supervision::record_attendance);
    r.post("/projets/{id}/evenements/{event}/notes", projects::events::supervision_note);

    // Inquiry groups
    r.get("/projets/{id}/groupes/{collectivity}", projects::inquiry::show);
    r.post("/projets/{id}/groupes/{collectivity}/membres", projects::inquiry::add);
    r.post("/projets/{id}/groupes/{collectivity}/membres/{member}/retrait", projects::inquiry::remove);
    r.post("/projets/{id}/groupes/{collectivity}/questionnaires", projects::inquiry::create_questionnaire);
    r.post("/projets/{id}/groupes/{collectivity}/questionnaires/import", projects::questionnaires::xlsform::import);

    // The diagnostic (fixed segments before "{collectivity}", which would take them)
    r.get("/i/{token}", projects::codesign::public::show);
    r.post("/i/{token}", projects::codesign::public::submit);
    r.get("/i/{token}/merci", projects::codesign::public::thanks);
    r.get("/projets/{id}/croisement/{collectivity}", projects::codesign::show);
    r.post("/projets/{id}/croisement/{collectivity}/methode", projects::codesign::set_method);
    r.post("/projets/{id}/croisement/{collectivity}/membres", projects::codesign::add_member);
    r.post("/projets/{id}/croisement/{collectivity}/membres/{member}/retrait", projects::codesign::remove_member);
    r.post("/projets/{id}/croisement/{collectivity}/ateliers", projects::codesign::create_workshop);
    r.post("/projets/{id}/croisement/{collectivity}/objectifs", projects::codesign::add_objective);
    r.post("/projets/{id}/croisement/{collectivity}/lien-public", projects::codesign::public::set_link);
    r.post("/projets/{id}/croisement/{collectivity}/criteres", projects::codesign::add_criterion);
    r.post("/projets/{id}/croisement/{collectivity}/criteres/poids", projects::codesign::set_weights);
    r.post(
        "/projets/{id}/croisement/{collectivity}/criteres/{criterion}/suppression",
        projects::codesign::remove_criterion,
    );
    r.get("/projets/{id}/croisement/{collectivity}/idees.csv", projects::codesign::export::ideas_csv);
    r.get("/projets/{id}/croisement/{collectivity}/votes.csv", projects::codesign::export::votes_csv);
    r.get("/projets/{id}/croisement/{collectivity}/idees/cartes", projects::codesign::ideas::cards);
    r.get("/projets/{id}/croisement/{collectivity}/idees", projects::codesign::ideas::show);
    r.post("/projets/{id}/croisement/{collectivity}/idees", projects::codesign::ideas::add);
    r.post("/projets/{id}/croisement/{collectivity}/idees/tri", projects::codesign::ideas::sort);
    r.get("/projets/{id}/croisement/{collectivity}/idees/{idea}", projects::codesign::ideas::show_idea);
    r.post("/projets/{id}/croisement/{collectivity}/idees/{idea}/motivations", projects::codesign::ideas::cite);
    r.post("/projets/{id}/croisement/{collectivity}/idees/{idea}/modification", projects::codesign::ideas::edit);
    r.post("/projets/{id}/croisement/{collectivity}/idees/{idea}/annulation", projects::codesign::ideas::undo_merge);
    r.post("/projets/{id}/croisement/{collectivity}/idees/{idea}/moderation", projects::codesign::ideas::moderate);
    r.get("/projets/{id}/croisement/{collectivity}/ateliers/{workshop}", projects::codesign::workshops::show);
    r.get("/projets/{id}/croisement/{collectivity}/ateliers/{workshop}/ecran", projects::codesign::workshops::screen);
    r.post(
        "/projets/{id}/croisement/{collectivity}/ateliers/{workshop}/etat",
        projects::codesign::workshops::change_state,
    );
    r.post(
        "/projets/{id}/croisement/{collectivity}/ateliers/{workshop}/idees",
        projects::codesign::workshops::add_idea,
    );
    r.post("/projets/{id}/croisement/{collectivity}/ateliers/{workshop}/notes", projects::codesign::workshops::score);
    r.post("/projets/{id}/croisement/{collectivity}/ateliers/{workshop}/points", projects::codesign::workshops::dot);
    r.post(
        "/projets/{id}/croisement/{collectivity}/ateliers/{workshop}/retenir",
        projects::codesign::workshops::retain,
    );
    r.post(
        "/projets/{id}/croisement/{collectivity}/ateliers/{workshop}/synthese",
        projects::codesign::workshops::publish_synthesis,
    );
    r.get("/projets/{id}/plan/{collectivity}", projects::plans::show);
    r.post("/projets/{id}/plan/{collectivity}/axes", projects::plans::add_axis);
    r.post("/projets/{id}/plan/{collectivity}/axes/{axis}", projects::plans::update_axis);
    r.post("/projets/{id}/plan/{collectivity}/axes/{axis}/retrait", projects::plans::remove_axis);
    r.post("/projets/{id}/plan/{collectivity}/axes/{axis}/ordre", projects::plans::move_axis);
    r.post("/projets/{id}/plan/{collectivity}/actions/{action}/ordre", projects::plans::move_action);
    r.post("/projets/{id}/plan/{collectivity}/actions", projects::plans::add_action);
    r.post("/projets/{id}/plan/{collectivity}/etape-d-apres", projects::plans::save_next_steps);
    r.post("/projets/{id}/plan/{collectivity}/soumission", projects::plans::submit);
    r.post("/projets/{id}/plan/{collectivity}/soumission/retrait", projects::plans::withdraw);
    r.post("/projets/{id}/plan/{collectivity}/nouvelle-version", projects::plans::new_version);
    r.get("/projets/{id}/plan/{collectivity}/plan.csv", projects::plans::export::csv);
    r.get("/projets/{id}/plan/{collectivity}/plan.xlsx", projects::plans::export::xlsx);
    r.get("/projets/{id}/plan/{collectivity}/import", projects::plans::export::import_form);
    r.post("/projets/{id}/plan/{collectivity}/import", projects::plans::export::import);
    r.get("/projets/{id}/plan/{collectivity}/suivi", projects::plans::reviews::show);
    r.post("/projets/{id}/plan/{collectivity}/suivi", projects::plans::reviews::record);
    r.get("/projets/{id}/plans", projects::plans::public::compare);

    // The restitution to inhabitants: the working page, its quotes, the published page and its printed versions
    r.get("/projets/{id}/restitution/{collectivity}", projects::restitution::show);
    r.post("/projets/{id}/restitution/{collectivity}", projects::restitution::save_texts);
    r.post("/projets/{id}/restitution/{collectivity}/questions", projects::restitution::set_questions);
    r.post("/projets/{id}/restitution/{collectivity}/lisibilite", projects::restitution::readability);
    r.post("/projets/{id}/restitution/{collectivity}/publication", projects::restitution::publish);
    r.get("/projets/{id}/restitution/{collectivity}/citations", projects::restitution::quotes::chooser);
    r.post("/projets/{id}/restitution/{collectivity}/citations", projects::restitution::quotes::choose);
    r.post("/projets/{id}/restitution/{collectivity}/citations/{quote}", projects::restitution::quotes::edit);
    r.post("/projets/{id}/restitution/{collectivity}/citations/{quote}/retrait", projects::restitution::quotes::remove);
    r.get("/projets/{id}/restitution/{collectivity}/portee", projects::restitution::reach::show);
    r.post("/projets/{id}/restitution/{collectivity}/portee", projects::restitution::reach::record);
    r.post("/projets/{id}/restitution/{collectivity}/portee/{reach}/retrait", projects::restitution::reach::remove);
    r.get("/projets/{id}/restitutions/{collectivity}", projects::restitution::public::show);
    r.get("/projets/{id}/restitutions/{collectivity}/affiche", projects::restitution::public::poster);
    r.get("/projets/{id}/restitutions/{collectivity}/tract", projects::restitution::public::leaflet);
    r.get("/projets/{id}/plans/{collectivity}", projects::plans::public::show);

    // The learning community: delegations, the forum, the peer groups and their conclusions for the agora
    r.get("/projets/{id}/communaute", projects::community::show);
    r.post("/projets/{id}/categories", projects::community::add_category);
    r.get("/projets/{id}/agora", projects::community::agora);
    r.get("/projets/{id}/delegations/{collectivity}", projects::community::delegations::show);
    r.post("/projets/{id}/delegations/{collectivity}/membres", projects::community::delegations::add);
    r.post(
        "/projets/{id}/delegations/{collectivity}/membres/{member}/retrait",
        projects::community::delegations::remove,
    );
    r.post(
        "/projets/{id}/delegations/{collectivity}/membres/{member}/referent",
        projects::community::delegations::make_referent,
    );
    r.get("/projets/{id}/forum", projects::community::threads::forum);
    r.post("/projets/{id}/forum", projects::community::threads::start_in_forum);
    r.post("/projets/{id}/forum/suivi", projects::community::threads::follow_forum);
    r.get("/projets/{id}/pairs/{group}", projects::community::threads::peer_group);
    r.post("/projets/{id}/pairs/{group}", projects::community::threads::start_in_group);
    r.post("/projets/{id}/pairs/{group}/suivi", projects::community::threads::follow_group);
    r.post("/projets/{id}/pairs/{group}/conclusions", projects::community::threads::save_conclusions);
    r.post("/projets/{id}/pairs/{group}/conclusions/publication", projects::community::threads::publish_conclusions);
    r.post("/projets/{id}/pairs/{group}/animation", projects::community::designate);
    r.post("/projets/{id}/pairs/{group}/animation/{user}/retrait", projects::community::withdraw);
    r.get("/projets/{id}/fils/{thread}", projects::community::threads::show_thread);
    r.post("/projets/{id}/fils/{thread}/reponses", projects::community::threads::reply);
    r.get("/projets/{id}/messages/{message}", projects::community::threads::show_message);
    r.post("/projets/{id}/messages/{message}", projects::community::threads::edit_message);
    r.post("/projets/{id}/messages/{message}/masquage", projects::community::threads::hide_message);

    // Capitalisation: lessons widening their audience, recommendations, the national deliverable
    r.get("/projets/{id}/enseignements", projects::capitalisation::lessons);
    r.post("/projets/{id}/enseignements", projects::capitalisation::add_lesson);
    r.get("/projets/{id}/enseignements/{lesson}", projects::capitalisation::edit_lesson_form);
    r.post("/projets/{id}/enseignements/{lesson}", projects::capitalisation::edit_lesson);
    r.post("/projets/{id}/enseignements/{lesson}/audience", projects::capitalisation::widen);
    r.get("/projets/{id}/recommandations", projects::capitalisation::recommendations);
    r.post("/projets/{id}/recommandations", projects::capitalisation::add_recommendation);
    r.post("/projets/{id}/recommandations/{recommendation}/statut", projects::capitalisation::change_status);
    r.get("/projets/{id}/livrable", projects::capitalisation::deliverable::show);
    r.get("/projets/{id}/livrable/edition", projects::capitalisation::deliverable::edit_form);
    r.post("/projets/{id}/livrable/edition", projects::capitalisation::deliverable::save);
    r.post("/projets/{id}/livrable/publication", projects::capitalisation::deliverable::publish);
    r.get("/projets/{id}/plan/{collectivity}/adoption", projects::plans::adoption::form);
    r.post("/projets/{id}/plan/{collectivity}/adoption", projects::plans::adoption::record);
    r.get("/projets/{id}/plan/{collectivity}/actes/{version}", projects::plans::adoption::act);
    r.get("/projets/{id}/plan/{collectivity}/actions/{action}", projects::plans::actions::show);
    r.post("/projets/{id}/plan/{collectivity}/actions/{action}", projects::plans::actions::save_content);
    r.post("/projets/{id}/plan/{collectivity}/actions/{action}/avancement", projects::plans::actions::save_progress);
    r.post("/projets/{id}/plan/{collectivity}/actions/{action}/retrait", projects::plans::actions::remove);
    r.post("/projets/{id}/plan/{collectivity}/actions/{action}/sources", projects::plans::actions::cite);
    r.post("/projets/{id}/plan/{collectivity}/actions/{action}/sources/retrait", projects::plans::actions::uncite);
    r.post("/projets/{id}/plan/{collectivity}/actions/{action}/commentaires", projects::plans::actions::comment);
    r.post("/projets/{id}/plan/{collectivity}/actions/{action}/indicateurs", projects::plans::actions::add_indicator);
    r.get("/projets/{id}/plan/{collectivity}/indicateurs/{indicator}", projects::plans::actions::show_indicator);
    r.post("/projets/{id}/plan/{collectivity}/indicateurs/{indicator}", projects::plans::actions::save_indicator);
    r.post(
        "/projets/{id}/plan/{collectivity}/indicateurs/{indicator}/retrait",
        projects::plans::actions::remove_indicator,
    );
    r.post(
        "/projets/{id}/plan/{collectivity}/indicateurs/{indicator}/mesures",
        projects::plans::actions::add_measurement,
    );
    r.post(
        "/projets/{id}/plan/{collectivity}/indicateurs/{indicator}/mesures/{measurement}/retrait",
        projects::plans::actions::remove_measurement,
    );
    r.get("/projets/{id}/diagnostic", projects::diagnostic::overview::show);
    r.post("/projets/{id}/diagnostic/familles", projects::diagnostic::overview::add_family);
    r.get("/projets/{id}/diagnostic/moderation", projects::diagnostic::moderation::show);
    r.post("/projets/{id}/diagnostic/moderation", projects::diagnostic::moderation::decide);
    r.get("/projets/{id}/diagnostic/export.geojson", projects::diagnostic::export::project_geojson);
    r.get("/projets/{id}/diagnostic/export.csv", projects::diagnostic::export::project_csv);
    r.get("/projets/{id}/diagnostic/{collectivity}", projects::diagnostic::show);
    r.get("/projets/{id}/diagnostic/{collectivity}/export.geojson", projects::diagnostic::export::territory_geojson);
    r.get("/projets/{id}/diagnostic/{collectivity}/export.csv", projects::diagnostic::export::territory_csv);
    r.get("/projets/{id}/diagnostic/{collectivity}/fiches/nouvelle", projects::diagnostic::sheets::new_form);
    r.post("/projets/{id}/diagnostic/{collectivity}/fiches", projects::diagnostic::sheets::create);
    r.get("/projets/{id}/diagnostic/{collectivity}/fiches/{entry}", projects::diagnostic::sheets::show);
    r.get("/projets/{id}/diagnostic/{collectivity}/fiches/{entry}/modifier", projects::diagnostic::sheets::edit_form);
    r.post("/projets/{id}/diagnostic/{collectivity}/fiches/{entry}/modifier", projects::diagnostic::sheets::update);
    r.post("/projets/{id}/diagnostic/{collectivity}/fiches/{entry}/suppression", projects::diagnostic::sheets::delete);
    r.post(
        "/projets/{id}/diagnostic/{collectivity}/fiches/{entry}/relations",
        projects::diagnostic::sheets::add_relation,
    );
    r.post(
        "/projets/{id}/diagnostic/{collectivity}/fiches/{entry}/relations/{relation}/suppression",
        projects::diagnostic::sheets::remove_relation,
    );
    r.get("/projets/{id}/diagnostic/{collectivity}/sources/nouvelle", projects::diagnostic::sources::new_form);
    r.post("/projets/{id}/diagnostic/{collectivity}/sources", projects::diagnostic::sources::create);
    r.get("/projets/{id}/diagnostic/{collectivity}/sources/{source}", projects::diagnostic::sources::show);
    r.post(
        "/projets/{id}/diagnostic/{collectivity}/sources/{source}/suppression",
        projects::diagnostic::sources::delete,
    );
    r.post("/projets/{id}/diagnostic/{collectivity}/carte-publique", projects::diagnostic::public::publish);
    r.get("/projets/{id}/cartes/{collectivity}", projects::diagnostic::public::show);
    r.get("/projets/{id}/cartes/{collectivity}/export.geojson", projects::diagnostic::public::geojson);
    r.get("/projets/{id}/cartes/{collectivity}/export.csv", projects::diagnostic::public::csv);
    r.get("/projets/{id}/cartes/{collectivity}/fiches/{entry}", projects::diagnostic::public::sheet);
    r.get("/projets/{id}/diagnostic/{collectivity}/import", projects::diagnostic::import::form);
    r.post("/projets/{id}/diagnostic/{collectivity}/import", projects::diagnostic::import::upload);
    r.get("/projets/{id}/diagnostic/{collectivity}/import/{token}", projects::diagnostic::import::mapping_form);
    r.post("/projets/{id}/diagnostic/{collectivity}/import/{token}", projects::diagnostic::import::confirm);

    // Questionnaires: builder, results, coverage, comparison, invitations, entry, exports
    r.get("/questionnaires/{id}", projects::questionnaires::builder::show);
    r.get("/questionnaires/{id}/apercu", projects::questionnaires::builder::preview);
    r.get("/questionnaires/{id}/resultats", projects::questionnaires::results::show);
    r.get("/questionnaires/{id}/couverture", projects::questionnaires::coverage::show);
    r.get("/questionnaires/{id}/comparaison", projects::questionnaires::comparison::show);
    r.post("/questionnaires/{id}/couverture", projects::questionnaires::coverage::set_targets);
    r.get("/questionnaires/{id}/invitations", projects::questionnaires::invitations::show);
    r.post("/questionnaires/{id}/invitations", projects::questionnaires::invitations::make);
    r.post("/questionnaires/{id}/invitations/mode", projects::questionnaires::invitations::set_mode);
    r.get("/questionnaires/{id}/invitations.csv", projects::questionnaires::invitations::links_csv);
    r.get("/questionnaires/{id}/saisie", projects::questionnaires::interviews::form);
    r.post("/questionnaires/{id}/saisie", projects::questionnaires::interviews::record);
    r.get("/questionnaires/{id}/reponses.csv", projects::questionnaires::export::responses_csv);
    r.get("/questionnaires/{id}/reponses.xlsx", projects::questionnaires::export::responses_xlsx);
    r.get("/questionnaires/{id}/codes.csv", projects::questionnaires::export::codebook_csv);
    r.get("/questionnaires/{id}/xlsform.xlsx", projects::questionnaires::xlsform::export);
    r.post("/questionnaires/{id}/questions", projects::questionnaires::builder::add_question);
    r.post("/questionnaires/{id}/copie", projects::questionnaires::builder::copy);
    r.post("/questionnaires/{id}/publication", projects::questionnaires::builder::publish);
    r.get("/questionnaires/{id}/questions/{question}", projects::questionnaires::builder::edit_question_form);
    r.post("/questionnaires/{id}/questions/{question}", projects::questionnaires::builder::edit_question);
    r.post("/questionnaires/{id}/profil-type", projects::questionnaires::builder::add_standard_profile);
    r.post("/questionnaires/{id}/questions/{question}/suppression", projects::questionnaires::builder::remove_question);
    r.post("/questionnaires/{id}/questions/{question}/deplacement", projects::questionnaires::builder::move_question);

    // Answering by the public link
    r.get("/q/{token}", survey::show);
    r.post("/q/{token}", survey::submit);
    r.get("/q/{token}/merci", survey::thanks);
    r.post("/q/{token}/suivi", survey::feedback);

    // Following by e-mail, and the pages signed links open
    r.get("/abonnements", subscriptions::show);
    r.post("/abonnements/{id}", subscriptions::change);
    r.get("/abonnements/gerer/{id}/{signature}", subscriptions::preferences);
    r.post("/abonnements/gerer/{id}/{signature}/{subscription}", subscriptions::change_signed);
    r.get("/desabonnement/{id}/{signature}", subscriptions::unsubscribe_form);
    r.post("/desabonnement/{id}/{signature}", subscriptions::unsubscribe);
    r.get("/projets/{id}/suivre", subscriptions::follow_project_form);
    r.post("/projets/{id}/suivre", subscriptions::follow_project);
    r.get("/themes/{id}/suivre", subscriptions::follow_theme_form);
    r.post("/themes/{id}/suivre", subscriptions::follow_theme);
    r.get("/confirmation-abonnement/{id}/{signature}", subscriptions::confirmation_form);
    r.post("/confirmation-abonnement/{id}/{signature}", subscriptions::confirmation);
    r.get("/courriels/{key}/{signature}", subscriptions::web_version);
    r.get("/oubli/{digest}/{signature}", subscriptions::forget_address_form);
    r.post("/oubli/{digest}/{signature}", subscriptions::forget_address);
    r.get("/echanges/arret/{id}/{signature}", subscriptions::stop_following_form);
    r.post("/echanges/arret/{id}/{signature}", subscriptions::stop_following);

    // Administration
    r.get("/admin", admin::dashboard);
    r.get("/admin/programmes", admin::programmes::index);
    r.get("/admin/programmes/nouveau", admin::programmes::new_form);
    r.post("/admin/programmes", admin::programmes::create);
    r.post("/admin/programmes/import", admin::programmes::import);
    r.get("/admin/programmes/{id}", admin::programmes::show);
    r.post("/admin/programmes/{id}", admin::programmes::update);
    r.get("/admin/programmes/{id}/modifier", admin::programmes::edit_form);
    r.get("/admin/programmes/{id}/programme.json", admin::programmes::export_json);
    r.get("/admin/programmes/{id}/programme.toml", admin::programmes::export_toml);
    r.post("/admin/programmes/{id}/archivage", admin::programmes::archive);
    r.get("/admin/contours", admin::boundaries::show);
    r.post("/admin/contours", admin::boundaries::upload);
    r.get("/admin/courriels", admin::outbox::show);
    r.post("/admin/courriels/{id}/renvoi", admin::outbox::resend);
    r.post("/admin/prestataires", admin::create_provider);
    r.post("/admin/prestataires/{id}/invitations", admin::invite_provider_member);
}

pub trait Routes {
    fn get<F, Args>(&mut self, path: &'static str, handler: F)
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static;

    fn post<F, Args>(&mut self, path: &'static str, handler: F)
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static;
}

impl Routes for web::ServiceConfig {
    fn get<F, Args>(&mut self, path: &'static str, handler: F)
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        // HEAD too (monitors use it): actix sends the same headers without the body.
        self.route(path, web::route().guard(guard::Any(guard::Get()).or(guard::Head())).to(handler));
    }

    fn post<F, Args>(&mut self, path: &'static str, handler: F)
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.route(path, web::post().to(handler));
    }
}

/// The routes as (method, path pattern) pairs.
#[derive(Default)]
pub struct RouteList(pub Vec<(&'static str, &'static str)>);

impl Routes for RouteList {
    fn get<F, Args>(&mut self, path: &'static str, _: F)
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.0.push(("GET", path));
    }

    fn post<F, Args>(&mut self, path: &'static str, _: F)
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.0.push(("POST", path));
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    route_table(cfg);
}

pub fn route_list() -> Vec<(&'static str, &'static str)> {
    let mut list = RouteList::default();
    route_table(&mut list);
    list.0
}

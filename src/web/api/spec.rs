//! The API described: every endpoint once (`ENDPOINTS`), from which come the OpenAPI 3.1 document
//! (`/api/v1/openapi.json`) and the human page (`/api`); each answer's JSON Schema and an example of it. The tests
//! hold the route table, this list, the schemas, the examples and the real answers to one another.

use actix_web::{HttpRequest, HttpResponse};
use maud::{html, Markup};
use serde_json::{json, Map, Value};

use super::{answer, Reply, BASE, DEFAULT_LIMIT, MAX_LIMIT};
use crate::web::context::PageCtx;
use crate::web::views::page;
use crate::web::AppState;

/// One endpoint of the API.
pub struct Endpoint {
    /// As OpenAPI and the route table write it.
    pub path: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    /// The schema of what it answers (a list of them when `list`).
    pub schema: &'static str,
    pub list: bool,
}

pub const ENDPOINTS: [Endpoint; 17] = [
    Endpoint {
        path: "/api/v1",
        summary: "Point d’entrée",
        description: "Les adresses de l’API, sa documentation et sa licence.",
        schema: "Index",
        list: false,
    },
    Endpoint {
        path: "/api/v1/openapi.json",
        summary: "Ce document OpenAPI 3.1",
        description: "La description de l’API, que des outils lisent pour générer un client ou tester.",
        schema: "OpenApi",
        list: false,
    },
    Endpoint {
        path: "/api/v1/themes",
        summary: "Thèmes publiés",
        description: "Les thèmes proposés par les collectivités et publiés, avec leurs positionnements par engagement, par région et par type de territoire.",
        schema: "Theme",
        list: true,
    },
    Endpoint {
        path: "/api/v1/themes/{id}",
        summary: "Un thème",
        description: "Un thème publié ; un thème proposé et pas encore publié n’existe pas ici.",
        schema: "Theme",
        list: false,
    },
    Endpoint {
        path: "/api/v1/projects",
        summary: "Projets partagés",
        description: "Les projets, leur phase, leurs dates, leur frise (les changements de phase) et leurs collectivités participantes et observatrices.",
        schema: "Project",
        list: true,
    },
    Endpoint {
        path: "/api/v1/projects/{id}",
        summary: "Un projet",
        description: "Un projet partagé, comme sa page publique.",
        schema: "Project",
        list: false,
    },
    Endpoint {
        path: "/api/v1/projects/{id}/events",
        summary: "Les rendez-vous d’un projet",
        description: "Son agenda tel qu’un visiteur le voit : le titre, le type, les dates, le territoire, si la date est confirmée.",
        schema: "Event",
        list: true,
    },
    Endpoint {
        path: "/api/v1/projects/{id}/news",
        summary: "Les actualités publiques d’un projet",
        description: "Les actualités publiées pour tous (en Markdown) ; celles réservées aux participants n’y sont pas.",
        schema: "News",
        list: true,
    },
    Endpoint {
        path: "/api/v1/inspiration",
        summary: "Inspiration",
        description: "Les ressources d’inspiration et les thèmes auxquels elles sont rattachées.",
        schema: "Inspiration",
        list: true,
    },
    Endpoint {
        path: "/api/v1/reports",
        summary: "Retours d’expérience publiés",
        description: "Les retours d’expérience publiés, avec leur territoire, leur méthode, leur coût, leurs résultats et la date de leur dernière vérification.",
        schema: "Report",
        list: true,
    },
    Endpoint {
        path: "/api/v1/reports/{id}",
        summary: "Un retour d’expérience",
        description: "Un retour d’expérience publié ; une proposition pas encore relue n’existe pas ici.",
        schema: "Report",
        list: false,
    },
    Endpoint {
        path: "/api/v1/directory",
        summary: "Annuaire des acteurs",
        description: "Les acteurs publiés de la participation et de la coopération : type, SIRET, compétences, départements (par numéro) et régions (R et leur code) où ils interviennent.",
        schema: "DirectoryEntry",
        list: true,
    },
    Endpoint {
        path: "/api/v1/directory/{id}",
        summary: "Un acteur de l’annuaire",
        description: "Une fiche publiée de l’annuaire.",
        schema: "DirectoryEntry",
        list: false,
    },
    Endpoint {
        path: "/api/v1/plans",
        summary: "Plans d’action adoptés",
        description: "La version adoptée en vigueur de chaque plan d’action : ses axes, ses actions, où elles en sont, leurs indicateurs avec leurs cibles et leurs mesures (valeurs et dates), et l’acte d’adoption.",
        schema: "Plan",
        list: true,
    },
    Endpoint {
        path: "/api/v1/restitutions",
        summary: "Restitutions publiées",
        description: "Ce que chaque territoire a dit aux habitants : ce qui a été entendu, les chiffres clés, ce qui a été décidé, la suite, comment rester impliqué, et les citations choisies.",
        schema: "Restitution",
        list: true,
    },
    Endpoint {
        path: "/api/v1/maps",
        summary: "Cartes publiques des diagnostics",
        description: "Les cartes que le prestataire ou l’agence a rendues publiques, territoire par territoire : leur projet, leur territoire, leur nombre de fiches et l’adresse de leur GeoJSON.",
        schema: "PublicMap",
        list: true,
    },
    Endpoint {
        path: "/api/v1/maps/{id}",
        summary: "Une carte publique, en GeoJSON",
        description: "Les fiches publiées d’une carte publique (acteurs, espaces et objets de l’engagement), en GeoJSON (RFC 7946) : un point WGS84 par fiche située (null sinon) et ses propriétés, celles du fichier cartes_publiques.csv des données ouvertes. Jamais de contact, de ressources ni de proposition en attente.",
        schema: "MapFeatures",
        list: false,
    },
];

impl Endpoint {
    /// What it answers as: GeoJSON for a map, JSON otherwise.
    pub fn media_type(&self) -> &'static str {
        if self.schema == "MapFeatures" {
            "application/geo+json"
        } else {
            "application/json"
        }
    }
}

fn string() -> Value {
    json!({ "type": "string" })
}
fn nullable(kind: &str) -> Value {
    json!({ "type": [kind, "null"] })
}
fn integer() -> Value {
    json!({ "type": "integer" })
}
fn object(properties: Value) -> Value {
    let required: Vec<String> = properties.as_object().map(|p| p.keys().cloned().collect()).unwrap_or_default();
    json!({ "type": "object", "properties": properties, "required": required })
}
fn array(items: Value) -> Value {
    json!({ "type": "array", "items": items })
}
fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// Every schema the API answers with, by name. Every property is always there (null when unknown).
pub fn schemas() -> Map<String, Value> {
    let link = object(json!({ "url": string(), "label": string() }));
    let territory = object(json!({
        "code": string(), "kind": string(), "name": string(), "population": nullable("integer"),
    }));
    let dated_value = object(json!({ "on": string(), "value": { "type": "number" } }));
    let mut all = Map::new();
    all.insert(
        "Error".into(),
        object(json!({
            "erreur": object(json!({ "code": string(), "message": string(), "statut": integer() })),
        })),
    );
    all.insert(
        "Index".into(),
        object(json!({
            "name": string(), "version": string(), "documentation": string(), "openapi": string(),
            "licence": string(), "endpoints": array(string()),
        })),
    );
    all.insert("OpenApi".into(), json!({ "type": "object", "required": ["openapi", "paths"] }));
    let counts = |extra: Value| {
        let mut properties =
            json!({ "positions": integer(), "participate": integer(), "observe": integer(), "interested": integer() });
        if let (Some(p), Some(e)) = (properties.as_object_mut(), extra.as_object()) {
            p.extend(e.clone());
        }
        object(properties)
    };
    all.insert(
        "Theme".into(),
        object(json!({
            "id": integer(), "title": string(), "problem": string(), "why_it_matters": string(),
            "status": { "type": "string", "enum": ["open", "selected", "archived"] },
            "merged_into": nullable("integer"), "opened_at": nullable("string"), "updated_at": string(), "url": string(),
            "counts": counts(json!({})),
            "by_area": array(counts(json!({ "region_code": string(), "territory_kind": string() }))),
        })),
    );
    let enrolled = object(json!({ "territory": territory.clone(), "since": string() }));
    all.insert(
        "Project".into(),
        object(json!({
            "id": integer(), "title": string(), "description": string(), "theme_id": integer(), "phase": string(),
            "phase_label": string(), "starts_on": string(), "ends_on": string(),
            "participants_bounds": object(json!({ "min": integer(), "max": integer() })),
            "programme": { "type": ["object", "null"], "properties": { "id": integer(), "version": nullable("integer") } },
            "url": string(), "updated_at": string(),
            "participants": array(enrolled.clone()), "observers": array(enrolled),
            "timeline": array(object(json!({ "from": nullable("string"), "to": string(), "at": string(), "note": string() }))),
        })),
    );
    all.insert(
        "Event".into(),
        object(json!({
            "id": integer(), "kind": string(), "kind_label": string(), "title": string(), "starts_at": string(),
            "ends_at": string(), "confirmed": { "type": "boolean" }, "territory": nullable("string"),
        })),
    );
    all.insert(
        "News".into(),
        object(json!({ "id": integer(), "title": string(), "body": string(), "published_at": string() })),
    );
    all.insert(
        "Inspiration".into(),
        object(json!({
            "id": integer(), "title": string(), "summary": string(), "body": string(), "links": array(link.clone()),
            "theme_ids": array(integer()), "url": string(), "updated_at": string(),
        })),
    );
    all.insert(
        "Report".into(),
        object(json!({
            "id": integer(), "title": string(), "territory": territory.clone(), "theme_id": nullable("integer"),
            "project_id": nullable("integer"), "method": string(), "duration": string(), "cost": string(),
            "done": string(), "results": string(), "difficulties": string(), "contact": string(),
            "links": array(link.clone()), "checked_at": string(), "maybe_outdated": { "type": "boolean" },
            "url": string(), "updated_at": string(),
        })),
    );
    all.insert(
        "DirectoryEntry".into(),
        object(json!({
            "id": integer(), "name": string(),
            "kind": { "type": "string", "enum": ["consultancy", "association", "network", "research", "other"] },
            "siret": nullable("string"), "skills": array(string()), "served": array(string()),
            "nationwide": { "type": "boolean" }, "description": string(), "contact": string(), "links": array(link),
            "project_ids": array(integer()), "checked_at": string(), "maybe_outdated": { "type": "boolean" },
            "url": string(), "updated_at": string(),
        })),
    );
    let indicator = object(json!({
        "name": string(), "unit": string(), "direction": string(),
        "baseline": { "oneOf": [dated_value.clone(), { "type": "null" }] },
        "targets": array(dated_value.clone()),
        "measurements": array(object(json!({ "on": string(), "value": { "type": "number" }, "estimated": { "type": "boolean" } }))),
    }));
    let action = object(json!({
        "title": string(), "description": string(), "lead": string(), "partners": array(string()),
        "starts_on": nullable("string"), "ends_on": nullable("string"), "budget_cents": nullable("integer"),
        "status": nullable("string"), "progress_percent": nullable("integer"), "indicators": array(indicator),
    }));
    all.insert(
        "Plan".into(),
        object(json!({
            "id": integer(), "project_id": integer(),
            "territory": object(json!({ "code": string(), "name": string() })),
            "version": integer(),
            "adoption": { "oneOf": [object(json!({
                "adopted_on": string(), "act_kind": string(), "act_number": string(), "votes_for": integer(),
                "votes_against": integer(), "abstentions": integer(), "act_url": nullable("string"),
            })), { "type": "null" }] },
            "axes": array(object(json!({ "title": string(), "description": string(), "actions": array(action) }))),
            "url": string(),
        })),
    );
    all.insert(
        "Restitution".into(),
        object(json!({
            "id": integer(), "project_id": integer(), "territory": { "oneOf": [territory.clone(), { "type": "null" }] },
            "published_at": nullable("string"), "heard": string(), "key_figures": string(), "decided": string(),
            "next_steps": string(), "how_to_stay_involved": string(), "quotes": array(string()), "url": string(),
        })),
    );
    let public_map = json!({
        "id": integer(), "project_id": integer(), "territory": territory.clone(), "published_at": string(),
        "sheets": integer(), "updated_at": nullable("string"), "url": string(), "geojson": string(),
    });
    all.insert("PublicMap".into(), object(public_map.clone()));
    let sheet_properties: Map<String, Value> = crate::web::projects::diagnostic::export::public_columns()
        .filter(|c| !matches!(*c, "latitude" | "longitude"))
        .map(|c| (c.to_owned(), string()))
        .chain([("marker-color".to_owned(), string())])
        .collect();
    let point = object(json!({
        "type": { "const": "Point" },
        "coordinates": { "type": "array", "items": { "type": "number" }, "minItems": 2, "maxItems": 2 },
    }));
    let feature = object(json!({
        "type": { "const": "Feature" },
        "geometry": { "oneOf": [point, { "type": "null" }] },
        "properties": object(Value::Object(sheet_properties)),
    }));
    let mut collection = public_map;
    if let Some(c) = collection.as_object_mut() {
        c.insert("type".into(), json!({ "const": "FeatureCollection" }));
        c.insert("name".into(), string());
        c.insert("features".into(), array(feature));
    }
    all.insert("MapFeatures".into(), object(collection));
    for endpoint in ENDPOINTS.iter().filter(|e| e.list) {
        let list = object(json!({ "data": array(reference(endpoint.schema)), "next": nullable("string") }));
        all.insert(response_schema(endpoint), list);
    }
    all
}

/// An example of each item schema, as a real answer would hold it.
pub fn example(schema: &str) -> Value {
    let territory =
        json!({ "code": "248600413", "kind": "epci", "name": "CA Grand Châtellerault", "population": 84_000 });
    match schema {
        "Index" => json!({
            "name": "encommun", "version": "v1", "documentation": "/api", "openapi": "/api/v1/openapi.json",
            "licence": "Licence Ouverte / Open Licence 2.0", "endpoints": ["/api/v1/themes"],
        }),
        "OpenApi" => json!({ "openapi": "3.1.0", "paths": {} }),
        "Theme" => json!({
            "id": 5, "title": "Aller vers les habitants éloignés des services publics",
            "problem": "Une part des habitants ne recourt pas aux droits auxquels elle peut prétendre.",
            "why_it_matters": "Le non-recours coûte aux familles et aux territoires.", "status": "selected",
            "merged_into": null, "opened_at": "2026-09-01T08:00:00Z", "updated_at": "2026-11-20T10:12:00Z",
            "url": "/themes/5", "counts": { "positions": 4, "participate": 3, "observe": 1, "interested": 0 },
            "by_area": [{ "region_code": "75", "territory_kind": "epci", "positions": 1, "participate": 1, "observe": 0, "interested": 0 }],
        }),
        "Project" => json!({
            "id": 2, "title": "Accès aux droits : aller vers les habitants qu’on n’entend pas",
            "description": "Trois territoires enquêtent avec leurs habitants.", "theme_id": 5, "phase": "adoption",
            "phase_label": "Adoption", "starts_on": "2026-09-07", "ends_on": "2027-12-17",
            "participants_bounds": { "min": 3, "max": 5 }, "programme": null, "url": "/projets/2",
            "updated_at": "2026-11-20T10:12:00Z",
            "participants": [{ "territory": territory, "since": "2026-09-10T14:00:00Z" }], "observers": [],
            "timeline": [{ "from": null, "to": "enrolment", "at": "2026-09-07T08:00:00Z", "note": "" }],
        }),
        "Event" => json!({
            "id": 4, "kind": "workshop", "kind_label": "Atelier", "title": "Atelier de créativité",
            "starts_at": "2026-12-10T13:30:00Z", "ends_at": "2026-12-10T16:30:00Z", "confirmed": true,
            "territory": "CA Grand Châtellerault",
        }),
        "News" => {
            json!({ "id": 1, "title": "L’enquête est lancée", "body": "Les questionnaires sont en ligne.", "published_at": "2026-10-01T09:00:00Z" })
        }
        "Inspiration" => json!({
            "id": 1, "title": "Le porte-à-porte des droits", "summary": "Aller frapper aux portes.", "body": "…",
            "links": [{ "url": "https://exemple.fr", "label": "Le guide" }], "theme_ids": [5], "url": "/inspiration/1",
            "updated_at": "2026-09-15T10:00:00Z",
        }),
        "Report" => json!({
            "id": 1, "title": "Un bus des droits dans les bourgs de Grand Châtellerault", "territory": territory,
            "theme_id": 5, "project_id": 2, "method": "Enquête menée par les habitants", "duration": "Dix mois",
            "cost": "45 000 €", "done": "Un bus tient une permanence chaque semaine.", "results": "Le recours progresse.",
            "difficulties": "Toucher les jeunes actifs.", "contact": "Le service solidarités", "links": [],
            "checked_at": "2026-11-02T09:00:00Z", "maybe_outdated": false, "url": "/retours-d-experience/1",
            "updated_at": "2026-11-02T09:00:00Z",
        }),
        "DirectoryEntry" => json!({
            "id": 1, "name": "Coopérative des ateliers citoyens", "kind": "consultancy", "siret": "12345678200002",
            "skills": ["concertation", "enquête"], "served": ["86", "R75"], "nationwide": false,
            "description": "Accompagne les collectivités dans leurs démarches de participation.",
            "contact": "contact@exemple.fr", "links": [], "project_ids": [2], "checked_at": "2026-11-02T09:00:00Z",
            "maybe_outdated": false, "url": "/annuaire/1", "updated_at": "2026-11-02T09:00:00Z",
        }),
        "Plan" => json!({
            "id": 1, "project_id": 2, "territory": { "code": "248600413", "name": "CA Grand Châtellerault" }, "version": 1,
            "adoption": { "adopted_on": "2027-02-12", "act_kind": "deliberation", "act_number": "2027-014", "votes_for": 52,
                "votes_against": 3, "abstentions": 2, "act_url": null },
            "axes": [{ "title": "Aller vers", "description": "", "actions": [{
                "title": "Un bus France services dans les bourgs", "description": "", "lead": "CA Grand Châtellerault",
                "partners": ["CAF"], "starts_on": "2027-03-01", "ends_on": null, "budget_cents": 4_500_000,
                "status": "in_progress", "progress_percent": 40,
                "indicators": [{ "name": "Permanences tenues", "unit": "permanences", "direction": "up",
                    "baseline": { "on": "2027-01-01", "value": 0.0 }, "targets": [{ "on": "2027-12-31", "value": 40.0 }],
                    "measurements": [{ "on": "2027-06-30", "value": 16.0, "estimated": false }] }],
            }] }],
            "url": "/projets/2/plans/2",
        }),
        "Restitution" => json!({
            "id": 1, "project_id": 2, "territory": territory, "published_at": "2027-03-20T18:00:00Z",
            "heard": "Vous nous avez dit…", "key_figures": "412 ; personnes ont répondu", "decided": "Un bus passera…",
            "next_steps": "Les premières permanences en avril.", "how_to_stay_involved": "Rejoignez le groupe d’enquête.",
            "quotes": ["On ne sait pas à qui s’adresser."], "url": "/projets/2/restitutions/2",
        }),
        "PublicMap" => json!({
            "id": 1, "project_id": 2, "territory": territory, "published_at": "2027-01-15T10:00:00Z", "sheets": 9,
            "updated_at": "2026-12-02T16:40:00Z", "url": "/projets/2/cartes/3", "geojson": "/api/v1/maps/1",
        }),
        "MapFeatures" => json!({
            "type": "FeatureCollection", "name": "Carte de CA Grand Châtellerault",
            "id": 1, "project_id": 2, "territory": territory, "published_at": "2027-01-15T10:00:00Z", "sheets": 1,
            "updated_at": "2026-12-02T16:40:00Z", "url": "/projets/2/cartes/3", "geojson": "/api/v1/maps/1",
            "features": [{
                "type": "Feature",
                "geometry": { "type": "Point", "coordinates": [0.5410004, 46.8059741] },
                "properties": {
                    "identifiant": "12", "territoire": "CA Grand Châtellerault", "nature": "Espace",
                    "nom": "France services Châtellerault - Plaine d’Ozon", "categorie": "France services",
                    "domaine": "Engagement citoyen", "description": "Accueil pour les démarches administratives.",
                    "publics": "", "engagement": "", "liens": "", "adresse": "", "horaires": "", "accessibilite": "",
                    "code_insee": "86066", "nom_commune": "Châtellerault", "siren_epci": "248600413",
                    "nom_epci": "CA Grand Châtellerault", "departement": "86", "mise_a_jour": "2026-12-02",
                    "marker-color": "#56B4E9",
                },
            }],
        }),
        "Error" => {
            json!({ "erreur": { "code": "introuvable", "message": "Aucun thème publié n’a l’identifiant 9.", "statut": 404 } })
        }
        _ => Value::Null,
    }
}

/// What an endpoint answers with: its schema's name, or its list's.
fn response_schema(endpoint: &Endpoint) -> String {
    if endpoint.list {
        format!("{}List", endpoint.schema)
    } else {
        endpoint.schema.to_owned()
    }
}

/// An endpoint's example answer.
pub fn response_example(endpoint: &Endpoint) -> Value {
    let item = example(endpoint.schema);
    if endpoint.list {
        json!({ "data": [item], "next": format!("{}?limit={DEFAULT_LIMIT}&cursor=c1", endpoint.path.replace("{id}", "2")) })
    } else {
        item
    }
}

/// The OpenAPI 3.1 document, addresses relative to `base_url`.
pub fn document(base_url: &str) -> Value {
    let rate_headers = json!({
        "RateLimit-Limit": { "description": "Requêtes permises par minute et par adresse.", "schema": integer() },
        "RateLimit-Remaining": { "description": "Requêtes qui restent dans la minute.", "schema": integer() },
        "RateLimit-Reset": { "description": "Secondes avant que la fenêtre ne recommence.", "schema": integer() },
    });
    let error = |description: &str| {
        json!({ "description": description, "headers": rate_headers.clone(), "content": { "application/json": {
            "schema": reference("Error"), "example": example("Error") } } })
    };
    let mut paths = Map::new();
    for endpoint in &ENDPOINTS {
        let mut parameters = Vec::new();
        if endpoint.path.contains("{id}") {
            parameters.push(json!({ "name": "id", "in": "path", "required": true, "description": "L’identifiant.", "schema": integer() }));
        }
        if endpoint.list {
            parameters.push(json!({ "$ref": "#/components/parameters/limit" }));
            parameters.push(json!({ "$ref": "#/components/parameters/cursor" }));
        }
        let mut headers = rate_headers.clone();
        if let Some(h) = headers.as_object_mut() {
            h.insert(
                "ETag".into(),
                json!({ "description": "L’empreinte de la réponse, pour If-None-Match.", "schema": string() }),
            );
            h.insert("Last-Modified".into(), json!({ "description": "La dernière modification de ce qu’elle contient, quand elle est connue.", "schema": string() }));
            if endpoint.list {
                h.insert(
                    "Link".into(),
                    json!({ "description": "La page suivante (rel=\"next\"), s’il y en a une.", "schema": string() }),
                );
            }
        }
        let operation_id = endpoint.path.trim_start_matches(BASE).replace(['/', '{', '}', '.'], "_");
        let mut responses = json!({
            "200": { "description": "La réponse.", "headers": headers, "content": { endpoint.media_type(): {
                "schema": reference(&response_schema(endpoint)), "example": response_example(endpoint) } } },
            "304": { "description": "Pas de changement depuis la version que vous avez (If-None-Match, If-Modified-Since)." },
            "429": error("Trop de requêtes depuis votre adresse : réessayez après Retry-After secondes."),
        });
        if let Some(r) = responses.as_object_mut() {
            if endpoint.list {
                r.insert("400".into(), error("Un paramètre est invalide (limit, cursor)."));
            }
            if endpoint.path.contains("{id}") {
                r.insert("404".into(), error("Rien de public à cet identifiant."));
            }
        }
        paths.insert(
            endpoint.path.to_owned(),
            json!({ "get": {
                "operationId": format!("get{}", if operation_id.is_empty() { "_index".to_owned() } else { operation_id }),
                "summary": endpoint.summary,
                "description": endpoint.description,
                "parameters": parameters,
                "responses": responses,
            } }),
        );
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "API publique d’encommun",
            "version": "1.0.0",
            "description": "Ce que la plateforme montre à tous ses visiteurs, en JSON : rien de privé. Listes par pages de 100 au plus (curseur opaque `next`), ETag et Last-Modified (304), CORS pour la lecture, quota par adresse (en-têtes RateLimit-*), erreurs en JSON et en français.",
            "license": { "name": "Licence Ouverte / Open Licence 2.0", "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" },
        },
        "servers": [{ "url": base_url.trim_end_matches('/') }],
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "parameters": {
                "limit": { "name": "limit", "in": "query", "required": false,
                    "description": format!("Éléments par page, de 1 à {MAX_LIMIT} ({DEFAULT_LIMIT} par défaut)."),
                    "schema": { "type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT } },
                "cursor": { "name": "cursor", "in": "query", "required": false,
                    "description": "Où reprendre : la valeur donnée dans l’adresse `next` de la page précédente.",
                    "schema": string() },
            },
        },
    })
}

pub async fn openapi(req: HttpRequest, state: actix_web::web::Data<AppState>) -> HttpResponse {
    let base_url = state.config.base_url.clone();
    answer(&req, &state, async move { Ok(Reply::item(document(&base_url), None)) }).await
}

/// The human page: what the API offers, how to page, cache and count, and an example of each answer.
pub async fn documentation(ctx: PageCtx) -> Markup {
    page(
        &ctx,
        "API publique",
        html! {
            h1 { "API publique" }
            p class="lead" { "Ce que la plateforme montre à tous ses visiteurs, en JSON, pour vos cartes, vos tableaux de bord et vos recherches : les thèmes, les projets, les plans d’action adoptés, les restitutions, les retours d’expérience, l’annuaire, l’inspiration et les cartes publiques des diagnostics (en GeoJSON). Rien de ce qui est réservé à un groupe n’y figure." }
            ul {
                li { "Le document OpenAPI 3.1 : " a href={ (BASE) "/openapi.json" } { (BASE) "/openapi.json" } " (pour générer un client)." }
                li { "Les données sont sous " a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/" { "Licence Ouverte 2.0" } " : réutilisez-les en citant la source." }
            }
            h2 { "Principes" }
            dl class="facts" {
                dt { "Pages" } dd { "Les listes rendent " (DEFAULT_LIMIT) " éléments (" code { "limit" } " jusqu’à " (MAX_LIMIT) ") et l’adresse de la suite dans " code { "next" } " (et l’en-tête " code { "Link" } ") ; " code { "null" } " à la dernière page." }
                dt { "Cache" } dd { "Chaque réponse porte " code { "ETag" } " et, quand on la connaît, " code { "Last-Modified" } " : renvoyez-les dans " code { "If-None-Match" } " ou " code { "If-Modified-Since" } " pour recevoir " code { "304" } " sans corps quand rien n’a changé." }
                dt { "Quota" } dd { "Les en-têtes " code { "RateLimit-Limit" } ", " code { "RateLimit-Remaining" } " et " code { "RateLimit-Reset" } " disent où vous en êtes ; au-delà, " code { "429" } " et " code { "Retry-After" } "." }
                dt { "Navigateurs" } dd { "CORS permet la lecture depuis n’importe quel site." }
                dt { "Erreurs" } dd { "En JSON et en français : " code { (example("Error").to_string()) } }
            }
            h2 { "Adresses" }
            @for endpoint in &ENDPOINTS {
                section aria-labelledby={ "api-" (endpoint.path.replace(['/', '{', '}', '.'], "-")) } {
                    h3 id={ "api-" (endpoint.path.replace(['/', '{', '}', '.'], "-")) } { code { "GET " (endpoint.path) } }
                    p { strong { (endpoint.summary) } " — " (endpoint.description) }
                    @if endpoint.schema != "OpenApi" {
                        details {
                            summary { "Exemple de réponse" }
                            pre class="example" tabindex="0" { (serde_json::to_string_pretty(&response_example(endpoint)).unwrap_or_default()) }
                        }
                    }
                }
            }
        },
    )
}

//! The public read API, as `web::api`: pages by cursor, `ETag` and `Last-Modified` answered by `304`, CORS,
//! quotas and French JSON errors; the OpenAPI document holding every route, its examples and the real answers to
//! their schemas; and, table-driven over the demo's private items, nothing private in any answer.

use std::collections::BTreeSet;

use diesel::prelude::*;
use encommun::demo::{DEMO_ACCOUNTS, DEMO_PASSWORD};
use encommun::storage::schema::{events, map_entries, measurements, posts, public_maps, restitution_quotes, users};
use encommun::web::api::spec::{response_example, ENDPOINTS};
use encommun::web::route_list;
use serde_json::Value;

use crate::fixtures;
use crate::helpers::{spawn_app_with, with_conn, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    lists_are_paged_by_cursor_and_cached_by_validators,
    every_route_is_documented_and_every_answer_matches_its_schema,
    nothing_private_reaches_the_api
);

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("JSON attendu ({e}) : {body}"))
}

/// Every item of a list, following `next` from page to page.
async fn all_items(app: &TestApp, first: &str) -> Vec<Value> {
    let client = app.client();
    let mut items = Vec::new();
    let mut next = Some(first.to_owned());
    while let Some(path) = next {
        let page = client.get(&path).await;
        page.assert_status(200);
        let body = json(&page.body);
        items.extend(body["data"].as_array().unwrap().iter().cloned());
        next = body["next"].as_str().map(str::to_owned);
        assert_eq!(page.headers.contains_key("link"), next.is_some(), "Link says the same as next");
    }
    items
}

async fn lists_are_paged_by_cursor_and_cached_by_validators(app: TestApp) {
    app.load_demo();
    let client = app.client();
    // Pages of one: every theme once, in order, then the end.
    let one_by_one = all_items(&app, "/api/v1/themes?limit=1").await;
    let whole = json(&client.get("/api/v1/themes?limit=100").await.body);
    let ids = |items: &[Value]| items.iter().map(|i| i["id"].as_i64().unwrap()).collect::<Vec<_>>();
    assert_eq!(ids(&one_by_one), ids(whole["data"].as_array().unwrap()));
    assert!(one_by_one.len() >= 4, "the demo's published themes");
    assert!(whole["next"].is_null());
    // Bad parameters: a French JSON error naming the parameter.
    for (path, says) in [
        ("/api/v1/themes?limit=0", "« limit » va de 1 à 100"),
        ("/api/v1/themes?limit=101", "« limit » va de 1 à 100"),
        ("/api/v1/reports?limit=dix", "« limit »"),
        ("/api/v1/directory?cursor=42", "Le curseur « 42 » n’est pas valable"),
    ] {
        let page = client.get(path).await;
        page.assert_status(400);
        let body = json(&page.body);
        assert_eq!(body["erreur"]["statut"], 400);
        assert!(body["erreur"]["message"].as_str().unwrap().contains(says), "{path}: {}", page.body);
    }
    for path in ["/api/v1/themes/999999", "/api/v1/themes/abc", "/api/v1/reports/3", "/api/v1/nulle-part"] {
        let page = client.get(path).await;
        page.assert_status(404);
        assert_eq!(json(&page.body)["erreur"]["code"], "introuvable", "{path}");
        assert_eq!(page.headers.get("content-type").map(String::as_str), Some("application/json; charset=utf-8"));
    }
    // Validators: the same answer again is 304 without a body, by its ETag or its date.
    let first = client.get("/api/v1/directory").await;
    first.assert_status(200);
    let etag = first.headers.get("etag").cloned().expect("an ETag");
    let modified = first.headers.get("last-modified").cloned().expect("a Last-Modified");
    assert_eq!(first.headers.get("access-control-allow-origin").map(String::as_str), Some("*"));
    assert_eq!(first.headers.get("cache-control").map(String::as_str), Some("public, max-age=60"));
    let again = client.get_with("/api/v1/directory", &[("If-None-Match", &etag)]).await;
    again.assert_status(304);
    assert!(again.body.is_empty());
    assert_eq!(again.headers.get("etag"), Some(&etag));
    client.get_with("/api/v1/directory", &[("If-Modified-Since", &modified)]).await.assert_status(304);
    client.get_with("/api/v1/directory", &[("If-None-Match", "\"autre\"")]).await.assert_status(200);
    // Once the directory changes (a proposal published), the old ETag no longer holds.
    let admin = app.client();
    admin.login(DEMO_ACCOUNTS[0].email, DEMO_PASSWORD).await.assert_status(303);
    admin.submit("/annuaire/3", "/annuaire/3/moderation", &[("decision", "publish")]).await.assert_status(303);
    let changed = client.get_with("/api/v1/directory", &[("If-None-Match", &etag)]).await;
    changed.assert_status(200);
    assert_ne!(changed.headers.get("etag"), Some(&etag));
    assert_eq!(json(&changed.body)["data"].as_array().unwrap().len(), 3);
    client.get("/api/v1/directory/3").await.assert_status(200);
    // A browser's preflight from another site.
    let preflight = client.options("/api/v1/themes").await;
    preflight.assert_status(204);
    assert_eq!(preflight.headers.get("access-control-allow-methods").map(String::as_str), Some("GET, HEAD, OPTIONS"));
}

#[actix_web::test]
async fn a_spent_quota_is_told_and_refused_in_json() {
    let app = spawn_app_with(Backend::Sqlite, |config| config.api_requests_per_minute = 3).await;
    let client = app.client();
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let page = client.get("/api/v1").await;
        page.assert_status(200);
        assert_eq!(page.headers.get("ratelimit-limit").map(String::as_str), Some("3"));
        remaining.push(page.headers["ratelimit-remaining"].clone());
    }
    assert_eq!(remaining, ["2", "1", "0"]);
    let refused = client.get("/api/v1/themes").await;
    refused.assert_status(429);
    assert!(refused.headers.get("retry-after").is_some_and(|s| s.parse::<u64>().unwrap() <= 60));
    assert!(json(&refused.body)["erreur"]["message"].as_str().unwrap().starts_with("Trop de requêtes"));
    // The site's pages are not counted.
    client.get("/themes").await.assert_status(200);
}

/// Checks `value` against a JSON Schema (the subset the API's schemas use: type, properties, required, items,
/// enum, oneOf, $ref to the components); returns what does not match.
fn check(value: &Value, schema: &Value, components: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(name) = schema["$ref"].as_str() {
        let name = name.trim_start_matches("#/components/schemas/");
        return check(value, &components[name], components, at, errors);
    }
    if let Some(options) = schema["oneOf"].as_array() {
        let matching = options
            .iter()
            .filter(|option| {
                let mut inner = Vec::new();
                check(value, option, components, at, &mut inner);
                inner.is_empty()
            })
            .count();
        if matching != 1 {
            errors.push(format!("{at}: {matching} options of oneOf match"));
        }
        return;
    }
    let type_of = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let allowed: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let actual = type_of(value);
    let fits = allowed.is_empty() || allowed.contains(&actual) || (actual == "integer" && allowed.contains(&"number"));
    if !fits {
        errors.push(format!("{at}: {actual} where {allowed:?} is expected"));
        return;
    }
    if let Some(values) = schema["enum"].as_array() {
        if !values.contains(value) {
            errors.push(format!("{at}: {value} is not one of {values:?}"));
        }
    }
    if let (Some(object), Some(properties)) = (value.as_object(), schema["properties"].as_object()) {
        for required in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            if !object.contains_key(required) {
                errors.push(format!("{at}: « {required} » is missing"));
            }
        }
        for (key, inner) in object {
            match properties.get(key) {
                Some(property) => check(inner, property, components, &format!("{at}.{key}"), errors),
                None => errors.push(format!("{at}: « {key} » is not in the schema")),
            }
        }
    }
    if let (Some(items), Some(item_schema)) = (value.as_array(), schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            check(item, item_schema, components, &format!("{at}[{i}]"), errors);
        }
    }
}

async fn every_route_is_documented_and_every_answer_matches_its_schema(app: TestApp) {
    app.load_demo();
    let served = app.client().get("/api/v1/openapi.json").await;
    served.assert_status(200);
    let document: Value = json(&served.body);
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(document["paths"], encommun::web::api::spec::document("http://127.0.0.1")["paths"]);
    // Every route of the API in the document, and nothing else.
    let routes: BTreeSet<&str> =
        route_list().into_iter().map(|(_, p)| p).filter(|p| p.starts_with("/api/v1") && !p.contains(':')).collect();
    let documented: BTreeSet<&str> = document["paths"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(routes, documented);
    let components = &document["components"]["schemas"];
    let schema_of = |endpoint: &encommun::web::api::spec::Endpoint| {
        document["paths"][endpoint.path]["get"]["responses"]["200"]["content"][endpoint.media_type()]["schema"].clone()
    };
    for endpoint in &ENDPOINTS {
        // Its example holds to its schema…
        let mut errors = Vec::new();
        check(&response_example(endpoint), &schema_of(endpoint), components, endpoint.path, &mut errors);
        assert!(errors.is_empty(), "example of {}: {errors:?}", endpoint.path);
        // …and so does the real answer, on the demo.
        let path = endpoint.path.replace("{id}", if endpoint.path.starts_with("/api/v1/projects") { "2" } else { "1" });
        let page = app.client().get(&path).await;
        page.assert_status(200);
        let mut errors = Vec::new();
        check(&json(&page.body), &schema_of(endpoint), components, &path, &mut errors);
        assert!(errors.is_empty(), "answer of {path}: {errors:?}");
        if endpoint.list {
            assert!(!json(&page.body)["data"].as_array().unwrap().is_empty(), "the demo has something at {path}");
        }
    }
    // A schema that says nothing would hold anything: a wrong answer is caught.
    let mut errors = Vec::new();
    check(&serde_json::json!({ "id": "un" }), &components["Theme"], components, "Theme", &mut errors);
    assert!(errors.len() > 3, "{errors:?}");
}

async fn nothing_private_reaches_the_api(app: TestApp) {
    app.load_demo();
    // A quote shortened by the group, as the restitution's chooser lets it: the answer's original stays inside.
    with_conn(&app, fixtures::shorten_a_quote);
    // What the demo keeps inside, by where it lives: each must be absent from every answer.
    let mut private: Vec<(String, String)> = vec![
        ("a proposed theme".into(), "Tiers-lieux et services publics de proximité".into()),
        ("a proposed report".into(), "Une conférence citoyenne sur l’alimentation".into()),
        ("a proposed actor".into(), "Blois Citoyens".into()),
    ];
    with_conn(&app, |conn| {
        for title in posts::table.filter(posts::is_public.eq(false)).select(posts::title).load::<String>(conn).unwrap()
        {
            private.push(("news for the participants".into(), title));
        }
        // An event's place may be public elsewhere (a published restitution invites to its meetings); what was
        // said and noted there is not.
        let event_texts: Vec<(String, Option<String>)> =
            events::table.select((events::description, events::minutes)).load(conn).unwrap();
        for (description, minutes) in event_texts {
            for text in [Some(description), minutes].into_iter().flatten().filter(|t| t.len() > 12) {
                private.push(("an event's description or minutes".into(), text));
            }
        }
        let quotes: Vec<(String, String)> = restitution_quotes::table
            .select((restitution_quotes::original, restitution_quotes::text))
            .load(conn)
            .unwrap();
        for (original, text) in quotes.into_iter().filter(|(o, t)| o != t) {
            assert!(!text.is_empty());
            private.push(("a quote's original answer".into(), original));
        }
        let comments: Vec<String> = measurements::table.select(measurements::comment).load(conn).unwrap();
        for comment in comments.into_iter().filter(|c| c.len() > 3) {
            private.push(("a measurement's comment".into(), comment));
        }
        let authors: Vec<String> = measurements::table
            .inner_join(users::table.on(measurements::entered_by.eq(users::id.nullable())))
            .select(users::display_name)
            .distinct()
            .load(conn)
            .unwrap();
        for name in authors {
            private.push(("who entered a measurement".into(), name));
        }
        // Diagnostic sheets: their contacts and resources, those not published, those of maps not public.
        let public: Vec<(i64, i64)> =
            public_maps::table.select((public_maps::project_id, public_maps::collectivity_id)).load(conn).unwrap();
        let sheets: Vec<(i64, i64, String, String, String, String)> = map_entries::table
            .select((
                map_entries::project_id,
                map_entries::collectivity_id,
                map_entries::name,
                map_entries::status,
                map_entries::contact,
                map_entries::resources,
            ))
            .load(conn)
            .unwrap();
        for (project, collectivity, name, status, contact, resources) in sheets {
            for (what, text) in [("a sheet's contact", contact), ("a sheet's resources", resources)] {
                if !text.is_empty() {
                    private.push((what.into(), text));
                }
            }
            if status != "published" {
                private.push(("a sheet not published".into(), name));
            } else if !public.contains(&(project, collectivity)) {
                private.push(("a sheet of a map not public".into(), name));
            }
        }
    });
    let kinds: BTreeSet<&str> = private.iter().map(|(what, _)| what.as_str()).collect();
    assert!(kinds.len() >= 10, "the demo holds every kind of private item: {kinds:?}");
    // Every answer of every list, page after page, and the projects' own lists.
    let mut answers = String::new();
    for endpoint in ENDPOINTS.iter().filter(|e| e.list) {
        for project in ["1", "2"] {
            let path = format!("{}?limit=100", endpoint.path.replace("{id}", project));
            for item in all_items(&app, &path).await {
                answers.push_str(&item.to_string());
            }
            if !endpoint.path.contains("{id}") {
                break;
            }
        }
    }
    // Every public map's GeoJSON.
    for map in all_items(&app, "/api/v1/maps?limit=100").await {
        let page = app.client().get(map["geojson"].as_str().unwrap()).await;
        page.assert_status(200);
        answers.push_str(&page.body);
    }
    assert!(answers.contains("Centre socioculturel d’Ozon"), "the demo's public map is read");
    // JSON escapes nothing of these texts but quotes and line breaks: compare on both sides as JSON strings.
    for (what, text) in &private {
        let as_json = Value::String(text.clone()).to_string();
        let inner = &as_json[1..as_json.len() - 1];
        assert!(!answers.contains(inner), "the API shows {what}: {text}");
    }
    // The Agglopolys plan being written is not among the adopted plans.
    let plans = all_items(&app, "/api/v1/plans").await;
    assert!(plans.iter().all(|p| p["territory"]["name"] != "Agglopolys"), "a plan not adopted");
    assert!(!plans.is_empty());
}

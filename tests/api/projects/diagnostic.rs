//! The diagnostic of a territory: identity sheets placed in their commune by their point, relations and the
//! network's readings, sources with anonymised notes, moderation of what participants propose, imports of the
//! real France services and town hall files with a column mapping, GeoJSON points in Lambert-93, and exports.

use encommun::domain::account::Function;
use encommun::domain::diagnostic::{EntryKind, NewEntry, NewRelation, SheetFields};
use encommun::domain::territory::TerritoryKind;
use encommun::import::boundaries::import_boundaries;
use encommun::import::territories::{import_files, parse_file, ImportOptions};
use encommun::storage::diagnostic::{
    add_relation, entries_of_territory, find_entry, insert_entry, relations_of_territory, review, Author, Place,
    Reviewed,
};
use encommun::storage::territories::{find_territory, find_territory_by_id};

use crate::fixtures::{self, logged_in};
use crate::helpers::{shared_data, with_conn, Client, Page, TestApp, NATIONAL_FILES};
use crate::on_both_backends;

on_both_backends!(
    sheets_relations_and_sources_make_the_territory_diagnostic,
    what_participants_propose_waits_for_the_provider,
    real_files_import_through_a_column_mapping_whole_or_not_at_all,
    a_relation_entered_at_once_from_both_ends_and_a_decision_taken_twice_settle_once,
    an_upload_names_the_line_of_its_bad_row_with_either_line_ending,
);

const ADMIN: &str = "agence@exemple.fr";
const REFERENT: &str = "referente@agglopolys.exemple.fr";
const PROVIDER: &str = "prestataire@exemple.fr";
const CAHORS_MEMBER: &str = "elu@grand-cahors.exemple.fr";

/// Grand Angoulême's diagnostic before the tests add theirs.
const ANGOULEME_SHEETS: &[encommun::demo::DemoSheet] = &[
    (EntryKind::Actor, "Service démocratie locale", "services_collectivite", "citizen", "", None),
    (EntryKind::Actor, "Épicerie sociale du quartier", "associations", "thematic", "", None),
    (EntryKind::Space, "France services Basseau", "france_services", "citizen", "", Some((45.6482142, 0.1179563))),
];

/// A project in enrolment in which Agglopolys (its referent an elected member) and Grand Angoulême (with a
/// diagnostic of three sheets) participate; a provider not assigned yet, a member of Grand Cahors (not enrolled),
/// the agency.
fn project(app: &TestApp) {
    with_conn(app, |conn| {
        fixtures::territories(conn);
        fixtures::outlines(conn);
        let admin = fixtures::agency_admin(conn, ADMIN, "Claire Dubois");
        let agglopolys = fixtures::collectivity(conn, TerritoryKind::Epci, AGGLOPOLYS);
        agglopolys.person(conn, REFERENT, "Sophie Martin", Function::Elu, true);
        let angouleme = fixtures::collectivity(conn, TerritoryKind::Epci, ANGOULEME);
        fixtures::collectivity(conn, TerritoryKind::Epci, "200023737").member(conn, CAHORS_MEMBER, "Jean Lacombe");
        fixtures::provider(conn, "Coopérative des essais").member(conn, PROVIDER, "Amandine Roux");
        let project = fixtures::project(conn, &admin).participant(&agglopolys).participant(&angouleme).create();
        fixtures::diagnostic(conn, &project, &angouleme, &admin).sheets(ANGOULEME_SHEETS).create();
    });
}

/// The project and the collectivity of one of its participants (by SIREN).
fn place(app: &TestApp, siren: &str) -> Place {
    with_conn(app, |conn| {
        let project_id = encommun::storage::projects::list_projects(conn).unwrap()[0].id;
        let territory = find_territory(conn, TerritoryKind::Epci, siren).unwrap().unwrap();
        let collectivity_id =
            encommun::storage::collectivities::find_collectivity_of_territory(conn, territory.id).unwrap().unwrap().id;
        Place { project_id, collectivity_id }
    })
}

const AGGLOPOLYS: &str = "200030385";
const ANGOULEME: &str = "200071827";

fn base(place: Place) -> String {
    format!("/projets/{}/diagnostic/{}", place.project_id, place.collectivity_id)
}

/// Adds a sheet through the form; returns its page's path.
async fn add_sheet(client: &Client, place: Place, kind: &str, fields: &[(&str, &str)]) -> String {
    let base = base(place);
    let mut all = vec![("kind", kind)];
    all.extend_from_slice(fields);
    let page = client.submit(&format!("{base}/fiches/nouvelle?type={kind}"), &format!("{base}/fiches"), &all).await;
    page.assert_status(303);
    page.location.clone().unwrap()
}

fn id_of(sheet: &str) -> String {
    sheet.rsplit('/').next().unwrap().to_owned()
}

async fn relate(client: &Client, sheet: &str, kind: &str, to: &str, intensity: &str) -> Page {
    client
        .submit(
            sheet,
            &format!("{sheet}/relations"),
            &[("kind", kind), ("to_id", &id_of(to)), ("intensity", intensity), ("note", "")],
        )
        .await
}

/// The agency assigns the provider to the project.
async fn assign_provider(app: &TestApp, admin: &Client, project_id: i64) {
    let provider_id = with_conn(app, |conn| encommun::storage::providers::list_providers(conn).unwrap()[0].id);
    let path = format!("/projets/{project_id}");
    admin
        .submit(&path, &format!("{path}/prestataire"), &[("provider_id", &provider_id.to_string())])
        .await
        .assert_redirect(&path);
}

async fn sheets_relations_and_sources_make_the_territory_diagnostic(app: TestApp) {
    let outlines = ["boundaries/communes-6-departements.geojson", "boundaries/epci-6-departements-dissolved.geojson"];
    let Some(data) = shared_data(&outlines) else { return };
    project(&app);
    with_conn(&app, |conn| {
        for file in outlines {
            import_boundaries(conn, &data.text(file)).unwrap();
        }
    });
    let admin = logged_in(&app, ADMIN).await;
    let agglopolys = place(&app, AGGLOPOLYS);
    let base = base(agglopolys);
    let overview = format!("/projets/{}/diagnostic", agglopolys.project_id);
    admin.get(&format!("/projets/{}", agglopolys.project_id)).await.assert_contains(&format!("href=\"{overview}\""));
    admin.get(&overview).await.assert_status(200).assert_contains(&format!("href=\"{base}\""));
    admin.get(&base).await.assert_status(200).assert_contains("Aucune fiche publiée pour l’instant.");

    // Five actors, a space; the town hall's point (from the directory) places it in Blois.
    let hall = add_sheet(
        &admin,
        agglopolys,
        "acteur",
        &[
            ("name", "Mairie de Blois"),
            ("category", "elus"),
            ("domain", "citizen"),
            ("description", "Conseil municipal et services de proximité."),
            ("lat", "47,588402"),
            ("lon", "1,33528"),
        ],
    )
    .await;
    let centre = add_sheet(
        &admin,
        agglopolys,
        "acteur",
        &[("name", "Centre social Mirabeau"), ("category", "equipements_publics"), ("domain", "citizen")],
    )
    .await;
    let association = add_sheet(
        &admin,
        agglopolys,
        "acteur",
        &[
            ("name", "Association Quartiers Nord"),
            ("category", "associations"),
            ("domain", "citizen"),
            ("lat", "47.6"),
            ("lon", "1.32"),
        ],
    )
    .await;
    let business = add_sheet(
        &admin,
        agglopolys,
        "acteur",
        &[("name", "Épicerie solidaire Le Panier"), ("category", "entreprises"), ("domain", "thematic")],
    )
    .await;
    let chamber = add_sheet(
        &admin,
        agglopolys,
        "acteur",
        &[
            ("name", "Chambre d’agriculture de Loir-et-Cher"),
            ("category", "chambres_consulaires"),
            ("domain", "thematic"),
        ],
    )
    .await;
    let hall_of_district = add_sheet(
        &admin,
        agglopolys,
        "espace",
        &[
            ("name", "Maison de quartier Kennedy"),
            ("category", "maison_quartier"),
            ("opening_hours", "Du lundi au vendredi : 9 h – 18 h"),
            ("accessibility", "Accès de plain-pied"),
            ("lat", "47.6016"),
            ("lon", "1.3187"),
        ],
    )
    .await;
    let page = admin.get(&hall).await;
    page.assert_status(200)
        .assert_contains("Mairie de Blois")
        .assert_contains("<dt>Commune</dt><dd>Blois (41018)</dd>")
        .assert_contains("Acteur · Élus · Engagement citoyen")
        .assert_contains("role=\"img\"");

    // Relations: the small graph of the domain's tests, through the forms.
    relate(&admin, &hall, "partenariat", &centre, "3").await.assert_status(303);
    relate(&admin, &centre, "echange", &association, "2").await.assert_status(303);
    relate(&admin, &centre, "financement", &business, "2").await.assert_status(303);
    relate(&admin, &association, "anime", &hall_of_district, "2").await.assert_status(303);
    relate(&admin, &business, "tension", &hall, "1").await.assert_status(303);
    // The same cooperation from the other end is the same relation; a kind that does not fit its end is refused.
    relate(&admin, &centre, "partenariat", &hall, "1")
        .await
        .assert_status(422)
        .assert_contains("Cette relation est déjà sur la carte.");
    relate(&admin, &hall, "financement", &hall_of_district, "1")
        .await
        .assert_status(422)
        .assert_contains("relie un acteur à un acteur");

    let page = admin.get(&base).await;
    page.assert_status(200)
        .assert_contains("<strong>5</strong> acteurs")
        .assert_contains("<strong>1</strong> espaces d’engagement")
        .assert_contains("<strong>5</strong> relations")
        // The map: perimeter and located markers; its table lists every sheet with its commune.
        .assert_contains("3 fiches situées sur 6")
        .assert_contains("class=\"map-outline\"")
        .assert_contains("<title>Mairie de Blois</title>")
        .assert_contains("Les fiches de la carte (6)")
        // The network's readings.
        .assert_contains(&format!("<a href=\"{centre}\">Centre social Mirabeau</a> : 3 relations"))
        .assert_contains(&format!("<a href=\"{chamber}\">Chambre d’agriculture de Loir-et-Cher</a></li>"))
        .assert_contains(&format!(
            "<a href=\"{business}\">Épicerie solidaire Le Panier</a> : 1 coopération avec l’autre domaine"
        ))
        .assert_contains("7 paires de familles sans coopération")
        .assert_contains("Élus et Entreprises");
    // Filters narrow the map and its table, without JavaScript.
    let filtered = admin.get(&format!("{base}?type=space")).await;
    filtered.assert_contains("1 fiche sur 6 correspondent aux filtres").assert_contains("Les fiches de la carte (1)");
    let filtered = admin.get(&format!("{base}?domaine=thematic&categorie=entreprises")).await;
    filtered.assert_contains("Les fiches de la carte (1)").assert_contains("Épicerie solidaire");

    // A source: interview notes must be anonymous; it links to the sheets it speaks of.
    let sources = format!("{base}/sources");
    let token = admin.get(&format!("{sources}/nouvelle")).await.csrf_token();
    let refused = admin
        .post(
            &sources,
            &[
                ("csrf_token", &token),
                ("kind", "interview"),
                ("title", "Entretien au centre social"),
                ("notes", "La directrice (06 12 34 56 78) souhaite un suivi."),
                ("mentions", &id_of(&centre)),
            ],
        )
        .await;
    refused
        .assert_status(422)
        .assert_contains("Les notes doivent être anonymes : retirez le numéro de téléphone « 06 12 34 56 78 »");
    let added = admin
        .post(
            &sources,
            &[
                ("csrf_token", &token),
                ("kind", "interview"),
                ("title", "Entretien au centre social"),
                ("happened_on", "2026-10-02"),
                ("people_met", "la directrice, 2 animateurs"),
                ("notes", "Le centre accueille 300 familles."),
                ("mentions", &id_of(&centre)),
                ("mentions", &id_of(&association)),
            ],
        )
        .await;
    added.assert_status(303);
    admin
        .get(added.location.as_deref().unwrap())
        .await
        .assert_contains("Le centre accueille 300 familles.")
        .assert_contains("Association Quartiers Nord");
    admin.get(&centre).await.assert_contains("Sources qui en parlent").assert_contains("Entretien au centre social");
    admin.get(&base).await.assert_contains("Sources (1)").assert_contains("parle de 2 fiches");

    // Exports: GeoJSON with a point per located sheet, CSV with every sheet.
    let geojson = admin.get(&format!("{base}/export.geojson")).await;
    geojson.assert_status(200);
    let collection: serde_json::Value = serde_json::from_str(&geojson.body).unwrap();
    let features = collection["features"].as_array().unwrap();
    assert_eq!(features.len(), 6);
    let hall_feature = features.iter().find(|f| f["properties"]["nom"] == "Mairie de Blois").unwrap();
    assert_eq!(hall_feature["geometry"]["coordinates"], serde_json::json!([1.33528, 47.588402]));
    assert_eq!(hall_feature["properties"]["nom_commune"], "Blois");
    assert_eq!(hall_feature["properties"]["categorie"], "Élus");
    assert_eq!(
        hall_feature["properties"]["marker-color"], "#E69F00",
        "simplestyle colour of the family, as on the map"
    );
    // The export follows the map's filters.
    let spaces = admin.get(&format!("{base}/export.geojson?type=space")).await;
    let spaces: serde_json::Value = serde_json::from_str(&spaces.body).unwrap();
    assert_eq!(spaces["features"].as_array().unwrap().len(), 1);
    admin.get(&format!("{base}?type=space")).await.assert_contains(&format!("href=\"{base}/export.csv?type=space\""));
    let csv = admin.get(&format!("/projets/{}/diagnostic/export.csv", agglopolys.project_id)).await;
    csv.assert_status(200);
    let mut reader =
        csv::ReaderBuilder::new().delimiter(b';').from_reader(csv.body.trim_start_matches('\u{feff}').as_bytes());
    // The project's export: these 6, and the sheets of Grand Angoulême's diagnostic.
    assert_eq!(reader.records().count(), 6 + ANGOULEME_SHEETS.len());

    // Deleting a sheet takes its relations with it.
    let token = admin.csrf().await;
    admin.post(&format!("{centre}/suppression"), &[("csrf_token", &token)]).await.assert_redirect(&base);
    admin
        .get(&base)
        .await
        .assert_contains("<strong>4</strong> acteurs")
        .assert_contains("<strong>2</strong> relations");
    admin.get(&centre).await.assert_status(404);

    // Another participant's diagnostic is its own; the comparison puts them side by side.
    let angouleme = place(&app, ANGOULEME);
    add_sheet(
        &admin,
        angouleme,
        "acteur",
        &[("name", "Élus de Grand Angoulême"), ("category", "elus"), ("domain", "citizen")],
    )
    .await;
    let page = admin.get(&overview).await;
    page.assert_contains("Acteurs par famille et par territoire").assert_contains("Coopération thématique");
    // A family the project adds is chosen on the next sheet.
    admin
        .submit(&overview, &format!("{overview}/familles"), &[("label", "Clubs sportifs")])
        .await
        .assert_redirect(&overview);
    admin
        .submit(&overview, &format!("{overview}/familles"), &[("label", "clubs sportifs")])
        .await
        .assert_status(422)
        .assert_contains("existe déjà");
    admin.get(&format!("{base}/fiches/nouvelle?type=acteur")).await.assert_contains(">Clubs sportifs</option>");
}

async fn what_participants_propose_waits_for_the_provider(app: TestApp) {
    project(&app);
    let admin = logged_in(&app, ADMIN).await;
    let agglopolys = place(&app, AGGLOPOLYS);
    assign_provider(&app, &admin, agglopolys.project_id).await;
    let provider = logged_in(&app, PROVIDER).await;
    let referent = logged_in(&app, REFERENT).await;
    let base = base(agglopolys);
    let queue = format!("/projets/{}/diagnostic/moderation", agglopolys.project_id);

    // The referent (a participant, not the provider) proposes: it waits, and only they and the provider see it.
    referent.get(&base).await.assert_contains("relu par le prestataire");
    let proposed = add_sheet(
        &referent,
        agglopolys,
        "objet",
        &[("name", "Conseil citoyen Blois Nord"), ("category", "conseil_citoyen")],
    )
    .await;
    let refused = add_sheet(
        &referent,
        agglopolys,
        "acteur",
        &[("name", "Un acteur en double"), ("category", "associations"), ("domain", "citizen")],
    )
    .await;
    referent.get(&proposed).await.assert_status(200).assert_contains("En attente de validation");
    referent
        .get(&base)
        .await
        .assert_contains("Vos propositions en attente (2)")
        .assert_contains("Aucune fiche publiée");
    admin.get(&base).await.assert_lacks("Conseil citoyen Blois Nord");
    referent.get(&queue).await.assert_status(403);
    let page = provider.get(&queue).await;
    page.assert_status(200)
        .assert_contains("Contributions à valider (2)")
        .assert_contains("proposée par Sophie Martin");

    // The provider publishes one, refuses the other with a note the author reads; a second decision changes nothing.
    let decide = |id: String, decision: &'static str, note: &'static str| {
        let (provider, queue) = (&provider, queue.clone());
        async move {
            provider
                .submit(&queue, &queue, &[("what", "fiche"), ("id", &id), ("decision", decision), ("note", note)])
                .await
        }
    };
    decide(id_of(&proposed), "publier", "").await.assert_redirect(&queue);
    decide(id_of(&refused), "refuser", "Déjà sur la carte sous un autre nom.").await.assert_redirect(&queue);
    provider.get(&queue).await.assert_contains("Rien à valider.");
    decide(id_of(&refused), "publier", "").await.assert_redirect(&queue);
    provider.get(&queue).await.assert_contains("Cette contribution a déjà été traitée.");
    referent
        .get(&refused)
        .await
        .assert_contains("Refusée")
        .assert_contains("Note du prestataire : Déjà sur la carte sous un autre nom.");
    admin.get(&refused).await.assert_status(200);
    admin.get(&base).await.assert_contains("Conseil citoyen Blois Nord").assert_lacks("Un acteur en double");

    // A relation proposed on a published sheet waits too; the provider's own contributions are published at once.
    let actor = add_sheet(
        &provider,
        agglopolys,
        "acteur",
        &[("name", "Ville de Blois"), ("category", "elus"), ("domain", "citizen")],
    )
    .await;
    relate(&referent, &actor, "porte", &proposed, "3").await.assert_status(303);
    referent.get(&actor).await.assert_contains("en attente de validation");
    provider
        .get(&queue)
        .await
        .assert_contains("Relations (1)")
        .assert_contains("Ville de Blois porte ou organise Conseil citoyen Blois Nord");
    // A member of Agglopolys's inquiry group, with an account, proposes a source; it waits like the rest.
    let group = format!("/projets/{}/groupes/{}", agglopolys.project_id, agglopolys.collectivity_id);
    referent
        .submit(
            &group,
            &format!("{group}/membres"),
            &[("display_name", "Inès"), ("category", "habitant"), ("email", "ines@exemple.fr")],
        )
        .await
        .assert_redirect(&group);
    let link = app.emails_to("ines@exemple.fr")[0].link_containing("/invitation/");
    let ines = app.client();
    ines.submit(
        &link,
        &link,
        &[
            ("display_name", "Inès"),
            ("password", "une phrase assez longue"),
            ("password_confirmation", "une phrase assez longue"),
        ],
    )
    .await
    .assert_redirect(&group);
    ines.get(&base)
        .await
        .assert_status(200)
        .assert_contains("relu par le prestataire")
        .assert_lacks("Importer un fichier");
    let token = ines.get(&format!("{base}/sources/nouvelle")).await.csrf_token();
    ines.post(
        &format!("{base}/sources"),
        &[
            ("csrf_token", &token),
            ("kind", "observation"),
            ("title", "Le marché du samedi"),
            ("notes", "Beaucoup de familles, peu de jeunes."),
        ],
    )
    .await
    .assert_status(303);
    provider
        .get(&queue)
        .await
        .assert_contains("Sources (1)")
        .assert_contains("Le marché du samedi")
        .assert_contains("proposée par Inès");
    ines.get(&format!("{base}/import")).await.assert_status(403);
    // Someone outside the project sees nothing of it.
    let outsider = logged_in(&app, CAHORS_MEMBER).await;
    outsider.get(&base).await.assert_status(403);
    outsider.get(&actor).await.assert_status(403);
}

/// Posts a file of `kind` (« acteur » or « espace ») to the import form at `path`.
async fn upload(client: &Client, path: &str, kind: &str, name: &str, data: &str) -> Page {
    client.upload(path, path, &[("type", kind)], name, data.as_bytes()).await
}

/// Sends the mapping as suggested by the page, with the given choices.
async fn confirm(client: &Client, mapping: &str, extra: &[(&str, &str)]) -> Page {
    let page = client.get(mapping).await;
    page.assert_status(200);
    let mut fields: Vec<(String, String)> = vec![("csrf_token".into(), page.csrf_token())];
    // Each column's select, with its selected option.
    for chunk in page.body.split("<select id=\"colonne-").skip(1) {
        let index: String = chunk.chars().take_while(char::is_ascii_digit).collect();
        let select = &chunk[..chunk.find("</select>").unwrap()];
        let chosen = select
            .split("<option ")
            .find(|o| o.contains(" selected"))
            .and_then(|o| o.split("value=\"").nth(1))
            .map(|v| v.split('"').next().unwrap().to_owned())
            .unwrap_or_default();
        fields.push((format!("colonne-{index}"), chosen));
    }
    let kind = page.body.split("name=\"type\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    fields.push(("type".into(), kind));
    for (k, v) in extra {
        fields.retain(|(key, _)| key != k);
        fields.push((k.to_string(), v.to_string()));
    }
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    client.post(mapping.split('?').next().unwrap(), &borrowed).await
}

async fn real_files_import_through_a_column_mapping_whole_or_not_at_all(app: TestApp) {
    let places = [
        "boundaries/communes-6-departements.geojson",
        "places/france-services-2024-08-01.csv",
        "places/mairies-6-departements.csv",
        "anct/epci-points-lambert93.geojson",
    ];
    let Some(data) = shared_data(&[&NATIONAL_FILES[..], &places].concat()) else { return };
    let shared = |file: &str| data.text(file);
    project(&app);
    let files: Vec<_> = NATIONAL_FILES.iter().map(|f| parse_file(&data.path(f)).unwrap()).collect();
    with_conn(&app, |conn| {
        import_files(conn, &files, &ImportOptions { skip_invalid: false }, &mut |_| {}, &mut |_| {}).unwrap();
        import_boundaries(conn, &shared("boundaries/communes-6-departements.geojson")).unwrap();
    });
    let admin = logged_in(&app, ADMIN).await;
    let agglopolys = place(&app, AGGLOPOLYS);
    let import = format!("{}/import", base(agglopolys));

    // France services (quoted fields spanning lines, hours per weekday): the 6 of Agglopolys's 43 communes.
    let page = upload(
        &admin,
        &import,
        "espace",
        "france-services-2024-08-01.csv",
        &shared("places/france-services-2024-08-01.csv"),
    )
    .await;
    page.assert_status(303);
    let mapping = page.location.clone().unwrap();
    let form = admin.get(&mapping).await;
    form.assert_contains("2845 lignes, 24 colonnes")
        .assert_contains("<option value=\"horaires\" selected>Horaires</option>");
    confirm(&admin, &mapping, &[("categorie", "france_services"), ("domaine", "citizen"), ("dans_le_territoire", "1")])
        .await
        .assert_redirect(&base(agglopolys));
    admin.get(&base(agglopolys)).await.assert_contains("Import terminé : 6 fiche(s) ajoutée(s), 0 mise(s) à jour ; 2839 ligne(s) hors du territoire laissée(s) de côté.");
    let entries = with_conn(&app, |conn| entries_of_territory(conn, agglopolys).unwrap());
    assert_eq!(entries.len(), 6);
    let pimms = entries.iter().find(|e| e.external_id.as_deref() == Some("250")).unwrap();
    assert_eq!(pimms.name, "France services Pimms Médiation de Blois");
    assert_eq!(pimms.address, "133 Rue Michel Bégon, 41000, Blois");
    let agglopolys_territory =
        with_conn(&app, |conn| find_territory(conn, TerritoryKind::Epci, AGGLOPOLYS).unwrap().unwrap().id);
    assert_eq!((pimms.epci_id, pimms.departement_code.as_deref()), (Some(agglopolys_territory), Some("41")));
    assert_eq!((pimms.lat, pimms.lon), (Some(47.59411), Some(1.309648)));
    assert!(
        pimms.opening_hours.starts_with("Lundi : 13:30 - 17:30\nMardi : 09:00 - 12:00 / 13:30 - 17:30"),
        "{}",
        pimms.opening_hours
    );
    assert_eq!(pimms.contact, "Mail : blois@pimmsmediation.fr\nTelephone : 02 54 45 34 54");
    // The project's activity tells the participants.
    admin
        .get(&format!("/projets/{}", agglopolys.project_id))
        .await
        .assert_contains("6 fiche(s) importée(s), 0 mise(s) à jour (espaces d’engagement).");
    // Once imported, the mapping page (a reload, the form sent again) leads back to the diagnostic.
    let again = admin.get(&mapping).await;
    again.assert_status(303);
    assert!(again.location.as_deref().is_some_and(|l| l.contains("/diagnostic/")), "{:?}", again.location);

    // The whole national file into Grand Angoulême's diagnostic, then again: the identifier updates, nothing doubles.
    let angouleme = place(&app, ANGOULEME);
    let import_angouleme = format!("{}/import", base(angouleme));
    for expected in ["2845 fiche(s) ajoutée(s), 0 mise(s) à jour", "0 fiche(s) ajoutée(s), 2845 mise(s) à jour"] {
        let page =
            upload(&admin, &import_angouleme, "espace", "fs.csv", &shared("places/france-services-2024-08-01.csv"))
                .await;
        let mapping = page.location.clone().unwrap();
        confirm(&admin, &mapping, &[("categorie", "france_services")]).await.assert_redirect(&base(angouleme));
        admin.get(&base(angouleme)).await.assert_contains(expected);
    }
    let national: Vec<_> = with_conn(&app, |conn| entries_of_territory(conn, angouleme).unwrap())
        .into_iter()
        .filter(|e| e.external_id.is_some())
        .collect();
    assert_eq!(national.len(), 2845);
    // Every one in its current commune, the 32 whose code is an arrondissement's, a commune déléguée's or that of
    // a commune merged since included.
    assert!(national.iter().all(|e| e.commune_id.is_some() && e.departement_code.is_some()));
    let commune_of = |id_fs: &str| {
        let entry = national.iter().find(|e| e.external_id.as_deref() == Some(id_fs)).unwrap();
        with_conn(&app, |conn| find_territory_by_id(conn, entry.commune_id.unwrap()).unwrap().unwrap().code)
    };
    assert_eq!(commune_of("435"), "75056", "Paris 12e");
    assert_eq!(commune_of("280"), "49126", "Orée d’Anjou, code of a commune déléguée");
    // Exports carry the codes a join needs, and the file's own identifier.
    let csv = admin.get(&format!("{}/export.csv", base(angouleme))).await;
    csv.assert_contains("code_insee;nom_commune;siren_epci;nom_epci;departement")
        .assert_contains(";250;")
        .assert_contains(";41018;Blois;200030385;CA de Blois");
    let multi_line = national.into_iter().find(|e| e.external_id.as_deref() == Some("426")).unwrap();
    assert!(multi_line
        .description
        .starts_with("Sur rendez-vous les mardis, mercredis et jeudis matins au Lude \n\n\nPermanences"));

    // Town halls: hours in the directory's JSON become words; the 43 of Agglopolys by their INSEE code.
    let page =
        upload(&admin, &import, "espace", "mairies-6-departements.csv", &shared("places/mairies-6-departements.csv"))
            .await;
    let mapping = page.location.clone().unwrap();
    confirm(&admin, &mapping, &[("categorie", "mairie"), ("dans_le_territoire", "1")])
        .await
        .assert_redirect(&base(agglopolys));
    admin.get(&base(agglopolys)).await.assert_contains("Import terminé : 43 fiche(s) ajoutée(s)");
    let entries = with_conn(&app, |conn| entries_of_territory(conn, agglopolys).unwrap());
    let blois = entries.iter().find(|e| e.name == "Blois").unwrap();
    assert_eq!(blois.opening_hours, "Du lundi au vendredi : 8 h 30 – 17 h 30\nSamedi : 9 h 00 – 11 h 45");
    assert_eq!(blois.category, "mairie");

    // Point in polygon on known communes: the town halls of the six départements, placed by their point alone (the
    // INSEE code kept as the identifier, not used to place them), land in the commune of that code.
    let import_angouleme_halls = format!("{}/import", base(angouleme));
    let page =
        upload(&admin, &import_angouleme_halls, "espace", "mairies.csv", &shared("places/mairies-6-departements.csv"))
            .await;
    let mapping = page.location.clone().unwrap();
    confirm(&admin, &mapping, &[("colonne-0", "identifiant"), ("categorie", "mairie")])
        .await
        .assert_redirect(&base(angouleme));
    admin.get(&base(angouleme)).await.assert_contains("2135 fiche(s) ajoutée(s)");
    let (placed, right) = with_conn(&app, |conn| {
        let halls: Vec<_> =
            entries_of_territory(conn, angouleme).unwrap().into_iter().filter(|e| e.category == "mairie").collect();
        let mut right = 0;
        for hall in &halls {
            let Some(commune) = hall.commune_id else { continue };
            let commune = encommun::storage::territories::find_territory_by_id(conn, commune).unwrap().unwrap();
            right += usize::from(Some(commune.code) == hall.external_id);
        }
        (halls.len(), right)
    });
    assert_eq!(placed, 2135);
    // The 135 others: the directory's point lies outside its own commune's (simplified) outline — 80 of them on the
    // Pas-de-Calais coast and borders — as an independent ray-casting count over the same files also finds.
    assert_eq!(right, 2000, "town halls in the commune of their code");

    // EPCI seats as GeoJSON points in Lambert-93: recognised, converted, and Agglopolys's own placed in its territory.
    let page = upload(&admin, &import, "acteur", "epci.geojson", &shared("anct/epci-points-lambert93.geojson")).await;
    let mapping = page.location.clone().unwrap();
    admin.get(&mapping).await.assert_contains("longitude (géométrie)").assert_contains("1255 lignes");
    confirm(
        &admin,
        &mapping,
        &[
            ("colonne-2", "nom"),
            ("categorie", "services_collectivite"),
            ("domaine", "thematic"),
            ("dans_le_territoire", "1"),
        ],
    )
    .await
    .assert_redirect(&base(agglopolys));
    let entries = with_conn(&app, |conn| entries_of_territory(conn, agglopolys).unwrap());
    let seat =
        entries.iter().find(|e| e.name == "CA de Blois \"Agglopolys\"" || e.name.contains("Agglopolys")).unwrap();
    assert!((seat.lon.unwrap() - 1.33).abs() < 0.2 && (seat.lat.unwrap() - 47.59).abs() < 0.2, "{seat:?}");

    // Bad rows: each reported with its line, nothing written.
    let before = with_conn(&app, |conn| entries_of_territory(conn, agglopolys).unwrap().len());
    let bad = "id;nom;latitude;longitude;code_insee\n1;Tiers-lieu La Fabrique;47,59;1,33;41018\n2;;47.6;1.3;41018\n3;\"Café\ndes Halles\";nord;1.3;41018\n4;Marché;47.6;1.3;410\n";
    let page = upload(&admin, &import, "espace", "mauvais.csv", bad).await;
    let mapping = page.location.clone().unwrap();
    let page = confirm(&admin, &mapping, &[("categorie", "tiers_lieu")]).await;
    page.assert_status(422)
        .assert_contains("3 lignes empêchent l’import")
        .assert_contains("Ligne 3 : Le nom est obligatoire.")
        .assert_contains("Ligne 4 : « nord » / « 1.3 » ne sont pas des degrés décimaux")
        .assert_contains("Ligne 6 : « 410 » n’est pas un code INSEE");
    assert_eq!(with_conn(&app, |conn| entries_of_territory(conn, agglopolys).unwrap().len()), before);
    // A mapping without a name is refused before any row.
    confirm(&admin, &mapping, &[("categorie", "tiers_lieu"), ("colonne-1", "")])
        .await
        .assert_status(422)
        .assert_contains("au moins une colonne pour le nom");
    // A file that is not a table at all is refused at the upload.
    upload(&admin, &import, "espace", "vide.csv", "rien\n")
        .await
        .assert_status(422)
        .assert_contains("n’a qu’une colonne");
    // Files are kept a day — left at their mapping step, or imported (emptied) so that a mapping sent again lands
    // on the import —, then deleted.
    with_conn(&app, |conn| {
        use diesel::prelude::*;
        use encommun::storage::schema::pending_imports;
        assert_eq!(encommun::storage::pending_imports::forget_stale(conn).unwrap(), 0, "the bad file waits a day");
        let (kept, imported): (i64, i64) = (
            pending_imports::table.count().get_result(conn).unwrap(),
            pending_imports::table.filter(pending_imports::imported_at.is_not_null()).count().get_result(conn).unwrap(),
        );
        assert_eq!(kept, imported + 1, "the imported files and the bad one");
        assert!(imported >= 1);
        diesel::sql_query("UPDATE pending_imports SET created_at = '2000-01-01 00:00:00'").execute(conn).unwrap();
        assert_eq!(encommun::storage::pending_imports::forget_stale(conn).unwrap(), kept as usize);
    });
    admin.get(&mapping).await.assert_status(410);
    // The provider's exclusive: a participant cannot import.
    logged_in(&app, REFERENT).await.get(&import).await.assert_status(403);
}

/// The official communes file's first 100 lines and a bad row at line 101, with Windows or Unix line endings, with
/// a final line ending or without: the upload refuses the file at line 101.
async fn an_upload_names_the_line_of_its_bad_row_with_either_line_ending(app: TestApp) {
    project(&app);
    let admin = logged_in(&app, ADMIN).await;
    let import = format!("{}/import", base(place(&app, AGGLOPOLYS)));
    for (ending, final_ending) in [("\r\n", true), ("\r\n", false), ("\n", true), ("\n", false)] {
        let Some(head) = crate::territories::communes_head_with_a_bad_line_101(ending, final_ending) else { return };
        upload(&admin, &import, "espace", "communes.csv", &head)
            .await
            .assert_status(422)
            .assert_contains("Ligne 101 : 13 valeurs pour 12 colonnes");
    }
}

/// Eight people add the same cooperation at once, half of them from each end: one relation. Eight moderators decide
/// on the same proposal at once, half publishing, half refusing: one decision, the status of the one that won.
async fn a_relation_entered_at_once_from_both_ends_and_a_decision_taken_twice_settle_once(app: TestApp) {
    use std::sync::{Arc, Barrier};
    project(&app);
    let agglopolys = place(&app, AGGLOPOLYS);
    let admin = with_conn(&app, |conn| encommun::storage::users::find_user_by_email(conn, ADMIN).unwrap().unwrap().id);
    let publishes = Author { user_id: admin, publishes: true };
    let proposes = Author { user_id: admin, publishes: false };
    let sheet = |name: &str| {
        let fields = SheetFields {
            name: name.into(),
            category: "associations".into(),
            domain: "citizen".into(),
            ..SheetFields::default()
        };
        NewEntry::parse(EntryKind::Actor, &fields, &["associations".into()]).unwrap()
    };
    let (a, b, proposal) = with_conn(&app, |conn| {
        (
            insert_entry(conn, agglopolys, &sheet("Association A"), &Default::default(), None, publishes).unwrap(),
            insert_entry(conn, agglopolys, &sheet("Association B"), &Default::default(), None, publishes).unwrap(),
            insert_entry(conn, agglopolys, &sheet("Association proposée"), &Default::default(), None, proposes)
                .unwrap(),
        )
    });
    let racers = 8;
    let barrier = Arc::new(Barrier::new(racers));
    let handles: Vec<_> = (0..racers)
        .map(|i| {
            let url = app.config.database_url.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let mut conn = encommun::storage::establish(&url).unwrap();
                let (from, to) = if i % 2 == 0 { (a, b) } else { (b, a) };
                let relation =
                    NewRelation::parse((from, EntryKind::Actor), Some((to, EntryKind::Actor)), "partenariat", "2", "")
                        .unwrap();
                barrier.wait();
                let added = encommun::storage::write_transaction(&mut conn, |conn| {
                    add_relation(conn, agglopolys, &relation, publishes)
                })
                .unwrap();
                barrier.wait();
                let publish = i % 2 == 0;
                let decided = encommun::storage::write_transaction(&mut conn, |conn| {
                    review(conn, agglopolys.project_id, Reviewed::Entry, proposal, publish, "", admin)
                })
                .unwrap();
                (added.is_some(), decided.then_some(publish))
            })
        })
        .collect();
    let outcomes: Vec<(bool, Option<bool>)> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(outcomes.iter().filter(|(added, _)| *added).count(), 1, "{outcomes:?}");
    let decisions: Vec<bool> = outcomes.iter().filter_map(|(_, d)| *d).collect();
    assert_eq!(decisions.len(), 1, "{outcomes:?}");
    with_conn(&app, |conn| {
        assert_eq!(relations_of_territory(conn, agglopolys).unwrap().len(), 1);
        let status = find_entry(conn, proposal).unwrap().unwrap().status;
        assert_eq!(status, if decisions[0] { "published" } else { "rejected" });
    });
}

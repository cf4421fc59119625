//! The diagnostic of a participant territory (docs/product.md § Lifecycle, step 4): the actors, the engagement spaces
//! and the engagement objects found there, the relations between them and the sources that speak of them; what each
//! may hold, in which words, and what a contribution must satisfy.

use chrono::NaiveDate;

use super::text::{bounded_text, clean_line, errors_of};

/// What is mapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryKind {
    Actor,
    Space,
    Object,
}

impl EntryKind {
    pub const ALL: [EntryKind; 3] = [EntryKind::Actor, EntryKind::Space, EntryKind::Object];

    pub fn code(self) -> &'static str {
        match self {
            EntryKind::Actor => "actor",
            EntryKind::Space => "space",
            EntryKind::Object => "object",
        }
    }

    pub fn parse(code: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            EntryKind::Actor => "Acteur",
            EntryKind::Space => "Espace d’engagement",
            EntryKind::Object => "Objet d’engagement",
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            EntryKind::Actor => "acteurs",
            EntryKind::Space => "espaces d’engagement",
            EntryKind::Object => "objets d’engagement",
        }
    }

    /// The word in a URL or a form's "type" field.
    pub fn slug(self) -> &'static str {
        match self {
            EntryKind::Actor => "acteur",
            EntryKind::Space => "espace",
            EntryKind::Object => "objet",
        }
    }

    pub fn from_slug(slug: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// The label of the category field: a family for an actor, a type otherwise.
    pub fn category_label(self) -> &'static str {
        match self {
            EntryKind::Actor => "Famille d’acteurs",
            EntryKind::Space | EntryKind::Object => "Type",
        }
    }

    /// The label of the description field.
    pub fn description_label(self) -> &'static str {
        match self {
            EntryKind::Actor => "Missions",
            EntryKind::Space => "Usages",
            EntryKind::Object => "Ce que c’est, comment ça fonctionne",
        }
    }

    /// The built-in categories of spaces and objects (actors' families come from [`FAMILIES`] and the project).
    pub fn builtin_categories(self) -> &'static [(&'static str, &'static str)] {
        match self {
            EntryKind::Actor => FAMILIES,
            EntryKind::Space => SPACE_TYPES,
            EntryKind::Object => OBJECT_TYPES,
        }
    }
}

/// The two worlds the diagnostic explores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Domain {
    Citizen,
    Thematic,
}

impl Domain {
    pub const ALL: [Domain; 2] = [Domain::Citizen, Domain::Thematic];

    pub fn code(self) -> &'static str {
        match self {
            Domain::Citizen => "citizen",
            Domain::Thematic => "thematic",
        }
    }

    pub fn parse(code: &str) -> Option<Domain> {
        Domain::ALL.into_iter().find(|d| d.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Domain::Citizen => "Engagement citoyen",
            Domain::Thematic => "Coopération thématique",
        }
    }
}

/// Where a contribution stands. The provider and the agency publish directly; what others propose waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Published,
    Proposed,
    Rejected,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Published => "published",
            Status::Proposed => "proposed",
            Status::Rejected => "rejected",
        }
    }

    pub fn parse(code: &str) -> Status {
        match code {
            "published" => Status::Published,
            "rejected" => Status::Rejected,
            _ => Status::Proposed,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Published => "Publiée",
            Status::Proposed => "En attente de validation",
            Status::Rejected => "Refusée",
        }
    }
}

/// The built-in actor families. A project adds its own (stored, referred to as `f<id>`).
pub const FAMILIES: &[(&str, &str)] = &[
    ("elus", "Élus"),
    ("services_collectivite", "Services de la collectivité"),
    ("services_etat", "Services de l’État"),
    ("associations", "Associations"),
    ("collectifs_habitants", "Collectifs d’habitants"),
    ("entreprises", "Entreprises"),
    ("chambres_consulaires", "Chambres de commerce, d’agriculture, des métiers"),
    ("recherche", "Chercheurs et universités"),
    ("etablissements_scolaires", "Établissements scolaires"),
    ("bailleurs_sociaux", "Bailleurs sociaux"),
    ("equipements_publics", "Équipements publics"),
    ("autres_acteurs", "Autres acteurs"),
];

pub const SPACE_TYPES: &[(&str, &str)] = &[
    ("maison_quartier", "Maison de quartier, centre social"),
    ("tiers_lieu", "Tiers-lieu"),
    ("marche", "Marché"),
    ("ecole", "École, collège, lycée"),
    ("cafe", "Café, commerce de proximité"),
    ("salle_communale", "Salle communale, salle des fêtes"),
    ("parc", "Parc, jardin, place"),
    ("france_services", "France services"),
    ("mairie", "Mairie"),
    ("mediatheque", "Médiathèque, lieu culturel"),
    ("equipement_sportif", "Équipement sportif"),
    ("autre_espace", "Autre lieu"),
];

pub const OBJECT_TYPES: &[(&str, &str)] = &[
    ("conseil_citoyen", "Conseil citoyen"),
    ("budget_participatif", "Budget participatif"),
    ("comite_quartier", "Comité de quartier"),
    ("conseil_developpement", "Conseil de développement"),
    ("conseil_jeunes", "Conseil municipal des jeunes"),
    ("fete", "Fête, festival, événement"),
    ("association", "Association"),
    ("autre_objet", "Autre objet"),
];

/// The code of a family a project added.
pub fn project_family_code(id: i64) -> String {
    format!("f{id}")
}

/// What links two entries. Cooperation links actors; an actor runs or uses a space, carries or takes part in an
/// object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RelationKind {
    Partnership,
    Funding,
    Exchange,
    Tension,
    Runs,
    Uses,
    Carries,
    TakesPart,
}

impl RelationKind {
    pub const ALL: [RelationKind; 8] = [
        RelationKind::Partnership,
        RelationKind::Funding,
        RelationKind::Exchange,
        RelationKind::Tension,
        RelationKind::Runs,
        RelationKind::Uses,
        RelationKind::Carries,
        RelationKind::TakesPart,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RelationKind::Partnership => "partenariat",
            RelationKind::Funding => "financement",
            RelationKind::Exchange => "echange",
            RelationKind::Tension => "tension",
            RelationKind::Runs => "anime",
            RelationKind::Uses => "utilise",
            RelationKind::Carries => "porte",
            RelationKind::TakesPart => "participe",
        }
    }

    pub fn parse(code: &str) -> Option<RelationKind> {
        RelationKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            RelationKind::Partnership => "coopère avec (projet commun)",
            RelationKind::Funding => "finance ou est financé par",
            RelationKind::Exchange => "échange des informations avec",
            RelationKind::Tension => "est en tension avec",
            RelationKind::Runs => "anime ou gère",
            RelationKind::Uses => "utilise",
            RelationKind::Carries => "porte ou organise",
            RelationKind::TakesPart => "participe à",
        }
    }

    /// The kind of entry at the other end (the first end is always an actor).
    pub fn target(self) -> EntryKind {
        match self {
            RelationKind::Partnership | RelationKind::Funding | RelationKind::Exchange | RelationKind::Tension => {
                EntryKind::Actor
            }
            RelationKind::Runs | RelationKind::Uses => EntryKind::Space,
            RelationKind::Carries | RelationKind::TakesPart => EntryKind::Object,
        }
    }

    /// Whether the relation is a cooperation between actors (a tension is a relation, not a cooperation).
    pub fn is_cooperation(self) -> bool {
        matches!(self, RelationKind::Partnership | RelationKind::Funding | RelationKind::Exchange)
    }
}

pub const INTENSITIES: [(i32, &str); 3] = [(1, "Ponctuelle"), (2, "Régulière"), (3, "Forte, structurante")];

pub fn intensity_label(intensity: i32) -> &'static str {
    INTENSITIES.iter().find(|(i, _)| *i == intensity).map(|(_, l)| *l).unwrap_or("Régulière")
}

/// A relation as the form gives it, between the sheet's actor and another entry.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRelation {
    pub from_id: i64,
    pub to_id: i64,
    pub kind: RelationKind,
    pub intensity: i32,
    pub note: String,
}

impl NewRelation {
    /// `from` is an actor; `to` is the other entry with its kind. A cooperation is undirected: it is stored from
    /// the smaller id to the larger, so that A–B and B–A are the same relation.
    pub fn parse(
        from: (i64, EntryKind),
        to: Option<(i64, EntryKind)>,
        kind: &str,
        intensity: &str,
        note: &str,
    ) -> Result<NewRelation, Vec<(&'static str, String)>> {
        let kind = RelationKind::parse(kind).ok_or_else(|| "Choisissez la nature de la relation.".to_owned());
        let to = to.ok_or_else(|| "Choisissez l’acteur, l’espace ou l’objet relié.".to_owned());
        let intensity = intensity
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|i| (1..=3).contains(i))
            .ok_or_else(|| "Choisissez l’intensité de la relation.".to_owned());
        let note = clean_line(note)
            .ok_or_else(|| "La note contient des caractères non autorisés.".to_owned())
            .and_then(|n| bounded_text(&n, "La note", 0, 300));
        let mut target_error = None;
        if from.1 != EntryKind::Actor {
            target_error = Some("Une relation part toujours d’un acteur.".to_owned());
        } else if let (Ok(kind), Ok((to_id, to_kind))) = (&kind, &to) {
            if *to_id == from.0 {
                target_error = Some("Un acteur ne peut pas être relié à lui-même.".to_owned());
            } else if kind.target() != *to_kind {
                target_error = Some(format!(
                    "« {} » relie un acteur à un {} : choisissez une autre nature ou un autre élément.",
                    kind.label(),
                    kind.target().label().to_lowercase()
                ));
            }
        }
        match (kind, to, intensity, note, target_error) {
            (Ok(kind), Ok((to_id, _)), Ok(intensity), Ok(note), None) => {
                let (from_id, to_id) = if kind.is_cooperation() || kind == RelationKind::Tension {
                    (from.0.min(to_id), from.0.max(to_id))
                } else {
                    (from.0, to_id)
                };
                Ok(NewRelation { from_id, to_id, kind, intensity, note })
            }
            (kind, to, intensity, note, target_error) => Err(errors_of(vec![
                ("to_id", to.err().or(target_error)),
                ("kind", kind.err()),
                ("intensity", intensity.err()),
                ("note", note.err()),
            ])),
        }
    }
}

/// A point in WGS84.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Location {
    pub lon: f64,
    pub lat: f64,
}

impl Location {
    /// Reads a latitude and a longitude typed in decimal degrees, with a point or a French comma; both empty is
    /// no location.
    pub fn parse(lat: &str, lon: &str) -> Result<Option<Location>, String> {
        let (lat, lon) = (lat.trim(), lon.trim());
        if lat.is_empty() && lon.is_empty() {
            return Ok(None);
        }
        let number = |text: &str| text.replace(',', ".").parse::<f64>().ok().filter(|n| n.is_finite());
        match (number(lat), number(lon)) {
            (Some(lat), Some(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {
                Ok(Some(Location { lon, lat }))
            }
            (Some(_), Some(_)) => {
                Err("La latitude va de -90 à 90 et la longitude de -180 à 180 (degrés décimaux).".into())
            }
            _ if lat.is_empty() || lon.is_empty() => {
                Err("Donnez la latitude et la longitude, ou aucune des deux.".into())
            }
            _ => Err(format!("« {lat} » / « {lon} » ne sont pas des degrés décimaux (exemple : 47,5862 et 1,3359).")),
        }
    }
}

/// An identity sheet as the form or an import gives it. The fields a kind does not use stay empty.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SheetFields {
    pub name: String,
    pub category: String,
    pub domain: String,
    pub description: String,
    pub publics: String,
    pub resources: String,
    pub engagement: String,
    pub contact: String,
    pub links: String,
    pub address: String,
    pub opening_hours: String,
    pub accessibility: String,
    pub lat: String,
    pub lon: String,
}

/// A checked identity sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEntry {
    pub kind: EntryKind,
    pub name: String,
    pub category: String,
    pub domain: Domain,
    pub description: String,
    pub publics: String,
    pub resources: String,
    pub engagement: String,
    pub contact: String,
    pub links: String,
    pub address: String,
    pub opening_hours: String,
    pub accessibility: String,
    pub location: Option<Location>,
}

/// Longest free text of a sheet, in characters.
const LONG_TEXT: usize = 3000;

impl NewEntry {
    /// Checks a sheet. `categories` are the codes the kind accepts (built-in, plus the project's families for an
    /// actor). A space or an object without a domain is one of citizen engagement.
    pub fn parse(
        kind: EntryKind,
        fields: &SheetFields,
        categories: &[String],
    ) -> Result<NewEntry, Vec<(&'static str, String)>> {
        let mut errors: Vec<(&'static str, String)> = Vec::new();
        let domain = match (Domain::parse(&fields.domain), kind) {
            (Some(domain), _) => Some(domain),
            (None, EntryKind::Actor) => {
                errors.push((
                    "domain",
                    "Dites si l’acteur relève de l’engagement citoyen ou de la coopération thématique.".into(),
                ));
                None
            }
            (None, _) if fields.domain.trim().is_empty() => Some(Domain::Citizen),
            (None, _) => {
                errors.push(("domain", "Choisissez le domaine dans la liste.".into()));
                None
            }
        };
        let location = Location::parse(&fields.lat, &fields.lon).unwrap_or_else(|message| {
            errors.push(("lat", message));
            None
        });
        // Each text checked, its error kept under its field; an empty text stands in until the errors are returned.
        let mut text = |field: &'static str, checked: Result<String, String>| {
            checked.unwrap_or_else(|message| {
                errors.push((field, message));
                String::new()
            })
        };
        let line = |value: &str, what: &str| {
            clean_line(value)
                .ok_or_else(|| format!("{what} contient des caractères non autorisés."))
                .and_then(|t| bounded_text(&t, what, 0, 300))
        };
        let long = |value: &str, what: &str| bounded_text(value, what, 0, LONG_TEXT);
        let name = text(
            "name",
            clean_line(&fields.name)
                .ok_or_else(|| "Le nom contient des caractères non autorisés.".to_owned())
                .and_then(|n| bounded_text(&n, "Le nom", 2, 200)),
        );
        let category = text(
            "category",
            if categories.contains(&fields.category) {
                Ok(fields.category.clone())
            } else {
                Err(format!("Choisissez « {} » dans la liste.", kind.category_label().to_lowercase()))
            },
        );
        let entry = NewEntry {
            kind,
            name,
            category,
            domain: domain.unwrap_or(Domain::Citizen),
            description: text("description", long(&fields.description, kind.description_label())),
            publics: text("publics", long(&fields.publics, "Les publics touchés")),
            resources: text("resources", long(&fields.resources, "Les ressources")),
            engagement: text("engagement", long(&fields.engagement, "La façon d’associer les habitants")),
            contact: text("contact", long(&fields.contact, "Le contact")),
            links: text("links", long(&fields.links, "Les liens")),
            address: text("address", line(&fields.address, "L’adresse")),
            opening_hours: text("opening_hours", long(&fields.opening_hours, "Les horaires")),
            accessibility: text("accessibility", long(&fields.accessibility, "L’accessibilité")),
            location,
        };
        if errors.is_empty() {
            return Ok(entry);
        }
        // In the order of the form, as the error summary lists them.
        errors.sort_by_key(|(field, _)| SHEET_FIELDS.iter().position(|f| f == field));
        Err(errors)
    }
}

/// The sheet's fields in the order of its form.
const SHEET_FIELDS: [&str; 13] = [
    "name",
    "category",
    "domain",
    "description",
    "publics",
    "resources",
    "engagement",
    "contact",
    "links",
    "address",
    "opening_hours",
    "accessibility",
    "lat",
];

/// What a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Study,
    Indicator,
    Doleances,
    Interview,
    Observation,
}

impl SourceKind {
    pub const ALL: [SourceKind; 5] = [
        SourceKind::Study,
        SourceKind::Indicator,
        SourceKind::Doleances,
        SourceKind::Interview,
        SourceKind::Observation,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SourceKind::Study => "study",
            SourceKind::Indicator => "indicator",
            SourceKind::Doleances => "doleances",
            SourceKind::Interview => "interview",
            SourceKind::Observation => "observation",
        }
    }

    pub fn parse(code: &str) -> Option<SourceKind> {
        SourceKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Study => "Étude",
            SourceKind::Indicator => "Indicateur de bien-être",
            SourceKind::Doleances => "Cahier de doléances",
            SourceKind::Interview => "Entretien",
            SourceKind::Observation => "Observation",
        }
    }
}

/// A source as the form gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSource {
    pub kind: SourceKind,
    pub title: String,
    pub happened_on: Option<NaiveDate>,
    pub people_met: String,
    pub notes: String,
    pub link: String,
}

impl NewSource {
    pub fn parse(
        kind: &str,
        title: &str,
        happened_on: &str,
        people_met: &str,
        notes: &str,
        link: &str,
    ) -> Result<NewSource, Vec<(&'static str, String)>> {
        let kind = SourceKind::parse(kind).ok_or_else(|| "Choisissez la nature de la source.".to_owned());
        let title = clean_line(title)
            .ok_or_else(|| "Le titre contient des caractères non autorisés.".to_owned())
            .and_then(|t| bounded_text(&t, "Le titre", 3, 200));
        let happened_on = match happened_on.trim() {
            "" => Ok(None),
            date => NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| format!("« {date} » n’est pas une date (format attendu : 2026-11-24).")),
        };
        let people_met = clean_line(people_met)
            .ok_or_else(|| "Les personnes rencontrées contiennent des caractères non autorisés.".to_owned())
            .and_then(|p| bounded_text(&p, "Les personnes rencontrées", 0, 300));
        let notes = bounded_text(notes, "Les notes", 0, 20_000).and_then(|notes| match personal_data_in(&notes) {
            Some(found) => Err(format!(
                "Les notes doivent être anonymes : retirez {found}. Désignez les personnes par leur rôle (« une habitante du quartier »)."
            )),
            None => Ok(notes),
        });
        let link = link.trim();
        let link = if link.is_empty() || link.starts_with("https://") || link.starts_with("http://") {
            bounded_text(link, "Le lien", 0, 500)
        } else {
            Err("Le lien commence par https:// ou http://.".to_owned())
        };
        match (kind, title, happened_on, people_met, notes, link) {
            (Ok(kind), Ok(title), Ok(happened_on), Ok(people_met), Ok(notes), Ok(link)) => {
                Ok(NewSource { kind, title, happened_on, people_met, notes, link })
            }
            (kind, title, happened_on, people_met, notes, link) => Err(errors_of(vec![
                ("kind", kind.err()),
                ("title", title.err()),
                ("happened_on", happened_on.err()),
                ("people_met", people_met.err()),
                ("notes", notes.err()),
                ("link", link.err()),
            ])),
        }
    }
}

/// The first e-mail address or telephone number in a text, described for the error message: interview notes are
/// anonymised, and these are what identifies a person most surely.
fn personal_data_in(text: &str) -> Option<String> {
    for word in text.split_whitespace() {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        if let Some(at) = word.find('@') {
            if at > 0 && word[at + 1..].contains('.') {
                return Some(format!("l’adresse électronique « {word} »"));
            }
        }
    }
    // Ten digits in a row once spaces, dots and dashes are dropped, starting with 0 (or +33 and nine digits).
    let chars: Vec<char> = text.chars().collect();
    for start in 0..chars.len() {
        if !(chars[start] == '0' || chars[start] == '+') || (start > 0 && chars[start - 1].is_ascii_digit()) {
            continue;
        }
        let mut digits = String::new();
        let mut end = start;
        while end < chars.len() && (chars[end].is_ascii_digit() || " .-+".contains(chars[end])) && digits.len() < 11 {
            if chars[end].is_ascii_digit() {
                digits.push(chars[end]);
            }
            end += 1;
        }
        let phone = (digits.len() == 10 && digits.starts_with('0'))
            || (chars[start] == '+' && digits.len() == 11 && digits.starts_with("33"));
        if phone {
            let shown: String = chars[start..end].iter().collect();
            return Some(format!("le numéro de téléphone « {} »", shown.trim()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn categories() -> Vec<String> {
        FAMILIES.iter().map(|(c, _)| c.to_string()).chain(["f7".to_owned()]).collect()
    }

    #[test]
    fn an_actor_needs_a_name_a_family_and_a_domain() {
        let fields = SheetFields {
            name: "  Régie de quartier  Ozon ".into(),
            category: "f7".into(),
            domain: "citizen".into(),
            lat: "46,8167".into(),
            lon: "0.5460".into(),
            ..SheetFields::default()
        };
        let entry = NewEntry::parse(EntryKind::Actor, &fields, &categories()).unwrap();
        assert_eq!(entry.name, "Régie de quartier Ozon");
        assert_eq!(entry.location, Some(Location { lon: 0.546, lat: 46.8167 }));
        let errors = NewEntry::parse(EntryKind::Actor, &SheetFields::default(), &categories()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["name", "category", "domain"]);
        let space =
            SheetFields { name: "Marché de Blois".into(), category: "marche".into(), ..SheetFields::default() };
        assert_eq!(NewEntry::parse(EntryKind::Space, &space, &["marche".into()]).unwrap().domain, Domain::Citizen);
    }

    #[test]
    fn a_location_is_both_coordinates_in_range_or_none() {
        assert_eq!(Location::parse("", " "), Ok(None));
        assert!(Location::parse("47.5", "").unwrap_err().contains("aucune des deux"));
        assert!(Location::parse("95", "1").unwrap_err().contains("de -90 à 90"));
        assert!(Location::parse("nord", "1").unwrap_err().contains("degrés décimaux"));
        assert!(Location::parse("NaN", "inf").is_err());
    }

    #[test]
    fn a_cooperation_is_stored_once_and_kinds_match_their_ends() {
        let forward =
            NewRelation::parse((9, EntryKind::Actor), Some((4, EntryKind::Actor)), "partenariat", "3", "").unwrap();
        assert_eq!((forward.from_id, forward.to_id), (4, 9));
        let runs = NewRelation::parse((9, EntryKind::Actor), Some((4, EntryKind::Space)), "anime", "2", "").unwrap();
        assert_eq!((runs.from_id, runs.to_id), (9, 4));
        let wrong =
            NewRelation::parse((9, EntryKind::Actor), Some((4, EntryKind::Space)), "financement", "2", "").unwrap_err();
        assert_eq!(wrong[0].0, "to_id");
        assert!(wrong[0].1.contains("relie un acteur à un acteur"), "{}", wrong[0].1);
        let own = NewRelation::parse((9, EntryKind::Actor), Some((9, EntryKind::Actor)), "echange", "1", "");
        assert!(own.unwrap_err()[0].1.contains("lui-même"));
        let bad = NewRelation::parse((9, EntryKind::Actor), None, "?", "7", "").unwrap_err();
        assert_eq!(bad.iter().map(|(f, _)| *f).collect::<Vec<_>>(), vec!["to_id", "kind", "intensity"]);
    }

    #[test]
    fn interview_notes_must_not_name_a_way_to_reach_someone() {
        let ok = NewSource::parse(
            "interview",
            "Entretien au centre social",
            "2026-10-02",
            "2 habitantes",
            "Le 06 du mois, la salle est pleine ; 1 000 visiteurs.",
            "",
        );
        assert!(ok.is_ok(), "{ok:?}");
        let mail = NewSource::parse("interview", "Entretien", "", "", "Voir avec marie.dupont@exemple.fr demain", "");
        assert!(mail.unwrap_err()[0].1.contains("« marie.dupont@exemple.fr »"));
        let phone = NewSource::parse("interview", "Entretien", "", "", "Elle répond au 06 12 34 56 78.", "");
        assert!(phone.unwrap_err()[0].1.contains("« 06 12 34 56 78"));
        let intl = NewSource::parse("observation", "Marché", "", "", "Rappeler +33 6 12 34 56 78", "");
        assert!(intl.is_err());
        let bad = NewSource::parse("?", "x", "24/11/2026", "", "", "ftp://x").unwrap_err();
        assert_eq!(bad.iter().map(|(f, _)| *f).collect::<Vec<_>>(), vec!["kind", "title", "happened_on", "link"]);
    }
}

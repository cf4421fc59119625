//! The creativity cycle of each participant territory (docs/product.md § Lifecycle, step 5, « le croisement des
//! regards »): a working group, a method, workshops at each step — divergence (ideas, what motivated them, clusters),
//! objectives and their weighted success criteria, convergence (scores against the criteria, a dot vote) — and the
//! actions retained for the territory's plan.

use std::collections::BTreeMap;

use super::inquiry::{MemberCategory, NewMember};
use super::text::{bounded_text, clean_line, errors_of};

/// How many dots each member spreads when the facilitator leaves it as it is (Loomio's default too).
pub const DEFAULT_DOTS: i32 = 8;
pub const MAX_DOTS: i32 = 50;
/// A score goes from 0 (does not meet the criterion at all) to 5 (meets it fully).
pub const MAX_SCORE: i32 = 5;
pub const MAX_WEIGHT: i32 = 10;

/// The method a territory chose for its cycle (the Fabriques Prospectives' three approaches).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Thematic,
    Families,
    Prototyping,
}

impl Method {
    pub const ALL: [Method; 3] = [Method::Thematic, Method::Families, Method::Prototyping];

    pub fn code(self) -> &'static str {
        match self {
            Method::Thematic => "thematic",
            Method::Families => "families",
            Method::Prototyping => "prototyping",
        }
    }

    pub fn parse(code: &str) -> Result<Method, String> {
        Method::ALL
            .into_iter()
            .find(|m| m.code() == code)
            .ok_or_else(|| "Choisissez la méthode dans la liste.".to_owned())
    }

    pub fn label(self) -> &'static str {
        match self {
            Method::Thematic => "Approches thématiques",
            Method::Families => "Approches par familles d’acteurs",
            Method::Prototyping => "Prototypage",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Method::Thematic => "Un atelier par grande question du diagnostic, avec tous les acteurs concernés.",
            Method::Families => "Chaque famille d’acteurs imagine d’abord entre pairs, puis les regards se croisent.",
            Method::Prototyping => "On imagine, on essaie en petit sur le terrain, on corrige avec les habitants.",
        }
    }
}

/// The frame of a territory's cycle: its method, in a few words, and the diagnostic's families it involves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub method: Method,
    pub note: String,
    pub families: Vec<String>,
}

impl Frame {
    /// `known` are the family codes the project's diagnostic offers: any other is refused.
    pub fn parse(
        method: &str,
        note: &str,
        families: &[String],
        known: &[String],
    ) -> Result<Frame, Vec<(&'static str, String)>> {
        let method = Method::parse(method);
        let note = bounded_text(note, "La description de la méthode", 0, 2_000);
        let families = match families.iter().find(|f| !known.contains(f)) {
            Some(_) => Err("Choisissez les familles d’acteurs parmi celles du diagnostic.".to_owned()),
            None => {
                let mut chosen: Vec<String> = known.iter().filter(|k| families.contains(k)).cloned().collect();
                chosen.dedup();
                Ok(chosen)
            }
        };
        match (method, note, families) {
            (Ok(method), Ok(note), Ok(families)) => Ok(Frame { method, note, families }),
            (method, note, families) => {
                Err(errors_of(vec![("method", method.err()), ("note", note.err()), ("families", families.err())]))
            }
        }
    }
}

/// A member of the working group: as an inquiry group's member, plus the family of actors they come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWorkingMember {
    pub member: NewMember,
    pub family: String,
}

impl NewWorkingMember {
    pub fn parse(
        display_name: &str,
        category: &str,
        family: &str,
        note: &str,
        email: &str,
        known_families: &[String],
    ) -> Result<NewWorkingMember, Vec<(&'static str, String)>> {
        let member = NewMember::parse(display_name, category, note, email);
        let family = match family.trim() {
            "" => Ok(String::new()),
            code if known_families.iter().any(|k| k == code) => Ok(code.to_owned()),
            _ => Err("Choisissez la famille d’acteurs dans la liste, ou aucune.".to_owned()),
        };
        match (member, family) {
            (Ok(member), Ok(family)) => Ok(NewWorkingMember { member, family }),
            (member, family) => {
                let mut errors = member.err().unwrap_or_default();
                if let Err(error) = family {
                    errors.push(("family", error));
                }
                Err(errors)
            }
        }
    }
}

/// How the working group reads against the diagnostic: the families it maps that nobody in the group comes from,
/// and those the frame means to involve that are still missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyCoverage {
    pub absent: Vec<String>,
    pub to_involve_missing: Vec<String>,
}

impl FamilyCoverage {
    /// `mapped`: the families of the territory's actors in the diagnostic; `group`: the members' families;
    /// `to_involve`: the frame's.
    pub fn of(mapped: &[String], group: &[String], to_involve: &[String]) -> FamilyCoverage {
        // In the order given (the diagnostic's), each once.
        let missing = |codes: &[String]| -> Vec<String> {
            let mut out: Vec<String> = Vec::new();
            for code in codes.iter().filter(|c| !group.contains(c)) {
                if !out.contains(code) {
                    out.push(code.clone());
                }
            }
            out
        };
        FamilyCoverage { absent: missing(mapped), to_involve_missing: missing(to_involve) }
    }
}

/// The step of the cycle a workshop is at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Divergence,
    Objectives,
    Convergence,
}

impl Step {
    pub const ALL: [Step; 3] = [Step::Divergence, Step::Objectives, Step::Convergence];

    pub fn code(self) -> &'static str {
        match self {
            Step::Divergence => "divergence",
            Step::Objectives => "objectives",
            Step::Convergence => "convergence",
        }
    }

    pub fn parse(code: &str) -> Result<Step, String> {
        Step::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or_else(|| "Choisissez l’étape du cycle dans la liste.".to_owned())
    }

    pub fn label(self) -> &'static str {
        match self {
            Step::Divergence => "Divergence et imagination",
            Step::Objectives => "Objectifs et critères de réussite",
            Step::Convergence => "Convergence sur des actions",
        }
    }
}

/// Where a workshop stands: contributions (ideas, scores, dots) are taken only while it is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkshopState {
    Planned,
    Open,
    Closed,
}

impl WorkshopState {
    pub fn code(self) -> &'static str {
        match self {
            WorkshopState::Planned => "planned",
            WorkshopState::Open => "open",
            WorkshopState::Closed => "closed",
        }
    }

    pub fn parse(code: &str) -> Option<WorkshopState> {
        [WorkshopState::Planned, WorkshopState::Open, WorkshopState::Closed].into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            WorkshopState::Planned => "À venir",
            WorkshopState::Open => "En cours : contributions ouvertes",
            WorkshopState::Closed => "Terminé",
        }
    }
}

/// The number of dots each member spreads in a workshop.
pub fn parse_dots(input: &str) -> Result<i32, String> {
    match input.trim() {
        "" => Ok(DEFAULT_DOTS),
        text => match text.parse::<i32>() {
            Ok(n) if (1..=MAX_DOTS).contains(&n) => Ok(n),
            _ => Err(format!("Le nombre de points par personne est un nombre entier de 1 à {MAX_DOTS}.")),
        },
    }
}

/// How an idea came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Written by a working-group member on the platform.
    Online,
    /// Typed in by the facilitator from a paper note.
    Paper,
    /// An inhabitant's, through the public link: moderated before anyone sees it.
    Public,
    /// Two or more ideas merged by the facilitator; the originals stay.
    Merge,
}

impl Origin {
    pub fn code(self) -> &'static str {
        match self {
            Origin::Online => "online",
            Origin::Paper => "paper",
            Origin::Public => "public",
            Origin::Merge => "merge",
        }
    }

    pub fn parse(code: &str) -> Origin {
        [Origin::Online, Origin::Paper, Origin::Public, Origin::Merge]
            .into_iter()
            .find(|o| o.code() == code)
            .unwrap_or(Origin::Online)
    }

    pub fn label(self) -> &'static str {
        match self {
            Origin::Online => "en ligne",
            Origin::Paper => "note papier",
            Origin::Public => "habitant·e, par le lien public",
            Origin::Merge => "fusion",
        }
    }
}

/// The author's category of an idea: a member's, or an inhabitant's (the public link), as stored.
pub fn author_category_label(code: &str) -> &'static str {
    match MemberCategory::parse(code) {
        Ok(category) => category.label(),
        Err(_) => "Personne non précisée",
    }
}

/// An idea as the forms give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIdea {
    pub title: String,
    pub body: String,
}

pub const IDEA_TITLE_MAX: usize = 140;
pub const IDEA_BODY_MAX: usize = 2_000;

impl NewIdea {
    pub fn parse(title: &str, body: &str) -> Result<NewIdea, Vec<(&'static str, String)>> {
        let title = clean_line(title)
            .ok_or_else(|| "Le titre contient des caractères non autorisés.".to_owned())
            .and_then(|t| bounded_text(&t, "Le titre de l’idée", 3, IDEA_TITLE_MAX));
        let body = bounded_text(body, "Le texte de l’idée", 0, IDEA_BODY_MAX);
        match (title, body) {
            (Ok(title), Ok(body)) => Ok(NewIdea { title, body }),
            (title, body) => Err(errors_of(vec![("title", title.err()), ("body", body.err())])),
        }
    }
}

/// What an idea cites as its motivation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Evidence {
    Sheet(i64),
    Source(i64),
    Question(i64),
    Idea(i64),
}

impl Evidence {
    /// Form values: `fiche-12`, `source-3`, `question-40`, `idee-7`.
    pub fn parse(code: &str) -> Result<Evidence, String> {
        let refused = || "Choisissez ce qui a motivé l’idée dans la liste.".to_owned();
        let (kind, id) = code.trim().split_once('-').ok_or_else(refused)?;
        let id: i64 = id.parse().map_err(|_| refused())?;
        match kind {
            "fiche" => Ok(Evidence::Sheet(id)),
            "source" => Ok(Evidence::Source(id)),
            "question" => Ok(Evidence::Question(id)),
            "idee" => Ok(Evidence::Idea(id)),
            _ => Err(refused()),
        }
    }

    pub fn code(self) -> String {
        match self {
            Evidence::Sheet(id) => format!("fiche-{id}"),
            Evidence::Source(id) => format!("source-{id}"),
            Evidence::Question(id) => format!("question-{id}"),
            Evidence::Idea(id) => format!("idee-{id}"),
        }
    }
}

/// A name for a cluster of ideas.
pub fn parse_cluster_name(input: &str) -> Result<String, String> {
    clean_line(input)
        .ok_or_else(|| "Le nom du regroupement contient des caractères non autorisés.".to_owned())
        .and_then(|name| bounded_text(&name, "Le nom du regroupement", 2, 100))
}

/// What the group scores and dots: a cluster of ideas, or an idea left alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Candidate {
    Cluster(i64),
    Idea(i64),
}

impl Candidate {
    /// Form values: `r12` (regroupement), `i7` (idée).
    pub fn parse(code: &str) -> Result<Candidate, String> {
        let refused = || "Ce choix n’est pas dans la liste.".to_owned();
        let code = code.trim();
        let id = |rest: &str| rest.parse::<i64>().map_err(|_| refused());
        match code.split_at_checked(1) {
            Some(("r", rest)) => Ok(Candidate::Cluster(id(rest)?)),
            Some(("i", rest)) => Ok(Candidate::Idea(id(rest)?)),
            _ => Err(refused()),
        }
    }

    pub fn code(self) -> String {
        match self {
            Candidate::Cluster(id) => format!("r{id}"),
            Candidate::Idea(id) => format!("i{id}"),
        }
    }

    pub fn cluster_id(self) -> Option<i64> {
        match self {
            Candidate::Cluster(id) => Some(id),
            Candidate::Idea(_) => None,
        }
    }

    pub fn idea_id(self) -> Option<i64> {
        match self {
            Candidate::Idea(id) => Some(id),
            Candidate::Cluster(_) => None,
        }
    }
}

/// An objective and its criteria, as the forms give them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewObjective {
    pub title: String,
    pub description: String,
}

impl NewObjective {
    pub fn parse(title: &str, description: &str) -> Result<NewObjective, Vec<(&'static str, String)>> {
        let title = clean_line(title)
            .ok_or_else(|| "L’objectif contient des caractères non autorisés.".to_owned())
            .and_then(|t| bounded_text(&t, "L’objectif", 3, 200));
        let description = bounded_text(description, "La précision", 0, 2_000);
        match (title, description) {
            (Ok(title), Ok(description)) => Ok(NewObjective { title, description }),
            (title, description) => Err(errors_of(vec![("title", title.err()), ("description", description.err())])),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCriterion {
    pub label: String,
    pub weight: i32,
}

impl NewCriterion {
    pub fn parse(label: &str, weight: &str) -> Result<NewCriterion, Vec<(&'static str, String)>> {
        let label = clean_line(label)
            .ok_or_else(|| "Le critère contient des caractères non autorisés.".to_owned())
            .and_then(|l| bounded_text(&l, "Le critère de réussite", 3, 200));
        let weight = parse_weight(weight);
        match (label, weight) {
            (Ok(label), Ok(weight)) => Ok(NewCriterion { label, weight }),
            (label, weight) => Err(errors_of(vec![("label", label.err()), ("weight", weight.err())])),
        }
    }
}

/// A criterion's weight: 1 (equal weights) unless the group gives it more, up to 10.
pub fn parse_weight(input: &str) -> Result<i32, String> {
    match input.trim() {
        "" => Ok(1),
        text => match text.parse::<i32>() {
            Ok(n) if (1..=MAX_WEIGHT).contains(&n) => Ok(n),
            _ => Err(format!("Le poids est un nombre entier de 1 à {MAX_WEIGHT}.")),
        },
    }
}

/// A score typed in the scoring grid: empty (not scored) or 0 to 5.
pub fn parse_score(input: &str) -> Result<Option<i32>, String> {
    match input.trim() {
        "" => Ok(None),
        text => match text.parse::<i32>() {
            Ok(n) if (0..=MAX_SCORE).contains(&n) => Ok(Some(n)),
            _ => Err(format!("Une note va de 0 à {MAX_SCORE} : « {} » n’en est pas une.", text.trim())),
        },
    }
}

/// One score as stored: who, which criterion, how much.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScoreRow {
    pub member_id: i64,
    pub criterion_id: i64,
    pub value: i32,
}

/// What the group said of one candidate against the weighted criteria.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    /// The mean of the members' weighted scores (each member's: Σ weight × score / Σ weight over the criteria
    /// they scored), 0 to 5.
    pub weighted_mean: f64,
    /// The standard deviation of the members' weighted scores: where the group disagrees.
    pub spread: f64,
    /// How many members scored it.
    pub scorers: usize,
    /// The plain mean per criterion, and how many scored it: (criterion id, mean, count).
    pub per_criterion: Vec<(i64, f64, usize)>,
}

impl Tally {
    /// `weights` gives each criterion's weight; a score of an unknown criterion is ignored. None when nobody
    /// scored.
    pub fn of(scores: &[ScoreRow], weights: &BTreeMap<i64, i32>) -> Option<Tally> {
        let mut per_member: BTreeMap<i64, (f64, f64)> = BTreeMap::new();
        let mut per_criterion: BTreeMap<i64, (f64, usize)> = BTreeMap::new();
        for score in scores {
            let Some(weight) = weights.get(&score.criterion_id) else { continue };
            let (sum, total_weight) = per_member.entry(score.member_id).or_default();
            *sum += f64::from(*weight) * f64::from(score.value);
            *total_weight += f64::from(*weight);
            let (criterion_sum, count) = per_criterion.entry(score.criterion_id).or_default();
            *criterion_sum += f64::from(score.value);
            *count += 1;
        }
        if per_member.is_empty() {
            return None;
        }
        let members: Vec<f64> = per_member.values().map(|(sum, weight)| sum / weight).collect();
        let n = members.len() as f64;
        let mean = members.iter().sum::<f64>() / n;
        let variance = members.iter().map(|m| (m - mean).powi(2)).sum::<f64>() / n;
        Some(Tally {
            weighted_mean: mean,
            spread: variance.sqrt(),
            scorers: members.len(),
            per_criterion: per_criterion
                .into_iter()
                .map(|(id, (sum, count))| (id, sum / count as f64, count))
                .collect(),
        })
    }
}

/// Whether the spread says the group disagrees (a standard deviation above one point out of five).
pub fn disagrees(spread: f64) -> bool {
    spread > 1.0
}

/// Figures as French writes them: « 3,4 ».
pub fn decimal_fr(value: f64) -> String {
    format!("{value:.1}").replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weights(pairs: &[(i64, i32)]) -> BTreeMap<i64, i32> {
        pairs.iter().copied().collect()
    }

    fn row(member_id: i64, criterion_id: i64, value: i32) -> ScoreRow {
        ScoreRow { member_id, criterion_id, value }
    }

    #[test]
    fn the_weighted_mean_and_the_spread_come_from_each_members_weighted_score() {
        // Criteria 1 (weight 3) and 2 (weight 1). Member 10: (3×4 + 1×0)/4 = 3; member 11: (3×5 + 1×5)/4 = 5;
        // member 12: (3×1 + 1×5)/4 = 2. Mean 10/3; deviations −1/3, 5/3, −4/3: variance (1 + 25 + 16)/27 = 14/9.
        let scores = [row(10, 1, 4), row(10, 2, 0), row(11, 1, 5), row(11, 2, 5), row(12, 1, 1), row(12, 2, 5)];
        let tally = Tally::of(&scores, &weights(&[(1, 3), (2, 1)])).unwrap();
        assert_eq!(tally.scorers, 3);
        assert!((tally.weighted_mean - 10.0 / 3.0).abs() < 1e-12, "{}", tally.weighted_mean);
        assert!((tally.spread - (14.0f64 / 9.0).sqrt()).abs() < 1e-12, "{}", tally.spread);
        assert!(disagrees(tally.spread));
        assert_eq!(tally.per_criterion, vec![(1, 10.0 / 3.0, 3), (2, 10.0 / 3.0, 3)]);
        assert_eq!(decimal_fr(tally.weighted_mean), "3,3");
    }

    #[test]
    fn equal_weights_are_a_plain_mean_and_agreement_has_no_spread() {
        let scores = [row(1, 7, 4), row(1, 8, 2), row(2, 7, 4), row(2, 8, 2)];
        let tally = Tally::of(&scores, &weights(&[(7, 1), (8, 1)])).unwrap();
        assert_eq!((tally.weighted_mean, tally.spread, tally.scorers), (3.0, 0.0, 2));
        assert!(!disagrees(tally.spread));
        assert_eq!(Tally::of(&[], &weights(&[(7, 1)])), None);
        // A member who scored one criterion only counts by that criterion.
        let partial = Tally::of(&[row(1, 7, 5), row(2, 7, 1), row(2, 8, 3)], &weights(&[(7, 1), (8, 1)])).unwrap();
        assert_eq!(partial.weighted_mean, (5.0 + 2.0) / 2.0);
    }

    #[test]
    fn scores_weights_and_dots_are_bounded() {
        assert_eq!(parse_score(" 5 "), Ok(Some(5)));
        assert_eq!(parse_score(""), Ok(None));
        assert_eq!(parse_score("6"), Err("Une note va de 0 à 5 : « 6 » n’en est pas une.".to_owned()));
        assert!(parse_score("-1").is_err() && parse_score("2,5").is_err());
        assert_eq!(parse_weight(""), Ok(1));
        assert!(parse_weight("0").is_err() && parse_weight("11").is_err());
        assert_eq!(parse_dots(""), Ok(DEFAULT_DOTS));
        assert!(parse_dots("51").is_err() && parse_dots("0").is_err());
    }

    #[test]
    fn candidates_and_evidence_read_back_their_codes() {
        for candidate in [Candidate::Cluster(12), Candidate::Idea(7)] {
            assert_eq!(Candidate::parse(&candidate.code()), Ok(candidate));
        }
        assert!(Candidate::parse("x1").is_err() && Candidate::parse("r").is_err() && Candidate::parse("").is_err());
        for evidence in [Evidence::Sheet(1), Evidence::Source(2), Evidence::Question(3), Evidence::Idea(4)] {
            assert_eq!(Evidence::parse(&evidence.code()), Ok(evidence));
        }
        assert!(Evidence::parse("fiche-").is_err() && Evidence::parse("table-3").is_err());
    }

    #[test]
    fn the_frame_takes_only_the_diagnostics_families() {
        let known = vec!["elus".to_owned(), "associations".to_owned(), "f4".to_owned()];
        let frame = Frame::parse("families", "  Par familles.  ", &["f4".into(), "elus".into()], &known).unwrap();
        assert_eq!(frame.families, vec!["elus".to_owned(), "f4".to_owned()]);
        assert_eq!(frame.note, "Par familles.");
        let errors = Frame::parse("magie", "", &["inconnue".into()], &known).unwrap_err();
        assert_eq!(errors.iter().map(|(f, _)| *f).collect::<Vec<_>>(), vec!["method", "families"]);
    }

    #[test]
    fn the_group_reads_against_the_diagnostics_families() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let coverage = FamilyCoverage::of(
            &s(&["elus", "associations", "entreprises", "associations"]),
            &s(&["elus", "", "services_etat"]),
            &s(&["services_etat", "recherche"]),
        );
        assert_eq!(coverage.absent, s(&["associations", "entreprises"]));
        assert_eq!(coverage.to_involve_missing, s(&["recherche"]));
    }

    #[test]
    fn ideas_and_members_are_checked_field_by_field() {
        let idea = NewIdea::parse("  Un  bus  le samedi ", "Pour aller au marché.\r\n").unwrap();
        assert_eq!((idea.title.as_str(), idea.body.as_str()), ("Un bus le samedi", "Pour aller au marché."));
        let errors = NewIdea::parse("a", &"x".repeat(IDEA_BODY_MAX + 1)).unwrap_err();
        assert_eq!(errors.iter().map(|(f, _)| *f).collect::<Vec<_>>(), vec!["title", "body"]);
        let known = vec!["associations".to_owned()];
        let member = NewWorkingMember::parse("Awa", "associatif", "associations", "", "", &known).unwrap();
        assert_eq!(member.family, "associations");
        let errors = NewWorkingMember::parse("", "associatif", "secte", "", "", &known).unwrap_err();
        assert_eq!(errors.iter().map(|(f, _)| *f).collect::<Vec<_>>(), vec!["display_name", "family"]);
    }
}

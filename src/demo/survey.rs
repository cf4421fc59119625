//! The demo's survey: Grand Châtellerault's published questionnaire (every common kind of question, a condition,
//! the standard profile with its communes, coverage targets) and a few hundred generated responses — online, on
//! paper and by interview — drawn from a seeded generator, so every load gives the same results; and Agglopolys's
//! questionnaire still in draft.
//!
//! Responses go through `validate_response` and `record_response`, as a browser's or an interviewer's would: a
//! change of the rules that the demo's answers no longer meet stops the demo from loading, and its tests fail.

use chrono::TimeDelta;

use super::access::Cast;
use crate::domain::questionnaire::{
    field_name, item_field_name, parse_question, standard_profile_questions, validate_response, NewQuestionnaire,
    Question, QuestionInput, OTHER, PROFILE_CONSENT,
};
use crate::security::random_token;
use crate::storage::questionnaires::{
    add_question, create_questionnaire, publish_questionnaire, record_response, set_targets, Channel, Recording,
};
use crate::storage::territories::communes_of_epci;
use crate::storage::{self, DbConnection};

/// The title the demo prints the public link of.
pub const TITLE: &str = "Vos démarches du quotidien";
const RESPONSES: usize = 320;

/// A seeded generator (SplitMix64): the same answers at every load, without a dependency.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// An index drawn by weights.
    fn weighted(&mut self, weights: &[usize]) -> usize {
        let mut roll = self.below(weights.iter().sum());
        for (index, weight) in weights.iter().enumerate() {
            if roll < *weight {
                return index;
            }
            roll -= weight;
        }
        weights.len() - 1
    }
}

/// The questions, in order, as the builder's form gives them, each with its condition: the index of an earlier
/// question here (its id is known once it is stored) and the answer that shows it.
fn question_inputs() -> [(QuestionInput<'static>, Option<(usize, &'static str)>); 8] {
    [
        (
            QuestionInput {
                kind: "single_choice",
                label: "Comment faites-vous le plus souvent vos démarches administratives ?",
                required: true,
                choices: "seul_en_ligne = En ligne, seul·e\naide_proche = En ligne, avec l’aide d’un proche\n\
                    guichet = Au guichet (mairie, France services, CAF…)\ntelephone = Par téléphone\n\
                    pas_faites = Je ne les fais pas, ou plus",
                allow_other: true,
                ..QuestionInput::default()
            },
            None,
        ),
        (
            QuestionInput {
                kind: "multiple_choice",
                label: "Quelles démarches vous ont posé difficulté ces douze derniers mois ?",
                help: "Trois au plus.",
                choices: "caf = Allocations familiales, logement (CAF)\nsante = Santé, carte Vitale (assurance maladie)\n\
                    impots = Impôts\nemploi = Emploi (France Travail)\nretraite = Retraite\nvehicule = Carte grise, permis\n\
                    aucune = Aucune",
                max: "3",
                ..QuestionInput::default()
            },
            None,
        ),
        (
            QuestionInput {
                kind: "yes_no",
                label: "Connaissez-vous l’espace France services le plus proche de chez vous ?",
                required: true,
                ..QuestionInput::default()
            },
            None,
        ),
        (
            QuestionInput {
                kind: "single_choice",
                label: "Y êtes-vous déjà allé·e ?",
                choices: "plusieurs = Oui, plusieurs fois\nune_fois = Oui, une fois\njamais = Non, jamais",
                ..QuestionInput::default()
            },
            Some((2, "oui")),
        ),
        (
            QuestionInput {
                kind: "scale",
                label: "Êtes-vous à l’aise pour faire une démarche en ligne, seul·e ?",
                required: true,
                min: "1",
                max: "5",
                min_label: "Pas du tout",
                max_label: "Tout à fait",
                ..QuestionInput::default()
            },
            None,
        ),
        (
            QuestionInput {
                kind: "number",
                label: "Combien de minutes vous faut-il pour rejoindre le guichet le plus proche ?",
                help: "Mairie, France services ou agence : en minutes, par votre moyen habituel.",
                min: "0",
                max: "240",
                ..QuestionInput::default()
            },
            None,
        ),
        (
            QuestionInput {
                kind: "matrix",
                label: "Ces façons d’être accompagné·e vous conviendraient-elles ?",
                rows: "mairie = Un rendez-vous dans ma mairie\nitinerant = Une permanence itinérante près de chez moi\n\
                    telephone = Un accompagnement par téléphone\ndomicile = Une visite à domicile",
                min: "1",
                max: "4",
                min_label: "Pas du tout",
                max_label: "Tout à fait",
                ..QuestionInput::default()
            },
            None,
        ),
        (
            QuestionInput {
                kind: "long_text",
                label: "Qu’est-ce qui vous faciliterait les démarches ?",
                help: "Facultatif : en quelques mots, ce qui changerait les choses pour vous.",
                ..QuestionInput::default()
            },
            None,
        ),
    ]
}

/// What respondents wrote, anonymous, in their words.
const SUGGESTIONS: [&str; 12] = [
    "Quelqu’un qui vienne au village une fois par mois, à la mairie.",
    "Pouvoir parler à une vraie personne au téléphone, sans attendre une heure.",
    "Des horaires le samedi matin, je travaille en semaine.",
    "Un car pour aller à Châtellerault le jour du marché.",
    "Qu’on m’explique une fois comment marche le site, après je me débrouille.",
    "Moins de papiers à fournir, toujours les mêmes.",
    "Ma fille fait tout pour moi, mais elle habite loin.",
    "Un endroit où l’on peut imprimer et scanner gratuitement.",
    "Être prévenu quand on a droit à quelque chose, plutôt que de devoir le deviner.",
    "La fibre, tout simplement.",
    "Des papiers en gros caractères.",
    "Un accueil sans rendez-vous dans les bourgs.",
];

const OTHER_TOWNS: [&str; 4] = ["Ingrandes", "Availles-en-Châtellerault", "Scorbé-Clairvaux", "Vouneuil-sur-Vienne"];

const INTERVIEW_PLACES: [&str; 4] =
    ["Marché de Châtellerault", "France services Plaine d’Ozon", "Foyer-logement de Naintré", "Mairie de Pleumartin"];

pub fn load(conn: &mut DbConnection, project_id: i64, cast: &Cast) -> anyhow::Result<()> {
    let today = storage::now().date();
    let header = NewQuestionnaire::parse(
        TITLE,
        "Le groupe d’enquête de Grand Châtellerault veut savoir comment vous faites vos démarches (aides, santé, \
        impôts…) et ce qui vous aiderait. Dix minutes, anonymes.",
        &(today - TimeDelta::days(40)).to_string(),
        &(today + TimeDelta::days(50)).to_string(),
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let id = create_questionnaire(
        conn,
        project_id,
        cast.chatellerault,
        &header,
        &random_token(),
        cast.chatellerault_referent,
    )?;
    let mut questions: Vec<Question> = Vec::new();
    for (input, condition) in question_inputs() {
        let condition_question = condition.map(|(index, _)| questions[index].id.to_string()).unwrap_or_default();
        let input = QuestionInput {
            condition_question: &condition_question,
            condition_op: "equals",
            condition_values: condition.map_or("", |(_, value)| value),
            ..input
        };
        let mut question =
            parse_question(&input, &questions).map_err(|e| anyhow::anyhow!("{} : {e:?}", input.label))?;
        question.id = add_question(conn, id, &question)?;
        questions.push(question);
    }
    let chatellerault = crate::storage::collectivities::territory_of_collectivity(conn, cast.chatellerault)?
        .ok_or_else(|| anyhow::anyhow!("Grand Châtellerault absent"))?;
    let communes: Vec<(String, String)> =
        communes_of_epci(conn, &chatellerault.code)?.into_iter().map(|c| (c.code, c.name)).collect();
    for mut question in standard_profile_questions(&communes) {
        question.id = add_question(conn, id, &question)?;
        questions.push(question);
    }
    if !publish_questionnaire(conn, id)? {
        anyhow::bail!("démonstration : le questionnaire ne s’est pas publié");
    }
    let (age, situation, commune) = (&questions[8], &questions[9], &questions[10]);
    let target = |question: &Question, value: &str, wanted: i32| (question.id, value.to_owned(), wanted);
    set_targets(
        conn,
        id,
        &[
            target(age, "18_24", 40),
            target(age, "75_et_plus", 30),
            target(situation, "sans_internet", 50),
            target(situation, "qpv", 40),
            target(situation, "vit_seul", 40),
            target(commune, "86092", 20),
            target(commune, "86193", 15),
        ],
    )?;
    let mut dice = Dice(2026);
    for _ in 0..RESPONSES {
        let (channel, recording) = collecting(&mut dice, cast);
        let form = respondent(&mut dice, &questions, channel, &communes);
        let items = validate_response(&questions, form.as_slice())
            .map_err(|errors| anyhow::anyhow!("démonstration : réponse refusée {errors:?}"))?;
        record_response(conn, id, channel, recording.as_ref(), &items)?;
    }
    load_draft(conn, project_id, cast)
}

/// How a response came: mostly online, a quarter by interview (face to face or by telephone), some on paper.
fn collecting(dice: &mut Dice, cast: &Cast) -> (Channel, Option<Recording>) {
    let interviewer = if dice.chance(60) { cast.chatellerault_referent } else { cast.provider_member };
    match dice.weighted(&[62, 25, 13]) {
        0 => (Channel::Online, None),
        1 => (
            Channel::Interview,
            Some(Recording {
                interviewer_id: interviewer,
                interview_mode: Some(if dice.chance(75) { "face_to_face" } else { "phone" }),
                place: Some(INTERVIEW_PLACES[dice.below(INTERVIEW_PLACES.len())].to_owned()),
            }),
        ),
        _ => (
            Channel::Paper,
            Some(Recording { interviewer_id: cast.chatellerault_referent, interview_mode: None, place: None }),
        ),
    }
}

/// One respondent's form, as a browser would send it. Those met by interview or on paper are older and more often
/// without internet, as in a real survey that goes towards them.
fn respondent(
    dice: &mut Dice,
    questions: &[Question],
    channel: Channel,
    communes: &[(String, String)],
) -> Vec<(String, String)> {
    let online = channel == Channel::Online;
    let age = dice.weighted(if online { &[2, 10, 30, 33, 18, 7] } else { &[1, 4, 12, 20, 30, 33] });
    let offline = dice.chance(if online { 3 } else { 55 }) || (age == 5 && dice.chance(50));
    let mut form: Vec<(String, String)> = Vec::new();
    let how = if offline {
        ["guichet", "aide_proche", "pas_faites", "telephone"][dice.weighted(&[45, 30, 15, 10])]
    } else {
        ["seul_en_ligne", "aide_proche", "guichet", "telephone", OTHER][dice.weighted(&[55, 15, 20, 7, 3])]
    };
    put(&mut form, &questions[0], how);
    if dice.chance(75) {
        let difficulties = ["caf", "sante", "impots", "emploi", "retraite", "vehicule"];
        let count = if dice.chance(20) { 0 } else { 1 + dice.below(3) };
        if count == 0 {
            put(&mut form, &questions[1], "aucune");
        }
        let mut ticked: Vec<&str> = Vec::new();
        for _ in 0..count {
            let pick = difficulties[dice.weighted(&[30, 25, 15, 12, 10, 8])];
            if !ticked.contains(&pick) {
                ticked.push(pick);
                put(&mut form, &questions[1], pick);
            }
        }
    }
    let knows = dice.chance(if offline { 45 } else { 62 });
    put(&mut form, &questions[2], if knows { "oui" } else { "non" });
    if knows && dice.chance(90) {
        put(&mut form, &questions[3], ["plusieurs", "une_fois", "jamais"][dice.weighted(&[35, 40, 25])]);
    }
    let ease = if offline { 1 + dice.below(2) } else { 2 + dice.below(4) };
    put(&mut form, &questions[4], &ease.to_string());
    if dice.chance(85) {
        put(&mut form, &questions[5], &(5 + 5 * dice.below(if offline { 10 } else { 6 })).to_string());
    }
    let matrix = &questions[6];
    if dice.chance(80) {
        for (row, liking) in [
            ("mairie", 3),
            ("itinerant", if offline { 4 } else { 3 }),
            ("telephone", 2),
            ("domicile", if age >= 4 { 4 } else { 2 }),
        ] {
            let point = (liking + dice.below(4)).saturating_sub(2).clamp(1, 4);
            form.push((item_field_name(matrix.id, row), point.to_string()));
        }
    }
    if dice.chance(35) {
        form.push((field_name(questions[7].id), SUGGESTIONS[dice.below(SUGGESTIONS.len())].to_owned()));
    }
    if how == OTHER {
        form.push((item_field_name(questions[0].id, OTHER), "Par l’assistante sociale".to_owned()));
    }
    // The profile, with consent most of the time.
    if dice.chance(85) {
        form.push((PROFILE_CONSENT.to_owned(), "oui".to_owned()));
        let ages = ["moins_de_18", "18_24", "25_39", "40_59", "60_74", "75_et_plus"];
        form.push((field_name(questions[8].id), ages[age].to_owned()));
        let situation = &questions[9];
        for (code, percent) in [
            ("vit_seul", if age >= 4 { 45 } else { 15 }),
            ("sans_internet", if offline { 90 } else { 0 }),
            ("qpv", 14),
            ("handicap", 8),
            ("sans_emploi", if (1..=3).contains(&age) { 12 } else { 2 }),
            ("parent_seul", if (2..=3).contains(&age) { 12 } else { 1 }),
        ] {
            if dice.chance(percent) {
                form.push((field_name(situation.id), code.to_owned()));
            }
        }
        let commune = &questions[10];
        if dice.chance(8) {
            form.push((field_name(commune.id), OTHER.to_owned()));
            form.push((item_field_name(commune.id, OTHER), OTHER_TOWNS[dice.below(OTHER_TOWNS.len())].to_owned()));
        } else if !communes.is_empty() {
            // Châtellerault first, as its weight in the population; the others by turns.
            let weights: Vec<usize> = communes.iter().map(|(code, _)| if code == "86066" { 8 } else { 1 }).collect();
            form.push((field_name(commune.id), communes[dice.weighted(&weights)].0.clone()));
        }
    }
    form
}

fn put(form: &mut Vec<(String, String)>, question: &Question, value: &str) {
    form.push((field_name(question.id), value.to_owned()));
}

/// Agglopolys's questionnaire, in draft: what a group sees before it publishes.
fn load_draft(conn: &mut DbConnection, project_id: i64, cast: &Cast) -> anyhow::Result<()> {
    let header = NewQuestionnaire::parse(
        "Les 16-25 ans et leurs démarches",
        "Un questionnaire que les lycéens du groupe font passer à leurs pairs.",
        "",
        "",
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let id =
        create_questionnaire(conn, project_id, cast.agglopolys, &header, &random_token(), cast.agglopolys_referent)?;
    let first = QuestionInput {
        kind: "yes_no",
        label: "As-tu déjà fait une démarche administrative seul·e ?",
        required: true,
        ..QuestionInput::default()
    };
    let question = parse_question(&first, &[]).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    add_question(conn, id, &question)?;
    Ok(())
}

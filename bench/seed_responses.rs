//! Bench fixture: a questionnaire of Q questions (all types that a survey mixes) on the demo project's first
//! group, and N responses written through the same storage function as the web (`record_response`), a thousand
//! per transaction. Prints "questionnaire-id public-token responses/s".
//! Usage (bench/questionnaires.sh runs it): seed_responses DATABASE_URL QUESTIONS RESPONSES
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: a bench fixture stops at the first failure

use std::time::Instant;

use encommun::domain::questionnaire::{parse_question, validate_response, NewQuestionnaire, Question, QuestionInput};
use encommun::storage::projects::enrolments_of_project;
use encommun::storage::questionnaires::{
    add_question, create_questionnaire, publish_questionnaire, questions_of, record_response, Channel,
};
use encommun::storage::users::find_user_by_email;
use encommun::storage::{establish, write_transaction, DatabaseUrl};

/// The kinds of question a real survey mixes, in turn.
const KINDS: [(&str, &str); 5] = [
    ("single_choice", "Bus\nVélo\nVoiture\nÀ pied"),
    ("multiple_choice", "Commerces\nSanté\nÉcole\nTravail\nLoisirs"),
    ("scale", ""),
    ("number", ""),
    ("short_text", ""),
];

fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("usage: seed_responses DATABASE_URL QUESTIONS RESPONSES");
    let count: usize = args.next().and_then(|n| n.parse().ok()).expect("QUESTIONS");
    let responses: usize = args.next().and_then(|n| n.parse().ok()).expect("RESPONSES");
    let mut conn = establish(&DatabaseUrl::parse(&url)).unwrap();
    let admin = find_user_by_email(&mut conn, "agence@demo.encommun.fr").unwrap().expect("the demo is loaded").id;
    let project =
        encommun::demo::project(&mut conn, encommun::demo::ENROLMENT_PROJECT).unwrap().expect("the demo is loaded").id;
    let collectivity = enrolments_of_project(&mut conn, project).unwrap()[0].0.collectivity_id;
    let header = NewQuestionnaire::parse(&format!("Mesure {count} × {responses}"), "", "", "").unwrap();
    let token = format!("mesure-{count}-{responses}");
    let id = create_questionnaire(&mut conn, project, collectivity, &header, &token, admin).unwrap();
    for n in 0..count {
        let (kind, choices) = KINDS[n % KINDS.len()];
        let input = QuestionInput { kind, label: &format!("Question {}", n + 1), choices, ..QuestionInput::default() };
        add_question(&mut conn, id, &parse_question(&input, &[]).unwrap()).unwrap();
    }
    assert!(publish_questionnaire(&mut conn, id).unwrap());
    let questions: Vec<Question> = questions_of(&mut conn, id).unwrap();
    let started = Instant::now();
    for batch in 0..responses.div_ceil(1000) {
        write_transaction(&mut conn, |conn| {
            for r in batch * 1000..((batch + 1) * 1000).min(responses) {
                let form = answer_form(&questions, r);
                let items = validate_response(&questions, form.as_slice()).unwrap();
                record_response(conn, id, Channel::Online, None, &items)?;
            }
            Ok::<_, diesel::result::Error>(())
        })
        .unwrap();
    }
    println!("{id} {token} {:.0}", responses as f64 / started.elapsed().as_secs_f64());
}

/// A plausible answer of respondent `r` to every question, as a browser would send it.
fn answer_form(questions: &[Question], r: usize) -> Vec<(String, String)> {
    let mut form = Vec::new();
    for (n, q) in questions.iter().enumerate() {
        let name = format!("q{}", q.id);
        let choice = |k: usize| q.settings.choices[(r + n + k) % q.settings.choices.len()].code.clone();
        match KINDS[n % KINDS.len()].0 {
            "single_choice" => form.push((name, choice(0))),
            "multiple_choice" => {
                form.push((name.clone(), choice(0)));
                form.push((name, choice(2)));
            }
            "scale" => form.push((name, (1 + (r + n) % 5).to_string())),
            "number" => form.push((name, (18 + (r * 7 + n) % 70).to_string())),
            _ => form.push((name, format!("Réponse libre {r} à la question {}", n + 1))),
        }
    }
    form
}

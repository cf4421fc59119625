//! Bench fixture: 300 open themes and 20,000 positions taken by real communes, through the same storage function
//! as the web (`take_position`: counts, history and activity in one transaction). Prints the positions written
//! per second. Usage (bench/themes.sh runs it): cargo run --release --example seed_themes -- DATABASE_URL
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: a bench fixture stops at the first failure

use std::time::Instant;

use encommun::domain::territory::TerritoryKind;
use encommun::domain::theme::{Engagement, NewPosition, NewTheme, ThemeStatus};
use encommun::storage::collectivities::register_collectivity;
use encommun::storage::territories::territories_of_kind;
use encommun::storage::themes::{insert_theme, take_position};
use encommun::storage::users::find_user_by_email;
use encommun::storage::{establish, write_transaction, DatabaseUrl};

const THEMES: usize = 300;
const POSITIONS: usize = 20_000;

fn main() {
    let url = std::env::args().nth(1).expect("usage: seed_themes DATABASE_URL");
    let mut conn = establish(&DatabaseUrl::parse(&url)).unwrap();
    let admin = find_user_by_email(&mut conn, "agence@demo.encommun.fr").unwrap().expect("the demo is loaded").id;
    let communes = territories_of_kind(&mut conn, TerritoryKind::Commune).unwrap();
    assert!(communes.len() >= POSITIONS / 4, "import the communes first ({} found)", communes.len());
    // 5,000 communes each position themselves on four themes.
    let voters: Vec<(i64, String)> = write_transaction(&mut conn, |conn| {
        communes
            .iter()
            .step_by(communes.len() / (POSITIONS / 4))
            .take(POSITIONS / 4)
            .map(|t| Ok((register_collectivity(conn, t.id)?.id, t.name.clone())))
            .collect::<Result<Vec<_>, diesel::result::Error>>()
    })
    .unwrap();
    let theme_ids: Vec<i64> = write_transaction(&mut conn, |conn| {
        (0..THEMES)
            .map(|i| {
                let theme = NewTheme::parse(
                    &format!("Thème de mesure n° {}", i + 1),
                    "Un problème partagé par de nombreuses communes, décrit pour la mesure.",
                    "Une raison de s’y intéresser, écrite pour la mesure de charge.",
                )
                .unwrap();
                insert_theme(conn, &theme, admin, None, ThemeStatus::Open)
            })
            .collect::<Result<Vec<_>, _>>()
    })
    .unwrap();
    let started = Instant::now();
    let mut written = 0;
    for (n, (collectivity, name)) in voters.iter().enumerate() {
        for k in 0..4 {
            // Four different themes per commune (k * 75 apart), about 67 positions per theme.
            let theme = theme_ids[(n * 7 + k * 75) % THEMES];
            let engagement = Engagement::ALL[(n + k) % 3];
            let position = NewPosition {
                stakes: format!("Les enjeux de {name} sur ce thème, exposés pour la mesure."),
                engagement,
            };
            write_transaction(&mut conn, |conn| take_position(conn, theme, *collectivity, admin, &position, name))
                .unwrap();
            written += 1;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{THEMES} thèmes, {written} positionnements de {} communes en {seconds:.1} s : {:.0} positionnements/s \
         (une transaction chacun : ligne, compteurs, historique, activité)",
        voters.len(),
        written as f64 / seconds
    );
}

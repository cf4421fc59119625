//! Bench fixture (bench/plans.sh): a project of TERRITORIES participant communes of the demo, each with an adopted
//! action plan of ACTIONS actions in 5 axes, INDICATORS indicators per action (a baseline, two targets) and
//! MEASUREMENTS monthly measurements per indicator, written through the storage functions the handlers call.
//!
//! Prints "plan-path comparison-path seconds-to-seed".
//! Usage: seed_plans DATABASE_URL TERRITORIES ACTIONS INDICATORS MEASUREMENTS
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: a bench fixture stops at the first failure

use std::time::Instant;

use chrono::{Months, NaiveDate};
use encommun::domain::plan::{
    ActionContentFields, ActionInput, AdoptionFields, AdoptionInput, AxisFields, IndicatorFields, IndicatorInput,
    MeasurementFields,
};
use encommun::domain::project::{EnrolmentRole, NewProject};
use encommun::domain::territory::TerritoryKind;
use encommun::domain::theme::{NewTheme, ThemeStatus};
use encommun::storage::collectivities::register_collectivity;
use encommun::storage::diagnostic::Place;
use encommun::storage::plans::{self as store, AxisOutcome, IndicatorOutcome};
use encommun::storage::projects::{enrol, open_project, OpenOutcome};
use encommun::storage::territories::territories_of_kind;
use encommun::storage::users::find_user_by_email;
use encommun::storage::{establish, themes, write_transaction, DatabaseUrl};

fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("usage: seed_plans DATABASE_URL TERRITORIES ACTIONS INDICATORS MEASUREMENTS");
    let mut number = |what: &str| -> usize { args.next().and_then(|n| n.parse().ok()).expect(what) };
    let (territories, actions, indicators, measurements) =
        (number("TERRITORIES"), number("ACTIONS"), number("INDICATORS"), number("MEASUREMENTS"));
    let mut conn = establish(&DatabaseUrl::parse(&url)).unwrap();
    let started = Instant::now();
    let admin = find_user_by_email(&mut conn, "agence@demo.encommun.fr").unwrap().expect("the demo is loaded").id;
    let today = encommun::storage::now().date();
    let start = today.checked_sub_months(Months::new(measurements as u32)).unwrap();
    let theme = NewTheme::parse(
        "Mesure des plans d’action",
        "Un problème décrit en plus de vingt caractères.",
        "Une raison décrite en plus de vingt caractères.",
    )
    .unwrap();
    let communes = territories_of_kind(&mut conn, TerritoryKind::Commune).unwrap();
    assert!(communes.len() >= territories, "{} communes in the demo", communes.len());
    let project = write_transaction(&mut conn, |conn| {
        let theme = themes::insert_theme(conn, &theme, admin, None, ThemeStatus::Open)?;
        let project = NewProject {
            title: "Mesure des plans d’action".into(),
            description: "Une description.".into(),
            charter: "Une charte.".into(),
            min_participants: 1,
            max_participants: territories as i32,
            starts_on: start,
            ends_on: today + chrono::TimeDelta::days(365),
        };
        let OpenOutcome::Opened { project_id, .. } = open_project(conn, theme, &project, None, admin)? else {
            panic!("opened")
        };
        Ok::<_, diesel::result::Error>(project_id)
    })
    .unwrap();
    let mut first = None;
    for commune in communes.iter().take(territories) {
        let place = write_transaction(&mut conn, |conn| {
            let collectivity = register_collectivity(conn, commune.id)?;
            enrol(conn, project, collectivity.id, admin, EnrolmentRole::Participant, &commune.name)?;
            Ok::<_, diesel::result::Error>(Place { project_id: project, collectivity_id: collectivity.id })
        })
        .unwrap();
        first.get_or_insert(place);
        write_transaction(&mut conn, |conn| -> anyhow::Result<()> {
            let mut axes = Vec::new();
            for a in 0..5 {
                let axis = AxisFields::parse(&format!("Axe {} du plan de la mesure", a + 1), "Une description de l’axe.").unwrap();
                let AxisOutcome::Added(id) = store::add_axis(conn, place, &axis, admin)? else { panic!("axis") };
                axes.push(id);
            }
            for n in 0..actions {
                let title = format!("Action {} : aller vers les habitants du quartier {}", n + 1, n % 17);
                let fields = ActionContentFields::parse(&ActionInput {
                    title: &title,
                    description: "Une description de l’action, de la taille de celles qu’écrivent les territoires : qui, quoi, où, comment.",
                    lead_name: "Service cohésion sociale",
                    partners: "La Poste\nCAF",
                    starts_on: &start.to_string(),
                    ends_on: &(today + chrono::TimeDelta::days(365)).to_string(),
                    budget: &format!("{}", 1_000 * (n + 1)),
                    fundings: "Région ; 500 ; acquis\nÉtat ; 500 ; à trouver",
                    ..ActionInput::default()
                })
                .unwrap();
                let action = store::add_action(conn, place, Some(axes[n % 5]), &fields, admin, &commune.name)?.unwrap();
                for i in 0..indicators {
                    let targets = format!(
                        "{} ; {}\n{} ; {}",
                        (today + chrono::TimeDelta::days(180)).format("%d/%m/%Y"),
                        500 + i,
                        (today + chrono::TimeDelta::days(365)).format("%d/%m/%Y"),
                        1_000 + i
                    );
                    let indicator = IndicatorFields::parse(&IndicatorInput {
                        name: &format!("Indicateur {} de l’action", i + 1),
                        unit: "personnes",
                        direction: "up",
                        frequency: "monthly",
                        baseline_on: &start.to_string(),
                        baseline_value: "0",
                        targets: &targets,
                        ..IndicatorInput::default()
                    })
                    .unwrap();
                    let IndicatorOutcome::Saved(id) = store::save_indicator(conn, place, action, None, &indicator, admin)? else {
                        panic!("indicator")
                    };
                    for m in 0..measurements {
                        let on: NaiveDate = start.checked_add_months(Months::new(m as u32 + 1)).unwrap().min(today);
                        let value = ((m + 1) * (20 + i + n % 7)).to_string();
                        let fields = MeasurementFields::parse(&on.to_string(), &value, m % 5 == 0, "", today).unwrap();
                        store::add_measurement(conn, place, id, &fields, None, admin)?;
                    }
                }
            }
            store::submit(conn, place, admin, &commune.name)?;
            let adoption = AdoptionFields::parse(
                &AdoptionInput {
                    body: "conseil_municipal",
                    act_kind: "deliberation",
                    act_number: "2026-1",
                    adopted_on: &today.to_string(),
                    votes_for: "20",
                    act_url: "https://exemple.fr/acte",
                    ..AdoptionInput::default()
                },
                false,
                today,
            )
            .unwrap();
            store::adopt(conn, place, &adoption, None, admin, &commune.name, "Mesure des plans d’action")?;
            Ok(())
        })
        .unwrap();
    }
    let first = first.expect("a territory");
    println!(
        "/projets/{}/plan/{} /projets/{}/plans {:.1}",
        first.project_id,
        first.collectivity_id,
        project,
        started.elapsed().as_secs_f64()
    );
}

//! Property-based fuzzing of every parser the project owns: territory files, form bodies, text folding, the
//! parsed types of the domain. Arbitrary and mutated inputs must never panic, and what is accepted must be valid.
//! Cases per property: `PROPTEST_CASES` (CI runs a short pass; raise it locally for a longer hunt).
#![allow(clippy::unwrap_used)] // reason: properties stop at the failing line

use encommun::domain::account::{DisplayName, EmailAddress};
use encommun::domain::codesign::{parse_dots, parse_score, parse_weight, Candidate, Evidence, NewIdea};
use encommun::domain::plan::{
    check_pdf, euros, number_fr, parse_amount, parse_targets, parse_value, ActionStatus, Frequency, Funding, Milestone,
};
use encommun::domain::territory::{parse_insee_code, parse_postcodes, parse_siren};
use encommun::domain::text::fold;
use encommun::import::territories::parse_bytes;
use encommun::web::middleware::decode_form;
use proptest::prelude::*;

const VALID_CSV: &str = "code_insee,nom,departement,departement_nom,region,region_nom,population,codes_postaux,siren_commune,epci_siren,epci_nom,epci_type\n\
86066,Châtellerault,86,Vienne,75,Nouvelle-Aquitaine,31003,86100,218600666,248600413,CA Grand Châtellerault,CA\n\
93066,Saint-Denis,93,Seine-Saint-Denis,11,Île-de-France,149077,93200 93210 93380,929939411,200054781,Métropole du Grand Paris,METRO\n\
2A004,Ajaccio,2A,Corse-du-Sud,94,Corse,71361,20000 20090,212000046,242010056,CA du Pays Ajaccien,CA\n";

const VALID_JSON: &str = r#"[{"code":"248600413","nom":"CA Grand Châtellerault","type":"CA","populationMunicipale":82964,"membres":["86066","86070"]},{"code":"200054781","nom":"Métropole du Grand Paris","type":"METRO","populationMunicipale":7076019,"membres":["93066"]}]"#;

/// A valid file with a few bytes replaced, inserted or removed: the dirt real files have.
fn mutated(seed: &'static str) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec((0..seed.len(), any::<u8>(), 0u8..3), 1..8).prop_map(move |edits| {
        let mut bytes = seed.as_bytes().to_vec();
        for (at, byte, kind) in edits {
            let at = at.min(bytes.len().saturating_sub(1));
            match kind {
                0 => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ => {
                    bytes.remove(at);
                }
            }
        }
        bytes
    })
}

fn check_parsed(bytes: &[u8]) {
    if let Ok(parsed) = parse_bytes("fuzz", bytes) {
        for row in &parsed.rows {
            assert!(!row.name.is_empty() && !row.code.is_empty());
            if row.kind == encommun::domain::territory::TerritoryKind::Commune {
                assert_eq!(parse_insee_code(&row.code).as_deref(), Ok(row.code.as_str()));
            }
            assert!(parse_postcodes(row.postcodes.trim()).is_ok());
        }
        for error in &parsed.errors {
            assert!(!error.message.is_empty());
        }
    }
}

/// Found by CI: lone carriage returns end lines for the CSV reader, so a header cut by them is reported, not a panic,
/// and the lines after it are each a row or an error.
#[test]
fn lone_carriage_returns_end_lines() {
    let bytes = VALID_CSV.replacen("region,region_nom", "region\rr\rgion_nom", 1).into_bytes();
    check_parsed(&bytes);
    let parsed = parse_bytes("fuzz.csv", &bytes);
    match parsed {
        Ok(parsed) => assert!(
            parsed.rows.len() + parsed.errors.len() <= 6,
            "{} rows, {} errors",
            parsed.rows.len(),
            parsed.errors.len()
        ),
        Err(error) => assert!(!error.message.is_empty()),
    }
}

proptest! {
    #[test]
    fn territory_files_never_panic_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check_parsed(&bytes);
    }

    #[test]
    fn mutated_communes_files_are_parsed_or_reported(bytes in mutated(VALID_CSV)) {
        check_parsed(&bytes);
        if let Ok(parsed) = parse_bytes("fuzz.csv", &bytes) {
            // Every data line ends up either as a row or as an error, never silently dropped. A line ends at `\n`,
            // `\r\n` or a lone `\r`, as the CSV reader (and old spreadsheets) have it.
            let text = String::from_utf8_lossy(&bytes);
            let lines = text.split(['\r', '\n']).skip(1).filter(|l| !l.trim().is_empty()).count();
            prop_assert!(parsed.rows.len() + parsed.errors.len() <= lines.max(1) + 1);
        }
    }

    #[test]
    fn mutated_epci_files_are_parsed_or_reported(bytes in mutated(VALID_JSON)) {
        check_parsed(&bytes);
    }

    #[test]
    fn form_bodies_decode_to_clean_text_or_are_refused(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Some(fields) = decode_form(&bytes) {
            for (key, value) in fields {
                prop_assert!(!key.contains('\0') && !value.contains('\0'));
            }
        }
    }

    #[test]
    fn folding_is_idempotent_and_plain(text in any::<String>()) {
        let folded = fold(&text);
        prop_assert_eq!(fold(&folded), folded.clone());
        prop_assert!(folded.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' '));
        prop_assert!(!folded.contains("  ") && !folded.starts_with(' ') && !folded.ends_with(' '));
    }

    #[test]
    fn parsed_types_are_stable(text in any::<String>()) {
        if let Ok(email) = EmailAddress::parse(&text) {
            prop_assert_eq!(EmailAddress::parse(email.as_str()).unwrap(), email);
        }
        if let Ok(name) = DisplayName::parse(&text) {
            prop_assert_eq!(DisplayName::parse(name.as_str()).unwrap(), name);
        }
        if let Ok(code) = parse_insee_code(&text) {
            prop_assert_eq!(code.len(), 5);
        }
        if let Ok(siren) = parse_siren(&text) {
            prop_assert!(siren.len() == 9 && siren.bytes().all(|b| b.is_ascii_digit()));
        }
        if let Ok(candidate) = Candidate::parse(&text) {
            prop_assert_eq!(Candidate::parse(&candidate.code()).unwrap(), candidate);
        }
        if let Ok(evidence) = Evidence::parse(&text) {
            prop_assert_eq!(Evidence::parse(&evidence.code()).unwrap(), evidence);
        }
        if let Ok(Some(score)) = parse_score(&text) {
            prop_assert!((0..=5).contains(&score));
        }
        if let Ok(weight) = parse_weight(&text) {
            prop_assert!((1..=10).contains(&weight));
        }
        if let Ok(dots) = parse_dots(&text) {
            prop_assert!((1..=50).contains(&dots));
        }
    }

    #[test]
    fn ideas_accepted_are_bounded_and_clean(title in any::<String>(), body in any::<String>()) {
        if let Ok(idea) = NewIdea::parse(&title, &body) {
            prop_assert!((3..=140).contains(&idea.title.chars().count()));
            prop_assert!(!idea.title.chars().any(char::is_control));
            prop_assert!(idea.body.chars().count() <= 2_000);
            prop_assert_eq!(NewIdea::parse(&idea.title, &idea.body).unwrap(), idea);
        }
    }

    #[test]
    fn plan_amounts_and_values_round_trip(cents in 0i64..10_000_000_000_000, value in -1e9f64..1e9) {
        // What the page writes (narrow no-break spaces, a comma), a person types back.
        let written = euros(cents);
        prop_assert_eq!(parse_amount(&written, "Le budget").unwrap(), Some(cents));
        let rounded = (value * 100.0).round() / 100.0;
        let read = parse_value(&number_fr(rounded), "La valeur").unwrap();
        prop_assert!((read - rounded).abs() < 1e-6, "{} → {}", rounded, read);
    }

    #[test]
    fn plan_lines_are_parsed_or_reported_by_line(text in any::<String>(), bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        if let Ok(fundings) = Funding::parse_lines(&text) {
            for f in &fundings {
                prop_assert!(f.amount_cents >= 0);
                prop_assert_eq!(Funding::parse_lines(&f.to_line()).unwrap(), vec![f.clone()]);
            }
        } else if let Err(e) = Funding::parse_lines(&text) {
            prop_assert!(e.starts_with("Financements, ligne "), "{}", e);
        }
        if let Ok(milestones) = Milestone::parse_lines(&text) {
            for m in &milestones {
                prop_assert_eq!(Milestone::parse_lines(&m.to_line()).unwrap(), vec![m.clone()]);
            }
        }
        if let Ok(targets) = parse_targets(&text) {
            prop_assert!(targets.windows(2).all(|w| w[0].0 < w[1].0), "sorted, one per date");
        }
        let _ = ActionStatus::parse(&text);
        let _ = Frequency::parse(&text);
        let _ = check_pdf(&bytes);
    }
}

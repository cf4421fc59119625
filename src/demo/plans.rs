//! The action plans of the demo's project « Accès aux droits »: Grand Châtellerault's is adopted — three axes, the
//! workshop's three retained actions completed and two written in the plan, their leads and partners from the
//! diagnostic, budgets and funding, indicators with a baseline, targets and measurements, « l'étape d'après », the
//! community council's deliberation as a PDF, the follow-up meeting six months on, and a first review; an action is
//! late, another follows its milestones. Agglopolys's plan is being written.

use chrono::{NaiveDate, TimeDelta};

use super::access::Cast;
use crate::domain::codesign::Evidence;
use crate::domain::plan::{
    ActionContentFields, ActionInput, ActionStatus, AdoptionFields, AdoptionInput, AxisFields, IndicatorFields,
    IndicatorInput, MeasurementFields, NextSteps, ProgressFields, ProgressInput,
};
use crate::storage::codesign as codesign_store;
use crate::storage::diagnostic::{self, Place};
use crate::storage::plans::{
    self as store, ActFile, AdoptOutcome, AxisOutcome, IndicatorOutcome, NewReview, ReviewLine, Saved, SubmitOutcome,
};
use crate::storage::{self, DbConnection};

fn fail<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow::anyhow!("démonstration : {e:?}")
}

/// « JJ/MM/AAAA », `days` from today.
fn day(today: NaiveDate, days: i64) -> String {
    (today + TimeDelta::days(days)).format("%d/%m/%Y").to_string()
}

fn iso(today: NaiveDate, days: i64) -> String {
    (today + TimeDelta::days(days)).to_string()
}

struct DemoIndicator<'a> {
    name: &'a str,
    unit: &'a str,
    frequency: &'a str,
    source: &'a str,
    baseline: (i64, &'a str),
    targets: &'a [(i64, &'a str)],
    /// (days from today, value).
    measured: &'a [(i64, &'a str)],
}

fn axis(conn: &mut DbConnection, place: Place, title: &str, description: &str, by: i64) -> anyhow::Result<i64> {
    match store::add_axis(conn, place, &AxisFields::parse(title, description).map_err(fail)?, by)? {
        AxisOutcome::Added(id) | AxisOutcome::Exists(id) => Ok(id),
        AxisOutcome::Frozen(f) => Err(fail(f)),
    }
}

fn indicator(
    conn: &mut DbConnection,
    place: Place,
    action: i64,
    i: &DemoIndicator,
    today: NaiveDate,
    by: i64,
) -> anyhow::Result<i64> {
    let targets: Vec<String> = i.targets.iter().map(|(d, v)| format!("{} ; {v}", day(today, *d))).collect();
    let fields = IndicatorFields::parse(&IndicatorInput {
        name: i.name,
        unit: i.unit,
        direction: "up",
        frequency: i.frequency,
        source: i.source,
        method: "",
        baseline_on: &iso(today, i.baseline.0),
        baseline_value: i.baseline.1,
        targets: &targets.join("\n"),
    })
    .map_err(fail)?;
    let IndicatorOutcome::Saved(id) = store::save_indicator(conn, place, action, None, &fields, by)? else {
        anyhow::bail!("indicateur non enregistré : {}", i.name);
    };
    for (d, value) in i.measured {
        let m = MeasurementFields::parse(&iso(today, *d), value, false, "", today).map_err(fail)?;
        store::add_measurement(conn, place, id, &m, None, by)?;
    }
    Ok(id)
}

/// The content of an action, with its axis, saved over what the workshop retained (its lineage stays).
fn complete(
    conn: &mut DbConnection,
    place: Place,
    action: i64,
    axis: i64,
    input: &ActionInput,
    by: i64,
) -> anyhow::Result<()> {
    let fields = ActionContentFields::parse(input).map_err(fail)?;
    let row = store::find_action(conn, place, action)?.ok_or_else(|| fail("action"))?;
    match store::save_action_content(conn, place, action, row.revision, Some(axis), &fields, by)? {
        Ok(Saved::Saved | Saved::Unchanged) => Ok(()),
        other => Err(fail(format!("{other:?}"))),
    }
}

fn progress(conn: &mut DbConnection, place: Place, action: i64, input: &ProgressInput, by: i64) -> anyhow::Result<()> {
    let fields = ProgressFields::parse(input).map_err(fail)?;
    let row = store::find_action(conn, place, action)?.ok_or_else(|| fail("action"))?;
    match store::save_action_progress(conn, place, action, row.revision, &fields, by)? {
        Saved::Saved | Saved::Unchanged => Ok(()),
        other => Err(fail(format!("{other:?}"))),
    }
}

pub fn load(conn: &mut DbConnection, project_id: i64, cast: &Cast) -> anyhow::Result<()> {
    load_chatellerault(conn, Place { project_id, collectivity_id: cast.chatellerault }, cast)?;
    load_agglopolys(conn, Place { project_id, collectivity_id: cast.agglopolys }, cast)
}

fn load_chatellerault(conn: &mut DbConnection, place: Place, cast: &Cast) -> anyhow::Result<()> {
    let (by, territory) = (cast.provider_member, "CA Grand Châtellerault");
    let today = storage::now().date();
    let sheets = diagnostic::entries_of_territory(conn, place)?;
    let sheet = |name: &str| sheets.iter().find(|s| s.name == name).map(|s| s.id).ok_or_else(|| fail(name.to_owned()));
    let ccas = sheet("Centre communal d’action sociale de Châtellerault")?.to_string();
    let relais = sheet("Relais numérique du Châtelleraudais")?.to_string();
    let mds = sheet("Maison départementale des solidarités")?.to_string();
    let conseil = sheet("Conseil citoyen de la Plaine d’Ozon")?.to_string();
    let retained = codesign_store::actions_of(conn, place)?;
    let retained_titled =
        |title: &str| retained.iter().find(|a| a.title == title).map(|a| a.id).ok_or_else(|| fail(title.to_owned()));
    let (going, digital, orient) = (
        retained_titled("Aller vers les habitants")?,
        retained_titled("Accompagner au numérique")?,
        retained_titled("Se repérer et se faire aider")?,
    );
    let towards = axis(
        conn,
        place,
        "Aller vers les habitants éloignés des guichets",
        "Le diagnostic l’a montré : un guichet, même proche, n’atteint pas ceux qui n’y viennent pas.",
        by,
    )?;
    let autonomy = axis(conn, place, "Accompagner vers l’autonomie numérique", "", by)?;
    let coordinate = axis(conn, place, "Coordonner les acteurs de l’accès aux droits", "", by)?;
    let (start, end) = (iso(today, -60), iso(today, 540));
    complete(
        conn,
        place,
        going,
        towards,
        &ActionInput {
            title: "Un bus France services dans les bourgs et une permanence au marché",
            description:
                "Le bus passe chaque semaine dans les communes sans guichet ; le samedi matin, deux conseillers \
                tiennent une table au marché de Châtellerault.",
            lead_entry: &ccas,
            partner_entries: vec![&mds, &conseil],
            partners: "La Poste\nCAF de la Vienne",
            starts_on: &start,
            ends_on: &end,
            budget: "180 000",
            fundings:
                "État (labellisation France services) ; 60 000 ; acquis\nRégion Nouvelle-Aquitaine ; 40 000 ; acquis\n\
                Agglomération ; 50 000 ; acquis\nFonds européens (FSE+) ; 30 000 ; à trouver",
            priority: "1",
            ..ActionInput::default()
        },
        by,
    )?;
    let (start, end) = (iso(today, -30), iso(today, 365));
    complete(
        conn,
        place,
        digital,
        autonomy,
        &ActionInput {
            title: "Des ateliers numériques à la médiathèque et dans les centres sociaux",
            description:
                "Des cycles de six séances, en petit groupe, pour faire ses démarches en ligne seul ou presque.",
            lead_entry: &relais,
            partners: "Médiathèque La Rocheforte\nCentre socioculturel d’Ozon",
            starts_on: &start,
            ends_on: &end,
            budget: "45 000",
            fundings: "Conseil départemental de la Vienne ; 20 000 ; acquis\nAgglomération ; 25 000 ; acquis",
            ..ActionInput::default()
        },
        by,
    )?;
    let (start, end) = (iso(today, -200), iso(today, 200));
    complete(
        conn,
        place,
        orient,
        coordinate,
        &ActionInput {
            title: "Un annuaire partagé des aidants et une orientation en un appel",
            description: "Qui aide à quoi, où et quand : un annuaire tenu à jour par les acteurs eux-mêmes, et un \
                numéro unique qui oriente.",
            lead_name: "Service cohésion sociale de l’agglomération",
            partner_entries: vec![&ccas, &mds],
            starts_on: &start,
            ends_on: &end,
            budget: "15 000",
            fundings: "Agglomération ; 15 000 ; acquis",
            ..ActionInput::default()
        },
        by,
    )?;
    let (start, end) = (iso(today, -150), iso(today, 120));
    let training = ActionContentFields::parse(&ActionInput {
        title: "Former les secrétaires de mairie au premier accueil social",
        description: "Une journée de formation pour savoir orienter : droits, aides, interlocuteurs.",
        lead_name: "Centre de gestion de la Vienne",
        starts_on: &start,
        ends_on: &end,
        budget: "8 000",
        fundings: "Agglomération ; 8 000 ; acquis",
        priority: "3",
        ..ActionInput::default()
    })
    .map_err(fail)?;
    let training = store::add_action(conn, place, Some(coordinate), &training, by, territory)?.map_err(fail)?;
    // Indicators: a baseline, targets, what was measured since the pilot began.
    let received = indicator(
        conn,
        place,
        going,
        &DemoIndicator {
            name: "Personnes reçues par le bus et au marché",
            unit: "personnes",
            frequency: "monthly",
            source: "Registre d’accueil France services",
            baseline: (-120, "0"),
            targets: &[(240, "600"), (540, "1500")],
            measured: &[(-90, "45"), (-60, "110"), (-30, "190")],
        },
        today,
        by,
    )?;
    indicator(
        conn,
        place,
        going,
        &DemoIndicator {
            name: "Communes sans guichet desservies",
            unit: "%",
            frequency: "quarterly",
            source: "Tournées du bus",
            baseline: (-120, "0"),
            targets: &[(365, "100")],
            measured: &[(-30, "40")],
        },
        today,
        by,
    )?;
    indicator(
        conn,
        place,
        digital,
        &DemoIndicator {
            name: "Personnes ayant suivi un cycle complet",
            unit: "personnes",
            frequency: "quarterly",
            source: "Relais numérique",
            baseline: (-30, "0"),
            targets: &[(365, "300")],
            measured: &[],
        },
        today,
        by,
    )?;
    indicator(
        conn,
        place,
        training,
        &DemoIndicator {
            name: "Secrétaires de mairie formées",
            unit: "personnes",
            frequency: "yearly",
            source: "Centre de gestion",
            baseline: (-150, "0"),
            targets: &[(120, "47")],
            measured: &[],
        },
        today,
        by,
    )?;
    // What the bus answers, cited directly: the questionnaire's question on the time to reach a guichet.
    let questions = codesign_store::questions_of_territory(conn, place)?;
    if let Some((question, _, _)) = questions.iter().find(|(_, _, label)| label.starts_with("Combien de minutes")) {
        store::cite(conn, place, going, Evidence::Question(*question), by)?;
    }
    store::cite(conn, place, going, Evidence::Sheet(sheet("France services Châtellerault - Plaine d’Ozon")?), by)?;
    let next = NextSteps::parse(
        "Un comité de suivi chaque trimestre, présidé par la vice-présidente aux solidarités, avec les pilotes des \
        actions. Le prestataire accompagne la première année.",
        "Deux habitants du conseil citoyen siègent au comité de suivi ; une restitution publique au marché chaque \
        année ; le questionnaire est reposé dans deux ans.",
        "Les indicateurs de chaque action, relevés par leur pilote aux dates prévues et saisis sur la plateforme ; une \
        revue à six mois, puis chaque année.",
    )
    .map_err(fail)?;
    let revision = store::find_plan(conn, place)?.map_or(1, |p| p.revision);
    store::save_next_steps(conn, place, revision, &next, by)?;
    store::add_comment(
        conn,
        place,
        going,
        "Chiffrer l’entretien du véhicule avant l’été : le devis de la CAF date de deux ans.",
        cast.chatellerault_referent,
    )?;
    match store::submit(conn, place, by, territory)? {
        SubmitOutcome::Submitted(_) => {}
        other => anyhow::bail!("démonstration : plan non soumis ({other:?})"),
    }
    let adopted_on = iso(today, -1);
    let adoption = AdoptionFields::parse(
        &AdoptionInput {
            body: "conseil_communautaire",
            act_kind: "deliberation",
            act_number: "2026-117",
            adopted_on: &adopted_on,
            votes_for: "61",
            votes_against: "4",
            abstentions: "3",
            act_url: "",
        },
        true,
        today,
    )
    .map_err(fail)?;
    let pdf = act_pdf(&[
        "Communauté d'agglomération Grand Châtellerault",
        "Conseil communautaire",
        "Délibération n° 2026-117",
        "Objet : adoption du plan d'action « Accès aux droits »",
        "Le conseil communautaire adopte le plan d'action annexé.",
        "Votes : 61 pour, 4 contre, 3 abstentions.",
    ]);
    let act = ActFile { file_name: "deliberation-2026-117.pdf", content: &pdf };
    match store::adopt(conn, place, &adoption, Some(act), cast.chatellerault_referent, territory, super::access::TITLE)?
    {
        AdoptOutcome::Adopted { .. } => {}
        other => anyhow::bail!("démonstration : plan non adopté ({other:?})"),
    }
    // Carried out: the bus runs, the workshops follow their milestones, the training has not started.
    progress(
        conn,
        place,
        going,
        &ProgressInput { status: "ongoing", progress_mode: "indicators", ..ProgressInput::default() },
        by,
    )?;
    let milestones = format!(
        "{} ; Recrutement de deux conseillers numériques ; fait le {}\n{} ; Premier cycle à la médiathèque\n{} ; Ateliers dans les trois centres sociaux",
        day(today, -20),
        day(today, -25),
        day(today, 60),
        day(today, 180)
    );
    progress(
        conn,
        place,
        digital,
        &ProgressInput {
            status: "ongoing",
            progress_mode: "milestones",
            milestones: &milestones,
            ..ProgressInput::default()
        },
        by,
    )?;
    progress(
        conn,
        place,
        orient,
        &ProgressInput {
            status: "ongoing",
            progress_mode: "manual",
            progress_manual: "30",
            ..ProgressInput::default()
        },
        by,
    )?;
    // A first review, the day after the adoption: where each action stands, and the bus's latest figure.
    let line = |action_id, status, done: &str, obstacles: &str, means: &str| ReviewLine {
        action_id,
        status,
        status_reason: String::new(),
        done: done.into(),
        obstacles: obstacles.into(),
        means: means.into(),
    };
    let lines = [
        line(
            going,
            ActionStatus::Ongoing,
            "Le bus passe dans quatorze communes ; la permanence du marché tient chaque samedi.",
            "Le marché d’hiver est plus petit : moins de passage.",
            "Annoncer les passages du bus dans les bulletins municipaux.",
        ),
        line(digital, ActionStatus::Ongoing, "Deux conseillers numériques recrutés.", "", ""),
        line(
            orient,
            ActionStatus::Ongoing,
            "L’annuaire recense 38 aidants.",
            "Les associations n’ont pas le temps de le tenir à jour.",
            "Une relance trimestrielle par le CCAS.",
        ),
        line(
            training,
            ActionStatus::Planned,
            "",
            "Le centre de gestion n’a pas encore de date.",
            "Le relancer par le vice-président.",
        ),
    ];
    let review = NewReview {
        held_on: today,
        summary: "Un bon départ pour le bus ; la formation des secrétaires de mairie prend du retard.".into(),
        lines: lines.to_vec(),
        measured: vec![(
            received,
            MeasurementFields::parse(&iso(today, 0), "260", true, "Revue de suivi", today).map_err(fail)?,
        )],
    };
    store::record_review(conn, place, &review, by, territory)?;
    Ok(())
}

fn load_agglopolys(conn: &mut DbConnection, place: Place, cast: &Cast) -> anyhow::Result<()> {
    let by = cast.agglopolys_referent;
    let rural = axis(conn, place, "Rapprocher les guichets des communes rurales", "", by)?;
    let fields = ActionContentFields::parse(&ActionInput {
        title: "Des permanences dans les mairies rurales",
        description: "Une demi-journée par mois, par roulement, avec un conseiller France services.",
        budget: "20 000",
        ..ActionInput::default()
    })
    .map_err(fail)?;
    store::add_action(conn, place, Some(rural), &fields, by, "CA de Blois « Agglopolys »")?.map_err(fail)?;
    Ok(())
}

/// A one-page PDF holding `lines` (Helvetica, WinAnsi encoding): the demo's deliberation.
fn act_pdf(lines: &[&str]) -> Vec<u8> {
    let mut text = Vec::new();
    text.extend_from_slice(b"BT /F1 12 Tf 72 770 Td 16 TL\n");
    for line in lines {
        text.push(b'(');
        for c in line.chars() {
            match c {
                '(' | ')' | '\\' => {
                    text.push(b'\\');
                    text.push(c as u8);
                }
                '’' => text.push(0x92),
                c if (c as u32) < 256 => text.push(c as u32 as u8),
                _ => text.push(b'?'),
            }
        }
        text.extend_from_slice(b") Tj T*\n");
    }
    text.extend_from_slice(b"ET\n");
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
    ];
    let mut stream = format!("<< /Length {} >>\nstream\n", text.len()).into_bytes();
    stream.extend_from_slice(&text);
    stream.extend_from_slice(b"endstream");
    objects.push(stream);
    objects.push(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec());
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(object);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    pdf
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_act_is_a_whole_pdf() {
        let pdf = super::act_pdf(&["Délibération n° 2026-117 (adoptée)"]);
        assert!(crate::domain::plan::check_pdf(&pdf).is_ok());
        assert!(pdf.windows(3).any(|w| w == b"D\xe9l"), "WinAnsi accents");
    }
}

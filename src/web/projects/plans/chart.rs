//! An indicator's chart, drawn by the server as SVG: the path from the baseline through the targets (dashed), the
//! measurements (a line with its points, hollow when estimated). It is hidden from assistive technologies: the
//! table beside it holds the same figures.

use chrono::NaiveDate;
use maud::{html, Markup};

use crate::domain::plan::{date_fr, number_fr};
use crate::storage::plans::IndicatorDetail;
use crate::web::views::scroll_table;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 36.0;

pub fn indicator_chart(indicator: &IndicatorDetail) -> Markup {
    let mut dated: Vec<(NaiveDate, f64)> = indicator.row.baseline().into_iter().collect();
    dated.extend(indicator.targets.iter().copied());
    dated.extend(indicator.measurements.iter().map(|m| (m.measured_on, m.value)));
    if dated.len() < 2 {
        return html! {};
    }
    let (first, last) = match (dated.iter().map(|d| d.0).min(), dated.iter().map(|d| d.0).max()) {
        (Some(f), Some(l)) if l > f => (f, l),
        _ => return html! {},
    };
    let lowest = dated.iter().map(|d| d.1).fold(f64::INFINITY, f64::min).min(0.0);
    let highest = dated.iter().map(|d| d.1).fold(f64::NEG_INFINITY, f64::max);
    let span = if highest > lowest { highest - lowest } else { 1.0 };
    let days = (last - first).num_days() as f64;
    let x = |d: NaiveDate| LEFT + (d - first).num_days() as f64 / days * (WIDTH - LEFT - RIGHT);
    let y = |v: f64| TOP + (1.0 - (v - lowest) / span) * (HEIGHT - TOP - BOTTOM);
    let path_points: Vec<(f64, f64)> = indicator
        .row
        .baseline()
        .into_iter()
        .chain(indicator.targets.iter().copied())
        .map(|(d, v)| (x(d), y(v)))
        .collect();
    let measured: Vec<(f64, f64, bool)> =
        indicator.measurements.iter().map(|m| (x(m.measured_on), y(m.value), m.estimated)).collect();
    let polyline =
        |points: &[(f64, f64)]| points.iter().map(|(a, b)| format!("{a:.1},{b:.1}")).collect::<Vec<_>>().join(" ");
    let measured_line: Vec<(f64, f64)> = measured.iter().map(|(a, b, _)| (*a, *b)).collect();
    let ticks = [lowest, lowest + span / 2.0, lowest + span];
    html! {
        figure class="chart" {
            svg viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } width="100%" role="img" aria-hidden="true" focusable="false" {
                @for tick in ticks {
                    line x1=(LEFT) x2=(WIDTH - RIGHT) y1=(format!("{:.1}", y(tick))) y2=(format!("{:.1}", y(tick))) class="chart-grid" {}
                    text x=(LEFT - 6.0) y=(format!("{:.1}", y(tick) + 4.0)) text-anchor="end" class="chart-label" { (number_fr(tick)) }
                }
                text x=(LEFT) y=(HEIGHT - 10.0) class="chart-label" { (date_fr(first)) }
                text x=(WIDTH - RIGHT) y=(HEIGHT - 10.0) text-anchor="end" class="chart-label" { (date_fr(last)) }
                @if path_points.len() >= 2 {
                    polyline points=(polyline(&path_points)) class="chart-target" fill="none" {}
                }
                @for (px, py) in &path_points {
                    rect x=(format!("{:.1}", px - 4.0)) y=(format!("{:.1}", py - 4.0)) width="8" height="8" class="chart-target-point" {}
                }
                @if measured_line.len() >= 2 {
                    polyline points=(polyline(&measured_line)) class="chart-measured" fill="none" {}
                }
                @for (mx, my, estimated) in &measured {
                    circle cx=(format!("{mx:.1}")) cy=(format!("{my:.1}")) r="5" class=(if *estimated { "chart-estimated" } else { "chart-point" }) {}
                }
            }
            figcaption { "Trajectoire visée (tirets, carrés) et mesures (trait plein ; rond creux pour une estimation). Les chiffres sont dans le tableau." }
        }
    }
}

/// The same figures as the chart: baseline, targets, measurements, in date order.
pub fn indicator_table(indicator: &IndicatorDetail) -> Markup {
    let unit = if indicator.row.unit.is_empty() { String::new() } else { format!(" {}", indicator.row.unit) };
    let mut rows: Vec<(NaiveDate, &str, f64, String)> = Vec::new();
    if let Some((on, value)) = indicator.row.baseline() {
        rows.push((on, "Référence", value, String::new()));
    }
    rows.extend(indicator.targets.iter().map(|(on, value)| (*on, "Cible", *value, String::new())));
    for m in &indicator.measurements {
        let who = m.entered_by.clone().unwrap_or_default();
        let note = [m.comment.as_str(), who.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" — ");
        rows.push((m.measured_on, if m.estimated { "Estimation" } else { "Mesure" }, m.value, note));
    }
    rows.sort_by_key(|r| r.0);
    let caption = format!("Valeurs de l’indicateur « {} »", indicator.row.name);
    html! {
        @if rows.is_empty() {
            p { "Ni référence, ni cible, ni mesure pour l’instant." }
        } @else {
            (scroll_table(&caption, html! {
                table {
                    caption class="visually-hidden" { (caption) }
                    thead { tr { th scope="col" { "Date" } th scope="col" { "Nature" } th scope="col" { "Valeur" } th scope="col" { "Commentaire" } } }
                    tbody {
                        @for (on, kind, value, note) in &rows {
                            tr { td { (date_fr(*on)) } td { (kind) } td { (number_fr(*value)) (unit) } td { (note) } }
                        }
                    }
                }
            }))
        }
    }
}

//! A question's results as pages show them: counts and shares with a bar chart drawn by the server and its data
//! table beside it (the table is what assistive technologies read), matrices, mean ranks, figures of numbers, and
//! free answers with a search — on the questionnaire's results page, and on a restitution, which shows no free
//! answer (only the quotes its group chose).

use maud::{html, Markup};

use super::percent;
use crate::domain::questionnaire::{Question, QuestionType, Summary};
use crate::domain::text::fold;
use crate::web::views::{date_fr, scroll_table};

/// Free answers shown per question; a search narrows them.
const TEXTS_SHOWN: usize = 100;

fn decimal(value: f64) -> String {
    let text = if value.fract() == 0.0 { format!("{value:.0}") } else { format!("{value:.2}") };
    text.replace('.', ",")
}

/// Horizontal bars, one per option, scaled to the largest count. Decorative for assistive technologies: the table
/// that follows carries the same figures. The words are text of the page, not of the picture: they keep the
/// page's size at any width (a picture scaled to a phone shrank them to 9 px) and wrap instead of being cut.
fn bar_chart(rows: &[(String, i64)]) -> Markup {
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    html! {
        div class="chart" aria-hidden="true" {
            @for (label, n) in rows {
                div class="chart-row" {
                    (label) " : " strong { (n) }
                    br;
                    svg class="chart-bar" focusable="false" width="100%" height="16" viewBox="0 0 100 16" preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg" {
                        rect x="0" y="2" width=(format!("{:.1}", *n as f64 / max as f64 * 100.0)) height="12" fill="#000091" {}
                    }
                }
            }
        }
    }
}

/// A free answer as people read it: a date in words (« 3 février 2027 »), coordinates in degrees; a place given
/// in words stays as it was written.
fn free_answer(question: &Question, value: &str) -> String {
    match question.kind {
        QuestionType::Date => {
            chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").map_or_else(|_| value.to_owned(), date_fr)
        }
        QuestionType::Place => coordinates(value).unwrap_or_else(|| value.to_owned()),
        _ => value.to_owned(),
    }
}

/// "46.800000,0.540000" as « 46,8° N, 0,54° E »; None for a place given in words.
fn coordinates(value: &str) -> Option<String> {
    let (lat, lon) = value.split_once(',')?;
    let (lat, lon): (f64, f64) = (lat.trim().parse().ok()?, lon.trim().parse().ok()?);
    let degrees = |v: f64| {
        let text = format!("{:.5}", v.abs());
        text.trim_end_matches('0').trim_end_matches('.').replace('.', ",")
    };
    Some(format!(
        "{}° {}, {}° {}",
        degrees(lat),
        if lat < 0.0 { "S" } else { "N" },
        degrees(lon),
        if lon < 0.0 { "O" } else { "E" }
    ))
}

/// A table that may be wider than a phone: it scrolls sideways, by keyboard too, and says what it holds.
/// A point of a scale with its words when it is an end: « 1 (Pas du tout) ».
fn point_label(question: &Question, point: i64) -> String {
    let (min, max) = question.settings.scale();
    match point {
        p if p == min && !question.settings.min_label.is_empty() => format!("{p} ({})", question.settings.min_label),
        p if p == max && !question.settings.max_label.is_empty() => format!("{p} ({})", question.settings.max_label),
        p => p.to_string(),
    }
}

pub fn question_results(
    number: &str,
    question: &Question,
    (summary, others): (&Summary, &[(String, i64)]),
    answered: i64,
    search: &str,
) -> Markup {
    let heading = format!("question-{}", question.id);
    let caption = format!("Réponses à « {} »", question.label);
    html! {
        section class="result" aria-labelledby=(heading) {
            h2 id=(heading) { (number) (question.label) }
            p class="meta" { (answered) " répondant" @if answered > 1 { "s" } " à cette question" }
            @match summary {
                Summary::Options(rows) => {
                    @let rows: Vec<(String, i64)> = match question.kind {
                        QuestionType::Scale => rows.iter().map(|(label, n)| (label.parse().map_or_else(|_| label.clone(), |p| point_label(question, p)), *n)).collect(),
                        _ => rows.clone(),
                    };
                    (bar_chart(&rows))
                    (scroll_table(&caption, html! {
                        table {
                            caption class="visually-hidden" { (caption) }
                            thead { tr { th scope="col" { "Réponse" } th scope="col" class="num" { "Nombre" } th scope="col" class="num" { "Part des répondants" } } }
                            tbody {
                                @for (label, n) in &rows {
                                    tr { th scope="row" { (label) } td class="num" { (n) } td class="num" { (percent(*n, answered)) } }
                                }
                            }
                        }
                    }))
                    @if !others.is_empty() {
                        h3 { "Précisions données avec « Autre »" }
                        ul class="free-answers" {
                            @for (text, n) in others.iter().take(TEXTS_SHOWN) {
                                li { (text) @if *n > 1 { span class="meta" { " (" (n) " fois)" } } }
                            }
                        }
                        @if others.len() > TEXTS_SHOWN { p { "Et " (others.len() - TEXTS_SHOWN) " autres, dans l’export." } }
                    }
                }
                Summary::Matrix { points, rows } => {
                    @let caption = format!("Réponses à « {} », par ligne et par point de l’échelle", question.label);
                    (scroll_table(&caption, html! {
                        table {
                            caption class="visually-hidden" { (caption) }
                            thead { tr { th scope="col" { "Ligne" } @for p in points { th scope="col" class="num" { (point_label(question, *p)) } } } }
                            tbody {
                                @for (label, counts) in rows {
                                    tr { th scope="row" { (label) } @for n in counts { td class="num" { (n) } } }
                                }
                            }
                        }
                    }))
                }
                Summary::Ranking(rows) => {
                    @let caption = "Rang moyen de chaque proposition (1 = en premier)";
                    (scroll_table(caption, html! {
                        table {
                            caption class="visually-hidden" { (caption) }
                            thead { tr { th scope="col" { "Proposition" } th scope="col" class="num" { "Rang moyen" } } }
                            tbody { @for (label, mean) in rows { tr { th scope="row" { (label) } td class="num" { (decimal(*mean)) } } } }
                        }
                    }))
                }
                Summary::Numbers { count, min, max, mean, median } => {
                    @if *count > 0 {
                        ul class="stats" {
                            li { "Moyenne " strong { (decimal(*mean)) } }
                            li { "Médiane " strong { (decimal(*median)) } }
                            li { "De " strong { (decimal(*min)) } " à " strong { (decimal(*max)) } }
                        }
                    }
                }
                Summary::Texts(rows) => {
                    @let needle = fold(search);
                    @let shown: Vec<(String, i64)> = rows.iter().map(|(text, n)| (free_answer(question, text), *n)).filter(|(text, _)| needle.is_empty() || fold(text).contains(&needle)).collect();
                    @if !needle.is_empty() { p role="status" { (shown.len()) " réponse" @if shown.len() > 1 { "s" } " contenant « " (search) " »" } }
                    @if !shown.is_empty() {
                        ul class="free-answers" {
                            @for (text, n) in shown.iter().take(TEXTS_SHOWN) {
                                li { (text) @if *n > 1 { span class="meta" { " (" (n) " fois)" } } }
                            }
                        }
                    }
                    @if shown.len() > TEXTS_SHOWN { p { "Et " (shown.len() - TEXTS_SHOWN) " autres : précisez la recherche." } }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_read_in_degrees_and_names_stay_names() {
        assert_eq!(coordinates("46.800000,0.540000").as_deref(), Some("46,8° N, 0,54° E"));
        assert_eq!(coordinates("-21.115141,55.536384").as_deref(), Some("21,11514° S, 55,53638° E"));
        assert_eq!(coordinates("48.1,-1.68").as_deref(), Some("48,1° N, 1,68° O"));
        assert_eq!(coordinates("Quartier Kennedy, Blois"), None);
    }
}

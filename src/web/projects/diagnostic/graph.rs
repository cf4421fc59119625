//! The network of relations of a territory, drawn by the server: actors, spaces and objects placed by
//! `domain::network::layout` (the same picture for the same relations), links thicker as the relation is
//! stronger, tensions dashed; the readings in words; and the table of relations.

use std::collections::{HashMap, HashSet};

use maud::{html, Markup};

use super::map::{colour, shape};
use super::{sheet_path, Diagnostic};
use crate::domain::diagnostic::{intensity_label, EntryKind, RelationKind};
use crate::domain::network::{layout, Edge, Node, Readings};
use crate::storage::diagnostic::MapEntry;
use crate::web::views::scroll_table;

/// Beyond this many nodes the picture is unreadable: the readings and the table remain.
const MAX_DRAWN: usize = 250;
/// Isolated actors and bridges named at most in the readings.
const LISTED: usize = 30;

pub fn network_section(d: &Diagnostic) -> Markup {
    let relations: Vec<_> = d.published_relations().collect();
    let published: HashMap<i64, &MapEntry> = d.published().map(|e| (e.id, e)).collect();
    let edges: Vec<Edge> = relations
        .iter()
        .filter(|r| published.contains_key(&r.from_id) && published.contains_key(&r.to_id))
        .map(|r| Edge { from: r.from_id, to: r.to_id, kind: r.kind() })
        .collect();
    let linked: HashSet<i64> = edges.iter().flat_map(|e| [e.from, e.to]).collect();
    // Every actor (isolated ones are a reading), and the spaces and objects some actor is linked to.
    let mut nodes: Vec<Node> = d
        .published()
        .filter(|e| e.kind() == EntryKind::Actor || linked.contains(&e.id))
        .map(|e| Node { id: e.id, kind: e.kind(), family: e.category.clone(), domain: e.domain() })
        .collect();
    nodes.sort_by_key(|n| n.id);
    if nodes.iter().all(|n| n.kind != EntryKind::Actor) {
        return html! {
            section aria-labelledby="reseau" {
                h2 id="reseau" { "Réseau des acteurs" }
                p { "Aucun acteur publié pour l’instant : le réseau se dessine dès qu’il y en a." }
            }
        };
    }
    let readings = Readings::of(&nodes, &edges);
    let name = |id: i64| published.get(&id).map(|e| e.name.as_str()).unwrap_or("?");
    let family = |code: &str| d.categories.label(EntryKind::Actor, code);
    html! {
        section aria-labelledby="reseau" {
            h2 id="reseau" { "Réseau des acteurs" }
            @if nodes.len() <= MAX_DRAWN {
                figure class="map map-wide" { (draw(d, &nodes, &edges, &published)) }
            } @else {
                p { (nodes.len()) " éléments : trop pour un dessin lisible. Les lectures et le tableau ci-dessous restent complets ; filtrez ou exportez pour un outil dédié." }
            }
            h3 { "Ce que montre le réseau" }
            dl class="readings" {
                dt { "Les plus reliés" }
                dd {
                    @if readings.most_connected.is_empty() { "Aucune relation pour l’instant." }
                    @else { ul { @for (id, n) in &readings.most_connected { li { a href=(sheet_path(d.place, *id)) { (name(*id)) } " : " (n) " relation" @if *n > 1 { "s" } } } } }
                }
                dt { "Acteurs isolés" }
                dd {
                    @if readings.isolated.is_empty() { "Aucun : chaque acteur a au moins une relation." }
                    @else {
                        ul { @for id in readings.isolated.iter().take(LISTED) { li { a href=(sheet_path(d.place, *id)) { (name(*id)) } } } }
                        @if readings.isolated.len() > LISTED { p { "… et " (readings.isolated.len() - LISTED) " autres (le tableau de la carte les nomme tous)." } }
                    }
                }
                dt { "Passerelles entre engagement citoyen et coopération thématique" }
                dd {
                    @if readings.bridges.is_empty() { "Aucun acteur ne coopère avec l’autre monde : c’est un enjeu relationnel." }
                    @else { ul { @for (id, n) in readings.bridges.iter().take(LISTED) { li { a href=(sheet_path(d.place, *id)) { (name(*id)) } " : " (n) " coopération" @if *n > 1 { "s" } " avec l’autre domaine" } } } }
                }
                dt { "Familles qui ne coopèrent jamais" }
                dd {
                    @if readings.families_never_cooperating.is_empty() { "Toutes les familles présentes coopèrent entre elles." }
                    @else {
                        details {
                            summary { (readings.families_never_cooperating.len()) " paire" @if readings.families_never_cooperating.len() > 1 { "s" } " de familles sans coopération" }
                            ul { @for (a, b) in &readings.families_never_cooperating { li { (family(a)) " et " (family(b)) } } }
                        }
                    }
                }
            }
            @if !relations.is_empty() {
                (scroll_table("Les relations", html! {
                    table {
                        caption { "Les relations (" (relations.len()) ")" }
                        thead { tr {
                            th scope="col" { "Acteur" }
                            th scope="col" { "Relation" }
                            th scope="col" { "Avec" }
                            th scope="col" { "Intensité" }
                            th scope="col" { "Note" }
                        } }
                        tbody {
                            @for relation in &relations {
                                tr {
                                    th scope="row" { a href=(sheet_path(d.place, relation.from_id)) { (name(relation.from_id)) } }
                                    td { (relation.kind().label()) }
                                    td { a href=(sheet_path(d.place, relation.to_id)) { (name(relation.to_id)) } }
                                    td { (intensity_label(relation.intensity)) }
                                    td { (relation.note) }
                                }
                            }
                        }
                    }
                }))
            }
        }
    }
}

fn draw(d: &Diagnostic, nodes: &[Node], edges: &[Edge], entries: &HashMap<i64, &MapEntry>) -> Markup {
    // Related nodes are laid out together; isolated ones wait in rows below, where they read as a list.
    let ends: HashSet<i64> = edges.iter().flat_map(|e| [e.from, e.to]).collect();
    let (linked, isolated): (Vec<Node>, Vec<Node>) = nodes.iter().cloned().partition(|n| ends.contains(&n.id));
    const PER_ROW: usize = 4;
    let rows = isolated.len().div_ceil(PER_ROW);
    let width = 800.0;
    let graph_height = if linked.is_empty() { 0.0 } else { 480.0 };
    let height = graph_height + rows as f64 * 28.0 + if rows > 0 { 30.0 } else { 0.0 };
    let mut positions: HashMap<i64, (f64, f64)> =
        layout(&linked, edges, width - 170.0, graph_height).into_iter().map(|(id, x, y)| (id, (x, y))).collect();
    for (i, node) in isolated.iter().enumerate() {
        let (row, column) = (i / PER_ROW, i % PER_ROW);
        positions.insert(node.id, (40.0 + column as f64 * 190.0, graph_height + 40.0 + row as f64 * 28.0));
    }
    let at = |id: i64| positions.get(&id).copied().unwrap_or((0.0, 0.0));
    let intensity: HashMap<(i64, i64), i32> =
        d.published_relations().map(|r| ((r.from_id, r.to_id), r.intensity)).collect();
    let title = format!(
        "Réseau de {} éléments et {} relations sur {} (lectures et tableau ci-dessous)",
        nodes.len(),
        edges.len(),
        d.territory.name
    );
    html! {
        svg role="img" aria-labelledby="reseau-titre" viewBox={ "0 0 " (width) " " (height) } xmlns="http://www.w3.org/2000/svg" {
            title id="reseau-titre" { (title) }
            @if !isolated.is_empty() {
                text x="20" y=(format!("{:.0}", graph_height + 16.0)) class="node-label" { "Sans relation :" }
            }
            g class="network-links" {
                @for edge in edges {
                    @let ((x1, y1), (x2, y2)) = (at(edge.from), at(edge.to));
                    @let strength = intensity.get(&(edge.from, edge.to)).copied().unwrap_or(2);
                    line x1=(format!("{x1:.1}")) y1=(format!("{y1:.1}")) x2=(format!("{x2:.1}")) y2=(format!("{y2:.1}"))
                        stroke-width=(strength) class=@if edge.kind == RelationKind::Tension { "link-tension" } @else { "link" } {}
                }
            }
            g class="network-nodes" {
                @for node in nodes {
                    @let (x, y) = at(node.id);
                    @let name = entries.get(&node.id).map(|e| e.name.as_str()).unwrap_or("");
                    path d=(shape(node.kind, x, y, 7.0)) fill=(colour(d.categories.rank(node.kind, &node.family))) { title { (name) } }
                    text x=(format!("{:.1}", x + 10.0)) y=(format!("{:.1}", y + 4.0)) class="node-label" { (short(name)) }
                }
            }
        }
    }
}

/// A label short enough not to cover the picture.
fn short(name: &str) -> String {
    if name.chars().count() <= 28 {
        name.to_owned()
    } else {
        format!("{}…", name.chars().take(27).collect::<String>())
    }
}

//! The network of relations of a territory's diagnostic: simple readings (who is most connected, who is alone,
//! which families never cooperate, who bridges the citizen-engagement and thematic-cooperation worlds) and a
//! deterministic layout to draw it. Nothing here knows how the graph is stored or drawn.

use std::collections::{BTreeMap, BTreeSet};

use super::diagnostic::{Domain, EntryKind, RelationKind};

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub id: i64,
    pub kind: EntryKind,
    pub family: String,
    pub domain: Domain,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    pub from: i64,
    pub to: i64,
    pub kind: RelationKind,
}

/// What the graph tells at a glance.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Readings {
    /// Entries by number of relations, most first (ties by id), those with at least one, at most `TOP`.
    pub most_connected: Vec<(i64, usize)>,
    /// Actors without any relation.
    pub isolated: Vec<i64>,
    /// Pairs of actor families present on the territory with no cooperation between any of their actors.
    pub families_never_cooperating: Vec<(String, String)>,
    /// Actors cooperating with actors of the other domain, with their number of such ties, most first.
    pub bridges: Vec<(i64, usize)>,
}

pub const TOP: usize = 5;

impl Readings {
    pub fn of(nodes: &[Node], edges: &[Edge]) -> Readings {
        let by_id: BTreeMap<i64, &Node> = nodes.iter().map(|n| (n.id, n)).collect();
        let edges: Vec<&Edge> =
            edges.iter().filter(|e| by_id.contains_key(&e.from) && by_id.contains_key(&e.to)).collect();
        let mut degree: BTreeMap<i64, usize> = BTreeMap::new();
        for edge in &edges {
            *degree.entry(edge.from).or_default() += 1;
            *degree.entry(edge.to).or_default() += 1;
        }
        let mut most_connected: Vec<(i64, usize)> = degree.iter().map(|(id, n)| (*id, *n)).collect();
        most_connected.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        most_connected.truncate(TOP);

        let actors: Vec<&Node> = nodes.iter().filter(|n| n.kind == EntryKind::Actor).collect();
        let isolated = actors.iter().filter(|n| !degree.contains_key(&n.id)).map(|n| n.id).collect();

        let cooperations: Vec<(&Node, &Node)> =
            edges.iter().filter(|e| e.kind.is_cooperation()).map(|e| (by_id[&e.from], by_id[&e.to])).collect();
        let families: BTreeSet<&str> = actors.iter().map(|n| n.family.as_str()).collect();
        let cooperating: BTreeSet<(&str, &str)> = cooperations
            .iter()
            .map(|(a, b)| {
                let (x, y) = (a.family.as_str(), b.family.as_str());
                (x.min(y), x.max(y))
            })
            .collect();
        let mut families_never_cooperating = Vec::new();
        for (i, a) in families.iter().enumerate() {
            for b in families.iter().skip(i + 1) {
                if !cooperating.contains(&(*a, *b)) {
                    families_never_cooperating.push((a.to_string(), b.to_string()));
                }
            }
        }

        let mut crossing: BTreeMap<i64, usize> = BTreeMap::new();
        for (a, b) in &cooperations {
            if a.domain != b.domain {
                *crossing.entry(a.id).or_default() += 1;
                *crossing.entry(b.id).or_default() += 1;
            }
        }
        let mut bridges: Vec<(i64, usize)> = crossing.into_iter().collect();
        bridges.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));

        Readings { most_connected, isolated, families_never_cooperating, bridges }
    }
}

/// Positions of the nodes in a `width` × `height` box (margins included), the same for the same graph: nodes
/// start on a circle in the order of their domain, family and id, then a fixed number of force-directed steps
/// (Fruchterman–Reingold, linear cooling) pull related nodes together and push the others apart.
pub fn layout(nodes: &[Node], edges: &[Edge], width: f64, height: f64) -> Vec<(i64, f64, f64)> {
    let n = nodes.len();
    if n == 0 {
        return Vec::new();
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&nodes[a], &nodes[b]);
        (a.domain, &a.family, a.id).cmp(&(b.domain, &b.family, b.id))
    });
    let mut position = vec![(0.0_f64, 0.0_f64); n];
    for (rank, &i) in order.iter().enumerate() {
        let angle = std::f64::consts::TAU * rank as f64 / n as f64;
        position[i] = (angle.cos(), angle.sin());
    }
    let index: BTreeMap<i64, usize> = nodes.iter().enumerate().map(|(i, node)| (node.id, i)).collect();
    let links: Vec<(usize, usize)> =
        edges.iter().filter_map(|e| Some((*index.get(&e.from)?, *index.get(&e.to)?))).filter(|(a, b)| a != b).collect();

    // Ideal distance in a unit square shared by n nodes.
    let k = (4.0 / n as f64).sqrt();
    let steps = if n > 400 { 60 } else { 150 };
    for step in 0..steps {
        let temperature = 0.1 * (1.0 - step as f64 / steps as f64) + 0.002;
        let mut shift = vec![(0.0_f64, 0.0_f64); n];
        for a in 0..n {
            for b in (a + 1)..n {
                let (dx, dy) = (position[a].0 - position[b].0, position[a].1 - position[b].1);
                let distance = (dx * dx + dy * dy).sqrt().max(1e-3);
                let force = k * k / distance;
                let (fx, fy) = (dx / distance * force, dy / distance * force);
                shift[a].0 += fx;
                shift[a].1 += fy;
                shift[b].0 -= fx;
                shift[b].1 -= fy;
            }
        }
        for &(a, b) in &links {
            let (dx, dy) = (position[a].0 - position[b].0, position[a].1 - position[b].1);
            let distance = (dx * dx + dy * dy).sqrt().max(1e-3);
            let force = distance * distance / k;
            let (fx, fy) = (dx / distance * force, dy / distance * force);
            shift[a].0 -= fx;
            shift[a].1 -= fy;
            shift[b].0 += fx;
            shift[b].1 += fy;
        }
        for (i, (sx, sy)) in shift.into_iter().enumerate() {
            // A gentle pull to the centre keeps unrelated groups from drifting apart.
            let (sx, sy) = (sx - position[i].0 * 0.05, sy - position[i].1 * 0.05);
            let length = (sx * sx + sy * sy).sqrt().max(1e-9);
            let moved = length.min(temperature);
            position[i].0 += sx / length * moved;
            position[i].1 += sy / length * moved;
        }
    }
    let (min_x, max_x) = position.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p.0), hi.max(p.0)));
    let (min_y, max_y) = position.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)));
    let margin = 40.0;
    let scale = |value: f64, lo: f64, hi: f64, size: f64| {
        if hi - lo < 1e-9 {
            size / 2.0
        } else {
            margin + (value - lo) / (hi - lo) * (size - 2.0 * margin)
        }
    };
    nodes
        .iter()
        .zip(position)
        .map(|(node, (x, y))| (node.id, scale(x, min_x, max_x, width), scale(y, min_y, max_y, height)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntryKind::*;

    fn node(id: i64, kind: EntryKind, family: &str, domain: Domain) -> Node {
        Node { id, kind, family: family.into(), domain }
    }

    fn edge(from: i64, to: i64, kind: RelationKind) -> Edge {
        Edge { from, to, kind }
    }

    /// Mairie (1) and centre social (2) cooperate, the centre social with an association (3) and with a business
    /// of the thematic world (4); a chamber (5) is alone; the association runs a space (6); the business is in
    /// tension with the mairie.
    fn small_graph() -> (Vec<Node>, Vec<Edge>) {
        let nodes = vec![
            node(1, Actor, "elus", Domain::Citizen),
            node(2, Actor, "equipements_publics", Domain::Citizen),
            node(3, Actor, "associations", Domain::Citizen),
            node(4, Actor, "entreprises", Domain::Thematic),
            node(5, Actor, "chambres_consulaires", Domain::Thematic),
            node(6, Space, "maison_quartier", Domain::Citizen),
        ];
        let edges = vec![
            edge(1, 2, RelationKind::Partnership),
            edge(2, 3, RelationKind::Exchange),
            edge(2, 4, RelationKind::Funding),
            edge(3, 6, RelationKind::Runs),
            edge(1, 4, RelationKind::Tension),
        ];
        (nodes, edges)
    }

    #[test]
    fn readings_of_a_small_known_graph() {
        let (nodes, edges) = small_graph();
        let readings = Readings::of(&nodes, &edges);
        assert_eq!(readings.most_connected, vec![(2, 3), (1, 2), (3, 2), (4, 2), (6, 1)]);
        assert_eq!(readings.isolated, vec![5]);
        assert_eq!(readings.bridges, vec![(2, 1), (4, 1)], "a tension is no bridge");
        let pairs: Vec<(&str, &str)> =
            readings.families_never_cooperating.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        // 5 families, 10 pairs, 3 cooperate (elus–equipements, associations–equipements, entreprises–equipements).
        assert_eq!(pairs.len(), 7);
        assert!(pairs.contains(&("elus", "entreprises")), "a tension is not a cooperation");
        assert!(!pairs.contains(&("associations", "equipements_publics")));
        assert!(pairs.contains(&("chambres_consulaires", "elus")));
    }

    #[test]
    fn the_layout_is_deterministic_inside_its_box_and_pulls_related_nodes_together() {
        let (nodes, edges) = small_graph();
        let first = layout(&nodes, &edges, 600.0, 400.0);
        assert_eq!(first, layout(&nodes, &edges, 600.0, 400.0));
        for (_, x, y) in &first {
            assert!((40.0..=560.0).contains(x) && (40.0..=360.0).contains(y), "{x} {y}");
        }
        let at = |id: i64| first.iter().find(|(i, _, _)| *i == id).map(|(_, x, y)| (*x, *y)).unwrap();
        let distance = |a: (f64, f64), b: (f64, f64)| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
        assert!(distance(at(2), at(3)) < distance(at(5), at(3)), "related nodes sit closer than the isolated one");
        assert_eq!(layout(&nodes[..1], &[], 600.0, 400.0), vec![(1, 300.0, 200.0)]);
    }
}

//! Mermaid diagrams with the model's numbers on them: the architecture as a `flowchart`
//! (each tier labelled with kind, nodes, peak load and utilisation; caches with their hit
//! ratio; edges with peak rps and bandwidth) and one `sequenceDiagram` per request, with
//! cache hits and misses as `alt` branches.
//!
//! Architecture Invariant: every label is escaped once, by `escape::mermaid`, so any design
//! name or API string yields valid Mermaid that draws as its text; numbers come formatted
//! from the plan, never computed; a diagram over Mermaid's limits is replaced by a note.

use super::escape;
use crate::analysis::Analysis;
use crate::design::{Request, RequestKind, TierKind};
use crate::key::{self, Metric};
use crate::units::Value;
use crate::units::format::{self, Style};

/// Escapes text for a quoted Mermaid label (`"…"`), a message, an alias or a note: one pass
/// of Mermaid entity codes (see [`escape::mermaid`]).
pub fn label(text: &str) -> String {
    escape::mermaid(text)
}

/// The largest diagram fermi emits: Mermaid refuses to draw more than `maxEdges` (500) edges
/// or `maxTextSize` (50,000) characters by default, so a larger diagram would only show an
/// error in place of the architecture.
pub const MAX_EDGES: usize = 500;
/// See [`MAX_EDGES`].
pub const MAX_CHARS: usize = 50_000;

/// A diagram, or why it was left out.
#[derive(Debug, Clone, PartialEq)]
pub enum Diagram {
    /// Mermaid source, within Mermaid's limits.
    Drawn(String),
    /// The diagram would exceed Mermaid's limits; the text says by how much, in Markdown.
    Omitted(String),
}

/// Keeps `text` if it is within Mermaid's limits (`edges` edges), else says why not.
fn within_budget(text: String, edges: usize, what: &str) -> Diagram {
    if edges > MAX_EDGES || text.len() > MAX_CHARS {
        Diagram::Omitted(format!(
            "The {what} is omitted: it has {} edges and {} characters, more than Mermaid draws ({} edges, {} characters).",
            format::grouped(edges as f64),
            format::grouped(text.len() as f64),
            format::grouped(MAX_EDGES as f64),
            format::grouped(MAX_CHARS as f64)
        ))
    } else {
        Diagram::Drawn(text)
    }
}

/// Escapes each line and joins them with Mermaid's line break.
fn lines(parts: &[String]) -> String {
    parts.iter().map(|p| label(p)).collect::<Vec<_>>().join("<br/>")
}

fn shape(kind: TierKind, id: &str, t: &str) -> String {
    match kind {
        TierKind::Database | TierKind::Blob => format!("{id}[(\"{t}\")]"),
        TierKind::Cache => format!("{id}[[\"{t}\"]]"),
        TierKind::Queue => format!("{id}[/\"{t}\"/]"),
        TierKind::Lb => format!("{id}{{{{\"{t}\"}}}}"),
        TierKind::Cdn => format!("{id}([\"{t}\"])"),
        TierKind::Service | TierKind::Search => format!("{id}[\"{t}\"]"),
    }
}

const CLASSES: &[(&str, &str)] = &[
    ("client", "fill:#fafafa,stroke:#616161,color:#212121"),
    ("lb", "fill:#ede7f6,stroke:#5e35b1,color:#212121"),
    ("service", "fill:#e3f2fd,stroke:#1e88e5,color:#212121"),
    ("cache", "fill:#fff3e0,stroke:#fb8c00,color:#212121"),
    ("database", "fill:#e8f5e9,stroke:#43a047,color:#212121"),
    ("queue", "fill:#fce4ec,stroke:#d81b60,color:#212121"),
    ("cdn", "fill:#e0f7fa,stroke:#00acc1,color:#212121"),
    ("blob", "fill:#f3e5f5,stroke:#8e24aa,color:#212121"),
    ("search", "fill:#fffde7,stroke:#f9a825,color:#212121"),
];

/// What a doc says in place of its diagrams when the design has no tiers.
pub const NO_TIERS: &str = "No diagram: the design has no tiers yet, so there is no architecture to draw and no path to follow. Add a `tier NAME { kind = … }` block for each component and a `path = a -> b` on each request.";

/// A value as one unbreakable piece of a label: Mermaid wraps a box's line at its spaces
/// when the line is wider than its wrapping width, and must not split "29.9K rps".
fn whole(value: &str) -> String {
    value.replace(' ', "\u{a0}")
}

/// One result at the statistic diagrams show: the p50 when it varies over samples.
fn stat(a: &Analysis, name: &str, digits: usize) -> String {
    whole(&a.view().show_stat(name, "p50", digits))
}

/// The node count a box shows: what the doc says to provision (the provisioning percentile
/// when the count varies over samples), else the plan's count.
fn nodes_shown(a: &Analysis, tier: &str) -> String {
    let provisioned = a.uncertainty.as_ref().and_then(|u| u.nodes.iter().find(|n| n.tier == tier));
    let count = match provisioned {
        Some(n) => Some(n.provision),
        None => a.plan.get(&key::of(tier, Metric::Nodes)).map(|d| d.value.si),
    };
    match count {
        Some(1.0) => "1 node".to_string(),
        Some(n) => format!("{} nodes", format::grouped(n)),
        None => "? nodes".to_string(),
    }
}

/// A flowchart's direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Top to bottom (`flowchart TD`): ranks are rows.
    TopDown,
    /// Left to right (`flowchart LR`): ranks are columns.
    LeftRight,
}

/// Approximate drawn size (px) of a label of these lines at Mermaid's 16 px font: about
/// 8.5 px a character, plus the box's padding, and 24 px a line.
fn label_size(lines: &[String]) -> (f64, f64) {
    let chars = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64;
    ((chars * 8.5).min(200.0) + 32.0, lines.len() as f64 * 24.0 + 24.0)
}

/// Each box's rank: its distance in edges from the clients (breadth first, so a cycle ends).
fn ranks(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut rank = vec![usize::MAX; n];
    rank[0] = 0;
    let mut frontier = vec![0];
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for &f in &frontier {
            for &(a, b) in edges {
                if a == f && rank[b] == usize::MAX {
                    rank[b] = rank[f] + 1;
                    next.push(b);
                }
            }
        }
        frontier = next;
    }
    // boxes no edge reaches sit beside the clients
    rank.iter().map(|&r| if r == usize::MAX { 0 } else { r }).collect()
}

/// The direction whose drawing is narrower for GitHub's content column: top-down when a
/// left-to-right layout would be wider than tall (ranks side by side, each as wide as its
/// widest box and an edge label), else left-to-right. `sizes` are the boxes' (width, height),
/// the clients first; `edge_width` an edge label's width.
pub fn direction(sizes: &[(f64, f64)], edges: &[(usize, usize)], edge_width: f64) -> Direction {
    const GAP: f64 = 50.0;
    let rank = ranks(sizes.len(), edges);
    let depth = rank.iter().max().map_or(0, |m| m + 1);
    let mut lr_width = 0.0;
    let mut lr_height: f64 = 0.0;
    for r in 0..depth {
        let column: Vec<&(f64, f64)> = sizes.iter().zip(&rank).filter(|(_, k)| **k == r).map(|(s, _)| s).collect();
        lr_width += column.iter().map(|s| s.0).fold(0.0, f64::max) + edge_width + GAP;
        lr_height = lr_height.max(column.iter().map(|s| s.1 + GAP).sum());
    }
    if lr_width > lr_height { Direction::TopDown } else { Direction::LeftRight }
}

/// The most boxes a top-down row holds before the rest of its rank is pushed to rows below
/// (by invisible links), so a fan-out stays within the page's width.
pub const ROW_BOXES: usize = 3;

/// The architecture as a flowchart laid out for a 980 px page, unless it is too large for
/// Mermaid. Each box has two lines — "name · N nodes", "peak load · utilisation" — and a
/// cache a third with its hit ratio; each edge its peak calls over its bytes.
pub fn architecture(a: &Analysis, digits: usize) -> Diagram {
    let p = a.view();
    if a.design.tiers.is_empty() {
        return Diagram::Omitted(NO_TIERS.to_string());
    }
    if p.edges.len() > MAX_EDGES {
        return match within_budget(String::new(), p.edges.len(), "architecture diagram") {
            Diagram::Omitted(why) => Diagram::Omitted(format!("{why} {}", summary(a))),
            drawn => drawn,
        };
    }
    let index = |name: &str| a.design.tiers.iter().position(|t| t.name == name).map_or(0, |k| k + 1);
    let id = |k: usize| if k == 0 { "clients".to_string() } else { format!("t{}", k - 1) };
    let mut texts: Vec<Vec<String>> =
        vec![vec!["Clients".to_string(), format!("{} peak", stat(a, "traffic.peak_rps", digits))]];
    for t in &a.design.tiers {
        let n = &t.name;
        let mut text = vec![
            format!("{n} · {}", nodes_shown(a, n)),
            format!(
                "{} · {}",
                stat(a, &key::of(n, Metric::Load), digits),
                stat(a, &key::of(n, Metric::Utilization), digits)
            ),
        ];
        if t.kind == TierKind::Cache {
            text.push(format!("hit ratio {}", stat(a, &key::of(n, Metric::HitRatio), digits)));
        }
        texts.push(text);
    }
    let edges: Vec<(usize, usize, [String; 2])> = p
        .edges
        .iter()
        .map(|e| {
            (e.from.as_deref().map_or(0, index), index(&e.to), [stat(a, &e.rps, digits), stat(a, &e.bandwidth, digits)])
        })
        .collect();
    let sizes: Vec<(f64, f64)> = texts.iter().map(|t| label_size(t)).collect();
    let links: Vec<(usize, usize)> = edges.iter().map(|e| (e.0, e.1)).collect();
    let edge_width = edges.iter().map(|e| label_size(&e.2).0).fold(0.0, f64::max);
    let dir = direction(&sizes, &links, edge_width);
    let mut out = String::from(match dir {
        Direction::TopDown => "flowchart TD\n",
        Direction::LeftRight => "flowchart LR\n",
    });
    out.push_str(&format!("  clients([\"{}\"])\n", lines(&texts[0])));
    for (k, t) in a.design.tiers.iter().enumerate() {
        out.push_str(&format!("  {}\n", shape(t.kind, &format!("t{k}"), &lines(&texts[k + 1]))));
    }
    for (from, to, text) in &edges {
        out.push_str(&format!("  {} -->|\"{}\"| {}\n", id(*from), lines(text), id(*to)));
    }
    if dir == Direction::TopDown {
        // a rank wider than ROW_BOXES continues on rows below it
        let rank = ranks(sizes.len(), &links);
        let depth = rank.iter().max().map_or(0, |m| m + 1);
        for r in 0..depth {
            let row: Vec<usize> = (0..rank.len()).filter(|&k| rank[k] == r).collect();
            for pair in row.chunks(ROW_BOXES).collect::<Vec<_>>().windows(2) {
                for (&above, &below) in pair[0].iter().zip(pair[1]) {
                    out.push_str(&format!("  {} ~~~ {}\n", id(above), id(below)));
                }
            }
        }
    }
    for (class, style) in CLASSES {
        out.push_str(&format!("  classDef {class} {style}\n"));
    }
    out.push_str("  class clients client\n");
    for (k, t) in a.design.tiers.iter().enumerate() {
        out.push_str(&format!("  class t{k} {}\n", t.kind.name()));
    }
    match within_budget(out, p.edges.len(), "architecture diagram") {
        Diagram::Omitted(why) => Diagram::Omitted(format!("{why} {}", summary(a))),
        drawn => drawn,
    }
}

/// The tiers counted by kind, for a doc whose diagram is too large to draw.
fn summary(a: &Analysis) -> String {
    let mut kinds: Vec<(&str, usize)> = Vec::new();
    for t in &a.design.tiers {
        match kinds.iter_mut().find(|(k, _)| *k == t.kind.name()) {
            Some((_, n)) => *n += 1,
            None => kinds.push((t.kind.name(), 1)),
        }
    }
    let parts: Vec<String> = kinds.iter().map(|(k, n)| format!("{} {k}", format::grouped(*n as f64))).collect();
    format!("Tiers by kind: {}; the tables below list each one.", parts.join(", "))
}

/// One request's flow along its path as a sequence diagram, unless it is too large for
/// Mermaid. Each hop says what it moves: its peak calls per second and the request's size
/// going in, the response's size coming back; a cache or an edge splits into hit and miss
/// branches with their shares and the calls that miss.
pub fn sequence(a: &Analysis, r: &Request, digits: usize) -> Diagram {
    if a.design.tiers.is_empty() {
        return Diagram::Omitted(NO_TIERS.to_string());
    }
    let text = sequence_text(a, r, digits);
    let arrows = text.lines().filter(|l| l.contains("->>")).count();
    within_budget(text, arrows, "sequence diagram")
}

/// A request's hops and what each moves, read off the plan.
struct Flow<'a> {
    a: &'a Analysis,
    r: &'a Request,
    digits: usize,
    /// Each tier the request reaches, in path order, with the plan entry of its peak calls
    /// per second there.
    calls: &'a [(usize, String)],
    request: String,
    response: String,
}

impl Flow<'_> {
    /// The plan entry of the request's calls per second at this tier, when it receives them.
    fn calls_at(&self, tier: usize) -> Option<&str> {
        self.calls.iter().find(|(t, _)| *t == tier).map(|(_, c)| c.as_str())
    }

    /// Calls per second at the statistic diagrams show.
    fn rate_of(&self, name: &str) -> String {
        stat(self.a, name, self.digits)
    }

    /// One statistic (`p50`) of an entry, in base units: the point value when it does not vary.
    fn p50(&self, name: &str) -> Option<f64> {
        let p = self.a.view();
        match p.distribution(name) {
            Some(d) => Some(d.p50).filter(|v| v.is_finite()),
            None => p.defined(name),
        }
    }

    fn share(&self, x: f64) -> String {
        whole(&format::human(Value::number(x), Style::Percent, self.digits))
    }

    /// The share of calls a cache or the edge answers at this hop (its p50 when it varies:
    /// the miss share 1 − p50 is then the p50 of the misses' share too).
    fn absorbed(&self, tier: usize) -> Option<f64> {
        let t = &self.a.design.tiers[tier];
        match t.kind {
            TierKind::Cache if self.r.kind == RequestKind::Read => self.p50(&key::of(&t.name, Metric::HitRatio)),
            TierKind::Cdn if self.r.kind == RequestKind::Read && t.edge_hit_ratio.is_some() => {
                self.p50(&key::of(&t.name, Metric::HitRatio))
            }
            TierKind::Cdn => self.p50(&key::of(&self.r.name, Metric::Cdn)).filter(|x| *x > 0.0),
            _ => None,
        }
    }
}

fn sequence_text(a: &Analysis, r: &Request, digits: usize) -> String {
    let p = a.view();
    let mut out = String::from("sequenceDiagram\n  actor C as Client\n");
    let mut seen: Vec<usize> = Vec::new();
    for hop in &r.path {
        if !seen.contains(&hop.tier) {
            seen.push(hop.tier);
            out.push_str(&format!("  participant t{} as {}\n", hop.tier, label(&a.design.tiers[hop.tier].name)));
        }
    }
    let api = if r.api.is_empty() { r.name.clone() } else { r.api.clone() };
    let rate = stat(a, &key::of(&r.name, Metric::PeakRps), digits);
    if r.path.is_empty() {
        out.push_str(&format!("  Note over C: {} has no path ({rate} peak)\n", label(&api)));
        return out;
    }
    let index = a.design.requests.iter().position(|x| x.name == r.name);
    let flow = Flow {
        a,
        r,
        digits,
        calls: index.and_then(|k| p.hop_calls.get(k)).map_or(&[], Vec::as_slice),
        request: whole(&p.show_stat(&key::of(&r.name, Metric::Request), "p50", digits)),
        response: whole(&p.show_stat(&key::of(&r.name, Metric::Response), "p50", digits)),
    };
    let has_edge_tier = r.path.iter().any(|h| a.design.tiers[h.tier].kind == TierKind::Cdn);
    if !has_edge_tier && let Some(cdn) = flow.p50(&key::of(&r.name, Metric::Cdn)).filter(|x| *x > 0.0) {
        out.push_str(&format!("  Note over C: a CDN answers {} before the first tier\n", label(&flow.share(cdn))));
    }
    let hops: Vec<usize> = r.path.iter().map(|h| h.tier).collect();
    let first = vec![api, format!("{rate} peak · {} in", flow.request)];
    steps(&flow, &hops, "C", first, 1, &mut out);
    out
}

/// Emits the calls from `caller` through `hops`, then the reply back to `caller`; `text` is
/// the first call's label (its rate and size follow for inner hops).
fn steps(f: &Flow<'_>, hops: &[usize], caller: &str, text: Vec<String>, depth: usize, out: &mut String) {
    let Some((&first, rest)) = hops.split_first() else { return };
    let pad = "  ".repeat(depth);
    let tier = &f.a.design.tiers[first];
    let callee = format!("t{first}");
    let Some(_) = f.calls_at(first) else {
        // write-around: the write skips this cache
        out.push_str(&format!("{pad}Note over {callee}: write-around: the write skips {}\n", label(&tier.name)));
        steps(f, rest, caller, text, depth, out);
        return;
    };
    let multiplier = f.r.path.iter().find(|h| h.tier == first).map_or(1.0, |h| h.multiplier);
    let mut text = text;
    if multiplier != 1.0 {
        text.push(format!("×{} fan-out", format::sig(multiplier, 6)));
    }
    out.push_str(&format!("{pad}{caller}->>{callee}: {}\n", lines(&text)));
    let next_calls = rest.iter().find_map(|&n| f.calls_at(n)).map(|n| f.rate_of(n));
    let inner = |calls: String| vec![format!("{calls} · {} in", f.request)];
    if let (Some(hit), false) = (f.absorbed(first), rest.is_empty()) {
        // every hop after a cache or the edge receives the request, so its calls are the misses
        let miss_calls = next_calls.unwrap_or_else(|| "—".to_string());
        let what = if tier.kind == TierKind::Cdn { "edge hit" } else { "hit" };
        out.push_str(&format!("{pad}alt {} {}\n", what, label(&f.share(hit))));
        out.push_str(&format!(
            "{pad}  {callee}-->>{caller}: {}\n",
            label(&format!("{} from {}", f.response, tier.name))
        ));
        out.push_str(&format!("{pad}else miss {} · {}\n", label(&f.share(1.0 - hit)), label(&miss_calls)));
        if tier.kind == TierKind::Cache {
            out.push_str(&format!("{pad}  {callee}-->>{caller}: miss\n"));
            steps(f, rest, caller, inner(miss_calls.clone()), depth + 1, out);
            out.push_str(&format!("{pad}  {caller}->>{callee}: {}\n", label(&format!("fill {}", f.response))));
        } else {
            steps(f, rest, &callee, inner(miss_calls), depth + 1, out);
            out.push_str(&format!("{pad}  {callee}-->>{caller}: {}\n", label(&f.response)));
        }
        out.push_str(&format!("{pad}end\n"));
        return;
    }
    let next = match (tier.kind, f.r.kind, next_calls) {
        (TierKind::Cache, RequestKind::Write, Some(c)) => vec![format!("write through · {c}")],
        (_, _, Some(c)) => inner(c),
        _ => Vec::new(),
    };
    steps(f, rest, &callee, next, depth, out);
    out.push_str(&format!("{pad}{callee}-->>{caller}: {}\n", label(&f.response)));
}

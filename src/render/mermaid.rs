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
use crate::design::{Request, RequestKind, TierKind, WritePolicy};
use crate::model::plan::show;
use crate::units::format::{self, Style};
use crate::units::{Dim, Value};

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

/// The architecture as a left-to-right flowchart, unless it is too large for Mermaid.
pub fn architecture(a: &Analysis, digits: usize) -> Diagram {
    let p = &a.plan;
    let id = |name: &str| {
        a.design.tiers.iter().position(|t| t.name == name).map_or("clients".to_string(), |k| format!("t{k}"))
    };
    let mut out = String::from("flowchart LR\n");
    let clients = lines(&["Clients".to_string(), format!("{} peak", p.show("traffic.peak_rps", digits))]);
    out.push_str(&format!("  clients([\"{clients}\"])\n"));
    for (k, t) in a.design.tiers.iter().enumerate() {
        let n = &t.name;
        let nodes = p.get(&format!("{n}.nodes")).map_or("?".into(), |d| format::grouped(d.value.si));
        let mut text = vec![
            format!("{n} · {}", t.kind.name()),
            format!("{nodes} nodes · {} peak", p.show(&format!("{n}.load"), digits)),
        ];
        if t.kind == TierKind::Cache {
            text.push(format!("hit ratio {}", p.show(&format!("{n}.hit_ratio"), digits)));
        }
        text.push(format!("utilization {}", p.show(&format!("{n}.utilization"), digits)));
        out.push_str(&format!("  {}\n", shape(t.kind, &format!("t{k}"), &lines(&text))));
    }
    for e in &p.edges {
        let from = e.from.as_deref().map_or("clients".to_string(), id);
        let bw = format::human(Value::new(e.bytes_per_second, Dim::DATA_RATE), Style::DataRate, digits);
        let rps = format::human(Value::new(e.rps, Dim::RATE), Style::Rate, digits);
        out.push_str(&format!("  {from} -->|\"{}\"| {}\n", label(&format!("{rps} · {bw}")), id(&e.to)));
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
/// Mermaid.
pub fn sequence(a: &Analysis, r: &Request, digits: usize) -> Diagram {
    let text = sequence_text(a, r, digits);
    let arrows = text.lines().filter(|l| l.contains("->>")).count();
    within_budget(text, arrows, "sequence diagram")
}

fn sequence_text(a: &Analysis, r: &Request, digits: usize) -> String {
    let p = &a.plan;
    let mut out = String::from("sequenceDiagram\n  autonumber\n  actor C as Client\n");
    let mut seen: Vec<usize> = Vec::new();
    for hop in &r.path {
        if !seen.contains(&hop.tier) {
            seen.push(hop.tier);
            out.push_str(&format!("  participant t{} as {}\n", hop.tier, label(&a.design.tiers[hop.tier].name)));
        }
    }
    let api = if r.api.is_empty() { r.name.clone() } else { r.api.clone() };
    let rate = p.show(&format!("{}.peak_rps", r.name), digits);
    if r.path.is_empty() {
        out.push_str(&format!("  Note over C: {} has no path ({rate} peak)\n", label(&api)));
        return out;
    }
    let hops: Vec<usize> = r.path.iter().map(|h| h.tier).collect();
    let first = format!("{api} ({rate} peak)");
    steps(a, r, &hops, "C", &first, digits, 1, &mut out);
    out
}

/// Emits the calls from `caller` through `hops`, then the reply back to `caller`.
#[allow(clippy::too_many_arguments)]
fn steps(
    a: &Analysis,
    r: &Request,
    hops: &[usize],
    caller: &str,
    text: &str,
    digits: usize,
    depth: usize,
    out: &mut String,
) {
    let Some((&first, rest)) = hops.split_first() else { return };
    let pad = "  ".repeat(depth);
    let tier = &a.design.tiers[first];
    let callee = format!("t{first}");
    let multiplier = r.path.iter().find(|h| h.tier == first).map_or(1.0, |h| h.multiplier);
    let text = if multiplier != 1.0 { format!("{text} ×{}", format::sig(multiplier, 6)) } else { text.to_string() };
    let is_cache = tier.kind == TierKind::Cache;
    let write_policy = tier.cache.as_ref().map(|c| c.write);
    if is_cache && r.kind == RequestKind::Write && write_policy == Some(WritePolicy::Around) {
        out.push_str(&format!("{pad}Note over {callee}: write-around: the write skips {}\n", label(&tier.name)));
        steps(a, r, rest, caller, &text, digits, depth, out);
        return;
    }
    out.push_str(&format!("{pad}{caller}->>{callee}: {}\n", label(&text)));
    if is_cache && r.kind == RequestKind::Read && !rest.is_empty() {
        let hit = a.plan.get(&format!("{}.hit_ratio", tier.name)).map_or("?".into(), |d| show(d, digits));
        out.push_str(&format!("{pad}alt hit ({})\n", label(&hit)));
        out.push_str(&format!("{pad}  {callee}-->>{caller}: cached value\n"));
        out.push_str(&format!("{pad}else miss\n"));
        out.push_str(&format!("{pad}  {callee}-->>{caller}: miss\n"));
        steps(a, r, rest, caller, "read", digits, depth + 1, out);
        out.push_str(&format!("{pad}  {caller}->>{callee}: fill\n"));
        out.push_str(&format!("{pad}end\n"));
        return;
    }
    let next = if is_cache && r.kind == RequestKind::Write { "write through" } else { "call" };
    steps(a, r, rest, &callee, next, digits, depth, out);
    let reply = if caller == "C" {
        format!("{} response", a.plan.show(&format!("{}.response", r.name), digits))
    } else {
        "ok".into()
    };
    out.push_str(&format!("{pad}{callee}-->>{caller}: {}\n", label(&reply)));
}

//! Mermaid diagrams with the model's numbers on them: the architecture as a `flowchart`
//! (each tier labelled with kind, nodes, peak load and utilisation; caches with their hit
//! ratio; edges with peak rps and bandwidth) and one `sequenceDiagram` per request, with
//! cache hits and misses as `alt` branches.
//!
//! Architecture Invariant: every label is escaped here, so any design name or API string
//! yields valid Mermaid; numbers come formatted from the plan, never computed.

use crate::analysis::Analysis;
use crate::design::{Request, RequestKind, TierKind, WritePolicy};
use crate::model::plan::show;
use crate::units::format::{self, Style};
use crate::units::{Dim, Value};

/// Escapes text for a quoted Mermaid label (`"…"`), using Mermaid's entity codes.
pub fn label(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for a sequence-diagram message or alias (no quotes there; `;` and `#` end or
/// start things, so they become entity codes).
fn message(text: &str) -> String {
    label(text).replace(';', "#59;").replace(':', "#58;")
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

/// The architecture as a left-to-right flowchart.
pub fn architecture(a: &Analysis, digits: usize) -> String {
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
    out
}

/// One request's flow along its path as a sequence diagram.
pub fn sequence(a: &Analysis, r: &Request, digits: usize) -> String {
    let p = &a.plan;
    let mut out = String::from("sequenceDiagram\n  autonumber\n  actor C as Client\n");
    let mut seen: Vec<usize> = Vec::new();
    for hop in &r.path {
        if !seen.contains(&hop.tier) {
            seen.push(hop.tier);
            out.push_str(&format!("  participant t{} as {}\n", hop.tier, message(&a.design.tiers[hop.tier].name)));
        }
    }
    let api = if r.api.is_empty() { r.name.clone() } else { r.api.clone() };
    let rate = p.show(&format!("{}.peak_rps", r.name), digits);
    if r.path.is_empty() {
        out.push_str(&format!("  Note over C: {} has no path ({rate} peak)\n", message(&api)));
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
        out.push_str(&format!("{pad}Note over {callee}: write-around: the write skips {}\n", message(&tier.name)));
        steps(a, r, rest, caller, &text, digits, depth, out);
        return;
    }
    out.push_str(&format!("{pad}{caller}->>{callee}: {}\n", message(&text)));
    if is_cache && r.kind == RequestKind::Read && !rest.is_empty() {
        let hit = a.plan.get(&format!("{}.hit_ratio", tier.name)).map_or("?".into(), |d| show(d, digits));
        out.push_str(&format!("{pad}alt hit ({})\n", message(&hit)));
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
    out.push_str(&format!("{pad}{callee}-->>{caller}: {}\n", message(&reply)));
}

//! Worksheets and answer keys as Markdown. A worksheet states the scenario in plain words (the
//! design's own comments and inputs) and numbered questions, each with a blank; the answer
//! key fills every blank and shows the formula, the numbers substituted, the exact result and
//! the interview-rounded one (100K seconds a day, two significant figures), plus shortcuts.
//!
//! Architecture Invariant: the key's `Answer:` lines use the same layout as the worksheet's
//! blanks, so the key itself grades as a perfectly filled worksheet.

use super::questions::{Question, questions};
use crate::analysis::Analysis;
use crate::design::{Origin, RequestKind};
use crate::key::{self, Metric};
use crate::model::plan::show;
use crate::render::table::escape;
use crate::units::format::{NORMAL_DIGITS, ROUNDED_DIGITS};

/// The blank a candidate replaces with an answer.
pub const BLANK: &str = "______";

/// Rules of thumb shown with the answer key.
const SHORTCUTS: &[&str] = &[
    "A day has 86,400 seconds; interviews round it to 100K, which makes 1M a day ≈ 12 rps (exactly 11.57).",
    "1B a day ≈ 12K rps; 100M a day ≈ 1.2K rps.",
    "Peak is often taken as 2× the average.",
    "1 KB × 1M = 1 GB; 1 KB × 1B = 1 TB; a year of 1 TB a day ≈ 365 TB.",
    "Bytes to bits: × 8 (20 GB/s = 160 Gbps).",
    "99.9% allows 8.76 h a year (43.8 min a month); 99.99% allows 52.6 min a year (4.38 min a month).",
];

/// The scenario in plain words: the design's leading comments and its stated inputs.
pub fn scenario(a: &Analysis) -> String {
    let mut out = String::new();
    let comments: Vec<&str> = a
        .source
        .text()
        .lines()
        .take_while(|l| l.trim_start().starts_with('#') || l.trim().is_empty())
        .filter_map(|l| l.trim_start().strip_prefix('#'))
        .map(str::trim)
        .collect();
    if !comments.is_empty() {
        out.push_str(&comments.join("\n"));
        out.push_str("\n\n");
    } else if !a.design.summary.is_empty() {
        out.push_str(&a.design.summary);
        out.push_str("\n\n");
    }
    let written = |name: &str| -> Option<String> {
        let d = a.plan.get(name)?;
        match &d.source {
            crate::model::Provenance::Input { origin: Origin::Written { span } } => {
                let text = a.source.slice(*span);
                Some(
                    text.split_once('=')
                        .map_or(text, |(_, v)| v)
                        .split('#')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .trim_end_matches(';')
                        .trim()
                        .to_string(),
                )
            }
            _ => Some(show(d, NORMAL_DIGITS)),
        }
    };
    let p = &a.plan;
    if let Some(dau) = written("users.dau") {
        out.push_str(&format!(
            "- Daily active users: {dau}; peak traffic is {} the average.\n",
            show(p.get("users.peak").expect("peak"), 4)
        ));
    } else if let Some(peak) = p.get("users.peak") {
        out.push_str(&format!("- Peak traffic is {} the average.\n", show(peak, 4)));
    }
    for r in &a.design.requests {
        let kind = if r.kind == RequestKind::Write { "write" } else { "read" };
        let api = if r.api.is_empty() { String::new() } else { format!(" `{}`", r.api) };
        let mut parts = vec![format!("rate {}", written(&key::of(&r.name, Metric::Rate)).unwrap_or_default())];
        for (field, label) in [
            (Metric::Request, "request"),
            (Metric::Response, "response"),
            (Metric::Stores, "stores"),
            (Metric::Cdn, "CDN share"),
        ] {
            let name = key::of(&r.name, field);
            if p.value(&name) > 0.0 {
                parts.push(format!("{label} {}", written(&name).unwrap_or_default()));
            }
        }
        if !r.path.is_empty() {
            // the path decides which tiers a call reaches (loads, latency, availability)
            let hops: Vec<String> = r
                .path
                .iter()
                .map(|h| {
                    let tier = &a.design.tiers[h.tier].name;
                    if h.multiplier == 1.0 {
                        tier.clone()
                    } else {
                        format!("{tier} x {}", crate::units::format::sig(h.multiplier, 4))
                    }
                })
                .collect();
            parts.push(format!("path {}", hops.join(" → ")));
        }
        out.push_str(&format!("- **{}** ({kind}){api}: {}.\n", r.name, parts.join(", ")));
    }
    if p.value("storage.daily") > 0.0 {
        out.push_str(&format!(
            "- Data is kept {} with {} copies.\n",
            written("storage.retention").unwrap_or_default(),
            written("storage.replication").unwrap_or_default()
        ));
    }
    for t in &a.design.tiers {
        let mut parts = vec![format!("{} per node", written(&key::of(&t.name, Metric::Capacity)).unwrap_or_default())];
        for (field, label) in [
            (Metric::Headroom, "headroom"),
            (Metric::Replicas, "replicas"),
            (Metric::NodeMemory, "memory per node"),
            (Metric::NodeDisk, "disk per node"),
            (Metric::Size, "cache size"),
            (Metric::HitRatio, "hit ratio"),
        ] {
            let name = key::of(&t.name, field);
            if let Some(d) = p.get(&name) {
                let is_default =
                    matches!(&d.source, crate::model::Provenance::Input { origin: Origin::Default { .. } });
                if !is_default && (field != Metric::HitRatio || t.cache.as_ref().is_some_and(|c| c.hit_ratio.is_some()))
                {
                    parts.push(format!("{label} {}", written(&name).unwrap_or_default()));
                }
            }
        }
        out.push_str(&format!("- Tier **{}** ({}): {}.\n", t.name, t.kind.name(), parts.join(", ")));
    }
    if let Some(slo) = written("slo.availability") {
        out.push_str(&format!("- Availability SLO: {slo}.\n"));
    }
    if p.get("seconds_per_day").is_some_and(|d| (d.value.si - 100_000.0).abs() < 1e-9) {
        out.push_str("- Take a day as 100K seconds.\n");
    }
    out
}

/// Every input (written, defaulted or from a profile) that the derivation of `name` reads,
/// directly or through other results, in the order first met.
pub fn inputs_read(a: &Analysis, name: &str) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut order = Vec::new();
    let mut todo = vec![name.to_string()];
    while let Some(n) = todo.pop() {
        if !seen.insert(n.clone()) {
            continue;
        }
        let Some(d) = a.plan.get(&n) else { continue };
        match &d.source {
            crate::model::Provenance::Input { .. } if n != name => order.push(n),
            _ => todo.extend(d.inputs.iter().rev().cloned()),
        }
    }
    order
}

/// The inputs the questions need that the scenario's sentences do not already state, as
/// `name = value` lines: a worksheet states everything its answers depend on.
fn also_given(a: &Analysis, stated: &str) -> String {
    let mut names: Vec<String> = Vec::new();
    for q in questions(a) {
        for n in inputs_read(a, &q.name) {
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    let p = &a.plan;
    let mut said: Vec<String> = vec!["users.dau".into(), "users.peak".into(), "slo.availability".into()];
    if p.value("storage.daily") > 0.0 {
        said.extend(["storage.retention".into(), "storage.replication".into()]);
    }
    for r in &a.design.requests {
        said.push(key::of(&r.name, Metric::Rate));
        for f in [Metric::Request, Metric::Response, Metric::Stores, Metric::Cdn] {
            let name = key::of(&r.name, f);
            if p.value(&name) > 0.0 {
                said.push(name);
            }
        }
    }
    for t in &a.design.tiers {
        said.push(key::of(&t.name, Metric::Capacity));
    }
    // The sentences quote what the design wrote; a value from a profile or a default is
    // listed by name too.
    let written = |n: &str| {
        p.get(n).is_some_and(|d| {
            matches!(&d.source, crate::model::Provenance::Input { origin: Origin::Written { span } }
                if stated.contains(a.source.slice(*span).split_once('=').map_or("", |(_, v)| v).split('#').next().unwrap_or("").trim().trim_end_matches(';').trim()))
        })
    };
    let lines: Vec<String> = names
        .iter()
        .filter(|n| !(stated.contains(&format!("`{n}`")) || (said.contains(n) && written(n))))
        .filter_map(|n| a.plan.get(n).map(|d| format!("- `{n}` = {}\n", show(d, NORMAL_DIGITS))))
        .collect();
    if lines.is_empty() {
        String::new()
    } else {
        format!("Also given (the answers use these):\n\n{}\n", lines.concat())
    }
}

/// The scenario and, after it, every other input the questions' answers read.
pub fn scenario_and_inputs(a: &Analysis) -> String {
    let stated = scenario(a);
    let given = also_given(a, &stated);
    format!("{stated}\n{given}")
}

fn header(a: &Analysis, kind: &str) -> String {
    format!("# {kind}: {}\n\n## Scenario\n\n{}## Questions\n\n", escape(&a.design.name), scenario_and_inputs(a))
}

/// The question's heading line: `1. How many …? (`traffic.daily`, a count)`.
fn heading(k: usize, q: &Question) -> String {
    format!("{}. {} (`{}`, {})\n", k + 1, q.prompt, q.name, q.expects)
}

/// A worksheet with blanks (and formula hints without numbers when `hints`).
pub fn worksheet(a: &Analysis, hints: bool) -> String {
    let mut out = header(a, "Worksheet");
    for (k, q) in questions(a).iter().enumerate() {
        out.push_str(&heading(k, q));
        out.push_str(&format!("   Answer: {BLANK}\n"));
        if hints && let Some(d) = a.plan.get(&q.name) {
            out.push_str(&format!("   Hint: {}\n", d.formula));
        }
        out.push('\n');
    }
    out.push_str("Fill each blank with a number and its unit (such as `4.2 TB`, `31K rps`, `7`), then run `fermi grade DESIGN FILE`.\n");
    out
}

/// The answer key. `interview` is the same design analysed with the 100K-seconds shortcut.
pub fn answer_key(a: &Analysis, interview: &Analysis) -> String {
    let mut out = header(a, "Answer key");
    for (k, q) in questions(a).iter().enumerate() {
        let Some(d) = a.plan.get(&q.name) else { continue };
        out.push_str(&heading(k, q));
        out.push_str(&format!("   Answer: {}\n", show(d, NORMAL_DIGITS)));
        if !d.formula.is_empty() {
            out.push_str(&format!("   Formula: {}\n", d.formula));
            out.push_str(&format!("   With numbers: {} = {}\n", a.plan.substituted(d, NORMAL_DIGITS), show(d, 6)));
        }
        if let Some(r) = interview.plan.get(&q.name) {
            out.push_str(&format!("   Interview-rounded (100K s a day, 2 figures): {}\n", show(r, ROUNDED_DIGITS)));
        }
        if let Some(n) = &d.note {
            out.push_str(&format!("   Note: {n}\n"));
        }
        out.push('\n');
    }
    out.push_str("## Shortcuts\n\n");
    for s in SHORTCUTS {
        out.push_str(&format!("- {s}\n"));
    }
    out
}

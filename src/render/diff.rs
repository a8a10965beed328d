//! `fermi diff` for people and machines: a terminal table, a pull-request comment in Markdown
//! (a one-line summary first — "peak +18%, store nodes 531 → 612, cost +$12.3K a month" — and
//! the details folded), or JSON.
//!
//! Architecture Invariant: formats a [`Diff`] and the thresholds it crossed; computes nothing
//! beyond the display of differences the diff holds.

use super::sections::Section;
use crate::analysis::whatif::diff::{Diff, InputChange, ResultChange};
use crate::analysis::whatif::threshold::{Crossed, percent, signed};
use crate::key::{self, Metric};
use crate::units::Value;
use crate::units::format::{self, Style};
use serde_json::json;

const DIGITS: usize = 4;

fn show(v: Option<f64>, r: &ResultChange) -> String {
    v.map_or("—".to_string(), |v| format::human(Value::new(v, r.dim), r.style, DIGITS))
}

fn show_input(v: Option<f64>, i: &InputChange) -> String {
    v.map_or("—".to_string(), |v| format::human(Value::new(v, i.dim), i.style, DIGITS))
}

fn change(r: &ResultChange) -> String {
    if !r.changed() {
        return "—".into();
    }
    match (r.old, r.new) {
        (Some(_), Some(_)) => signed(Value::new(r.delta(), r.dim), r.style),
        (None, Some(_)) => "new".into(),
        (Some(_), None) => "gone".into(),
        (None, None) => "—".into(),
    }
}

fn relative(r: &ResultChange) -> String {
    match r.relative() {
        Some(x) if r.changed() && x.is_finite() => percent(x),
        _ => "—".into(),
    }
}

fn nodes(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format::sig(v, 6))
}

/// The one-line summary: "peak +18%, store nodes 531 → 612, cost +$12.3K a month", or "no
/// changes".
pub fn summary(d: &Diff) -> String {
    if d.is_empty() {
        return "no changes".into();
    }
    let mut parts = Vec::new();
    for r in d.changed().filter(|r| r.scenario.is_none() && noticeable(r)) {
        let label = match r.name.as_str() {
            "traffic.peak_rps" => "peak",
            "bandwidth.egress_peak" => "egress",
            "storage.total" => "storage",
            "availability.composite" => "availability",
            _ => "",
        };
        if let Some(tier) = key::owner(&r.name, Metric::Nodes) {
            parts.push(format!("{tier} nodes {} → {}", nodes(r.old), nodes(r.new)));
        } else if r.name == "cost.monthly" {
            parts.push(format!("cost {} a month", signed(Value::new(r.delta(), r.dim), r.style)));
        } else if r.name == "availability.composite" {
            parts.push(format!("{label} {} → {}", show(r.old, r), show(r.new, r)));
        } else if !label.is_empty() {
            parts.push(format!("{label} {}", relative(r)));
        } else if let Some(request) = r.name.strip_suffix(".latency.p99") {
            parts.push(format!("{request} p99 {} → {}", show(r.old, r), show(r.new, r)));
        }
    }
    let fails = d.checks.iter().filter(|c| c.new == Some(false)).count();
    let passes = d.checks.iter().filter(|c| c.new == Some(true)).count();
    if fails > 0 {
        parts.push(format!("{fails} check{} now fail{}", plural(fails), if fails == 1 { "s" } else { "" }));
    }
    if passes > 0 {
        parts.push(format!("{passes} check{} now pass{}", plural(passes), if passes == 1 { "es" } else { "" }));
    }
    for t in &d.tiers_added {
        parts.push(format!("new tier {t}"));
    }
    for t in &d.tiers_removed {
        parts.push(format!("tier {t} removed"));
    }
    for r in &d.requests_added {
        parts.push(format!("new request {r}"));
    }
    for r in &d.requests_removed {
        parts.push(format!("request {r} removed"));
    }
    if parts.is_empty() {
        let n = d.inputs.len();
        parts.push(format!("{n} input{} changed; no headline result moved", plural(n)));
    }
    parts.join(", ")
}

/// Whether a change shows in the summary: a tenth of a percent or more (for availability, of
/// the unavailability), or any change of a node count or a deciding constraint.
fn noticeable(r: &ResultChange) -> bool {
    if key::owner(&r.name, Metric::Nodes).is_some() || r.old.is_none() || r.new.is_none() {
        return true;
    }
    let (o, n) = (r.old.unwrap_or(0.0), r.new.unwrap_or(0.0));
    let rel = if r.style == Style::Percent {
        crate::analysis::whatif::relative(1.0 - o, 1.0 - n)
    } else {
        crate::analysis::whatif::relative(o, n)
    };
    rel.is_none_or(|x| x.abs() >= 0.001)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn sections(d: &Diff) -> Vec<Section> {
    let mut out = Vec::new();
    let mut results = Section {
        title: "Results".into(),
        headers: ["result", "old", "new", "change", "%"].map(String::from).to_vec(),
        rows: Vec::new(),
        note: None,
    };
    for r in &d.results {
        let mut new = show(r.new, r);
        if let Some((a, b)) = &r.bound {
            new = if a == b { format!("{new} (bound by {b})") } else { format!("{new} (bound by {a} → {b})") };
        }
        results.rows.push(vec![r.name.clone(), show(r.old, r), new, change(r), relative(r)]);
    }
    out.push(results);
    if !d.checks.is_empty() {
        let verdict = |v: Option<bool>| match v {
            Some(true) => "holds",
            Some(false) => "fails",
            None => "—",
        };
        out.push(Section {
            title: "Checks that changed".into(),
            headers: ["check", "old", "new", "line"].map(String::from).to_vec(),
            rows: d
                .checks
                .iter()
                .map(|c| vec![c.text.clone(), verdict(c.old).into(), verdict(c.new).into(), c.line.to_string()])
                .collect(),
            note: None,
        });
    }
    if !d.inputs.is_empty() {
        out.push(Section {
            title: "Inputs that changed".into(),
            headers: ["input", "old", "new", "stated"].map(String::from).to_vec(),
            rows: d
                .inputs
                .iter()
                .map(|i| {
                    let stated = match (&i.line, &i.origin) {
                        (Some((l, text)), _) => format!("line {l}: {text}"),
                        (None, Some(o)) => o.clone(),
                        (None, None) => "—".into(),
                    };
                    vec![i.name.clone(), show_input(i.old, i), show_input(i.new, i), stated]
                })
                .collect(),
            note: None,
        });
    }
    let mut structure = Vec::new();
    for (what, list) in [
        ("tier added", &d.tiers_added),
        ("tier removed", &d.tiers_removed),
        ("request added", &d.requests_added),
        ("request removed", &d.requests_removed),
    ] {
        structure.extend(list.iter().map(|n| vec![what.to_string(), n.clone()]));
    }
    if !structure.is_empty() {
        out.push(Section {
            title: "Tiers and requests".into(),
            headers: ["change", "name"].map(String::from).to_vec(),
            rows: structure,
            note: None,
        });
    }
    out
}

fn crossed_lines(crossed: &[Crossed]) -> String {
    crossed.iter().map(|c| format!("threshold crossed: `{}`: {}\n", c.text, c.message)).collect()
}

/// Terminal tables: a heading naming both sides and the summary, then the tables.
pub fn table(d: &Diff, crossed: &[Crossed]) -> String {
    let mut out = format!("{} → {}: {}\n", d.old_path, d.new_path, summary(d));
    if d.is_empty() {
        return out;
    }
    out.push('\n');
    out.push_str(&super::table::terminal(&sections(d)));
    out.push_str(&crossed_lines(crossed));
    out
}

/// A pull-request comment: the summary on the first line, the tables folded in `<details>`.
pub fn markdown(d: &Diff, crossed: &[Crossed]) -> String {
    let esc = super::escape::markdown;
    let mut out = format!("**{}**: {}\n", super::escape::code(&d.new_path), esc(&summary(d)));
    if d.is_empty() {
        return out;
    }
    out.push('\n');
    for c in crossed {
        out.push_str(&format!(
            "> **Threshold crossed** {}: {}\n\n",
            super::escape::code(&c.text),
            super::table::escape(&c.message)
        ));
    }
    out.push_str(&format!(
        "<details><summary>Capacity plan: {} → {}</summary>\n\n",
        esc(&d.old_path),
        esc(&d.new_path)
    ));
    for section in sections(d) {
        out.push_str(&pipe_table(&section));
    }
    out.push_str("</details>\n");
    out
}

/// A section as a level-4 heading and a pipe table (cells escaped for Markdown).
pub(super) fn pipe_table(s: &Section) -> String {
    let cell = |c: &String| super::table::escape(c);
    let mut out = format!("#### {}\n\n| {} |\n|", s.title, s.headers.iter().map(cell).collect::<Vec<_>>().join(" | "));
    out.push_str(&s.headers.iter().map(|_| " --- |").collect::<String>());
    out.push('\n');
    for r in &s.rows {
        out.push_str(&format!("| {} |\n", r.iter().map(cell).collect::<Vec<_>>().join(" | ")));
    }
    if let Some(n) = &s.note {
        out.push_str(&format!("\n{}\n", cell(n)));
    }
    out.push('\n');
    out
}

/// JSON: both sides, the summary, every result, the changed checks and inputs, the tiers and
/// requests added or removed, and the thresholds crossed.
pub fn json(d: &Diff, crossed: &[Crossed]) -> String {
    let results: Vec<_> = d
        .results
        .iter()
        .map(|r| {
            json!({
                "name": r.name,
                "old": r.old,
                "new": r.new,
                "old_shown": show(r.old, r),
                "new_shown": show(r.new, r),
                "change": r.changed().then(|| r.delta()),
                "change_percent": r.relative().filter(|x| x.is_finite() && r.changed()).map(|x| x * 100.0),
                "changed": r.changed(),
                "bound": r.bound.as_ref().map(|(a, b)| json!({"old": a, "new": b})),
                "unit": Style::base_unit(r.style),
                "scenario": r.scenario,
            })
        })
        .collect();
    let checks: Vec<_> = d
        .checks
        .iter()
        .map(|c| json!({"check": c.text, "old": c.old, "new": c.new, "line": c.line, "message": c.message}))
        .collect();
    let inputs: Vec<_> = d
        .inputs
        .iter()
        .map(|i| {
            json!({
                "name": i.name,
                "old": i.old,
                "new": i.new,
                "old_shown": show_input(i.old, i),
                "new_shown": show_input(i.new, i),
                "line": i.line.as_ref().map(|l| l.0),
                "text": i.line.as_ref().map(|l| l.1.clone()),
                "origin": i.origin,
            })
        })
        .collect();
    let value = json!({
        "schema": "fermi-diff/1",
        "old": d.old_path,
        "new": d.new_path,
        "changed": !d.is_empty(),
        "summary": summary(d),
        "results": results,
        "checks": checks,
        "inputs": inputs,
        "tiers_added": d.tiers_added,
        "tiers_removed": d.tiers_removed,
        "requests_added": d.requests_added,
        "requests_removed": d.requests_removed,
        "thresholds_crossed": crossed.iter().map(|c| json!({"threshold": c.text, "message": c.message})).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

//! `fermi explain`: how one number was derived — its formula, the formula with numbers, and
//! the same for each input, down to the design's own lines, defaults and profiles.
//!
//! Architecture Invariant: the explanation is read off the plan's derivation graph; nothing
//! here re-derives a value.

use super::sections::origin_text;
use crate::analysis::Analysis;
use crate::model::plan::show;
use crate::model::{Derived, Provenance};
use std::collections::BTreeSet;

/// Deepest level of inputs shown.
const MAX_DEPTH: usize = 12;

/// The explanation tree of `name`, or `None` when the plan has no such name.
pub fn explain(a: &Analysis, name: &str, digits: usize) -> Option<String> {
    a.plan.get(name)?;
    let mut out = String::new();
    let mut seen = BTreeSet::new();
    node(a, name, 0, digits, &mut seen, &mut out);
    Some(out)
}

fn node(a: &Analysis, name: &str, depth: usize, digits: usize, seen: &mut BTreeSet<String>, out: &mut String) {
    let Some(d) = a.plan.get(name) else { return };
    let pad = "  ".repeat(depth);
    out.push_str(&format!("{pad}{name} = {}\n", show(d, digits)));
    if !seen.insert(name.to_string()) {
        if !d.inputs.is_empty() {
            out.push_str(&format!("{pad}  (explained above)\n"));
        }
        return;
    }
    match &d.source {
        Provenance::Input { origin } => out.push_str(&format!("{pad}  ← {}\n", origin_text(a, origin))),
        Provenance::Computed => {
            out.push_str(&format!("{pad}  = {}\n", d.formula));
            let substituted = a.plan.substituted(d, digits);
            if substituted != d.formula {
                out.push_str(&format!("{pad}  = {substituted}\n"));
            }
        }
    }
    note(d, &pad, out);
    if let (Some(x), Some(u)) = (a.view().distribution(name), &a.uncertainty) {
        out.push_str(&format!(
            "{pad}  over {} Monte Carlo samples: {} (p50 [p5 – p95]); mean {}; the lines above use the inputs' medians\n",
            crate::units::format::grouped(u.samples as f64),
            a.view().show(name, digits),
            a.view().show_stat(name, "mean", digits)
        ));
        if x.undefined > 0.0 {
            out.push_str(&format!(
                "{pad}  undefined in {}% of samples\n",
                crate::units::format::sig(x.undefined * 100.0, 3)
            ));
        }
        if let Some(s) = u.sensitivity.iter().find(|s| s.output == name) {
            out.push_str(&format!("{pad}  driven by: {}\n", super::sections::drivers(s, "", usize::MAX)));
        }
    }
    if depth >= MAX_DEPTH {
        return;
    }
    let mut inputs: Vec<&String> = d.inputs.iter().filter(|i| a.plan.get(i).is_some()).collect();
    inputs.dedup();
    for i in inputs {
        node(a, i, depth + 1, digits, seen, out);
    }
}

fn note(d: &Derived, pad: &str, out: &mut String) {
    if let Some(n) = &d.note {
        out.push_str(&format!("{pad}  note: {n}\n"));
    }
    if let Some(u) = &d.undefined {
        out.push_str(&format!("{pad}  undefined: {u}\n"));
    }
}

/// Names close to `name`, for an unknown-name error.
pub fn suggestions(a: &Analysis, name: &str) -> Vec<String> {
    let names: Vec<&str> = a.plan.names().collect();
    let mut out: Vec<String> =
        crate::design::resolve::suggest(name, names.iter().copied()).into_iter().map(str::to_string).collect();
    let prefix = name.split('.').next().unwrap_or(name);
    out.extend(names.iter().filter(|n| n.starts_with(&format!("{prefix}."))).take(12).map(|n| n.to_string()));
    out.dedup();
    out
}

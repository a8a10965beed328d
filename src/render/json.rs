//! The estimate as JSON: a stable schema (`fermi.estimate/1`, documented in docs/json.md)
//! with every number in base units plus a unit string, its display text and its formula.
//!
//! Architecture Invariant: only this module knows the estimate's JSON shape (`diff`, `sweep`
//! and the simulators have shapes of their own); keys are sorted, so the same analysis always
//! gives the same bytes.

use super::Options;
use super::sections::origin_text;
use crate::analysis::Analysis;
use crate::key::{self, Metric};
use crate::model::Provenance;
use crate::model::plan::show;
use serde_json::{Map, Value as Json, json};

/// The schema identifier; bump on incompatible change.
pub const SCHEMA: &str = "fermi.estimate/1";

fn number(x: f64) -> Json {
    if x.is_finite() { json!(x) } else { Json::Null }
}

/// The estimate document.
pub fn document(a: &Analysis, o: Options) -> String {
    let p = a.view();
    let mut results = Map::new();
    for (name, d) in p.iter() {
        let mut entry = Map::new();
        entry.insert("value".into(), if d.is_defined() { number(d.value.si) } else { Json::Null });
        entry.insert("unit".into(), json!(d.style.base_unit()));
        entry.insert("display".into(), json!(show(d, o.digits)));
        match &d.source {
            Provenance::Computed => {
                entry.insert("formula".into(), json!(d.formula));
                entry.insert("substituted".into(), json!(p.substituted(d, o.digits)));
                entry.insert("inputs".into(), json!(d.inputs));
            }
            Provenance::Input { origin } => {
                entry.insert("origin".into(), json!(origin_text(a, origin)));
            }
        }
        if let Some(n) = &d.note {
            entry.insert("note".into(), json!(n));
        }
        if let Some(u) = &d.undefined {
            entry.insert("undefined".into(), json!(u));
        }
        if let Some(x) = p.distribution(name) {
            entry.insert(
                "distribution".into(),
                json!({"p5": number(x.p5), "p50": number(x.p50), "p95": number(x.p95), "mean": number(x.mean), "undefined_share": x.undefined}),
            );
        }
        results.insert(name.to_string(), Json::Object(entry));
    }
    let tiers: Vec<Json> = a
        .design
        .tiers
        .iter()
        .map(|t| {
            let n = &t.name;
            json!({
                "name": n,
                "kind": t.kind,
                "load_rps": number(p.value(&key::of(n, Metric::Load))),
                "nodes": number(p.value(&key::of(n, Metric::Nodes))),
                "bound_by": p.get(&key::of(n, Metric::Nodes)).and_then(|d| d.note.clone()).map(|s| s.trim_start_matches("bound by ").to_string()),
                "utilization": number(p.value(&key::of(n, Metric::Utilization))),
                "hit_ratio": p.get(&key::of(n, Metric::HitRatio)).map(|d| number(d.value.si)),
                "availability": number(p.value(&key::of(n, Metric::Availability))),
            })
        })
        .collect();
    let checks: Vec<Json> = a
        .findings
        .iter()
        .map(|f| {
            let lc = a.source.line_col(f.span.start);
            json!({"kind": f.kind, "passed": f.passed, "line": lc.line, "column": lc.column, "text": f.text, "actual": f.actual, "limit": f.limit, "message": f.message, "suggestion": f.suggestion})
        })
        .collect();
    let doc = json!({
        "schema": SCHEMA,
        "design": a.design.name,
        "file": a.source.path(),
        "summary": a.design.summary,
        "passed": a.passed(),
        "results": results,
        "tiers": tiers,
        "assumptions": a.design.assumptions,
        "checks": checks,
        "uncertainty": a.uncertainty.as_ref().map(|u| json!({
            "samples": u.samples,
            "seed": u.seed,
            "provision": u.provision,
            "inputs": u.leaves.iter().map(|l| json!({"name": l.name, "text": l.text})).collect::<Vec<_>>(),
            "sensitivity": u.sensitivity,
            "nodes": u.nodes,
            "caches": u.caches,
            "correlations": u.correlations.iter().map(|(a, b, rho)| json!({"inputs": [a, b], "coefficient": rho})).collect::<Vec<_>>(),
        })),
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

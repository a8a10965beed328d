//! The design doc's view model: everything a template shows, already formatted and escaped
//! for Markdown (text by `escape::markdown`, code spans by `escape::code`, fences included),
//! so templates only lay it out (and users can restyle them freely).
//!
//! Architecture Invariant: every value here is a plan value formatted for display, or text
//! from the design; no number is computed.

use super::escape::{code, code_in_table, markdown as escape, markdown_with_code};
use super::mermaid;
use super::sections::{self, latency_labels};
use super::tradeoffs::{self, KnowledgeBase};
use crate::analysis::Analysis;
use crate::design::{CacheSize, RequestKind, TierKind};
use crate::key::{self, Metric};
use crate::model::plan::show;
use crate::units::format;
use serde_json::{Value as Json, json};

/// A plot as the doc links it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotLink {
    /// Relative path from the doc, e.g. `url-shortener/storage-growth.svg`.
    pub path: String,
    /// Caption.
    pub title: String,
}

/// A table cell from fermi's own text, which marks code with backticks.
fn cell(s: impl AsRef<str>) -> Json {
    json!(markdown_with_code(s.as_ref()))
}

fn rows(section: &sections::Section) -> Json {
    json!({
        "headers": section.headers.iter().map(cell).collect::<Vec<_>>(),
        "rows": section.rows.iter().map(|r| r.iter().map(cell).collect::<Vec<_>>()).collect::<Vec<_>>(),
        "note": section.note.as_deref().map(markdown_with_code),
    })
}

/// Builds the view model; `file` is how the doc names the design file.
pub fn build(a: &Analysis, digits: usize, plots: &[PlotLink], kb: &KnowledgeBase, file: &str) -> Json {
    let p = a.view();
    let d = &a.design;
    let v = |name: &str| escape(&p.show(name, digits));
    let tables = sections::plan_tables(a, super::Options { digits });
    let table = |title: &str| tables.iter().find(|s| s.title.starts_with(title)).map(rows).unwrap_or(Json::Null);
    let work = |names: &[String]| -> Vec<Json> {
        names
            .iter()
            .filter_map(|n| p.get(n).map(|x| (n, x)))
            .filter(|(_, x)| !x.formula.is_empty())
            .map(|(n, x)| json!({"name": n, "value": escape(&show(x, digits)), "formula": escape(&x.formula), "substituted": escape(&p.substituted(x, digits)), "note": x.note.as_deref().map(escape)}))
            .collect()
    };
    let mut headline: Vec<String> = vec!["traffic.daily".into(), "traffic.avg_rps".into(), "traffic.peak_rps".into()];
    for r in &d.requests {
        headline.extend([
            key::of(&r.name, Metric::Daily),
            key::of(&r.name, Metric::AvgRps),
            key::of(&r.name, Metric::PeakRps),
        ]);
    }
    headline.extend([
        "bandwidth.egress_peak".into(),
        "bandwidth.origin_egress_peak".into(),
        "bandwidth.ingress_peak".into(),
    ]);
    headline.extend(["storage.daily".into(), "storage.yearly".into(), "storage.total".into()]);
    for t in &d.tiers {
        let n = &t.name;
        for m in [
            Metric::Load,
            Metric::NodesThroughput,
            Metric::NodesMemory,
            Metric::NodesDisk,
            Metric::NodesLatency,
            Metric::Shards,
            Metric::NodesBase,
            Metric::Nodes,
        ] {
            headline.push(key::of(n, m));
        }
    }
    let functional: Vec<Json> = d
        .requests
        .iter()
        .map(|r| {
            let kind = if r.kind == RequestKind::Write { "write" } else { "read" };
            json!({"name": r.name, "api": code(&r.api), "api_cell": code_in_table(&r.api), "kind": kind, "rate": v(&key::of(&r.name, Metric::Rate)), "daily": v(&key::of(&r.name, Metric::Daily)), "peak": v(&key::of(&r.name, Metric::PeakRps)),
                   "request": v(&key::of(&r.name, Metric::Request)), "response": v(&key::of(&r.name, Metric::Response)), "stores": v(&key::of(&r.name, Metric::Stores))})
        })
        .collect();
    // Escaped once, as whole sentences, below.
    let raw = |name: &str| p.show(name, digits);
    let mut non_functional: Vec<String> = Vec::new();
    if let Some(dau) = p.get("users.dau") {
        non_functional.push(format!(
            "Scale: {} daily active users, peak traffic {} the average.",
            show(dau, digits),
            raw("users.peak")
        ));
    }
    if p.get("slo.availability").is_some() {
        non_functional.push(format!(
            "Availability: {} (downtime budget {} a month).",
            raw("slo.availability"),
            raw("availability.downtime_month")
        ));
    }
    for l in &d.slo.latency {
        non_functional.push(format!("Latency: {} under {}.", l.label, raw(&key::latency("slo", &l.label))));
    }
    if p.value("storage.total") > 0.0 {
        non_functional.push(format!(
            "Durability: data kept {} with {} copies.",
            raw("storage.retention"),
            raw("storage.replication")
        ));
    }
    let flows: Vec<Json> = d
        .requests
        .iter()
        .map(|r| {
            let (mermaid, omitted) = diagram(mermaid::sequence(a, r, digits));
            json!({"name": r.name, "api": code(&r.api), "mermaid": mermaid, "omitted": omitted})
        })
        .collect();
    let caches: Vec<Json> = d
        .tiers
        .iter()
        .filter(|t| t.kind == TierKind::Cache)
        .map(|t| {
            let n = &t.name;
            let c = t.cache.as_ref();
            let size = match c.and_then(|c| c.size.as_ref()) {
                Some(CacheSize::Keys(_)) => format!("{} keys", v(&key::of(n, Metric::Size))),
                Some(CacheSize::Bytes(_)) => v(&key::of(n, Metric::Size)),
                None => "—".into(),
            };
            let method = p.get(&key::of(n, Metric::HitRatio)).map(|h| if h.formula.is_empty() { "given in the design".to_string() } else { h.formula.clone() });
            json!({"name": n, "policy": c.map(|c| c.policy.name()), "write": c.map(|c| format!("{:?}", c.write).to_lowercase()), "size": size,
                   "memory": v(&key::of(n, Metric::Memory)), "hit_ratio": v(&key::of(n, Metric::HitRatio)), "method": method.map(|m| escape(&m)),
                   "che": p.get(&key::of(n, Metric::HitRatioChe)).map(|x| escape(&show(x, digits))),
                   "plot": plots.iter().find(|pl| pl.path.ends_with(&format!("/mrc-{n}.svg"))).map(|pl| pl.path.clone()),
                   "curve_keys": a.cache_curves.iter().find(|c| c.tier == *n).map(|c| format::count(c.simulated_keys, digits)),
                   "load": v(&key::of(n, Metric::Load)), "nodes": v(&key::of(n, Metric::Nodes)), "bound": p.get(&key::of(n, Metric::Nodes)).and_then(|x| x.note.clone())})
        })
        .collect();
    let shards: Vec<Json> = d
        .tiers
        .iter()
        .filter(|t| matches!(t.kind, TierKind::Database | TierKind::Blob | TierKind::Search | TierKind::Queue))
        .map(|t| {
            let n = &t.name;
            let strategy = match t.sharding {
                crate::design::Sharding::Consistent { vnodes } => format!("consistent hashing, {vnodes} vnodes per node"),
                s => format!("{s:?}").to_lowercase(),
            };
            let base = if p.get(&key::of(n, Metric::Shards)).is_some() { key::of(n, Metric::Shards) } else { key::of(n, Metric::NodesBase) };
            json!({"name": n, "kind": t.kind.name(), "strategy": if t.kind == TierKind::Database { strategy } else { "—".into() },
                   "shards": v(&base), "replicas": v(&key::of(n, Metric::Replicas)), "nodes": v(&key::of(n, Metric::Nodes)), "bound": p.get(&base).and_then(|x| x.note.clone()),
                   "load": v(&key::of(n, Metric::Load)), "load_per_node": v(&key::of(n, Metric::LoadPerNode)), "disk": p.get(&key::of(n, Metric::NodeDisk)).map(|x| escape(&show(x, digits)))})
        })
        .collect();
    let verdicts: Vec<Json> = a
        .findings
        .iter()
        .map(|f| json!({"passed": f.passed, "warning": f.is_warning(), "line": a.source.line_col(f.span.start).line, "text": code(&f.text), "message": markdown_with_code(&f.message), "suggestion": f.suggestion.as_deref().map(markdown_with_code)}))
        .collect();
    let trade = tradeoffs::applied_with(d, kb, &a.alternatives, digits);
    let (architecture, architecture_omitted) = diagram(mermaid::architecture(a, digits));
    let mut view = json!({
        "title": escape(&d.name),
        "summary": escape(&d.summary),
        "file": code(file),
        "explain": code(&format!("fermi explain {file} NAME")),
        "functional": functional,
        "non_functional": non_functional.iter().map(|s| escape(s)).collect::<Vec<_>>(),
        "traffic": table("Traffic"),
        "bandwidth": table("Bandwidth"),
        "storage": table("Storage"),
        "tiers": table("Tiers"),
        "latency": table("Latency"),
        "requests": table("Requests"),
        "availability": table("Availability"),
        "burn": table("Error-budget burn alerts"),
        "assumptions": table("Assumptions"),
        "resources": table("Resources"),
        "data_model": table("Data model"),
        "cost": table("Cost"),
        "scenarios": table("Scenarios"),
        "growth": table("Growth timeline"),
        "glance": glance(a, digits),
        "risks": super::risks::lines(a, digits).iter().map(|r| markdown_with_code(r)).collect::<Vec<_>>(),
        "work": work(&headline),
        "architecture": architecture,
        "architecture_omitted": architecture_omitted,
        "flows": flows,
        "caches": caches,
        "shards": shards,
        "shard_sims": a.shard_plans.iter().map(|sp| {
            let plot = plots.iter().find(|pl| pl.path.ends_with(&format!("/shards-{}.svg", sp.tier))).map(|pl| pl.path.clone());
            super::shards::view(sp, digits, plot)
        }).collect::<Vec<_>>(),
        "storage_plan": {"daily": v("storage.daily"), "yearly": v("storage.yearly"), "total": v("storage.total"), "retention": v("storage.retention"),
                          "replication": v("storage.replication"), "overhead": v("storage.overhead"), "growth": v("users.growth"), "has_data": p.value("storage.total") > 0.0},
        "composite": v("availability.composite"),
        "has_tiers": !d.tiers.is_empty(),
        "slo_availability": p.get("slo.availability").map(|x| escape(&show(x, digits))),
        "latency_labels": latency_labels(a),
        "tradeoffs": trade,
        "checks": verdicts,
        "passed": a.passed(),
        "plots": plots.iter().map(|pl| json!({"path": pl.path, "title": escape(&pl.title)})).collect::<Vec<_>>(),
        "digits": digits,
        "seconds_per_day": format::grouped(p.value("seconds_per_day")),
        "uncertainty": uncertainty(a, &tables, plots),
    });
    // worked examples and re-runs are at the inputs' medians, the tables at the p50
    view["work_at_medians"] = json!(p.is_uncertain());
    view
}

/// The key numbers, first after the title.
fn glance(a: &Analysis, digits: usize) -> Vec<Json> {
    let p = a.view();
    let v = |name: &str| escape(&p.show(name, digits));
    let mut out = vec![
        json!({"label": "Peak traffic", "value": v("traffic.peak_rps")}),
        // the origin's share only when a CDN takes some of it: the same number twice says nothing
        if p.value("bandwidth.origin_egress_peak") == p.value("bandwidth.egress_peak") {
            json!({"label": "Peak egress", "value": v("bandwidth.egress_peak")})
        } else {
            json!({"label": "Peak egress", "value": format!("{} ({} from the origin)", v("bandwidth.egress_peak"), v("bandwidth.origin_egress_peak"))})
        },
        json!({"label": "Storage", "value": v("storage.total")}),
    ];
    let per_tier: Vec<String> = a
        .design
        .tiers
        .iter()
        .map(|t| format!("{} {}", t.name, p.show(&key::of(&t.name, Metric::Nodes), digits)))
        .collect();
    // one parenthesis: the tiers; the count to provision, when it differs, after them
    let (sum, provision) = sections::node_totals(a);
    let nodes = match provision {
        Some(provision) => format!("{sum} ({}); {provision}", per_tier.join(", ")),
        None => format!("{sum} ({})", per_tier.join(", ")),
    };
    out.push(json!({"label": "Nodes", "value": escape(&nodes)}));
    if p.get("cost.monthly").is_some() {
        out.push(
            json!({"label": "Cost", "value": format!("{} a month ({} a year)", v("cost.monthly"), v("cost.yearly"))}),
        );
    }
    let availability = match p.get("slo.availability") {
        _ if a.design.tiers.is_empty() => "— (no tiers)".to_string(),
        Some(_) => format!("{} (SLO {})", v("availability.composite"), v("slo.availability")),
        None => v("availability.composite"),
    };
    out.push(json!({"label": "Availability", "value": availability}));
    for l in &a.design.slo.latency {
        let worst = a
            .design
            .requests
            .iter()
            .filter_map(|r| p.defined(&key::latency(&r.name, &l.label)).map(|x| (x, r.name.clone())))
            .max_by(|x, y| x.0.total_cmp(&y.0));
        if let Some((_, r)) = worst {
            out.push(json!({"label": format!("Slowest {} ({r})", l.label), "value": format!("{} (SLO {})", v(&key::latency(&r, &l.label)), v(&key::latency("slo", &l.label)))}));
        }
    }
    let warnings = a.warnings().count();
    if warnings > 0 {
        out.push(json!({"label": "Warnings", "value": format!("{warnings} (see Risks and bottlenecks)")}));
    }
    out
}

/// A diagram's Mermaid source, or the note that replaces it (the other is null).
fn diagram(d: mermaid::Diagram) -> (Json, Json) {
    match d {
        mermaid::Diagram::Drawn(text) => (json!(text), Json::Null),
        mermaid::Diagram::Omitted(why) => (Json::Null, json!(why)),
    }
}

/// The Monte Carlo section: how it sampled, the inputs, the headline results with what drives
/// them (in words and as a tornado chart), and the node counts to provision.
fn uncertainty(a: &Analysis, tables: &[sections::Section], plots: &[PlotLink]) -> Json {
    let Some(u) = &a.uncertainty else { return Json::Null };
    let table = |title: &str| tables.iter().find(|s| s.title.starts_with(title)).map(rows).unwrap_or(Json::Null);
    let inputs: Vec<Json> = u
        .leaves
        .iter()
        .map(|l| {
            let written = if l.text.is_empty() { "a profile's range".to_string() } else { code_in_table(&l.text) };
            json!({"name": code_in_table(&l.name), "written": written, "distribution": escape(l.spread.family())})
        })
        .collect();
    let drivers: Vec<String> = u
        .sensitivity
        .iter()
        .map(|s| escape(&format!("{}: {}", s.output, sections::drivers(s, " from", usize::MAX))))
        .collect();
    let label = sections::percentile_label(u.provision);
    let provision: Vec<String> = u
        .nodes
        .iter()
        .map(|n| {
            escape(&format!(
                "{}: provision {} nodes ({label}); the median outcome needs {}",
                n.tier,
                format::whole(n.provision),
                format::whole(n.p50)
            ))
        })
        .collect();
    json!({
        "samples": format::grouped(u.samples as f64),
        "seed": u.seed,
        "inputs": inputs,
        "results": table("Uncertainty"),
        "drivers": drivers,
        "nodes": table("Nodes under uncertainty"),
        "provision": provision,
        "provision_label": label,
        "caches": u.caches.as_deref().map(escape),
        "correlations": escape(sections::correlations(u).trim()),
        "tornado": plots.iter().find(|pl| pl.path.ends_with("/sensitivity.svg")).map(|pl| json!({"path": pl.path, "title": escape(&pl.title)})),
        "single": (u.leaves.len() == 1).then(|| markdown_with_code(&format!(
            "One input is uncertain, `{}`, so it alone moves every result above that varies (a rank correlation of ±1 with each); no chart is drawn.",
            u.leaves[0].name
        ))),
    })
}

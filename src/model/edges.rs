//! Stage 9: edges. What moves along the architecture at peak, as plan entries: for each
//! edge caller → callee, its calls per second (Σ over the requests that use it of peak rps ×
//! the share of calls reaching the callee, from `paths`) and its bytes per second (those calls
//! × request + response bytes); for each hop of each request's path that receives it, its
//! calls per second. Being entries, they are sampled under uncertainty like every other
//! result, so diagrams can show the statistic the tables show.
//!
//! Architecture Invariant: which edges and hops exist depends on the design alone (paths and
//! write policies, never on a value), so a values-only plan adds the same entries in the same
//! order as the full plan whose layout it shares.

use super::derivation::Derived;
use super::paths;
use super::plan::{Edge, Plan};
use crate::design::Design;
use crate::units::format::Style;
use crate::units::{Dim, Quantity, Rate, Value};

/// The name an edge's caller has in plan names: a tier, or `clients` for the clients (or
/// `outside` when a tier is itself named `clients`).
fn caller_name(design: &Design, from: Option<&str>) -> String {
    match from {
        Some(t) => t.to_string(),
        None if design.tier("clients").is_some() => "outside".to_string(),
        None => "clients".to_string(),
    }
}

/// The plan names of an edge's calls per second and bytes per second:
/// `CALLEE.from.CALLER.rps` and `CALLEE.from.CALLER.bandwidth`.
pub fn edge_names(design: &Design, from: Option<&str>, to: &str) -> (String, String) {
    let caller = caller_name(design, from);
    (format!("{to}.from.{caller}.rps"), format!("{to}.from.{caller}.bandwidth"))
}

/// The plan name of the calls per second a request makes at a tier of its path:
/// `REQUEST.calls.TIER`, and `REQUEST.calls.TIER.N` for its N-th visit to the same tier.
pub fn hop_name(request: &str, tier: &str, visit: usize) -> String {
    if visit <= 1 { format!("{request}.calls.{tier}") } else { format!("{request}.calls.{tier}.{visit}") }
}

/// One edge's sums as the stage builds them.
struct Sum {
    from: Option<String>,
    to: String,
    rps: f64,
    bytes: f64,
    terms: Vec<String>,
    bytes_terms: Vec<String>,
    inputs: Vec<String>,
    requests: Vec<String>,
}

pub(super) fn add(design: &Design, plan: &mut Plan) {
    let explain = plan.is_full();
    let mut sums: Vec<Sum> = Vec::new();
    let mut hops: Vec<Vec<(usize, String)>> = Vec::with_capacity(design.requests.len());
    for r in &design.requests {
        let peak = plan.value(&format!("{}.peak_rps", r.name));
        let bytes = r.request.value.si() + r.response.value.si();
        let mut caller: Option<&str> = None;
        let mut visits: Vec<usize> = Vec::new();
        let mut names = Vec::new();
        for step in paths::walk(design, r, plan, explain) {
            let tier = &design.tiers[step.tier];
            if !paths::receives(r.kind, tier) {
                continue;
            }
            let calls = peak * step.share;
            visits.push(step.tier);
            let visit = visits.iter().filter(|&&t| t == step.tier).count();
            let name = hop_name(&r.name, &tier.name, visit);
            let (term, inputs) = if explain {
                let mut term = vec![format!("{}.peak_rps", r.name)];
                term.extend(step.factors.iter().cloned());
                let mut inputs = vec![format!("{}.peak_rps", r.name)];
                inputs.extend(step.inputs.iter().cloned());
                (term.join(" × "), inputs)
            } else {
                (String::new(), Vec::new())
            };
            plan.add(calls, || {
                let d = Derived::computed(Value::new(calls, Rate::DIM), Style::Rate, term.clone(), inputs.clone())
                    .with_note("peak calls per second of this request reaching this hop of its path");
                (name.clone(), d)
            });
            names.push((step.tier, name));
            let from = caller.map(str::to_string);
            let k = match sums.iter().position(|s| s.from == from && s.to == tier.name) {
                Some(k) => k,
                None => {
                    sums.push(Sum {
                        from,
                        to: tier.name.clone(),
                        rps: 0.0,
                        bytes: 0.0,
                        terms: Vec::new(),
                        bytes_terms: Vec::new(),
                        inputs: Vec::new(),
                        requests: Vec::new(),
                    });
                    sums.len() - 1
                }
            };
            let s = &mut sums[k];
            s.rps += calls;
            s.bytes += calls * bytes;
            if !s.requests.contains(&r.name) {
                s.requests.push(r.name.clone());
            }
            if explain {
                s.bytes_terms.push(format!("{term} × ({0}.request + {0}.response)", r.name));
                s.terms.push(term);
                s.inputs.extend(inputs);
            }
            caller = Some(&tier.name);
        }
        hops.push(names);
    }
    let mut edges = Vec::with_capacity(sums.len());
    for s in sums {
        let (rps_name, bandwidth_name) = edge_names(design, s.from.as_deref(), &s.to);
        let mut inputs = s.inputs;
        inputs.sort();
        inputs.dedup();
        plan.add(s.rps, || {
            let d = Derived::computed(Value::new(s.rps, Rate::DIM), Style::Rate, s.terms.join(" + "), inputs.clone())
                .with_note("peak calls per second along this edge of the architecture");
            (rps_name.clone(), d)
        });
        plan.add(s.bytes, || {
            let mut inputs = inputs.clone();
            inputs.extend(s.requests.iter().flat_map(|r| [format!("{r}.request"), format!("{r}.response")]));
            inputs.sort();
            inputs.dedup();
            let d = Derived::computed(
                Value::new(s.bytes, Dim::DATA_RATE),
                Style::DataRate,
                s.bytes_terms.join(" + "),
                inputs,
            )
            .with_note("peak bytes per second along this edge: request plus response bytes of its calls");
            (bandwidth_name.clone(), d)
        });
        edges.push(Edge { from: s.from, to: s.to, rps: rps_name, bandwidth: bandwidth_name, requests: s.requests });
    }
    if explain {
        plan.edges = edges;
        plan.hop_calls = hops;
    }
}

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
use crate::key::{self, Metric};
use crate::units::format::Style;
use crate::units::{Dim, Quantity, Rate, Value};

/// The name the clients have as an edge's caller in plan names: `clients`, or `outside` when
/// a tier is itself named `clients`.
fn clients_name(design: &Design) -> &'static str {
    if design.tier("clients").is_some() { "outside" } else { "clients" }
}

/// The plan names of an edge's calls per second and bytes per second:
/// `CALLEE.from.CALLER.rps` and `CALLEE.from.CALLER.bandwidth`, the caller being a tier or
/// `clients` (see [`clients_name`]).
fn edge_names(clients: &str, from: Option<&str>, to: &str) -> (String, String) {
    let caller = from.unwrap_or(clients);
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
    // where each edge (caller, callee) is in `sums`, found in constant time: a design has as
    // many edges as hops, so a search per hop would be quadratic in the design
    let mut index: rustc_hash::FxHashMap<(Option<usize>, usize), usize> = Default::default();
    let mut hops: Vec<Vec<(usize, String)>> = Vec::with_capacity(design.requests.len());
    for r in &design.requests {
        let peak = plan.value(&key::of(&r.name, Metric::PeakRps));
        let bytes = r.request.value.si() + r.response.value.si();
        let mut caller: Option<usize> = None;
        let mut visits: rustc_hash::FxHashMap<usize, usize> = Default::default();
        let mut names = Vec::new();
        for step in paths::walk(design, r, plan, explain) {
            let tier = &design.tiers[step.tier];
            if !paths::receives(r.kind, tier) {
                continue;
            }
            let calls = peak * step.share;
            let visit = {
                let n = visits.entry(step.tier).or_insert(0);
                *n += 1;
                *n
            };
            let name = hop_name(&r.name, &tier.name, visit);
            let (term, inputs) = if explain {
                let mut term = vec![key::of(&r.name, Metric::PeakRps)];
                term.extend(step.factors.iter().cloned());
                let mut inputs = vec![key::of(&r.name, Metric::PeakRps)];
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
            let k = match index.get(&(caller, step.tier)) {
                Some(&k) => k,
                None => {
                    index.insert((caller, step.tier), sums.len());
                    sums.push(Sum {
                        from: caller.map(|c| design.tiers[c].name.clone()),
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
            // requests are walked one after another, so one already listed is the last
            if s.requests.last() != Some(&r.name) {
                s.requests.push(r.name.clone());
            }
            if explain {
                s.bytes_terms.push(format!("{term} × ({0}.request + {0}.response)", r.name));
                s.terms.push(term);
                s.inputs.extend(inputs);
            }
            caller = Some(step.tier);
        }
        hops.push(names);
    }
    let clients = clients_name(design);
    let mut edges = Vec::with_capacity(sums.len());
    for s in sums {
        let (rps_name, bandwidth_name) = edge_names(clients, s.from.as_deref(), &s.to);
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
            inputs.extend(s.requests.iter().flat_map(|r| [key::of(r, Metric::Request), key::of(r, Metric::Response)]));
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

//! OpenSLO v1 documents from a design's SLOs: one `Service`, then per SLO an `SLI` (a ratio of
//! Prometheus counters: bad or good events over all) and an `SLO` referring to it, with the
//! objective as a target ratio over a rolling error-budget window; several YAML documents
//! separated by `---`.
//!
//! Architecture Invariant: presentation only — queries come from the module above, numbers
//! from the plan; every `metadata.name` is a DNS label of at most 63 characters.

use super::yaml::{Node, document};
use super::{Indicator, SloSet, bad_events, fit, good_events, header, total_events};

/// The API version written.
pub const API_VERSION: &str = "openslo/v1";

fn metric(query: String) -> Node {
    Node::map([(
        "metricSource",
        Node::map([("type", Node::str("Prometheus")), ("spec", Node::map([("query", Node::str(query))]))]),
    )])
}

fn object(kind: &str, name: &str, display: &str, spec: Vec<(&str, Node)>) -> Node {
    Node::map([
        ("apiVersion", Node::str(API_VERSION)),
        ("kind", Node::str(kind)),
        ("metadata", Node::map([("name", Node::str(name)), ("displayName", Node::str(display))])),
        ("spec", Node::map(spec)),
    ])
}

/// The documents.
pub fn documents(set: &SloSet) -> String {
    let mut docs = vec![object(
        "Service",
        &set.service,
        &set.display_name,
        vec![("description", Node::str(if set.summary.is_empty() { &set.display_name } else { &set.summary }))],
    )];
    for slo in &set.slos {
        let name = fit(&format!("{}-{}", set.service, slo.name));
        let display = format!("{}: {}", set.display_name, slo.name);
        let numerator = match good_events(slo, set, None) {
            Some(good) => ("good", metric(good)),
            None => ("bad", metric(bad_events(slo, set, None))),
        };
        let ratio =
            Node::map([("counter", Node::Bool(true)), numerator, ("total", metric(total_events(slo, set, None)))]);
        docs.push(object(
            "SLI",
            &name,
            &display,
            vec![("description", Node::str(sli_description(slo))), ("ratioMetric", ratio)],
        ));
        docs.push(object(
            "SLO",
            &name,
            &display,
            vec![
                ("description", Node::str(&slo.description)),
                ("service", Node::str(&set.service)),
                ("indicatorRef", Node::str(&name)),
                (
                    "timeWindow",
                    Node::List(vec![Node::map([
                        ("duration", Node::str(&set.window)),
                        ("isRolling", Node::Bool(true)),
                    ])]),
                ),
                ("budgetingMethod", Node::str("Occurrences")),
                (
                    "objectives",
                    Node::List(vec![Node::map([
                        ("displayName", Node::str(format!("{}%", slo.objective_percent))),
                        ("target", Node::Num(slo.objective.clone())),
                    ])]),
                ),
            ],
        ));
    }
    let mut out = header(set, "OpenSLO v1 documents");
    for doc in &docs {
        out.push_str("---\n");
        out.push_str(&document(doc));
    }
    out
}

fn sli_description(slo: &super::Slo) -> String {
    match &slo.indicator {
        Indicator::Availability => "The share of requests that did not fail.".to_string(),
        Indicator::Latency { label, le } => {
            format!("The share of requests answered within {le} s (the {label} target).")
        }
    }
}

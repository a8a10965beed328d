//! Prometheus rule files from a design's SLOs: per SLO, a recording rule of its error ratio
//! over each alert window (5m … 3d) and of its objective, then the multiwindow, multi-burn-rate
//! page and ticket alerts of the Google SRE Workbook with the plan's burn rates. The file
//! passes `promtool check rules`.
//!
//! Architecture Invariant: presentation only — queries come from the module above, numbers
//! from the plan; a threshold is written as `RATE * (1 - OBJECTIVE)` for Prometheus to multiply.

use super::yaml::{Node, document};
use super::{SloSet, bad_events, camel, header, promql_string, total_events};

/// The recording rule name of an SLO's error ratio over `window`.
pub fn error_ratio_record(window: &str) -> String {
    format!("fermi_slo:sli_error:ratio_rate{window}")
}

/// The rule file: one group per SLO.
pub fn rules(set: &SloSet) -> String {
    let mut groups = Vec::new();
    for slo in &set.slos {
        let labels = || labels_node(set, &slo.name);
        let selector =
            format!("{{fermi_service={}, fermi_slo={}}}", promql_string(&set.service), promql_string(&slo.name));
        let mut rules = Vec::new();
        for w in &set.windows {
            let expr = format!("{}\n/\n{}", bad_events(slo, set, Some(w)), total_events(slo, set, Some(w)));
            rules.push(Node::map([
                ("record", Node::str(error_ratio_record(w))),
                ("expr", Node::str(expr)),
                ("labels", labels()),
            ]));
        }
        rules.push(Node::map([
            ("record", Node::str("fermi_slo:objective:ratio")),
            ("expr", Node::str(format!("vector({})", slo.objective))),
            ("labels", labels()),
        ]));
        for severity in ["page", "ticket"] {
            let burns: Vec<_> = set.burns.iter().filter(|b| b.severity == severity).collect();
            if burns.is_empty() {
                continue;
            }
            let clauses: Vec<String> = burns
                .iter()
                .map(|b| {
                    let threshold = format!("({} * (1 - {}))", b.rate, slo.objective);
                    format!(
                        "(\n  {long}{selector} > {threshold}\nand\n  {short}{selector} > {threshold}\n)",
                        long = error_ratio_record(&b.long),
                        short = error_ratio_record(&b.short),
                    )
                })
                .collect();
            let windows: Vec<String> = burns
                .iter()
                .map(|b| {
                    format!(
                        "{}x over {} and {} ({}% of the {} budget in {})",
                        b.rate, b.long, b.short, b.share_percent, set.window, b.long
                    )
                })
                .collect();
            let mut labels = vec![("severity".to_string(), Node::str(severity))];
            if let Node::Map(entries) = labels_node(set, &slo.name) {
                labels.extend(entries);
            }
            rules.push(Node::map([
                ("alert", Node::str(camel(&format!("{}-{}", set.service, slo.name)))),
                ("expr", Node::str(clauses.join("\nor\n"))),
                ("labels", Node::Map(labels)),
                (
                    "annotations",
                    Node::map([
                        (
                            "summary",
                            Node::str(format!(
                                "{}: {} is burning its error budget ({severity})",
                                set.display_name, slo.name
                            )),
                        ),
                        (
                            "description",
                            Node::str(format!(
                                "{} The error ratio has exceeded the objective's budget by {}.",
                                slo.description,
                                windows.join(", or ")
                            )),
                        ),
                    ]),
                ),
            ]));
        }
        groups.push(Node::map([
            ("name", Node::str(format!("fermi-{}-{}", set.service, slo.name))),
            ("rules", Node::List(rules)),
        ]));
    }
    let mut out = header(set, "Prometheus SLO rules");
    out.push_str("# Check with `promtool check rules FILE`.\n");
    out.push_str(&document(&Node::map([("groups", Node::List(groups))])));
    out
}

fn labels_node(set: &SloSet, slo: &str) -> Node {
    Node::map([("fermi_service", Node::str(&set.service)), ("fermi_slo", Node::str(slo))])
}

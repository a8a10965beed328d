//! A sloth SLO spec (`version: "prometheus/v1"`) from a design's SLOs: per SLO its objective in
//! percent, event queries with sloth's `{{.window}}` placeholder, and page and ticket alerts.
//! sloth derives the alert windows and burn rates from its SLO period; its 30-day catalog uses
//! the same Google SRE Workbook rates (14.4, 6, 3, 1) as fermi's plan.
//!
//! Architecture Invariant: presentation only — queries come from the module above, numbers
//! from the plan.

use super::yaml::{Node, document};
use super::{Indicator, SloSet, bad_events, camel, header, total_events};

/// sloth's template variable for the query window.
pub const WINDOW: &str = "{{.window}}";

/// The spec.
pub fn spec(set: &SloSet) -> String {
    let slos: Vec<Node> = set
        .slos
        .iter()
        .map(|slo| {
            let category = match slo.indicator {
                Indicator::Availability => "availability",
                Indicator::Latency { .. } => "latency",
            };
            let alert = |severity: &str| Node::map([("labels", Node::map([("severity", Node::str(severity))]))]);
            Node::map([
                ("name", Node::str(&slo.name)),
                ("objective", Node::Num(slo.objective_percent.clone())),
                ("description", Node::str(&slo.description)),
                (
                    "sli",
                    Node::map([(
                        "events",
                        Node::map([
                            ("error_query", Node::str(bad_events(slo, set, Some(WINDOW)))),
                            ("total_query", Node::str(total_events(slo, set, Some(WINDOW)))),
                        ]),
                    )]),
                ),
                (
                    "alerting",
                    Node::map([
                        ("name", Node::str(camel(&format!("{}-{}", set.service, slo.name)))),
                        ("labels", Node::map([("category", Node::str(category))])),
                        (
                            "annotations",
                            Node::map([(
                                "summary",
                                Node::str(format!("{}: {} is burning its error budget", set.display_name, slo.name)),
                            )]),
                        ),
                        ("page_alert", alert("page")),
                        ("ticket_alert", alert("ticket")),
                    ]),
                ),
            ])
        })
        .collect();
    let rates: Vec<String> =
        set.burns.iter().map(|b| format!("{} {}x over {}/{}", b.severity, b.rate, b.long, b.short)).collect();
    let mut out = header(set, "sloth SLO spec");
    out.push_str(&format!(
        "# Generate rules with `sloth generate -i FILE --default-slo-period={}`{}.\n# fermi's plan alerts at: {}.\n",
        set.window,
        if ["30d", "28d"].contains(&set.window.as_str()) {
            ""
        } else {
            " and a windows catalog for that period (--slo-period-windows-path): sloth ships 30d and 28d"
        },
        rates.join("; ")
    ));
    out.push_str(&document(&Node::map([
        ("version", Node::str("prometheus/v1")),
        ("service", Node::str(&set.service)),
        ("slos", Node::List(slos)),
    ])));
    out
}

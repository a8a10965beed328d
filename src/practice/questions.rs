//! The questions an interview asks of a design, in the order it asks them: daily calls,
//! average and peak rps, bandwidth, storage per day, per year and in total, cache memory,
//! nodes per tier, and the downtime the SLO allows.
//!
//! Architecture Invariant: a question is a plan name with words around it; its answer is the
//! plan's value.

use crate::analysis::Analysis;
use crate::design::TierKind;
use crate::key::{self, Metric};
use crate::units::format::Style;

/// One question.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// The plan name whose value answers it.
    pub name: String,
    /// The question in words.
    pub prompt: String,
    /// What kind of answer is expected: "a count", "requests per second", ….
    pub expects: &'static str,
}

fn expects(style: Style) -> &'static str {
    match style {
        Style::Count => "a count",
        Style::Rate => "requests per second (rps)",
        Style::Data => "a data size (GB, TB, …)",
        Style::DataRate => "a bandwidth (Mbps, Gbps, …)",
        Style::Duration | Style::Seconds => "a duration (s, min, h, …)",
        Style::Percent => "a percentage",
        Style::Multiplier => "a multiplier",
        Style::Money => "an amount in dollars ($, $K, …)",
        Style::MoneyRate => "dollars per month",
        Style::MoneyPerData => "dollars per GB",
        Style::MoneyPerDataTime => "dollars per GB per month",
    }
}

/// The questions for an analysed design, in interview order.
pub fn questions(a: &Analysis) -> Vec<Question> {
    let p = &a.plan;
    let mut out = Vec::new();
    let mut ask = |name: String, prompt: String| {
        if let Some(d) = p.get(&name).filter(|d| d.is_defined()) {
            out.push(Question { name, prompt, expects: expects(d.style) });
        }
    };
    ask("traffic.daily".into(), "How many calls does the system serve per day, all requests together?".into());
    ask("traffic.avg_rps".into(), "What is the average request rate?".into());
    ask("traffic.peak_rps".into(), "What is the peak request rate?".into());
    if p.value("bandwidth.egress_peak") > 0.0 {
        ask("bandwidth.egress_peak".into(), "What egress bandwidth is needed at peak?".into());
    }
    if p.value("bandwidth.origin_egress_peak") < p.value("bandwidth.egress_peak") {
        ask("bandwidth.origin_egress_peak".into(), "How much of that leaves the origin, after the CDN?".into());
    }
    if p.value("bandwidth.ingress_peak") > 0.0 {
        ask("bandwidth.ingress_peak".into(), "What ingress bandwidth is needed at peak?".into());
    }
    if p.value("storage.daily") > 0.0 {
        ask("storage.daily".into(), "How much new data is stored per day (one copy)?".into());
        ask("storage.yearly".into(), "How much per year (one copy)?".into());
        ask("storage.total".into(), "How much storage in total, over the retention period, with every copy?".into());
    }
    for t in &a.design.tiers {
        if t.kind == TierKind::Cache {
            ask(key::of(&t.name, Metric::Memory), format!("How much memory does the `{}` cache need?", t.name));
        }
    }
    for t in &a.design.tiers {
        ask(
            key::of(&t.name, Metric::Nodes),
            format!("How many `{}` nodes ({}) are needed, replicas included?", t.name, t.kind.name()),
        );
    }
    if p.get("slo.availability").is_some() {
        ask("availability.downtime_year".into(), "How much downtime per year does the availability SLO allow?".into());
        ask("availability.downtime_month".into(), "And per month?".into());
    }
    out
}

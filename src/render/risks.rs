//! Risks and bottlenecks, read off the analysis: the tier closest to saturation at peak, the
//! first tier to outgrow its nodes as users grow, single points of failure, the SLO with the
//! least margin, the input that drives each uncertain headline, and every plausibility
//! warning — each line with what to change.
//!
//! Architecture Invariant: every number here is a plan value or a finding; the only
//! arithmetic is a ratio of two plan values for display (the margin to a limit).

use crate::analysis::Analysis;
use crate::key::{self, Metric};
use crate::units::format::{self, Style};
use crate::units::{Dim, Value};

fn pct(x: f64, digits: usize) -> String {
    format::human(Value::number(x), Style::Percent, digits)
}

/// A result at the statistic the tables show: its p50 when it varies over samples.
fn p50(p: crate::model::View<'_>, name: &str) -> Option<f64> {
    match p.distribution(name) {
        Some(d) => Some(d.p50).filter(|x| x.is_finite()),
        None => p.defined(name),
    }
}

/// One line per risk, most pressing first within each kind.
pub fn lines(a: &Analysis, digits: usize) -> Vec<String> {
    let p = a.view();
    let mut out = Vec::new();
    let busiest = a
        .design
        .tiers
        .iter()
        .filter_map(|t| p50(p, &key::of(&t.name, Metric::Utilization)).map(|u| (u, t)))
        .filter(|(u, _)| u.is_finite())
        .max_by(|x, y| x.0.total_cmp(&y.0));
    if let Some((u, t)) = busiest {
        out.push(format!(
            "Closest to saturation at peak: `{}` at {} utilisation ({} headroom before its nodes are full); raise `capacity`, `headroom` or add nodes there first.",
            t.name,
            p.show_stat(&key::of(&t.name, Metric::Utilization), "p50", digits),
            pct((1.0 - u).max(0.0), digits)
        ));
    }
    if let Some(tl) = &a.timeline {
        match tl.outgrown.iter().min_by_key(|o| o.year) {
            Some(o) => out.push(format!(
                "First to outgrow today's nodes as users grow: `{}`, {}-bound in year {} when it needs {} nodes; provision them, or raise what bounds it (its {}), before year {}.",
                o.tier,
                o.bound,
                o.year,
                format::count(o.nodes, digits),
                o.bound,
                o.year
            )),
            None => out.push("No tier outgrows today's nodes before the horizon.".to_string()),
        }
    }
    for t in &a.design.tiers {
        let nodes = p.value(&key::of(&t.name, Metric::Nodes));
        let replicas = t.replicas.value;
        use crate::units::Quantity;
        if t.kind.is_stateful() && replicas.si() <= 1.0 && nodes > 0.0 {
            out.push(format!(
                "Single point of failure: `{}` keeps one replica of each shard; set `replicas = 2` or more so a node loss keeps its data reachable.",
                t.name
            ));
        } else if !t.kind.is_stateful() && nodes <= 1.0 && t.spare.value.si() <= 0.0 && nodes > 0.0 {
            out.push(format!(
                "Single point of failure: `{}` runs on one node with no spare; set `spare = 1` (N+1).",
                t.name
            ));
        }
    }
    let mut tightest: Option<(f64, String)> = None;
    for l in &a.design.slo.latency {
        let target = p.value(&key::latency("slo", &l.label));
        for r in &a.design.requests {
            if let Some(x) = p50(p, &key::latency(&r.name, &l.label)) {
                let margin = 1.0 - x / target;
                let (x_s, target_s) = (
                    format::human(Value::new(x, Dim::TIME), Style::Duration, digits),
                    format::human(Value::new(target, Dim::TIME), Style::Duration, digits),
                );
                let line = if margin < 0.0 {
                    format!(
                        "Least SLO margin: `{}` {} is {x_s}, over its {target_s} target; shorten its path, cut the service times of its slowest tiers, or relax the target.",
                        r.name, l.label
                    )
                } else {
                    format!(
                        "Least SLO margin: `{}` {} is {x_s} against {target_s} ({} to spare); shorten its path or service times, or relax the target.",
                        r.name,
                        l.label,
                        pct(margin, digits)
                    )
                };
                if tightest.as_ref().is_none_or(|(m, _)| margin < *m) {
                    tightest = Some((margin, line));
                }
            }
        }
    }
    if let (Some(slo), Some(c)) = (p.defined("slo.availability"), p50(p, "availability.composite")) {
        let margin = if slo < 1.0 { 1.0 - (1.0 - c) / (1.0 - slo) } else { 0.0 };
        let weakest = a
            .design
            .tiers
            .iter()
            .filter(|t| p.edges.iter().any(|e| e.to == t.name))
            .filter_map(|t| p50(p, &key::of(&t.name, Metric::Availability)).map(|x| (x, t)))
            .min_by(|x, y| x.0.total_cmp(&y.0));
        let fix = match weakest {
            Some((_, t)) if t.kind.is_stateful() => format!(
                "the weakest tier is `{}` at {}: raise its `replicas`",
                t.name,
                p.show(&key::of(&t.name, Metric::Availability), digits)
            ),
            Some((_, t)) => format!(
                "the weakest tier is `{}` at {}: add a `spare` there",
                t.name,
                p.show(&key::of(&t.name, Metric::Availability), digits)
            ),
            None => "add replicas or spares on the weakest tier of the busiest path".to_string(),
        };
        let line = if c < slo {
            format!(
                "Least SLO margin: availability {} misses its {} SLO (the architecture's own failures use more than the error budget); {fix}.",
                p.show("availability.composite", digits),
                p.show("slo.availability", digits)
            )
        } else {
            format!(
                "Least SLO margin: availability {} against {} ({} of the error budget left at the architecture's own failure rate); {fix}.",
                p.show("availability.composite", digits),
                p.show("slo.availability", digits),
                pct(margin, digits)
            )
        };
        if tightest.as_ref().is_none_or(|(m, _)| margin < *m) {
            tightest = Some((margin, line));
        }
    }
    if let Some((_, line)) = tightest {
        out.push(line);
    }
    if let Some(u) = &a.uncertainty {
        // one line per driving input, naming the results it drives most
        let mut by_input: Vec<(String, Vec<String>)> = Vec::new();
        for s in u.sensitivity.iter().filter(|s| !s.drivers.is_empty()) {
            let top = s.drivers[0].input.clone();
            match by_input.iter_mut().find(|(i, _)| *i == top) {
                Some((_, outs)) => outs.push(format!("`{}`", s.output)),
                None => by_input.push((top, vec![format!("`{}`", s.output)])),
            }
        }
        for (input, outputs) in by_input {
            out.push(format!(
                "Uncertainty: `{input}` drives most of {}; narrowing its range narrows them.",
                outputs.join(", ")
            ));
        }
    }
    for w in a.warnings() {
        out.push(format!(
            "Plausibility (line {}): {}{}",
            a.source.line_col(w.span.start).line,
            w.message,
            match w.suggestion.as_deref() {
                Some(s) => format!(" — {s}."),
                None => " — check the inputs on that line.".to_string(),
            }
        ));
    }
    out
}

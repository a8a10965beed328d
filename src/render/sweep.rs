//! `fermi sweep` for people and machines: the headline results at each value of the swept
//! input, where each tier's deciding constraint changes and where each check starts failing
//! ("slo latency p99 = 100 ms for redirect fails above 412M"), as a terminal table, Markdown or
//! JSON; and an SVG line chart of nodes per tier against the swept value.
//!
//! Architecture Invariant: formats a [`Sweep`]; computes nothing beyond axis ranges.

use super::sections::Section;
use crate::analysis::whatif::sweep::Sweep;
use crate::key::{self, Metric};
use crate::units::format::{self, Style};
use crate::units::{Dim, Value};
use plotters::prelude::*;
use serde_json::json;

const DIGITS: usize = 4;

fn input(s: &Sweep, v: f64) -> String {
    format::human(Value::new(v, s.dim), s.style, DIGITS)
}

fn section(s: &Sweep) -> Section {
    let mut headers = vec![s.input.clone()];
    headers.extend(s.names.iter().cloned());
    let rows = s
        .steps
        .iter()
        .map(|step| {
            let mut row = vec![input(s, step.value)];
            row.extend(step.results.iter().zip(&s.kinds).map(|(v, (dim, style))| {
                if v.is_finite() { format::human(Value::new(*v, *dim), *style, DIGITS) } else { "undefined".into() }
            }));
            row
        })
        .collect();
    Section { title: format!("{} across {}", s.design, s.input), headers, rows, note: None }
}

/// The findings in words: one line per constraint change and per check that flips, and the
/// tiers whose constraint holds throughout.
pub fn findings(s: &Sweep) -> Vec<String> {
    let mut out = Vec::new();
    for (k, tier) in s.tiers.iter().enumerate() {
        let changes: Vec<_> = s.bound_changes.iter().filter(|c| c.tier == *tier).collect();
        if changes.is_empty() {
            if let Some(b) = s.steps.first().map(|st| st.bounds[k].as_str()).filter(|b| !b.is_empty()) {
                out.push(format!("{tier}: bound by {b} throughout"));
            }
        } else {
            for c in changes {
                let (below, above) = if rising(s) { (&c.from, &c.to) } else { (&c.to, &c.from) };
                out.push(format!("{tier}: bound by {below} below {} {}, by {above} above", input(s, c.at), s.input));
            }
        }
    }
    for (k, text) in s.checks.iter().enumerate() {
        let mut at: Vec<f64> = s.check_changes.iter().filter(|c| c.text == *text).map(|c| c.at).collect();
        if at.is_empty() {
            continue;
        }
        at.sort_by(f64::total_cmp);
        // The verdict at the low end, then a toggle at each change.
        let low = s.steps.iter().min_by(|a, b| a.value.total_cmp(&b.value)).is_none_or(|st| st.passed[k]);
        let mut spans = Vec::new();
        let mut failing_from = (!low).then_some(None);
        for x in &at {
            match failing_from.take() {
                Some(None) => spans.push(format!("below {}", input(s, *x))),
                Some(Some(from)) => spans.push(format!("from {} to {}", input(s, from), input(s, *x))),
                None => failing_from = Some(Some(*x)),
            }
        }
        if let Some(Some(from)) = failing_from {
            spans.push(format!("above {}", input(s, from)));
        }
        out.push(format!("{text} fails {} {}", spans.join(" and "), s.input));
    }
    for (k, text) in s.checks.iter().enumerate() {
        if !s.check_changes.iter().any(|c| c.text == *text) {
            let all = s.steps.iter().all(|st| st.passed[k]);
            out.push(format!("{text} {} across the range", if all { "holds" } else { "fails" }));
        }
    }
    out
}

/// Whether the sweep runs from low to high values.
fn rising(s: &Sweep) -> bool {
    s.steps.last().map(|l| l.value) >= s.steps.first().map(|f| f.value)
}

/// Terminal table and findings.
pub fn table(s: &Sweep) -> String {
    let mut out = super::table::terminal(&[section(s)]);
    for line in findings(s) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Markdown table and findings.
pub fn markdown(s: &Sweep) -> String {
    let mut out = format!("# {}\n\n", super::table::escape(&s.design));
    out.push_str(&super::diff::pipe_table(&section(s)));
    for line in findings(s) {
        out.push_str(&format!("- {}\n", super::table::escape(&line)));
    }
    out
}

/// JSON: every step's results (base units), constraints and failing checks; the changes.
pub fn json(s: &Sweep) -> String {
    let steps: Vec<_> = s
        .steps
        .iter()
        .map(|st| {
            let results: serde_json::Map<String, serde_json::Value> =
                s.names.iter().zip(&st.results).map(|(n, v)| (n.clone(), json!(v.is_finite().then_some(*v)))).collect();
            let bounds: serde_json::Map<String, serde_json::Value> =
                s.tiers.iter().zip(&st.bounds).map(|(t, b)| (t.clone(), json!(b))).collect();
            let failing: Vec<&String> = s.checks.iter().zip(&st.passed).filter(|(_, p)| !**p).map(|(c, _)| c).collect();
            json!({"value": st.value, "shown": input(s, st.value), "results": results, "bound_by": bounds, "failing": failing})
        })
        .collect();
    let value = json!({
        "schema": "fermi-sweep/1",
        "design": s.design,
        "input": s.input,
        "unit": Style::base_unit(s.style),
        "base": s.base,
        "steps": steps,
        "bound_changes": s.bound_changes.iter().map(|c| json!({"tier": c.tier, "at": c.at, "shown": input(s, c.at), "from": c.from, "to": c.to})).collect::<Vec<_>>(),
        "check_changes": s.check_changes.iter().map(|c| json!({"check": c.text, "at": c.at, "shown": input(s, c.at), "fails": if c.fails_above { "above" } else { "below" }})).collect::<Vec<_>>(),
        "findings": findings(s),
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// Nodes per tier against the swept value, one line per tier (log x axis on a log sweep).
pub fn plot(s: &Sweep, log: bool) -> Option<String> {
    let xs: Vec<f64> = s.steps.iter().map(|st| st.value).collect();
    let (x_lo, x_hi) = xs.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(*x), b.max(*x)));
    if !(x_lo.is_finite() && x_hi > x_lo) {
        return None;
    }
    let series: Vec<(String, Vec<(f64, f64)>)> = s
        .tiers
        .iter()
        .filter_map(|t| {
            let k = s.names.iter().position(|n| *n == key::of(t, Metric::Nodes))?;
            let points = s.steps.iter().filter(|st| st.results[k].is_finite()).map(|st| (st.value, st.results[k]));
            Some((t.clone(), points.collect()))
        })
        .collect();
    let y_max = series.iter().flat_map(|(_, p)| p.iter().map(|x| x.1)).fold(1.0, f64::max) * 1.1;
    let label = |x: &f64| format::human(Value::new(*x, s.dim), s.style, 3);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, super::style::SIZE).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let caption = format!("{}: nodes per tier across {}", s.design, s.input);
        let mut builder = ChartBuilder::on(&root);
        builder.caption(caption, ("sans-serif", 18)).margin(12).x_label_area_size(36).y_label_area_size(60);
        macro_rules! draw {
            ($chart:expr) => {{
                let mut chart = $chart;
                chart
                    .configure_mesh()
                    .x_desc(s.input.as_str())
                    .y_desc("nodes")
                    .x_label_formatter(&label)
                    .y_label_formatter(&|y| format::human(Value::new(*y, Dim::NONE), Style::Count, 3))
                    .draw()
                    .ok()?;
                for (k, (tier, points)) in series.iter().enumerate() {
                    let colour = super::style::PALETTE[k % super::style::PALETTE.len()];
                    chart
                        .draw_series(LineSeries::new(points.iter().copied(), colour.stroke_width(2)))
                        .ok()?
                        .label(tier.as_str())
                        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(2)));
                }
                super::style::legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
            }};
        }
        if log && x_lo > 0.0 {
            use plotters::coord::combinators::IntoLogRange;
            draw!(builder.build_cartesian_2d((x_lo..x_hi).log_scale(), 0.0..y_max).ok()?);
        } else {
            draw!(builder.build_cartesian_2d(x_lo..x_hi, 0.0..y_max).ok()?);
        }
        root.present().ok()?;
    }
    Some(svg)
}

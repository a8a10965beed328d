//! The view of `fermi sim trace`: what a trace holds — requests, distinct keys, the fitted
//! Zipf exponent with the ranks it was fitted on, one-hit wonders, the hottest key's share —
//! and a `workload` block to paste into a design; or the same summary as JSON.
//!
//! Architecture Invariant: lays out the summary `sim::trace::summarize` computed; computes
//! nothing itself.

use crate::sim::trace::TraceSummary;
use crate::units::{Value, format};

/// The summary of the trace called `name` (`<stdin>` for standard input), with a `workload`
/// block whose keys and skew are the trace's.
pub fn text(name: &str, s: &TraceSummary) -> String {
    let pct = |x: f64| format!("{}%", format::sig(x * 100.0, 4));
    let alpha = s.zipf_alpha.map_or("too few repeated keys to fit".to_string(), |a| {
        format!(
            "{} (least squares on ln count against ln rank, ranks {} to {})",
            format::sig(a, 3),
            format::grouped(s.fit_ranks.0 as f64),
            format::grouped(s.fit_ranks.1 as f64)
        )
    });
    let skew = s.zipf_alpha.map_or("uniform".to_string(), |a| format!("zipf({})", format::sig(a.max(0.0), 3)));
    format!(
        "trace {name}\nrequests:          {}\ndistinct keys:     {}\nzipf alpha:        {alpha}\none-hit wonders:   {} of the distinct keys\nhottest key:       {} of the requests\n\nworkload {{\n  keys = {}\n  skew = {skew}\n}}\n",
        format::grouped(s.requests as f64),
        format::grouped(s.distinct as f64),
        pct(s.one_hit_share),
        pct(s.top_share),
        format::human(Value::number(s.distinct as f64), format::Style::Count, 4),
    )
}

/// The summary as one pretty JSON object.
pub fn json(s: &TraceSummary) -> String {
    let row = serde_json::json!({"requests": s.requests, "distinct": s.distinct, "one_hit_share": s.one_hit_share,
        "zipf_alpha": s.zipf_alpha, "fit_ranks": [s.fit_ranks.0, s.fit_ranks.1], "top_share": s.top_share});
    let mut text = serde_json::to_string_pretty(&row).unwrap_or_default();
    text.push('\n');
    text
}

//! The view of `fermi sim cache`: each replay (a trace, a generated workload, or one cache
//! tier of a design) as a heading with what the source held, a table of miss and hit ratios
//! per (policy, size) with the tier's own size marked and the sampling error beside each
//! ratio, the same rows as JSON, and the miss-ratio curves of every replay as one SVG.
//!
//! Architecture Invariant: lays out the outcomes `sim::session` returned and the plan's hit
//! ratio as the model derived it; computes nothing but ratios' complements and axis choices.

use crate::analysis::hit_ratios::TierWorkload;
use crate::design::Popularity;
use crate::model::Derived;
use crate::model::curves::Series;
use crate::render::mrc::{Axis, plot};
use crate::sim::cache::{CacheOutcome, Capacity};
use crate::sim::session::{SAMPLE_GROUPS, Source, SourceStats};
use crate::units::{Dim, Value, format};
use std::path::Path;

/// One replay as shown: what it was and its results.
#[derive(Debug, Clone)]
pub struct Replay {
    /// The heading: the source, or the tier with its size and the plan's hit ratio.
    pub title: String,
    /// With a design: the tier replayed.
    pub tier: Option<String>,
    /// With a design: the tier's own size in replayed objects (its row is marked).
    pub own: Option<usize>,
    /// With a design: how the replay relates to the plan's hit ratio.
    pub note: Option<String>,
    /// What the source held.
    pub stats: SourceStats,
    /// One outcome per (policy, size), in that order.
    pub results: Vec<CacheOutcome>,
}

/// A rate with at most four significant figures: `5.067M`, `812.3K`, `97.5`.
pub fn rate(per_sec: f64) -> String {
    format::human(Value::number(per_sec), format::Style::Count, 4)
}

/// A request source in words: `trace FILE`, or the generated workload with its parameters.
pub fn describe(source: &Source) -> String {
    match source {
        Source::Trace(p) | Source::TraceAs(p, _) if p.as_os_str() == "-" => "trace <stdin>".into(),
        Source::Trace(p) | Source::TraceAs(p, _) => format!("trace {}", p.display()),
        Source::Generated { popularity, objects, requests, seed, object_size } => {
            let d = match popularity {
                Popularity::Zipf { alpha } => format!("zipf({alpha})"),
                Popularity::Uniform => "uniform".into(),
                Popularity::Hotspot { hot_keys, hot_traffic } => {
                    format!("hotspot({}%, {}%)", format::sig(hot_keys * 100.0, 4), format::sig(hot_traffic * 100.0, 4))
                }
            };
            let size = if *object_size > 1 {
                format!(
                    ", objects of {}",
                    format::human(Value::new(f64::from(*object_size), Dim::DATA), format::Style::Data, 4)
                )
            } else {
                String::new()
            };
            format!(
                "generated {d} over {} objects{size}, {} requests, seed {seed}",
                format::grouped(*objects as f64),
                format::grouped(*requests as f64)
            )
        }
    }
}

/// The heading of a design tier's replay: the tier, its policy and size, the plan's hit ratio
/// (`hit`, when the plan has one) and the replayed source.
pub fn tier_title(w: &TierWorkload, hit: Option<&Derived>) -> String {
    let plan = hit.map_or(String::new(), |h| {
        format!("; the plan's hit ratio: {}", format::human(h.value, format::Style::Percent, 4))
    });
    format!(
        "tier {} ({}, {} of {} keys{plan}), replayed as {}; sizes are shares of the replayed keys",
        w.tier,
        w.policy.name(),
        format::human(Value::new(w.fraction, Dim::NONE), format::Style::Percent, 4),
        format::human(Value::new(w.keys, Dim::NONE), format::Style::Count, 4),
        describe(&w.source)
    )
}

/// When the replay holds fewer keys (`replayed`) than the design, how the plan's hit ratio
/// scales it to the full key space, and the `fermi explain` command that shows it.
pub fn tier_note(w: &TierWorkload, replayed: f64, hit: Option<&Derived>, file: &Path) -> Option<String> {
    let count = |n: f64| format::human(Value::new(n, Dim::NONE), format::Style::Count, 4);
    hit.filter(|_| replayed < w.keys).map(|h| {
        format!(
            "The replay holds the tier's share of {} keys; the plan's {} is for the design's {} keys. \
             Under a skewed workload the same share of more keys catches more of the requests, so \
             the plan scales a replay like this one to the full key space: {}. \
             `fermi explain {} {}.hit_ratio` shows every input.",
            count(replayed),
            format::human(h.value, format::Style::Percent, 4),
            count(w.keys),
            h.formula,
            file.display(),
            w.tier
        )
    })
}

/// Every replay's rows as one pretty JSON list: policy, size and unit, counts and ratios, the
/// tier with a design, and the sampling rate and error when sampled.
pub fn json(replays: &[Replay]) -> String {
    let rows: Vec<serde_json::Value> = replays
        .iter()
        .flat_map(|r| {
            r.results.iter().enumerate().map(|(i, o)| {
                let mut row = serde_json::json!({"policy": o.policy.name(), "size": o.capacity.units(),
                    "unit": if o.capacity.is_bytes() { "bytes" } else { "objects" },
                    "requests": o.requests, "misses": o.misses, "miss_ratio": o.miss_ratio(),
                    "bytes": o.bytes, "missed_bytes": o.missed_bytes, "byte_miss_ratio": o.byte_miss_ratio()});
                if let (Some(t), Some(m)) = (&r.tier, row.as_object_mut()) {
                    m.insert("tier".into(), serde_json::json!(t));
                }
                if let (Some(sm), Some(m)) = (&r.stats.sampled, row.as_object_mut()) {
                    m.insert("sample_rate".into(), serde_json::json!(sm.rate));
                    m.insert("requests_read".into(), serde_json::json!(sm.read));
                    m.insert("miss_ratio_error".into(), serde_json::json!(sm.errors.get(i).copied().flatten()));
                }
                row
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&rows).unwrap_or_default();
    text.push('\n');
    text
}

/// Every replay as a heading and a table, one after another.
pub fn tables(replays: &[Replay]) -> String {
    replays.iter().map(table).collect()
}

fn size_text(c: Capacity) -> String {
    match c {
        Capacity::Objects(n) => format::grouped(n as f64),
        Capacity::Bytes(b) => format::human(Value::new(b as f64, Dim::DATA), format::Style::Data, 4),
    }
}

fn table(r: &Replay) -> String {
    let bytes = r.results.iter().any(|o| o.capacity.is_bytes());
    let mut header = vec!["policy", "size", "requests", "misses", "miss ratio", "hit ratio"];
    if bytes {
        header.push("byte miss ratio");
    }
    if r.stats.sampled.is_some() {
        header.push("± (1 s.e.)");
    }
    let mut table = super::table::headed(header);
    for (row_index, o) in r.results.iter().enumerate() {
        let size = match (o.capacity, r.own) {
            (Capacity::Objects(n), Some(own)) if n == own => format!("{} (tier's size)", size_text(o.capacity)),
            _ => size_text(o.capacity),
        };
        let mut row = vec![
            o.policy.name().to_string(),
            size,
            format::grouped(o.requests as f64),
            format::grouped(o.misses as f64),
            format!("{:.4}", o.miss_ratio()),
            format!("{:.4}", 1.0 - o.miss_ratio()),
        ];
        if bytes {
            row.push(format!("{:.4}", o.byte_miss_ratio()));
        }
        if let Some(sm) = &r.stats.sampled {
            row.push(sm.errors.get(row_index).copied().flatten().map_or("n/a".into(), |e| format!("{e:.4}")));
        }
        table.add_row(row);
    }
    let footprint = if r.stats.bytes != r.stats.requests {
        format!(
            " ({} of distinct objects)",
            format::human(Value::new(r.stats.footprint as f64, Dim::DATA), format::Style::Data, 4)
        )
    } else {
        String::new()
    };
    let note = r.note.as_ref().map_or(String::new(), |n| format!("{}\n", super::table::wrap(n)));
    let sampled = r.stats.sampled.as_ref().map_or(String::new(), |sm| {
        let text = format!(
            "sampled (SHARDS, Waldspurger et al., FAST '15) at rate {}: the keys whose hash falls in that share of the hash space, {} of {} requests read, with every cache scaled by the rate; ± is the miss ratio's standard error measured from {} disjoint sub-samples; `--sample 1` replays every request",
            format::sig(sm.rate, 4),
            format::grouped(sm.kept as f64),
            format::grouped(sm.read as f64),
            SAMPLE_GROUPS
        );
        format!("{}\n", super::table::wrap(&text))
    });
    format!(
        "{}: {} requests, {} distinct objects{footprint}\n{sampled}{table}\n{note}",
        r.title,
        format::grouped(r.stats.requests as f64),
        format::grouped(r.stats.distinct as f64)
    )
}

/// Miss ratio against size per policy as one SVG: with a design, every tier's curves named by
/// tier; `None` when no size is above 0.
pub fn curves_svg(replays: &[Replay]) -> Option<String> {
    let mut series: Vec<Series> = Vec::new();
    let mut axis = Axis::Objects;
    for r in replays {
        for &p in &r.results.iter().map(|o| o.policy).collect::<std::collections::BTreeSet<_>>() {
            let mut points: Vec<(f64, f64)> = r
                .results
                .iter()
                .filter(|o| o.policy == p)
                .map(|o| (o.capacity.units() as f64, o.miss_ratio()))
                .collect();
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            if r.results.iter().any(|o| o.capacity.is_bytes()) {
                axis = Axis::Bytes;
            }
            let name = match &r.tier {
                Some(t) => format!("{t}: {}", p.name()),
                None => p.name().to_string(),
            };
            series.push(Series { name, points });
        }
    }
    let title = replays.first().map_or("miss-ratio curves".to_string(), |r| r.title.clone());
    let short: String = title.chars().take(90).collect();
    plot(&short, axis, &series, None)
}

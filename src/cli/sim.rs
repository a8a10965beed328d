//! `fermi sim cache`: replay a trace file or a generated workload through cache policies at
//! several sizes; a table or JSON with policy, size, requests, misses and miss ratio.
//!
//! Architecture Invariant: simulation is `fermi::sim`'s; this parses options and prints.

use super::report::{Rendered, out};
use super::{Outcome, SimCacheArgs};
use fermi::sim::cache::PolicyKind;
use fermi::sim::session::{Size, Source, simulate};
use fermi::sim::workload::Distribution;
use fermi::units::format;

fn sizes(text: &str) -> anyhow::Result<Vec<Size>> {
    text.split(',')
        .map(|s| {
            let s = s.trim();
            if let Some(p) = s.strip_suffix('%') {
                let v: f64 = p.trim().parse().map_err(|_| anyhow::anyhow!("`{s}` is not a percentage"))?;
                return Ok(Size::Fraction(v / 100.0));
            }
            let r = fermi::calc::calc(s).map_err(|f| Rendered(f.render()))?;
            if r.value.dim != fermi::units::Dim::NONE || r.value.si < 0.0 {
                anyhow::bail!("`{s}` is not an object count (byte-based sizes are not simulated yet)");
            }
            Ok(Size::Objects(r.value.si.round() as usize))
        })
        .collect()
}

fn policies(text: &str) -> anyhow::Result<Vec<PolicyKind>> {
    if text == "all" {
        return Ok(PolicyKind::ALL.to_vec());
    }
    text.split(',')
        .map(|p| {
            PolicyKind::parse(p.trim()).ok_or_else(|| {
                let names: Vec<&str> = PolicyKind::ALL.iter().map(|k| k.name()).collect();
                anyhow::anyhow!("unknown policy `{}`; policies are {} (or all)", p.trim(), names.join(", "))
            })
        })
        .collect()
}

pub(super) fn cache(args: &SimCacheArgs) -> anyhow::Result<Outcome> {
    let distribution = match (&args.hotspot, args.uniform) {
        (Some(h), _) => {
            let parts: Vec<f64> =
                h.split(',').filter_map(|x| x.trim().trim_end_matches('%').parse::<f64>().ok()).collect();
            let [k, t] = parts.as_slice() else {
                anyhow::bail!("--hotspot takes HOT_KEYS%,HOT_TRAFFIC%, e.g. 10%,90%")
            };
            Distribution::Hotspot { hot_keys: k / 100.0, hot_traffic: t / 100.0 }
        }
        (None, true) => Distribution::Uniform,
        (None, false) => Distribution::Zipf { alpha: args.zipf },
    };
    let source = match &args.trace {
        Some(path) => Source::Trace(path.clone()),
        None => Source::Generated { distribution, objects: args.objects, requests: args.requests, seed: args.seed },
    };
    let (results, stats) = simulate(&source, &policies(&args.policy)?, &sizes(&args.size)?).map_err(|e| {
        let at = if e.line > 0 { format!(":{}", e.line) } else { String::new() };
        let file = args.trace.as_ref().map_or(String::new(), |p| p.display().to_string());
        anyhow::anyhow!("{file}{at}: {}", e.message)
    })?;
    if args.json {
        let rows: Vec<serde_json::Value> = results
            .iter()
            .map(|r| serde_json::json!({"policy": r.policy.name(), "size": r.capacity, "requests": r.requests, "misses": r.misses, "miss_ratio": r.miss_ratio()}))
            .collect();
        out(&format!("{}\n", serde_json::to_string_pretty(&rows)?))?;
        return Ok(Outcome::Success);
    }
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED).set_header(vec![
        "policy",
        "size",
        "requests",
        "misses",
        "miss ratio",
        "hit ratio",
    ]);
    for r in &results {
        table.add_row(vec![
            r.policy.name().to_string(),
            format::grouped(r.capacity as f64),
            format::grouped(r.requests as f64),
            format::grouped(r.misses as f64),
            format!("{:.4}", r.miss_ratio()),
            format!("{:.4}", 1.0 - r.miss_ratio()),
        ]);
    }
    let what = match &source {
        Source::Trace(p) => format!("trace {}", p.display()),
        Source::Generated { distribution, objects, requests, seed } => {
            format!("generated {distribution:?} over {objects} objects, {requests} requests, seed {seed}")
        }
    };
    out(&format!(
        "{what}: {} requests, {} distinct objects\n{table}\n",
        format::grouped(stats.requests as f64),
        format::grouped(stats.distinct as f64)
    ))?;
    Ok(Outcome::Success)
}

//! `fermi sim cache`: replay a trace file, a generated workload, or each cache tier of a
//! design through cache policies at several sizes (objects, bytes or shares of the distinct
//! objects); a table or JSON, an optional SVG of the miss-ratio curves, and a progress bar on
//! long runs when stderr is a terminal.
//!
//! Architecture Invariant: simulation is `fermi::sim`'s; this parses options and prints.

use super::report::{Rendered, analyze_file, out};
use super::{Outcome, SimCacheArgs, SimFormat};
use fermi::analysis::Options;
use fermi::hit_ratios::tier_workloads;
use fermi::model::curves::Series;
use fermi::render::mrc::{Axis, plot};
use fermi::sim::cache::{CacheOutcome, Capacity, PolicyKind};
use fermi::sim::session::{Size, Source, SourceStats, simulate};
use fermi::sim::workload::Distribution;
use fermi::units::{Dim, Value, format};
use std::io::IsTerminal;

/// Runs shorter than this show no progress bar.
const PROGRESS_FROM: u64 = 5_000_000;

fn quantity(text: &str) -> anyhow::Result<Value> {
    Ok(fermi::calc::calc(text).map_err(|f| Rendered(f.render()))?.value)
}

fn count(text: &str, what: &str) -> anyhow::Result<u64> {
    let v = quantity(text)?;
    anyhow::ensure!(v.dim == Dim::NONE && v.si >= 1.0, "`{text}` is not {what}");
    Ok(v.si.round() as u64)
}

fn sizes(text: &str) -> anyhow::Result<Vec<Size>> {
    text.split(',')
        .map(|s| {
            let s = s.trim();
            if let Some(p) = s.strip_suffix('%') {
                let v: f64 = p.trim().parse().map_err(|_| anyhow::anyhow!("`{s}` is not a percentage"))?;
                anyhow::ensure!((0.0..=100.0).contains(&v), "`{s}` is not a percentage from 0% to 100%");
                return Ok(Size::Fraction(v / 100.0));
            }
            let v = quantity(s)?;
            anyhow::ensure!(v.si >= 0.0, "`{s}` is negative");
            match v.dim {
                Dim::NONE => Ok(Size::Objects(v.si.round() as usize)),
                Dim::DATA => Ok(Size::Bytes(v.si.round() as u64)),
                _ => anyhow::bail!("`{s}` is not a cache size: write objects (`2K`), bytes (`64MB`) or a share (`1%`)"),
            }
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

fn distribution(args: &SimCacheArgs) -> anyhow::Result<Distribution> {
    Ok(match (&args.hotspot, args.uniform) {
        (Some(h), _) => {
            let parts: Vec<f64> =
                h.split(',').filter_map(|x| x.trim().trim_end_matches('%').parse::<f64>().ok()).collect();
            let [k, t] = parts.as_slice() else {
                anyhow::bail!("--hotspot takes HOT_KEYS%,HOT_TRAFFIC%, e.g. 10%,90%")
            };
            anyhow::ensure!((0.0..=100.0).contains(k) && (0.0..=100.0).contains(t), "--hotspot shares are 0% to 100%");
            Distribution::Hotspot { hot_keys: k / 100.0, hot_traffic: t / 100.0 }
        }
        (None, true) => Distribution::Uniform,
        (None, false) => Distribution::Zipf { alpha: args.zipf.unwrap_or(0.9) },
    })
}

/// One replay: what it was, its results.
struct Run {
    title: String,
    tier: Option<String>,
    stats: SourceStats,
    results: Vec<CacheOutcome>,
}

fn run(
    source: &Source,
    policies: &[PolicyKind],
    sizes: &[Size],
    label: &str,
) -> anyhow::Result<(Vec<CacheOutcome>, SourceStats)> {
    let total = match source {
        Source::Generated { requests, .. } => Some(*requests),
        Source::Trace(_) => None,
    };
    let bar = if std::io::stderr().is_terminal() && total.is_none_or(|t| t >= PROGRESS_FROM) {
        let bar = match total {
            Some(t) => indicatif::ProgressBar::new(t),
            None => indicatif::ProgressBar::new_spinner(),
        };
        let style = indicatif::ProgressStyle::with_template(match total {
            Some(_) => "{msg} [{bar:30}] {human_pos}/{human_len} requests ({per_sec}, {eta})",
            None => "{msg} {spinner} {human_pos} requests ({per_sec})",
        });
        if let Ok(style) = style {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(label.to_string());
        Some(bar)
    } else {
        None
    };
    let tick = |n: u64| {
        if let Some(b) = &bar {
            b.set_position(n);
        }
    };
    let result = simulate(source, policies, sizes, Some(&tick));
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    result.map_err(|e| {
        let file = match source {
            Source::Trace(p) => p.display().to_string(),
            Source::Generated { .. } => "generated workload".into(),
        };
        let at = if e.line > 0 { format!(":{}", e.line) } else { String::new() };
        anyhow::anyhow!("{file}{at}: {}", e.message)
    })
}

fn describe(source: &Source) -> String {
    match source {
        Source::Trace(p) => format!("trace {}", p.display()),
        Source::Generated { distribution, objects, requests, seed, object_size } => {
            let d = match distribution {
                Distribution::Zipf { alpha } => format!("zipf({alpha})"),
                Distribution::Uniform => "uniform".into(),
                Distribution::Hotspot { hot_keys, hot_traffic } => {
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

fn size_text(c: Capacity) -> String {
    match c {
        Capacity::Objects(n) => format::grouped(n as f64),
        Capacity::Bytes(b) => format::human(Value::new(b as f64, Dim::DATA), format::Style::Data, 4),
    }
}

pub(super) fn cache(args: &SimCacheArgs) -> anyhow::Result<Outcome> {
    let policies = policies(&args.policy)?;
    let mut runs = Vec::new();
    if let Some(file) = &args.file {
        let analysis = analyze_file(file, Options::default())?;
        let workloads = tier_workloads(&analysis.design);
        anyhow::ensure!(
            !workloads.is_empty(),
            "{} has no cache tier with a `size` and a `workload {{ keys = … }}` to replay",
            file.display()
        );
        for w in workloads {
            let replayed = match &w.source {
                Source::Generated { objects, .. } => *objects as f64,
                Source::Trace(_) => w.keys,
            };
            let sizes = match &args.size {
                Some(s) => sizes(s)?,
                None => [0.25, 0.5, 1.0, 2.0, 4.0]
                    .iter()
                    .map(|m| Size::Objects(((w.fraction * m).min(1.0) * replayed).round().max(1.0) as usize))
                    .collect::<Vec<_>>(),
            };
            let (results, stats) = run(&w.source, &policies, &sizes, &w.tier)?;
            let plan = analysis.plan.get(&format!("{}.hit_ratio", w.tier)).map_or(String::new(), |h| {
                format!("; the plan's hit ratio: {}", format::human(h.value, format::Style::Percent, 4))
            });
            runs.push(Run {
                title: format!(
                    "tier {} ({}, {} of {} keys{plan}), replayed as {}; sizes are shares of the replayed keys",
                    w.tier,
                    w.policy.name(),
                    format::human(Value::new(w.fraction, Dim::NONE), format::Style::Percent, 4),
                    format::human(Value::new(w.keys, Dim::NONE), format::Style::Count, 4),
                    describe(&w.source)
                ),
                tier: Some(w.tier),
                stats,
                results,
            });
        }
    } else {
        let source = match &args.trace {
            Some(path) => Source::Trace(path.clone()),
            None => Source::Generated {
                distribution: distribution(args)?,
                objects: args.objects.as_deref().map_or(Ok(1_000_000), |t| count(t, "a number of objects"))?,
                requests: args.requests.as_deref().map_or(Ok(10_000_000), |t| count(t, "a number of requests"))?,
                seed: args.seed,
                object_size: {
                    let v = quantity(&args.object_size)?;
                    anyhow::ensure!(v.dim == Dim::DATA && v.si >= 1.0, "--object-size takes a data size, e.g. `1 KB`");
                    v.si.round().min(f64::from(u32::MAX)) as u32
                },
            },
        };
        let sizes = sizes(args.size.as_deref().unwrap_or("1%,10%"))?;
        let (results, stats) = run(&source, &policies, &sizes, "replaying")?;
        runs.push(Run { title: describe(&source), tier: None, stats, results });
    }
    if let Some(path) = &args.plot {
        write_plot(path, &runs)?;
    }
    if args.json || args.format == SimFormat::Json {
        let rows: Vec<serde_json::Value> = runs
            .iter()
            .flat_map(|r| {
                r.results.iter().map(|o| {
                    let mut row = serde_json::json!({"policy": o.policy.name(), "size": o.capacity.units(),
                        "unit": if o.capacity.is_bytes() { "bytes" } else { "objects" },
                        "requests": o.requests, "misses": o.misses, "miss_ratio": o.miss_ratio(),
                        "bytes": o.bytes, "missed_bytes": o.missed_bytes, "byte_miss_ratio": o.byte_miss_ratio()});
                    if let (Some(t), Some(m)) = (&r.tier, row.as_object_mut()) {
                        m.insert("tier".into(), serde_json::json!(t));
                    }
                    row
                })
            })
            .collect();
        out(&format!("{}\n", serde_json::to_string_pretty(&rows)?))?;
        return Ok(Outcome::Success);
    }
    let mut text = String::new();
    for r in &runs {
        text.push_str(&table(r));
    }
    out(&text)?;
    Ok(Outcome::Success)
}

fn table(r: &Run) -> String {
    let bytes = r.results.iter().any(|o| o.capacity.is_bytes());
    let mut header = vec!["policy", "size", "requests", "misses", "miss ratio", "hit ratio"];
    if bytes {
        header.push("byte miss ratio");
    }
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED).set_header(header);
    for o in &r.results {
        let mut row = vec![
            o.policy.name().to_string(),
            size_text(o.capacity),
            format::grouped(o.requests as f64),
            format::grouped(o.misses as f64),
            format!("{:.4}", o.miss_ratio()),
            format!("{:.4}", 1.0 - o.miss_ratio()),
        ];
        if bytes {
            row.push(format!("{:.4}", o.byte_miss_ratio()));
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
    format!(
        "{}: {} requests, {} distinct objects{footprint}\n{table}\n",
        r.title,
        format::grouped(r.stats.requests as f64),
        format::grouped(r.stats.distinct as f64)
    )
}

/// Miss ratio against size per policy (one plot; with a design, the first tier's run, or all
/// runs' curves named by tier).
fn write_plot(path: &std::path::Path, runs: &[Run]) -> anyhow::Result<()> {
    let mut series: Vec<Series> = Vec::new();
    let mut axis = Axis::Objects;
    for r in runs {
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
    let title = runs.first().map_or("miss-ratio curves".to_string(), |r| r.title.clone());
    let short: String = title.chars().take(90).collect();
    let svg =
        plot(&short, axis, &series, None).ok_or_else(|| anyhow::anyhow!("nothing to plot: sizes must be above 0"))?;
    fermi::write::atomic(path, svg.as_bytes()).map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
    Ok(())
}

//! `fermi sim cache`: replay a trace file, a generated workload, or each cache tier of a
//! design through cache policies at several sizes (objects, bytes or shares of the distinct
//! objects); a table or JSON, an optional SVG of the miss-ratio curves, and a progress bar on
//! long runs when stderr is a terminal.
//!
//! Architecture Invariant: simulation is `fermi::sim`'s; this parses options and prints.

use super::report::{Rendered, analyze_file, out};
use super::{Outcome, SimCacheArgs, SimFormat};
use fermi::analysis::Options;
use fermi::analysis::hit_ratios::tier_workloads;
use fermi::model::curves::Series;
use fermi::render::mrc::{Axis, plot};
use fermi::sim::cache::{CacheOutcome, Capacity, PolicyKind};
use fermi::sim::session::{Size, Source, SourceStats, simulate_sampled};
use fermi::sim::workload::Distribution;
use fermi::units::{Dim, Value, format};
use std::io::IsTerminal;

/// Runs shorter than this show no progress bar.
const PROGRESS_FROM: u64 = 5_000_000;

/// The most distinct objects a generated workload may have: its popularity table and every
/// policy's per-object state grow with it (about 8 GB at 10⁹).
pub(super) const OBJECT_BUDGET: u64 = 100_000_000;

/// The most requests a generated workload may have: each is simulated once per (policy,
/// size), at tens of millions a second.
pub(super) const REQUEST_BUDGET: u64 = 10_000_000_000;

/// The most distinct objects a cache may hold, by count (each costs policy state up front).
pub(super) const CACHE_OBJECT_BUDGET: u64 = 100_000_000;

fn quantity(text: &str) -> anyhow::Result<Value> {
    Ok(fermi::calc::calc(text).map_err(|f| Rendered(f.render()))?.value)
}

/// Generated objects and requests when not given: every policy at two sizes in about a second
/// (1M objects and 10M requests took 11 s to minutes, with no output until the end).
const DEFAULT_OBJECTS: u64 = 100_000;
const DEFAULT_REQUESTS: u64 = 1_000_000;

/// `--FLAG TEXT` as a count from 1 to `budget`, or `default`.
fn budgeted(text: Option<&str>, default: u64, flag: &str, budget: u64) -> anyhow::Result<u64> {
    let Some(text) = text else { return Ok(default) };
    let v = quantity(text)?;
    anyhow::ensure!(
        v.dim == Dim::NONE && v.si >= 1.0 && v.si.is_finite(),
        "--{flag} `{text}` is not a number of {flag}"
    );
    anyhow::ensure!(
        v.si.round() <= budget as f64,
        "--{flag} `{text}` exceeds the budget of {} {flag} for a generated workload; give a smaller --{flag}",
        format::grouped(budget as f64)
    );
    Ok(v.si.round() as u64)
}

fn sizes(text: &str) -> anyhow::Result<Vec<Size>> {
    text.split(',')
        .map(|s| {
            let s = s.trim();
            let empty = || anyhow::anyhow!("--size `{s}` holds nothing; sizes must be above 0 (e.g. `1%`, `2K`, `64MB`)");
            if let Some(p) = s.strip_suffix('%') {
                let v: f64 = p.trim().parse().map_err(|_| anyhow::anyhow!("`{s}` is not a percentage"))?;
                anyhow::ensure!((0.0..=100.0).contains(&v), "`{s}` is not a percentage from 0% to 100%");
                anyhow::ensure!(v > 0.0, empty());
                return Ok(Size::Fraction(v / 100.0));
            }
            let v = quantity(s)?;
            anyhow::ensure!(v.si.is_finite(), "--size `{s}` is not a finite size");
            anyhow::ensure!(v.si >= 0.0, "`{s}` is negative");
            anyhow::ensure!(v.si.round() >= 1.0, empty());
            match v.dim {
                Dim::NONE => {
                    anyhow::ensure!(
                        v.si.round() <= CACHE_OBJECT_BUDGET as f64,
                        "--size `{s}` exceeds the budget of {} objects in one cache; give a smaller --size (or a share, `10%`)",
                        format::grouped(CACHE_OBJECT_BUDGET as f64)
                    );
                    Ok(Size::Objects(v.si.round() as usize))
                }
                Dim::DATA => Ok(Size::Bytes(v.si.round().min(u64::MAX as f64) as u64)),
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
                let near = names
                    .iter()
                    .map(|n| (strsim::damerau_levenshtein(n, &p.trim().to_ascii_lowercase()), n))
                    .min()
                    .filter(|(d, _)| *d <= 2)
                    .map_or(String::new(), |(_, n)| format!("did you mean `{n}`? "));
                anyhow::anyhow!("unknown policy `{}`; {near}policies are {} (or all)", p.trim(), names.join(", "))
            })
        })
        .collect()
}

fn distribution(args: &SimCacheArgs) -> anyhow::Result<Distribution> {
    Ok(match (&args.hotspot, args.uniform) {
        (Some(h), _) => {
            let parts = h
                .split(',')
                .map(|x| {
                    let x = x.trim();
                    x.trim_end_matches('%').trim().parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| {
                        anyhow::anyhow!("--hotspot `{h}`: `{x}` is not a percentage; --hotspot takes HOT_KEYS%,HOT_TRAFFIC%, e.g. 10%,90%")
                    })
                })
                .collect::<anyhow::Result<Vec<f64>>>()?;
            let [k, t] = parts.as_slice() else {
                anyhow::bail!("--hotspot takes two shares, HOT_KEYS%,HOT_TRAFFIC%, e.g. 10%,90%")
            };
            anyhow::ensure!((0.0..=100.0).contains(k) && (0.0..=100.0).contains(t), "--hotspot shares are 0% to 100%");
            Distribution::Hotspot { hot_keys: k / 100.0, hot_traffic: t / 100.0 }
        }
        (None, true) => Distribution::Uniform,
        (None, false) => {
            let alpha = args.zipf.unwrap_or(0.9);
            anyhow::ensure!(
                alpha.is_finite() && (0.0..=100.0).contains(&alpha),
                "--zipf {alpha} is not a Zipf exponent: give a number from 0 (uniform) to 100, e.g. 0.9"
            );
            Distribution::Zipf { alpha }
        }
    })
}

/// One replay: what it was, its results.
struct Run {
    title: String,
    tier: Option<String>,
    /// With a design: the tier's own size in replayed objects (its row is marked).
    own: Option<usize>,
    /// With a design: how the replay relates to the plan's hit ratio.
    note: Option<String>,
    stats: SourceStats,
    results: Vec<CacheOutcome>,
}

/// A trace file larger than this on disk is sampled at [`AUTO_RATE`] unless `--sample` says
/// otherwise (stated in `--help`).
const AUTO_SAMPLE_BYTES: u64 = 1 << 30;

/// The rate of automatic sampling.
const AUTO_RATE: f64 = 0.01;

/// `--sample RATE` (`1%`, `0.01`, `1`), or the automatic rate for this source.
fn sample_rate(text: Option<&str>, source: &Source) -> anyhow::Result<f64> {
    let Some(text) = text else {
        let big = match source {
            Source::Trace(p) | Source::TraceAs(p, _) if p.as_os_str() != "-" => {
                std::fs::metadata(p).is_ok_and(|m| m.len() > AUTO_SAMPLE_BYTES)
            }
            _ => false,
        };
        return Ok(if big { AUTO_RATE } else { 1.0 });
    };
    let t = text.trim();
    let rate = match t.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|v| v / 100.0),
        None => t.parse::<f64>(),
    }
    .ok()
    .filter(|r| r.is_finite() && *r > 0.0 && *r <= 1.0)
    .ok_or_else(|| {
        anyhow::anyhow!("--sample `{text}` is not a sampling rate: give a share above 0 and at most 1 (`1%`, `0.01`; `1` replays every request)")
    })?;
    Ok(rate)
}

fn run(
    source: &Source,
    policies: &[PolicyKind],
    sizes: &[Size],
    label: &str,
    sample: f64,
) -> anyhow::Result<(Vec<CacheOutcome>, SourceStats)> {
    let total = match source {
        Source::Generated { requests, .. } => Some(*requests),
        Source::Trace(_) | Source::TraceAs(..) => None,
    };
    let bar = if std::io::stderr().is_terminal() && total.is_none_or(|t| t >= PROGRESS_FROM) {
        let bar = match total {
            Some(t) => indicatif::ProgressBar::new(t),
            None => indicatif::ProgressBar::new_spinner(),
        };
        let style = indicatif::ProgressStyle::with_template(match total {
            Some(_) => "{msg} [{bar:30}] {human_pos}/{human_len} requests ({rate}, {eta})",
            None => "{msg} {spinner} {human_pos} requests ({rate})",
        })
        .map(|s| {
            s.with_key("rate", |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}/s", rate(state.per_sec()));
            })
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
    let result = simulate_sampled(source, policies, sizes, sample, Some(&tick));
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    result.map_err(|e| {
        let file = match source {
            Source::Trace(p) | Source::TraceAs(p, _) if p.as_os_str() == "-" => "<stdin>".into(),
            Source::Trace(p) | Source::TraceAs(p, _) => p.display().to_string(),
            Source::Generated { .. } => "generated workload".into(),
        };
        let at = match (e.line, e.column) {
            (0, _) => String::new(),
            (l, 0) => format!(":{l}"),
            (l, c) => format!(":{l}:{c}"),
        };
        anyhow::anyhow!("{file}{at}: {}", e.message)
    })
}

/// A rate with at most four significant figures: `5.067M`, `812.3K`, `97.5`.
fn rate(per_sec: f64) -> String {
    format::human(Value::number(per_sec), format::Style::Count, 4)
}

fn describe(source: &Source) -> String {
    match source {
        Source::Trace(p) | Source::TraceAs(p, _) if p.as_os_str() == "-" => "trace <stdin>".into(),
        Source::Trace(p) | Source::TraceAs(p, _) => format!("trace {}", p.display()),
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
                Source::Trace(_) | Source::TraceAs(..) => w.keys,
            };
            let own = ((w.fraction.min(1.0) * replayed).round().max(1.0)) as usize;
            let sizes = match &args.size {
                Some(s) => sizes(s)?,
                None => [0.25, 0.5, 1.0, 2.0, 4.0]
                    .iter()
                    .map(|m| Size::Objects(((w.fraction * m).min(1.0) * replayed).round().max(1.0) as usize))
                    .collect::<Vec<_>>(),
            };
            let (results, stats) = run(&w.source, &policies, &sizes, &w.tier, 1.0)?;
            let hit = analysis.plan.get(&format!("{}.hit_ratio", w.tier));
            let plan = hit.map_or(String::new(), |h| {
                format!("; the plan's hit ratio: {}", format::human(h.value, format::Style::Percent, 4))
            });
            let count = |n: f64| format::human(Value::new(n, Dim::NONE), format::Style::Count, 4);
            let note = hit.filter(|_| replayed < w.keys).map(|h| {
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
                own: Some(own),
                note,
                stats,
                results,
            });
        }
    } else {
        let source = match &args.trace {
            Some(path) => match fermi::sim::workload::TraceFormat::parse(&args.trace_format, args.columns.as_deref())
                .map_err(|e| anyhow::anyhow!("{e}"))?
            {
                fermi::sim::workload::TraceFormat::Auto => Source::Trace(path.clone()),
                format => Source::TraceAs(path.clone(), format),
            },
            None => Source::Generated {
                distribution: distribution(args)?,
                objects: budgeted(args.objects.as_deref(), DEFAULT_OBJECTS, "objects", OBJECT_BUDGET)?,
                requests: budgeted(args.requests.as_deref(), DEFAULT_REQUESTS, "requests", REQUEST_BUDGET)?,
                seed: args.seed,
                object_size: {
                    let v = quantity(&args.object_size)?;
                    anyhow::ensure!(v.dim == Dim::DATA && v.si >= 1.0, "--object-size takes a data size, e.g. `1 KB`");
                    anyhow::ensure!(
                        v.si.round() <= f64::from(u32::MAX),
                        "--object-size `{}` exceeds the largest object size, {} (2^32 − 1 bytes)",
                        args.object_size,
                        format::human(Value::new(f64::from(u32::MAX), Dim::DATA), format::Style::Data, 4)
                    );
                    v.si.round() as u32
                },
            },
        };
        let sizes = sizes(args.size.as_deref().unwrap_or("1%,10%"))?;
        let rate = sample_rate(args.sample.as_deref(), &source)?;
        let (results, stats) = run(&source, &policies, &sizes, "replaying", rate)?;
        runs.push(Run { title: describe(&source), tier: None, own: None, note: None, stats, results });
    }
    if let Some(path) = &args.plot {
        write_plot(path, &runs)?;
    }
    if args.json || args.format == SimFormat::Json {
        let rows: Vec<serde_json::Value> = runs
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
    if r.stats.sampled.is_some() {
        header.push("± (1 s.e.)");
    }
    let mut table = comfy_table::Table::new();
    fermi::render::table::fit(&mut table);
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED).set_header(header);
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
    let note = r.note.as_ref().map_or(String::new(), |n| format!("{}\n", fermi::render::table::wrap(n)));
    let sampled = r.stats.sampled.as_ref().map_or(String::new(), |sm| {
        let text = format!(
            "sampled (SHARDS, Waldspurger et al., FAST '15) at rate {}: the keys whose hash falls in that share of the hash space, {} of {} requests read, with every cache scaled by the rate; ± is the miss ratio's standard error measured from {} disjoint sub-samples; `--sample 1` replays every request",
            format::sig(sm.rate, 4),
            format::grouped(sm.kept as f64),
            format::grouped(sm.read as f64),
            fermi::sim::session::SAMPLE_GROUPS
        );
        format!("{}\n", fermi::render::table::wrap(&text))
    });
    format!(
        "{}: {} requests, {} distinct objects{footprint}\n{sampled}{table}\n{note}",
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
    fermi::files::write::atomic(path, svg.as_bytes())
        .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
    Ok(())
}

/// `fermi sim trace FILE`: what the trace holds, and a `workload` block to paste.
pub(super) fn trace(args: &super::SimTraceArgs) -> anyhow::Result<Outcome> {
    use fermi::sim::workload::{TraceFormat, TraceReader};
    let format = TraceFormat::parse(&args.trace_format, args.columns.as_deref()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let name = if args.file.as_os_str() == "-" { "<stdin>".to_string() } else { args.file.display().to_string() };
    let located = |e: fermi::sim::workload::TraceError| {
        let at = match (e.line, e.column) {
            (0, _) => String::new(),
            (l, 0) => format!(":{l}"),
            (l, c) => format!(":{l}:{c}"),
        };
        anyhow::anyhow!("{name}{at}: {}", e.message)
    };
    let reader = TraceReader::open_as(&args.file, &format).map_err(located)?;
    let s = fermi::sim::trace::summarize(reader).map_err(located)?;
    if args.format == SimFormat::Json {
        let row = serde_json::json!({"requests": s.requests, "distinct": s.distinct, "one_hit_share": s.one_hit_share,
            "zipf_alpha": s.zipf_alpha, "fit_ranks": [s.fit_ranks.0, s.fit_ranks.1], "top_share": s.top_share});
        out(&format!("{}\n", serde_json::to_string_pretty(&row)?))?;
        return Ok(Outcome::Success);
    }
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
    out(&format!(
        "trace {name}\nrequests:          {}\ndistinct keys:     {}\nzipf alpha:        {alpha}\none-hit wonders:   {} of the distinct keys\nhottest key:       {} of the requests\n\nworkload {{\n  keys = {}\n  skew = {skew}\n}}\n",
        format::grouped(s.requests as f64),
        format::grouped(s.distinct as f64),
        pct(s.one_hit_share),
        pct(s.top_share),
        format::human(Value::number(s.distinct as f64), format::Style::Count, 4),
    ))?;
    Ok(Outcome::Success)
}

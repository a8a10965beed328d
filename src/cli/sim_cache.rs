//! `fermi sim cache`: replay a trace file, a generated workload, or each cache tier of a
//! design through cache policies at several sizes (objects, bytes or shares of the distinct
//! objects); a table or JSON, an optional SVG of the miss-ratio curves, and a progress bar on
//! long runs when stderr is a terminal.
//!
//! Architecture Invariant: simulation is `fermi::sim`'s and the layout
//! `fermi::render::sim_cache`'s; this parses options, runs the replays and prints.

use super::Outcome;
use super::flags::SimFormat;
use super::report::{Rendered, analyze_file, out};
use fermi::analysis::Options;
use fermi::analysis::hit_ratios::tier_workloads;
use fermi::key::{self, Metric};
use fermi::math::popularity::Popularity;
use fermi::render::sim_cache::{self as view, Replay};
use fermi::sim::cache::{CacheOutcome, PolicyKind};
use fermi::sim::session::{Size, Source, SourceStats, simulate_sampled};
use fermi::units::{Dim, Value, format};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(super) struct SimCacheArgs {
    /// A design file: replay each cache tier's workload (the design's skew over up to 100K keys)
    /// at the tier's own size and around it.
    #[arg(conflicts_with_all = ["trace", "zipf", "uniform", "hotspot", "objects", "requests"])]
    file: Option<PathBuf>,
    /// A trace file (`-` for stdin): by default one key per line (a number or any text),
    /// optionally its size in bytes after a space, tab or comma; plain, gzip or zstd.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["zipf", "uniform", "hotspot", "objects", "requests", "object_size", "seed"])]
    trace: Option<PathBuf>,
    /// The trace's layout: auto (text, or oracleGeneral when the file name says so), text
    /// (`KEY [SIZE]` lines), csv (with --columns), or oracle-general (libCacheSim's binary
    /// 24-byte records: u32 time, u64 id, u32 size, i64 next access).
    #[arg(long, value_name = "FORMAT", default_value = "auto", requires = "trace")]
    trace_format: String,
    /// With --trace-format csv: the columns by name, comma-separated; `key` is required,
    /// `size` optional, others are read past (e.g. `time,key,size,op`).
    #[arg(long, value_name = "NAMES", requires = "trace")]
    columns: Option<String>,
    /// Policies, comma-separated: lru, fifo, clock, sieve, lfu, s3fifo, arc, tinylfu, belady, or all.
    #[arg(long, default_value = "all")]
    policy: String,
    /// Sizes, comma-separated: object counts (`200`, `2K`), bytes (`64MB`, `1 GiB`: each request
    /// counts its object's size), or percentages of distinct objects (`1%`).
    /// [default: 1%,10%; with a design, the tier's size and ¼×, ½×, 2×, 4× it]
    #[arg(long)]
    size: Option<String>,
    /// Without --trace: Zipf exponent of the generated workload.
    #[arg(long, conflicts_with_all = ["uniform", "hotspot"])]
    zipf: Option<f64>,
    /// Without --trace: a uniform workload instead.
    #[arg(long, conflicts_with = "hotspot")]
    uniform: bool,
    /// Without --trace: a hotspot workload, HOT_KEYS%,HOT_TRAFFIC%.
    #[arg(long, value_name = "K%,T%")]
    hotspot: Option<String>,
    /// Without --trace: distinct objects. [default: 100K]
    #[arg(long)]
    objects: Option<String>,
    /// Without --trace: requests. [default: 1M]
    #[arg(long)]
    requests: Option<String>,
    /// Without --trace: every object's size, for byte sizes (`1 KB`).
    #[arg(long, default_value = "1 B")]
    object_size: String,
    /// Without --trace: seed.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Output format: a table, or JSON (a list of {policy, size, unit, requests, misses, miss_ratio, …}).
    #[arg(long, value_enum, default_value_t = SimFormat::Table)]
    format: SimFormat,
    /// Same as --format json.
    #[arg(long, hide = true, conflicts_with = "format")]
    json: bool,
    /// Also write the miss-ratio curves (miss ratio against size, one line per policy) as SVG.
    #[arg(long, value_name = "FILE.svg")]
    plot: Option<PathBuf>,
    /// Spatial sampling (SHARDS, Waldspurger et al., FAST '15): replay only the keys whose hash
    /// falls in this share of the hash space (`1%`, `0.01`), with every cache scaled by it; the
    /// output states the rate and the error it measured. [default: every request, except a
    /// trace file over 1 GiB on disk, which is sampled at 1%; `--sample 1` replays it all]
    #[arg(long, value_name = "RATE", conflicts_with = "file")]
    sample: Option<String>,
}

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

fn popularity(args: &SimCacheArgs) -> anyhow::Result<Popularity> {
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
            Popularity::Hotspot { hot_keys: k / 100.0, hot_traffic: t / 100.0 }
        }
        (None, true) => Popularity::Uniform,
        (None, false) => {
            let alpha = args.zipf.unwrap_or(0.9);
            anyhow::ensure!(
                alpha.is_finite() && (0.0..=100.0).contains(&alpha),
                "--zipf {alpha} is not a Zipf exponent: give a number from 0 (uniform) to 100, e.g. 0.9"
            );
            Popularity::Zipf { alpha }
        }
    })
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
                let _ = write!(w, "{}/s", view::rate(state.per_sec()));
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

pub(super) fn execute(args: &SimCacheArgs) -> anyhow::Result<Outcome> {
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
            let hit = analysis.plan.get(&key::of(&w.tier, Metric::HitRatio));
            runs.push(Replay {
                title: view::tier_title(&w, hit),
                note: view::tier_note(&w, replayed, hit, file),
                tier: Some(w.tier),
                own: Some(own),
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
                popularity: popularity(args)?,
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
        runs.push(Replay { title: view::describe(&source), tier: None, own: None, note: None, stats, results });
    }
    if let Some(path) = &args.plot {
        let svg = view::curves_svg(&runs).ok_or_else(|| anyhow::anyhow!("nothing to plot: sizes must be above 0"))?;
        fermi::files::write::atomic(path, svg.as_bytes())
            .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
    }
    if args.json || args.format == SimFormat::Json {
        out(&view::json(&runs))?;
    } else {
        out(&view::tables(&runs))?;
    }
    Ok(Outcome::Success)
}

//! Command-line parsing (clap derive) and dispatch; exit codes 0 ok, 1 a check failed,
//! 2 bad input or usage.
//!
//! Each command's `Args` sit beside its handler in `cli/NAME.rs`; this file keeps the global
//! flags, the flags several commands share (sampling, output formats) and the `sim` commands'.
//!
//! Architecture Invariant: binary only; uses the library's public API and nothing else.

mod build;
mod calc;
mod check;
mod completions;
mod diff;
mod doc;
mod estimate;
mod explain;
mod export;
mod fmt;
mod lsp;
mod man;
mod nines;
mod practice;
mod profiles;
mod report;
mod sim_cache;
mod sim_shard;
mod sim_trace;
mod sweep;
mod templates;

use build::BuildArgs;
use calc::CalcArgs;
use check::CheckArgs;
use clap::{Parser, Subcommand, ValueEnum};
use completions::CompletionsArgs;
use diff::DiffArgs;
use doc::DocArgs;
use estimate::EstimateArgs;
use explain::ExplainArgs;
use export::ExportArgs;
use fmt::FmtArgs;
use man::ManArgs;
use nines::NinesArgs;
use practice::drill::DrillArgs;
use practice::grade::GradeArgs;
use practice::worksheet::WorksheetArgs;
use profiles::ProfilesArgs;
use std::path::PathBuf;
use std::process::ExitCode;
use sweep::SweepArgs;
use templates::TemplatesArgs;

/// fermi — capacity estimates and design docs for system design.
#[derive(Debug, Parser)]
#[command(name = "fermi", version, about, long_about = None, after_help = EXAMPLES)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour diagnostics: auto (when stderr is a terminal and NO_COLOR is unset),
    /// always, or never.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
    /// Print tables as wide as their content, instead of fitting them to the terminal's width
    /// (or to 100 columns when the output is not a terminal).
    #[arg(long, global = true)]
    wide: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

const EXAMPLES: &str = "Examples:
  fermi estimate designs/url-shortener.fermi
  fermi estimate designs/chat.fermi --format json
  fermi explain designs/url-shortener.fermi storage.total
  fermi check designs/*.fermi
  fermi doc designs/chat.fermi -o docs/designs
  fermi build designs -o docs/designs --check
  fermi worksheet designs/chat.fermi > mine.md; fermi grade designs/chat.fermi mine.md
  fermi drill --seed 7
  fermi diff designs/url-shortener.fermi designs/url-shortener-uncertain.fermi
  fermi sweep designs/url-shortener.fermi users.dau=10M..1B --log
  fermi nines 99.95%
  fermi calc \"500M * 100 * 200 B -> TB\"
  fermi export designs/url-shortener.fermi --to prometheus -o slo-rules.yml
  source <(fermi completions bash); fermi man -o man

Exit codes: 0 ok; 1 a check failed (an assert or SLO in estimate, check, doc or build; a
stale doc with --check; a --fail-on threshold in diff; a grade below the pass mark);
2 bad input or usage. Plausibility warnings exit 0 unless `check --deny-warnings`.";

#[derive(Debug, Subcommand)]
enum Command {
    /// The capacity plan: traffic, bandwidth, storage, tiers, latency, availability; exit 1 when
    /// an assert or SLO fails (the plan is still printed).
    Estimate(EstimateArgs),
    /// How one number was derived: formula, inputs, and where each input was stated.
    Explain(ExplainArgs),
    /// Asserts and SLO verdicts; exit 1 when any fails.
    Check(CheckArgs),
    /// Downtime allowed by an availability, per year, quarter, month, week and day.
    Nines(NinesArgs),
    /// Evaluate an expression of the fermi language: `500M * 100 * 200 B -> TB`.
    Calc(CalcArgs),
    /// List node profiles: built-in ones and those of the nearest fermi.toml.
    Profiles(ProfilesArgs),
    /// A Markdown design doc with Mermaid diagrams (and SVG plots with -o).
    Doc(DocArgs),
    /// Docs for every design in a folder, plus an index; --check for CI.
    Build(BuildArgs),
    /// Work with the doc templates.
    Templates(TemplatesArgs),
    /// An interview worksheet for a design (blanks to fill), or its answer key.
    Worksheet(WorksheetArgs),
    /// Grade a filled-in worksheet; exit 1 below the pass mark.
    Grade(GradeArgs),
    /// A practice drill on a fresh scenario, one question at a time.
    Drill(DrillArgs),
    /// What a change did to the plan: two files, or a file against a git revision.
    Diff(DiffArgs),
    /// The plan across the range of one input: where tiers change constraint, where checks fail.
    Sweep(SweepArgs),
    /// Simulations.
    #[command(subcommand)]
    Sim(SimCommand),
    /// The design's SLOs as Prometheus rules, a sloth spec or OpenSLO documents.
    Export(ExportArgs),
    /// A shell completion script: `source <(fermi completions bash)`.
    Completions(CompletionsArgs),
    /// Manual pages: fermi.1 on stdout, or one page per command in DIR with -o.
    Man(ManArgs),
    /// Rewrite design files in the canonical layout; --check lists those that would change.
    Fmt(FmtArgs),
    /// A language server on stdin/stdout for editors: diagnostics, hover, definitions, completion, formatting.
    Lsp(lsp::LspArgs),
}

#[derive(Debug, Subcommand)]
enum SimCommand {
    /// Replay a trace, a generated workload, or a design's cache tiers through cache policies at several sizes.
    Cache(SimCacheArgs),
    /// Summarise a trace: requests, distinct keys, the fitted Zipf exponent, one-hit wonders.
    Trace(SimTraceArgs),
    /// Place keys on nodes by a sharding strategy: balance under skew, keys moved on resize.
    Shard(SimShardArgs),
}

#[derive(Debug, clap::Args)]
struct SimShardArgs {
    /// A design file: simulate each database tier's shard plan (its strategy, shard count and
    /// load), compare the other strategies, and recommend vnode and shard counts.
    #[arg(conflicts_with_all = ["nodes", "keys", "zipf", "uniform"])]
    file: Option<PathBuf>,
    /// Strategies, comma-separated: hash, range, consistent, rendezvous, jump, or all.
    #[arg(long, default_value = "all")]
    strategy: String,
    /// Virtual nodes per node, for consistent hashing.
    #[arg(long, default_value_t = 256)]
    vnodes: u32,
    /// Nodes (shards). [default: 100]
    #[arg(long)]
    nodes: Option<String>,
    /// Keys (ids 1..=K, popularity rank = id). [default: 1M]
    #[arg(long)]
    keys: Option<String>,
    /// Zipf exponent of key popularity. [default: 0.9]
    #[arg(long, conflicts_with = "uniform")]
    zipf: Option<f64>,
    /// Uniform key popularity instead.
    #[arg(long)]
    uniform: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SimFormat::Table)]
    format: SimFormat,
    /// Same as --format json.
    #[arg(long, hide = true, conflicts_with = "format")]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct SimCacheArgs {
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

#[derive(Debug, clap::Args)]
struct SimTraceArgs {
    /// The trace file (`-` for stdin), in any format `sim cache --trace` reads.
    file: PathBuf,
    /// The trace's layout: auto, text, csv (with --columns) or oracle-general.
    #[arg(long, value_name = "FORMAT", default_value = "auto")]
    trace_format: String,
    /// With --trace-format csv: the columns by name (`time,key,size,op`).
    #[arg(long, value_name = "NAMES")]
    columns: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SimFormat::Table)]
    format: SimFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SimFormat {
    Table,
    Json,
}

/// Monte Carlo over a design's uncertain inputs (`a to b`, `x ± 10%`, `normal(…)`, `uniform(…)`).
#[derive(Debug, Clone, Copy, clap::Args)]
struct SamplingArgs {
    /// Monte Carlo samples for designs with uncertain inputs; 0 evaluates them at their medians.
    #[arg(long, value_name = "N", default_value_t = fermi::uncertainty::DEFAULT_SAMPLES, value_parser = sample_count)]
    samples: usize,
    /// The seed of the samples (the fixed default keeps every run's output identical).
    #[arg(long, value_name = "N", default_value_t = fermi::uncertainty::DEFAULT_SEED)]
    seed: u64,
    /// The node-count percentile the doc recommends provisioning to: p50, p90, p95, p99, p99.9.
    #[arg(long, value_name = "pNN", default_value = "p95", value_parser = percentile)]
    provision: f64,
}

impl SamplingArgs {
    fn settings(&self) -> fermi::uncertainty::Settings {
        fermi::uncertainty::Settings {
            samples: self.samples,
            seed: self.seed,
            provision: self.provision,
            ..Default::default()
        }
    }
}

/// `--samples`: a whole number (`2000`, `1e5`) up to the budget.
fn sample_count(text: &str) -> Result<usize, String> {
    let v: f64 = text.trim().parse().map_err(|_| format!("`{text}` is not a number of samples, e.g. 2000"))?;
    if !(v >= 0.0 && v.fract() == 0.0) {
        return Err(format!("`{text}` is not a whole number of samples, e.g. 2000"));
    }
    let max = fermi::uncertainty::MAX_SAMPLES;
    if v > max as f64 {
        return Err(format!(
            "{text} exceeds the budget of {max} samples (memory grows with samples × plan values); give --samples {max} or fewer"
        ));
    }
    Ok(v as usize)
}

/// `p95` → 0.95, `p99.9` → 0.999.
fn percentile(text: &str) -> Result<f64, String> {
    let p = text
        .strip_prefix('p')
        .and_then(|n| n.parse::<f64>().ok())
        .filter(|n| *n > 0.0 && *n < 100.0)
        .ok_or_else(|| format!("`{text}` is not a percentile; write p50, p90, p95, p99 or p99.9"))?;
    Ok(p / 100.0)
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum OutputFormat {
    Table,
    Json,
    Markdown,
}

/// What a successful command found.
pub(crate) enum Outcome {
    /// Everything held.
    Success,
    /// A check failed (exit 1).
    CheckFailed,
}

/// Parses arguments, runs the command, maps the result to an exit code.
pub(crate) fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    fermi::diagnostic::set_color(report::use_color(cli.color));
    fermi::render::table::set_width(report::table_width(cli.wide));
    let result = match &cli.command {
        Command::Estimate(a) => estimate::execute(a),
        Command::Explain(a) => explain::execute(a),
        Command::Check(a) => check::execute(a),
        Command::Nines(a) => nines::execute(a),
        Command::Calc(a) => calc::execute(a),
        Command::Profiles(a) => profiles::execute(a),
        Command::Doc(a) => doc::execute(a),
        Command::Build(a) => build::execute(a),
        Command::Templates(a) => templates::execute(a),
        Command::Worksheet(a) => practice::worksheet::execute(a),
        Command::Grade(a) => practice::grade::execute(a),
        Command::Drill(a) => practice::drill::execute(a),
        Command::Diff(a) => diff::execute(a),
        Command::Sweep(a) => sweep::execute(a),
        Command::Sim(SimCommand::Cache(a)) => sim_cache::execute(a),
        Command::Sim(SimCommand::Shard(a)) => sim_shard::execute(a),
        Command::Sim(SimCommand::Trace(a)) => sim_trace::execute(a),
        Command::Export(a) => export::execute(a),
        Command::Completions(a) => completions::execute(a),
        Command::Man(a) => man::execute(a),
        Command::Fmt(a) => fmt::execute(a),
        Command::Lsp(a) => lsp::execute(a),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::CheckFailed) => ExitCode::from(1),
        Err(e) => {
            report::error(&e);
            ExitCode::from(2)
        }
    }
}

//! Command-line parsing (clap derive) and dispatch; exit codes 0 ok, 1 a check failed,
//! 2 bad input or usage.
//!
//! Each command's `Args` sit beside its handler in `cli/NAME.rs` (`sim cache` in
//! `sim_cache.rs`, …), and the flags several commands share in `flags.rs`; this file keeps
//! the global flags (`--color`, `--wide`), the `Command` enum and the dispatch.
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
mod flags;
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
use sim_cache::SimCacheArgs;
use sim_shard::SimShardArgs;
use sim_trace::SimTraceArgs;
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

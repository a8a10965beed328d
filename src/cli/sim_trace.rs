//! `fermi sim trace FILE`: what a trace holds — requests, distinct keys, the fitted Zipf
//! exponent, one-hit wonders, the hottest key's share — and a `workload` block to paste.
//!
//! Architecture Invariant: the summary is `fermi::sim::trace`'s and its layout
//! `fermi::render::sim_trace`'s; this opens the trace, locates its errors and prints.

use super::Outcome;
use super::flags::SimFormat;
use super::report::out;
use fermi::render::sim_trace;
use fermi::sim::workload::{TraceError, TraceFormat, TraceReader};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(super) struct SimTraceArgs {
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

pub(super) fn execute(args: &SimTraceArgs) -> anyhow::Result<Outcome> {
    let format = TraceFormat::parse(&args.trace_format, args.columns.as_deref()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let name = if args.file.as_os_str() == "-" { "<stdin>".to_string() } else { args.file.display().to_string() };
    let located = |e: TraceError| {
        let at = match (e.line, e.column) {
            (0, _) => String::new(),
            (l, 0) => format!(":{l}"),
            (l, c) => format!(":{l}:{c}"),
        };
        anyhow::anyhow!("{name}{at}: {}", e.message)
    };
    let reader = TraceReader::open_as(&args.file, &format).map_err(located)?;
    let s = fermi::sim::trace::summarize(reader).map_err(located)?;
    out(&match args.format {
        SimFormat::Json => sim_trace::json(&s),
        SimFormat::Table => sim_trace::text(&name, &s),
    })?;
    Ok(Outcome::Success)
}

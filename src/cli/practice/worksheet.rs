//! `fermi worksheet FILE [--answers] [--hints]`: an interview worksheet for a design, blanks
//! to fill (with each question's formula under `--hints`), or its answer key.
//!
//! Architecture Invariant: the worksheet and its key are `fermi::practice::worksheet`'s; this
//! analyses the design (and its interview-rounded twin for the key) and prints.

use crate::cli::Outcome;
use crate::cli::report::{analyze_file, out};
use fermi::analysis::Options;
use fermi::practice::worksheet;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(in crate::cli) struct WorksheetArgs {
    /// The design file.
    file: PathBuf,
    /// Print the answer key: formulas, numbers, exact and interview-rounded results.
    #[arg(long)]
    answers: bool,
    /// Add each question's formula, without numbers.
    #[arg(long)]
    hints: bool,
}

pub(in crate::cli) fn execute(args: &WorksheetArgs) -> anyhow::Result<Outcome> {
    let a = analyze_file(&args.file, Options::default())?;
    if args.answers {
        let interview = analyze_file(&args.file, Options { interview_day: true, ..Options::default() })?;
        out(&worksheet::answer_key(&a, &interview))?;
    } else {
        out(&worksheet::worksheet(&a, args.hints))?;
    }
    Ok(Outcome::Success)
}

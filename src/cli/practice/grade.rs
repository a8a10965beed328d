//! `fermi grade FILE FILLED [--pass P]`: a filled-in worksheet graded against the design's
//! numbers, one line per question with the method where it was not correct, then the score;
//! exit 1 below the pass mark.
//!
//! Architecture Invariant: grades come from `fermi::practice::grade` and their lines from
//! `fermi::render::practice`; this reads the files, prints, and maps the score to an exit
//! code.

use crate::cli::Outcome;
use crate::cli::report::{Rendered, analyze_file, failure, out};
use fermi::analysis::Options;
use fermi::practice::grade;
use fermi::render::practice as view;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(in crate::cli) struct GradeArgs {
    /// The design file.
    file: PathBuf,
    /// The filled-in worksheet.
    filled: PathBuf,
    /// The pass mark.
    #[arg(long, default_value = "70%")]
    pass: String,
}

pub(in crate::cli) fn execute(args: &GradeArgs) -> anyhow::Result<Outcome> {
    let a = analyze_file(&args.file, Options::default())?;
    let interview = analyze_file(&args.file, Options { interview_day: true, ..Options::default() })?;
    let filled =
        std::fs::read_to_string(&args.filled).map_err(|e| anyhow::anyhow!("reading {}: {e}", args.filled.display()))?;
    let pass = fermi::calc::calc(&args.pass).map_err(|f| failure(&f))?.value.si;
    let report = grade::grade(&a, &interview, &filled).map_err(|problems| {
        let text: String =
            problems.iter().map(|p| format!("error: {}:{}: {}\n", args.filled.display(), p.line, p.message)).collect();
        anyhow::Error::from(Rendered(text))
    })?;
    if let Some(other) = grade::other_design(&a, &filled) {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "warning: {} is a worksheet for \"{other}\", not for \"{}\" ({}); its answers are graded against this design's numbers",
            args.filled.display(),
            a.design.name,
            args.file.display()
        );
    }
    let passed = report.score() + 1e-12 >= pass;
    out(&view::grade_report(&report, pass, passed))?;
    Ok(if passed { Outcome::Success } else { Outcome::CheckFailed })
}

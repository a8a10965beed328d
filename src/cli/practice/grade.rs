//! `fermi grade FILE FILLED [--pass P]`: a filled-in worksheet graded against the design's
//! numbers, one line per question with the method where it was not correct, then the score;
//! exit 1 below the pass mark.
//!
//! Architecture Invariant: grades come from `fermi::practice::grade`; this reads the files,
//! prints, and maps the score to an exit code.

use super::mark;
use crate::cli::Outcome;
use crate::cli::report::{Rendered, analyze_file, failure, out};
use fermi::analysis::Options;
use fermi::practice::grade::{self, Verdict};
use fermi::units::format;
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

fn graded_text(k: usize, g: &grade::Graded) -> String {
    let mut s = format!(
        "{:>2}. [{}] {} — you: {}; expected {} ({})\n",
        k + 1,
        mark(g.verdict),
        g.question.name,
        g.answer.as_deref().unwrap_or("—"),
        g.expected,
        g.reason
    );
    if g.verdict != Verdict::Correct {
        s.push_str(&format!("     method: {}\n", g.solution));
    }
    s
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
    let mut text = String::new();
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
    for (k, g) in report.items.iter().enumerate() {
        text.push_str(&graded_text(k, g));
    }
    let score = report.score();
    let verdict = if score + 1e-12 >= pass { "PASS" } else { "FAIL" };
    text.push_str(&format!(
        "\nScore: {}% ({} of {}); pass mark {}%: {verdict}\n",
        format::sig(score * 100.0, 3),
        format::sig(report.points, 3),
        report.total,
        format::sig(pass * 100.0, 3)
    ));
    out(&text)?;
    Ok(if verdict == "PASS" { Outcome::Success } else { Outcome::CheckFailed })
}

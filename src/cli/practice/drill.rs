//! `fermi drill [--seed N] [--answers-from FILE] [--questions N]`: a practice drill on a
//! fresh scenario, one question at a time, each graded as it is answered, then a summary.
//!
//! Architecture Invariant: scenarios, questions and grades come from `fermi::practice`; this
//! reads answers (from the terminal or a file) and prints.

use super::mark;
use crate::cli::Outcome;
use crate::cli::report::{failure, out};
use fermi::analysis::{Analysis, Options, analyze};
use fermi::design::profile::ProjectConfig;
use fermi::practice::grade;
use fermi::practice::{drill, questions, worksheet};
use fermi::source::SourceFile;
use fermi::units::format;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(in crate::cli) struct DrillArgs {
    /// Replay a scenario (default: a new one each run; the seed is printed).
    #[arg(long)]
    seed: Option<u64>,
    /// Read answers from a file, one per line, instead of the terminal.
    #[arg(long, value_name = "FILE")]
    answers_from: Option<PathBuf>,
    /// How many questions to ask.
    #[arg(long, default_value_t = 6)]
    questions: usize,
}

fn analyze_text(title: &str, text: &str, interview: bool) -> anyhow::Result<Analysis> {
    analyze(
        SourceFile::new(title, text),
        &ProjectConfig::built_in(),
        Options { interview_day: interview, ..Options::default() },
    )
    .map_err(|f| failure(&f))
}

pub(in crate::cli) fn execute(args: &DrillArgs) -> anyhow::Result<Outcome> {
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_secs() % 100_000)
    });
    let s = drill::scenario(seed);
    let a = analyze_text("drill.fermi", &s.design, false)?;
    let interview = analyze_text("drill.fermi", &s.design, true)?;
    let all = questions::questions(&a);
    let available = all.len();
    let qs: Vec<_> = all.into_iter().take(args.questions).collect();
    let scenario = worksheet::scenario_and_inputs(&a).replace("**", "");
    out(&format!("Drill (seed {seed}; replay with --seed {seed}): {}\n\n{scenario}", s.title))?;
    if args.questions > available {
        out(&format!(
            "(this scenario has {available} questions; --questions {} asks all of them)\n\n",
            args.questions
        ))?;
    }
    let mut lines: Box<dyn Iterator<Item = String>> = match &args.answers_from {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
            Box::new(text.lines().map(str::to_string).collect::<Vec<_>>().into_iter())
        }
        None => Box::new(std::io::stdin().lines().map_while(Result::ok)),
    };
    let interactive = args.answers_from.is_none();
    let (mut points, mut asked) = (0.0, 0usize);
    for (k, q) in qs.iter().enumerate() {
        out(&format!("Q{}. {} ({})\n> ", k + 1, q.prompt, q.expects))?;
        let graded = loop {
            let Some(line) = lines.next() else { break None };
            // An Enter pressed by accident is not an answer; `skip` leaves the question blank.
            let line = match line.trim() {
                "" if interactive => {
                    out("(no answer yet: type one, or `skip` to leave this question blank)\n> ")?;
                    continue;
                }
                "skip" => String::new(),
                _ => line,
            };
            match grade::grade_answer(&a, &interview, q, &line) {
                Ok(g) => break Some(g),
                Err(message) if interactive => out(&format!("{message}; try again\n> "))?,
                Err(message) => {
                    out(&format!("{message}\n"))?;
                    break grade::grade_answer(&a, &interview, q, "").ok();
                }
            }
        };
        let Some(g) = graded else {
            out("\n(no more answers)\n")?;
            break;
        };
        if !interactive {
            out(&format!("{}\n", g.answer.as_deref().unwrap_or("")))?;
        }
        asked += 1;
        points += g.verdict.points();
        out(&format!("   {}: expected {} ({})\n   method: {}\n\n", mark(g.verdict), g.expected, g.reason, g.solution))?;
    }
    let pct = if asked > 0 { points / asked as f64 * 100.0 } else { 0.0 };
    out(&format!(
        "Summary: {} of {asked} points ({}%) on \"{}\", seed {seed}\n",
        format::sig(points, 3),
        format::sig(pct, 3),
        s.title
    ))?;
    Ok(Outcome::Success)
}

//! `fermi drill [--seed N] [--answers-from FILE] [--questions N]`: a practice drill on a
//! fresh scenario, one question at a time, each graded as it is answered, then a summary.
//!
//! Architecture Invariant: scenarios, questions and grades come from `fermi::practice`, every
//! line it prints from `fermi::render::practice`; this reads answers (from the terminal or a
//! file), tallies the points of those graded, and prints.

use crate::cli::Outcome;
use crate::cli::report::{failure, out};
use fermi::analysis::{Analysis, Options, analyze};
use fermi::design::profile::ProjectConfig;
use fermi::practice::grade::{self, Report};
use fermi::practice::{drill, questions, worksheet};
use fermi::render::practice as view;
use fermi::source::SourceFile;
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
    out(&view::drill_intro(seed, &s.title, &worksheet::scenario_and_inputs(&a)))?;
    if args.questions > available {
        out(&view::drill_fewer_questions(available, args.questions))?;
    }
    let mut lines: Box<dyn Iterator<Item = String>> = match &args.answers_from {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
            Box::new(text.lines().map(str::to_string).collect::<Vec<_>>().into_iter())
        }
        None => Box::new(std::io::stdin().lines().map_while(Result::ok)),
    };
    let interactive = args.answers_from.is_none();
    let mut report = Report { items: Vec::new(), points: 0.0, total: 0.0 };
    for (k, q) in qs.iter().enumerate() {
        out(&view::drill_question(k, q))?;
        let graded = loop {
            let Some(line) = lines.next() else { break None };
            // An Enter pressed by accident is not an answer; `skip` leaves the question blank.
            let line = match line.trim() {
                "" if interactive => {
                    out(view::DRILL_NO_ANSWER_YET)?;
                    continue;
                }
                "skip" => String::new(),
                _ => line,
            };
            match grade::grade_answer(&a, &interview, q, &line) {
                Ok(g) => break Some(g),
                Err(message) if interactive => out(&view::drill_try_again(&message))?,
                Err(message) => {
                    out(&view::drill_unreadable(&message))?;
                    break grade::grade_answer(&a, &interview, q, "").ok();
                }
            }
        };
        let Some(g) = graded else {
            out(view::DRILL_NO_MORE_ANSWERS)?;
            break;
        };
        if !interactive {
            out(&view::drill_echo(&g))?;
        }
        out(&view::drill_verdict(&g))?;
        report.points += g.verdict.points();
        report.total += 1.0;
        report.items.push(g);
    }
    out(&view::drill_summary(&report, &s.title, seed))?;
    Ok(Outcome::Success)
}

//! The practice commands' text: `fermi grade`'s line per question (with the method where the
//! answer was not correct) and its score line against the pass mark, and what `fermi drill`
//! prints around its questions — the scenario, each question's prompt, each answer's verdict
//! with the method, the prompts to answer again, and the summary.
//!
//! Architecture Invariant: the grades and scores are `practice::grade`'s (and the pass verdict
//! the caller's); this only words them, and never reads or writes a terminal.

use crate::practice::grade::{Graded, Report, Verdict};
use crate::practice::questions::Question;
use crate::units::format;

/// The word a grade shows for a verdict: `correct`, `close`, `wrong` or `blank`.
pub fn mark(v: Verdict) -> &'static str {
    match v {
        Verdict::Correct => "correct",
        Verdict::RightOrder => "close",
        Verdict::Wrong => "wrong",
        Verdict::Unanswered => "blank",
    }
}

/// `fermi grade`'s line for the `k`th question (from 0), and its method unless it was correct.
fn graded_line(k: usize, g: &Graded) -> String {
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

/// `fermi grade`'s report: a line per question, then the score against the pass mark (a share
/// from 0 to 1) and whether it `passed`.
pub fn grade_report(report: &Report, pass: f64, passed: bool) -> String {
    let mut text: String = report.items.iter().enumerate().map(|(k, g)| graded_line(k, g)).collect();
    text.push_str(&format!(
        "\nScore: {}% ({} of {}); pass mark {}%: {}\n",
        format::sig(report.score() * 100.0, 3),
        format::sig(report.points, 3),
        report.total,
        format::sig(pass * 100.0, 3),
        if passed { "PASS" } else { "FAIL" }
    ));
    text
}

/// The drill's opening: its seed (to replay it), the scenario's title, and the scenario with
/// its inputs (the worksheet's Markdown text, shown without bold marks).
pub fn drill_intro(seed: u64, title: &str, scenario: &str) -> String {
    let scenario = scenario.replace("**", "");
    format!("Drill (seed {seed}; replay with --seed {seed}): {title}\n\n{scenario}")
}

/// The note when more questions were asked for than the scenario has.
pub fn drill_fewer_questions(available: usize, asked_for: usize) -> String {
    format!("(this scenario has {available} questions; --questions {asked_for} asks all of them)\n\n")
}

/// The `k`th question (from 0) and the prompt for its answer.
pub fn drill_question(k: usize, q: &Question) -> String {
    format!("Q{}. {} ({})\n> ", k + 1, q.prompt, q.expects)
}

/// The prompt again after an empty line at the terminal.
pub const DRILL_NO_ANSWER_YET: &str = "(no answer yet: type one, or `skip` to leave this question blank)\n> ";

/// The prompt again after an answer that could not be read at the terminal.
pub fn drill_try_again(message: &str) -> String {
    format!("{message}; try again\n> ")
}

/// Why an answer from a file could not be read (the question is then graded blank).
pub fn drill_unreadable(message: &str) -> String {
    format!("{message}\n")
}

/// The line when the answers ran out before the questions.
pub const DRILL_NO_MORE_ANSWERS: &str = "\n(no more answers)\n";

/// An answer read from a file, echoed after its prompt.
pub fn drill_echo(g: &Graded) -> String {
    format!("{}\n", g.answer.as_deref().unwrap_or(""))
}

/// An answer's verdict, what was expected and why, and the method.
pub fn drill_verdict(g: &Graded) -> String {
    format!("   {}: expected {} ({})\n   method: {}\n\n", mark(g.verdict), g.expected, g.reason, g.solution)
}

/// The drill's summary: the points of the questions answered, the score, the scenario's
/// title and the seed.
pub fn drill_summary(report: &Report, title: &str, seed: u64) -> String {
    format!(
        "Summary: {} of {} points ({}%) on \"{title}\", seed {seed}\n",
        format::sig(report.points, 3),
        report.total,
        format::sig(report.score() * 100.0, 3)
    )
}

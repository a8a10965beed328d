//! The practice commands, one file each: `fermi worksheet` (a worksheet or its answer key),
//! `fermi grade` (a filled-in worksheet graded) and `fermi drill` (one question at a time);
//! and the word each grade shows for a verdict, which `grade` and `drill` share.
//!
//! Architecture Invariant: questions, answers and grades come from `fermi::practice`; these
//! read input, print, and map scores to exit codes.

pub(super) mod drill;
pub(super) mod grade;
pub(super) mod worksheet;

use fermi::practice::grade::Verdict;

/// The word a grade shows for a verdict: `correct`, `close`, `wrong` or `blank`.
fn mark(v: Verdict) -> &'static str {
    match v {
        Verdict::Correct => "correct",
        Verdict::RightOrder => "close",
        Verdict::Wrong => "wrong",
        Verdict::Unanswered => "blank",
    }
}

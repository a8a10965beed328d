//! The practice commands, one file each: `fermi worksheet` (a worksheet or its answer key),
//! `fermi grade` (a filled-in worksheet graded) and `fermi drill` (one question at a time).
//!
//! Architecture Invariant: questions, answers and grades come from `fermi::practice`, the text
//! around them from `fermi::render::practice`; these read input, print, and map scores to exit
//! codes.

pub(super) mod drill;
pub(super) mod grade;
pub(super) mod worksheet;

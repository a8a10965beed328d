//! Interview practice: worksheets with blanks, answer keys that show the method, tolerant
//! grading of filled-in worksheets, and seeded drills.
//!
//! Architecture Invariant: every expected answer is a plan value of the design; practice
//! never computes a number the model did not.

pub mod drill;
pub mod grade;
pub mod questions;
pub mod worksheet;

//! Pure functions on `f64`: rounding, availability, queueing and cache approximations.
//! Each function's doc states its formula and its textbook or paper source.
//!
//! Architecture Invariant: `math` imports nothing from the crate and knows no fermi types.

pub mod availability;
pub mod che;
pub mod cholesky;
pub mod gamma;
pub mod normal;
pub mod numeric;
pub mod queueing;
pub mod rng;
pub mod tails;

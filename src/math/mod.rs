//! Pure functions on `f64`: rounding, availability, queueing and cache approximations, and
//! the key popularity they weigh (`popularity`, the vocabulary the design and the simulators
//! share). Each function's doc states its formula and its textbook or paper source.
//!
//! Architecture Invariant: `math` imports nothing from the crate; its types are plain values.

pub mod availability;
pub mod che;
pub mod cholesky;
pub mod gamma;
pub mod normal;
pub mod numeric;
pub mod popularity;
pub mod queueing;
pub mod rng;
pub mod tails;

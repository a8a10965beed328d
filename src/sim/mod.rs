//! Streaming simulations: cache policies replayed over request streams (generated Zipf,
//! uniform or hotspot workloads, or trace files) with exact, documented semantics.
//!
//! Architecture Invariant: `sim` imports only `math`; it knows nothing of designs or the
//! model — plain parameters in, plain results out — so `fermi sim` and benches use it alone.

pub mod cache;
pub mod mrc;
pub mod session;
pub mod shard;
pub mod trace;
pub mod workload;

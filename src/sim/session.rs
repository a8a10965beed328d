//! One simulation session: a request source (a trace file or a generated workload), a set of
//! policies and sizes. Streams the source once through every online policy when it can; holds
//! the (dense) trace in memory only when Belady or a size in percent of distinct objects
//! needs it, and then runs configurations in parallel.
//!
//! Architecture Invariant: results come back in (policy, size) order, whatever ran where.

use super::cache::{CacheOutcome, PolicyKind, replay, run_all};
use super::workload::{Densifier, Distribution, Generator, TraceError, TraceReader};
use std::path::PathBuf;

/// Where requests come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A trace file: one id per line, plain or gzip.
    Trace(PathBuf),
    /// A seeded generated workload.
    Generated {
        /// Popularity.
        distribution: Distribution,
        /// Distinct ids (1..=objects).
        objects: u64,
        /// Requests to generate.
        requests: u64,
        /// Seed.
        seed: u64,
    },
}

/// A cache size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Size {
    /// A number of objects.
    Objects(usize),
    /// A fraction of the distinct objects in the stream.
    Fraction(f64),
}

/// What the source held.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SourceStats {
    /// Requests.
    pub requests: u64,
    /// Distinct ids.
    pub distinct: usize,
}

/// Ids handed from the reading thread to the replaying thread at a time.
const CHUNK: usize = 1 << 16;

fn keys(source: &Source) -> Result<Box<dyn Iterator<Item = Result<u64, TraceError>> + Send>, TraceError> {
    Ok(match source {
        Source::Trace(path) => Box::new(TraceReader::open(path)?),
        Source::Generated { distribution, objects, requests, seed } => {
            let mut g = Generator::new(*distribution, *objects, *seed);
            Box::new((0..*requests).map(move |_| Ok(g.next_id())))
        }
    })
}

/// Runs every (policy, size) on the source.
pub fn simulate(
    source: &Source,
    policies: &[PolicyKind],
    sizes: &[Size],
) -> Result<(Vec<CacheOutcome>, SourceStats), TraceError> {
    let mut dense = Densifier::default();
    let needs_memory = policies.contains(&PolicyKind::Belady) || sizes.iter().any(|s| matches!(s, Size::Fraction(_)));
    if needs_memory {
        let mut trace = Vec::new();
        for id in keys(source)? {
            trace.push(dense.key(id?));
        }
        let distinct = dense.distinct();
        let configs = configs(policies, sizes, distinct);
        let stats = SourceStats { requests: trace.len() as u64, distinct };
        return Ok((run_all(&configs, &trace), stats));
    }
    // Two stages on two threads: read (decompress, parse) and replay, joined by a bounded
    // channel of id chunks, so memory stays a few chunks whatever the stream's length.
    let configs = configs(policies, sizes, 0);
    let ids = keys(source)?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<u64>, TraceError>>(8);
    let mut error = None;
    let out = std::thread::scope(|s| {
        s.spawn(move || {
            let mut chunk = Vec::with_capacity(CHUNK);
            for id in ids {
                match id {
                    Ok(id) => {
                        chunk.push(id);
                        if chunk.len() == CHUNK
                            && tx.send(Ok(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)))).is_err()
                        {
                            return;
                        }
                    }
                    Err(e) => {
                        let _ = tx.send(Ok(chunk));
                        let _ = tx.send(Err(e));
                        return;
                    }
                }
            }
            let _ = tx.send(Ok(chunk));
        });
        let stream = rx
            .iter()
            .map_while(|chunk| match chunk {
                Ok(c) => Some(c),
                Err(e) => {
                    error = Some(e);
                    None
                }
            })
            .flatten()
            .map(|id| dense.key(id));
        replay(&configs, stream)
    });
    if let Some(e) = error {
        return Err(e);
    }
    let stats = SourceStats { requests: out.first().map_or(0, |o| o.requests), distinct: dense.distinct() };
    Ok((out, stats))
}

fn configs(policies: &[PolicyKind], sizes: &[Size], distinct: usize) -> Vec<(PolicyKind, usize)> {
    let mut out = Vec::new();
    for &p in policies {
        for s in sizes {
            let c = match *s {
                Size::Objects(n) => n,
                Size::Fraction(f) => ((distinct as f64) * f).round() as usize,
            };
            out.push((p, c));
        }
    }
    out
}

//! One simulation session: a request source (a trace file or a generated workload), a set of
//! policies and sizes (objects, bytes, or a share of the distinct objects). Streams the source
//! through every online policy in one streaming pass (two when a size in percent of the distinct
//! objects needs their count first); holds the (dense) trace in memory only for Belady, which
//! looks ahead, and then runs configurations in parallel. LRU at three or more object counts
//! is one stack-distance pass (exact by LRU's inclusion property) instead of one per size. A caller may watch progress through
//! a callback.
//!
//! Architecture Invariant: results come back in (policy, size) order, whatever ran where.

use super::cache::{CacheOutcome, Capacity, PolicyKind, Request, replay, run_all};
use super::workload::{Densifier, Distribution, Generator, TraceError, TraceFormat, TraceReader};
use std::path::PathBuf;

/// Where requests come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A trace file (`-` for stdin) in the auto-detected format: text `KEY [SIZE]` lines,
    /// plain, gzip or zstd.
    Trace(PathBuf),
    /// A trace file (`-` for stdin) in a stated format.
    TraceAs(PathBuf, TraceFormat),
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
        /// Every object's size in bytes.
        object_size: u32,
    },
}

/// A cache size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Size {
    /// A number of objects.
    Objects(usize),
    /// A number of bytes (each request counts its object's size).
    Bytes(u64),
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
    /// Bytes requested (each request its object's size; 1 when sizes are unknown).
    pub bytes: u64,
    /// Bytes of the distinct objects (each at its first-seen size): the working set.
    pub footprint: u64,
}

/// Called with the requests read so far, every [`CHUNK`] requests.
pub type Progress<'a> = &'a (dyn Fn(u64) + Sync);

/// Ids handed from the reading thread to the replaying thread at a time.
const CHUNK: usize = 1 << 16;

type Stream = Box<dyn Iterator<Item = Result<(u64, Option<u32>), TraceError>> + Send>;

fn requests(source: &Source, sizes_required: bool) -> Result<Stream, TraceError> {
    Ok(match source {
        Source::Trace(path) | Source::TraceAs(path, _) => {
            let format = match source {
                Source::TraceAs(_, f) => f.clone(),
                _ => TraceFormat::Auto,
            };
            let reader = TraceReader::open_as(path, &format)?;
            if sizes_required { Box::new(reader.requiring_sizes()) } else { Box::new(reader) }
        }
        Source::Generated { distribution, objects, requests, seed, object_size } => {
            let mut g = Generator::new(*distribution, *objects, *seed);
            let size = *object_size;
            Box::new((0..*requests).map(move |_| Ok((g.next_id(), Some(size)))))
        }
    })
}

/// Dense keys with sizes, and the running statistics.
struct Densify {
    dense: Densifier,
    bytes: u64,
    footprint: u64,
}

impl Densify {
    /// The dense request of an id (size 1 when the source gives none).
    fn request(&mut self, id: u64, size: Option<u32>) -> Request {
        let size = size.unwrap_or(1);
        let before = self.dense.distinct();
        let key = self.dense.key(id);
        if self.dense.distinct() > before {
            self.footprint += u64::from(size);
        }
        self.bytes += u64::from(size);
        (key, size)
    }
}

/// Runs every (policy, size) on the source.
pub fn simulate(
    source: &Source,
    policies: &[PolicyKind],
    sizes: &[Size],
    progress: Option<Progress<'_>>,
) -> Result<(Vec<CacheOutcome>, SourceStats), TraceError> {
    let needs_sizes = sizes.iter().any(|s| matches!(s, Size::Bytes(_)));
    let mut d = Densify { dense: Densifier::default(), bytes: 0, footprint: 0 };
    let tick = |n: u64| {
        if let Some(p) = progress
            && n.is_multiple_of(CHUNK as u64)
        {
            p(n);
        }
    };
    if policies.contains(&PolicyKind::Belady) {
        let (mut keys, mut lengths) = (Vec::new(), Vec::new());
        for r in requests(source, needs_sizes)? {
            let (id, size) = r?;
            let (key, size) = d.request(id, size);
            keys.push(key);
            lengths.push(size);
            tick(keys.len() as u64);
        }
        let distinct = d.dense.distinct();
        let configs = configs(policies, sizes, distinct);
        let stats = SourceStats { requests: keys.len() as u64, distinct, bytes: d.bytes, footprint: d.footprint };
        if keys.is_empty() {
            return Err(no_requests());
        }
        return Ok((run_held(&configs, &keys, &lengths), stats));
    }
    // A size in percent of the distinct objects needs their count first: one more pass over
    // the source (cheaper than holding the trace, and memory stays with the distinct ids).
    let distinct = if sizes.iter().any(|s| matches!(s, Size::Fraction(_))) {
        if matches!(source, Source::Trace(p) | Source::TraceAs(p, _) if p.as_os_str() == "-") {
            return Err(TraceError {
                line: 0,
                column: 0,
                message: "a size in % of the distinct objects reads the trace twice, and stdin can be read once: give sizes as object counts or bytes, or a file".into(),
            });
        }
        let mut first = Densifier::default();
        for r in requests(source, needs_sizes)? {
            first.key(r?.0);
        }
        first.distinct()
    } else {
        0
    };
    // Two stages on two threads: read (decompress, parse) and replay, joined by a bounded
    // channel of request chunks, so memory stays a few chunks whatever the stream's length.
    let all_configs = configs(policies, sizes, distinct);
    // LRU at several object counts: one stack-distance pass fed from the stream, beside the
    // other configurations, instead of one simulation per size.
    let stacked: Vec<usize> = all_configs
        .iter()
        .filter_map(|&(p, c)| match c {
            Capacity::Objects(n) if p == PolicyKind::Lru => Some(n),
            _ => None,
        })
        .collect();
    let stacking = stacked.len() >= STACK_FROM;
    let configs: Vec<(PolicyKind, Capacity)> = if stacking {
        all_configs
            .iter()
            .copied()
            .filter(|&(p, c)| !(p == PolicyKind::Lru && matches!(c, Capacity::Objects(_))))
            .collect()
    } else {
        all_configs.clone()
    };
    let mut lru = stacking.then(|| super::mrc::LruSizes::new(&stacked));
    let (mut requests_seen, mut bytes_seen) = (0u64, 0u64);
    let stream = requests(source, needs_sizes)?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<(u64, Option<u32>)>, TraceError>>(8);
    let mut error = None;
    let out = std::thread::scope(|s| {
        s.spawn(move || {
            let mut chunk = Vec::with_capacity(CHUNK);
            for r in stream {
                match r {
                    Ok(r) => {
                        chunk.push(r);
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
        let mut seen = 0u64;
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
            .map(|(id, size)| {
                seen += 1;
                tick(seen);
                d.request(id, size)
            })
            .inspect(|&(key, size)| {
                requests_seen += 1;
                bytes_seen += u64::from(size);
                if let Some(l) = lru.as_mut() {
                    l.access(key, size);
                }
            });
        replay(&configs, stream)
    });
    let out = match lru {
        None => out,
        Some(l) => {
            let mut others = out.into_iter();
            let mut hits = l.hits().into_iter();
            all_configs
                .iter()
                .filter_map(|&(policy, capacity)| {
                    if policy == PolicyKind::Lru && matches!(capacity, Capacity::Objects(_)) {
                        let (h, hb) = hits.next()?;
                        Some(CacheOutcome {
                            policy,
                            capacity,
                            requests: requests_seen,
                            misses: requests_seen - h,
                            bytes: bytes_seen,
                            missed_bytes: bytes_seen - hb,
                        })
                    } else {
                        others.next()
                    }
                })
                .collect()
        }
    };
    if let Some(e) = error {
        return Err(e);
    }
    if out.first().is_none_or(|o| o.requests == 0) {
        return Err(no_requests());
    }
    let stats = SourceStats {
        requests: out.first().map_or(0, |o| o.requests),
        distinct: d.dense.distinct(),
        bytes: d.bytes,
        footprint: d.footprint,
    };
    Ok((out, stats))
}

/// LRU at this many object-count sizes or more runs by one stack-distance pass.
const STACK_FROM: usize = 3;

/// Every configuration on a trace held in memory: LRU at object counts by one stack-distance
/// pass ([`super::mrc::lru_hits`], exact by LRU's inclusion property), the rest in parallel.
fn run_held(configs: &[(PolicyKind, Capacity)], keys: &[u32], lengths: &[u32]) -> Vec<CacheOutcome> {
    let is_stacked = |&(p, c): &(PolicyKind, Capacity)| p == PolicyKind::Lru && matches!(c, Capacity::Objects(_));
    let stacked: Vec<usize> = configs
        .iter()
        .filter(|c| is_stacked(c))
        .map(|&(_, c)| match c {
            Capacity::Objects(n) => n,
            Capacity::Bytes(_) => 0,
        })
        .collect();
    if stacked.len() < STACK_FROM {
        return run_all(configs, keys, lengths, 0);
    }
    let rest: Vec<(PolicyKind, Capacity)> = configs.iter().copied().filter(|c| !is_stacked(c)).collect();
    let mut others = run_all(&rest, keys, lengths, 0).into_iter();
    let mut hits = super::mrc::lru_hits(keys, lengths, &stacked).into_iter();
    let bytes: u64 = lengths.iter().map(|&l| u64::from(l)).sum();
    let requests = keys.len() as u64;
    configs
        .iter()
        .filter_map(|c| {
            if is_stacked(c) {
                let (h, hb) = hits.next()?;
                Some(CacheOutcome {
                    policy: c.0,
                    capacity: c.1,
                    requests,
                    misses: requests - h,
                    bytes,
                    missed_bytes: bytes - hb,
                })
            } else {
                others.next()
            }
        })
        .collect()
}

/// A source without a single request has no hit ratio to report.
fn no_requests() -> TraceError {
    TraceError {
        line: 0,
        column: 0,
        message: "the trace holds no requests (only blank or `#` lines): no hit ratio to report".into(),
    }
}

fn configs(policies: &[PolicyKind], sizes: &[Size], distinct: usize) -> Vec<(PolicyKind, Capacity)> {
    let mut out = Vec::new();
    for &p in policies {
        for s in sizes {
            let c = match *s {
                Size::Objects(n) => Capacity::Objects(n),
                Size::Bytes(b) => Capacity::Bytes(b),
                Size::Fraction(f) => Capacity::Objects(((distinct as f64) * f).round() as usize),
            };
            out.push((p, c));
        }
    }
    out
}

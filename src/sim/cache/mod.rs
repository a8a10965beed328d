//! Cache simulation: policies behind one trait, each following shared/reference/cache-semantics.md
//! to the letter (LRU, FIFO, CLOCK, SIEVE, LFU, S3-FIFO, and Belady's offline MIN) or, for
//! ARC and W-TinyLFU, to their papers; replayed
//! in a single streaming pass for any number of (policy, size) configurations.
//!
//! Architecture Invariant: keys are dense `u32`s (see `workload::Densifier`), so every policy
//! indexes arrays instead of hashing; a cache of C objects holds at most C objects.

mod arc;
mod belady;
mod fifo;
mod lfu;
mod list;
mod lru;
mod s3fifo;
mod sieve;
mod tinylfu;

pub use arc::Arc;
pub use fifo::Fifo;
pub use lfu::Lfu;
pub use lru::Lru;
pub use s3fifo::S3Fifo;
pub use sieve::Sieve;
pub use tinylfu::TinyLfu;

/// A cache replacement policy over dense keys.
pub trait Policy {
    /// Requests `key`; returns whether it was a hit (a miss inserts it).
    fn access(&mut self, key: u32) -> bool;
}

/// The policies fermi simulates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PolicyKind {
    /// Least recently used.
    Lru,
    /// First in, first out.
    Fifo,
    /// CLOCK (FIFO with a reference bit).
    Clock,
    /// SIEVE.
    Sieve,
    /// In-cache LFU.
    Lfu,
    /// S3-FIFO.
    S3Fifo,
    /// ARC (adaptive replacement).
    Arc,
    /// W-TinyLFU (window LRU + TinyLFU admission + segmented LRU).
    TinyLfu,
    /// Belady's MIN (offline; needs the trace in memory).
    Belady,
}

impl PolicyKind {
    /// Every policy, in display order.
    pub const ALL: &[PolicyKind] = &[
        PolicyKind::Lru,
        PolicyKind::Fifo,
        PolicyKind::Clock,
        PolicyKind::Sieve,
        PolicyKind::Lfu,
        PolicyKind::S3Fifo,
        PolicyKind::Arc,
        PolicyKind::TinyLfu,
        PolicyKind::Belady,
    ];

    /// Parses a policy name (`lru`, `s3fifo`, `belady`/`min`, …).
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "lru" => PolicyKind::Lru,
            "fifo" => PolicyKind::Fifo,
            "clock" => PolicyKind::Clock,
            "sieve" => PolicyKind::Sieve,
            "lfu" => PolicyKind::Lfu,
            "s3fifo" | "s3-fifo" => PolicyKind::S3Fifo,
            "arc" => PolicyKind::Arc,
            "tinylfu" | "w-tinylfu" | "wtinylfu" => PolicyKind::TinyLfu,
            "belady" | "min" | "opt" => PolicyKind::Belady,
            _ => return None,
        })
    }

    /// The name as printed.
    pub fn name(self) -> &'static str {
        match self {
            PolicyKind::Lru => "lru",
            PolicyKind::Fifo => "fifo",
            PolicyKind::Clock => "clock",
            PolicyKind::Sieve => "sieve",
            PolicyKind::Lfu => "lfu",
            PolicyKind::S3Fifo => "s3fifo",
            PolicyKind::Arc => "arc",
            PolicyKind::TinyLfu => "tinylfu",
            PolicyKind::Belady => "belady",
        }
    }

    /// A fresh online policy, or `None` for Belady (offline).
    pub fn online(self, capacity: usize) -> Option<Box<dyn Policy + Send>> {
        Some(match self {
            PolicyKind::Lru => Box::new(Lru::new(capacity)),
            PolicyKind::Fifo => Box::new(Fifo::first_in_first_out(capacity)),
            PolicyKind::Clock => Box::new(Fifo::clock(capacity)),
            PolicyKind::Sieve => Box::new(Sieve::new(capacity)),
            PolicyKind::Lfu => Box::new(Lfu::new(capacity)),
            PolicyKind::S3Fifo => Box::new(S3Fifo::new(capacity)),
            PolicyKind::Arc => Box::new(Arc::new(capacity)),
            PolicyKind::TinyLfu => Box::new(TinyLfu::new(capacity)),
            PolicyKind::Belady => return None,
        })
    }
}

/// The result of one (policy, size) run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CacheOutcome {
    /// The policy.
    pub policy: PolicyKind,
    /// Capacity in objects.
    pub capacity: usize,
    /// Requests replayed.
    pub requests: u64,
    /// Misses.
    pub misses: u64,
}

impl CacheOutcome {
    /// misses ÷ requests.
    pub fn miss_ratio(&self) -> f64 {
        if self.requests == 0 { 0.0 } else { self.misses as f64 / self.requests as f64 }
    }
}

/// Replays one stream through every online (policy, capacity) pair at once: one pass, memory
/// proportional to the caches and the distinct keys, never to the stream's length.
pub fn replay(configs: &[(PolicyKind, usize)], stream: impl Iterator<Item = u32>) -> Vec<CacheOutcome> {
    let mut caches: Vec<(PolicyKind, usize, Box<dyn Policy + Send>, u64)> =
        configs.iter().filter_map(|&(p, c)| p.online(c).map(|cache| (p, c, cache, 0u64))).collect();
    let mut requests = 0u64;
    for key in stream {
        requests += 1;
        for (_, _, cache, misses) in caches.iter_mut() {
            if !cache.access(key) {
                *misses += 1;
            }
        }
    }
    caches
        .into_iter()
        .map(|(policy, capacity, _, misses)| CacheOutcome { policy, capacity, requests, misses })
        .collect()
}

/// One (policy, capacity) over an in-memory trace, Belady included.
pub fn run(policy: PolicyKind, capacity: usize, trace: &[u32]) -> CacheOutcome {
    run_measured(policy, capacity, trace, 0)
}

/// One (policy, capacity) over an in-memory trace, counting requests from position
/// `measure_from` on (the ones before warm the cache up). Belady is offline and always counts
/// the whole trace.
pub fn run_measured(policy: PolicyKind, capacity: usize, trace: &[u32], measure_from: usize) -> CacheOutcome {
    let (requests, misses) = match policy.online(capacity) {
        Some(mut cache) => {
            let warm = measure_from.min(trace.len());
            trace[..warm].iter().for_each(|&k| {
                cache.access(k);
            });
            let measured = &trace[warm..];
            (measured.len() as u64, measured.iter().filter(|&&k| !cache.access(k)).count() as u64)
        }
        None => (trace.len() as u64, belady::misses(trace, capacity)),
    };
    CacheOutcome { policy, capacity, requests, misses }
}

/// Every (policy, capacity) over an in-memory trace, spread over the machine's cores.
pub fn run_all(configs: &[(PolicyKind, usize)], trace: &[u32]) -> Vec<CacheOutcome> {
    run_all_measured(configs, trace, 0)
}

/// [`run_all`] with a warm-up: requests before `measure_from` are not counted.
pub fn run_all_measured(configs: &[(PolicyKind, usize)], trace: &[u32], measure_from: usize) -> Vec<CacheOutcome> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(configs.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::with_capacity(configs.len()));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let k = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some(&(p, c)) = configs.get(k) else { break };
                    let r = run_measured(p, c, trace, measure_from);
                    if let Ok(mut all) = results.lock() {
                        all.push((k, r));
                    }
                }
            });
        }
    });
    let mut all = results.into_inner().unwrap_or_default();
    all.sort_by_key(|(k, _)| *k);
    all.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests;

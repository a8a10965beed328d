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
mod lists;
mod lru;
mod s3fifo;
mod sieve;
mod tinylfu;

pub use arc::Arc;
pub use fifo::{Fifo, Ring};
pub use lfu::Lfu;
pub use lru::Lru;
pub use s3fifo::S3Fifo;
pub use sieve::Sieve;
pub use tinylfu::TinyLfu;

/// A cache replacement policy over dense keys. Capacity and sizes share one unit: objects
/// (every size 1, the count-based mode of cache-semantics.md) or bytes (each object its size).
pub trait Policy {
    /// Requests `key` of `size` units; returns whether it was a hit. A miss inserts the object,
    /// evicting until it fits; an object larger than the whole cache is not admitted.
    fn access(&mut self, key: u32, size: u32) -> bool;

    /// Prefetches the memory an access of `key` starts from, so that a replay touching it
    /// [`AHEAD`] requests early overlaps the cache misses of many requests. No effect on the
    /// outcome.
    fn warm(&self, _key: u32) {}

    /// The second step of [`Policy::warm`], [`NEAR`] requests early: reads the index entry the
    /// first step brought into cache and brings in the slot it names. No effect on the outcome.
    fn warm_slot(&self, _key: u32) {}

    /// Replays `keys` in order, every request of one unit (objects mode), and returns the
    /// misses. One loop per policy (each implementation gets its own copy, with `access`
    /// inlined), touching each key [`AHEAD`] requests before its access.
    fn misses_of(&mut self, keys: &[u32]) -> u64 {
        let mut misses = 0;
        for (i, &k) in keys.iter().enumerate() {
            if let Some(&next) = keys.get(i + AHEAD) {
                self.warm(next);
            }
            if let Some(&near) = keys.get(i + NEAR) {
                self.warm_slot(near);
            }
            misses += u64::from(!self.access(k, 1));
        }
        misses
    }

    /// Replays `requests` in order, each charged its size when `bytes` (else one unit), and
    /// returns the misses and the missed bytes (each request counting its size).
    fn misses_of_sized(&mut self, requests: &[Request], bytes: bool) -> (u64, u64) {
        let (mut misses, mut missed_bytes) = (0, 0);
        for (i, &(k, size)) in requests.iter().enumerate() {
            if let Some(&(next, _)) = requests.get(i + AHEAD) {
                self.warm(next);
            }
            if let Some(&(near, _)) = requests.get(i + NEAR) {
                self.warm_slot(near);
            }
            if !self.access(k, if bytes { size } else { 1 }) {
                misses += 1;
                missed_bytes += u64::from(size);
            }
        }
        (misses, missed_bytes)
    }
}

/// Asks the processor to bring `items[index]` into cache, without waiting for it (a prefetch
/// instruction, so a miss to memory does not hold up the requests in between); nothing when
/// `index` is out of bounds.
#[inline(always)]
fn prefetch<T>(items: &[T], index: usize) {
    if let Some(item) = items.get(index) {
        mem_prefetch::prefetch_read_data::<T, 3>(item);
    }
}

/// How many requests ahead a replay touches a key's memory (see [`Policy::warm`]): enough to
/// cover a miss to memory at a few nanoseconds a request, few enough to stay in L1.
pub const AHEAD: usize = 32;

/// How many requests ahead a replay brings in the slot a key's index entry names (see
/// [`Policy::warm_slot`]): late enough that the entry has arrived, early enough for the slot.
pub const NEAR: usize = 8;

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

    /// A fresh online policy of `capacity` objects (every access counts one object), or
    /// `None` for Belady (offline).
    pub fn online(self, capacity: usize) -> Option<Box<dyn Policy + Send>> {
        Some(match self {
            PolicyKind::Fifo => Box::new(Ring::first_in_first_out(capacity)),
            PolicyKind::Clock => Box::new(Ring::clock(capacity)),
            _ => return self.online_in_units(capacity),
        })
    }

    /// A fresh online policy of `capacity` units, objects or bytes (each access charging its
    /// size), or `None` for Belady (offline).
    fn online_in_units(self, capacity: usize) -> Option<Box<dyn Policy + Send>> {
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

/// A cache's size: a number of objects (every request counts 1) or of bytes (every request
/// counts its object's size).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Capacity {
    /// Objects.
    Objects(usize),
    /// Bytes.
    Bytes(u64),
}

impl Capacity {
    /// The number of units (objects or bytes).
    pub fn units(self) -> u64 {
        match self {
            Capacity::Objects(n) => n as u64,
            Capacity::Bytes(b) => b,
        }
    }

    /// Whether it counts bytes.
    pub fn is_bytes(self) -> bool {
        matches!(self, Capacity::Bytes(_))
    }

    /// What a request of an object of `size` bytes takes of this capacity.
    fn charge(self, size: u32) -> u32 {
        if self.is_bytes() { size } else { 1 }
    }

    fn policy(self, kind: PolicyKind) -> Option<Box<dyn Policy + Send>> {
        let units = usize::try_from(self.units()).unwrap_or(usize::MAX);
        if self.is_bytes() { kind.online_in_units(units) } else { kind.online(units) }
    }
}

/// The result of one (policy, size) run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CacheOutcome {
    /// The policy.
    pub policy: PolicyKind,
    /// Its size.
    pub capacity: Capacity,
    /// Requests replayed (counted).
    pub requests: u64,
    /// Misses.
    pub misses: u64,
    /// Bytes requested (each request counts its object's size).
    pub bytes: u64,
    /// Bytes of the missed requests.
    pub missed_bytes: u64,
}

impl CacheOutcome {
    /// misses ÷ requests.
    pub fn miss_ratio(&self) -> f64 {
        if self.requests == 0 { 0.0 } else { self.misses as f64 / self.requests as f64 }
    }

    /// missed bytes ÷ requested bytes.
    pub fn byte_miss_ratio(&self) -> f64 {
        if self.bytes == 0 { 0.0 } else { self.missed_bytes as f64 / self.bytes as f64 }
    }
}

/// One request: a dense key and its object's size in bytes (1 when sizes are unknown).
pub type Request = (u32, u32);

struct Running {
    policy: PolicyKind,
    capacity: Capacity,
    cache: Box<dyn Policy + Send>,
    misses: u64,
    missed_bytes: u64,
}

/// Every online (policy, capacity) pair fed one request at a time: what [`replay`] runs,
/// for a caller that routes each request itself (a sampled stream and its sub-samples).
pub struct Replayer {
    caches: Vec<Running>,
    requests: u64,
    bytes: u64,
}

impl Replayer {
    /// Empty caches for every online configuration (Belady is skipped: it is offline).
    pub fn new(configs: &[(PolicyKind, Capacity)]) -> Self {
        let caches = configs
            .iter()
            .filter_map(|&(policy, capacity)| {
                capacity.policy(policy).map(|cache| Running { policy, capacity, cache, misses: 0, missed_bytes: 0 })
            })
            .collect();
        Replayer { caches, requests: 0, bytes: 0 }
    }

    /// One request through every cache.
    pub fn access(&mut self, (key, size): Request) {
        self.requests += 1;
        self.bytes += u64::from(size);
        for r in self.caches.iter_mut() {
            if !r.cache.access(key, r.capacity.charge(size)) {
                r.misses += 1;
                r.missed_bytes += u64::from(size);
            }
        }
    }

    /// Requests in order through every cache, each cache over the whole batch in turn (its
    /// own loop, memory touched ahead): the same outcomes as [`Replayer::access`] on each.
    pub fn access_batch(&mut self, batch: &[Request]) {
        self.requests += batch.len() as u64;
        self.bytes += batch.iter().map(|&(_, s)| u64::from(s)).sum::<u64>();
        for r in self.caches.iter_mut() {
            let (misses, missed_bytes) = r.cache.misses_of_sized(batch, r.capacity.is_bytes());
            r.misses += misses;
            r.missed_bytes += missed_bytes;
        }
    }

    /// The outcomes, in the order of the configurations given.
    pub fn finish(self) -> Vec<CacheOutcome> {
        let (requests, bytes) = (self.requests, self.bytes);
        self.caches
            .into_iter()
            .map(|r| CacheOutcome {
                policy: r.policy,
                capacity: r.capacity,
                requests,
                misses: r.misses,
                bytes,
                missed_bytes: r.missed_bytes,
            })
            .collect()
    }
}

/// Replays one stream through every online (policy, capacity) pair at once: one pass, memory
/// proportional to the caches and the distinct keys, never to the stream's length.
pub fn replay(configs: &[(PolicyKind, Capacity)], stream: impl Iterator<Item = Request>) -> Vec<CacheOutcome> {
    let mut r = Replayer::new(configs);
    stream.for_each(|q| r.access(q));
    r.finish()
}

/// One (policy, capacity) over an in-memory trace (`sizes` empty when every object is size 1),
/// Belady included, counting requests from position `measure_from` on (the ones before warm
/// the cache up; Belady is offline and always counts the whole trace).
pub fn run_measured(
    policy: PolicyKind,
    capacity: Capacity,
    keys: &[u32],
    sizes: &[u32],
    measure_from: usize,
) -> CacheOutcome {
    let size = |i: usize| sizes.get(i).copied().unwrap_or(1);
    let Some(mut cache) = capacity.policy(policy) else {
        let (misses, missed_bytes) = belady::misses(keys, sizes, capacity);
        let bytes = (0..keys.len()).map(|i| u64::from(size(i))).sum();
        return CacheOutcome { policy, capacity, requests: keys.len() as u64, misses, bytes, missed_bytes };
    };
    let warm = measure_from.min(keys.len());
    let requests = (keys.len() - warm) as u64;
    if sizes.is_empty() {
        cache.misses_of(&keys[..warm]);
        let misses = cache.misses_of(&keys[warm..]);
        return CacheOutcome { policy, capacity, requests, misses, bytes: requests, missed_bytes: misses };
    }
    let all: Vec<Request> = keys.iter().enumerate().map(|(i, &k)| (k, size(i))).collect();
    cache.misses_of_sized(&all[..warm], capacity.is_bytes());
    let (misses, missed_bytes) = cache.misses_of_sized(&all[warm..], capacity.is_bytes());
    let bytes = all[warm..].iter().map(|&(_, s)| u64::from(s)).sum();
    CacheOutcome { policy, capacity, requests, misses, bytes, missed_bytes }
}

/// One (policy, capacity in objects) over an in-memory trace of unit-size objects.
pub fn run(policy: PolicyKind, capacity: usize, keys: &[u32]) -> CacheOutcome {
    run_measured(policy, Capacity::Objects(capacity), keys, &[], 0)
}

/// Every (policy, capacity) over an in-memory trace, spread over the machine's cores, counting
/// requests from `measure_from` on.
pub fn run_all(
    configs: &[(PolicyKind, Capacity)],
    keys: &[u32],
    sizes: &[u32],
    measure_from: usize,
) -> Vec<CacheOutcome> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(configs.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::with_capacity(configs.len()));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let k = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some(&(p, c)) = configs.get(k) else { break };
                    let r = run_measured(p, c, keys, sizes, measure_from);
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

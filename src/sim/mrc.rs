//! Miss-ratio curves: LRU's miss ratio at several cache sizes from one pass over a trace, by
//! the inclusion property of LRU (Mattson, Gecsei, Slutz & Traiger, "Evaluation techniques for
//! storage hierarchies", IBM Systems Journal 9(2), 1970): every LRU cache holds the top C
//! entries of one recency stack, so a request hits in every cache at least as large as its
//! depth in that stack.
//!
//! For a handful of sizes s₁ < … < s_B the depth itself is not needed, only which zone
//! (s_z, s_{z+1}] it falls in. The stack is a linked list, each key carries its zone, and a
//! pointer marks the entry at each depth s_j. Moving a requested key of zone z to the top
//! pushes the entry at each boundary j ≤ z one deeper, into zone j: O(z) steps per request,
//! at most B, against O(log N) Fenwick-tree steps for every depth.
//!
//! Architecture Invariant: exact — the curve equals direct LRU simulation at every size.

/// No entry (list ends, undefined boundaries).
const NIL: u32 = u32::MAX;

/// The recency stack with zone boundaries.
struct Stack {
    prev: Vec<u32>,
    next: Vec<u32>,
    /// Each key's zone: its depth d satisfies s_z < d ≤ s_{z+1}; `UNSEEN` before its first use.
    zone: Vec<u32>,
    head: u32,
    tail: u32,
    len: usize,
    /// The distinct sizes, ascending.
    sizes: Vec<usize>,
    /// `boundary[j]`: the entry at depth `sizes[j]`, once the stack is that deep.
    boundary: Vec<u32>,
}

const UNSEEN: u32 = u32::MAX;

impl Stack {
    /// Moves `x` to the top and returns the zone it was in (`sizes.len()` for a first use).
    fn touch(&mut self, x: u32) -> usize {
        let b = self.sizes.len();
        let xi = x as usize;
        let seen = self.zone[xi] != UNSEEN;
        let z = if seen { self.zone[xi] as usize } else { b };
        if seen && self.head == x {
            return z;
        }
        let old_len = self.len;
        if seen {
            // The entry above x takes x's depth; if x marked a boundary, it marks it now.
            if z < b && self.boundary[z] == x {
                self.boundary[z] = self.prev[xi];
            }
            let (p, n) = (self.prev[xi], self.next[xi]);
            self.next[p as usize] = n;
            if n == NIL {
                self.tail = p;
            } else {
                self.prev[n as usize] = p;
            }
        } else {
            self.len += 1;
        }
        self.prev[xi] = NIL;
        self.next[xi] = self.head;
        if self.head == NIL {
            self.tail = x;
        } else {
            self.prev[self.head as usize] = x;
        }
        self.head = x;
        self.zone[xi] = 0;
        // Boundaries above x's old depth: their entries sink one place, into the next zone.
        // (Boundary j, 0-based, lies between zones j and j + 1.)
        for j in 0..z {
            if self.sizes[j] > old_len {
                // The stack just reached this depth: its new bottom entry marks it.
                if self.sizes[j] == self.len {
                    self.boundary[j] = self.tail;
                }
                break;
            }
            let e = self.boundary[j];
            self.zone[e as usize] = (j + 1) as u32;
            self.boundary[j] = self.prev[e as usize];
        }
        z
    }
}

/// LRU miss ratios at `sizes`, counting only requests from position `measure_from` on (the
/// cache state still builds from the start: a warm-up).
pub fn lru_miss_ratios(trace: &[u32], measure_from: usize, sizes: &[usize]) -> Vec<f64> {
    let mut stack = Stack::new(trace, sizes);
    let b = stack.sizes.len();
    // zones[z]: measured requests found in zone z (z = b: first uses and deeper than every size).
    let mut zones = vec![0u64; b + 1];
    for (t, &k) in trace.iter().enumerate() {
        let z = stack.touch(k);
        if t >= measure_from {
            zones[z] += 1;
        }
    }
    let measured = (trace.len().saturating_sub(measure_from)).max(1) as f64;
    sizes
        .iter()
        .map(|&c| {
            // A request hits a cache of size c when its zone lies wholly within depth c.
            let hits: u64 = stack.sizes.iter().zip(&zones).take_while(|&(&s, _)| s <= c).map(|(_, &h)| h).sum();
            1.0 - hits as f64 / measured
        })
        .collect()
}

impl Stack {
    /// An empty stack over the keys of `trace`, with boundaries at the nonzero `sizes`.
    fn new(trace: &[u32], sizes: &[usize]) -> Stack {
        let universe = trace.iter().copied().max().map_or(0, |m| m as usize + 1);
        let mut distinct: Vec<usize> = sizes.iter().copied().filter(|&c| c > 0).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let b = distinct.len();
        Stack {
            prev: vec![NIL; universe],
            next: vec![NIL; universe],
            zone: vec![UNSEEN; universe],
            head: NIL,
            tail: NIL,
            len: 0,
            boundary: vec![NIL; b],
            sizes: distinct,
        }
    }
}

/// Count-based LRU at several object counts, fed one request at a time (so a stream needs no
/// memory beyond its distinct keys): (hits, hit bytes) per size at the end — what simulating
/// LRU once per size gives, exactly (the inclusion property), at one pass's cost.
pub struct LruSizes {
    stack: Stack,
    sizes: Vec<usize>,
    /// (requests, bytes) found in each zone.
    zones: Vec<(u64, u64)>,
}

impl LruSizes {
    /// LRU at each of `sizes` objects, empty.
    pub fn new(sizes: &[usize]) -> LruSizes {
        let stack = Stack::new(&[], sizes);
        let zones = vec![(0, 0); stack.sizes.len() + 1];
        LruSizes { stack, sizes: sizes.to_vec(), zones }
    }

    /// One request for `key` of `len` bytes.
    pub fn access(&mut self, key: u32, len: u32) {
        let k = key as usize;
        if k >= self.stack.prev.len() {
            let n = (k + 1).max(self.stack.prev.len() * 2);
            self.stack.prev.resize(n, NIL);
            self.stack.next.resize(n, NIL);
            self.stack.zone.resize(n, UNSEEN);
        }
        let z = self.stack.touch(key);
        self.zones[z].0 += 1;
        self.zones[z].1 += u64::from(len);
    }

    /// (hits, hit bytes) at each size, in the order given.
    pub fn hits(&self) -> Vec<(u64, u64)> {
        self.sizes
            .iter()
            .map(|&c| {
                self.stack
                    .sizes
                    .iter()
                    .zip(&self.zones)
                    .take_while(|&(&s, _)| s <= c)
                    .fold((0, 0), |(h, b), (_, z)| (h + z.0, b + z.1))
            })
            .collect()
    }
}

/// [`LruSizes`] over a whole trace held in memory.
pub fn lru_hits(trace: &[u32], lengths: &[u32], sizes: &[usize]) -> Vec<(u64, u64)> {
    let mut lru = LruSizes::new(sizes);
    for (&k, &len) in trace.iter().zip(lengths) {
        lru.access(k, len);
    }
    lru.hits()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::rng::SplitMix64;
    use crate::sim::cache::{Lru, Policy};

    #[test]
    fn the_stack_distance_curve_equals_direct_lru_simulation() {
        let mut r = SplitMix64::new(5);
        let trace: Vec<u32> = (0..50_000).map(|_| (r.next_f64().powi(3) * 5_000.0) as u32).collect();
        let sizes = [1usize, 10, 100, 500, 1_000, 4_000, 10_000];
        let warm = 20_000;
        let curve = lru_miss_ratios(&trace, warm, &sizes);
        for (&c, &m) in sizes.iter().zip(&curve) {
            let mut lru = Lru::new(c);
            let mut misses = 0;
            for (t, &k) in trace.iter().enumerate() {
                if !lru.access(k, 1) && t >= warm {
                    misses += 1;
                }
            }
            let direct = misses as f64 / (trace.len() - warm) as f64;
            assert!((m - direct).abs() < 1e-12, "C = {c}: {m} vs {direct}");
        }
    }

    #[test]
    fn any_sizes_on_any_trace_equal_direct_lru_simulation() {
        // Random universes, lengths, warm-ups and size lists (unsorted, repeated, zero, larger
        // than the universe), against one direct LRU per size.
        let mut r = SplitMix64::new(11);
        for case in 0..200 {
            let universe = 1 + (r.next_u64() % 60) as u32;
            let len = 1 + (r.next_u64() % 400) as usize;
            let trace: Vec<u32> = (0..len).map(|_| (r.next_f64().powi(2) * f64::from(universe)) as u32).collect();
            let sizes: Vec<usize> = (0..1 + r.next_u64() % 6).map(|_| (r.next_u64() % 70) as usize).collect();
            let warm = (r.next_u64() % len as u64) as usize;
            let curve = lru_miss_ratios(&trace, warm, &sizes);
            for (&c, &m) in sizes.iter().zip(&curve) {
                let mut lru = Lru::new(c);
                let misses = trace.iter().enumerate().filter(|&(t, &k)| !lru.access(k, 1) && t >= warm).count();
                let direct = misses as f64 / (len - warm) as f64;
                assert!((m - direct).abs() < 1e-12, "case {case}, C = {c}: {m} vs {direct}");
            }
        }
    }
}

//! W-TinyLFU (Einziger, Friedman & Manes, "TinyLFU: A Highly Efficient Cache Admission
//! Policy", ACM TOS 13(4), 2017, §4 and Caffeine's defaults): a window LRU of 1% of the
//! capacity in front of a segmented LRU main cache (80% protected, 20% probation). A key
//! leaving the window enters main only if the TinyLFU frequency sketch rates it above main's
//! eviction victim. The sketch is a count-min sketch of 4-bit counters (4 rows), halved after
//! every 10·C requests so old popularity fades (the paper's reset; no doorkeeper).
//!
//! In bytes mode segment sizes are bytes, the sketch ages after 10·C bytes of requests, and a
//! candidate entering a full main cache duels main's victims one after another until it fits
//! (losing any duel rejects it). The sketch's width follows C in either unit (at most 2^22
//! counters a row), so equal sizes reproduce objects mode up to hash collisions.
//!
//! Architecture Invariant: window + probation + protected ≤ C after every request; O(1) per
//! request in objects mode; the sketch hashes with fixed seeds, so runs are deterministic.

use super::Policy;
use super::list::{List, Placed, Sizes};

/// A count-min sketch of 4-bit counters with periodic halving.
#[derive(Debug, Clone)]
struct Sketch {
    rows: [Vec<u8>; 4],
    mask: u64,
    added: u64,
    reset_at: u64,
}

const SEEDS: [u64; 4] = [0x9E37_79B9_7F4A_7C15, 0xC2B2_AE3D_27D4_EB4F, 0x1656_67B1_9E37_79F9, 0x85EB_CA77_C2B2_AE63];

impl Sketch {
    fn new(capacity: usize) -> Self {
        let width = capacity.clamp(16, 1 << 22).next_power_of_two();
        Sketch {
            rows: std::array::from_fn(|_| vec![0u8; width]),
            mask: width as u64 - 1,
            added: 0,
            reset_at: 10 * capacity.max(1) as u64,
        }
    }

    fn index(&self, key: u32, row: usize) -> usize {
        let mut z = u64::from(key).wrapping_add(SEEDS[row]);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) & self.mask) as usize
    }

    /// Counts a request of `weight` units; the sketch halves after 10·C units of requests
    /// (10·C requests in objects mode, 10·C bytes of requests in bytes mode).
    fn increment(&mut self, key: u32, weight: u32) {
        for row in 0..4 {
            let i = self.index(key, row);
            let c = &mut self.rows[row][i];
            if *c < 15 {
                *c += 1;
            }
        }
        self.added += u64::from(weight);
        if self.added >= self.reset_at {
            self.rows.iter_mut().for_each(|r| r.iter_mut().for_each(|c| *c >>= 1));
            self.added /= 2;
        }
    }

    fn estimate(&self, key: u32) -> u8 {
        (0..4).map(|row| self.rows[row][self.index(key, row)]).min().unwrap_or(0)
    }
}

/// Which segment a key is in.
const WINDOW: u8 = 1;
const PROBATION: u8 = 2;
const PROTECTED: u8 = 3;

/// Window TinyLFU.
#[derive(Debug, Clone)]
pub struct TinyLfu {
    capacity: u64,
    window_cap: u64,
    protected_cap: u64,
    main_cap: u64,
    /// Units on window, probation, protected.
    used: [u64; 3],
    sizes: Sizes,
    lists: [List; 3],
    placed: Placed,
    sketch: Sketch,
}

impl TinyLfu {
    /// An empty cache of `capacity` units (objects, or bytes): window ⌈1%⌉ (at least 1 when
    /// C ≥ 2), main the rest, protected 80% of main.
    pub fn new(capacity: usize) -> Self {
        let c = capacity as u64;
        let window_cap = if c >= 2 { c.div_ceil(100) } else { c };
        let main_cap = c - window_cap;
        TinyLfu {
            capacity: c,
            window_cap,
            protected_cap: main_cap * 4 / 5,
            main_cap,
            used: [0; 3],
            sizes: Sizes::default(),
            lists: std::array::from_fn(|_| List::with_capacity(capacity.min(1 << 24))),
            placed: Placed::default(),
            sketch: Sketch::new(capacity),
        }
    }

    fn push(&mut self, segment: u8, key: u32) {
        let list = &mut self.lists[segment as usize - 1];
        let s = list.alloc(key);
        list.push_front(s);
        self.placed.set(key, segment, s);
        self.used[segment as usize - 1] += self.sizes.get(key);
    }

    fn remove(&mut self, key: u32) {
        if let Some((segment, s)) = self.placed.get(key) {
            let list = &mut self.lists[segment as usize - 1];
            list.unlink(s);
            list.release(s);
            self.placed.clear(key);
            self.used[segment as usize - 1] -= self.sizes.get(key);
        }
    }

    fn lru(&self, segment: u8) -> Option<u32> {
        let list = &self.lists[segment as usize - 1];
        (list.len > 0).then(|| list.key[list.tail as usize])
    }

    fn len(&self, segment: u8) -> u64 {
        self.used[segment as usize - 1]
    }

    /// A candidate leaving the window: into probation if main has room, else duels with
    /// main's victims (probation's LRU, or protected's when probation is empty) until it fits.
    fn admit(&mut self, candidate: u32) {
        let size = self.sizes.get(candidate);
        if size > self.main_cap {
            return;
        }
        while self.len(PROBATION) + self.len(PROTECTED) + size > self.main_cap {
            let Some(victim) = self.lru(PROBATION).or_else(|| self.lru(PROTECTED)) else { return };
            if self.sketch.estimate(candidate) <= self.sketch.estimate(victim) {
                return;
            }
            self.remove(victim);
        }
        self.push(PROBATION, candidate);
    }
}

impl Policy for TinyLfu {
    fn access(&mut self, key: u32, size: u32) -> bool {
        self.sketch.increment(key, size);
        match self.placed.get(key).map_or(0, |(segment, _)| segment) {
            WINDOW => {
                self.remove(key);
                self.push(WINDOW, key);
                true
            }
            PROBATION => {
                self.remove(key);
                self.push(PROTECTED, key);
                while self.len(PROTECTED) > self.protected_cap
                    && let Some(demoted) = self.lru(PROTECTED)
                {
                    self.remove(demoted);
                    self.push(PROBATION, demoted);
                }
                true
            }
            PROTECTED => {
                self.remove(key);
                self.push(PROTECTED, key);
                true
            }
            _ => {
                if self.window_cap == 0 || u64::from(size) > self.capacity {
                    return false;
                }
                self.sizes.set(key, size);
                self.push(WINDOW, key);
                while self.len(WINDOW) > self.window_cap
                    && let Some(candidate) = self.lru(WINDOW)
                {
                    self.remove(candidate);
                    self.admit(candidate);
                }
                false
            }
        }
    }
}

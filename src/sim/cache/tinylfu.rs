//! W-TinyLFU (Einziger, Friedman & Manes, "TinyLFU: A Highly Efficient Cache Admission
//! Policy", ACM TOS 13(4), 2017, §4 and Caffeine's defaults): a window LRU of 1% of the
//! capacity in front of a segmented LRU main cache (80% protected, 20% probation). A key
//! leaving the window enters main only if the TinyLFU frequency sketch rates it above main's
//! eviction victim. The sketch is a count-min sketch of 4-bit counters (4 rows), halved after
//! every 10·C requests so old popularity fades (the paper's reset; no doorkeeper).
//!
//! Architecture Invariant: window + probation + protected ≤ C after every request; O(1) per
//! request; the sketch hashes with fixed seeds, so runs are deterministic.

use super::Policy;
use super::list::{List, Placed};

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
        let width = (capacity.max(16)).next_power_of_two();
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

    fn increment(&mut self, key: u32) {
        for row in 0..4 {
            let i = self.index(key, row);
            let c = &mut self.rows[row][i];
            if *c < 15 {
                *c += 1;
            }
        }
        self.added += 1;
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
    window_cap: usize,
    protected_cap: usize,
    main_cap: usize,
    lists: [List; 3],
    placed: Placed,
    sketch: Sketch,
}

impl TinyLfu {
    /// An empty cache of `capacity` objects: window ⌈1%⌉ (at least 1 when C ≥ 2), main the
    /// rest, protected 80% of main.
    pub fn new(capacity: usize) -> Self {
        let window_cap = if capacity >= 2 { capacity.div_ceil(100) } else { capacity };
        let main_cap = capacity - window_cap;
        TinyLfu {
            window_cap,
            protected_cap: main_cap * 4 / 5,
            main_cap,
            lists: std::array::from_fn(|_| List::with_capacity(capacity)),
            placed: Placed::default(),
            sketch: Sketch::new(capacity),
        }
    }

    fn push(&mut self, segment: u8, key: u32) {
        let list = &mut self.lists[segment as usize - 1];
        let s = list.alloc(key);
        list.push_front(s);
        self.placed.set(key, segment, s);
    }

    fn remove(&mut self, key: u32) {
        if let Some((segment, s)) = self.placed.get(key) {
            let list = &mut self.lists[segment as usize - 1];
            list.unlink(s);
            list.release(s);
            self.placed.clear(key);
        }
    }

    fn lru(&self, segment: u8) -> Option<u32> {
        let list = &self.lists[segment as usize - 1];
        (list.len > 0).then(|| list.key[list.tail as usize])
    }

    fn len(&self, segment: u8) -> usize {
        self.lists[segment as usize - 1].len
    }

    /// A candidate leaving the window: into probation if main has room, else a duel with
    /// main's victim (probation's LRU, or protected's when probation is empty).
    fn admit(&mut self, candidate: u32) {
        if self.main_cap == 0 {
            return;
        }
        if self.len(PROBATION) + self.len(PROTECTED) < self.main_cap {
            self.push(PROBATION, candidate);
            return;
        }
        let Some(victim) = self.lru(PROBATION).or_else(|| self.lru(PROTECTED)) else { return };
        if self.sketch.estimate(candidate) > self.sketch.estimate(victim) {
            self.remove(victim);
            self.push(PROBATION, candidate);
        }
    }
}

impl Policy for TinyLfu {
    fn access(&mut self, key: u32) -> bool {
        self.sketch.increment(key);
        match self.placed.get(key).map_or(0, |(segment, _)| segment) {
            WINDOW => {
                self.remove(key);
                self.push(WINDOW, key);
                true
            }
            PROBATION => {
                self.remove(key);
                self.push(PROTECTED, key);
                if self.len(PROTECTED) > self.protected_cap
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
                if self.window_cap == 0 {
                    return false;
                }
                self.push(WINDOW, key);
                if self.len(WINDOW) > self.window_cap
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

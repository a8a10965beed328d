//! ARC, the Adaptive Replacement Cache (Megiddo & Modha, "ARC: A Self-Tuning, Low Overhead
//! Replacement Cache", FAST 2003, Fig. 4): resident lists T1 (seen once recently) and T2
//! (seen at least twice), ghost lists B1 and B2 of ids evicted from each, and a target size
//! `p` for T1 that grows on a hit in B1 and shrinks on a hit in B2.
//!
//! In bytes mode every |list| is the bytes of its objects, `p` is in bytes and moves by the
//! paper's step times the requested object's size, and each "evict one" repeats until the
//! object fits; with every size 1 this is the paper's algorithm exactly.
//!
//! Architecture Invariant: |T1| + |T2| ≤ C and |T1| + |T2| + |B1| + |B2| ≤ 2C after every
//! request; O(1) per request in objects mode (four lists over one slot arena; a hit relinks a slot).

use super::Policy;
use super::lists::Lists;

const T1: usize = 0;
const T2: usize = 1;
const B1: usize = 2;
const B2: usize = 3;

/// Adaptive Replacement Cache.
#[derive(Debug, Clone)]
pub struct Arc {
    capacity: u64,
    /// Target size of T1 (a real number, as in the paper).
    p: f64,
    lists: Lists<4>,
}

impl Arc {
    /// An empty cache of `capacity` units (objects, or bytes).
    pub fn new(capacity: usize) -> Self {
        Arc { capacity: capacity as u64, p: 0.0, lists: Lists::with_capacity(capacity.min(1 << 24)) }
    }

    fn len(&self, l: usize) -> u64 {
        self.lists.used(l)
    }

    /// Moves list `from`'s LRU object to the front of `to` (a ghost list), or drops it.
    fn demote(&mut self, from: usize, to: Option<usize>) -> bool {
        let Some(s) = self.lists.lru(from) else { return false };
        match to {
            Some(t) => self.lists.move_to_front(t, s),
            None => self.lists.remove(s),
        }
        true
    }

    /// REPLACE until `size` more fits among the resident objects.
    fn make_room(&mut self, size: u64, hit_b2: bool) {
        while self.len(T1) + self.len(T2) + size > self.capacity && self.len(T1) + self.len(T2) > 0 {
            self.replace(hit_b2);
        }
    }

    /// REPLACE(x, p): evict T1's LRU into B1 when T1 exceeds its target (or meets it and the
    /// request hit B2), else T2's LRU into B2.
    fn replace(&mut self, hit_b2: bool) {
        let t1 = self.len(T1) as f64;
        let from_t1 = t1 >= 1.0 && ((hit_b2 && t1 == self.p) || t1 > self.p);
        if from_t1 && self.demote(T1, Some(B1)) {
            return;
        }
        if !self.demote(T2, Some(B2)) {
            self.demote(T1, Some(B1));
        }
    }
}

impl Policy for Arc {
    #[inline]
    fn warm(&self, key: u32) {
        self.lists.warm(key);
    }

    #[inline]
    fn warm_slot(&self, key: u32) {
        self.lists.warm_slot(key);
    }

    #[inline]
    fn access(&mut self, key: u32, size: u32) -> bool {
        let c = self.capacity;
        let found = self.lists.find(key);
        if let Some((T1 | T2, s)) = found {
            // Case I: a hit moves the key to T2's MRU end.
            self.lists.move_to_front(T2, s);
            return true;
        }
        let units = u64::from(size);
        if units > c {
            return false;
        }
        match found {
            // Case II: a ghost hit in B1 says T1 should be larger.
            Some((B1, s)) => {
                let delta = (self.len(B2) as f64 / self.len(B1) as f64).max(1.0);
                self.p = (self.p + delta * units as f64).min(c as f64);
                self.lists.remove(s);
                self.make_room(units, false);
            }
            // Case III: a ghost hit in B2 says T2 should be larger.
            Some((_, s)) => {
                let delta = (self.len(B1) as f64 / self.len(B2) as f64).max(1.0);
                self.p = (self.p - delta * units as f64).max(0.0);
                self.lists.remove(s);
                self.make_room(units, true);
            }
            // Case IV: a miss everywhere.
            None => {
                if self.len(T1) + self.len(B1) + units > c {
                    // L1 is full: drop B1's oldest ghosts, or (B1 empty) T1's oldest objects.
                    while self.len(T1) + self.len(B1) + units > c && self.demote(B1, None) {}
                    while self.len(T1) + self.len(B1) + units > c && self.demote(T1, None) {}
                } else {
                    let total = |a: &Self| (0..4).map(|l| a.len(l)).sum::<u64>();
                    while total(self) + units > 2 * c && self.demote(B2, None) {}
                }
                self.make_room(units, false);
                self.lists.insert(T1, key, size);
                return false;
            }
        }
        self.lists.insert(T2, key, size);
        false
    }
}

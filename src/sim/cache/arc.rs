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
//! request; O(1) per request in objects mode (four intrusive lists, one key table).

use super::Policy;
use super::list::{List, Placed, Sizes};

/// Which list a key is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum On {
    T1 = 0,
    T2 = 1,
    B1 = 2,
    B2 = 3,
}

impl On {
    const ALL: [On; 4] = [On::T1, On::T2, On::B1, On::B2];
}

/// Adaptive Replacement Cache.
#[derive(Debug, Clone)]
pub struct Arc {
    capacity: u64,
    /// Units (objects or bytes) on each list.
    used: [u64; 4],
    sizes: Sizes,
    /// Target size of T1 (a real number, as in the paper).
    p: f64,
    lists: [List; 4],
    /// Per key: list index + 1 and the slot on that list.
    placed: Placed,
}

impl Arc {
    /// An empty cache of `capacity` units (objects, or bytes).
    pub fn new(capacity: usize) -> Self {
        Arc {
            capacity: capacity as u64,
            used: [0; 4],
            sizes: Sizes::default(),
            p: 0.0,
            lists: std::array::from_fn(|_| List::with_capacity(capacity.min(1 << 24))),
            placed: Placed::default(),
        }
    }

    fn len(&self, l: On) -> u64 {
        self.used[l as usize]
    }

    fn find(&self, key: u32) -> Option<On> {
        match self.placed.get(key).map_or(0, |(l, _)| l) {
            1 => Some(On::T1),
            2 => Some(On::T2),
            3 => Some(On::B1),
            4 => Some(On::B2),
            _ => None,
        }
    }

    /// Puts `key` at the MRU end of `l`.
    fn push(&mut self, l: On, key: u32) {
        let list = &mut self.lists[l as usize];
        let s = list.alloc(key);
        list.push_front(s);
        self.placed.set(key, l as u8 + 1, s);
        self.used[l as usize] += self.sizes.get(key);
    }

    /// Removes `key` from the list it is on.
    fn remove(&mut self, l: On, key: u32) {
        if let Some((_, s)) = self.placed.get(key) {
            let list = &mut self.lists[l as usize];
            list.unlink(s);
            list.release(s);
            self.placed.clear(key);
            self.used[l as usize] -= self.sizes.get(key);
        }
    }

    /// Removes and returns the LRU key of `l`.
    fn pop_lru(&mut self, l: On) -> Option<u32> {
        let list = &self.lists[l as usize];
        if list.len == 0 {
            return None;
        }
        let key = list.key[list.tail as usize];
        self.remove(l, key);
        Some(key)
    }

    /// REPLACE until `size` more fits among the resident objects.
    fn make_room(&mut self, size: u64, hit_b2: bool) {
        while self.len(On::T1) + self.len(On::T2) + size > self.capacity && self.len(On::T1) + self.len(On::T2) > 0 {
            self.replace(hit_b2);
        }
    }

    /// REPLACE(x, p): evict T1's LRU into B1 when T1 exceeds its target (or meets it and the
    /// request hit B2), else T2's LRU into B2.
    fn replace(&mut self, hit_b2: bool) {
        let t1 = self.len(On::T1) as f64;
        if t1 >= 1.0 && ((hit_b2 && t1 == self.p) || t1 > self.p) {
            if let Some(k) = self.pop_lru(On::T1) {
                self.push(On::B1, k);
            }
        } else if let Some(k) = self.pop_lru(On::T2) {
            self.push(On::B2, k);
        } else if let Some(k) = self.pop_lru(On::T1) {
            self.push(On::B1, k);
        }
    }
}

impl Policy for Arc {
    fn access(&mut self, key: u32, size: u32) -> bool {
        let c = self.capacity;
        let found = self.find(key);
        if let Some(l @ (On::T1 | On::T2)) = found {
            // Case I: a hit moves the key to T2's MRU end.
            self.remove(l, key);
            self.push(On::T2, key);
            return true;
        }
        let size = u64::from(size);
        if size > c {
            return false;
        }
        match found {
            // Case II: a ghost hit in B1 says T1 should be larger.
            Some(On::B1) => {
                let delta = (self.len(On::B2) as f64 / self.len(On::B1) as f64).max(1.0);
                self.p = (self.p + delta * size as f64).min(c as f64);
                self.remove(On::B1, key);
                self.make_room(size, false);
            }
            // Case III: a ghost hit in B2 says T2 should be larger.
            Some(On::B2) => {
                let delta = (self.len(On::B1) as f64 / self.len(On::B2) as f64).max(1.0);
                self.p = (self.p - delta * size as f64).max(0.0);
                self.remove(On::B2, key);
                self.make_room(size, true);
            }
            // Case IV: a miss everywhere.
            _ => {
                if self.len(On::T1) + self.len(On::B1) + size > c {
                    // L1 is full: drop B1's oldest ghosts, or (B1 empty) T1's oldest objects.
                    while self.len(On::T1) + self.len(On::B1) + size > c && self.pop_lru(On::B1).is_some() {}
                    while self.len(On::T1) + self.len(On::B1) + size > c && self.pop_lru(On::T1).is_some() {}
                } else {
                    let total = |a: &Self| On::ALL.iter().map(|&l| a.len(l)).sum::<u64>();
                    while total(self) + size > 2 * c && self.pop_lru(On::B2).is_some() {}
                }
                self.make_room(size, false);
                self.sizes.set(key, size as u32);
                self.push(On::T1, key);
                return false;
            }
        }
        self.sizes.set(key, size as u32);
        self.push(On::T2, key);
        false
    }
}

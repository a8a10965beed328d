//! SIEVE (Zhang et al., NSDI 2024) as specified in shared/reference/cache-semantics.md: new
//! objects go to the head with visited = 0; a hit sets visited = 1. The hand starts at the
//! tail (or where it last stopped) and moves toward the head, clearing visited bits and
//! wrapping from head to tail; it evicts the first unvisited object and then rests on that
//! object's neighbour toward the head.
//!
//! Architecture Invariant: objects never move on a hit; eviction is amortised O(1).

use super::Policy;
use super::list::{List, NIL, Sizes};

/// SIEVE.
#[derive(Debug, Clone)]
pub struct Sieve {
    capacity: u64,
    used: u64,
    sizes: Sizes,
    list: List,
    visited: Vec<bool>,
    hand: u32,
}

impl Sieve {
    /// An empty cache of `capacity` units (objects, or bytes).
    pub fn new(capacity: usize) -> Self {
        Sieve {
            capacity: capacity as u64,
            used: 0,
            sizes: Sizes::default(),
            list: List::with_capacity(capacity.min(1 << 24)),
            visited: Vec::new(),
            hand: NIL,
        }
    }

    fn evict(&mut self) {
        let mut s = if self.hand == NIL { self.list.tail } else { self.hand };
        while self.visited[s as usize] {
            self.visited[s as usize] = false;
            let p = self.list.prev_of(s);
            s = if p == NIL { self.list.tail } else { p };
        }
        self.hand = self.list.prev_of(s);
        let key = self.list.remove(s);
        self.used -= self.sizes.get(key);
    }
}

impl Policy for Sieve {
    #[inline]
    fn access(&mut self, key: u32, size: u32) -> bool {
        if let Some(s) = self.list.find(key) {
            self.visited[s as usize] = true;
            return true;
        }
        let size = u64::from(size);
        if size > self.capacity {
            return false;
        }
        while self.used + size > self.capacity && self.list.len > 0 {
            self.evict();
        }
        self.sizes.set(key, size as u32);
        self.used += size;
        let s = self.list.insert_front(key);
        if s as usize >= self.visited.len() {
            self.visited.resize(s as usize + 1, false);
        }
        self.visited[s as usize] = false;
        false
    }

    #[inline]
    fn warm(&self, key: u32) {
        self.list.warm(key);
    }

    #[inline]
    fn warm_slot(&self, key: u32) {
        self.list.warm_slot(key);
    }
}

//! SIEVE (Zhang et al., NSDI 2024) as specified in shared/reference/cache-semantics.md: new
//! objects go to the head with visited = 0; a hit sets visited = 1. The hand starts at the
//! tail (or where it last stopped) and moves toward the head, clearing visited bits and
//! wrapping from head to tail; it evicts the first unvisited object and then rests on that
//! object's neighbour toward the head.
//!
//! Architecture Invariant: objects never move on a hit; eviction is amortised O(1).

use super::Policy;
use super::list::{List, NIL, Table};

/// SIEVE.
#[derive(Debug, Clone)]
pub struct Sieve {
    capacity: usize,
    list: List,
    table: Table,
    visited: Vec<bool>,
    hand: u32,
}

impl Sieve {
    /// An empty cache of `capacity` objects.
    pub fn new(capacity: usize) -> Self {
        Sieve { capacity, list: List::with_capacity(capacity), table: Table::default(), visited: Vec::new(), hand: NIL }
    }

    fn evict(&mut self) {
        let mut s = if self.hand == NIL { self.list.tail } else { self.hand };
        while self.visited[s as usize] {
            self.visited[s as usize] = false;
            let p = self.list.prev_of(s);
            s = if p == NIL { self.list.tail } else { p };
        }
        let p = self.list.prev_of(s);
        self.hand = p;
        self.list.unlink(s);
        self.table.clear(self.list.key[s as usize]);
        self.list.release(s);
    }
}

impl Policy for Sieve {
    fn access(&mut self, key: u32) -> bool {
        if let Some(s) = self.table.get(key) {
            self.visited[s as usize] = true;
            return true;
        }
        if self.capacity == 0 {
            return false;
        }
        if self.list.len >= self.capacity {
            self.evict();
        }
        let s = self.list.alloc(key);
        if s as usize >= self.visited.len() {
            self.visited.resize(s as usize + 1, false);
        }
        self.visited[s as usize] = false;
        self.list.push_front(s);
        self.table.set(key, s);
        false
    }
}

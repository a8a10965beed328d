//! FIFO and CLOCK. FIFO: a hit changes nothing; a miss evicts the oldest inserted objects until
//! the new one fits.
//! CLOCK (one reference bit, FIFO-reinsertion form): a new object has ref = 0, a hit sets it;
//! to evict, look at the oldest object: with ref = 1 clear it and move it to the newest end,
//! else evict it (shared/reference/cache-semantics.md).
//!
//! Architecture Invariant: O(1) amortised per request; a ring buffer, no per-object allocation.

use super::Policy;
use super::list::Sizes;
use std::collections::VecDeque;

/// First in, first out; with `second_chance`, CLOCK.
#[derive(Debug, Clone)]
pub struct Fifo {
    capacity: u64,
    used: u64,
    sizes: Sizes,
    queue: VecDeque<u32>,
    /// Per key: 0 absent, 1 present, 2 present with the reference bit set.
    state: Vec<u8>,
    second_chance: bool,
}

impl Fifo {
    /// A FIFO cache of `capacity` units (objects, or bytes).
    pub fn first_in_first_out(capacity: usize) -> Self {
        Fifo {
            capacity: capacity as u64,
            used: 0,
            sizes: Sizes::default(),
            queue: VecDeque::with_capacity(capacity.min(1 << 24)),
            state: Vec::new(),
            second_chance: false,
        }
    }

    /// A CLOCK cache of `capacity` units (objects, or bytes).
    pub fn clock(capacity: usize) -> Self {
        Fifo { second_chance: true, ..Fifo::first_in_first_out(capacity) }
    }

    fn state(&mut self, key: u32) -> &mut u8 {
        let k = key as usize;
        if k >= self.state.len() {
            self.state.resize((k + 1).max(self.state.len() * 2), 0);
        }
        &mut self.state[k]
    }
}

impl Policy for Fifo {
    fn access(&mut self, key: u32, size: u32) -> bool {
        let second_chance = self.second_chance;
        let s = self.state(key);
        if *s != 0 {
            if second_chance {
                *s = 2;
            }
            return true;
        }
        let size = u64::from(size);
        if size > self.capacity {
            return false;
        }
        while self.used + size > self.capacity {
            let Some(oldest) = self.queue.pop_front() else { break };
            let st = self.state(oldest);
            if *st == 2 {
                *st = 1;
                self.queue.push_back(oldest);
            } else {
                *st = 0;
                self.used -= self.sizes.get(oldest);
            }
        }
        *self.state(key) = 1;
        self.sizes.set(key, size as u32);
        self.used += size;
        self.queue.push_back(key);
        false
    }
}

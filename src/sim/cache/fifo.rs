//! FIFO and CLOCK. FIFO: a hit changes nothing; a miss evicts the oldest inserted objects until
//! the new one fits.
//! CLOCK (one reference bit, FIFO-reinsertion form): a new object has ref = 0, a hit sets it;
//! to evict, look at the oldest object: with ref = 1 clear it and move it to the newest end,
//! else evict it (shared/reference/cache-semantics.md).
//!
//! Counting objects, both are a [`Ring`] of C slots with a hand at the oldest: a FIFO eviction
//! overwrites the hand's slot, and CLOCK's "clear the bit and move it to the newest end" is
//! the hand stepping past the slot (in a full ring the slot behind the hand is the newest),
//! so no request touches any key's memory but its own.
//!
//! Architecture Invariant: O(1) amortised per request; a ring buffer, no per-object allocation.

use super::Policy;
use super::list::{NIL, Sizes};
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
    #[inline]
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

    #[inline]
    fn warm(&self, key: u32) {
        super::prefetch(&self.state, key as usize);
    }
}

/// FIFO or CLOCK counting objects (every size 1): C slots in a ring, the hand at the oldest.
/// Each key remembers the slot it was last put in, believed only while that slot still holds
/// the key, so an eviction never touches the evicted key.
#[derive(Debug, Clone)]
pub struct Ring {
    capacity: usize,
    /// Slot → its key.
    keys: Vec<u32>,
    /// Slot → its reference bit (CLOCK).
    referenced: Vec<bool>,
    /// Dense key → the slot it was last put in (`NIL` if never).
    slot_of: Vec<u32>,
    hand: usize,
    second_chance: bool,
}

impl Ring {
    /// A FIFO cache of `capacity` objects.
    pub fn first_in_first_out(capacity: usize) -> Self {
        Ring {
            capacity,
            keys: Vec::with_capacity(capacity.min(1 << 24)),
            referenced: Vec::with_capacity(capacity.min(1 << 24)),
            slot_of: Vec::new(),
            hand: 0,
            second_chance: false,
        }
    }

    /// A CLOCK cache of `capacity` objects.
    pub fn clock(capacity: usize) -> Self {
        Ring { second_chance: true, ..Ring::first_in_first_out(capacity) }
    }
}

impl Policy for Ring {
    /// Every request counts one object, whatever `size` says.
    #[inline]
    fn access(&mut self, key: u32, _size: u32) -> bool {
        let k = key as usize;
        if let Some(&s) = self.slot_of.get(k)
            && self.keys.get(s as usize) == Some(&key)
        {
            if self.second_chance {
                self.referenced[s as usize] = true;
            }
            return true;
        }
        if self.capacity == 0 {
            return false;
        }
        let s = if self.keys.len() < self.capacity {
            self.keys.push(key);
            self.referenced.push(false);
            self.keys.len() - 1
        } else {
            let mut h = self.hand;
            while self.referenced[h] {
                self.referenced[h] = false;
                h = if h + 1 == self.capacity { 0 } else { h + 1 };
            }
            self.keys[h] = key;
            self.hand = if h + 1 == self.capacity { 0 } else { h + 1 };
            h
        };
        if k >= self.slot_of.len() {
            self.slot_of.resize((k + 1).max(self.slot_of.len() * 2), NIL);
        }
        self.slot_of[k] = s as u32;
        false
    }

    #[inline]
    fn warm(&self, key: u32) {
        super::prefetch(&self.slot_of, key as usize);
    }
}

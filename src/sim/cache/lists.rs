//! Several intrusive doubly linked lists over one slot arena, with a dense key → slot table:
//! the building block of policies that move objects between lists (ARC's T1/T2/B1/B2,
//! W-TinyLFU's window/probation/protected). A move between lists relinks a slot; nothing is
//! allocated or freed on a hit.
//!
//! Architecture Invariant: a key has at most one slot, on exactly one list; `used[l]` is the
//! sum of the sizes of list l's slots.

use super::list::{NIL, Table};

/// `N` lists sharing one arena; front is "most recent".
#[derive(Debug, Clone)]
pub(super) struct Lists<const N: usize> {
    prev: Vec<u32>,
    next: Vec<u32>,
    key: Vec<u32>,
    size: Vec<u32>,
    on: Vec<u8>,
    free: Vec<u32>,
    head: [u32; N],
    tail: [u32; N],
    /// Units (objects or bytes) on each list.
    used: [u64; N],
    table: Table,
}

impl<const N: usize> Lists<N> {
    pub(super) fn with_capacity(c: usize) -> Self {
        Lists {
            prev: Vec::with_capacity(c),
            next: Vec::with_capacity(c),
            key: Vec::with_capacity(c),
            size: Vec::with_capacity(c),
            on: Vec::with_capacity(c),
            free: Vec::new(),
            head: [NIL; N],
            tail: [NIL; N],
            used: [0; N],
            table: Table::default(),
        }
    }

    /// The list and slot of `key`, if it is on one.
    pub(super) fn find(&self, key: u32) -> Option<(usize, u32)> {
        self.table.get(key).map(|s| (usize::from(self.on[s as usize]), s))
    }

    /// Units on list `l`.
    pub(super) fn used(&self, l: usize) -> u64 {
        self.used[l]
    }

    /// The size of the object in slot `s`.
    pub(super) fn size_of(&self, s: u32) -> u64 {
        u64::from(self.size[s as usize])
    }

    /// The key in slot `s`.
    pub(super) fn key_of(&self, s: u32) -> u32 {
        self.key[s as usize]
    }

    /// The least recent slot of list `l`.
    pub(super) fn lru(&self, l: usize) -> Option<u32> {
        (self.tail[l] != NIL).then_some(self.tail[l])
    }

    /// Adds `key` of `size` at the front of list `l`.
    pub(super) fn insert(&mut self, l: usize, key: u32, size: u32) {
        let s = match self.free.pop() {
            Some(s) => {
                let i = s as usize;
                self.key[i] = key;
                self.size[i] = size;
                s
            }
            None => {
                self.prev.push(NIL);
                self.next.push(NIL);
                self.key.push(key);
                self.size.push(size);
                self.on.push(0);
                (self.key.len() - 1) as u32
            }
        };
        self.link(l, s);
        self.table.set(key, s);
    }

    /// Moves slot `s` to the front of list `l` (from wherever it is).
    pub(super) fn move_to_front(&mut self, l: usize, s: u32) {
        self.unlink(s);
        self.link(l, s);
    }

    /// Removes slot `s` and its key.
    pub(super) fn remove(&mut self, s: u32) {
        self.unlink(s);
        self.table.clear(self.key[s as usize]);
        self.free.push(s);
    }

    fn link(&mut self, l: usize, s: u32) {
        let i = s as usize;
        self.on[i] = l as u8;
        self.prev[i] = NIL;
        self.next[i] = self.head[l];
        if self.head[l] != NIL {
            self.prev[self.head[l] as usize] = s;
        } else {
            self.tail[l] = s;
        }
        self.head[l] = s;
        self.used[l] += u64::from(self.size[i]);
    }

    fn unlink(&mut self, s: u32) {
        let i = s as usize;
        let l = usize::from(self.on[i]);
        let (p, n) = (self.prev[i], self.next[i]);
        if p != NIL {
            self.next[p as usize] = n;
        } else {
            self.head[l] = n;
        }
        if n != NIL {
            self.prev[n as usize] = p;
        } else {
            self.tail[l] = p;
        }
        self.used[l] -= u64::from(self.size[i]);
    }
}

//! Shard placement: mod-N hashing, key ranges, consistent hashing with virtual nodes,
//! rendezvous hashing and jump consistent hash; and what a placement does to a key space —
//! keys and load per node under the workload's skew, max/mean imbalance, the hottest node and
//! its share, and the fraction of keys that move when a node is added or removed (against
//! the ideal 1/(N+1) and 1/N).
//!
//! Architecture Invariant: keys are ids 1..=K whose popularity rank is their id; placement
//! hashes them with a fixed mixer, so results are deterministic and seed-free.

use crate::math::popularity::Popularity;

/// A 64-bit mixer (the SplitMix64 finalizer): spreads ids over the hash space.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Jump consistent hash, exactly the reference C++ code of Lamping & Veach, "A Fast, Minimal
/// Memory, Consistent Hash Algorithm" (2014).
pub fn jump(mut key: u64, buckets: u32) -> u32 {
    let (mut b, mut j): (i64, i64) = (-1, 0);
    while j < i64::from(buckets) {
        b = j;
        key = key.wrapping_mul(2_862_933_555_777_941_757).wrapping_add(1);
        j = ((b + 1) as f64 * ((1i64 << 31) as f64 / ((key >> 33) + 1) as f64)) as i64;
    }
    b as u32
}

/// Salts ring-point labels so they never hash like key ids: unsalted, node 0's points
/// `mix64(v)` equalled the hashes of keys 1..vnodes — the hottest keys — and put 27% of a
/// Zipf(0.9) load on node 0.
const RING_SALT: u64 = 0xA076_1D64_78BD_642F;

/// The most points a consistent-hashing ring may hold (nodes × vnodes): 4,194,304 points,
/// 64 MiB per ring. Larger rings are refused ([`check_budget`]) or, in a design's shard plan,
/// simulated with fewer vnodes.
pub const RING_POINTS: u64 = 1 << 22;

/// The most (key, node) scores rendezvous placement may compute: it scores every node for
/// every key, so keys × nodes is its cost (2^28, about a second on one core).
pub const RENDEZVOUS_SCORES: u64 = 1 << 28;

/// The most keys placed one by one: every key is hashed and placed, up to three times
/// (the placement, one node more, one fewer).
pub const PLACED_KEY_BUDGET: u64 = 100_000_000;

/// Whether a placement fits the budgets above; the error names the limit that is exceeded.
pub fn check_budget(strategy: Strategy, nodes: u32, keys: u64) -> Result<(), String> {
    if keys > PLACED_KEY_BUDGET {
        return Err(format!("{keys} keys exceed the budget of {PLACED_KEY_BUDGET} keys placed one by one"));
    }
    match strategy {
        Strategy::Consistent { vnodes } if (u64::from(nodes) + 1) * u64::from(vnodes) > RING_POINTS => Err(format!(
            "a ring of {} nodes × {vnodes} vnodes (with one node added to measure movement) exceeds the budget of {RING_POINTS} ring points",
            u64::from(nodes) + 1
        )),
        Strategy::Rendezvous if keys.saturating_mul(u64::from(nodes) + 1) > RENDEZVOUS_SCORES => Err(format!(
            "rendezvous scores every node for every key: {keys} keys × {} nodes exceeds the budget of {RENDEZVOUS_SCORES} scores",
            u64::from(nodes) + 1
        )),
        _ => Ok(()),
    }
}

/// How keys map to nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// hash(key) mod N.
    ModN,
    /// Contiguous key ranges of equal width.
    Range,
    /// A hash ring with `vnodes` points per node.
    Consistent {
        /// Virtual nodes per node.
        vnodes: u32,
    },
    /// Highest hash(key, node).
    Rendezvous,
    /// Jump consistent hash.
    Jump,
}

impl Strategy {
    /// The name as printed.
    pub fn name(self) -> String {
        match self {
            Strategy::ModN => "hash mod N".into(),
            Strategy::Range => "range".into(),
            Strategy::Consistent { vnodes } => format!("consistent ({vnodes} vnodes)"),
            Strategy::Rendezvous => "rendezvous".into(),
            Strategy::Jump => "jump".into(),
        }
    }
}

/// A placement of `keys` keys on `nodes` nodes.
#[derive(Debug, Clone)]
pub struct Placer {
    strategy: Strategy,
    nodes: u32,
    keys: u64,
    ring: Vec<(u64, u32)>,
    /// For each of 2^bits equal slices of the hash space, the first ring index at or after
    /// the slice's start: a lookup jumps there and scans a point or two.
    index: Vec<u32>,
    bits: u32,
    /// For rendezvous: each node's seed `mix64(n + 1)`, computed once instead of per key.
    seeds: Vec<u64>,
}

impl Placer {
    /// Builds a placement (the ring, for consistent hashing).
    pub fn new(strategy: Strategy, nodes: u32, keys: u64) -> Self {
        let ring = match strategy {
            Strategy::Consistent { vnodes } => ring(nodes, vnodes),
            _ => Vec::new(),
        };
        let bits = (ring.len().max(1).next_power_of_two().trailing_zeros() + 1).min(22);
        let mut index = Vec::new();
        if !ring.is_empty() {
            index = Vec::with_capacity(1 << bits);
            let mut i = 0usize;
            for slice in 0..(1u64 << bits) {
                let start = slice << (64 - bits);
                while i < ring.len() && ring[i].0 < start {
                    i += 1;
                }
                index.push(i as u32);
            }
        }
        let seeds = match strategy {
            Strategy::Rendezvous => (0..nodes.max(1)).map(|n| mix64(u64::from(n) + 1)).collect(),
            _ => Vec::new(),
        };
        Placer { strategy, nodes: nodes.max(1), keys: keys.max(1), ring, index, bits, seeds }
    }

    /// Rendezvous: the node with the highest score `mix64(mix64(key) ^ mix64(n + 1))` (the
    /// last of equal scores), and that score.
    fn rendezvous(&self, key: u64) -> (u32, u64) {
        let h = mix64(key);
        let mut best = (0u32, 0u64);
        for (n, &seed) in self.seeds.iter().enumerate() {
            let score = mix64(h ^ seed);
            if n == 0 || score >= best.1 {
                best = (n as u32, score);
            }
        }
        best
    }

    /// The node of a key (1-based id).
    pub fn node(&self, key: u64) -> u32 {
        match self.strategy {
            Strategy::ModN => (mix64(key) % u64::from(self.nodes)) as u32,
            Strategy::Range => {
                ((u128::from(key.saturating_sub(1)) * u128::from(self.nodes)) / u128::from(self.keys)) as u32
            }
            Strategy::Consistent { .. } => {
                let h = mix64(key);
                let mut i = self.index.get((h >> (64 - self.bits)) as usize).map_or(0, |&i| i as usize);
                while i < self.ring.len() && self.ring[i].0 < h {
                    i += 1;
                }
                self.ring.get(i).or(self.ring.first()).map_or(0, |&(_, n)| n)
            }
            Strategy::Rendezvous => self.rendezvous(key).0,
            Strategy::Jump => jump(mix64(key), self.nodes),
        }
    }
}

/// The hash ring of consistent hashing: `vnodes` points per node, sorted by position.
fn ring(nodes: u32, vnodes: u32) -> Vec<(u64, u32)> {
    let mut ring = Vec::with_capacity(nodes as usize * vnodes as usize);
    for n in 0..nodes {
        for v in 0..vnodes {
            ring.push((mix64(((u64::from(n) << 32) | u64::from(v)) ^ RING_SALT), n));
        }
    }
    ring.sort_unstable();
    ring
}

/// Keys 1..=K with their loads, sorted by hash. Consistent hashing then places every key by
/// one merge of two sorted lists — a key belongs to the first ring point at or after its hash
/// — reading memory in order instead of looking up each key: built once, it serves every ring
/// a search over vnode and shard counts tries.
#[derive(Debug, Clone)]
pub struct HashOrder {
    hashes: Vec<u64>,
    weights: Vec<f64>,
}

impl HashOrder {
    /// Keys 1..=`keys`, key k carrying load `weight(k)`.
    pub fn new(keys: u64, weight: &dyn Fn(u64) -> f64) -> Self {
        let mut pairs: Vec<(u64, f64)> = (1..=keys).map(|k| (mix64(k), weight(k))).collect();
        pairs.sort_unstable_by_key(|&(h, _)| h);
        let (hashes, weights) = pairs.into_iter().unzip();
        HashOrder { hashes, weights }
    }

    /// Each key's node on `ring` (sorted, non-empty), in hash order.
    fn owners<'a>(&'a self, ring: &'a [(u64, u32)]) -> impl Iterator<Item = u32> + 'a {
        let mut i = 0;
        self.hashes.iter().map(move |&h| {
            while i < ring.len() && ring[i].0 < h {
                i += 1;
            }
            ring.get(i).or(ring.first()).map_or(0, |&(_, n)| n)
        })
    }
}

/// [`simulate_weighted`] for consistent hashing with `vnodes` per node, on keys already in
/// hash order: the same placement, by merging. Loads are summed in hash order rather than key
/// order, so they may differ from [`simulate_weighted`]'s in the last bits.
pub fn simulate_consistent(vnodes: u32, nodes: u32, order: &HashOrder, tail: f64, movement: bool) -> ShardOutcome {
    let nodes = nodes.max(1);
    let base = ring(nodes, vnodes);
    let mut keys_per_node = vec![0u64; nodes as usize];
    let mut load = vec![0.0f64; nodes as usize];
    for (n, &w) in order.owners(&base).zip(&order.weights) {
        keys_per_node[n as usize] += 1;
        load[n as usize] += w;
    }
    let (mut moved_add, mut moved_remove) = (0, 0);
    if movement {
        // Monotone: removing the last node moves exactly its keys.
        let grown = ring(nodes + 1, vnodes);
        moved_add = order.owners(&base).zip(order.owners(&grown)).filter(|(a, b)| a != b).count() as u64;
        moved_remove = keys_per_node.last().copied().unwrap_or(0);
    }
    let strategy = Strategy::Consistent { vnodes };
    let shares = hash_shares(strategy, &base, &keys_per_node);
    outcome(strategy, order.hashes.len() as u64, keys_per_node, load, (tail, &shares), (moved_add, moved_remove))
}

/// What a placement does.
#[derive(Debug, Clone, PartialEq)]
pub struct ShardOutcome {
    /// The strategy.
    pub strategy: Strategy,
    /// Nodes.
    pub nodes: u32,
    /// Keys.
    pub keys: u64,
    /// Keys on each node.
    pub keys_per_node: Vec<u64>,
    /// Share of requests reaching each node (sums to 1).
    pub load_per_node: Vec<f64>,
    /// max ÷ mean keys per node.
    pub key_imbalance: f64,
    /// max ÷ mean load per node.
    pub load_imbalance: f64,
    /// The node with the most load.
    pub hottest_node: u32,
    /// Its share of all requests.
    pub hottest_share: f64,
    /// Fraction of keys that move when node N+1 is added (ideal 1/(N+1)).
    pub moved_on_add: f64,
    /// Fraction of keys that move when the last node is removed (ideal 1/N).
    pub moved_on_remove: f64,
}

impl ShardOutcome {
    /// The least movement possible when a node is added: 1/(N+1) of the keys.
    pub fn ideal_moved_on_add(&self) -> f64 {
        1.0 / f64::from(self.nodes + 1)
    }

    /// The least movement possible when a node is removed: 1/N of the keys.
    pub fn ideal_moved_on_remove(&self) -> f64 {
        1.0 / f64::from(self.nodes.max(1))
    }
}

/// Keys placed by one worker at a time. Fixed, whatever the thread count: workers only place
/// keys (node ids and moved flags, integers); the loads are then summed on one thread in key
/// order, so every float sum is the same sequence of additions on 1 core or 64.
const PLACE_CHUNK: u64 = 1 << 15;

/// One chunk's placements: (node, weight) per key in key order, and its movement counts.
struct Placed {
    keys: Vec<(u32, f64)>,
    moved_add: u64,
    moved_remove: u64,
}

/// Places every key and measures balance and movement, on all cores: key k carries the
/// [`Popularity::weight`] of rank k.
pub fn simulate(strategy: Strategy, nodes: u32, keys: u64, popularity: Popularity) -> ShardOutcome {
    let n = keys as f64;
    let weight = |k: u64| popularity.weight(k, n);
    simulate_weighted(strategy, nodes, keys, &weight, 0.0, true)
}

/// Places keys 1..=`keys` (key k carrying load `weight(k)`), plus a `tail` of load from the
/// many light keys beyond those placed one by one, shared by each node's exact share of the
/// hash space, and measures balance on all cores; with
/// `movement`, also the keys moved when a node is added or removed (else those fields are 0:
/// searches over vnode and node counts skip that work).
pub fn simulate_weighted(
    strategy: Strategy,
    nodes: u32,
    keys: u64,
    weight: &(dyn Fn(u64) -> f64 + Sync),
    tail: f64,
    movement: bool,
) -> ShardOutcome {
    let nodes = nodes.max(1);
    let base = Placer::new(strategy, nodes, keys);
    let grown = (movement && strategy != Strategy::Rendezvous).then(|| Placer::new(strategy, nodes + 1, keys));
    // Consistent hashing, rendezvous and jump are monotone: removing the last node moves
    // exactly the keys it held, so only mod-N and range need the smaller placement.
    let monotone = matches!(strategy, Strategy::Consistent { .. } | Strategy::Rendezvous | Strategy::Jump);
    let shrunk = (movement && nodes > 1 && !monotone).then(|| Placer::new(strategy, nodes - 1, keys));
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    // Rendezvous with one node more: a key moves exactly when the new node's score is at
    // least its best (the new node is last, and the last of equal scores wins), so one score
    // per key replaces a second placement over every node.
    let added_seed = mix64(u64::from(nodes) + 1);
    let place = |lo: u64, hi: u64| {
        let mut p = Placed { keys: Vec::with_capacity((hi + 1 - lo) as usize), moved_add: 0, moved_remove: 0 };
        for k in lo..=hi {
            if strategy == Strategy::Rendezvous {
                let (n, best) = base.rendezvous(k);
                p.keys.push((n, weight(k)));
                if movement && mix64(mix64(k) ^ added_seed) >= best {
                    p.moved_add += 1;
                }
                continue;
            }
            let n = base.node(k);
            p.keys.push((n, weight(k)));
            if let Some(g) = &grown
                && g.node(k) != n
            {
                p.moved_add += 1;
            }
            if let Some(sh) = &shrunk
                && sh.node(k) != n
            {
                p.moved_remove += 1;
            }
        }
        p
    };
    let mut keys_per_node = vec![0u64; nodes as usize];
    let mut load = vec![0.0f64; nodes as usize];
    let (mut moved_add, mut moved_remove) = (0u64, 0u64);
    let chunks = keys.div_ceil(PLACE_CHUNK);
    let mut next = 0u64;
    while next < chunks {
        // A wave of one chunk per worker, folded in chunk order.
        let wave = workers.min(chunks - next);
        let placed: Vec<Placed> = if wave == 1 {
            vec![place(next * PLACE_CHUNK + 1, ((next + 1) * PLACE_CHUNK).min(keys))]
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = (next..next + wave)
                    .map(|c| {
                        let place = &place;
                        s.spawn(move || place(c * PLACE_CHUNK + 1, ((c + 1) * PLACE_CHUNK).min(keys)))
                    })
                    .collect();
                handles.into_iter().filter_map(|h| h.join().ok()).collect()
            })
        };
        for p in placed {
            for (n, w) in p.keys {
                keys_per_node[n as usize] += 1;
                load[n as usize] += w;
            }
            moved_add += p.moved_add;
            moved_remove += p.moved_remove;
        }
        next += wave;
    }
    if movement && monotone {
        moved_remove = keys_per_node.last().copied().unwrap_or(0);
    }
    let shares = hash_shares(strategy, &base.ring, &keys_per_node);
    outcome(strategy, keys, keys_per_node, load, (tail, &shares), (moved_add, moved_remove))
}

/// Each node's share of the keys beyond those placed: for consistent hashing the arcs of the
/// ring it owns (a key belongs to the first point at or after its hash, so a point owns the
/// arc back to the point before it); for mod-N, rendezvous and jump 1/N each (uniform hashing
/// spreads billions of keys evenly); for ranges, its share of the placed keys.
fn hash_shares(strategy: Strategy, ring: &[(u64, u32)], keys_per_node: &[u64]) -> Vec<f64> {
    let nodes = keys_per_node.len().max(1);
    match strategy {
        Strategy::Consistent { .. } if ring.len() > 1 => {
            let mut share = vec![0.0; nodes];
            let mut previous = ring[ring.len() - 1].0;
            for &(point, node) in ring {
                share[node as usize] += point.wrapping_sub(previous) as f64 / TWO_64;
                previous = point;
            }
            share
        }
        Strategy::Range => {
            let placed = keys_per_node.iter().sum::<u64>().max(1) as f64;
            keys_per_node.iter().map(|&k| k as f64 / placed).collect()
        }
        _ => vec![1.0 / nodes as f64; nodes],
    }
}

/// 2⁶⁴, the size of the hash space.
const TWO_64: f64 = 18_446_744_073_709_551_616.0;

/// Balance and movement from keys and load per node, the `tail` of load spread by `shares`.
fn outcome(
    strategy: Strategy,
    keys: u64,
    keys_per_node: Vec<u64>,
    mut load: Vec<f64>,
    (tail, shares): (f64, &[f64]),
    (moved_add, moved_remove): (u64, u64),
) -> ShardOutcome {
    let nodes = keys_per_node.len().max(1) as u32;
    for (l, &share) in load.iter_mut().zip(shares) {
        *l += tail.max(0.0) * share;
    }
    let total: f64 = load.iter().sum();
    load.iter_mut().for_each(|l| *l /= total.max(f64::MIN_POSITIVE));
    let mean_keys = keys as f64 / f64::from(nodes);
    let key_imbalance = keys_per_node.iter().copied().max().unwrap_or(0) as f64 / mean_keys;
    let (hottest_node, hottest_share) =
        load.iter().enumerate().fold((0u32, 0.0f64), |best, (n, &l)| if l > best.1 { (n as u32, l) } else { best });
    ShardOutcome {
        strategy,
        nodes,
        keys,
        key_imbalance,
        load_imbalance: hottest_share * f64::from(nodes),
        hottest_node,
        hottest_share,
        moved_on_add: moved_add as f64 / keys as f64,
        moved_on_remove: if nodes > 1 { moved_remove as f64 / keys as f64 } else { 1.0 },
        keys_per_node,
        load_per_node: load,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ring_index_finds_the_same_node_as_a_binary_search() {
        let p = Placer::new(Strategy::Consistent { vnodes: 16 }, 37, 100_000);
        for k in 1..100_000u64 {
            let h = mix64(k);
            let i = p.ring.partition_point(|&(x, _)| x < h);
            let expected = p.ring.get(i).or(p.ring.first()).map(|&(_, n)| n).unwrap();
            assert_eq!(p.node(k), expected, "key {k}");
        }
    }

    #[test]
    fn merging_keys_in_hash_order_places_them_as_lookups_do() {
        let weight = |k: u64| (k as f64).powf(-0.9);
        let order = HashOrder::new(30_000, &weight);
        for (vnodes, nodes) in [(1, 7), (16, 37), (256, 12), (3, 1)] {
            let merged = simulate_consistent(vnodes, nodes, &order, 0.25, true);
            let looked_up = simulate_weighted(Strategy::Consistent { vnodes }, nodes, 30_000, &weight, 0.25, true);
            assert_eq!(merged.keys_per_node, looked_up.keys_per_node, "{vnodes} × {nodes}");
            assert_eq!(
                (merged.moved_on_add, merged.moved_on_remove),
                (looked_up.moved_on_add, looked_up.moved_on_remove)
            );
            for (a, b) in merged.load_per_node.iter().zip(&looked_up.load_per_node) {
                assert!((a - b).abs() <= 1e-12 * b.abs().max(1e-300), "{vnodes} × {nodes}: {a} vs {b}");
            }
        }
    }

    #[test]
    fn the_tail_follows_each_nodes_exact_share_of_the_hash_space() {
        // All load in the tail: mod-N, jump and rendezvous are perfectly even; a ring's loads
        // are its arcs, which cover the hash space once.
        let none = |_k: u64| 0.0;
        for s in [Strategy::ModN, Strategy::Jump, Strategy::Rendezvous] {
            let o = simulate_weighted(s, 13, 1_000, &none, 1.0, false);
            assert!((o.load_imbalance - 1.0).abs() < 1e-12, "{}: {}", s.name(), o.load_imbalance);
        }
        let o = simulate_weighted(Strategy::Consistent { vnodes: 4 }, 13, 1_000, &none, 1.0, false);
        assert!((o.load_per_node.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(o.load_imbalance > 1.2, "4 vnodes are uneven: {}", o.load_imbalance);
    }

    #[test]
    fn placing_more_keys_one_by_one_no_longer_moves_the_hottest_shard() {
        // Zipf(0.9) over 1B keys: the hottest shard's share from the 100K most popular keys
        // placed one by one (the rest by hash-space share) is within 1% of the share from 400K.
        let norm = crate::math::popularity::zipf_norm(0.9, 1e9);
        let weight = |k: u64| (k as f64).powf(-0.9) / norm;
        for s in [Strategy::Consistent { vnodes: 128 }, Strategy::ModN, Strategy::Jump] {
            let share = |placed: u64| {
                let head: f64 = (1..=placed).map(weight).sum();
                simulate_weighted(s, 40, placed, &weight, 1.0 - head, false).hottest_share
            };
            let (fewer, more) = (share(100_000), share(400_000));
            assert!((fewer / more - 1.0).abs() < 0.01, "{}: {fewer} vs {more}", s.name());
        }
    }

    /// The shortcut for monotone strategies (removing the last node moves exactly its keys)
    /// equals counting with an explicit smaller placement.
    #[test]
    fn removal_movement_of_monotone_strategies_equals_a_direct_count() {
        for s in [Strategy::Consistent { vnodes: 32 }, Strategy::Rendezvous, Strategy::Jump] {
            let (nodes, keys) = (23u32, 40_000u64);
            let (base, shrunk) = (Placer::new(s, nodes, keys), Placer::new(s, nodes - 1, keys));
            let direct = (1..=keys).filter(|&k| base.node(k) != shrunk.node(k)).count() as f64 / keys as f64;
            let o = simulate(s, nodes, keys, Popularity::Zipf { alpha: 0.9 });
            assert_eq!(o.moved_on_remove, direct, "{}", s.name());
        }
    }

    /// Precomputed seeds and the one-score movement shortcut place and move keys exactly as
    /// the definition does: the highest `mix64(mix64(k) ^ mix64(n + 1))`, the last of ties.
    #[test]
    fn rendezvous_places_and_moves_keys_as_its_definition_does() {
        let by_definition =
            |k: u64, nodes: u32| (0..nodes).max_by_key(|&n| mix64(mix64(k) ^ mix64(u64::from(n) + 1))).unwrap_or(0);
        for nodes in [1u32, 2, 7, 64] {
            let p = Placer::new(Strategy::Rendezvous, nodes, 20_000);
            let mut moved = 0u64;
            for k in 1..=20_000u64 {
                assert_eq!(p.node(k), by_definition(k, nodes), "key {k} on {nodes} nodes");
                moved += u64::from(by_definition(k, nodes) != by_definition(k, nodes + 1));
            }
            let o = simulate(Strategy::Rendezvous, nodes, 20_000, Popularity::Zipf { alpha: 0.9 });
            assert_eq!(o.moved_on_add, moved as f64 / 20_000.0, "{nodes} nodes");
        }
    }

    #[test]
    fn jump_matches_the_reference_implementations_outputs() {
        // Outputs of the paper's C++ code for buckets 1, 2, 3, … as published with
        // dgryski/go-jump (jump_test.go, "Generated from the reference C++ code").
        let cases: &[(u64, &[u32])] = &[
            (0, &[0; 20]),
            (1, &[0, 0, 0, 0, 0, 0, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 17, 17]),
            (0xdead_beef, &[0, 1, 2, 3, 3, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 16, 16, 16]),
            (0x0ddc_0ffe_ebad_f00d, &[0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 15, 15, 15, 15]),
        ];
        for (key, expected) in cases {
            for (i, &want) in expected.iter().enumerate() {
                assert_eq!(jump(*key, i as u32 + 1), want, "jump({key:#x}, {})", i + 1);
            }
        }
    }
}

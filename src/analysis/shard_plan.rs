//! The design's shard plan, simulated: each database tier's keys placed on its shards by its
//! own `sharding` strategy, with load weighted by key popularity, and a recommendation of the
//! vnode count and shard count that keep the hottest shard within the tier's `imbalance`
//! target and its per-node capacity. A bridge between `design`/`model` and `sim::shard`,
//! called by the orchestrator for docs and by `fermi sim shard FILE`.
//!
//! Method: the [`PLACED_KEYS`] most popular keys are placed one by one with their exact
//! request shares; the remaining keys' share (the tail: individually light, billions of
//! them) is spread by each shard's exact share of the hash space: the arcs of the ring it owns
//! for consistent hashing, 1/N for mod-N, rendezvous and jump (ranges: its share of the placed
//! keys). When a cache precedes the tier on a read path, each key's share is
//! multiplied by its miss probability under Che's approximation for LRU, e^(−pₖ·t_C), so the
//! hot keys the cache absorbs do not count against the shards.
//!
//! Budgets, so a design with millions of shards is planned in seconds and bounded memory:
//! a consistent-hashing ring holds at most [`RING_POINTS`] points — a shard count whose
//! vnodes would exceed it is simulated with the largest power-of-two vnode count that fits
//! (the outcome's strategy names the count simulated), and vnode choices beyond it are not
//! tried; rendezvous, which scores every shard for every key, places at most
//! [`RENDEZVOUS_SCORES`] ÷ shards keys one by one (the rest join the tail); a tier with more
//! than [`RING_POINTS`] shards gets no simulated plan.
//!
//! Architecture Invariant: deterministic (placement hashes are fixed, no sampling); the
//! model never calls this itself.

use crate::design::{Design, RequestKind, Sharding, Tier, TierKind};
use crate::key::{self, Metric};
use crate::math::che::{self, Law};
use crate::model::hits::cache_objects;
use crate::model::plan::Plan;
use crate::sim::shard::{
    HashOrder, RENDEZVOUS_SCORES, RING_POINTS, ShardOutcome, Strategy, simulate_consistent, simulate_weighted,
};
use crate::units::Quantity;

/// Keys placed one by one (the most popular); the rest form the evenly hashed tail.
pub const PLACED_KEYS: u64 = 100_000;
/// Vnode counts tried when recommending one for consistent hashing.
pub const VNODE_CHOICES: &[u32] = &[1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048];

/// One database tier's shard plan.
#[derive(Debug, Clone, PartialEq)]
pub struct ShardPlan {
    /// The tier.
    pub tier: String,
    /// Its placement.
    pub strategy: Strategy,
    /// The plan's shard count.
    pub shards: u32,
    /// The design's distinct keys.
    pub keys: f64,
    /// Keys placed one by one.
    pub placed: u64,
    /// The cache tier whose hits were taken off the load, if any.
    pub behind_cache: Option<String>,
    /// The stated target: max ÷ mean load.
    pub target: f64,
    /// The simulation at the plan's shard count.
    pub outcome: ShardOutcome,
    /// The single hottest key's share of this tier's load (after the cache's hits: then not
    /// the most popular key, which the cache holds, but the one with pₖ near 1/t_C).
    pub hottest_key_share: f64,
    /// The imbalance no placement can beat: the hottest key's share × shards (≥ 1).
    pub floor: f64,
    /// For consistent hashing: the fewest vnodes (of [`VNODE_CHOICES`]) meeting the target,
    /// with the imbalance they give; `None` when none does (or another strategy).
    pub vnodes: Option<(u32, f64)>,
    /// Peak load reaching the tier (rps).
    pub load: f64,
    /// One node's capacity ÷ headroom: the most load one shard should carry.
    pub shard_capacity: f64,
    /// The hottest shard's load at the plan's count.
    pub hottest_load: f64,
    /// Other strategies at the same shard count and load, when asked for (`fermi sim shard`).
    pub alternatives: Vec<ShardOutcome>,
    /// When the hottest shard is over `shard_capacity`: the smallest shard count found whose
    /// hottest shard is within it, and that shard's load; `None` when the plan already fits or
    /// no count up to 4× does (one key alone is too hot).
    pub shards_needed: Option<(u32, f64)>,
}

/// The simulator's placement for a design's `sharding`: the one place the two names meet.
impl From<Sharding> for Strategy {
    fn from(s: Sharding) -> Strategy {
        match s {
            Sharding::Hash => Strategy::ModN,
            Sharding::Range => Strategy::Range,
            Sharding::Consistent { vnodes } => Strategy::Consistent { vnodes },
            Sharding::Rendezvous => Strategy::Rendezvous,
            Sharding::Jump => Strategy::Jump,
        }
    }
}

/// The first cache tier before `tier` on any read path: its name, Che characteristic time
/// and Che hit ratio (LRU law).
fn cache_before(design: &Design, tier: usize, n: f64) -> Option<(String, f64, f64)> {
    design.requests.iter().filter(|r| r.kind == RequestKind::Read).find_map(|r| {
        let at = r.path.iter().position(|h| h.tier == tier)?;
        r.path[..at].iter().map(|h| &design.tiers[h.tier]).find_map(|t: &Tier| {
            let objects = cache_objects(design, t.cache.as_ref()?.size.as_ref()?)?;
            let skew = design.workload.skew;
            let time = che::characteristic_time(skew, n, objects, Law::Lru)?;
            Some((t.name.clone(), time, che::hit_ratio(skew, n, objects, Law::Lru)))
        })
    })
}

/// Whether a ring of `count` + 1 nodes (one added, to measure movement) × `vnodes` fits.
fn ring_fits(vnodes: u32, count: u32) -> bool {
    (u64::from(count) + 1) * u64::from(vnodes) <= RING_POINTS
}

/// The strategy as simulated: consistent hashing with the largest power-of-two vnode count
/// (at most the design's) whose ring fits [`RING_POINTS`].
fn within_budget(s: Strategy, count: u32) -> Strategy {
    match s {
        Strategy::Consistent { vnodes } if !ring_fits(vnodes, count) => {
            let fit = (RING_POINTS / (u64::from(count) + 1)).max(1);
            Strategy::Consistent { vnodes: 1 << fit.ilog2() }
        }
        other => other,
    }
}

/// Shard plans for every database tier with at least two shards and a workload with keys.
pub fn plans(design: &Design, plan: &Plan) -> Vec<ShardPlan> {
    plans_with(design, plan, &[])
}

/// [`plans`], each also simulating `alternatives` (strategies) at the same shard count and load.
pub fn plans_with(design: &Design, plan: &Plan, alternatives: &[Strategy]) -> Vec<ShardPlan> {
    let Some(keys) = &design.workload.keys else { return Vec::new() };
    let n = keys.value.si();
    // Each rank's request share pₖ, the Zipf normalisation computed once.
    let ranks = design.workload.skew.over(n);
    let mut out = Vec::new();
    for (index, tier) in design.tiers.iter().enumerate().filter(|(_, t)| t.kind == TierKind::Database) {
        let shards = plan.value(&key::of(&tier.name, Metric::Shards)).round();
        if shards < 2.0 || n < 2.0 || shards > RING_POINTS as f64 {
            continue;
        }
        let shards = shards.min(f64::from(u32::MAX)) as u32;
        let placed = (n as u64).min(PLACED_KEYS);
        let cache = cache_before(design, index, n);
        // Each placed key's share, computed once: every run below reads it.
        let weights: Vec<f64> = (1..=placed)
            .map(|k| {
                let p = ranks.probability(k);
                cache.as_ref().map_or(p, |(_, t, _)| p * (-p * t).exp())
            })
            .collect();
        let weight = |k: u64| weights.get((k - 1) as usize).copied().unwrap_or(0.0);
        // Σₖ pₖ·e^(−pₖ·t_C) over all keys is Che's miss ratio.
        let total = cache.as_ref().map_or(1.0, |(_, _, hit)| 1.0 - hit);
        // The share of the first j placed keys, summed in key order: head[placed] is all of them.
        let mut head = Vec::with_capacity(weights.len() + 1);
        head.push(0.0f64);
        for w in &weights {
            head.push(head[head.len() - 1] + w);
        }
        let all_placed = head[head.len() - 1];
        // The hottest key after a cache: p·e^(−p·t) peaks at p = 1/t, at 1/(e·t); that key
        // may lie in the tail when the cache holds every placed key.
        let mut hottest = weights.iter().copied().fold(0.0, f64::max);
        if let Some((_, t, _)) = &cache
            && ranks.probability(placed) > 1.0 / t
        {
            hottest = hottest.max(1.0 / (std::f64::consts::E * t));
        }
        let tail = (total - all_placed).max(0.0);
        let chosen = Strategy::from(tier.sharding);
        // Consistent hashing is simulated on many rings (vnode and shard counts): sort the keys
        // by hash once, and each ring places them by a merge.
        let order = matches!(chosen, Strategy::Consistent { .. }).then(|| HashOrder::new(placed, &weight));
        let simulate = |s: Strategy, count: u32, movement: bool| match (within_budget(s, count), &order) {
            (Strategy::Consistent { vnodes }, Some(order)) => simulate_consistent(vnodes, count, order, tail, movement),
            (Strategy::Rendezvous, _) => {
                let few = placed.min(RENDEZVOUS_SCORES / (u64::from(count) + 1)).max(1);
                let tail = (total - head[few as usize]).max(0.0);
                simulate_weighted(Strategy::Rendezvous, count, few, &weight, tail, movement)
            }
            (s, _) => simulate_weighted(s, count, placed, &weight, tail, movement),
        };
        let run = |s: Strategy, count: u32| simulate(s, count, true);
        let balance = |s: Strategy, count: u32| simulate(s, count, false);
        let outcome = run(chosen, shards);
        let target = tier.imbalance.as_ref().map_or(1.25, |i| i.value.si()).max(1.0);
        let vnodes = match chosen {
            Strategy::Consistent { .. } => VNODE_CHOICES.iter().filter(|&&v| ring_fits(v, shards)).find_map(|&v| {
                let o = balance(Strategy::Consistent { vnodes: v }, shards);
                (o.load_imbalance <= target).then_some((v, o.load_imbalance))
            }),
            _ => None,
        };
        let load = plan.value(&key::of(&tier.name, Metric::Load));
        let headroom = tier.headroom.value.si().max(1e-9);
        let shard_capacity = tier.capacity.value.si() / headroom;
        let hottest_load = outcome.hottest_share * load;
        let shards_needed = (hottest_load > shard_capacity && shard_capacity > 0.0)
            .then(|| {
                let mut count = shards;
                for _ in 0..8 {
                    let o = balance(chosen, count);
                    let hot = o.hottest_share * load;
                    if hot <= shard_capacity {
                        return Some((count, hot));
                    }
                    let next = (f64::from(count) * hot / shard_capacity).ceil() as u32;
                    count = next.max(count + 1);
                    if count > shards.saturating_mul(4) || u64::from(count) > RING_POINTS {
                        return None;
                    }
                }
                None
            })
            .flatten();
        let alternatives = alternatives.iter().filter(|&&a| a != chosen).map(|&a| run(a, shards)).collect();
        out.push(ShardPlan {
            alternatives,
            tier: tier.name.clone(),
            strategy: chosen,
            shards,
            keys: n,
            placed,
            behind_cache: cache.as_ref().map(|(name, _, _)| name.clone()),
            target,
            hottest_key_share: hottest / total.max(f64::MIN_POSITIVE),
            floor: (hottest / total.max(f64::MIN_POSITIVE) * f64::from(shards)).max(1.0),
            outcome,
            vnodes,
            load,
            shard_capacity,
            hottest_load,
            shards_needed,
        });
    }
    out
}

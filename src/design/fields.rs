//! The fields each block accepts, what each needs, its default, the range its value must
//! lie in and where its value lives in a [`Design`] — one row per field, written once, so that
//! lowering, validation, Monte Carlo sampling, "did you mean" help, the assumptions list and
//! `docs/language.md` agree.
//!
//! Architecture Invariant: a default lives here and nowhere else; defaults are written in the
//! language itself and parsed like user input; a field's bounds and its place in the design
//! are columns of its row, not a second list of field names.

use super::{CacheSize, Design, Input, Request, Tier};
use crate::key::{self, Metric};
use crate::units::Quantity;

/// What a field's value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// A plain number: count, ratio, multiplier.
    Number,
    /// A data size.
    Data,
    /// A duration.
    Time,
    /// A rate (per second).
    Rate,
    /// A string.
    Text,
    /// One of a fixed set of words.
    Word(&'static [&'static str]),
    /// `a -> b x 3 -> c`.
    Path,
    /// `zipf(A)`, `uniform`, `hotspot(K%, T%)`.
    Skew,
    /// `hash`, `range`, `consistent(vnodes = N)`, `rendezvous`, `jump`.
    Sharding,
    /// A data size or a key count (`1% of keys`).
    Size,
    /// A fraction per year (`10% per year`) or a plain fraction (taken per year).
    Growth,
    /// A number of seconds or a duration.
    Seconds,
    /// A node profile name.
    Profile,
    /// A number, or `auto`.
    CountOrAuto,
    /// A data rate (`25 Gbps`).
    DataRate,
    /// Money per period (`$0.192/h`).
    Price,
    /// Money per data size (`$0.09 per GB`).
    PricePerData,
    /// Money per data size per period (`$0.023 per GB per month`).
    PricePerDataTime,
    /// A data size made of a record's fields.
    Record,
}

/// One field of a block.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// The key as written (`latency p99` style keys are matched by prefix `latency`).
    pub name: &'static str,
    /// What the value must be.
    pub need: Need,
    /// The default, in the language's own syntax; `None` when required or optional.
    pub default: Option<&'static str>,
    /// One line for docs and assumptions.
    pub doc: &'static str,
    /// The closed interval the value must lie in (a positive field's starts at the smallest
    /// positive number); `None` for a field without bounds.
    pub bounds: Option<(f64, f64)>,
    /// Where the value lives in a [`Design`], for a number Monte Carlo samples.
    pub slot: Slot,
}

/// Where a field's value lives in a [`Design`]: how a sampled value (base units) is put
/// there.
#[derive(Clone, Copy)]
pub enum Slot {
    /// Not a number a sample sets (text, words, paths, choices), or one set by name
    /// (`slo.latency.pNN`).
    None,
    /// A field of the design as a whole: the top level, `users`, `storage`, `slo`, `cost`,
    /// `workload`.
    Design(fn(&mut Design, f64)),
    /// A field of a request.
    Request(fn(&mut Request, f64)),
    /// A field of a tier.
    Tier(fn(&mut Tier, f64)),
}

impl std::fmt::Debug for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Slot::None => "None",
            Slot::Design(_) => "Design",
            Slot::Request(_) => "Request",
            Slot::Tier(_) => "Tier",
        })
    }
}

/// A value a sample can set, in base units: an input, or an optional one when present.
pub trait Put {
    /// Sets the value to `si` base units.
    fn put(&mut self, si: f64);
}

impl<T: Quantity> Put for Input<T> {
    fn put(&mut self, si: f64) {
        self.value = T::from_si(si);
    }
}

impl<T: Quantity> Put for Option<Input<T>> {
    fn put(&mut self, si: f64) {
        if let Some(input) = self {
            input.put(si);
        }
    }
}

const fn f(name: &'static str, need: Need, default: Option<&'static str>, doc: &'static str) -> FieldSpec {
    FieldSpec { name, need, default, doc, bounds: None, slot: Slot::None }
}

impl FieldSpec {
    /// The row with its value held to `bounds`.
    const fn within(self, bounds: (f64, f64)) -> FieldSpec {
        FieldSpec { bounds: Some(bounds), ..self }
    }

    /// The row with its place in the design.
    const fn at(self, slot: Slot) -> FieldSpec {
        FieldSpec { slot, ..self }
    }
}

/// A fraction: a hit ratio, a share of calls.
const FRACTION: (f64, f64) = (0.0, 1.0);
/// An availability: above 0, at most 1.
const AVAILABILITY: (f64, f64) = (f64::MIN_POSITIVE, 1.0);
/// A multiplier or count that is at least one.
const AT_LEAST_ONE: (f64, f64) = (1.0, f64::INFINITY);
/// Strictly positive.
const POSITIVE: (f64, f64) = (f64::MIN_POSITIVE, f64::INFINITY);
/// Zero or more.
const NON_NEGATIVE: (f64, f64) = (0.0, f64::INFINITY);

/// Request kinds.
pub const REQUEST_KINDS: &[&str] = &["read", "write"];
/// Tier kinds.
pub const TIER_KINDS: &[&str] = &["lb", "service", "cache", "database", "queue", "cdn", "blob", "search"];
/// Cache eviction policies.
pub const POLICIES: &[&str] = &["lru", "lfu", "fifo", "clock", "sieve", "arc", "s3fifo", "tinylfu"];
/// Cache write policies.
pub const WRITE_POLICIES: &[&str] = &["around", "through", "back"];

/// Fields at the top level of the design.
pub const TOP: &[FieldSpec] = &[
    f("summary", Need::Text, Some("\"\""), "one-paragraph summary"),
    f(
        "seconds_per_day",
        Need::Seconds,
        Some("86400"),
        "seconds in a day for averages (100K is the interview shortcut)",
    )
    .at(Slot::Design(|d, v| d.seconds_per_day.put(v))),
    f("calendar", Need::Time, Some("365 days"), "the length of a year; a month is a year ÷ 12")
        .within(POSITIVE)
        .at(Slot::Design(|d, v| d.year.put(v))),
    f("hop", Need::Time, Some("0.5 ms"), "a round trip inside a data centre, paid once per tier a call reaches")
        .at(Slot::Design(|d, v| d.hop.put(v))),
];

/// `users { … }`
pub const USERS: &[FieldSpec] = &[
    f("dau", Need::Number, None, "daily active users").within(NON_NEGATIVE).at(Slot::Design(|d, v| d.users.dau.put(v))),
    f("peak", Need::Number, Some("2x"), "peak-to-average traffic ratio")
        .within(AT_LEAST_ONE)
        .at(Slot::Design(|d, v| d.users.peak.put(v))),
    f("growth", Need::Growth, Some("0% per year"), "traffic growth per year, compounding")
        .at(Slot::Design(|d, v| d.users.growth.put(v))),
    f("horizon", Need::Time, None, "how far ahead storage is planned (defaults to the retention)")
        .at(Slot::Design(|d, v| d.users.horizon.put(v))),
    f("concurrent", Need::Number, None, "peak concurrent users holding a connection")
        .at(Slot::Design(|d, v| d.users.concurrent.put(v))),
];

/// `request NAME { … }`
pub const REQUEST: &[FieldSpec] = &[
    f("api", Need::Text, Some("\"\""), "the endpoint, e.g. \"POST /shorten\""),
    f("kind", Need::Word(REQUEST_KINDS), Some("read"), "read or write"),
    f("rate", Need::Rate, None, "calls per second, per day, per user per day, or N x another request")
        .within(NON_NEGATIVE)
        .at(Slot::Request(|r, v| r.rate.put(v))),
    f("request", Need::Data, Some("0 B"), "bytes received per call")
        .within(NON_NEGATIVE)
        .at(Slot::Request(|r, v| r.request.put(v))),
    f("response", Need::Data, Some("0 B"), "bytes sent per call")
        .within(NON_NEGATIVE)
        .at(Slot::Request(|r, v| r.response.put(v))),
    f("stores", Need::Data, Some("0 B"), "bytes persisted per call; `500 KB in blob + 1 KB in meta` says where")
        .within(NON_NEGATIVE)
        .at(Slot::Request(put_stores)),
    f("cdn", Need::Number, Some("0%"), "share of calls (with their response bytes) answered at the edge")
        .within(FRACTION)
        .at(Slot::Request(|r, v| r.cdn.put(v))),
    f("path", Need::Path, None, "the tiers a call passes, in order"),
];

/// `storage { … }`
pub const STORAGE: &[FieldSpec] = &[
    f("retention", Need::Time, Some("1 year"), "how long stored bytes are kept")
        .within(POSITIVE)
        .at(Slot::Design(|d, v| d.storage.retention.put(v))),
    f("replication", Need::Number, Some("1"), "copies of every stored byte")
        .within(AT_LEAST_ONE)
        .at(Slot::Design(|d, v| d.storage.replication.put(v))),
    f("overhead", Need::Number, Some("0%"), "index and metadata on top of stored bytes")
        .within(NON_NEGATIVE)
        .at(Slot::Design(|d, v| d.storage.overhead.put(v))),
];

/// `slo { … }` (`latency pNN` keys are matched separately).
pub const SLO: &[FieldSpec] = &[
    f("availability", Need::Number, None, "the availability target")
        .within(AVAILABILITY)
        .at(Slot::Design(|d, v| d.slo.availability.put(v))),
    f("latency", Need::Time, None, "a latency percentile target: `latency p99 = 100 ms`"),
    f("error_budget_window", Need::Time, Some("30 days"), "the window error budgets are counted over")
        .within(POSITIVE)
        .at(Slot::Design(|d, v| d.slo.error_budget_window.put(v))),
];

/// `tier NAME { … }`
pub const TIER: &[FieldSpec] = &[
    f("kind", Need::Word(TIER_KINDS), Some("service"), "what the tier is"),
    f("profile", Need::Profile, None, "a node profile supplying defaults"),
    f("capacity", Need::Rate, None, "requests per second one node serves")
        .within(POSITIVE)
        .at(Slot::Tier(|t, v| t.capacity.put(v))),
    f("headroom", Need::Number, Some("1x"), "over-provisioning factor on throughput")
        .within(AT_LEAST_ONE)
        .at(Slot::Tier(|t, v| t.headroom.put(v))),
    f("replicas", Need::Number, Some("1"), "copies of each node (or shard)")
        .within(AT_LEAST_ONE)
        .at(Slot::Tier(|t, v| t.replicas.put(v))),
    f("spare", Need::Number, Some("0"), "extra nodes on top (N+k)")
        .within(NON_NEGATIVE)
        .at(Slot::Tier(|t, v| t.spare.put(v))),
    f("memory", Need::Data, None, "memory per node").within(POSITIVE).at(Slot::Tier(|t, v| t.memory.put(v))),
    f("disk", Need::Data, None, "disk per node").within(POSITIVE).at(Slot::Tier(|t, v| t.disk.put(v))),
    f("service_time", Need::Time, None, "mean time one request holds a worker")
        .within(POSITIVE)
        .at(Slot::Tier(|t, v| t.service_time.put(v))),
    f("concurrency", Need::Number, None, "workers per node (c in M/M/c)")
        .within(AT_LEAST_ONE)
        .at(Slot::Tier(|t, v| t.concurrency.put(v))),
    f("service_cv", Need::Number, None, "coefficient of variation of service time (switches to M/G/c)")
        .at(Slot::Tier(|t, v| t.service_cv.put(v))),
    f("availability", Need::Number, Some("99.9%"), "availability of one node")
        .within(AVAILABILITY)
        .at(Slot::Tier(|t, v| t.availability.put(v))),
    f("policy", Need::Word(POLICIES), Some("lru"), "cache eviction policy"),
    f("size", Need::Size, None, "cache size: bytes, or a share of keys")
        .within(NON_NEGATIVE)
        .at(Slot::Tier(put_cache_size)),
    f("hit_ratio", Need::Number, None, "cache hit ratio, given instead of estimated")
        .within(FRACTION)
        .at(Slot::Tier(put_hit_ratio)),
    f("write", Need::Word(WRITE_POLICIES), Some("around"), "cache write policy"),
    f("shards", Need::CountOrAuto, Some("auto"), "database shards").at(Slot::Tier(|t, v| t.shards.put(v))),
    f("sharding", Need::Sharding, Some("hash"), "how keys map to shards"),
    f("imbalance", Need::Number, Some("1.25x"), "the most load one shard may carry, as a multiple of the mean")
        .at(Slot::Tier(|t, v| t.imbalance.put(v))),
    f("data", Need::Data, None, "bytes the tier holds that no request's `stores` accounts for (one copy)")
        .at(Slot::Tier(|t, v| t.data.put(v))),
    f("network", Need::DataRate, None, "network bandwidth per node (a NIC)").at(Slot::Tier(|t, v| t.network.put(v))),
    f("connections", Need::Number, None, "connections one node holds").at(Slot::Tier(|t, v| t.connections.put(v))),
    f(
        "latency",
        Need::Time,
        None,
        "time a call spends in the tier besides queueing (cache 1 ms, database 10 ms, others 0)",
    )
    .at(Slot::Tier(|t, v| t.latency.put(v))),
    f("price", Need::Price, None, "price of one node per period (`$0.192/h`)").at(Slot::Tier(|t, v| t.price.put(v))),
    f("storage_price", Need::PricePerDataTime, None, "price per byte held per period, for each stored copy")
        .at(Slot::Tier(|t, v| t.storage_price.put(v))),
    f("cpu", Need::Time, None, "CPU time per call: capacity = profile vcpus ÷ cpu").at(Slot::Tier(|t, v| t.cpu.put(v))),
];

/// `cost { … }`
pub const COST: &[FieldSpec] = &[
    f("egress", Need::PricePerData, None, "price of origin egress (`$0.09 per GB`)")
        .at(Slot::Design(|d, v| d.cost.egress.put(v))),
    f("cdn", Need::PricePerData, None, "price of bytes served at the edge (`$0.02 per GB`)")
        .at(Slot::Design(|d, v| d.cost.cdn.put(v))),
];

/// `workload { … }`
pub const WORKLOAD: &[FieldSpec] = &[
    f("keys", Need::Number, None, "distinct objects the reads address")
        .within(POSITIVE)
        .at(Slot::Design(|d, v| d.workload.keys.put(v))),
    f("object", Need::Data, None, "average object size")
        .within(POSITIVE)
        .at(Slot::Design(|d, v| d.workload.object.put(v))),
    f("skew", Need::Skew, Some("zipf(0.9)"), "popularity distribution of keys"),
];

/// Tier fields that only a cache tier accepts (`hit_ratio` also on a cdn tier).
pub const CACHE_ONLY: &[&str] = &["policy", "size", "hit_ratio", "write"];
/// Tier kinds that may hold stored bytes (`stores = … in TIER`, `data`).
pub const STATEFUL_STORES: &[&str] = &["database", "blob", "search"];
/// Tier fields that only a database tier accepts.
pub const DATABASE_ONLY: &[&str] = &["shards", "sharding", "imbalance"];

/// The block keywords and their fields.
pub const BLOCKS: &[(&str, &[FieldSpec])] = &[
    ("users", USERS),
    ("request", REQUEST),
    ("storage", STORAGE),
    ("slo", SLO),
    ("tier", TIER),
    ("workload", WORKLOAD),
    ("cost", COST),
    ("scenario", &[]),
    ("record", &[]),
];

/// Names a request or tier may not take (they are block names or model sections).
pub const RESERVED: &[&str] = &[
    "users",
    "storage",
    "slo",
    "workload",
    "traffic",
    "bandwidth",
    "availability",
    "design",
    "keys",
    "seconds_per_day",
    "calendar",
    "cost",
    "horizon",
    "hop",
    "scenario",
    "record",
];

/// Finds a field spec by key (`latency p99` matches `latency`).
pub fn spec<'a>(specs: &'a [FieldSpec], key: &str) -> Option<&'a FieldSpec> {
    let head = key.split(' ').next().unwrap_or(key);
    specs.iter().find(|s| s.name == head && (s.name == "latency" || !key.contains(' ')))
}

/// The closed interval a field's value must lie in, by its key: the bounds column of the first
/// row with that key, the top level's then each block's in [`BLOCKS`] order (a key has one
/// range wherever it is written: `cost.cdn` is held to `cdn`'s); `None` for a key without
/// bounds.
pub(super) fn valid_range(field: &str) -> Option<(f64, f64)> {
    TOP.iter().chain(BLOCKS.iter().flat_map(|(_, specs)| specs.iter())).find(|s| s.name == field)?.bounds
}

/// The valid range of an input by its dotted name: its field's bounds (`users.dau` ≥ 0,
/// `api.availability` in (0, 1]); a `let` (a name without a dot) is unbounded.
pub fn bounds(name: &str) -> (f64, f64) {
    let field = match name.rsplit_once('.') {
        Some((_, field)) => field,
        None if name == "calendar" => name,
        None => return (f64::NEG_INFINITY, f64::INFINITY),
    };
    valid_range(field).unwrap_or((f64::NEG_INFINITY, f64::INFINITY))
}

/// A request's `stores`: the total, and the parts it places without a size of their own (all
/// of it, `REQ.stores`, or the rest after the sized parts, `REQ.stores.rest`).
fn put_stores(r: &mut Request, si: f64) {
    r.stores.put(si);
    let owner = r.name.as_str();
    let part = |name: &str, m: Metric| key::owner(name, m) == Some(owner);
    let placed: f64 = r
        .placements
        .iter()
        .filter(|p| !part(&p.name, Metric::StoresRest) && !part(&p.name, Metric::Stores))
        .map(|p| p.bytes.value.si())
        .sum();
    for p in &mut r.placements {
        if part(&p.name, Metric::Stores) {
            p.bytes.put(si);
        } else if part(&p.name, Metric::StoresRest) {
            p.bytes.put(si - placed);
        }
    }
}

/// A cache tier's `size`, in bytes or in keys as written.
fn put_cache_size(t: &mut Tier, si: f64) {
    match t.cache.as_mut().and_then(|c| c.size.as_mut()) {
        Some(CacheSize::Bytes(b)) => b.put(si),
        Some(CacheSize::Keys(k)) => k.put(si),
        None => {}
    }
}

/// A tier's given `hit_ratio`: a cache's, or a cdn tier's at the edge.
fn put_hit_ratio(t: &mut Tier, si: f64) {
    if let Some(c) = t.cache.as_mut() {
        c.hit_ratio.put(si);
    }
    t.edge_hit_ratio.put(si);
}

//! The fields each block accepts, what each needs, its default and the range its value must
//! lie in — written once, so that lowering, sampling, "did you mean" help, the assumptions
//! list and `docs/language.md` agree.
//!
//! Architecture Invariant: a default lives here and nowhere else; defaults are written in the
//! language itself and parsed like user input.

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
}

const fn f(name: &'static str, need: Need, default: Option<&'static str>, doc: &'static str) -> FieldSpec {
    FieldSpec { name, need, default, doc }
}

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
    ),
    f("calendar", Need::Time, Some("365 days"), "the length of a year; a month is a year ÷ 12"),
    f("hop", Need::Time, Some("0.5 ms"), "a round trip inside a data centre, paid once per tier a call reaches"),
];

/// `users { … }`
pub const USERS: &[FieldSpec] = &[
    f("dau", Need::Number, None, "daily active users"),
    f("peak", Need::Number, Some("2x"), "peak-to-average traffic ratio"),
    f("growth", Need::Growth, Some("0% per year"), "traffic growth per year, compounding"),
    f("horizon", Need::Time, None, "how far ahead storage is planned (defaults to the retention)"),
    f("concurrent", Need::Number, None, "peak concurrent users holding a connection"),
];

/// `request NAME { … }`
pub const REQUEST: &[FieldSpec] = &[
    f("api", Need::Text, Some("\"\""), "the endpoint, e.g. \"POST /shorten\""),
    f("kind", Need::Word(REQUEST_KINDS), Some("read"), "read or write"),
    f("rate", Need::Rate, None, "calls per second, per day, per user per day, or N x another request"),
    f("request", Need::Data, Some("0 B"), "bytes received per call"),
    f("response", Need::Data, Some("0 B"), "bytes sent per call"),
    f("stores", Need::Data, Some("0 B"), "bytes persisted per call; `500 KB in blob + 1 KB in meta` says where"),
    f("cdn", Need::Number, Some("0%"), "share of calls (with their response bytes) answered at the edge"),
    f("path", Need::Path, None, "the tiers a call passes, in order"),
];

/// `storage { … }`
pub const STORAGE: &[FieldSpec] = &[
    f("retention", Need::Time, Some("1 year"), "how long stored bytes are kept"),
    f("replication", Need::Number, Some("1"), "copies of every stored byte"),
    f("overhead", Need::Number, Some("0%"), "index and metadata on top of stored bytes"),
];

/// `slo { … }` (`latency pNN` keys are matched separately).
pub const SLO: &[FieldSpec] = &[
    f("availability", Need::Number, None, "the availability target"),
    f("latency", Need::Time, None, "a latency percentile target: `latency p99 = 100 ms`"),
    f("error_budget_window", Need::Time, Some("30 days"), "the window error budgets are counted over"),
];

/// `tier NAME { … }`
pub const TIER: &[FieldSpec] = &[
    f("kind", Need::Word(TIER_KINDS), Some("service"), "what the tier is"),
    f("profile", Need::Profile, None, "a node profile supplying defaults"),
    f("capacity", Need::Rate, None, "requests per second one node serves"),
    f("headroom", Need::Number, Some("1x"), "over-provisioning factor on throughput"),
    f("replicas", Need::Number, Some("1"), "copies of each node (or shard)"),
    f("spare", Need::Number, Some("0"), "extra nodes on top (N+k)"),
    f("memory", Need::Data, None, "memory per node"),
    f("disk", Need::Data, None, "disk per node"),
    f("service_time", Need::Time, None, "mean time one request holds a worker"),
    f("concurrency", Need::Number, None, "workers per node (c in M/M/c)"),
    f("service_cv", Need::Number, None, "coefficient of variation of service time (switches to M/G/c)"),
    f("availability", Need::Number, Some("99.9%"), "availability of one node"),
    f("policy", Need::Word(POLICIES), Some("lru"), "cache eviction policy"),
    f("size", Need::Size, None, "cache size: bytes, or a share of keys"),
    f("hit_ratio", Need::Number, None, "cache hit ratio, given instead of estimated"),
    f("write", Need::Word(WRITE_POLICIES), Some("around"), "cache write policy"),
    f("shards", Need::CountOrAuto, Some("auto"), "database shards"),
    f("sharding", Need::Sharding, Some("hash"), "how keys map to shards"),
    f("imbalance", Need::Number, Some("1.25x"), "the most load one shard may carry, as a multiple of the mean"),
    f("data", Need::Data, None, "bytes the tier holds that no request's `stores` accounts for (one copy)"),
    f("network", Need::DataRate, None, "network bandwidth per node (a NIC)"),
    f("connections", Need::Number, None, "connections one node holds"),
    f(
        "latency",
        Need::Time,
        None,
        "time a call spends in the tier besides queueing (cache 1 ms, database 10 ms, others 0)",
    ),
    f("price", Need::Price, None, "price of one node per period (`$0.192/h`)"),
    f("storage_price", Need::PricePerDataTime, None, "price per byte held per period, for each stored copy"),
    f("cpu", Need::Time, None, "CPU time per call: capacity = profile vcpus ÷ cpu"),
];

/// `cost { … }`
pub const COST: &[FieldSpec] = &[
    f("egress", Need::PricePerData, None, "price of origin egress (`$0.09 per GB`)"),
    f("cdn", Need::PricePerData, None, "price of bytes served at the edge (`$0.02 per GB`)"),
];

/// `workload { … }`
pub const WORKLOAD: &[FieldSpec] = &[
    f("keys", Need::Number, None, "distinct objects the reads address"),
    f("object", Need::Data, None, "average object size"),
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

/// The closed interval a field's value must lie in (a positive field's starts at the smallest
/// positive number); `None` for fields without bounds.
pub(super) fn valid_range(field: &str) -> Option<(f64, f64)> {
    Some(match field {
        "hit_ratio" | "cdn" => (0.0, 1.0),
        "availability" => (f64::MIN_POSITIVE, 1.0),
        "peak" | "headroom" | "replication" | "replicas" | "concurrency" => (1.0, f64::INFINITY),
        "capacity"
        | "service_time"
        | "retention"
        | "calendar"
        | "memory"
        | "disk"
        | "object"
        | "error_budget_window"
        | "keys" => (f64::MIN_POSITIVE, f64::INFINITY),
        "rate" | "request" | "response" | "stores" | "overhead" | "spare" | "dau" | "size" => (0.0, f64::INFINITY),
        _ => return None,
    })
}

//! The validated design: the typed input model that `syntax` produces via [`lower`], with
//! every default applied, every name resolved, every dimension checked, and each value's
//! origin (the line it was written on, a default, or a profile) kept for explanations.
//!
//! Architecture Invariant: dynamic dimensions stop here. Everything the model reads is a
//! uom-typed [`Input`]; no model code ever sees an untyped number from the language.

pub mod catalogue;
pub mod eval;
pub mod fields;
mod lower;
pub mod profile;
mod quantity;
pub mod resolve;
mod scope;
pub mod uncertain;

/// Key popularity (`workload.skew`): the vocabulary the design shares with the cache models
/// and simulators.
pub use crate::math::popularity::Popularity;
/// How an uncertain input is spread: Monte Carlo's vocabulary, held by the design as data.
pub use crate::uncertainty::spread::Spread;
pub use lower::{Restated, lower, lower_restated, lower_with, percentile};
pub use profile::{Profile, Profiles};

use crate::source::Span;
use crate::syntax::ast;
use crate::units::{Data, DataRate, Duration, MoneyPerData, MoneyPerDataTime, MoneyRate, Rate, Ratio};
use serde::Serialize;

/// Where an input value came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// Written in the design file.
    Written {
        /// Where.
        span: Span,
    },
    /// fermi's default for an omitted field.
    Default {
        /// The default as written in the language.
        text: &'static str,
    },
    /// Supplied by a node profile.
    Profile {
        /// The profile's name.
        profile: String,
        /// Where its value was stated (a file, or "built-in: …").
        source: String,
    },
    /// A project default from `fermi.toml`.
    Config {
        /// The setting's value as written.
        text: String,
    },
}

/// One input value with its origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Input<T> {
    /// The point value (a spread's median until Monte Carlo samples it).
    pub value: T,
    /// The stated spread, when the input is uncertain.
    pub spread: Option<Spread>,
    /// Whether a range took part in computing it.
    pub uncertain: bool,
    /// Where it came from.
    pub origin: Origin,
}

impl<T: Copy> Input<T> {
    /// A value that came from fermi's own defaults.
    pub fn default(value: T, text: &'static str) -> Self {
        Input { value, spread: None, uncertain: false, origin: Origin::Default { text } }
    }
}

/// `read` or `write`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestKind {
    /// Served from caches when they hit.
    Read,
    /// Passes caches; persists `stores` bytes.
    Write,
}

/// One hop of a request's path.
#[derive(Debug, Clone, PartialEq)]
pub struct Hop {
    /// Index into [`Design::tiers`].
    pub tier: usize,
    /// Calls this hop (and every later hop) receives per call: `x 300`.
    pub multiplier: f64,
    /// Where it was written.
    pub span: Span,
}

/// `request NAME { … }`
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// Its name.
    pub name: String,
    /// Where the block is.
    pub span: Span,
    /// The endpoint.
    pub api: String,
    /// Read or write.
    pub kind: RequestKind,
    /// Calls per second (averaged over a calendar day).
    pub rate: Input<Rate>,
    /// Bytes in per call.
    pub request: Input<Data>,
    /// Bytes out per call.
    pub response: Input<Data>,
    /// Bytes persisted per call.
    pub stores: Input<Data>,
    /// Share of calls (with their response bytes) answered at the edge.
    pub cdn: Input<Ratio>,
    /// Tiers in order.
    pub path: Vec<Hop>,
    /// Where the stored bytes live: one entry per placed part (`500 KB in blob`), or the
    /// whole of `stores` in the path's one stateful tier; `tier: None` is held by no tier.
    pub placements: Vec<Placement>,
    /// Whether the rate was stated per second, minute or hour (it keeps its value on the
    /// interview day) rather than per day or longer.
    pub per_second: bool,
}

/// A part of a request's stored bytes and the tier that holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// Index into [`Design::tiers`], or `None` when no tier holds these bytes.
    pub tier: Option<usize>,
    /// The dotted name its value has in the plan (`upload.stores`, `upload.stores.blob`).
    pub name: String,
    /// Bytes per call.
    pub bytes: Input<Data>,
}

/// `users { … }`
#[derive(Debug, Clone, PartialEq)]
pub struct Users {
    /// Daily active users, when stated.
    pub dau: Option<Input<Ratio>>,
    /// Peak-to-average ratio.
    pub peak: Input<Ratio>,
    /// Growth per year (a fraction: 0.1 = 10%).
    pub growth: Input<Ratio>,
    /// Planning horizon; `None` means the retention.
    pub horizon: Option<Input<Duration>>,
    /// Peak concurrent users holding a connection, when stated.
    pub concurrent: Option<Input<Ratio>>,
    /// Years since `dau` was counted, for the growth timeline (0 for a design as written):
    /// storage then holds what was written over those years, not a horizon beyond them.
    pub elapsed: f64,
}

/// `storage { … }`
#[derive(Debug, Clone, PartialEq)]
pub struct Storage {
    /// How long bytes are kept.
    pub retention: Input<Duration>,
    /// Copies of each byte.
    pub replication: Input<Ratio>,
    /// Extra fraction for indexes and metadata.
    pub overhead: Input<Ratio>,
}

/// A latency target: `latency p99 = 100 ms`.
#[derive(Debug, Clone, PartialEq)]
pub struct LatencyTarget {
    /// `p99`.
    pub label: String,
    /// 0.99.
    pub quantile: f64,
    /// The target.
    pub target: Input<Duration>,
}

/// `slo { … }`
#[derive(Debug, Clone, PartialEq)]
pub struct Slo {
    /// The availability target.
    pub availability: Option<Input<Ratio>>,
    /// Latency targets, in source order.
    pub latency: Vec<LatencyTarget>,
    /// Error-budget window.
    pub error_budget_window: Input<Duration>,
}

/// What a tier is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TierKind {
    /// Load balancer.
    Lb,
    /// Stateless service.
    Service,
    /// In-memory cache.
    Cache,
    /// Database.
    Database,
    /// Message queue.
    Queue,
    /// Content delivery network.
    Cdn,
    /// Blob/object store.
    Blob,
    /// Search index.
    Search,
}

impl TierKind {
    /// Parses a kind word.
    pub fn parse(word: &str) -> Option<Self> {
        Some(match word {
            "lb" => TierKind::Lb,
            "service" => TierKind::Service,
            "cache" => TierKind::Cache,
            "database" => TierKind::Database,
            "queue" => TierKind::Queue,
            "cdn" => TierKind::Cdn,
            "blob" => TierKind::Blob,
            "search" => TierKind::Search,
            _ => return None,
        })
    }

    /// The kind as written.
    pub fn name(self) -> &'static str {
        match self {
            TierKind::Lb => "lb",
            TierKind::Service => "service",
            TierKind::Cache => "cache",
            TierKind::Database => "database",
            TierKind::Queue => "queue",
            TierKind::Cdn => "cdn",
            TierKind::Blob => "blob",
            TierKind::Search => "search",
        }
    }

    /// Whether the tier holds data whose shards each need one live replica.
    pub fn is_stateful(self) -> bool {
        matches!(self, TierKind::Cache | TierKind::Database | TierKind::Queue | TierKind::Blob | TierKind::Search)
    }
}

/// Cache eviction policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CachePolicy {
    /// Least recently used.
    Lru,
    /// Least frequently used.
    Lfu,
    /// First in, first out.
    Fifo,
    /// CLOCK (second chance).
    Clock,
    /// SIEVE.
    Sieve,
    /// Adaptive replacement cache.
    Arc,
    /// S3-FIFO.
    S3fifo,
    /// W-TinyLFU.
    Tinylfu,
}

impl CachePolicy {
    /// Parses a policy word.
    pub fn parse(word: &str) -> Option<Self> {
        Some(match word {
            "lru" => CachePolicy::Lru,
            "lfu" => CachePolicy::Lfu,
            "fifo" => CachePolicy::Fifo,
            "clock" => CachePolicy::Clock,
            "sieve" => CachePolicy::Sieve,
            "arc" => CachePolicy::Arc,
            "s3fifo" => CachePolicy::S3fifo,
            "tinylfu" => CachePolicy::Tinylfu,
            _ => return None,
        })
    }

    /// The policy as written.
    pub fn name(self) -> &'static str {
        match self {
            CachePolicy::Lru => "lru",
            CachePolicy::Lfu => "lfu",
            CachePolicy::Fifo => "fifo",
            CachePolicy::Clock => "clock",
            CachePolicy::Sieve => "sieve",
            CachePolicy::Arc => "arc",
            CachePolicy::S3fifo => "s3fifo",
            CachePolicy::Tinylfu => "tinylfu",
        }
    }
}

/// Cache write policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WritePolicy {
    /// Writes skip the cache.
    Around,
    /// Writes go to the cache and on to the next tier.
    Through,
    /// Writes land in the cache and are flushed to the next tier later.
    Back,
}

/// How big a cache is.
#[derive(Debug, Clone, PartialEq)]
pub enum CacheSize {
    /// A byte size.
    Bytes(Input<Data>),
    /// A number of keys (`1% of keys`).
    Keys(Input<Ratio>),
}

/// Cache settings of a cache tier.
#[derive(Debug, Clone, PartialEq)]
pub struct CacheSpec {
    /// Eviction policy.
    pub policy: CachePolicy,
    /// Size, when stated.
    pub size: Option<CacheSize>,
    /// A given hit ratio (overrides estimation).
    pub hit_ratio: Option<Input<Ratio>>,
    /// Write policy.
    pub write: WritePolicy,
}

/// Shard placement strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "strategy", rename_all = "lowercase")]
pub enum Sharding {
    /// mod-N hashing.
    Hash,
    /// Key ranges.
    Range,
    /// A hash ring with virtual nodes.
    Consistent {
        /// Virtual nodes per node.
        vnodes: u32,
    },
    /// Highest random weight.
    Rendezvous,
    /// Jump consistent hash.
    Jump,
}

/// `tier NAME { … }`
#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    /// Its name.
    pub name: String,
    /// Where the block is.
    pub span: Span,
    /// What it is.
    pub kind: TierKind,
    /// The node profile used, if any.
    pub profile: Option<String>,
    /// Requests per second per node.
    pub capacity: Input<Rate>,
    /// Throughput over-provisioning factor.
    pub headroom: Input<Ratio>,
    /// Copies of each node or shard.
    pub replicas: Input<Ratio>,
    /// Extra nodes.
    pub spare: Input<Ratio>,
    /// Memory per node.
    pub memory: Option<Input<Data>>,
    /// Disk per node.
    pub disk: Option<Input<Data>>,
    /// Mean service time.
    pub service_time: Option<Input<Duration>>,
    /// Workers per node.
    pub concurrency: Option<Input<Ratio>>,
    /// Coefficient of variation of the service time (M/G/c when set).
    pub service_cv: Option<Input<Ratio>>,
    /// Availability of one node.
    pub availability: Input<Ratio>,
    /// Cache settings (cache tiers only).
    pub cache: Option<CacheSpec>,
    /// A fixed shard count (databases), or `None` for auto.
    pub shards: Option<Input<Ratio>>,
    /// Shard placement (databases).
    pub sharding: Sharding,
    /// The most load one shard may carry, as a multiple of the mean (databases).
    pub imbalance: Option<Input<Ratio>>,
    /// Bytes held that no request's `stores` accounts for (one copy).
    pub data: Option<Input<Data>>,
    /// Network bandwidth per node.
    pub network: Option<Input<DataRate>>,
    /// Connections one node holds.
    pub connections: Option<Input<Ratio>>,
    /// Time a call spends in the tier besides queueing.
    pub latency: Input<Duration>,
    /// Hit ratio of a cdn tier (the share of calls it answers), when given.
    pub edge_hit_ratio: Option<Input<Ratio>>,
    /// Price of one node per period.
    pub price: Option<Input<MoneyRate>>,
    /// Price per stored byte per period.
    pub storage_price: Option<Input<MoneyPerDataTime>>,
    /// CPU time per call.
    pub cpu: Option<Input<Duration>>,
    /// Candidate shapes of `profile = cheapest(A, B, …)`, in the order written.
    pub candidates: Vec<String>,
}

/// `cost { … }`: prices of network transfer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cost {
    /// Price of origin egress per byte.
    pub egress: Option<Input<MoneyPerData>>,
    /// Price of bytes served at the edge.
    pub cdn: Option<Input<MoneyPerData>>,
}

/// One field of a `record`.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordField {
    /// The field's name.
    pub name: String,
    /// Its size.
    pub size: Input<Data>,
}

/// `record NAME { FIELD = SIZE … }`: a stored record's fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Its name.
    pub name: String,
    /// Where the block is.
    pub span: Span,
    /// Fields in source order.
    pub fields: Vec<RecordField>,
    /// The partition key, when named.
    pub key: Option<String>,
    /// The sum of the fields' sizes.
    pub size: Input<Data>,
}

/// `scenario NAME { DOTTED.NAME = EXPR … }`: inputs restated for a what-if, each evaluated
/// against the base design.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Its name (`horizon` for the built-in growth scenario).
    pub name: String,
    /// Where it was written (the design's name for the built-in one).
    pub span: Span,
    /// (input name, value, where written) in source order.
    pub overrides: Vec<(String, crate::units::Value, Span)>,
    /// Whether fermi made it (`horizon`) rather than the design.
    pub built_in: bool,
    /// The design with the scenario's inputs in place.
    pub design: Option<Box<Design>>,
}

/// `workload { … }`
#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    /// Distinct keys.
    pub keys: Option<Input<Ratio>>,
    /// Average object size.
    pub object: Option<Input<Data>>,
    /// Key popularity (`skew`).
    pub skew: Popularity,
}

/// An `assert`, kept as expressions: they may name model results.
#[derive(Debug, Clone, PartialEq)]
pub struct AssertSpec {
    /// Left side.
    pub left: ast::Expr,
    /// Operator.
    pub cmp: ast::Cmp,
    /// Right side.
    pub right: ast::Expr,
    /// Relative tolerance for `==`.
    pub within: Option<f64>,
    /// Where.
    pub span: Span,
    /// The statement as written.
    pub text: String,
}

/// A `let` binding's value.
#[derive(Debug, Clone, PartialEq)]
pub struct LetValue {
    /// Its name.
    pub name: String,
    /// Its value.
    pub value: eval::Evaluated,
    /// Where it was written.
    pub span: Span,
}

/// A default or profile value the model used because the design did not say.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assumption {
    /// The dotted name.
    pub name: String,
    /// The value as it reads in the language.
    pub value: String,
    /// Why: "default", "profile redis (built-in: …)", "median of 80M to 120M".
    pub why: String,
}

/// A validated design.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// The design's name.
    pub name: String,
    /// Its summary.
    pub summary: String,
    /// Seconds per day used for averages.
    pub seconds_per_day: Input<Duration>,
    /// Length of a year.
    pub year: Input<Duration>,
    /// A round trip inside a data centre, paid once per tier a call reaches.
    pub hop: Input<Duration>,
    /// `cost`.
    pub cost: Cost,
    /// `record`s in source order.
    pub records: Vec<Record>,
    /// `scenario`s in source order, then the built-in `horizon` when growth is set.
    pub scenarios: Vec<Scenario>,
    /// `users`.
    pub users: Users,
    /// Requests in source order.
    pub requests: Vec<Request>,
    /// `storage`.
    pub storage: Storage,
    /// `slo`.
    pub slo: Slo,
    /// Tiers in source order.
    pub tiers: Vec<Tier>,
    /// `workload`.
    pub workload: Workload,
    /// `let` bindings in source order.
    pub lets: Vec<LetValue>,
    /// Asserts in source order.
    pub asserts: Vec<AssertSpec>,
    /// Defaults and profile values applied, in a stable order.
    pub assumptions: Vec<Assumption>,
    /// Where each written input was stated, by dotted name.
    pub spans: std::collections::BTreeMap<String, Span>,
    /// The design's uncertain inputs, for Monte Carlo to draw: `None` when nothing is
    /// uncertain.
    pub uncertain: Option<std::sync::Arc<uncertain::UncertainInputs>>,
}

impl Design {
    /// Finds a tier by name.
    pub fn tier(&self, name: &str) -> Option<&Tier> {
        self.tiers.iter().find(|t| t.name == name)
    }
}

//! Plan keys: the dotted names (`api.nodes`, `redirect.peak_rps`) by which the design's scope,
//! the plan and every reader of it name one number. An owner (a request, tier or record) and
//! a [`Metric`] make a key through [`of`], so a misspelt suffix is a compile error rather than
//! a silently missing number; the few fixed suffixes that embed another name (a latency
//! percentile, the bytes a request stores in one tier) have their own builders here, and
//! the design-wide names (`traffic.peak_rps`) are listed in [`DESIGN_WIDE`].
//!
//! Architecture Invariant: a leaf — imports nothing, so every layer that names plan entries
//! (design, model, check, render, …) may use it. `Metric::as_str` is the one spelling of each
//! suffix: tests/suite/tidy.rs rejects, outside this file, a `format!("{owner}.suffix")`,
//! `strip_suffix(".suffix")` or `ends_with(".suffix")` with a known suffix, and a design-wide
//! literal that `DESIGN_WIDE` does not list.

macro_rules! metrics {
    ($($variant:ident = $suffix:literal, $role:ident, $doc:literal;)*) => {
        /// What a per-owner plan entry measures: the suffix after its owner's name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Metric {
            $(#[doc = $doc] $variant,)*
        }

        impl Metric {
            /// Every metric, in declaration order.
            pub const ALL: &'static [Metric] = &[$(Metric::$variant,)*];

            /// The suffix this metric adds to its owner's name (`nodes.throughput`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Metric::$variant => $suffix,)*
                }
            }

            /// Whether the model computes it (a result docs/language.md lists), rather than
            /// copying it from the design (an input).
            pub const fn is_result(self) -> bool {
                match self {
                    $(Metric::$variant => metrics!(@result $role),)*
                }
            }
        }
    };
    (@result result) => { true };
    (@result input) => { false };
}

metrics! {
    // a request's inputs
    Rate = "rate", input, "A request's rate as written (per user per day, per second, …).";
    Request = "request", input, "A request's request bytes.";
    Response = "response", input, "A request's response bytes.";
    Stores = "stores", input, "The bytes a request stores per call.";
    StoresRest = "stores.rest", input, "The stored bytes no named placement claims.";
    Cdn = "cdn", input, "A request's share served at the edge.";
    // a tier's inputs
    Capacity = "capacity", input, "A node's calls per second.";
    Cpu = "cpu", input, "CPU time per call.";
    Headroom = "headroom", input, "The load multiplier nodes are sized for.";
    Replicas = "replicas", input, "Copies of each node or shard.";
    Spare = "spare", input, "Extra nodes beyond the sized count.";
    NodeAvailability = "node_availability", input, "One node's availability.";
    NodeMemory = "node_memory", input, "One node's memory.";
    NodeDisk = "node_disk", input, "One node's disk.";
    Network = "network", input, "One node's network bandwidth.";
    Connections = "connections", input, "One node's concurrent connections.";
    Concurrency = "concurrency", input, "Calls one node serves at once.";
    ServiceTime = "service_time", input, "Mean service time of one call.";
    ServiceCv = "service_cv", input, "Coefficient of variation of the service time.";
    ShardsGiven = "shards_given", input, "A database's shard count as written.";
    Data = "data", input, "Bytes a tier holds beyond what requests store.";
    Latency = "latency", input, "A tier's fixed latency.";
    Price = "price", input, "One node's price.";
    StoragePrice = "storage_price", input, "A tier's price per byte stored.";
    Policy = "policy", input, "A cache's eviction policy.";
    Write = "write", input, "A cache's write policy.";
    Size = "size", input, "A cache's size (bytes or keys), or a record's bytes.";
    // a request's results
    Daily = "daily", result, "Calls per day.";
    AvgRps = "avg_rps", result, "Average calls per second.";
    PeakRps = "peak_rps", result, "Peak calls per second.";
    // a tier's results
    Storage = "storage", result, "One copy of the bytes a tier holds.";
    HitRatio = "hit_ratio", result, "A cache's (or edge's) hit ratio.";
    HitRatioChe = "hit_ratio_che", result, "Che's approximation of a cache's hit ratio.";
    Memory = "memory", result, "A cache's memory in bytes.";
    Load = "load", result, "Peak calls per second reaching a tier.";
    Bandwidth = "bandwidth", result, "Peak bytes per second through a tier.";
    NodesThroughput = "nodes.throughput", result, "Nodes for the load.";
    NodesMemory = "nodes.memory", result, "Nodes for the cache's memory.";
    NodesDisk = "nodes.disk", result, "Nodes for the stored bytes.";
    NodesNetwork = "nodes.network", result, "Nodes for the bandwidth.";
    NodesConnections = "nodes.connections", result, "Nodes for the concurrent users.";
    NodesLatency = "nodes.latency", result, "Nodes for the latency SLO.";
    Shards = "shards", result, "A database's shards: the largest of its counts.";
    NodesBase = "nodes.base", result, "A tier's base nodes: the largest of its counts.";
    Nodes = "nodes", result, "A tier's nodes: base × replicas + spare.";
    Utilization = "utilization", result, "Load over serving capacity.";
    CapacityTotal = "capacity_total", result, "Calls per second the serving nodes handle.";
    LoadPerNode = "load_per_node", result, "Load per serving node.";
    QueueUtilization = "queue.utilization", result, "One node's queue utilisation.";
    WaitProbability = "wait.probability", result, "The chance a call waits.";
    WaitMean = "wait.mean", result, "Mean wait in the queue.";
    LatencyMean = "latency.mean", result, "Mean response time.";
    Availability = "availability", result, "A tier's or request's availability.";
    Cost = "cost", result, "A tier's cost per month.";
    CostCompute = "cost.compute", result, "A tier's node cost per month.";
    CostStorage = "cost.storage", result, "A tier's storage cost per month.";
    Profile = "profile", result, "The shape `cheapest(…)` chose.";
}

impl std::fmt::Display for Metric {
    /// The suffix, for formula text (`{n}.{metric} × {n}.request`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The dotted names no request, tier or record owns: the design-wide plan entries and
/// inputs (`traffic.peak_rps`, `users.dau`), and `users.elapsed`, the years a timeline or
/// scenario restates the design at. Code writes these as literals, which read like the
/// language; tests/suite/tidy.rs rejects a literal under one of their owners (`cost.…`,
/// `users.…`) that is not listed here. Per-window names (`slo.burn_rate.1h`,
/// `slo.latency.p99`) are built beside the tables that list their windows.
pub const DESIGN_WIDE: &[&str] = &[
    "availability.composite",
    "availability.composite_downtime_year",
    "availability.downtime_day",
    "availability.downtime_month",
    "availability.downtime_quarter",
    "availability.downtime_week",
    "availability.downtime_year",
    "bandwidth.egress",
    "bandwidth.egress_peak",
    "bandwidth.ingress",
    "bandwidth.ingress_peak",
    "bandwidth.origin_egress",
    "bandwidth.origin_egress_peak",
    "cost.cdn",
    "cost.compute",
    "cost.egress",
    "cost.monthly",
    "cost.network",
    "cost.per_million_requests",
    "cost.per_user",
    "cost.storage",
    "cost.yearly",
    "slo.availability",
    "slo.error_budget",
    "slo.error_budget_requests",
    "slo.error_budget_window",
    "storage.daily",
    "storage.overhead",
    "storage.replication",
    "storage.retention",
    "storage.total",
    "storage.unplaced",
    "storage.yearly",
    "storage.years",
    "traffic.avg_rps",
    "traffic.daily",
    "traffic.peak_rps",
    "users.concurrent",
    "users.dau",
    "users.elapsed",
    "users.growth",
    "users.horizon",
    "users.peak",
    "workload.keys",
    "workload.object",
    "workload.skew",
];

/// The plan key of `owner`'s metric: `of("api", Metric::Nodes)` is `api.nodes`.
pub fn of(owner: &str, m: Metric) -> String {
    let suffix = m.as_str();
    let mut key = String::with_capacity(owner.len() + 1 + suffix.len());
    key.push_str(owner);
    key.push('.');
    key.push_str(suffix);
    key
}

/// The owner of `key` when it is that owner's `m`: `owner("api.nodes", Metric::Nodes)` is
/// `Some("api")`, `owner("api.load", Metric::Nodes)` is `None`.
pub fn owner(key: &str, m: Metric) -> Option<&str> {
    key.strip_suffix(m.as_str())?.strip_suffix('.')
}

/// The plan key of `owner`'s latency percentile `label` (`p99`): `api.latency.p99`.
pub fn latency(owner: &str, label: &str) -> String {
    format!("{owner}.latency.{label}")
}

/// The plan key of the bytes request `request` stores in tier `tier`: `upload.stores.blob`.
pub fn stored_in(request: &str, tier: &str) -> String {
    format!("{request}.stores.{tier}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_its_owner_a_dot_and_the_suffix() {
        assert_eq!(of("api", Metric::Nodes), "api.nodes");
        assert_eq!(of("db", Metric::NodesThroughput), "db.nodes.throughput");
        assert_eq!(latency("redirect", "p99"), "redirect.latency.p99");
        assert_eq!(stored_in("upload", "blob"), "upload.stores.blob");
        assert_eq!(owner("api.nodes", Metric::Nodes), Some("api"));
        assert_eq!(owner("db.nodes.throughput", Metric::NodesThroughput), Some("db"));
        assert_eq!(owner("api.load", Metric::Nodes), None);
        assert_eq!(owner("apinodes", Metric::Nodes), None);
        assert_eq!(owner("nodes", Metric::Nodes), None);
    }

    #[test]
    fn the_design_wide_names_are_sorted_and_unique() {
        assert!(DESIGN_WIDE.windows(2).all(|w| w[0] < w[1]), "keep DESIGN_WIDE sorted, each name once");
    }

    #[test]
    fn every_suffix_is_spelt_once() {
        let mut seen = std::collections::BTreeSet::new();
        for m in Metric::ALL {
            assert!(seen.insert(m.as_str()), "{} is the suffix of two metrics", m.as_str());
            assert!(m.as_str().chars().all(|c| c.is_ascii_lowercase() || c == '_' || c == '.'), "{m:?}");
        }
    }
}

//! Cache hit ratios handed to the model: given in the design, simulated by the orchestrator,
//! or estimated analytically here with Che's approximation (`math::che`).
//!
//! Architecture Invariant: the model reads hit ratios only through [`Hits`]; which method
//! produced each one travels with it, so docs can say so.

use crate::design::{CachePolicy, CacheSize, Design, Popularity, TierKind};
use crate::math::che::{self, Law};
use crate::units::Quantity;
use std::collections::BTreeMap;

/// One cache tier's hit ratio and how it was obtained.
#[derive(Debug, Clone, PartialEq)]
pub struct HitEstimate {
    /// Fraction of reads served by the cache.
    pub ratio: f64,
    /// "given", "Che's approximation (LRU) on zipf(0.9) over 36.5B keys", "simulated …".
    pub method: String,
    /// Che's approximation beside a simulated ratio (for side-by-side display).
    pub analytic: Option<f64>,
}

/// Hit ratios by cache tier name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Hits(pub BTreeMap<String, HitEstimate>);

/// The number of objects a cache tier holds: a key count, or its bytes ÷ the object size.
pub fn cache_objects(design: &Design, size: &CacheSize) -> Option<f64> {
    match size {
        CacheSize::Keys(k) => Some(k.value.si()),
        CacheSize::Bytes(b) => design.workload.object.as_ref().map(|o| b.value.si() / o.value.si()),
    }
}

/// The law Che's approximation applies for a policy, and its name.
fn law(policy: CachePolicy) -> (Law, &'static str) {
    match policy {
        CachePolicy::Fifo => (Law::Fifo, "FIFO law"),
        CachePolicy::Lru => (Law::Lru, "LRU law"),
        _ => (Law::Lru, "LRU law as a stand-in for this policy"),
    }
}

/// Che's hit ratio of a cache with this policy holding `objects` of `keys` under the
/// design's skew: what [`analytic`] computes, for any size and key count.
pub fn che_ratio(design: &Design, policy: CachePolicy, objects: f64, keys: f64) -> f64 {
    che::hit_ratio(design.workload.skew, keys, objects, law(policy).0)
}

/// [`che_ratio`] at several cache sizes over the same key count (solved together).
pub fn che_ratios(design: &Design, policy: CachePolicy, objects: &[f64], keys: f64) -> Vec<f64> {
    che::hit_ratios(design.workload.skew, keys, objects, law(policy).0)
}

/// Analytic estimates for every cache tier without a given `hit_ratio`.
pub fn analytic(design: &Design) -> Hits {
    let mut out = BTreeMap::new();
    for tier in design.tiers.iter().filter(|t| t.kind == TierKind::Cache) {
        let Some(cache) = &tier.cache else { continue };
        if cache.hit_ratio.is_some() {
            continue;
        }
        let estimate = match (&cache.size, &design.workload.keys) {
            (Some(size), Some(keys)) => match cache_objects(design, size) {
                Some(objects) => {
                    let n = keys.value.si();
                    let skew = match design.workload.skew {
                        Popularity::Zipf { alpha } => format!("zipf({alpha})"),
                        Popularity::Uniform => "uniform".to_string(),
                        Popularity::Hotspot { hot_keys, hot_traffic } => {
                            format!("hotspot({}%, {}%)", hot_keys * 100.0, hot_traffic * 100.0)
                        }
                    };
                    let (law, law_name) = law(cache.policy);
                    let ratio = che::hit_ratio(design.workload.skew, n, objects, law);
                    HitEstimate {
                        ratio,
                        analytic: Some(ratio),
                        method: format!(
                            "Che's approximation ({law_name}) for {} objects of {} keys under {skew}",
                            crate::units::format::count(objects, 4),
                            crate::units::format::count(n, 4)
                        ),
                    }
                }
                None => HitEstimate {
                    ratio: 0.0,
                    analytic: None,
                    method: "no estimate: `size` is in bytes but `workload.object` is not set".into(),
                },
            },
            _ => HitEstimate {
                ratio: 0.0,
                analytic: None,
                method: "no estimate: needs `size` and `workload.keys`; assumed 0".into(),
            },
        };
        out.insert(tier.name.clone(), estimate);
    }
    Hits(out)
}

//! Key popularity — Zipf, uniform or a hotspot — and the share of requests each key receives:
//! the one vocabulary the design states, Che's approximation and the shard plans weigh, and
//! the simulators draw and place. Keys are ranked 1..=n, rank 1 the most requested.
//!
//! A hotspot's hot keys are counted two ways, each its callers' own: the analytic models
//! (Che's approximation, shard plans) treat keys as a continuum, n × hot_keys hot keys (at
//! least one, not rounded); a generator draws whole ids, ⌊m × hot_keys⌋ of them (1..=m).
//!
//! Architecture Invariant: pure arithmetic on plain values; imports nothing from the crate.

use serde::Serialize;

/// Ranks [`zipf_norm`] sums term by term before switching to an integral (Che's
/// approximation sums the same ranks exactly, and integrates the rest).
pub const EXACT_TERMS: u64 = 1_000;

/// Key popularity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "distribution", rename_all = "lowercase")]
pub enum Popularity {
    /// Zipf with exponent alpha: rank k has weight k^(−alpha).
    Zipf {
        /// The exponent.
        alpha: f64,
    },
    /// Every key equally likely.
    Uniform,
    /// A share of keys (the most popular ranks) receives a share of traffic, uniformly within.
    Hotspot {
        /// Fraction of keys that are hot.
        hot_keys: f64,
        /// Fraction of traffic they receive.
        hot_traffic: f64,
    },
}

/// A hotspot's hot keys among `n`, as the analytic models count them: n × `hot_keys`, at
/// least one, not rounded.
fn hot_count(hot_keys: f64, n: f64) -> f64 {
    (n * hot_keys).max(1.0)
}

impl Popularity {
    /// The weight of rank `k` (1-based) among `n` keys, relative to [`Popularity::total`]:
    /// k^(−α) for Zipf; 1 for uniform; for a hotspot already a share, hot_traffic ÷ hot on
    /// the hot ranks (k ≤ hot) and (1 − hot_traffic) ÷ max(n − hot, 1) beyond them, so the
    /// last rank past a fractional hot count takes the whole cold share when less than one
    /// key's worth of cold keys remains.
    pub fn weight(self, k: u64, n: f64) -> f64 {
        match self {
            Popularity::Zipf { alpha } => (k as f64).powf(-alpha),
            Popularity::Uniform => 1.0,
            Popularity::Hotspot { hot_keys, hot_traffic } => {
                let hot = hot_count(hot_keys, n);
                if (k as f64) <= hot { hot_traffic / hot } else { (1.0 - hot_traffic) / (n - hot).max(1.0) }
            }
        }
    }

    /// The weights' sum over `n` keys, which turns a weight into a share: H(n, α) for Zipf
    /// ([`zipf_norm`]), n for uniform, 1 for a hotspot (whose weights are shares).
    pub fn total(self, n: f64) -> f64 {
        match self {
            Popularity::Zipf { alpha } => zipf_norm(alpha, n),
            Popularity::Uniform => n,
            Popularity::Hotspot { .. } => 1.0,
        }
    }

    /// This popularity over `n` keys, its [`Popularity::total`] computed once.
    pub fn over(self, n: f64) -> Ranks {
        Ranks { popularity: self, keys: n, total: self.total(n) }
    }

    /// The levels of a popularity constant over runs of keys, as (share of one key, keys at
    /// that share) — uniform: every key at 1/n; a hotspot: its hot keys, then its cold keys
    /// (n − hot, left out when none remain) — on the analytic models' continuum of keys.
    /// `None` for Zipf, whose share falls with every rank.
    pub fn levels(self, n: f64) -> Option<Vec<(f64, f64)>> {
        match self {
            Popularity::Zipf { .. } => None,
            Popularity::Uniform => Some(vec![(1.0 / n, n)]),
            Popularity::Hotspot { hot_keys, hot_traffic } => {
                let hot = hot_count(hot_keys, n);
                let cold = (n - hot).max(0.0);
                let mut levels = vec![(hot_traffic / hot, hot)];
                if cold > 0.0 {
                    levels.push(((1.0 - hot_traffic) / cold, cold));
                }
                Some(levels)
            }
        }
    }

    /// The share of id `k` among whole ids 1..=`m` as a generator draws them: 1/m for
    /// uniform; for a hotspot, hot_traffic ÷ h on the h = [`hot_ids`] lowest ids and
    /// (1 − hot_traffic) ÷ (m − h) above them (1/m each when every id is hot). `None` for
    /// Zipf, whose drawn shares are the steps of the generator's CDF.
    pub fn id_share(self, k: u64, m: u64) -> Option<f64> {
        match self {
            Popularity::Zipf { .. } => None,
            Popularity::Uniform => Some(1.0 / m as f64),
            Popularity::Hotspot { hot_keys, hot_traffic } => {
                let hot = hot_ids(hot_keys, m);
                Some(if hot == m {
                    1.0 / m as f64
                } else if k <= hot {
                    hot_traffic / hot as f64
                } else {
                    (1.0 - hot_traffic) / (m - hot) as f64
                })
            }
        }
    }
}

/// The hot ids of a hotspot drawn over whole ids 1..=`m`: ⌊m × `hot_keys`⌋, at least one and
/// at most m.
pub fn hot_ids(hot_keys: f64, m: u64) -> u64 {
    ((m as f64 * hot_keys) as u64).clamp(1, m)
}

/// A popularity over a number of keys, with the sum of its weights.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranks {
    /// The popularity.
    pub popularity: Popularity,
    /// Keys (n).
    pub keys: f64,
    /// [`Popularity::total`] over them.
    pub total: f64,
}

impl Ranks {
    /// The share pₖ of requests for the key of rank `k` (1-based): weight ÷ total.
    pub fn probability(&self, k: u64) -> f64 {
        self.popularity.weight(k, self.keys) / self.total
    }
}

/// H(n, α) = Σ_{i=1..n} i^(−α): exact for the first [`EXACT_TERMS`] ranks, a midpoint
/// integral for the rest (erring by about α(α+1)·K^(−α−1)/24 relative to the first term,
/// below 1e-7 for K = [`EXACT_TERMS`]).
pub fn zipf_norm(alpha: f64, n: f64) -> f64 {
    let exact = (EXACT_TERMS as f64).min(n.floor()) as u64;
    let mut s = 0.0;
    for i in 1..=exact {
        s += (i as f64).powf(-alpha);
    }
    let (a, b) = (exact as f64 + 0.5, n.floor() + 0.5);
    if b > a {
        s += if (alpha - 1.0).abs() < 1e-12 {
            (b / a).ln()
        } else {
            (b.powf(1.0 - alpha) - a.powf(1.0 - alpha)) / (1.0 - alpha)
        };
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-15
    }

    #[test]
    fn zipf_alpha_one_over_three_keys_is_six_three_two_elevenths() {
        // H(3, 1) = 1 + 1/2 + 1/3 = 11/6, so pₖ = (1/k) ÷ (11/6) = 6/11, 3/11, 2/11.
        let r = Popularity::Zipf { alpha: 1.0 }.over(3.0);
        assert!(close(r.total, 11.0 / 6.0), "{}", r.total);
        for (k, want) in [(1, 6.0 / 11.0), (2, 3.0 / 11.0), (3, 2.0 / 11.0)] {
            assert!(close(r.probability(k), want), "rank {k}: {}", r.probability(k));
        }
    }

    #[test]
    fn zipf_alpha_two_over_two_keys_is_four_fifths_and_one_fifth() {
        // weights 1 and 1/4, total 5/4.
        let r = Popularity::Zipf { alpha: 2.0 }.over(2.0);
        assert!(close(r.probability(1), 0.8) && close(r.probability(2), 0.2));
    }

    #[test]
    fn zipf_alpha_zero_weighs_every_key_alike() {
        let z = Popularity::Zipf { alpha: 0.0 };
        assert!((1..=5).all(|k| z.weight(k, 5.0) == 1.0));
        assert_eq!(Popularity::Uniform.weight(3, 5.0), 1.0);
    }

    #[test]
    fn uniform_gives_every_key_one_nth() {
        let r = Popularity::Uniform.over(4.0);
        assert!((1..=4).all(|k| close(r.probability(k), 0.25)));
        assert_eq!(Popularity::Uniform.levels(4.0), Some(vec![(0.25, 4.0)]));
        assert_eq!(Popularity::Uniform.id_share(2, 4), Some(0.25));
    }

    #[test]
    fn a_hotspot_shares_its_traffic_evenly_within_hot_and_cold_keys() {
        // 20% of 10 keys (2) get 80%: 0.4 each; the other 8 share 20%: 0.025 each.
        let h = Popularity::Hotspot { hot_keys: 0.2, hot_traffic: 0.8 };
        let r = h.over(10.0);
        assert_eq!(r.total, 1.0);
        assert!(close(r.probability(1), 0.4) && close(r.probability(2), 0.4));
        assert!(close(r.probability(3), 0.025) && close(r.probability(10), 0.025));
        let sum: f64 = (1..=10).map(|k| r.probability(k)).sum();
        assert!((sum - 1.0).abs() < 1e-12);
        let levels = h.levels(10.0).unwrap_or_default();
        assert_eq!(levels.len(), 2);
        assert!(close(levels[0].0, 0.4) && levels[0].1 == 2.0);
        assert!(close(levels[1].0, 0.025) && levels[1].1 == 8.0);
        assert_eq!(hot_ids(0.2, 10), 2);
        assert!(close(h.id_share(2, 10).unwrap_or(0.0), 0.4) && close(h.id_share(3, 10).unwrap_or(0.0), 0.025));
    }

    #[test]
    fn hotspot_edge_cases_keep_their_conventions() {
        // Every key hot: one level of n keys; ids all share alike.
        let all = Popularity::Hotspot { hot_keys: 1.0, hot_traffic: 0.9 };
        assert_eq!(all.levels(10.0), Some(vec![(0.09, 10.0)]));
        assert_eq!(hot_ids(1.0, 10), 10);
        assert_eq!(all.id_share(7, 10), Some(0.1));
        // Fewer than one hot key: at least one (a continuum count, and a whole id).
        let tiny = Popularity::Hotspot { hot_keys: 0.001, hot_traffic: 0.5 };
        assert!(close(tiny.weight(1, 10.0), 0.5));
        assert!(close(tiny.weight(2, 10.0), 0.5 / 9.0));
        assert_eq!(hot_ids(0.001, 10), 1);
        // A fractional hot count (9.5 of 10): the analytic cold level holds half a key at
        // 0.1 ÷ 0.5, while rank 10 alone takes the cold share, 0.1.
        let most = Popularity::Hotspot { hot_keys: 0.95, hot_traffic: 0.9 };
        let levels = most.levels(10.0).unwrap_or_default();
        assert!(close(levels[1].0, 0.2) && close(levels[1].1, 0.5), "{levels:?}");
        assert!(close(most.weight(10, 10.0), 0.1));
        // Whole ids round the hot count down: 9 hot ids of 10, the last id takes 10%.
        assert_eq!(hot_ids(0.95, 10), 9);
        assert!(close(most.id_share(10, 10).unwrap_or(0.0), 0.1));
    }

    #[test]
    fn zipf_has_no_levels_and_no_drawn_share_without_its_cdf() {
        let z = Popularity::Zipf { alpha: 0.9 };
        assert_eq!(z.levels(100.0), None);
        assert_eq!(z.id_share(1, 100), None);
    }

    #[test]
    fn zipf_norm_integral_matches_the_exact_sum() {
        let n = 200_000.0;
        let exact: f64 = (1..=200_000u64).map(|i| (i as f64).powf(-0.9)).sum();
        // The midpoint-rule tail errs by ≈ α(α+1)·K^(−α−1)/24 (K = EXACT_TERMS) relative to H.
        assert!((zipf_norm(0.9, n) / exact - 1.0).abs() < 1e-7);
    }

    #[test]
    fn the_popularity_serialises_tagged_by_its_distribution() {
        let json = |p: Popularity| serde_json::to_string(&p).unwrap_or_default();
        assert_eq!(json(Popularity::Zipf { alpha: 0.9 }), r#"{"distribution":"zipf","alpha":0.9}"#);
        assert_eq!(json(Popularity::Uniform), r#"{"distribution":"uniform"}"#);
        assert_eq!(
            json(Popularity::Hotspot { hot_keys: 0.01, hot_traffic: 0.5 }),
            r#"{"distribution":"hotspot","hot_keys":0.01,"hot_traffic":0.5}"#
        );
    }
}

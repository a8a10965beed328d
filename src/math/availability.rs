//! Availability arithmetic: series composition, k-of-n redundancy (binomial), replicas in
//! parallel, and downtime per period.
//!
//! Sources: any reliability-engineering text (e.g. Trivedi, *Probability and Statistics with
//! Reliability, Queuing and Computer Science Applications*, ch. 3): a series system is up
//! when all parts are, R = ∏ Rᵢ; a k-out-of-n system of independent parts each up with
//! probability a is up with probability Σ_{i=k..n} C(n,i) aⁱ (1−a)ⁿ⁻ⁱ.
//!
//! Architecture Invariant: results stay within [0, 1] and never exceed their parts.

/// Series: all parts must be up. R = ∏ Rᵢ.
pub fn series(parts: impl IntoIterator<Item = f64>) -> f64 {
    parts.into_iter().product()
}

/// Parallel replicas: up while at least one of `n` is up. R = 1 − (1 − a)ⁿ.
pub fn parallel(a: f64, n: f64) -> f64 {
    1.0 - (1.0 - a).powf(n)
}

/// k of n: P(at least k of n independent parts are up), each up with probability `a`.
///
/// Up to [`SUMMED`] needed parts, 1 − P(fewer than k up) with the binomial terms summed in log
/// space (the results fermi has always given); beyond, the binomial upper tail by
/// [`super::tails::binomial_split`], whose cost does not grow with n (10¹⁸ nodes take
/// microseconds) and which agrees with the sum to 1e-12 where both apply.
pub fn k_of_n(k: u64, n: u64, a: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n {
        return 0.0;
    }
    if a >= 1.0 {
        return 1.0;
    }
    if a <= 0.0 {
        return 0.0;
    }
    if a.is_nan() {
        return f64::NAN;
    }
    if k > SUMMED {
        return super::tails::binomial_split(k, n, a).1.clamp(0.0, 1.0);
    }
    let (ln_a, ln_b) = (a.ln(), (1.0 - a).ln());
    let nf = n as f64;
    let mut ln_choose = 0.0f64;
    let mut fail = 0.0f64;
    for i in 0..k {
        if i > 0 {
            let fi = i as f64;
            ln_choose += (nf - fi + 1.0).ln() - fi.ln();
        }
        let fi = i as f64;
        fail += (ln_choose + fi * ln_a + (nf - fi) * ln_b).exp();
    }
    (1.0 - fail).clamp(0.0, 1.0)
}

/// The most needed parts [`k_of_n`] sums term by term.
pub const SUMMED: u64 = 4096;

/// Downtime allowed in a period: (1 − availability) × period.
pub fn downtime(availability: f64, period_seconds: f64) -> f64 {
    (1.0 - availability) * period_seconds
}

/// The number of nines: −log₁₀(1 − a) (99.99% → 4).
pub fn nines(availability: f64) -> f64 {
    -(1.0 - availability).log10()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k_of_n_matches_the_binomial_by_hand() {
        // 2 of 3 at 0.9: 3·0.9²·0.1 + 0.9³ = 0.243 + 0.729 = 0.972 (textbook TMR example).
        assert!((k_of_n(2, 3, 0.9) - 0.972).abs() < 1e-12);
        assert!((k_of_n(1, 2, 0.99) - parallel(0.99, 2.0)).abs() < 1e-15);
        assert!((k_of_n(3, 3, 0.9) - 0.729).abs() < 1e-12);
        assert_eq!(k_of_n(4, 3, 0.9), 0.0);
    }

    #[test]
    fn k_of_n_is_stable_for_large_n() {
        let v = k_of_n(1000, 1100, 0.999);
        assert!(v > 0.999_999 && v <= 1.0);
        // A count far beyond any loop: 10¹⁸ needed of 1.5·10¹⁸ is certain, of 10¹⁸ + 1 impossible.
        assert_eq!(k_of_n(1_000_000_000_000_000_000, 1_500_000_000_000_000_000, 0.999), 1.0);
        assert!(k_of_n(1_000_000_000_000_000_000, 1_000_000_000_000_000_001, 0.999) < 1e-300);
    }

    #[test]
    fn the_tail_agrees_with_the_sum_where_both_apply() {
        for (k, n, a) in [(4_000u64, 4_010u64, 0.999), (4_090, 4_100, 0.9995), (3_000, 6_000, 0.5), (100, 130, 0.8)] {
            let summed = k_of_n(k, n, a);
            let tail = super::super::tails::binomial_split(k, n, a).1;
            assert!(
                ((1.0 - summed) - (1.0 - tail)).abs() <= 1e-11 * (1.0 - tail).max(1e-300) + 1e-15,
                "{k} of {n}: {summed} vs {tail}"
            );
        }
        // Exact: Σ_{i≥3000} C(6000, i) / 2⁶⁰⁰⁰ in integer arithmetic (Python's math.comb and
        // fractions.Fraction) is 0.5051501081013353; the term-by-term sum is 1.3e-12 off it.
        let tail = super::super::tails::binomial_split(3_000, 6_000, 0.5).1;
        assert!((tail - 0.505_150_108_101_335_3).abs() < 1e-15, "{tail}");
    }

    #[test]
    fn downtime_per_year_matches_the_nines_table() {
        // worked-examples.md R5: 99.99% → 52.56 min per 365-day year.
        assert!((downtime(0.9999, 365.0 * 86400.0) / 60.0 - 52.56).abs() < 1e-9);
        assert!((nines(0.9999) - 4.0).abs() < 1e-9);
    }
}

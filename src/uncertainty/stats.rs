//! Statistics of Monte Carlo samples: percentiles (R's default, type 7: linear interpolation
//! between order statistics, Hyndman & Fan 1996) in linear time, means, and Spearman's rank
//! correlation with average ranks for ties.
//!
//! Architecture Invariant: an undefined sample (NaN) counts as +∞ — worse than any value —
//! so a percentile that falls among undefined samples is infinite, never silently skipped.

use crate::model::Percentiles;

/// The distribution of `column` (reordered in place). `None` when every sample is equal.
pub fn distribution(column: &mut [f64]) -> Option<Percentiles> {
    let first = *column.first()?;
    if column.iter().all(|v| v.to_bits() == first.to_bits()) {
        return None;
    }
    let n = column.len() as f64;
    let mut undefined = 0usize;
    let mut sum = 0.0;
    for v in column.iter_mut() {
        if v.is_nan() {
            *v = f64::INFINITY;
            undefined += 1;
        } else {
            sum += *v;
        }
    }
    let mean = if undefined == 0 { sum / n } else { f64::NAN };
    Some(Percentiles {
        p5: percentile(column, 0.05),
        p50: percentile(column, 0.50),
        p95: percentile(column, 0.95),
        mean,
        undefined: undefined as f64 / n,
    })
}

/// The `p` percentile (0 ≤ p ≤ 1) of `values` (no NaNs; reordered in place), type 7:
/// h = (n − 1)·p, then x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋₊₁ − x⌊h⌋).
pub fn percentile(values: &mut [f64], p: f64) -> f64 {
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let k = h.floor() as usize;
    let (_, &mut lo, upper) = values.select_nth_unstable_by(k, f64::total_cmp);
    let frac = h - k as f64;
    if frac == 0.0 || upper.is_empty() {
        return lo;
    }
    let hi = upper.iter().copied().fold(f64::INFINITY, f64::min);
    if lo == hi { lo } else { lo + frac * (hi - lo) }
}

/// Ranks 1..=n of `values`, ties sharing their average rank (NaN ranks last).
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    let key = |i: usize| if values[i].is_nan() { f64::INFINITY } else { values[i] };
    order.sort_by(|&a, &b| key(a).total_cmp(&key(b)));
    let mut out = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && key(order[j + 1]) == key(order[i]) {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &o in &order[i..=j] {
            out[o] = rank;
        }
        i = j + 1;
    }
    out
}

/// Pearson's correlation of two equally long series (Spearman's ρ when they are ranks);
/// 0 when either is constant.
pub fn correlation(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len()) as f64;
    if n < 2.0 {
        return 0.0;
    }
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx <= 0.0 || syy <= 0.0 { 0.0 } else { sxy / (sxx * syy).sqrt() }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// R: `quantile(c(1, 2, 3, 4, 10), c(0.05, 0.5, 0.95))` gives 1.2, 3, 8.8.
    #[test]
    fn percentiles_match_r_type_7() {
        let mut v = vec![10.0, 2.0, 4.0, 1.0, 3.0];
        assert!((percentile(&mut v, 0.05) - 1.2).abs() < 1e-12);
        assert_eq!(percentile(&mut v, 0.5), 3.0);
        assert!((percentile(&mut v, 0.95) - 8.8).abs() < 1e-12);
    }

    #[test]
    fn undefined_samples_push_high_percentiles_to_infinity() {
        let mut v: Vec<f64> = (0..100).map(|i| if i < 10 { f64::NAN } else { i as f64 }).collect();
        let d = distribution(&mut v).expect("varies");
        assert!(d.p95.is_infinite() && d.p50.is_finite() && d.mean.is_nan());
        assert!((d.undefined - 0.1).abs() < 1e-12);
    }

    /// R: `cor(c(1, 2, 2, 3), c(1, 3, 2, 4), method = "spearman")` = 0.9486833.
    #[test]
    fn spearman_uses_average_ranks_for_ties() {
        assert_eq!(ranks(&[1.0, 2.0, 2.0, 3.0]), vec![1.0, 2.5, 2.5, 4.0]);
        let rho = correlation(&ranks(&[1.0, 2.0, 2.0, 3.0]), &ranks(&[1.0, 3.0, 2.0, 4.0]));
        assert!((rho - 0.948_683_3).abs() < 1e-6, "{rho}");
    }
}

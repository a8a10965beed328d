//! Binomial and Poisson tail probabilities whose cost does not grow with the count: the
//! k-of-n availability and Erlang C both reduce to one of these tails.
//!
//! Method: the tail's first term comes from Loader's saddle-point form of the probability
//! mass (C. Loader, "Fast and Accurate Computation of Binomial Probabilities", 2000 — the
//! algorithm behind R's `dbinom` and `dpois`), exact to about 1e-15 relative for any count
//! because it never forms ln n! − ln k! − ln (n − k)!. The tail is then summed away from the
//! mode by the ratio of successive terms, which is below one and falls, so the sum stops once
//! the geometric bound on the remainder is under 1e-17 of the sum. Only when the boundary is
//! within a few standard deviations of a mode with a standard deviation in the thousands would
//! that take more than [`TERMS`] terms; there the tail is the Lugannani–Rice saddle-point
//! approximation with the continuity correction (H. E. Daniels, "Tail probability
//! approximations", Int. Stat. Review 55, 1987, §4 "second approximation"), whose relative
//! error falls as the count grows and is measured in the tests below.
//!
//! Architecture Invariant: pure `f64` functions; at most [`TERMS`] loop steps per call, for
//! any count.

use super::gamma::ln_gamma;

/// The most terms summed directly before the saddle-point form takes over.
pub const TERMS: usize = 1 << 14;

const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// stirlerr(n) = ln n! − ln(√(2πn)·(n/e)ⁿ), for n > 0 (Loader 2000, §2).
fn stirlerr(n: f64) -> f64 {
    if n <= 15.0 {
        let ln_fact = if n.fract() == 0.0 { (2..=n as u64).map(|k| (k as f64).ln()).sum() } else { ln_gamma(n + 1.0) };
        return ln_fact - (n + 0.5) * n.ln() + n - LN_SQRT_2PI;
    }
    const S0: f64 = 1.0 / 12.0;
    const S1: f64 = 1.0 / 360.0;
    const S2: f64 = 1.0 / 1260.0;
    const S3: f64 = 1.0 / 1680.0;
    const S4: f64 = 1.0 / 1188.0;
    let nn = n * n;
    if n > 500.0 {
        (S0 - S1 / nn) / n
    } else if n > 80.0 {
        (S0 - (S1 - S2 / nn) / nn) / n
    } else if n > 35.0 {
        (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n
    } else {
        (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n
    }
}

/// bd0(x, m) = x ln(x/m) + m − x, without cancellation when x is near m (Loader 2000, §3).
fn bd0(x: f64, m: f64) -> f64 {
    if (x - m).abs() < 0.1 * (x + m) {
        let v = (x - m) / (x + m);
        let v2 = v * v;
        let mut s = (x - m) * v;
        let mut ej = 2.0 * x * v;
        for j in 1..200 {
            ej *= v2;
            let next = s + ej / f64::from(2 * j + 1);
            if next == s {
                break;
            }
            s = next;
        }
        s
    } else {
        x * (x / m).ln() + m - x
    }
}

/// ln P(X = x) for X ~ Binomial(n, p), q = 1 − p, 0 ≤ x ≤ n.
fn ln_dbinom(x: f64, n: f64, p: f64, q: f64) -> f64 {
    if x == 0.0 {
        return n * if p < 0.5 { (-p).ln_1p() } else { q.ln() };
    }
    if x == n {
        return n * if q < 0.5 { (-q).ln_1p() } else { p.ln() };
    }
    let lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
    lc - 0.5 * ((2.0 * std::f64::consts::PI).ln() + x.ln() + (-x / n).ln_1p())
}

/// ln P(N = x) for N ~ Poisson(m), x ≥ 0, m > 0.
fn ln_dpois(x: f64, m: f64) -> f64 {
    if x == 0.0 {
        return -m;
    }
    -stirlerr(x) - bd0(x, m) - 0.5 * (2.0 * std::f64::consts::PI * x).ln()
}

/// Σ of a tail that starts at a term e^`ln_first` and continues by the ratios `ratio(j)`
/// (term j+1 ÷ term j, falling below one): `None` when it has not converged in [`TERMS`].
fn sum_tail(ln_first: f64, mut ratio: impl FnMut(usize) -> f64) -> Option<f64> {
    let (mut sum, mut term) = (1.0f64, 1.0f64);
    for j in 0..TERMS {
        let r = ratio(j);
        if r <= 0.0 {
            return Some((ln_first + sum.ln()).exp());
        }
        term *= r;
        sum += term;
        // The ratios fall, so the rest is below term·r/(1 − r).
        if r < 1.0 && term * r / (1.0 - r) <= 1e-17 * sum {
            return Some((ln_first + sum.ln()).exp());
        }
    }
    None
}

fn upper_normal(z: f64) -> f64 {
    0.5 * libm::erfc(z / std::f64::consts::SQRT_2)
}

fn normal_density(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// Lugannani–Rice with continuity correction for P(X ≥ k) of a lattice variable: `w` the
/// signed root of twice the rate function at k − ½, `u` = 2 sinh(t/2)·√K''(t) at its saddle
/// point t. Near the mean (|w| small) 1/u − 1/w cancels; there the Edgeworth series with the
/// standardized point `z`, skewness `g` and excess kurtosis `e` is used instead.
fn lugannani_rice(w: f64, u: f64, z: f64, g: f64, e: f64) -> f64 {
    if w.abs() > 1e-3 {
        return (upper_normal(w) + normal_density(w) * (1.0 / u - 1.0 / w)).clamp(0.0, 1.0);
    }
    let (z2, z3) = (z * z, z * z * z);
    let he2 = z2 - 1.0;
    let he3 = z3 - 3.0 * z;
    let he5 = z3 * z2 - 10.0 * z3 + 15.0 * z;
    (upper_normal(z) + normal_density(z) * (g / 6.0 * he2 + e / 24.0 * he3 + g * g / 72.0 * he5)).clamp(0.0, 1.0)
}

/// P(X ≥ k) for X ~ Binomial(n, p) by the saddle-point form, for 0 < k ≤ n.
fn binomial_upper_saddle(k: f64, n: f64, p: f64, q: f64) -> f64 {
    let x = k - 0.5;
    let t = ((x - n * p) / ((n - x) * p)).ln_1p();
    let rate = bd0(x, n * p) + bd0(n - x, n * q);
    let w = (x - n * p).signum() * (2.0 * rate).sqrt();
    let u = 2.0 * (t / 2.0).sinh() * (x * (n - x) / n).sqrt();
    let var = n * p * q;
    let sd = var.sqrt();
    lugannani_rice(w, u, (x - n * p) / sd, (q - p) / sd, (1.0 - 6.0 * p * q) / var)
}

/// P(X < k) and P(X ≥ k) for X ~ Binomial(n, p): the smaller of the two to about 1e-12
/// relative (the other is one minus it). Cost bounded by [`TERMS`] whatever n.
pub fn binomial_split(k: u64, n: u64, p: f64) -> (f64, f64) {
    if k == 0 || p >= 1.0 {
        return (0.0, 1.0);
    }
    if k > n || p <= 0.0 {
        return (1.0, 0.0);
    }
    let q = 1.0 - p;
    let (kf, nf) = (k as f64, n as f64);
    let mean = nf * p;
    let below = kf - 1.0;
    if below < mean {
        // P(X ≤ k − 1), summed downward from k − 1: term i−1 ÷ term i = i·q / ((n − i + 1)·p).
        let lower = sum_tail(ln_dbinom(below, nf, p, q), |j| {
            let i = below - j as f64;
            i * q / ((nf - i + 1.0) * p)
        })
        .unwrap_or_else(|| binomial_upper_saddle(nf - below, nf, q, p));
        (lower, 1.0 - lower)
    } else {
        // P(X ≥ k), summed upward from k: term i+1 ÷ term i = (n − i)·p / ((i + 1)·q).
        let upper = sum_tail(ln_dbinom(kf, nf, p, q), |j| {
            let i = kf + j as f64;
            (nf - i) * p / ((i + 1.0) * q)
        })
        .unwrap_or_else(|| binomial_upper_saddle(kf, nf, p, q));
        (1.0 - upper, upper)
    }
}

/// P(N = c) and P(N ≥ c) for N ~ Poisson(m) with m < c: the pair Erlang C is built from,
/// each to about 1e-12 relative. Cost bounded by [`TERMS`] whatever c.
pub fn poisson_point_and_upper(c: f64, m: f64) -> (f64, f64) {
    let ln_point = ln_dpois(c, m);
    let upper = sum_tail(ln_point, |j| m / (c + j as f64 + 1.0)).unwrap_or_else(|| {
        let x = c - 0.5;
        let t = ((x - m) / m).ln_1p();
        let w = (x - m).signum() * (2.0 * bd0(x, m)).sqrt();
        let u = 2.0 * (t / 2.0).sinh() * x.sqrt();
        let sd = m.sqrt();
        lugannani_rice(w, u, (x - m) / sd, 1.0 / sd, 1.0 / m)
    });
    (ln_point.exp(), upper)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// P(X < k) by the textbook sum Σ_{i<k} C(n,i) pⁱ qⁿ⁻ⁱ with the binomial coefficient
    /// built up term by term (fermi's former k-of-n loop) — exact, and O(k).
    fn lower_by_sum(k: u64, n: u64, p: f64) -> f64 {
        let (lp, lq, nf) = (p.ln(), (1.0 - p).ln(), n as f64);
        let (mut ln_choose, mut sum) = (0.0f64, 0.0f64);
        for i in 0..k {
            let fi = i as f64;
            if i > 0 {
                ln_choose += (nf - fi + 1.0).ln() - fi.ln();
            }
            sum += (ln_choose + fi * lp + (nf - fi) * lq).exp();
        }
        sum
    }

    #[test]
    fn loader_terms_match_exact_factorials() {
        // C(10, 3)·0.3³·0.7⁷ = 120 · 0.027 · 0.0823543 = 0.266827932.
        let v = ln_dbinom(3.0, 10.0, 0.3, 0.7).exp();
        assert!((v / 0.266_827_932 - 1.0).abs() < 1e-9, "{v}");
        // Poisson(4): P(N = 6) = e⁻⁴ 4⁶ / 720.
        let want = (-4.0f64).exp() * 4096.0 / 720.0;
        assert!((ln_dpois(6.0, 4.0).exp() / want - 1.0).abs() < 1e-13);
    }

    #[test]
    fn binomial_tails_match_the_direct_sum() {
        for (k, n, p) in [(2, 3, 0.9), (9, 10, 0.99), (50, 100, 0.5), (90, 100, 0.95), (999, 1000, 0.999)] {
            let (lower, _) = binomial_split(k, n, p);
            let direct = lower_by_sum(k, n, p);
            assert!((lower / direct - 1.0).abs() < 1e-12, "k={k} n={n}: {lower} vs {direct}");
        }
    }

    #[test]
    fn the_saddle_point_form_is_close_where_it_takes_over() {
        // Near the mean of Binomial(n = 10⁷, ½) (sd 1581) the direct sum needs more than TERMS
        // terms. Exact reference by symmetry: P(X ≥ n/2 + 1 + d) = (1 − P(X = n/2))/2 −
        // Σ_{i=1..d} P(X = n/2 + i), with the central term from Stirling's series
        // C(n, n/2)/2ⁿ = √(2/(πn))·(1 − 1/(4n) + 1/(32n²)) and the others by exact ratios.
        let n = 10_000_000u64;
        let nf = n as f64;
        let half = nf / 2.0;
        let centre = (2.0 / (std::f64::consts::PI * nf)).sqrt() * (1.0 - 1.0 / (4.0 * nf) + 1.0 / (32.0 * nf * nf));
        for d in [0u64, 300, 1_000, 3_000] {
            let (mut want, mut term) = ((1.0 - centre) / 2.0, centre);
            for i in 1..=d {
                term *= (half - i as f64 + 1.0) / (half + i as f64);
                want -= term;
            }
            let (_, upper) = binomial_split(n / 2 + 1 + d, n, 0.5);
            assert!((upper / want - 1.0).abs() < 1e-10, "d={d}: {upper} vs {want}");
            // The lower tail mirrors it.
            let (lower, _) = binomial_split(n / 2 - d, n, 0.5);
            assert!((lower / want - 1.0).abs() < 1e-10, "d={d}: {lower} vs {want}");
        }
    }
}

//! M/M/c queueing: Erlang C, mean wait, response-time distribution and percentiles.
//!
//! Sources: Kleinrock, *Queueing Systems* Vol. 1 (1975), §3.5; Gross & Harris,
//! *Fundamentals of Queueing Theory* (4th ed.), §2.3. With offered load A = λ/μ and
//! ρ = A/c < 1:
//! - Erlang B by the stable recursion B₀ = 1, Bⱼ = A·Bⱼ₋₁ / (j + A·Bⱼ₋₁);
//! - Erlang C = c·B_c / (c − A·(1 − B_c)) — the probability an arrival waits;
//! - mean wait W_q = C / (cμ − λ); mean response W = W_q + 1/μ (Little: L = λW);
//! - waiting time given a wait is exponential with rate θ = cμ − λ, so the response time
//!   T = W_q + S has P(T > t) = (1 − C)·e^(−μt) + C·P(Exp(θ) + Exp(μ) > t).
//!
//! Architecture Invariant: an unstable queue (ρ ≥ 1) returns `None`, never a number.

/// Erlang C: the probability an arrival must wait, for `c` servers and offered load `a`
/// erlangs. `None` when the queue is unstable (a ≥ c) or c < 1.
pub fn erlang_c(c: u64, a: f64) -> Option<f64> {
    let cf = c as f64;
    if c == 0 || a.is_nan() || a < 0.0 || a >= cf {
        return None;
    }
    let mut b = 1.0f64;
    for j in 1..=c {
        b = a * b / (j as f64 + a * b);
    }
    Some(cf * b / (cf - a * (1.0 - b)))
}

/// An M/M/c queue's headline numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MmcResult {
    /// Utilisation ρ = λ / (cμ).
    pub utilization: f64,
    /// P(wait) (Erlang C).
    pub wait_probability: f64,
    /// Mean wait in queue, seconds.
    pub mean_wait: f64,
    /// Mean response (wait + service), seconds.
    pub mean_response: f64,
}

/// Solves M/M/c for arrival rate `lambda` (1/s), `c` servers, mean service time `s` (s).
pub fn mmc(lambda: f64, c: u64, s: f64) -> Option<MmcResult> {
    if s.is_nan() || s <= 0.0 || lambda.is_nan() || lambda < 0.0 {
        return None;
    }
    let mu = 1.0 / s;
    let a = lambda * s;
    let pw = erlang_c(c, a)?;
    let theta = c as f64 * mu - lambda;
    let mean_wait = pw / theta;
    Some(MmcResult { utilization: a / c as f64, wait_probability: pw, mean_wait, mean_response: mean_wait + s })
}

/// P(T > t) for the M/M/c response time.
pub fn response_survival(lambda: f64, c: u64, s: f64, t: f64) -> Option<f64> {
    let r = mmc(lambda, c, s)?;
    let mu = 1.0 / s;
    let theta = c as f64 * mu - lambda;
    let hypo = if (theta - mu).abs() < 1e-12 * mu {
        (1.0 + mu * t) * (-mu * t).exp()
    } else {
        (theta * (-mu * t).exp() - mu * (-theta * t).exp()) / (theta - mu)
    };
    Some(((1.0 - r.wait_probability) * (-mu * t).exp() + r.wait_probability * hypo).clamp(0.0, 1.0))
}

/// The q-quantile of the M/M/c response time (e.g. q = 0.99), by bisection on P(T > t).
pub fn response_quantile(lambda: f64, c: u64, s: f64, q: f64) -> Option<f64> {
    if !(0.0..1.0).contains(&q) {
        return None;
    }
    let target = 1.0 - q;
    response_survival(lambda, c, s, 0.0)?;
    let mut hi = s;
    while response_survival(lambda, c, s, hi)? > target {
        hi *= 2.0;
        if hi > 1e12 * s {
            return None;
        }
    }
    let mut lo = 0.0;
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if response_survival(lambda, c, s, mid)? > target {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-12 * hi {
            break;
        }
    }
    Some(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_c_matches_published_tables() {
        // Call-centre example widely reproduced from Erlang C tables: A = 10 erlangs,
        // c = 11 agents → P(wait) ≈ 0.6821 (e.g. Gans, Koole & Mandelbaum 2003, Table 1 style).
        let p = erlang_c(11, 10.0).unwrap();
        assert!((p - 0.682_1).abs() < 5e-4, "{p}");
        // c = 1 reduces to M/M/1: P(wait) = ρ.
        assert!((erlang_c(1, 0.7).unwrap() - 0.7).abs() < 1e-12);
        assert!(erlang_c(4, 4.0).is_none());
    }

    #[test]
    fn mm1_response_time_is_exponential() {
        // M/M/1: T ~ Exp(μ − λ) (Kleinrock §3.2). λ = 50/s, s = 10 ms → μ − λ = 50/s.
        let p99 = response_quantile(50.0, 1, 0.01, 0.99).unwrap();
        let exact = (100.0f64).ln() / 50.0;
        assert!((p99 - exact).abs() < 1e-9, "{p99} vs {exact}");
        let r = mmc(50.0, 1, 0.01).unwrap();
        assert!((r.mean_response - 1.0 / 50.0).abs() < 1e-12);
    }

    #[test]
    fn large_server_counts_are_stable() {
        let r = mmc(9_900.0, 10_000, 1.0).unwrap();
        assert!(r.wait_probability >= 0.0 && r.wait_probability <= 1.0);
        assert!(r.utilization < 1.0);
    }
}

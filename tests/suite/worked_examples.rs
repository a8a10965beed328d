//! The reference cases of `shared/reference/worked-examples.md` (R1–R7), each reached
//! through a `.fermi` input or the CLI, never by asserting a constant against itself.
//! Expected numbers are the ones that page states, recomputed by hand there.

use crate::support::{analyze, close, fermi, value};

/// R1: 500M DAU, 5 feed views a day × 10 calls each, peak 2× →
/// 25B calls/day; 289,351.85 rps average; 578,703.70 peak.
#[test]
fn r1_news_feed_traffic() {
    let a = analyze(
        r#"design "R1" {
  users { dau = 500M; peak = 2x }
  request feed { rate = 5 * 10 per user per day }
}"#,
    );
    close(value(&a, "feed.daily"), 25e9, 1e-12);
    close(value(&a, "feed.avg_rps"), 289_351.85, 1e-8);
    close(value(&a, "feed.peak_rps"), 578_703.70, 1e-8);
}

/// R2: 1M, 100M and 1B calls a day → 11.574, 1,157.41, 11,574.07 rps; with the
/// 100K-seconds shortcut, 10, 1,000 and 10,000.
#[test]
fn r2_daily_calls_to_rps_with_and_without_the_shortcut() {
    for (daily, exact, shortcut) in [("1M", 11.574, 10.0), ("100M", 1_157.41, 1_000.0), ("1B", 11_574.07, 10_000.0)] {
        let text = |spd: &str| {
            format!("design \"R2\" {{\n  {spd}\n  users {{ peak = 1x }}\n  request r {{ rate = {daily} per day }}\n}}")
        };
        let a = analyze(&text(""));
        close(value(&a, "r.avg_rps"), exact, 5e-5);
        let b = analyze(&text("seconds_per_day = 100K"));
        close(value(&b, "r.avg_rps"), shortcut, 1e-12);
    }
}

/// R3: 100K rps × 200 KB responses with a CDN serving 90% → 20 GB/s = 160 Gbps egress and
/// 16 Gbps at the origin; 163.84 Gbps if KB were KiB.
#[test]
fn r3_bandwidth_with_a_cdn() {
    let a = analyze(
        r#"design "R3" {
  users { peak = 1x }
  request media { rate = 100K rps; response = 200 KB; cdn = 90% }
}"#,
    );
    close(value(&a, "bandwidth.egress"), 20e9, 1e-12);
    close(value(&a, "bandwidth.egress") * 8.0, 160e9, 1e-12);
    close(value(&a, "bandwidth.origin_egress") * 8.0, 16e9, 1e-12);
    assert_eq!(a.plan.show("bandwidth.egress", 4), "160 Gbps");
    let kib = analyze("design \"R3b\" {\n users { peak = 1x }\n request m { rate = 100K rps; response = 200 KiB }\n}");
    close(value(&kib, "bandwidth.egress") * 8.0, 163.84e9, 1e-12);
}

/// R4: 500K rps; app servers at 5K rps with 1.5× headroom → 100 → 150 nodes; Redis at
/// 200K rps per node with 2 replicas → ⌈2.5⌉ = 3 → 6 nodes.
#[test]
fn r4_node_counts_with_headroom_and_replicas() {
    let a = analyze(
        r#"design "R4" {
  users { peak = 1x }
  request r { rate = 500K rps; path = app -> redis }
  tier app   { capacity = 5K rps; headroom = 1.5x }
  tier redis { kind = cache; capacity = 200K rps; replicas = 2; hit_ratio = 0% }
}"#,
    );
    assert_eq!(value(&a, "app.nodes"), 150.0);
    assert_eq!(value(&a, "redis.nodes.throughput"), 3.0);
    assert_eq!(value(&a, "redis.nodes"), 6.0);
    let no_headroom = analyze(
        "design \"R4b\" {\n users { peak = 1x }\n request r { rate = 500K rps; path = app }\n tier app { capacity = 5K rps }\n}",
    );
    assert_eq!(value(&no_headroom, "app.nodes"), 100.0);
}

/// R5: downtime per year, month, week and day for 99%, 99.9%, 99.99%, 99.999%, via the
/// model (slo availability) and via `fermi nines`.
#[test]
fn r5_downtime_tables() {
    let cases = [
        ("99%", [3.65 * 86_400.0, 7.3 * 3600.0, 100.8 * 60.0, 14.4 * 60.0]),
        ("99.9%", [8.76 * 3600.0, 43.8 * 60.0, 10.08 * 60.0, 86.4]),
        ("99.99%", [52.56 * 60.0, 4.38 * 60.0, 60.48, 8.64]),
        ("99.999%", [5.256 * 60.0, 26.28, 6.048, 0.864]),
    ];
    for (slo, [year, month, week, day]) in cases {
        let a = analyze(&format!("design \"R5\" {{\n slo {{ availability = {slo} }}\n}}"));
        close(value(&a, "availability.downtime_year"), year, 1e-9);
        close(value(&a, "availability.downtime_month"), month, 1e-9);
        close(value(&a, "availability.downtime_week"), week, 1e-9);
        close(value(&a, "availability.downtime_day"), day, 1e-9);
    }
    let run = fermi(&["nines", "99.99%"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("52.56 min"), "{}", run.stdout);
    assert!(run.stdout.contains("4.38 min"), "{}", run.stdout);
    assert!(run.stdout.contains("8.64 s"), "{}", run.stdout);
}

/// R6: the URL shortener of the language contract (designs/url-shortener.fermi).
#[test]
fn r6_url_shortener() {
    let text = std::fs::read_to_string(crate::support::root().join("designs/url-shortener.fermi")).unwrap();
    let a = analyze(&text);
    close(value(&a, "shorten.daily"), 100e6, 1e-12);
    close(value(&a, "shorten.avg_rps"), 1_157.41, 5e-6);
    close(value(&a, "shorten.peak_rps"), 2_314.81, 5e-6);
    close(value(&a, "redirect.daily"), 1e9, 1e-12);
    close(value(&a, "redirect.avg_rps"), 11_574.07, 5e-7);
    close(value(&a, "redirect.peak_rps"), 23_148.15, 5e-7);
    close(value(&a, "traffic.peak_rps"), 25_462.96, 5e-7);
    close(value(&a, "storage.daily"), 100e9, 1e-12);
    close(value(&a, "storage.yearly"), 36.5e12, 1e-12);
    close(value(&a, "storage.total"), 547.5e12, 1e-12);
    assert_eq!(value(&a, "api.nodes"), 8.0);
    close(value(&a, "cache.memory"), 365e9, 1e-12);
    assert_eq!(value(&a, "cache.nodes.memory"), 6.0);
    assert_eq!(value(&a, "cache.nodes"), 12.0);
}

/// R7: 7 Base62 characters give 62^7 = 3,521,614,606,208 codes (via `fermi calc`).
#[test]
fn r7_base62_codes() {
    let run = fermi(&["calc", "62 * 62 * 62 * 62 * 62 * 62 * 62"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("3,521,614,606,208"), "{}", run.stdout);
}

/// Burn-rate alerts for a 30-day budget: 2% in 1 h, 5% in 6 h, 10% in 1 d and 10% in 3 d are
/// burn rates 14.4, 6, 3 and 1 (Google SRE Workbook, "Alerting on SLOs", table 5-8); at 99.9%
/// the 1 h page fires above a 1.44% error rate.
#[test]
fn sre_workbook_burn_rates() {
    let a = analyze("design \"b\" {\n slo { availability = 99.9% }\n}");
    for (label, rate) in [("1h", 14.4), ("6h", 6.0), ("1d", 3.0), ("3d", 1.0)] {
        close(value(&a, &format!("slo.burn_rate.{label}")), rate, 1e-12);
    }
    close(value(&a, "slo.burn_threshold.1h"), 0.0144, 1e-9);
    let week = analyze("design \"w\" {\n slo { availability = 99.9%; error_budget_window = 7 days }\n}");
    close(value(&week, "slo.burn_rate.1h"), 0.02 * 7.0 * 24.0, 1e-12);
}

/// An M/D/1 tier (service_cv = 0): Pollaczek–Khinchine gives W_q = ρ·s / (2(1 − ρ)); at
/// λ = 50/s and s = 10 ms (ρ = 0.5) that is 5 ms of waiting, 15 ms in all — half the M/M/1
/// wait of 10 ms (Kleinrock, Queueing Systems Vol. 1, §5.7).
#[test]
fn a_deterministic_service_tier_waits_half_as_long_as_an_exponential_one() {
    let text = |cv: &str| {
        format!(
            "design \"q\" {{\n users {{ peak = 1x }}\n request r {{ rate = 50 rps; path = t }}\n tier t {{ capacity = 100 rps; service_time = 10 ms; concurrency = 1{cv} }}\n}}"
        )
    };
    let md1 = analyze(&text("; service_cv = 0"));
    close(value(&md1, "t.wait.mean"), 0.005, 1e-12);
    close(value(&md1, "t.latency.mean"), 0.015, 1e-12);
    assert!(md1.plan.get("t.latency.p99").unwrap().formula.contains("M/G/1 (Allen–Cunneen"));
    let mm1 = analyze(&text(""));
    close(value(&mm1, "t.wait.mean"), 0.010, 1e-12);
    let same = analyze(&text("; service_cv = 1"));
    assert_eq!(value(&same, "t.latency.p99"), value(&mm1, "t.latency.p99"), "cv = 1 is M/M/c exactly");
}

/// `normal(mean, sd)`, `uniform(low, high)` and `x ± d` stand wherever a number may; until
/// Monte Carlo samples them, a design uses the median (normal: the mean; uniform: the
/// midpoint), and the assumptions say which spread each came from. `x ± 10%` is a normal whose
/// 90% interval is x ∓ 10% of x, so its sd is 0.1·x ÷ 1.6449 (the standard normal's 95th
/// percentile): 6.08M for 100M.
#[test]
fn spreads_take_their_medians_as_point_values_and_are_listed_as_assumptions() {
    let a = crate::support::analyze(
        "design \"s\" {\n  let base = 100M ± 10%\n  users { dau = base; peak = uniform(1.5x, 2.5x) }\n  request r { rate = normal(2, 0.5) * users.dau / 1 day; path = api }\n  tier api { capacity = 5K rps }\n}",
    );
    assert_eq!(a.plan.value("users.dau"), 100e6);
    assert_eq!(a.plan.value("users.peak"), 2.0);
    // 2 per user per day × 100M users = 200M calls a day.
    assert!((a.plan.value("r.daily") - 200e6).abs() < 1e-3);
    let why: Vec<String> = a.design.assumptions.iter().map(|x| format!("{} {}", x.name, x.why)).collect();
    let has = |text: &str| why.iter().any(|w| w.contains(text));
    assert!(has("users.peak midpoint of uniform(1.5, 2.5); Monte Carlo samples the spread"), "{why:?}");
    assert!(has("users.dau depends on uncertain inputs (shown at their medians)"), "{why:?}");
    assert!(has("r.rate depends on uncertain inputs (shown at their medians)"), "{why:?}");
    assert!(a.design.users.dau.as_ref().unwrap().uncertain);
    let r = fermi::calc::calc("100M ± 10%").unwrap();
    assert!(r.note.as_deref().unwrap().starts_with("mean of normal(100M, 6.08M); over 2,000 Latin hypercube samples"));
    let r = fermi::calc::calc("100 ms +/- 1 ms").unwrap();
    assert!(r.note.as_deref().unwrap().starts_with("mean of normal(100 ms, 608 µs); over 2,000 Latin"));
}

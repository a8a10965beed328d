//! Monte Carlo over uncertain inputs (#6): percentiles against closed forms (with the
//! sampling error each test computes), determinism, sensitivity, asserts on percentiles, and
//! the values-only model against the full one.

use crate::support::{analyze, design, fermi, fermi_in, root};
use fermi::math::normal::inverse_cdf;
use fermi::model::{Percentiles, Plan, estimate, estimate_into};

/// z of the 95th percentile: `a to b` puts its ends at ±Z95 standard deviations (of ln x).
const Z95: f64 = 1.644_853_626_951_472_2;
/// Samples for the closed-form tests: 100,000 keep 4 standard errors of a tail percentile of a
/// two-decade range within 6%.
const N: f64 = 100_000.0;

/// Analyses a design with `N` samples.
fn sampled(text: &str) -> fermi::analysis::Analysis {
    let source = fermi::source::SourceFile::new("test.fermi", text);
    let config = fermi::design::profile::ProjectConfig::built_in();
    let sampling = fermi::uncertainty::Settings { samples: N as usize, ..Default::default() };
    let options = fermi::analysis::Options { sampling, ..Default::default() };
    fermi::analysis::analyze(source, &config, options).unwrap_or_else(|f| panic!("{}", f.render()))
}

#[track_caller]
fn distribution(a: &fermi::analysis::Analysis, name: &str) -> Percentiles {
    *a.view().distribution(name).unwrap_or_else(|| panic!("{name} has no distribution"))
}

/// A lognormal whose ln has mean `mu` and standard deviation `sigma`.
struct LogNormal {
    mu: f64,
    sigma: f64,
}

impl LogNormal {
    fn of_range(lo: f64, hi: f64) -> Self {
        LogNormal { mu: (lo.ln() + hi.ln()) / 2.0, sigma: (hi.ln() - lo.ln()) / (2.0 * Z95) }
    }
    fn quantile(&self, p: f64) -> f64 {
        (self.mu + self.sigma * inverse_cdf(p)).exp()
    }
    fn density(&self, x: f64) -> f64 {
        let z = (x.ln() - self.mu) / self.sigma;
        (-z * z / 2.0).exp() / (x * self.sigma * (2.0 * std::f64::consts::PI).sqrt())
    }
    fn mean(&self) -> f64 {
        (self.mu + self.sigma * self.sigma / 2.0).exp()
    }
    fn sd(&self) -> f64 {
        let s2 = self.sigma * self.sigma;
        ((s2.exp() - 1.0) * (2.0 * self.mu + s2).exp()).sqrt()
    }
    /// The standard error of the sample p-quantile over N samples: √(p(1 − p)/N) ÷ f(x_p)
    /// (the asymptotic variance of a sample quantile; Stuart & Ord, Kendall's Advanced Theory
    /// of Statistics, vol. 1, §10.10).
    fn quantile_se(&self, p: f64, n: f64) -> f64 {
        (p * (1.0 - p) / n).sqrt() / self.density(self.quantile(p))
    }

    /// Every statistic of `N` samples within 4 standard errors (a 1-in-15,000 miss for a
    /// correct sampler).
    #[track_caller]
    fn check(&self, d: &Percentiles) {
        self.check_n(d, N);
    }

    #[track_caller]
    fn check_n(&self, d: &Percentiles, n: f64) {
        for (p, got) in [(0.05, d.p5), (0.5, d.p50), (0.95, d.p95)] {
            let (want, se) = (self.quantile(p), self.quantile_se(p, n));
            assert!((got - want).abs() <= 4.0 * se, "p{}: {got} vs {want} (se {se})", p * 100.0);
        }
        let se = self.sd() / n.sqrt();
        assert!((d.mean - self.mean()).abs() <= 4.0 * se, "mean {} vs {} (se {se})", d.mean, self.mean());
    }
}

#[test]
fn a_single_range_reproduces_the_lognormal_quantiles() {
    let a = sampled(
        "design \"one range\" {\n  users { dau = 10M to 1B }\n  request r { rate = 1 per user per day; path = api }\n  tier api { capacity = 5K rps }\n}",
    );
    let d = distribution(&a, "users.dau");
    // The ends of a 90% range are its 5th and 95th percentiles.
    LogNormal::of_range(10e6, 1e9).check(&d);
    // A linear result carries the same distribution: daily calls = dau × 1.
    LogNormal::of_range(10e6, 1e9).check(&distribution(&a, "r.daily"));
}

#[test]
fn the_latin_hypercube_pins_percentiles_far_closer_than_independent_draws() {
    // With one draw in each of N strata, the k-th smallest sample lies in stratum k, so a
    // percentile is off by at most one stratum (1/N in probability): at the default 2,000
    // samples that is under a quarter of the standard error of N independent draws,
    // √(p(1 − p)/N) ÷ f(x_p). Independent draws would land that close in 0.8% of runs.
    let n = fermi::uncertainty::DEFAULT_SAMPLES as f64;
    for seed in [1, 2026, 77] {
        let source = fermi::source::SourceFile::new(
            "t.fermi",
            "design \"one range\" {\n  users { dau = 10M to 1B }\n  request r { rate = 1 per user per day; path = api }\n  tier api { capacity = 5K rps }\n}",
        );
        let sampling = fermi::uncertainty::Settings { seed, ..Default::default() };
        let options = fermi::analysis::Options { sampling, ..Default::default() };
        let config = fermi::design::profile::ProjectConfig::built_in();
        let a = fermi::analysis::analyze(source, &config, options).unwrap_or_else(|f| panic!("{}", f.render()));
        let d = distribution(&a, "users.dau");
        let law = LogNormal::of_range(10e6, 1e9);
        for (p, got) in [(0.05, d.p5), (0.5, d.p50), (0.95, d.p95)] {
            let (want, se) = (law.quantile(p), law.quantile_se(p, n));
            assert!((got - want).abs() <= se / 4.0, "seed {seed} p{}: {got} vs {want} (se {se})", p * 100.0);
        }
    }
}

#[test]
fn a_product_of_independent_lognormals_matches_its_closed_form() {
    // ln(a·b) is normal with mean μa + μb and variance σa² + σb².
    let a = sampled(
        "design \"product\" {\n  let a = 10M to 100M\n  let b = 2 to 20\n  users { dau = a }\n  request r { rate = b * users.dau / 1 day; path = api }\n  tier api { capacity = 5K rps }\n}",
    );
    let (x, y) = (LogNormal::of_range(10e6, 100e6), LogNormal::of_range(2.0, 20.0));
    let product = LogNormal { mu: x.mu + y.mu, sigma: (x.sigma.powi(2) + y.sigma.powi(2)).sqrt() };
    product.check(&distribution(&a, "r.daily"));
}

#[test]
fn normal_and_uniform_inputs_have_their_textbook_percentiles() {
    let a = sampled(
        "design \"spreads\" {\n  users { dau = 100M ± 10%; peak = uniform(1.5, 2.5) }\n  request r { rate = 1 per user per day; path = api }\n  tier api { capacity = 5K rps }\n}",
    );
    // x ± 10% is a normal whose 90% interval is x ± 10%: p5 = 90M, p95 = 110M.
    let (sd, d) = (10e6 / Z95, distribution(&a, "users.dau"));
    let se = |p: f64| {
        let z = inverse_cdf(p);
        (p * (1.0 - p) / N).sqrt() * sd * (2.0 * std::f64::consts::PI).sqrt() * (z * z / 2.0).exp()
    };
    for (p, got, want) in [(0.05, d.p5, 90e6), (0.5, d.p50, 100e6), (0.95, d.p95, 110e6)] {
        assert!((got - want).abs() <= 4.0 * se(p), "p{p}: {got} vs {want}");
    }
    // uniform(1.5, 2.5): the p-quantile is 1.5 + p; its sampling error is √(p(1 − p)/N) × 1.
    let d = distribution(&a, "users.peak");
    for (p, got) in [(0.05, d.p5), (0.5, d.p50), (0.95, d.p95)] {
        assert!((got - (1.5 + p)).abs() <= 4.0 * (p * (1.0 - p) / N).sqrt(), "p{p}: {got}");
    }
}

#[test]
fn sensitivity_ranks_the_dominant_input_first() {
    // DAU spans two orders of magnitude; the response size moves by ±5%.
    let a = analyze(
        "design \"dominant\" {\n  users { dau = 10M to 1B }\n  request r { rate = 1 per user per day; response = 1 KB ± 5%; path = api }\n  tier api { capacity = 5K rps }\n}",
    );
    let u = a.uncertainty.as_ref().expect("sampled");
    let s = u.sensitivity.iter().find(|s| s.output == "bandwidth.egress_peak").expect("egress is a headline result");
    assert_eq!(s.drivers[0].input, "users.dau (10M to 1B)");
    assert!(s.drivers[0].share > 0.95 && s.drivers[0].rho > 0.95, "{s:?}");
    assert!(s.drivers[1].share < 0.05, "{s:?}");
    let total: f64 = s.drivers.iter().map(|d| d.share).sum();
    assert!((total - 1.0).abs() < 1e-12);
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_does_not() {
    let file = "designs/url-shortener-uncertain.fermi";
    let run = |args: &[&str]| {
        let r = fermi(&[&["estimate", file, "--format", "json"], args].concat());
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    let (one, two) = (run(&[]), run(&[]));
    assert_eq!(one, two);
    assert_eq!(run(&["--seed", "7"]), run(&["--seed", "7"]));
    assert_ne!(one, run(&["--seed", "7"]));
    // The split across threads never changes a number.
    let a = analyze(&std::fs::read_to_string(root().join(file)).unwrap());
    for threads in [1, 3] {
        let plan = estimate(&a.design, &a.hits);
        let settings = fermi::uncertainty::Settings { threads, ..Default::default() };
        let u = fermi::uncertainty::run(&a.design, &a.hits, &plan, settings).expect("sampled");
        for name in a.plan.names() {
            assert_eq!(u.distributions.get(name), a.view().distribution(name), "{name} with {threads} threads");
        }
    }
}

#[test]
fn asserts_read_percentiles_and_a_bare_name_means_the_median() {
    let text = |bound: &str| {
        format!(
            "design \"asserts\" {{\n  users {{ dau = 10M to 1B }}\n  request r {{ rate = 1 per user per day; path = api }}\n  tier api {{ capacity = 5K rps }}\n  {bound}\n}}"
        )
    };
    // At 1 per user per day, p50 = 100M a day and p95 = 1B a day.
    let ok = design(
        "a.fermi",
        &text(
            "assert r.daily < 200M\n  assert r.daily.p50 < 200M\n  assert r.daily.p95 > 900M\n  assert r.daily.p5 < 11M\n  assert r.daily.mean > r.daily",
        ),
    );
    let r = fermi_in(&ok, &["check", "a.fermi"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let failing = design("b.fermi", &text("assert r.daily.p95 < 500M"));
    let r = fermi_in(&failing, &["check", "b.fermi"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("r.daily.p95"), "{}", r.stdout);
}

#[test]
fn a_design_without_ranges_is_not_sampled_and_zero_samples_turn_sampling_off() {
    let a = analyze(&std::fs::read_to_string(root().join("designs/url-shortener.fermi")).unwrap());
    assert!(a.uncertainty.is_none() && !a.view().is_uncertain());
    let r = fermi(&["estimate", "designs/url-shortener-uncertain.fermi", "--samples", "0"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains(" – ") && !r.stdout.contains("Uncertainty"), "{}", r.stdout);
}

#[test]
fn node_counts_report_p50_and_p95_and_the_doc_recommends_the_provisioning_percentile() {
    let r = fermi(&["estimate", "designs/url-shortener-uncertain.fermi", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let nodes = json["uncertainty"]["nodes"].as_array().expect("nodes");
    let api = nodes.iter().find(|n| n["tier"] == "api").expect("api varies");
    assert!(api["p95"].as_f64() > api["p50"].as_f64());
    assert_eq!(api["provision"], api["p95"]);
    let dist = &json["results"]["api.nodes"]["distribution"];
    assert_eq!(dist["p95"], api["p95"]);
    let r = fermi(&["doc", "designs/url-shortener-uncertain.fermi", "--provision", "p99"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("## Uncertainty") && r.stdout.contains("provision each tier for its p99 node count"));
    let bad = fermi(&["estimate", "designs/url-shortener-uncertain.fermi", "--provision", "95"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("write p50, p90, p95, p99 or p99.9"), "{}", bad.stderr);
}

#[test]
fn the_values_only_model_reproduces_the_full_plan_on_every_design() {
    for f in crate::designs::design_files() {
        let a = analyze(&std::fs::read_to_string(root().join("designs").join(&f)).unwrap());
        let full = estimate(&a.design, &a.hits);
        let layout = full.layout();
        let mut values = Plan::values_only(layout.clone());
        estimate_into(&a.design, &a.hits, &mut values);
        for (k, name) in layout.names().iter().enumerate() {
            let (got, want) = (values.sampled()[k], full.value(name));
            assert!(got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()), "{f}: {name}: {got} vs {want}");
        }
    }
}

#[test]
fn the_calculator_samples_uncertain_expressions() {
    let r = fermi::calc::calc("(100M to 300M) * 2 KB").unwrap();
    let d = r.distribution.expect("sampled");
    LogNormal::of_range(200e9, 600e9).check_n(&d, fermi::uncertainty::DEFAULT_SAMPLES as f64);
    assert!(r.note.unwrap().contains("over 2,000 Latin hypercube samples"));
    assert!(fermi::calc::calc("2 * 3 KB").unwrap().distribution.is_none());
}

#[test]
fn samples_stay_within_each_fields_bounds() {
    // 99.9% ± 1% puts a third of its draws above 100% (its p95 would be 100.9%), and
    // 1 KB ± 300% reaches negative sizes: samples are clamped to what the field allows.
    let a = sampled(
        "design \"bounds\" {\n  users { dau = 1M }\n  request r { rate = 1 per user per day; response = 1 KB ± 300%; path = api }\n  tier api { capacity = 5K rps; availability = 99.9% ± 1% }\n}",
    );
    let node = distribution(&a, "api.node_availability");
    assert!(node.p95 == 1.0 && node.p5 > 0.98, "{node:?}");
    let up = distribution(&a, "availability.composite");
    assert!(up.p95 <= 1.0 && up.mean <= 1.0, "{up:?}");
    let response = distribution(&a, "r.response");
    assert_eq!(response.p5, 0.0, "{response:?}");
}

#[test]
fn correlated_inputs_have_the_gaussian_copulas_rank_correlation() {
    // With normal scores correlated at r, Spearman's ρ is (6/π)·asin(r/2) (Kruskal, "Ordinal
    // measures of association", JASA 53, 1958). peak rps is monotone in `a` alone, so its rank
    // correlation with `b` is the rank correlation of `a` and `b`.
    let a = sampled(
        "design \"corr\" {\n  let a = 1M to 10M\n  let b = 1 to 10\n  correlate a, b = 0.8\n  users { dau = a }\n  request r { rate = 1 per user per day; stores = b * 1 KB; path = api }\n  tier api { capacity = 5K rps }\n}",
    );
    let u = a.uncertainty.as_ref().expect("sampled");
    assert_eq!(u.correlations, vec![("a (1M to 10M)".to_string(), "b (1 to 10)".to_string(), 0.8)]);
    let s = u.sensitivity.iter().find(|s| s.output == "traffic.peak_rps").expect("peak rps");
    let rho = s.drivers.iter().find(|d| d.input == "b (1 to 10)").expect("b").rho;
    let want = 6.0 / std::f64::consts::PI * (0.4f64).asin();
    // Fisher's z of Spearman's ρ has standard error √(1.06 / (n − 3)) (Fieller, Hartley &
    // Pearson, Biometrika 44, 1957).
    let se = (1.06 / (N - 3.0)).sqrt();
    assert!((rho.atanh() - want.atanh()).abs() <= 4.0 * se, "ρ = {rho}, want {want}");
    // The marginals are unchanged: `a` is still lognormal with its 90% range at 1M and 10M.
    LogNormal::of_range(1e6, 10e6).check(&distribution(&a, "users.dau"));
}

#[test]
fn the_che_note_appears_only_when_a_sampled_hit_ratio_moves() {
    // The cache's size follows the uncertain key count and its ratio is estimated: Che moves it.
    let moving = analyze(&std::fs::read_to_string(root().join("designs/url-shortener-uncertain.fermi")).unwrap());
    assert!(moving.uncertainty.as_ref().unwrap().caches.as_deref().unwrap().contains("Che's approximation"));
    assert!(moving.view().distribution("cache.hit_ratio").is_some());
    // The same uncertain key count, but the ratio is given: nothing is re-estimated.
    let given = analyze(
        "design \"given\" {\n  users { dau = 1M to 2M }\n  request r { rate = 1 per user per day; path = c }\n  tier c { kind = cache; capacity = 1M rps; size = 1% of keys; hit_ratio = 90% }\n  workload { keys = 1B to 2B }\n}",
    );
    assert!(given.uncertainty.as_ref().unwrap().caches.is_none());
    assert!(given.view().distribution("c.hit_ratio").is_none());
}

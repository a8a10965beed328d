//! `fermi export`: a design's SLOs as the files monitoring tools read — Prometheus rule files
//! ([`prometheus`]), a sloth spec ([`sloth`]) and OpenSLO documents ([`openslo`]). This module
//! gathers what every format shares: one SLO per request and one for the composite, for
//! availability and for each latency target, with the plan's objective, error-budget window and
//! burn rates, and the PromQL selectors built from fermi.toml's `[metrics]`.
//!
//! Architecture Invariant: every number written comes from the plan or the design (objectives,
//! windows, burn rates); the formats only lay them out, and arithmetic on them is left to the
//! query (`14.4 * (1 - 0.9999)`), where the reader sees it.

use crate::key::{self, Metric};
pub mod openslo;
pub mod prometheus;
pub mod sloth;
pub mod yaml;

use crate::analysis::Analysis;
use crate::design::profile::Metrics;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::BURN_ALERTS;
use crate::source::Span;
use crate::units::format::sig;

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Prometheus recording and alerting rules (`promtool check rules`).
    Prometheus,
    /// A sloth `prometheus/v1` spec.
    Sloth,
    /// OpenSLO v1 documents: Service, SLI, SLO.
    OpenSlo,
}

/// A `[metrics.request]` entry of fermi.toml that names no request of the design: an error
/// located in fermi.toml (the caller renders it against that file).
pub fn unknown_requests(a: &Analysis, metrics: &Metrics) -> Vec<Diagnostic> {
    let names: Vec<&str> = a.design.requests.iter().map(|r| r.name.as_str()).collect();
    metrics
        .request_spans
        .iter()
        .filter(|(name, _)| !names.contains(&name.as_str()))
        .map(|(name, span)| {
            Diagnostic::error(
                Code::Config,
                format!("[metrics.request] names `{name}`, which is not a request of {}", a.source.path()),
                *span,
                "matchers for no request",
            )
            .with_help(format!("the design's requests: {}", names.join(", ")))
        })
        .collect()
}

/// A design's SLOs in one format, or why there is nothing to export.
pub fn export(a: &Analysis, metrics: &Metrics, target: Target) -> Result<String, Box<Diagnostic>> {
    let set = SloSet::new(a, metrics)?;
    Ok(match target {
        Target::Prometheus => prometheus::rules(&set),
        Target::Sloth => sloth::spec(&set),
        Target::OpenSlo => openslo::documents(&set),
    })
}

/// What an SLI measures.
#[derive(Debug, Clone, PartialEq)]
pub enum Indicator {
    /// The share of requests that did not fail.
    Availability,
    /// The share of requests answered within a latency target.
    Latency {
        /// `p99`.
        label: String,
        /// The target as a histogram `le` value in seconds: `0.1`.
        le: String,
    },
}

/// One SLO: a scope (a request, or all of them) and an indicator, with its objective.
#[derive(Debug, Clone, PartialEq)]
pub struct Slo {
    /// A DNS-label name, unique in the design: `shorten-availability`, `all-latency-p99`.
    pub name: String,
    /// A sentence for humans.
    pub description: String,
    /// The request's name; `None` for the composite of all requests.
    pub request: Option<String>,
    /// What is measured.
    pub indicator: Indicator,
    /// The objective as a ratio: `0.9999`.
    pub objective: String,
    /// The objective in percent: `99.99`.
    pub objective_percent: String,
    /// Label-matcher sets, one per request in scope (each selects one request's series).
    pub matchers: Vec<String>,
}

/// One multiwindow burn-rate alert, as the plan states it.
#[derive(Debug, Clone, PartialEq)]
pub struct Burn {
    /// `page` or `ticket`.
    pub severity: &'static str,
    /// The long window: `1h`.
    pub long: String,
    /// The short window: `5m`.
    pub short: String,
    /// The burn rate from the plan: `14.4`.
    pub rate: String,
    /// The budget share consumed in the long window, in percent: `2`.
    pub share_percent: String,
}

/// Everything the formats need.
#[derive(Debug, Clone, PartialEq)]
pub struct SloSet {
    /// The service: a DNS-label name from the design's name.
    pub service: String,
    /// The design's name as written.
    pub display_name: String,
    /// The design's summary.
    pub summary: String,
    /// The design file.
    pub source: String,
    /// The error-budget window as a duration: `30d`.
    pub window: String,
    /// The window as the plan shows it: `30 days`.
    pub window_text: String,
    /// The SLOs, per request then the composite, availability before latency.
    pub slos: Vec<Slo>,
    /// The burn-rate alerts.
    pub burns: Vec<Burn>,
    /// The SLI windows, shortest first: every long and short alert window.
    pub windows: Vec<String>,
    /// The metric selectors.
    pub metrics: Metrics,
}

impl SloSet {
    fn new(a: &Analysis, metrics: &Metrics) -> Result<Self, Box<Diagnostic>> {
        let design = &a.design;
        let p = a.view();
        let window_seconds = p.value("slo.error_budget_window");
        let window = duration(window_seconds).ok_or_else(|| {
            let span = design.spans.get("slo.error_budget_window").copied().unwrap_or_default();
            Box::new(
                Diagnostic::error(
                    Code::ExportWindow,
                    "the error-budget window is not a whole number of minutes",
                    span,
                    "this window",
                )
                .with_help("write the window in minutes, hours or days, e.g. `error_budget_window = 28 days`"),
            )
        })?;
        if design.slo.availability.is_none() && design.slo.latency.is_empty() {
            return Err(Box::new(
                Diagnostic::error(
                    Code::ExportNoSlo,
                    format!("the design \"{}\" states no SLO to export", design.name),
                    Span::default(),
                    "in this design",
                )
                .with_help("add an `slo { availability = 99.9%; latency p99 = 200 ms }` block"),
            ));
        }
        let service = dns_label(&design.name, "design");
        let names: Vec<(String, String)> =
            design.requests.iter().map(|r| (r.name.clone(), dns_label(&r.name, "request"))).collect();
        let all = if names.iter().any(|(_, s)| s == "all") { "all-requests" } else { "all" };
        let mut scopes: Vec<(Option<&str>, String, Vec<String>)> =
            names.iter().map(|(n, s)| (Some(n.as_str()), s.clone(), vec![request_matchers(metrics, n)])).collect();
        scopes.push((None, all.to_string(), names.iter().map(|(n, _)| request_matchers(metrics, n)).collect()));
        let mut slos = Vec::new();
        for (request, scope, matchers) in &scopes {
            let who = match request {
                Some(r) => format!("`{r}` requests"),
                None => "all requests".to_string(),
            };
            if design.slo.availability.is_some() {
                let objective = p.value("slo.availability");
                let estimate = match request {
                    Some(r) => format!("; the design's estimate is {}", p.show(&key::of(r, Metric::Availability), 4)),
                    None => format!("; the design's estimate is {}", p.show("availability.composite", 4)),
                };
                slos.push(Slo {
                    name: format!("{scope}-availability"),
                    description: format!(
                        "{} of {who} succeed over {}{estimate}.",
                        p.show("slo.availability", 6),
                        p.show("slo.error_budget_window", 4)
                    ),
                    request: request.map(str::to_string),
                    indicator: Indicator::Availability,
                    objective: number(objective),
                    objective_percent: number(objective * 100.0),
                    matchers: matchers.clone(),
                });
            }
            for l in &design.slo.latency {
                let target = key::latency("slo", &l.label);
                let estimate = match request {
                    Some(r) => format!("; the design's estimate is {}", p.show(&key::latency(r, &l.label), 4)),
                    None => String::new(),
                };
                slos.push(Slo {
                    name: format!("{scope}-latency-{}", dns_label(&l.label, "p")),
                    description: format!(
                        "{}% of {who} answer within {} ({} target){estimate}.",
                        number(l.quantile * 100.0),
                        p.show(&target, 4),
                        l.label
                    ),
                    request: request.map(str::to_string),
                    indicator: Indicator::Latency { label: l.label.clone(), le: number(p.value(&target)) },
                    objective: number(l.quantile),
                    objective_percent: number(l.quantile * 100.0),
                    matchers: matchers.clone(),
                });
            }
        }
        let mut seconds: Vec<f64> = BURN_ALERTS.iter().flat_map(|b| [b.long, b.short]).collect();
        seconds.sort_by(f64::total_cmp);
        seconds.dedup();
        let burns = BURN_ALERTS
            .iter()
            .map(|b| Burn {
                severity: b.severity,
                long: duration(b.long).unwrap_or_default(),
                short: duration(b.short).unwrap_or_default(),
                rate: number(p.value(&format!("slo.burn_rate.{}", b.label))),
                share_percent: number(b.share * 100.0),
            })
            .collect();
        Ok(SloSet {
            service,
            display_name: design.name.clone(),
            summary: design.summary.clone(),
            source: a.source.path().to_string(),
            window,
            window_text: p.show("slo.error_budget_window", 4),
            slos,
            burns,
            windows: seconds.into_iter().filter_map(duration).collect(),
            metrics: metrics.clone(),
        })
    }
}

/// A number for a file: up to 12 significant figures, trailing zeros trimmed (`0.9999`, `14.4`),
/// so float noise such as `14.400000000000002` does not reach the output.
pub fn number(x: f64) -> String {
    sig(x, 12)
}

/// Seconds as a Prometheus / OpenSLO duration in the largest whole unit of days, hours or
/// minutes: `30d`, `6h`, `5m`; `None` when it is not a whole number of minutes.
pub fn duration(seconds: f64) -> Option<String> {
    let rounded = seconds.round();
    if !(rounded > 0.0 && (seconds - rounded).abs() < 1e-6 && rounded < 1e15) {
        return None;
    }
    let s = rounded as u64;
    [(86_400, "d"), (3_600, "h"), (60, "m")]
        .into_iter()
        .find(|(unit, _)| s.is_multiple_of(*unit))
        .map(|(unit, u)| format!("{}{u}", s / unit))
}

/// A DNS label (RFC 1123): lowercase letters, digits and inner `-`, at most 63 characters;
/// `fallback` when nothing of the text survives.
pub fn dns_label(text: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed: String = out.trim_matches('-').chars().take(63).collect();
    let trimmed = trimmed.trim_end_matches('-');
    if trimmed.is_empty() { fallback.to_string() } else { trimmed.to_string() }
}

/// A name cut to a DNS label's 63 characters: longer names keep 54 characters and end in a
/// hash of the whole name, so two long names stay distinct.
pub fn fit(name: &str) -> String {
    if name.len() <= 63 {
        return name.to_string();
    }
    // FNV-1a, 32 bits: stable across platforms and releases.
    let hash = name.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    let head: String = name.chars().take(54).collect();
    format!("{}-{hash:08x}", head.trim_end_matches('-'))
}

/// `UrlShortenerShortenAvailability` from `url-shortener-shorten-availability`: an alert name.
pub fn camel(label: &str) -> String {
    label
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

/// Escapes text for the inside of a PromQL double-quoted string.
pub fn promql_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The matchers selecting one request: its `[metrics.request]` entry, else `LABEL="NAME"`.
fn request_matchers(metrics: &Metrics, request: &str) -> String {
    match metrics.requests_by_name.get(request) {
        Some(m) => m.clone(),
        None => format!("{}={}", metrics.label, promql_string(request)),
    }
}

/// `sum(rate(METRIC{m1}[W]) or rate(METRIC{m2}[W]))`, one term per matcher set, each joined
/// with the project selector and `extra`; without a window, the counters themselves
/// (`sum(METRIC{m1} or …)`).
pub fn sum_of(metric: &str, set: &SloSet, matchers: &[String], extra: &str, window: Option<&str>) -> String {
    let terms: Vec<String> = matchers
        .iter()
        .map(|m| {
            let parts: Vec<&str> =
                [set.metrics.selector.as_str(), m.as_str(), extra].into_iter().filter(|s| !s.is_empty()).collect();
            let series = format!("{metric}{{{}}}", parts.join(", "));
            match window {
                Some(w) => format!("rate({series}[{w}])"),
                None => series,
            }
        })
        .collect();
    format!("sum({})", terms.join(" or "))
}

/// The `le` matcher of a latency target. Integer targets also match Prometheus 3's
/// normalised form (`le="1.0"`).
pub fn le_matcher(le: &str) -> String {
    if le.contains(['.', 'e']) { format!("le={}", promql_string(le)) } else { format!("le=~\"{le}(\\\\.0)?\"") }
}

/// The failed events of an SLO per second over `window` (or, without one, the counter).
pub fn bad_events(slo: &Slo, set: &SloSet, window: Option<&str>) -> String {
    match &slo.indicator {
        Indicator::Availability => sum_of(&set.metrics.requests, set, &slo.matchers, &set.metrics.errors, window),
        Indicator::Latency { le, .. } => format!(
            "({} - {})",
            total_events(slo, set, window),
            sum_of(&set.metrics.latency, set, &slo.matchers, &le_matcher(le), window)
        ),
    }
}

/// The good events of a latency SLO (requests within the target); for availability, `None`.
pub fn good_events(slo: &Slo, set: &SloSet, window: Option<&str>) -> Option<String> {
    match &slo.indicator {
        Indicator::Availability => None,
        Indicator::Latency { le, .. } => {
            Some(sum_of(&set.metrics.latency, set, &slo.matchers, &le_matcher(le), window))
        }
    }
}

/// All events of an SLO per second over `window` (or, without one, the counter).
pub fn total_events(slo: &Slo, set: &SloSet, window: Option<&str>) -> String {
    match &slo.indicator {
        Indicator::Availability => sum_of(&set.metrics.requests, set, &slo.matchers, "", window),
        Indicator::Latency { .. } => sum_of(&set.metrics.latency, set, &slo.matchers, "le=\"+Inf\"", window),
    }
}

/// The header comment of a generated file.
fn header(set: &SloSet, what: &str) -> String {
    let mut buckets: Vec<&str> = set
        .slos
        .iter()
        .filter_map(|s| match &s.indicator {
            Indicator::Latency { le, .. } => Some(le.as_str()),
            Indicator::Availability => None,
        })
        .collect();
    buckets.dedup();
    let latency = if buckets.is_empty() {
        String::new()
    } else {
        format!(
            "# Latency SLIs read the histogram bucket le=\"{}\" (seconds): it must be one of the histogram's boundaries.\n",
            buckets.join("\", le=\"")
        )
    };
    format!(
        "# {what} for \"{}\", generated by `fermi export` from {}.\n\
         # Objectives, the error-budget window ({}) and the burn rates come from the design's plan;\n\
         # metric names from fermi.toml's [metrics] (defaults: {}, {}, {}).\n",
        set.display_name.replace(['\n', '\r'], " "),
        set.source.replace(['\n', '\r'], " "),
        set.window_text,
        crate::design::profile::DEFAULT_REQUESTS_METRIC,
        crate::design::profile::DEFAULT_ERRORS_MATCHER,
        crate::design::profile::DEFAULT_LATENCY_METRIC,
    ) + &latency
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_use_the_largest_whole_unit() {
        assert_eq!(duration(300.0).as_deref(), Some("5m"));
        assert_eq!(duration(7_200.0).as_deref(), Some("2h"));
        assert_eq!(duration(2_592_000.0).as_deref(), Some("30d"));
        assert_eq!(duration(5_400.0).as_deref(), Some("90m"));
        assert_eq!(duration(90.0), None);
        assert_eq!(duration(0.0), None);
    }

    #[test]
    fn names_are_dns_labels() {
        assert_eq!(dns_label("URL shortener", "x"), "url-shortener");
        assert_eq!(dns_label("send_message", "x"), "send-message");
        assert_eq!(dns_label("Zürich — café", "x"), "z-rich-caf");
        assert_eq!(dns_label("!!!", "x"), "x");
        assert_eq!(dns_label(&"a".repeat(80), "x").len(), 63);
        let long = fit(&format!("{}-b", "a".repeat(70)));
        assert!(long.len() <= 63 && long != fit(&format!("{}-c", "a".repeat(70))), "{long}");
        assert_eq!(camel("url-shortener-shorten-availability"), "UrlShortenerShortenAvailability");
        assert_eq!(promql_string("a\"b\\c"), r#""a\"b\\c""#);
    }
}

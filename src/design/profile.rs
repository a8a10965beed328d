//! Node profiles (`profile = redis`) and project settings from `fermi.toml`: built-in
//! profiles carry the classic rules of thumb with their source; a project's `fermi.toml`
//! adds or overrides them; its `[metrics]` table names the Prometheus series `fermi export`
//! writes SLIs over. TOML values are parsed by the language's own quantity parser, and errors
//! point into the TOML file.
//!
//! Architecture Invariant: no file I/O here; callers hand in the TOML text.

use super::eval::{Evaluated, Scope, eval};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::source::{SourceFile, Span};
use crate::syntax;
use serde::Deserialize;
use std::collections::BTreeMap;

/// One value a profile supplies.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileValue {
    /// As written, e.g. `100K to 500K rps`.
    pub text: String,
    /// Evaluated.
    pub value: Evaluated,
}

/// A named set of tier defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Its name.
    pub name: String,
    /// The tier kind it implies, if any.
    pub kind: Option<String>,
    /// Field values by tier field name.
    pub fields: BTreeMap<String, ProfileValue>,
    /// Where its numbers come from.
    pub source: String,
    /// For a built-in priced shape: the page its price was read from, and when.
    pub citation: Option<String>,
}

/// All profiles known to a run, by name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Profiles(pub BTreeMap<String, Profile>);

/// Fields a profile may set.
pub const PROFILE_FIELDS: &[&str] = &[
    "capacity",
    "memory",
    "disk",
    "service_time",
    "concurrency",
    "service_cv",
    "availability",
    "headroom",
    "replicas",
    "vcpus",
    "network",
    "price",
    "storage_price",
    "latency",
    "connections",
];

const RULES_OF_THUMB: &str = "rule of thumb: web/app server 1K–10K rps, database 1K–5K rps, Redis 100K–500K rps \
     (the classic figures of public system-design interview material, e.g. the System Design Primer's \
     back-of-the-envelope tables)";

/// A built-in profile: name, tier kind, and (field, value) pairs in the language.
type BuiltIn = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

/// Built-in profiles.
const BUILT_IN: &[BuiltIn] = &[
    ("app", "service", &[("capacity", "1K to 10K rps")]),
    ("web", "service", &[("capacity", "1K to 10K rps")]),
    ("database", "database", &[("capacity", "1K to 5K rps")]),
    ("redis", "cache", &[("capacity", "100K to 500K rps")]),
];

struct NoNames;

impl Scope for NoNames {
    fn lookup(&mut self, _: &str, _: Span) -> Result<Option<Evaluated>, Diagnostic> {
        Ok(None)
    }
    fn names(&self) -> Vec<String> {
        Vec::new()
    }
    fn year_seconds(&self) -> f64 {
        crate::units::table::DEFAULT_YEAR
    }
}

/// Evaluates a standalone quantity such as `200K rps` (no names allowed).
pub fn eval_standalone(source: &SourceFile) -> Result<Evaluated, Diagnostics> {
    let (expr, _) = syntax::parse_calc(source)?;
    eval(&expr, &mut NoNames).map_err(Diagnostics::from)
}

impl Profiles {
    /// The built-in profiles.
    pub fn built_in() -> Self {
        let mut map = BTreeMap::new();
        for (name, kind, fields) in BUILT_IN {
            let mut values = BTreeMap::new();
            for (field, text) in *fields {
                if let Ok(value) = eval_standalone(&SourceFile::new("<built-in>", *text)) {
                    values.insert((*field).to_string(), ProfileValue { text: (*text).to_string(), value });
                }
            }
            let profile = Profile {
                citation: None,
                name: (*name).to_string(),
                kind: Some((*kind).to_string()),
                fields: values,
                source: format!("built-in: {RULES_OF_THUMB}"),
            };
            map.insert((*name).to_string(), profile);
        }
        for shape in super::catalogue::SHAPES {
            let vcpus = crate::units::format::sig(shape.vcpus, 6);
            let mut texts = vec![("vcpus", vcpus.as_str()), ("memory", shape.memory), ("network", shape.network)];
            if let Some(disk) = shape.disk {
                texts.push(("disk", disk));
            }
            texts.push(("price", shape.price));
            let mut values = BTreeMap::new();
            for (field, text) in texts {
                if let Ok(value) = eval_standalone(&SourceFile::new("<built-in>", text)) {
                    values.insert(field.to_string(), ProfileValue { text: text.to_string(), value });
                }
            }
            let source = format!(
                "built-in {} shape: AWS on demand, Linux, US East, {} read {}; `fermi profiles` cites the source",
                shape.family, shape.price, shape.read
            );
            map.insert(
                shape.name.to_string(),
                Profile {
                    name: shape.name.to_string(),
                    kind: None,
                    fields: values,
                    source,
                    citation: Some(format!("{} (read {})", shape.source, shape.read)),
                },
            );
        }
        Profiles(map)
    }

    /// Looks up a profile.
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.0.get(name)
    }
}

/// Project settings from `fermi.toml`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProjectConfig {
    /// Built-in profiles plus the file's own.
    pub profiles: Profiles,
    /// Project defaults for top-level and users fields: `seconds_per_day`, `calendar`, `peak`.
    pub defaults: BTreeMap<String, ProfileValue>,
    /// Output folder for `fermi build`.
    pub output: Option<String>,
    /// Template folder for docs.
    pub templates: Option<String>,
    /// Metric selectors for `fermi export`, from `[metrics]`.
    pub metrics: Metrics,
}

/// Where a design's SLIs live in Prometheus, from `[metrics]` in `fermi.toml`: the selectors
/// `fermi export` writes into recording rules and SLO specs.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    /// The request counter.
    pub requests: String,
    /// Label matchers that pick the failed requests out of the counter.
    pub errors: String,
    /// The latency histogram's bucket series (`le` labels).
    pub latency: String,
    /// The label whose value names a request (its value is the request's name).
    pub label: String,
    /// Label matchers added to every selector (`job="shortener"`); empty for none.
    pub selector: String,
    /// Per request, label matchers that replace `label="NAME"`.
    pub requests_by_name: BTreeMap<String, String>,
    /// Where each `[metrics.request]` entry is in fermi.toml, for errors about its name.
    pub request_spans: BTreeMap<String, Span>,
}

/// The default request counter (the Prometheus client libraries' HTTP convention).
pub const DEFAULT_REQUESTS_METRIC: &str = "http_requests_total";
/// The default matcher of failed requests: server errors.
pub const DEFAULT_ERRORS_MATCHER: &str = r#"code=~"5..""#;
/// The default latency histogram buckets.
pub const DEFAULT_LATENCY_METRIC: &str = "http_request_duration_seconds_bucket";
/// The default label naming a request.
pub const DEFAULT_REQUEST_LABEL: &str = "handler";

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            requests: DEFAULT_REQUESTS_METRIC.into(),
            errors: DEFAULT_ERRORS_MATCHER.into(),
            latency: DEFAULT_LATENCY_METRIC.into(),
            label: DEFAULT_REQUEST_LABEL.into(),
            selector: String::new(),
            requests_by_name: BTreeMap::new(),
            request_spans: BTreeMap::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    project: RawProject,
    #[serde(default)]
    profile: BTreeMap<String, BTreeMap<String, toml::Spanned<String>>>,
    #[serde(default)]
    metrics: RawMetrics,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMetrics {
    requests: Option<toml::Spanned<String>>,
    errors: Option<toml::Spanned<String>>,
    latency: Option<toml::Spanned<String>>,
    label: Option<toml::Spanned<String>>,
    selector: Option<toml::Spanned<String>>,
    #[serde(default)]
    request: BTreeMap<String, toml::Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawProject {
    seconds_per_day: Option<toml::Spanned<String>>,
    calendar: Option<toml::Spanned<String>>,
    peak: Option<toml::Spanned<String>>,
    output: Option<String>,
    templates: Option<String>,
}

impl ProjectConfig {
    /// Built-in profiles and no project settings.
    pub fn built_in() -> Self {
        ProjectConfig { profiles: Profiles::built_in(), ..ProjectConfig::default() }
    }

    /// Parses `fermi.toml` text. Errors carry spans into `source`.
    pub fn parse(source: &SourceFile) -> Result<Self, Diagnostics> {
        let raw: RawConfig = toml::from_str(source.text()).map_err(|e| {
            let span = e.span().map_or(Span::default(), |r| Span::new(r.start, r.end));
            Diagnostic::error(Code::Config, format!("invalid fermi.toml: {}", e.message()), span, "here").with_help(
                "fermi.toml has a [project] table, [profile.NAME] tables and a [metrics] table; values are strings like \"200K rps\"",
            )
        })?;
        let mut config = ProjectConfig::built_in();
        let mut errors = Vec::new();
        for (key, value) in [
            ("seconds_per_day", &raw.project.seconds_per_day),
            ("calendar", &raw.project.calendar),
            ("peak", &raw.project.peak),
        ] {
            if let Some(v) = value {
                match value_in_toml(source, v) {
                    Ok(pv) => match check_project_default(key, &pv, v) {
                        Ok(()) => {
                            config.defaults.insert(key.to_string(), pv);
                        }
                        Err(d) => errors.push(d),
                    },
                    Err(d) => errors.extend(d.0),
                }
            }
        }
        config.output = raw.project.output;
        config.templates = raw.project.templates;
        config.metrics = metrics(&raw.metrics, &mut errors);
        for (name, fields) in &raw.profile {
            let mut profile = Profile {
                citation: None,
                name: name.clone(),
                kind: None,
                fields: BTreeMap::new(),
                source: format!("{} [profile.{name}]", source.path()),
            };
            for (field, value) in fields {
                match field.as_str() {
                    "source" => profile.source = format!("{} ({})", value.get_ref(), source.path()),
                    "kind" => profile.kind = Some(value.get_ref().clone()),
                    f if PROFILE_FIELDS.contains(&f) => match value_in_toml(source, value) {
                        Ok(pv) => {
                            profile.fields.insert(field.clone(), pv);
                        }
                        Err(d) => errors.extend(d.0),
                    },
                    other => {
                        let span = Span::new(value.span().start, value.span().end);
                        let all = PROFILE_FIELDS.iter().copied().chain(["kind", "source"]);
                        let diag = Diagnostic::error(
                            Code::Config,
                            format!("unknown profile field `{other}`"),
                            span,
                            "value of an unknown field",
                        );
                        errors.push(match super::resolve::suggest(other, all) {
                            Some(s) => diag.with_help(format!("did you mean `{s}`?")),
                            None => {
                                diag.with_help(format!("profile fields: {}, kind, source", PROFILE_FIELDS.join(", ")))
                            }
                        });
                    }
                }
            }
            config.profiles.0.insert(name.clone(), profile);
        }
        if errors.is_empty() { Ok(config) } else { Err(Diagnostics(errors)) }
    }
}

/// `[metrics]`: each name and matcher checked for the shape Prometheus accepts, defaults for
/// the rest.
fn metrics(raw: &RawMetrics, errors: &mut Vec<Diagnostic>) -> Metrics {
    let mut m = Metrics::default();
    let mut take = |value: &Option<toml::Spanned<String>>, kind: Shape, slot: &mut String| {
        if let Some(v) = value {
            match check_shape(v, kind) {
                Ok(()) => *slot = v.get_ref().trim().to_string(),
                Err(d) => errors.push(d),
            }
        }
    };
    take(&raw.requests, Shape::Metric, &mut m.requests);
    take(&raw.errors, Shape::Matchers, &mut m.errors);
    take(&raw.latency, Shape::Metric, &mut m.latency);
    take(&raw.label, Shape::Label, &mut m.label);
    take(&raw.selector, Shape::OptionalMatchers, &mut m.selector);
    for (name, value) in &raw.request {
        let mut slot = String::new();
        take(&Some(value.clone()), Shape::Matchers, &mut slot);
        if !slot.is_empty() {
            m.requests_by_name.insert(name.clone(), slot);
            m.request_spans.insert(name.clone(), Span::new(value.span().start, value.span().end));
        }
    }
    m
}

#[derive(Clone, Copy)]
enum Shape {
    /// A metric name: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    Metric,
    /// A label name: `[a-zA-Z_][a-zA-Z0-9_]*`.
    Label,
    /// Label matchers as written inside `{…}`: `code=~"5..", job="api"`.
    Matchers,
    /// Matchers, or nothing.
    OptionalMatchers,
}

fn check_shape(value: &toml::Spanned<String>, shape: Shape) -> Result<(), Diagnostic> {
    let text = value.get_ref().trim();
    let name_ok = |colon: bool| {
        let mut chars = text.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || (colon && c == ':'))
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || (colon && c == ':'))
    };
    let (ok, expected, example) = match shape {
        Shape::Metric => (name_ok(true), "a Prometheus metric name", DEFAULT_REQUESTS_METRIC),
        Shape::Label => (name_ok(false), "a Prometheus label name", DEFAULT_REQUEST_LABEL),
        Shape::Matchers => (matchers_ok(text), "label matchers as written inside `{…}`", DEFAULT_ERRORS_MATCHER),
        Shape::OptionalMatchers => {
            (text.is_empty() || matchers_ok(text), "label matchers as written inside `{…}`", r#"job="api""#)
        }
    };
    if ok {
        return Ok(());
    }
    let span = Span::new(value.span().start, value.span().end);
    Err(Diagnostic::error(Code::Config, format!("`{text}` is not {expected}"), span, format!("expected {expected}"))
        .with_help(format!("for example `{example}`")))
}

/// Label matchers: `name op "value"` pairs separated by commas, op one of `=`, `!=`, `=~`, `!~`,
/// values double-quoted with backslash escapes.
fn matchers_ok(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    let skip_space = |i: &mut usize| {
        while *i < bytes.len() && bytes[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    loop {
        skip_space(&mut i);
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        if i == start || bytes[start].is_ascii_digit() {
            return false;
        }
        skip_space(&mut i);
        let op = &bytes[i.min(bytes.len())..];
        i += if op.starts_with(b"=~") || op.starts_with(b"!=") || op.starts_with(b"!~") {
            2
        } else if op.starts_with(b"=") {
            1
        } else {
            return false;
        };
        skip_space(&mut i);
        if bytes.get(i) != Some(&b'"') {
            return false;
        }
        i += 1;
        loop {
            match bytes.get(i) {
                None | Some(b'\n') => return false,
                Some(b'\\') => i += 2,
                Some(b'"') => break,
                Some(_) => i += 1,
            }
        }
        i += 1;
        skip_space(&mut i);
        match bytes.get(i) {
            None => return true,
            Some(b',') => i += 1,
            Some(_) => return false,
        }
    }
}

/// Parses a TOML string value with the language's parser, keeping byte offsets of the TOML
/// file so errors point at the right line and column.
/// A `[project]` default checked where it is written in fermi.toml: the dimension its design
/// field needs and the range that gives it meaning. Without this, `peak = "3 ms"` would be taken
/// as a peak of 0x, and a bad `calendar` would be reported at the design's first line.
fn check_project_default(key: &str, pv: &ProfileValue, raw: &toml::Spanned<String>) -> Result<(), Diagnostic> {
    use crate::units::Dim;
    // The text inside the quotes, where the value's own errors point too.
    let span = Span::new(raw.span().start + 1, raw.span().end.saturating_sub(1).max(raw.span().start + 1));
    let v = pv.value.value;
    let (dims_ok, wants, example, low) = match key {
        "seconds_per_day" => (v.dim == Dim::NONE || v.dim == Dim::TIME, "a number of seconds", "\"100K\"", 0.0),
        "calendar" => (v.dim == Dim::TIME, "a duration (the length of a year)", "\"365 days\"", 0.0),
        _ => (v.dim == Dim::NONE, "a plain ratio of peak to average traffic", "\"2x\"", 1.0),
    };
    if !dims_ok {
        return Err(Diagnostic::error(
            Code::DimensionMismatch,
            format!("`{key}` in [project] needs {wants}; `{}` is {}", pv.text, v.dim.describe()),
            span,
            "wrong kind of value",
        )
        .with_help(format!("write `{key} = {example}`")));
    }
    let bad = if low > 0.0 { v.si < low } else { v.si <= 0.0 };
    if bad || !v.si.is_finite() {
        let bound = if low > 0.0 { "at least 1x" } else { "positive" };
        return Err(Diagnostic::error(
            Code::OutOfRange,
            format!("`{key}` in [project] must be {bound}; `{}` is not", pv.text),
            span,
            "out of range",
        )
        .with_help(format!("write `{key} = {example}`")));
    }
    Ok(())
}

fn value_in_toml(source: &SourceFile, value: &toml::Spanned<String>) -> Result<ProfileValue, Diagnostics> {
    let span = value.span();
    let inner = span.start + 1..span.end.saturating_sub(1);
    let text = source.text();
    let masked: String = text
        .char_indices()
        .map(|(k, c)| {
            if inner.contains(&k) {
                c.to_string()
            } else if c == '\n' {
                "\n".to_string()
            } else {
                " ".repeat(c.len_utf8())
            }
        })
        .collect();
    let probe = SourceFile::new(source.path(), masked);
    let value_text = value.get_ref().clone();
    let evaluated = eval_standalone(&probe)?;
    Ok(ProfileValue { text: value_text, value: evaluated })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_profile_value_evaluates() {
        let profiles = Profiles::built_in();
        for (name, _, fields) in BUILT_IN {
            let p = profiles.get(name).unwrap();
            assert_eq!(p.fields.len(), fields.len(), "profile {name} lost a field");
        }
        // web/app: 1K–10K rps, a lognormal 90% range with median √(1K × 10K) ≈ 3,162 rps.
        let cap = &profiles.get("app").unwrap().fields["capacity"].value;
        assert_eq!(cap.spread, Some(crate::design::Spread::Interval90 { lo: 1e3, hi: 1e4 }));
        assert!((cap.value.si - 1e3 * 10f64.sqrt()).abs() < 1e-9);
    }

    #[test]
    fn toml_errors_point_into_the_toml_file() {
        let src = SourceFile::new("fermi.toml", "[profile.redis]\ncapacity = \"200K rsp\"\n");
        let err = ProjectConfig::parse(&src).unwrap_err();
        let d = &err.0[0];
        let lc = src.line_col(d.primary_span().start);
        assert_eq!((lc.line, lc.column), (2, 18));
        assert!(d.help.as_deref().unwrap_or("").contains("rps"), "{d:?}");
    }

    #[test]
    fn metrics_default_to_the_http_conventions_and_take_the_toml_values() {
        let none = ProjectConfig::parse(&SourceFile::new("fermi.toml", "")).unwrap();
        assert_eq!(none.metrics.requests, "http_requests_total");
        assert_eq!(none.metrics.errors, r#"code=~"5..""#);
        assert_eq!(none.metrics.latency, "http_request_duration_seconds_bucket");
        let text = "[metrics]\nrequests = \"api_calls_total\"\nlabel = \"route\"\nselector = 'job=\"api\", env!~\"dev|test\"'\n\
                    [metrics.request]\nredirect = 'route=\"/{code}\"'\n";
        let m = ProjectConfig::parse(&SourceFile::new("fermi.toml", text)).unwrap().metrics;
        assert_eq!((m.requests.as_str(), m.label.as_str()), ("api_calls_total", "route"));
        assert_eq!(m.selector, r#"job="api", env!~"dev|test""#);
        assert_eq!(m.requests_by_name["redirect"], r#"route="/{code}""#);
    }

    #[test]
    fn a_malformed_metric_or_matcher_is_located_in_the_toml_file() {
        for (text, column) in [
            ("[metrics]\nrequests = \"http requests\"\n", 12),
            ("[metrics]\nerrors = 'code=5..'\n", 10),
            ("[metrics]\nerrors = 'code=\"5..'\n", 10),
            ("[metrics]\nlabel = \"a:b\"\n", 9),
        ] {
            let src = SourceFile::new("fermi.toml", text);
            let err = ProjectConfig::parse(&src).unwrap_err();
            let lc = src.line_col(err.0[0].primary_span().start);
            assert_eq!((lc.line, lc.column), (2, column), "{text}: {:?}", err.0[0]);
            assert!(err.0[0].help.as_deref().unwrap_or("").contains("for example"), "{:?}", err.0[0]);
        }
        let src = SourceFile::new("fermi.toml", "[metrics]\nrequest_counter = \"x\"\n");
        assert!(ProjectConfig::parse(&src).is_err(), "unknown [metrics] keys are rejected");
    }
}

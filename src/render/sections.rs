//! The estimate as a list of titled tables of strings — the view model that the terminal and
//! Markdown renderers share, so both always show the same rows.
//!
//! Architecture Invariant: every cell is a plan value formatted here or a name; nothing is
//! computed.

use super::Options;
use crate::analysis::Analysis;
use crate::design::{Origin, TierKind};
use crate::key::{self, Metric};
use crate::model::plan::show;
use crate::units::format;

/// One titled table.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Title.
    pub title: String,
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
    /// A line under the table.
    pub note: Option<String>,
}

fn section(title: &str, headers: &[&str]) -> Section {
    Section {
        title: title.into(),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: Vec::new(),
        note: None,
    }
}

/// All sections of an estimate.
pub fn plan_tables(a: &Analysis, o: Options) -> Vec<Section> {
    let p = a.view();
    let d = o.digits;
    let v = |name: &str| p.show(name, d);
    let mut out = Vec::new();

    let mut t = section("Traffic", &["request", "kind", "daily calls", "average", "peak"]);
    for r in &a.design.requests {
        let n = &r.name;
        let kind = match r.kind {
            crate::design::RequestKind::Read => "read",
            crate::design::RequestKind::Write => "write",
        };
        t.rows.push(vec![
            n.clone(),
            kind.into(),
            v(&key::of(n, Metric::Daily)),
            v(&key::of(n, Metric::AvgRps)),
            v(&key::of(n, Metric::PeakRps)),
        ]);
    }
    t.rows.push(vec!["total".into(), String::new(), v("traffic.daily"), v("traffic.avg_rps"), v("traffic.peak_rps")]);
    t.note = Some(format!(
        "average = daily ÷ {} seconds per day; peak = average × {}",
        format::grouped(p.value("seconds_per_day")),
        v("users.peak")
    ));
    out.push(t);

    let mut b = section("Bandwidth", &["direction", "average", "peak"]);
    for (label, key) in [("ingress", "ingress"), ("egress", "egress"), ("origin egress (after CDN)", "origin_egress")] {
        let show_rate = |name: &str| match (p.get(name), p.distribution(name)) {
            (Some(_), Some(_)) => v(name),
            (Some(x), None) => format!("{} ({})", show(x, d), format::byte_rate(x.value.si, d)),
            (None, _) => "—".into(),
        };
        b.rows.push(vec![
            label.into(),
            show_rate(&format!("bandwidth.{key}")),
            show_rate(&format!("bandwidth.{key}_peak")),
        ]);
    }
    out.push(b);

    let mut s = section("Storage", &["quantity", "value", "formula"]);
    for name in ["storage.daily", "storage.yearly", "storage.total"] {
        let formula = p.get(name).map(|x| p.substituted(x, d)).unwrap_or_default();
        s.rows.push(vec![name.into(), v(name), formula]);
    }
    out.push(s);

    let mut tiers = section(
        "Tiers",
        &["tier", "kind", "peak load", "hit ratio", "nodes", "bound by", "utilization", "availability"],
    );
    for t in &a.design.tiers {
        let n = &t.name;
        let hit = if t.kind == TierKind::Cache { v(&key::of(n, Metric::HitRatio)) } else { "—".into() };
        let bound = p
            .get(&key::of(n, Metric::Nodes))
            .and_then(|x| x.note.clone())
            .unwrap_or_default()
            .trim_start_matches("bound by ")
            .to_string();
        let nodes = nodes_cell(a, &key::of(n, Metric::Nodes));
        tiers.rows.push(vec![
            n.clone(),
            t.kind.name().into(),
            v(&key::of(n, Metric::Load)),
            hit,
            nodes,
            bound,
            v(&key::of(n, Metric::Utilization)),
            v(&key::of(n, Metric::Availability)),
        ]);
    }
    tiers.note = moment(a);
    out.push(tiers);
    out.push(resources(a, d));
    if let Some(records) = data_model(a, d) {
        out.push(records);
    }
    if let Some(cost) = cost(a, d) {
        out.push(cost);
    }
    if let Some(sc) = scenarios(a, d) {
        out.push(sc);
    }
    if let Some(g) = growth(a, d) {
        out.push(g);
    }

    let queued: Vec<_> = a.design.tiers.iter().filter(|t| t.service_time.is_some()).collect();
    if !queued.is_empty() {
        let labels = latency_labels(a);
        let mut headers = vec!["tier", "ρ (queue)", "P(wait)", "mean wait", "mean latency"];
        let label_refs: Vec<&str> = labels.iter().map(String::as_str).collect();
        headers.extend(label_refs.iter());
        let mut l = section("Latency (M/M/c per node)", &headers);
        for t in queued {
            let n = &t.name;
            let mut row = vec![
                n.clone(),
                v(&key::of(n, Metric::QueueUtilization)),
                v(&key::of(n, Metric::WaitProbability)),
                v(&key::of(n, Metric::WaitMean)),
                v(&key::of(n, Metric::LatencyMean)),
            ];
            row.extend(labels.iter().map(|lab| v(&key::latency(n, lab))));
            l.rows.push(row);
        }
        out.push(l);
    }

    let labels: Vec<String> = latency_labels(a)
        .into_iter()
        .filter(|l| a.design.requests.iter().any(|r| p.get(&key::latency(&r.name, l)).is_some()))
        .collect();
    let mut headers = vec!["request".to_string(), "path".to_string(), "availability".to_string()];
    headers.extend(labels.iter().map(|l| format!("latency {l}")));
    let mut req = Section { title: "Requests".into(), headers, rows: Vec::new(), note: None };
    for r in &a.design.requests {
        let path = r
            .path
            .iter()
            .map(|h| {
                let t = &a.design.tiers[h.tier].name;
                if h.multiplier != 1.0 { format!("{t} ×{}", format::sig(h.multiplier, 6)) } else { t.clone() }
            })
            .collect::<Vec<_>>()
            .join(" → ");
        let mut row = vec![r.name.clone(), path, v(&key::of(&r.name, Metric::Availability))];
        row.extend(labels.iter().map(|l| v(&key::latency(&r.name, l))));
        req.rows.push(row);
    }
    out.push(req);

    let mut av = section("Availability", &["quantity", "value", "formula"]);
    let mut names: Vec<String> = vec!["availability.composite".into()];
    if p.get("slo.availability").is_some() {
        names.push("slo.availability".into());
    }
    names.extend(["year", "quarter", "month", "week", "day"].iter().map(|x| format!("availability.downtime_{x}")));
    names.extend(["slo.error_budget".to_string(), "slo.error_budget_requests".to_string()]);
    for name in &names {
        let formula = p
            .get(name)
            .map(|x| if x.formula.is_empty() { "input".to_string() } else { x.formula.clone() })
            .unwrap_or_default();
        av.rows.push(vec![name.clone(), v(name), formula]);
    }
    out.push(av);

    if p.get("slo.availability").is_some() {
        let mut burn = section(
            "Error-budget burn alerts",
            &[
                "severity",
                "long window",
                "short window",
                "budget consumed",
                "burn rate",
                "alert when error rate exceeds",
            ],
        );
        for alert in crate::model::BURN_ALERTS {
            let short = crate::units::Value::new(alert.short, crate::units::Dim::TIME);
            let (label, share) = (alert.label, alert.share);
            burn.rows.push(vec![
                alert.severity.to_string(),
                label.to_string(),
                format::human(short, format::Style::Duration, d),
                format!("{}%", format::sig(share * 100.0, 3)),
                v(&format!("slo.burn_rate.{label}")),
                v(&format!("slo.burn_threshold.{label}")),
            ]);
        }
        burn.note = Some(format!(
            "Multiwindow burn-rate alerts after the Google SRE Workbook: both windows must exceed the rate; the budget window is {}.",
            v("slo.error_budget_window")
        ));
        out.push(burn);
    }
    out.extend(uncertainty(a, d));
    if !a.design.assumptions.is_empty() {
        let mut asm = section("Assumptions", &["name", "value", "why"]);
        for x in &a.design.assumptions {
            asm.rows.push(vec![x.name.clone(), x.value.clone(), x.why.clone()]);
        }
        out.push(asm);
    }
    if !a.findings.is_empty() {
        let mut c = section("Checks", &["", "check", "result"]);
        for f in &a.findings {
            let line = a.source.line_col(f.span.start).line;
            c.rows.push(vec![
                if f.is_warning() {
                    "warn".into()
                } else if f.passed {
                    "ok".into()
                } else {
                    "FAIL".into()
                },
                format!("line {line}: {}", f.text),
                match (&f.suggestion, f.is_warning()) {
                    (Some(fix), true) => format!("{} — {fix}", f.message),
                    _ => f.message.clone(),
                },
            ]);
        }
        out.push(c);
    }
    out
}

/// The moment the node counts are for, when some count holds stored bytes: loads are
/// today's peak while disks hold what the retention accumulates (grown to the horizon).
fn moment(a: &Analysis) -> Option<String> {
    use crate::units::Quantity;
    let p = a.view();
    let disks = a.design.tiers.iter().any(|t| p.get(&key::of(&t.name, Metric::NodesDisk)).is_some());
    if !disks {
        return None;
    }
    let years = |s: f64| format::sig(s / a.design.year.value.si(), 3);
    let retention = years(a.design.storage.retention.value.si());
    let plural = |y: &str| if y == "1" { "year" } else { "years" };
    let growth = a.design.users.growth.value.si();
    let held = if growth != 0.0 {
        let horizon = a.design.users.horizon.as_ref().map_or(a.design.storage.retention.value.si(), |h| h.value.si());
        let h = years(horizon);
        format!(
            "the bytes the {retention}-year retention holds with users growing {}% a year to the horizon ({h} {})",
            format::sig(growth * 100.0, 3),
            plural(&h)
        )
    } else {
        format!("the bytes the {retention}-year retention holds")
    };
    Some(format!(
        "Moment: loads, throughput and connection counts are for today's peak; disk counts are for {held}{}.",
        if a.timeline.is_some() { " — the growth timeline states both for each year" } else { "" }
    ))
}

/// What each tier holds and moves, and the node count every constraint asks for.
fn resources(a: &Analysis, d: usize) -> Section {
    let p = a.view();
    let mut r = section("Resources", &["tier", "holds (one copy)", "bandwidth (peak)", "nodes by constraint"]);
    for t in &a.design.tiers {
        let n = &t.name;
        let holds = p.get(&key::of(n, Metric::Storage)).map_or_else(
            || p.get(&key::of(n, Metric::Memory)).map_or("—".to_string(), |m| format!("{} in memory", show(m, d))),
            |x| show(x, d),
        );
        let by: Vec<String> = ["throughput", "memory", "disk", "network", "connections", "latency"]
            .iter()
            .filter_map(|c| p.get(&format!("{n}.nodes.{c}")).map(|x| format!("{c} {}", show(x, d))))
            .collect();
        r.rows.push(vec![n.clone(), holds, p.show(&key::of(n, Metric::Bandwidth), d), by.join(" · ")]);
    }
    if let Some(x) = p.get("storage.unplaced").filter(|x| x.value.si > 0.0) {
        r.note = Some(format!("{} of stored bytes are held by no tier (storage.unplaced)", show(x, d)));
    }
    r
}

/// Each `record` as its fields and sizes, with its total and partition key.
fn data_model(a: &Analysis, d: usize) -> Option<Section> {
    if a.design.records.is_empty() {
        return None;
    }
    let mut s = section("Data model", &["record", "field", "size"]);
    for r in &a.design.records {
        for f in &r.fields {
            let key = if r.key.as_deref() == Some(f.name.as_str()) { " (partition key)" } else { "" };
            s.rows.push(vec![
                r.name.clone(),
                format!("{}{key}", f.name),
                a.view().show(&format!("{}.{}", r.name, f.name), d),
            ]);
        }
        s.rows.push(vec![r.name.clone(), "total".into(), a.view().show(&key::of(&r.name, Metric::Size), d)]);
    }
    Some(s)
}

/// The bill: per tier, network, and the totals, when the design prices anything.
fn cost(a: &Analysis, d: usize) -> Option<Section> {
    let p = a.view();
    p.get("cost.monthly")?;
    let mut s = section("Cost (per month)", &["item", "compute", "storage", "total"]);
    let cell = |name: String| p.get(&name).map_or("—".to_string(), |_| p.show(&name, d));
    for t in &a.design.tiers {
        let n = &t.name;
        if p.get(&key::of(n, Metric::Cost)).is_none() {
            s.rows.push(vec![n.clone(), "unpriced".into(), "—".into(), "—".into()]);
            continue;
        }
        s.rows.push(vec![
            n.clone(),
            cell(key::of(n, Metric::CostCompute)),
            cell(key::of(n, Metric::CostStorage)),
            cell(key::of(n, Metric::Cost)),
        ]);
    }
    s.rows.push(vec!["network (egress, CDN)".into(), "—".into(), "—".into(), p.show("cost.network", d)]);
    s.rows.push(vec!["total".into(), p.show("cost.compute", d), p.show("cost.storage", d), p.show("cost.monthly", d)]);
    s.note = Some(format!(
        "{} a year; {} per million requests; {} per daily user per month. A month is the calendar year ÷ 12.",
        p.show("cost.yearly", d),
        p.show("cost.per_million_requests", d),
        p.show("cost.per_user", d)
    ));
    Some(s)
}

/// The base design and each scenario side by side: headline results, nodes per tier, and
/// the checks each scenario fails.
fn scenarios(a: &Analysis, d: usize) -> Option<Section> {
    if a.scenarios.is_empty() {
        return None;
    }
    let mut headers = vec!["result".to_string(), "base".to_string()];
    headers.extend(a.scenarios.iter().map(|s| s.name.clone()));
    let mut sec = Section { title: "Scenarios".into(), headers, rows: Vec::new(), note: None };
    let mut names: Vec<String> =
        vec!["users.dau".into(), "traffic.peak_rps".into(), "bandwidth.egress_peak".into(), "storage.total".into()];
    names.extend(a.design.tiers.iter().map(|t| key::of(&t.name, Metric::Nodes)));
    names.push("availability.composite".into());
    names.extend(a.design.requests.iter().map(|r| format!("{}.latency.p99", r.name)));
    if a.plan.get("cost.monthly").is_some() {
        names.push("cost.monthly".into());
    }
    for name in names.iter().filter(|n| a.plan.get(n).is_some()) {
        let mut row = vec![name.clone(), a.view().show(name, d)];
        row.extend(a.scenarios.iter().map(|s| s.plan.show(name, d)));
        sec.rows.push(row);
    }
    let fails: Vec<String> = a
        .scenarios
        .iter()
        .map(|s| {
            let bad: Vec<String> =
                s.failed.iter().map(|span| format!("line {}", a.source.line_col(span.start).line)).collect();
            if bad.is_empty() { "none".to_string() } else { bad.join(", ") }
        })
        .collect();
    let mut row = vec!["asserts that fail".to_string(), "—".to_string()];
    row.extend(fails);
    sec.rows.push(row);
    let restated: Vec<String> = a
        .design
        .scenarios
        .iter()
        .map(|s| {
            let what: Vec<String> = s
                .overrides
                .iter()
                .filter(|(k, _, _)| k != "users.elapsed")
                .map(|(k, v, _)| format!("{k} = {}", format::human(*v, format::Style::for_dim(v.dim), d)))
                .collect();
            format!("{}: {}", s.name, what.join(", "))
        })
        .collect();
    sec.note = Some(format!("Each scenario restates inputs of the base design — {}.", restated.join("; ")));
    Some(sec)
}

/// The growth timeline: one column a year from now to the horizon.
fn growth(a: &Analysis, d: usize) -> Option<Section> {
    let tl = a.timeline.as_ref()?;
    let mut headers = vec!["result".to_string()];
    headers.extend(tl.years.iter().map(|y| if y.year == 0 { "now".to_string() } else { format!("year {}", y.year) }));
    let mut s = Section { title: "Growth timeline".into(), headers, rows: Vec::new(), note: None };
    let mut names: Vec<String> = vec!["users.dau".into(), "traffic.peak_rps".into(), "storage.total".into()];
    names.extend(a.design.tiers.iter().map(|t| key::of(&t.name, Metric::Nodes)));
    if a.plan.get("cost.monthly").is_some() {
        names.push("cost.monthly".into());
    }
    for name in &names {
        let mut row = vec![name.clone()];
        row.extend(tl.years.iter().map(|y| y.plan.show(name, d)));
        s.rows.push(row);
    }
    let outgrown: Vec<String> = tl
        .outgrown
        .iter()
        .map(|o| format!("{}: {}-bound from year {} ({} nodes)", o.tier, o.bound, o.year, format::count(o.nodes, d)))
        .collect();
    s.note = Some(format!(
        "Each year's users grow by users.growth and its storage is what is held that year. Today's plan sizes nodes for today's traffic and disks for the horizon. {}",
        if outgrown.is_empty() {
            "No tier outgrows the nodes it is given today before the horizon.".to_string()
        } else {
            format!("Outgrowing today's nodes — {}.", outgrown.join("; "))
        }
    ));
    Some(s)
}

/// All tiers' nodes for the glance and the index: the sum of each tier's count as the tables
/// show it (its p50 when uncertain), and when the doc provisions to a percentile, that sum
/// too: `169 (313 to provision at p95)`.
pub fn total_nodes(a: &Analysis) -> String {
    let (sum, provision) = node_totals(a);
    match provision {
        Some(p) => format!("{sum} ({p})"),
        None => sum,
    }
}

/// The two halves of [`total_nodes`]: the sum as the tables show it, and the sum to provision
/// (`313 to provision at p95`) when the doc provisions to a percentile and it differs.
pub fn node_totals(a: &Analysis) -> (String, Option<String>) {
    let p = a.view();
    let each = |t: &crate::design::Tier| {
        let name = key::of(&t.name, Metric::Nodes);
        p.distribution(&name).map_or(p.value(&name), |x| x.p50)
    };
    let sum: f64 = a.design.tiers.iter().map(each).filter(|x| x.is_finite()).sum();
    let Some(u) = a.uncertainty.as_ref().filter(|u| !u.nodes.is_empty()) else { return (format::whole(sum), None) };
    let provisioned: std::collections::BTreeMap<&str, f64> =
        u.nodes.iter().map(|n| (n.tier.as_str(), n.provision)).collect();
    let provision: f64 = a
        .design
        .tiers
        .iter()
        .map(|t| provisioned.get(t.name.as_str()).copied().unwrap_or_else(|| each(t)))
        .filter(|x| x.is_finite())
        .sum();
    if provision == sum {
        (format::whole(sum), None)
    } else {
        (
            format::whole(sum),
            Some(format!("{} to provision at {}", format::whole(provision), percentile_label(u.provision))),
        )
    }
}

/// A node count: `12`, or `12 [9 – 17]` when it varies over Monte Carlo samples.
fn nodes_cell(a: &Analysis, name: &str) -> String {
    let p = a.view();
    let n = |x: f64| if x.is_finite() { format::whole(x) } else { "undefined".to_string() };
    match (p.get(name), p.distribution(name)) {
        (Some(_), Some(x)) if x.p5 == x.p95 => n(x.p50),
        (Some(_), Some(x)) => format!("{} [{} – {}]", n(x.p50), n(x.p5), n(x.p95)),
        (Some(x), None) => n(x.value.si),
        (None, _) => String::new(),
    }
}

/// The Monte Carlo summary: headline results with their spread and what drives them, and the
/// node counts to provision.
fn uncertainty(a: &Analysis, d: usize) -> Vec<Section> {
    let Some(u) = &a.uncertainty else { return Vec::new() };
    let p = a.view();
    let pct = |x: f64| format!("{}%", format::sig(x * 100.0, 2));
    let mut out = Vec::new();
    let mut s = section("Uncertainty (Monte Carlo)", &["result", "p5", "p50", "p95", "mean", "driven by"]);
    for x in &u.sensitivity {
        let name = &x.output;
        s.rows.push(vec![
            name.clone(),
            p.show_stat(name, "p5", d),
            p.show_stat(name, "p50", d),
            p.show_stat(name, "p95", d),
            p.show_stat(name, "mean", d),
            drivers(x, "", 3),
        ]);
    }
    s.note = Some(
        format!(
            "{} Latin hypercube samples (seed {}) of {} uncertain input{}; \"driven by\" is each input's share of the result's variance by rank correlation (ρ² ÷ Σρ²).{}",
            format::grouped(u.samples as f64),
            u.seed,
            u.leaves.len(),
            if u.leaves.len() == 1 { "" } else { "s" },
            u.caches.as_ref().map(|c| format!(" {c}.")).unwrap_or_default()
        ) + &correlations(u),
    );
    out.push(s);
    if !u.nodes.is_empty() {
        let label = percentile_label(u.provision);
        let priced = u.nodes.iter().any(|x| x.provision_cost.is_some());
        let head = format!("provision ({label})");
        let mut columns = vec!["tier", "p50", "p95", head.as_str()];
        if priced {
            columns.push("a month at that count");
        }
        let mut n = section("Nodes under uncertainty", &columns);
        for x in &u.nodes {
            let mut row = vec![x.tier.clone(), format::whole(x.p50), format::whole(x.p95), format::whole(x.provision)];
            if priced {
                row.push(x.provision_cost.map_or_else(|| "unpriced".into(), |c| format::money(c, d)));
            }
            n.rows.push(row);
        }
        let mut note = format!(
            "provision to the {label} node count, so the tier carries the load in all but the {} most pessimistic share of outcomes",
            pct(1.0 - u.provision)
        );
        if let (Some(total), Some(median)) = (u.provision_compute, p.defined("cost.compute")) {
            note.push_str(&format!(
                "; provisioned so, compute costs {} a month, {} more than the {} at the inputs' medians (storage and network are billed by use)",
                format::money(total, d),
                format::money(total - median, d),
                format::money(median, d)
            ));
        }
        n.note = Some(note);
        out.push(n);
    }
    out
}

/// A result's notable drivers, strongest first, at most `limit`: `57% users.dau (…), 26% …`;
/// `joiner` goes between share and input (`" from"` for sentences).
pub fn drivers(s: &crate::uncertainty::Sensitivity, joiner: &str, limit: usize) -> String {
    let parts: Vec<String> =
        s.notable().take(limit).map(|d| format!("{}%{joiner} {}", format::sig(d.share * 100.0, 2), d.input)).collect();
    parts.join(", ")
}

/// The inputs drawn together, as a sentence (empty when there are none).
pub fn correlations(u: &crate::uncertainty::Uncertainty) -> String {
    let pairs: Vec<String> =
        u.correlations.iter().map(|(a, b, rho)| format!("{a} and {b} at {}", format::sig(*rho, 3))).collect();
    if pairs.is_empty() {
        String::new()
    } else {
        format!(" Drawn together (Gaussian copula on rank-normal scores): {}.", pairs.join("; "))
    }
}

/// `p95` for 0.95, `p99.9` for 0.999.
pub fn percentile_label(q: f64) -> String {
    format!("p{}", format::sig(q * 100.0, 4))
}

/// The latency percentiles shown: the SLO's, or p50 and p99.
pub fn latency_labels(a: &Analysis) -> Vec<String> {
    let mut labels: Vec<String> = a.design.slo.latency.iter().map(|l| l.label.clone()).collect();
    if labels.is_empty() {
        labels = vec!["p50".into(), "p99".into()];
    }
    labels
}

/// Where an input came from, for people.
pub fn origin_text(a: &Analysis, origin: &Origin) -> String {
    match origin {
        Origin::Written { span } => {
            let lc = a.source.line_col(span.start);
            let line = a.source.line_text(lc.line).trim();
            format!("{}:{}:{}  `{line}`", a.source.path(), lc.line, lc.column)
        }
        Origin::Default { text } => format!("fermi default `{text}`"),
        Origin::Profile { profile, source } => format!("profile `{profile}` ({source})"),
        Origin::Config { text } => format!("project setting `{text}`"),
    }
}

//! Alternatives, quantified: for each choice a design makes — a cache's eviction and write
//! policies, a database's sharding, a stateful tier's replication, a request's CDN share, a
//! tier's `cheapest(…)` shape — the design re-run with the main alternative, and the results
//! that choice moves side by side with the design's own, with which side the numbers favour.
//!
//! Each alternative goes through the sweep's [`Evaluator`]: the file lowered again with an
//! input restated (`db.replicas`, `watch.cdn`, a tier's shape) or with a keyword choice edited
//! on the lowered design (a write policy, an eviction policy), then `model::estimate` and
//! `check::check`. An eviction alternative's hit ratio is handed in by the orchestrator from
//! the hit-ratio bridge (`hit_ratios::alternative`); a sharding alternative is the shard plan's
//! own run of the other strategy at the same shard count.
//!
//! Architecture Invariant: never simulates and never copies the model: every number is a
//! plan value of the design or of its re-run, or a shard-plan outcome.

use super::sweep::Evaluator;
pub use crate::analysis::outcome::{Alternative, Purpose, Row};
use crate::key::{self, Metric};

use crate::analysis::outcome::Analysis;
use crate::design::{CachePolicy, Design, RequestKind, Restated, Sharding, TierKind, WritePolicy};
use crate::model::Plan;
use crate::model::hits::HitEstimate;
use crate::sim::shard::Strategy;
use crate::units::format::Style;
use crate::units::{Dim, Quantity, Value};

/// The main alternative to an eviction policy: the first the knowledge base lists.
pub fn policy_alternative(p: CachePolicy) -> CachePolicy {
    match p {
        CachePolicy::Lru => CachePolicy::S3fifo,
        CachePolicy::Fifo => CachePolicy::Sieve,
        _ => CachePolicy::Lru,
    }
}

/// The main alternative to a sharding strategy: hash mod N against any consistent scheme
/// (what resharding costs), consistent hashing against mod N and ranges.
pub fn sharding_alternative(s: Sharding) -> Strategy {
    match s {
        Sharding::Hash | Sharding::Range => Strategy::Consistent { vnodes: 128 },
        Sharding::Consistent { .. } | Sharding::Rendezvous | Sharding::Jump => Strategy::ModN,
    }
}

fn sharding_key(s: Strategy) -> &'static str {
    match s {
        Strategy::ModN => "sharding.hash",
        Strategy::Range => "sharding.range",
        Strategy::Consistent { .. } => "sharding.consistent",
        Strategy::Rendezvous => "sharding.rendezvous",
        Strategy::Jump => "sharding.jump",
    }
}

fn write_name(w: WritePolicy) -> &'static str {
    match w {
        WritePolicy::Around => "around",
        WritePolicy::Through => "through",
        WritePolicy::Back => "back",
    }
}

/// The main alternative to a write policy.
pub fn write_alternative(w: WritePolicy) -> WritePolicy {
    match w {
        WritePolicy::Around => WritePolicy::Through,
        WritePolicy::Through | WritePolicy::Back => WritePolicy::Around,
    }
}

/// The sum of every tier's nodes.
fn total_nodes(design: &Design, plan: &Plan) -> f64 {
    design.tiers.iter().map(|t| plan.value(&key::of(&t.name, Metric::Nodes))).filter(|x| x.is_finite()).sum()
}

/// The tiers a cache's read misses go on to: the next tier after it on each read's path.
fn behind(design: &Design, cache: usize) -> Vec<usize> {
    let mut out = Vec::new();
    for r in design.requests.iter().filter(|r| r.kind == RequestKind::Read) {
        if let Some(k) = r.path.iter().position(|h| h.tier == cache)
            && let Some(next) = r.path.get(k + 1)
            && !out.contains(&next.tier)
        {
            out.push(next.tier);
        }
    }
    out
}

struct Rerun<'a> {
    base: &'a Analysis,
    design: &'a Design,
    plan: &'a Plan,
    failed: Vec<String>,
}

impl Rerun<'_> {
    fn row(&self, what: String, name: &str, lower_is_better: bool) -> Option<Row> {
        let d = self.base.plan.get(name)?;
        Some(Row {
            what,
            chosen: self.base.plan.value(name),
            alternative: self.plan.value(name),
            dim: d.value.dim,
            style: d.style,
            lower_is_better,
        })
    }

    /// The rows every re-run shows when they move: nodes, availability, monthly cost.
    fn common(&self, rows: &mut Vec<Row>) {
        let nodes = (total_nodes(&self.base.design, &self.base.plan), total_nodes(self.design, self.plan));
        rows.push(Row {
            what: "nodes (all tiers)".into(),
            chosen: nodes.0,
            alternative: nodes.1,
            dim: Dim::NONE,
            style: Style::Count,
            lower_is_better: true,
        });
        rows.extend(self.row("availability".into(), "availability.composite", false));
        if super::priced(&self.base.plan) {
            rows.extend(self.row("cost a month".into(), "cost.monthly", true));
        }
    }
}

/// Re-runs the design with the main alternative of each choice it makes. `policy_hits` gives
/// a cache tier's hit ratio under another eviction policy (the orchestrator's bridge).
pub fn run(
    base: &Analysis,
    evaluator: &Evaluator<'_>,
    policy_hits: &dyn Fn(&str, CachePolicy) -> Option<HitEstimate>,
) -> Vec<Alternative> {
    let d = &base.design;
    let mut out = Vec::new();
    let base_failed: Vec<String> = base.findings.iter().filter(|f| limit(f)).map(|f| f.text.clone()).collect();
    // the shapes `cheapest(…)` chose, kept when another tier's shape is restated
    let chosen_shapes: Vec<(String, String)> = d
        .assumptions
        .iter()
        .filter_map(|a| key::owner(&a.name, Metric::Profile).map(|t| (t.to_string(), a.value.clone())))
        .collect();
    let rerun = |restated: &Restated, edit: &dyn Fn(&mut Design), hits: &[(String, HitEstimate)]| {
        evaluator.with(restated, |x| edit(x), hits).ok()
    };
    let finish = |key: String,
                  instead: String,
                  made_by: String,
                  labels: (String, String),
                  point: &crate::analysis::whatif::sweep::Point,
                  mut rows: Vec<Row>,
                  method: Option<String>| {
        let failed: Vec<String> = point.findings.iter().filter(|f| limit(f)).map(|f| f.text.clone()).collect();
        let r = Rerun { base, design: &point.design, plan: &point.plan, failed };
        r.common(&mut rows);
        // keep the deciding rows and those that move
        let mut kept: Vec<Row> = Vec::new();
        for (k, row) in rows.into_iter().enumerate() {
            if k == 0 || super::differs(row.chosen, row.alternative) {
                kept.push(row);
            }
        }
        let breaks: Vec<String> = r.failed.iter().filter(|t| !base_failed.contains(t)).cloned().collect();
        let fixes: Vec<String> = base_failed.iter().filter(|t| !r.failed.contains(t)).cloned().collect();
        let prefer = breaks.is_empty() && (!fixes.is_empty() || better(&kept));
        Alternative {
            key,
            instead,
            made_by,
            chosen_label: labels.0,
            alternative_label: labels.1,
            rows: kept,
            breaks,
            fixes,
            prefer_alternative: prefer,
            method,
            stated: true,
            purpose: None,
        }
    };
    // a choice is the design's own unless fermi assumed it by default
    let stated = |name: String| !d.assumptions.iter().any(|a| a.name == name);
    for (index, t) in d.tiers.iter().enumerate() {
        let by = format!("tier `{}`", t.name);
        if let Some(c) = &t.cache {
            let downstream = behind(d, index);
            let loads = |p: &Rerun<'_>, rows: &mut Vec<Row>| {
                for &k in &downstream {
                    let n = &d.tiers[k].name;
                    rows.extend(p.row(format!("peak load on `{n}`"), &key::of(n, Metric::Load), true));
                    rows.extend(p.row(format!("`{n}` nodes"), &key::of(n, Metric::Nodes), true));
                }
            };
            // eviction
            let alt = policy_alternative(c.policy);
            if let Some(h) = policy_hits(&t.name, alt) {
                let method = h.method.clone();
                let name = t.name.clone();
                if let Some(point) = rerun(
                    &Restated::default(),
                    &|x: &mut Design| {
                        if let Some(tc) = x.tiers.iter_mut().find(|y| y.name == name).and_then(|y| y.cache.as_mut()) {
                            tc.policy = alt;
                        }
                    },
                    &[(t.name.clone(), h)],
                ) {
                    let p = Rerun { base, design: &point.design, plan: &point.plan, failed: Vec::new() };
                    let mut rows = Vec::new();
                    rows.extend(p.row(
                        format!("hit ratio of `{}`", t.name),
                        &key::of(&t.name, Metric::HitRatio),
                        false,
                    ));
                    loads(&p, &mut rows);
                    let mut x = finish(
                        format!("cache.policy.{}", c.policy.name()),
                        format!("cache.policy.{}", alt.name()),
                        by.clone(),
                        (c.policy.name().to_string(), alt.name().to_string()),
                        &point,
                        rows,
                        Some(method),
                    );
                    x.stated = stated(key::of(&t.name, Metric::Policy));
                    out.push(x);
                }
            }
            // write policy
            let alt = write_alternative(c.write);
            let name = t.name.clone();
            let writes = || d.requests.iter().filter(|r| r.kind == RequestKind::Write);
            // a cache that ends a write's path is where the write lands: it has no write policy to change
            if writes().any(|r| r.path.iter().any(|h| h.tier == index))
                && !writes().any(|r| r.path.last().is_some_and(|h| h.tier == index))
                && let Some(point) = rerun(
                    &Restated::default(),
                    &|x: &mut Design| {
                        if let Some(tc) = x.tiers.iter_mut().find(|y| y.name == name).and_then(|y| y.cache.as_mut()) {
                            tc.write = alt;
                        }
                    },
                    &[],
                )
            {
                let p = Rerun { base, design: &point.design, plan: &point.plan, failed: Vec::new() };
                let mut rows = Vec::new();
                rows.extend(p.row(format!("peak load on `{}`", t.name), &key::of(&t.name, Metric::Load), true));
                rows.extend(p.row(format!("`{}` nodes", t.name), &key::of(&t.name, Metric::Nodes), true));
                for r in d.requests.iter().filter(|r| r.kind == RequestKind::Write) {
                    rows.extend(p.row(format!("`{}` p99", r.name), &format!("{}.latency.p99", r.name), true));
                    rows.extend(p.row(
                        format!("`{}` availability", r.name),
                        &key::of(&r.name, Metric::Availability),
                        false,
                    ));
                }
                let mut x = finish(
                    format!("cache.write.{}", write_name(c.write)),
                    format!("cache.write.{}", write_name(alt)),
                    by.clone(),
                    (format!("write-{}", write_name(c.write)), format!("write-{}", write_name(alt))),
                    &point,
                    rows,
                    None,
                );
                x.stated = stated(key::of(&t.name, Metric::Write));
                if c.write == WritePolicy::Through && alt == WritePolicy::Around {
                    x.purpose = reads_after_writes(base, index, &|hits: &[(String, HitEstimate)]| {
                        rerun(
                            &Restated::default(),
                            &|x: &mut Design| {
                                if let Some(tc) =
                                    x.tiers.iter_mut().find(|y| y.name == name).and_then(|y| y.cache.as_mut())
                                {
                                    tc.write = alt;
                                    tc.hit_ratio = None;
                                }
                            },
                            hits,
                        )
                    })
                    .map(|(reads, lost, point)| {
                        let p = Rerun { base, design: &point.design, plan: &point.plan, failed: Vec::new() };
                        let mut rows = Vec::new();
                        rows.extend(p.row(
                            format!("hit ratio of `{}`", t.name),
                            &key::of(&t.name, Metric::HitRatio),
                            false,
                        ));
                        loads(&p, &mut rows);
                        for r in d
                            .requests
                            .iter()
                            .filter(|r| r.kind == RequestKind::Read && r.path.iter().any(|h| h.tier == index))
                        {
                            rows.extend(p.row(format!("`{}` p99", r.name), &format!("{}.latency.p99", r.name), true));
                        }
                        p.common(&mut rows);
                        rows.retain(|r| super::differs(r.chosen, r.alternative));
                        Purpose { reads, lost, rows }
                    })
                    .filter(|p| !p.rows.is_empty());
                }
                out.push(x);
            }
        }
        // sharding: the shard plan's own run of the other strategy
        if t.kind == TierKind::Database
            && let Some(sp) = base.shard_plans.iter().find(|sp| sp.tier == t.name)
            && let Some(alt) = sp.alternatives.first()
        {
            let o = &sp.outcome;
            let rows = vec![
                Row {
                    what: "keys moved when a shard is added".into(),
                    chosen: o.moved_on_add,
                    alternative: alt.moved_on_add,
                    dim: Dim::NONE,
                    style: Style::Percent,
                    lower_is_better: true,
                },
                Row {
                    what: "hottest shard ÷ mean load".into(),
                    chosen: o.load_imbalance,
                    alternative: alt.load_imbalance,
                    dim: Dim::NONE,
                    style: Style::Multiplier,
                    lower_is_better: true,
                },
                Row {
                    what: "hottest shard's peak load".into(),
                    chosen: o.hottest_share * sp.load,
                    alternative: alt.hottest_share * sp.load,
                    dim: Dim::RATE,
                    style: Style::Rate,
                    lower_is_better: true,
                },
            ];
            let prefer = better(&rows);
            out.push(Alternative {
                key: sharding_key(sp.strategy).into(),
                instead: sharding_key(alt.strategy).into(),
                made_by: by.clone(),
                chosen_label: sp.strategy.name(),
                alternative_label: alt.strategy.name(),
                rows,
                breaks: Vec::new(),
                fixes: Vec::new(),
                prefer_alternative: prefer,
                method: None,
                // fermi's default, hash mod N, is not recorded as an assumption: only another
                // strategy is known to be written
                stated: sp.strategy != Strategy::ModN,
                purpose: None,
            });
        }
        // replication
        if t.kind.is_stateful() && t.kind != TierKind::Cache {
            let replicas = t.replicas.value.si();
            let alt = if replicas > 1.0 { 1.0 } else { 3.0 };
            let mut restated = Restated::default();
            restated
                .values
                .insert(key::of(&t.name, Metric::Replicas), (Value::number(alt), crate::source::Span::new(0, 0)));
            if let Some(point) = rerun(&restated, &|_| {}, &[]) {
                let p = Rerun { base, design: &point.design, plan: &point.plan, failed: Vec::new() };
                let mut rows = Vec::new();
                rows.extend(p.row(
                    format!("`{}` availability", t.name),
                    &key::of(&t.name, Metric::Availability),
                    false,
                ));
                rows.extend(p.row(format!("`{}` nodes", t.name), &key::of(&t.name, Metric::Nodes), true));
                rows.extend(p.row("storage (all copies)".into(), "storage.total", true));
                let label = |n: f64| {
                    if n == 1.0 {
                        "1 replica".to_string()
                    } else {
                        format!("{} replicas", crate::units::format::grouped(n))
                    }
                };
                let mut x = finish(
                    if replicas > 1.0 { "replication.multi" } else { "replication.single" }.into(),
                    if replicas > 1.0 { "replication.single" } else { "replication.multi" }.into(),
                    by.clone(),
                    (label(replicas), label(alt)),
                    &point,
                    rows,
                    None,
                );
                x.stated = stated(key::of(&t.name, Metric::Replicas));
                out.push(x);
            }
        }
        // shape
        if t.candidates.len() > 1
            && let Some(runner) = runner_up(base, &t.name)
        {
            let mut restated = Restated::default();
            for (tier, shape) in &chosen_shapes {
                restated.shapes.insert(tier.clone(), shape.clone());
            }
            let chosen = restated.shapes.insert(t.name.clone(), runner.clone()).unwrap_or_default();
            if let Some(point) = rerun(&restated, &|_| {}, &[]) {
                let p = Rerun { base, design: &point.design, plan: &point.plan, failed: Vec::new() };
                let mut rows = Vec::new();
                rows.extend(p.row(format!("`{}` cost a month", t.name), &key::of(&t.name, Metric::Cost), true));
                rows.extend(p.row(format!("`{}` nodes", t.name), &key::of(&t.name, Metric::Nodes), true));
                out.push(finish(
                    "shape.cheapest".into(),
                    "shape.runner_up".into(),
                    by.clone(),
                    (chosen, runner),
                    &point,
                    rows,
                    None,
                ));
            }
        }
    }
    // CDN: each request's edge share, or a cdn tier's hit ratio, set to none
    let shares = d
        .requests
        .iter()
        .filter(|r| r.cdn.value.si() > 0.0)
        .map(|r| (format!("request `{}`", r.name), key::of(&r.name, Metric::Cdn)));
    let tiers = d
        .tiers
        .iter()
        .filter(|t| t.kind == TierKind::Cdn && t.edge_hit_ratio.is_some())
        .map(|t| (format!("tier `{}`", t.name), key::of(&t.name, Metric::HitRatio)));
    for (by, input) in shares.chain(tiers) {
        let mut restated = Restated::default();
        restated.values.insert(input.clone(), (Value::number(0.0), crate::source::Span::new(0, 0)));
        if let Some(point) = rerun(&restated, &|_| {}, &[]) {
            out.push(cdn(base, &point, by, &base.view().show(&input, 4), &finish));
        }
    }
    out
}

type Finish<'a> = dyn Fn(
        String,
        String,
        String,
        (String, String),
        &crate::analysis::whatif::sweep::Point,
        Vec<Row>,
        Option<String>,
    ) -> Alternative
    + 'a;

fn cdn(
    base: &Analysis,
    point: &crate::analysis::whatif::sweep::Point,
    by: String,
    share: &str,
    finish: &Finish<'_>,
) -> Alternative {
    let p = Rerun { base, design: &point.design, plan: &point.plan, failed: Vec::new() };
    let mut rows = Vec::new();
    rows.extend(p.row("origin egress at peak".into(), "bandwidth.origin_egress_peak", true));
    for t in base.design.tiers.iter().filter(|t| t.kind != TierKind::Cdn) {
        rows.extend(p.row(format!("`{}` nodes", t.name), &key::of(&t.name, Metric::Nodes), true));
    }
    finish(
        "cdn.used".into(),
        "cdn.none".into(),
        by,
        (format!("a CDN answering {share}"), "no CDN".into()),
        point,
        rows,
        None,
    )
}

/// A re-run with some caches' hit ratios given.
type WithHits<'a> = dyn Fn(&[(String, HitEstimate)]) -> Option<super::sweep::Point> + 'a;

/// Write-through's purpose in numbers: with write-around, a read of a key just written
/// misses, because the write skipped the cache. At most every write's key is read before it
/// would have been evicted, and no more reads can miss than hit, so the cache loses up to
/// min(writes reaching it, read hits) hits a second; `rerun` re-runs write-around with the hit
/// ratio lowered by that bound. Returns the reads, the bound and the re-run.
fn reads_after_writes(base: &Analysis, cache: usize, rerun: &WithHits<'_>) -> Option<(f64, f64, super::sweep::Point)> {
    let d = &base.design;
    let tier = &d.tiers[cache].name;
    let calls = |kind: RequestKind| -> f64 {
        d.requests
            .iter()
            .filter(|r| r.kind == kind)
            .filter_map(|r| base.plan.defined(&crate::model::edges::hop_name(&r.name, tier, 1)))
            .sum()
    };
    let (reads, writes) = (calls(RequestKind::Read), calls(RequestKind::Write));
    let hit = base.plan.defined(&key::of(tier, Metric::HitRatio))?;
    let lost = writes.min(hit * reads);
    if !(reads > 0.0 && lost > 0.0) {
        return None;
    }
    let ratio = (hit - lost / reads).clamp(0.0, 1.0);
    let method = "the design's hit ratio less the reads that follow writes".to_string();
    let point = rerun(&[(tier.clone(), HitEstimate { ratio, method, analytic: None })])?;
    Some((reads, lost, point))
}

/// Whether a finding is a failed limit (an SLO or an inequality assert); an assert that pins
/// a value (`==`) records the design's own number and is no reason to prefer either side.
fn limit(f: &crate::check::Finding) -> bool {
    !f.passed && !f.is_warning() && !f.text.contains("==")
}

/// The runner-up shape of a `cheapest(…)` tier, read off its `TIER.profile` explanation.
fn runner_up(base: &Analysis, tier: &str) -> Option<String> {
    let note = base.plan.get(&key::of(tier, Metric::Profile))?.note.clone()?;
    let after = note.split("runner-up ").nth(1)?;
    Some(after.split(' ').next()?.to_string())
}

/// Whether the deciding (first) row favours the alternative by more than 1%.
fn better(rows: &[Row]) -> bool {
    let Some(r) = rows.first() else { return false };
    let (a, b) = (r.chosen, r.alternative);
    if !(a.is_finite() && b.is_finite()) {
        return false;
    }
    if r.lower_is_better {
        (a - b) / a.abs().max(b.abs()).max(f64::MIN_POSITIVE) > 0.01
    } else if (0.0..=1.0).contains(&a) && (0.0..=1.0).contains(&b) {
        // a share near 1 (availability, hit ratio): what it leaves out must fall by 1%
        (1.0 - b) < 0.99 * (1.0 - a)
    } else {
        (b - a) / a.abs().max(b.abs()).max(f64::MIN_POSITIVE) > 0.01
    }
}

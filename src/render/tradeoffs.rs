//! Trade-offs from the design's own choices: the knowledge base in `templates/tradeoffs.toml`
//! (compiled in, overridable like any template) keyed by the choices a design makes — cache
//! write and eviction policies, sharding, replication, CDN, queues, fan-out.
//!
//! Under each entry, the choice quantified: the design's results beside those of the design
//! re-run with the main alternative (`whatif::alternatives`), what the alternative gains and
//! gives up in this design, and a recommendation that follows from those numbers.
//!
//! Architecture Invariant: the design's choices select entries; the numbers come from the
//! re-runs, formatted here; the only arithmetic is which side of a row is better.

use crate::analysis::whatif::alternatives::{Alternative as Rerun, Row};
use crate::design::{Design, TierKind, WritePolicy};
use crate::units::Value;
use crate::units::format;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The built-in knowledge base.
pub const BUILT_IN: &str = include_str!("../../templates/tradeoffs.toml");

/// One entry: a choice with its pros, cons and when to pick it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Choice {
    /// `cache.write.around`, `sharding.consistent`, …
    pub key: String,
    /// Heading.
    pub title: String,
    /// One sentence.
    pub summary: String,
    /// What it buys.
    pub pros: Vec<String>,
    /// What it costs.
    pub cons: Vec<String>,
    /// When to pick it.
    pub when: String,
    /// Keys of the choices given up.
    pub alternatives: Vec<String>,
}

/// A choice that is only ever discussed as an alternative.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Alternative {
    /// Key.
    pub key: String,
    /// Heading.
    pub title: String,
    /// One sentence.
    pub summary: String,
}

/// The whole knowledge base.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct KnowledgeBase {
    /// Choices.
    #[serde(default)]
    pub choice: Vec<Choice>,
    /// Alternatives only.
    #[serde(default)]
    pub alternative: Vec<Alternative>,
}

impl KnowledgeBase {
    /// Parses a knowledge base (the built-in one, or a user's override).
    pub fn parse(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| format!("tradeoffs.toml: {e}"))
    }

    /// The title and summary of any key.
    pub fn describe(&self, key: &str) -> Option<(String, String)> {
        self.choice
            .iter()
            .find(|c| c.key == key)
            .map(|c| (c.title.clone(), c.summary.clone()))
            .or_else(|| self.alternative.iter().find(|a| a.key == key).map(|a| (a.title.clone(), a.summary.clone())))
    }
}

/// A choice as it applies to this design: where it was made and what was given up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Applied {
    /// The entry.
    pub choice: Choice,
    /// Where the design makes it: "tier `cache`", "request `watch`".
    pub made_by: Vec<String>,
    /// (title, summary) of each alternative given up.
    pub given_up: Vec<(String, String)>,
    /// The choice against its main alternative, re-run, once per place it is made.
    pub quantified: Vec<Quantified>,
}

/// One choice against its main alternative, in numbers, ready to lay out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantified {
    /// "tier `cache`: lru against s3fifo".
    pub title: String,
    /// The knowledge base's title of the alternative.
    pub alternative: String,
    /// Column headers: result, the design, the alternative.
    pub headers: Vec<String>,
    /// One row per result.
    pub rows: Vec<Vec<String>>,
    /// What the alternative would gain and give up here, in numbers.
    pub gains: Vec<String>,
    /// See `gains`.
    pub gives_up: Vec<String>,
    /// The one-line recommendation.
    pub recommendation: String,
    /// How the alternative's numbers were obtained, when not plainly re-estimated.
    pub method: Option<String>,
}

fn show(x: f64, row: &Row, digits: usize) -> String {
    if x.is_finite() { format::human(Value::new(x, row.dim), row.style, digits) } else { "—".into() }
}

fn better(row: &Row) -> Option<bool> {
    let (a, b) = (row.chosen, row.alternative);
    if !(a.is_finite() && b.is_finite() && crate::analysis::whatif::differs(a, b)) {
        return None;
    }
    Some(if row.lower_is_better { b < a } else { b > a })
}

/// The table, gains, losses and recommendation of one alternative.
pub fn quantify(alt: &Rerun, kb: &KnowledgeBase, digits: usize) -> Quantified {
    let title_of = |key: &str| kb.describe(key).map_or(key.to_string(), |(t, _)| t);
    let rows: Vec<Vec<String>> = alt
        .rows
        .iter()
        .map(|r| vec![r.what.clone(), show(r.chosen, r, digits), show(r.alternative, r, digits)])
        .collect();
    let moved = |r: &Row| format!("{} {} → {}", r.what, show(r.chosen, r, digits), show(r.alternative, r, digits));
    let gains: Vec<String> = alt.rows.iter().filter(|r| better(r) == Some(true)).map(moved).collect();
    let mut gives_up: Vec<String> = alt.rows.iter().filter(|r| better(r) == Some(false)).map(moved).collect();
    gives_up.extend(alt.breaks.iter().map(|b| format!("`{b}` would fail")));
    let deciding = alt.rows.first().map(moved).unwrap_or_default();
    let lower_first = |text: &str| {
        let text = text.trim_end_matches('.');
        let mut chars = text.chars();
        let first = chars.next().map(|f| f.to_lowercase().collect::<String>()).unwrap_or_default();
        format!("{first}{}", chars.as_str())
    };
    let when_of = |key: &str| kb.choice.iter().find(|c| c.key == key).map(|c| lower_first(&c.when));
    // what the choice is for, counted: the alternative under the case the choice exists for
    let purpose_case = alt.purpose.as_ref().map(|p| {
        let rate = |x: f64| format::human(Value::new(x, crate::units::Dim::RATE), format::Style::Rate, digits);
        let condition = format!(
            "if each read that follows a write misses, as it does when the write skips the cache (up to {} of the {} reads that reach it)",
            rate(p.lost),
            rate(p.reads)
        );
        let losses: Vec<String> = p.rows.iter().filter(|r| better(r) == Some(false)).map(moved).collect();
        (condition, losses)
    });
    if let Some((condition, losses)) = &purpose_case
        && !losses.is_empty()
    {
        gives_up.push(format!("{condition}: {}", losses.join("; ")));
    }
    let recommendation = if alt.prefer_alternative
        && alt.stated
        && let Some((_, losses)) = purpose_case.as_ref().filter(|c| !c.1.is_empty())
    {
        let when = when_of(&alt.instead).map(|w| format!(": {} suits {w}", alt.alternative_label)).unwrap_or_default();
        let rate = |x: f64| format::human(Value::new(x, crate::units::Dim::RATE), format::Style::Rate, digits);
        let (lost, reads) = alt.purpose.as_ref().map_or((0.0, 0.0), |p| (p.lost, p.reads));
        format!(
            "Keep {}, as the design states: {} gives {deciding}, but reads that follow writes would miss (up to {} of {}), so {}. Switch {} only if its reads rarely follow writes{when}.",
            alt.chosen_label,
            alt.alternative_label,
            rate(lost),
            rate(reads),
            losses.iter().take(2).cloned().collect::<Vec<_>>().join(" and "),
            alt.made_by
        )
    } else if alt.prefer_alternative {
        let fixes = if alt.fixes.is_empty() {
            String::new()
        } else {
            format!(
                "; it also makes {} hold",
                alt.fixes.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
            )
        };
        let fits = when_of(&alt.instead).map(|w| format!(" It suits {w}.")).unwrap_or_default();
        // a choice the design states was made for a reason: say what switching gives up
        let stated = match (
            alt.stated,
            kb.choice.iter().find(|c| c.key == alt.key).and_then(|c| c.pros.first()),
            kb.choice.iter().find(|c| c.key == alt.instead).and_then(|c| c.cons.first()),
        ) {
            (true, Some(pro), Some(con)) => format!(
                " The design states {}, which it is for: {}. Switching gives up what these numbers do not count: {}.",
                alt.chosen_label,
                lower_first(pro),
                lower_first(con)
            ),
            (true, Some(pro), None) => {
                format!(" The design states {}, which it is for: {}.", alt.chosen_label, lower_first(pro))
            }
            _ => String::new(),
        };
        format!("Consider {} for {}: {deciding}{fixes}.{fits}{stated}", alt.alternative_label, alt.made_by)
    } else if !alt.breaks.is_empty() {
        format!(
            "Keep {}: with {}, {} would fail.",
            alt.chosen_label,
            alt.alternative_label,
            alt.breaks.iter().map(|b| format!("`{b}`")).collect::<Vec<_>>().join(", ")
        )
    } else {
        match alt.rows.first().and_then(better) {
            Some(false) => format!("Keep {}: with {}, {deciding}.", alt.chosen_label, alt.alternative_label),
            _ => format!(
                "Keep {}: {} changes {} by under 1% here ({deciding}), not enough to switch.",
                alt.chosen_label,
                alt.alternative_label,
                alt.rows.first().map_or("nothing".to_string(), |r| r.what.clone())
            ),
        }
    };
    Quantified {
        title: format!("{}: {} against {}", alt.made_by, alt.chosen_label, alt.alternative_label),
        alternative: title_of(&alt.instead),
        headers: vec![
            "result".into(),
            format!("as designed ({})", alt.chosen_label),
            format!("with {}", alt.alternative_label),
        ],
        rows,
        gains,
        gives_up,
        recommendation,
        method: alt.method.clone(),
    }
}

/// The keys of the choices a design makes, each with where it is made, in a stable order.
pub fn choices(design: &Design) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut push = |key: String, by: String| out.push((key, by));
    for t in &design.tiers {
        let by = format!("tier `{}`", t.name);
        if let Some(c) = &t.cache {
            let write = match c.write {
                WritePolicy::Around => "around",
                WritePolicy::Through => "through",
                WritePolicy::Back => "back",
            };
            push(format!("cache.write.{write}"), by.clone());
            push(format!("cache.policy.{}", c.policy.name()), by.clone());
        }
        if t.kind == TierKind::Database {
            let s = match t.sharding {
                crate::design::Sharding::Hash => "hash",
                crate::design::Sharding::Range => "range",
                crate::design::Sharding::Consistent { .. } => "consistent",
                crate::design::Sharding::Rendezvous => "rendezvous",
                crate::design::Sharding::Jump => "jump",
            };
            push(format!("sharding.{s}"), by.clone());
        }
        if t.kind.is_stateful() && t.kind != TierKind::Cache {
            use crate::units::Quantity;
            let key = if t.replicas.value.si() > 1.0 { "replication.multi" } else { "replication.single" };
            push(key.into(), by.clone());
        }
        if t.kind == TierKind::Queue {
            push("queue.async".into(), by.clone());
        }
        if t.candidates.len() > 1 {
            push("shape.cheapest".into(), by.clone());
        }
        if t.kind == TierKind::Cdn && t.edge_hit_ratio.is_some() {
            push("cdn.used".into(), by.clone());
        }
    }
    for r in &design.requests {
        use crate::units::Quantity;
        if r.cdn.value.si() > 0.0 {
            push("cdn.used".into(), format!("request `{}`", r.name));
        }
        if r.path.iter().any(|h| h.multiplier > 1.0) {
            push("fanout.on_write".into(), format!("request `{}`", r.name));
        }
    }
    let any_cdn = design.requests.iter().any(|r| {
        use crate::units::Quantity;
        r.cdn.value.si() > 0.0
    }) || design.tiers.iter().any(|t| t.kind == TierKind::Cdn && t.edge_hit_ratio.is_some());
    if !any_cdn && !design.requests.is_empty() {
        out.push(("cdn.none".into(), "all requests".into()));
    }
    out
}

/// [`applied`], each entry with its alternatives re-run (`alternatives`, by choice key).
pub fn applied_with(design: &Design, kb: &KnowledgeBase, alternatives: &[Rerun], digits: usize) -> Vec<Applied> {
    let mut out = applied(design, kb);
    for x in &mut out {
        x.quantified = alternatives.iter().filter(|a| a.key == x.choice.key).map(|a| quantify(a, kb, digits)).collect();
    }
    out
}

/// The knowledge base's entries for the design's choices, merged by key, in first-use order.
pub fn applied(design: &Design, kb: &KnowledgeBase) -> Vec<Applied> {
    let mut out: Vec<Applied> = Vec::new();
    let mut seen = BTreeSet::new();
    for (key, by) in choices(design) {
        if let Some(existing) = out.iter_mut().find(|a| a.choice.key == key) {
            if !existing.made_by.contains(&by) {
                existing.made_by.push(by);
            }
            continue;
        }
        let Some(choice) = kb.choice.iter().find(|c| c.key == key) else { continue };
        if !seen.insert(key.clone()) {
            continue;
        }
        let given_up = choice.alternatives.iter().filter_map(|k| kb.describe(k)).collect();
        out.push(Applied { choice: choice.clone(), made_by: vec![by], given_up, quantified: Vec::new() });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_knowledge_base_parses_and_its_alternatives_resolve() {
        let kb = KnowledgeBase::parse(BUILT_IN).unwrap();
        assert!(kb.choice.len() >= 20);
        for c in &kb.choice {
            assert!(!c.pros.is_empty() && !c.cons.is_empty(), "{} needs pros and cons", c.key);
            for alt in &c.alternatives {
                assert!(kb.describe(alt).is_some(), "{}: alternative {alt} is not described", c.key);
            }
        }
    }
}

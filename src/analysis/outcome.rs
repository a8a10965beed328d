//! What a run of the orchestrator takes and gives: the run-time [`Options`], the
//! [`Analysis`] of one design (its plan, findings, Monte Carlo run, scenarios, timeline,
//! simulations and each choice's [`Alternative`] re-run) and the [`Failure`] of one that
//! does not analyse.
//!
//! Architecture Invariant: plain data with no stage of its own, so the orchestrator and the
//! what-ifs it runs both name it without importing each other.

use crate::check::Finding;
use crate::design::Design;
use crate::diagnostic::Diagnostics;
use crate::model::{Hits, Plan, View};
use crate::source::SourceFile;

/// Run-time choices that change the numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Options {
    /// Interview mode: 100K seconds a day (display rounding is the renderer's business).
    pub interview_day: bool,
    /// Run the simulations only docs show: miss-ratio curves of cache tiers and the shard
    /// plans of database tiers (estimates do not need them).
    pub doc_simulations: bool,
    /// Monte Carlo over uncertain inputs: samples, seed, provisioning percentile.
    pub sampling: crate::uncertainty::Settings,
}

/// Everything known about one design after a run.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The design file.
    pub source: SourceFile,
    /// The validated design.
    pub design: Design,
    /// Cache hit ratios used.
    pub hits: Hits,
    /// Every number.
    pub plan: Plan,
    /// Assert and SLO verdicts.
    pub findings: Vec<Finding>,
    /// Miss-ratio curves of cache tiers, when asked for.
    pub cache_curves: Vec<crate::model::curves::CacheCurve>,
    /// Simulated shard plans of database tiers, when asked for.
    pub shard_plans: Vec<crate::analysis::shard_plan::ShardPlan>,
    /// The Monte Carlo run over uncertain inputs, when the design has any.
    pub uncertainty: Option<crate::uncertainty::Uncertainty>,
    /// Each scenario's plan, in the design's order (its entries are also in `plan` as
    /// `NAME.RESULT`).
    pub scenarios: Vec<crate::analysis::whatif::scenarios::ScenarioPlan>,
    /// The design year by year to the horizon, when its users grow.
    pub timeline: Option<crate::analysis::timeline::Timeline>,
    /// Each choice the design makes re-run with its main alternative, when docs are made.
    pub alternatives: Vec<Alternative>,
}

impl Analysis {
    /// The plan with its Monte Carlo distributions, as tables and checks read it.
    pub fn view(&self) -> View<'_> {
        View::new(&self.plan, self.uncertainty.as_ref().map(|u| &u.distributions))
    }

    /// Whether every assert and SLO holds.
    pub fn passed(&self) -> bool {
        self.findings.iter().all(|f| f.passed)
    }

    /// The plausibility warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.is_warning())
    }
}

/// A failed analysis: the file and its diagnostics.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The file the diagnostics point into.
    pub source: SourceFile,
    /// What went wrong.
    pub diagnostics: Diagnostics,
}

impl Failure {
    /// Rendered diagnostics.
    pub fn render(&self) -> String {
        self.diagnostics.render(&self.source)
    }
}

/// One result of the design and of the alternative.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What it is, for people: "hit ratio of `cache`", "nodes (all tiers)".
    pub what: String,
    /// The design's value (base units).
    pub chosen: f64,
    /// The alternative's value.
    pub alternative: f64,
    /// Its dimension.
    pub dim: crate::units::Dim,
    /// How to show it.
    pub style: crate::units::format::Style,
    /// Whether a lower value is better (load, nodes, cost, keys moved); else higher is.
    pub lower_is_better: bool,
}

/// A choice and its main alternative, re-run.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    /// The choice's knowledge-base key: `cache.policy.lru`, `replication.multi`.
    pub key: String,
    /// The alternative's key: `cache.policy.s3fifo`, `replication.single`.
    pub instead: String,
    /// Where the design makes the choice: "tier `cache`".
    pub made_by: String,
    /// The choice as the design states it: "lru", "3 replicas".
    pub chosen_label: String,
    /// The alternative stated the same way.
    pub alternative_label: String,
    /// The results it moves, the deciding one first.
    pub rows: Vec<Row>,
    /// Checks (asserts, SLOs) that hold for the design and fail for the alternative.
    pub breaks: Vec<String>,
    /// Checks that fail for the design and hold for the alternative.
    pub fixes: Vec<String>,
    /// Whether the numbers favour the alternative.
    pub prefer_alternative: bool,
    /// How the alternative's hit ratio was obtained, for an eviction alternative.
    pub method: Option<String>,
    /// Whether the design states the choice; else it is fermi's default, chosen by nobody.
    pub stated: bool,
    /// What the choice is for, in this design's numbers, when the model can count it.
    pub purpose: Option<Purpose>,
}

/// What a choice is for, counted: the alternative re-run under the condition the choice
/// exists to avoid (write-through's reads after writes, which write-around turns into misses).
#[derive(Debug, Clone, PartialEq)]
pub struct Purpose {
    /// Reads a second reaching the cache, at peak.
    pub reads: f64,
    /// Of those, the reads that follow a write and would miss under the alternative (a bound).
    pub lost: f64,
    /// The alternative's results under it beside the design's own, the deciding one first.
    pub rows: Vec<Row>,
}

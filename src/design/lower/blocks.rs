//! Lowering of the named and structured blocks: requests (kind, rate, sizes, path), tiers
//! (kind, profile, cache and shard settings), the SLO block, the workload and cost.
//!
//! Architecture Invariant: word-valued fields (`kind`, `policy`, `sharding`, `skew`, `path`)
//! are validated here against `fields`, with suggestions; numbers go through `Lowerer::num`.

use super::lowerer::{BlockFields, Lowerer};
use super::names::quantile;
use crate::design::eval::eval;
use crate::design::fields::{self, CACHE_ONLY, DATABASE_ONLY};
use crate::design::resolve::{list, suggest};
use crate::design::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::key::{self, Metric};
use crate::syntax::ast::{self, BinOp, ExprKind};
use crate::units::{Dim, Quantity};

/// Whether an expression is a percentage on its own (`2%`), not a share of something.
pub(super) fn bare_percentage(e: &ast::Expr) -> bool {
    match &e.kind {
        ExprKind::Quantity(q) => {
            q.suffix.as_ref().is_some_and(|s| s.node == "%") || q.units.iter().any(|u| u.word.node == "%")
        }
        ExprKind::Range(a, b) | ExprKind::PlusMinus(a, b) => bare_percentage(a) || bare_percentage(b),
        _ => false,
    }
}

/// The tier blocks with each name's position (the first block of a name), so that a path's
/// hops are found in constant time however many tiers there are.
pub(super) struct TierIndex<'t, 'a> {
    blocks: &'t [BlockFields<'a>],
    index: rustc_hash::FxHashMap<&'t str, usize>,
}

impl<'t, 'a> TierIndex<'t, 'a> {
    pub(super) fn of(blocks: &'t [BlockFields<'a>]) -> Self {
        let mut index = rustc_hash::FxHashMap::default();
        for (k, b) in blocks.iter().enumerate() {
            if let Some(name) = &b.name {
                index.entry(name.as_str()).or_insert(k);
            }
        }
        TierIndex { blocks, index }
    }
}

impl<'a> Lowerer<'a> {
    pub(super) fn request(&mut self, b: &BlockFields<'a>, tiers: &TierIndex<'_, 'a>) -> Request {
        let name = b.name.clone().unwrap_or_default();
        let p = |f: &str| format!("{name}.{f}");
        if !b.fields.contains_key("rate") {
            self.errors.push(
                Diagnostic::error(Code::MissingField, format!("request `{name}` needs a `rate`"), b.span, "no rate")
                    .with_help("write `rate = 1 per user per day`, `rate = 5K rps` or `rate = 10 x other_request`"),
            );
        }
        let kind = match self.word(b, "kind", fields::REQUEST_KINDS) {
            Some("write") => RequestKind::Write,
            _ => RequestKind::Read,
        };
        let path = b.fields.get("path").map(|f| self.path(&f.value, tiers)).unwrap_or_default();
        Request {
            placements: Vec::new(),
            per_second: false,
            api: self.text(b, "api"),
            kind,
            rate: self.num(&p("rate"), Dim::RATE).unwrap_or_else(|| Input::default(Rate::from_si(0.0), "(missing)")),
            request: self.num_or_default(&p("request"), Dim::DATA),
            response: self.num_or_default(&p("response"), Dim::DATA),
            stores: self.num_or_default(&p("stores"), Dim::DATA),
            cdn: self.num_or_default(&p("cdn"), Dim::NONE),
            path,
            span: b.span,
            name,
        }
    }

    fn text(&mut self, b: &BlockFields<'a>, key: &str) -> String {
        match b.fields.get(key).map(|f| (&f.value.kind, f.value.span)) {
            Some((ExprKind::Str(s), _)) => s.clone(),
            Some((_, span)) => {
                self.errors.push(
                    Diagnostic::error(Code::Type, format!("`{key}` needs a string"), span, "not a string")
                        .with_help(format!("write `{key} = \"GET /items/{{id}}\"`")),
                );
                String::new()
            }
            None => String::new(),
        }
    }

    /// A word-valued field; `None` when absent or invalid (invalid records an error).
    fn word(&mut self, b: &BlockFields<'a>, key: &str, allowed: &'static [&'static str]) -> Option<&'static str> {
        let f = b.fields.get(key)?;
        let written = f.value.as_ref_name().unwrap_or_else(|| self.source.slice(f.value.span).to_string());
        if let Some(w) = allowed.iter().find(|w| **w == written) {
            return Some(w);
        }
        let diag = Diagnostic::error(
            Code::UnknownWord,
            format!("`{written}` is not a valid `{key}`"),
            f.value.span,
            "not allowed here",
        );
        let help = match suggest(&written, allowed.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? `{key}` is one of {}", allowed.join(", ")),
            None => format!("`{key}` is one of {}", allowed.join(", ")),
        };
        self.errors.push(diag.with_help(help));
        None
    }

    fn path(&mut self, e: &ast::Expr, tiers: &TierIndex<'_, 'a>) -> Vec<Hop> {
        let hops: Vec<&ast::Expr> = match &e.kind {
            ExprKind::Path(hops) => hops.iter().collect(),
            _ => vec![e],
        };
        let mut out = Vec::new();
        for hop in hops {
            let (tier_expr, mult) = match &hop.kind {
                ExprKind::Binary { op: BinOp::Times, left, right } => (left.as_ref(), Some(right.as_ref())),
                _ => (hop, None),
            };
            let Some(tier_name) = tier_expr.as_ref_name() else {
                self.errors.push(
                    Diagnostic::error(
                        Code::BadPath,
                        "a path hop is a tier name, optionally `x N`",
                        hop.span,
                        "not a tier",
                    )
                    .with_help("write `path = api -> cache -> db` or `api -> fanout -> timelines x 300`"),
                );
                continue;
            };
            let Some(&index) = tiers.index.get(tier_name.as_str()) else {
                let names: Vec<String> = tiers.blocks.iter().filter_map(|t| t.name.clone()).collect();
                let diag = Diagnostic::error(
                    Code::UnknownTier,
                    format!("unknown tier `{tier_name}`; tiers are {}", list(&names)),
                    tier_expr.span,
                    "no such tier",
                );
                let diag = match suggest(&tier_name, names.iter().map(String::as_str)) {
                    Some(s) => diag.with_help(format!("did you mean `{s}`?")),
                    None => diag.with_help(format!("declare it with `tier {tier_name} {{ capacity = … }}`")),
                };
                self.errors.push(diag);
                continue;
            };
            let multiplier = match mult {
                None => 1.0,
                Some(m) => match eval(m, &mut self.scope) {
                    Ok(v) if v.value.dim == Dim::NONE && v.value.si > 0.0 => v.value.si,
                    Ok(_) => {
                        self.errors.push(
                            Diagnostic::error(
                                Code::BadPath,
                                "a hop multiplier is a positive number",
                                m.span,
                                "not a positive number",
                            )
                            .with_help("write `timelines x 300`"),
                        );
                        1.0
                    }
                    Err(d) => {
                        self.errors.push(d);
                        1.0
                    }
                },
            };
            out.push(Hop { tier: index, multiplier, span: hop.span });
        }
        out
    }

    pub(super) fn slo(&mut self, b: Option<&BlockFields<'a>>) -> Slo {
        let availability =
            if self.origins.contains_key("slo.availability") { self.num("slo.availability", Dim::NONE) } else { None };
        let mut latency = Vec::new();
        if let Some(b) = b {
            for key in b.fields.keys().filter(|k| k.starts_with("latency.")) {
                let label = key.trim_start_matches("latency.").to_string();
                if let (Some(target), Some(q)) =
                    (self.num::<Duration>(&format!("slo.{key}"), Dim::TIME), quantile(&label))
                {
                    if target.value.si() <= 0.0 {
                        let span = b.fields.get(key).map_or(b.span, |f| f.value.span);
                        self.errors.push(
                            Diagnostic::error(
                                Code::OutOfRange,
                                format!("a latency target must be positive; `latency {label}` is not"),
                                span,
                                "not positive",
                            )
                            .with_help(format!("write `latency {label} = 100 ms`")),
                        );
                        continue;
                    }
                    latency.push(LatencyTarget { label, quantile: q, target });
                }
            }
        }
        latency.sort_by(|a, b| a.quantile.total_cmp(&b.quantile));
        Slo { availability, latency, error_budget_window: self.num_or_default("slo.error_budget_window", Dim::TIME) }
    }

    pub(super) fn tier(&mut self, b: &BlockFields<'a>) -> Tier {
        let name = b.name.clone().unwrap_or_default();
        let p = |f: &str| format!("{name}.{f}");
        let profile_name = b.fields.get("profile").and_then(|f| f.value.as_ref_name());
        let profile = profile_name.as_deref().and_then(|n| self.config.profiles.get(n)).cloned();
        let kind = match self.word(b, "kind", fields::TIER_KINDS) {
            Some(k) => TierKind::parse(k).unwrap_or(TierKind::Service),
            None if b.fields.contains_key("kind") => TierKind::Service,
            None => match profile.as_ref().and_then(|p| p.kind.as_deref()).and_then(TierKind::parse) {
                Some(k) => {
                    let source = profile.as_ref().map(|p| format!("profile `{}`", p.name)).unwrap_or_default();
                    self.assume(&p("kind"), k.name(), &source);
                    k
                }
                None => {
                    self.assume(&p("kind"), "service", "fermi default");
                    TierKind::Service
                }
            },
        };
        for key in b.fields.keys() {
            let edge_hit = key == "hit_ratio" && kind == TierKind::Cdn;
            let holds = key == "data" && !fields::STATEFUL_STORES.contains(&kind.name());
            if holds && let Some(f) = b.fields.get(key) {
                self.errors.push(
                    Diagnostic::error(
                        Code::FieldForKind,
                        format!("`data` is what a database, blob or search tier holds; `{name}` is a {}", kind.name()),
                        f.key.span,
                        "only for stateful tiers",
                    )
                    .with_help("set `kind = database` (or blob, search), or size a cache with `size`"),
                );
            }
            let wrong = (CACHE_ONLY.contains(&key.as_str()) && kind != TierKind::Cache && !edge_hit)
                || (DATABASE_ONLY.contains(&key.as_str()) && kind != TierKind::Database);
            if wrong {
                let owner = if CACHE_ONLY.contains(&key.as_str()) { "cache" } else { "database" };
                if let Some(f) = b.fields.get(key) {
                    self.errors.push(
                        Diagnostic::error(
                            Code::FieldForKind,
                            format!("`{key}` applies to {owner} tiers; `{name}` is a {}", kind.name()),
                            f.key.span,
                            format!("only for kind = {owner}"),
                        )
                        .with_help(format!("set `kind = {owner}` or remove `{key}`")),
                    );
                }
            }
        }
        let has_capacity = self.scope.def(&p("capacity")).is_some();
        let profile_failed = b.fields.contains_key("profile") && profile.is_none() && self.candidates(b).is_empty();
        if !has_capacity && !profile_failed {
            let help = if b.fields.contains_key("profile") && !b.fields.contains_key("cpu") {
                "this profile gives no capacity: write `capacity = 5K rps`, or `cpu = 2 ms` (CPU time per call) with a shape that states vCPUs"
            } else {
                "write `capacity = 5K rps`, use a profile (`profile = app`), or a shape with `cpu = 2 ms` per call"
            };
            self.errors.push(
                Diagnostic::error(
                    Code::MissingField,
                    format!("tier `{name}` needs a `capacity` (requests per second per node)"),
                    b.span,
                    "no capacity",
                )
                .with_help(help),
            );
        }
        let opt_data = |cx: &mut Self, f: &str| {
            if cx.scope.def(&p(f)).is_some() { cx.num::<Data>(&p(f), Dim::DATA) } else { None }
        };
        let memory = opt_data(self, "memory");
        let disk = opt_data(self, "disk");
        let service_time =
            if self.scope.def(&p("service_time")).is_some() { self.num(&p("service_time"), Dim::TIME) } else { None };
        let concurrency =
            if self.scope.def(&p("concurrency")).is_some() { self.num(&p("concurrency"), Dim::NONE) } else { None };
        let service_cv =
            if self.scope.def(&p("service_cv")).is_some() { self.num(&p("service_cv"), Dim::NONE) } else { None };
        let cache = (kind == TierKind::Cache).then(|| self.cache_spec(b, &name));
        let data = opt_data(self, "data");
        let network =
            if self.scope.def(&p("network")).is_some() { self.num(&p("network"), Dim::DATA_RATE) } else { None };
        let connections =
            if self.scope.def(&p("connections")).is_some() { self.num(&p("connections"), Dim::NONE) } else { None };
        let latency = self.tier_latency(&name, kind);
        let edge_hit_ratio = if kind == TierKind::Cdn && self.scope.def(&p("hit_ratio")).is_some() {
            self.num(&p("hit_ratio"), Dim::NONE)
        } else {
            None
        };
        let price = if self.scope.def(&p("price")).is_some() { self.num(&p("price"), Dim::MONEY_RATE) } else { None };
        let storage_price = if self.scope.def(&p("storage_price")).is_some() {
            self.num(&p("storage_price"), Dim::MONEY_PER_DATA_TIME)
        } else {
            None
        };
        let cpu = if self.scope.def(&p("cpu")).is_some() { self.num(&p("cpu"), Dim::TIME) } else { None };
        let candidates = self.candidates(b);
        let shards = match b.fields.get("shards") {
            Some(f) if f.value.as_ref_name().as_deref() == Some("auto") => None,
            Some(_) => self.num(&p("shards"), Dim::NONE),
            None => None,
        };
        let sharding = match b.fields.get("sharding") {
            Some(f) => self.sharding(&f.value),
            None => Sharding::Hash,
        };
        let imbalance = (kind == TierKind::Database).then(|| self.num_or_default(&p("imbalance"), Dim::NONE));
        Tier {
            imbalance,
            data,
            network,
            connections,
            latency,
            edge_hit_ratio,
            price,
            storage_price,
            cpu,
            candidates,
            profile: profile_name,
            capacity: self
                .num(&p("capacity"), Dim::RATE)
                .unwrap_or_else(|| Input::default(Rate::from_si(0.0), "(missing)")),
            headroom: self.num_or_default(&p("headroom"), Dim::NONE),
            replicas: self.num_or_default(&p("replicas"), Dim::NONE),
            spare: self.num_or_default(&p("spare"), Dim::NONE),
            availability: self.num_or_default(&p("availability"), Dim::NONE),
            memory,
            disk,
            service_time,
            concurrency,
            service_cv,
            cache,
            shards,
            sharding,
            kind,
            span: b.span,
            name,
        }
    }

    /// A tier's `latency`: written, from its profile, or the default for its kind (cache 1 ms,
    /// database 10 ms, others 0), listed under assumptions.
    fn tier_latency(&mut self, name: &str, kind: TierKind) -> Input<Duration> {
        let key = key::of(name, Metric::Latency);
        if self.scope.def(&key).is_some()
            && let Some(v) = self.num(&key, Dim::TIME)
        {
            return v;
        }
        let (text, seconds) = match kind {
            TierKind::Cache => ("1 ms", 1e-3),
            TierKind::Database => ("10 ms", 10e-3),
            _ => ("0 ms", 0.0),
        };
        if seconds > 0.0 {
            self.assume(&key, text, &format!("fermi default for a {} tier", kind.name()));
        }
        Input::default(Duration::from_si(seconds), text)
    }

    /// The candidate shapes of `profile = cheapest(A, B, …)`.
    fn candidates(&mut self, b: &BlockFields<'a>) -> Vec<String> {
        let Some(f) = b.fields.get("profile") else { return Vec::new() };
        let ExprKind::Call { name, args } = &f.value.kind else { return Vec::new() };
        if name.node != "cheapest" {
            return Vec::new();
        }
        args.iter().filter_map(|a| a.value.as_ref_name()).collect()
    }

    fn cache_spec(&mut self, b: &BlockFields<'a>, name: &str) -> CacheSpec {
        let policy = self.word(b, "policy", fields::POLICIES).and_then(CachePolicy::parse).unwrap_or(CachePolicy::Lru);
        if !b.fields.contains_key("policy") {
            self.assume(&key::of(name, Metric::Policy), "lru", "fermi default");
        }
        let write = match self.word(b, "write", fields::WRITE_POLICIES) {
            Some("through") => WritePolicy::Through,
            Some("back") => WritePolicy::Back,
            _ => WritePolicy::Around,
        };
        if !b.fields.contains_key("write") {
            self.assume(&key::of(name, Metric::Write), "around", "fermi default");
        }
        let size = if b.fields.contains_key("size") {
            let key = key::of(name, Metric::Size);
            match self.scope.get(&key, b.fields.get("size").map_or_else(Default::default, |f| f.span)) {
                Ok(Some(v)) if v.value.dim == Dim::DATA => Some(CacheSize::Bytes(self.input(&key, v, Dim::DATA))),
                Ok(Some(_)) if b.fields.get("size").is_some_and(|f| bare_percentage(&f.value)) => {
                    if let Some(f) = b.fields.get("size") {
                        let written = self.source.slice(f.value.span).to_string();
                        self.errors.push(
                            Diagnostic::error(
                                Code::BarePercentage,
                                format!("`size = {written}` is a share of nothing: a cache size is bytes or keys"),
                                f.value.span,
                                "a bare percentage",
                            )
                            .with_help(format!("did you mean `size = {written} of keys`?")),
                        );
                    }
                    None
                }
                Ok(Some(v)) if v.value.dim == Dim::NONE => Some(CacheSize::Keys(self.input(&key, v, Dim::NONE))),
                Ok(Some(v)) => {
                    if let Some(f) = b.fields.get("size") {
                        self.errors.push(
                            Diagnostic::error(
                                Code::DimensionMismatch,
                                format!(
                                    "`size` needs a data size or a number of keys; this is {}",
                                    v.value.dim.describe()
                                ),
                                f.value.span,
                                "not a size",
                            )
                            .with_help("write `size = 64 GB` or `size = 1% of keys`"),
                        );
                    }
                    None
                }
                Ok(None) => None,
                Err(d) => {
                    self.errors.push(d);
                    None
                }
            }
        } else {
            None
        };
        let hit_ratio = if b.fields.contains_key("hit_ratio") {
            self.num(&key::of(name, Metric::HitRatio), Dim::NONE)
        } else {
            None
        };
        // a written `hit_ratio` that failed has its own error; this one would be spurious
        if size.is_none()
            && hit_ratio.is_none()
            && !b.fields.contains_key("size")
            && !b.fields.contains_key("hit_ratio")
        {
            self.errors.push(
                Diagnostic::error(
                    Code::MissingField,
                    format!("cache tier `{name}` needs a `size` or a `hit_ratio`"),
                    b.span,
                    "no size",
                )
                .with_help("write `size = 1% of keys`, `size = 64 GB`, or `hit_ratio = 80%`"),
            );
        }
        CacheSpec { policy, size, hit_ratio, write }
    }

    fn sharding(&mut self, e: &ast::Expr) -> Sharding {
        const ALLOWED: &[&str] = &["hash", "range", "consistent", "rendezvous", "jump"];
        let bad = |cx: &mut Self, e: &ast::Expr| {
            let written = cx.source.slice(e.span).to_string();
            let head = written.split('(').next().unwrap_or("").trim().to_string();
            let diag = Diagnostic::error(
                Code::UnknownWord,
                format!("`{written}` is not a sharding strategy"),
                e.span,
                "not a strategy",
            );
            let help = match suggest(&head, ALLOWED.iter().copied()) {
                Some(s) => {
                    format!("did you mean `{s}`? strategies: hash, range, consistent(vnodes = N), rendezvous, jump")
                }
                None => "strategies: hash, range, consistent(vnodes = N), rendezvous, jump".to_string(),
            };
            cx.errors.push(diag.with_help(help));
            Sharding::Hash
        };
        match &e.kind {
            ExprKind::Ref(_) => match e.as_ref_name().as_deref() {
                Some("hash") => Sharding::Hash,
                Some("range") => Sharding::Range,
                Some("rendezvous") => Sharding::Rendezvous,
                Some("jump") => Sharding::Jump,
                Some("consistent") => Sharding::Consistent { vnodes: 256 },
                _ => bad(self, e),
            },
            ExprKind::Call { name, args } if name.node == "consistent" => {
                let mut vnodes = 256u32;
                for arg in args {
                    let named = arg.name.as_ref().map(|n| n.node.as_str());
                    if !matches!(named, Some("vnodes") | None) {
                        self.errors.push(Diagnostic::error(
                            Code::BadArgument,
                            "`consistent` takes `vnodes = N`",
                            arg.value.span,
                            "unknown argument",
                        ));
                        continue;
                    }
                    match eval(&arg.value, &mut self.scope) {
                        Ok(v)
                            if v.value.dim == Dim::NONE
                                && v.value.si >= 1.0
                                && v.value.si <= 1e6
                                && v.value.si.fract() == 0.0 =>
                        {
                            vnodes = v.value.si as u32
                        }
                        Ok(_) => self.errors.push(Diagnostic::error(
                            Code::BadArgument,
                            "`vnodes` is a whole number from 1 to 1M",
                            arg.value.span,
                            "not a vnode count",
                        )),
                        Err(d) => self.errors.push(d),
                    }
                }
                Sharding::Consistent { vnodes }
            }
            _ => bad(self, e),
        }
    }

    pub(super) fn workload(&mut self, b: Option<&BlockFields<'a>>) -> Workload {
        let keys = if self.origins.contains_key("workload.keys") { self.num("workload.keys", Dim::NONE) } else { None };
        let object =
            if self.origins.contains_key("workload.object") { self.num("workload.object", Dim::DATA) } else { None };
        let skew = match b.and_then(|b| b.fields.get("skew")) {
            Some(f) => self.skew(&f.value),
            None => {
                self.assume("workload.skew", "zipf(0.9)", "fermi default");
                Popularity::Zipf { alpha: 0.9 }
            }
        };
        Workload { keys, object, skew }
    }

    fn skew(&mut self, e: &ast::Expr) -> Popularity {
        let help = "write `zipf(0.9)`, `uniform` or `hotspot(10%, 90%)`";
        let args_of = |cx: &mut Self, args: &[ast::Arg]| -> Vec<f64> {
            args.iter()
                .filter_map(|a| match eval(&a.value, &mut cx.scope) {
                    Ok(v) if v.value.dim == Dim::NONE => Some(v.value.si),
                    Ok(_) => {
                        cx.errors.push(Diagnostic::error(
                            Code::BadArgument,
                            "skew arguments are plain numbers or percentages",
                            a.value.span,
                            "not a number",
                        ));
                        None
                    }
                    Err(d) => {
                        cx.errors.push(d);
                        None
                    }
                })
                .collect()
        };
        match &e.kind {
            ExprKind::Ref(_) if e.as_ref_name().as_deref() == Some("uniform") => Popularity::Uniform,
            ExprKind::Call { name, args } if name.node == "zipf" => match args_of(self, args).as_slice() {
                [a] if *a >= 0.0 && *a <= 10.0 => Popularity::Zipf { alpha: *a },
                _ => {
                    self.errors.push(
                        Diagnostic::error(
                            Code::BadArgument,
                            "`zipf` takes one exponent from 0 to 10",
                            e.span,
                            "bad arguments",
                        )
                        .with_help(help),
                    );
                    Popularity::Zipf { alpha: 0.9 }
                }
            },
            ExprKind::Call { name, args } if name.node == "hotspot" => match args_of(self, args).as_slice() {
                [k, t] if *k > 0.0 && *k < 1.0 && *t > 0.0 && *t < 1.0 => {
                    Popularity::Hotspot { hot_keys: *k, hot_traffic: *t }
                }
                _ => {
                    self.errors.push(
                        Diagnostic::error(
                            Code::BadArgument,
                            "`hotspot` takes two shares between 0% and 100%: hot keys, their traffic",
                            e.span,
                            "bad arguments",
                        )
                        .with_help(help),
                    );
                    Popularity::Uniform
                }
            },
            _ => {
                let written = self.source.slice(e.span).to_string();
                let head = written.split('(').next().unwrap_or("").trim().to_string();
                let diag =
                    Diagnostic::error(Code::UnknownWord, format!("`{written}` is not a skew"), e.span, "not a skew");
                self.errors.push(match suggest(&head, ["zipf", "uniform", "hotspot"]) {
                    Some(s) => diag.with_help(format!("did you mean `{s}`? {help}")),
                    None => diag.with_help(help),
                });
                Popularity::Zipf { alpha: 0.9 }
            }
        }
    }

    /// `cost { egress = …; cdn = … }`.
    pub(super) fn cost(&mut self) -> Cost {
        let opt = |cx: &mut Self, name: &str| {
            if cx.scope.def(name).is_some() { cx.num(name, Dim::MONEY_PER_DATA) } else { None }
        };
        Cost { egress: opt(self, "cost.egress"), cdn: opt(self, "cost.cdn") }
    }
}

//! SVG plots (plotters, SVG backend only — no fonts needed): the list of a design doc's plots
//! and the single-design ones — storage over the horizon, peak load as a share of provisioned
//! capacity, monthly cost by tier, downtime per year by availability, latency against
//! utilisation and availability against redundancy. Each marks the design's own operating
//! point and says in its title what it shows and for which moment; the house style is
//! [`super::style`].
//!
//! Architecture Invariant: plots draw series from `model::curves` and plan values; they never
//! compute a number of their own beyond axis ranges (and, for display, a position on a nines
//! scale).

use super::style::{BLUE, GREY, GRID, PALETTE, RED, SIZE, label as human, legend, log_label};
use crate::analysis::Analysis;
use crate::key::{self, Metric};
use crate::model::curves;
use crate::units::format::{self, Style};
use crate::units::{Dim, Value};
use plotters::coord::combinators::IntoLogRange;
use plotters::coord::ranged1d::{IntoSegmentedCoord, SegmentValue};
use plotters::prelude::*;

/// One plot: a file name (within the design's plot folder), a title and the SVG text.
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    /// File name, e.g. `storage-growth.svg`.
    pub file: String,
    /// Caption for the doc.
    pub title: String,
    /// The SVG document.
    pub svg: String,
}

/// A plot of the whole design: (file, caption, how it is drawn — `None` when there is nothing
/// to show).
type Single = (&'static str, &'static str, fn(&Analysis) -> Option<String>);

/// The design's plots in doc order; per-tier plots (shards, miss-ratio curves) follow them.
const SINGLE: &[Single] = &[
    ("storage-growth.svg", "Storage held over the planning horizon", storage_growth),
    ("load-vs-capacity.svg", "Peak load as a share of provisioned capacity per tier (today)", load_vs_capacity),
    ("cost-by-tier.svg", "Monthly cost by tier (today's nodes)", cost_by_tier),
    ("nodes-over-time.svg", "Nodes per tier from now to the horizon", super::growth::nodes_over_time),
    ("downtime-by-nines.svg", "Downtime per year by availability, with the design's own", nines),
    ("latency-vs-utilization.svg", "Latency percentile against utilisation per tier (at peak)", latency_vs_utilization),
    ("availability-vs-nodes.svg", "Tier availability against spare nodes or replicas", availability_vs_nodes),
    ("sensitivity.svg", "What drives each result (rank correlation)", sensitivity),
];

/// Every plot for a design (plots with nothing to show are left out).
pub fn all(a: &Analysis) -> Vec<Plot> {
    let plot = |file: String, title: String, svg: Option<String>| svg.map(|svg| Plot { file, title, svg });
    let single = SINGLE.iter().filter_map(|(file, title, draw)| plot(file.to_string(), title.to_string(), draw(a)));
    let shards = a.shard_plans.iter().filter_map(|p| {
        plot(
            format!("shards-{}.svg", p.tier),
            format!("Load per shard of {} (at peak)", p.tier),
            super::shards::plot(&a.design.name, p),
        )
    });
    let curves = a.cache_curves.iter().filter_map(|c| {
        plot(
            format!("mrc-{}.svg", c.tier),
            format!("Miss-ratio curve of {}", c.tier),
            super::mrc::tier_svg(&a.design.name, c),
        )
    });
    single.chain(shards).chain(curves).collect()
}

fn sensitivity(a: &Analysis) -> Option<String> {
    let u = a.uncertainty.as_ref()?;
    // With one uncertain input every result moves with it alone (|ρ| = 1 for a monotone
    // result): bars all at 1 say nothing, so the doc says it in words instead.
    if u.leaves.len() < 2 {
        return None;
    }
    super::tornado::plot(&a.design.name, &u.sensitivity)
}

/// (p5, p50, p95) of a plan entry: its distribution's, or its value three times.
fn spread(a: &Analysis, name: &str) -> Option<(f64, f64, f64)> {
    let v = a.plan.defined(name)?;
    Some(a.view().distribution(name).map_or((v, v, v), |x| (x.p5, x.p50, x.p95)))
}

/// A vertical p5–p95 whisker with caps at the centre of segment `k`.
fn whisker(k: usize, lo: f64, hi: f64) -> Vec<PathElement<(SegmentValue<usize>, f64)>> {
    let at = || SegmentValue::CenterOf(k);
    vec![PathElement::new(vec![(at(), lo), (at(), hi)], GREY.stroke_width(2))]
}

fn latency_vs_utilization(a: &Analysis) -> Option<String> {
    let series = curves::latency_vs_utilization(&a.design, &a.plan);
    if series.is_empty() {
        return None;
    }
    let (label, _) = curves::latency_percentile(&a.design);
    let slo = a.plan.get(&key::latency("slo", &label)).map(|d| d.value.si);
    let ys = || series.iter().flat_map(|(s, here)| s.points.iter().map(|p| p.1).chain(here.map(|h| h.1)));
    let y_max = ys().chain(slo).fold(1e-6, f64::max) * 1.5;
    let y_min = ys().fold(f64::INFINITY, f64::min).max(1e-9) * 0.5;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("{}: {label} latency vs utilisation (dots: at peak)", a.design.name), ("sans-serif", 18))
            .margin(12)
            .margin_right(24)
            .x_label_area_size(36)
            .y_label_area_size(80)
            .build_cartesian_2d(0.0f64..1.0, (y_min..y_max).log_scale())
            .ok()?;
        chart
            .configure_mesh()
            .x_labels(6)
            .y_labels(8)
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .x_desc("utilisation per node (ρ)")
            .y_desc(format!("{label} latency (log)"))
            .x_label_formatter(&|x| human(*x, Dim::NONE, Style::Percent))
            .y_label_formatter(&|y| log_label(*y, Dim::TIME, Style::Duration))
            .draw()
            .ok()?;
        for (k, (s, here)) in series.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            chart
                .draw_series(LineSeries::new(s.points.iter().copied(), color.stroke_width(2)))
                .ok()?
                .label(match here {
                    Some((x, y)) => format!(
                        "{}: {} at {}",
                        s.name,
                        human(*y, Dim::TIME, Style::Duration),
                        human(*x, Dim::NONE, Style::Percent)
                    ),
                    None => s.name.clone(),
                })
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2)));
            if let Some((x, y)) = here {
                chart.draw_series(std::iter::once(Circle::new((*x, *y), 5, color.filled()))).ok()?;
            }
        }
        if let Some(target) = slo {
            chart
                .draw_series(std::iter::once(PathElement::new(vec![(0.0, target), (1.0, target)], RED.stroke_width(2))))
                .ok()?
                .label(format!("slo.latency.{label} = {}", human(target, Dim::TIME, Style::Duration)))
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], RED.stroke_width(2)));
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        root.present().ok()?;
    }
    Some(svg)
}

/// Nines shown at most: availability beyond 1 − 10⁻⁹ is shown as that bound everywhere.
const MAX_NINES: f64 = 9.0;

fn availability_vs_nodes(a: &Analysis) -> Option<String> {
    let series = curves::availability_vs_nodes(&a.design, &a.plan);
    if series.is_empty() {
        return None;
    }
    let xs = || series.iter().flat_map(|(s, here)| s.points.iter().map(|p| p.0).chain(here.map(|h| h.0)));
    let x_max = xs().fold(0.0, f64::max);
    let ys = series.iter().flat_map(|(s, here)| s.points.iter().map(|p| p.1).chain(here.map(|h| h.1)));
    let y_max = ys.fold(1.0, f64::max).min(MAX_NINES) + 0.5;
    // Lines that coincide (two tiers with the same availability) are drawn a little apart,
    // with their own marker, so neither hides the other.
    let nudge = |k: usize| (k as f64 - (series.len() as f64 - 1.0) / 2.0) * 0.06;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("{}: tier availability vs redundancy (ringed: the design)", a.design.name),
                ("sans-serif", 18),
            )
            .margin(12)
            .margin_right(24)
            .x_label_area_size(36)
            .y_label_area_size(80)
            .build_cartesian_2d(-0.4..x_max + 0.4, 0.0f64..y_max)
            .ok()?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .x_desc("nodes beyond what the load needs (stateless) or extra replicas (stateful)")
            .y_desc("tier availability")
            .y_label_formatter(&|y| {
                if y.fract() == 0.0 && *y > 0.0 {
                    format::human(Value::number(1.0 - 10f64.powf(-y)), Style::Percent, 4)
                } else {
                    String::new()
                }
            })
            .x_label_formatter(&|x| if x.fract() == 0.0 && *x >= 0.0 { format::sig(*x, 3) } else { String::new() })
            .draw()
            .ok()?;
        let cap = |(x, y): (f64, f64), k: usize| (x + nudge(k), y.min(MAX_NINES));
        for (k, (s, here)) in series.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            let points: Vec<(f64, f64)> = s.points.iter().map(|&p| cap(p, k)).collect();
            let text = match here {
                Some((x, y)) => format!(
                    "{}: {} at {}",
                    s.name,
                    format::human(Value::number(1.0 - 10f64.powf(-y)), Style::Percent, 4),
                    format::sig(*x, 3)
                ),
                None => s.name.clone(),
            };
            chart
                .draw_series(LineSeries::new(points.iter().copied(), color.stroke_width(2)))
                .ok()?
                .label(text)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2)));
            if k % 2 == 0 {
                chart.draw_series(points.iter().map(|p| Circle::new(*p, 3, color.filled()))).ok()?;
            } else {
                chart.draw_series(points.iter().map(|p| TriangleMarker::new(*p, 4, color.filled()))).ok()?;
            }
            if let Some(p) = here {
                let p = cap(*p, k);
                chart.draw_series(std::iter::once(Circle::new(p, 8, color.stroke_width(2)))).ok()?;
            }
        }
        if let Some(target) = a.plan.get("slo.availability").map(|d| d.value.si).filter(|v| *v < 1.0) {
            // The SLO drawn on the same nines scale as the series (display scaling only).
            let y = -(1.0 - target).log10();
            chart
                .draw_series(std::iter::once(PathElement::new(vec![(-0.4, y), (x_max + 0.4, y)], RED.stroke_width(2))))
                .ok()?
                .label(format!("slo.availability = {}", human(target, Dim::NONE, Style::Percent)))
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], RED.stroke_width(2)));
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        root.present().ok()?;
    }
    Some(svg)
}

/// "1 year", "5 years", "2.5 years".
fn years(x: f64) -> String {
    let n = format::sig(x, 3);
    if n == "1" { "1 year".into() } else { format!("{n} years") }
}

fn storage_growth(a: &Analysis) -> Option<String> {
    if a.plan.value("storage.total") <= 0.0 {
        return None;
    }
    let series = curves::storage_growth(&a.design, &a.plan);
    let x_max = series.points.last().map(|p| p.0).filter(|x| *x > 0.0)?;
    let total = a.plan.value("storage.total");
    let y_max = series.points.iter().map(|p| p.1).chain([total]).fold(0.0, f64::max).max(1.0) * 1.15;
    let year = a.design.year.value.si();
    use crate::units::Quantity;
    let retention = a.design.storage.retention.value.si() / year;
    let sized_at = a.design.users.horizon.as_ref().map_or(retention, |h| h.value.si() / year);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("{}: storage held over {}", a.design.name, years(x_max)), ("sans-serif", 18))
            .margin(12)
            .margin_right(24)
            .x_label_area_size(36)
            .y_label_area_size(80)
            .build_cartesian_2d(0.0..x_max, 0.0..y_max)
            .ok()?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .x_desc("years from now")
            .y_desc("stored (all copies)")
            .y_label_formatter(&|y| human(*y, Dim::DATA, Style::Data))
            .x_label_formatter(&|x| format::sig(*x, 3))
            .draw()
            .ok()?;
        chart
            .draw_series(LineSeries::new(series.points.iter().copied(), BLUE.stroke_width(2)))
            .ok()?
            .label("stored bytes, all copies")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BLUE.stroke_width(2)));
        if retention < x_max {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(retention, 0.0), (retention, y_max)],
                    GREY.stroke_width(1),
                )))
                .ok()?
                .label(format!("retention {}: older data deleted", years(retention)))
                .legend(|(x, y)| PathElement::new(vec![(x + 8, y - 6), (x + 8, y + 6)], GREY));
        }
        chart
            .draw_series(std::iter::once(Circle::new((sized_at.min(x_max), total), 6, RED.filled())))
            .ok()?
            .label(format!(
                "storage.total = {} (sized for year {})",
                human(total, Dim::DATA, Style::Data),
                format::sig(sized_at, 3)
            ))
            .legend(|(x, y)| Circle::new((x + 8, y), 4, RED.filled()));
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        root.present().ok()?;
    }
    Some(svg)
}

/// Peak load as a share of provisioned capacity (`TIER.utilization`, p50 with a p5–p95
/// whisker when uncertain, so load and capacity always come from the same samples), with
/// 100% marked: the gap between a bar and the line is the tier's headroom.
fn load_vs_capacity(a: &Analysis) -> Option<String> {
    let tiers: Vec<(&str, (f64, f64, f64))> = a
        .design
        .tiers
        .iter()
        .filter(|t| a.plan.value(&key::of(&t.name, Metric::CapacityTotal)) > 0.0)
        .filter_map(|t| Some((t.name.as_str(), spread(a, &key::of(&t.name, Metric::Utilization))?)))
        .collect();
    if tiers.is_empty() {
        return None;
    }
    let n = tiers.len();
    let y_max = tiers.iter().map(|(_, s)| s.2).fold(1.0, f64::max) * 1.2;
    let uncertain = tiers.iter().any(|(_, s)| s.0 != s.2);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("{}: peak load as a share of provisioned capacity", a.design.name), ("sans-serif", 18))
            .margin(12)
            .margin_right(24)
            .x_label_area_size(36)
            .y_label_area_size(80)
            .build_cartesian_2d((0..n - 1).into_segmented(), 0.0f64..y_max)
            .ok()?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .y_desc("peak load ÷ provisioned capacity")
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(k) | SegmentValue::Exact(k) => {
                    tiers.get(*k).map_or(String::new(), |t| t.0.to_string())
                }
                SegmentValue::Last => String::new(),
            })
            .y_label_formatter(&|y| human(*y, Dim::NONE, Style::Percent))
            .draw()
            .ok()?;
        let what = if uncertain { "peak load (p50; whisker p5–p95)" } else { "peak load" };
        chart
            .draw_series(tiers.iter().enumerate().map(|(k, (_, s))| {
                let mut bar = Rectangle::new(
                    [(SegmentValue::Exact(k), 0.0), (SegmentValue::Exact(k + 1), s.1)],
                    BLUE.mix(0.7).filled(),
                );
                bar.set_margin(0, 0, 18, 18);
                bar
            }))
            .ok()?
            .label(what)
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], BLUE.mix(0.7).filled()));
        for (k, (_, s)) in tiers.iter().enumerate() {
            if s.0 != s.2 {
                chart.draw_series(whisker(k, s.0, s.2)).ok()?;
            }
            let text = format!("{} used", human(s.1, Dim::NONE, Style::Percent));
            chart
                .draw_series(std::iter::once(Text::new(
                    text,
                    (SegmentValue::CenterOf(k), s.2.max(s.1) + y_max * 0.03),
                    ("sans-serif", 13).into_font().color(&BLACK),
                )))
                .ok()?;
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(SegmentValue::Exact(0), 1.0), (SegmentValue::Last, 1.0)],
                RED.stroke_width(2),
            )))
            .ok()?
            .label("provisioned capacity: (nodes − spare) × capacity")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], RED.stroke_width(2)));
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        root.present().ok()?;
    }
    Some(svg)
}

/// Monthly cost stacked by kind (compute, storage) per tier, then the network's; with p5–p95
/// whiskers on each column's total when the design is uncertain.
fn cost_by_tier(a: &Analysis) -> Option<String> {
    let p = a.view();
    p.get("cost.monthly")?;
    let part = |name: String| spread(a, &name).map_or(0.0, |s| s.1);
    // (label, [compute, storage, network], total's spread)
    type Column = (String, [f64; 3], (f64, f64, f64));
    let mut columns: Vec<Column> = Vec::new();
    for t in &a.design.tiers {
        let Some(total) = spread(a, &key::of(&t.name, Metric::Cost)) else { continue };
        let parts = [part(key::of(&t.name, Metric::CostCompute)), part(key::of(&t.name, Metric::CostStorage)), 0.0];
        columns.push((t.name.clone(), parts, total));
    }
    if let Some(net) = spread(a, "cost.network").filter(|s| s.2 > 0.0) {
        columns.push(("network".into(), [0.0, 0.0, net.1], net));
    }
    if columns.is_empty() {
        return None;
    }
    let n = columns.len();
    let y_max = columns.iter().map(|(_, parts, s)| s.2.max(parts.iter().sum())).fold(0.0, f64::max).max(1.0) * 1.2;
    let uncertain = columns.iter().any(|(_, _, s)| s.0 != s.2);
    let monthly = p.show("cost.monthly", format::NORMAL_DIGITS);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("{}: monthly cost by tier, {monthly} in all", a.design.name), ("sans-serif", 18))
            .margin(12)
            .margin_right(24)
            .x_label_area_size(36)
            .y_label_area_size(80)
            .build_cartesian_2d((0..n - 1).into_segmented(), 0.0f64..y_max)
            .ok()?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .y_desc(if uncertain { "per month (p50; whisker p5–p95)" } else { "per month" })
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(k) | SegmentValue::Exact(k) => {
                    columns.get(*k).map_or(String::new(), |c| c.0.clone())
                }
                SegmentValue::Last => String::new(),
            })
            .y_label_formatter(&|y| human(*y, Dim::MONEY, Style::Money))
            .draw()
            .ok()?;
        for (kind, (name, color)) in
            [("compute", PALETTE[0]), ("storage", PALETTE[1]), ("network", PALETTE[2])].into_iter().enumerate()
        {
            if columns.iter().all(|c| c.1[kind] <= 0.0) {
                continue;
            }
            chart
                .draw_series(columns.iter().enumerate().filter(|(_, c)| c.1[kind] > 0.0).map(|(k, c)| {
                    let below: f64 = c.1[..kind].iter().sum();
                    let mut bar = Rectangle::new(
                        [(SegmentValue::Exact(k), below), (SegmentValue::Exact(k + 1), below + c.1[kind])],
                        color.mix(0.75).filled(),
                    );
                    bar.set_margin(0, 0, 14, 14);
                    bar
                }))
                .ok()?
                .label(name)
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.mix(0.75).filled()));
        }
        for (k, (_, parts, s)) in columns.iter().enumerate() {
            if s.0 != s.2 {
                chart.draw_series(whisker(k, s.0, s.2)).ok()?;
            }
            let top = s.2.max(parts.iter().sum());
            chart
                .draw_series(std::iter::once(Text::new(
                    human(s.1, Dim::MONEY, Style::Money),
                    (SegmentValue::CenterOf(k), top + y_max * 0.03),
                    ("sans-serif", 13).into_font().color(&BLACK),
                )))
                .ok()?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        root.present().ok()?;
    }
    Some(svg)
}

fn nines(a: &Analysis) -> Option<String> {
    // The design's own points, on a nines scale (−log₁₀(1 − a), display only).
    let marks: Vec<(&str, f64, f64, RGBColor)> = [
        ("slo.availability", "availability.downtime_year", RED),
        ("availability.composite", "availability.composite_downtime_year", GREY),
    ]
    .into_iter()
    .filter(|(name, _, _)| *name != "slo.availability" || a.plan.get("slo.availability").is_some())
    .filter_map(|(name, downtime, color)| {
        let v = a.plan.get(name).map(|d| d.value.si).filter(|v| *v < 1.0 && *v > 0.0)?;
        let y = a.plan.get(downtime).map(|d| d.value.si)?;
        Some((name, v, y, color))
    })
    .collect();
    let to_x = |v: f64| (-(1.0 - v).log10()).min(MAX_NINES);
    let x_max = marks.iter().map(|m| to_x(m.1).ceil()).fold(6.0, f64::max);
    let series = curves::downtime_by_nines(&a.design, x_max);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let y_min = series.points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min).max(1e-3);
        let y_max = series.points.iter().map(|p| p.1).fold(1.0, f64::max) * 2.0;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("{}: downtime per year by availability", a.design.name), ("sans-serif", 18))
            .margin(12)
            .margin_right(48)
            .x_label_area_size(36)
            .y_label_area_size(80)
            .build_cartesian_2d(1.0f64..x_max, (y_min * 0.5..y_max).log_scale())
            .ok()?;
        chart
            .configure_mesh()
            .x_labels((x_max as usize) * 2)
            .y_labels(8)
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .x_desc("availability (one tick per nine)")
            .y_desc("downtime per year (log)")
            .x_label_formatter(&|x| {
                if x.fract() == 0.0 { human(1.0 - 10f64.powf(-x), Dim::NONE, Style::Percent) } else { String::new() }
            })
            .y_label_formatter(&|y| log_label(*y, Dim::TIME, Style::Duration))
            .draw()
            .ok()?;
        chart
            .draw_series(LineSeries::new(series.points.iter().copied(), BLUE.stroke_width(2)))
            .ok()?
            .label("downtime per year")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BLUE));
        for (name, v, y, color) in marks {
            let x = to_x(v).max(1.0);
            let y = y.max(y_min * 0.5);
            let text = format!(
                "{name} {}: {} a year",
                format::human(Value::number(v), Style::Percent, 4),
                human(y, Dim::TIME, Style::Duration)
            );
            chart
                .draw_series(std::iter::once(PathElement::new(vec![(x, y_min * 0.5), (x, y)], color.stroke_width(1))))
                .ok()?;
            chart
                .draw_series(std::iter::once(Circle::new((x, y), 5, color.filled())))
                .ok()?
                .label(text)
                .legend(move |(x, y)| Circle::new((x + 8, y), 4, color.filled()));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        root.present().ok()?;
    }
    Some(svg)
}

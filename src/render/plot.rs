//! SVG plots (plotters, SVG backend only — no fonts needed): storage growth over the horizon,
//! peak load against provisioned capacity per tier, downtime per year by availability, latency
//! against utilisation, availability against redundancy, and each cache tier's miss-ratio curve.
//!
//! Architecture Invariant: plots draw series from `model::curves` and plan values; they never
//! compute a number of their own beyond axis ranges.

use crate::analysis::Analysis;
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

/// Every plot's size in pixels.
pub(super) const SIZE: (u32, u32) = (720, 400);
const BLUE: RGBColor = RGBColor(30, 136, 229);
/// Targets and marked points.
pub(super) const RED: RGBColor = RGBColor(229, 57, 53);
/// Legend borders.
pub(super) const GREY: RGBColor = RGBColor(97, 97, 97);

/// Draws the legend at `position` in the house style (grey border, white ground).
pub(super) fn legend<'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, CT>,
    position: SeriesLabelPosition,
) -> Option<()> {
    chart.configure_series_labels().position(position).border_style(GREY).background_style(WHITE).draw().ok()
}

fn human(v: f64, dim: Dim, style: Style) -> String {
    format::human(Value::new(v, dim), style, 3)
}

/// Every plot for a design (plots with nothing to show are left out).
pub fn all(a: &Analysis) -> Vec<Plot> {
    let mut out = Vec::new();
    if a.plan.value("storage.total") > 0.0
        && let Some(svg) = storage_growth(a)
    {
        out.push(Plot { file: "storage-growth.svg".into(), title: "Storage over the planning horizon".into(), svg });
    }
    if !a.design.tiers.is_empty()
        && let Some(svg) = load_vs_capacity(a)
    {
        out.push(Plot {
            file: "load-vs-capacity.svg".into(),
            title: "Peak load and provisioned capacity per tier".into(),
            svg,
        });
    }
    if let Some(svg) = super::growth::nodes_over_time(a) {
        out.push(Plot {
            file: "nodes-over-time.svg".into(),
            title: "Nodes per tier from now to the horizon".into(),
            svg,
        });
    }
    if let Some(svg) = nines(a) {
        out.push(Plot { file: "downtime-by-nines.svg".into(), title: "Downtime per year by availability".into(), svg });
    }
    if let Some(svg) = latency_vs_utilization(a) {
        out.push(Plot {
            file: "latency-vs-utilization.svg".into(),
            title: "Latency percentile against utilisation per tier".into(),
            svg,
        });
    }
    if let Some(svg) = availability_vs_nodes(a) {
        out.push(Plot {
            file: "availability-vs-nodes.svg".into(),
            title: "Tier availability against node or replica count".into(),
            svg,
        });
    }
    for plan in &a.shard_plans {
        if let Some(svg) = super::shards::plot(&a.design.name, plan) {
            out.push(Plot {
                file: format!("shards-{}.svg", plan.tier),
                title: format!("Load per shard of {}", plan.tier),
                svg,
            });
        }
    }
    if let Some(svg) = a.uncertainty.as_ref().and_then(|u| super::tornado::plot(&a.design.name, &u.sensitivity)) {
        out.push(Plot {
            file: "sensitivity.svg".into(),
            title: "What drives each result (rank correlation)".into(),
            svg,
        });
    }
    for curve in &a.cache_curves {
        if let Some(svg) = super::mrc::tier(&a.design.name, curve) {
            out.push(Plot {
                file: format!("mrc-{}.svg", curve.tier),
                title: format!("Miss-ratio curve of {}", curve.tier),
                svg,
            });
        }
    }
    out
}

/// Line colours, in series order.
pub(super) const PALETTE: [RGBColor; 6] = [
    RGBColor(30, 136, 229),
    RGBColor(67, 160, 71),
    RGBColor(251, 140, 0),
    RGBColor(142, 36, 170),
    RGBColor(0, 172, 193),
    RGBColor(216, 27, 96),
];

fn latency_vs_utilization(a: &Analysis) -> Option<String> {
    let series = curves::latency_vs_utilization(&a.design, &a.plan);
    if series.is_empty() {
        return None;
    }
    let (label, _) = curves::latency_percentile(&a.design);
    let slo = a.plan.get(&format!("slo.latency.{label}")).map(|d| d.value.si);
    let y_max = series.iter().flat_map(|(s, _)| s.points.iter().map(|p| p.1)).chain(slo).fold(1e-6, f64::max) * 1.5;
    let y_min =
        series.iter().flat_map(|(s, _)| s.points.iter().map(|p| p.1)).fold(f64::INFINITY, f64::min).max(1e-9) * 0.5;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("{}: {label} latency vs utilisation", a.design.name), ("sans-serif", 18))
            .margin(12)
            .margin_right(24)
            .x_label_area_size(36)
            .y_label_area_size(80)
            .build_cartesian_2d(0.0f64..1.0, (y_min..y_max).log_scale())
            .ok()?;
        chart
            .configure_mesh()
            .x_desc("utilisation per node (ρ)")
            .y_desc(format!("{label} latency (log)"))
            .x_label_formatter(&|x| human(*x, Dim::NONE, Style::Percent))
            .y_label_formatter(&|y| human(*y, Dim::TIME, Style::Duration))
            .draw()
            .ok()?;
        for (k, (s, here)) in series.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            chart
                .draw_series(LineSeries::new(s.points.iter().copied(), color.stroke_width(2)))
                .ok()?
                .label(s.name.clone())
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

fn availability_vs_nodes(a: &Analysis) -> Option<String> {
    let series = curves::availability_vs_nodes(&a.design, &a.plan);
    if series.is_empty() {
        return None;
    }
    let x_min = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).fold(f64::INFINITY, f64::min);
    let x_max = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).fold(0.0, f64::max);
    let y_max = series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).fold(1.0, f64::max).min(16.0) + 0.5;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("{}: availability vs nodes", a.design.name), ("sans-serif", 18))
            .margin(12)
            .margin_right(24)
            .x_label_area_size(36)
            .y_label_area_size(80)
            .build_cartesian_2d(x_min.max(0.0) - 0.2..x_max + 0.2, 0.0f64..y_max)
            .ok()?;
        chart
            .configure_mesh()
            .x_desc("redundancy: nodes beyond what the load needs (stateless), extra replicas (stateful)")
            .y_desc("tier availability")
            .y_label_formatter(&|y| {
                if y.fract() == 0.0 { format!("{} nines", format::sig(*y, 3)) } else { String::new() }
            })
            .x_label_formatter(&|x| if x.fract() == 0.0 { format::sig(*x, 3) } else { String::new() })
            .draw()
            .ok()?;
        for (k, s) in series.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            chart
                .draw_series(LineSeries::new(s.points.iter().copied(), color.stroke_width(2)))
                .ok()?
                .label(s.name.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2)));
            chart.draw_series(s.points.iter().map(|p| Circle::new(*p, 3, color.filled()))).ok()?;
        }
        if let Some(target) = a.plan.get("slo.availability").map(|d| d.value.si).filter(|v| *v < 1.0) {
            // The SLO drawn on the same nines scale as the series (display scaling only).
            let y = -(1.0 - target).log10();
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x_min.max(0.0) - 0.2, y), (x_max + 0.2, y)],
                    RED.stroke_width(2),
                )))
                .ok()?
                .label(format!("slo.availability = {}", human(target, Dim::NONE, Style::Percent)))
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], RED.stroke_width(2)));
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        root.present().ok()?;
    }
    Some(svg)
}

fn storage_growth(a: &Analysis) -> Option<String> {
    let series = curves::storage_growth(&a.design, &a.plan);
    let x_max = series.points.last().map(|p| p.0).filter(|x| *x > 0.0)?;
    let y_max = series.points.iter().map(|p| p.1).fold(0.0, f64::max).max(1.0) * 1.1;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("{}: storage over {} years", a.design.name, format::sig(x_max, 3)), ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(80)
            .build_cartesian_2d(0.0..x_max, 0.0..y_max)
            .ok()?;
        chart
            .configure_mesh()
            .x_desc("years")
            .y_desc("stored (all copies)")
            .y_label_formatter(&|y| human(*y, Dim::DATA, Style::Data))
            .x_label_formatter(&|x| format::sig(*x, 3))
            .draw()
            .ok()?;
        chart.draw_series(LineSeries::new(series.points.iter().copied(), BLUE.stroke_width(2))).ok()?;
        let total = a.plan.value("storage.total");
        chart
            .draw_series(std::iter::once(PathElement::new(vec![(0.0, total), (x_max, total)], RED.stroke_width(1))))
            .ok()?
            .label(format!("storage.total = {}", human(total, Dim::DATA, Style::Data)))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], RED));
        chart.configure_series_labels().border_style(GREY).background_style(WHITE).draw().ok()?;
        root.present().ok()?;
    }
    Some(svg)
}

fn load_vs_capacity(a: &Analysis) -> Option<String> {
    let tiers = &a.design.tiers;
    let n = tiers.len();
    let values: Vec<(f64, f64)> = tiers
        .iter()
        .map(|t| (a.plan.value(&format!("{}.load", t.name)), a.plan.value(&format!("{}.capacity_total", t.name))))
        .collect();
    let y_max = values.iter().map(|(l, c)| l.max(*c)).fold(1.0, f64::max) * 200.0;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("{}: peak load vs provisioned capacity", a.design.name), ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(80)
            .build_cartesian_2d((0..n - 1).into_segmented(), (0.1f64..y_max).log_scale())
            .ok()?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .y_desc("requests per second (log)")
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(k) | SegmentValue::Exact(k) => {
                    tiers.get(*k).map_or(String::new(), |t| t.name.clone())
                }
                SegmentValue::Last => String::new(),
            })
            .y_label_formatter(&|y| human(*y, Dim::RATE, Style::Rate))
            .draw()
            .ok()?;
        chart
            .draw_series(values.iter().enumerate().map(|(k, (load, _))| {
                let mut bar = Rectangle::new(
                    [(SegmentValue::Exact(k), 0.1), (SegmentValue::Exact(k + 1), load.max(0.1))],
                    BLUE.mix(0.7).filled(),
                );
                bar.set_margin(0, 0, 18, 18);
                bar
            }))
            .ok()?
            .label("peak load")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], BLUE.mix(0.7).filled()));
        chart
            .draw_series(values.iter().enumerate().map(|(k, (_, cap))| {
                PathElement::new(
                    vec![(SegmentValue::Exact(k), cap.max(0.1)), (SegmentValue::Exact(k + 1), cap.max(0.1))],
                    RED.stroke_width(3),
                )
            }))
            .ok()?
            .label("provisioned capacity (serving nodes × capacity)")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], RED.stroke_width(3)));
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        root.present().ok()?;
    }
    Some(svg)
}

fn nines(a: &Analysis) -> Option<String> {
    let series = curves::downtime_by_nines(&a.design);
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
            .build_cartesian_2d(1.0f64..6.0, (y_min * 0.5..y_max).log_scale())
            .ok()?;
        chart
            .configure_mesh()
            .x_labels(6)
            .x_desc("availability")
            .y_desc("downtime per year (log)")
            .x_label_formatter(&|x| {
                if x.fract() == 0.0 { human(1.0 - 10f64.powf(-x), Dim::NONE, Style::Percent) } else { String::new() }
            })
            .y_label_formatter(&|y| human(*y, Dim::TIME, Style::Duration))
            .draw()
            .ok()?;
        chart
            .draw_series(LineSeries::new(series.points.iter().copied(), BLUE.stroke_width(2)))
            .ok()?
            .label("downtime per year")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BLUE));
        let slo_downtime = if a.plan.get("slo.availability").is_some() { "availability.downtime_year" } else { "" };
        for (name, downtime, color) in [
            ("slo.availability", slo_downtime, RED),
            ("availability.composite", "availability.composite_downtime_year", GREY),
        ] {
            let Some(d) = a.plan.get(name).filter(|d| d.value.si < 1.0 && d.value.si > 0.0) else { continue };
            let Some(y) = a.plan.get(downtime).map(|d| d.value.si) else { continue };
            // The x axis is availability on a nines scale (a log scale of 1 − a): display only.
            let x = (-(1.0 - d.value.si).log10()).clamp(1.0, 6.0);
            let text = format!("{name} {}", format::human(d.value, Style::Percent, 4));
            chart
                .draw_series(std::iter::once(Circle::new((x, y.max(y_min * 0.5)), 5, color.filled())))
                .ok()?
                .label(text)
                .legend(move |(x, y)| Circle::new((x + 8, y), 4, color.filled()));
        }
        chart.configure_series_labels().border_style(GREY).background_style(WHITE).draw().ok()?;
        root.present().ok()?;
    }
    Some(svg)
}

//! Stage 3: bandwidth. Ingress = Σ rps × request bytes; egress = Σ rps × response bytes;
//! origin egress = Σ rps × response bytes × (1 − cdn share). Each average and at peak.
//!
//! Architecture Invariant: bytes per second are formed only through `units::data_rate`.

use super::derivation::Derived;
use super::plan::Plan;
use crate::design::Design;
use crate::key::{self, Metric};
use crate::units::format::Style;
use crate::units::{Data, DataRate, Quantity, Value, data_rate};

pub(super) fn add(design: &Design, plan: &mut Plan) {
    for (suffix, rps) in [("", Metric::AvgRps), ("_peak", Metric::PeakRps)] {
        let mut ingress = DataRate::from_si(0.0);
        let mut egress = DataRate::from_si(0.0);
        let mut origin = DataRate::from_si(0.0);
        for r in &design.requests {
            let n = &r.name;
            let rate = crate::units::Rate::from_si(plan.value(&key::of(n, rps)));
            ingress += data_rate(rate, r.request.value);
            egress += data_rate(rate, r.response.value);
            let (edge, _) = super::paths::edge(design, r, plan);
            let served_at_origin = Data::from_si(r.response.value.si() * (1.0 - edge));
            origin += data_rate(rate, served_at_origin);
        }
        let entry = |what: &str, value: DataRate, term: &dyn Fn(&str) -> String| {
            let terms: Vec<String> = design.requests.iter().map(|r| term(&r.name)).collect();
            let inputs = design
                .requests
                .iter()
                .flat_map(|r| [rps, Metric::Request, Metric::Response, Metric::Cdn].map(|m| key::of(&r.name, m)))
                .collect();
            let formula = if terms.is_empty() { "0".to_string() } else { terms.join(" + ") };
            (format!("bandwidth.{what}{suffix}"), Derived::computed(Value::of(value), Style::DataRate, formula, inputs))
        };
        plan.add(ingress.si(), || entry("ingress", ingress, &|n| format!("{n}.{rps} × {n}.request")));
        plan.add(egress.si(), || entry("egress", egress, &|n| format!("{n}.{rps} × {n}.response")));
        // each request's edge share by name (looked up once per request: constant time)
        let edges: std::collections::BTreeMap<&str, String> =
            design.requests.iter().map(|r| (r.name.as_str(), super::paths::edge(design, r, plan).1)).collect();
        plan.add(origin.si(), || {
            entry("origin_egress", origin, &|n| {
                let edge = edges.get(n).map_or_else(|| key::of(n, Metric::Cdn), String::clone);
                format!("{n}.{rps} × {n}.response × (1 − {edge})")
            })
        });
    }
}

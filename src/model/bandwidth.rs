//! Stage 3: bandwidth. Ingress = Σ rps × request bytes; egress = Σ rps × response bytes;
//! origin egress = Σ rps × response bytes × (1 − cdn share). Each average and at peak.
//!
//! Architecture Invariant: bytes per second are formed only through `units::data_rate`.

use super::derivation::Derived;
use super::plan::Plan;
use crate::design::Design;
use crate::units::format::Style;
use crate::units::{Data, DataRate, Quantity, Value, data_rate};

pub(super) fn add(design: &Design, plan: &mut Plan) {
    for (suffix, rps) in [("", "avg_rps"), ("_peak", "peak_rps")] {
        let mut ingress = DataRate::from_si(0.0);
        let mut egress = DataRate::from_si(0.0);
        let mut origin = DataRate::from_si(0.0);
        let (mut fi, mut fe, mut fo, mut inputs) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for r in &design.requests {
            let n = &r.name;
            let rate = crate::units::Rate::from_si(plan.value(&format!("{n}.{rps}")));
            ingress += data_rate(rate, r.request.value);
            egress += data_rate(rate, r.response.value);
            let served_at_origin = Data::from_si(r.response.value.si() * (1.0 - r.cdn.value.si()));
            origin += data_rate(rate, served_at_origin);
            fi.push(format!("{n}.{rps} × {n}.request"));
            fe.push(format!("{n}.{rps} × {n}.response"));
            fo.push(format!("{n}.{rps} × {n}.response × (1 − {n}.cdn)"));
            inputs.extend([format!("{n}.{rps}"), format!("{n}.request"), format!("{n}.response"), format!("{n}.cdn")]);
        }
        let join = |v: Vec<String>| {
            if v.is_empty() { "0".to_string() } else { v.join(" + ") }
        };
        plan.insert(
            format!("bandwidth.ingress{suffix}"),
            Derived::computed(Value::of(ingress), Style::DataRate, join(fi), inputs.clone()),
        );
        plan.insert(
            format!("bandwidth.egress{suffix}"),
            Derived::computed(Value::of(egress), Style::DataRate, join(fe), inputs.clone()),
        );
        plan.insert(
            format!("bandwidth.origin_egress{suffix}"),
            Derived::computed(Value::of(origin), Style::DataRate, join(fo), inputs),
        );
    }
}

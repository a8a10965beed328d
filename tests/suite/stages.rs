//! The pipeline's stages one at a time through the library's public interface: the parser's
//! tree, lowering's typed design (written values, defaults and where each came from), the
//! model's numbers (worked by hand in each test) and the check's findings.

use fermi::design::Origin;
use fermi::design::profile::ProjectConfig;
use fermi::source::SourceFile;
use fermi::syntax::ast::{ExprKind, Item};
use fermi::units::Quantity;

/// A small design whose numbers are easy by hand: 1M users × 8.64 calls a day = 100 calls
/// per second on average, 300 at the 3x peak.
const SMALL: &str = "design \"stages\" {
  users { dau = 1M; peak = 3x }
  request get {
    rate = 8.64 per user per day
    response = 1 KB
    path = api
  }
  tier api { kind = service; capacity = 100 rps; headroom = 1.5x }
  assert api.nodes <= 4
}
";

fn source() -> SourceFile {
    SourceFile::new("stages.fermi", SMALL)
}

fn design() -> fermi::design::Design {
    let source = source();
    let file = fermi::syntax::parse(&source).unwrap_or_else(|d| panic!("{}", d.render(&source)));
    fermi::design::lower(&file, &source, &ProjectConfig::built_in()).unwrap_or_else(|d| panic!("{}", d.render(&source)))
}

#[test]
fn the_parser_keeps_blocks_fields_and_spans_in_source_order() {
    let source = source();
    let file = fermi::syntax::parse(&source).unwrap_or_else(|d| panic!("{}", d.render(&source)));
    assert_eq!(file.name.node, "stages");
    let blocks: Vec<(String, Option<String>, Vec<String>)> = file
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Block(b) => Some((
                b.keyword.node.clone(),
                b.name.as_ref().map(|n| n.node.clone()),
                b.fields.iter().map(|f| f.key.node.clone()).collect(),
            )),
            _ => None,
        })
        .collect();
    let want = [
        ("users", None, vec!["dau", "peak"]),
        ("request", Some("get"), vec!["rate", "response", "path"]),
        ("tier", Some("api"), vec!["kind", "capacity", "headroom"]),
    ];
    assert_eq!(blocks.len(), want.len(), "{blocks:?}");
    for ((kw, name, fields), (wkw, wname, wfields)) in blocks.iter().zip(want) {
        assert_eq!(
            (kw.as_str(), name.as_deref(), fields.clone()),
            (wkw, wname, wfields.iter().map(|s| s.to_string()).collect())
        );
    }
    // Each span covers exactly the text it was parsed from.
    let Some(Item::Block(users)) = file.items.first() else { panic!("users block first") };
    let dau = &users.fields[0];
    assert_eq!(source.slice(dau.key.span), "dau");
    assert_eq!(source.slice(dau.value.span), "1M");
    assert!(matches!(dau.value.kind, ExprKind::Quantity(_)), "{:?}", dau.value.kind);
    let asserts = file.items.iter().filter(|i| matches!(i, Item::Assert(_))).count();
    assert_eq!(asserts, 1);
}

#[test]
fn the_parser_rejects_a_missing_value_at_the_closing_brace() {
    let source = SourceFile::new("bad.fermi", "design \"x\" {\n  users { dau = }\n}\n");
    let Err(d) = fermi::syntax::parse(&source) else { panic!("parsed") };
    assert_eq!(d.0.len(), 1);
    assert_eq!(d.0[0].code, fermi::diagnostic::Code::Syntax);
    // Line 2, column 17: the `}` where a value was expected.
    assert_eq!(source.location(d.0[0].primary_span()), "bad.fermi:2:17");
}

#[test]
fn lowering_types_written_values_and_records_each_default() {
    let d = design();
    assert_eq!(d.users.dau.as_ref().map(|i| i.value.si()), Some(1e6));
    assert_eq!(d.users.peak.value.si(), 3.0);
    assert!(matches!(d.users.peak.origin, Origin::Written { .. }));
    let get = &d.requests[0];
    // 8.64 per user per day, times 1M users, over 86,400 s: the request's average is 100 rps.
    assert!((get.rate.value.si() - 100.0).abs() < 1e-9, "{}", get.rate.value.si());
    assert_eq!(get.response.value.si(), 1_000.0);
    // `request` and `stores` were not written: defaults, with the text of each default.
    assert!(matches!(get.request.origin, Origin::Default { .. }), "{:?}", get.request.origin);
    let api = &d.tiers[0];
    assert_eq!((api.name.as_str(), api.capacity.value.si(), api.headroom.value.si()), ("api", 100.0, 1.5));
    assert!(matches!(api.replicas.origin, Origin::Default { .. }));
    for default in ["get.request", "get.stores", "seconds_per_day"] {
        assert!(
            d.assumptions.iter().any(|a| format!("{a:?}").contains(&format!("\"{default}\""))),
            "{default}: {:?}",
            d.assumptions
        );
    }
}

#[test]
fn the_model_reproduces_traffic_and_node_counts_worked_by_hand() {
    let d = design();
    let plan = fermi::model::estimate(&d, &fermi::model::Hits::default());
    // Daily calls: 1M users × 8.64 = 8.64M; average 8.64M ÷ 86,400 s = 100 rps; peak × 3.
    assert!((plan.value("traffic.daily") - 8.64e6).abs() < 1e-6);
    assert!((plan.value("traffic.peak_rps") - 300.0).abs() < 1e-9);
    // Egress at the peak: 300 rps × 1 KB = 300 KB/s.
    let egress = plan.value("bandwidth.egress_peak");
    assert!((egress - 300_000.0).abs() < 1e-6, "{egress}");
    // api: ⌈300 × 1.5 ÷ 100⌉ = ⌈4.5⌉ = 5 nodes for throughput.
    assert_eq!(plan.value("api.load"), 300.0);
    assert_eq!(plan.value("api.nodes.throughput"), 5.0);
    // Throughput is the only constraint, so the base count is 5, and the total is
    // base × replicas + spare (1 and 0 by default).
    assert_eq!(plan.value("api.nodes.base"), 5.0);
    assert_eq!((plan.value("api.replicas"), plan.value("api.spare")), (1.0, 0.0));
    assert_eq!(plan.value("api.nodes"), 5.0);
}

#[test]
fn the_check_fails_an_assert_the_plan_breaks_and_says_by_what() {
    let d = design();
    let plan = fermi::model::estimate(&d, &fermi::model::Hits::default());
    let findings = fermi::check::check(&d, fermi::model::View::point(&plan)).unwrap_or_else(|e| panic!("{e:?}"));
    let asserts: Vec<_> = findings.iter().filter(|f| matches!(f.kind, fermi::check::FindingKind::Assert)).collect();
    assert_eq!(asserts.len(), 1);
    // The plan has at least the 5 throughput nodes, so `api.nodes <= 4` fails.
    assert!(!asserts[0].passed, "{:?}", asserts[0]);
    assert_eq!(asserts[0].text, "assert api.nodes <= 4");
    assert_eq!(asserts[0].limit, "4");
}

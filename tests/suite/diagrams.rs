//! Diagrams that read at GitHub's width: the flowchart's direction follows the graph's shape,
//! box labels are two lines whose values never wrap, sequence diagrams say what each hop moves
//! (calls per second, sizes, hit and miss shares), a design without tiers gets no diagram,
//! and the real Mermaid CLI check (tools/mermaid-render, when installed) fails on a broken
//! diagram and on one whose text would be under 10 px at 980 px.

use crate::support::{design, fermi_in, root, scratch};

/// The ```mermaid blocks of a doc, in order.
fn diagrams(doc: &str) -> Vec<String> {
    doc.split("```mermaid\n").skip(1).map(|b| b[..b.find("```").unwrap()].to_string()).collect()
}

fn doc(name: &str, text: &str) -> String {
    let dir = design(name, text);
    let run = fermi_in(&dir, &["doc", name]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

/// A read path through a cache with a given hit ratio, and a write that skips it. Hand
/// figures: peak = 2 × 1K rps (the default peak factor); the cache answers 80%, so 400 rps
/// reach the database on a read; the write's 2 × 100 rps skip the write-around cache.
const FLOW: &str = r#"design "flow" {
  request get { rate = 1K rps; request = 100 B; response = 2 KB; path = api -> cache -> db }
  request put { kind = write; rate = 100 rps; request = 1 KB; stores = 1 KB; path = api -> cache -> db }
  tier api { capacity = 5K rps }
  tier cache { kind = cache; capacity = 50K rps; hit_ratio = 80% }
  tier db { kind = database; capacity = 2K rps }
}
"#;

#[test]
fn a_chain_of_tiers_is_drawn_top_down_with_two_line_boxes_whose_values_do_not_wrap() {
    let d = diagrams(&doc("flow.fermi", FLOW));
    let flowchart = &d[0];
    assert!(flowchart.starts_with("flowchart TD\n"), "{flowchart}");
    // "name · N nodes" over "load · utilisation"; the cache adds its hit ratio
    assert!(flowchart.contains("t0[\"api · 1 node<br/>2.2K\u{a0}rps · 44%\"]"), "{flowchart}");
    assert!(flowchart.contains("t1[[\"cache · 1 node<br/>2K\u{a0}rps · 4%<br/>hit ratio 80%\"]]"), "{flowchart}");
    // 200 reads + 200 writes + … : 400 rps of misses reach the database from the cache
    assert!(flowchart.contains("t1 -->|\"400\u{a0}rps<br/>"), "{flowchart}");
    for line in flowchart.lines().filter(|l| l.contains("-->|")) {
        assert!(!line.contains(" rps") && !line.contains(" Mbps"), "a value that could wrap: {line}");
    }
}

#[test]
fn sequence_hops_carry_calls_sizes_and_hit_and_miss_shares() {
    let d = diagrams(&doc("flow.fermi", FLOW));
    let read = &d[1];
    assert!(!read.contains(": call") && !read.contains(": ok"), "no placeholder labels: {read}");
    assert!(read.contains("C->>t0: get<br/>2K\u{a0}rps peak · 100\u{a0}B in\n"), "{read}");
    assert!(read.contains("t0->>t1: 2K\u{a0}rps · 100\u{a0}B in\n"), "{read}");
    assert!(read.contains("alt hit 80%\n"), "{read}");
    assert!(read.contains("t1-->>t0: 2\u{a0}KB from cache\n"), "{read}");
    assert!(read.contains("else miss 20% · 400\u{a0}rps\n"), "{read}");
    assert!(read.contains("t0->>t2: 400\u{a0}rps · 100\u{a0}B in\n"), "{read}");
    assert!(read.contains("t0-->>C: 2\u{a0}KB\n"), "the response's size comes back: {read}");
    let write = &d[2];
    assert!(write.contains("Note over t1: write-around: the write skips cache"), "{write}");
    assert!(write.contains("t0->>t2: 200\u{a0}rps · 1\u{a0}KB in\n"), "{write}");
}

#[test]
fn a_fan_out_is_drawn_left_to_right_and_a_wide_row_wraps() {
    // eight tiers side by side, each on its own request's path: taller than wide left to right
    let mut side = String::from("design \"side\" {\n");
    for k in 0..8 {
        side.push_str(&format!(
            "  request r{k} {{ rate = 1K rps; path = s{k} }}\n  tier s{k} {{ capacity = 5K rps }}\n"
        ));
    }
    side.push_str("}\n");
    let d = diagrams(&doc("side.fermi", &side));
    assert!(d[0].starts_with("flowchart LR\n"), "{}", d[0]);
    // one balancer in front of six services: top-down, the services in rows of three
    let mut fan = String::from("design \"fan\" {\n  tier lb { kind = lb; capacity = 100K rps }\n");
    for k in 0..6 {
        fan.push_str(&format!(
            "  request r{k} {{ rate = 1K rps; path = lb -> s{k} }}\n  tier s{k} {{ capacity = 5K rps }}\n"
        ));
    }
    fan.push_str("}\n");
    let d = diagrams(&doc("fan.fermi", &fan));
    assert!(d[0].starts_with("flowchart TD\n"), "{}", d[0]);
    // tiers s0..s5 are t1..t6: s3..s5 sit under s0..s2
    for (above, below) in [(1, 4), (2, 5), (3, 6)] {
        assert!(d[0].contains(&format!("  t{above} ~~~ t{below}\n")), "{}", d[0]);
    }
}

#[test]
fn a_design_without_tiers_gets_no_diagram_and_is_told_what_is_missing() {
    let text = "design \"empty\" {\n  users { dau = 1M }\n  request read { rate = 10 per user per day }\n}\n";
    let out = doc("empty.fermi", text);
    assert!(diagrams(&out).is_empty(), "no diagram to draw");
    assert!(out.contains("No diagram: the design has no tiers yet"), "{out}");
    assert!(out.contains("Add a `tier NAME { kind = … }` block"), "{out}");
    assert!(!out.contains("Composite availability"), "no availability of nothing: {out}");
    assert!(out.contains("No availability to compute: the design has no tiers"), "{out}");
    assert!(out.contains("| Availability | — (no tiers) |"), "{out}");
}

/// The Mermaid CLI check, when installed with a browser to draw in (CI installs both).
fn render_check() -> Option<std::path::PathBuf> {
    let tool = root().join("tools/mermaid-render");
    let chromium = std::path::Path::new("/usr/bin/chromium").exists();
    if tool.join("node_modules/@mermaid-js/mermaid-cli").is_dir() && chromium {
        Some(tool.join("render.mjs"))
    } else {
        eprintln!("skipping: tools/mermaid-render is not installed (npm ci there) or /usr/bin/chromium is missing");
        None
    }
}

#[test]
fn the_mermaid_cli_check_fails_on_a_broken_and_on_an_over_wide_diagram() {
    let Some(check) = render_check() else { return };
    let status = std::process::Command::new("node").arg(&check).arg("--self-test").status().unwrap();
    assert!(status.success(), "self-test failed");
    let dir = scratch();
    // the old left-to-right layout of a long chain: far wider than 980 px
    let chain: Vec<String> =
        (0..12).map(|k| format!("  n{k}[\"tier {k} · 1,234 nodes<br/>29.9K rps · 66%\"]")).collect();
    let links: Vec<String> = (0..11).map(|k| format!("  n{k} --> n{}", k + 1)).collect();
    let md = format!(
        "# x\n\n```mermaid\nflowchart LR\n{}\n{}\n```\n\n```mermaid\nflowchart LR\n  a[\"unclosed --> b\n```\n",
        chain.join("\n"),
        links.join("\n")
    );
    std::fs::write(dir.join("bad.md"), md).unwrap();
    let out = std::process::Command::new("node").arg(&check).arg(dir.join("bad.md")).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("bad.md:4: diagram 1 (flowchart): text ") && stderr.contains("needs at least 10 px"),
        "{stderr}"
    );
    assert!(stderr.contains("bad.md:") && stderr.contains(": diagram 2 (flowchart): does not render"), "{stderr}");
}

#[test]
fn the_mermaid_cli_draws_fan_outs_and_flows_legibly() {
    let Some(check) = render_check() else { return };
    let dir = scratch();
    std::fs::write(dir.join("flow.fermi"), FLOW).unwrap();
    let mut fan = String::from("design \"fan\" {\n  tier lb { kind = lb; capacity = 100K rps }\n");
    for k in 0..7 {
        fan.push_str(&format!(
            "  request r{k} {{ rate = 1K rps; path = lb -> s{k} }}\n  tier s{k} {{ capacity = 5K rps }}\n"
        ));
    }
    fan.push_str("}\n");
    std::fs::write(dir.join("fan.fermi"), fan).unwrap();
    let run = fermi_in(&dir, &["build", ".", "-o", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = std::process::Command::new("node").arg(&check).arg(dir.join("out")).output().unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

#[test]
fn edge_and_hop_labels_are_results_a_design_can_assert_and_explain() {
    // 10M users × 10 a day ÷ 86,400 s × 2 (peak) = 2,314.8 rps from the clients to `api`;
    // half of them miss `cache` (hit_ratio = 50%) and go on to `db`.
    let text = r#"design "edges" {
  users { dau = 10M }
  request get { rate = 10 per user per day; response = 2 KB; path = api -> cache -> db }
  tier api { capacity = 5K rps }
  tier cache { kind = cache; capacity = 50K rps; hit_ratio = 50% }
  tier db { kind = database; capacity = 2K rps }
  assert api.from.clients.rps > 2314 rps
  assert api.from.clients.rps < 2315 rps
  assert db.from.cache.rps == get.calls.db
  assert get.calls.db > 1157 rps
  assert get.calls.db < 1158 rps
}
"#;
    let dir = crate::support::design("e.fermi", text);
    let run = crate::support::fermi_in(&dir, &["check", "e.fermi"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("5 passed, 0 failed"), "{}", run.stdout);
    let explain = crate::support::fermi_in(&dir, &["explain", "e.fermi", "db.from.cache.bandwidth"]);
    assert!(
        explain.stdout.contains("= get.peak_rps × (1 − cache.hit_ratio) × (get.request + get.response)"),
        "{}",
        explain.stdout
    );
}

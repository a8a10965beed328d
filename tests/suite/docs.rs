//! `fermi doc`, `fermi build` and `--check`: the doc's sections, plots that are valid SVG,
//! docs that CI keeps true, atomic writes, overridable templates, and Mermaid that the real
//! Mermaid parser accepts (when the pinned tool in tools/mermaid-check is installed).

use crate::support::{design, fermi, fermi_in, root, scratch};
use std::path::Path;

const SECTIONS: &[&str] = &[
    "## Requirements",
    "## Capacity estimates",
    "### Show your work",
    "## API",
    "## High-level architecture",
    "## Request flows",
    "## Storage and data plan",
    "## Cache plan",
    "## Shard plan",
    "## Availability",
    "## Latency",
    "## Trade-offs",
    "## Assumptions",
    "## Checks",
];

#[test]
fn a_doc_has_every_section_in_review_order() {
    let run = fermi(&["doc", "designs/url-shortener.fermi"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut at = 0;
    for s in SECTIONS {
        let found = run.stdout[at..].find(s).unwrap_or_else(|| panic!("{s} missing or out of order"));
        at += found;
    }
    assert!(run.stdout.starts_with("# URL shortener\n"));
    assert!(run.stdout.contains("```mermaid\nflowchart TD\n"), "a chain of tiers is drawn top-down");
    assert_eq!(run.stdout.matches("```mermaid\nsequenceDiagram").count(), 2, "one sequence diagram per request");
    assert!(!run.stdout.contains(".svg"), "stdout docs link no plot files");
    // Numbers with their work shown, and the trade-offs of this design's own choices.
    assert!(run.stdout.contains("| `storage.total` | 547.5 TB |"));
    assert!(run.stdout.contains("Cache write policy: write-around"));
    assert!(run.stdout.contains("Sharding: consistent hashing with virtual nodes"));
    assert!(run.stdout.contains("Given up — Sharding: hash mod N"));
}

#[test]
fn doc_with_an_output_folder_writes_markdown_and_valid_svg_plots() {
    let out = scratch();
    let out_s = out.display().to_string();
    let run = fermi(&["doc", "designs/file-store.fermi", "-o", &out_s]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let md = std::fs::read_to_string(out.join("file-store.md")).unwrap();
    for plot in [
        "storage-growth.svg",
        "load-vs-capacity.svg",
        "downtime-by-nines.svg",
        "latency-vs-utilization.svg",
        "availability-vs-nodes.svg",
    ] {
        assert!(md.contains(&format!("](file-store/{plot})")), "{plot} is linked relatively");
        let svg = std::fs::read_to_string(out.join("file-store").join(plot)).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{plot} is not XML: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        assert!(svg.contains("<text"), "{plot} has labels");
    }
}

#[test]
fn the_cache_plan_links_a_miss_ratio_curve_per_cache_tier() {
    let out = scratch();
    let run = fermi(&["doc", "designs/url-shortener.fermi", "-o", &out.display().to_string()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let md = std::fs::read_to_string(out.join("url-shortener.md")).unwrap();
    let cache_plan = &md[md.find("## Cache plan").unwrap()..md.find("## Shard plan").unwrap()];
    assert!(cache_plan.contains("![Miss-ratio curve of cache](url-shortener/mrc-cache.svg)"), "{cache_plan}");
    let svg = std::fs::read_to_string(out.join("url-shortener/mrc-cache.svg")).unwrap();
    roxmltree::Document::parse(&svg).unwrap();
    for legend in
        ["lru, simulated on 20K keys", "lru, Che&apos;s approximation on 36.5B keys", "cache (lru): miss ratio"]
    {
        assert!(svg.contains(legend) || svg.contains(&legend.replace("&apos;", "'")), "legend `{legend}` missing");
    }
}

fn copy_designs(to: &Path) {
    for entry in std::fs::read_dir(root().join("designs")).unwrap().flatten() {
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// A scratch folder with a copy of `designs/`, built into `docs/`: the folder and the build.
fn built_copy_of_the_designs() -> (std::path::PathBuf, crate::support::Run) {
    let dir = scratch();
    std::fs::create_dir_all(dir.join("designs")).unwrap();
    copy_designs(&dir.join("designs"));
    let build = fermi_in(&dir, &["build", "designs", "-o", "docs"]);
    assert_eq!(build.code, 0, "{}{}", build.stdout, build.stderr);
    (dir, build)
}

#[test]
fn check_is_green_after_a_build_and_red_after_a_design_changes() {
    let (dir, _) = built_copy_of_the_designs();
    let src = dir.join("designs");
    assert!(dir.join("docs/index.md").is_file());
    let index = std::fs::read_to_string(dir.join("docs/index.md")).unwrap();
    assert!(index.contains("[URL shortener](url-shortener.md)"), "{index}");
    let check = fermi_in(&dir, &["build", "designs", "-o", "docs", "--check"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    assert!(check.stdout.contains("up to date"));
    let chat = src.join("chat.fermi");
    let before = std::fs::read_to_string(&chat).unwrap();
    let text = before.replacen("= 500M", "= 600M", 1);
    assert_ne!(text, before, "chat.fermi states its 500M users");
    std::fs::write(&chat, text).unwrap();
    let check = fermi_in(&dir, &["build", "designs", "-o", "docs", "--check"]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(check.stdout.contains("stale: docs/chat.md"), "{}", check.stdout);
    assert!(!check.stdout.contains("url-shortener.md"), "only the changed design is stale");
    std::fs::remove_file(dir.join("docs/api-gateway.md")).unwrap();
    let check = fermi_in(&dir, &["build", "designs", "-o", "docs", "--check"]);
    assert!(check.stdout.contains("missing: docs/api-gateway.md"), "{}", check.stdout);
}

#[test]
fn a_rebuild_rewrites_only_the_docs_that_changed() {
    let (dir, first) = built_copy_of_the_designs();
    let src = dir.join("designs");
    let mtime = |p: &str| std::fs::metadata(dir.join(p)).unwrap().modified().unwrap();
    let (shortener, chat) = (mtime("docs/url-shortener.md"), mtime("docs/chat.md"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    let text = std::fs::read_to_string(src.join("chat.fermi")).unwrap().replace("summary = \"", "summary = \"Edited. ");
    std::fs::write(src.join("chat.fermi"), text).unwrap();
    let second = fermi_in(&dir, &["build", "designs", "-o", "docs"]);
    assert_eq!(second.code, 0, "{}{}", second.stdout, second.stderr);
    assert_eq!(mtime("docs/url-shortener.md"), shortener, "an unchanged doc is not rewritten");
    assert_ne!(mtime("docs/chat.md"), chat, "the changed design's doc is rewritten");
    // Only chat.md changed (its summary); its plots, index.md and every other doc did not.
    let files = |out: &str, word: &str| -> usize {
        out.split(['(', ',', ')']).find_map(|p| p.trim().strip_suffix(word)?.trim().parse().ok()).unwrap()
    };
    let (written, unchanged) = (files(&second.stdout, "written"), files(&second.stdout, "unchanged"));
    assert_eq!(written, 1, "{}", second.stdout);
    assert_eq!(written + unchanged, files(&first.stdout, "written"), "{}", second.stdout);
    assert!(fermi_in(&dir, &["build", "designs", "-o", "docs", "--check"]).code == 0);
}

#[test]
fn check_fails_when_an_assert_fails() {
    let dir = design(
        "d.fermi",
        "design \"d\" {\n  users { dau = 1M }\n  request r { rate = 1 per user per day }\n  assert traffic.daily > 2M\n}\n",
    );
    let build = fermi_in(&dir, &["build", ".", "-o", "out"]);
    assert_eq!(build.code, 1, "a failing assert fails the build: {}", build.stdout);
    assert!(build.stdout.contains("FAIL ./d.fermi:4"), "{}", build.stdout);
    let check = fermi_in(&dir, &["build", ".", "-o", "out", "--check"]);
    assert_eq!(check.code, 1);
}

#[test]
fn an_invalid_design_leaves_the_previous_docs_intact() {
    let dir = scratch();
    std::fs::create_dir_all(dir.join("designs")).unwrap();
    std::fs::copy(root().join("designs/chat.fermi"), dir.join("designs/chat.fermi")).unwrap();
    assert_eq!(fermi_in(&dir, &["build", "designs", "-o", "docs"]).code, 0);
    let before = std::fs::read(dir.join("docs/chat.md")).unwrap();
    let chat = dir.join("designs/chat.fermi");
    std::fs::write(&chat, std::fs::read_to_string(&chat).unwrap().replace("dau    = 500M", "dau    = 600M")).unwrap();
    std::fs::write(dir.join("designs/broken.fermi"), "design \"b\" {\n  users { dau = 100m }\n}\n").unwrap();
    let run = fermi_in(&dir, &["build", "designs", "-o", "docs"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("designs/broken.fermi:2:20"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_eq!(std::fs::read(dir.join("docs/chat.md")).unwrap(), before, "the old doc is untouched");
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("docs"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn builds_are_byte_identical() {
    let (a, b) = (scratch(), scratch());
    for out in [&a, &b] {
        let run = fermi(&["build", "designs", "-o", &out.display().to_string()]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let mut files = Vec::new();
    let mut stack = vec![a.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.path().is_dir() { stack.push(e.path()) } else { files.push(e.path()) }
        }
    }
    assert!(files.len() >= 30);
    for f in files {
        let rel = f.strip_prefix(&a).unwrap();
        // Name the file when the second build lacks it (seen once, not reproduced since).
        let other =
            std::fs::read(b.join(rel)).unwrap_or_else(|e| panic!("{} only in the first build: {e}", rel.display()));
        assert_eq!(std::fs::read(&f).unwrap(), other, "{} differs", rel.display());
    }
}

#[test]
fn exported_templates_override_the_built_ins_by_name() {
    let dir = scratch();
    let run = fermi_in(&dir, &["templates", "export", "tpl"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.join("tpl/doc.md").is_file() && dir.join("tpl/sections/checks.md").is_file());
    std::fs::write(
        dir.join("tpl/sections/checks.md"),
        "## Verdicts\n\n{% for c in checks %}* {{ c.text }}\n{% endfor %}\n",
    )
    .unwrap();
    let design_path = root().join("designs/url-shortener.fermi").display().to_string();
    let run = fermi_in(&dir, &["doc", &design_path, "--templates", "tpl"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("## Verdicts\n"), "override used");
    assert!(!run.stdout.contains("## Checks"), "built-in replaced");
    assert!(run.stdout.contains("## Trade-offs"), "other built-ins kept");
    std::fs::write(dir.join("tpl/sections/checks.md"), "{% for c in %}").unwrap();
    let run = fermi_in(&dir, &["doc", &design_path, "--templates", "tpl"]);
    assert_eq!(run.code, 2, "a broken template is bad input");
    assert!(run.stderr.contains("sections/checks.md"), "{}", run.stderr);
}

/// The pinned Mermaid checker, when installed (CI installs it before the tests).
fn mermaid_check() -> Option<std::path::PathBuf> {
    let tool = root().join("tools/mermaid-check");
    if tool.join("node_modules/mermaid").is_dir()
        && std::process::Command::new("node").arg("--version").output().is_ok()
    {
        Some(tool.join("check.mjs"))
    } else {
        eprintln!("skipping: tools/mermaid-check is not installed (run `npm ci` there)");
        None
    }
}

#[test]
fn the_mermaid_check_catches_a_broken_diagram() {
    let Some(check) = mermaid_check() else { return };
    let status = std::process::Command::new("node").arg(&check).arg("--self-test").status().unwrap();
    assert!(status.success(), "self-test failed");
    let dir = scratch();
    std::fs::write(dir.join("bad.md"), "# x\n\n```mermaid\nflowchart LR\n  a[\"unclosed --> b\n```\n").unwrap();
    let out = std::process::Command::new("node").arg(&check).arg(dir.join("bad.md")).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.md:4: invalid Mermaid"));
}

#[test]
fn hostile_names_and_api_strings_yield_valid_mermaid() {
    let Some(check) = mermaid_check() else { return };
    let dir = design(
        "weird.fermi",
        r#"design "Quotes \" <b>bold</b> | pipes; #hash & `ticks`" {
  users { dau = 1M }
  request get-item { api = "GET /items/{id}?q=\"a|b\";#x <y> & end"; rate = 5 per user per day; response = 1 KB; path = edge-lb -> cache_1 -> db }
  request put { kind = write; api = "PUT /x: y"; rate = 1 per user per day; stores = 1 KB; path = edge-lb -> cache_1 -> db }
  tier edge-lb { kind = lb; capacity = 10K rps }
  tier cache_1 { kind = cache; capacity = 100K rps; hit_ratio = 90%; write = through }
  tier db { kind = database; capacity = 5K rps }
}
"#,
    );
    let run = fermi_in(&dir, &["doc", "weird.fermi", "-o", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = std::process::Command::new("node").arg(&check).arg(dir.join("out")).output().unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

#[test]
fn every_design_doc_renders_valid_mermaid() {
    let Some(check) = mermaid_check() else { return };
    let out = scratch();
    assert_eq!(fermi(&["build", "designs", "-o", &out.display().to_string()]).code, 0);
    let run = std::process::Command::new("node").arg(&check).arg(&out).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
}

#[test]
fn the_committed_design_docs_are_up_to_date() {
    let run = fermi(&["build", "designs", "-o", "docs/designs", "--check"]);
    assert_eq!(run.code, 0, "docs/designs is stale: run `cargo run -- build designs -o docs/designs`\n{}", run.stdout);
}

#[test]
fn build_takes_its_output_folder_from_fermi_toml() {
    let dir = design("a.fermi", "design \"a\" {\n  request r { rate = 1 rps }\n}\n");
    std::fs::write(dir.join("fermi.toml"), "[project]\noutput = \"generated\"\n").unwrap();
    let run = fermi_in(&dir, &["build", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.join("generated/a.md").is_file());
    std::fs::remove_file(dir.join("fermi.toml")).unwrap();
    let run = fermi_in(&dir, &["build", "."]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("pass -o OUT"), "{}", run.stderr);
}

#[test]
fn the_glance_states_egress_once_and_the_origin_share_only_when_a_cdn_takes_some() {
    let text = |cdn: &str| {
        format!(
            r#"design "egress" {{
  users {{ dau = 10M }}
  request get {{ rate = 10 per user per day; response = 2 KB;{cdn} path = api }}
  tier api {{ capacity = 5K rps }}
}}
"#
        )
    };
    let glance = |t: &str| {
        let dir = design("e.fermi", t);
        let doc = fermi_in(&dir, &["doc", "e.fermi"]).stdout;
        doc.lines().find(|l| l.starts_with("| Peak egress")).unwrap().to_string()
    };
    // 10M × 10 ÷ 86,400 s × 2 (peak) × 2 KB × 8 bits = 37.04 Mbps; a CDN answering 25% leaves 27.78 Mbps
    assert_eq!(glance(&text("")), "| Peak egress | 37.04 Mbps |");
    assert_eq!(glance(&text(" cdn = 25%;")), "| Peak egress | 37.04 Mbps (27.78 Mbps from the origin) |");
}

#[test]
fn an_uncertain_doc_says_its_worked_formulas_and_re_runs_are_at_the_inputs_medians() {
    let run = fermi_in(&root(), &["doc", "designs/url-shortener-uncertain.fermi"]);
    let note = "Each formula is worked at the inputs' medians, so its value can differ slightly from the p50";
    assert!(run.stdout.contains(note), "{}", run.stdout);
    assert!(run.stdout.contains("Each re-run below is worked at the inputs' medians, the design's column too"));
    let certain = fermi_in(&root(), &["doc", "designs/url-shortener.fermi"]);
    assert!(!certain.stdout.contains("inputs' medians"), "a design without ranges has no medians to speak of");
}

#[test]
fn the_glance_nodes_row_lists_the_tiers_once_and_the_provisioned_count_after_them() {
    // The p50 sum and the p95 sum to provision are the index's own figures (display.rs
    // checks that they agree); the row must read as one statement, not nested asides.
    let run = fermi_in(&root(), &["doc", "designs/url-shortener-uncertain.fermi"]);
    let row = run.stdout.lines().find(|l| l.starts_with("| Nodes |")).unwrap().to_string();
    assert_eq!(row.matches('(').count(), 1, "one parenthesis, for the tiers: {row}");
    let (before, after) = row.split_once(')').unwrap();
    assert!(before.contains("api ") && before.contains("cache ") && before.contains("db "), "{row}");
    assert!(after.contains("to provision at p95"), "the provisioned count follows the tiers: {row}");
    let certain = fermi_in(&root(), &["doc", "designs/url-shortener.fermi"]).stdout;
    let row = certain.lines().find(|l| l.starts_with("| Nodes |")).unwrap();
    assert!(!row.contains("provision"), "a design without ranges provisions what it shows: {row}");
}

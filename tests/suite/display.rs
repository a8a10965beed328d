//! The display policy (issue #19): every number a doc, its plots and `index.md` show has at
//! most four significant figures — counted on the distance to 100% for a percentage of 99% or
//! more, so `99.999908%` is two figures and `> 99.9999999%` a bound — and each headline result
//! reads the same wherever it appears (glance, tables, Availability, Checks, index). Also the
//! doc's independence from how it was invoked: the same bytes from any folder or path spelling,
//! checks in line order, no HTML entities inside code spans.

use crate::support::{fermi_in, root, scratch};
use fermi::render::doc::Templates;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// Figures allowed by the policy.
const MAX_FIGURES: usize = 4;

/// The text a reader sees, without code spans (design text quoted as written, such as
/// `60M to 200M` or `$0.2016/h`), link targets and HTML/Mermaid colour codes.
fn visible(markdown: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    let mut chars = markdown.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' => in_code = !in_code,
            ']' if !in_code && chars.peek() == Some(&'(') => {
                // a link target: skip to its closing parenthesis
                for c in chars.by_ref() {
                    if c == ')' {
                        break;
                    }
                }
                out.push(' ');
            }
            _ if in_code => {}
            _ => out.push(c),
        }
    }
    out
}

/// The text of an SVG's `<text>` elements.
fn svg_text(svg: &str) -> String {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text()).collect::<Vec<_>>().join("\n")
}

/// Every number in `text` with how many significant figures it shows, as (token, figures).
/// Numbers glued to a name (`p99`, `m7i`, `t0`, `#fafafa`) are names, not numbers.
fn numbers(text: &str) -> Vec<(String, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        if !chars[k].is_ascii_digit() {
            k += 1;
            continue;
        }
        let glued = k > 0 && (chars[k - 1].is_alphanumeric() || matches!(chars[k - 1], '_' | '#' | '.' | '-' | '/'));
        let start = k;
        while k < chars.len()
            && (chars[k].is_ascii_digit()
                || (matches!(chars[k], '.' | ',') && chars.get(k + 1).is_some_and(|c| c.is_ascii_digit())))
        {
            k += 1;
        }
        let token: String = chars[start..k].iter().collect();
        let glued_after = chars.get(k).is_some_and(|c| c.is_ascii_alphabetic() && c.is_lowercase())
            && !matches!(chars.get(k..k + 2), Some(['x', _]) | Some(['m', 's']) | Some(['h', _]) | Some(['d', 'a']));
        if glued || (glued_after && !token.contains('.')) {
            continue;
        }
        let percent = chars.get(k) == Some(&'%');
        out.push((token.clone(), figures(&token, percent)));
    }
    out
}

/// Figures of the distance to 100% a percentage of 99% or more may show, after its nines.
const NEAR_ONE_FIGURES: usize = 2;
/// Nines a percentage may show before it must be a bound (`> 99.9999999%`).
const MAX_NINES: usize = 9;

/// Significant figures of a decimal token. A percentage of 99 or more is held to its own rule
/// (every nine, then at most two figures of the distance to 100, at most nine nines): it
/// counts as within the policy (0) or over it (`MAX_FIGURES + 1`).
fn figures(token: &str, percent: bool) -> usize {
    let plain: String = token.chars().filter(|c| *c != ',').collect();
    let value: f64 = plain.parse().unwrap_or(0.0);
    let digits: String = plain.chars().filter(|c| c.is_ascii_digit()).collect();
    if percent && (99.0..100.0).contains(&value) {
        let tail = digits.trim_start_matches('9');
        let nines = digits.len() - tail.len();
        let over = tail.trim_end_matches('0').len() > NEAR_ONE_FIGURES || (nines > MAX_NINES && !tail.is_empty());
        return if over { MAX_FIGURES + 1 } else { 0 };
    }
    let significant = digits.trim_start_matches('0');
    if plain.contains('.') { significant.len() } else { significant.trim_end_matches('0').len().max(1) }
}

/// The numbers in `text` over the policy, with the line they are on.
fn over_policy(text: &str) -> Vec<String> {
    text.lines()
        .flat_map(|line| {
            numbers(line)
                .into_iter()
                .filter(|(_, f)| *f > MAX_FIGURES)
                .map(move |(t, f)| format!("{t} ({f} figures) in: {}", line.trim()))
        })
        .collect()
}

fn built_docs() -> PathBuf {
    let out = scratch();
    let run = fermi_in(&root(), &["build", "designs", "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    out
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            all.extend(files(&p, ext));
        } else if p.extension().is_some_and(|e| e == ext) {
            all.push(p);
        }
    }
    all.sort();
    all
}

#[test]
fn the_counter_counts_figures_as_the_policy_states_them() {
    // Hand-counted examples (the policy as issue #19 states it).
    let count = |s: &str| numbers(s).into_iter().map(|(_, f)| f).collect::<Vec<_>>();
    assert_eq!(count("29.2K rps [13.08K rps – 66.62K rps]"), [3, 4, 4]);
    assert_eq!(count("99.999908% and 99.9999081% and 99.99% and 99.9999999%"), [0, 5, 0, 0]);
    assert_eq!(count("p99 9.211 ms on m7i.xlarge, 86,400 s, 1,234 nodes, 0.0008229"), [4, 3, 4, 4]);
    assert_eq!(count("20.2107 ms"), [6]);
    assert!(over_policy("P(wait) 0.000000000000383%").is_empty(), "three figures, however many zeros");
    assert_eq!(over_policy("99.9999999875%").len(), 1);
}

#[test]
fn every_number_in_the_built_docs_plots_and_index_has_at_most_four_figures() {
    let out = built_docs();
    let mut bad = Vec::new();
    for md in files(&out, "md") {
        let text = std::fs::read_to_string(&md).unwrap();
        bad.extend(over_policy(&visible(&text)).into_iter().map(|b| format!("{}: {b}", md.display())));
    }
    for svg in files(&out, "svg") {
        let text = svg_text(&std::fs::read_to_string(&svg).unwrap());
        bad.extend(over_policy(&text).into_iter().map(|b| format!("{}: {b}", svg.display())));
    }
    assert!(bad.is_empty(), "{} numbers over the policy:\n{}", bad.len(), bad.join("\n"));
    // Nothing short of certainty reads as 100%: every tier availability under 1 shows a nine.
    for md in files(&out, "md") {
        let text = std::fs::read_to_string(&md).unwrap();
        for line in text.lines().filter(|l| l.starts_with("| ") && l.contains("nines")) {
            assert!(!line.contains("| 100% |"), "{}: {line}", md.display());
        }
    }
}

fn generated(dau: f64, capacity: f64, availability: f64, service: f64) -> String {
    format!(
        "design \"g\" {{
  users {{ dau = {dau}; peak = 2.5x }}
  request w {{ kind = write; rate = 3 per user per day; stores = 2 KB; path = api -> db }}
  request r {{ rate = 20 per user per day; response = 1 KB; path = api -> cache -> db }}
  storage {{ retention = 3 years; replication = 3 }}
  slo {{ availability = 99.9%; latency p99 = 200 ms }}
  tier api {{ capacity = {capacity} rps; service_time = {service} ms; concurrency = 8; availability = {availability}; price = $0.2/h }}
  tier cache {{ kind = cache; capacity = 100K rps; hit_ratio = 80%; replicas = 2; availability = {availability} }}
  tier db {{ kind = database; capacity = 3K rps; disk = 2 TB; replicas = 3; availability = {availability} }}
}}"
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Designs from tiny to astronomical, with availabilities from one nine to nearly ten.
    #[test]
    fn every_number_in_a_generated_doc_has_at_most_four_figures(
        dau in 1e2f64..1e11,
        capacity in 10.0f64..1e6,
        nines in 1.0f64..9.9,
        service in 0.01f64..50.0,
    ) {
        let text = generated(dau, capacity, 1.0 - 10f64.powf(-nines), service);
        let a = crate::support::analyze(&text);
        let doc = Templates::new(&[]).unwrap().render(&a, 4, None).unwrap();
        let bad = over_policy(&visible(&doc.markdown));
        prop_assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}

/// The p50 of a shown value: the text before ` [` (its p5–p95 range).
fn p50(cell: &str) -> String {
    cell.split(" \\[").next().unwrap_or(cell).split(" [").next().unwrap_or(cell).trim().to_string()
}

/// A table row's cells by its first cell.
fn row<'a>(text: &'a str, first: &str) -> Vec<&'a str> {
    let line =
        text.lines().find(|l| l.starts_with(&format!("| {first} |"))).unwrap_or_else(|| panic!("no row {first}"));
    line.trim_matches('|').split(" | ").map(str::trim).collect()
}

fn between<'a>(text: &'a str, before: &str, after: &str) -> Option<&'a str> {
    let at = text.find(before)? + before.len();
    let end = text[at..].find(after)?;
    Some(&text[at..at + end])
}

#[test]
fn each_headline_result_reads_the_same_everywhere_it_appears() {
    let out = built_docs();
    let index = std::fs::read_to_string(out.join("index.md")).unwrap();
    let mut compared = 0;
    for md in files(&out, "md").into_iter().filter(|p| !p.ends_with("index.md")) {
        let doc = std::fs::read_to_string(&md).unwrap();
        let stem = md.file_name().unwrap().to_string_lossy().into_owned();
        let listed = index.lines().find(|l| l.contains(&format!("]({stem})"))).unwrap();
        let cells: Vec<&str> = listed.trim_matches('|').split(" | ").map(str::trim).collect();
        let glance_peak = p50(row(&doc, "Peak traffic")[1]);
        let traffic_total = p50(row(&doc, "total")[4]);
        assert_eq!(glance_peak, traffic_total, "{stem}: peak traffic, glance vs Traffic");
        assert_eq!(glance_peak, p50(cells[1]), "{stem}: peak traffic, glance vs index");
        let storage = p50(row(&doc, "Storage")[1]);
        assert_eq!(storage, p50(cells[3]), "{stem}: storage, glance vs index");
        let availability = p50(row(&doc, "Availability")[1].split(" (SLO").next().unwrap());
        assert_eq!(availability, p50(cells[6]), "{stem}: availability, glance vs index");
        if let Some(bold) = between(&doc, "Composite availability of the architecture: **", "**") {
            assert_eq!(availability, p50(bold), "{stem}: availability, glance vs Availability");
        }
        if let Some(check) =
            between(&doc, "composite availability ", " meets").or(between(&doc, "composite availability ", " is below"))
        {
            assert_eq!(availability, p50(check), "{stem}: availability, glance vs Checks");
        }
        if let Some(cost) = between(&doc, "| Cost | ", " a month") {
            assert_eq!(p50(cost), p50(cells[5]), "{stem}: monthly cost, glance vs index");
            let section = &doc[doc.find("## Cost").unwrap()..];
            assert_eq!(p50(cost), p50(row(section, "total").last().unwrap()), "{stem}: monthly cost, glance vs Cost");
        }
        compared += 1;
    }
    assert!(compared >= 11, "only {compared} docs compared");
}

#[test]
fn docs_are_the_same_bytes_from_any_folder_and_path_spelling() {
    let designs = root().join("designs");
    let (a, b, c) = (scratch(), scratch(), scratch());
    let runs = [
        fermi_in(&root(), &["build", "designs", "-o", a.to_str().unwrap()]),
        fermi_in(&std::env::temp_dir(), &["build", &format!("{}/", designs.display()), "-o", b.to_str().unwrap()]),
        fermi_in(&designs, &["build", ".", "-o", c.to_str().unwrap()]),
    ];
    for r in &runs {
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    }
    for f in files(&a, "md").into_iter().chain(files(&a, "svg")) {
        let rel = f.strip_prefix(&a).unwrap();
        let want = std::fs::read(&f).unwrap();
        assert_eq!(std::fs::read(b.join(rel)).unwrap(), want, "{} differs by absolute path", rel.display());
        assert_eq!(std::fs::read(c.join(rel)).unwrap(), want, "{} differs from inside the folder", rel.display());
    }
    let chat = std::fs::read_to_string(a.join("chat.md")).unwrap();
    assert!(chat.contains("Generated by fermi from `designs/chat.fermi`"), "{}", &chat[..400]);
    // `fermi doc` names the file from the project root, however it was spelt.
    let by_abs = fermi_in(&std::env::temp_dir(), &["doc", designs.join("chat.fermi").to_str().unwrap()]);
    let inside = fermi_in(&designs, &["doc", "chat.fermi"]);
    assert_eq!(by_abs.code, 0, "{}", by_abs.stderr);
    assert_eq!(by_abs.stdout, inside.stdout);
    assert!(by_abs.stdout.contains("`designs/chat.fermi`"));
}

#[test]
fn checks_are_in_line_order_and_code_spans_carry_no_entities() {
    let out = built_docs();
    for md in files(&out, "md").into_iter().filter(|p| !p.ends_with("index.md")) {
        let doc = std::fs::read_to_string(&md).unwrap();
        let lines: Vec<usize> = doc
            .lines()
            .filter_map(|l| {
                l.strip_prefix("- ✅ line ").or(l.strip_prefix("- ❌ line ")).or(l.strip_prefix("- ⚠️ line "))
            })
            .filter_map(|l| l.split(':').next()?.parse().ok())
            .collect();
        assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{}: checks out of line order: {lines:?}", md.display());
        // CommonMark shows entities inside code spans literally.
        let mut in_code = false;
        let mut span = String::new();
        for c in doc.replace("```", "\u{0}").chars() {
            match c {
                '`' if in_code => {
                    assert!(
                        !["&lt;", "&gt;", "&amp;", "&#"].iter().any(|e| span.contains(e)),
                        "{}: `{span}`",
                        md.display()
                    );
                    span.clear();
                    in_code = false;
                }
                '`' => in_code = true,
                '\n' | '\u{0}' => {
                    in_code = false;
                    span.clear();
                }
                _ if in_code => span.push(c),
                _ => {}
            }
        }
    }
}

/// The Mermaid blocks of a doc that start with `kind` (`flowchart`, `sequenceDiagram`).
fn mermaid_blocks<'a>(doc: &'a str, kind: &str) -> Vec<&'a str> {
    doc.split("```mermaid\n").skip(1).filter_map(|b| b.split("```").next()).filter(|b| b.starts_with(kind)).collect()
}

/// A label's lines, with Mermaid's unbreakable spaces as spaces.
fn label_lines(label: &str) -> Vec<String> {
    label.split("<br/>").map(|l| l.replace('\u{a0}', " ").trim().to_string()).collect()
}

#[test]
fn edge_labels_and_hit_shares_read_the_same_as_the_boxes_and_tables() {
    // Each flowchart edge's calls and bytes are plan entries with their own distributions, so
    // into a tier with one caller they are that tier's load (its box and the Nodes per tier
    // table) and its bandwidth (Where bytes live), as the same statistic: the p50 when uncertain.
    let out = built_docs();
    let (mut edges, mut shares) = (0, 0);
    for md in files(&out, "md").into_iter().filter(|p| !p.ends_with("index.md")) {
        let doc = std::fs::read_to_string(&md).unwrap();
        let stem = md.file_name().unwrap().to_string_lossy().into_owned();
        let tiers_at = doc.find("### Nodes per tier").map_or(0, |k| k);
        let bytes_at = doc.find("## Where bytes live").map_or(0, |k| k);
        for chart in mermaid_blocks(&doc, "flowchart") {
            // box id → tier name, from `t0["api · 9 nodes<br/>29.2K rps · 63.41%"]`
            let mut boxes: Vec<(String, String, String)> = Vec::new();
            let mut links: Vec<(String, String, Vec<String>)> = Vec::new();
            for line in chart.lines().map(str::trim) {
                if let Some((from, rest)) = line.split_once(" -->|\"") {
                    let (label, to) = rest.split_once("\"| ").unwrap();
                    links.push((from.to_string(), to.trim().to_string(), label_lines(label)));
                } else if line.starts_with('t') && line.contains("\"") && !line.contains("~~~") {
                    let id = line.split(|c: char| !c.is_alphanumeric()).next().unwrap().to_string();
                    let text = line.split('"').nth(1).unwrap();
                    let lines = label_lines(text);
                    let name = lines[0].split(" · ").next().unwrap().to_string();
                    let load = lines[1].split(" · ").next().unwrap().to_string();
                    boxes.push((id, name, load));
                }
            }
            for (id, name, load) in &boxes {
                let into: Vec<_> = links.iter().filter(|l| &l.1 == id).collect();
                let [(_, _, label)] = into.as_slice() else { continue };
                assert_eq!(label[0], *load, "{stem}: edge into {name} against its box");
                let table = p50(row(&doc[tiers_at..], name)[2]);
                assert_eq!(label[0], table, "{stem}: edge into {name} against Nodes per tier");
                let bandwidth = p50(row(&doc[bytes_at..], name)[2]);
                assert_eq!(label[1], bandwidth, "{stem}: edge into {name} against Where bytes live");
                edges += 1;
            }
        }
        for seq in mermaid_blocks(&doc, "sequenceDiagram") {
            let names: Vec<(String, String)> = seq
                .lines()
                .filter_map(|l| l.trim().strip_prefix("participant "))
                .filter_map(|l| l.split_once(" as ").map(|(id, n)| (id.to_string(), n.to_string())))
                .collect();
            let lines: Vec<&str> = seq.lines().map(str::trim).collect();
            for (k, line) in lines.iter().enumerate() {
                let Some(hit) = line.strip_prefix("alt hit ") else { continue };
                // the reply under it names the cache: `t1-->>t0: 500 B from cache`
                let id = lines[k + 1].split("-->>").next().unwrap();
                let Some((_, name)) = names.iter().find(|(i, _)| i == id) else { continue };
                let table = p50(row(&doc[tiers_at..], name)[3]);
                assert_eq!(hit.replace('\u{a0}', " "), table, "{stem}: hit share of {name} against Nodes per tier");
                let miss = lines[k + 1..].iter().find_map(|l| l.strip_prefix("else miss ")).unwrap();
                let miss: f64 = miss.split('%').next().unwrap().parse().unwrap();
                let hit: f64 = hit.trim_end_matches('%').parse().unwrap();
                assert!((hit + miss - 100.0).abs() < 0.011, "{stem}: {hit}% hit and {miss}% miss");
                shares += 1;
            }
        }
    }
    assert!(edges >= 20, "only {edges} edges compared");
    assert!(shares >= 3, "only {shares} hit shares compared");
}

//! House rules, checked: every source file opens with a `//!` module doc; modules import only
//! downward (architecture.md) and only the modules their row of `ALLOWED_IMPORTS` names; the
//! binary reaches the library through `fermi::`; `uom` is named only in `src/units/`;
//! `codespan_reporting` only in `src/diagnostic.rs`; diagnostic codes only in their table,
//! which docs/diagnostics.md lists; every design has golden outputs.

use crate::support::root;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/")
}

#[test]
fn every_source_file_opens_with_a_module_doc() {
    for f in rust_files(&root().join("src")) {
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(text.starts_with("//!"), "{} does not start with a `//!` module doc", rel(&f));
    }
}

/// (module path prefix, crate modules it must not import).
const FORBIDDEN: &[(&str, &[&str])] = &[
    ("src/math/", &["crate::"]),
    ("src/source.rs", &["crate::"]),
    (
        "src/units/",
        &["crate::syntax", "crate::design", "crate::model", "crate::render", "crate::check", "crate::analysis"],
    ),
    (
        "src/syntax/",
        &["crate::units", "crate::design", "crate::model", "crate::render", "crate::check", "crate::analysis"],
    ),
    ("src/design/", &["crate::model", "crate::render", "crate::check", "crate::analysis"]),
    ("src/model/", &["crate::syntax", "crate::render", "crate::check", "crate::analysis", "crate::sim"]),
    ("src/check.rs", &["crate::render", "crate::analysis"]),
    ("src/analysis.rs", &["crate::render"]),
    ("src/uncertainty/", &["crate::render", "crate::analysis", "crate::sim", "crate::check"]),
    ("src/render/", &["crate::syntax", "crate::math", "crate::analysis::analyze"]),
    (
        "src/sim/",
        &[
            "crate::syntax",
            "crate::design",
            "crate::model",
            "crate::render",
            "crate::check",
            "crate::analysis",
            "crate::units",
        ],
    ),
];

#[test]
fn modules_import_only_downward() {
    let mut problems = Vec::new();
    for f in rust_files(&root().join("src")) {
        let r = rel(&f);
        let text = std::fs::read_to_string(&f).unwrap();
        let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        for (prefix, banned) in FORBIDDEN {
            if !r.starts_with(prefix) {
                continue;
            }
            for b in *banned {
                if code.contains(b) {
                    problems.push(format!("{r} uses `{b}`"));
                }
            }
        }
        if code.contains("uom::") && !r.starts_with("src/units/") {
            problems.push(format!("{r} names uom outside src/units/"));
        }
        if code.contains("codespan_reporting") && r != "src/diagnostic.rs" {
            problems.push(format!("{r} names codespan_reporting outside src/diagnostic.rs"));
        }
        if r.starts_with("src/cli/") && code.contains("crate::") && !code.contains("crate::cli") {
            // the binary reaches the library only through `fermi::`
        }
        if !r.starts_with("src/cli/") && r != "src/main.rs" && code.contains("anyhow") {
            problems.push(format!("{r} uses anyhow outside the CLI"));
        }
    }
    assert!(problems.is_empty(), "import rules broken:\n{}", problems.join("\n"));
}

#[test]
fn every_design_has_golden_outputs() {
    for f in crate::designs::design_files() {
        let stem = f.trim_end_matches(".fermi");
        for ext in ["txt", "json", "md"] {
            let g = root().join("tests/suite/snapshots").join(format!("{stem}.{ext}"));
            assert!(g.is_file() || std::env::var_os("FERMI_BLESS").is_some(), "designs/{f} has no golden {}", rel(&g));
        }
    }
}

#[test]
fn no_source_file_is_a_grab_bag() {
    for f in rust_files(&root().join("src")) {
        let name = f.file_stem().unwrap().to_string_lossy().to_string();
        assert!(!["utils", "helpers", "common", "misc"].contains(&name.as_str()), "{} — name the thing", rel(&f));
    }
}

#[test]
fn the_code_map_lists_every_source_file() {
    let map = std::fs::read_to_string(root().join("docs/architecture.md")).unwrap();
    for f in rust_files(&root().join("src")) {
        let r = rel(&f);
        assert!(map.contains(&format!("`{r}`")), "docs/architecture.md does not list {r}");
    }
}

#[test]
fn diagnostic_codes_are_named_only_in_their_table() {
    // A code written as a string elsewhere could drift from the table and from
    // docs/diagnostics.md; every diagnostic names a `Code` instead.
    let mut problems = Vec::new();
    for f in rust_files(&root().join("src")) {
        let r = rel(&f);
        if r == "src/diagnostic/code.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            if !line.trim_start().starts_with("//") && line.contains("\"fermi::") {
                problems.push(format!("{r}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(problems.is_empty(), "diagnostic codes written as strings (use `Code::…`):\n{}", problems.join("\n"));
}

#[test]
fn every_diagnostic_code_is_raised_somewhere() {
    // A row no source file uses is a code that can no longer appear: drop it from the table.
    let sources: String = rust_files(&root().join("src"))
        .iter()
        .filter(|f| rel(f) != "src/diagnostic/code.rs")
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    let unused: Vec<&str> = fermi::diagnostic::Code::ALL
        .iter()
        .filter(|c| !sources.contains(&format!("Code::{c:?}")))
        .map(|c| c.as_str())
        .collect();
    assert!(unused.is_empty(), "codes in the table that no source raises: {unused:?}");
}

#[test]
fn docs_diagnostics_md_lists_every_code_with_its_meaning() {
    // The table in docs/diagnostics.md is generated from `Code`; `FERMI_BLESS=1` rewrites it.
    let path = root().join("docs/diagnostics.md");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let marker = "<!-- generated from src/diagnostic/code.rs: FERMI_BLESS=1 cargo test --test suite tidy -->\n";
    let intro = text.split(marker).next().unwrap_or_default();
    let want = format!("{intro}{marker}\n{}", fermi::diagnostic::Code::table_markdown());
    if std::env::var_os("FERMI_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    assert!(
        text == want,
        "docs/diagnostics.md is out of date with src/diagnostic/code.rs; run `FERMI_BLESS=1 cargo test --test suite tidy`"
    );
}

/// Each library module (a top-level file or folder of `src/`) and the other modules it may
/// name with `crate::`: the house's import graph, written down. A new edge, or a new module,
/// is a decision to make here, beside architecture.md, not a side effect of a `use` line.
/// The orchestrator (`analysis`) and its two bridges (`hit_ratios`, `shard_plan`) are the
/// only modules below the front ends that reach the simulator.
const ALLOWED_IMPORTS: &[(&str, &[&str])] = &[
    ("source", &[]),
    ("math", &[]),
    ("units", &[]),
    ("threads", &[]),
    ("diagnostic", &["source"]),
    ("syntax", &["diagnostic", "source"]),
    ("design", &["diagnostic", "math", "source", "syntax", "units"]),
    ("model", &["design", "math", "units"]),
    ("sim", &["math"]),
    ("hit_ratios", &["design", "math", "model", "sim", "units"]),
    ("shard_plan", &["design", "math", "model", "sim", "units"]),
    ("check", &["design", "diagnostic", "model", "source", "syntax", "units"]),
    ("plausibility", &["check", "design", "model", "source", "units"]),
    ("timeline", &["design", "model", "source", "syntax", "units"]),
    ("uncertainty", &["design", "math", "model", "source", "syntax", "threads", "units"]),
    ("shapes", &["design", "diagnostic", "hit_ratios", "model", "source", "syntax", "uncertainty", "units"]),
    (
        "analysis",
        &[
            "check",
            "design",
            "diagnostic",
            "hit_ratios",
            "model",
            "plausibility",
            "shapes",
            "shard_plan",
            "sim",
            "source",
            "syntax",
            "timeline",
            "uncertainty",
            "whatif",
        ],
    ),
    (
        "whatif",
        &[
            "analysis",
            "calc",
            "check",
            "design",
            "diagnostic",
            "model",
            "shapes",
            "sim",
            "source",
            "syntax",
            "threads",
            "units",
        ],
    ),
    ("calc", &["analysis", "design", "diagnostic", "math", "model", "source", "syntax", "uncertainty", "units"]),
    ("project", &["design", "diagnostic", "source", "syntax"]),
    ("write", &[]),
    (
        "render",
        &[
            "analysis",
            "calc",
            "design",
            "diagnostic",
            "model",
            "project",
            "shard_plan",
            "sim",
            "source",
            "uncertainty",
            "units",
            "whatif",
        ],
    ),
    ("batch", &["analysis", "design", "project", "render", "syntax", "threads", "uncertainty", "write"]),
    ("practice", &["analysis", "calc", "design", "diagnostic", "math", "model", "render", "units"]),
    ("lsp", &["analysis", "check", "design", "diagnostic", "project", "render", "source", "syntax", "units"]),
];

/// The top-level module a path under `src/` belongs to (`src/model/tiers.rs` → `model`).
fn module_of(rel: &str) -> String {
    let inside = rel.trim_start_matches("src/");
    inside.split('/').next().unwrap_or_default().trim_end_matches(".rs").to_string()
}

/// The top-level modules a file names after `prefix` (`crate::` or `fermi::`), outside
/// comments, including each name inside `prefix{a, b::c}`.
fn named_modules(text: &str, prefix: &str) -> std::collections::BTreeSet<String> {
    let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let ident = |s: &str| s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>();
    let mut out = std::collections::BTreeSet::new();
    for (at, _) in code.match_indices(prefix) {
        if code[..at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
            continue; // `my_crate::`, not `crate::`
        }
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        out.insert(ident(group[start..i].trim()));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.insert(ident(group[start..i].trim()));
                        start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            out.insert(ident(rest));
        }
    }
    out.retain(|m| !m.is_empty() && m != "self");
    out
}

#[test]
fn every_module_imports_only_what_the_table_allows() {
    let table: std::collections::BTreeMap<&str, &[&str]> = ALLOWED_IMPORTS.iter().copied().collect();
    let mut problems = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for f in rust_files(&root().join("src")) {
        let r = rel(&f);
        let module = module_of(&r);
        if module == "lib" || module == "main" || module == "cli" {
            continue; // the crate root and the binary, which may use the whole library
        }
        seen.insert(module.clone());
        let Some(allowed) = table.get(module.as_str()) else {
            problems.push(format!("{r}: module `{module}` has no row in ALLOWED_IMPORTS"));
            continue;
        };
        let text = std::fs::read_to_string(&f).unwrap();
        for m in named_modules(&text, "crate::") {
            if m != module && !allowed.contains(&m.as_str()) {
                problems.push(format!("{r} imports `crate::{m}`, which `{module}` may not"));
            }
        }
    }
    for module in table.keys() {
        if !seen.contains(*module) {
            problems.push(format!("ALLOWED_IMPORTS has a row for `{module}`, which is not a module of src/"));
        }
    }
    assert!(problems.is_empty(), "the import table and the code disagree:\n{}", problems.join("\n"));
}

#[test]
fn the_binary_reaches_the_library_only_through_its_public_paths() {
    // src/main.rs and src/cli/ are the binary: they name the library as `fermi::…`, never
    // `crate::` paths into it, and the library never names the binary.
    let mut problems = Vec::new();
    for f in rust_files(&root().join("src")) {
        let r = rel(&f);
        let text = std::fs::read_to_string(&f).unwrap();
        let binary = r == "src/main.rs" || r.starts_with("src/cli/");
        if binary {
            for m in named_modules(&text, "crate::") {
                if m != "cli" {
                    problems.push(format!("{r} names `crate::{m}`; the binary uses `fermi::{m}`"));
                }
            }
        } else if named_modules(&text, "crate::").contains("cli") {
            problems.push(format!("{r} names the binary's `crate::cli`"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

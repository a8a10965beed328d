//! House rules, checked: every source file opens with a `//!` module doc; modules import only
//! downward (architecture.md) and only the modules their row of `ALLOWED_IMPORTS` names; no
//! two files of `src/` import each other, directly or through others; the binary reaches the
//! library through `fermi::`; `uom` is named only in `src/units/`; `codespan_reporting` only in
//! `src/diagnostic.rs`; diagnostic codes only in their table, which docs/diagnostics.md lists;
//! every design has golden outputs.

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
    ("src/analysis/", &["crate::render", "crate::files"]),
    ("src/uncertainty/", &["crate::render", "crate::analysis", "crate::sim", "crate::check"]),
    // the vocabulary of uncertain values, below the design that holds them
    (
        "src/uncertainty/spread.rs",
        &["crate::design", "crate::model", "crate::syntax", "crate::units", "crate::source", "crate::diagnostic"],
    ),
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

/// (module path, the only places that may import it): the orchestrator's bridges to the
/// simulators are its own; presentation may name what they return.
const IMPORTED_ONLY_BY: &[(&str, &[&str])] = &[
    // the simulators run only through the orchestrator's bridges (and `fermi sim`, in the CLI)
    ("crate::sim", &["src/sim/", "src/analysis/", "src/render/"]),
    ("crate::analysis::hit_ratios", &["src/analysis/", "src/render/"]),
    ("crate::analysis::shard_plan", &["src/analysis/", "src/render/"]),
    ("crate::analysis::shapes", &["src/analysis/"]),
    ("crate::analysis::timeline", &["src/analysis/", "src/render/"]),
    ("crate::analysis::whatif", &["src/analysis/", "src/render/"]),
    // of Monte Carlo, the design names only the spreads it holds as data
    ("crate::uncertainty", &["src/uncertainty/", "src/analysis/", "src/render/", "src/files/", "src/calc.rs"]),
    // the file system is reached by the CLI, the LSP and the orchestrator's callers only
    ("crate::files", &["src/files/", "src/lsp/", "src/render/"]),
];

#[test]
fn the_orchestrators_bridges_are_imported_only_where_allowed() {
    let mut problems = Vec::new();
    for f in rust_files(&root().join("src")) {
        let r = rel(&f);
        let text = std::fs::read_to_string(&f).unwrap();
        let code: String = text
            .lines()
            .take_while(|l| l.trim() != "#[cfg(test)]")
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for (module, allowed) in IMPORTED_ONLY_BY {
            let spread_only = *module == "crate::uncertainty" && r.starts_with("src/design/");
            let named = code.match_indices(module).any(|(at, _)| {
                let after = &code[at + module.len()..];
                let whole = !after.starts_with(|c: char| c.is_alphanumeric() || c == '_');
                whole && !(spread_only && after.starts_with("::spread::"))
            });
            if named && !allowed.iter().any(|a| r.starts_with(a)) {
                problems.push(format!("{r} imports `{module}`, which only {} may", allowed.join(", ")));
            }
        }
    }
    assert!(problems.is_empty(), "bridge rules broken:\n{}", problems.join("\n"));
}

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
/// The orchestrator (`analysis`, whose bridges `analysis::hit_ratios` and
/// `analysis::shard_plan` are the only way below the front ends to the simulator) and the
/// views of its simulator results in `render` are the only modules that reach `sim`.
const ALLOWED_IMPORTS: &[(&str, &[&str])] = &[
    ("source", &[]),
    ("math", &[]),
    ("units", &[]),
    ("threads", &[]),
    ("key", &[]),
    ("diagnostic", &["source"]),
    ("syntax", &["diagnostic", "source"]),
    ("design", &["diagnostic", "key", "math", "source", "syntax", "uncertainty", "units"]),
    ("model", &["design", "key", "math", "units"]),
    ("sim", &["math"]),
    ("check", &["design", "diagnostic", "key", "model", "source", "syntax", "units"]),
    ("plausibility", &["check", "design", "key", "model", "source", "units"]),
    ("uncertainty", &["design", "diagnostic", "key", "math", "model", "source", "syntax", "threads", "units"]),
    (
        "analysis",
        &[
            "calc",
            "check",
            "design",
            "diagnostic",
            "key",
            "math",
            "model",
            "plausibility",
            "sim",
            "source",
            "syntax",
            "threads",
            "uncertainty",
            "units",
        ],
    ),
    ("calc", &["analysis", "design", "diagnostic", "key", "math", "model", "source", "syntax", "uncertainty", "units"]),
    (
        "render",
        &[
            "analysis",
            "calc",
            "check",
            "design",
            "diagnostic",
            "files",
            "key",
            "model",
            "practice",
            "sim",
            "source",
            "uncertainty",
            "units",
        ],
    ),
    ("files", &["analysis", "design", "diagnostic", "key", "render", "source", "syntax", "threads", "uncertainty"]),
    ("practice", &["analysis", "calc", "design", "diagnostic", "key", "math", "model", "render", "units"]),
    ("lsp", &["analysis", "check", "design", "diagnostic", "files", "key", "render", "source", "syntax", "units"]),
];

/// The top-level module a path under `src/` belongs to (`src/model/tiers.rs` → `model`).
fn top_module_of(rel: &str) -> String {
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
        let module = top_module_of(&r);
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

/// A file's module path from `src/`: `src/design/lower/mod.rs` → `["design", "lower"]`.
fn module_of(rel_to_src: &str) -> Vec<String> {
    let stem = rel_to_src.trim_end_matches(".rs");
    let mut parts: Vec<String> = stem.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod") || parts == ["lib"] || parts == ["main"] {
        parts.pop();
    }
    parts
}

/// Every path a piece of code names from `crate::`, `super::` or `self::`, with `{…}` groups
/// expanded (`crate::a::{b, c::d}` gives `crate::a::b` and `crate::a::c::d`), as segments.
fn named_paths(code: &str) -> Vec<Vec<String>> {
    fn ident(chars: &[char], mut i: usize) -> (String, usize) {
        let start = i;
        while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '*') {
            i += 1;
        }
        (chars[start..i].iter().collect(), i)
    }
    fn skip_ws(chars: &[char], mut i: usize) -> usize {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        i
    }
    // Parses `seg::seg::{…}` from `i`, pushing each complete path onto `out`.
    fn path(chars: &[char], mut i: usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
        let mut segs = prefix;
        loop {
            i = skip_ws(chars, i);
            if chars.get(i) == Some(&'{') {
                i += 1;
                loop {
                    i = skip_ws(chars, i);
                    match chars.get(i) {
                        Some('}') => return i + 1,
                        Some(',') => i += 1,
                        Some(_) => {
                            let before = i;
                            i = path(chars, i, segs.clone(), out);
                            if i == before {
                                i += 1;
                            }
                        }
                        None => return i,
                    }
                }
            }
            let (seg, next) = ident(chars, i);
            if seg.is_empty() {
                break;
            }
            segs.push(seg);
            i = next;
            if chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':') {
                i += 2;
            } else {
                break;
            }
        }
        out.push(segs);
        i
    }
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let boundary = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_' || chars[i - 1] == ':');
        let rest: String = chars[i..chars.len().min(i + 7)].iter().collect();
        if boundary && ["crate::", "super::", "self::"].iter().any(|k| rest.starts_with(k)) {
            i = path(&chars, i, Vec::new(), &mut out).max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// The file-level import graph of a source tree: for each file (path from `src/`), the other
/// files it names through `crate::`, `super::` or `self::` outside its test module. A
/// folder's `mod.rs` reaching its own children by bare name (`mod lower;` then `lower::…`)
/// is how a folder presents its files, not an import, and is not an edge.
fn import_graph(files: &[(String, String)]) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let modules: std::collections::BTreeMap<Vec<String>, String> =
        files.iter().map(|(f, _)| (module_of(f), f.clone())).collect();
    let resolve =
        |path: &[String]| -> Option<String> { (1..=path.len()).rev().find_map(|k| modules.get(&path[..k]).cloned()) };
    let mut graph = std::collections::BTreeMap::new();
    for (f, text) in files {
        let me = module_of(f);
        let code: String = text
            .lines()
            .take_while(|l| l.trim() != "#[cfg(test)]")
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let mut to = std::collections::BTreeSet::new();
        for p in named_paths(&code) {
            let mut base: Vec<String> = Vec::new();
            let mut segs = p.iter().peekable();
            match segs.next().map(String::as_str) {
                Some("crate") => {}
                Some("self") => base = me.clone(),
                Some("super") => {
                    base = me.clone();
                    base.pop();
                    while segs.peek().is_some_and(|s| *s == "super") {
                        segs.next();
                        base.pop();
                    }
                }
                _ => continue,
            }
            base.extend(segs.filter(|s| *s != "self" && *s != "*").cloned());
            if let Some(target) = resolve(&base).filter(|t| t != f) {
                to.insert(target);
            }
        }
        graph.insert(f.clone(), to);
    }
    graph
}

/// The import cycles of a graph: each strongly connected set of two or more files, sorted.
fn import_cycles(graph: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>) -> Vec<Vec<String>> {
    // Tarjan's algorithm, iterative so a deep tree cannot overflow the test's stack.
    let names: Vec<&String> = graph.keys().collect();
    let at: std::collections::BTreeMap<&String, usize> = names.iter().enumerate().map(|(k, n)| (*n, k)).collect();
    let succ: Vec<Vec<usize>> =
        names.iter().map(|n| graph[*n].iter().filter_map(|t| at.get(t).copied()).collect()).collect();
    let (mut index, mut low, mut on) = (vec![usize::MAX; names.len()], vec![0; names.len()], vec![false; names.len()]);
    let (mut stack, mut next, mut cycles) = (Vec::new(), 0, Vec::new());
    for root in 0..names.len() {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0)];
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if *child == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on[v] = true;
            }
            if let Some(&w) = succ[v].get(*child) {
                *child += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut set = Vec::new();
                while let Some(w) = stack.pop() {
                    on[w] = false;
                    set.push(names[w].clone());
                    if w == v {
                        break;
                    }
                }
                if set.len() > 1 {
                    set.sort();
                    cycles.push(set);
                }
            }
        }
    }
    cycles.sort();
    cycles
}

#[test]
fn no_two_source_files_import_each_other_even_through_others() {
    let src = root().join("src");
    let files: Vec<(String, String)> = rust_files(&src)
        .into_iter()
        .map(|f| {
            let name = f.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
            (name, std::fs::read_to_string(&f).unwrap())
        })
        .collect();
    let cycles = import_cycles(&import_graph(&files));
    let shown: Vec<String> = cycles.iter().map(|c| c.join(" ↔ ")).collect();
    assert!(cycles.is_empty(), "import cycles between files of src/:\n{}", shown.join("\n"));
}

#[test]
fn the_import_cycle_rule_catches_a_cycle_and_passes_a_tree() {
    let file = |name: &str, text: &str| (name.to_string(), text.to_string());
    // a → b → c → a through `crate::`, `super::` and a `{…}` group; d only imports.
    let cyclic = [
        file("lib.rs", "//! root\nmod a;\nmod m;\n"),
        file("a.rs", "//! a\nuse crate::m::{b::Thing, d};\n"),
        file("m/mod.rs", "//! m\nmod b;\nmod c;\nmod d;\npub use b::Thing;\n"),
        file("m/b.rs", "//! b\nuse super::c::helper;\n"),
        file("m/c.rs", "//! c\nfn f() { crate::a::go(); }\n#[cfg(test)]\nmod tests { use crate::m::d; }\n"),
        file("m/d.rs", "//! d\nuse super::super::a as _;\n"),
    ];
    let cycles = import_cycles(&import_graph(&cyclic));
    assert_eq!(
        cycles,
        vec![vec!["a.rs".to_string(), "m/b.rs".to_string(), "m/c.rs".to_string(), "m/d.rs".to_string()]]
    );
    // the same files without c's call back into a: no cycle (m/mod.rs naming its children
    // by bare name is not an import, and c's test module is left out)
    let mut tree = cyclic.to_vec();
    tree[4] = file("m/c.rs", "//! c\nfn f() {}\n#[cfg(test)]\nmod tests { use crate::a::go; }\n");
    tree[5] = file("m/d.rs", "//! d\n");
    assert_eq!(import_cycles(&import_graph(&tree)), Vec::<Vec<String>>::new());
}

/// The plan keys a piece of code spells out by hand, as (line number, what it wrote),
/// outside comments: each `format!("{owner}.suffix"…` (the owner `{}` or `{name}`, the whole
/// string an owner and a dot before one of `suffixes`), and each `strip_suffix(".suffix")` or
/// `ends_with(".suffix")` that takes a key apart by one of them.
fn hand_built_keys(text: &str, suffixes: &[&str]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        for (at, _) in line.match_indices("format!(\"{") {
            let rest = &line[at + "format!(\"".len()..];
            let Some(close) = rest.find('}') else { continue };
            let owner = &rest[1..close];
            if !owner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let Some(after) = rest[close + 1..].strip_prefix('.') else { continue };
            let Some(end) = after.find('"') else { continue };
            if suffixes.contains(&&after[..end]) {
                out.push((n + 1, format!("format!(\"{}\")", &rest[..close + 2 + end])));
            }
        }
        for call in ["strip_suffix(\".", "ends_with(\"."] {
            for (at, _) in line.match_indices(call) {
                let after = &line[at + call.len()..];
                let Some(end) = after.find("\")") else { continue };
                if suffixes.contains(&&after[..end]) {
                    out.push((n + 1, line[at..at + call.len() + end + 2].to_string()));
                }
            }
        }
    }
    out
}

#[test]
fn plan_keys_are_built_only_by_the_key_module() {
    // `key::of(owner, Metric::…)` is the one spelling of a per-owner plan key (and
    // `key::owner` the one way back); a suffix typed into a string could drift from the one
    // the model writes, and a lookup of it would silently find nothing.
    let suffixes: Vec<&str> = fermi::key::Metric::ALL.iter().map(|m| m.as_str()).collect();
    let mut problems = Vec::new();
    for f in rust_files(&root().join("src")) {
        let r = rel(&f);
        if r == "src/key.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        for (line, found) in hand_built_keys(&text, &suffixes) {
            problems.push(format!("{r}:{line}: {found}"));
        }
    }
    assert!(
        problems.is_empty(),
        "plan keys built or taken apart by hand (use `key::of` and `key::owner`):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_hand_built_key_rule_catches_a_key_and_passes_other_strings() {
    let suffixes = ["nodes", "peak_rps", "nodes.throughput"];
    let code = r#"
        let a = plan.value(&format!("{n}.nodes"));
        let b = format!("{}.peak_rps", r.name);
        let c = format!("{tier}.nodes.throughput");
        // let d = format!("{n}.nodes");
        let e = key::of(n, Metric::Nodes);
        let f = format!("{n}.latency.{label}");
        let g = format!("{stem}.md");
        let h = format!("{n}.nodes × {n}.spare");
        let i = format!("⌈{n}.load⌉");
        let j = format!("{n}.nodesx");
        if let Some(t) = name.strip_suffix(".nodes") {}
        if name.ends_with(".nodes.throughput") || name.ends_with(".md") || name.strip_suffix(".nodesx").is_some() {}
        if key::owner(name, Metric::Nodes).is_some() {}
    "#;
    let found: Vec<usize> = hand_built_keys(code, &suffixes).into_iter().map(|(line, _)| line).collect();
    assert_eq!(found, vec![2, 3, 4, 12, 13]);
    assert_eq!(
        hand_built_keys("format!(\"{}.peak_rps\", r)", &suffixes),
        vec![(1, "format!(\"{}.peak_rps\")".to_string())]
    );
    assert_eq!(hand_built_keys("x.ends_with(\".nodes\")", &suffixes), vec![(1, "ends_with(\".nodes\")".to_string())]);
}

/// The per-owner results docs/language.md's "What the model computes" table names in its
/// first column (`R.daily`, `T.nodes.base`), as suffixes; names with a placeholder inside
/// (`T.latency.pNN`, `R.calls.T`) are left out.
fn documented_results(language_md: &str) -> std::collections::BTreeSet<String> {
    let table = language_md.split("## What the model computes").nth(1).unwrap_or_default();
    let table = table.split("\n## ").next().unwrap_or_default();
    let mut out = std::collections::BTreeSet::new();
    for row in table.lines().filter(|l| l.starts_with("| `")) {
        let first = row.split(" | ").next().unwrap_or_default();
        for name in first.split('`').skip(1).step_by(2) {
            let Some(suffix) = name.strip_prefix("R.").or_else(|| name.strip_prefix("T.")) else { continue };
            if suffix.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.') {
                out.insert(suffix.to_string());
            }
        }
    }
    out
}

#[test]
fn the_language_docs_list_every_result_metric_and_no_other() {
    let text = std::fs::read_to_string(root().join("docs/language.md")).unwrap();
    let documented = documented_results(&text);
    let results: std::collections::BTreeSet<String> =
        fermi::key::Metric::ALL.iter().filter(|m| m.is_result()).map(|m| m.as_str().to_string()).collect();
    let missing: Vec<&String> = results.difference(&documented).collect();
    let unknown: Vec<&String> = documented.difference(&results).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "docs/language.md's results table and src/key.rs's result metrics disagree:\n\
         results not documented: {missing:?}\ndocumented, not a result metric: {unknown:?}"
    );
}

#[test]
fn the_documented_results_are_read_from_the_tables_first_column() {
    let md = "## What the model computes\n\n| name | formula |\n|---|---|\n\
              | `R.daily` | `R.rate × 1 day` |\n| `T.shards` (databases) or `T.nodes.base` | `T.load` |\n\
              | `T.latency.pNN`, `R.calls.T` | x |\n| `traffic.daily` | sums |\n\n## Next\n\n| `T.other` | y |\n";
    let want: std::collections::BTreeSet<String> = ["daily", "shards", "nodes.base"].map(String::from).into();
    assert_eq!(documented_results(md), want);
}

/// The design-wide names (`"cost.monthly"`) a piece of code writes as whole string literals
/// under one of `owners`, before its test module and outside comments, as (line, name).
fn design_wide_literals<'a>(text: &'a str, owners: &[&str]) -> Vec<(usize, &'a str)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().take_while(|l| l.trim() != "#[cfg(test)]").enumerate() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        for (k, literal) in line.split('"').enumerate() {
            let Some((owner, rest)) = literal.split_once('.') else { continue };
            let name_like = !rest.is_empty()
                && rest.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
            if k % 2 == 1 && name_like && owners.contains(&owner) {
                out.push((n + 1, literal));
            }
        }
    }
    out
}

#[test]
fn design_wide_names_in_code_are_the_ones_the_key_module_lists() {
    // `plan.value("storage.totl")` would read nothing, silently: every design-wide literal is
    // one of `key::DESIGN_WIDE`, whose names the goldens show.
    let listed = fermi::key::DESIGN_WIDE;
    let mut owners: Vec<&str> = listed.iter().filter_map(|n| n.split('.').next()).collect();
    owners.dedup();
    let mut problems = Vec::new();
    for f in rust_files(&root().join("src")) {
        let r = rel(&f);
        let text = std::fs::read_to_string(&f).unwrap();
        for (line, name) in design_wide_literals(&text, &owners) {
            if !listed.contains(&name) {
                problems.push(format!("{r}:{line}: \"{name}\""));
            }
        }
    }
    assert!(problems.is_empty(), "design-wide names not in key::DESIGN_WIDE:\n{}", problems.join("\n"));
    // and the list holds no name the model never produces (bar the timeline's own input)
    let goldens: String = std::fs::read_dir(root().join("tests/suite/snapshots"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    let stale: Vec<&&str> =
        listed.iter().filter(|n| **n != "users.elapsed" && !goldens.contains(&format!("\"{n}\""))).collect();
    assert!(stale.is_empty(), "key::DESIGN_WIDE names no golden JSON shows: {stale:?}");
}

#[test]
fn the_design_wide_rule_reads_whole_literals_outside_tests() {
    let code = "let a = p.value(\"cost.monthly\");\nlet b = \"cost.monthly > +10%\";\n\
                // \"cost.typo\"\nlet c = (\"storage.totl\", \"x.y\", \"users.\");\n\
                #[cfg(test)]\nmod tests { const T: &str = \"users.dua\"; }\n";
    assert_eq!(
        design_wide_literals(code, &["cost", "storage", "users"]),
        vec![(1, "cost.monthly"), (4, "storage.totl")]
    );
}

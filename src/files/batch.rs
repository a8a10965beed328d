//! `fermi build`: every `*.fermi` under a folder → a design doc each (plus plot files) and an
//! `index.md` with headline numbers; `--check` compares instead of writing. Designs are
//! analysed in parallel; output order and bytes are deterministic.
//!
//! Architecture Invariant: files are written only through `write::under`, all or nothing, and
//! only after every design rendered — a failed build leaves the previous docs intact; output
//! paths are made from safe names, never from a design's path as written.

use crate::analysis::{Analysis, Options, analyze};
use crate::files::project;
use crate::files::write;
use crate::render::doc::Templates;
use crate::render::escape::{code_in_table, markdown as escape};
use crate::uncertainty::Settings;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One output file.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// Path relative to the output folder.
    pub path: PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// What happened to one design.
#[derive(Debug, Clone)]
pub struct DesignResult {
    /// The design file, as found.
    pub file: PathBuf,
    /// Its outputs, or the rendered error.
    pub outputs: Result<Vec<Output>, String>,
    /// Whether its checks held.
    pub passed: bool,
    /// Failed checks, as `file:line: text — message` lines.
    pub failures: Vec<String>,
    /// A row for the index: (doc link, design name, headline cells).
    pub index_row: Option<Vec<String>>,
}

/// The outcome of a build.
#[derive(Debug, Clone)]
pub struct Build {
    /// Per design, in path order.
    pub designs: Vec<DesignResult>,
    /// The index page.
    pub index: Output,
}

/// Every `*.fermi` below `dir`, sorted, each once (see [`project::walk`]).
pub fn find_designs(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    project::walk(dir, |p| p.extension().is_some_and(|x| x == "fermi"))
}

/// Where a design's doc goes, relative to the output folder: its path below the designs
/// folder without `.fermi`, each component made a safe name.
fn output_stem(file: &Path, root: &Path) -> PathBuf {
    let rel = file.strip_prefix(root).unwrap_or(file).with_extension("");
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(n) => Some(write::safe_name(&n.to_string_lossy())),
            _ => None,
        })
        .collect();
    if parts.is_empty() { PathBuf::from("design") } else { parts.iter().collect() }
}

fn render_one(file: &Path, root: &Path, templates: &Templates, digits: usize, sampling: Settings) -> DesignResult {
    let fail = |e: String| DesignResult {
        file: file.to_path_buf(),
        outputs: Err(e),
        passed: false,
        failures: vec![],
        index_row: None,
    };
    let source = match std::fs::read(file) {
        Ok(bytes) => match crate::syntax::decode(file.display().to_string(), bytes) {
            Ok(source) => source,
            Err((source, d)) => return fail(d.render(&source)),
        },
        Err(e) => return fail(format!("reading {}: {e}", file.display())),
    };
    let config = match project::load_for(file) {
        Ok(c) => c,
        Err(project::ConfigError::Io(p, e)) => return fail(format!("reading {}: {e}", p.display())),
        Err(project::ConfigError::Invalid(source, d)) => return fail(d.render(&source)),
    };
    let options = Options { doc_simulations: true, sampling, ..Options::default() };
    let a: Analysis = match analyze(source, &config, options) {
        Ok(a) => a,
        Err(f) => return fail(f.render()),
    };
    let rel = output_stem(file, root);
    let stem = rel.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let shown = project::shown_path(file, Some(root));
    let doc = match templates.render_as(&a, digits, Some(&stem), &shown) {
        Ok(d) => d,
        Err(e) => return fail(format!("{}: template error: {e}", file.display())),
    };
    let mut outputs = vec![Output { path: rel.with_extension("md"), bytes: doc.markdown.into_bytes() }];
    for p in doc.plots {
        outputs.push(Output { path: rel.join(&p.file), bytes: p.svg.into_bytes() });
    }
    let failures = a
        .findings
        .iter()
        .filter(|f| !f.passed)
        .map(|f| format!("{}:{}: {} — {}", file.display(), a.source.line_col(f.span.start).line, f.text, f.message))
        .collect();
    let link =
        format!("[{}]({})", escape(&a.design.name), rel.with_extension("md").display().to_string().replace('\\', "/"));
    let cell = |n: &str| escape(&a.view().show(n, digits));
    // "—" when nothing is priced; a bill that leaves tiers out says so, so it never reads
    // as complete.
    let unpriced = a
        .design
        .tiers
        .iter()
        .any(|t| t.price.is_none() && t.storage_price.is_none() && t.kind != crate::design::TierKind::Cdn);
    let cost = match a.plan.get("cost.monthly") {
        Some(_) if unpriced => format!("{} (partial)", cell("cost.monthly")),
        Some(_) => cell("cost.monthly"),
        None => "—".into(),
    };
    let row = vec![
        link,
        cell("traffic.peak_rps"),
        cell("bandwidth.egress_peak"),
        cell("storage.total"),
        escape(&crate::render::sections::total_nodes(&a)),
        cost,
        cell("availability.composite"),
        if a.passed() { "pass".into() } else { "FAIL".into() },
    ];
    DesignResult { file: file.to_path_buf(), outputs: Ok(outputs), passed: a.passed(), failures, index_row: Some(row) }
}

/// Renders every design under `dir` (in parallel) and the index. Writes nothing.
pub fn build(dir: &Path, templates: &Templates, digits: usize, sampling: Settings) -> std::io::Result<Build> {
    let files = find_designs(dir)?;
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<DesignResult>> = Mutex::new(Vec::with_capacity(files.len()));
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(files.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..workers {
            crate::threads::spawn(s, || {
                loop {
                    let k = next.fetch_add(1, Ordering::SeqCst);
                    let Some(file) = files.get(k) else { break };
                    let r = render_one(file, dir, templates, digits, sampling);
                    if let Ok(mut all) = results.lock() {
                        all.push(r);
                    }
                }
            });
        }
    });
    let mut designs = results.into_inner().unwrap_or_default();
    designs.sort_by(|a, b| a.file.cmp(&b.file));
    // Two designs whose safe names coincide (`a b.fermi`, `a-b.fermi`) would overwrite each
    // other's doc: both fail instead.
    let stems: Vec<PathBuf> = designs.iter().map(|d| output_stem(&d.file, dir)).collect();
    for k in 0..designs.len() {
        if let Some(j) = (0..designs.len()).find(|&j| j != k && stems[j] == stems[k]) {
            let (this, other) = (designs[k].file.display().to_string(), designs[j].file.display().to_string());
            let doc = stems[k].with_extension("md");
            designs[k].outputs =
                Err(format!("error: {this} and {other} would both write {}; rename one\n", doc.display()));
            designs[k].index_row = None;
        }
    }
    let mut index =
        String::from("# Design docs\n\nGenerated by fermi from the designs in this folder. Numbers are at peak.\n\n");
    index.push_str("| design | peak traffic | peak egress | storage | nodes | monthly cost | availability | checks |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for d in &designs {
        match &d.index_row {
            Some(row) => index.push_str(&format!("| {} |\n", row.join(" | "))),
            None => index.push_str(&format!(
                "| {} | invalid | | | | | | FAIL |\n",
                code_in_table(&d.file.display().to_string())
            )),
        }
    }
    Ok(Build { designs, index: Output { path: PathBuf::from("index.md"), bytes: index.into_bytes() } })
}

impl Build {
    /// Every output file, index last.
    pub fn outputs(&self) -> impl Iterator<Item = &Output> {
        self.designs.iter().filter_map(|d| d.outputs.as_ref().ok()).flatten().chain(std::iter::once(&self.index))
    }

    /// Writes every output under `out`, all or nothing (see [`write::under`]), skipping files
    /// whose bytes are already there (a rebuild touches only what changed, so tools that watch
    /// timestamps, and the disk, see only real changes). Returns (files written, files already
    /// up to date). Call only when no design failed.
    pub fn write(&self, out: &Path) -> std::io::Result<(usize, usize)> {
        let differing = self.differing(out);
        let files: Vec<(&Path, &[u8])> =
            differing.iter().map(|(o, _)| (o.path.as_path(), o.bytes.as_slice())).collect();
        write::under(out, &files)?;
        Ok((files.len(), self.outputs().count() - files.len()))
    }

    /// Output files under `out` that are missing or differ, as (path, "missing" | "stale").
    pub fn stale(&self, out: &Path) -> Vec<(PathBuf, &'static str)> {
        self.differing(out).into_iter().map(|(o, why)| (out.join(&o.path), why)).collect()
    }

    /// Outputs whose file under `out` is missing, holds other bytes or is reached through a
    /// link, with which.
    fn differing(&self, out: &Path) -> Vec<(&Output, &'static str)> {
        self.outputs()
            .filter_map(|o| {
                if write::holds(out, &o.path, &o.bytes) {
                    None
                } else if std::fs::symlink_metadata(out.join(&o.path)).is_ok() {
                    Some((o, "stale"))
                } else {
                    Some((o, "missing"))
                }
            })
            .collect()
    }
}

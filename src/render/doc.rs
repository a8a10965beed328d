//! The Markdown design doc: built-in Tera templates compiled into the binary, each
//! overridable by a user template of the same name (`--templates DIR`), rendered from the
//! view model in `docview`, with plots from `plot`.
//!
//! Architecture Invariant: templates see only the formatted view model; the same analysis and
//! templates always give the same bytes (no timestamps, stable order).

use super::docview::{self, PlotLink};
use super::plot::{self, Plot};
use super::tradeoffs::{self, KnowledgeBase};
use crate::analysis::Analysis;
use tera::{Context, Tera};

/// Built-in templates: (name, text). `doc.md` is the main one.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("doc.md", include_str!("../../templates/doc.md")),
    ("sections/table.md", include_str!("../../templates/sections/table.md")),
    ("sections/requirements.md", include_str!("../../templates/sections/requirements.md")),
    ("sections/estimates.md", include_str!("../../templates/sections/estimates.md")),
    ("sections/uncertainty.md", include_str!("../../templates/sections/uncertainty.md")),
    ("sections/api.md", include_str!("../../templates/sections/api.md")),
    ("sections/architecture.md", include_str!("../../templates/sections/architecture.md")),
    ("sections/flows.md", include_str!("../../templates/sections/flows.md")),
    ("sections/storage.md", include_str!("../../templates/sections/storage.md")),
    ("sections/cache.md", include_str!("../../templates/sections/cache.md")),
    ("sections/shards.md", include_str!("../../templates/sections/shards.md")),
    ("sections/availability.md", include_str!("../../templates/sections/availability.md")),
    ("sections/latency.md", include_str!("../../templates/sections/latency.md")),
    ("sections/tradeoffs.md", include_str!("../../templates/sections/tradeoffs.md")),
    ("sections/assumptions.md", include_str!("../../templates/sections/assumptions.md")),
    ("sections/checks.md", include_str!("../../templates/sections/checks.md")),
    ("sections/glance.md", include_str!("../../templates/sections/glance.md")),
    ("sections/resources.md", include_str!("../../templates/sections/resources.md")),
    ("sections/datamodel.md", include_str!("../../templates/sections/datamodel.md")),
    ("sections/cost.md", include_str!("../../templates/sections/cost.md")),
    ("sections/scenarios.md", include_str!("../../templates/sections/scenarios.md")),
    ("sections/risks.md", include_str!("../../templates/sections/risks.md")),
    ("tradeoffs.toml", tradeoffs::BUILT_IN),
];

/// Templates ready to render: the built-ins with any overrides applied.
pub struct Templates {
    tera: Tera,
    kb: KnowledgeBase,
}

/// A rendered doc and the plot files it links to.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    /// The Markdown.
    pub markdown: String,
    /// Plots to write beside it (empty when rendering to stdout).
    pub plots: Vec<Plot>,
}

impl Templates {
    /// The built-ins, with `overrides` (name, text) replacing templates of the same name.
    /// A name that matches no built-in is added (so overrides can include new partials).
    pub fn new(overrides: &[(String, String)]) -> Result<Self, String> {
        let mut all: Vec<(String, String)> = BUILT_IN.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        for (name, text) in overrides {
            match all.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => slot.1 = text.clone(),
                None => all.push((name.clone(), text.clone())),
            }
        }
        let kb_text =
            all.iter().find(|(n, _)| n == "tradeoffs.toml").map_or(tradeoffs::BUILT_IN.to_string(), |(_, t)| t.clone());
        let kb = KnowledgeBase::parse(&kb_text)?;
        let mut tera = Tera::new();
        tera.autoescape_on(Vec::<&str>::new());
        let templates: Vec<(String, String)> = all.into_iter().filter(|(n, _)| n.ends_with(".md")).collect();
        tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| format!("{e:#}"))?;
        Ok(Templates { tera, kb })
    }

    /// Renders the doc. With `plot_dir` (the folder name beside the doc, e.g. the design's
    /// stem), plots are made and linked; without it, the doc stands alone.
    /// The design file is named as [`crate::files::project::shown_path`] names it from the project
    /// root, so the bytes do not depend on the working folder or the path's spelling.
    pub fn render(&self, a: &Analysis, digits: usize, plot_dir: Option<&str>) -> Result<Doc, String> {
        let shown = crate::files::project::shown_path(std::path::Path::new(a.source.path()), None);
        self.render_as(a, digits, plot_dir, &shown)
    }

    /// [`Templates::render`] with the design file named `shown` (a build names it from the
    /// build root).
    pub fn render_as(&self, a: &Analysis, digits: usize, plot_dir: Option<&str>, shown: &str) -> Result<Doc, String> {
        let plots = match plot_dir {
            Some(_) => plot::all(a),
            None => Vec::new(),
        };
        let links: Vec<PlotLink> = plots
            .iter()
            .map(|p| PlotLink { path: format!("{}/{}", plot_dir.unwrap_or(""), p.file), title: p.title.clone() })
            .collect();
        let view = docview::build(a, digits, &links, &self.kb, shown);
        let context = Context::from_serialize(&view).map_err(|e| format!("{e:#}"))?;
        let markdown = self.tera.render("doc.md", &context).map_err(|e| format!("{e:#}"))?;
        Ok(Doc { markdown: tidy(&markdown), plots })
    }
}

/// Collapses runs of blank lines left by template control flow, and ends with one newline.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    let mut in_code = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        }
        if line.trim().is_empty() && !in_code {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let trimmed = out.trim_end();
    format!("{trimmed}\n")
}

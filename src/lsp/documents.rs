//! The open documents: each one's text (as a `SourceFile`), its syntax tree when it parses,
//! and its analysis or the diagnostics that stopped it, redone on every change.
//!
//! Architecture Invariant: a document is analysed by `analysis::analyze` with the project
//! settings `fermi estimate` would load for the same file; nothing here interprets a design.

use super::position::{Encoding, Lines};
use crate::analysis::{Analysis, Failure, Options, analyze};
use crate::design::profile::ProjectConfig;
use crate::files::project::ConfigError;
use crate::source::SourceFile;
use crate::syntax::ast;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What the last analysis of a document gave.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// The plan and its findings.
    Analysed(Box<Analysis>),
    /// Diagnostics in the document or in a file it depends on (its `fermi.toml`).
    Failed(Box<Failure>),
    /// A file it depends on could not be read.
    Unreadable(String),
}

/// One open document.
#[derive(Debug)]
pub(crate) struct Document {
    /// The client's version of the text.
    pub(crate) version: i32,
    /// The text, named by the file's path (or the URI when it is not a file).
    pub(crate) source: SourceFile,
    /// Where each line starts.
    pub(crate) lines: Lines,
    /// The syntax tree, when the text parses.
    pub(crate) ast: Option<ast::File>,
    /// The analysis.
    pub(crate) outcome: Outcome,
    /// Names seen in the last text that parsed and in the last plan, for completion while the
    /// current text does not parse.
    pub(crate) known: Vec<String>,
}

impl Document {
    /// The analysis, when the design is valid.
    pub(crate) fn analysis(&self) -> Option<&Analysis> {
        match &self.outcome {
            Outcome::Analysed(a) => Some(a),
            _ => None,
        }
    }

    /// The text.
    pub(crate) fn text(&self) -> &str {
        self.source.text()
    }
}

/// The open documents by URI.
#[derive(Debug, Default)]
pub(crate) struct Store {
    docs: BTreeMap<String, Document>,
    pub(crate) encoding: Encoding,
}

/// The local path a `file:` URI names (percent-escapes decoded), if it is one.
pub(crate) fn file_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let path = rest.get(rest.find('/')?..)?;
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |k: usize| bytes.get(k).and_then(|b| (*b as char).to_digit(16));
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok().map(PathBuf::from)
}

impl Store {
    /// An empty store counting columns in `encoding`.
    pub(crate) fn new(encoding: Encoding) -> Self {
        Store { docs: BTreeMap::new(), encoding }
    }

    pub(crate) fn get(&self, uri: &str) -> Option<&Document> {
        self.docs.get(uri)
    }

    pub(crate) fn close(&mut self, uri: &str) {
        self.docs.remove(uri);
    }

    /// Opens or replaces a document's text and analyses it.
    pub(crate) fn set(&mut self, uri: &str, version: i32, text: String) -> &Document {
        let path = file_path(uri);
        let name = path.as_ref().map_or_else(|| uri.to_string(), |p| p.display().to_string());
        let source = SourceFile::new(name, text);
        let lines = Lines::new(source.text(), self.encoding);
        let ast = crate::syntax::parse(&source).ok();
        let outcome = run(&source, path);
        let mut known = self.docs.get(uri).map(|d| d.known.clone()).unwrap_or_default();
        if let Some(file) = &ast {
            known = super::symbols::Symbols::of(file).decls.into_iter().map(|d| d.name).collect();
        }
        if let Outcome::Analysed(a) = &outcome {
            known.extend(a.plan.names().map(str::to_string));
        }
        known.sort();
        known.dedup();
        let doc = Document { version, source, lines, ast, outcome, known };
        self.docs.insert(uri.to_string(), doc);
        &self.docs[uri]
    }

    /// Applies one change: a whole new text, or a range replaced (positions in the client's
    /// encoding). `None` when the range lies outside the document.
    pub(crate) fn edit(&self, uri: &str, change: &lsp_types::TextDocumentContentChangeEvent) -> Option<String> {
        let doc = self.docs.get(uri)?;
        let Some(range) = change.range else { return Some(change.text.clone()) };
        let text = doc.text();
        let start = doc.lines.offset(text, range.start)?;
        let end = doc.lines.offset(text, range.end)?.max(start);
        Some(format!("{}{}{}", &text[..start], change.text, &text[end..]))
    }
}

/// Loads the project settings for the file and analyses the text, as `fermi estimate` does.
fn run(source: &SourceFile, path: Option<PathBuf>) -> Outcome {
    let config = match path {
        Some(p) => match crate::files::project::load_for(&p) {
            Ok(c) => c,
            Err(ConfigError::Io(p, e)) => return Outcome::Unreadable(format!("reading {}: {e}", p.display())),
            Err(ConfigError::Invalid(source, diagnostics)) => {
                return Outcome::Failed(Box::new(Failure { source, diagnostics }));
            }
        },
        None => ProjectConfig::built_in(),
    };
    match analyze(source.clone(), &config, Options::default()) {
        Ok(a) => Outcome::Analysed(Box::new(a)),
        Err(f) => Outcome::Failed(f),
    }
}

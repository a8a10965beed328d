//! Writing to stdout and stderr: stdout through a locked handle that treats a closed pipe
//! (`fermi estimate … | head`) as success; errors and diagnostics to stderr.
//!
//! Architecture Invariant: the only place the binary prints.

use fermi::analysis::{Analysis, Failure, Options, analyze};
use fermi::project::{self, ConfigError};
use std::io::Write;
use std::path::Path;

/// An error whose text is already rendered (diagnostics with carets).
#[derive(Debug)]
pub(crate) struct Rendered(pub(crate) String);

impl std::fmt::Display for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.trim_end())
    }
}

impl std::error::Error for Rendered {}

/// Writes text to stdout; a closed pipe is not an error.
pub(crate) fn out(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|_| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Prints an error to stderr.
pub(crate) fn error(e: &anyhow::Error) {
    let text = match e.downcast_ref::<Rendered>() {
        Some(r) => format!("{r}\n"),
        None => format!("error: {e:#}\n"),
    };
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Turns a library failure into a rendered error.
pub(crate) fn failure(f: &Failure) -> anyhow::Error {
    Rendered(f.render()).into()
}

/// Reads a design, finds its project settings and analyses it.
pub(crate) fn analyze_file(path: &Path, options: Options) -> anyhow::Result<Analysis> {
    let bytes = std::fs::read(path).map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
    let source = fermi::syntax::decode(path.display().to_string(), bytes)
        .map_err(|(source, d)| anyhow::Error::from(Rendered(d.render(&source))))?;
    let config = match project::load_for(path) {
        Ok(c) => c,
        Err(ConfigError::Io(p, e)) => anyhow::bail!("reading {}: {e}", p.display()),
        Err(ConfigError::Invalid(source, d)) => return Err(Rendered(d.render(&source)).into()),
    };
    analyze(source, &config, options).map_err(|f| failure(&f))
}

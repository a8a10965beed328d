//! Writing to stdout and stderr: stdout through a locked handle that treats a closed pipe
//! (`fermi estimate … | head`) as success; errors and diagnostics to stderr.
//!
//! Whether diagnostics are coloured is decided here, once per run.
//!
//! Architecture Invariant: results go to stdout only through [`out`], and errors end here;
//! the few other writes are to stderr alone (clap's usage errors, build's progress lines,
//! grade's wrong-design warning, sim's progress bar, the language server's fatal error).

use super::ColorWhen;
use fermi::analysis::{Analysis, Failure, Options, analyze};
use fermi::files::project::{self, ConfigError};
use std::io::{IsTerminal, Write};
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

/// Whether diagnostics get colour: `always` and `never` as said; `auto` when stderr is a
/// terminal, `NO_COLOR` is unset or empty (no-color.org) and `TERM` is not `dumb`.
/// The width tables fit: the terminal's when stdout is one, 100 columns when it is piped (so
/// files and CI logs read at a review width), none with `--wide`.
pub(crate) fn table_width(wide: bool) -> Option<usize> {
    use std::io::IsTerminal;
    if wide {
        return None;
    }
    let stdout = std::io::stdout();
    if stdout.is_terminal()
        && let Ok(size) = rustix::termios::tcgetwinsize(&stdout)
        && size.ws_col >= 40
    {
        return Some(usize::from(size.ws_col));
    }
    Some(PIPED_WIDTH)
}

/// The width of tables written to a pipe or a file.
pub(crate) const PIPED_WIDTH: usize = 100;

pub(crate) fn use_color(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
            std::io::stderr().is_terminal() && !no_color && !dumb
        }
    }
}

/// Prints a progress note to stderr.
pub(crate) fn note(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Prints an error to stderr.
pub(crate) fn error(e: &anyhow::Error) {
    let text = match e.downcast_ref::<Rendered>() {
        Some(r) => match r.0.strip_prefix("error: ") {
            Some(rest) => format!("{}: {}\n", fermi::diagnostic::error_label("error"), rest.trim_end()),
            None => format!("{r}\n"),
        },
        None => format!("{}: {e:#}\n", fermi::diagnostic::error_label("error")),
    };
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Turns a library failure into a rendered error.
pub(crate) fn failure(f: &Failure) -> anyhow::Error {
    Rendered(f.render()).into()
}

/// Reads a design, finds its project settings and analyses it.
/// `-` is standard input: diagnostics then name `<stdin>`, and settings come from the
/// `fermi.toml` at or above the current folder.
pub(crate) fn analyze_file(path: &Path, options: Options) -> anyhow::Result<Analysis> {
    let stdin = path.as_os_str() == "-";
    let name = if stdin { "<stdin>".to_string() } else { path.display().to_string() };
    let bytes = if stdin {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
            .map_err(|e| anyhow::anyhow!("reading <stdin>: {e}"))?;
        bytes
    } else {
        std::fs::read(path).map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?
    };
    let source =
        fermi::syntax::decode(name, bytes).map_err(|(source, d)| anyhow::Error::from(Rendered(d.render(&source))))?;
    let config = match project::load_for(path) {
        Ok(c) => c,
        Err(ConfigError::Io(p, e)) => anyhow::bail!("reading {}: {e}", p.display()),
        Err(ConfigError::Invalid(source, d)) => return Err(Rendered(d.render(&source)).into()),
    };
    analyze(source, &config, options).map_err(|f| failure(&f))
}

//! Project files on disk: finds `fermi.toml` by walking up from a design file and parses it
//! (built-in profiles only when there is none), and walks folders of designs and templates
//! ([`walk`]: links followed, each folder once).
//!
//! Architecture Invariant: the only module that looks for configuration files or walks an
//! input folder.

use crate::design::profile::ProjectConfig;
use crate::diagnostic::Diagnostics;
use crate::source::SourceFile;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The file name searched for.
pub const CONFIG_FILE: &str = "fermi.toml";

/// The nearest `fermi.toml` at or above the folder holding `design`. Paths stay relative as
/// long as the design's path is (so output does not depend on where the checkout lives); above
/// the current folder the search continues with absolute paths.
pub fn find_config(design: &Path) -> Option<PathBuf> {
    let parent = design.parent().map(Path::to_path_buf).unwrap_or_default();
    let relative = parent.ancestors().filter(|d| !d.as_os_str().is_empty()).map(|d| d.join(CONFIG_FILE));
    let here = std::iter::once(PathBuf::from(CONFIG_FILE));
    let base = if parent.is_absolute() { parent.clone() } else { std::env::current_dir().ok()?.join(&parent) };
    let above = base.ancestors().skip(1).map(|d| d.join(CONFIG_FILE)).collect::<Vec<_>>();
    let candidates: Vec<PathBuf> = if parent.is_absolute() {
        parent.ancestors().map(|d| d.join(CONFIG_FILE)).collect()
    } else {
        relative.chain(here).chain(above).collect()
    };
    candidates.into_iter().find(|p| p.is_file())
}

/// How a doc names its design file, whatever the working folder or the path's spelling
/// (`designs/chat.fermi`, `./designs/chat.fermi`, `/home/x/repo/designs/chat.fermi` alike):
/// relative to `root` with the root folder's own name first when a build root is given, else
/// relative to the project root (the nearest folder above the file holding `fermi.toml` or a
/// `.git`), else the file's folder name and its name. Separators are `/`. A path that cannot
/// be resolved (the file is gone) is shown as given.
pub fn shown_path(file: &Path, root: Option<&Path>) -> String {
    let slash = |p: &Path| {
        p.components()
            .filter_map(|c| match c {
                std::path::Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("/")
    };
    let Ok(full) = std::fs::canonicalize(file) else { return slash(file) };
    if let Some(root) = root.and_then(|r| std::fs::canonicalize(r).ok())
        && let Ok(rel) = full.strip_prefix(&root)
    {
        let name = root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        return if name.is_empty() { slash(rel) } else { format!("{name}/{}", slash(rel)) };
    }
    let parent = full.parent().unwrap_or(Path::new(""));
    if let Some(project) = parent.ancestors().find(|d| d.join(CONFIG_FILE).is_file() || d.join(".git").exists())
        && let Ok(rel) = full.strip_prefix(project)
    {
        return slash(rel);
    }
    let tail: Vec<&std::ffi::OsStr> = full.iter().collect();
    slash(&tail[tail.len().saturating_sub(2)..].iter().collect::<PathBuf>())
}

/// Why settings could not be loaded.
#[derive(Debug)]
pub enum ConfigError {
    /// The file could not be read.
    Io(PathBuf, std::io::Error),
    /// The file is invalid; diagnostics point into it.
    Invalid(SourceFile, Diagnostics),
}

/// Loads the settings for a design file: its nearest `fermi.toml`, or the built-ins.
pub fn load_for(design: &Path) -> Result<ProjectConfig, ConfigError> {
    match find_config(design) {
        Some(path) => load(&path),
        None => Ok(ProjectConfig::built_in()),
    }
}

/// Loads one `fermi.toml`.
pub fn load(path: &Path) -> Result<ProjectConfig, ConfigError> {
    let bytes = std::fs::read(path).map_err(|e| ConfigError::Io(path.to_path_buf(), e))?;
    let source = crate::syntax::decode(path.display().to_string(), bytes)
        .map_err(|(source, d)| ConfigError::Invalid(source, d))?;
    ProjectConfig::parse(&source).map_err(|d| ConfigError::Invalid(source, d))
}

/// Every file below `dir` that `keep` accepts, sorted by path. Symbolic links are followed,
/// but each folder is entered once (by its canonical path), so a link loop ends, and a file
/// reached by two paths is listed once (under the first path in sorted order). A link that
/// points nowhere is skipped.
pub fn walk(dir: &Path, keep: impl Fn(&Path) -> bool) -> std::io::Result<Vec<PathBuf>> {
    let mut seen_dirs = BTreeSet::new();
    seen_dirs.insert(std::fs::canonicalize(dir)?);
    let mut found: Vec<PathBuf> = Vec::new();
    descend(dir, &keep, &mut seen_dirs, &mut found)?;
    found.sort();
    let mut seen_files = BTreeSet::new();
    found.retain(|f| seen_files.insert(std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())));
    Ok(found)
}

/// Depth-first, in sorted order, so which path of a twice-reachable folder is used does not
/// depend on the order the file system lists entries in.
fn descend(
    dir: &Path,
    keep: &impl Fn(&Path) -> bool,
    seen: &mut BTreeSet<PathBuf>,
    found: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<std::io::Result<_>>()?;
    entries.sort();
    for path in entries {
        // `metadata` follows links; a dangling one has none.
        let Ok(meta) = std::fs::metadata(&path) else { continue };
        if meta.is_dir() {
            let canonical = std::fs::canonicalize(&path)?;
            if seen.insert(canonical) {
                descend(&path, keep, seen, found)?;
            }
        } else if keep(&path) {
            found.push(path);
        }
    }
    Ok(())
}

/// Reads every file under a template folder as (name relative to the folder, text), sorted,
/// for overriding built-in templates of the same name.
pub fn read_templates(dir: &Path) -> std::io::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for path in walk(dir, |_| true)? {
        if let Ok(rel) = path.strip_prefix(dir) {
            let name = rel.to_string_lossy().replace('\\', "/");
            out.push((name, std::fs::read_to_string(&path)?));
        }
    }
    Ok(out)
}

//! Atomic file writes. One file ([`atomic`]): written to a temporary file beside it, flushed,
//! then renamed over it. A set of files in an output folder ([`under`]), on Linux: the whole
//! new folder is staged beside it (`.NAME.fermi-stage.PID`: the folder's current entries as
//! hard links, then this run's files written over them), flushed with one `syncfs`, and
//! swapped in with one `renameat2(RENAME_EXCHANGE)` (a new folder: one rename). Before the
//! swap the folder is the previous one, after it the new one; a failure or a kill at any step
//! leaves the previous folder as it was, and the next write removes the staging folders of
//! fermis no longer running. The rule for files fermi did not write: they stay (the new
//! folder is the old one with this run's files added or replaced; hand-written notes and
//! docs of designs since removed are kept, as the same files).
//!
//! Where a folder cannot be swapped (not on Linux, a file system without the exchange, the
//! working folder or a folder holding it, a mount point below it, more than 20,000 entries,
//! no hard links) the files are written in place: every file is staged as a temporary first
//! and all reach the disk; only then is each renamed over its target, the previous version
//! kept aside as a hard link; if any rename fails, every target already replaced gets its
//! previous version back, so the folder holds the old set or the new set, never half of each.
//! That rename phase is journalled (`.fermi-journal.PID.journal`, flushed with the staged
//! files): a fermi killed mid-phase leaves the journal, and the next write to the folder first
//! rolls that phase back. Folders created for a failed write are removed again.
//!
//! Paths inside the output folder are confined: relative, without `..`, and never written
//! through a symbolic link (a link in the way is replaced, not followed). Temporaries left by
//! an earlier fermi that was killed (`.NAME.PID.tmp`, `.NAME.PID.old`, with a PID no longer
//! running) are removed from the output folder before writing.
//!
//! Architecture Invariant: every file fermi writes goes through [`atomic`] or [`under`].

use std::fs::File;
use std::io::{Error, ErrorKind, Write};
use std::path::{Component, Path, PathBuf};

/// An error that names the path it is about: `writing out/x.md: Not a directory (os error 20)`.
fn at(path: &Path, e: Error) -> Error {
    Error::new(e.kind(), format!("writing {}: {e}", path.display()))
}

/// Writes `bytes` to `path` atomically. The folder holding `path` must exist: no folder is
/// created outside one the caller asked for. Errors do not repeat the path (the caller names
/// the file it was asked to write).
pub fn atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(Error::new(ErrorKind::NotFound, format!("folder {} does not exist", dir.display())));
    }
    let name = path.file_name().ok_or_else(|| Error::new(ErrorKind::InvalidInput, "not a file name"))?;
    let tmp = dir.join(temporary_name(&name.to_string_lossy(), "tmp"));
    let result = stage_file(&tmp, bytes).and_then(|f| {
        flush([&f].into_iter())?;
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
            return Err(Error::new(ErrorKind::AlreadyExists, "a folder is in the way"));
        }
        std::fs::rename(&tmp, path)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A file name for a temporary beside `name`: `.NAME.PID.tmp` or `.NAME.PID.old`.
fn temporary_name(name: &str, kind: &str) -> String {
    format!(".{name}.{}.{kind}", std::process::id())
}

/// Whether `name` is a temporary of fermi's own pattern left by another, no longer running,
/// process.
fn stale_temporary(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.') else { return false };
    let Some(rest) = rest.strip_suffix(".tmp").or_else(|| rest.strip_suffix(".old")) else { return false };
    let Some((file, pid)) = rest.rsplit_once('.') else { return false };
    let Ok(pid) = pid.parse::<u32>() else { return false };
    !file.is_empty() && pid != std::process::id() && !running(pid)
}

/// Whether a process with this id runs (on Linux; elsewhere assumed not).
fn running(pid: u32) -> bool {
    cfg!(target_os = "linux") && Path::new("/proc").join(pid.to_string()).exists()
}

/// The journal of a rename phase in `root`: `.fermi-journal.PID.journal`, one line per target
/// in rename order, `+REL` for a target that existed (its previous version kept as
/// `.NAME.PID.old`) or `-REL` for a new one. Written and flushed before the first rename,
/// removed after the last: a journal left behind means that process died mid-phase.
fn journal_path(root: &Path) -> PathBuf {
    root.join(format!(".fermi-journal.{}.journal", std::process::id()))
}

/// Rolls back every rename phase that a killed fermi left half done in `root`: each target it
/// had replaced gets its previous version back, each it had created is removed, so the folder
/// holds the set from before that run again. Then the journal goes; the temporaries follow in
/// [`remove_stale`].
fn recover(root: &Path) {
    let Ok(entries) = std::fs::read_dir(root) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(".fermi-journal.").and_then(|r| r.strip_suffix(".journal")) else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        if pid == std::process::id() || running(pid) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
        for line in text.lines() {
            let (existed, rel) = match line.split_at_checked(1) {
                Some(("+", rel)) => (true, rel),
                Some(("-", rel)) => (false, rel),
                _ => continue,
            };
            if confined(Path::new(rel)).is_err() {
                continue;
            }
            let target = root.join(rel);
            if existed {
                let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let old = target.with_file_name(format!(".{name}.{pid}.old"));
                // No `.old` yet: that target was not reached, and still holds its previous bytes.
                if old.exists() {
                    let _ = std::fs::rename(&old, &target);
                }
            } else {
                let _ = std::fs::remove_file(&target);
            }
        }
        let _ = std::fs::remove_file(entry.path());
    }
}

/// A test hook: with `FERMI_TEST_KILL_AFTER_RENAMES=N`, the process aborts (as kill -9 would
/// stop it) after N renames of a folder write, to test recovery.
fn killed_after(renames: usize) -> bool {
    std::env::var("FERMI_TEST_KILL_AFTER_RENAMES").ok().and_then(|v| v.parse::<usize>().ok()) == Some(renames)
}

/// Removes stale temporaries anywhere below `root` (links are not followed).
fn remove_stale(root: &Path) {
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                stack.push(entry.path());
            } else if stale_temporary(&entry.file_name().to_string_lossy()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// A name taken from a file or a design, made safe as one path component: ASCII letters,
/// digits, `-`, `_` and inner dots kept, anything else (separators, spaces, `..`, control
/// characters) a `-`; never empty, never starting with a dot.
pub fn safe_name(name: &str) -> String {
    let mapped: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '-' }).collect();
    let trimmed = mapped.trim_start_matches('.').trim_end_matches('.');
    if trimmed.is_empty() { "design".to_string() } else { trimmed.to_string() }
}

/// Checks that `rel` stays inside the folder it is joined to: relative, plain names only.
pub fn confined(rel: &Path) -> std::io::Result<()> {
    let plain = rel.components().all(|c| matches!(c, Component::Normal(_)));
    if plain && rel.components().next().is_some() {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::InvalidInput,
            format!("{} is not a plain path inside the output folder", rel.display()),
        ))
    }
}

/// Whether `root/rel` is a regular file (reached through no symbolic link below `root`) that
/// holds exactly `bytes`.
pub fn holds(root: &Path, rel: &Path, bytes: &[u8]) -> bool {
    if confined(rel).is_err() {
        return false;
    }
    let mut path = root.to_path_buf();
    for c in rel.components() {
        path.push(c);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if !m.file_type().is_symlink() => {}
            _ => return false,
        }
    }
    std::fs::read(&path).is_ok_and(|existing| existing == bytes)
}

/// What a write under a folder did so far, to undo it.
#[derive(Default)]
struct Staged {
    /// Folders created, outermost first.
    created: Vec<PathBuf>,
    /// Temporaries written and not yet renamed.
    temporaries: Vec<PathBuf>,
    /// Targets replaced: (target, its previous version kept aside, if it had one).
    replaced: Vec<(PathBuf, Option<PathBuf>)>,
}

impl Staged {
    /// Puts every replaced target back, removes temporaries and created folders.
    fn undo(&mut self) {
        for (target, previous) in self.replaced.drain(..).rev() {
            match previous {
                Some(old) => {
                    let _ = std::fs::rename(&old, &target);
                }
                None => {
                    let _ = std::fs::remove_file(&target);
                }
            }
        }
        for tmp in self.temporaries.drain(..) {
            let _ = std::fs::remove_file(tmp);
        }
        for dir in self.created.drain(..).rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Creates `dir` and its missing parents, recording which it created. A symbolic link where
/// a folder belongs below `root` is replaced by a real folder.
fn make_dirs(root: &Path, dir: &Path, staged: &mut Staged) -> std::io::Result<()> {
    let mut missing = Vec::new();
    let mut d = dir;
    loop {
        let inside = d != root && d.starts_with(root);
        // Below the output folder links are not followed; the folder itself and its
        // ancestors are the caller's and may be reached through links.
        let meta = if inside { std::fs::symlink_metadata(d) } else { std::fs::metadata(d) };
        match meta {
            Ok(m) if m.is_dir() => break,
            Ok(m) if inside && m.file_type().is_symlink() => {
                std::fs::remove_file(d).map_err(|e| at(d, e))?;
                missing.push(d.to_path_buf());
            }
            Ok(_) => {
                return Err(Error::new(
                    ErrorKind::AlreadyExists,
                    format!("writing {}: a file is in the way of this folder", d.display()),
                ));
            }
            Err(e) if e.kind() == ErrorKind::NotFound => missing.push(d.to_path_buf()),
            Err(e) => return Err(at(d, e)),
        }
        match d.parent() {
            Some(p) if !p.as_os_str().is_empty() => d = p,
            _ => break,
        }
    }
    for d in missing.into_iter().rev() {
        std::fs::create_dir(&d).map_err(|e| at(&d, e))?;
        staged.created.push(d);
    }
    Ok(())
}

/// Writes a temporary file (which must not exist as a link: it is created anew).
fn stage_file(tmp: &Path, bytes: &[u8]) -> std::io::Result<File> {
    let _ = std::fs::remove_file(tmp);
    let mut f = File::options().write(true).create_new(true).open(tmp)?;
    f.write_all(bytes)?;
    Ok(f)
}

/// Writes each (path relative to `root`, bytes) under `root`, all or nothing (see the module
/// doc). `root` is created if missing; paths must be [`confined`].
pub fn under(root: &Path, files: &[(&Path, &[u8])]) -> std::io::Result<()> {
    for (rel, _) in files {
        confined(rel).map_err(|e| at(&root.join(rel), e))?;
    }
    #[cfg(target_os = "linux")]
    if std::env::var_os("FERMI_TEST_IN_PLACE").is_none()
        && let Some(result) = swap::under(root, files)
    {
        return result;
    }
    in_place(root, files)
}

/// [`under`] by renaming each file over its target, journalled (where a folder swap cannot be
/// made).
fn in_place(root: &Path, files: &[(&Path, &[u8])]) -> std::io::Result<()> {
    let mut staged = Staged::default();
    let result = write_under(root, files, &mut staged);
    if result.is_err() {
        // Undone here and now (the journal first, so a folder created for it can go too).
        let _ = std::fs::remove_file(journal_path(root));
        staged.undo();
    } else {
        // The commit point: with the journal gone, the new set stands.
        let _ = std::fs::remove_file(journal_path(root));
        for (_, previous) in staged.replaced.drain(..) {
            if let Some(old) = previous {
                let _ = std::fs::remove_file(old);
            }
        }
    }
    result
}

fn write_under(root: &Path, files: &[(&Path, &[u8])], staged: &mut Staged) -> std::io::Result<()> {
    make_dirs(root, root, staged)?;
    recover(root);
    remove_stale(root);
    let mut handles = Vec::with_capacity(files.len());
    let mut pairs = Vec::with_capacity(files.len());
    for &(rel, bytes) in files {
        let target = root.join(rel);
        let dir = target.parent().unwrap_or(root).to_path_buf();
        make_dirs(root, &dir, staged)?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = dir.join(temporary_name(&name, "tmp"));
        let f = stage_file(&tmp, bytes).map_err(|e| at(&target, e))?;
        staged.temporaries.push(tmp.clone());
        handles.push(f);
        pairs.push((tmp, target, dir.join(temporary_name(&name, "old"))));
    }
    let mut journal = String::new();
    for (&(rel, _), (_, target, _)) in files.iter().zip(&pairs) {
        let existed = std::fs::symlink_metadata(target).is_ok_and(|m| !m.is_dir());
        journal.push_str(&format!("{}{}\n", if existed { '+' } else { '-' }, rel.display()));
    }
    let journal_file = stage_file(&journal_path(root), journal.as_bytes()).map_err(|e| at(root, e))?;
    handles.push(journal_file);
    flush(handles.iter()).map_err(|e| at(root, e))?;
    for (k, (tmp, target, old)) in pairs.into_iter().enumerate() {
        if killed_after(k) {
            std::process::abort();
        }
        let previous = match std::fs::symlink_metadata(&target) {
            Ok(m) if m.is_dir() => {
                return Err(Error::new(
                    ErrorKind::AlreadyExists,
                    format!("writing {}: a folder is in the way", target.display()),
                ));
            }
            Ok(_) => {
                let _ = std::fs::remove_file(&old);
                // Keep the previous version: a hard link where the file system has them.
                std::fs::hard_link(&target, &old)
                    .or_else(|_| std::fs::copy(&target, &old).map(|_| ()))
                    .map_err(|e| at(&target, e))?;
                Some(old)
            }
            Err(_) => None,
        };
        if let Err(e) = std::fs::rename(&tmp, &target) {
            if let Some(old) = previous {
                let _ = std::fs::remove_file(old);
            }
            return Err(at(&target, e));
        }
        staged.temporaries.retain(|t| t != &tmp);
        staged.replaced.push((target, previous));
    }
    Ok(())
}

/// A whole output folder staged beside itself and swapped in with one rename (Linux's
/// `renameat2(RENAME_EXCHANGE)`), so no moment, kill or failure shows a half-updated folder.
#[cfg(target_os = "linux")]
mod swap {
    use super::{Staged, confined, flush, make_dirs, recover, remove_stale, running, stale_temporary};
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use std::fs::File;
    use std::io::{Error, ErrorKind, Write};
    use std::os::unix::fs::MetadataExt;
    use std::path::Path;

    /// Folders with more entries than this are updated in place: mirroring them would cost
    /// more than the build (an output folder of fermi's holds tens to hundreds).
    const MAX_ENTRIES: usize = 20_000;

    /// The test hook: `FERMI_TEST_KILL_AT=STEP` aborts (as kill -9 would stop the process) at
    /// `staging` (half the files staged), `staged` (all staged and flushed, before the swap)
    /// or `swapped` (after the swap, before the old folder is removed).
    fn killed_at(step: &str) {
        if std::env::var("FERMI_TEST_KILL_AT").is_ok_and(|v| v == step) {
            std::process::abort();
        }
    }

    /// `.NAME.fermi-stage.PID`: the staging folder beside output folder `NAME` (after the
    /// swap it holds the previous folder until that is removed).
    fn staging_name(name: &str, pid: u32) -> String {
        format!(".{name}.fermi-stage.{pid}")
    }

    /// Whether `entry` (a name in the folder holding output folder `name`) is a staging
    /// folder of a fermi that is no longer running.
    fn stale_staging(entry: &str, name: &str) -> bool {
        let Some(pid) = entry.strip_prefix(&format!(".{name}.fermi-stage.")) else { return false };
        pid.parse::<u32>().is_ok_and(|pid| pid != std::process::id() && !running(pid))
    }

    /// Whether `name` below an output folder is fermi's own leftover: a stale temporary, a
    /// journal or a staging folder of a fermi no longer running.
    fn leftover(name: &str) -> bool {
        if stale_temporary(name) {
            return true;
        }
        let pid = name
            .strip_prefix(".fermi-journal.")
            .and_then(|r| r.strip_suffix(".journal"))
            .or_else(|| name.rsplit_once(".fermi-stage.").map(|(_, pid)| pid).filter(|_| name.starts_with('.')));
        pid.and_then(|p| p.parse::<u32>().ok()).is_some_and(|pid| pid != std::process::id() && !running(pid))
    }

    /// Writes `files` under `root` by staging the whole new folder beside it and swapping it
    /// in; `None` when this folder cannot be swapped (not a plain folder of its own, the
    /// working folder or inside it, too many entries, another file system below it, no hard
    /// links, a file system without the exchange): the caller then writes in place.
    pub(super) fn under(root: &Path, files: &[(&Path, &[u8])]) -> Option<std::io::Result<()>> {
        let meta = std::fs::metadata(root);
        let exists = match &meta {
            Ok(m) if m.is_dir() => true,
            Ok(_) => return None,
            Err(e) if e.kind() == ErrorKind::NotFound => false,
            Err(_) => return None,
        };
        let mut staged = Staged::default();
        let target = if exists {
            root.canonicalize().ok()?
        } else {
            // The folders above a new output folder are made as the in-place write makes them.
            let parent = match root.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            if let Err(e) = make_dirs(root, parent, &mut staged) {
                staged.undo();
                return Some(Err(e));
            }
            parent.canonicalize().ok()?.join(root.file_name()?)
        };
        let (parent, name) = (target.parent()?.to_path_buf(), target.file_name()?.to_string_lossy().into_owned());
        let cwd = std::env::current_dir().ok().and_then(|d| d.canonicalize().ok());
        if cwd.is_some_and(|d| d.starts_with(&target)) {
            staged.undo();
            return None;
        }
        if exists {
            // Leftovers of an earlier in-place write are settled before the folder is copied.
            recover(&target);
            remove_stale(&target);
        }
        remove_stale_staging(&parent, &name);
        if exists && files.is_empty() {
            // nothing to change: the folder stays as it is
            return Some(Ok(()));
        }
        let staging = parent.join(staging_name(&name, std::process::id()));
        let _ = std::fs::remove_dir_all(&staging);
        let made = if exists { mirror(&target, &staging) } else { std::fs::create_dir(&staging).ok() };
        if made.is_none() {
            let _ = std::fs::remove_dir_all(&staging);
            staged.undo();
            return None;
        }
        if let Err(e) = stage(&staging, root, files) {
            let _ = std::fs::remove_dir_all(&staging);
            staged.undo();
            return Some(Err(e));
        }
        killed_at("staged");
        let flags = if exists { RenameFlags::EXCHANGE } else { RenameFlags::NOREPLACE };
        if renameat_with(CWD, &staging, CWD, &target, flags).is_err() {
            // Nothing changed (a file system without the exchange, a mount point, a folder
            // made meanwhile): the caller writes in place.
            let _ = std::fs::remove_dir_all(&staging);
            staged.undo();
            return None;
        }
        killed_at("swapped");
        // The staging path now holds the previous folder (or nothing, for a new one).
        let _ = std::fs::remove_dir_all(&staging);
        if let Ok(dir) = File::open(&parent) {
            let _ = dir.sync_all();
        }
        Some(Ok(()))
    }

    /// Removes the staging folders that killed fermis left beside output folder `name`.
    fn remove_stale_staging(parent: &Path, name: &str) {
        let Ok(entries) = std::fs::read_dir(parent) else { return };
        for entry in entries.flatten() {
            if stale_staging(&entry.file_name().to_string_lossy(), name) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }

    /// Makes `copy` a copy of folder `from`: the same folders (with their permissions), each
    /// file a hard link to the same bytes, each link the same link; fermi's own leftovers are
    /// left out. `None` when a file cannot be linked, the tree crosses into another file
    /// system or has more than [`MAX_ENTRIES`] entries.
    fn mirror(from: &Path, copy: &Path) -> Option<()> {
        let device = std::fs::metadata(from).ok()?.dev();
        let mut stack = vec![(from.to_path_buf(), copy.to_path_buf())];
        let mut count = 0usize;
        while let Some((src, dst)) = stack.pop() {
            let meta = std::fs::symlink_metadata(&src).ok()?;
            if meta.dev() != device {
                return None;
            }
            std::fs::create_dir(&dst).ok()?;
            std::fs::set_permissions(&dst, meta.permissions()).ok()?;
            for entry in std::fs::read_dir(&src).ok()? {
                let entry = entry.ok()?;
                count += 1;
                if count > MAX_ENTRIES {
                    return None;
                }
                let file_name = entry.file_name();
                if leftover(&file_name.to_string_lossy()) {
                    continue;
                }
                let (s, d) = (entry.path(), dst.join(&file_name));
                let kind = entry.file_type().ok()?;
                if kind.is_dir() {
                    stack.push((s, d));
                } else if kind.is_symlink() {
                    std::os::unix::fs::symlink(std::fs::read_link(&s).ok()?, &d).ok()?;
                } else if kind.is_file() {
                    std::fs::hard_link(&s, &d).ok()?;
                } else {
                    // sockets, pipes, devices: not a docs folder's
                    return None;
                }
            }
        }
        Some(())
    }

    /// Writes each file into the staging folder (a private copy: whatever stands at a
    /// target, a link included, is replaced; a folder in the way is an error naming its place
    /// under `root`), then flushes them.
    fn stage(staging: &Path, root: &Path, files: &[(&Path, &[u8])]) -> std::io::Result<()> {
        let mut handles = Vec::with_capacity(files.len());
        let mut scratch = Staged::default();
        for (k, &(rel, bytes)) in files.iter().enumerate() {
            if k == files.len() / 2 {
                killed_at("staging");
            }
            confined(rel)?;
            let path = staging.join(rel);
            // errors name the place in the output folder, not in the staging folder
            let shown = |e: Error| Error::new(e.kind(), format!("writing {}: {e}", root.join(rel).display()));
            let dir = path.parent().unwrap_or(staging).to_path_buf();
            make_dirs(staging, &dir, &mut scratch).map_err(|e| shown(Error::new(e.kind(), in_the_way(&e))))?;
            match std::fs::symlink_metadata(&path) {
                Ok(m) if m.is_dir() => {
                    return Err(shown(Error::new(ErrorKind::AlreadyExists, "a folder is in the way")));
                }
                Ok(_) => std::fs::remove_file(&path).map_err(shown)?,
                Err(_) => {}
            }
            let mut f = File::options().write(true).create_new(true).open(&path).map_err(shown)?;
            f.write_all(bytes).map_err(shown)?;
            handles.push(f);
        }
        flush(handles.iter())
    }

    /// The reason of a folder error without the staging path it names.
    fn in_the_way(e: &Error) -> String {
        let text = e.to_string();
        match text.split_once(": ") {
            Some((_, reason)) if text.starts_with("writing ") => reason.to_string(),
            _ => text,
        }
    }
}

/// Puts the written files on disk: on Linux one `syncfs` per file system they are on (it
/// flushes that whole file system), elsewhere an `fsync` per file.
fn flush<'a>(files: impl Iterator<Item = &'a File>) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::MetadataExt;
        let mut devices: Vec<u64> = Vec::new();
        for f in files {
            let device = f.metadata()?.dev();
            if !devices.contains(&device) {
                devices.push(device);
                rustix::fs::syncfs(f)?;
            }
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    files.into_iter().try_for_each(|f| f.sync_all())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An empty scratch folder for one test (emptied first: process ids are reused).
    fn fresh(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("fermi-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn names(d: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(d).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_behind() {
        let dir = fresh("one");
        std::fs::create_dir_all(dir.join("a")).unwrap();
        let path = dir.join("a/b.md");
        atomic(&path, b"one").unwrap();
        atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(names(&dir.join("a")), ["b.md"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_single_file_needs_its_folder() {
        let dir = fresh("nofolder");
        let e = atomic(&dir.join("x/y.svg"), b"x").unwrap_err();
        assert!(e.to_string().contains("x does not exist"), "{e}");
        assert!(!dir.exists(), "no folder created");
    }

    #[test]
    fn many_files_are_written_together_and_leave_no_temporaries() {
        let dir = fresh("all");
        under(&dir, &[(Path::new("a.md"), b"one"), (Path::new("plots/b.svg"), b"two")]).unwrap();
        under(&dir, &[(Path::new("a.md"), b"three")]).unwrap();
        assert_eq!(std::fs::read(dir.join("a.md")).unwrap(), b"three");
        assert_eq!(std::fs::read(dir.join("plots/b.svg")).unwrap(), b"two");
        assert_eq!(names(&dir), ["a.md", "plots"]);
        assert_eq!(names(&dir.join("plots")), ["b.svg"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn when_one_file_cannot_be_written_no_target_is_touched_and_no_folder_stays() {
        let dir = fresh("none");
        under(&dir, &[(Path::new("a.md"), b"old")]).unwrap();
        // A folder cannot be created where a file already is.
        let e = under(&dir, &[(Path::new("new/x.svg"), b"x"), (Path::new("a.md/below.svg"), b"x")]).unwrap_err();
        assert!(e.to_string().contains("a.md"), "{e}");
        assert_eq!(std::fs::read(dir.join("a.md")).unwrap(), b"old");
        assert_eq!(names(&dir), ["a.md"], "no temporary and no new folder left behind");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_rename_puts_every_replaced_file_back() {
        let dir = fresh("rollback");
        under(&dir, &[(Path::new("a.md"), b"old a"), (Path::new("blocked"), b"old b")]).unwrap();
        std::fs::remove_file(dir.join("blocked")).unwrap();
        // A target that is a folder cannot be replaced by a file: the last rename fails.
        std::fs::create_dir_all(dir.join("blocked/x")).unwrap();
        let files: [(&Path, &[u8]); 3] =
            [(Path::new("a.md"), b"new a"), (Path::new("c.md"), b"new c"), (Path::new("blocked"), b"new")];
        let e = under(&dir, &files).unwrap_err();
        assert!(e.to_string().contains("blocked"), "{e}");
        assert_eq!(std::fs::read(dir.join("a.md")).unwrap(), b"old a");
        assert_eq!(names(&dir), ["a.md", "blocked"], "c.md removed again, no temporaries");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    #[cfg(unix)]
    fn files_fermi_did_not_write_stay_and_no_staging_folder_is_left_beside() {
        let parent = fresh("keep");
        let dir = parent.join("out");
        under(&dir, &[(Path::new("a.md"), b"one"), (Path::new("plots/b.svg"), b"two")]).unwrap();
        std::fs::write(dir.join("notes.txt"), b"mine").unwrap();
        std::os::unix::fs::symlink("a.md", dir.join("link.md")).unwrap();
        under(&dir, &[(Path::new("a.md"), b"three")]).unwrap();
        assert_eq!(std::fs::read(dir.join("a.md")).unwrap(), b"three");
        assert_eq!(std::fs::read(dir.join("plots/b.svg")).unwrap(), b"two");
        assert_eq!(std::fs::read(dir.join("notes.txt")).unwrap(), b"mine");
        assert_eq!(std::fs::read_link(dir.join("link.md")).unwrap(), Path::new("a.md"));
        assert_eq!(names(&parent), ["out"], "no staging folder beside");
        assert_eq!(names(&dir), ["a.md", "link.md", "notes.txt", "plots"]);
        std::fs::remove_dir_all(&parent).unwrap();
    }

    #[test]
    fn paths_must_stay_inside() {
        let dir = fresh("confined");
        for bad in ["../x.md", "/tmp/x.md", "a/../../x.md", ""] {
            assert!(under(&dir, &[(Path::new(bad), b"x")]).is_err(), "{bad}");
        }
        assert!(!dir.exists());
    }

    #[test]
    fn names_from_files_are_single_safe_components() {
        assert_eq!(safe_name(".."), "design");
        assert_eq!(safe_name("../etc/passwd"), "-etc-passwd");
        assert_eq!(safe_name("my design (v2)"), "my-design--v2-");
        assert_eq!(safe_name("url-shortener"), "url-shortener");
        assert_eq!(safe_name(""), "design");
        for n in ["..", ".", "a/b", "a\\b", "\u{0}", "…"] {
            assert!(confined(Path::new(&safe_name(n))).is_ok(), "{n}");
        }
    }

    #[test]
    fn only_stale_temporaries_of_the_own_pattern_are_recognised() {
        assert!(stale_temporary(".doc.md.4294967295.tmp"));
        assert!(stale_temporary(".doc.md.4294967295.old"));
        assert!(!stale_temporary(&temporary_name("doc.md", "tmp")), "our own");
        assert!(!stale_temporary("doc.md.123.tmp"));
        assert!(!stale_temporary(".doc.md.tmp"));
        assert!(!stale_temporary(".123.tmp"));
        assert!(!stale_temporary(".doc.md.12a.tmp"));
    }
}

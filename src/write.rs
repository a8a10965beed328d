//! Atomic file writes: write to a temporary file in the same folder, flush it to disk, then
//! rename over the target — a failed or interrupted run leaves the previous file intact.
//!
//! Architecture Invariant: every file fermi writes goes through [`atomic`].

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically, creating parent folders.
pub fn atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_behind() {
        let dir = std::env::temp_dir().join(format!("fermi-write-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir); // left by an earlier run whose process had this id
        let path = dir.join("a/b.md");
        atomic(&path, b"one").unwrap();
        atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let leftovers: Vec<_> =
            std::fs::read_dir(path.parent().unwrap()).unwrap().flatten().filter(|e| e.file_name() != "b.md").collect();
        assert!(leftovers.is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = std::env::temp_dir().join(format!("fermi-write-fail-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir); // left by an earlier run whose process had this id
        let path = dir.join("doc.md");
        atomic(&path, b"old").unwrap();
        // A target that is a non-empty folder cannot be replaced by rename.
        let blocked = dir.join("blocked");
        std::fs::create_dir_all(blocked.join("x")).unwrap();
        assert!(atomic(&blocked, b"new").is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2, "no temporary file left behind");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

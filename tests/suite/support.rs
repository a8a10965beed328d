//! Test harness: runs the real `fermi` binary on designs written to a temporary folder,
//! and compares text with golden files (refresh with `FERMI_BLESS=1 cargo test`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The repository root.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A scratch folder unique to this test process and call.
pub(crate) fn scratch() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir =
        std::env::temp_dir().join(format!("fermi-test-{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst)));
    // Process ids are reused: a folder left by an earlier run with this id must not leak its
    // files into this test (the cause of a once-seen "only in the first build" failure).
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The result of one run.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Runs `fermi ARGS` in `dir`.
pub(crate) fn fermi_in(dir: &Path, args: &[&str]) -> Run {
    Command::new(env!("CARGO_BIN_EXE_fermi"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .env("NO_COLOR", "1")
        .output()
        .expect("run fermi")
        .into()
}

/// Runs `fermi ARGS` at the repository root.
pub(crate) fn fermi(args: &[&str]) -> Run {
    fermi_in(&root(), args)
}

/// Writes `text` as `name` in a fresh scratch folder and returns the folder.
pub(crate) fn design(name: &str, text: &str) -> PathBuf {
    let dir = scratch();
    std::fs::write(dir.join(name), text).unwrap();
    dir
}

/// Compares `actual` with the golden file `tests/suite/snapshots/NAME`; with
/// `FERMI_BLESS=1`, rewrites the golden file instead.
#[track_caller]
pub(crate) fn golden(name: &str, actual: &str) {
    let path = root().join("tests/suite/snapshots").join(name);
    if std::env::var_os("FERMI_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!("missing golden file {}; run `FERMI_BLESS=1 cargo test` and review the diff", path.display())
    });
    if expected != actual {
        let first = expected.lines().zip(actual.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "{} differs from the output at line {}:\n  golden: {:?}\n  actual: {:?}\n(run `FERMI_BLESS=1 cargo test` to accept, then review `git diff`)",
            path.display(),
            first + 1,
            expected.lines().nth(first).unwrap_or(""),
            actual.lines().nth(first).unwrap_or("")
        );
    }
}

/// Analyses design text through the library, with built-in profiles.
pub(crate) fn analyze(text: &str) -> fermi::analysis::Analysis {
    let source = fermi::source::SourceFile::new("test.fermi", text);
    let config = fermi::design::profile::ProjectConfig::built_in();
    match fermi::analysis::analyze(source, &config, fermi::analysis::Options::default()) {
        Ok(a) => a,
        Err(f) => panic!("design did not analyse:\n{}", f.render()),
    }
}

/// A plan value in base units.
#[track_caller]
pub(crate) fn value(a: &fermi::analysis::Analysis, name: &str) -> f64 {
    let v = a.plan.value(name);
    assert!(v.is_finite(), "{name} is not in the plan or undefined");
    v
}

/// Asserts a relative difference below `tol`.
#[track_caller]
pub(crate) fn close(actual: f64, expected: f64, tol: f64) {
    let rel = ((actual - expected) / expected).abs();
    assert!(rel <= tol, "{actual} is not within {tol} of {expected} (relative error {rel})");
}

//! Writes that stay inside the output folder and land whole: hostile file names, failed
//! renames, stale temporaries of killed runs, symbolic links (loops in a designs folder, links
//! inside the output folder), error messages that name the path, and `-` as standard input.

use crate::support::{Run, fermi_in, root, scratch};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Every path below `dir`, relative, sorted (links listed, not followed).
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            out.push(p.strip_prefix(dir).unwrap().display().to_string());
            if e.file_type().unwrap().is_dir() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

fn two_designs(dir: &Path) -> PathBuf {
    let designs = dir.join("designs");
    std::fs::create_dir_all(&designs).unwrap();
    for name in ["chat.fermi", "url-shortener.fermi"] {
        std::fs::copy(root().join("designs").join(name), designs.join(name)).unwrap();
    }
    designs
}

/// Runs `fermi ARGS` in `dir` with `stdin` as input, killing it after `limit`.
fn fermi_with(dir: &Path, args: &[&str], stdin: &str, limit: Duration) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fermi"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.as_bytes()).unwrap();
    drop(input);
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            child.kill().unwrap();
            panic!("fermi {args:?} ran for more than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap().into()
}

#[test]
fn a_doc_named_by_dots_stays_inside_its_output_folder() {
    let dir = scratch();
    std::fs::copy(root().join("designs/chat.fermi"), dir.join("...fermi")).unwrap();
    std::fs::create_dir(dir.join("d")).unwrap();
    let run = fermi_in(&dir, &["doc", "...fermi", "-o", "d/out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = tree(&dir);
    assert!(files.iter().all(|f| f == "...fermi" || f == "d" || f.starts_with("d/out")), "{files:?}");
    assert!(files.iter().any(|f| f.ends_with(".svg")), "plots written: {files:?}");
}

#[test]
fn a_failed_last_rename_leaves_every_previous_doc_in_place() {
    let dir = scratch();
    let designs = two_designs(&dir);
    assert_eq!(fermi_in(&dir, &["build", "designs", "-o", "out"]).code, 0);
    let before = std::fs::read(dir.join("out/chat.md")).unwrap();
    let text = std::fs::read_to_string(designs.join("chat.fermi")).unwrap();
    std::fs::write(designs.join("chat.fermi"), text.replace("dau    = 500M", "dau    = 7M")).unwrap();
    // index.md is renamed last; a folder in its place makes that rename fail.
    std::fs::remove_file(dir.join("out/index.md")).unwrap();
    std::fs::create_dir_all(dir.join("out/index.md/x")).unwrap();
    let run = fermi_in(&dir, &["build", "designs", "-o", "out"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("writing out/index.md"), "the error names the file: {}", run.stderr);
    assert_eq!(std::fs::read(dir.join("out/chat.md")).unwrap(), before, "chat.md was put back");
    assert!(tree(&dir.join("out")).iter().all(|f| !f.contains(".tmp") && !f.contains(".old")));
}

#[test]
fn stale_temporaries_of_killed_runs_are_removed_and_nothing_else() {
    let dir = scratch();
    two_designs(&dir);
    std::fs::create_dir_all(dir.join("out/chat")).unwrap();
    // 4294967294 is no running process (Linux pids stay below 2^22).
    for f in [".chat.md.4294967294.tmp", "chat/.mrc-cache.svg.4294967294.tmp", ".index.md.4294967294.old"] {
        std::fs::write(dir.join("out").join(f), "half").unwrap();
    }
    for f in ["notes.tmp", ".keep.tmp", ".chat.md.12ab.tmp"] {
        std::fs::write(dir.join("out").join(f), "mine").unwrap();
    }
    let run = fermi_in(&dir, &["build", "designs", "-o", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = tree(&dir.join("out"));
    assert!(!files.iter().any(|f| f.contains("4294967294")), "{files:?}");
    for f in ["notes.tmp", ".keep.tmp", ".chat.md.12ab.tmp"] {
        assert!(files.iter().any(|x| x == f), "{f} is not fermi's and stays: {files:?}");
    }
}

#[test]
fn a_fresh_build_that_fails_leaves_no_folders() {
    let dir = scratch();
    let designs = dir.join("designs");
    std::fs::create_dir_all(&designs).unwrap();
    // x.fermi writes the file x.md; x.md.fermi puts its plots in a folder x.md: they collide.
    std::fs::copy(root().join("designs/chat.fermi"), designs.join("x.fermi")).unwrap();
    std::fs::copy(root().join("designs/chat.fermi"), designs.join("x.md.fermi")).unwrap();
    let run = fermi_in(&dir, &["build", "designs", "-o", "out"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("out/x.md"), "{}", run.stderr);
    assert!(!dir.join("out").exists(), "{:?}", tree(&dir));
}

#[test]
fn a_symlink_loop_in_the_designs_folder_finds_each_design_once() {
    let dir = scratch();
    let designs = two_designs(&dir);
    std::fs::create_dir(designs.join("sub")).unwrap();
    std::os::unix::fs::symlink("..", designs.join("sub/up")).unwrap();
    std::os::unix::fs::symlink("../sub", designs.join("sub/again")).unwrap();
    std::os::unix::fs::symlink("nowhere", designs.join("sub/dangling.fermi")).unwrap();
    let run = fermi_with(&dir, &["build", "designs", "-o", "out"], "", Duration::from_secs(120));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("2 designs"), "{}", run.stdout);
    let index = std::fs::read_to_string(dir.join("out/index.md")).unwrap();
    assert_eq!(index.matches("](chat.md)").count(), 1, "{index}");
}

#[test]
fn links_inside_the_output_folder_are_replaced_not_written_through() {
    let dir = scratch();
    two_designs(&dir);
    let outside = dir.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("target.md"), "precious").unwrap();
    std::fs::create_dir_all(dir.join("out")).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("out/chat")).unwrap();
    std::os::unix::fs::symlink(outside.join("target.md"), dir.join("out/chat.md")).unwrap();
    let run = fermi_in(&dir, &["build", "designs", "-o", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(tree(&outside), ["target.md"], "nothing written through the folder link");
    assert_eq!(std::fs::read_to_string(outside.join("target.md")).unwrap(), "precious");
    for p in ["out/chat", "out/chat.md"] {
        assert!(!std::fs::symlink_metadata(dir.join(p)).unwrap().file_type().is_symlink(), "{p} is still a link");
    }
    assert!(std::fs::read_to_string(dir.join("out/chat.md")).unwrap().starts_with("# Chat"));
}

#[test]
fn doc_errors_name_the_path() {
    let dir = scratch();
    std::fs::copy(root().join("designs/chat.fermi"), dir.join("chat.fermi")).unwrap();
    std::fs::write(dir.join("out"), "a file, not a folder").unwrap();
    let run = fermi_in(&dir, &["doc", "chat.fermi", "-o", "out"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("writing out"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(dir.join("out")).unwrap(), "a file, not a folder");
}

#[test]
fn a_plot_into_a_missing_folder_is_an_error_and_creates_nothing() {
    let dir = scratch();
    let plot = dir.join("missing/dir/x.svg");
    let p = plot.to_str().unwrap();
    let run = fermi_in(&dir, &["sim", "cache", "--objects", "100", "--requests", "1K", "--plot", p]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains(&format!("{} does not exist", dir.join("missing/dir").display())), "{}", run.stderr);
    assert!(!dir.join("missing").exists());
}

#[test]
fn a_dash_reads_the_design_from_standard_input() {
    let dir = scratch();
    let text = std::fs::read_to_string(root().join("designs/url-shortener.fermi")).unwrap();
    let limit = Duration::from_secs(120);
    for cmd in [&["estimate", "-"][..], &["check", "-"], &["explain", "-", "storage.total"]] {
        let run = fermi_with(&dir, cmd, &text, limit);
        assert_eq!(run.code, 0, "{cmd:?}: {}", run.stderr);
    }
    let run = fermi_with(&dir, &["explain", "-", "storage.total"], &text, limit);
    assert!(run.stdout.contains("<stdin>:"), "inputs are located in <stdin>: {}", run.stdout);
    let run = fermi_with(&dir, &["doc", "-", "-o", "out"], &text, limit);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.join("out/stdin.md").is_file());
    let run = fermi_with(&dir, &["check", "-"], "design \"x\" { users { dau = 100m } }", limit);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("<stdin>:1:"), "{}", run.stderr);
}

/// Every file below `dir` except fermi's own dot-files, with its bytes.
fn docs_in(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if !e.file_name().to_string_lossy().starts_with('.') {
                out.insert(p.strip_prefix(dir).unwrap().display().to_string(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// Every dot-file below `dir` (journals and temporaries).
fn dot_files(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else if e.file_name().to_string_lossy().starts_with('.') {
                out.push(e.path().display().to_string());
            }
        }
    }
    out
}

/// Four designs `designs/d0.fermi` … `d3.fermi` in `dir`, each with `dau` users, so a
/// rebuild after a change of `dau` rewrites all four docs.
fn write_four_designs(dir: &std::path::Path, dau: &str) {
    for k in 0..4 {
        std::fs::write(
            dir.join(format!("designs/d{k}.fermi")),
            format!(
                "design \"d{k}\" {{\n  users {{ dau = {dau} }}\n  request r {{ rate = {} per user per day }}\n}}\n",
                k + 1
            ),
        )
        .unwrap();
    }
}

/// Where a folder cannot be swapped (the in-place write): kill -9 in the middle of the rename
/// phase (simulated by the library's test hook, which aborts after N renames) leaves a journal; the next build rolls the half-done phase back
/// before it writes, and leaves no journal or temporary behind.
#[test]
fn a_build_killed_mid_rename_is_rolled_back_by_the_next_run() {
    let dir = crate::support::scratch();
    std::fs::create_dir_all(dir.join("designs")).unwrap();
    let write = |dau: &str| write_four_designs(&dir, dau);
    let build = |kill: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_fermi"));
        // the in-place write, used where a folder cannot be swapped
        cmd.args(["build", "designs", "-o", "out"])
            .current_dir(&dir)
            .env("NO_COLOR", "1")
            .env("FERMI_TEST_IN_PLACE", "1");
        if let Some(n) = kill {
            cmd.env("FERMI_TEST_KILL_AFTER_RENAMES", n);
        }
        cmd.output().unwrap()
    };
    write("1M");
    assert!(build(None).status.success());
    let old = docs_in(&dir.join("out"));
    assert!(old.len() >= 5, "{old:?}");
    write("2M");
    // Killed after two renames: two new docs beside old ones, and the journal.
    let killed = build(Some("2"));
    assert!(!killed.status.success());
    let mixed = docs_in(&dir.join("out"));
    assert!(mixed != old, "the kill came after two renames");
    assert!(dot_files(&dir.join("out")).iter().any(|f| f.contains(".fermi-journal.")));
    // The next run rolls back first: killed again before its own first rename, the folder
    // holds exactly the old set.
    let _ = build(Some("0"));
    assert_eq!(docs_in(&dir.join("out")), old, "rolled back to the set before the killed run");
    // A whole run then lands the new set and leaves no journal or temporary.
    assert!(build(None).status.success());
    let new = docs_in(&dir.join("out"));
    assert_eq!(new.keys().collect::<Vec<_>>(), old.keys().collect::<Vec<_>>());
    assert!(new.values().zip(old.values()).any(|(a, b)| a != b));
    assert_eq!(dot_files(&dir.join("out")), Vec::<String>::new());
}

/// Entries beside `out` (staging folders are `.out.fermi-stage.PID`).
fn beside(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

/// The staging-folder swap: a build killed (kill -9, by the library's test hook) while it
/// stages, after it staged, or after it swapped leaves the output folder whole — the previous
/// docs before the swap, the new ones after it — with no need for another run; the next run
/// removes the killed run's staging folder. A file fermi did not write stays through all of it.
#[test]
fn a_build_killed_at_any_step_leaves_a_whole_folder_without_a_next_run() {
    let dir = crate::support::scratch();
    std::fs::create_dir_all(dir.join("designs")).unwrap();
    let write = |dau: &str| write_four_designs(&dir, dau);
    let build = |kill: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_fermi"));
        cmd.args(["build", "designs", "-o", "out"]).current_dir(&dir).env("NO_COLOR", "1");
        if let Some(step) = kill {
            cmd.env("FERMI_TEST_KILL_AT", step);
        }
        cmd.output().unwrap()
    };
    // a fresh build killed before its swap leaves no output folder at all
    write("1M");
    assert!(!build(Some("staged")).status.success());
    assert!(!dir.join("out").exists(), "{:?}", beside(&dir));
    assert!(build(None).status.success());
    std::fs::write(dir.join("out/NOTES.md"), "kept").unwrap();
    let old = docs_in(&dir.join("out"));
    assert!(old.len() >= 6, "{old:?}");
    write("2M");
    for step in ["staging", "staged"] {
        let killed = build(Some(step));
        assert!(!killed.status.success(), "{step}");
        assert_eq!(docs_in(&dir.join("out")), old, "killed at {step}: the previous docs, untouched");
        assert!(beside(&dir).iter().any(|n| n.starts_with(".out.fermi-stage.")), "{step}: {:?}", beside(&dir));
    }
    // killed after the swap: the new set is in place already
    let killed = build(Some("swapped"));
    assert!(!killed.status.success());
    let new = docs_in(&dir.join("out"));
    assert_eq!(new.keys().collect::<Vec<_>>(), old.keys().collect::<Vec<_>>());
    assert!(new.iter().filter(|(k, _)| k.ends_with(".md") && *k != "NOTES.md").all(|(k, v)| old[k] != *v));
    assert_eq!(new["NOTES.md"], b"kept");
    // the next run finds nothing to write, and removes every staging folder left
    assert!(build(None).status.success());
    assert_eq!(docs_in(&dir.join("out")), new);
    assert_eq!(beside(&dir), ["designs", "out"]);
    assert_eq!(dot_files(&dir.join("out")), Vec::<String>::new());
}

/// A failure while staging (a folder where a doc must go) changes nothing and leaves no
/// staging folder.
#[test]
fn a_build_that_fails_while_staging_changes_nothing() {
    let dir = scratch();
    let designs = two_designs(&dir);
    let run = fermi_in(&dir, &["build", designs.to_str().unwrap(), "-o", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let old = docs_in(&dir.join("out"));
    std::fs::remove_file(dir.join("out/index.md")).unwrap();
    std::fs::create_dir_all(dir.join("out/index.md/x")).unwrap();
    // a changed design, so its doc and the index must be written
    let chat = std::fs::read_to_string(designs.join("chat.fermi")).unwrap().replacen("\"Chat", "\"Chat two", 1);
    std::fs::write(designs.join("chat.fermi"), chat).unwrap();
    let before = docs_in(&dir.join("out"));
    let run = fermi_in(&dir, &["build", "designs", "-o", "out"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("index.md"), "{}", run.stderr);
    assert_eq!(docs_in(&dir.join("out")), before);
    assert!(old.len() > before.len());
    assert_eq!(beside(&dir), ["designs", "out"]);
}

//! Every `fermi …` command the README and `--help` show, run on a fresh copy of the
//! repository's designs/, docs/ and examples/: each exits as documented (0, or 1 where the
//! command's own text says a blank worksheet fails), and writes nothing outside the copy.

use crate::support::{fermi, root, scratch};
use std::path::Path;
use std::process::Command;

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Commands in the README: lines of its code blocks (`$ fermi …`, `fermi …`, `cargo run
/// --release -- …`), and inline code spans that are whole commands (no placeholders such as
/// FILE or `[…]`).
fn readme_commands() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut out = Vec::new();
    let mut in_block = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if in_block {
            let l = line.trim_start_matches("$ ").split("  #").next().unwrap_or("").trim();
            if let Some(rest) = l.strip_prefix("cargo run --release -- ") {
                out.push(format!("fermi {rest}"));
            } else if l.starts_with("fermi ") {
                out.push(l.to_string());
            }
            continue;
        }
        for (k, span) in line.split('`').enumerate() {
            let placeholder =
                ["FILE", "DIR", "OUT", "NAME", "PATH", "[", "…", "\\|", " N"].iter().any(|p| span.contains(p));
            if k % 2 == 1 && span.starts_with("fermi ") && !placeholder {
                out.push(span.to_string());
            }
        }
    }
    out
}

/// Example lines (`  fermi …`) of `fermi --help` and of every `fermi SUB --help`.
fn help_commands() -> Vec<String> {
    let top = fermi(&["--help"]).stdout;
    let subs: Vec<String> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|s| s != "help")
        .collect();
    assert!(subs.len() > 5, "subcommands found in --help: {subs:?}");
    let mut pages = vec![top];
    pages.extend(subs.iter().map(|s| fermi(&[s, "--help"]).stdout));
    pages
        .iter()
        .flat_map(|p| {
            p.lines().map(str::trim).filter(|l| l.starts_with("fermi ")).map(str::to_string).collect::<Vec<_>>()
        })
        .collect()
}

/// The exit code a command documents: grading an unfilled worksheet is below the pass mark.
fn expected_code(cmd: &str) -> i32 {
    if cmd.contains("fermi grade") { 1 } else { 0 }
}

#[test]
fn every_documented_command_runs_on_a_fresh_copy() {
    let base = scratch();
    let repo = base.join("repo");
    for d in ["designs", "docs", "examples"] {
        copy_tree(&root().join(d), &repo.join(d));
    }
    let bin = Path::new(env!("CARGO_BIN_EXE_fermi")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let mut commands = readme_commands();
    commands.extend(help_commands());
    commands.dedup();
    assert!(commands.iter().any(|c| c.contains("build designs -o docs/designs --check")), "{commands:#?}");
    assert!(commands.len() >= 15, "{commands:#?}");
    for cmd in &commands {
        let out = Command::new("sh")
            .args(["-c", cmd])
            .current_dir(&repo)
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let code = out.status.code().unwrap_or(-1);
        assert_eq!(
            code,
            expected_code(cmd),
            "`{cmd}` exited {code}:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout).lines().take(20).collect::<Vec<_>>().join("\n"),
            String::from_utf8_lossy(&out.stderr)
        );
        let around: Vec<_> = std::fs::read_dir(&base).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(around, ["repo"], "`{cmd}` wrote outside the copy");
    }
    // A command that writes docs writes them where the committed ones are, unchanged.
    for f in ["docs/designs/index.md", "docs/designs/chat.md"] {
        assert_eq!(std::fs::read(repo.join(f)).unwrap(), std::fs::read(root().join(f)).unwrap(), "{f}");
    }
    assert!(!repo.join("docs/chat.md").exists(), "no doc dumped into docs/");
}

//! Shell integration: completion scripts that bash really loads and completes with, and man
//! pages (one per command) that `man` really renders.

use crate::support::{fermi, scratch};
use std::process::Command;

fn have(tool: &str, test: &str) -> bool {
    let found = Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success());
    // CI installs them (.ci/run), so there a missing tool is a failure, not a skip.
    assert!(found || std::env::var_os("CI").is_none(), "{test}: `{tool}` is missing on CI");
    if !found {
        println!("note: {test}: `{tool}` is not installed; skipped");
    }
    found
}

/// Runs `script` in bash after loading fermi's completion script; the completion function is
/// called as bash calls it on <Tab>, with the words typed so far, and prints COMPREPLY.
fn complete(words: &[&str]) -> Vec<String> {
    let dir = scratch();
    let run = fermi(&["completions", "bash"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::write(dir.join("fermi.bash"), &run.stdout).unwrap();
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cword = words.len() - 1;
    let prev = if cword > 0 { words[cword - 1] } else { "" };
    let script = format!(
        "source ./fermi.bash\n\
         complete -p fermi\n\
         COMP_WORDS=({words}); COMP_CWORD={cword}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}\n\
         _fermi fermi '{cur}' '{prev}'\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        words = quoted.join(" "),
        line = words.join(" "),
        cur = words[cword],
    );
    let out = Command::new("bash").arg("-c").arg(&script).current_dir(&dir).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "bash failed: {}{stdout}", String::from_utf8_lossy(&out.stderr));
    let mut lines = stdout.lines();
    // `complete -p fermi` shows the completion bash registered for the command.
    let registered = lines.next().unwrap_or("");
    assert!(registered.contains("-F _fermi") && registered.ends_with(" fermi"), "{registered}");
    lines.map(str::to_string).collect()
}

#[test]
fn bash_completes_subcommands_flags_and_values() {
    if !have("bash", "bash_completes_subcommands_flags_and_values") {
        return;
    }
    assert_eq!(complete(&["fermi", "es"]), ["estimate"]);
    assert_eq!(complete(&["fermi", "ex"]), ["explain", "export"]);
    let subcommands = complete(&["fermi", ""]);
    for c in ["estimate", "check", "export", "completions", "man", "sim"] {
        assert!(subcommands.iter().any(|s| s == c), "{c} missing from {subcommands:?}");
    }
    assert_eq!(complete(&["fermi", "export", "designs/chat.fermi", "--t"]), ["--to"]);
    assert_eq!(complete(&["fermi", "export", "designs/chat.fermi", "--to", ""]), ["prometheus", "sloth", "openslo"]);
    assert_eq!(complete(&["fermi", "estimate", "x.fermi", "--format", "j"]), ["json"]);
    assert_eq!(complete(&["fermi", "sim", "ca"]), ["cache"]);
    // As the README and `fermi --help` write it, with fermi on the PATH.
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_fermi")).parent().unwrap().to_path_buf();
    let path =
        std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())))
            .unwrap();
    let out = Command::new("bash")
        .args(["-c", "source <(fermi completions bash); complete -p fermi"])
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("-F _fermi"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn every_shell_gets_a_script_naming_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = fermi(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        for word in ["estimate", "export", "completions", "prometheus"] {
            assert!(run.stdout.contains(word), "{shell} script lacks {word}");
        }
    }
    let bad = fermi(&["completions", "tcsh"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("possible values"), "{}", bad.stderr);
}

#[test]
fn man_writes_one_page_per_command_and_man_renders_them() {
    let dir = scratch();
    let run = fermi(&["man", "-o", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut pages: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    pages.sort();
    for page in ["fermi.1", "fermi-estimate.1", "fermi-export.1", "fermi-sim-cache.1", "fermi-templates-export.1"] {
        assert!(pages.iter().any(|p| p == page), "{page} missing from {pages:?}");
    }
    assert!(!pages.iter().any(|p| p.contains("help")), "{pages:?}");
    // stdout without -o is the top page, byte for byte.
    assert_eq!(fermi(&["man"]).stdout, std::fs::read_to_string(dir.join("fermi.1")).unwrap());
    if !have("man", "man_writes_one_page_per_command_and_man_renders_them") {
        return;
    }
    // `fermi man | man -l -`, as the README writes it.
    let mut child = Command::new("man")
        .args(["-l", "-P", "cat", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), fermi(&["man"]).stdout.as_bytes()).unwrap();
    let piped = child.wait_with_output().unwrap();
    assert!(String::from_utf8_lossy(&piped.stdout).contains("SUBCOMMANDS"), "{piped:?}");
    for (page, expect) in [
        ("fermi.1", vec!["NAME", "fermi - Capacity estimator", "SUBCOMMANDS", "fermi-estimate(1)", "Examples:"]),
        ("fermi-export.1", vec!["fermi-export", "SYNOPSIS", "--to", "prometheus", "sloth", "openslo"]),
    ] {
        let out = Command::new("man")
            .args(["-l", "-P", "cat"])
            .arg(dir.join(page))
            .env("MANWIDTH", "100")
            .env_remove("MAN_KEEP_FORMATTING")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).replace(['\u{2010}', '\u{2011}'], "-");
        assert!(out.status.success(), "man -l {page}: {}", String::from_utf8_lossy(&out.stderr));
        for word in expect {
            assert!(text.contains(word), "man -l {page} lacks {word:?}:\n{text}");
        }
    }
}

#[test]
fn fish_completes_with_the_script_and_zsh_parses_its_own() {
    let dir = scratch();
    if have("fish", "fish_completes_with_the_script_and_zsh_parses_its_own") {
        std::fs::write(dir.join("fermi.fish"), fermi(&["completions", "fish"]).stdout).unwrap();
        let complete = |line: &str| {
            let script = format!("source ./fermi.fish; complete -C '{line}'");
            let out = Command::new("fish").args(["-c", &script]).current_dir(&dir).output().unwrap();
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            text.lines().map(|l| l.split('\t').next().unwrap_or("").to_string()).collect::<Vec<_>>()
        };
        assert_eq!(complete("fermi exp"), ["explain", "export"]);
        assert_eq!(complete("fermi export x.fermi --to "), ["openslo", "prometheus", "sloth"]);
    }
    if have("zsh", "fish_completes_with_the_script_and_zsh_parses_its_own") {
        std::fs::write(dir.join("_fermi"), fermi(&["completions", "zsh"]).stdout).unwrap();
        let out = Command::new("zsh").args(["-n", "_fermi"]).current_dir(&dir).output().unwrap();
        assert!(out.status.success(), "zsh -n: {}", String::from_utf8_lossy(&out.stderr));
        // A broken script must not pass the same check.
        std::fs::write(dir.join("_broken"), "_fermi() {\n  case $x in\n}\n").unwrap();
        assert!(!Command::new("zsh").args(["-n", "_broken"]).current_dir(&dir).output().unwrap().status.success());
    }
}

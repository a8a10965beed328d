//! Terminal conventions: diagnostics in colour on a terminal, plain when piped or when
//! `NO_COLOR` is set (no-color.org), and `--color auto|always|never` to choose.

use crate::support::design;
use std::path::Path;
use std::process::Command;

const BAD: &str = "design \"x\" {\n  users { dau = 1M }\n  tier api { capacity = 1K rsp }\n}\n";

/// Runs fermi with stderr piped, NO_COLOR as given (the harness's default of NO_COLOR=1 is
/// removed); returns stderr.
fn piped(dir: &Path, args: &[&str], no_color: Option<&str>) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fermi"));
    cmd.args(args).current_dir(dir).env_remove("NO_COLOR").env_remove("TERM");
    if let Some(v) = no_color {
        cmd.env("NO_COLOR", v);
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs fermi on a pseudo-terminal (util-linux `script`), so stderr is a terminal; returns what
/// the terminal showed, or `None` when `script` is missing.
fn on_terminal(dir: &Path, args: &str, no_color: Option<&str>) -> Option<String> {
    let bin = env!("CARGO_BIN_EXE_fermi");
    let env = no_color.map(|v| format!("NO_COLOR='{v}' ")).unwrap_or_default();
    let out = Command::new("script")
        .args(["-qec", &format!("env -u NO_COLOR {env}TERM=xterm '{bin}' {args}"), "/dev/null"])
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output();
    match out {
        Ok(o) if o.status.success() || o.status.code() == Some(2) => {
            Some(String::from_utf8_lossy(&o.stdout).into_owned())
        }
        _ => {
            assert!(std::env::var_os("CI").is_none(), "`script` (bsdutils) is missing on CI");
            println!("note: `script` is not installed; the terminal cases are skipped");
            None
        }
    }
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters final-byte.
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn color_always_writes_ansi_escapes_and_nothing_else_changes() {
    let dir = design("bad.fermi", BAD);
    let colored = piped(&dir, &["check", "bad.fermi", "--color", "always"], None);
    assert!(colored.contains("\u{1b}[") && colored.contains("\u{1b}[31m"), "{colored:?}");
    let plain = piped(&dir, &["check", "bad.fermi", "--color", "never"], None);
    assert!(!plain.contains('\u{1b}'), "{plain:?}");
    assert!(plain.contains("bad.fermi:3:28") && plain.contains("did you mean `rps`?"), "{plain}");
    // Colour adds escapes and changes no character of the text.
    assert_eq!(strip_ansi(&colored), plain);
    // Before the subcommand too (a global flag), and `--color always` beats NO_COLOR.
    let first = piped(&dir, &["--color", "always", "estimate", "bad.fermi"], Some("1"));
    assert!(first.contains("\u{1b}["), "{first:?}");
}

#[test]
fn piped_output_has_no_colour_by_default() {
    let dir = design("bad.fermi", BAD);
    for args in [&["check", "bad.fermi"][..], &["estimate", "bad.fermi"], &["export", "bad.fermi", "--to", "sloth"]] {
        let text = piped(&dir, args, None);
        assert!(!text.contains('\u{1b}'), "{args:?}: {text:?}");
        assert!(text.contains("error[fermi::unknown-unit]"), "{text}");
    }
}

#[test]
fn a_terminal_gets_colour_unless_no_color_is_set() {
    let dir = design("bad.fermi", BAD);
    let Some(auto) = on_terminal(&dir, "check bad.fermi", None) else { return };
    assert!(auto.contains("\u{1b}[31m"), "a terminal should get colour: {auto:?}");
    let no_color = on_terminal(&dir, "check bad.fermi", Some("1")).unwrap();
    assert!(!no_color.contains('\u{1b}'), "NO_COLOR=1 must win over auto: {no_color:?}");
    assert!(no_color.contains("unknown unit `rsp`"), "{no_color}");
    // An empty NO_COLOR does not count (no-color.org); --color never wins on a terminal.
    assert!(on_terminal(&dir, "check bad.fermi", Some("")).unwrap().contains("\u{1b}["));
    assert!(!on_terminal(&dir, "check bad.fermi --color never", None).unwrap().contains('\u{1b}'));
}

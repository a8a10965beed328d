//! What-if commands through the CLI: `fermi diff` (two files, `--base REV` in a scratch git
//! repository, thresholds, the CI script) and `fermi sweep` (failure points against
//! `fermi check` on either side, the plot).

use crate::support::{design, fermi_in, root};
use std::path::Path;
use std::process::Command;

/// 100M users calling once a day at 2x peak: 100M ÷ 86,400 s × 2 = 2,314.8 rps peak, on a
/// 500 rps-per-node tier (5 nodes); the assert fails above 10K rps × 86,400 ÷ 2 = 432M users.
const BASE: &str = r#"design "What-if" {
  users {
    dau  = 100M
    peak = 2x
  }
  request get { kind = read; rate = 1 per user per day; response = 1 KB; path = api }
  tier api { kind = service; capacity = 500 rps }
  assert traffic.peak_rps < 10K rps
}
"#;

fn with_dau(dau: &str) -> String {
    BASE.replace("dau  = 100M", &format!("dau  = {dau}"))
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=fermi test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("run git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A scratch repository with `d.fermi` committed at 100M users, then changed to `dau`
/// (committed when `commit` is set).
fn repo(dau: &str, commit: bool) -> std::path::PathBuf {
    let dir = design("d.fermi", BASE);
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "d.fermi"]);
    git(&dir, &["commit", "-q", "-m", "first"]);
    std::fs::write(dir.join("d.fermi"), with_dau(dau)).unwrap();
    if commit {
        git(&dir, &["commit", "-q", "-am", "more users"]);
    }
    dir
}

#[test]
fn a_diff_of_a_file_with_itself_is_empty() {
    let dir = design("a.fermi", BASE);
    for format in ["table", "markdown", "json"] {
        let r = fermi_in(&dir, &["diff", "a.fermi", "a.fermi", "--format", format, "--fail-on", "api.nodes > +0%"]);
        assert_eq!(r.code, 0, "{format}: {}", r.stderr);
        if format == "json" {
            let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
            assert_eq!(v["changed"], false);
            assert_eq!(v["summary"], "no changes");
            assert!(v["inputs"].as_array().unwrap().is_empty());
        } else {
            assert!(r.stdout.contains("no changes"), "{format}: {}", r.stdout);
            assert_eq!(r.stdout.lines().count(), 1, "{format}: nothing but the summary: {}", r.stdout);
        }
    }
}

#[test]
fn a_threshold_just_crossed_fails_and_one_just_missed_passes() {
    let dir = design("a.fermi", BASE);
    std::fs::write(dir.join("b.fermi"), with_dau("110M")).unwrap();
    // Peak rps is proportional to daily users: +10% exactly, +231.48 rps (2,314.8 × 0.1).
    // api nodes: ⌈2,314.8 ÷ 500⌉ = 5 → ⌈2,546.3 ÷ 500⌉ = 6, +20%.
    let run = |t: &str| fermi_in(&dir, &["diff", "a.fermi", "b.fermi", "--fail-on", t]);
    for crossed in ["traffic.peak_rps > +9.9%", "traffic.peak_rps > +231 rps", "api.nodes > +19%", "api.nodes > 0"] {
        let r = run(crossed);
        assert_eq!(r.code, 1, "`{crossed}` is crossed:\n{}{}", r.stdout, r.stderr);
        assert!(r.stdout.contains(&format!("threshold crossed: `{crossed}`")), "names it: {}", r.stdout);
    }
    for missed in ["traffic.peak_rps > +10.1%", "traffic.peak_rps > +232 rps", "api.nodes > +21%", "api.nodes < -1"] {
        let r = run(missed);
        assert_eq!(r.code, 0, "`{missed}` is not crossed:\n{}{}", r.stdout, r.stderr);
        assert!(!r.stdout.contains("threshold crossed"), "{}", r.stdout);
    }
    // Several thresholds: any crossed one fails the run.
    let r = fermi_in(
        &dir,
        &["diff", "a.fermi", "b.fermi", "--fail-on", "api.nodes > +50%", "--fail-on", "traffic.peak_rps > +5%"],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    // The Markdown comment leads with the one-line summary.
    let r = fermi_in(&dir, &["diff", "a.fermi", "b.fermi", "--format", "markdown"]);
    let first = r.stdout.lines().next().unwrap();
    assert!(first.contains("peak +10%") && first.contains("api nodes 5 → 6"), "{first}");
    assert!(r.stdout.contains("<details>") && r.stdout.trim_end().ends_with("</details>"), "{}", r.stdout);
}

#[test]
fn thresholds_that_cannot_be_read_are_errors_with_a_hint() {
    let dir = design("a.fermi", BASE);
    for (t, says) in [
        ("api.nodes +5", "needs `>` or `<`"),
        ("nodes > +5%", "no result `nodes`"),
        ("api.nodes > 1 KB", "data size"),
        ("api.nodes > lots%", "not a percentage"),
    ] {
        let r = fermi_in(&dir, &["diff", "a.fermi", "a.fermi", "--fail-on", t]);
        assert_eq!(r.code, 2, "{t}");
        assert!(r.stderr.contains(says) && r.stderr.contains("help:"), "{t}: {}", r.stderr);
    }
}

#[test]
fn base_head_in_a_scratch_repository_lists_the_changed_input_with_its_line() {
    let dir = repo("150M", false);
    let r = fermi_in(&dir, &["diff", "d.fermi", "--base", "HEAD"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("HEAD:d.fermi → d.fermi: peak +50%"), "{}", r.stdout);
    let row = r.stdout.lines().find(|l| l.contains("users.dau")).expect("users.dau listed");
    assert!(row.contains("100M") && row.contains("150M") && row.contains("line 3: dau  = 150M"), "{row}");
    // From another folder, the path is still taken relative to the repository's top.
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let r = fermi_in(&dir.join("sub"), &["diff", "../d.fermi", "--base", "HEAD", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let dau = v["inputs"].as_array().unwrap().iter().find(|i| i["name"] == "users.dau").unwrap();
    assert_eq!((dau["old"].as_f64(), dau["new"].as_f64(), dau["line"].as_u64()), (Some(1e8), Some(1.5e8), Some(3)));
    // The committed version against itself: nothing changed.
    git(&dir, &["commit", "-q", "-am", "more users"]);
    let r = fermi_in(&dir, &["diff", "d.fermi", "--base", "HEAD"]);
    assert_eq!((r.code, r.stdout.trim()), (0, "HEAD:d.fermi → d.fermi: no changes"));
}

#[test]
fn an_unknown_revision_or_no_repository_is_a_clear_error() {
    let dir = repo("150M", true);
    let r = fermi_in(&dir, &["diff", "d.fermi", "--base", "no-such-branch"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown revision `no-such-branch`") && r.stderr.contains("help:"), "{}", r.stderr);
    let outside = design("d.fermi", BASE);
    let r = fermi_in(&outside, &["diff", "d.fermi", "--base", "HEAD"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is not in a git repository"), "{}", r.stderr);
    let r = fermi_in(&dir, &["diff", "d.fermi"]);
    assert_eq!(r.code, 2, "one file needs --base: {}", r.stderr);
}

#[test]
fn the_ci_script_posts_the_diff_of_each_changed_design() {
    let dir = repo("120M", true);
    std::fs::write(dir.join("new.fermi"), BASE).unwrap();
    git(&dir, &["add", "new.fermi"]);
    git(&dir, &["commit", "-q", "-m", "a new design"]);
    let bin = Path::new(env!("CARGO_BIN_EXE_fermi")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let script = root().join("examples/ci/diff-changed-designs.sh");
    let run = |args: &[&str]| {
        let out = Command::new("sh")
            .arg(&script)
            .args(args)
            .current_dir(&dir)
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let (code, text) = run(&["HEAD~2"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("**`d.fermi`**: peak +20%"), "{text}");
    assert!(text.contains("| users.dau | 100M | 120M | line 3: dau  = 120M |"), "{text}");
    assert!(text.contains("**`new.fermi`**: new design"), "{text}");
    let (code, text) = run(&["HEAD~2", "--fail-on", "traffic.peak_rps > +10%"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("Threshold crossed"), "{text}");
    let (code, text) = run(&["HEAD"]);
    assert_eq!((code, text.trim()), (0, "No design changed since `HEAD`."));
}

/// `431.9M` → 431.9e6.
fn number(text: &str) -> f64 {
    let (n, scale) = match text.chars().last() {
        Some('K') => (&text[..text.len() - 1], 1e3),
        Some('M') => (&text[..text.len() - 1], 1e6),
        Some('B') => (&text[..text.len() - 1], 1e9),
        _ => (text, 1.0),
    };
    n.parse::<f64>().unwrap() * scale
}

#[test]
fn a_sweeps_failure_point_agrees_with_check_on_either_side() {
    let dir = design("a.fermi", BASE);
    let r = fermi_in(&dir, &["sweep", "a.fermi", "users.dau=100M..1B", "--steps", "7"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line = r.stdout.lines().find(|l| l.starts_with("assert traffic.peak_rps < 10K rps fails above")).unwrap();
    let at = number(line.split_whitespace().rev().nth(1).unwrap());
    // Analytically 10K rps × 86,400 s ÷ 2x = 432M users.
    assert!((at / 432e6 - 1.0).abs() < 0.01, "{line}");
    for (factor, code) in [(0.99, 0), (1.01, 1)] {
        let users = format!("{}", (at * factor).round());
        let d = design("c.fermi", &with_dau(&users));
        let c = fermi_in(&d, &["check", "c.fermi"]);
        assert_eq!(c.code, code, "fermi check at {users} users:\n{}", c.stdout);
    }
    assert!(r.stdout.contains("api: bound by throughput throughout"), "{}", r.stdout);
}

#[test]
fn a_sweep_finds_where_a_tier_changes_constraint_and_plots_nodes() {
    // 10% of 100M users hold 10M connections; throughput needs 5 nodes (above).
    let text = BASE
        .replace("peak = 2x", "peak = 2x\n    concurrent = 10% of users.dau")
        .replace("capacity = 500 rps }", "capacity = 500 rps; connections = 2M }");
    let dir = design("a.fermi", &text);
    let r = fermi_in(&dir, &["sweep", "a.fermi", "api.connections=100K..10M", "--log", "--plot", "n.svg"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // 10% of 100M = 10M connections over 5 throughput nodes: connections decide below
    // 10M ÷ 5 = 2M per node and throughput above it.
    let line = r.stdout.lines().find(|l| l.starts_with("api: bound by")).unwrap();
    assert!(line.starts_with("api: bound by connections below ") && line.ends_with("by throughput above"), "{line}");
    let at = number(line.split_whitespace().nth(5).unwrap());
    assert!((at / 2e6 - 1.0).abs() < 0.05, "{line}");
    let svg = std::fs::read_to_string(dir.join("n.svg")).unwrap();
    roxmltree::Document::parse(&svg).unwrap();
    assert!(svg.contains("api"), "legend names the tier");
    // A JSON sweep lists every step.
    let r = fermi_in(&dir, &["sweep", "a.fermi", "users.dau=1M..2M", "--steps", "3", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["steps"].as_array().unwrap().len(), 3);
    assert_eq!(v["steps"][2]["value"].as_f64(), Some(2e6));
}

#[test]
fn a_sweep_of_what_is_not_an_input_or_of_the_wrong_unit_is_an_error() {
    let dir = design("a.fermi", BASE);
    for (range, says) in [
        ("api.nodes=1..2", "is not an input"),
        ("users.daus=1..2", "did you mean `users.dau`"),
        ("users.dau=1 KB..2 KB", "is a data size"),
        ("users.dau", "has no `=`"),
    ] {
        let r = fermi_in(&dir, &["sweep", "a.fermi", range]);
        assert_eq!(r.code, 2, "{range}");
        assert!(r.stderr.contains(says), "{range}: {}", r.stderr);
    }
}

#[test]
fn build_check_names_what_changed_in_each_stale_doc() {
    let dir = design("a.fermi", BASE);
    std::fs::create_dir_all(dir.join("designs")).unwrap();
    std::fs::rename(dir.join("a.fermi"), dir.join("designs/a.fermi")).unwrap();
    std::fs::write(dir.join("designs/b.fermi"), BASE.replace("What-if", "Other")).unwrap();
    let build = fermi_in(&dir, &["build", "designs", "-o", "docs"]);
    assert_eq!(build.code, 0, "{}{}", build.stdout, build.stderr);
    std::fs::write(dir.join("designs/a.fermi"), with_dau("110M")).unwrap();
    let check = fermi_in(&dir, &["build", "designs", "-o", "docs", "--check"]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    // 2,314.8 → 2,546.3 rps peak (+10%), 5 → 6 api nodes, as `fermi diff` computes them.
    let line = check.stdout.lines().find(|l| l.starts_with("stale: docs/a.md")).expect("a.md is stale");
    assert!(line.contains("peak traffic 2.315K rps → 2.546K rps") && line.contains("nodes 5 → 6"), "{line}");
    let index = check.stdout.lines().find(|l| l.starts_with("stale: docs/index.md")).expect("index is stale");
    assert!(index.ends_with("rows changed: What-if"), "{index}");
    assert!(!check.stdout.contains("b.md"), "only the changed design: {}", check.stdout);
}

#[test]
fn a_sweep_finds_where_an_assert_on_a_scenarios_results_fails() {
    let text = BASE.replace(
        "  assert traffic.peak_rps < 10K rps\n",
        "  scenario double {\n    users.dau = 2 * users.dau\n  }\n  assert double.api.nodes <= 20\n",
    );
    let dir = design("a.fermi", &text);
    assert_eq!(fermi_in(&dir, &["check", "a.fermi"]).code, 0, "the design checks clean");
    let r = fermi_in(&dir, &["sweep", "a.fermi", "users.dau=100M..1B", "--steps", "5"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line = r
        .stdout
        .lines()
        .find(|l| l.starts_with("assert double.api.nodes <= 20 fails above"))
        .unwrap_or_else(|| panic!("the scenario's assert has a failure point:\n{}", r.stdout));
    let at = number(line.split_whitespace().rev().nth(1).unwrap());
    // By hand: the scenario doubles the users, so its peak is 2 × 2 × dau ÷ 86,400 s and its
    // api needs more than 20 nodes of 500 rps once that passes 10K rps: dau > 216M.
    assert!((at / 216e6 - 1.0).abs() < 0.01, "{line}");
    for (factor, code) in [(0.99, 0), (1.01, 1)] {
        let users = format!("{}", (at * factor).round());
        let d = design("c.fermi", &text.replace("dau  = 100M", &format!("dau  = {users}")));
        let c = fermi_in(&d, &["check", "c.fermi"]);
        assert_eq!(c.code, code, "fermi check at {users} users:\n{}", c.stdout);
    }
}

#[test]
fn a_diff_shows_each_scenarios_results_beside_the_base() {
    let text = BASE
        .replace("  assert traffic.peak_rps < 10K rps\n", "  scenario double {\n    users.dau = 2 * users.dau\n  }\n");
    let dir = design("a.fermi", &text);
    std::fs::write(dir.join("b.fermi"), text.replace("dau  = 100M", "dau  = 110M")).unwrap();
    let r = fermi_in(&dir, &["diff", "a.fermi", "b.fermi", "--format", "json", "--fail-on", "double.api.nodes > +0"]);
    assert_eq!(r.code, 1, "the scenario's node count rose: {}", r.stdout);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    // double: 200M → 220M users, ⌈4,629.6 ÷ 500⌉ = 10 → ⌈5,092.6 ÷ 500⌉ = 11 nodes.
    let row = v["results"].as_array().unwrap().iter().find(|x| x["name"] == "double.api.nodes").unwrap();
    assert_eq!(
        (row["old"].as_f64(), row["new"].as_f64(), row["scenario"].as_str()),
        (Some(10.0), Some(11.0), Some("double"))
    );
    assert!(!v["summary"].as_str().unwrap().contains("double"), "the summary is the base design's: {}", v["summary"]);
}

/// Issue: a plan sizes throughput for today and disks for the bytes the retention holds;
/// the tier table says which moment each count is for.
#[test]
fn the_tier_table_says_which_moment_its_counts_are_for() {
    let text = BASE.replace("peak = 2x", "peak = 2x\n    growth = 20% per year").replace(
        "tier api { kind = service; capacity = 500 rps }",
        "tier api { kind = service; capacity = 500 rps }\n  tier db { kind = database; capacity = 5K rps; disk = 1 TB }",
    );
    let text = text.replace("path = api }", "stores = 1 KB; path = api -> db }").replace("kind = read", "kind = write");
    let dir = design("m.fermi", &text);
    let r = fermi_in(&dir, &["estimate", "m.fermi"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // the note wraps at the table width: read it as one line
    let text = r.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    let at = text.find("Moment:").unwrap_or_else(|| panic!("{}", r.stdout));
    let line = &text[at..text[at..].find(". ").map_or(text.len(), |k| at + k)];
    assert!(
        line.contains("today's peak") && line.contains("1-year retention") && line.contains("20% a year"),
        "{line}"
    );
    // Without stored bytes there is no second moment to name.
    let plain = fermi_in(&design("p.fermi", BASE), &["estimate", "p.fermi"]);
    assert!(!plain.stdout.contains("Moment:"), "{}", plain.stdout);
}

/// Year 0 of the growth timeline is today's plan, in either day length: `--rounded` is an
/// input to every lowering (the timeline's years, scenarios, shape choices), so no tier
/// "outgrows today's nodes" in year 0.
#[test]
fn the_timelines_year_zero_is_todays_plan_with_the_interview_day_too() {
    for d in ["designs/chat.fermi", "designs/file-store.fermi"] {
        for extra in [None, Some("--rounded")] {
            let mut args = vec!["estimate", d];
            args.extend(extra);
            let r = crate::support::fermi(&args);
            let line =
                r.stdout.lines().find(|l| l.contains("Outgrowing today's nodes")).unwrap_or_else(|| panic!("{d}"));
            assert!(!line.contains("from year 0"), "{d} {extra:?}: {line}");
        }
    }
}

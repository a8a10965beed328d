//! Interview practice: worksheets give nothing away, answer keys grade as full marks on every
//! design, answers are read with the language's units, grading is tolerant and teaches.

use crate::designs::design_files;
use crate::support::{analyze, design, fermi, fermi_in, root};

#[test]
fn a_worksheet_states_the_scenario_and_gives_no_answer_away() {
    let run = fermi(&["worksheet", "designs/url-shortener.fermi", "--hints"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let w = &run.stdout;
    assert!(w.contains("## Scenario") && w.contains("Daily active users: 100M"), "{w}");
    assert!(w.contains("rate 1 per user per day"), "inputs are quoted as written: {w}");
    assert!(w.contains("1. How many calls does the system serve per day"), "{w}");
    assert!(w.matches("Answer: ______").count() >= 10);
    assert!(w.contains("Hint: storage.yearly × storage.years × storage.replication"), "hints are formulas");
    for answer in ["547.5 TB", "36.5 TB", "25.46K", "1.1B", "52.56 min", "365 GB", "138"] {
        assert!(!w.contains(answer), "the worksheet gives away {answer}");
    }
}

#[test]
fn every_answer_key_scores_full_marks() {
    for f in design_files() {
        let path = format!("designs/{f}");
        let key = fermi(&["worksheet", &path, "--answers"]);
        assert_eq!(key.code, 0, "{path}: {}", key.stderr);
        assert!(key.stdout.contains("Formula:") && key.stdout.contains("Interview-rounded"), "{path}");
        let dir = design("key.md", &key.stdout);
        let graded = fermi_in(&dir, &["grade", &root().join(&path).display().to_string(), "key.md"]);
        assert_eq!(graded.code, 0, "{path}: {}{}", graded.stdout, graded.stderr);
        assert!(graded.stdout.contains("Score: 100%"), "{path}: {}", graded.stdout);
    }
}

#[test]
fn answers_are_read_with_the_languages_units() {
    // storage.yearly of this design is exactly 10 TB: 10B writes a year × 1 KB.
    let a = analyze(
        "design \"u\" {\n users { peak = 1x }\n request w { kind = write; rate = 10B per year; stores = 1 KB }\n}",
    );
    let q = fermi::practice::questions::questions(&a).into_iter().find(|q| q.name == "storage.yearly").unwrap();
    for text in ["10 TB", "10TB", "10000 GB", "9.09 TiB", "0.01 PB"] {
        let g = fermi::practice::grade::grade_answer(&a, &a, &q, text).unwrap();
        assert_eq!(g.verdict, fermi::practice::grade::Verdict::Correct, "{text}: {}", g.reason);
    }
    let g = fermi::practice::grade::grade_answer(&a, &a, &q, "18 TB").unwrap();
    assert_eq!(g.verdict, fermi::practice::grade::Verdict::RightOrder);
    let g = fermi::practice::grade::grade_answer(&a, &a, &q, "10 ms").unwrap();
    assert_eq!(g.verdict, fermi::practice::grade::Verdict::Wrong);
    assert!(g.reason.contains("a duration"), "{}", g.reason);
    assert!(fermi::practice::grade::grade_answer(&a, &a, &q, "10 TBs").is_err());
}

fn fill(worksheet: &str, answers: &[&str]) -> String {
    let mut it = answers.iter();
    worksheet
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("Answer: ______")
                && let Some(a) = it.next()
            {
                return format!("   Answer: {a}");
            }
            l.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn grading_is_tolerant_teaches_and_sets_the_exit_code() {
    let w = fermi(&["worksheet", "designs/url-shortener.fermi"]).stdout;
    let design_path = root().join("designs/url-shortener.fermi").display().to_string();
    // 11K rps is the interview answer (1.1B ÷ 100K s), 13.6% off the exact 12.73K: correct.
    let good = fill(
        &w,
        &[
            "1.1B",
            "11K rps",
            "25K rps",
            "96 Mbps",
            "56 Mbps",
            "100 GB",
            "36.5 TB",
            "550 TB",
            "365 GB",
            "8",
            "12",
            "138",
            "52.56 min",
            "4.38 min",
        ],
    );
    let dir = design("good.md", &good);
    let run = fermi_in(&dir, &["grade", &design_path, "good.md"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("[correct] traffic.avg_rps — you: 11K rps"), "{}", run.stdout);
    assert!(run.stdout.contains("exact, by the interview shortcut (100K seconds a day)"), "{}", run.stdout);
    // Mostly wrong: exit 1, with the worked solution for each miss.
    let bad = fill(&w, &["5B", "1K rps", "1 rps"]);
    std::fs::write(dir.join("bad.md"), bad).unwrap();
    let run = fermi_in(&dir, &["grade", &design_path, "bad.md"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("method: shorten.daily + redirect.daily = 100M + 1B = 1.1B"), "{}", run.stdout);
    assert!(run.stdout.contains("[blank] storage.total"), "{}", run.stdout);
    // Unreadable: exit 2 with the line number.
    std::fs::write(dir.join("odd.md"), fill(&w, &["lots"])).unwrap();
    let run = fermi_in(&dir, &["grade", &design_path, "odd.md"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("odd.md:52: cannot read `lots`"), "{}", run.stderr);
    std::fs::write(dir.join("none.md"), "hello\n").unwrap();
    assert_eq!(fermi_in(&dir, &["grade", &design_path, "none.md"]).code, 2);
    // A custom pass mark: the good worksheet clears even 100%; the bad one fails a 10% mark.
    assert_eq!(fermi_in(&dir, &["grade", &design_path, "good.md", "--pass", "100%"]).code, 0);
    assert_eq!(fermi_in(&dir, &["grade", &design_path, "bad.md", "--pass", "10%"]).code, 1);
}

#[test]
fn a_drill_replays_from_its_seed_and_differs_across_seeds() {
    let dir = design("answers.txt", "1B\n10K rps\n20K rps\n");
    let a = fermi_in(&dir, &["drill", "--seed", "3", "--answers-from", "answers.txt"]);
    let b = fermi_in(&dir, &["drill", "--seed", "3", "--answers-from", "answers.txt"]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert_eq!(a.stdout, b.stdout);
    assert!(
        a.stdout.contains("Q1. ") && a.stdout.contains("method: ") && a.stdout.contains("Summary: "),
        "{}",
        a.stdout
    );
    let titles: std::collections::BTreeSet<String> = (0..8)
        .map(|s| {
            fermi_in(&dir, &["drill", "--seed", &s.to_string(), "--answers-from", "answers.txt"])
                .stdout
                .lines()
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert!(titles.len() >= 6, "{titles:?}");
}

#[test]
fn grading_reads_count_nouns_explains_m_and_names_half_marks_by_the_2x_rule() {
    let a = crate::support::analyze(&std::fs::read_to_string(root().join("designs/url-shortener.fermi")).unwrap());
    let qs = fermi::practice::questions::questions(&a);
    let q = |name: &str| qs.iter().find(|q| q.name == name).unwrap().clone();
    // db.nodes is 138 (README, R1–R7): `138 nodes` and `138 servers` are the same answer.
    for text in ["138 nodes", "138 servers", "138"] {
        let g = fermi::practice::grade::grade_answer(&a, &a, &q("db.nodes"), text).unwrap();
        assert_eq!(g.verdict, fermi::practice::grade::Verdict::Correct, "{text}: {}", g.reason);
    }
    // `4.38 m` for a month's downtime: minutes, not milliseconds, is what to suggest.
    let e = fermi::practice::grade::grade_answer(&a, &a, &q("availability.downtime_month"), "4.38 m").unwrap_err();
    assert!(e.contains("`4.38 min`"), "{e}");
    assert!(!e.contains("did you mean `ms`"), "{e}");
    // 1.5× off is half a point, said in the README's words.
    let g = fermi::practice::grade::grade_answer(&a, &a, &q("storage.total"), "800 TB").unwrap();
    assert_eq!(g.verdict, fermi::practice::grade::Verdict::RightOrder);
    assert!(g.reason.contains("within 2×"), "{}", g.reason);
}

#[test]
fn grading_a_worksheet_against_another_design_warns() {
    let w = fermi(&["worksheet", "designs/chat.fermi"]).stdout;
    let dir = design("chat.md", &w);
    let other = root().join("designs/url-shortener.fermi").display().to_string();
    let run = fermi_in(&dir, &["grade", &other, "chat.md"]);
    assert!(run.stderr.contains("warning: chat.md is a worksheet for"), "{}", run.stderr);
    let own = root().join("designs/chat.fermi").display().to_string();
    assert!(!fermi_in(&dir, &["grade", &own, "chat.md"]).stderr.contains("warning"));
}

#[test]
fn a_drill_asks_about_tiers_says_when_it_has_fewer_questions_and_ignores_a_stray_enter() {
    use std::io::Write;
    // Seed 3 is a chat scenario: 300M users × 20 messages a day = 6B calls a day.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fermi"))
        .args(["drill", "--seed", "3", "--questions", "20"])
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"\n6B\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("this scenario has 9 questions; --questions 20 asks all of them"), "{text}");
    assert!(text.contains("(no answer yet: type one, or `skip`"), "{text}");
    assert!(text.contains("correct: expected 6B"), "the Enter did not use up Q1: {text}");
    assert!(!text.contains("**"), "no Markdown bold in the terminal: {text}");
    // The tiers are asked about, and the method shows a formula, not `send.daily = 6B = 6B`.
    let dir = design("answers.txt", &"skip\n".repeat(9));
    let run = fermi_in(&dir, &["drill", "--seed", "3", "--questions", "20", "--answers-from", "answers.txt"]);
    assert!(run.stdout.contains("How many `store` nodes"), "{}", run.stdout);
    assert!(run.stdout.contains("method: send.daily = send.rate × 1 day"), "{}", run.stdout);
}

/// Issue #19 item 9: for every question on every design, each input its derivation reads
/// (walked here through the plan's own `inputs`, down to the design's inputs) is on the sheet,
/// by name or as the text the design wrote.
#[test]
fn every_worksheet_states_every_input_its_answers_read() {
    for f in design_files() {
        let text = std::fs::read_to_string(root().join("designs").join(&f)).unwrap();
        let a = crate::support::analyze(&text);
        let sheet = fermi::practice::worksheet::worksheet(&a, false);
        for q in fermi::practice::questions::questions(&a) {
            let mut todo = vec![q.name.clone()];
            let mut seen = std::collections::BTreeSet::new();
            while let Some(n) = todo.pop() {
                if !seen.insert(n.clone()) {
                    continue;
                }
                let Some(d) = a.plan.get(&n) else { continue };
                match &d.source {
                    fermi::model::Provenance::Input { origin } if n != q.name => {
                        let written = match origin {
                            fermi::design::Origin::Written { span } => {
                                let t = a.source.slice(*span);
                                let v = t.split_once('=').map_or(t, |(_, v)| v).split('#').next().unwrap_or("");
                                Some(v.trim().trim_end_matches(';').trim().to_string())
                            }
                            _ => None,
                        };
                        let stated = sheet.contains(&format!("`{n}`"))
                            || written.as_ref().is_some_and(|w| !w.is_empty() && sheet.contains(w.as_str()));
                        assert!(stated, "{f}: question `{}` reads `{n}`, which the worksheet does not state", q.name);
                    }
                    _ => todo.extend(d.inputs.iter().cloned()),
                }
            }
        }
        // Paths decide which tiers each call reaches: each request's path as written.
        for r in &a.design.requests {
            let Some(span) = a.design.spans.get(&format!("{}.path", r.name)) else { continue };
            let t = a.source.slice(*span);
            let written = t.split_once('=').map_or(t, |(_, v)| v).split('#').next().unwrap_or("");
            let hops: Vec<String> = written
                .trim()
                .trim_end_matches(';')
                .split("->")
                .map(|h| h.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect();
            let line = format!("path {}", hops.join(" → "));
            assert!(sheet.contains(&line), "{f}: the worksheet does not state `{}`'s {line}", r.name);
        }
    }
}

//! `fermi fmt`: the canonical layout never changes what a design means (the plan of the
//! formatted text equals the plan of the original), is a fixed point (fmt(fmt(x)) = fmt(x)),
//! keeps every comment, and `--check` reports without writing.

use crate::designs::design_files;
use crate::support::{design, fermi_in, root};
use fermi::source::SourceFile;
use proptest::prelude::*;
use std::collections::BTreeMap;

fn fmt(text: &str) -> String {
    fermi::syntax::fmt::format(&SourceFile::new("t.fermi", text))
        .unwrap_or_else(|d| panic!("did not format:\n{}\n{text}", d.render(&SourceFile::new("t.fermi", text))))
}

/// Every plan entry's value (bits, so NaN equals NaN).
fn plan(text: &str) -> BTreeMap<String, u64> {
    let a = crate::support::analyze(text);
    a.plan.names().map(|n| (n.to_string(), a.plan.value(n).to_bits())).collect()
}

fn comments(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.find(" #").or(l.trim_start().starts_with('#').then_some(0)).map(|_| l))
        .map(|l| {
            let at = l.find('#').unwrap_or(0);
            l[at..].trim_end().to_string()
        })
        .filter(|c| !c.contains('"'))
        .collect()
}

#[test]
fn formatting_a_design_keeps_its_plan_and_comments_and_is_a_fixed_point() {
    for f in design_files() {
        let text = std::fs::read_to_string(root().join("designs").join(&f)).unwrap();
        let once = fmt(&text);
        assert_eq!(fmt(&once), once, "{f}: formatting twice changed the text");
        assert_eq!(plan(&once), plan(&text), "{f}: formatting changed the plan");
        assert_eq!(comments(&once), comments(&text), "{f}: a comment was lost or changed");
        assert!(once.lines().all(|l| l.chars().count() <= 100 || !l.trim_end().ends_with('}')), "{f}");
    }
}

/// A design's text with its layout scrambled: indentation, spacing around `=`, consecutive
/// fields of a block joined by `;`, and extra blank lines — its meaning untouched.
fn scrambled(text: &str, seed: &[u8]) -> String {
    let mut k = 0;
    let mut next = || {
        k += 1;
        seed[k % seed.len()]
    };
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        let plain = !line.contains('#') && !line.contains('"') && !line.contains('{') && !line.contains('}');
        let body = line.trim_start();
        let mut l = format!("{}{}", " ".repeat(usize::from(next() % 7)), body);
        if plain && body.contains(" = ") && !body.starts_with("let") {
            l = l.replacen(
                " = ",
                &format!("{}={}", " ".repeat(usize::from(next() % 3)), " ".repeat(1 + usize::from(next() % 2))),
                1,
            );
            let joinable = out.last().is_some_and(|p| {
                !p.contains('#')
                    && !p.contains('"')
                    && !p.contains('{')
                    && !p.contains('}')
                    && p.contains('=')
                    && !p.trim_start().starts_with("let")
            });
            if joinable
                && next() % 2 == 0
                && let Some(prev) = out.last_mut()
            {
                prev.push_str(&format!(";{}", l.trim_start()));
                continue;
            }
        }
        out.push(l);
        if body.is_empty() && next() % 3 == 0 {
            out.push(String::new());
        }
    }
    out.join("\n") + "\n"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn scrambled_layouts_format_to_the_same_meaning_and_a_fixed_point(
        which in 0usize..64,
        seed in prop::collection::vec(any::<u8>(), 1..32),
    ) {
        let files = design_files();
        let f = &files[which % files.len()];
        let text = std::fs::read_to_string(root().join("designs").join(f)).unwrap();
        let mixed = scrambled(&text, &seed);
        prop_assume!(fermi::syntax::parse(&SourceFile::new("t.fermi", mixed.as_str())).is_ok());
        let once = fmt(&mixed);
        prop_assert_eq!(fmt(&once), once.clone(), "{}: not a fixed point", f);
        prop_assert_eq!(plan(&once), plan(&text), "{}: the plan changed", f);
        // Layout is all that was scrambled, so the canonical layout does not depend on it
        // (trailing comments keep their column, so lines with comments are left out).
        let strip = |t: &str| t.lines().filter(|l| !l.contains('#')).map(str::to_string).collect::<Vec<_>>();
        prop_assert_eq!(strip(&once), strip(&fmt(&text)), "{}: layout depends on the input's spacing", f);
    }
}

const MESSY: &str = "# a design\ndesign \"m\" {\n users {   dau=1M\n peak = 2x   # busy evenings\n }\n\n\n\n  request r { rate = 1 per user per day ; path = api }\n  tier api { capacity = 1K rps }\n}\n";

#[test]
fn fmt_rewrites_files_and_check_names_the_unformatted_without_writing() {
    let dir = design("messy.fermi", MESSY);
    std::fs::write(dir.join("tidy.fermi"), fmt(MESSY)).unwrap();
    let check = fermi_in(&dir, &["fmt", "--check", "."]);
    assert_eq!(check.code, 1, "{}{}", check.stdout, check.stderr);
    assert_eq!(check.stdout, "would reformat ./messy.fermi\n");
    assert_eq!(std::fs::read_to_string(dir.join("messy.fermi")).unwrap(), MESSY, "--check wrote");
    let run = fermi_in(&dir, &["fmt", "messy.fermi", "tidy.fermi"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "formatted messy.fermi\n");
    let tidy = std::fs::read_to_string(dir.join("messy.fermi")).unwrap();
    assert_eq!(
        tidy,
        "# a design\ndesign \"m\" {\n  users {\n    dau  = 1M\n    peak = 2x # busy evenings\n  }\n\n  request r { rate = 1 per user per day; path = api }\n  tier api { capacity = 1K rps }\n}\n"
    );
    assert_eq!(fermi_in(&dir, &["fmt", "--check", "messy.fermi", "tidy.fermi"]).code, 0);
}

#[test]
fn fmt_refuses_a_file_that_does_not_parse() {
    let dir = design("broken.fermi", "design \"b\" {\n  users { dau = (1M }\n}\n");
    let run = fermi_in(&dir, &["fmt", "broken.fermi"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("broken.fermi:2:"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.join("broken.fermi")).unwrap(),
        "design \"b\" {\n  users { dau = (1M }\n}\n"
    );
}

//! Inputs that once crashed or misread fermi (found by fuzzing or reported), kept in
//! `tests/fuzz-regressions/`: each is read the way the CLI reads a file and analysed; none
//! may panic or overflow the stack, and a failure must carry a diagnostic with a location
//! inside the file. Add a crash input from `fuzz/artifacts/` here as a new file.
//! `let-chain-with-gaps.fermi` is a libFuzzer timeout (the `doc` target, 8.4 s instrumented):
//! a broken chain of 2,800 `let`s failed once per link, 1,807 diagnostics in all; now each
//! broken link is evaluated once and the list is capped at 50 errors and a count of the rest.

use crate::support::root;

#[test]
fn every_regression_input_is_analysed_or_rejected_with_a_located_error() {
    let dir = root().join("tests/fuzz-regressions");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 7, "{} regression inputs", files.len());
    let config = fermi::design::profile::ProjectConfig::built_in();
    let sampling = fermi::uncertainty::Settings { samples: 200, threads: 1, ..Default::default() };
    let options = fermi::analysis::Options { sampling, ..Default::default() };
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&path).unwrap();
        let len = bytes.len();
        let (source, diagnostics) = match fermi::syntax::decode(name.clone(), bytes) {
            Ok(source) => match fermi::analysis::analyze(source.clone(), &config, options) {
                Ok(_) => continue,
                Err(f) => (f.source, f.diagnostics),
            },
            Err(failure) => failure,
        };
        assert!(!diagnostics.0.is_empty(), "{name}: failed without a diagnostic");
        for d in &diagnostics.0 {
            let span = d.primary_span();
            assert!((span.start as usize) <= len && span.start <= span.end, "{name}: {span:?} outside the file");
            let rendered = d.render(&source);
            assert!(rendered.contains(&format!("{name}:")), "{name}: no location in\n{rendered}");
        }
    }
}

/// The fuzz timeout: a 2,800-`let` chain with broken links. Each broken link is evaluated and
/// reported once, and the list stops at 50 errors plus one that counts the rest, so the run is
/// quick (it took 2.9 s in a debug build and printed 1,807 errors before).
#[test]
fn a_long_broken_let_chain_fails_fast_with_a_capped_located_error_list() {
    let started = std::time::Instant::now();
    let run = crate::support::fermi(&["check", "tests/fuzz-regressions/let-chain-with-gaps.fermi"]);
    let took = started.elapsed();
    assert_eq!(run.code, 2, "{}", run.stdout);
    // Generous for a loaded 2-core machine and a debug build; the uncapped run took 2.9 s.
    assert!(took < std::time::Duration::from_secs(20), "took {took:?}");
    let errors: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("error[")).collect();
    assert_eq!(errors.len(), 51, "50 errors and a count of the rest:\n{}", errors.join("\n"));
    assert!(errors[0].starts_with("error[fermi::"), "{}", errors[0]);
    let last = errors[50];
    assert!(last.starts_with("error[fermi::too-many-errors]") && last.contains("more errors"), "{last}");
    assert!(run.stderr.contains("let-chain-with-gaps.fermi:1235:15"), "the count points at the next error");
    // Every error names its place in the file.
    let located =
        run.stderr.lines().filter(|l| l.contains("┌─ tests/fuzz-regressions/let-chain-with-gaps.fermi:")).count();
    assert_eq!(located, 51);
}

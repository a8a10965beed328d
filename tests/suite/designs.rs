//! Every design in `designs/` checks clean, and its estimate (table, JSON, Markdown) matches
//! the golden files under `tests/suite/snapshots/` (refresh: `FERMI_BLESS=1 cargo test`).

use crate::support::{fermi, golden, root};

/// The design files, sorted.
pub(crate) fn design_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("designs"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".fermi"))
        .collect();
    files.sort();
    files
}

#[test]
fn there_are_real_designs_for_the_classic_problems() {
    let files = design_files();
    for stem in [
        "url-shortener",
        "news-feed",
        "chat",
        "file-store",
        "video-platform",
        "rate-limiter",
        "notifications",
        "autocomplete",
        "key-value-store",
        "api-gateway",
    ] {
        assert!(files.contains(&format!("{stem}.fermi")), "designs/{stem}.fermi is missing");
    }
}

#[test]
fn every_design_checks_clean() {
    let mut args = vec!["check".to_string()];
    args.extend(design_files().into_iter().map(|f| format!("designs/{f}")));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = fermi(&args);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains("FAIL"));
}

#[test]
fn every_design_opens_with_its_problem_and_a_list_of_assumptions() {
    // The header above `design` says what is being sized, then lists the assumptions behind
    // the numbers as `# - ` bullets (a count of `#` lines passed for any three comments).
    for f in design_files() {
        let text = std::fs::read_to_string(root().join("designs").join(&f)).unwrap();
        let header: Vec<&str> = text.lines().take_while(|l| !l.starts_with("design ")).collect();
        assert!(
            header.iter().all(|l| l.starts_with('#') || l.trim().is_empty()),
            "designs/{f}: the header is comments"
        );
        assert!(
            header.first().is_some_and(|l| l.len() > 20 && !l.starts_with("# - ")),
            "designs/{f}: the header first says what the design sizes"
        );
        assert!(
            header.iter().any(|l| l.to_lowercase().contains("assumption")),
            "designs/{f}: the header names no assumptions"
        );
        let bullets = header.iter().filter(|l| l.starts_with("# - ")).count();
        assert!(bullets >= 3, "designs/{f}: {bullets} assumptions listed as `# - ` bullets in the header");
    }
}

#[test]
fn every_design_matches_its_golden_outputs() {
    for f in design_files() {
        let stem = f.trim_end_matches(".fermi");
        let path = format!("designs/{f}");
        for (format, ext) in [("table", "txt"), ("json", "json"), ("markdown", "md")] {
            let run = fermi(&["estimate", &path, "--format", format]);
            assert_eq!(run.code, 0, "{path}: {}", run.stderr);
            golden(&format!("{stem}.{ext}"), &run.stdout);
        }
    }
}

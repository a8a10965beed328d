//! Malformed inputs: each must exit 2 and print exactly its golden diagnostic
//! (`tests/suite/snapshots/errors/NAME.txt`: `error[code]: message`, `file:line:column`, the
//! quoted line with its caret, and the help). `$` in a case's source marks the column the
//! error must point at (it is removed before the run); the code, message and help written
//! beside a case are what a bless checks before it accepts new output.

use crate::support::{design, fermi_in};

struct Case {
    name: &'static str,
    source: &'static str,
    code: &'static str,
    message: &'static str,
    help: &'static str,
}

const fn case(
    name: &'static str,
    source: &'static str,
    code: &'static str,
    message: &'static str,
    help: &'static str,
) -> Case {
    Case { name, source, code, message, help }
}

const CASES: &[Case] = &[
    // ── syntax ──
    case("no_design", "$users { dau = 1M }", "fermi::syntax", "expected design", "design \"Name\""),
    case("unnamed_design", "design ${ }", "fermi::syntax", "expected a string", "name the design"),
    case("unclosed_string", "design $\"oops {\n}", "fermi::unterminated-string", "not closed", "closing"),
    case("bad_escape", "design \"a$\\qb\" {\n}", "fermi::bad-escape", "unknown escape", "\\n"),
    case(
        "leading_dot",
        "design \"x\" {\n  users { dau = $.5 }\n}",
        "fermi::leading-dot",
        "must start with a digit",
        "0.5",
    ),
    case("unclosed_block", "design \"x\" ${\n  users { dau = 1M }\n", "fermi::unclosed-block", "never closed", "`}`"),
    case("trailing_text", "design \"x\" {\n}\n$stray", "fermi::trailing-text", "after the design", "inside"),
    case("two_designs", "design \"a\" {\n}\n$design \"b\" {\n}", "fermi::trailing-text", "exactly one design", ""),
    case(
        "nested_block",
        "design \"x\" {\n  request r {\n    rate = 1 rps\n  $tier t { capacity = 1 rps }\n}",
        "fermi::nested-block",
        "do not nest",
        "`}` missing",
    ),
    case("missing_equals", "design \"x\" {\n  users { dau $1M }\n}", "fermi::syntax", "expected `=`", "dau = value"),
    case("missing_value", "design \"x\" {\n  users { dau = $}\n}", "fermi::syntax", "expected a value", ""),
    case(
        "assert_single_equals",
        "design \"x\" {\n  assert traffic.peak_rps $= 5 rps\n}",
        "fermi::syntax",
        "expected a comparison",
        "==",
    ),
    case(
        "two_statements_one_line",
        "design \"x\" {\n  users { dau = 1M $peak = 2x }\n}",
        "fermi::syntax",
        "expected a newline or `;`",
        "one statement per line",
    ),
    case(
        "dangling_arrow",
        "design \"x\" {\n  request r { rate = 1 rps; path = a -> $}\n}",
        "fermi::syntax",
        "expected a value",
        "",
    ),
    case("unclosed_paren", "design \"x\" {\n  users { dau = (1M + 2M $}\n}", "fermi::syntax", "expected `)`", ""),
    // ── units and dimensions ──
    case(
        "ambiguous_m",
        "design \"x\" {\n  users { dau = 100$m }\n}",
        "fermi::ambiguous-suffix",
        "`100m` is ambiguous",
        "write `100M` for 100 million",
    ),
    case(
        "unknown_unit",
        "design \"x\" {\n  request r { rate = 1 rps; response = 5 $KBB }\n}",
        "fermi::unknown-unit",
        "unknown unit `KBB`",
        "did you mean `KB`",
    ),
    case(
        "payload_in_lower_case_mb",
        "design \"x\" {\n  request r { rate = 1 rps; request = 2 $mb }\n}",
        "fermi::unknown-unit",
        "unknown unit `mb`",
        "did you mean `MB` (bytes) or `Mb` (bits)?",
    ),
    case(
        "glued_scale_and_unit",
        "design \"x\" {\n  tier t { capacity = 5$Krps }\n}",
        "fermi::unknown-unit",
        "unknown unit `Krps`",
        "`5K rps`",
    ),
    case(
        "field_dimension",
        "design \"x\" {\n  request r { rate = $5 ms }\n}",
        "fermi::dimension-mismatch",
        "`rate` needs a rate; `5 ms` is a duration",
        "1 per user per day",
    ),
    case(
        "add_data_and_time",
        "design \"x\" {\n  let x = $1 KB + 5 ms\n}",
        "fermi::dimension-mismatch",
        "cannot add a data size and a duration",
        "",
    ),
    case(
        "range_dimensions",
        "design \"x\" {\n  users { dau = $1 KB to 5 ms }\n}",
        "fermi::dimension-mismatch",
        "ends of a range differ",
        "units on both ends",
    ),
    case(
        "range_order",
        "design \"x\" {\n  users { dau = $120M to 80M }\n}",
        "fermi::range-order",
        "from low to high",
        "low to high",
    ),
    case(
        "uniform_order",
        "design \"x\" {\n  users { dau = $uniform(120M, 80M) }\n}",
        "fermi::range-order",
        "low to high",
        "uniform(low, high)",
    ),
    case(
        "correlate_a_certain_input",
        "design \"x\" {\n  let a = 1M to 2M\n  correlate a, $users.peak = 0.5\n  users { dau = a }\n}",
        "fermi::correlation",
        "`users.peak` is not an uncertain input",
        "LOW to HIGH",
    ),
    case(
        "correlate_out_of_range",
        "design \"x\" {\n  let a = 1M to 2M\n  let b = 1 to 2\n  correlate a, b = $1.5\n  users { dau = a * b }\n}",
        "fermi::correlation",
        "between −1 and 1",
        "correlate a, b = 0.8",
    ),
    case(
        "correlate_inconsistent",
        "design \"x\" {\n  let a = 1 to 2\n  let b = 1 to 2\n  let c = 1 to 2\n  correlate a, b = 0.9\n  correlate b, c = 0.9\n  $correlate a, c = -0.9\n  users { dau = a * b * c }\n}",
        "fermi::correlation",
        "cannot all hold together",
        "weaken one of them",
    ),
    case(
        "correlate_without_comma",
        "design \"x\" {\n  let a = 1 to 2\n  correlate a $b = 0.5\n}",
        "fermi::syntax",
        "`,` between the two inputs",
        "correlate users.dau, reads = 0.8",
    ),
    case(
        // The hint's example is longer than a shown name may be, but has spaces: it stays whole.
        "correlate_a_number",
        "design \"x\" {\n  let a = 1M to 2M\n  correlate $3, a = 0.5\n  users { dau = a }\n}",
        "fermi::correlation",
        "takes the names of two uncertain inputs",
        "write `correlate users.dau, reads_per_write = 0.8`",
    ),
    case(
        "normal_one_argument",
        "design \"x\" {\n  users { dau = $normal(100M) }\n}",
        "fermi::arguments",
        "takes two numbers",
        "normal(mean, sd)",
    ),
    case(
        "normal_negative_sd",
        "design \"x\" {\n  users { dau = normal(100M, $-5M) }\n}",
        "fermi::negative-spread",
        "cannot be negative",
        "normal(mean, sd)",
    ),
    case(
        "plus_minus_wrong_unit",
        "design \"x\" {\n  users { dau = 100M ± $5 ms }\n}",
        "fermi::dimension-mismatch",
        "spread after ± must be",
        "x ± 10%",
    ),
    case(
        "string_for_number",
        "design \"x\" {\n  users { dau = $\"many\" }\n}",
        "fermi::type",
        "expected a number, found a string",
        "",
    ),
    case("division_by_zero", "design \"x\" {\n  let x = 1 / $0\n}", "fermi::division-by-zero", "division by zero", ""),
    case(
        "out_of_range_availability",
        "design \"x\" {\n  slo { availability = $120% }\n}",
        "fermi::out-of-range",
        "between 0% and 100%",
        "",
    ),
    // ── names and structure ──
    case(
        "unknown_tier",
        "design \"x\" {\n  request r { rate = 1 rps; path = api -> $nowhere }\n  tier api { capacity = 1K rps }\n}",
        "fermi::unknown-tier",
        "unknown tier `nowhere`; tiers are api",
        "tier nowhere",
    ),
    case(
        "unknown_field",
        "design \"x\" {\n  request r {\n    rate = 1 rps\n    $respons = 1 KB\n  }\n}",
        "fermi::unknown-field",
        "unknown field `respons`",
        "did you mean `response`",
    ),
    case(
        "unknown_block",
        "design \"x\" {\n  $user { dau = 1M }\n}",
        "fermi::unknown-block",
        "unknown block `user`",
        "did you mean `users`",
    ),
    case(
        "missing_rate",
        "design \"x\" {\n  $request r { api = \"GET /\" }\n}",
        "fermi::missing-field",
        "needs a `rate`",
        "per user per day",
    ),
    case(
        "missing_capacity",
        "design \"x\" {\n  $tier api { headroom = 2x }\n}",
        "fermi::missing-field",
        "needs a `capacity`",
        "profile = app",
    ),
    case(
        "per_user_without_dau",
        "design \"x\" {\n  request r { rate = $1 per user per day }\n}",
        "fermi::missing-dau",
        "needs the number of daily users",
        "users { dau",
    ),
    case(
        "unknown_name",
        "design \"x\" {\n  users { dau = 1M }\n  let twice = $users.dua * 2\n}",
        "fermi::unknown-name",
        "unknown name `users.dua`",
        "did you mean `users.dau`",
    ),
    case(
        "cycle",
        "design \"x\" {\n  let a = b + 1\n  let b = $a * 2\n}",
        "fermi::cycle",
        "depends on itself",
        "break the cycle",
    ),
    case(
        "duplicate_field",
        "design \"x\" {\n  users {\n    dau = 1M\n    $dau = 2M\n  }\n}",
        "fermi::duplicate",
        "`dau` is defined twice",
        "remove one",
    ),
    case(
        "duplicate_tier",
        "design \"x\" {\n  tier api { capacity = 1 rps }\n  tier $api { capacity = 2 rps }\n}",
        "fermi::duplicate",
        "`api` is defined twice",
        "",
    ),
    case(
        "duplicate_block",
        "design \"x\" {\n  users { dau = 1M }\n  $users { peak = 2x }\n}",
        "fermi::duplicate-block",
        "`users` is written twice",
        "merge",
    ),
    case(
        "bad_request_kind",
        "design \"x\" {\n  request r { rate = 1 rps; kind = $writes }\n}",
        "fermi::unknown-word",
        "`writes` is not a valid `kind`",
        "did you mean `write`",
    ),
    case(
        "bad_policy",
        "design \"x\" {\n  tier c { kind = cache; capacity = 1K rps; hit_ratio = 50%; policy = $lur }\n}",
        "fermi::unknown-word",
        "`lur` is not a valid `policy`",
        "did you mean `lru`",
    ),
    case(
        "cache_field_on_service",
        "design \"x\" {\n  tier api { capacity = 1K rps; $policy = lru }\n}",
        "fermi::field-for-kind",
        "`policy` applies to cache tiers",
        "kind = cache",
    ),
    case(
        "unknown_profile",
        "design \"x\" {\n  tier c { profile = $reddis }\n}",
        "fermi::unknown-profile",
        "unknown profile `reddis`",
        "did you mean `redis`",
    ),
    case(
        "bad_skew",
        "design \"x\" {\n  workload { skew = $zipfian(0.9) }\n}",
        "fermi::unknown-word",
        "is not a skew",
        "did you mean `zipf`",
    ),
    case(
        "bad_latency_key",
        "design \"x\" {\n  slo { $latency q99 = 5 ms }\n}",
        "fermi::latency-percentile",
        "`q99` is not a percentile",
        "p99",
    ),
    case(
        "reserved_name",
        "design \"x\" {\n  tier $users { capacity = 1 rps }\n}",
        "fermi::reserved-name",
        "`users` is reserved",
        "",
    ),
    case(
        "within_without_equals",
        "design \"x\" {\n  assert traffic.peak_rps $< 5 rps within 1%\n}",
        "fermi::type",
        "`within` goes with `==`",
        "",
    ),
    case(
        "cache_without_size",
        "design \"x\" {\n  $tier c { kind = cache; capacity = 1K rps }\n}",
        "fermi::missing-field",
        "needs a `size` or a `hit_ratio`",
        "1% of keys",
    ),
    case(
        "assert_unknown_result",
        "design \"x\" {\n  assert $traffic.peek_rps < 5 rps\n}",
        "fermi::unknown-name",
        "unknown name `traffic.peek_rps`",
        "did you mean `traffic.peak_rps`",
    ),
    case(
        "assert_dimensions",
        "design \"x\" {\n  assert $traffic.peak_rps < 5 GB\n}",
        "fermi::dimension-mismatch",
        "cannot compare a rate with a data size",
        "",
    ),
];

fn location(source: &str) -> (usize, usize) {
    let at = source.find('$').expect("case marks its error position with $");
    let before = &source[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// The golden file holding a case's whole stderr.
fn snapshot_path(name: &str) -> std::path::PathBuf {
    crate::support::root().join("tests/suite/snapshots/errors").join(format!("{name}.txt"))
}

/// What is wrong with a run of `fermi estimate` on a case, if anything. The run must exit 2,
/// write nothing to stdout, and write to stderr exactly the case's golden file: the whole
/// rendered diagnostic, header, location, quoted line, caret and help. `FERMI_BLESS=1`
/// rewrites the golden file, but only with output that points at the `$`, carries the case's
/// code and says its message and help (so a bless cannot accept a diagnostic about
/// something else).
fn problems(name: &str, source: &str, code: &str, message: &str, help: &str) -> Option<String> {
    let (line, column) = location(source);
    let dir = design("case.fermi", &source.replacen('$', "", 1));
    let run = fermi_in(&dir, &["estimate", "case.fermi"]);
    let shown: String = run.stderr.chars().take(2_000).collect();
    let mut problems: Vec<String> = [
        (run.code != 2).then(|| format!("exit code {} (want 2)", run.code)),
        (!run.stdout.is_empty()).then(|| "wrote to stdout".to_string()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let path = snapshot_path(name);
    if std::env::var_os("FERMI_BLESS").is_some() {
        let at = format!("case.fermi:{line}:{column}");
        problems.extend(
            [
                (!run.stderr.contains(&at)).then(|| format!("no `{at}`")),
                (!run.stderr.contains(&format!("[{code}]"))).then(|| format!("no code {code}")),
                (!run.stderr.contains(message)).then(|| format!("no message `{message}`")),
                (!run.stderr.contains(help)).then(|| format!("no help `{help}`")),
                (run.stderr.contains("panicked")).then(|| "panicked".to_string()),
            ]
            .into_iter()
            .flatten(),
        );
        if problems.is_empty() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &run.stderr).unwrap();
        }
    } else {
        match std::fs::read_to_string(&path) {
            Err(_) => problems.push(format!("no golden file {}", path.display())),
            Ok(want) if want != run.stderr => {
                let got: String = run.stderr.chars().take(2_000).collect();
                let want: String = want.chars().take(2_000).collect();
                return Some(format!(
                    "{name}: stderr differs from {}\n--- got\n{got}\n--- want\n{want}",
                    path.display()
                ));
            }
            Ok(_) => {}
        }
    }
    (!problems.is_empty()).then(|| format!("{name}: {}\n{shown}", problems.join("; ")))
}

#[test]
fn every_malformed_input_exits_2_with_its_whole_diagnostic() {
    let failures: Vec<String> =
        CASES.iter().filter_map(|c| problems(c.name, c.source, c.code, c.message, c.help)).collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

#[test]
fn every_error_golden_file_belongs_to_a_case() {
    // A case renamed or removed leaves its golden file behind, compared with nothing. (Not
    // while blessing: the other tests are writing the folder.)
    if std::env::var_os("FERMI_BLESS").is_some() {
        return;
    }
    let tests = ["several_errors_are_reported_at_once", "recovery_after_non_ascii_text"];
    let names: Vec<String> = CASES
        .iter()
        .map(|c| c.name.to_string())
        .chain(generated_cases().into_iter().map(|c| c.0))
        .chain(tests.iter().map(|n| n.to_string()))
        .collect();
    let dir = crate::support::root().join("tests/suite/snapshots/errors");
    let orphans: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".txt")).map(str::to_string))
        .filter(|n| !names.contains(n))
        .collect();
    assert!(orphans.is_empty(), "golden files in {} with no case: {orphans:?}", dir.display());
}

/// Cases too long to write out: expressions and chains past the parser's and evaluator's
/// limits (they used to overflow the stack and abort). The contract: nesting deeper than a
/// fixed limit of at least 256 is an error at the place it is exceeded.
fn generated_cases() -> Vec<(String, String, &'static str, &'static str, &'static str)> {
    let parens =
        format!("design \"x\" {{\n  let a = {}${}1{}\n}}", "(".repeat(256), "(".repeat(1_744), ")".repeat(2_000));
    let minus = format!("design \"x\" {{\n  let a = {}${}1\n}}", "-".repeat(256), "-".repeat(5_744));
    let sum = format!("design \"x\" {{\n  let a = 1{}$+1{}\n}}", "+1".repeat(1_023), "+1".repeat(7_975));
    let call = format!("design \"x\" {{\n  let a = {}$normal(1, 2){}\n}}", "(".repeat(256), ")".repeat(256));
    // 2,800 `let`s, each naming the one before, reached from `users.dau`: the 257th link
    // (from `a2546` to `a2545`) is where it stops.
    let mut lets = String::from("design \"x\" {\n  let a0 = 1\n");
    for k in 1..=2_800 {
        let marker = if k == 2_546 { "$" } else { "" };
        lets.push_str(&format!("  let a{k} = {marker}a{} + 1\n", k - 1));
    }
    lets.push_str("  users { dau = a2800 }\n}");
    // Short chains of long expressions: each link is cheap, their sum is not.
    let mut tall = String::from("design \"x\" {\n  let b0 = 1\n");
    // Names are evaluated in name order, so some links are known before others; the one
    // where evaluation passes 1,536 levels is `b213`'s reference to `b212`.
    for k in 1..=250 {
        let marker = if k == 213 { "$" } else { "" };
        tall.push_str(&format!("  let b{k} = {marker}b{}{}\n", k - 1, " + 0".repeat(40)));
    }
    tall.push_str("  users { dau = b250 }\n}");
    vec![
        ("nesting_past_256".into(), parens, "fermi::too-deep", "nest at most 256 deep", "let part = …"),
        ("minus_signs_past_256".into(), minus, "fermi::too-deep", "nest at most 256 deep", "let part = …"),
        ("sum_of_9000_terms".into(), sum, "fermi::too-deep", "more than 1024 operations deep", "let part = …"),
        ("call_nested_past_256".into(), call, "fermi::too-deep", "nest at most 256 deep", "let part = …"),
        (
            "let_chain_of_2800".into(),
            lets,
            "fermi::too-deep",
            "chain of more than 256 names: users.dau → a2800 → a2799 → … → a2547 → a2546 → a2545",
            "write some of these values directly",
        ),
        (
            "let_chain_too_deep_to_evaluate".into(),
            tall,
            "fermi::too-deep",
            "nested too deeply to evaluate",
            "write some of the values",
        ),
    ]
}

#[test]
fn expressions_past_the_nesting_limits_are_located_errors_not_crashes() {
    let cases = generated_cases();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(name, source, code, message, help)| problems(name, source, code, message, help))
        .collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn nesting_up_to_the_limit_still_evaluates() {
    // 256 levels is the contract's floor; the value is checked by hand: ((…(1 + 1)…)) = 2,
    // 256 minus signs cancel, 1,000 ones add up to 1,000.
    let parens = format!("{}1 + 1{}", "(".repeat(256), ")".repeat(256));
    assert_eq!(fermi::calc::calc(&parens).map(|r| r.value.si).ok(), Some(2.0));
    let minus = format!("{}1", "- ".repeat(256));
    assert_eq!(fermi::calc::calc(&minus).map(|r| r.value.si).ok(), Some(1.0));
    let sum = vec!["1"; 1_000].join(" + ");
    assert_eq!(fermi::calc::calc(&sum).map(|r| r.value.si).ok(), Some(1_000.0));
    let mut lets = String::from("design \"x\" {\n  let a0 = 1\n");
    for k in 1..=250 {
        lets.push_str(&format!("  let a{k} = a{} + 1\n", k - 1));
    }
    lets.push_str("  users { dau = a250 * 1K }\n  request r { rate = 1 per user per day }\n}\n");
    let a = crate::support::analyze(&lets);
    assert_eq!(a.plan.value("traffic.daily"), 251_000.0);
}

#[test]
fn the_calculator_sim_flags_and_fermi_toml_stop_at_the_limits_too() {
    let deep = format!("{}1{}", "(".repeat(1_700), ")".repeat(1_700));
    let sum = vec!["1"; 9_000].join("+");
    for args in [
        vec!["calc".to_string(), deep.clone()],
        vec!["calc".to_string(), sum.clone()],
        vec!["calc".to_string(), "--".to_string(), format!("{}1", "-".repeat(6_000))],
        vec!["sim".to_string(), "cache".to_string(), "--size".to_string(), deep.clone()],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = crate::support::fermi(&args);
        assert_eq!(run.code, 2, "{}: {}", args[0], run.stderr.chars().take(500).collect::<String>());
        assert!(run.stderr.contains("[fermi::too-deep]"), "{}", run.stderr.chars().take(500).collect::<String>());
        assert!(run.stderr.contains("<expression>:1:"), "{}", run.stderr.chars().take(500).collect::<String>());
    }
    let dir = design("svc.fermi", "design \"x\" {\n  tier kv { profile = big }\n}\n");
    std::fs::write(dir.join("fermi.toml"), format!("[profile.big]\ncapacity = \"{sum} rps\"\n")).unwrap();
    let run = fermi_in(&dir, &["estimate", "svc.fermi"]);
    assert_eq!(run.code, 2, "{}", run.stderr.chars().take(500).collect::<String>());
    assert!(run.stderr.contains("[fermi::too-deep]"), "{}", run.stderr.chars().take(800).collect::<String>());
    assert!(run.stderr.contains("fermi.toml:2:"), "{}", run.stderr.chars().take(800).collect::<String>());
}

#[test]
fn several_errors_are_reported_at_once() {
    let dir = design(
        "many.fermi",
        "design \"x\" {\n  users { dau = 100m }\n  request r {\n    rate = 5 ms\n    respons = 1 KB\n  }\n}\n",
    );
    let run = fermi_in(&dir, &["estimate", "many.fermi"]);
    assert_eq!(run.code, 2);
    for at in ["many.fermi:2:20", "many.fermi:4:12", "many.fermi:5:5"] {
        assert!(run.stderr.contains(at), "missing {at} in\n{}", run.stderr);
    }
    crate::support::golden("errors/several_errors_are_reported_at_once.txt", &run.stderr);
}

#[test]
fn the_caret_sits_under_the_problem() {
    let dir = design("caret.fermi", "design \"x\" {\n  users { dau = 100m }\n}\n");
    let run = fermi_in(&dir, &["estimate", "caret.fermi"]);
    let lines: Vec<&str> = run.stderr.lines().collect();
    let src = lines.iter().position(|l| l.ends_with("users { dau = 100m }")).expect("source line quoted");
    let quoted = lines[src];
    let caret = lines[src + 1];
    let col_in_quote = quoted.find("m }").unwrap();
    assert_eq!(caret.find('^'), Some(col_in_quote), "\n{quoted}\n{caret}");
}

#[test]
fn a_missing_file_is_a_usage_error_not_a_panic() {
    let run = crate::support::fermi(&["estimate", "designs/does-not-exist.fermi"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("reading designs/does-not-exist.fermi"), "{}", run.stderr);
}

/// Whole rendered diagnostics, caret line included, for inputs whose bytes matter: the file
/// as bytes, and the exact stderr of `fermi estimate case.fermi`.
const RENDERED: &[(&str, &[u8], &str)] = &[
    (
        "invalid_utf8_is_located",
        b"design \"x\" {\n  summary = \"caf\xe9\"\n}\n",
        "error[fermi::invalid-utf8]: this file is not valid UTF-8: byte 0xE9 cannot be read as text
  ┌─ case.fermi:2:17
  │
2 │   summary = \"caf\u{FFFD}\"
  │                 ^ not UTF-8
  │
  = help: save the file as UTF-8 (in most editors: Save with Encoding → UTF-8)

",
    ),
    (
        "lone_cr_ends_a_line",
        b"design \"x\" {\r  users { dau = 1M }\r  let a = 100m\r}\r",
        "error[fermi::ambiguous-suffix]: `100m` is ambiguous
  ┌─ case.fermi:3:14
  │
3 │   let a = 100m
  │              ^ lower-case `m` is neither million nor minutes here
  │
  = help: did you mean `100M` (million), `100 min` (minutes) or `100 ms` (milliseconds)?

",
    ),
    (
        "bom_and_crlf",
        b"\xef\xbb\xbfdesign \"x\" {\r\n  summary = \"\xc3\xa9\"\r\n  let a = 100m\r\n}\r\n",
        "error[fermi::ambiguous-suffix]: `100m` is ambiguous
  ┌─ case.fermi:3:14
  │
3 │   let a = 100m
  │              ^ lower-case `m` is neither million nor minutes here
  │
  = help: did you mean `100M` (million), `100 min` (minutes) or `100 ms` (milliseconds)?

",
    ),
    (
        "too_deep_at_the_parenthesis_that_exceeds",
        b"design \"x\" {\n  let a = ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1\n}\n",
        "error[fermi::too-deep]: expressions nest at most 256 deep
  ┌─ case.fermi:2:267
  │
2 │   let a = ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1
  │                                                                                                                                                                                                                                                                           ^
  │
  = help: name an inner part with `let part = …` and use `part` here

",
    ),
    (
        // `zipf` is a skew's name; it needs its exponent, and suggesting the word itself
        // ("did you mean `zipf`?") does not help.
        "skew_without_exponent",
        b"design \"x\" {\n  workload { skew = zipf }\n}\n",
        "error[fermi::unknown-word]: `zipf` is not a skew
  ┌─ case.fermi:2:21
  │
2 │   workload { skew = zipf }
  │                     ^^^^ not a skew
  │
  = help: write `zipf(0.9)`, `uniform` or `hotspot(10%, 90%)`
",
    ),
    (
        // A combining acute accent after `cafe` is not part of the name: it is shown by its
        // code point, not printed raw on top of the backtick.
        "combining_mark_shown_by_code_point",
        "design \"x\" {\n  let x = cafe\u{301} + 1\n}\n".as_bytes(),
        "error[fermi::syntax]: expected a newline or `;`, found `<U+0301>`
  ┌─ case.fermi:2:15
  │
2 │   let x = cafe\u{301} + 1
  │                expected a newline or `;`
  │
  = help: put one statement per line, or separate them with `;`
",
    ),
];

#[test]
fn a_very_long_name_is_elided_in_the_message() {
    let name = "a".repeat(200_000);
    let dir = design("long.fermi", &format!("design \"x\" {{\n  users {{ dau = {name} }}\n}}\n"));
    let run = fermi_in(&dir, &["estimate", "long.fermi"]);
    assert_eq!(run.code, 2);
    let elided = format!("unknown name `{}…{}`", "a".repeat(30), "a".repeat(9));
    assert!(run.stderr.contains(&elided), "{}", run.stderr.chars().take(300).collect::<String>());
    // The quoted source line is the one place the whole name remains (about 200 KB; it was
    // four times that: message, source line, carets, hint).
    assert!(run.stderr.len() < 201_000, "{} bytes", run.stderr.len());
}

#[test]
fn control_characters_in_a_name_are_shown_by_code_point() {
    let dir = design("ctl.fermi", "design \"x\" {\n  tier t { kind = \"ser\u{7}vice\u{200B}\" }\n}\n");
    let run = fermi_in(&dir, &["estimate", "ctl.fermi"]);
    assert_eq!(run.code, 2);
    let message = run.stderr.lines().find(|l| l.starts_with("error[fermi::unknown-word]")).unwrap_or_default();
    assert!(message.contains("`\"ser<U+0007>vice<U+200B>\"` is not a valid `kind`"), "{}", run.stderr);
    // The quoted source line stays as written; only what fermi says is escaped.
    let said: String = run.stderr.lines().filter(|l| !l.contains('│')).collect();
    assert!(!said.contains('\u{7}') && !said.contains('\u{200B}'), "{}", run.stderr);
}

#[test]
fn explain_lists_each_suggestion_once() {
    for (name, expected) in [("storage.totl", "storage.total"), ("api", "api.load")] {
        let run = crate::support::fermi(&["explain", "designs/url-shortener.fermi", name]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        let help = run.stderr.lines().find(|l| l.contains("did you mean")).unwrap_or_default();
        let listed: Vec<&str> = help.rsplit(": ").next().unwrap_or_default().split(", ").collect();
        assert_eq!(listed.iter().filter(|n| **n == expected).count(), 1, "{help}");
        let mut unique = listed.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), listed.len(), "{help}");
    }
}

#[test]
fn rendered_diagnostics_point_at_the_right_line_and_column() {
    let mut failures = Vec::new();
    for (name, bytes, want) in RENDERED {
        let dir = crate::support::scratch();
        std::fs::write(dir.join("case.fermi"), bytes).unwrap();
        let run = fermi_in(&dir, &["estimate", "case.fermi"]);
        if run.code != 2 || run.stderr.trim_end() != want.trim_end() {
            failures.push(format!("{name}: exit {}\n--- got\n{}\n--- want\n{want}", run.code, run.stderr));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn recovery_after_a_line_with_non_ascii_text_finds_the_next_error() {
    // Skipping the rest of a bad line must move by bytes: 'é' is two bytes, one character.
    let dir = design(
        "many.fermi",
        "design \"x\" {\n  summary = \"x\" oops \"éééééééééé\"\n  users { dau = 1M peak = 2x }\n}\n",
    );
    let run = fermi_in(&dir, &["estimate", "many.fermi"]);
    assert_eq!(run.code, 2);
    for at in ["many.fermi:2:17", "many.fermi:3:20"] {
        assert!(run.stderr.contains(at), "missing {at} in\n{}", run.stderr);
    }
    crate::support::golden("errors/recovery_after_non_ascii_text.txt", &run.stderr);
}

/// Designs a new user writes from `docs/language.md` alone, with the usual mistakes (wrong
/// units, misspelled fields and keywords, missing blocks, percent against fraction, wrong
/// nesting, and the version 2 additions: `stores = … in TIER`, `record`, `scenario`, `cost`
/// and `price`, `connections`, `network`), in `tests/first-hour/`. `fermi check` on each must
/// give a right answer or an error at file:line:column saying what was expected with a hint
/// that leads to the fix; the whole output, caret lines included, is held in `NAME.out`
/// beside each (rewritten with `FERMI_BLESS=1`, then read in the diff).
#[test]
fn a_new_users_own_designs_get_a_right_answer_or_a_whole_helpful_error() {
    let dir = crate::support::root().join("tests/first-hour");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "fermi"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "{} designs", files.len());
    let bless = std::env::var_os("FERMI_BLESS").is_some();
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let run = fermi_in(&dir, &["check", &name]);
        let got = format!("exit {}\n{}{}", run.code, run.stdout, run.stderr);
        let expected_path = file.with_extension("out");
        if bless {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != want {
            failures.push(format!("{name}:\n--- got\n{got}\n--- want\n{want}"));
        }
        // an error is located and hinted; a design that checks is a right answer
        match run.code {
            0 => {}
            2 => {
                if !run.stderr.contains(&format!("┌─ {name}:")) || !run.stderr.contains("= help: ") {
                    failures.push(format!("{name}: an error without a location or a hint:\n{}", run.stderr));
                }
            }
            code => failures.push(format!("{name}: exit {code}\n{}", run.stderr)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

//! Malformed inputs: each must exit 2 with `file:line:column`, a stable code, a message that
//! says what was expected, and a hint where one helps. `$` in a case's source marks the
//! column the error must point at (it is removed before the run).

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
        "100M` (million) or `100 ms",
    ),
    case(
        "unknown_unit",
        "design \"x\" {\n  request r { rate = 1 rps; response = 5 $KBB }\n}",
        "fermi::unknown-unit",
        "unknown unit `KBB`",
        "did you mean `KB`",
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

#[test]
fn there_are_at_least_thirty_malformed_inputs() {
    assert!(CASES.len() >= 30, "{} cases", CASES.len());
}

#[test]
fn every_malformed_input_exits_2_with_location_message_and_hint() {
    let mut failures = Vec::new();
    for c in CASES {
        let (line, column) = location(c.source);
        let dir = design("case.fermi", &c.source.replacen('$', "", 1));
        let run = fermi_in(&dir, &["estimate", "case.fermi"]);
        let at = format!("case.fermi:{line}:{column}");
        let problems: Vec<String> = [
            (run.code == 2).then_some(()).map_or(Some(format!("exit code {} (want 2)", run.code)), |_| None),
            (!run.stderr.contains(&at)).then(|| format!("no `{at}`")),
            (!run.stderr.contains(&format!("[{}]", c.code))).then(|| format!("no code {}", c.code)),
            (!run.stderr.contains(c.message)).then(|| format!("no message `{}`", c.message)),
            (!run.stderr.contains(c.help)).then(|| format!("no help `{}`", c.help)),
            (run.stderr.contains("panicked")).then(|| "panicked".to_string()),
            (!run.stdout.is_empty()).then(|| "wrote to stdout".to_string()),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !problems.is_empty() {
            failures.push(format!("{}: {}\n{}", c.name, problems.join("; "), run.stderr));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), CASES.len(), failures.join("\n"));
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

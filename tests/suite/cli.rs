//! The CLI's contracts: exit codes, formats, explain, check, calc, nines, profiles.
use crate::support::{design, fermi, fermi_in};

#[test]
fn estimate_prints_every_section() {
    let run = fermi(&["estimate", "designs/url-shortener.fermi"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for title in
        ["Traffic", "Bandwidth", "Storage", "Tiers", "Latency", "Requests", "Availability", "Assumptions", "Checks"]
    {
        assert!(run.stdout.lines().any(|l| l.starts_with(title)), "no {title} section");
    }
    assert!(run.stdout.contains("547.5 TB"));
}

#[test]
fn rounded_mode_uses_the_interview_shortcut_and_two_figures() {
    let run = fermi(&["estimate", "designs/url-shortener.fermi", "--rounded"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // 100M a day ÷ 100K s = 1,000 rps exactly; 1B ÷ 100K = 10K.
    assert!(run.stdout.contains("1K rps"), "{}", run.stdout);
    assert!(run.stdout.contains("10K rps"), "{}", run.stdout);
    assert!(run.stdout.contains("interview shortcut"), "the shortcut is listed as an assumption");
}

#[test]
fn json_output_follows_the_documented_schema() {
    let run = fermi(&["estimate", "designs/url-shortener.fermi", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["schema"], "fermi.estimate/1");
    let total = &v["results"]["storage.total"];
    assert_eq!(total["unit"], "B");
    assert!((total["value"].as_f64().unwrap() - 547.5e12).abs() < 1.0);
    assert_eq!(total["display"], "547.5 TB");
    assert!(total["formula"].as_str().unwrap().contains("storage.yearly"));
    assert!(v["results"]["users.dau"]["origin"].as_str().unwrap().contains("url-shortener.fermi:12"));
    assert_eq!(v["tiers"][0]["name"], "api");
    assert_eq!(v["passed"], true);
}

#[test]
fn markdown_output_has_pipe_tables() {
    let run = fermi(&["estimate", "designs/chat.fermi", "--format", "markdown"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("# Chat\n"));
    assert!(run.stdout.contains("| request | kind | daily calls | average | peak |"));
}

#[test]
fn explain_traces_a_result_to_the_design_lines() {
    let run = fermi(&["explain", "designs/url-shortener.fermi", "storage.total"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("storage.total = 547.5 TB\n"));
    assert!(run.stdout.contains("= 36.5 TB × 5 × 3 × (1 + 0%)"), "{}", run.stdout);
    assert!(run.stdout.contains("designs/url-shortener.fermi:19:5"), "rate's line is cited:\n{}", run.stdout);
    assert!(run.stdout.contains("fermi default `0%`"), "defaults are named");
}

#[test]
fn explain_names_the_deciding_constraint() {
    let run = fermi(&["explain", "designs/url-shortener.fermi", "cache.nodes"]);
    assert!(run.stdout.contains("bound by memory"), "{}", run.stdout);
}

#[test]
fn explain_an_unknown_name_suggests_real_ones() {
    let run = fermi(&["explain", "designs/url-shortener.fermi", "storage.totl"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("storage.total"), "{}", run.stderr);
}

#[test]
fn check_exits_1_and_lists_each_failed_assert_with_both_values() {
    let dir = design(
        "d.fermi",
        "design \"d\" {\n  users { dau = 10M }\n  request r { rate = 10 per user per day }\n  assert traffic.peak_rps < 1K rps\n  assert r.daily == 100M\n}\n",
    );
    let run = fermi_in(&dir, &["check", "d.fermi"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("d.fermi:4:3: FAIL assert traffic.peak_rps < 1K rps"), "{}", run.stdout);
    assert!(run.stdout.contains("2.315K rps"), "left value shown (four figures, the display policy): {}", run.stdout);
    assert!(run.stdout.contains("1 passed, 1 failed"), "{}", run.stdout);
}

#[test]
fn check_reports_an_infeasible_availability_slo() {
    let dir = design(
        "slo.fermi",
        "design \"slo\" {\n  request r { rate = 1K rps; path = api }\n  slo { availability = 99.99% }\n  tier api { capacity = 1K rps }\n}\n",
    );
    let run = fermi_in(&dir, &["check", "slo.fermi", "--format", "json"]);
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let f = &v[0]["findings"][0];
    assert_eq!(f["kind"], "slo_availability");
    assert_eq!(f["passed"], false);
    assert_eq!(f["line"], 3);
    // 2K rps at peak needs both of 2 api nodes (99.9% each): 99.8%. One spare makes it 2 of 3:
    // 3a²(1 − a) + a³ = 99.9997%.
    let fix = f["suggestion"].as_str().unwrap();
    assert!(fix.contains("`spare = 1` on tier `api` (+1 nodes) gives 99.9997"), "{fix}");
    let text = fermi_in(&dir, &["check", "slo.fermi"]);
    assert!(text.stdout.contains("  fix: would meet it: `spare = 1`"), "{}", text.stdout);
}

/// When no single tier's change is enough, the suggestion combines them: here the api tier
/// alone (2 of 2 nodes at 99.9%) and the database alone (1 replica per shard) each cap the
/// composite below 99.99%, so both change. The combination is checked by re-estimating it.
#[test]
fn check_combines_changes_when_no_single_one_meets_the_availability_slo() {
    let src = "design \"slo\" {\n  request r { rate = 1K rps; path = api -> db }\n  slo { availability = 99.99% }\n  tier api { capacity = 1K rps }\n  tier db { kind = database; capacity = 1K rps }\n}\n";
    let dir = design("two.fermi", src);
    let run = fermi_in(&dir, &["check", "two.fermi", "--format", "json"]);
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let fix = v[0]["findings"][0]["suggestion"].as_str().unwrap().to_string();
    assert!(fix.starts_with("would meet it together: "), "{fix}");
    assert!(fix.contains("on tier `api`") && fix.contains("on tier `db`"), "{fix}");
    // Apply the suggested fields and the SLO holds.
    let spare = fix.split("`spare = ").nth(1).and_then(|t| t.split('`').next()).unwrap();
    let replicas = fix.split("`replicas = ").nth(1).and_then(|t| t.split('`').next()).unwrap();
    let fixed = src
        .replace("tier api { capacity = 1K rps }", &format!("tier api {{ capacity = 1K rps; spare = {spare} }}"))
        .replace("capacity = 1K rps }\n}", &format!("capacity = 1K rps; replicas = {replicas} }}\n}}"));
    let dir = design("fixed.fermi", &fixed);
    let run = fermi_in(&dir, &["check", "fixed.fermi"]);
    assert_eq!(run.code, 0, "{fixed}\n{}", run.stdout);
}

#[test]
fn calc_converts_units() {
    let run = fermi(&["calc", "500M * 100 * 200 B -> TB"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("10 TB  (10,000,000,000,000 B)"), "{}", run.stdout);
    let run = fermi(&["calc", "100M per day"]);
    assert!(run.stdout.starts_with("1.15741K rps"), "{}", run.stdout);
    let run = fermi(&["calc", "5 GB -> ms"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot show a data size in `ms`"), "{}", run.stderr);
}

#[test]
fn nines_accepts_the_language_and_other_calendars() {
    let run = fermi(&["nines", "4 nines"]);
    assert!(run.stdout.contains("99.99%") && run.stdout.contains("52.56 min"), "{}", run.stdout);
    let run = fermi(&["nines", "99.9%", "--calendar", "30-day-months"]);
    assert!(run.stdout.contains("30-day months"), "{}", run.stdout);
    assert!(run.stdout.contains("43.2 min"), "30 days × 0.1% = 43.2 min: {}", run.stdout);
    let run = fermi(&["nines", "5 ms"]);
    assert_eq!(run.code, 2);
}

#[test]
fn project_profiles_come_from_the_nearest_fermi_toml() {
    let dir = design(
        "svc.fermi",
        "design \"p\" {\n  request r { rate = 400K rps; path = kv }\n  tier kv { profile = redis; hit_ratio = 0% }\n}\n",
    );
    std::fs::write(
        dir.join("fermi.toml"),
        "[profile.redis]\nkind = \"cache\"\ncapacity = \"200K rps\"\nmemory = \"64 GB\"\nsource = \"our load test, 2026-10\"\n",
    )
    .unwrap();
    let run = fermi_in(&dir, &["explain", "svc.fermi", "kv.nodes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // 400K rps average × the default 2x peak = 800K rps over the project's 200K rps per node.
    assert!(run.stdout.contains("= ⌈800K rps × 1x ÷ 200K rps⌉"), "{}", run.stdout);
    assert!(run.stdout.contains("our load test, 2026-10"), "{}", run.stdout);
    let run = fermi_in(&dir, &["profiles"]);
    assert!(run.stdout.contains("fermi.toml") && run.stdout.contains("200K rps"), "{}", run.stdout);
}

#[test]
fn a_bad_fermi_toml_points_into_the_toml() {
    let dir = design("svc.fermi", "design \"p\" {\n}\n");
    std::fs::write(dir.join("fermi.toml"), "[profile.fast]\ncapacity = \"5 GB\"\nspeed = \"1\"\n").unwrap();
    let run = fermi_in(&dir, &["estimate", "svc.fermi"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("fermi.toml:3:9"), "{}", run.stderr);
    assert!(run.stderr.contains("unknown profile field `speed`"), "{}", run.stderr);
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_fermi"))
        .args(["estimate", "designs/video-platform.fermi"])
        .current_dir(crate::support::root())
        .env_remove("RUST_BACKTRACE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    assert_eq!(fermi(&["estimate"]).code, 2);
    assert_eq!(fermi(&["frobnicate"]).code, 2);
    let help = fermi(&["--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("fermi calc"));
}

#[test]
fn the_example_project_uses_its_profiles_and_reports_relative_paths() {
    let run = fermi(&["estimate", "examples/project/orders.fermi", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["passed"], true);
    let why: Vec<String> =
        v["assumptions"].as_array().unwrap().iter().map(|a| a["why"].as_str().unwrap().to_string()).collect();
    assert!(why.iter().any(|w| w.contains("(examples/project/fermi.toml)")), "{why:?}");
    assert!(
        !run.stdout.contains(&crate::support::root().display().to_string()),
        "an absolute path leaked into the output"
    );
    // The profile's 3K–6K rps range is used at its lognormal median √(3K × 6K) ≈ 4.243K rps.
    let cap = v["results"]["orders.capacity"]["value"].as_f64().unwrap();
    assert!((cap - (3e3f64 * 6e3).sqrt()).abs() < 1e-6, "{cap}");
}

#[test]
fn check_explains_an_infeasible_latency_slo() {
    let dir = design(
        "lat.fermi",
        "design \"lat\" {\n  request r { rate = 1K rps; path = api -> auth }\n  slo { latency p99 = 10 ms }\n  tier api { capacity = 5K rps; service_time = 1 ms; concurrency = 8 }\n  tier auth { capacity = 2K rps; service_time = 5 ms; concurrency = 8 }\n}\n",
    );
    let run = fermi_in(&dir, &["check", "lat.fermi"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    // The path pays two 0.5 ms hops (contract v2), so auth's share of 10 ms is
    // (10 − 1) × 5/6 = 7.5 ms, but an idle M/M/c node's p99 is already 5 ms × ln(100) = 23.03 ms.
    assert!(run.stdout.contains("tier `auth`: infeasible: even an idle node's p99 is 23.03 ms"), "{}", run.stdout);
    assert!(run.stdout.contains("7.5 ms"), "{}", run.stdout);
}

#[test]
fn estimate_prints_the_plan_and_exits_1_when_an_assert_fails_like_check() {
    // The README's rule: exit 1 means a check failed, for every command that evaluates checks.
    let dir = design(
        "d.fermi",
        "design \"d\" {\n  users { dau = 10M }\n  request r { rate = 10 per user per day }\n  assert traffic.peak_rps < 1K rps\n}\n",
    );
    let run = fermi_in(&dir, &["estimate", "d.fermi"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("FAIL"), "the plan is still printed: {}", run.stdout);
    assert_eq!(fermi_in(&dir, &["check", "d.fermi"]).code, 1);
    let run = fermi_in(&dir, &["estimate", "d.fermi", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.trim_start().starts_with('{'), "{}", run.stdout);
    // A passing design still exits 0.
    assert_eq!(fermi(&["estimate", "designs/url-shortener.fermi"]).code, 0);
}

#[test]
fn profiles_of_a_path_that_does_not_exist_is_an_error() {
    let run = fermi(&["profiles", "/nonexistent/designs"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("/nonexistent/designs") && run.stderr.contains("no such file"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn project_defaults_of_the_wrong_kind_are_errors_located_in_fermi_toml() {
    for (line, col, message) in [
        ("peak = \"3 ms\"", 9, "`peak` in [project] needs a plain ratio"),
        ("peak = \"0.5\"", 9, "`peak` in [project] must be at least 1x"),
        ("calendar = \"12\"", 13, "`calendar` in [project] needs a duration"),
        ("seconds_per_day = \"5 GB\"", 20, "`seconds_per_day` in [project] needs a number of seconds"),
        ("seconds_per_day = \"-5\"", 20, "`seconds_per_day` in [project] must be positive"),
    ] {
        let dir =
            design("svc.fermi", "design \"p\" {\n  users { dau = 1M }\n  request r { rate = 1 per user per day }\n}\n");
        std::fs::write(dir.join("fermi.toml"), format!("[project]\n{line}\n")).unwrap();
        let run = fermi_in(&dir, &["estimate", "svc.fermi"]);
        assert_eq!(run.code, 2, "{line}: {}", run.stdout);
        assert!(run.stderr.contains(&format!("fermi.toml:2:{col}")), "{line}: {}", run.stderr);
        assert!(run.stderr.contains(message), "{line}: {}", run.stderr);
        assert!(
            run.stderr.contains("help") && run.stderr.contains(&format!("{} = ", line.split(' ').next().unwrap())),
            "{}",
            run.stderr
        );
    }
    // A good one is still used: a 3x peak triples the 11.57 rps average (1M ÷ 86,400 s).
    let dir =
        design("svc.fermi", "design \"p\" {\n  users { dau = 1M }\n  request r { rate = 1 per user per day }\n}\n");
    std::fs::write(dir.join("fermi.toml"), "[project]\npeak = \"3x\"\n").unwrap();
    let run = fermi_in(&dir, &["explain", "svc.fermi", "traffic.peak_rps"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("34.72 rps"), "{}", run.stdout);
}

#[test]
fn a_lower_case_m_is_explained_for_the_field_it_is_written_in() {
    let dir =
        design("c.fermi", "design \"c\" {\n  users { dau = 50m }\n  request r { rate = 1 per user per day }\n}\n");
    let run = fermi_in(&dir, &["check", "c.fermi"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("write `50M` for 50 million"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("ms") && !run.stderr.contains("minutes"),
        "a user count is not a time: {}",
        run.stderr
    );
    let dir = design(
        "t.fermi",
        "design \"t\" {\n  users { dau = 1M }\n  request r { rate = 1 per user per day }\n  storage { retention = 5m }\n}\n",
    );
    let run = fermi_in(&dir, &["check", "t.fermi"]);
    assert!(run.stderr.contains("`5 min` for minutes or `5 ms`"), "{}", run.stderr);
    assert!(!run.stderr.contains("million"), "{}", run.stderr);
}

/// Piped output fits 100 columns (a review width) unless `--wide`; counted in characters.
#[test]
fn piped_tables_fit_100_columns_unless_wide() {
    let widest = |args: &[&str]| {
        let run = fermi(args);
        run.stdout.lines().map(|l| l.chars().count()).max().unwrap_or(0)
    };
    for args in [
        &["estimate", "designs/url-shortener.fermi"][..],
        &["estimate", "designs/url-shortener-uncertain.fermi"],
        &["estimate", "designs/video-platform.fermi"],
        &["profiles"],
    ] {
        let w = widest(args);
        assert!(w <= 100, "{args:?}: a line of {w} columns");
    }
    // It was 182 columns wide before (the Assumptions table); --wide keeps that.
    assert!(widest(&["estimate", "designs/url-shortener.fermi", "--wide"]) > 100);
    assert!(widest(&["profiles", "--wide"]) > 100);
}

#[test]
fn sim_cache_of_a_design_marks_the_tiers_size_and_explains_the_plans_hit_ratio() {
    let run = fermi(&["sim", "cache", "designs/url-shortener.fermi", "--policy", "lru"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.matches("(tier's size)").count(), 1, "{}", run.stdout);
    assert!(run.stdout.contains("the plan's 49.67% is for the design's 36.5B keys"), "{}", run.stdout);
    assert!(run.stdout.contains("its miss ratio relative to Che applied at full scale"), "{}", run.stdout);
}

#[test]
fn sim_shard_of_a_design_says_why_strategies_tie() {
    let run = fermi(&["sim", "shard", "designs/url-shortener.fermi"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("tie at load max/mean 1 with the same hottest shard (node 0)"), "{}", run.stdout);
    assert!(run.stdout.contains("only the first of equals"), "{}", run.stdout);
}

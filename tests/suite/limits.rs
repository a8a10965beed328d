//! Counts far beyond any loop and inputs far beyond any budget: every command finishes quickly,
//! with a number or with a clear error that names the limit and the flag to change.

use crate::support::{design, root};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `fermi ARGS` in `dir` with `env`, killing it after `limit`: (exit code, stdout,
/// stderr, elapsed), with code −1 when it had to be killed.
fn run_within(
    dir: &std::path::Path,
    args: &[&str],
    env: &[(&str, &str)],
    limit: Duration,
) -> (i32, String, String, Duration) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fermi"));
    cmd.args(args).current_dir(dir).env("NO_COLOR", "1").stdout(Stdio::piped()).stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let start = Instant::now();
    let mut child = cmd.spawn().expect("run fermi");
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let out = child.wait_with_output().expect("output");
            let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
            return (status.code().unwrap_or(-1), text(out.stdout), text(out.stderr), start.elapsed());
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return (-1, String::new(), String::new(), start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn url_shortener_with(from: &str, to: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string(root().join("designs/url-shortener.fermi")).unwrap();
    assert!(text.contains(from), "the design no longer says {from}");
    design("d.fermi", &text.replacen(from, to, 1))
}

/// k of n summed once per needed node and Erlang C once per server never finished at these
/// counts (issue 13); both are now tails whose cost does not grow with the count.
#[test]
fn estimates_with_astronomical_counts_finish_at_once() {
    for (from, to) in
        [("dau  = 100M", "dau  = 1e300"), ("concurrency  = 16", "concurrency  = 1e9"), ("dau  = 100M", "dau  = 1e14")]
    {
        let dir = url_shortener_with(from, to);
        let (code, out, err, took) = run_within(&dir, &["estimate", "d.fermi"], &[], Duration::from_secs(30));
        assert!(code == 0 || code == 1, "{to}: exit {code} after {took:?}\n{err}");
        assert!(took < Duration::from_secs(10), "{to}: took {took:?}");
        assert!(out.contains("availability"), "{to}:\n{out}");
    }
}

/// A billion workers per node at a small fraction of their load: an arrival essentially never
/// waits, so the mean latency is the service time itself (Erlang C → 0 far below saturation;
/// Kleinrock, Queueing Systems Vol. 1, §3.5).
#[test]
fn a_billion_workers_queue_for_nothing() {
    let text = std::fs::read_to_string(root().join("designs/url-shortener.fermi")).unwrap();
    let a = crate::support::analyze(&text.replacen("concurrency  = 16", "concurrency  = 1e9", 1));
    assert!(crate::support::value(&a, "api.wait.probability") < 1e-12);
    crate::support::close(crate::support::value(&a, "api.latency.mean"), 0.002, 1e-12);
}

/// Runs `fermi ARGS` pinned to CPU 0 (`taskset`, so `available_parallelism` is 1) and on
/// every CPU; `None` when `taskset` is missing or the machine has one CPU.
fn on_one_and_all_cpus(args: &[&str]) -> Option<(String, String)> {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let taskset = Command::new("taskset").arg("-c").arg("0").arg("true").status().ok()?;
    if cpus < 2 || !taskset.success() {
        return None;
    }
    let one = Command::new("taskset")
        .args(["-c", "0", env!("CARGO_BIN_EXE_fermi")])
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    let all = Command::new(env!("CARGO_BIN_EXE_fermi")).args(args).current_dir(root()).output().unwrap();
    assert!(one.status.success() && all.status.success(), "{}", String::from_utf8_lossy(&all.stderr));
    Some((String::from_utf8(one.stdout).unwrap(), String::from_utf8(all.stdout).unwrap()))
}

/// Float sums split per worker made `sim shard` differ in the last digits between 1 and 2
/// CPUs (issue 13): the same bytes whatever the thread count.
#[test]
fn sim_shard_output_is_the_same_on_one_cpu_and_on_all() {
    let args = ["sim", "shard", "--nodes", "37", "--keys", "300K", "--strategy", "all", "--format", "json"];
    if let Some((one, all)) = on_one_and_all_cpus(&args) {
        assert_eq!(one, all);
    }
    let plan = ["sim", "shard", "designs/url-shortener.fermi", "--format", "json"];
    if let Some((one, all)) = on_one_and_all_cpus(&plan) {
        assert_eq!(one, all);
    }
}

#[test]
fn sim_shard_inputs_beyond_budgets_or_meaning_are_refused_with_the_flag_to_change() {
    let dir = root();
    for (args, want) in [
        (&["--vnodes", "0"][..], "--vnodes"),
        (&["--zipf", "NaN"], "--zipf"),
        (&["--nodes", "1000000", "--keys", "1e7"], "ring points"),
        (&["--vnodes", "4294967295"], "--vnodes"),
        (&["--nodes", "1e7"], "--nodes"),
        (&["--keys", "1e12", "--strategy", "jump"], "--keys"),
        (&["--uniform", "--zipf", "1"], "cannot be used with"),
        (&["--json", "--format", "table"], "cannot be used with"),
    ] {
        let mut all = vec!["sim", "shard"];
        all.extend_from_slice(args);
        let (code, _, err, took) = run_within(&dir, &all, &[], Duration::from_secs(20));
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(took < Duration::from_secs(5), "{args:?} took {took:?}");
    }
}

/// A design storing 10 MB per write has 1.4M database shards: its shard plan built a ring of
/// 350M points per vnode count (109 s, 4 GB). Now bounded, and the ring simulated is named.
#[test]
fn a_shard_plan_with_a_million_shards_stays_within_budget() {
    let dir = url_shortener_with("stores   = 1 KB ", "stores   = 10 MB");
    let (code, out, err, took) =
        run_within(&dir, &["sim", "shard", "d.fermi", "--strategy", "consistent,jump"], &[], Duration::from_secs(120));
    assert_eq!(code, 0, "{err}");
    assert!(took < Duration::from_secs(60), "took {took:?}");
    assert!(out.contains("vnodes)"), "{out}");
}

/// `sim cache` flags that mean nothing, conflict, or exceed a budget: exit 2 at once, with a
/// message naming the flag (issues 13 and 14).
#[test]
fn sim_cache_inputs_beyond_budgets_or_meaning_are_refused_with_the_flag_to_change() {
    let dir = root();
    for (args, want) in [
        (&["--zipf", "NaN"][..], "--zipf"),
        (&["--hotspot", "10%,abc,90%"], "`abc` is not a percentage"),
        (&["--object-size", "1e30 B"], "--object-size"),
        (&["--uniform", "--zipf", "1"], "cannot be used with"),
        (&["--json", "--format", "table"], "cannot be used with"),
        (&["--trace", "x.txt", "--zipf", "1"], "cannot be used with"),
        (&["--trace", "x.txt", "--objects", "10"], "cannot be used with"),
        (&["--size", "0"], "holds nothing"),
        (&["--size", "0%"], "holds nothing"),
        (&["--policy", "lur"], "did you mean `lru`?"),
        (&["--objects", "1e9"], "--objects"),
        (&["--requests", "1e12"], "--requests"),
        (&["--size", "1e12"], "--size"),
    ] {
        let mut all = vec!["sim", "cache"];
        all.extend_from_slice(args);
        let (code, _, err, took) = run_within(&dir, &all, &[], Duration::from_secs(20));
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(took < Duration::from_secs(5), "{args:?} took {took:?}");
    }
}

/// Plain `fermi sim cache` ran 10M requests through every policy with no output until the
/// end (issue 13: ~2 minutes): now a short run that says what it simulated.
#[test]
fn plain_sim_cache_is_quick_and_says_what_it_ran() {
    let (code, out, err, took) = run_within(&root(), &["sim", "cache"], &[], Duration::from_secs(60));
    assert_eq!(code, 0, "{err}");
    assert!(took < Duration::from_secs(20), "took {took:?}");
    assert!(out.starts_with("generated zipf(0.9) over 100,000 objects, 1,000,000 requests, seed 42"), "{out}");
}

fn trace(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = crate::support::scratch();
    std::fs::write(dir.join(name), bytes).unwrap();
    dir
}

fn sim_json(dir: &std::path::Path, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["sim", "cache", "--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err, _) = run_within(dir, &all, &[], Duration::from_secs(60));
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap()
}

/// An empty trace reported a hit ratio of 1 from 0 requests; extra columns were dropped.
#[test]
fn empty_traces_and_extra_columns_are_errors_with_their_place() {
    let dir = trace("empty.txt", b"# nothing\n\n");
    let (code, _, err, _) =
        run_within(&dir, &["sim", "cache", "--trace", "empty.txt", "--size", "1"], &[], Duration::from_secs(20));
    assert_eq!(code, 2);
    assert!(err.contains("no requests"), "{err}");
    let dir = trace("t.txt", b"1 10\n2 20\n3 30 extra\n");
    let (code, _, err, _) =
        run_within(&dir, &["sim", "cache", "--trace", "t.txt", "--size", "1"], &[], Duration::from_secs(20));
    assert_eq!(code, 2);
    assert!(err.contains("t.txt:3:6") && err.contains("`extra`"), "{err}");
}

/// Hand-counted: with one slot, LRU misses every change of key. Text keys are interned
/// exactly: `a b a a c b` in one slot misses on a, b, a, c, b (5 of 6).
#[test]
fn string_keys_stdin_zstd_csv_and_oracle_general_replay_the_same_requests() {
    let text = b"a 100\nb 100\na 100\na 100\nc 100\nb 100\n";
    let dir = trace("t.txt", text);
    let rows = sim_json(&dir, &["--trace", "t.txt", "--policy", "lru", "--size", "1"]);
    assert_eq!((rows[0]["requests"].as_u64(), rows[0]["misses"].as_u64()), (Some(6), Some(5)));

    // stdin.
    let mut child = Command::new(env!("CARGO_BIN_EXE_fermi"))
        .args(["sim", "cache", "--trace", "-", "--policy", "lru", "--size", "1", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(text).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let piped: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(piped[0]["misses"], rows[0]["misses"]);

    // zstd, by magic bytes (the system `zstd` tool writes it; skipped where it is missing).
    if Command::new("zstd")
        .args(["-q", "-f", "t.txt", "-o", "t.txt.zst"])
        .current_dir(&dir)
        .status()
        .is_ok_and(|s| s.success())
    {
        let z = sim_json(&dir, &["--trace", "t.txt.zst", "--policy", "lru", "--size", "1"]);
        assert_eq!(z[0]["misses"], rows[0]["misses"]);
    }

    // CSV with named columns and a header.
    std::fs::write(
        dir.join("t.csv"),
        "time,key,size,op\n1,a,1000,get\n2,b,1000,get\n3,a,1000,get\n4,a,1000,get\n5,c,1000,get\n6,b,1000,set\n",
    )
    .unwrap();
    let csv = sim_json(
        &dir,
        &[
            "--trace",
            "t.csv",
            "--trace-format",
            "csv",
            "--columns",
            "time,key,size,op",
            "--policy",
            "lru",
            "--size",
            "1 KB",
        ],
    );
    assert_eq!((csv[0]["requests"].as_u64(), csv[0]["misses"].as_u64()), (Some(6), Some(5)));

    // libCacheSim oracleGeneral: 24-byte little-endian records (u32 time, u64 id, u32 size,
    // i64 next access), as its traceConv writes them.
    let mut bin = Vec::new();
    for (t, id) in [(1u32, 10u64), (2, 20), (3, 10), (4, 10), (5, 30), (6, 20)] {
        bin.extend_from_slice(&t.to_le_bytes());
        bin.extend_from_slice(&id.to_le_bytes());
        bin.extend_from_slice(&1000u32.to_le_bytes());
        bin.extend_from_slice(&(-1i64).to_le_bytes());
    }
    std::fs::write(dir.join("t.oracleGeneral.bin"), &bin).unwrap();
    let og = sim_json(&dir, &["--trace", "t.oracleGeneral.bin", "--policy", "lru", "--size", "1 KB"]);
    assert_eq!((og[0]["requests"].as_u64(), og[0]["misses"].as_u64()), (Some(6), Some(5)));
    std::fs::write(dir.join("cut.bin"), &bin[..30]).unwrap();
    let (code, _, err, _) = run_within(
        &dir,
        &["sim", "cache", "--trace", "cut.bin", "--trace-format", "oracle-general", "--size", "1"],
        &[],
        Duration::from_secs(20),
    );
    assert_eq!(code, 2);
    assert!(err.contains("cut.bin:2:7") && err.contains("24-byte records"), "{err}");
}

/// `--samples 1e8` aborted allocating 6.4 GB (issue 13): refused with the budget and the flag.
#[test]
fn samples_beyond_the_budget_are_refused_with_the_limit() {
    let (code, _, err, took) = run_within(
        &root(),
        &["estimate", "designs/url-shortener-uncertain.fermi", "--samples", "1e8"],
        &[],
        Duration::from_secs(20),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--samples") && err.contains("200000"), "{err}");
    assert!(took < Duration::from_secs(5));
}

/// `fermi sim trace` on the reference trace generated with Zipf(0.9) over 200K ids
/// (shared/data/README.md): the fitted exponent is within 0.02 of 0.9; the counts are the
/// trace's own (2M requests; distinct keys as `sim cache` counts them).
#[test]
fn sim_trace_fits_the_reference_traces_zipf_exponent() {
    let path = root().join("../shared/data/zipf_a0.9_m200K_n2M_seed42.txt.gz");
    if !path.is_file() {
        eprintln!("skipping: {} is not here (a user's clone has no ../shared)", path.display());
        return;
    }
    let path = path.to_str().unwrap();
    let (code, out, err, _) =
        run_within(&root(), &["sim", "trace", path, "--format", "json"], &[], Duration::from_secs(60));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["requests"], 2_000_000);
    let alpha = v["zipf_alpha"].as_f64().unwrap();
    assert!((alpha - 0.9).abs() < 0.02, "{alpha}");
    let share = v["one_hit_share"].as_f64().unwrap();
    assert!(share > 0.0 && share < 1.0);
    let cache = sim_json(&root(), &["--trace", path, "--policy", "lru", "--size", "1"]);
    let (_, table, _, _) = run_within(
        &root(),
        &["sim", "cache", "--trace", path, "--policy", "lru", "--size", "1"],
        &[],
        Duration::from_secs(60),
    );
    assert!(
        table.contains(&format!("{} distinct objects", fermi::units::format::grouped(v["distinct"].as_f64().unwrap()))),
        "{table}"
    );
    assert_eq!(cache[0]["requests"], 2_000_000);
    // Hand-checkable: `a b a` is 3 requests, 2 keys, one of them seen once.
    let dir = trace("t.txt", b"a 1\nb 2\na 1\n");
    let (code, out, _, _) = run_within(&dir, &["sim", "trace", "t.txt"], &[], Duration::from_secs(20));
    assert_eq!(code, 0);
    assert!(
        out.contains("requests:          3")
            && out.contains("distinct keys:     2")
            && out.contains("50% of the distinct"),
        "{out}"
    );
}

/// LRU at many object counts is one stack-distance pass (Mattson et al. 1970: an LRU cache of
/// C holds the top C of one recency stack); its misses and missed bytes equal one simulation
/// per size, request for request.
#[test]
fn lru_at_many_sizes_in_one_pass_equals_one_run_per_size() {
    let mut text = String::new();
    let mut x = 7u64;
    for _ in 0..20_000 {
        x = fermi::sim::shard::mix64(x);
        let key = (x % 1000).min(x % 97 * 3);
        text.push_str(&format!("k{key} {}\n", 1 + x % 5000));
    }
    let dir = trace("t.txt", text.as_bytes());
    let sizes = ["5", "50", "120", "10%"];
    let together = sim_json(&dir, &["--trace", "t.txt", "--policy", "lru", "--size", &sizes.join(",")]);
    for (k, s) in sizes.iter().enumerate() {
        let alone = sim_json(&dir, &["--trace", "t.txt", "--policy", "lru", "--size", s]);
        assert_eq!(together[k], alone[0], "size {s}");
    }
}

/// A design at the nesting limits: 256 nested parentheses in the first `let`, and a chain of
/// 250 `let`s each nested 200 deep, so evaluating `users.dau` recurses through all of them.
fn design_at_the_nesting_limits() -> String {
    let mut text = format!("design \"deep\" {{\n  let a0 = {}1{}\n", "(".repeat(256), ")".repeat(256));
    for i in 1..250 {
        text.push_str(&format!("  let a{i} = ({}a{}{}) + 1\n", "(".repeat(200), i - 1, ")".repeat(200)));
    }
    text.push_str("  users { dau = a249 * 1M }\n  request r { rate = 1 per user per day }\n}\n");
    text
}

/// Every thread that evaluates a design has a stack of its own size, whatever the platform's
/// defaults: `RUST_MIN_STACK` sets the default for worker threads and `ulimit -s` the main
/// thread's, and before the fix a build's workers (2 MiB by default) and `check` on the main
/// thread overflowed on this design with them lowered (exit 134, "stack overflow").
#[test]
fn a_design_at_the_nesting_limits_builds_whatever_the_default_stack() {
    let dir = design("deep.fermi", &design_at_the_nesting_limits());
    let bin = env!("CARGO_BIN_EXE_fermi");
    for args in ["build . -o out", "check deep.fermi", "doc deep.fermi"] {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -s 512 && exec '{bin}' {args}"))
            .current_dir(&dir)
            .env("NO_COLOR", "1")
            .env("RUST_MIN_STACK", "262144")
            .output()
            .expect("run fermi");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "fermi {args}: {stderr}");
        assert!(!stderr.contains("overflow"), "fermi {args}: {stderr}");
    }
    // 1,000 users a day… of a249 = 250 (a0 = 1, plus 249 links): 250M daily users.
    assert!(std::fs::read_to_string(dir.join("out/deep.md")).unwrap().contains("250M"));
}

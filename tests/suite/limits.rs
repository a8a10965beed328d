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
        [("dau  = 100M", "dau  = 1e300"), ("concurrency = 16", "concurrency = 1e9"), ("dau  = 100M", "dau  = 1e14")]
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
    let a = crate::support::analyze(&text.replacen("concurrency = 16", "concurrency = 1e9", 1));
    assert!(crate::support::value(&a, "api.wait.probability") < 1e-12);
    crate::support::close(crate::support::value(&a, "api.latency.mean"), 0.002, 1e-12);
}

//! `fermi export`: Prometheus rules that the real `promtool` accepts and whose alerts fire at the
//! Google SRE Workbook's burn rates, a sloth spec and OpenSLO documents of the right shape, and
//! metric names from fermi.toml's `[metrics]`.

use crate::designs::design_files;
use crate::support::{fermi, fermi_in, root, scratch};
use std::path::Path;
use std::process::Command;
use yaml_rust2::{Yaml, YamlLoader};

/// `promtool`, when installed (CI installs Debian's `prometheus` package); `None` prints why the
/// test does nothing — except on CI, where it must be there.
fn promtool(test: &str) -> Option<&'static str> {
    let found = Command::new("promtool").arg("--version").output().is_ok_and(|o| o.status.success());
    // CI installs it (.ci/run), so there a missing promtool is a failure, not a skip.
    assert!(found || std::env::var_os("CI").is_none(), "{test}: promtool is missing on CI");
    if !found {
        println!("note: {test}: promtool is not installed (apt-get install prometheus); skipped");
    }
    found.then_some("promtool")
}

fn yaml_docs(text: &str) -> Vec<Yaml> {
    YamlLoader::load_from_str(text).unwrap_or_else(|e| panic!("not YAML ({e}):\n{text}"))
}

fn export(design: &str, to: &str) -> String {
    let run = fermi(&["export", design, "--to", to]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

fn check_rules(file: &Path) -> (bool, String) {
    let out = Command::new("promtool").args(["check", "rules"]).arg(file).output().unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn every_designs_rules_pass_promtool_check_rules() {
    let Some(_) = promtool("every_designs_rules_pass_promtool_check_rules") else { return };
    let dir = scratch();
    let mut checked = 0;
    for f in design_files() {
        let text = std::fs::read_to_string(root().join("designs").join(&f)).unwrap();
        if !text.contains("slo") {
            continue;
        }
        let out = dir.join(f.replace(".fermi", ".rules.yml"));
        let run = fermi(&["export", &format!("designs/{f}"), "--to", "prometheus", "-o", out.to_str().unwrap()]);
        assert_eq!(run.code, 0, "{f}: {}", run.stderr);
        let (ok, said) = check_rules(&out);
        assert!(ok, "promtool rejected the rules of {f}:\n{said}");
        assert!(said.contains("SUCCESS"), "{said}");
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} designs had SLOs");
}

#[test]
fn promtool_check_catches_a_broken_rule() {
    let Some(_) = promtool("promtool_check_catches_a_broken_rule") else { return };
    let good = export("designs/url-shortener.fermi", "prometheus");
    let dir = scratch();
    // A query with an unclosed parenthesis, a recording rule name Prometheus does not allow,
    // and a file that is not a rule file at all: each must fail the same check that passes
    // the real output.
    let broken = [
        good.replacen("sum(rate(", "sum((rate(", 1),
        good.replacen("record: 'fermi_slo:sli_error:ratio_rate5m'", "record: 'fermi slo error'", 1),
        good.replacen("groups:", "grups:", 1),
    ];
    let file = dir.join("good.yml");
    std::fs::write(&file, &good).unwrap();
    assert!(check_rules(&file).0, "the unbroken rules must pass");
    for (i, text) in broken.iter().enumerate() {
        assert_ne!(text, &good, "case {i} broke nothing");
        let file = dir.join(format!("broken-{i}.yml"));
        std::fs::write(&file, text).unwrap();
        let (ok, said) = check_rules(&file);
        assert!(!ok, "promtool accepted broken case {i}:\n{said}");
    }
}

/// Expected alert labels and annotations, read from the generated rules.
fn alert(rules: &Yaml, slo: &str, severity: &str) -> serde_json::Value {
    for group in rules["groups"].as_vec().unwrap() {
        for rule in group["rules"].as_vec().unwrap() {
            if rule["labels"]["fermi_slo"].as_str() == Some(slo)
                && rule["labels"]["severity"].as_str() == Some(severity)
            {
                let map = |y: &Yaml| {
                    let mut m = serde_json::Map::new();
                    for (k, v) in y.as_hash().unwrap() {
                        m.insert(k.as_str().unwrap().into(), v.as_str().unwrap().into());
                    }
                    serde_json::Value::Object(m)
                };
                return serde_json::json!({"exp_labels": map(&rule["labels"]), "exp_annotations": map(&rule["annotations"])});
            }
        }
    }
    panic!("no {severity} alert for {slo}");
}

#[test]
fn burn_rate_alerts_fire_at_the_workbook_thresholds() {
    let Some(promtool) = promtool("burn_rate_alerts_fire_at_the_workbook_thresholds") else { return };
    // The url-shortener's SLO is 99.99%: a budget of 0.01% errors. Google SRE Workbook,
    // "Alerting on SLOs", table 5-8: page at 14.4x (1 h and 5 m) or 6x (6 h and 30 m), ticket at
    // 3x (1 d and 2 h) or 1x (3 d and 6 h). An error ratio of 0.2% is a 20x burn (page and
    // ticket), 0.05% is 5x (ticket only), 0.005% is 0.5x (nothing).
    let text = export("designs/url-shortener.fermi", "prometheus");
    let rules = yaml_docs(&text).remove(0);
    let dir = scratch();
    std::fs::write(dir.join("rules.yml"), &text).unwrap();
    let page = alert(&rules, "shorten-availability", "page");
    let ticket = alert(&rules, "shorten-availability", "ticket");
    let case = |errors_per_min: f64, expected: Vec<serde_json::Value>| {
        serde_json::json!({
            "interval": "1m",
            "input_series": [
                {"series": "http_requests_total{handler=\"shorten\", code=\"200\"}", "values": format!("0+{}x180", 10_000.0 - errors_per_min)},
                {"series": "http_requests_total{handler=\"shorten\", code=\"500\"}", "values": format!("0+{errors_per_min}x180")},
            ],
            "alert_rule_test": [{"eval_time": "2h", "alertname": "UrlShortenerShortenAvailability", "exp_alerts": expected}],
        })
    };
    // Latency: 20% of `redirect` requests slower than the 100 ms p99 target is a 20x burn of
    // its 1% budget.
    let slow_page = alert(&rules, "redirect-latency-p99", "page");
    let slow_ticket = alert(&rules, "redirect-latency-p99", "ticket");
    let latency = serde_json::json!({
        "interval": "1m",
        "input_series": [
            {"series": "http_request_duration_seconds_bucket{handler=\"redirect\", le=\"0.1\"}", "values": "0+800x180"},
            {"series": "http_request_duration_seconds_bucket{handler=\"redirect\", le=\"+Inf\"}", "values": "0+1000x180"},
        ],
        "alert_rule_test": [{"eval_time": "2h", "alertname": "UrlShortenerRedirectLatencyP99", "exp_alerts": [slow_page, slow_ticket]}],
    });
    let tests = serde_json::json!({
        "rule_files": ["rules.yml"],
        "evaluation_interval": "1m",
        "tests": [case(20.0, vec![page.clone(), ticket.clone()]), case(5.0, vec![ticket]), case(0.5, vec![]), latency],
    });
    std::fs::write(dir.join("tests.yml"), tests.to_string()).unwrap();
    let out = Command::new(promtool).args(["test", "rules", "tests.yml"]).current_dir(&dir).output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "promtool test rules failed:\n{said}");
    assert!(said.contains("SUCCESS"), "{said}");
}

#[test]
fn prometheus_rules_record_every_window_and_use_the_plans_burn_rates() {
    let docs = yaml_docs(&export("designs/url-shortener.fermi", "prometheus"));
    let groups = docs[0]["groups"].as_vec().unwrap();
    // Two requests and the composite, each for availability and for the p99 target.
    let names: Vec<&str> = groups.iter().map(|g| g["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "fermi-url-shortener-shorten-availability",
            "fermi-url-shortener-shorten-latency-p99",
            "fermi-url-shortener-redirect-availability",
            "fermi-url-shortener-redirect-latency-p99",
            "fermi-url-shortener-all-availability",
            "fermi-url-shortener-all-latency-p99",
        ]
    );
    let rules = groups[0]["rules"].as_vec().unwrap();
    let records: Vec<&str> = rules.iter().filter_map(|r| r["record"].as_str()).collect();
    for w in ["5m", "30m", "1h", "2h", "6h", "1d", "3d"] {
        assert!(records.contains(&format!("fermi_slo:sli_error:ratio_rate{w}").as_str()), "{w}: {records:?}");
    }
    let page = rules.iter().find(|r| r["labels"]["severity"].as_str() == Some("page")).unwrap();
    let expr = page["expr"].as_str().unwrap();
    // The plan's burn rates (fermi explain … slo.burn_rate.1h = 14.4x) and the 99.99% objective.
    assert!(expr.contains("(14.4 * (1 - 0.9999))") && expr.contains("(6 * (1 - 0.9999))"), "{expr}");
    let ticket = rules.iter().find(|r| r["labels"]["severity"].as_str() == Some("ticket")).unwrap();
    let expr = ticket["expr"].as_str().unwrap();
    assert!(expr.contains("(3 * (1 - 0.9999))") && expr.contains("ratio_rate3d"), "{expr}");
    let explained = fermi(&["explain", "designs/url-shortener.fermi", "slo.burn_rate.6h"]);
    assert!(explained.stdout.starts_with("slo.burn_rate.6h = 6x"), "{}", explained.stdout);
    // Latency is a histogram ratio: requests over the 100 ms bucket among all.
    let latency = groups[1]["rules"][0]["expr"].as_str().unwrap();
    assert!(latency.contains(r#"http_request_duration_seconds_bucket{handler="shorten", le="0.1"}"#), "{latency}");
    assert!(latency.contains(r#"le="+Inf""#), "{latency}");
    // The composite covers both requests.
    let all = groups[4]["rules"][0]["expr"].as_str().unwrap();
    assert!(all.contains(r#"handler="shorten""#) && all.contains(r#"handler="redirect""#), "{all}");
}

#[test]
fn the_sloth_spec_has_sloths_shape() {
    let text = export("designs/url-shortener.fermi", "sloth");
    let spec = yaml_docs(&text).remove(0);
    assert_eq!(spec["version"].as_str(), Some("prometheus/v1"));
    assert_eq!(spec["service"].as_str(), Some("url-shortener"));
    let slos = spec["slos"].as_vec().unwrap();
    assert_eq!(slos.len(), 6);
    let first = &slos[0];
    assert_eq!(first["name"].as_str(), Some("shorten-availability"));
    // sloth's objective is a percentage in (0, 100].
    assert_eq!(first["objective"].as_f64(), Some(99.99));
    assert_eq!(slos[1]["objective"].as_i64(), Some(99));
    let events = &first["sli"]["events"];
    let error = events["error_query"].as_str().unwrap();
    let total = events["total_query"].as_str().unwrap();
    assert_eq!(error, r#"sum(rate(http_requests_total{handler="shorten", code=~"5.."}[{{.window}}]))"#);
    assert_eq!(total, r#"sum(rate(http_requests_total{handler="shorten"}[{{.window}}]))"#);
    let alerting = &first["alerting"];
    assert_eq!(alerting["name"].as_str(), Some("UrlShortenerShortenAvailability"));
    assert_eq!(alerting["page_alert"]["labels"]["severity"].as_str(), Some("page"));
    assert_eq!(alerting["ticket_alert"]["labels"]["severity"].as_str(), Some("ticket"));
    assert!(text.contains("--default-slo-period=30d"), "{text}");
    for slo in slos {
        let name = slo["name"].as_str().unwrap();
        assert!(dns_label(name), "{name}");
        for q in ["error_query", "total_query"] {
            assert!(slo["sli"]["events"][q].as_str().unwrap().contains("[{{.window}}]"), "{name} {q}");
        }
    }
}

/// RFC 1123 label: what OpenSLO requires of `metadata.name` (and sloth of names).
fn dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

#[test]
fn openslo_documents_are_a_service_and_an_sli_and_slo_per_objective() {
    for f in design_files() {
        let docs = yaml_docs(&export(&format!("designs/{f}"), "openslo"));
        assert_eq!(docs[0]["kind"].as_str(), Some("Service"), "{f}");
        let service = docs[0]["metadata"]["name"].as_str().unwrap().to_string();
        let mut slis = std::collections::BTreeSet::new();
        for d in &docs {
            assert_eq!(d["apiVersion"].as_str(), Some("openslo/v1"), "{f}");
            let name = d["metadata"]["name"].as_str().unwrap();
            assert!(dns_label(name), "{f}: {name}");
            match d["kind"].as_str().unwrap() {
                "Service" => {}
                "SLI" => {
                    let ratio = &d["spec"]["ratioMetric"];
                    assert_eq!(ratio["counter"].as_bool(), Some(true));
                    // Exactly one of good and bad, and a total, each a Prometheus query.
                    assert!(ratio["good"].is_badvalue() != ratio["bad"].is_badvalue(), "{f}: {name}");
                    assert_eq!(ratio["total"]["metricSource"]["type"].as_str(), Some("Prometheus"));
                    assert!(ratio["total"]["metricSource"]["spec"]["query"].as_str().unwrap().starts_with("sum("));
                    slis.insert(name.to_string());
                }
                "SLO" => {
                    let spec = &d["spec"];
                    assert_eq!(spec["service"].as_str(), Some(service.as_str()));
                    assert!(
                        slis.contains(spec["indicatorRef"].as_str().unwrap()),
                        "{f}: {name} refers to no SLI before it"
                    );
                    assert_eq!(spec["budgetingMethod"].as_str(), Some("Occurrences"));
                    assert_eq!(spec["timeWindow"][0]["isRolling"].as_bool(), Some(true));
                    let target = spec["objectives"][0]["target"].as_f64().unwrap();
                    assert!((0.0..1.0).contains(&target), "{f}: {name} target {target}");
                }
                other => panic!("{f}: unexpected kind {other}"),
            }
        }
    }
    let docs = yaml_docs(&export("designs/url-shortener.fermi", "openslo"));
    let slo = docs.iter().find(|d| d["kind"].as_str() == Some("SLO")).unwrap();
    assert_eq!(slo["metadata"]["name"].as_str(), Some("url-shortener-shorten-availability"));
    assert_eq!(slo["spec"]["objectives"][0]["target"].as_f64(), Some(0.9999));
    assert_eq!(slo["spec"]["timeWindow"][0]["duration"].as_str(), Some("30d"));
}

#[test]
fn metric_names_come_from_fermi_toml() {
    let dir = scratch();
    std::fs::copy(root().join("designs/url-shortener.fermi"), dir.join("d.fermi")).unwrap();
    std::fs::write(
        dir.join("fermi.toml"),
        "[metrics]\nrequests = \"api_requests_total\"\nerrors = 'status=~\"5..|429\"'\n\
         latency = \"api_latency_seconds_bucket\"\nlabel = \"route\"\nselector = 'job=\"shortener\"'\n\
         [metrics.request]\nredirect = 'route=\"/{code}\", method=\"GET\"'\n",
    )
    .unwrap();
    let run = fermi_in(&dir, &["export", "d.fermi", "--to", "sloth"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let spec = yaml_docs(&run.stdout).remove(0);
    let q = |i: usize, k: &str| spec["slos"][i]["sli"]["events"][k].as_str().unwrap().to_string();
    assert_eq!(
        q(0, "error_query"),
        r#"sum(rate(api_requests_total{job="shortener", route="shorten", status=~"5..|429"}[{{.window}}]))"#
    );
    assert_eq!(
        q(2, "total_query"),
        r#"sum(rate(api_requests_total{job="shortener", route="/{code}", method="GET"}[{{.window}}]))"#
    );
    assert!(q(1, "error_query").contains(r#"api_latency_seconds_bucket{job="shortener", route="shorten", le="0.1"}"#));

    std::fs::write(dir.join("fermi.toml"), "[metrics.request]\nredirekt = 'route=\"/r\"'\n").unwrap();
    let run = fermi_in(&dir, &["export", "d.fermi", "--to", "openslo"]);
    assert_eq!(run.code, 2, "a misspelt request name must not be ignored");
    assert!(run.stderr.contains("fermi.toml:2:12") && run.stderr.contains("`redirekt`"), "{}", run.stderr);
    assert!(run.stderr.contains("shorten, redirect"), "{}", run.stderr);

    std::fs::write(dir.join("fermi.toml"), "[metrics]\nerrors = 'code=5..'\n").unwrap();
    let run = fermi_in(&dir, &["export", "d.fermi", "--to", "prometheus"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("fermi.toml:2:10"), "{}", run.stderr);
    assert!(run.stderr.contains("label matchers"), "{}", run.stderr);
}

#[test]
fn a_design_without_an_slo_has_nothing_to_export() {
    let dir = crate::support::design(
        "no-slo.fermi",
        "design \"Quiet\" {\n  users { dau = 1M }\n  request get { rate = 1 per user per day; path = api }\n  tier api { capacity = 1K rps }\n}\n",
    );
    let run = fermi_in(&dir, &["export", "no-slo.fermi", "--to", "openslo"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("no-slo.fermi:1:1"), "{}", run.stderr);
    assert!(run.stderr.contains("states no SLO") && run.stderr.contains("slo {"), "{}", run.stderr);
}

#[test]
fn output_files_hold_what_stdout_shows() {
    // The example in `fermi --help`, run as written in a copy of the repository's layout.
    let dir = scratch();
    std::fs::create_dir_all(dir.join("designs")).unwrap();
    std::fs::copy(root().join("designs/url-shortener.fermi"), dir.join("designs/url-shortener.fermi")).unwrap();
    let run = fermi_in(&dir, &["export", "designs/url-shortener.fermi", "--to", "prometheus", "-o", "slo-rules.yml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let help = fermi(&["--help"]).stdout;
    assert!(help.contains("fermi export designs/url-shortener.fermi --to prometheus -o slo-rules.yml"), "{help}");
    assert_eq!(
        std::fs::read_to_string(dir.join("slo-rules.yml")).unwrap(),
        export("designs/url-shortener.fermi", "prometheus")
    );
    for to in ["prometheus", "sloth", "openslo"] {
        let file = dir.join(format!("out-{to}.yml"));
        let run = fermi(&["export", "designs/chat.fermi", "--to", to, "-o", file.to_str().unwrap()]);
        assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), export("designs/chat.fermi", to), "{to}");
    }
}

//! Alternatives, quantified, in the doc's Trade-offs: each choice beside the design re-run with
//! its main alternative, with a recommendation that follows from the numbers. Cross-checked
//! against the same design written with the alternative (the re-run must be the model, not a
//! copy of it), and against textbook figures for resharding.

use crate::support::{design, fermi_in};

const BASE: &str = r#"design "alt" {
  users { dau = 100M }
  slo { availability = 99.9% }
  workload { keys = 1B; skew = zipf(0.9) }
  request get { rate = 10 per user per day; response = 2 KB; cdn = 50%; path = api -> cache -> db }
  request put { kind = write; rate = 1 per user per day; request = 1 KB; stores = 1 KB; path = api -> db }
  tier api { capacity = 5K rps; spare = 1 }
  tier cache { kind = cache; capacity = 100K rps; size = 1% of keys; policy = lru; write = around }
  tier db { kind = database; capacity = 2K rps; replicas = 3; sharding = consistent(128) }
}
"#;

fn doc(name: &str, text: &str) -> String {
    let dir = design(name, text);
    let run = fermi_in(&dir, &["doc", name]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    run.stdout
}

/// The rows of the quantified table whose title starts with `title`: (result, design, alternative).
fn table(doc: &str, title: &str) -> Vec<[String; 3]> {
    let at = doc.find(&format!("**{title}")).unwrap_or_else(|| panic!("no table {title:?}"));
    doc[at..]
        .lines()
        .skip_while(|l| !l.starts_with("| result"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let c: Vec<String> = l.trim_matches('|').split(" | ").map(|s| s.trim().to_string()).collect();
            [c[0].clone(), c[1].clone(), c[2].clone()]
        })
        .collect()
}

fn cell<'a>(rows: &'a [[String; 3]], what: &str) -> &'a [String; 3] {
    rows.iter().find(|r| r[0] == what).unwrap_or_else(|| panic!("no row {what:?} in {rows:#?}"))
}

#[test]
fn replication_is_re_run_by_the_model_and_matches_the_design_written_that_way() {
    let base = doc("a.fermi", BASE);
    let rows = table(&base, "tier `db`: 3 replicas against 1 replica");
    let single = doc("b.fermi", &BASE.replace("replicas = 3", "replicas = 1"));
    let back = table(&single, "tier `db`: 1 replica against 3 replicas");
    // the alternative column of one is the design column of the other, both ways
    for what in ["`db` nodes", "nodes (all tiers)", "availability"] {
        assert_eq!(cell(&rows, what)[2], cell(&back, what)[1], "{what}");
        assert_eq!(cell(&rows, what)[1], cell(&back, what)[2], "{what}");
    }
    // three copies of each shard: a third of the nodes with one
    let nodes = |s: &str| s.replace(',', "").parse::<f64>().unwrap();
    let db = cell(&rows, "`db` nodes");
    assert_eq!(nodes(&db[1]), 3.0 * nodes(&db[2]), "{db:?}");
    // one copy fails the 99.9% SLO, so the design keeps three
    assert!(base.contains("Keep 3 replicas: with 1 replica, `slo availability = 99.9%` would fail."), "{base}");
}

#[test]
fn hash_mod_n_moves_almost_every_key_when_a_shard_is_added() {
    let base = doc("a.fermi", BASE);
    let rows = table(&base, "tier `db`: consistent (128 vnodes) against hash mod N");
    let moved = cell(&rows, "keys moved when a shard is added");
    let pct = |s: &str| s.trim_end_matches('%').parse::<f64>().unwrap() / 100.0;
    // Karger et al. 1997: adding one of N+1 nodes moves about 1/(N+1) of the keys on a ring;
    // mod N keeps a key only when k mod N = k mod (N+1), about 1/(N+1) of them
    // 15 db nodes of 3 replicas (the replication table): 5 shards
    let nodes = cell(&table(&base, "tier `db`: 3 replicas against 1 replica"), "`db` nodes")[1].parse::<f64>().unwrap();
    let shards = nodes / 3.0;
    let ring = 1.0 / (shards + 1.0);
    assert!((pct(&moved[1]) - ring).abs() < 0.5 * ring, "ring moved {} against ~{ring}", moved[1]);
    assert!((pct(&moved[2]) - shards / (shards + 1.0)).abs() < 0.03, "mod N moved {}", moved[2]);
    assert!(base.contains("Keep consistent (128 vnodes): with hash mod N, keys moved when a shard is added"), "{base}");
}

#[test]
fn the_cdn_alternative_sends_every_response_byte_to_the_origin() {
    let base = doc("a.fermi", BASE);
    let rows = table(&base, "request `get`: a CDN answering 50% against no CDN");
    let egress = cell(&rows, "origin egress at peak");
    // half of the reads' response bytes left the origin with the CDN; all of them without
    let (with, unit) = egress[1].split_once(' ').unwrap();
    let (without, same) = egress[2].split_once(' ').unwrap();
    assert_eq!(unit, same, "{egress:?}");
    assert!((without.parse::<f64>().unwrap() / with.parse::<f64>().unwrap() - 2.0).abs() < 0.01, "{egress:?}");
    assert!(base.contains("Keep a CDN answering 50%: with no CDN, origin egress at peak"), "{base}");
}

#[test]
fn the_eviction_alternative_takes_its_hit_ratio_from_the_bridge_and_moves_the_database_load() {
    let base = doc("a.fermi", BASE);
    let rows = table(&base, "tier `cache`: lru against s3fifo");
    let hit = cell(&rows, "hit ratio of `cache`");
    let load = cell(&rows, "peak load on `db`");
    let pct = |s: &str| s.trim_end_matches('%').parse::<f64>().unwrap();
    let rps = |s: &str| {
        let s = s.trim_end_matches(" rps");
        s.strip_suffix('K').map_or_else(|| s.parse::<f64>().unwrap(), |k| k.parse::<f64>().unwrap() * 1e3)
    };
    // S3-FIFO beats LRU on Zipf workloads at small cache sizes (Yang et al., SOSP 2023)
    assert!(pct(&hit[2]) > pct(&hit[1]), "{hit:?}");
    // fewer misses reach the database, in proportion: db load = reads' misses + writes
    assert!(rps(&load[2]) < rps(&load[1]), "{load:?}");
    assert!(base.contains("The alternative's hit ratio: the design's miss ratio × s3fifo's ÷ lru's"), "{base}");
    assert!(base.contains("- **Recommendation:** Consider s3fifo for tier `cache`: hit ratio of `cache` "), "{base}");
    assert!(base.contains(". It suits large caches serving many one-off requests"), "{base}");
}

#[test]
fn the_write_policy_alternative_puts_writes_on_the_cache() {
    let text = BASE.replace("path = api -> db }", "path = api -> cache -> db }");
    let base = doc("a.fermi", &text);
    let rows = table(&base, "tier `cache`: write-around against write-through");
    let load = cell(&rows, "peak load on `cache`");
    assert_ne!(load[1], load[2], "write-through adds the writes to the cache: {load:?}");
}

/// A result's value from `fermi estimate --format json` (base units).
fn json_value(dir: &std::path::Path, file: &str, name: &str) -> f64 {
    let run = fermi_in(dir, &["estimate", file, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    doc["results"][name]["value"].as_f64().unwrap_or_else(|| panic!("no {name} in the JSON"))
}

/// The number before a unit in a shown value: `781.3K rps` → 781300, `95.78%` → 0.9578.
fn shown(s: &str) -> f64 {
    let s = s.trim();
    if let Some(p) = s.strip_suffix('%') {
        return p.parse::<f64>().unwrap() / 100.0;
    }
    let number = s.split(' ').next().unwrap();
    let (digits, scale) = match number.chars().last().unwrap() {
        'K' => (&number[..number.len() - 1], 1e3),
        'M' => (&number[..number.len() - 1], 1e6),
        _ => (number, 1.0),
    };
    digits.replace(',', "").parse::<f64>().unwrap() * scale
}

/// `what A → B` in a line: (A, B), each a number with its unit (`95.78%`, `781.3K rps`).
fn moved(line: &str, what: &str) -> (String, String) {
    let at = line.find(what).unwrap_or_else(|| panic!("no {what:?} in {line}")) + what.len();
    let (a, rest) = line[at..].trim_start().split_once(" → ").unwrap();
    let tokens: Vec<&str> = rest.split_whitespace().collect();
    let b = if tokens[0].trim_end_matches([';', '.', ',']).ends_with('%') {
        tokens[0].to_string()
    } else {
        format!("{} {}", tokens[0], tokens[1])
    };
    (a.to_string(), b.trim_end_matches([';', '.', ',']).to_string())
}

const THROUGH: &str = r#"design "through" {
  users { dau = 10M }
  workload { keys = 100M; skew = zipf(0.9) }
  request read { rate = 20 per user per day; response = 1 KB; path = api -> cache -> db }
  request post { kind = write; rate = 5 per user per day; request = 1 KB; stores = 1 KB; path = api -> cache -> db }
  tier api { capacity = 5K rps }
  tier cache { kind = cache; capacity = 100K rps; size = 5% of keys; write = through }
  tier db { kind = database; capacity = 2K rps; replicas = 3 }
}
"#;

#[test]
fn a_stated_write_through_is_weighed_against_the_reads_after_writes_it_exists_for() {
    let dir = design("t.fermi", THROUGH);
    let run = fermi_in(&dir, &["doc", "t.fermi"]);
    let doc = run.stdout;
    let line = doc.lines().find(|l| l.contains("**Recommendation:** Keep write-through, as the design states"));
    let line = line.unwrap_or_else(|| panic!("write-through is not kept: {doc}"));
    assert!(line.contains("but reads that follow writes would miss"), "{line}");
    assert!(line.contains("Switch tier `cache` only if its reads rarely follow writes"), "{line}");
    // By hand from the model's own hop entries: write-around loses at most one hit per write
    // (the first read of the written key), and no more than the hits there are:
    // h' = h − min(writes, h × reads) ÷ reads.
    let reads = json_value(&dir, "t.fermi", "read.calls.cache");
    let writes = json_value(&dir, "t.fermi", "post.calls.cache");
    let h = json_value(&dir, "t.fermi", "cache.hit_ratio");
    let expected = h - writes.min(h * reads) / reads;
    let (before, after) = moved(line, "hit ratio of `cache`");
    assert!((shown(&before) - h).abs() < 5e-4, "{before} against {h}");
    assert!((shown(&after) / expected - 1.0).abs() < 1e-3, "{after} against {expected}");
    // the database then takes the reads' misses and every write
    let (_, db) = moved(line, "peak load on `db`");
    let db_expected = reads * (1.0 - expected) + writes;
    assert!((shown(&db) / db_expected - 1.0).abs() < 1e-3, "{db} against {db_expected}");
    // the same bound is listed with what write-around would give up
    assert!(doc.contains("- **It would give up:** if each read that follows a write misses"), "{doc}");
}

#[test]
fn only_a_stated_choice_is_named_as_the_designs_in_its_recommendation() {
    // BASE states `policy = lru`; without it, lru is fermi's default and nobody chose it
    let stated = doc("a.fermi", BASE);
    let default = doc("b.fermi", &BASE.replace("policy = lru; ", ""));
    let rec = |d: &str| {
        d.lines().find(|l| l.starts_with("- **Recommendation:** Consider s3fifo for tier `cache`")).unwrap().to_string()
    };
    assert!(
        rec(&stated).contains("The design states lru, which it is for: simple, well understood"),
        "{}",
        rec(&stated)
    );
    assert!(rec(&stated).contains("Switching gives up what these numbers do not count: more moving parts"));
    assert!(!rec(&default).contains("The design states"), "{}", rec(&default));
}

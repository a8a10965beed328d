//! `fermi lsp`: the real binary spoken to over JSON-RPC with Content-Length framing, as an
//! editor does. Diagnostics, hover, definition, references, completion and formatting are
//! checked against what the CLI prints for the same text (`fermi check`, `fermi explain`,
//! `fermi fmt`) and against positions counted here in UTF-16 code units. Every wait has a
//! timeout, so a hung server fails the test instead of hanging it.

use crate::support::{design, fermi_in};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);

/// A design with a non-ASCII string (one BMP character, one astral) before names on line 2.
const GOOD: &str = r#"design "LSP test" {
  users { dau = 100M }
  request shorten { api = "POST /é𝄞"; rate = 1 per user per day; path = api -> db }
  tier api {
    kind = service
      capacity = 1K rps

  }
  tier db { kind = database; capacity = 10K rps; disk = 4 TB }
}
"#;

/// A running `fermi lsp` and the messages it has sent.
struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Server {
    fn start(dir: &std::path::Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fermi"))
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start fermi lsp");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            while let Some(m) = read_message(&mut stdout) {
                if tx.send(m).is_err() {
                    break;
                }
            }
        });
        Server { child, stdin, messages, next_id: 1 }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The first message the predicate accepts (others are dropped), or a failed test.
    fn wait_for(&mut self, what: &str, accept: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) if accept(&m) => return m,
                Ok(_) => {}
                Err(_) => panic!("fermi lsp sent no {what} within {WAIT:?}"),
            }
        }
    }

    /// Sends a request and returns its whole response (`result` or `error`).
    /// How the server exited, failing the test if it has not within [`WAIT`].
    fn exit_status(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            assert!(Instant::now() < deadline, "fermi lsp did not exit within {WAIT:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(&format!("response to {method}"), |m| m["id"] == json!(id))
    }

    fn diagnostics(&mut self, version: i64) -> Vec<Value> {
        let m = self.wait_for("publishDiagnostics", |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == json!(version)
        });
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }
}

/// The UTF-16 column (from 0) of the `n`th occurrence (from 0) of `needle` on a line.
fn utf16_column(line: &str, needle: &str, n: usize) -> u32 {
    let at = line.match_indices(needle).nth(n).unwrap().0;
    line[..at].encode_utf16().count() as u32
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

#[test]
fn lsp_session_over_stdio() {
    let bad = GOOD.replace("path = api -> db }", "path = api -> dbx }");
    let dir = design("bad.fermi", &bad);
    std::fs::write(dir.join("good.fermi"), GOOD).unwrap();
    let uri = format!("file://{}", dir.join("good.fermi").display());
    let mut server = Server::start(&dir);
    let init = server.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}));
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16", "{init}");
    server.notify("initialized", json!({}));

    // An error: the range and message `fermi check` reports for the same text, its column
    // (counted in characters by the CLI) turned into UTF-16 units here.
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "fermi", "version": 1, "text": bad}}),
    );
    let diags = server.diagnostics(1);
    assert_eq!(diags.len(), 1, "{diags:?}");
    let cli = fermi_in(&dir, &["check", "bad.fermi"]);
    assert_eq!(cli.code, 2);
    assert!(cli.stderr.contains("bad.fermi:3:80"), "{}", cli.stderr);
    assert!(cli.stderr.contains("unknown tier `dbx`; tiers are api and db"));
    let line = bad.lines().nth(2).unwrap();
    assert_eq!(line[..line.find("dbx").unwrap()].chars().count() + 1, 80);
    let col = utf16_column(line, "dbx", 0);
    assert_eq!(col, 80, "é is one UTF-16 unit, 𝄞 two: one more than the 79 characters before");
    let d = &diags[0];
    assert_eq!(d["range"]["start"], json!({"line": 2, "character": col}), "{d}");
    assert_eq!(d["range"]["end"], json!({"line": 2, "character": col + 3}));
    assert_eq!(d["severity"], 1);
    assert_eq!(d["code"], "fermi::unknown-tier");
    let message = d["message"].as_str().unwrap();
    assert!(message.starts_with("unknown tier `dbx`; tiers are api and db"), "{message}");
    assert!(message.contains("help: did you mean `db`?"), "{message}");

    // Fixed: the diagnostics are cleared.
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": GOOD}]}),
    );
    assert_eq!(server.diagnostics(2), Vec::<Value>::new());

    // Hover on a tier's name: its node count as `fermi explain` derives it, and by hand:
    // 100M users × 1 call a day ÷ 86,400 s × 2 (peak) = 2,315 rps; ⌈2,315 ÷ 1K rps⌉ = 3.
    let hover = server.request("textDocument/hover", at(&uri, 3, 7));
    let text = hover["result"]["contents"]["value"].as_str().unwrap_or_else(|| panic!("{hover}"));
    // (the server names the file by its absolute path, so the CLI is given that path too)
    let path = dir.join("good.fermi").display().to_string();
    let explain = fermi_in(&dir, &["explain", &path, "api.nodes"]);
    let first = explain.stdout.lines().next().unwrap();
    assert_eq!(first, "api.nodes = 3");
    assert!(text.contains(&explain.stdout), "hover:\n{text}\nexplain:\n{}", explain.stdout);
    assert_eq!(hover["result"]["range"]["start"], json!({"line": 3, "character": 7}));

    // Hover on a field: the field's value and what the field means.
    let hover = server.request("textDocument/hover", at(&uri, 5, 7));
    let text = hover["result"]["contents"]["value"].as_str().unwrap_or_else(|| panic!("{hover}"));
    assert!(text.contains("api.capacity = 1K rps"), "{text}");

    // Definition of `api` used in the path (after the non-ASCII string): the tier's line.
    let line = GOOD.lines().nth(2).unwrap();
    let col = utf16_column(line, "api", 1);
    let def = server.request("textDocument/definition", at(&uri, 2, col + 1));
    assert_eq!(def["result"]["range"]["start"], json!({"line": 3, "character": 7}), "{def}");
    assert_eq!(def["result"]["uri"], json!(uri));

    // References of `db`, from its declaration: the declaration and the path's use.
    let mut params = at(&uri, 8, 8);
    params["context"] = json!({"includeDeclaration": true});
    let refs = server.request("textDocument/references", params);
    let starts: Vec<&Value> = refs["result"].as_array().unwrap().iter().map(|l| &l["range"]["start"]).collect();
    let db = utf16_column(line, "db", 0);
    assert_eq!(starts, [&json!({"line": 8, "character": 7}), &json!({"line": 2, "character": db})], "{refs}");

    // Completion on the blank line inside `tier api`: the tier's fields, not the users'.
    let done = server.request("textDocument/completion", at(&uri, 6, 4));
    let labels: Vec<&str> = done["result"].as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    for field in ["capacity", "headroom", "replicas", "service_time"] {
        assert!(labels.contains(&field), "{field} missing from {labels:?}");
    }
    assert!(!labels.contains(&"dau"), "{labels:?}");
    // after `capacity = 1K `: unit words (and the names in scope)
    let done = server.request("textDocument/completion", at(&uri, 5, 20));
    let labels: Vec<&str> = done["result"].as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    for word in ["rps", "ms", "GB", "api.nodes", "users.dau"] {
        assert!(labels.contains(&word), "{word} missing from {labels:?}");
    }

    // Formatting: one edit giving exactly what `fermi fmt` writes.
    let edits = server.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let edits = edits["result"].as_array().unwrap_or_else(|| panic!("{edits}")).clone();
    assert_eq!(edits.len(), 1);
    assert_eq!(fermi_in(&dir, &["fmt", "good.fermi"]).code, 0);
    let formatted = std::fs::read_to_string(dir.join("good.fermi")).unwrap();
    assert_ne!(formatted, GOOD);
    assert_eq!(edits[0]["newText"], json!(formatted));
    assert_eq!(edits[0]["range"], json!({"start": {"line": 0, "character": 0}, "end": {"line": 10, "character": 0}}));

    // Bad requests get error responses, and the server goes on.
    let unknown = server.request("textDocument/hover", at("file:///nowhere.fermi", 0, 0));
    assert_eq!(unknown["error"]["code"], -32602, "{unknown}");
    let past = server.request("textDocument/hover", at(&uri, 999, 0));
    assert_eq!(past["error"]["code"], -32602, "{past}");
    let malformed = server.request("textDocument/hover", json!({"textDocument": 7}));
    assert_eq!(malformed["error"]["code"], -32602, "{malformed}");
    let method = server.request("textDocument/semanticTokens/full", json!({"textDocument": {"uri": uri}}));
    assert_eq!(method["error"]["code"], -32601, "{method}");
    // a character past the line's end is the line's end; inside the surrogate pair, its start
    assert!(server.request("textDocument/hover", at(&uri, 3, 999))["error"].is_null());
    let clef = utf16_column(line, "𝄞", 0);
    assert!(server.request("textDocument/definition", at(&uri, 2, clef + 1))["error"].is_null());

    // A failed assert and a plausibility warning: warnings worded as `fermi check` words them.
    let warned = GOOD.replace("}\n}\n", "}\n  tier idle { capacity = 1K rps }\n  assert api.nodes < 2\n}\n");
    std::fs::write(dir.join("warn.fermi"), &warned).unwrap();
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": warned}]}),
    );
    let diags = server.diagnostics(3);
    let check = fermi_in(&dir, &["check", "warn.fermi"]);
    assert_eq!(check.code, 1);
    assert!(check.stdout.contains("warn.fermi:10:3: WARN tier idle"), "{}", check.stdout);
    assert!(check.stdout.contains("warn.fermi:11:3: FAIL assert api.nodes < 2"), "{}", check.stdout);
    assert_eq!(diags.len(), 2, "{diags:?}");
    for (d, line) in diags.iter().zip([9, 10]) {
        assert_eq!(d["severity"], 2, "{d}");
        assert_eq!(d["range"]["start"], json!({"line": line, "character": 2}), "{d}");
        let first = d["message"].as_str().unwrap().lines().nth(1).unwrap().to_string();
        assert!(check.stdout.contains(&format!("  {first}\n")), "{first:?} not in\n{}", check.stdout);
    }
    assert!(diags[1]["message"].as_str().unwrap().contains("failed: left side is 3, which is not < 2"));

    // Shutdown, exit, exit code 0.
    let shutdown = server.request("shutdown", Value::Null);
    assert!(shutdown["error"].is_null(), "{shutdown}");
    server.notify("exit", Value::Null);
    let status = server.exit_status();
    assert_eq!(status.code(), Some(0));
}

/// The protocol: "The server should exit with success code 0 if the shutdown request has
/// been received before; otherwise with error code 1."
#[test]
fn exit_without_shutdown_exits_with_code_1() {
    let dir = design("good.fermi", GOOD);
    let mut server = Server::start(&dir);
    let init = server.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}));
    assert!(init["error"].is_null(), "{init}");
    server.notify("initialized", json!({}));
    server.notify("exit", Value::Null);
    let status = server.exit_status();
    assert_eq!(status.code(), Some(1));
}

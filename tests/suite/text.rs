//! Text as the language reads it: every character of a string kept (UTF-8, whatever its
//! width), a byte-order mark ignored, CR, LF and CRLF all ending a line.

use crate::support::analyze;

#[test]
fn strings_keep_every_non_ascii_character() {
    let a = analyze(
        "design \"Zürich — ünïcode\" {\n  summary = \"Zürich café — naïve 日本 😀\"\n  request r { rate = 1 rps; api = \"GET /ü\" }\n}\n",
    );
    assert_eq!(a.design.name, "Zürich — ünïcode");
    assert_eq!(a.design.summary, "Zürich café — naïve 日本 😀");
    assert_eq!(a.design.requests[0].api, "GET /ü");
}

#[test]
fn an_escape_after_non_ascii_text_is_read_whole() {
    let a = analyze("design \"x\" {\n  summary = \"é\\\"q\\\" ü\\\\n\"\n}\n");
    assert_eq!(a.design.summary, "é\"q\" ü\\n");
}

#[test]
fn plus_minus_needs_no_space_after_it() {
    // `±` is two bytes and one character: reading past it must not eat the digit after it.
    let r = fermi::calc::calc("10 ±2").map_err(|f| f.render()).unwrap();
    assert_eq!(r.value.si, 10.0);
    assert!(r.note.unwrap_or_default().contains("normal(10"));
}

#[test]
fn a_byte_order_mark_and_any_line_end_give_the_same_design() {
    let lf = "design \"x\" {\n  users { dau = 1M\n    peak = 3x }\n  request r { rate = 2 per user per day }\n}\n";
    let base = analyze(lf).plan.value("traffic.peak_rps");
    // 1M users × 2 a day ÷ 86,400 s × 3 peak, by hand: 69.44 rps.
    assert!((base - 2e6 / 86_400.0 * 3.0).abs() < 1e-9, "{base}");
    for (what, text) in [
        ("BOM", format!("\u{FEFF}{lf}")),
        ("CRLF", lf.replace('\n', "\r\n")),
        ("CR", lf.replace('\n', "\r")),
        ("BOM + CR", format!("\u{FEFF}{}", lf.replace('\n', "\r"))),
    ] {
        assert_eq!(analyze(&text).plan.value("traffic.peak_rps"), base, "{what}");
    }
}

#[test]
fn invalid_utf8_names_the_line_and_column_of_the_first_bad_byte() {
    let bytes = b"design \"x\" {\r\n  users { dau = 1M }\r\n  summary = \"ok \xc3\xa9 \xc3\"\r\n}\r\n".to_vec();
    let Err((source, d)) = fermi::syntax::decode("bad.fermi", bytes) else { panic!("decoded invalid UTF-8") };
    assert_eq!(d.0[0].code.as_str(), "fermi::invalid-utf8");
    // The byte 0xC3 without its continuation is the 19th character of line 3 (`é` counts as one).
    assert_eq!(source.location(d.0[0].primary_span()), "bad.fermi:3:19");
    assert!(d.0[0].message.contains("0xC3"), "{}", d.0[0].message);
}

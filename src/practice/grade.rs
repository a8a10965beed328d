//! Grading: reads a filled-in worksheet (the `Answer:` line under each numbered question),
//! parses each answer with the language's own unit parser (`10 TB`, `10TB`, `10000 GB`,
//! `9.09 TiB` are all understood), and grades it: correct within 10% of the exact answer or
//! of the interview-rounded one (100K seconds a day), half a point within 2×, or wrong — with
//! the worked solution for every miss. A count may carry its noun (`224 nodes`).
//!
//! Architecture Invariant: expected values come from the plans handed in; grading compares,
//! it never estimates.

use super::questions::{Question, questions};
use super::worksheet::BLANK;
use crate::analysis::Analysis;
use crate::diagnostic::Code;
use crate::model::plan::show;
use crate::units::format::NORMAL_DIGITS;

/// How an answer fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Within 10%: a full point.
    Correct,
    /// Within 2×: half a point.
    RightOrder,
    /// Further off, or the wrong kind of quantity.
    Wrong,
    /// Left blank.
    Unanswered,
}

impl Verdict {
    /// Points earned.
    pub fn points(self) -> f64 {
        match self {
            Verdict::Correct => 1.0,
            Verdict::RightOrder => 0.5,
            Verdict::Wrong | Verdict::Unanswered => 0.0,
        }
    }
}

/// One graded answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Graded {
    /// The question.
    pub question: Question,
    /// What was written, if anything.
    pub answer: Option<String>,
    /// The verdict.
    pub verdict: Verdict,
    /// Why, in a few words ("4.2% off", "a duration, expected a data size").
    pub reason: String,
    /// The expected value for people.
    pub expected: String,
    /// The worked solution: formula, numbers, result.
    pub solution: String,
}

/// A graded worksheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Per question, in worksheet order.
    pub items: Vec<Graded>,
    /// Points earned.
    pub points: f64,
    /// Points possible.
    pub total: f64,
}

impl Report {
    /// Score from 0 to 1.
    pub fn score(&self) -> f64 {
        if self.total > 0.0 { self.points / self.total } else { 0.0 }
    }
}

/// A problem that makes the filled worksheet unreadable: a 1-based line and a message.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    /// Line number in the filled worksheet (0 when it concerns the whole file).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// The worked solution of a question.
pub fn solution(a: &Analysis, name: &str) -> String {
    let mut d = a.plan.get(name);
    let mut prefix = String::new();
    // A sum over one request (`traffic.daily = send.daily`) says nothing by itself: follow it to
    // the formula that does (`send.daily = users.dau × send.rate × 1 day = …`).
    while let Some(cur) = d
        && let [only] = cur.inputs.as_slice()
        && cur.formula.trim() == only.as_str()
        && let Some(next) =
            a.plan.get(only).filter(|n| !n.formula.is_empty() && n.source == crate::model::Provenance::Computed)
    {
        prefix.push_str(&format!("{} = ", cur.formula));
        d = Some(next);
    }
    let body = match d {
        Some(d) if !d.formula.is_empty() => {
            format!("{} = {} = {}", d.formula, a.plan.substituted(d, NORMAL_DIGITS), show(d, NORMAL_DIGITS))
        }
        Some(d) => show(d, NORMAL_DIGITS),
        None => String::new(),
    };
    format!("{prefix}{body}")
}

/// Grades one answer's text against a question. `Err` when the text does not parse.
pub fn grade_answer(a: &Analysis, interview: &Analysis, q: &Question, text: &str) -> Result<Graded, String> {
    let expected = a.plan.get(&q.name).map(|d| show(d, NORMAL_DIGITS)).unwrap_or_default();
    let mut graded = Graded {
        question: q.clone(),
        answer: None,
        verdict: Verdict::Unanswered,
        reason: "left blank".into(),
        expected,
        solution: solution(a, &q.name),
    };
    let text = text.trim();
    if text.is_empty() || text.chars().all(|c| c == '_') || text == BLANK {
        return Ok(graded);
    }
    graded.answer = Some(text.to_string());
    // `224 nodes`, `3 servers`: a count's noun is read past, as an interviewer would.
    let counted = if q.expects == "a count" { strip_count_noun(text) } else { text };
    // `4.38 m` for a duration: minutes, most likely; never offer `ms` alone.
    if q.expects.starts_with("a duration")
        && counted.strip_suffix('m').is_some_and(|n| n.trim_end().parse::<f64>().is_ok())
    {
        let n = counted.trim_end_matches('m').trim_end();
        return Err(format!(
            "cannot read `{text}`: `m` is not a unit of time (write `{n} min` for minutes, `{n} ms` for milliseconds)"
        ));
    }
    let value = crate::calc::calc(counted).map_err(|f| {
        let d = f.diagnostics.0.first();
        let help = match d {
            Some(d) if d.code == Code::UnknownName || d.code == Code::Syntax => {
                " (write a number and its unit, such as `4.2 TB`, `31K rps`, `52 min` or `7`)".to_string()
            }
            Some(d) => d.help.clone().map(|h| format!(" ({h})")).unwrap_or_default(),
            None => String::new(),
        };
        format!("cannot read `{text}`: {}{help}", d.map_or("not a quantity".into(), |d| d.message.clone()))
    })?;
    let Some(want) = a.plan.get(&q.name) else { return Ok(graded) };
    if value.value.dim != want.value.dim {
        graded.verdict = Verdict::Wrong;
        graded.reason = format!("that is {}, expected {}", value.value.dim.describe(), q.expects);
        return Ok(graded);
    }
    let x = value.value.si;
    let targets: Vec<f64> =
        [Some(want.value.si), interview.plan.get(&q.name).map(|d| d.value.si)].into_iter().flatten().collect();
    let offs: Vec<f64> = targets.iter().map(|t| if *t == 0.0 { x.abs() } else { (x / t - 1.0).abs() }).collect();
    let off = offs.iter().copied().fold(f64::INFINITY, f64::min);
    let via_shortcut = offs.len() == 2 && offs[1] < offs[0] && offs[0] > 0.10;
    let within_2x = targets.iter().any(|t| *t != 0.0 && x / t >= 0.5 && x / t <= 2.0);
    let pct = if off < 5e-4 { "0".to_string() } else { crate::units::format::sig(off * 100.0, 2) };
    (graded.verdict, graded.reason) = if off <= 0.10 {
        let reason = match (pct == "0", via_shortcut) {
            (true, false) => "exact".to_string(),
            (true, true) => "exact, by the interview shortcut (100K seconds a day)".to_string(),
            (false, false) => format!("within 10% ({pct}% off)"),
            (false, true) => format!("within 10% of the interview answer (100K seconds a day; {pct}% off)"),
        };
        (Verdict::Correct, reason)
    } else if within_2x {
        (Verdict::RightOrder, format!("within 2×, half a point ({pct}% off)"))
    } else {
        (Verdict::Wrong, format!("{pct}% off"))
    };
    Ok(graded)
}

/// Nouns a count answer may carry: `224 nodes`, `12 servers`.
const COUNT_NOUNS: &[&str] = &[
    "nodes",
    "node",
    "servers",
    "server",
    "machines",
    "machine",
    "instances",
    "instance",
    "hosts",
    "host",
    "shards",
    "shard",
];

fn strip_count_noun(text: &str) -> &str {
    match text.rsplit_once(|c: char| c.is_whitespace()) {
        Some((number, noun)) if COUNT_NOUNS.contains(&noun.to_ascii_lowercase().as_str()) => number.trim_end(),
        _ => text,
    }
}

/// The design a worksheet was printed for, from its title line (`# Worksheet: NAME`), when
/// it names another design than `a`: grading it here would compare other numbers.
pub fn other_design(a: &Analysis, filled: &str) -> Option<String> {
    let title = filled
        .lines()
        .find_map(|l| l.strip_prefix("# Worksheet: ").or_else(|| l.strip_prefix("# Answer key: ")).map(str::trim))?;
    let ours = crate::render::table::escape(&a.design.name);
    (title != ours && title != a.design.name).then(|| title.to_string())
}

/// Grades a filled worksheet for the design analysed as `a` (and `interview`, with the
/// 100K-seconds shortcut).
pub fn grade(a: &Analysis, interview: &Analysis, filled: &str) -> Result<Report, Vec<Unreadable>> {
    let qs = questions(a);
    let mut answers: Vec<Option<(usize, String)>> = vec![None; qs.len()];
    let mut current: Option<usize> = None;
    let mut recognised = 0;
    for (k, line) in filled.lines().enumerate() {
        let t = line.trim_start();
        if t.split_once(". ").is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())) {
            current = qs.iter().position(|q| t.contains(&format!("(`{}`", q.name)));
            recognised += usize::from(current.is_some());
        } else if let (Some(rest), Some(i)) = (t.strip_prefix("Answer:"), current) {
            answers[i] = Some((k + 1, rest.trim().to_string()));
            current = None;
        }
    }
    if recognised == 0 {
        return Err(vec![Unreadable {
            line: 0,
            message: "no worksheet questions found; fill in the file that `fermi worksheet DESIGN` prints".into(),
        }]);
    }
    let mut items = Vec::new();
    let mut problems = Vec::new();
    for (q, answer) in qs.iter().zip(answers) {
        let (line, text) = answer.unwrap_or((0, String::new()));
        match grade_answer(a, interview, q, &text) {
            Ok(g) => items.push(g),
            Err(message) => problems.push(Unreadable { line, message }),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let points = items.iter().map(|g| g.verdict.points()).sum();
    Ok(Report { total: items.len() as f64, points, items })
}

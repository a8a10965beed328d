//! Diagnostic codes: every stable `fermi::…` identifier an error or warning carries, with a
//! one-line meaning, in one table.
//!
//! Architecture Invariant: a diagnostic's code is a [`Code`], never a string literal; a new
//! kind of error adds a row here, and docs/diagnostics.md (checked by a test) lists every row.

use serde::{Serialize, Serializer};
use std::fmt;

macro_rules! codes {
    ($($name:ident = $text:literal : $meaning:literal,)*) => {
        /// A stable identifier for one kind of diagnostic, shown as `error[fermi::…]`, in JSON
        /// and in the language server's answers.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(
                #[doc = $meaning]
                $name,
            )*
        }

        impl Code {
            /// Every code, in the order of the table.
            pub const ALL: &'static [Code] = &[$(Code::$name),*];

            /// The identifier as shown: `fermi::dimension-mismatch`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$name => $text,)*
                }
            }

            /// One line: what kind of problem the code stands for.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$name => $meaning,)*
                }
            }
        }
    };
}

codes! {
    // Reading the text.
    InvalidUtf8 = "fermi::invalid-utf8": "the file is not valid UTF-8 text.",
    Syntax = "fermi::syntax": "the text does not follow the grammar: something else was expected here.",
    TrailingText = "fermi::trailing-text": "text follows the `design` block.",
    UnclosedBlock = "fermi::unclosed-block": "a block's `{` has no closing `}`.",
    NestedDesign = "fermi::nested-design": "a `design` block inside another; a file holds exactly one.",
    NestedBlock = "fermi::nested-block": "a block opened inside another block; blocks do not nest.",
    UnterminatedString = "fermi::unterminated-string": "a string is not closed before the end of the line.",
    BadEscape = "fermi::bad-escape": "a string holds an escape other than `\\\"`, `\\\\` and `\\n`.",
    LeadingDot = "fermi::leading-dot": "a number starts with a `.` rather than a digit.",
    BadNumber = "fermi::bad-number": "a number too large to represent.",
    TooDeep = "fermi::too-deep": "an expression, a value or a chain of names passes a nesting limit.",
    TooManyErrors = "fermi::too-many-errors": "more errors than are shown; the count of the rest.",
    // Blocks, fields and names.
    UnknownBlock = "fermi::unknown-block": "a block keyword the language does not have.",
    MissingName = "fermi::missing-name": "a block that needs a name (`tier api { … }`) has none.",
    UnexpectedName = "fermi::unexpected-name": "a block that takes no name (`users { … }`) has one.",
    ReservedName = "fermi::reserved-name": "a name the language keeps for itself.",
    DuplicateBlock = "fermi::duplicate-block": "a block that may appear once is written twice.",
    Duplicate = "fermi::duplicate": "a name defined twice, or bytes placed in one tier twice.",
    UnknownField = "fermi::unknown-field": "a field the block does not have.",
    MissingField = "fermi::missing-field": "a field the block needs is not written.",
    FieldForKind = "fermi::field-for-kind": "a field that does not apply to this kind of tier.",
    UnknownName = "fermi::unknown-name": "a name that is not defined, with the nearest one suggested.",
    UnknownTier = "fermi::unknown-tier": "a tier name that is not a tier of the design.",
    UnknownProfile = "fermi::unknown-profile": "a node profile that is neither built in nor in fermi.toml.",
    UnknownWord = "fermi::unknown-word": "a word that is not one of the field's choices (policy, strategy, skew).",
    BadArgument = "fermi::bad-argument": "an argument of `sharding` or `skew` out of its range or of the wrong form.",
    Arguments = "fermi::arguments": "`normal(…)` or `uniform(…)` given the wrong arguments.",
    BadPath = "fermi::bad-path": "a request `path` hop that is not a tier name with an optional `x N`.",
    Placement = "fermi::placement": "stored bytes placed where they cannot live, or with no tier to hold them.",
    Scenario = "fermi::scenario": "a scenario changes something a scenario cannot change.",
    LatencyPercentile = "fermi::latency-percentile": "a `latency` without a percentile, or with one out of p1 to p99.9999.",
    Cycle = "fermi::cycle": "a name that depends on itself.",
    Internal = "fermi::internal": "a built-in default failed to evaluate (a bug in fermi).",
    // Values.
    Type = "fermi::type": "a value of the wrong kind: a string, a name or a call where another is needed.",
    DimensionMismatch = "fermi::dimension-mismatch": "quantities of different dimensions combined, compared or given to a field.",
    Unit = "fermi::unit": "unit words in an order that does not make a unit (`per user` twice, `nines` alone).",
    UnknownUnit = "fermi::unknown-unit": "a unit the language does not know.",
    AmbiguousSuffix = "fermi::ambiguous-suffix": "`m` after a number, which could be milli, minutes or mega.",
    BarePercentage = "fermi::bare-percentage": "a percentage where a share of something (`of keys`) is needed.",
    OutOfRange = "fermi::out-of-range": "a value outside the range its field allows.",
    RangeOrder = "fermi::range-order": "a range or `uniform` whose low end is above its high end.",
    NegativeSpread = "fermi::negative-spread": "a negative `±` spread or standard deviation.",
    MissingDau = "fermi::missing-dau": "`per user` without the number of daily users.",
    MissingKeys = "fermi::missing-keys": "`of keys` without `workload.keys`.",
    DivisionByZero = "fermi::division-by-zero": "a division by zero.",
    Overflow = "fermi::overflow": "a value too large to compute.",
    Correlation = "fermi::correlation": "a `correlate` line that names no uncertain input or cannot hold with the others.",
    // Projects, commands and outputs.
    Config = "fermi::config": "fermi.toml cannot be read, or names something that does not exist.",
    Threshold = "fermi::threshold": "a `diff --fail-on` threshold that cannot be read or names no result.",
    Sweep = "fermi::sweep": "a swept name that is not an input of the design.",
    ExportWindow = "fermi::export-window": "an error-budget window that is not a whole number of minutes.",
    ExportNoSlo = "fermi::export-no-slo": "an SLO export of a design that states no SLO.",
    // Findings, in the language server.
    CheckFailed = "fermi::check-failed": "an assert or SLO that the plan does not meet.",
    Plausibility = "fermi::plausibility": "a plausibility warning: a number that is possible but unlikely.",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl Code {
    /// The table as Markdown, which docs/diagnostics.md holds after its introduction.
    pub fn table_markdown() -> String {
        let mut out = String::from("| code | meaning |\n|---|---|\n");
        for c in Code::ALL {
            out.push_str(&format!("| `{}` | {} |\n", c.as_str(), c.meaning().replace('|', "\\|")));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Code;
    use std::collections::BTreeSet;

    #[test]
    fn every_code_is_distinct_and_in_the_fermi_namespace() {
        let texts: BTreeSet<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(texts.len(), Code::ALL.len(), "two codes share a string");
        for c in Code::ALL {
            let name = c.as_str().strip_prefix("fermi::").unwrap_or_default();
            assert!(
                !name.is_empty() && name.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-' || ch.is_ascii_digit()),
                "{c}"
            );
            assert!(c.meaning().ends_with('.'), "{c}: a meaning is one sentence");
        }
    }

    #[test]
    fn a_code_serializes_as_its_string() {
        assert_eq!(
            serde_json::to_string(&Code::DimensionMismatch).ok().as_deref(),
            Some("\"fermi::dimension-mismatch\"")
        );
    }
}

//! Names: "did you mean" suggestions and the list of names a design defines.
//!
//! Architecture Invariant: suggestions come from here only, so every unknown-name error
//! offers the same quality of help.

/// The closest candidate to `word`, if one is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(word, c);
        let case_only = word.eq_ignore_ascii_case(c);
        let score = if case_only { 1.0 } else { score };
        if (score >= 0.8 || strsim::levenshtein(word, c) <= 1)
            && best.is_none_or(|(b, _)| score > b)
        {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// `a, b and c` for messages.
pub fn list(names: &[String]) -> String {
    match names {
        [] => "none".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            suggest("capacty", ["capacity", "headroom"]),
            Some("capacity")
        );
        assert_eq!(suggest("ms", ["MB", "ms"]), Some("ms"));
        assert_eq!(suggest("zzz", ["capacity"]), None);
    }
}

//! Names: what a reference stands for, "did you mean" suggestions, and the list of names a
//! design defines.
//!
//! Architecture Invariant: suggestions come from here only, so every unknown-name error
//! offers the same quality of help.

use crate::key::{self, Metric};

/// The name an expression's reference stands for: a bare request name means its rate
/// (`shorten` → `shorten.rate`); every other name stands for itself.
pub fn referent(name: &str, is_request: bool) -> std::borrow::Cow<'_, str> {
    if is_request { key::of(name, Metric::Rate).into() } else { name.into() }
}

/// The closest candidate to `word`, if one is close enough to be a likely typo. The word
/// itself is never suggested (`skew = zipf` is not helped by "did you mean `zipf`?").
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Rank by edit distance with transpositions (`lur` → `lru` is one edit), then by
    // Jaro–Winkler similarity; accept small edits, or close similarity for longer words.
    let mut best: Option<(usize, f64, &str)> = None;
    let budget = (word.chars().count() / 3).max(1);
    for c in candidates.into_iter().filter(|c| *c != word) {
        let distance = if word.eq_ignore_ascii_case(c) { 0 } else { strsim::osa_distance(word, c) };
        let similarity = strsim::jaro_winkler(word, c);
        if distance > budget && similarity < 0.85 {
            continue;
        }
        let better = match best {
            None => true,
            Some((d, s, _)) => distance < d || (distance == d && similarity > s),
        };
        if better {
            best = Some((distance, similarity, c));
        }
    }
    best.map(|(_, _, c)| c)
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
        assert_eq!(suggest("capacty", ["capacity", "headroom"]), Some("capacity"));
        assert_eq!(suggest("Ms", ["MB", "ms"]), Some("ms"));
        assert_eq!(suggest("zipf", ["zipf", "uniform", "hotspot"]), None);
        assert_eq!(suggest("zzz", ["capacity"]), None);
        assert_eq!(suggest("lur", ["lru", "lfu", "fifo"]), Some("lru"));
        assert_eq!(suggest("users.dua", ["users.dau", "users.peak"]), Some("users.dau"));
    }
}

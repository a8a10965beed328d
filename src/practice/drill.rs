//! Drills: fresh scenarios from templates, generated from a seed (so `--seed` replays one),
//! written in the fermi language itself and estimated like any design.
//!
//! Architecture Invariant: the same seed gives the same scenario; the expected answers come
//! from analysing the generated design, never from the template.

use crate::math::rng::SplitMix64;

/// A generated scenario: its design text and a one-line title.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// A title such as "Chat for 200M users".
    pub title: String,
    /// The design, in the fermi language.
    pub design: String,
}

const DAU: &[&str] = &["10M", "20M", "50M", "100M", "200M", "300M", "500M", "1B"];
const YEARS: &[&str] = &["1", "2", "3", "5", "10"];

/// The scenario for a seed.
pub fn scenario(seed: u64) -> Scenario {
    let mut r = SplitMix64::new(seed);
    let kind = *r.pick(&[0u8, 1, 2, 3]);
    let dau = *r.pick(DAU);
    let years = *r.pick(YEARS);
    let peak = *r.pick(&["2x", "2x", "3x"]);
    match kind {
        0 => {
            let msgs = r.pick(&["10", "20", "40", "50", "100"]);
            let size = r.pick(&["100 B", "200 B", "500 B", "1 KB"]);
            Scenario {
                title: format!("Chat for {dau} daily users"),
                design: format!(
                    "# A chat service: {dau} daily users each send {msgs} messages a day of {size}.\n# Messages are kept {years} years with 3 copies; peak traffic is {peak} the average.\ndesign \"Chat drill\" {{\n  users {{ dau = {dau}; peak = {peak} }}\n  request send {{ kind = write; rate = {msgs} per user per day; request = {size}; stores = {size}; path = chat -> store }}\n  storage {{ retention = {years} years; replication = 3 }}\n  tier chat {{ capacity = 10K rps }}\n  tier store {{ kind = database; capacity = 5K rps }}\n}}\n"
                ),
            }
        }
        1 => {
            let uploads = r.pick(&["0.1", "0.2", "0.5", "1"]);
            let photo = r.pick(&["200 KB", "500 KB", "1 MB", "2 MB"]);
            let views = r.pick(&["10", "20", "50", "100"]);
            let cdn = r.pick(&["80%", "90%", "95%"]);
            Scenario {
                title: format!("Photo sharing for {dau} daily users"),
                design: format!(
                    "# Photo sharing: {dau} daily users upload {uploads} photos a day of {photo} and view {views} photos a day.\n# A CDN serves {cdn} of the photo bytes; photos are kept {years} years with 3 copies; peak is {peak} the average.\ndesign \"Photo drill\" {{\n  users {{ dau = {dau}; peak = {peak} }}\n  request upload {{ kind = write; rate = {uploads} per user per day; request = {photo}; stores = {photo}; path = api -> blobs }}\n  request view {{ rate = {views} per user per day; response = {photo}; cdn = {cdn}; path = api -> blobs }}\n  storage {{ retention = {years} years; replication = 3 }}\n  tier api {{ capacity = 5K rps }}\n  tier blobs {{ kind = blob; capacity = 2K rps }}\n}}\n"
                ),
            }
        }
        2 => {
            let urls = r.pick(&["10M", "50M", "100M", "500M"]);
            let ratio = r.pick(&["10", "50", "100"]);
            let record = r.pick(&["500 B", "1 KB"]);
            Scenario {
                title: format!("URL shortener with {urls} new links a day"),
                design: format!(
                    "# A URL shortener: {urls} new links a day, read {ratio} times as often as written.\n# A link record is {record}; links are kept {years} years with 3 copies; peak is {peak} the average.\ndesign \"Shortener drill\" {{\n  users {{ peak = {peak} }}\n  request shorten {{ kind = write; rate = {urls} per day; request = {record}; stores = {record}; path = api -> db }}\n  request redirect {{ rate = {ratio} x shorten; response = 500 B; path = api -> db }}\n  storage {{ retention = {years} years; replication = 3 }}\n  tier api {{ capacity = 5K rps }}\n  tier db {{ kind = database; capacity = 5K rps }}\n}}\n"
                ),
            }
        }
        _ => {
            let posts = r.pick(&["1", "2", "5"]);
            let fanout = r.pick(&["100", "200", "300"]);
            let size = r.pick(&["300 B", "1 KB"]);
            Scenario {
                title: format!("News feed for {dau} daily users"),
                design: format!(
                    "# A news feed: {dau} daily users post {posts} times a day ({size} each); each post is pushed to {fanout} followers' timelines.\n# Posts are kept {years} years with 3 copies; peak is {peak} the average.\ndesign \"Feed drill\" {{\n  users {{ dau = {dau}; peak = {peak} }}\n  request post {{ kind = write; rate = {posts} per user per day; request = {size}; stores = {size}; path = api -> timelines x {fanout} }}\n  storage {{ retention = {years} years; replication = 3 }}\n  tier api {{ capacity = 5K rps }}\n  tier timelines {{ kind = database; capacity = 50K rps }}\n}}\n"
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_replay_and_differ() {
        assert_eq!(scenario(7), scenario(7));
        let distinct: std::collections::BTreeSet<String> = (0..20).map(|s| scenario(s).design).collect();
        assert!(distinct.len() >= 15, "{} distinct scenarios of 20", distinct.len());
    }
}

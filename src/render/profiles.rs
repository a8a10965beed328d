//! The view of `fermi profiles`: where the profiles came from, then one row per profile
//! with its kind, fields and source.
//!
//! Architecture Invariant: profiles are loaded by `project`; this only lays them out.

use crate::design::profile::Profiles;
use std::path::Path;

/// `from PATH and built-in` (or `built-in (no fermi.toml found)`) and the table.
pub fn table(profiles: &Profiles, config: Option<&Path>) -> String {
    let mut table = super::table::headed(vec!["profile", "kind", "fields", "source"]);
    for p in profiles.0.values() {
        let fields = p.fields.iter().map(|(k, v)| format!("{k} = {}", v.text)).collect::<Vec<_>>().join("; ");
        table.add_row(vec![
            p.name.clone(),
            p.kind.clone().unwrap_or_default(),
            fields,
            match &p.citation {
                Some(c) => format!("{}: {c}", p.source),
                None => p.source.clone(),
            },
        ]);
    }
    let origin = match config {
        Some(p) => format!("from {} and built-in\n", p.display()),
        None => "built-in (no fermi.toml found)\n".to_string(),
    };
    format!("{origin}{table}\n")
}

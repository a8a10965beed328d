//! `fermi profiles [PATH]`: node profiles known at a path.
//!
//! Architecture Invariant: profiles are loaded by `fermi::files::project`.

use super::report::{Rendered, out};
use super::{Outcome, ProfilesArgs};
use fermi::files::project::{self, ConfigError};
use std::path::PathBuf;

pub(super) fn execute(args: &ProfilesArgs) -> anyhow::Result<Outcome> {
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    // A path that names nothing would fall back to the built-in profiles without a word.
    if !path.exists() {
        anyhow::bail!(
            "{}: no such file or folder; give a design file or a folder to look for fermi.toml from",
            path.display()
        );
    }
    let probe = if path.is_dir() { path.join("_") } else { path };
    let config = match project::load_for(&probe) {
        Ok(c) => c,
        Err(ConfigError::Io(p, e)) => anyhow::bail!("reading {}: {e}", p.display()),
        Err(ConfigError::Invalid(source, d)) => return Err(Rendered(d.render(&source)).into()),
    };
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED).set_header(vec!["profile", "kind", "fields", "source"]);
    fermi::render::table::fit(&mut table);
    for p in config.profiles.0.values() {
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
    let origin = match project::find_config(&probe) {
        Some(p) => format!("from {} and built-in\n", p.display()),
        None => "built-in (no fermi.toml found)\n".to_string(),
    };
    out(&format!("{origin}{table}\n"))?;
    Ok(Outcome::Success)
}

//! Fuzz target: any bytes as a design file that analyses, rendered as a design doc (the
//! built-in templates, with plots) and as Markdown and JSON estimates. Must never panic.
#![no_main]

use fermi::analysis::{Options, analyze};
use fermi::design::profile::ProjectConfig;
use fermi::render::doc::Templates;
use fermi::render::{self, Format};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static TEMPLATES: OnceLock<Option<Templates>> = OnceLock::new();
    let Some(templates) = TEMPLATES.get_or_init(|| Templates::new(&[]).ok()) else { return };
    let Ok(source) = fermi::syntax::decode("fuzz.fermi", data.to_vec()) else { return };
    let config = ProjectConfig::built_in();
    let sampling = fermi::uncertainty::Settings { samples: 200, threads: 1, ..Default::default() };
    let Ok(a) = analyze(source, &config, Options { sampling, ..Options::default() }) else { return };
    let _ = templates.render(&a, 4, Some("fuzz"));
    for f in [Format::Markdown, Format::Json] {
        let _ = render::plan(&a, f, render::Options::default());
    }
});

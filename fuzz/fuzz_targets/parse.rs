//! Fuzz target: any bytes, as a design file and as a calculator expression, through the whole
//! pipeline (parse → lower → estimate → check) and every renderer. Must never panic.
#![no_main]

use fermi::analysis::{Options, analyze};
use fermi::design::profile::ProjectConfig;
use fermi::render::{self, Format};
use fermi::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let config = ProjectConfig::built_in();
    // A few hundred samples reach every Monte Carlo path without making each input slow.
    let sampling = fermi::uncertainty::Settings { samples: 200, threads: 1, ..Default::default() };
    match analyze(SourceFile::new("fuzz.fermi", text), &config, Options { sampling, ..Options::default() }) {
        Ok(a) => {
            for f in [Format::Table, Format::Json, Format::Markdown] {
                let _ = render::plan(&a, f, render::Options::default());
            }
            for name in a.plan.names().take(5) {
                let _ = render::explain::explain(&a, name, 4);
            }
        }
        Err(f) => {
            let _ = f.render();
        }
    }
    let _ = fermi::calc::calc(text);
    let _ = ProjectConfig::parse(&SourceFile::new("fermi.toml", text));
});

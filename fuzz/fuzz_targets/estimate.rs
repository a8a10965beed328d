//! Fuzz target: any bytes as a design file, read the way the CLI reads one (UTF-8 decoding
//! with a located error, BOM and line ends), through parse → lower → estimate → check. Must
//! never panic, overflow its stack or fail without a location.
#![no_main]

use fermi::analysis::{Options, analyze};
use fermi::design::profile::ProjectConfig;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = match fermi::syntax::decode("fuzz.fermi", data.to_vec()) {
        Ok(source) => source,
        Err((source, d)) => {
            let _ = d.render(&source);
            return;
        }
    };
    let config = ProjectConfig::built_in();
    // A few hundred samples reach every Monte Carlo path without making each input slow.
    let sampling = fermi::uncertainty::Settings { samples: 200, threads: 1, ..Default::default() };
    match analyze(source, &config, Options { sampling, ..Options::default() }) {
        Ok(a) => {
            let _ = a.passed();
        }
        Err(f) => {
            // Every failure names a place in the file.
            assert!(!f.diagnostics.0.is_empty(), "a failure without a diagnostic");
            let _ = f.render();
        }
    }
});

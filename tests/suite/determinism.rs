//! Same input, same bytes: every output format twice over every design.

use crate::designs::design_files;
use crate::support::fermi;

#[test]
fn every_output_is_byte_identical_across_runs() {
    for f in design_files() {
        let path = format!("designs/{f}");
        for format in ["table", "json", "markdown"] {
            let a = fermi(&["estimate", &path, "--format", format]);
            let b = fermi(&["estimate", &path, "--format", format]);
            assert_eq!(a.stdout, b.stdout, "{path} --format {format} differs between runs");
        }
    }
}

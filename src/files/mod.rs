//! File I/O: finding designs and templates below a folder with one directory walk
//! (`project::walk`), reading `fermi.toml`, building a folder of docs (`batch`) and writing
//! outputs all or nothing under the folder they were given (`write`).
//!
//! Architecture Invariant: the library's only reads and writes of the file system outside
//! a design's own text; every path written is resolved under the output folder.

pub mod batch;
pub mod project;
pub mod write;

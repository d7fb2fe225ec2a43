//! The integration tests: one test binary (`cargo test --test it`), one
//! module per part of the site, and the helpers they share in `common`.
//!
//! Run one part with a filter, e.g. `cargo test --release --test it council::`.

mod common;

mod accessibility;
mod build;
mod council;
mod easy;
mod facts;
#[cfg(feature = "pdf")]
mod flyers;
mod hostile;
mod incremental;
mod init;
mod japan;
mod outdir;
mod postcodes;
mod registry;
mod structured_data;
mod theme;
mod xlsx;

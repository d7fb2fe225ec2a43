//! The integration tests in one test binary (`cargo test --test it`), one
//! module per part, sharing the helpers in `common`.

#[path = "../common/mod.rs"]
mod common;

mod outdir;

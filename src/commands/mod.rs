//! What the `tsunagu` binary runs besides `build` ([`crate::pipeline::build`]):
//! each command goes through [`crate::pipeline`].

pub mod bench_data;
pub mod check;
pub mod gaps;
pub mod import;
pub mod init;
pub mod serve;
pub mod theme;

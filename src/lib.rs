//! tsunagu (つなぐ, "to connect") builds a bilingual (Japanese/English)
//! static website about 医療的ケア児等コーディネーター — coordinators who
//! connect children and adults needing medical care at home, and their
//! families, to medical, welfare and school support.
//!
//! The build is a pipeline; each stage is a module and turns one type into
//! the next:
//!
//! ```text
//! load (files → Raw*) → validate (→ model::Site, all diagnostics)
//!   → render (features → pages, tera) → write (pages, sitemap, swap)
//! ```
//!
//! The source tree says which module is which:
//!
//! - the stages: [`load`], [`validate`], [`model`], [`render`], [`write`],
//!   wired together once in [`pipeline`];
//! - [`features`]: each reads the model and returns pages and files
//!   (finder, council map, registry, flyers, open data, change feeds, figures, reference,
//!   Markdown content); no feature imports another;
//! - [`commands`]: what the `tsunagu` binary runs (check, serve, import,
//!   bench-data; build is [`pipeline::build`]);
//! - support used by every stage: [`diag`] (errors with file:line:col),
//!   [`lang`] (the two languages, kana), [`markdown`] (the pages' Markdown,
//!   parsed once into an outline and a body), [`escape`] (text in markup),
//!   [`config`] (`tsunagu.toml`), [`hash`] (memos and fingerprints for
//!   incremental builds).
//!
//! Imports run one way: commands → pipeline → features → render and model →
//! load. Only `load` and `write` touch the project and the output; a
//! Markdown page's body waits between them in a temporary file
//! ([`markdown::Bodies`]).

pub mod commands;
pub mod config;
pub mod diag;
pub mod escape;
pub mod features;
pub mod hash;
pub mod lang;
pub mod load;
pub mod markdown;
pub mod model;
pub mod pipeline;
pub mod render;
pub mod validate;
pub mod write;

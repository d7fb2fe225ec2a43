//! The gap workbook: `tsunagu check --gaps FILE.xlsx [--area CODE]` writes
//! one workbook for the people who hold the facts the public sources do not
//! give, and `tsunagu import gaps FILE.xlsx` merges what they filled in.
//!
//! One sheet per kind of record (`hubs`, `providers`, `councils`), one row
//! per record with at least one unknown value. The record's key and name
//! and every known value are shown greyed and locked (the sheet is
//! protected without a password, so Excel refuses edits there); every
//! unknown value is an empty cell, with a drop-down where the values form a
//! closed list; and each row ends with 出典 (a source id from
//! `data/sources.toml`) and 時点 (the date the source says the values
//! hold), both required for a row with a filled-in value.
//!
//! - [`fields`]: which values each sheet asks for;
//! - [`workbook`]: the workbook written by `check --gaps`;
//! - [`merge`]: `import gaps`, which edits `data/*.toml` in place.

pub mod fields;
pub mod merge;
pub mod workbook;

pub use merge::{Filled, import};
pub use workbook::write;

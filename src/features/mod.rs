//! Features: each reads the model and returns page definitions (and files)
//! for [`crate::render`]. They are assembled by [`crate::pipeline`]; no
//! feature imports another — what two features share (links to area and hub
//! pages, dataset types) lives in [`crate::render`].

pub mod accessibility;
pub mod changes;
pub mod content;
pub mod council;
pub mod figures;
pub mod finder;
pub mod flyers;
pub mod open_data;
pub mod reference;
pub mod registry;

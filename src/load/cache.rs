//! The parse cache: each data file's records as parsed, kept between builds
//! so a rebuild parses only the files that changed. A national registry is
//! 32 MB of TOML; parsing it is a quarter of a one-record rebuild, reading
//! its cached records back a small part of that.
//!
//! One entry per data file, named after its path, holding a key (a hash of
//! the file's text and of this program) and the records in postcard's
//! binary format, spans included. A large providers file has one entry per
//! piece (`…#1`, `…#2`: see `parse_providers`), keyed by the piece's text,
//! its spans relative to the piece. An entry whose key does not match is
//! ignored and rewritten; entries for files that are gone are removed. Only
//! files that parsed are cached: a file with errors is parsed (and its
//! errors reported) every time.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Bumped when the cached types change shape in a way the program identity
/// would not catch (it always changes with a rebuilt binary). 2: bilingual
/// text holds an optional easy text.
const FORMAT: u32 = 2;

/// A parse cache directory and the entries this build used.
pub struct ParseCache {
    dir: PathBuf,
    used: Mutex<BTreeSet<String>>,
}

impl ParseCache {
    /// The cache in `dir` (created when first written).
    pub fn new(dir: PathBuf) -> ParseCache {
        ParseCache {
            dir,
            used: Mutex::default(),
        }
    }

    /// The records of the data file `rel` with text `text`: from the cache
    /// when it holds this text's, otherwise from `parse` (and then cached).
    pub(super) fn get_or_parse<T: Serialize + DeserializeOwned>(
        &self,
        rel: &Path,
        text: &str,
        parse: impl FnOnce() -> Option<T>,
    ) -> Option<T> {
        self.get_or_parse_piece(rel, (0, 0), text, parse)
    }

    /// [`get_or_parse`](Self::get_or_parse) for piece `index` of a data
    /// file, `text`, which starts at byte `base`: its records' spans are
    /// cached relative to the piece, so a piece that only moved (an
    /// earlier piece was edited) is still read back.
    pub(super) fn get_or_parse_piece<T: Serialize + DeserializeOwned>(
        &self,
        rel: &Path,
        (index, base): (usize, usize),
        text: &str,
        parse: impl FnOnce() -> Option<T>,
    ) -> Option<T> {
        let mut name = entry_name(rel);
        if index > 0 {
            name = format!("{name}#{index}");
        }
        let path = self.dir.join(&name);
        if let Ok(mut used) = self.used.lock() {
            used.insert(name);
        }
        let key = key(text);
        if let Ok(bytes) = std::fs::read(&path)
            && let Some((stored, records)) = bytes.split_first_chunk::<8>()
            && u64::from_le_bytes(*stored) == key
            && let Ok(value) = super::spanned::from_base(base, || postcard::from_bytes(records))
        {
            return Some(value);
        }
        let value = parse()?;
        // A cache that cannot be written only costs the next build time.
        if let Ok(records) = super::spanned::from_base(base, || postcard::to_stdvec(&value)) {
            let mut bytes = key.to_le_bytes().to_vec();
            bytes.extend(records);
            let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
            let _ = std::fs::create_dir_all(&self.dir)
                .and_then(|()| std::fs::write(&tmp, bytes))
                .and_then(|()| std::fs::rename(&tmp, &path));
        }
        Some(value)
    }

    /// Removes the entries of files this build did not read.
    pub(super) fn prune(&self) {
        let Ok(used) = self.used.lock() else { return };
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for e in entries.flatten() {
            // Folders are other caches' (flyers keep theirs in `flyers/`).
            let file = e.file_type().is_ok_and(|t| t.is_file());
            if file && !used.contains(e.file_name().to_string_lossy().as_ref()) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// `data/providers/01.toml` → `data%providers%01.toml`.
fn entry_name(rel: &Path) -> String {
    rel.to_string_lossy().replace(['/', '\\'], "%")
}

fn key(text: &str) -> u64 {
    let mut h = crate::hash::hasher();
    (FORMAT, text, crate::load::program_identity()).hash(&mut h);
    h.finish()
}

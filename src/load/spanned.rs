//! [`Spanned`]: a value and where in its file it was written.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::ops::Range;

/// A value with the byte range it was written at, so diagnostics can point
/// at it. Read from TOML through [`toml::Spanned`]; it also round-trips
/// through the parse cache (a binary format), span included, which
/// `toml::Spanned` cannot. Like `toml::Spanned`, it compares and hashes by
/// value only.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    span: Range<usize>,
    value: T,
}

impl<T> Spanned<T> {
    /// Byte range of the value in its file.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    pub fn get_ref(&self) -> &T {
        &self.value
    }

    /// The value, taken out (left default).
    pub fn take(&mut self) -> T
    where
        T: Default,
    {
        std::mem::take(&mut self.value)
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Eq> Eq for Spanned<T> {}

impl<T: std::hash::Hash> std::hash::Hash for Spanned<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<T: PartialOrd> PartialOrd for Spanned<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        self.value.partial_cmp(&other.value)
    }
}

impl<T: Ord> Ord for Spanned<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}

impl std::borrow::Borrow<str> for Spanned<String> {
    fn borrow(&self) -> &str {
        &self.value
    }
}

thread_local! {
    /// Where the text being read starts in its file (see [`from_base`]).
    static BASE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Runs `read` with spans counted from byte `base` of the file, for text
/// that is part of a file (front matter, a piece of a large data file).
/// Reading TOML, or reading the parse cache, adds `base` to every span;
/// writing the cache subtracts it, so a piece's cached records do not
/// depend on where the piece lies in its file.
pub(super) fn from_base<R>(base: usize, read: impl FnOnce() -> R) -> R {
    let outer = BASE.replace(base);
    let r = read();
    BASE.set(outer);
    r
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // TOML (human-readable) knows spans; the cache stores them as a tuple.
        if d.is_human_readable() {
            let s = toml::Spanned::<T>::deserialize(d)?;
            let base = BASE.get();
            Ok(Spanned {
                span: s.span().start + base..s.span().end + base,
                value: s.into_inner(),
            })
        } else {
            let (start, end, value) = <(usize, usize, T)>::deserialize(d)?;
            let base = BASE.get();
            Ok(Spanned {
                span: start + base..end + base,
                value,
            })
        }
    }
}

/// Only the parse cache serializes: as `(start, end, value)`, the span
/// counted from the base (see `from_base`).
impl<T: Serialize> Serialize for Spanned<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let base = BASE.get();
        let (start, end) = (self.span.start - base, self.span.end - base);
        (start, end, &self.value).serialize(s)
    }
}

//! Published tables (datasets): what a feature hands to open data. A
//! feature builds its [`Dataset`]s from the model; `features::open_data`
//! writes them as CSV and JSON and documents them, so every dataset follows
//! the same conventions.

use crate::lang::Text;
use crate::model::{Date, SourceId};
use serde::Serialize;
use std::hash::{Hash, Hasher};
use std::ops::Range;

/// Directory of the open-data files, below the site root.
pub const DIR: &str = "open-data";
/// Key of the page documenting the datasets.
pub const PAGE_KEY: &str = "open-data";

/// What a column holds, as documented on the open-data page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    Text,
    Integer,
    /// `YYYY-MM-DD` or `YYYY-MM`.
    Date,
    /// A 6-digit 全国地方公共団体コード.
    AreaCode,
    Phone,
    Url,
    Email,
    /// `yes`, `no` or empty (unknown).
    YesNoUnknown,
}

/// A column: its published name and what it means.
#[derive(Debug, Clone, Hash)]
pub struct Column {
    pub name: &'static str,
    pub kind: ColumnKind,
    pub about: Text,
    /// The values a cell may take besides empty, where the list is closed
    /// (the provider kind codes): the xlsx export offers them as a drop-down.
    pub choices: Vec<&'static str>,
    /// Every row has a value here (CSVW `required`; the build checks it).
    pub required: bool,
}

/// One published table. An empty cell means unknown.
pub struct Dataset<'a> {
    /// File stem, e.g. `providers`, `councils-110001`.
    pub id: String,
    pub title: Text,
    pub columns: Vec<Column>,
    pub rows: Rows<'a>,
    /// Latest as-of date among the records.
    pub as_of: Option<Date>,
    pub sources: Vec<SourceId>,
}

/// A dataset's records, one `Vec` of cells per row: stored, or made one at
/// a time as the files are written (a national registry's 20,000 provider
/// rows would otherwise hold ~56 MB for the whole build).
pub enum Rows<'a> {
    Stored(Vec<Vec<String>>),
    Made {
        len: usize,
        row: Box<dyn Fn(usize) -> Vec<String> + Send + Sync + 'a>,
        /// Row `i`'s [`RowMemo`], known without making the row.
        memo: Box<dyn Fn(usize) -> RowMemo + Send + Sync + 'a>,
    },
}

/// What an incremental build needs to know of a made row.
pub struct RowMemo {
    /// A hash of everything the row is made from.
    pub hash: u64,
    /// Whether a new part of the files starts at this row (see
    /// [`crate::render::Parts`]). Chosen from the record's identity, not its
    /// place, so adding a record does not move every later boundary.
    pub starts_part: bool,
}

impl Rows<'_> {
    pub fn len(&self) -> usize {
        match self {
            Rows::Stored(rows) => rows.len(),
            Rows::Made { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Calls `f` with each row of `range` in order, stopping at the first error.
    pub fn each<E>(
        &self,
        range: Range<usize>,
        mut f: impl FnMut(&[String]) -> Result<(), E>,
    ) -> Result<(), E> {
        match self {
            Rows::Stored(rows) => rows[range].iter().try_for_each(|r| f(r)),
            Rows::Made { row, .. } => range.into_iter().try_for_each(|i| f(&row(i))),
        }
    }

    /// A hash of every stored row, or of every made row's memo.
    pub fn hash(&self) -> u64 {
        let mut h = crate::hash::hasher();
        match self {
            Rows::Stored(rows) => rows.hash(&mut h),
            Rows::Made { len, memo, .. } => (0..*len).for_each(|i| memo(i).hash.hash(&mut h)),
        }
        h.finish()
    }

    /// The row ranges of a made dataset's parts, each with a hash of its
    /// rows' memos; `None` for stored rows (small datasets, one part).
    pub fn parts(&self) -> Option<Vec<(Range<usize>, u64)>> {
        let Rows::Made { len, memo, .. } = self else {
            return None;
        };
        let mut parts: Vec<(Range<usize>, crate::hash::Hasher)> = Vec::new();
        for i in 0..*len {
            let m = memo(i);
            if parts.is_empty() || m.starts_part {
                parts.push((i..i, crate::hash::hasher()));
            }
            if let Some((range, h)) = parts.last_mut() {
                range.end = i + 1;
                m.hash.hash(h);
            }
        }
        Some(parts.into_iter().map(|(r, h)| (r, h.finish())).collect())
    }
}

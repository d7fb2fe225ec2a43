//! 郵便番号 (postcodes): Japan Post's postcodes of the site's areas, read
//! from `data/postcodes/<prefecture code>.csv` (written by
//! `tsunagu import postcodes`).

use super::{AreaCode, Provenance};

/// One postcode row: a town (町域) of an area under one 7-digit postcode.
/// A postcode may have several towns and a town several postcodes, as in
/// Japan Post's file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Postcode {
    /// Seven digits, no hyphen: `2220033`.
    pub code: String,
    /// The municipality or ward (6-digit code) the town is in.
    pub area: AreaCode,
    /// 町域名 as Japan Post writes it; empty for the postcode of the rest of
    /// the municipality (「以下に掲載がない場合」).
    pub town: String,
    /// The town's reading in hiragana (from Japan Post's katakana).
    pub kana: String,
    /// Japan Post's parenthesised note (「１丁目」, 「次のビルを除く」), or empty.
    pub note: String,
    pub provenance: Provenance,
}

impl Postcode {
    /// `222-0033`.
    pub fn display(&self) -> String {
        let (a, b) = self.code.split_at(3.min(self.code.len()));
        format!("{a}-{b}")
    }

    /// The first three digits, which name the no-JS list page.
    pub fn prefix(&self) -> &str {
        &self.code[..3.min(self.code.len())]
    }
}

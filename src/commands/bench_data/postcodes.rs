//! SYNTHETIC postcodes for the national benchmark (issue 20): `count`
//! postcodes (all of Japan has ≈ 120,000) spread evenly over the
//! municipalities and wards, about 130 under each 3-digit prefix as in Japan
//! Post's data, each with an invented town (kanji, reading). Written as
//! `data/postcodes/<prefecture code>.csv`, the files `tsunagu import
//! postcodes` writes.

use super::{AS_OF, Muni, Rng, SOURCE, with_check_digit};
use crate::validate::postcodes::HEADER;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// Postcodes under one 3-digit prefix, about as in Japan Post's data.
const PER_PREFIX: usize = 130;

const SYLLABLES: [&str; 40] = [
    "あ", "い", "う", "え", "お", "か", "き", "く", "け", "こ", "さ", "し", "す", "せ", "そ", "た",
    "ち", "つ", "て", "と", "な", "に", "ぬ", "ね", "の", "は", "ひ", "ふ", "へ", "ほ", "ま", "み",
    "む", "め", "も", "や", "ゆ", "よ", "ら", "り",
];

/// Writes `count` postcodes over `leaves` (municipalities and wards, in code order).
pub(super) fn write(out: &Path, leaves: &[&Muni], count: usize, rng: &mut Rng) -> io::Result<()> {
    if count == 0 || leaves.is_empty() {
        return Ok(());
    }
    fs::create_dir_all(out.join("data/postcodes"))?;
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    for i in 0..count {
        let muni = leaves[i * leaves.len() / count];
        let prefix = 1 + i / PER_PREFIX;
        let code = format!("{prefix:03}{:04}", (i % PER_PREFIX) * 10);
        // Invented towns: two kanji from the common range, a made-up reading.
        let mut town: String = (0..2)
            .filter_map(|_| char::from_u32(0x4E00 + rng.below(600) as u32))
            .collect();
        const SUFFIXES: [&str; 4] = ["", "町", "台", "丘"];
        let suffix = SUFFIXES[rng.below(SUFFIXES.len())];
        town.push_str(suffix);
        let kana: String = (0..3 + rng.below(2))
            .map(|_| *rng.pick(&SYLLABLES))
            .collect();
        let pref = with_check_digit(&format!("{}000", &muni.code5[..2]));
        let text = files.entry(pref).or_insert_with(|| {
            format!("# SYNTHETIC postcodes (tsunagu bench-data); not real.\n# source = \"{SOURCE}\"\n# as_of = \"{AS_OF}\"\n{HEADER}\n")
        });
        let _ = writeln!(
            text,
            "{code},{},{town},{kana},",
            with_check_digit(&muni.code5)
        );
    }
    for (pref, text) in files {
        fs::write(out.join(format!("data/postcodes/{pref}.csv")), text)?;
    }
    Ok(())
}

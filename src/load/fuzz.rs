//! Bounded property tests (issue 18): the loaders and the front matter
//! parser meet every file as an editor might leave it — real files with
//! bytes inserted, deleted, replaced or cut — and must answer with
//! diagnostics, never a panic. Each diagnostic is also printed, since its
//! snippet slices the file at the reported span.
//!
//! Runs in `cargo test` for a bounded number of cases (`PROPTEST_CASES`
//! overrides it, e.g. 100000 for a long run).

use super::content::parse_page;
use super::{
    RawAreasFile, RawCoordinatorsFile, RawCouncilFile, RawGlossaryFile, RawHubsFile,
    RawProvidersFile, RawSourcesFile, SourceText, parse_providers, parse_toml,
};
use crate::config::RawConfig;
use crate::diag::Diagnostics;
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use std::path::Path;

/// The shipped project's files a mutation starts from.
const SEEDS: &[&str] = &[
    "tsunagu.toml",
    "data/sources.toml",
    "data/glossary.toml",
    "data/areas/saitama.toml",
    "data/hubs/yokohama.toml",
    "data/councils/saitama.toml",
    "data/coordinators/saitama.toml",
    "data/providers/chiyoda.toml",
    "content/yokohama.ja.md",
    "content/coordinator-role.en.md",
];

/// Bytes an editor (or an attacker) is likely to leave in a TOML or Markdown file.
const SPICE: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "[[",
    "]]",
    "\"",
    "'",
    "'''",
    "\"\"\"",
    "=",
    ",",
    "\n",
    "\r\n",
    "#",
    "\\",
    "\\u{",
    "+++",
    "+++\n",
    "\u{feff}",
    "\u{1b}[2J",
    "\0",
    "名前",
    "🙂",
    "\u{202e}",
    "1e999",
    "-",
    "9999-99-99",
    "ja",
    "en",
    "= {",
    "[hub]",
    "[[provider]]",
    "..",
    "/",
];

#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, usize),
    Delete(usize, usize),
    Replace(usize, usize, usize),
    Cut(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0..SPICE.len()).prop_map(|(at, s)| Edit::Insert(at, s)),
        (any::<usize>(), 1..40usize).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), 1..8usize, 0..SPICE.len()).prop_map(|(at, n, s)| Edit::Replace(at, n, s)),
        any::<usize>().prop_map(Edit::Cut),
    ]
}

/// Applies edits at positions taken modulo the text's length, on char boundaries.
fn mutate(text: &str, edits: &[Edit]) -> String {
    let mut t = text.to_string();
    let boundary = |t: &str, at: usize| {
        let mut i = if t.is_empty() { 0 } else { at % (t.len() + 1) };
        while !t.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    for e in edits {
        match *e {
            Edit::Insert(at, s) => {
                let i = boundary(&t, at);
                t.insert_str(i, SPICE[s]);
            }
            Edit::Delete(at, n) | Edit::Replace(at, n, _) => {
                let i = boundary(&t, at);
                let j = boundary(&t, i.saturating_add(n).min(t.len()));
                let with = match *e {
                    Edit::Replace(_, _, s) => SPICE[s],
                    _ => "",
                };
                t.replace_range(i..j.max(i), with);
            }
            Edit::Cut(at) => {
                let i = boundary(&t, at);
                t.truncate(i);
            }
        }
    }
    t
}

fn seed(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn parse_as<T: DeserializeOwned>(file: &SourceText) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let _ = parse_toml::<T>(file, 0, &file.text, &mut diags);
    diags
}

/// Loads `text` as the file `rel` would be loaded; returns its diagnostics.
fn load_as(rel: &str, text: String) -> Diagnostics {
    let file = SourceText {
        path: rel.into(),
        text,
    };
    match rel {
        "tsunagu.toml" => parse_as::<RawConfig>(&file),
        "data/sources.toml" => parse_as::<RawSourcesFile>(&file),
        "data/glossary.toml" => parse_as::<RawGlossaryFile>(&file),
        r if r.starts_with("data/areas/") => parse_as::<RawAreasFile>(&file),
        r if r.starts_with("data/hubs/") => parse_as::<RawHubsFile>(&file),
        r if r.starts_with("data/councils/") => parse_as::<RawCouncilFile>(&file),
        r if r.starts_with("data/coordinators/") => parse_as::<RawCoordinatorsFile>(&file),
        r if r.starts_with("data/providers/") => {
            let mut diags = Diagnostics::default();
            let _: Option<RawProvidersFile> = parse_providers(&file, None, &mut diags);
            diags
        }
        _ => {
            let mut diags = Diagnostics::default();
            let _ = parse_page(file.path.clone(), &file.text, false, None, &mut diags);
            diags
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_files_give_diagnostics_not_panics(
        which in 0..SEEDS.len(),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let rel = SEEDS[which];
        let text = mutate(&seed(rel), &edits);
        for d in load_as(rel, text).0 {
            let shown = d.to_string();
            prop_assert!(!shown.is_empty());
        }
    }

    #[test]
    fn arbitrary_text_gives_diagnostics_not_panics(
        which in 0..SEEDS.len(),
        text in "\\PC{0,300}",
    ) {
        for d in load_as(SEEDS[which], text).0 {
            let _ = d.to_string();
        }
    }
}

//! Heading ids of content pages, for checking `@/key#anchor` links.

use super::heading_ids;
use crate::lang::Lang;
use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

/// The heading ids of content pages, by key and language. A page's are
/// found from its Markdown only when a link names one of its headings:
/// most links name none, and finding every page's first was a third of a
/// Markdown site's parsing.
#[derive(Default)]
pub struct Anchors<'a> {
    pages: HashMap<&'a str, Vec<PageAnchors<'a>>>,
}

/// A page's language, its Markdown, and its heading ids once found.
type PageAnchors<'a> = (Lang, &'a str, OnceLock<BTreeSet<String>>);

impl<'a> Anchors<'a> {
    /// Page `key` in `lang` has the Markdown `md`.
    pub fn add(&mut self, key: &'a str, lang: Lang, md: &'a str) {
        let variants = self.pages.entry(key).or_default();
        variants.retain(|(l, ..)| *l != lang);
        variants.push((lang, md, OnceLock::new()));
    }

    /// The heading ids of a content page, or `None` for any other page.
    pub(super) fn get(&self, key: &str, lang: Lang) -> Option<&BTreeSet<String>> {
        let (_, md, ids) = self.pages.get(key)?.iter().find(|(l, ..)| *l == lang)?;
        Some(ids.get_or_init(|| heading_ids(md)))
    }
}

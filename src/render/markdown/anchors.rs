//! Heading ids of content pages, for checking `@/key#anchor` links.

use crate::lang::Lang;
use std::collections::HashMap;

/// The heading ids of content pages, by key and language (each page's
/// from its [`crate::markdown::Outline`]).
#[derive(Default)]
pub struct Anchors<'a> {
    pages: HashMap<&'a str, Vec<(Lang, Ids<'a>)>>,
}

/// A page's heading ids, in order.
type Ids<'a> = &'a [Box<str>];

impl<'a> Anchors<'a> {
    /// Page `key` in `lang` has the heading ids `ids`.
    pub fn add(&mut self, key: &'a str, lang: Lang, ids: &'a [Box<str>]) {
        let variants = self.pages.entry(key).or_default();
        variants.retain(|(l, _)| *l != lang);
        variants.push((lang, ids));
    }

    /// The heading ids of a content page, or `None` for any other page.
    pub(super) fn get(&self, key: &str, lang: Lang) -> Option<&'a [Box<str>]> {
        let (_, ids) = self.pages.get(key)?.iter().find(|(l, _)| *l == lang)?;
        Some(ids)
    }
}

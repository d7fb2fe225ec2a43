//! The change feeds (更新情報): Atom feeds of the hubs and providers, newest
//! first by their as-of / last-verified date, so a family, a ward office
//! or an aggregator can subscribe to what changed. One feed per language
//! (`/<lang>/changes.xml`) and one per prefecture
//! (`/<lang>/areas/<prefecture code>/changes.xml`, the records serving
//! any of its areas); each holds the newest [`LIMIT`] records.
//!
//! An entry's id is its page's URL (a record keeps its page, so its entry
//! keeps its id); `updated` is the record's date at 00:00 JST (the first
//! of the month for a source giving only a month, as the entry's summary
//! says); the entry links the page and names and links its source.

use crate::lang::Lang;
use crate::model::{AreaCode, AreaKind, Date, Provenance, Site};
use crate::render::escape::xml;
use crate::render::links::{changes_path, hub_key, prefecture_changes_path, provider_key};
use crate::render::{Artifact, page_href, page_path, ui};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The most entries a feed holds (a national registry has ~20,000 records).
pub const LIMIT: usize = 200;

/// UI strings the feeds use.
pub const STRINGS: &[&str] = &["changes_title", "source", "as_of", "last_verified"];

/// A record as a feed entry.
struct Entry<'a> {
    date: Date,
    /// The record's page key.
    key: String,
    title: &'a str,
    provenance: &'a Provenance,
    /// The prefectures of the areas it serves.
    prefectures: BTreeSet<&'a AreaCode>,
}

/// Every feed of the site, in both languages.
pub fn files(site: &Site) -> Vec<Artifact> {
    let prefectures: Vec<&AreaCode> = site
        .areas
        .iter()
        .filter(|a| a.kind == AreaKind::Prefecture)
        .map(|a| &a.code)
        .collect();
    let mut files = Vec::new();
    for lang in Lang::ALL {
        let entries = entries(site, lang);
        files.push(Artifact {
            path: changes_path(lang),
            bytes: feed(site, lang, &changes_path(lang), None, entries.iter()),
        });
        for &code in &prefectures {
            let path = prefecture_changes_path(lang, code);
            let mine = entries.iter().filter(|e| e.prefectures.contains(&code));
            files.push(Artifact {
                bytes: feed(site, lang, &path, Some(code), mine),
                path,
            });
        }
    }
    files
}

/// The hubs and providers, newest first (then by page, so two builds
/// agree).
fn entries(site: &Site, lang: Lang) -> Vec<Entry<'_>> {
    let prefectures = |codes: &[AreaCode]| -> BTreeSet<&AreaCode> {
        codes
            .iter()
            .filter_map(|c| site.area(c))
            .map(|a| &site.prefecture_of(a).code)
            .collect()
    };
    let mut entries: Vec<Entry> = Vec::new();
    for h in &site.hubs {
        // The newer of the record's and its contact's provenance.
        let p = h
            .provenances()
            .max_by_key(|p| p.latest())
            .unwrap_or(&h.provenance);
        entries.push(Entry {
            date: p.latest(),
            key: hub_key(h),
            title: h.name.str(lang),
            provenance: p,
            prefectures: prefectures(&h.areas),
        });
    }
    for p in &site.providers {
        entries.push(Entry {
            date: p.provenance.latest(),
            key: provider_key(&p.id),
            title: p.name.str(lang),
            provenance: &p.provenance,
            prefectures: prefectures(&p.areas),
        });
    }
    entries.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.key.cmp(&b.key)));
    entries
}

/// RFC 3339 for a date, at 00:00 in Japan.
fn rfc3339(d: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}T00:00:00+09:00",
        d.year,
        d.month,
        d.day.unwrap_or(1)
    )
}

/// One Atom feed of `entries` (the newest [`LIMIT`]).
fn feed<'e>(
    site: &Site,
    lang: Lang,
    path: &str,
    prefecture: Option<&AreaCode>,
    entries: impl Iterator<Item = &'e Entry<'e>>,
) -> Vec<u8> {
    let base = &site.config.base_url;
    let entries: Vec<&Entry> = entries.take(LIMIT).collect();
    let site_title = site.config.title.str(lang);
    let mut title = format!("{site_title}: {}", ui(site, lang, "changes_title"));
    if let Some(area) = prefecture.and_then(|c| site.area(c)) {
        title = format!("{title} ({})", area.name.str(lang));
    }
    // An empty feed is as new as the area table it covers.
    let updated = entries
        .first()
        .map(|e| e.date)
        .or_else(|| site.areas.iter().map(|a| a.provenance.as_of).max())
        .map(rfc3339)
        .unwrap_or_default();
    let author = site
        .config
        .identity
        .publisher
        .as_ref()
        .map_or(site_title, |p| p.str(lang));
    let home = match prefecture {
        Some(code) => page_path(lang, &crate::render::links::area_key(code)),
        None => page_path(lang, ""),
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n<id>{self_url}</id>\n<title>{title}</title>\n<updated>{updated}</updated>\n<author><name>{author}</name></author>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{self_url}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{home}\"/>",
        self_url = xml(&format!("{base}{path}")),
        title = xml(&title),
        author = xml(author),
        home = xml(&format!("{base}{home}")),
    );
    for e in entries {
        entry(site, lang, e, &mut out);
    }
    out.push_str("</feed>\n");
    out.into_bytes()
}

fn entry(site: &Site, lang: Lang, e: &Entry, out: &mut String) {
    let url = page_href(&site.config.base_url, lang, &e.key);
    let p = e.provenance;
    let source = &site.sources[&p.source];
    let mut summary = format!(
        "{}: {} ({}). {}: {}",
        ui(site, lang, "source"),
        source.title.str(lang),
        source.publisher.str(lang),
        ui(site, lang, "as_of"),
        p.as_of.display(lang),
    );
    if let Some(v) = p.last_verified {
        let _ = write!(
            summary,
            ". {}: {}",
            ui(site, lang, "last_verified"),
            v.display(lang)
        );
    }
    let _ = write!(
        out,
        "<entry>\n<id>{url}</id>\n<title>{}</title>\n<updated>{}</updated>\n<link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n",
        xml(e.title),
        rfc3339(e.date),
        url = xml(&url),
    );
    if let Some(src) = &source.url {
        let _ = writeln!(out, "<link rel=\"related\" href=\"{}\"/>", xml(src));
    }
    let _ = writeln!(out, "<summary>{}</summary>\n</entry>", xml(&summary));
}

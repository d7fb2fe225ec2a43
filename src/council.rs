//! 協議の場 (support council) status per municipality: a page per
//! prefecture with a table, counts computed from the data and the published
//! totals beside them, and the history of each municipality's status.

use crate::diag::Diagnostic;
use crate::finder::{area_key, full_name, sorted, status_key};
use crate::lang::Lang;
use crate::model::{Council, CouncilStatus, PublishedTotal, Site};
use crate::render::{PageDef, page_path, provenance, push_provenance, ui};
use serde::Serialize;
use tera::Context;

pub fn council_key(prefecture: &crate::model::AreaCode) -> String {
    format!("councils/{prefecture}")
}

/// Counts of the latest status per municipality.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub alone: u32,
    pub joint: u32,
    pub not_set: u32,
    pub unknown: u32,
}

impl Tally {
    pub fn of(council: &Council) -> Tally {
        let mut t = Tally::default();
        for s in council.latest() {
            match s.status {
                CouncilStatus::Alone => t.alone += 1,
                CouncilStatus::Joint => t.joint += 1,
                CouncilStatus::NotSet => t.not_set += 1,
                CouncilStatus::Unknown => t.unknown += 1,
            }
        }
        t
    }

    pub fn total(&self) -> u32 {
        self.alone + self.joint + self.not_set + self.unknown
    }

    /// Whether the data contradicts a published total. Unknown statuses can
    /// be any status, so they only contradict it through the grand total.
    pub fn disagrees_with(&self, p: &PublishedTotal) -> bool {
        let published = p.alone + p.joint + p.not_set;
        self.total() != published
            || self.alone > p.alone
            || self.joint > p.joint
            || self.not_set > p.not_set
            || (self.unknown == 0
                && (self.alone, self.joint, self.not_set) != (p.alone, p.joint, p.not_set))
    }
}

/// Warnings for every council whose data disagrees with its latest published total.
pub fn disagreements(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for c in &site.councils {
        let tally = Tally::of(c);
        if let Some(p) = c.published_totals.last()
            && tally.disagrees_with(p)
        {
            let mut d = Diagnostic::file(
                    &c.origin.file,
                    format!(
                        "協議の場 counts from the data (alone {}, joint {}, not set {}, unknown {}) disagree with the published total as of {} (alone {}, joint {}, not set {})",
                        tally.alone, tally.joint, tally.not_set, tally.unknown, p.provenance.as_of, p.alone, p.joint, p.not_set
                    ),
                )
                .hint("check each municipality's status against the source, or add the newer published total")
                .warning();
            d.line = c.origin.line;
            out.push(d);
        }
    }
    out
}

#[derive(Serialize)]
struct RowCtx {
    code: String,
    name: String,
    path: String,
    status: &'static str,
    partners: Vec<String>,
    as_of: String,
    source: String,
    source_id: String,
    history: Vec<HistoryCtx>,
}

#[derive(Serialize)]
struct HistoryCtx {
    as_of: String,
    status: &'static str,
}

#[derive(Serialize)]
struct PublishedCtx {
    alone: u32,
    joint: u32,
    not_set: u32,
    total: u32,
    as_of: String,
    source: String,
}

pub fn pages(site: &Site, lang: Lang) -> Vec<PageDef> {
    site.councils
        .iter()
        .filter_map(|c| page(site, c, lang))
        .collect()
}

fn page(site: &Site, council: &Council, lang: Lang) -> Option<PageDef> {
    let pref = site.area(&council.prefecture)?;
    let mut prov = Vec::new();
    let latest = council.latest();
    let areas = sorted(
        latest.iter().filter_map(|s| site.area(&s.area)).collect(),
        lang,
    );
    let rows: Vec<RowCtx> = areas
        .iter()
        .filter_map(|a| {
            let s = latest.iter().find(|s| s.area == a.code)?;
            push_provenance(&mut prov, provenance(site, &s.provenance, lang));
            Some(RowCtx {
                code: a.code.to_string(),
                name: full_name(site, a, lang),
                path: page_path(lang, &area_key(&a.code)),
                status: status_key(s.status),
                partners: s
                    .partners
                    .iter()
                    .filter_map(|p| site.area(p))
                    .map(|p| p.name.str(lang).to_string())
                    .collect(),
                as_of: s.provenance.as_of.display(lang),
                source: site.sources[&s.provenance.source]
                    .title
                    .str(lang)
                    .to_string(),
                source_id: s.provenance.source.to_string(),
                history: council
                    .statuses
                    .iter()
                    .filter(|h| h.area == a.code)
                    .map(|h| HistoryCtx {
                        as_of: h.provenance.as_of.display(lang),
                        status: status_key(h.status),
                    })
                    .collect(),
            })
        })
        .collect();
    let tally = Tally::of(council);
    let published = council.published_totals.last().map(|p| {
        push_provenance(&mut prov, provenance(site, &p.provenance, lang));
        PublishedCtx {
            alone: p.alone,
            joint: p.joint,
            not_set: p.not_set,
            total: p.alone + p.joint + p.not_set,
            as_of: p.provenance.as_of.display(lang),
            source: site.sources[&p.provenance.source]
                .title
                .str(lang)
                .to_string(),
        }
    });
    let disagrees = council
        .published_totals
        .last()
        .is_some_and(|p| tally.disagrees_with(p));
    let changes: usize = rows.iter().filter(|r| r.history.len() > 1).count();
    let mut body = Context::new();
    body.insert("prefecture", pref.name.str(lang));
    body.insert("rows", &rows);
    body.insert("tally", &tally);
    body.insert("tally_total", &tally.total());
    body.insert("published", &published);
    body.insert("disagrees", &disagrees);
    body.insert("changes", &changes);
    Some(PageDef {
        key: council_key(&council.prefecture),
        lang,
        template: "council.html",
        title: format!(
            "{} {}",
            pref.name.str(lang),
            ui(site, lang, "council_title")
        ),
        description: None,
        crumbs: Vec::new(),
        provenance: prov,
        body,
    })
}

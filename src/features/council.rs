//! 協議の場 (support council) status per municipality: a page per
//! prefecture with a table, counts computed from the data and the published
//! totals beside them, and the history of each municipality's status.

use crate::diag::Diagnostic;
use crate::lang::{Lang, Text};
use crate::model::{Area, Council, CouncilStatus, PublishedTotal, Site, StatusEntry};
use crate::render::TemplateData;
use crate::render::dataset::{Column, ColumnKind, Dataset};
use crate::render::links::{COUNCILS_KEY, area_key, council_key, full_name, sorted};
use crate::render::{PageDef, page_path, provenance, push_provenance, ui};
use serde::Serialize;

pub mod geo;
pub mod map;

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

/// Everything `check` reports about councils: totals that disagree with the
/// data, and municipalities missing from the map or map shapes without data.
pub fn findings(site: &Site) -> Vec<Diagnostic> {
    let mut out = disagreements(site);
    out.extend(map::findings(site));
    out
}

/// The standalone map of every council, `<lang>/councils/<prefecture>/map.svg`.
pub fn files(site: &Site) -> Vec<crate::render::Artifact> {
    let mut out = Vec::new();
    for c in &site.councils {
        let Some(m) = map::build(site, c) else {
            continue;
        };
        for lang in Lang::VARIANTS {
            let key = council_key(&c.prefecture);
            let root = crate::render::root_prefix(&key);
            out.push(crate::render::Artifact {
                path: format!("{}map.svg", page_path(lang, &key)),
                // SVG text takes no furigana: easy strings' marks are dropped.
                bytes: crate::lang::furigana::strip_marks(&map::svg(
                    site, c, &m, lang, &root, true,
                ))
                .into_bytes(),
            });
        }
    }
    out
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
struct DownloadCtx {
    title: String,
    csv: String,
    sjis: String,
    json: String,
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

pub fn pages(site: &Site, lang: Lang) -> Vec<PageDef<'static>> {
    let datasets = datasets(site);
    let mut defs: Vec<PageDef> = site
        .councils
        .iter()
        .filter_map(|c| page(site, c, lang, &datasets))
        .collect();
    if site.councils.len() > 1 {
        defs.push(index(site, lang));
    }
    defs
}

#[derive(Serialize)]
struct PrefectureCtx {
    name: String,
    path: String,
    tally: Tally,
    total: u32,
}

/// The councils of every prefecture, with their counts per status.
fn index(site: &Site, lang: Lang) -> PageDef<'static> {
    let mut prov = Vec::new();
    let mut prefectures: Vec<PrefectureCtx> = Vec::new();
    for c in &site.councils {
        let Some(pref) = site.area(&c.prefecture) else {
            continue;
        };
        for s in c.latest() {
            push_provenance(&mut prov, provenance(site, &s.provenance, lang));
        }
        let tally = Tally::of(c);
        prefectures.push(PrefectureCtx {
            name: pref.name.str(lang).to_string(),
            path: page_path(lang, &council_key(&c.prefecture)),
            total: tally.total(),
            tally,
        });
    }
    let mut body = TemplateData::new();
    body.insert("prefectures", &prefectures);
    PageDef {
        key: COUNCILS_KEY.into(),
        lang,
        template: "councils.html",
        title: ui(site, lang, "council_title"),
        description: None,
        crumbs: Vec::new(),
        provenance: prov,
        body,
        fill: None,
    }
}

/// The page the navigation links to: the index when there are several
/// prefectures, else the one prefecture's page.
pub fn nav_key(site: &Site) -> Option<String> {
    match site.councils.as_slice() {
        [] => None,
        [one] => Some(council_key(&one.prefecture)),
        _ => Some(COUNCILS_KEY.into()),
    }
}

fn page(
    site: &Site,
    council: &Council,
    lang: Lang,
    all_datasets: &[crate::render::dataset::Dataset],
) -> Option<PageDef<'static>> {
    let pref = site.area(&council.prefecture)?;
    let mut prov = Vec::new();
    let rows = rows(site, council, lang, &mut prov);
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
    let mut body = TemplateData::new();
    let key = council_key(&council.prefecture);
    let id = format!("councils-{}", council.prefecture);
    let datasets: Vec<DownloadCtx> = all_datasets
        .iter()
        .filter(|d| d.id == id)
        .map(|d| DownloadCtx {
            title: d.title.str(lang).to_string(),
            csv: format!("{}/{}.csv", crate::render::dataset::DIR, d.id),
            sjis: format!("{}/{}.sjis.csv", crate::render::dataset::DIR, d.id),
            json: format!("{}/{}.json", crate::render::dataset::DIR, d.id),
        })
        .collect();
    body.insert("datasets", &datasets);
    insert_map(&mut body, site, council, lang, &key);
    body.insert("prefecture", pref.name.str(lang));
    body.insert("rows", &rows);
    body.insert("tally", &tally);
    body.insert("tally_total", &tally.total());
    body.insert("published", &published);
    body.insert("disagrees", &disagrees);
    body.insert("changes", &changes);
    Some(PageDef {
        key,
        lang,
        template: "council.html",
        title: format!(
            "{} {}",
            pref.name.str(lang),
            ui(site, lang, "council_title")
        ),
        description: None,
        crumbs: if site.councils.len() > 1 {
            vec![(ui(site, lang, "council_title"), COUNCILS_KEY.into())]
        } else {
            Vec::new()
        },
        provenance: prov,
        body,
        fill: None,
    })
}

/// The council page's table: each municipality's latest status, with its
/// history; their provenance is added to `prov`.
fn rows(
    site: &Site,
    council: &Council,
    lang: Lang,
    prov: &mut Vec<crate::render::ProvenanceCtx>,
) -> Vec<RowCtx> {
    let latest = council.latest();
    let areas = sorted(
        latest.iter().filter_map(|s| site.area(&s.area)).collect(),
        lang,
    );
    areas
        .iter()
        .filter_map(|a| {
            let s = latest.iter().find(|s| s.area == a.code)?;
            push_provenance(prov, provenance(site, &s.provenance, lang));
            Some(RowCtx {
                code: a.code.to_string(),
                name: full_name(site, a, lang),
                path: page_path(lang, &area_key(&a.code)),
                status: s.status.key(),
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
                        status: h.status.key(),
                    })
                    .collect(),
            })
        })
        .collect()
}

/// The inline map and what the page says about it (none without one).
fn insert_map(body: &mut TemplateData, site: &Site, council: &Council, lang: Lang, key: &str) {
    body.insert("map_svg", "");
    if let Some(m) = map::build(site, council) {
        let root = crate::render::root_prefix(key);
        let svg = map::svg(site, council, &m, lang, &root, false);
        body.insert("map_svg", &crate::render::minify::fragment(&svg));
        body.insert("map_boundaries", &(m.kind == map::MapKind::Boundaries));
        body.insert("map_credit", map::N03_CREDIT);
        let missing: Vec<String> = m
            .missing
            .iter()
            .filter_map(|c| site.area(c))
            .map(|a| a.name.str(lang).to_string())
            .collect();
        body.insert("map_missing", &missing);
    }
}

/// The statuses of each council as open data (`councils-<prefecture>`): one
/// row per municipality and as-of date (history kept), in code order. An
/// empty 設置状況 means unknown. Column names follow 自治体標準オープンデータセット
/// where one exists, and the registry's datasets otherwise.
pub fn datasets(site: &Site) -> Vec<Dataset<'static>> {
    let mut out = Vec::new();
    for council in &site.councils {
        let Some(pref) = site.area(&council.prefecture) else {
            continue;
        };
        let rows = council
            .statuses
            .iter()
            .map(|s| dataset_row(site, pref, s))
            .collect();
        let mut sources = Vec::new();
        for s in &council.statuses {
            if !sources.contains(&s.provenance.source) {
                sources.push(s.provenance.source.clone());
            }
        }
        out.push(Dataset {
            id: format!("councils-{}", council.prefecture),
            title: Text {
                ja: format!("{} 医療的ケア児支援の協議の場 設置状況", pref.name.ja),
                en: format!("{}: status of the support councils", pref.name.en),
                easy: None,
            },
            columns: dataset_columns(),
            rows: crate::render::dataset::Rows::Stored(rows),
            as_of: council.statuses.iter().map(|s| s.provenance.as_of).max(),
            sources,
        });
    }
    out
}

/// The columns of a council dataset.
fn dataset_columns() -> Vec<Column> {
    let c = |name: &'static str, kind: ColumnKind, ja: &str, en: &str| Column {
        name,
        kind,
        about: Text {
            ja: ja.into(),
            en: en.into(),
            easy: None,
        },
        choices: Vec::new(),
        // Every row names its municipality, status date and source.
        required: matches!(
            name,
            "全国地方公共団体コード" | "地方公共団体名" | "出典" | "時点"
        ),
    };
    vec![
        c(
            "全国地方公共団体コード",
            ColumnKind::AreaCode,
            "市町村の全国地方公共団体コード（6桁）",
            "The municipality's local government code (6 digits)",
        ),
        c(
            "地方公共団体名",
            ColumnKind::Text,
            "市町村名",
            "Name of the municipality (Japanese)",
        ),
        c(
            "地方公共団体名_英字",
            ColumnKind::Text,
            "市町村名（英語）",
            "Name of the municipality (English)",
        ),
        c(
            "都道府県名",
            ColumnKind::Text,
            "都道府県名",
            "Prefecture (Japanese)",
        ),
        c(
            "設置状況",
            ColumnKind::Text,
            "協議の場の設置状況：単独で設置／圏域で設置／未設置。空欄は不明",
            "Council status in Japanese: 単独で設置 (alone), 圏域で設置 (joint), 未設置 (not set up); empty = unknown",
        ),
        c(
            "設置状況_英字",
            ColumnKind::Text,
            "設置状況の英語表記：alone／joint／not_set。空欄は不明",
            "Council status: alone, joint or not_set; empty = unknown",
        ),
        c(
            "共同設置市町村コード",
            ColumnKind::Text,
            "圏域で共同設置している市町村のコード（「;」区切り）",
            "Codes of the municipalities sharing a joint council (separated by “;”)",
        ),
        c(
            "共同設置市町村名",
            ColumnKind::Text,
            "共同設置している市町村の名前（「;」区切り）",
            "Names of the municipalities sharing the council (separated by “;”)",
        ),
        c(
            "出典",
            ColumnKind::Text,
            "出典の資料のID（出典の一覧を参照）",
            "Id of the source document (see the sources page)",
        ),
        c(
            "時点",
            ColumnKind::Date,
            "資料が示す時点",
            "The date the source says the status holds",
        ),
    ]
}

/// One municipality's status as a row of [`dataset_columns`].
fn dataset_row(site: &Site, pref: &Area, s: &StatusEntry) -> Vec<String> {
    let area = site.area(&s.area);
    let (ja, en) = match s.status {
        CouncilStatus::Alone => ("単独で設置", "alone"),
        CouncilStatus::Joint => ("圏域で設置", "joint"),
        CouncilStatus::NotSet => ("未設置", "not_set"),
        CouncilStatus::Unknown => ("", ""),
    };
    vec![
        s.area.to_string(),
        area.map(|a| a.name.ja.clone()).unwrap_or_default(),
        area.map(|a| a.name.en.clone()).unwrap_or_default(),
        pref.name.ja.clone(),
        ja.to_string(),
        en.to_string(),
        s.partners
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(";"),
        s.partners
            .iter()
            .filter_map(|p| site.area(p))
            .map(|p| p.name.ja.clone())
            .collect::<Vec<_>>()
            .join(";"),
        s.provenance.source.to_string(),
        s.provenance.as_of.to_string(),
    ]
}

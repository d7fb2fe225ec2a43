//! The registry's open-data datasets: `hubs`, `providers`,
//! `coordinator-aggregates` and (when someone consented to be listed)
//! `coordinators`.

use super::columns::{
    c, codes_cell, col, hub_columns, hub_row, lg_cells, provider_columns, provider_row, t,
};
use super::lists::ModelHashes;
use crate::lang::{Lang, Text};
use crate::model::*;
use crate::render::dataset::{Column, ColumnKind, Dataset, RowMemo, Rows};

/// The registry's open-data datasets.
pub fn datasets<'a>(site: &'a Site, hashes: &ModelHashes) -> Vec<Dataset<'a>> {
    let mut out = Vec::new();
    if !site.hubs.is_empty() {
        out.push(hubs(site));
    }
    if !site.providers.is_empty() {
        out.push(providers(site, hashes));
    }
    if !site.aggregates.is_empty() {
        out.push(aggregates(site));
    }
    if !site.coordinators.is_empty() {
        out.push(coordinators(site));
    }
    out
}

fn hubs(site: &Site) -> Dataset<'static> {
    let (as_of, sources) = latest(site.hubs.iter().flat_map(|h| h.provenances()));
    Dataset {
        id: "hubs".into(),
        title: Text {
            ja: "医療的ケア児等コーディネーター拠点".into(),
            en: "Medical-care coordinator hubs".into(),
            easy: None,
        },
        columns: hub_columns(),
        rows: Rows::Stored(site.hubs.iter().map(|h| hub_row(site, h)).collect()),
        as_of,
        sources,
    }
}

/// The `providers` dataset, its rows made when written: a national
/// registry has ~20,000, and a rebuild remakes only the changed ones.
fn providers<'a>(site: &'a Site, hashes: &ModelHashes) -> Dataset<'a> {
    // What a provider's row reads besides the record: area names, sources
    // (in `rest`) and the UI strings naming its kind.
    let shared = crate::hash::of(&(hashes.rest, &site.strings));
    let row_memos: Vec<u64> = hashes
        .providers
        .iter()
        .map(|p| crate::hash::of(&(shared, p)))
        .collect();
    let (as_of, sources) = latest(site.providers.iter().map(|p| &p.provenance));
    Dataset {
        id: "providers".into(),
        title: Text {
            ja: "医療的ケア児等の支援機関・事業所".into(),
            en: "Providers serving children who need medical care".into(),
            easy: None,
        },
        columns: provider_columns(),
        rows: Rows::Made {
            len: site.providers.len(),
            row: Box::new(|i| provider_row(site, &site.providers[i])),
            memo: Box::new(move |i| RowMemo {
                hash: row_memos[i],
                starts_part: crate::hash::of(&site.providers[i].id).is_multiple_of(64),
            }),
        },
        as_of,
        sources,
    }
}

/// One row per row of each breakdown of each aggregate.
fn aggregates(site: &Site) -> Dataset<'static> {
    let (as_of, sources) = latest(site.aggregates.iter().map(|a| &a.provenance));
    let mut rows = Vec::new();
    for a in &site.aggregates {
        let scope = site.area(&a.scope);
        for b in &a.breakdowns {
            for r in &b.rows {
                rows.push(vec![
                    a.scope.to_string(),
                    a.id.clone(),
                    scope.map(|s| s.name.ja.clone()).unwrap_or_default(),
                    a.title.ja.clone(),
                    a.title.en.clone(),
                    b.dimension.key().to_string(),
                    r.label.ja.clone(),
                    r.label.en.clone(),
                    r.count.to_string(),
                    a.total.to_string(),
                    a.provenance.source.to_string(),
                    a.provenance.as_of.to_string(),
                ]);
            }
        }
    }
    Dataset {
        id: "coordinator-aggregates".into(),
        title: Text {
            ja: "医療的ケア児等コーディネーター養成研修修了者数（集計）".into(),
            en: "People who completed medical-care coordinator training (aggregates)".into(),
            easy: None,
        },
        columns: aggregate_columns(),
        rows: Rows::Stored(rows),
        as_of,
        sources,
    }
}

fn aggregate_columns() -> Vec<Column> {
    vec![
        c(
            col::LG_CODE,
            ColumnKind::AreaCode,
            "集計の対象区域",
            "Area the counts cover",
        ),
        c(col::ID, ColumnKind::Text, "集計のID", "Id of the aggregate"),
        c(
            col::LG_NAME,
            ColumnKind::Text,
            "対象区域の名前",
            "Name of that area",
        ),
        c(
            "集計名",
            ColumnKind::Text,
            "集計の名前（日本語）",
            "Title of the aggregate (Japanese)",
        ),
        c(
            "集計名_英字",
            ColumnKind::Text,
            "集計の名前（英語）",
            "Title of the aggregate (English)",
        ),
        c(
            "区分",
            ColumnKind::Text,
            "内訳の軸（profession 職種, affiliation 所属, area 地域, training_year 研修年度）",
            "Breakdown dimension (profession, affiliation, area, training_year)",
        ),
        c(
            "項目",
            ColumnKind::Text,
            "内訳の項目（日本語）",
            "Row label (Japanese)",
        ),
        c(
            "項目_英字",
            ColumnKind::Text,
            "内訳の項目（英語）",
            "Row label (English)",
        ),
        c(
            "人数",
            ColumnKind::Integer,
            "その項目の人数",
            "Number of people in that row",
        ),
        c(
            "合計",
            ColumnKind::Integer,
            "集計全体の人数",
            "Total of the aggregate",
        ),
        c(
            col::SOURCE,
            ColumnKind::Text,
            "出典の資料のID",
            "Id of the source document",
        ),
        c(
            col::AS_OF,
            ColumnKind::Date,
            "資料が示す時点",
            "The date the source says the counts hold",
        ),
    ]
}

fn coordinators(site: &Site) -> Dataset<'static> {
    let (as_of, sources) = latest(site.coordinators.iter().map(|c| &c.provenance));
    Dataset {
        id: "coordinators".into(),
        title: Text {
            ja: "医療的ケア児等コーディネーター（掲載に同意した方）".into(),
            en: "Medical-care coordinators (who agreed to be listed)".into(),
            easy: None,
        },
        columns: coordinator_columns(),
        rows: Rows::Stored(
            site.coordinators
                .iter()
                .map(|k| coordinator_row(site, k))
                .collect(),
        ),
        as_of,
        sources,
    }
}

fn coordinator_columns() -> Vec<Column> {
    vec![
        c(
            col::LG_CODE,
            ColumnKind::AreaCode,
            "活動区域が属する地方公共団体",
            "Local government of the areas worked in",
        ),
        c(
            col::ID,
            ColumnKind::Text,
            "このサイトでの識別子",
            "Identifier on this site",
        ),
        c(
            col::LG_NAME,
            ColumnKind::Text,
            "地方公共団体名",
            "Name of that local government",
        ),
        c(
            "氏名",
            ColumnKind::Text,
            "氏名（日本語）",
            "Name (Japanese)",
        ),
        c(
            "氏名_英字",
            ColumnKind::Text,
            "氏名（英語表記）",
            "Name (English)",
        ),
        c(
            "職種",
            ColumnKind::Text,
            "職種（日本語）",
            "Profession (Japanese)",
        ),
        c(
            "職種_英字",
            ColumnKind::Text,
            "職種（英語）",
            "Profession (English)",
        ),
        c(
            "所属",
            ColumnKind::Text,
            "所属（日本語）",
            "Affiliation (Japanese)",
        ),
        c(
            "所属_英字",
            ColumnKind::Text,
            "所属（英語）",
            "Affiliation (English)",
        ),
        c(
            "所属事業所ID",
            ColumnKind::Text,
            "所属する事業所のID（providers）",
            "Id of the provider worked at (providers)",
        ),
        c(
            "活動区域コード",
            ColumnKind::Text,
            "活動区域（「;」区切り）",
            "Areas worked in (separated by “;”)",
        ),
        c(
            "研修修了年度",
            ColumnKind::Integer,
            "養成研修を修了した年度",
            "Fiscal year the training was completed",
        ),
        c(
            col::SOURCE,
            ColumnKind::Text,
            "出典の資料のID",
            "Id of the source document",
        ),
        c(
            col::AS_OF,
            ColumnKind::Date,
            "資料が示す時点",
            "The date the source says the facts hold",
        ),
    ]
}

fn coordinator_row(site: &Site, k: &Coordinator) -> Vec<String> {
    let mut row = lg_cells(site, &k.id, &k.areas);
    row.extend([
        k.name.ja.clone(),
        k.name.en.clone(),
        t(&k.profession, Lang::Ja),
        t(&k.profession, Lang::En),
        t(&k.affiliation, Lang::Ja),
        t(&k.affiliation, Lang::En),
        k.provider
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        codes_cell(&k.areas),
        k.training_year.map(|y| y.to_string()).unwrap_or_default(),
        k.provenance.source.to_string(),
        k.provenance.as_of.to_string(),
    ]);
    row
}

/// A dataset's time point (the latest `as_of` of its records) and its
/// sources, each once, in order of first use.
fn latest<'a>(dates: impl Iterator<Item = &'a Provenance>) -> (Option<Date>, Vec<SourceId>) {
    let mut as_of = None;
    let mut sources: Vec<SourceId> = Vec::new();
    for p in dates {
        as_of = as_of.max(Some(p.as_of));
        if !sources.contains(&p.source) {
            sources.push(p.source.clone());
        }
    }
    (as_of, sources)
}

//! Coordinator figures (source 002) and the MHLW national placement table.

use super::{page, table_rows};
use crate::common::{sel, shipped_site as site, text, texts, ui};
use scraper::ElementRef;
use tsunagu::lang::Lang;
use tsunagu::model::Dimension;

// ---------------------------------------------------------------- coordinators

/// Source 002, ＜コーディネーターの実際（H29〜R6養成研修修了者374人の内訳＞.
const TRAINED_TOTAL: u32 = 374;
const PROFESSIONS: [(&str, u32); 6] = [
    ("相談支援専門員", 223),
    ("保健師", 70),
    ("看護師", 43),
    ("医療ソーシャルワーカー", 4),
    ("医師", 1),
    ("その他", 33),
];
const AFFILIATIONS: [(&str, u32); 9] = [
    ("相談支援事業所等", 167),
    ("行政福祉担当課", 53),
    ("障害児通所施設", 28),
    ("行政保健担当課、保健センター", 19),
    ("医療型障害児入所施設", 12),
    ("医療機関", 11),
    ("訪問看護事業所", 21),
    ("保育所", 8),
    ("その他", 55),
];
const AGGREGATE_ID: &str = "saitama-trained-h29-r6";

#[test]
fn coordinator_counts_match_source_002_and_add_up() {
    assert_eq!(PROFESSIONS.iter().map(|r| r.1).sum::<u32>(), TRAINED_TOTAL);
    assert_eq!(AFFILIATIONS.iter().map(|r| r.1).sum::<u32>(), TRAINED_TOTAL);
    let s = site();
    let a = s
        .aggregates
        .iter()
        .find(|a| a.id == AGGREGATE_ID)
        .expect("the Saitama aggregate");
    assert_eq!(a.total, TRAINED_TOTAL, "total trained");
    for (dim, expected) in [
        (Dimension::Profession, &PROFESSIONS[..]),
        (Dimension::Affiliation, &AFFILIATIONS[..]),
    ] {
        let b = a
            .breakdowns
            .iter()
            .find(|b| b.dimension == dim)
            .unwrap_or_else(|| panic!("no {dim:?} breakdown"));
        let rows: Vec<(&str, u32)> = b
            .rows
            .iter()
            .map(|r| (r.label.ja.as_str(), r.count))
            .collect();
        assert_eq!(rows, expected, "{dim:?} rows (in the source's order)");
        assert_eq!(
            b.rows.iter().map(|r| r.count).sum::<u32>(),
            a.total,
            "{dim:?} rows must sum to the total"
        );
    }
}

#[test]
fn figures_page_shows_374_and_every_row() {
    for lang in Lang::ALL {
        let rel = format!("{}/figures", lang.url_segment());
        let doc = page(&rel);
        let section = format!("section[aria-labelledby={AGGREGATE_ID}]");
        let total = texts(&doc, &format!("{section} p.total"));
        assert_eq!(total.len(), 1, "{rel}: one total line");
        assert!(
            total[0].contains("374"),
            "{rel}: total line must show 374: {}",
            total[0]
        );

        let tables: Vec<ElementRef> = doc.select(&sel(&format!("{section} table"))).collect();
        assert_eq!(
            tables.len(),
            2,
            "{rel}: one table per breakdown (profession, affiliation)"
        );
        for (table, expected) in tables.iter().zip([&PROFESSIONS[..], &AFFILIATIONS[..]]) {
            let rows: Vec<Vec<String>> = table
                .select(&sel("tbody tr"))
                .map(|tr| tr.select(&sel("th, td")).map(text).collect())
                .collect();
            assert_eq!(
                rows.len(),
                expected.len() + 1,
                "{rel}: rows plus a total row"
            );
            for (row, (label, count)) in rows.iter().zip(expected) {
                if lang == Lang::Ja {
                    assert_eq!(row[0], *label, "{rel}: row label");
                }
                assert_eq!(row[1], count.to_string(), "{rel}: count of {label}");
            }
            let last = rows.last().expect("total row");
            assert_eq!(
                (last[0].as_str(), last[1].as_str()),
                (ui(lang, "total"), "374"),
                "{rel}: total row"
            );
        }
    }
}

// ---------------------------------------------------------------- national table

#[test]
fn national_page_shows_the_mhlw_placement_table() {
    let expected: [(Lang, [[&str; 7]; 3]); 2] = [
        (
            Lang::Ja,
            [
                ["都道府県", "12", "47", "26％", "156", "3.3", "2.5"],
                ["指定都市", "11", "20", "55％", "68", "6.2", "2.0"],
                ["市区町村", "369", "1,741", "21％", "783", "2.1", "1.0"],
            ],
        ),
        (
            Lang::En,
            [
                ["Prefectures", "12", "47", "26%", "156", "3.3", "2.5"],
                ["Designated cities", "11", "20", "55%", "68", "6.2", "2.0"],
                ["Municipalities", "369", "1,741", "21%", "783", "2.1", "1.0"],
            ],
        ),
    ];
    for (lang, rows) in expected {
        let rel = format!("{}/national", lang.url_segment());
        let doc = page(&rel);
        let all = table_rows(&doc, "main table");
        for row in rows {
            assert!(
                all.iter()
                    .any(|r| r.iter().map(String::as_str).eq(row.iter().copied())),
                "{rel}: no table row {row:?}; rows are {all:?}"
            );
        }
    }
}

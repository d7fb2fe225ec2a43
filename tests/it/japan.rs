//! The national area table compiled into the binary (`tsunagu::model::japan`):
//! every record complete and well-formed, its codes and names against MLIT
//! N03 (2021), the look-ups a new project starts from, and the shipped
//! `data/areas/` against it (`tsunagu check` warns where they differ).
//!
//! The N03 comparison needs the full national file from `../shared/geodata`
//! (or `$TSUNAGU_TEST_GEODATA`) and prints `skipped: …` without it.

use crate::common::{edit, minimal_fixture, run, shared_geodata, shipped_site};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use tsunagu::model::AreaKind;
use tsunagu::model::japan::{NationalArea, table};

/// The codes of `areas`, for comparing look-ups.
fn codes(areas: &[&NationalArea]) -> Vec<&'static str> {
    areas.iter().map(|a| a.code).collect()
}

fn check_digit(first5: &str) -> u32 {
    let sum: u32 = first5
        .chars()
        .zip([6, 5, 4, 3, 2])
        .map(|(c, w)| c.to_digit(10).expect("digit") * w)
        .sum();
    (11 - sum % 11) % 10
}

#[test]
fn every_record_has_a_valid_code_a_reading_an_english_name_and_a_source() {
    let t = table();
    let source_ids: Vec<&str> = t.sources().iter().map(|s| s.id).collect();
    let mut kinds: BTreeMap<AreaKind, usize> = BTreeMap::new();
    for a in t.areas() {
        assert!(
            a.code.len() == 6 && a.code.bytes().all(|b| b.is_ascii_digit()),
            "{a:?}"
        );
        assert_eq!(
            a.code[5..].parse::<u32>().ok(),
            Some(check_digit(&a.code[..5])),
            "check digit of {a:?}"
        );
        assert!(
            !a.kana.is_empty() && a.kana.chars().all(|c| matches!(c, 'ぁ'..='ゖ' | 'ー')),
            "reading of {a:?}"
        );
        assert!(!a.name.is_empty(), "{a:?}");
        // "Sakai City", "Kohoku Ward", "Niseko Town", "Osaka Prefecture".
        let word = match a.kind {
            AreaKind::Prefecture => a.en.split(' ').nth(1).unwrap_or(""),
            AreaKind::City | AreaKind::DesignatedCity | AreaKind::SpecialWard => "City",
            AreaKind::Ward => "Ward",
            AreaKind::Town => "Town",
            AreaKind::Village => "Village",
        };
        let stem = a.en.strip_suffix(word).unwrap_or("").trim_end();
        assert!(
            (stem.len() > 1 || a.en == "Hokkaido")
                && stem.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && stem.chars().skip(1).all(|c| c.is_ascii_lowercase()),
            "English name of {a:?}"
        );
        for id in a.source.split('+') {
            assert!(source_ids.contains(&id), "source of {a:?}");
        }
        let parent = t.parent(a).map(|p| p.kind);
        let wanted = match a.kind {
            AreaKind::Prefecture => None,
            AreaKind::Ward => Some(AreaKind::DesignatedCity),
            _ => Some(AreaKind::Prefecture),
        };
        assert_eq!(parent, wanted, "parent of {a:?}");
        assert_eq!(t.prefecture_of(a).code[..2], a.code[..2], "{a:?}");
        *kinds.entry(a.kind).or_default() += 1;
    }
    println!("national area table: {} areas {kinds:?}", t.areas().len());
    assert_eq!(kinds[&AreaKind::Prefecture], 47);
    assert_eq!(kinds[&AreaKind::DesignatedCity], 20);
    assert_eq!(kinds[&AreaKind::SpecialWard], 23);
    // 1,741 municipalities (市町村 and 特別区).
    let municipalities: usize = [
        AreaKind::City,
        AreaKind::DesignatedCity,
        AreaKind::SpecialWard,
        AreaKind::Town,
        AreaKind::Village,
    ]
    .iter()
    .map(|k| kinds[k])
    .sum();
    assert_eq!(municipalities, 1741);
    for a in t
        .areas()
        .iter()
        .filter(|a| a.kind == AreaKind::DesignatedCity)
    {
        assert!(t.children(a).len() >= 2, "wards of {a:?}");
    }
}

/// Codes (5 digits, as in N03) where the table and N03-21 differ, and why.
const N03_ONLY: [(&str, &str); 13] = [
    ("01695", NORTHERN_TERRITORIES),
    ("01696", NORTHERN_TERRITORIES),
    ("01697", NORTHERN_TERRITORIES),
    ("01698", NORTHERN_TERRITORIES),
    ("01699", NORTHERN_TERRITORIES),
    ("01700", NORTHERN_TERRITORIES),
    ("22131", HAMAMATSU),
    ("22132", HAMAMATSU),
    ("22133", HAMAMATSU),
    ("22134", HAMAMATSU),
    ("22135", HAMAMATSU),
    ("22136", HAMAMATSU),
    ("22137", HAMAMATSU),
];
const TABLE_ONLY: [(&str, &str); 11] = [
    ("13362", DROPPED),
    ("13402", DROPPED),
    ("22138", HAMAMATSU),
    ("22139", HAMAMATSU),
    ("22140", HAMAMATSU),
    ("31384", DROPPED),
    ("38356", DROPPED),
    ("44322", DROPPED),
    ("47354", DROPPED),
    ("47355", DROPPED),
    ("47356", DROPPED),
];
const NORTHERN_TERRITORIES: &str = "a village of the Northern Territories (北方領土): N03 draws it, but neither 総務省's code list nor the postcode data lists it";
const HAMAMATSU: &str = "浜松市 reorganised its 7 wards into 3 after 2021: the postcode data has 中央区, 浜名区 and 天竜区 under new codes";
const DROPPED: &str = "a small municipality (islands, and 日吉津村) not drawn in the 0.1%-simplified national file; Tokyo's 1% file has 利島村 and 青ヶ島村";

#[test]
fn codes_names_and_counts_per_prefecture_agree_with_n03() {
    let Some(files) = shared_geodata(
        "japan::codes_names_and_counts_per_prefecture_agree_with_n03",
        &["N03-21_210101.json"],
    ) else {
        return;
    };
    let geo: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&files[0]).expect("read")).expect("json");
    // N03 draws municipalities and designated-city wards, not prefectures
    // or the designated cities themselves.
    let mut n03: BTreeMap<String, (String, String)> = BTreeMap::new();
    for f in geo["features"].as_array().expect("features") {
        let p = &f["properties"];
        if let Some(code) = p["N03_007"].as_str() {
            let field = |k: &str| p[k].as_str().unwrap_or("").to_string();
            n03.insert(code.to_string(), (field("N03_001"), field("N03_004")));
        }
    }
    let t = table();
    let drawn: BTreeMap<&str, &NationalArea> = t
        .areas()
        .iter()
        .filter(|a| !matches!(a.kind, AreaKind::Prefecture | AreaKind::DesignatedCity))
        .map(|a| (&a.code[..5], a))
        .collect();
    // Counts per prefecture, and every code on one side only.
    let count = |codes: Vec<&str>| {
        let mut per: BTreeMap<String, usize> = BTreeMap::new();
        for c in codes {
            *per.entry(c[..2].to_string()).or_default() += 1;
        }
        per
    };
    let in_n03 = count(n03.keys().map(String::as_str).collect());
    let in_table = count(drawn.keys().copied().collect());
    let mut differing = Vec::new();
    for pref in in_n03
        .keys()
        .chain(in_table.keys())
        .collect::<BTreeSet<_>>()
    {
        let (a, b) = (
            in_n03.get(pref).copied().unwrap_or(0),
            in_table.get(pref).copied().unwrap_or(0),
        );
        if a != b {
            differing.push(format!("{pref}: N03 {a}, table {b}"));
        }
    }
    let n03_only: Vec<&str> = n03
        .keys()
        .map(String::as_str)
        .filter(|c| !drawn.contains_key(c))
        .collect();
    let table_only: Vec<&str> = drawn
        .keys()
        .copied()
        .filter(|c| !n03.contains_key(*c))
        .collect();
    println!(
        "N03-21: {} codes, table: {} (without prefectures and designated cities); prefectures whose counts differ: {}",
        n03.len(),
        drawn.len(),
        differing.join("; ")
    );
    for (side, list, expected) in [
        ("N03 only", &n03_only, &N03_ONLY[..]),
        ("table only", &table_only, &TABLE_ONLY[..]),
    ] {
        for c in list.iter() {
            let why = expected
                .iter()
                .find(|(e, _)| e == c)
                .map_or("UNEXPECTED", |(_, why)| why);
            println!("  {side}: {c} {:?}: {why}", n03.get(*c));
        }
        let expected: Vec<&str> = expected.iter().map(|(c, _)| *c).collect();
        assert_eq!(list, &expected, "{side}");
    }
    // The prefectures whose counts differ are exactly those of the listed codes.
    let listed: BTreeSet<&str> = N03_ONLY
        .iter()
        .chain(&TABLE_ONLY)
        .map(|(c, _)| &c[..2])
        .collect();
    let differ: BTreeSet<&str> = differing.iter().map(|d| &d[..2]).collect();
    assert_eq!(differ, listed);
    // Names of the codes on both sides: the same municipality or ward.
    for (code, a) in &drawn {
        if let Some((pref, name)) = n03.get(*code) {
            assert_eq!(name, a.name, "{code}");
            assert_eq!(pref, t.prefecture_of(a).name, "{code}");
        }
    }
}

#[test]
fn looks_areas_up_by_code_and_by_name_in_kanji_kana_and_romaji() {
    let t = table();
    let find = |q: &str| codes(&t.find(q));
    // 堺市: a designated city with 7 wards.
    for q in ["堺市", "大阪府堺市", "271403", "27140", "２７１４０３"] {
        assert_eq!(find(q), ["271403"], "{q}");
    }
    for q in [
        "Sakai",
        "sakai-shi",
        "SAKAI SHI",
        "Sakai City",
        "さかいし",
        "サカイシ",
        "堺",
    ] {
        assert!(find(q).contains(&"271403"), "{q}: {:?}", find(q));
    }
    // さかいし, Sakai City, is also 坂井市 (Fukui): both, in code order.
    assert_eq!(find("さかいし"), ["182109", "271403"]);
    assert_eq!(find("Sakai City"), ["182109", "271403"]);
    let sakai = t.by_code("271403").expect("堺市");
    let wards: Vec<&str> = t.children(sakai).iter().map(|w| w.name).collect();
    assert_eq!(
        wards,
        ["堺区", "中区", "東区", "西区", "南区", "北区", "美原区"]
    );
    assert_eq!(find("堺市堺区"), ["271411"]);
    assert_eq!(t.prefecture_of(sakai).name, "大阪府");
    // 大阪府: its municipalities, and with the wards of 大阪市 and 堺市 under it.
    let osaka = t.find("大阪府");
    assert_eq!(codes(&osaka), ["270008"]);
    let municipalities = t.children(osaka[0]);
    assert_eq!(municipalities.len(), 43);
    assert!(municipalities.iter().all(|m| m.code.starts_with("27")
        && matches!(
            m.kind,
            AreaKind::City | AreaKind::DesignatedCity | AreaKind::Town | AreaKind::Village
        )));
    let within = t.within(osaka[0]);
    assert_eq!(within.len(), 43 + 24 + 7);
    assert!(
        within.iter().any(|a| a.code == "271411"),
        "堺区 is in 大阪府"
    );
    // ニセコ町 by kanji, kana and romaji.
    for q in [
        "ニセコ町",
        "にせこちょう",
        "ニセコ",
        "niseko",
        "Niseko Town",
        "北海道ニセコ町",
    ] {
        assert_eq!(find(q), ["013951"], "{q}");
    }
    assert_eq!(
        t.prefecture_of(t.by_code("013951").expect("ニセコ町")).name,
        "北海道"
    );
    assert!(
        t.children(t.by_code("013951").expect("ニセコ町"))
            .is_empty()
    );
    // 府中市 is ambiguous: Tokyo and Hiroshima; the prefecture settles it.
    assert_eq!(find("府中市"), ["132063", "342084"]);
    // Fuchu is also 府中町 (ふちゅうちょう, Hiroshima).
    assert_eq!(find("Fuchu"), ["132063", "342084", "343021"]);
    assert_eq!(find("東京都府中市"), ["132063"]);
    // Long vowels and spellings: Kōhoku, kouhoku and kohoku; ヶ and ケ.
    for q in ["Kōhoku Ward", "kouhokuku", "kohoku-ku", "こうほくく"] {
        assert_eq!(find(q), ["141097"], "{q}");
    }
    assert_eq!(find("鶴ケ島市"), find("鶴ヶ島市"));
    assert_eq!(find("鶴ヶ島市"), ["112411"]);
    // Codes: a wrong check digit, an unknown code, nothing typed.
    for q in ["141004", "99999", "", "  ", "-"] {
        assert!(find(q).is_empty(), "{q}");
    }
}

#[test]
fn shipped_areas_agree_with_the_table_and_check_warns_where_they_do_not() {
    let t = table();
    let site = shipped_site();
    let mut compared = 0;
    for a in &site.areas {
        let known = t
            .by_code(a.code.as_str())
            .unwrap_or_else(|| panic!("{} not in the table", a.code));
        assert_eq!(
            (
                a.name.ja.as_str(),
                a.name.en.as_str(),
                a.kana.as_str(),
                a.kind
            ),
            (known.name, known.en, known.kana, known.kind),
            "{}",
            a.code
        );
        assert_eq!(a.parent.as_ref().map(|p| p.as_str()), known.parent);
        compared += 1;
    }
    println!("shipped areas compared with the national table: {compared}");
    // A hand-typed reading that differs: a warning naming the file and line, exit 0.
    let dir = minimal_fixture();
    let file = dir.path().join("data/areas/test.toml");
    edit(&file, "kana = \"こうほくく\"", "kana = \"こうきたく\"");
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.code, 0, "{}", out.log());
    let log = out.log();
    assert!(
        log.contains("area `141097`: the national area table has reading `こうほくく`")
            && log.contains("data/areas/test.toml:")
            && log.contains("1 warnings"),
        "{log}"
    );
}

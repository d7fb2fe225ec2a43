//! Area pages and municipal codes: one page per area and language, valid
//! check digits, and codes and names that match the N03 boundary data.

use super::{display_name, out, page};
use crate::common::{sel, shared_geodata, shipped_site as site, text, texts};
use std::collections::{BTreeMap, BTreeSet};
use tsunagu::lang::Lang;
use tsunagu::model::AreaKind;

// ---------------------------------------------------------------- area pages

#[test]
fn every_area_has_exactly_one_page_per_language_with_its_name() {
    let s = site();
    assert_eq!(
        s.areas.len(),
        62 + 74 + 2,
        "data/README.md: Kanagawa 62, Saitama 74, Tokyo 2 areas"
    );
    let codes: BTreeSet<String> = s.areas.iter().map(|a| a.code.to_string()).collect();
    assert_eq!(codes.len(), s.areas.len(), "area codes must be unique");
    let link = sel("section.hub-block p.hub-name a");

    for lang in Lang::ALL {
        let dir = out().join(lang.url_segment()).join("areas");
        let dirs: BTreeSet<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.is_dir())
            .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            dirs,
            codes,
            "{}: the area page directories must be exactly the area codes in data",
            dir.display()
        );
        assert!(
            dir.join("index.html").is_file(),
            "{}: the area list page is missing",
            dir.display()
        );

        for area in &s.areas {
            let rel = format!("{}/areas/{}", lang.url_segment(), area.code);
            assert!(
                out().join(&rel).join("index.html").is_file(),
                "{rel}/index.html is missing"
            );
            let doc = page(&rel);
            let html_lang = doc.root_element().value().attr("lang");
            assert_eq!(
                html_lang,
                Some(lang.url_segment()),
                "{rel}: wrong <html lang>"
            );
            assert_eq!(
                texts(&doc, "h1"),
                vec![display_name(area.code.as_str(), lang)],
                "{rel}: <h1> must be the area's name"
            );

            let links: Vec<String> = doc.select(&link).map(text).collect();
            match s.hub_for(&area.code) {
                Some(hub) => assert_eq!(
                    links,
                    vec![hub.name.str(lang).to_string()],
                    "{rel}: must name its hub"
                ),
                None => assert!(
                    links.is_empty(),
                    "{rel}: names a hub {links:?} although no hub covers it"
                ),
            }
        }
    }
}

// ---------------------------------------------------------------- municipal codes

/// 全国地方公共団体コード check digit: digits × 6,5,4,3,2; 11 − (sum mod 11), last digit.
fn check_digit(first5: &str) -> u32 {
    let sum: u32 = first5
        .chars()
        .zip([6, 5, 4, 3, 2])
        .map(|(c, w)| c.to_digit(10).expect("digit") * w)
        .sum();
    (11 - sum % 11) % 10
}

#[test]
fn every_area_code_has_a_valid_check_digit() {
    // Known codes: 横浜市, 千代田区, 埼玉県, 神奈川県.
    for known in ["141003", "131016", "110001", "140007"] {
        assert_eq!(
            check_digit(&known[..5]),
            known[5..].parse::<u32>().expect("digit"),
            "check digit of {known}"
        );
    }
    for area in &site().areas {
        let code = area.code.as_str();
        assert!(
            code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()),
            "{code} ({}) is not 6 digits",
            area.name.ja
        );
        let last = code[5..].parse::<u32>().expect("digit");
        assert_eq!(
            check_digit(&code[..5]),
            last,
            "{code} ({}): wrong check digit",
            area.name.ja
        );
    }
}

#[test]
fn saitama_and_kanagawa_codes_and_names_match_n03() {
    // Every code and name of two whole prefectures: the full N03 files.
    let Some(files) = shared_geodata(
        "facts::areas::saitama_and_kanagawa_codes_and_names_match_n03",
        &["N03-21_11_210101.json", "N03-21_14_210101.json"],
    ) else {
        return;
    };
    // N03_007 → (N03_001 prefecture, N03_003 county/city, N03_004 town/ward)
    let mut features: BTreeMap<String, (String, String, String)> = BTreeMap::new();
    for f in &files {
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(f).expect("read GeoJSON"))
                .expect("parse GeoJSON");
        for feat in json["features"].as_array().expect("features") {
            let p = &feat["properties"];
            let get = |k: &str| p[k].as_str().unwrap_or_default().to_string();
            let prev = features.insert(
                get("N03_007"),
                (get("N03_001"), get("N03_003"), get("N03_004")),
            );
            assert!(
                prev.is_none(),
                "{}: duplicate N03_007 {}",
                f.display(),
                get("N03_007")
            );
        }
    }
    let s = site();
    let in_scope: Vec<_> = s
        .areas
        .iter()
        .filter(|a| a.code.as_str().starts_with("11") || a.code.as_str().starts_with("14"))
        .collect();
    let mut matched = BTreeSet::new();
    for a in &in_scope {
        let code5 = &a.code.as_str()[..5];
        let name = a.name.ja.as_str();
        match a.kind {
            AreaKind::Prefecture => {
                assert!(
                    features.values().any(|(pref, _, _)| pref == name),
                    "{} {name}: no N03 feature in this prefecture",
                    a.code
                );
            }
            AreaKind::DesignatedCity => {
                let wards: Vec<_> = s.children(&a.code).collect();
                assert!(
                    !wards.is_empty(),
                    "{} {name}: a designated city must have its wards in data",
                    a.code
                );
                for w in wards {
                    let f = features.get(&w.code.as_str()[..5]);
                    assert_eq!(
                        f.map(|f| f.1.as_str()),
                        Some(name),
                        "{} {name}: N03 feature of its ward {} must carry the city name (N03_003)",
                        a.code,
                        w.code
                    );
                }
            }
            _ => {
                let f = features.get(code5).unwrap_or_else(|| {
                    panic!("{} {name}: code {code5} is not an N03_007 value", a.code)
                });
                assert_eq!(
                    f.2, name,
                    "{} : N03_004 of {code5} differs from the name in data",
                    a.code
                );
                let pref = s.prefecture_of(a);
                assert_eq!(
                    f.0, pref.name.ja,
                    "{} {name}: N03 puts it in another prefecture",
                    a.code
                );
                if a.kind == AreaKind::Ward {
                    let city = a
                        .parent
                        .as_ref()
                        .and_then(|p| s.area(p))
                        .expect("a ward's city");
                    assert_eq!(
                        f.1, city.name.ja,
                        "{} {name}: N03_003 (city) differs from its parent in data",
                        a.code
                    );
                }
                matched.insert(code5.to_string());
            }
        }
    }
    let unmatched: Vec<String> = features
        .iter()
        .filter(|(c, _)| !matched.contains(*c))
        .map(|(c, f)| format!("{c} {}{}", f.1, f.2))
        .collect();
    assert!(
        unmatched.is_empty(),
        "N03 municipalities/wards missing from data: {unmatched:?}"
    );
}

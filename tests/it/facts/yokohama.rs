//! The Yokohama hubs (source 000): which hub covers which ward, and their start dates.

use super::page;
use crate::common::{sel, shipped_site as site, text, texts, ui};
use scraper::ElementRef;
use std::collections::{BTreeMap, BTreeSet};
use tsunagu::lang::Lang;
use tsunagu::model::AreaKind;

// ---------------------------------------------------------------- Yokohama hubs

const HUB_SUFFIX: &str = "横浜型医療的ケア児・者等コーディネーター拠点";

/// Source 000, 担当区域: ward → hub (the hub's name without HUB_SUFFIX).
const YOKOHAMA_WARD_HUBS: [(&str, &str); 18] = [
    ("鶴見区", "鶴見区"),
    ("神奈川区", "鶴見区"),
    ("西区", "南区"),
    ("中区", "南区"),
    ("南区", "南区"),
    ("戸塚区", "南区"),
    ("保土ケ谷区", "旭区"),
    ("旭区", "旭区"),
    ("泉区", "旭区"),
    ("瀬谷区", "旭区"),
    ("港南区", "磯子区"),
    ("磯子区", "磯子区"),
    ("金沢区", "磯子区"),
    ("栄区", "磯子区"),
    ("緑区", "青葉区"),
    ("青葉区", "青葉区"),
    ("港北区", "都筑区"),
    ("都筑区", "都筑区"),
];

/// Source 000, 業務開始年月日.
const HUB_STARTS: [(&str, &str); 6] = [
    ("鶴見区", "2020-04-01"),
    ("南区", "2020-04-01"),
    ("旭区", "2020-04-01"),
    ("磯子区", "2019-04-01"),
    ("青葉区", "2020-04-01"),
    ("都筑区", "2020-04-01"),
];

const YOKOHAMA: &str = "141003";

/// The 18 Yokohama wards in data: Japanese name → code.
fn yokohama_wards() -> BTreeMap<String, String> {
    site()
        .areas
        .iter()
        .filter(|a| {
            a.parent.as_ref().is_some_and(|p| p.as_str() == YOKOHAMA) && a.kind == AreaKind::Ward
        })
        .map(|a| (a.name.ja.clone(), a.code.to_string()))
        .collect()
}

#[test]
fn yokohama_wards_map_to_hubs_as_in_source_000_in_the_model() {
    let s = site();
    let wards = yokohama_wards();
    assert_eq!(
        wards.len(),
        18,
        "data must have Yokohama's 18 wards, has {wards:?}"
    );
    let expected_names: BTreeSet<&str> = YOKOHAMA_WARD_HUBS.iter().map(|(w, _)| *w).collect();
    let data_names: BTreeSet<&str> = wards.keys().map(String::as_str).collect();
    assert_eq!(
        data_names, expected_names,
        "the wards in data differ from the wards in source 000"
    );
    assert_eq!(s.hubs.len(), 6, "source 000 lists six hubs");

    for (ward, hub) in YOKOHAMA_WARD_HUBS {
        let code = &wards[ward];
        let covering: Vec<&str> = s
            .hubs
            .iter()
            .filter(|h| h.areas.iter().any(|a| a.as_str() == code))
            .map(|h| h.name.ja.as_str())
            .collect();
        assert_eq!(
            covering.len(),
            1,
            "{ward} ({code}) must be covered by exactly one hub, is covered by {covering:?}"
        );
        assert_eq!(
            covering[0],
            format!("{hub}{HUB_SUFFIX}"),
            "{ward} ({code}) is covered by the wrong hub"
        );
    }
    // No hub covers anything the source does not list.
    let listed: usize = s.hubs.iter().map(|h| h.areas.len()).sum();
    assert_eq!(
        listed, 18,
        "the hubs together must cover exactly the 18 wards"
    );

    for (hub, date) in HUB_STARTS {
        let name = format!("{hub}{HUB_SUFFIX}");
        let h = s
            .hubs
            .iter()
            .find(|h| h.name.ja == name)
            .unwrap_or_else(|| panic!("no hub named {name}"));
        let started = h.started.map(|d| d.to_string());
        assert_eq!(started.as_deref(), Some(date), "start date of {name}");
    }
}

#[test]
fn yokohama_ward_pages_name_their_hub_in_both_languages() {
    let s = site();
    let wards = yokohama_wards();
    let link = sel("section.hub-block p.hub-name a");
    for (ward, hub) in YOKOHAMA_WARD_HUBS {
        let code = &wards[ward];
        let hub_ja = format!("{hub}{HUB_SUFFIX}");
        let model_hub = s
            .hubs
            .iter()
            .find(|h| h.name.ja == hub_ja)
            .expect("hub in data");
        for lang in Lang::ALL {
            let rel = format!("{}/areas/{code}", lang.url_segment());
            let doc = page(&rel);
            let links: Vec<ElementRef> = doc.select(&link).collect();
            assert_eq!(
                links.len(),
                1,
                "{rel} ({ward}) must link exactly one hub in its hub section"
            );
            let name = text(links[0]);
            let expected = match lang {
                Lang::Ja | Lang::Easy => hub_ja.clone(),
                Lang::En => model_hub.name.en.clone(),
            };
            assert_eq!(name, expected, "{rel} ({ward}) names the wrong hub");
            let href = links[0].value().attr("href").unwrap_or_default();
            assert!(
                href.ends_with(&format!("{}/hubs/{}/", lang.url_segment(), model_hub.id)),
                "{rel} ({ward}): hub link {href} does not point at the hub page of {}",
                model_hub.id
            );
        }
    }
}

#[test]
fn yokohama_hub_pages_show_the_start_dates() {
    let s = site();
    let (dt, dd) = (sel("dl.facts dt"), sel("dl.facts dd"));
    for (hub, date) in HUB_STARTS {
        let name = format!("{hub}{HUB_SUFFIX}");
        let h = s
            .hubs
            .iter()
            .find(|h| h.name.ja == name)
            .expect("hub in data");
        let (y, m, d): (u32, u32, u32) = {
            let p: Vec<u32> = date.split('-').map(|x| x.parse().expect("date")).collect();
            (p[0], p[1], p[2])
        };
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        for lang in Lang::ALL {
            let rel = format!("{}/hubs/{}", lang.url_segment(), h.id);
            let doc = page(&rel);
            let dts = texts(&doc, "dl.facts dt");
            let dds = texts(&doc, "dl.facts dd");
            assert_eq!(
                doc.select(&dt).count(),
                doc.select(&dd).count(),
                "{rel}: facts list must pair dt and dd"
            );
            let i = dts
                .iter()
                .position(|t| t == ui(lang, "started"))
                .unwrap_or_else(|| panic!("{rel}: no start date row"));
            let expected = match lang {
                Lang::Ja | Lang::Easy => format!("{y}年{m}月{d}日"),
                Lang::En => format!("{d} {} {y}", MONTHS[m as usize - 1]),
            };
            assert_eq!(dds[i], expected, "{rel}: start date of {name}");
            assert_eq!(
                texts(&doc, "h1"),
                vec![h.name.str(lang).to_string()],
                "{rel}: <h1> must be the hub's name"
            );
        }
    }
}

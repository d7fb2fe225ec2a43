//! No page shows a phone number that is not in the data.

use super::{html_files, out};
use crate::common::{sel, shipped_site as site};
use scraper::Html;
use std::collections::BTreeSet;

// ---------------------------------------------------------------- no invented phones

/// ASCII digits and hyphens for the many ways Japanese text writes them.
fn normalize_phone_chars(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_digit(c as u32 - '０' as u32, 10).unwrap_or(c),
            '－' | '‐' | '‑' | '–' | '—' | '−' | '(' | ')' | '（' | '）' => '-',
            _ => c,
        })
        .collect()
}

/// Phone-like strings in a text: 0\d{1,4}-\d{1,4}-\d{3,4} (not inside a longer
/// number), or 10–11 digits starting with 0. Returned as digits only.
fn phone_like(s: &str) -> Vec<String> {
    let s = normalize_phone_chars(s);
    let mut found = Vec::new();
    let runs = s.split(|c: char| !(c.is_ascii_digit() || c == '-'));
    for run in runs {
        let groups: Vec<&str> = run.split('-').filter(|g| !g.is_empty()).collect();
        if groups.len() == 1 {
            let g = groups[0];
            if g.starts_with('0') && (10..=11).contains(&g.len()) {
                found.push(g.to_string());
            }
            continue;
        }
        for w in groups.windows(3) {
            if w[0].starts_with('0')
                && (2..=5).contains(&w[0].len())
                && (1..=4).contains(&w[1].len())
                && (3..=4).contains(&w[2].len())
            {
                found.push(w.concat());
            }
        }
    }
    found
}

#[test]
fn phone_detector_finds_phone_like_strings() {
    assert_eq!(phone_like("電話 045-671-2401 まで"), vec!["0456712401"]);
    assert_eq!(
        phone_like("ＴＥＬ：０４８－８３０－３３１１"),
        vec!["0488303311"]
    );
    assert_eq!(phone_like("03(1234)5678"), vec!["0312345678"]);
    assert_eq!(phone_like("0312345678"), vec!["0312345678"]);
    assert!(phone_like("2019-04-01 1,741 374人 198,543千円").is_empty());
}

#[test]
fn no_page_shows_a_phone_number_that_is_not_in_the_data() {
    let s = site();
    let digits = |p: &str| {
        normalize_phone_chars(p)
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
    };
    let data_phones: BTreeSet<String> = s
        .hubs
        .iter()
        .flat_map(|h| [h.contact.phone.as_deref(), h.contact.fax.as_deref()])
        .flatten()
        .map(digits)
        .collect();

    let all = sel("*");
    let tel = sel("a[href^='tel:']");
    let files = html_files(out());
    assert!(
        files.len() > 2 * 138,
        "expected every area page to be built, found {} HTML files",
        files.len()
    );
    let mut invented: Vec<String> = Vec::new();
    for file in &files {
        let doc = Html::parse_document(&std::fs::read_to_string(file).expect("read page"));
        let mut haystack: String = doc.root_element().text().collect::<Vec<_>>().join(" ");
        for el in doc.select(&all) {
            for (_, v) in el.value().attrs() {
                haystack.push(' ');
                haystack.push_str(v);
            }
        }
        for p in phone_like(&haystack) {
            if !data_phones.contains(&p) {
                invented.push(format!(
                    "{}: {p}",
                    file.strip_prefix(out()).unwrap_or(file).display()
                ));
            }
        }
        for a in doc.select(&tel) {
            let href = a.value().attr("href").unwrap_or_default();
            let number = digits(href.trim_start_matches("tel:"));
            if !data_phones.contains(&number) {
                invented.push(format!(
                    "{}: link {href}",
                    file.strip_prefix(out()).unwrap_or(file).display()
                ));
            }
        }
    }
    assert!(
        invented.is_empty(),
        "phone numbers on the site that are not a hub phone/fax in data:\n{}",
        invented.join("\n")
    );
}

//! やさしい日本語 (issue 25): the `/easy/` variant of every page, its
//! furigana, the hreflang and sitemap handling, and what `check` reports
//! about easy text. Built pages come from the one shared shipped build.

use crate::common::{
    attrs, build_without_flyers, edit, minimal_fixture, page, run, sel, shipped_build, text,
};
use scraper::{ElementRef, Html};
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

/// Every page directory below `<site>/<variant>/`, as keys (`""`, `areas/141097`).
fn keys(site: &Path, variant: &str) -> BTreeSet<String> {
    let root = site.join(variant);
    let mut out = BTreeSet::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "index.html") {
                let rel = dir.strip_prefix(&root).expect("below");
                out.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

fn rel(variant: &str, key: &str) -> String {
    if key.is_empty() {
        variant.to_string()
    } else {
        format!("{variant}/{key}")
    }
}

fn url(variant: &str, key: &str) -> String {
    format!("https://example.org/{}/", rel(variant, key))
}

/// The (hreflang, href) of every `<link rel=alternate>`, sorted.
fn alternates(doc: &Html) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = doc
        .select(&sel("link[rel=alternate][hreflang]"))
        .map(|e| {
            let a = |n| e.value().attr(n).unwrap_or("").to_string();
            (a("hreflang"), a("href"))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_page_has_an_easy_variant_in_japanese_with_a_three_way_switcher() {
    let (site, _) = shipped_build();
    let ja = keys(site, "ja");
    let easy = keys(site, "easy");
    assert!(ja.len() > 50, "{} ja pages", ja.len());
    assert_eq!(ja, easy, "the easy pages are not the ja pages' keys");
    for key in ["", "areas", "hubs", "what-is-a-coordinator", "glossary"] {
        let doc = page(site, &rel("easy", key));
        assert_eq!(attrs(&doc, "html", "lang"), ["ja"], "easy/{key}");
        let switch: Vec<(String, String)> = doc
            .select(&sel(".lang-switch a"))
            .map(|a| (text(a), a.value().attr("href").unwrap_or("").to_string()))
            .collect();
        let up = "../".repeat(rel("easy", key).matches('/').count() + 1);
        assert_eq!(
            switch,
            [
                ("日本語".to_string(), format!("{up}{}/", rel("ja", key))),
                ("English".to_string(), format!("{up}{}/", rel("en", key)))
            ],
            "easy/{key}"
        );
        // ja and en pages lead to the easy page, labelled in easy Japanese.
        let doc = page(site, &rel("ja", key));
        let to_easy = doc
            .select(&sel(".lang-switch a"))
            .find(|a| text(*a) == "やさしいにほんご")
            .expect("switcher link to easy Japanese");
        assert_eq!(to_easy.value().attr("lang"), Some("ja"));
        assert_eq!(
            to_easy.value().attr("href"),
            Some(format!("{up}{}/", rel("easy", key)).as_str())
        );
    }
}

#[test]
fn hreflang_keeps_the_ja_en_pair_and_easy_pages_stand_alone_on_every_page() {
    let (site, _) = shipped_build();
    for key in keys(site, "ja") {
        for variant in ["ja", "en"] {
            let doc = page(site, &rel(variant, &key));
            let x_default = if key.is_empty() {
                "https://example.org/".to_string()
            } else {
                url("ja", &key)
            };
            assert_eq!(
                alternates(&doc),
                [
                    ("en".to_string(), url("en", &key)),
                    ("ja".to_string(), url("ja", &key)),
                    ("x-default".to_string(), x_default)
                ],
                "{variant}/{key}"
            );
            assert_eq!(
                attrs(&doc, "link[rel=canonical]", "href"),
                [url(variant, &key)]
            );
        }
        let doc = page(site, &rel("easy", &key));
        assert_eq!(
            alternates(&doc),
            [],
            "easy/{key} must name no hreflang alternate"
        );
        assert_eq!(
            attrs(&doc, "link[rel=canonical]", "href"),
            [url("easy", &key)]
        );
    }
    // The sitemap lists every easy page once, with no alternates, and no
    // hreflang anywhere in it points at an easy page.
    let xml = fs::read_to_string(site.join("sitemap.xml")).expect("sitemap");
    let entries: Vec<&str> = xml.split("<url>").skip(1).collect();
    for key in keys(site, "easy") {
        let loc = format!("<loc>{}</loc>", url("easy", &key));
        let found: Vec<&&str> = entries.iter().filter(|e| e.starts_with(&loc)).collect();
        assert_eq!(found.len(), 1, "sitemap: {loc}");
        assert!(
            !found[0].contains("xhtml:link"),
            "sitemap: {loc} has alternates"
        );
    }
    assert!(
        !xml.contains("href=\"https://example.org/easy/"),
        "an easy page is an hreflang alternate"
    );
    assert_eq!(
        xml.matches("<url>").count(),
        3 * keys(site, "ja").len() + 1,
        "ja, en and easy pages and the root"
    );
}

/// `(base, reading)` of every `<ruby>` on a page.
fn rubies(doc: &Html) -> Vec<(String, String)> {
    doc.select(&sel("ruby"))
        .map(|r| {
            let base: String = r
                .children()
                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                .collect();
            let rt = r.select(&sel("rt")).map(text).collect::<String>();
            (base, rt)
        })
        .collect()
}

#[test]
fn furigana_on_area_names_glossary_terms_and_the_authors_readings() {
    let (site, _) = shipped_build();
    let ruby_of = |rel: &str| rubies(&page(site, rel));
    // An area name (data/areas: 横浜市 → よこはまし), on its area page.
    let area = ruby_of("easy/areas/141003");
    assert!(
        area.contains(&("横浜市".into(), "よこはまし".into())),
        "{area:?}"
    );
    // A glossary term (医療的ケア, kana いりょうてきけあ): the ruby covers
    // the kanji only.
    let home = ruby_of("easy");
    assert!(
        home.contains(&("医療的".into(), "いりょうてき".into())),
        "{home:?}"
    );
    // The author's {調整|ちょうせい} in content/_index.easy.md.
    assert!(
        home.contains(&("調整".into(), "ちょうせい".into())),
        "{home:?}"
    );
    // An easy UI string's {拠点|きょてん} (templates/i18n/easy.toml).
    let hubs = ruby_of("easy/hubs");
    assert!(
        hubs.contains(&("拠点".into(), "きょてん".into())),
        "{hubs:?}"
    );
    // The notation never shows, in text, the title or attributes; and the
    // ja page has no ruby.
    for rel in [
        "easy",
        "easy/hubs",
        "easy/areas/141003",
        "easy/what-is-a-coordinator",
    ] {
        let html = fs::read_to_string(site.join(rel).join("index.html")).expect("page");
        assert!(
            !html.contains("|ちょうせい}") && !html.contains("|きょてん}"),
            "{rel}"
        );
        let doc = Html::parse_document(&html);
        let title: String = doc.select(&sel("title")).map(text).collect();
        assert!(!title.contains('{'), "{rel}: {title}");
    }
    assert!(ruby_of("ja").is_empty());
    // The furigana switch: a checkbox whose unchecked state hides <rt> by CSS.
    let doc = page(site, "easy");
    assert_eq!(
        attrs(&doc, "input#furigana[type=checkbox][checked]", "id"),
        ["furigana"]
    );
    let css = fs::read_to_string(site.join("assets/site.css")).expect("css");
    assert!(
        css.contains("body:has(#furigana:not(:checked)) rt"),
        "{css}"
    );
}

#[test]
fn a_page_not_written_in_easy_japanese_shows_the_japanese_text_with_a_note() {
    let (site, _) = shipped_build();
    let easy = page(site, "easy/coordinator-role");
    let ja = page(site, "ja/coordinator-role");
    let note = easy
        .select(&sel(".easy-missing"))
        .map(text)
        .collect::<String>();
    assert!(note.contains("まだ ありません"), "{note}");
    assert!(ja.select(&sel(".easy-missing")).next().is_none());
    // The Japanese text, with the easy page's links staying in /easy/.
    let h2 = |d: &Html| {
        d.select(&sel("article h2"))
            .map(|e| e.text().collect::<String>())
            .collect::<Vec<_>>()
    };
    assert_eq!(h2(&easy).len(), h2(&ja).len());
    // Read without the furigana, the text after the note is the Japanese
    // page's; its links to other pages resolve within /easy/.
    let body = |d: &Html| {
        let article = d.select(&sel("article.prose")).next().expect("article");
        article
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|e| !["h1", "nav"].contains(&e.value().name()))
            .filter(|e| !e.value().classes().any(|c| c == "easy-missing"))
            .map(text)
            .collect::<Vec<_>>()
    };
    assert_eq!(body(&easy), body(&ja));
    let targets = |d: &Html, dir: &str| {
        d.select(&sel("article.prose a[href]"))
            .filter_map(|a| a.value().attr("href"))
            .filter(|h| !h.starts_with('#') && !h.contains(':'))
            .map(|h| resolve(dir, h))
            .collect::<Vec<_>>()
    };
    let (to_easy, to_ja) = (
        targets(&easy, "easy/coordinator-role/"),
        targets(&ja, "ja/coordinator-role/"),
    );
    assert!(
        to_easy.contains(&"easy/glossary/".to_string()),
        "{to_easy:?}"
    );
    assert!(to_ja.contains(&"ja/glossary/".to_string()), "{to_ja:?}");
    assert_eq!(
        to_easy,
        to_ja
            .iter()
            .map(|t| t.replacen("ja/", "easy/", 1))
            .collect::<Vec<_>>()
    );
    assert!(
        page(site, "easy/what-is-a-coordinator")
            .select(&sel(".easy-missing"))
            .next()
            .is_none()
    );
}

/// The page a relative `href` on a page in `dir` (`ja/x/`) points to,
/// without its fragment: `../glossary/#a` → `ja/glossary/`.
fn resolve(dir: &str, href: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let path = href.split('#').next().unwrap_or_default();
    for p in path.split('/').filter(|p| !p.is_empty() && *p != ".") {
        match p {
            ".." => drop(parts.pop()),
            p => parts.push(p),
        }
    }
    format!("{}/", parts.join("/"))
}

#[test]
fn check_reports_kanji_without_reading_and_readability_at_their_position() {
    let p = minimal_fixture();
    fs::write(
        p.path().join("content/_index.easy.md"),
        "+++\ntitle = \"ホーム\"\nsources = [\"test-source\"]\nas_of = \"2020-04-01\"\n+++\n{相談|そうだん}できます。\nここで 支援を します。\nそうだんする。\n",
    )
    .expect("write");
    let r = run(p.path(), &["check"]);
    assert!(r.ok, "{}", r.log());
    let log = r.log();
    // 支援 is on body line 2 of the file (line 7), column 5 (characters).
    assert!(log.contains("content/_index.easy.md:7:5"), "{log}");
    assert!(log.contains("kanji without a reading: 支援"), "{log}");
    assert!(log.contains("content/_index.easy.md:8:1"), "{log}");
    assert!(log.contains("does not end in です or ます"), "{log}");
    // 相談 has the author's reading: not reported.
    assert!(!log.contains("reading: 相談"), "{log}");
    // The page without an easy version is listed.
    assert!(log.contains("content/about.easy.md"), "{log}");
    // strict: the same findings are errors.
    let config = p.path().join("tsunagu.toml");
    let text = fs::read_to_string(&config).expect("config");
    fs::write(&config, format!("{text}\n[easy]\nstrict = true\n")).expect("write");
    let r = run(p.path(), &["check"]);
    assert!(!r.ok, "strict check passed:\n{}", r.log());
    assert!(
        r.log().contains("kanji without a reading: 支援"),
        "{}",
        r.log()
    );
}

#[test]
fn a_ui_string_missing_in_easy_japanese_is_an_error() {
    let p = minimal_fixture();
    let i18n = p.path().join("templates/i18n");
    for (lang, v) in [("ja", "あたらしい"), ("en", "new")] {
        let f = i18n.join(format!("{lang}.toml"));
        let text = fs::read_to_string(&f).expect("read");
        fs::write(&f, format!("{text}\nnew_key = \"{v}\"\n")).expect("write");
    }
    let r = run(p.path(), &["check"]);
    assert!(!r.ok, "{}", r.log());
    assert!(
        r.log()
            .contains("UI string `new_key` has no easy Japanese version"),
        "{}",
        r.log()
    );
}

/// The minimal fixture with `line` added to its test hub as line 10 of
/// data/hubs/test.toml; returns the fixture and the line.
fn hub_with(line: &str) -> (TempDir, String) {
    let p = minimal_fixture();
    let last = "last_verified = \"2026-11-01\"\n";
    edit(
        &p.path().join("data/hubs/test.toml"),
        last,
        &format!("{last}{line}\n"),
    );
    (p, line.to_string())
}

/// Asserts that `log` holds a diagnostic as `check` prints it: `level:
/// message`, then where: line `n` of data/hubs/test.toml, `line`, at the
/// column of `part`'s last occurrence (in the easy text, after the `ja` one).
fn assert_reported(log: &str, level_message: &str, n: usize, line: &str, part: &str) {
    let i = line
        .rfind(part)
        .unwrap_or_else(|| panic!("{part} not in {line}"));
    let col = line[..i].chars().count() + 1;
    let expected = format!("{level_message}\n  --> data/hubs/test.toml:{n}:{col}");
    assert!(log.contains(&expected), "no `{expected}` in\n{log}");
}

#[test]
fn a_records_easy_text_shows_on_its_easy_page_only_and_others_show_the_japanese() {
    let (p, _) = hub_with(
        "ask_instead = { ja = \"区役所の窓口\", en = \"The ward office\", easy = \"{区役所|くやくしょ}の まどぐちです。\" }\nsetting = { ja = \"試験の場所\", en = \"A test place\" }",
    );
    let site = build_without_flyers(p.path(), &[]);
    let ask = |rel: &str| {
        page(&site, rel)
            .select(&sel(".ask-instead p"))
            .map(text)
            .collect::<String>()
    };
    let easy = page(&site, "easy/hubs/test-hub");
    assert!(
        rubies(&easy).contains(&("区役所".into(), "くやくしょ".into())),
        "{:?}",
        rubies(&easy)
    );
    // (`text` leaves out the <rt> readings.)
    assert_eq!(ask("easy/hubs/test-hub"), "区役所の まどぐちです。");
    assert_eq!(ask("ja/hubs/test-hub"), "区役所の窓口");
    assert_eq!(ask("en/hubs/test-hub"), "The ward office");
    for rel in ["ja/hubs/test-hub", "en/hubs/test-hub", "easy/hubs/test-hub"] {
        let html = fs::read_to_string(site.join(rel).join("index.html")).expect("page");
        assert!(!html.contains("{区役所|"), "{rel} shows the notation");
        if !rel.starts_with("easy") {
            assert!(!html.contains("まどぐち"), "{rel} shows the easy text");
        }
    }
    // `setting` has no easy text: the easy page shows the Japanese one.
    let setting: Vec<String> = easy.select(&sel("dd")).map(text).collect();
    assert!(setting.iter().any(|d| d == "試験の場所"), "{setting:?}");
}

#[test]
fn check_reports_kanji_without_reading_and_readability_in_a_records_easy_text() {
    let (p, line) = hub_with(
        "ask_instead = { ja = \"区役所の窓口\", en = \"The ward office\", easy = \"{区役所|くやくしょ}の 窓口です。そうだんする。\" }",
    );
    let r = run(p.path(), &["check"]);
    assert!(r.ok, "{}", r.log());
    let log = r.log();
    assert_reported(
        &log,
        "warning: kanji without a reading: 窓口",
        10,
        &line,
        "窓口",
    );
    assert_reported(
        &log,
        "warning: sentence does not end in です or ます",
        10,
        &line,
        "そうだんする",
    );
    assert!(!log.contains("reading: 区役所"), "{log}");
}

#[test]
fn malformed_furigana_in_a_records_easy_text_and_easy_text_on_a_name_are_errors() {
    let (p, line) = hub_with(
        "ask_instead = { ja = \"区役所\", en = \"The ward office\", easy = \"{区役所|}です。\" }",
    );
    let name = "name = { ja = \"試験拠点\", en = \"Test hub\", easy = \"しけん\" }";
    edit(
        &p.path().join("data/hubs/test.toml"),
        "name = { ja = \"試験拠点\", en = \"Test hub\" }",
        name,
    );
    let r = run(p.path(), &["check"]);
    assert!(!r.ok, "check passed:\n{}", r.log());
    let log = r.log();
    assert_reported(
        &log,
        "error: furigana notation `{区役所|}` is not {漢字|よみかた}",
        10,
        &line,
        "{区役所",
    );
    assert_reported(
        &log,
        "error: `name` is a name and takes no easy text",
        4,
        name,
        "\"しけん",
    );
}

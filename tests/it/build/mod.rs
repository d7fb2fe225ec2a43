//! Generator core, as a user meets it: build a small fixture project with
//! the real binary, parse the HTML, and feed it bad input.

mod errors;
mod serve;

use crate::common::{BIN, attrs, build, minimal_fixture as project, page, run, sel, tree};
use scraper::Html;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::process::Command;

/// The texts of every element matching `css`, joined by a space (whitespace kept).
fn all_text(doc: &Html, css: &str) -> String {
    doc.select(&sel(css))
        .map(|e| e.text().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Resolves a relative href against the page's directory URL.
fn resolve(page_url: &str, href: &str) -> String {
    if href.contains("://") || href.starts_with("tel:") || href.starts_with("mailto:") {
        return href.to_string();
    }
    let (href, frag) = href
        .split_once('#')
        .map_or((href, None), |(h, f)| (h, Some(f)));
    let mut parts: Vec<&str> = page_url.trim_end_matches('/').split('/').collect();
    if href.starts_with('/') {
        parts.truncate(3);
    }
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut url = parts.join("/");
    if href.is_empty() || href.ends_with('/') {
        url.push('/');
    }
    if let Some(f) = frag {
        url.push('#');
        url.push_str(f);
    }
    url
}

#[test]
fn builds_both_languages_with_lang_hreflang_and_switcher() {
    let p = project();
    let site = build(p.path(), &[]);
    for (lang, other, title) in [
        ("ja", "en", "このサイトについて"),
        ("en", "ja", "About this site"),
    ] {
        let doc = page(&site, &format!("{lang}/about"));
        assert_eq!(attrs(&doc, "html", "lang"), [lang]);
        assert!(
            all_text(&doc, "title").starts_with(title),
            "title: {}",
            all_text(&doc, "title")
        );
        assert_eq!(all_text(&doc, "h1"), title);
        let mut alternates: Vec<(String, String)> = doc
            .select(&sel("link[rel=alternate][hreflang]"))
            .map(|e| {
                (
                    e.value().attr("hreflang").unwrap_or("").into(),
                    e.value().attr("href").unwrap_or("").into(),
                )
            })
            .collect();
        alternates.sort();
        assert_eq!(
            alternates,
            [
                ("en".into(), "https://example.org/en/about/".into()),
                ("ja".into(), "https://example.org/ja/about/".into()),
                ("x-default".into(), "https://example.org/ja/about/".into()),
            ]
        );
        assert_eq!(
            attrs(&doc, "link[rel=canonical]", "href"),
            [format!("https://example.org/{lang}/about/")]
        );
        // The switcher names the other language in itself and leads to the same page.
        let switch = doc
            .select(&sel(".lang-switch a"))
            .next()
            .expect("language switcher");
        assert_eq!(switch.value().attr("lang"), Some(other));
        assert_eq!(
            switch.text().collect::<String>(),
            if other == "en" {
                "English"
            } else {
                "日本語"
            }
        );
        let target = resolve(
            &format!("https://example.org/{lang}/about/"),
            switch.value().attr("href").unwrap_or(""),
        );
        assert_eq!(target, format!("https://example.org/{other}/about/"));
        // Provenance is shown on the page.
        let footer = all_text(&doc, "footer");
        assert!(
            footer.contains(if lang == "ja" {
                "試験用の資料"
            } else {
                "Test document"
            }),
            "{footer}"
        );
    }
    assert!(
        site.join("index.html").is_file()
            && site.join("404.html").is_file()
            && site.join("robots.txt").is_file()
    );
}

#[test]
fn japanese_markdown_emphasis_anchors_and_footnotes() {
    let p = project();
    let site = build(p.path(), &[]);
    let home = page(&site, "ja");
    assert_eq!(all_text(&home, ".intro strong"), "「括弧」");
    let about = page(&site, "ja/about");
    assert_eq!(all_text(&about, "article strong"), "強調。");
    assert_eq!(attrs(&about, "article h2", "id"), ["対象者"]);
    assert_eq!(attrs(&about, ".footnote", "id"), ["fn-1"]);
    assert_eq!(attrs(&about, ".table-scroll", "aria-label"), ["対象者"]);
    // `@/` links resolve to the page in the same language, relative
    // within it (from `ja/about/`).
    let links = attrs(&about, "article a", "href");
    assert!(links.contains(&"../areas/".to_string()), "{links:?}");
    assert!(
        links.contains(&"../hubs/test-hub/".to_string()),
        "{links:?}"
    );
}

/// A site that publishes HTML written in Markdown gets it minified, on the
/// page and on the easy page standing in for it (the body is kept as
/// parsed at load and minified as it is written).
#[test]
fn raw_html_is_published_minified_where_the_site_allows_it() {
    let p = project();
    let config = p.path().join("tsunagu.toml");
    let text = fs::read_to_string(&config).expect("config");
    fs::write(&config, format!("allow_raw_html = true\n{text}")).expect("config");
    let about = p.path().join("content/about.ja.md");
    let text = fs::read_to_string(&about).expect("page");
    let raw = "<div class=\"raw-note\">\n  <p>生の   HTML</p>\n</div>\n";
    fs::write(&about, format!("{text}\n{raw}")).expect("page");
    let site = build(p.path(), &[]);
    for rel in ["ja/about", "easy/about"] {
        let doc = page(&site, rel);
        assert_eq!(all_text(&doc, "article .raw-note p"), "生の HTML", "{rel}");
        let html = fs::read_to_string(site.join(rel).join("index.html")).expect("page");
        assert!(
            html.contains("<div class=raw-note>"),
            "{rel} not minified: {html}"
        );
        assert!(!html.contains("\n  <p>"), "{rel} not minified: {html}");
    }
}

#[test]
fn sitemap_lists_every_page_with_alternates() {
    let p = project();
    let site = build(p.path(), &[]);
    let xml = fs::read_to_string(site.join("sitemap.xml")).expect("sitemap");
    let pages: Vec<String> = tree(&site)
        .keys()
        .filter_map(|k| k.to_str())
        .filter(|k| {
            k.ends_with("index.html") && ["ja/", "en/", "easy/"].iter().any(|l| k.starts_with(l))
        })
        .map(|k| format!("https://example.org/{}", k.trim_end_matches("index.html")))
        .collect();
    assert!(pages.len() >= 10, "{pages:?}");
    for url in &pages {
        assert!(
            xml.contains(&format!("<loc>{url}</loc>")),
            "{url} missing from sitemap"
        );
    }
    assert_eq!(
        xml.matches("<loc>").count(),
        pages.len() + 1,
        "every page plus the root index"
    );
    assert!(xml.contains("hreflang=\"en\" href=\"https://example.org/en/about/\""));
    assert!(xml.contains("hreflang=\"x-default\""));
}

#[test]
fn two_builds_are_byte_identical() {
    // Two full builds into separate directories: a second build into the
    // same directory finds it up to date and writes nothing, so comparing
    // that directory with itself would prove nothing.
    let p = project();
    let [a, b] = ["a", "b"].map(|out| {
        let r = run(p.path(), &["build", "--out", out]);
        assert!(
            r.ok && r.stdout.starts_with("built "),
            "a full build into {out}:\n{}",
            r.log()
        );
        tree(&p.path().join(out))
    });
    assert!(a.len() > 20, "only {} files built", a.len());
    let only_a: Vec<_> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_b: Vec<_> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert!(
        only_a.is_empty() && only_b.is_empty(),
        "the builds wrote different files: only in the first {only_a:?}, only in the second {only_b:?}"
    );
    let differ: Vec<_> = a.keys().filter(|k| a[*k] != b[*k]).collect();
    assert!(
        differ.is_empty(),
        "files differ between two builds: {differ:?}"
    );
}

#[test]
fn sub_path_base_url_keeps_every_link_inside_it() {
    let p = project();
    let base = "https://example.org/iryo-care/";
    let site = build(p.path(), &["--base-url", base]);
    let mut checked = 0;
    for (path, bytes) in tree(&site) {
        let Some(rel) = path.to_str().filter(|p| p.ends_with(".html")) else {
            continue;
        };
        if rel == "404.html" {
            continue;
        }
        let url = format!("{base}{}", rel.trim_end_matches("index.html"));
        let doc = Html::parse_document(&String::from_utf8_lossy(&bytes));
        for (selector, attr) in [
            ("a", "href"),
            ("link", "href"),
            ("script", "src"),
            ("img", "src"),
            ("form", "action"),
        ] {
            for href in attrs(&doc, selector, attr) {
                assert!(!href.starts_with('/'), "{rel}: root-relative link {href}");
                let abs = resolve(&url, &href);
                if abs.starts_with("https://example.org") {
                    assert!(
                        abs.starts_with(base),
                        "{rel}: {href} resolves to {abs}, outside {base}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} links checked");
    let robots = fs::read_to_string(site.join("robots.txt")).expect("robots");
    assert!(robots.contains("Sitemap: https://example.org/iryo-care/sitemap.xml"));
    let not_found = fs::read_to_string(site.join("404.html")).expect("404");
    assert!(
        not_found.contains("https://example.org/iryo-care/ja/"),
        "404 links are absolute under the base URL"
    );
}

/// Every command of `src/cli.rs`, as `tsunagu --help` names them.
const COMMANDS: [&str; 8] = [
    "build",
    "check",
    "import",
    "bench-data",
    "serve",
    "theme",
    "init",
    "help",
];

#[test]
fn help_lists_every_command() {
    let out = Command::new(BIN).arg("--help").output().expect("help");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    // The "Commands:" section: one "  name  summary" line per command.
    let listed: BTreeMap<&str, &str> = help
        .split("\nCommands:\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no Commands: section in\n{help}"))
        .lines()
        .take_while(|l| l.starts_with("  "))
        .map(|l| {
            let l = l.trim();
            l.split_once(char::is_whitespace)
                .map_or((l, ""), |(name, summary)| (name, summary.trim()))
        })
        .collect();
    assert_eq!(
        listed.keys().copied().collect::<BTreeSet<_>>(),
        BTreeSet::from(COMMANDS),
        "tsunagu --help lists other commands:\n{help}"
    );
    for cmd in COMMANDS {
        let out = Command::new(BIN)
            .args(["help", cmd])
            .output()
            .expect("help <command>");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "tsunagu help {cmd} failed");
        assert!(
            text.contains(&format!("Usage: tsunagu {cmd}")),
            "tsunagu help {cmd}:\n{text}"
        );
        assert!(
            !listed[cmd].is_empty() && text.contains(listed[cmd]),
            "tsunagu help {cmd} lacks its summary {:?}:\n{text}",
            listed[cmd]
        );
    }
    let out = Command::new(BIN)
        .args(["help", "build"])
        .output()
        .expect("help build");
    assert!(String::from_utf8_lossy(&out.stdout).contains("--base-url"));
}

#[test]
fn phone_numbers_from_data_become_tap_to_call_links() {
    let p = project();
    let site = build(p.path(), &[]);
    for path in ["ja/areas/141097", "en/areas/141097", "ja/hubs/test-hub"] {
        let doc = page(&site, path);
        assert_eq!(
            attrs(&doc, "main .contact a.tap", "href"),
            ["tel:0450000000"],
            "{path}"
        );
        assert!(
            all_text(&doc, "main .contact").contains("045-000-0000"),
            "{path}"
        );
    }
}

/// The home page links every page of the footer navigation (it is the site
/// map); every other page links home, the ways to a hub and the
/// accessibility statement. The site's description and its change feed are
/// announced on the home page only, an area's prefecture feed on the area's
/// page; JSON-LD names the WebSite once, on the home page, and refers to it
/// by id elsewhere. (Issue 24: these were most of each page's bytes.)
#[test]
fn the_home_page_carries_the_site_map_feed_and_description_and_other_pages_stay_light() {
    let (dir, _) = crate::common::shipped_build();
    for lang in ["ja", "en", "easy"] {
        let home = page(dir, lang);
        let all = attrs(&home, "footer nav a", "href");
        assert!(all.len() >= 15, "{lang}: home links {} pages", all.len());
        assert_eq!(
            attrs(&home, r#"meta[name="description"]"#, "content").len(),
            1
        );
        let feeds = attrs(&home, r#"link[type="application/atom+xml"]"#, "href");
        assert_eq!(feeds.len(), 1, "{lang}: {feeds:?}");
        let area = page(dir, &format!("{lang}/areas/141097"));
        let short: Vec<String> = attrs(&area, "footer nav a", "href")
            .iter()
            .map(|h| h.trim_start_matches("../").to_string())
            .collect();
        let want: Vec<String> = ["", "areas/", "hubs/", "registry/", "accessibility/"]
            .iter()
            .map(|k| format!("{lang}/{k}"))
            .collect();
        assert_eq!(short, want, "{lang}: an area page's footer navigation");
        // The same links from pages at other depths point to the same
        // pages; the page a link is for marks it current.
        for rel in ["areas/141097", "coordinator-role", "hubs"] {
            let rel = format!("{lang}/{rel}");
            let doc = page(dir, &rel);
            let here = format!("https://x.invalid/{rel}/");
            let links: Vec<String> = attrs(&doc, "footer nav a", "href")
                .iter()
                .map(|h| resolve(&here, h))
                .collect();
            let pages: Vec<String> = want
                .iter()
                .map(|w| format!("https://x.invalid/{w}"))
                .collect();
            assert_eq!(links, pages, "{rel}");
            let current = attrs(&doc, r#"footer nav a[aria-current="page"]"#, "href");
            let is_linked = rel.ends_with("/hubs");
            assert_eq!(current.len(), usize::from(is_linked), "{rel}: {current:?}");
        }
        assert!(attrs(&area, r#"meta[name="description"]"#, "content").is_empty());
        let feeds = attrs(&area, r#"link[type="application/atom+xml"]"#, "href");
        assert_eq!(feeds.len(), 1, "{lang}: {feeds:?}");
        assert!(feeds[0].ends_with("/areas/140007/changes.xml"), "{feeds:?}");
        let part_of = |doc: &Html| -> serde_json::Value {
            let json = doc
                .select(&sel(r#"script[type="application/ld+json"]"#))
                .next()
                .expect("JSON-LD")
                .inner_html();
            let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
            v["@graph"][0]["isPartOf"].clone()
        };
        let (site, here) = (part_of(&home), part_of(&area));
        assert_eq!(site["@type"], "WebSite", "{lang}: {site}");
        assert_eq!(here, serde_json::json!({ "@id": site["@id"] }), "{lang}");
    }
}

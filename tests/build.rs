//! Generator core, as a user meets it: build a small fixture project with
//! the real binary, parse the HTML, and feed it bad input.

mod common;

use common::{minimal_fixture as project, tree};

use scraper::{Html, Selector};
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_tsunagu");

fn run(root: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("run tsunagu");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn build(root: &Path, extra: &[&str]) -> PathBuf {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let (ok, _, err) = run(root, &args);
    assert!(ok, "build failed:\n{err}");
    root.join("site")
}

fn page(site: &Path, path: &str) -> Html {
    let file = site.join(path).join("index.html");
    Html::parse_document(
        &fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())),
    )
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

fn attrs(doc: &Html, selector: &str, attr: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .filter_map(|e| e.value().attr(attr))
        .map(String::from)
        .collect()
}

fn text(doc: &Html, selector: &str) -> String {
    doc.select(&sel(selector))
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
            text(&doc, "title").starts_with(title),
            "title: {}",
            text(&doc, "title")
        );
        assert_eq!(text(&doc, "h1"), title);
        let mut alternates: Vec<(String, String)> = doc
            .select(&sel("link[rel=alternate]"))
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
        let footer = text(&doc, "footer");
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
    assert_eq!(text(&home, ".intro strong"), "「括弧」");
    let about = page(&site, "ja/about");
    assert_eq!(text(&about, "article strong"), "強調。");
    assert_eq!(attrs(&about, "article h2", "id"), ["対象者"]);
    assert_eq!(attrs(&about, ".footnote", "id"), ["fn-1"]);
    assert_eq!(attrs(&about, ".table-scroll", "aria-label"), ["対象者"]);
    // `@/` links resolve to the page in the same language.
    let links = attrs(&about, "article a", "href");
    assert!(links.contains(&"../../ja/areas/".to_string()), "{links:?}");
    assert!(
        links.contains(&"../../ja/hubs/test-hub/".to_string()),
        "{links:?}"
    );
}

#[test]
fn sitemap_lists_every_page_with_alternates() {
    let p = project();
    let site = build(p.path(), &[]);
    let xml = fs::read_to_string(site.join("sitemap.xml")).expect("sitemap");
    let pages: Vec<String> = tree(&site)
        .keys()
        .filter_map(|k| k.to_str())
        .filter(|k| k.ends_with("index.html") && (k.starts_with("ja/") || k.starts_with("en/")))
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
    let p = project();
    let first = tree(&build(p.path(), &[]));
    let second = tree(&build(p.path(), &[]));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(
            bytes == &second[path],
            "{} differs between builds",
            path.display()
        );
    }
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

/// Breaks the project with `edit`, builds, and checks the error names
/// `expect` (file:line:col) and that the previous site is untouched.
fn assert_bad_input(edit: impl FnOnce(&Path), expect: &[&str]) -> String {
    let p = project();
    let site = build(p.path(), &[]);
    let before = tree(&site);
    edit(p.path());
    let (ok, _, err) = run(p.path(), &["build"]);
    assert!(!ok, "build should fail");
    for e in expect {
        assert!(err.contains(e), "expected {e:?} in:\n{err}");
    }
    assert!(err.contains("hint:"), "every error carries a hint:\n{err}");
    assert!(tree(&site) == before, "a failed build changed site/");
    let (ok, _, check_err) = run(p.path(), &["check"]);
    assert!(!ok, "check should fail too");
    assert!(
        check_err.contains(expect[0]),
        "check reports the same error:\n{check_err}"
    );
    err
}

fn edit_file(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).expect("read fixture");
    assert!(text.contains(from), "{rel} does not contain {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).expect("write fixture");
}

#[test]
fn malformed_toml_is_reported_at_its_line_and_column() {
    let err = assert_bad_input(
        |r| {
            edit_file(
                r,
                "data/hubs/test.toml",
                "started = \"2020-04-01\"",
                "started = 2020-04-01\"",
            )
        },
        &["data/hubs/test.toml:6:"],
    );
    assert!(err.contains("^"), "{err}");
}

#[test]
fn malformed_front_matter_is_reported_in_the_page() {
    assert_bad_input(
        |r| edit_file(r, "content/about.en.md", "weight = 1", "weight = = 1"),
        &["content/about.en.md:6:10"],
    );
    assert_bad_input(
        |r| edit_file(r, "content/about.en.md", "+++\n## Who", "## Who"),
        &["content/about.en.md", "front matter is not closed"],
    );
    // A front-matter value's own position, not shifted by the `+++` line.
    assert_bad_input(
        |r| edit_file(r, "content/about.en.md", "[\"test-source\"]", "[\"nope\"]"),
        &["content/about.en.md:4:12", "source `nope` does not exist"],
    );
}

#[test]
fn unknown_field_names_the_key() {
    assert_bad_input(
        |r| edit_file(r, "content/about.ja.md", "weight = 1", "wieght = 1"),
        &["content/about.ja.md:6:1", "unknown field `wieght`"],
    );
}

#[test]
fn wrong_type_column_counts_characters_not_bytes() {
    // `name = { ja = "港北区", en = 5 }`: the 5 is at character 27 (byte 33).
    assert_bad_input(
        |r| {
            edit_file(
                r,
                "data/areas/test.toml",
                "name = { ja = \"港北区\", en = \"Kohoku Ward\" }",
                "name = { ja = \"港北区\", en = 5 }",
            )
        },
        &["data/areas/test.toml:22:27", "invalid type"],
    );
}

#[test]
fn missing_required_field_is_an_error() {
    assert_bad_input(
        |r| edit_file(r, "data/hubs/test.toml", "as_of = \"2020-04-01\"\n", ""),
        &["data/hubs/test.toml:2:1", "missing field `as_of`"],
    );
}

#[test]
fn reference_to_a_missing_id_is_an_error() {
    assert_bad_input(
        |r| edit_file(r, "data/hubs/test.toml", "[\"141097\"]", "[\"141101\"]"),
        &["data/hubs/test.toml:5:10", "area `141101` does not exist"],
    );
    assert_bad_input(
        |r| {
            edit_file(
                r,
                "data/hubs/test.toml",
                "source = \"test-source\"",
                "source = \"nope\"",
            )
        },
        &["data/hubs/test.toml:7:10", "source `nope` does not exist"],
    );
}

#[test]
fn duplicate_id_points_at_both_places() {
    let err = assert_bad_input(
        |r| {
            let path = r.join("data/hubs/test.toml");
            let text = fs::read_to_string(&path).expect("read");
            let copy = text
                .replace("areas = [\"141097\"]", "areas = []")
                .replace("[hub.contact]\nphone = \"045-000-0000\"\n", "");
            fs::write(&path, format!("{text}\n{copy}")).expect("write");
        },
        &[
            "duplicate hub id `test-hub`",
            "already used at data/hubs/test.toml:3",
        ],
    );
    assert!(
        err.contains("data/hubs/test.toml:15:6"),
        "second occurrence located:\n{err}"
    );
}

#[test]
fn unknown_template_variable_is_reported_in_the_template() {
    let err = assert_bad_input(
        |r| {
            edit_file(
                r,
                "templates/hub.html",
                "{{ hub.name }}</h1>",
                "{{ hub.nmae }}</h1>",
            )
        },
        &["templates/hub.html:3:"],
    );
    assert!(err.contains("nmae"), "{err}");
}

#[test]
fn invalid_utf8_is_reported_with_its_position() {
    assert_bad_input(
        |r| {
            let path = r.join("content/about.en.md");
            let mut bytes = fs::read(&path).expect("read");
            let at = bytes.windows(3).position(|w| w == b"See").expect("text");
            bytes.splice(at..at, [0xff, 0xfe]);
            fs::write(&path, bytes).expect("write");
        },
        &["content/about.en.md:10:1", "invalid UTF-8"],
    );
}

#[test]
fn missing_translations_are_each_listed() {
    assert_bad_input(
        |r| fs::remove_file(r.join("content/about.en.md")).expect("rm"),
        &[
            "content/about.ja.md",
            "missing English translation of this page",
        ],
    );
    assert_bad_input(
        |r| {
            edit_file(
                r,
                "data/areas/test.toml",
                "name = { ja = \"港北区\", en = \"Kohoku Ward\" }",
                "name = { ja = \"港北区\" }",
            )
        },
        &[
            "data/areas/test.toml:22:8",
            "missing English translation of `name`",
        ],
    );
    assert_bad_input(
        |r| {
            edit_file(
                r,
                "templates/i18n/en.toml",
                "skip_link = \"Skip to main content\"\n",
                "",
            )
        },
        &[
            "templates/i18n/ja.toml:2:1",
            "UI string `skip_link` has no en translation",
        ],
    );
}

#[test]
fn broken_internal_link_is_reported_in_the_markdown() {
    assert_bad_input(
        |r| edit_file(r, "content/about.en.md", "(@/areas)", "(@/arias)"),
        &["content/about.en.md:10:5", "there is no page `arias`"],
    );
}

#[test]
fn all_errors_of_a_run_are_reported_together() {
    let err = assert_bad_input(
        |r| {
            edit_file(r, "content/about.ja.md", "weight = 1", "wieght = 1");
            edit_file(
                r,
                "data/hubs/test.toml",
                "started = \"2020-04-01\"",
                "started = 2020-04-01\"",
            );
        },
        &["content/about.ja.md:6:1", "data/hubs/test.toml:6:"],
    );
    assert!(err.contains("2 errors"), "{err}");
}

fn http_get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn wait_for_version_change(port: u16, from: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, v) = http_get(port, "/__tsunagu/version");
        if v != from {
            return v;
        }
        assert!(Instant::now() < deadline, "serve did not notice the edit");
        std::thread::sleep(Duration::from_millis(100));
    }
}

struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_rebuilds_and_reloads_after_an_edit_and_survives_a_bad_one() {
    let p = project();
    let mut child = Command::new(BIN)
        .arg("--root")
        .arg(p.path())
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start serve");
    let stdout = child.stdout.take().expect("stdout");
    let server = Server(child);
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    reader
        .read_line(&mut line)
        .expect("serve prints its address");
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    let port: u16 = line
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|s| {
            s.trim_end()
                .trim_end_matches('/')
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .map(String::from)
        })
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));

    let (status, body) = http_get(port, "/en/about/");
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("About this site") && body.contains("/__tsunagu/reload.js"),
        "page with the reload script"
    );
    let (status, script) = http_get(port, "/__tsunagu/reload.js");
    assert_eq!(status, 200);
    assert!(script.contains("location.reload"));
    let (_, v1) = http_get(port, "/__tsunagu/version");

    edit_file(
        p.path(),
        "content/about.en.md",
        "title = \"About this site\"",
        "title = \"About tsunagu\"",
    );
    let v2 = wait_for_version_change(port, &v1);
    let (_, body) = http_get(port, "/en/about/");
    assert!(
        body.contains("About tsunagu"),
        "edited page served after rebuild"
    );

    edit_file(p.path(), "content/about.en.md", "weight = 1", "wieght = 1");
    let v3 = wait_for_version_change(port, &v2);
    let (status, body) = http_get(port, "/en/about/");
    assert_eq!(status, 500);
    assert!(
        body.contains("unknown field") && body.contains("content/about.en.md:6:1"),
        "error shown in the browser:\n{body}"
    );

    edit_file(p.path(), "content/about.en.md", "wieght = 1", "weight = 1");
    wait_for_version_change(port, &v3);
    let (status, _) = http_get(port, "/en/about/");
    assert_eq!(status, 200, "server recovered after the fix");
    drop(server);
}

#[test]
fn help_lists_every_command() {
    let out = Command::new(BIN).arg("--help").output().expect("help");
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in ["build", "check", "serve", "help"] {
        assert!(help.contains(cmd), "{help}");
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
            text(&doc, "main .contact").contains("045-000-0000"),
            "{path}"
        );
    }
}

#[test]
fn a_missing_home_page_is_an_error() {
    assert_bad_input(
        |r| {
            fs::remove_file(r.join("content/_index.ja.md")).expect("rm");
            fs::remove_file(r.join("content/_index.en.md")).expect("rm");
        },
        &[
            "content/_index.en.md",
            "content/_index.ja.md",
            "the home page is missing",
        ],
    );
}

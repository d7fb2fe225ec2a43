//! The default theme compiled into the binary (issue 19): a project with no
//! `templates/` builds; a project file replaces the default file of its
//! path, its UI strings replace the defaults key by key; an override's
//! errors name the project's file, line and column; `theme eject` copies
//! the defaults out and the ejected theme builds the same site; the site
//! identity in `tsunagu.toml` (footer, accent colour, favicon).

use crate::common::{
    attrs, build_without_flyers as build, copy_dir, edit, page, repo, run, run_without_flyers, sel,
    shipped_project, texts, tree,
};
use std::fs;
use std::path::Path;
use tempfile::TempDir;

/// The synthetic minimal fixture with NO templates/ directory.
fn bare_project() -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&repo().join("tests/fixtures/minimal"), dir.path());
    assert!(!dir.path().join("templates").exists());
    dir
}

fn write(root: &Path, rel: &str, text: &str) {
    let file = root.join(rel);
    fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
    fs::write(file, text).expect("write");
}

/// The default theme's text of `name`, as the repository holds it.
fn default_template(name: &str) -> String {
    fs::read_to_string(repo().join("templates").join(name)).expect("default template")
}

/// Builds `root`, which must fail; returns what it printed.
fn failed_build(root: &Path) -> String {
    let r = run_without_flyers(root, &["build"]);
    assert!(!r.ok, "the build should fail:\n{}", r.stdout);
    r.stderr
}

#[test]
fn the_shipped_project_without_templates_builds_the_same_site() {
    let with = shipped_project();
    let without = shipped_project();
    fs::remove_dir_all(without.path().join("templates")).expect("rm templates");
    let a = tree(&build(with.path(), &[]));
    let b = tree(&build(without.path(), &[]));
    assert!(a.len() > 300, "only {} files", a.len());
    let differ: Vec<_> = a.keys().filter(|k| a.get(*k) != b.get(*k)).collect();
    assert!(differ.is_empty(), "files that differ: {differ:?}");
    assert_eq!(a.len(), b.len());
}

#[test]
fn a_project_template_replaces_the_default_and_a_rebuild_notices_its_edits() {
    let p = bare_project();
    let site = build(p.path(), &[]);
    assert!(texts(&page(&site, "en/about"), ".override").is_empty());
    let page_html = default_template("page.html").replace(
        "<h1>{{ layout.title }}</h1>",
        "<h1>{{ layout.title }}</h1><p class=\"override\">project page {{ layout.lang }}</p>",
    );
    write(p.path(), "templates/page.html", &page_html);
    build(p.path(), &[]);
    assert_eq!(
        texts(&page(&site, "en/about"), ".override"),
        ["project page en"]
    );
    assert_eq!(
        texts(&page(&site, "ja/about"), ".override"),
        ["project page ja"]
    );
    // Pages from other templates are untouched.
    assert!(texts(&page(&site, "en/hubs"), ".override").is_empty());
    // An edit of the override is a changed input for the incremental build.
    edit(
        &p.path().join("templates/page.html"),
        "project page",
        "edited page",
    );
    build(p.path(), &[]);
    assert_eq!(
        texts(&page(&site, "en/about"), ".override"),
        ["edited page en"]
    );
    // Removing it brings the default back.
    fs::remove_file(p.path().join("templates/page.html")).expect("rm");
    build(p.path(), &[]);
    assert!(texts(&page(&site, "en/about"), ".override").is_empty());
}

#[test]
fn an_override_with_a_syntax_error_names_the_project_file_line_and_column() {
    let p = bare_project();
    let broken = default_template("page.html").replacen(
        "{% block main %}\n",
        "{% block main %}\n<p>{% if %}</p>\n",
        1,
    );
    write(p.path(), "templates/page.html", &broken);
    let err = failed_build(p.path());
    assert!(err.contains("templates/page.html:3:"), "{err}");
    assert!(err.contains("syntax error"), "{err}");
    assert!(!err.contains("(default theme)"), "{err}");
    assert!(err.contains("hint:"), "{err}");
}

#[test]
fn an_override_with_an_unknown_variable_names_the_project_file_line_and_column() {
    let p = bare_project();
    let broken = default_template("page.html").replacen(
        "<h1>{{ layout.title }}</h1>",
        "<h1>{{ layout.title }}</h1>\n<p>{{ no_such_variable }}</p>",
        1,
    );
    write(p.path(), "templates/page.html", &broken);
    let err = failed_build(p.path());
    assert!(err.contains("templates/page.html:5:7"), "{err}");
    assert!(err.contains("no_such_variable"), "{err}");
    assert!(!err.contains("(default theme)"), "{err}");
}

#[test]
fn project_ui_strings_replace_the_defaults_key_by_key() {
    let p = bare_project();
    write(
        p.path(),
        "templates/i18n/en.toml",
        "skip_link = \"Jump to the content\"\n",
    );
    let site = build(p.path(), &[]);
    let en = page(&site, "en/about");
    assert_eq!(texts(&en, ".skip-link"), ["Jump to the content"]);
    // Every other English string is the default's.
    let nav_label = attrs(&en, "footer nav", "aria-label");
    assert_eq!(
        nav_label,
        attrs(&page(&repo_build(), "en/about"), "footer nav", "aria-label")
    );
    // Japanese is untouched.
    assert_eq!(
        texts(&page(&site, "ja/about"), ".skip-link"),
        ["本文へ移動"]
    );
    // A key the project adds in one language only is an error at its line.
    write(
        p.path(),
        "templates/i18n/ja.toml",
        "# 追加\nextra_note = \"追加の文\"\n",
    );
    let err = failed_build(p.path());
    assert!(err.contains("templates/i18n/ja.toml:2:1"), "{err}");
    assert!(
        err.contains("UI string `extra_note` has no en translation"),
        "{err}"
    );
}

/// The minimal fixture built with the repository's templates (the default
/// theme), once.
fn repo_build() -> std::path::PathBuf {
    static OUT: std::sync::OnceLock<(TempDir, std::path::PathBuf)> = std::sync::OnceLock::new();
    OUT.get_or_init(|| {
        let p = crate::common::minimal_fixture();
        let site = build(p.path(), &[]);
        (p, site)
    })
    .1
    .clone()
}

#[test]
fn an_ejected_theme_builds_the_same_site_byte_for_byte() {
    let bare = bare_project();
    let expected = tree(&build(bare.path(), &[]));
    let p = bare_project();
    let r = run(p.path(), &["theme", "eject"]);
    assert!(r.ok, "{}", r.stderr);
    // Every file of the default theme, as the repository holds it.
    let ejected = tree(&p.path().join("templates"));
    assert_eq!(ejected, tree(&repo().join("templates")));
    assert!(
        r.stdout.contains("wrote templates/base.html"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains(&format!("{} files written", ejected.len())),
        "{}",
        r.stdout
    );
    assert_eq!(tree(&build(p.path(), &[])), expected);
}

#[test]
fn eject_refuses_to_overwrite_a_changed_file_unless_forced() {
    let p = bare_project();
    let r = run(p.path(), &["theme", "eject", "base.html", "i18n/en.toml"]);
    assert!(r.ok, "{}", r.stderr);
    let names: Vec<_> = tree(&p.path().join("templates")).into_keys().collect();
    assert_eq!(names, [Path::new("base.html"), Path::new("i18n/en.toml")]);
    let base = p.path().join("templates/base.html");
    fs::write(&base, "changed").expect("write");
    // Refused: a changed file, and a name the theme does not have; nothing written.
    let r = run(
        p.path(),
        &["theme", "eject", "base.html", "page.html", "nope.html"],
    );
    assert!(!r.ok);
    assert!(r.stderr.contains("templates/base.html"), "{}", r.stderr);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert!(r.stderr.contains("templates/nope.html"), "{}", r.stderr);
    assert!(r.stderr.contains("nothing was written"), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&base).expect("read"), "changed");
    assert!(!p.path().join("templates/page.html").exists());
    let r = run(p.path(), &["theme", "eject", "--force", "base.html"]);
    assert!(r.ok, "{}", r.stderr);
    assert_eq!(
        fs::read_to_string(&base).expect("read"),
        default_template("base.html")
    );
}

/// Appends an `[identity]` table to the project's tsunagu.toml.
fn set_identity(root: &Path, table: &str) {
    let config = root.join("tsunagu.toml");
    let text = fs::read_to_string(&config).expect("config");
    fs::write(config, format!("{text}\n[identity]\n{table}")).expect("write");
}

#[test]
fn an_accent_colour_below_4_5_to_1_is_refused_at_its_line_and_column() {
    let p = bare_project();
    // Line 7 of the config: its 4 lines, the blank line, [identity], this.
    set_identity(p.path(), "accent_color = \"#777777\"\n");
    let err = failed_build(p.path());
    assert!(err.contains("tsunagu.toml:7:16"), "{err}");
    assert!(err.contains("4.47:1"), "{err}");
    assert!(err.contains("hint:"), "{err}");
    // #767676 is the lightest grey with 4.5:1: accepted and applied.
    edit(&p.path().join("tsunagu.toml"), "#777777", "#767676");
    let site = build(p.path(), &[]);
    let css = fs::read_to_string(site.join("assets/accent.css")).expect("accent.css");
    assert!(css.contains("--accent:#767676"), "{css}");
    let links = attrs(&page(&site, "en/about"), "link[rel=stylesheet]", "href");
    assert!(
        links.contains(&"../../assets/accent.css".to_string()),
        "{links:?}"
    );
}

#[test]
fn the_favicon_is_there_and_every_page_links_it() {
    let p = bare_project();
    let site = build(p.path(), &[]);
    let ico = fs::read(site.join("favicon.ico")).expect("favicon.ico");
    assert_eq!(&ico[..6], &[0, 0, 1, 0, 1, 0], "an ICO with one image");
    let svg = fs::read_to_string(site.join("favicon.svg")).expect("favicon.svg");
    assert!(svg.starts_with("<svg"), "{svg}");
    let pages: Vec<_> = tree(&site)
        .into_keys()
        .filter(|k| k.extension().is_some_and(|e| e == "html"))
        .collect();
    assert!(pages.len() > 10);
    for rel in pages {
        let doc =
            scraper::Html::parse_document(&fs::read_to_string(site.join(&rel)).expect("read"));
        let icons = attrs(&doc, "link[rel=icon]", "href");
        assert_eq!(icons.len(), 2, "{}: {icons:?}", rel.display());
        for href in icons {
            // The 404 page is served at any URL: absolute links.
            let target = match href.strip_prefix("https://example.org/") {
                Some(path) => site.join(path),
                None => site.join(&rel).parent().expect("dir").join(&href),
            };
            assert!(target.is_file(), "{}: {href} is not a file", rel.display());
        }
    }
    // A logo is the icon.
    write(p.path(), "templates/assets/logo.svg", &svg);
    set_identity(p.path(), "logo = \"logo.svg\"\n");
    let site = build(p.path(), &[]);
    let icons = attrs(&page(&site, "ja/about"), "link[rel=icon]", "href");
    assert_eq!(icons, ["../../favicon.ico", "../../assets/logo.svg"]);
}

#[test]
fn the_identity_is_in_every_footer_in_its_language_escaped() {
    let p = bare_project();
    set_identity(
        p.path(),
        "publisher = { ja = \"試験市 <b>福祉課</b>\", en = \"Test City Welfare & <b>Division</b>\" }\n\
         contact_url = \"https://example.org/contact/\"\n\
         contact_email = \"info@example.org\"\n\
         contact_phone = \"045-000-0000\"\n",
    );
    let site = build(p.path(), &[]);
    let en = page(&site, "en/hubs");
    let footer = texts(&en, "footer .identity");
    assert_eq!(footer.len(), 1, "{footer:?}");
    assert!(
        footer[0].contains("Published by: Test City Welfare & <b>Division</b>"),
        "{footer:?}"
    );
    assert!(
        en.select(&sel("footer .identity b")).next().is_none(),
        "markup from data"
    );
    assert_eq!(
        attrs(&en, "footer .identity a", "href"),
        [
            "https://example.org/contact/",
            "mailto:info@example.org",
            "tel:0450000000"
        ]
    );
    let ja = texts(&page(&site, "ja/hubs"), "footer .identity");
    assert!(ja[0].contains("運営: 試験市 <b>福祉課</b>"), "{ja:?}");
    // The bilingual pages show both languages.
    let root =
        scraper::Html::parse_document(&fs::read_to_string(site.join("index.html")).expect("index"));
    assert_eq!(attrs(&root, "footer .identity", "lang"), ["ja", "en"]);

    // A bad e-mail address is an error at its place.
    edit(
        &p.path().join("tsunagu.toml"),
        "info@example.org",
        "info at example",
    );
    let err = failed_build(p.path());
    assert!(err.contains("tsunagu.toml:9:17"), "{err}");
    assert!(err.contains("is not an e-mail address"), "{err}");
}

#[test]
fn a_project_without_identity_has_no_identity_footer_and_check_lists_the_gap() {
    let p = bare_project();
    let site = build(p.path(), &[]);
    assert!(
        page(&site, "en/hubs")
            .select(&sel(".identity"))
            .next()
            .is_none()
    );
    let r = run_without_flyers(p.path(), &["check"]);
    assert!(r.ok, "{}", r.stderr);
    assert!(r.stdout.contains("site publisher"), "{}", r.stdout);
    assert!(r.stdout.contains("how to report a mistake"), "{}", r.stdout);
    set_identity(
        p.path(),
        "publisher = { ja = \"試験市\", en = \"Test City\" }\ncontact_url = \"https://example.org/contact/\"\n",
    );
    let r = run_without_flyers(p.path(), &["check"]);
    assert!(r.ok, "{}", r.stderr);
    assert!(!r.stdout.contains("site publisher"), "{}", r.stdout);
    assert!(
        !r.stdout.contains("how to report a mistake"),
        "{}",
        r.stdout
    );
}

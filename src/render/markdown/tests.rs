use super::*;
use crate::markdown::MAX_DEPTH;

/// The outline of `md` (as a page is loaded).
fn scan(md: &str, raw_html: bool) -> crate::markdown::Outline {
    crate::markdown::read(md, "", "", raw_html).0
}

/// A body as a page shows it, with its problems.
struct Rendered {
    /// The body's HTML, minified.
    html: String,
    problems: Vec<MdProblem>,
}

/// Renders `md` for a page in `lang` whose path up to its language's home
/// page is `up` (`../` from `ja/yokohama/`, see [`crate::render::up_to_home`]):
/// its body as it is written (see [`crate::markdown::read`]), and its
/// problems, its links checked against `targets` if given. `table_label`
/// names table regions for screen readers when no heading precedes a
/// table. `raw_html`: whether the site publishes HTML written in Markdown
/// (`allow_raw_html` in tsunagu.toml).
fn render(
    md: &str,
    lang: Lang,
    up: &str,
    targets: Option<&LinkTargets>,
    table_label: &str,
    raw_html: bool,
) -> Rendered {
    let (outline, body) = crate::markdown::read(md, up, table_label, raw_html);
    let mut problems = outline.problems.clone();
    if let Some(targets) = targets {
        problems.extend(check_links(&outline, lang, targets));
    }
    let html = body.map_or_else(String::new, |b| b.html);
    Rendered {
        html: match raw_html {
            // Raw HTML may be anything: the whole body goes through the minifier.
            true => super::super::minify::fragment(&html),
            false => html,
        },
        problems,
    }
}

fn html(md: &str) -> String {
    let keys: BTreeSet<&str> = ["yokohama", ""].into_iter().collect();
    let mut anchors = Anchors::default();
    let yokohama = scan("## 拠点\n\n本文\n", false);
    anchors.add("yokohama", Lang::Ja, &yokohama.ids);
    let t = LinkTargets {
        keys: &keys,
        anchors: &anchors,
    };
    let r = render(md, Lang::Ja, "../", Some(&t), "表", false);
    assert!(r.problems.is_empty(), "unexpected problems");
    r.html
}

#[test]
fn strong_next_to_japanese_brackets() {
    assert_eq!(
        html("これは**「括弧」**です"),
        "<p>これは<strong>「括弧」</strong>です</p>"
    );
}

#[test]
fn strong_before_japanese_full_stop() {
    assert_eq!(html("**強調。**です"), "<p><strong>強調。</strong>です</p>");
}

#[test]
fn commonmark_strong_still_works_and_is_not_doubled() {
    assert_eq!(
        html("**強調**のテスト"),
        "<p><strong>強調</strong>のテスト</p>"
    );
    assert_eq!(
        html("plain **bold** text"),
        "<p>plain <strong>bold</strong> text</p>"
    );
}

#[test]
fn emphasis_next_to_punctuation() {
    assert_eq!(
        html("これは*「強調」*です"),
        "<p>これは<em>「強調」</em>です</p>"
    );
}

#[test]
fn lone_or_spaced_asterisks_stay_literal() {
    assert_eq!(html("2 * 3 = 6"), "<p>2 * 3 = 6</p>");
    assert_eq!(html("注**だけ"), "<p>注**だけ</p>");
    assert_eq!(html("\\*\\*「括弧」\\*\\*"), "<p>**「括弧」**</p>");
}

#[test]
fn strong_around_a_link() {
    assert_eq!(
        html("これは**[「横浜」](@/yokohama)。**です"),
        "<p>これは<strong><a href=\"../yokohama/\">「横浜」</a>。</strong>です</p>"
    );
}

#[test]
fn japanese_heading_ids_are_readable_and_unique() {
    let out = html("## 対象者（A〜F）\n\n## Who is supported?\n\n## 対象者（A〜F）\n");
    assert!(
        out.contains("<h2 id=\"対象者a〜f\">") || out.contains("<h2 id=\"対象者af\">"),
        "{out}"
    );
    assert!(out.contains("<h2 id=\"who-is-supported\">"), "{out}");
    assert!(out.contains("-1\">対象者"), "{out}");
}

#[test]
fn footnotes_get_prefixed_ids() {
    let out = html("本文[^1]\n\n[^1]: 注記\n");
    assert!(
        out.contains("id=\"fnref-1\"") && out.contains("href=\"#fn-1\""),
        "{out}"
    );
    assert!(out.contains("id=\"fn-1\""), "{out}");
}

/// `@/` links stay within the page's language, relative to the page, so
/// a Japanese text renders to the same HTML on its easy-Japanese page.
#[test]
fn internal_links_are_relative_within_the_language() {
    let keys: BTreeSet<&str> = ["yokohama", "", "areas/141097"].into_iter().collect();
    let anchors = Anchors::default();
    let t = LinkTargets {
        keys: &keys,
        anchors: &anchors,
    };
    let md = "[a](@/) [b](@/yokohama) [c](@/areas/141097)";
    let hrefs = |up: &str, lang: Lang| {
        let html = render(md, lang, up, Some(&t), "表", false).html;
        html.split("href=\"")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].to_string())
            .collect::<Vec<_>>()
    };
    // From `ja/`, `ja/yokohama/` and `ja/areas/141097/`.
    assert_eq!(hrefs("", Lang::Ja), ["./", "yokohama/", "areas/141097/"]);
    assert_eq!(
        hrefs("../", Lang::Ja),
        ["../", "../yokohama/", "../areas/141097/"]
    );
    assert_eq!(
        hrefs(&crate::render::up_to_home("areas/141097"), Lang::Ja),
        ["../../", "../../yokohama/", "../../areas/141097/"]
    );
    assert_eq!(hrefs("../", Lang::Easy), hrefs("../", Lang::Ja));
}

#[test]
fn internal_links_resolve_with_anchor() {
    // pulldown-cmark percent-encodes the fragment; browsers decode it to the id.
    assert!(html("[拠点](@/yokohama#拠点)").contains("href=\"../yokohama/#%E6%8B%A0%E7%82%B9\""));
}

#[test]
fn broken_internal_link_is_a_problem_with_position() {
    let keys = BTreeSet::new();
    let anchors = Anchors::default();
    let t = LinkTargets {
        keys: &keys,
        anchors: &anchors,
    };
    let r = render(
        "text\n\n[x](@/nowhere)",
        Lang::En,
        "",
        Some(&t),
        "Table",
        false,
    );
    assert_eq!(r.problems.len(), 1);
    assert_eq!(r.problems[0].span.start, 6);
}

#[test]
fn tables_are_wrapped_and_labelled_by_heading() {
    let out = html("## 区分\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
    assert!(
        out.contains(
            "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"区分\"><table>"
        ),
        "{out}"
    );
}

fn problems(md: &str, raw_html: bool) -> (String, Vec<String>) {
    let keys: BTreeSet<&str> = BTreeSet::new();
    let anchors = Anchors::default();
    let t = LinkTargets {
        keys: &keys,
        anchors: &anchors,
    };
    let r = render(md, Lang::Ja, "", Some(&t), "表", raw_html);
    (r.html, r.problems.into_iter().map(|p| p.message).collect())
}

#[test]
fn raw_html_is_refused_and_never_published() {
    let (html, p) = problems(
        "本文\n\n<script>alert(1)</script>\n\n<iframe src=\"https://x.example\">",
        false,
    );
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(
        p[0].contains("raw HTML") && p[0].contains("<script>"),
        "{p:?}"
    );
    assert!(
        !html.contains("<script") && !html.contains("<iframe"),
        "{html}"
    );
    let (_, p) = problems("a <span onclick=\"x()\">b</span>", false);
    assert_eq!(p.len(), 2, "each inline tag: {p:?}");
    // Comments are an author's notes: dropped, not an error.
    let (html, p) = problems("<!-- メモ -->\n\n本文", false);
    assert!(p.is_empty() && !html.contains("メモ"), "{p:?} {html}");
}

#[test]
fn raw_html_is_published_when_the_site_allows_it() {
    let (html, p) = problems("<div class=\"x\">a</div>", true);
    assert!(p.is_empty(), "{p:?}");
    assert!(html.contains("<div class=x>"), "minified: {html}");
}

#[test]
fn links_that_could_run_code_are_refused() {
    for bad in [
        "[x](javascript:alert(1))",
        "[x](JavaScript:alert(1))",
        "[x](java%09script:alert(1))",
        "[x](data:text/html,<b>x</b>)",
        "![x](vbscript:x)",
        "<javascript:alert(1)>",
        "[x](mailto:a@example.org?bcc=b@example.org)",
        "[x](tel:call-me)",
        "[x](java&#9;script:alert(1))",
    ] {
        let (html, p) = problems(bad, false);
        assert_eq!(p.len(), 1, "{bad}: {p:?}");
        let urls: Vec<&str> = [" href=\"", " src=\""]
            .iter()
            .flat_map(|attr| html.split(attr).skip(1))
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert!(urls.iter().all(|u| *u == "#"), "{bad}: {html}");
    }
    for good in [
        "[x](https://example.org/a?b=c)",
        "[x](http://example.org)",
        "[x](mailto:info@example.org)",
        "[x](tel:045-000-0000)",
        "[x](../ja/areas/)",
        "[x](#見出し)",
        "[x](files/a:b.pdf)",
    ] {
        assert!(problems(good, false).1.is_empty(), "{good}");
    }
}

#[test]
fn nesting_past_the_limit_is_refused_before_rendering() {
    let deep = format!("{}x", "> ".repeat(MAX_DEPTH + 5));
    let (html, p) = problems(&deep, false);
    assert!(html.is_empty());
    assert_eq!(p.len(), 1);
    assert!(p[0].contains("nested more than"), "{p:?}");
    let emphasis = format!("{}x{}", "*".repeat(5000), "*".repeat(5000));
    let (_, p) = problems(&emphasis, false);
    assert!(p.iter().any(|m| m.contains("nested")), "{p:?}");
    let ok = format!("{}x", "> ".repeat(10));
    assert!(problems(&ok, false).1.is_empty());
}

#[test]
fn a_link_to_a_missing_heading_is_a_problem_naming_the_headings_there() {
    let keys: BTreeSet<&str> = ["yokohama"].into_iter().collect();
    let mut anchors = Anchors::default();
    let (ja, en) = (
        scan("# 横浜\n\n## 拠点\n\n本文\n", false),
        scan("# Yokohama\n\n## Hubs\n", false),
    );
    anchors.add("yokohama", Lang::Ja, &ja.ids);
    anchors.add("yokohama", Lang::En, &en.ids);
    let t = LinkTargets {
        keys: &keys,
        anchors: &anchors,
    };
    let r = render("[x](@/yokohama#相談)", Lang::Ja, "", Some(&t), "表", false);
    assert_eq!(r.problems.len(), 1);
    assert!(r.problems[0].message.contains("has no heading `#相談`"));
    assert!(
        r.problems[0].hint.contains("拠点"),
        "{}",
        r.problems[0].hint
    );
    // Each language's page has its own headings.
    let r = render(
        "[x](@/yokohama#hubs)",
        Lang::En,
        "",
        Some(&t),
        "Table",
        false,
    );
    assert!(r.problems.is_empty());
    let r = render("[x](@/yokohama#hubs)", Lang::Ja, "", Some(&t), "表", false);
    assert_eq!(r.problems.len(), 1);
}

/// Markdown with every kind of block, soft and hard breaks, and newlines
/// where they are content (code, link titles).
const EVERY_BLOCK: &str = "# 見出し {#top .c}\n\n本文の\n続き  \nhard break\n\n\
    > 引用\n> - a\n>\n>   b\n\n1. one\n2. two\n   - nested\n\n\
    | 左 | 中 | 右 |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n\n---\n\n\
    ```rust\n\nfn main() {\n    a < b && c > d;\n}\n```\n\n    indented\n    code\n\n\
    ![alt *em*\ntext](x.png \"ti\ntle\") [link](https://e.example/ \"a&\n&b\")[^n]\n\n[^n]: 注\n";

/// `html` without its `<pre>` elements.
fn outside_pre(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some((before, after)) = rest.split_once("<pre>") {
        out.push_str(before);
        rest = after.split_once("</pre>").map_or("", |(_, a)| a);
    }
    out + rest
}

#[test]
fn the_body_has_no_newline_between_blocks_and_keeps_those_in_code() {
    let out = html(EVERY_BLOCK);
    let blocks = outside_pre(&out);
    assert!(!blocks.contains(">\n") && !blocks.contains("\n<"), "{out}");
    assert!(
        out.contains("<code class=\"language-rust\">\nfn main() {\n    a &lt; b"),
        "{out}"
    );
    assert!(out.contains("<p>本文の 続き<br />hard break</p>"), "{out}");
}

/// `html` with no whitespace next to a block tag (or `<br>`), where a
/// browser shows none, outside `<pre>`.
fn squeezed(html: &str) -> String {
    const BLOCK: [&str; 17] = [
        "p",
        "h1",
        "li",
        "ul",
        "ol",
        "br",
        "blockquote",
        "div",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "hr",
        "pre",
        "code",
    ];
    let is_block = |tag: &str| {
        let name = tag.trim_start_matches(['<', '/']);
        let end = name.find([' ', '>', '/']).unwrap_or(name.len());
        BLOCK.contains(&&name[..end])
    };
    let mut out = String::new();
    let mut pre = false;
    for (i, piece) in html.split_inclusive('>').enumerate() {
        let (text, tag) = piece.rsplit_once('<').map_or((piece, ""), |(t, g)| (t, g));
        let tag = format!("<{tag}");
        let mut text = text.to_string();
        if !pre {
            if is_block(&tag) {
                text = text.trim_end().to_string();
            }
            if i > 0 && out.ends_with('>') && is_block(&out[out.rfind('<').unwrap_or(0)..]) {
                text = text.trim_start().to_string();
            }
        }
        out.push_str(&text);
        if piece.contains('<') {
            out.push_str(&tag);
        }
        pre = (pre || tag.starts_with("<pre")) && !tag.starts_with("</pre");
    }
    out
}

#[test]
fn the_body_shows_what_pulldown_cmark_html_shows() {
    // Minified, the body and pulldown-cmark's own HTML differ at most in
    // whitespace next to block tags, which no browser shows.
    for md in [
        EVERY_BLOCK,
        "- loose\n\n- list\n\n  para\n",
        "a **b**\nc\n\n*d* e\n",
    ] {
        let t = LinkTargets {
            keys: &BTreeSet::new(),
            anchors: &Anchors::default(),
        };
        let body = render(md, Lang::Ja, "", Some(&t), "表", false).html;
        // A site that publishes raw HTML gets pulldown-cmark's HTML as it
        // is (the samples have none).
        let plain = crate::markdown::read(md, "", "表", true)
            .1
            .expect("not too deep")
            .html;
        // The minifier keeps a `</p>` it could leave out when whitespace
        // follows it: the squeezed HTML has no such whitespace, so `</p>`
        // (which every sample's next block implies) is left out of both.
        let minified =
            |html: &str| squeezed(&super::super::minify::fragment(html)).replace("</p>", "");
        assert_eq!(minified(&body), minified(&plain), "{md}");
    }
}

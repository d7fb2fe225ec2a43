//! `sitemap.xml` and `robots.txt`, made from the pages' keys as they are
//! written.

use crate::lang::Lang;
use crate::render::escape::xml;
use crate::render::{LazyFile, MakeFile, Output};
use std::hash::{Hash, Hasher};
use std::io::{self, Write};

/// The sitemap protocol's limit of URLs per file.
const SITEMAP_MAX_URLS: usize = 50_000;

/// `sitemap.xml` (a sitemap index over `sitemap-<n>.xml` past
/// [`SITEMAP_MAX_URLS`]) and `robots.txt`, made as they are written (a
/// national sitemap is ~18 MB) and only when the pages or base URL changed.
pub(super) fn extras<'o>(out: &'o Output) -> Vec<LazyFile<'o>> {
    let base = out.base_url.as_str();
    let lastmod = out.lastmod();
    let keys: Vec<(&str, Option<&str>)> = out
        .keys()
        .into_iter()
        .map(|k| (k, lastmod.get(k).copied()))
        .collect();
    let memo = {
        let mut h = crate::hash::hasher();
        (base, &keys).hash(&mut h);
        h.finish()
    };
    let robots = format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n");
    let mut files = sitemaps(base, keys, SITEMAP_MAX_URLS);
    files.push(LazyFile {
        path: "robots.txt".into(),
        memo,
        make: Box::new(move |w: &mut (dyn Write + Send)| w.write_all(robots.as_bytes())),
        parts: None,
    });
    for f in &mut files {
        f.memo = memo;
    }
    files
}

/// The sitemap of these pages, split into files of at most `max` URLs.
/// `keys` are the pages' keys, each with its `lastmod` (the latest date of
/// the sources it cites, if any).
fn sitemaps<'o>(
    base: &'o str,
    keys: Vec<(&'o str, Option<&'o str>)>,
    max: usize,
) -> Vec<LazyFile<'o>> {
    // URL i is page keys[i / 3] in variant i % 3; the last is the root.
    // Easy pages are listed without alternates (see `render::layout`: they
    // are no hreflang alternate of the ja/en pair).
    let n = Lang::VARIANTS.len();
    let count = keys.len() * n + 1;
    let keys = std::sync::Arc::new(keys);
    let urlset = move |range: std::ops::Range<usize>| -> Box<MakeFile<'o>> {
        let keys = std::sync::Arc::clone(&keys);
        Box::new(move |w: &mut (dyn Write + Send)| {
            let mut w = io::BufWriter::new(w);
            w.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n")?;
            // A URL is the base, a language and a key (`page_href`), each
            // escaped on its own: escaping is character by character, and
            // 90,000 URLs were each made and escaped as new strings.
            let base = xml(base);
            for i in range.clone() {
                let Some(&(key, lastmod)) = keys.get(i / n) else {
                    writeln!(w, "<url><loc>{base}</loc></url>")?;
                    continue;
                };
                let key = xml(key);
                let url = |w: &mut io::BufWriter<_>, l: Lang| -> io::Result<()> {
                    for part in [&base, l.url_segment(), "/"] {
                        w.write_all(part.as_bytes())?;
                    }
                    if !key.is_empty() {
                        w.write_all(key.as_bytes())?;
                        w.write_all(b"/")?;
                    }
                    Ok(())
                };
                let lang = Lang::VARIANTS[i % n];
                w.write_all(b"<url><loc>")?;
                url(&mut w, lang)?;
                w.write_all(b"</loc>")?;
                if let Some(date) = lastmod {
                    write!(w, "<lastmod>{}</lastmod>", xml(date))?;
                }
                if lang == Lang::Easy {
                    w.write_all(b"</url>\n")?;
                    continue;
                }
                for alt in Lang::ALL.into_iter().map(Some).chain([None]) {
                    let hreflang = alt.map_or("x-default", Lang::url_segment);
                    write!(
                        w,
                        "<xhtml:link rel=\"alternate\" hreflang=\"{hreflang}\" href=\""
                    )?;
                    match alt {
                        Some(alt) => url(&mut w, alt)?,
                        None if key.is_empty() => w.write_all(base.as_bytes())?,
                        None => url(&mut w, Lang::Ja)?,
                    }
                    w.write_all(b"\"/>")?;
                }
                w.write_all(b"</url>\n")?;
            }
            w.write_all(b"</urlset>\n")?;
            w.flush()
        })
    };
    let lazy = |path: String, make: Box<MakeFile<'o>>| LazyFile {
        path,
        memo: 0,
        make,
        parts: None,
    };
    if count <= max {
        return vec![lazy("sitemap.xml".into(), urlset(0..count))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, start) in (0..count).step_by(max).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        index.push_str(&format!(
            "<sitemap><loc>{}</loc></sitemap>\n",
            xml(&format!("{base}{name}"))
        ));
        files.push(lazy(name, urlset(start..count.min(start + max))));
    }
    index.push_str("</sitemapindex>\n");
    files.push(lazy(
        "sitemap.xml".into(),
        Box::new(move |w: &mut (dyn Write + Send)| w.write_all(index.as_bytes())),
    ));
    files
}

#[cfg(test)]
mod tests {
    fn made(f: &crate::render::LazyFile) -> String {
        let mut out = Vec::new();
        (f.make)(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_large_sitemap_is_split_under_an_index() {
        let files = super::sitemaps(
            "https://x.example/",
            vec![("", None), ("areas", Some("2024-03")), ("hubs", None)],
            3,
        );
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "sitemap-4.xml",
                "sitemap.xml"
            ]
        );
        let index = made(&files[4]);
        for n in 1..=4 {
            assert!(
                index.contains(&format!("<loc>https://x.example/sitemap-{n}.xml</loc>")),
                "{index}"
            );
        }
        let all: String = files[..4].iter().map(made).collect();
        // 3 pages x 3 variants + the root, each listed once.
        assert_eq!(all.matches("<url>").count(), 10, "{all}");
        for url in [
            "ja/",
            "en/",
            "easy/",
            "ja/areas/",
            "en/areas/",
            "easy/areas/",
            "ja/hubs/",
            "en/hubs/",
            "easy/hubs/",
        ] {
            assert_eq!(
                all.matches(&format!("<loc>https://x.example/{url}</loc>"))
                    .count(),
                1,
                "{url}"
            );
        }
        assert!(
            all.contains("<url><loc>https://x.example/</loc></url>"),
            "{all}"
        );
        // Easy pages are no hreflang alternate of the ja/en pair.
        assert!(
            all.contains("<url><loc>https://x.example/easy/hubs/</loc></url>"),
            "{all}"
        );
        assert!(
            all.contains(
                "<url><loc>https://x.example/easy/areas/</loc><lastmod>2024-03</lastmod></url>"
            ),
            "{all}"
        );
        assert!(!all.contains("href=\"https://x.example/easy/"), "{all}");
        for f in &files[..4] {
            assert!(made(f).ends_with("</urlset>\n"));
        }
        assert!(
            all.contains("<url><loc>https://x.example/ja/areas/</loc><lastmod>2024-03</lastmod>"),
            "{all}"
        );
        // ja, en and easy areas/.
        assert_eq!(all.matches("<lastmod>").count(), 3, "{all}");
        // The ja and en pages name each other, and the Japanese page (the
        // site's root for the home page) as the default.
        let en_areas = "<url><loc>https://x.example/en/areas/</loc></url>";
        assert!(!all.contains(en_areas), "alternates missing: {all}");
        let alternates = "<xhtml:link rel=\"alternate\" hreflang=\"ja\" href=\"https://x.example/ja/areas/\"/>\
            <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://x.example/en/areas/\"/>\
            <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"https://x.example/ja/areas/\"/></url>\n";
        assert_eq!(all.matches(alternates).count(), 2, "{all}");
        assert!(
            all.contains("hreflang=\"x-default\" href=\"https://x.example/\"/></url>"),
            "{all}"
        );
    }

    /// A file in parts whose part `i` is `texts[i]`, or which fails for

    #[test]
    fn a_small_sitemap_is_one_file() {
        let files = super::sitemaps(
            "https://x.example/",
            vec![("", None), ("areas", None)],
            50_000,
        );
        assert_eq!(files.len(), 1);
        // 2 pages x 3 variants + the root.
        assert_eq!(made(&files[0]).matches("<url>").count(), 7);
    }
}

//! Write: minify, add `sitemap.xml` and `robots.txt`, and replace the output
//! directory in one step.
//!
//! The new site is written into a temporary directory beside the output and
//! swapped in only when every file is written, so a failed build (or a crash
//! half-way) leaves the previous site exactly as it was.

use crate::lang::Lang;
use crate::render::{Output, page_path};
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// What a build wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
}

/// Minifies HTML; keeps it valid HTML (quoted attributes, closing tags).
pub fn minify_html(html: &str) -> Vec<u8> {
    let cfg = minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        minify_css: true,
        minify_js: true,
        ..minify_html::Cfg::default()
    };
    minify_html::minify(html.as_bytes(), &cfg)
}

/// Minifies a stylesheet or script by passing it through the HTML minifier
/// inside its element, which runs the same CSS/JS minifiers as inline code.
fn minify_asset(bytes: &[u8], tag: &str) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return bytes.to_vec();
    };
    let wrapped = format!("<{tag}>{text}</{tag}>");
    let out = minify_html(&wrapped);
    let out = String::from_utf8_lossy(&out);
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    match (out.find(&open), out.rfind(&close)) {
        (Some(s), Some(e)) if e >= s + open.len() => out[s + open.len()..e].as_bytes().to_vec(),
        _ => bytes.to_vec(),
    }
}

/// `sitemap.xml`: every page with its language alternates.
fn sitemap(out: &Output) -> String {
    let base = &out.base_url;
    let mut keys: BTreeMap<&str, ()> = BTreeMap::new();
    for p in &out.pages {
        if p.lang.is_some() {
            keys.insert(&p.key, ());
        }
    }
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    let esc = |s: String| s.replace('&', "&amp;").replace('<', "&lt;");
    for key in keys.keys() {
        for lang in Lang::ALL {
            xml.push_str(&format!(
                "<url><loc>{}</loc>",
                esc(format!("{base}{}", page_path(lang, key)))
            ));
            for alt in Lang::ALL {
                xml.push_str(&format!(
                    "<xhtml:link rel=\"alternate\" hreflang=\"{alt}\" href=\"{}\"/>",
                    esc(format!("{base}{}", page_path(alt, key)))
                ));
            }
            let x_default = if key.is_empty() {
                base.clone()
            } else {
                format!("{base}{}", page_path(Lang::Ja, key))
            };
            xml.push_str(&format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/></url>\n",
                esc(x_default)
            ));
        }
    }
    xml.push_str(&format!(
        "<url><loc>{}</loc></url>\n</urlset>\n",
        esc(base.clone())
    ));
    xml
}

/// Every output file as (path, bytes), minified, in a stable order.
pub fn files(out: &Output) -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<(String, Vec<u8>)> = Vec::with_capacity(out.pages.len() + out.files.len() + 2);
    for p in &out.pages {
        all.push((p.path.clone(), minify_html(&p.html)));
    }
    for f in &out.files {
        let bytes = if f.path.ends_with(".css") {
            minify_asset(&f.bytes, "style")
        } else if f.path.ends_with(".js") {
            minify_asset(&f.bytes, "script")
        } else {
            f.bytes.clone()
        };
        all.push((f.path.clone(), bytes));
    }
    all.push(("sitemap.xml".into(), sitemap(out).into_bytes()));
    all.push((
        "robots.txt".into(),
        format!(
            "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
            out.base_url
        )
        .into_bytes(),
    ));
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

/// Writes the site into `dest`, replacing what was there only on success.
pub fn write(out: &Output, dest: &Path) -> io::Result<Written> {
    let files = files(out);
    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| with_path(e, parent))?;
    let name = dest
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    let tmp = parent.join(format!("{name}.tmp-{}", std::process::id()));
    if tmp.exists() {
        fs::remove_dir_all(&tmp).map_err(|e| with_path(e, &tmp))?;
    }
    let result = write_all(&files, &tmp);
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    swap(&tmp, dest)?;
    Ok(Written {
        pages: out.pages.len(),
        files: files.len(),
        bytes: files.iter().map(|(_, b)| b.len() as u64).sum(),
    })
}

fn write_all(files: &[(String, Vec<u8>)], dir: &Path) -> io::Result<()> {
    for (path, bytes) in files {
        let full = dir.join(path);
        if let Some(p) = full.parent() {
            fs::create_dir_all(p).map_err(|e| with_path(e, p))?;
        }
        fs::write(&full, bytes).map_err(|e| with_path(e, &full))?;
    }
    Ok(())
}

/// Moves `tmp` into place at `dest`: the old tree is renamed aside first
/// and removed only once the new one is in place.
fn swap(tmp: &Path, dest: &Path) -> io::Result<()> {
    if !dest.exists() {
        return fs::rename(tmp, dest).map_err(|e| with_path(e, dest));
    }
    let old: PathBuf = dest.with_file_name(format!(
        "{}.old-{}",
        dest.file_name()
            .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned()),
        std::process::id()
    ));
    fs::rename(dest, &old).map_err(|e| with_path(e, dest))?;
    if let Err(e) = fs::rename(tmp, dest) {
        let _ = fs::rename(&old, dest);
        return Err(with_path(e, dest));
    }
    fs::remove_dir_all(&old).map_err(|e| with_path(e, &old))
}

fn with_path(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

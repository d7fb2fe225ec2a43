//! Page bodies between loading and writing. A page's body is made from the
//! parse that reads its outline, when the page is loaded ([`super::read`]),
//! and waits in a scratch file until the page is written: kept in memory,
//! 20,000 pages' HTML would be ~50 MB; made again from the page's text, the
//! second parse was ~12 % of a Markdown site's build. The file is
//! temporary and unnamed: it goes with the build.

use super::Body;
use std::fmt;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{self, BufWriter, Write};
use std::sync::{Mutex, OnceLock};

/// Where a page's body lies in the scratch file.
#[derive(Debug, Clone, Copy)]
pub struct BodyRef {
    offset: u64,
    /// Bytes of HTML, then of the table of contents.
    html: usize,
    toc: usize,
}

/// Not part of what a page is: where this build put its body (pages load
/// in parallel, so it moves from build to build). Hashed, it would change
/// every memo that reads the page.
impl Hash for BodyRef {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}

/// The scratch file: appended to while pages load, read while they are
/// written.
pub struct Bodies {
    writer: Mutex<Writer>,
    /// The file, once every body is in it (the writer flushed).
    reader: OnceLock<Option<File>>,
}

struct Writer {
    out: BufWriter<File>,
    at: u64,
    /// A write failed: later bodies are not kept (they are made again).
    failed: bool,
}

impl fmt::Debug for Bodies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Bodies")
    }
}

/// A body as read back: its HTML and its table of contents (ids and
/// texts, see [`Body::toc`]).
pub struct StoredBody {
    pub html: String,
    pub toc: Vec<(String, String)>,
}

impl Bodies {
    /// A new scratch file in the system's temporary directory, or `None`
    /// where there is none (bodies are then made again when written).
    pub fn new() -> Option<Bodies> {
        if cfg!(not(unix)) {
            return None;
        }
        let file = tempfile::tempfile().ok()?;
        Some(Bodies {
            writer: Mutex::new(Writer {
                out: BufWriter::with_capacity(1 << 16, file),
                at: 0,
                failed: false,
            }),
            reader: OnceLock::new(),
        })
    }

    /// Keeps `body`; `None` if it could not be written.
    pub fn put(&self, body: &Body) -> Option<BodyRef> {
        let mut toc = Vec::new();
        for h in body.toc() {
            for s in [&h.id, &h.text] {
                toc.extend_from_slice(&(s.len() as u64).to_le_bytes());
                toc.extend_from_slice(s.as_bytes());
            }
        }
        let mut w = self.writer.lock().ok()?;
        if w.failed || self.reader.get().is_some() {
            return None;
        }
        let written = w
            .out
            .write_all(body.html.as_bytes())
            .and_then(|()| w.out.write_all(&toc));
        if written.is_err() {
            w.failed = true;
            return None;
        }
        let at = w.at;
        w.at += (body.html.len() + toc.len()) as u64;
        Some(BodyRef {
            offset: at,
            html: body.html.len(),
            toc: toc.len(),
        })
    }

    /// The body kept at `r`. The first call ends the writing.
    pub fn get(&self, r: BodyRef) -> io::Result<StoredBody> {
        let file = self.reader.get_or_init(|| {
            let mut w = self.writer.lock().ok()?;
            w.out.flush().ok()?;
            w.out.get_ref().try_clone().ok()
        });
        let file = file
            .as_ref()
            .ok_or_else(|| io::Error::other("the scratch file of page bodies could not be read"))?;
        let mut buf = vec![0; r.html + r.toc];
        read_at(file, &mut buf, r.offset)?;
        let (html, mut rest) = buf.split_at(r.html);
        let html = utf8(html)?;
        let mut toc = Vec::new();
        while !rest.is_empty() {
            toc.push((field(&mut rest)?, field(&mut rest)?));
        }
        Ok(StoredBody { html, toc })
    }
}

/// A table-of-contents field: its length (8 bytes) and its text.
fn field(bytes: &mut &[u8]) -> io::Result<String> {
    let short = || io::Error::new(io::ErrorKind::InvalidData, "a page body is cut short");
    let (len, rest) = bytes.split_first_chunk::<8>().ok_or_else(short)?;
    let len = usize::try_from(u64::from_le_bytes(*len)).unwrap_or(usize::MAX);
    if rest.len() < len {
        return Err(short());
    }
    let (text, rest) = rest.split_at(len);
    *bytes = rest;
    utf8(text)
}

fn utf8(bytes: &[u8]) -> io::Result<String> {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(_) => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "a page body is not UTF-8",
        )),
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(not(unix))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> io::Result<()> {
    Err(io::Error::other("no scratch file here"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(md: &str) -> Body {
        super::super::read(md, "../", "表", false)
            .1
            .expect("renders")
    }

    #[test]
    fn a_body_is_read_back_as_it_was_made_with_its_table_of_contents() {
        let bodies = Bodies::new().expect("a scratch file");
        let a = body(
            "## 相談\n\n本文 [拠点](@/hubs)\n\n### 小見出し\n\n## Two\n\n| a |\n|---|\n| 1 |\n",
        );
        let b = body("# 見出し一つ\n\n本文");
        let (at_a, at_b) = (bodies.put(&a).expect("kept"), bodies.put(&b).expect("kept"));
        let got = bodies.get(at_b).expect("read back");
        assert_eq!(got.html, b.html);
        assert!(got.toc.is_empty());
        let got = bodies.get(at_a).expect("read back");
        assert_eq!(got.html, a.html);
        assert!(got.html.contains("href=\"../hubs/\""), "{}", got.html);
        let toc = [("相談", "相談"), ("two", "Two")].map(|(i, t)| (i.to_string(), t.to_string()));
        assert_eq!(got.toc, toc);
        // Reading ends the writing: a body put later is made again instead.
        assert!(bodies.put(&a).is_none());
    }
}

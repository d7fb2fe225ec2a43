//! Lazy files streamed to disk as they are made, counted and hashed on
//! the way; a file in parts takes its unchanged parts from the previous
//! build's file.

use super::manifest::Part;
use super::place::with_path;
use crate::render::LazyFile;
use std::fs;
use std::hash::{Hash, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Passes bytes on to a file, counting (and hashing, if asked) them on the
/// way, so a file made as it is written still gets its manifest entry.
struct Counting<W> {
    inner: W,
    hasher: Option<crate::hash::Hasher>,
    len: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        if let Some(h) = &mut self.hasher {
            h.write(&buf[..n]);
        }
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes a lazy file to `path` as it is made; returns its hash, length and
/// parts. A file in parts takes each part whose memo `old` (the previous
/// build's file and its parts) records from that file instead of making it.
///
/// A file in parts is not hashed byte by byte: its parts' memos, salted
/// with `program` (a hash of this program's identity: a new version may
/// encode a part differently), stand for its bytes. Its unchanged parts
/// are then copied by the kernel, never read into this process.
pub(super) fn stream(
    path: &Path,
    f: &LazyFile,
    old: Option<(PathBuf, &[Part])>,
    program: u64,
) -> io::Result<(u64, u64, Vec<Part>)> {
    if let Some(p) = path.parent() {
        fs::create_dir_all(p).map_err(|e| with_path(e, p))?;
    }
    let file = fs::File::create(path).map_err(|e| with_path(e, path))?;
    let Some(parts) = &f.parts else {
        let mut w = Counting {
            inner: io::BufWriter::new(file),
            hasher: Some(crate::hash::hasher()),
            len: 0,
        };
        (f.make)(&mut w)
            .and_then(|()| w.flush())
            .map_err(|e| with_path(e, path))?;
        return Ok((w.hasher.map_or(0, |h| h.finish()), w.len, Vec::new()));
    };
    let mut w = io::BufWriter::new(file);
    // Where each part of the previous file lies in it (offset, length), by
    // memo; used only if the file still has the length recorded.
    let mut previous = None;
    if let Some((old_path, old_parts)) = old
        && let Ok(file) = fs::File::open(&old_path)
        && file
            .metadata()
            .is_ok_and(|m| m.len() == old_parts.iter().map(|p| p.len).sum::<u64>())
    {
        let mut at = std::collections::HashMap::new();
        let mut offset = 0;
        for p in old_parts {
            at.entry(p.memo).or_insert((offset, p.len));
            offset += p.len;
        }
        previous = Some((file, at));
    }
    let mut made = Vec::with_capacity(parts.memos.len());
    for (i, &memo) in parts.memos.iter().enumerate() {
        let memo = {
            let mut h = crate::hash::hasher();
            (memo, program).hash(&mut h);
            h.finish()
        };
        let len = match previous
            .as_mut()
            .and_then(|(file, at)| Some((file, *at.get(&memo)?)))
        {
            Some((file, (offset, len))) => {
                // File to file: `io::copy` lets the kernel copy it.
                let copied = io::Seek::seek(file, io::SeekFrom::Start(offset))
                    .and_then(|_| io::copy(&mut io::Read::take(&*file, len), &mut w))
                    .map_err(|e| with_path(e, path))?;
                if copied != len {
                    return Err(with_path(
                        io::Error::new(io::ErrorKind::UnexpectedEof, "shorter than recorded"),
                        path,
                    ));
                }
                len
            }
            None => {
                let mut counting = Counting {
                    inner: &mut w,
                    hasher: None,
                    len: 0,
                };
                (parts.make)(i, &mut counting).map_err(|e| with_path(e, path))?;
                counting.len
            }
        };
        made.push(Part { memo, len });
    }
    w.flush().map_err(|e| with_path(e, path))?;
    let mut h = crate::hash::hasher();
    made.hash(&mut h);
    Ok((h.finish(), made.iter().map(|p| p.len).sum(), made))
}

#[cfg(test)]
mod tests {
    /// the parts not in `makes` (they must come from the previous file).
    fn parted(
        memos: Vec<u64>,
        texts: &'static [&'static str],
        makes: &'static [usize],
    ) -> crate::render::LazyFile<'static> {
        crate::render::LazyFile {
            path: "data.csv".into(),
            memo: 0,
            make: Box::new(|_| unreachable!("written in parts")),
            parts: Some(crate::render::Parts {
                memos,
                make: Box::new(move |i, w| {
                    assert!(makes.contains(&i), "part {i} was made, not copied");
                    w.write_all(texts[i].as_bytes())
                }),
            }),
        }
    }

    #[test]
    fn unchanged_parts_are_copied_from_the_previous_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (old, new) = (dir.path().join("old.csv"), dir.path().join("new.csv"));
        let first = parted(vec![1, 2, 3], &["head\n", "row 1\n", "tail\n"], &[0, 1, 2]);
        let (_, _, parts) = super::stream(&old, &first, None, 7).expect("write");
        assert_eq!(
            std::fs::read_to_string(&old).unwrap(),
            "head\nrow 1\ntail\n"
        );

        // Part 1 changed (memo 5): only it is made; the others are copied.
        let second = parted(vec![1, 5, 3], &["", "row 1 changed\n", ""], &[1]);
        let (hash, len, _) =
            super::stream(&new, &second, Some((old.clone(), &parts)), 7).expect("write");
        let text = std::fs::read_to_string(&new).unwrap();
        assert_eq!(text, "head\nrow 1 changed\ntail\n");
        assert_eq!(len, text.len() as u64);
        // The parts' memos stand for the bytes: equal for the same parts.
        let again = parted(
            vec![1, 5, 3],
            &["head\n", "row 1 changed\n", "tail\n"],
            &[0, 1, 2],
        );
        let (same, _, _) = super::stream(&new, &again, None, 7).expect("write");
        assert_eq!(same, hash);
        let (first_hash, _, _) = super::stream(&new, &first, None, 7).expect("write");
        assert_ne!(first_hash, hash);

        // Another program may encode a part differently: nothing is copied.
        let other = parted(vec![1, 2, 3], &["h\n", "r\n", "t\n"], &[0, 1, 2]);
        let (other_hash, _, _) =
            super::stream(&new, &other, Some((old.clone(), &parts)), 8).expect("write");
        assert_eq!(std::fs::read_to_string(&new).unwrap(), "h\nr\nt\n");
        assert_ne!(other_hash, first_hash);

        // A previous file that is not the length recorded is not used.
        std::fs::write(&old, "edited by hand").unwrap();
        let third = parted(vec![1, 2, 3], &["h\n", "r\n", "t\n"], &[0, 1, 2]);
        super::stream(&new, &third, Some((old, &parts)), 7).expect("write");
        assert_eq!(std::fs::read_to_string(&new).unwrap(), "h\nr\nt\n");
    }
}

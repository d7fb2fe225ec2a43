//! The manifest kept beside the output directory: the inputs' fingerprint
//! and what was written of every file, so the next build can skip what is
//! unchanged.

use super::place::with_path;
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A part of a file written in parts (see [`crate::render::Parts`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Part {
    pub(super) memo: u64,
    pub(super) len: u64,
}

/// What the manifest records of a file.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct Entry {
    /// Hash of the bytes written.
    pub(super) out: u64,
    /// For a page, the hash of its [`crate::render::PageInput`]; 0 otherwise.
    pub(super) input: u64,
    pub(super) len: u64,
    /// For a file written in parts, each part's memo and length, in order.
    pub(super) parts: Vec<Part>,
}

/// The inputs' fingerprint a build records, and the time it was taken as
/// of (see [`crate::load::Look::Metadata`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inputs {
    pub hash: u64,
    pub asof: SystemTime,
}

/// What the previous build left: the input fingerprint and each file's hash.
pub struct Manifest {
    pub(super) inputs: Inputs,
    pub(super) files: BTreeMap<String, Entry>,
}

const MANIFEST_HEADER: &str = "tsunagu-manifest 4";

/// What stands in the manifest's place while a build changes the output:
/// it reads as no manifest (the next build starts from scratch if this one
/// is cut short), yet shows the directory was made by tsunagu.
const PLACEHOLDER: &str = "tsunagu-manifest: a build was changing this output\n";

/// `.<name>.tsunagu-manifest` beside the output directory: outside it, so
/// it is never published.
pub fn manifest_path(dest: &Path) -> PathBuf {
    dest.with_file_name(format!(".{}.tsunagu-manifest", dir_name(dest)))
}

/// `.<name>.tsunagu-cache` beside the output directory: the parse cache
/// (see [`crate::load::ParseCache`]), outside the output so it is never
/// published.
pub fn cache_path(dest: &Path) -> PathBuf {
    dest.with_file_name(format!(".{}.tsunagu-cache", dir_name(dest)))
}

/// The output directory's own name (`site`), for the files kept beside it.
pub(super) fn dir_name(dest: &Path) -> String {
    dest.file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned())
}

impl Manifest {
    /// Whether this build made `path` from `input` (a lazy file's
    /// [`crate::render::LazyFile::input`]): the next need not make it again.
    pub fn records(&self, path: &str, input: u64) -> bool {
        self.recorded(path, input).is_some()
    }

    /// The entry for `path`, if made from `input`.
    pub(super) fn recorded(&self, path: &str, input: u64) -> Option<&Entry> {
        self.files.get(path).filter(|e| e.input == input)
    }

    /// The input fingerprint recorded by the complete build in `dest`, if
    /// any: the manifest's first two lines (a national site's manifest has
    /// ~47,000 more).
    pub fn inputs(dest: &Path) -> Option<Inputs> {
        if !dest.is_dir() {
            return None;
        }
        let file = fs::File::open(manifest_path(dest)).ok()?;
        let mut lines = io::BufRead::lines(io::BufReader::new(file));
        Self::header(lines.next()?.ok()?.as_str(), lines.next()?.ok()?.as_str())
    }

    /// `inputs <hash> <seconds>.<nanoseconds>` after the header line.
    fn header(first: &str, second: &str) -> Option<Inputs> {
        if first != MANIFEST_HEADER {
            return None;
        }
        let (hash, asof) = second.strip_prefix("inputs ")?.split_once(' ')?;
        let (secs, nanos) = asof.split_once('.')?;
        // Below a second, so a damaged manifest cannot make `Duration::new`
        // overflow: it reads as no manifest instead.
        let nanos = nanos.parse::<u32>().ok().filter(|&n| n < 1_000_000_000)?;
        let since_epoch = Duration::new(secs.parse().ok()?, nanos);
        Some(Inputs {
            hash: u64::from_str_radix(hash, 16).ok()?,
            asof: SystemTime::UNIX_EPOCH.checked_add(since_epoch)?,
        })
    }

    /// The manifest of the build in `dest`, if both are there and readable.
    pub fn read(dest: &Path) -> Option<Manifest> {
        if !dest.is_dir() {
            return None;
        }
        let text = fs::read_to_string(manifest_path(dest)).ok()?;
        let mut lines = text.lines();
        let inputs = Self::header(lines.next()?, lines.next()?)?;
        let mut files = BTreeMap::new();
        let mut last: Option<String> = None;
        for line in lines {
            // `+ <memo> <len>`: a part of the file on the line before.
            if let Some(part) = line.strip_prefix("+ ") {
                let (memo, len) = part.split_once(' ')?;
                let entry: &mut Entry = files.get_mut(last.as_ref()?)?;
                entry.parts.push(Part {
                    memo: u64::from_str_radix(memo, 16).ok()?,
                    len: u64::from_str_radix(len, 16).ok()?,
                });
                continue;
            }
            let mut parts = line.splitn(4, ' ');
            let mut hex = || u64::from_str_radix(parts.next()?, 16).ok();
            let (out, input, len) = (hex()?, hex()?, hex()?);
            let path = parts.next()?.to_string();
            // A manifest naming a path outside the output is not ours: a
            // build would remove that path.
            super::place::relative(&path).ok()?;
            last = Some(path.clone());
            files.insert(
                path,
                Entry {
                    out,
                    input,
                    len,
                    parts: Vec::new(),
                },
            );
        }
        Some(Manifest { inputs, files })
    }

    /// Puts [`PLACEHOLDER`] in the manifest's place (see there).
    pub(super) fn write_placeholder(dest: &Path) -> io::Result<()> {
        replace(&manifest_path(dest), PLACEHOLDER.as_bytes())
    }

    pub(super) fn write(&self, dest: &Path) -> io::Result<()> {
        // A clock before 1970 is recorded as 1970: every file is then
        // recent and compared by its bytes.
        let asof = (self.inputs.asof)
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default();
        // Written as it is made: a 30,000-file site's manifest held as one
        // string was 2.4 MB of the build's heap peak.
        replace_with(&manifest_path(dest), |w| {
            writeln!(
                w,
                "{MANIFEST_HEADER}\ninputs {:016x} {}.{:09}",
                self.inputs.hash,
                asof.as_secs(),
                asof.subsec_nanos()
            )?;
            for (path, e) in &self.files {
                writeln!(w, "{:016x} {:016x} {:x} {path}", e.out, e.input, e.len)?;
                for p in &e.parts {
                    writeln!(w, "+ {:016x} {:x}", p.memo, p.len)?;
                }
            }
            Ok(())
        })
    }
}

/// Replaces the file at `path` with `bytes` in one step (written beside it,
/// then renamed over it); on failure `path` is as it was.
fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace_with(path, |w| w.write_all(bytes))
}

/// [`replace`] with the bytes written by `write`.
fn replace_with(
    path: &Path,
    write: impl FnOnce(&mut io::BufWriter<fs::File>) -> io::Result<()>,
) -> io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let written = fs::File::create(&tmp)
        .and_then(|file| {
            let mut w = io::BufWriter::new(file);
            write(&mut w)?;
            w.into_inner().map_err(io::IntoInnerError::into_error)?;
            Ok(())
        })
        .map_err(|e| with_path(e, &tmp))
        .and_then(|()| fs::rename(&tmp, path).map_err(|e| with_path(e, path)));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fingerprint's time comes back to the nanosecond: the next build
    /// looks at the files as of exactly that time.
    #[test]
    fn the_recorded_inputs_come_back_as_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dest = dir.path().join("site");
        fs::create_dir(&dest).expect("site");
        let inputs = Inputs {
            hash: 0xfeed_0000_0000_0001,
            asof: SystemTime::UNIX_EPOCH + Duration::new(1_796_000_000, 7),
        };
        let manifest = Manifest {
            inputs,
            files: BTreeMap::new(),
        };
        manifest.write(&dest).expect("write");
        assert_eq!(Manifest::inputs(&dest), Some(inputs));
        assert_eq!(Manifest::read(&dest).map(|m| m.inputs), Some(inputs));
    }

    /// A damaged time reads as no manifest (a full build), never a panic.
    #[test]
    fn a_damaged_time_reads_as_no_manifest() {
        for line in [
            "inputs 0000000000000001 18446744073709551615.4000000000",
            "inputs 0000000000000001 18446744073709551615.999999999",
            "inputs 0000000000000001 12.x",
            "inputs 0000000000000001",
        ] {
            assert_eq!(Manifest::header(MANIFEST_HEADER, line), None, "{line}");
        }
    }
}

//! Putting a build's files into place: a cold build's whole tree swapped
//! in, an incremental build's changed files moved in and stale ones removed.

use super::manifest::{Manifest, dir_name};
use std::fs;
use std::io;
use std::path::{Component, Path};

/// `path` (an output path, `/`-separated, relative to the output) as a
/// relative path that stays inside whatever directory it is joined to:
/// not empty, not absolute, no `..` (nor `.`, nor a drive prefix).
pub(super) fn relative(path: &str) -> io::Result<&Path> {
    let p = Path::new(path);
    let inside = !path.is_empty()
        && !path.contains('\0')
        && p.components().all(|c| matches!(c, Component::Normal(_)));
    if inside {
        Ok(p)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "refusing to write `{path}`: an output path must be relative and stay inside the output directory"
            ),
        ))
    }
}

/// Moves the files of `manifest` that changed since `previous` from `tmp`
/// into `dest`, and removes from `dest` the files `manifest` no longer
/// lists; returns how many were removed.
pub(super) fn update(
    tmp: &Path,
    dest: &Path,
    previous: &Manifest,
    manifest: &Manifest,
) -> io::Result<usize> {
    for (path, _) in manifest
        .files
        .iter()
        .filter(|(p, e)| previous.files.get(*p).map(|x| x.out) != Some(e.out))
    {
        let to = dest.join(path);
        if let Some(dir) = to.parent() {
            fs::create_dir_all(dir).map_err(|e| with_path(e, dir))?;
        }
        fs::rename(tmp.join(path), &to).map_err(|e| with_path(e, &to))?;
    }
    let mut removed = 0;
    for path in previous
        .files
        .keys()
        .filter(|p| !manifest.files.contains_key(*p))
    {
        let gone = dest.join(path);
        if gone.exists() {
            fs::remove_file(&gone).map_err(|e| with_path(e, &gone))?;
            removed += 1;
            remove_empty_parents(dest, &gone);
        }
    }
    let _ = fs::remove_dir_all(tmp);
    Ok(removed)
}

pub(super) fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(p) = path.parent() {
        fs::create_dir_all(p).map_err(|e| with_path(e, p))?;
    }
    fs::write(path, bytes).map_err(|e| with_path(e, path))
}

/// Removes directories left empty by a removed file, up to `dest`.
pub(super) fn remove_empty_parents(dest: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir.filter(|d| *d != dest && d.starts_with(dest)) {
        if fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Moves `tmp` into place at `dest`: the old tree is renamed aside first
/// and removed only once the new one is in place.
pub(super) fn swap(tmp: &Path, dest: &Path) -> io::Result<()> {
    if !dest.exists() {
        return fs::rename(tmp, dest).map_err(|e| with_path(e, dest));
    }
    let old = dest.with_file_name(format!("{}.old-{}", dir_name(dest), std::process::id()));
    fs::rename(dest, &old).map_err(|e| with_path(e, dest))?;
    if let Err(e) = fs::rename(tmp, dest) {
        let _ = fs::rename(&old, dest);
        return Err(with_path(e, dest));
    }
    fs::remove_dir_all(&old).map_err(|e| with_path(e, &old))
}

pub(super) fn with_path(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_refuses_paths_that_leave_the_directory() {
        for ok in ["index.html", "ja/areas/141097/index.html", "a/./b"] {
            assert!(relative(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            ".",
            "./a",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a/..",
            "a\0b",
        ] {
            let e = relative(bad).expect_err(bad);
            assert!(e.to_string().contains(&format!("`{bad}`")), "{e}");
        }
    }
}

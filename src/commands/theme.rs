//! `tsunagu theme eject [FILE…]`: copies files of the default theme (all of
//! them, or the named ones) into the project's `templates/`, where they
//! replace the defaults and can be edited.

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::theme::{DEFAULT_THEME, THEME_DIR};
use std::fmt;
use std::path::{Path, PathBuf};

/// What `eject` did, file by file (paths relative to the project root).
#[derive(Debug, Default)]
pub struct Ejected {
    pub written: Vec<PathBuf>,
    /// Files already in the project with exactly the default's bytes.
    pub unchanged: Vec<PathBuf>,
}

/// Copies the default theme's files named in `names` (paths below
/// `templates/`, with or without the `templates/` prefix; a directory such
/// as `partials` names every file below it; none names every file) into
/// `root/templates/`. A project file that differs from the default is
/// replaced only with `force`. Every name is checked first: on any error
/// nothing is written.
pub fn eject(root: &Path, names: &[String], force: bool) -> Result<Ejected, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut chosen: Vec<(&str, &[u8])> = Vec::new();
    for name in names {
        let name = name.trim_start_matches("./");
        let name = name.strip_prefix("templates/").unwrap_or(name);
        let dir = format!("{}/", name.trim_end_matches('/'));
        let matching: Vec<_> = DEFAULT_THEME
            .iter()
            .filter(|(n, _)| *n == name || n.starts_with(&dir))
            .copied()
            .collect();
        if matching.is_empty() {
            diags.push(
                Diagnostic::file(
                    Path::new(THEME_DIR).join(name),
                    "the default theme has no such file",
                )
                .hint(format!("files of the default theme: {}", all_names())),
            );
        }
        chosen.extend(matching);
    }
    if names.is_empty() {
        chosen = DEFAULT_THEME.to_vec();
    }
    chosen.sort_unstable();
    chosen.dedup();
    let mut ejected = Ejected::default();
    let mut to_write = Vec::new();
    for (name, bytes) in chosen {
        let rel = Path::new(THEME_DIR).join(name);
        match std::fs::read(root.join(&rel)) {
            Ok(existing) if existing == bytes => ejected.unchanged.push(rel),
            Ok(_) if !force => diags.push(
                Diagnostic::file(&rel, "the project already has this file, changed")
                    .hint("keep it, or give --force to replace it with the default theme's"),
            ),
            _ => to_write.push((rel, bytes)),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    for (rel, bytes) in to_write {
        let path = root.join(&rel);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, bytes));
        match written {
            Ok(()) => ejected.written.push(rel),
            Err(e) => diags.push(Diagnostic::file(&rel, format!("cannot write: {e}"))),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(ejected)
}

/// The default theme's file names, for a hint.
fn all_names() -> String {
    let names: Vec<&str> = DEFAULT_THEME.iter().map(|(n, _)| *n).collect();
    names.join(", ")
}

impl fmt::Display for Ejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.written {
            writeln!(f, "wrote {}", p.display())?;
        }
        for p in &self.unchanged {
            writeln!(f, "unchanged {} (already the default)", p.display())?;
        }
        write!(
            f,
            "{} file{} written, {} already the default; a file in templates/ replaces the default theme's file of the same path",
            self.written.len(),
            if self.written.len() == 1 { "" } else { "s" },
            self.unchanged.len()
        )
    }
}

//! `tsunagu init DIR --area NAME_OR_CODE`: a new project for one
//! prefecture or municipality, as `zola init` and `mdbook init` start
//! theirs. It needs no `templates/` (the default theme is in the binary).
//!
//! Nothing is invented: the areas come from the national area table
//! ([`crate::model::japan`]) with its sources, the one explanatory page
//! quotes the national document, and every hub, contact and council status
//! starts unknown, which the pages and `tsunagu check` say. The example
//! files for hubs, providers, councils and coordinators end in
//! `.example.toml`, which the loader skips and `check` lists.

mod files;

use crate::model::japan::{self, NationalArea};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

/// Why `init` wrote nothing.
#[derive(Debug)]
pub enum InitError {
    /// No area has that name or code.
    Unknown(String),
    /// More than one area has that name: the candidates, to pick by code.
    Ambiguous(String, Vec<String>),
    /// The directory exists and holds something.
    NotEmpty(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for InitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InitError::Unknown(q) => write!(
                f,
                "no prefecture, municipality or ward is called `{q}`\n  = help: give its name in kanji, kana or romaji (堺市, さかいし, Sakai) or its 6-digit local government code"
            ),
            InitError::Ambiguous(q, candidates) => {
                writeln!(f, "`{q}` names more than one area:")?;
                for c in candidates {
                    writeln!(f, "    {c}")?;
                }
                write!(
                    f,
                    "  = help: give the code of the one you mean, e.g. --area {}",
                    candidates[0].split(' ').next().unwrap_or("")
                )
            }
            InitError::NotEmpty(dir) => write!(
                f,
                "{} already exists and is not empty\n  = help: give a new directory; init never writes over files",
                dir.display()
            ),
            InitError::Io(path, e) => write!(f, "cannot write {}: {e}", path.display()),
        }
    }
}

/// What was made: the area and the files written (relative to the project).
#[derive(Debug)]
pub struct Initialised {
    pub area: &'static NationalArea,
    pub files: Vec<PathBuf>,
}

/// Writes a new project for the area `query` names into `dir`, which must
/// not exist or be empty. All or nothing: the files are written into a
/// staging directory beside `dir`, which is then renamed into place.
pub fn run(dir: &Path, query: &str) -> Result<Initialised, InitError> {
    let area = resolve(query)?;
    if fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(InitError::NotEmpty(dir.to_path_buf()));
    }
    let project = files::project(japan::table(), area);
    let staging = staging_dir(dir);
    let written = write_all(&staging, &project).and_then(|()| {
        if dir.exists() {
            // An empty directory: rename cannot replace it on every platform.
            fs::remove_dir(dir).map_err(|e| InitError::Io(dir.to_path_buf(), e))?;
        }
        fs::rename(&staging, dir).map_err(|e| InitError::Io(dir.to_path_buf(), e))
    });
    if let Err(e) = written {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    Ok(Initialised {
        area,
        files: project.into_iter().map(|(path, _)| path).collect(),
    })
}

/// The one area `query` names, or why there is not exactly one.
fn resolve(query: &str) -> Result<&'static NationalArea, InitError> {
    let table = japan::table();
    match table.find(query).as_slice() {
        [] => Err(InitError::Unknown(query.to_string())),
        [one] => Ok(one),
        many => Err(InitError::Ambiguous(
            query.to_string(),
            many.iter()
                .map(|a| format!("{} {}", a.code, files::full_name(table, a)))
                .collect(),
        )),
    }
}

fn staging_dir(dir: &Path) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "project".into());
    dir.with_file_name(format!(".{name}.tsunagu-init-{}", std::process::id()))
}

fn write_all(staging: &Path, project: &[(PathBuf, String)]) -> Result<(), InitError> {
    for (rel, text) in project {
        let path = staging.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| InitError::Io(parent.to_path_buf(), e))?;
        }
        fs::write(&path, text).map_err(|e| InitError::Io(path.clone(), e))?;
    }
    Ok(())
}

impl fmt::Display for Initialised {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let table = japan::table();
        writeln!(
            f,
            "started a site for {} ({}, {}): {} files",
            files::full_name(table, self.area),
            self.area.en,
            self.area.code,
            self.files.len()
        )?;
        for file in &self.files {
            writeln!(f, "  {}", file.display())?;
        }
        write!(
            f,
            "next: set base_url and the publisher in tsunagu.toml, add hubs from data/hubs/hubs.example.toml,\n      and run `tsunagu check` to see what is still unknown"
        )
    }
}

//! Which output directories a build may write: checked before anything is
//! made or touched, so a mistyped `--out` can never replace the project's
//! own files, a file, or a directory tsunagu did not make.

use super::manifest::manifest_path;
use crate::diag::{Diagnostic, Diagnostics};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// What the project keeps at its root; a build never writes into, over or
/// around any of them.
const PROJECT_FILES: [&str; 4] = ["content/", "data/", "templates/", "tsunagu.toml"];

/// Checks that the site at `root` may be built into `out`, and returns
/// `out` resolved (absolute, symbolic links resolved), the path the build
/// then writes to. Refused, with a diagnostic naming the path and how to
/// fix it:
///
/// - the project root, a directory holding it, or a path that is or is
///   inside or holds `content/`, `data/`, `templates/` or `tsunagu.toml`;
/// - a symbolic link, or something that exists and is not a directory;
/// - a directory that is not empty and has no manifest beside it (it was
///   not made by tsunagu), unless `force`.
///
/// Paths are compared resolved: `out` need not exist, so its nearest
/// existing ancestor is resolved and the rest appended.
pub fn check_out(root: &Path, out: &Path, force: bool) -> Result<PathBuf, Diagnostics> {
    let refuse = |why: String, hint: &str| {
        let mut d = Diagnostics::default();
        d.push(
            Diagnostic::file(
                out,
                format!("refusing to build into {}: {why}", out.display()),
            )
            .hint(hint),
        );
        d
    };
    let cannot = |path: &Path, e: io::Error| {
        refuse(
            format!("cannot resolve {}: {e}", path.display()),
            "check that the path and the project root exist and can be read",
        )
    };
    let own_dir = "give --out a directory of its own, e.g. --out site (the default)";
    let resolved_root = resolve(root).map_err(|e| cannot(root, e))?;
    let resolved = resolve(out).map_err(|e| cannot(out, e))?;
    if resolved == resolved_root {
        return Err(refuse("it is the project root".into(), own_dir));
    }
    if resolved_root.starts_with(&resolved) {
        return Err(refuse(
            format!("it holds the project root {}", resolved_root.display()),
            own_dir,
        ));
    }
    for name in PROJECT_FILES {
        let path = root.join(name.trim_end_matches('/'));
        let of_project = resolve(&path).map_err(|e| cannot(&path, e))?;
        let why = if resolved == of_project {
            format!("it is the project's {name}")
        } else if resolved.starts_with(&of_project) {
            format!("it is inside the project's {name}")
        } else if of_project.starts_with(&resolved) {
            format!("it holds the project's {name}")
        } else {
            continue;
        };
        return Err(refuse(why, own_dir));
    }
    let Ok(meta) = fs::symlink_metadata(out) else {
        return Ok(resolved);
    };
    if meta.file_type().is_symlink() {
        return Err(refuse(
            format!("it is a symbolic link (to {})", resolved.display()),
            "give the directory it points to as --out instead",
        ));
    }
    if !meta.is_dir() {
        return Err(refuse(
            "it exists and is not a directory".into(),
            "move the file away, or give --out a directory of its own",
        ));
    }
    let empty = fs::read_dir(out)
        .map_err(|e| cannot(out, e))?
        .next()
        .is_none();
    if !empty && !force && !manifest_path(&resolved).exists() {
        return Err(refuse(
            format!(
                "it is not empty and was not made by tsunagu (there is no {} beside it)",
                manifest_path(out).display()
            ),
            "a build replaces everything in its output directory: give --out another \
             directory, or add --force to replace this one's contents with the site",
        ));
    }
    Ok(resolved)
}

/// `path` absolute with symbolic links resolved, though it need not exist:
/// its nearest existing ancestor resolved, the rest of it appended (`..`
/// taking off the component before it).
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let path = std::path::absolute(path)?;
    let components: Vec<Component> = path.components().collect();
    for existing in (1..=components.len()).rev() {
        let prefix: PathBuf = components[..existing].iter().collect();
        let Ok(mut resolved) = prefix.canonicalize() else {
            continue;
        };
        for c in &components[existing..] {
            match c {
                Component::ParentDir => {
                    resolved.pop();
                }
                Component::Normal(name) => resolved.push(name),
                Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
            }
        }
        return Ok(resolved);
    }
    Err(io::Error::new(
        io::ErrorKind::NotFound,
        "no part of the path exists",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A project at `<tmp>/p` with its four files, and `<tmp>/p/site`
    /// built; returns the temp dir.
    fn project() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("p");
        for d in ["content", "data", "templates"] {
            fs::create_dir_all(root.join(d)).unwrap();
        }
        fs::write(root.join("tsunagu.toml"), "").unwrap();
        (dir, root)
    }

    fn refused(root: &Path, out: &Path, force: bool) -> String {
        match check_out(root, out, force) {
            Ok(p) => panic!("{} was accepted as {}", out.display(), p.display()),
            Err(d) => d.0[0].message.clone(),
        }
    }

    #[test]
    fn resolves_paths_that_do_not_exist_yet() {
        let (dir, root) = project();
        let real = dir.path().canonicalize().unwrap();
        assert_eq!(
            resolve(&root.join("new/deeper/../site")).unwrap(),
            real.join("p/new/site")
        );
        assert_eq!(resolve(&root.join("new/../..")).unwrap(), real);
        assert_eq!(
            resolve(&root.join("tsunagu.toml/x")).unwrap(),
            real.join("p/tsunagu.toml/x")
        );
    }

    #[test]
    fn refuses_the_project_and_its_files() {
        let (_dir, root) = project();
        for (out, why) in [
            (root.clone(), "it is the project root"),
            (root.join("."), "it is the project root"),
            (root.join("site/.."), "it is the project root"),
            (root.join(".."), "it holds the project root"),
            (root.join("data"), "it is the project's data/"),
            (
                root.join("content/x"),
                "it is inside the project's content/",
            ),
            (
                root.join("new/../templates/a/b"),
                "inside the project's templates",
            ),
            (
                root.join("tsunagu.toml"),
                "it is the project's tsunagu.toml",
            ),
        ] {
            let msg = refused(&root, &out, true);
            assert!(msg.contains(why), "{}: {msg}", out.display());
        }
    }

    #[test]
    fn refuses_files_links_and_foreign_directories_but_not_its_own() {
        let (dir, root) = project();
        let file = dir.path().join("file");
        fs::write(&file, "mine").unwrap();
        assert!(refused(&root, &file, true).contains("not a directory"));
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(root.join("content"), &link).unwrap();
            assert!(refused(&root, &link, true).contains("content"));
            let elsewhere = dir.path().join("elsewhere");
            fs::create_dir(&elsewhere).unwrap();
            let link = dir.path().join("link2");
            std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
            assert!(refused(&root, &link, true).contains("symbolic link"));
        }
        let foreign = dir.path().join("foreign");
        fs::create_dir(&foreign).unwrap();
        assert!(check_out(&root, &foreign, false).is_ok(), "empty is fine");
        fs::write(foreign.join("notes.txt"), "mine").unwrap();
        assert!(refused(&root, &foreign, false).contains("not made by tsunagu"));
        assert!(check_out(&root, &foreign, true).is_ok(), "--force");
        fs::write(manifest_path(&foreign), "").unwrap();
        assert!(check_out(&root, &foreign, false).is_ok(), "made by tsunagu");
        assert!(check_out(&root, &root.join("site"), false).is_ok());
    }
}

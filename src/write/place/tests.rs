use super::*;
use crate::write::manifest::{Entry, Inputs};
use std::collections::BTreeMap;

fn manifest(files: &[(&str, u64)]) -> Manifest {
    let files = files
        .iter()
        .map(|&(p, out)| {
            let entry = Entry {
                out,
                input: 0,
                len: 1,
                parts: Vec::new(),
            };
            (p.to_string(), entry)
        })
        .collect();
    let inputs = Inputs {
        hash: 1,
        asof: std::time::SystemTime::UNIX_EPOCH,
    };
    Manifest { inputs, files }
}

fn put(dir: &Path, files: &[(&str, &str)]) {
    for (p, text) in files {
        write_file(&dir.join(p), text.as_bytes()).unwrap();
    }
}

/// Every file below `dir` (and the manifest beside it) with its text.
fn snapshot(dir: &Path) -> BTreeMap<String, String> {
    let mut all: BTreeMap<String, String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into();
            (rel, fs::read_to_string(e.path()).unwrap())
        })
        .collect();
    if let Ok(m) = fs::read_to_string(manifest_path(dir)) {
        all.insert("(manifest)".into(), m);
    }
    all
}

/// What is beside the output: only it and its manifest, nothing staged
/// or set aside.
fn beside(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// An output `site` built from `previous` ({a/x, b/y, s/t}), and a
/// staging directory holding `staged`.
fn setup(staged: &[(&str, &str)]) -> (tempfile::TempDir, Beside, Manifest) {
    let dir = tempfile::tempdir().unwrap();
    let b = Beside::of(&dir.path().join("site"));
    put(&b.dest, &[("a/x", "x1"), ("b/y", "y1"), ("s/t", "t1")]);
    let previous = manifest(&[("a/x", 1), ("b/y", 1), ("s/t", 1)]);
    previous.write(&b.dest).unwrap();
    fs::create_dir(&b.tmp).unwrap();
    put(&b.tmp, staged);
    (dir, b, previous)
}

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

#[test]
fn few_changes_move_file_by_file_and_most_swap_the_whole_tree() {
    // One of three changed, one new: file by file.
    let (_dir, b, previous) = setup(&[("a/x", "x2"), ("c/z", "z2")]);
    let new = manifest(&[("a/x", 2), ("b/y", 1), ("c/z", 2), ("s/t", 1), ("u", 1)]);
    put(&b.dest, &[("u", "u1")]);
    let files = Files {
        manifest: &new,
        previous: Some(&previous),
        changed: vec!["a/x", "c/z"],
        unstaged: vec!["b/y", "s/t", "u"],
    };
    let placed = place(&b, &files).map_err(|f| f.error).unwrap();
    assert!(!placed.whole_tree);
    let tree = snapshot(&b.dest);
    assert_eq!(tree["a/x"], "x2");
    assert_eq!(tree["c/z"], "z2");
    assert_eq!(tree["b/y"], "y1");
    assert_eq!(beside(&b.dest), [".site.tsunagu-manifest", "site"]);

    // Two of three changed and one removed: the whole tree, the
    // unchanged file linked in.
    let (_dir, b, previous) = setup(&[("a/x", "x2"), ("c/z", "z2")]);
    let new = manifest(&[("a/x", 2), ("b/y", 1), ("c/z", 2)]);
    let files = Files {
        manifest: &new,
        previous: Some(&previous),
        changed: vec!["a/x", "c/z"],
        unstaged: vec!["b/y"],
    };
    let placed = place(&b, &files).map_err(|f| f.error).unwrap();
    assert_eq!(
        placed,
        Placed {
            removed: 1,
            whole_tree: true
        }
    );
    let mut expected = BTreeMap::new();
    for (p, t) in [("a/x", "x2"), ("b/y", "y1"), ("c/z", "z2")] {
        expected.insert(p.to_string(), t.to_string());
    }
    let mut tree = snapshot(&b.dest);
    let m = tree.remove("(manifest)").unwrap();
    assert_eq!(tree, expected);
    assert!(m.contains(" c/z\n") && !m.contains(" s/t\n"), "{m}");
    assert_eq!(beside(&b.dest), [".site.tsunagu-manifest", "site"]);
}

/// The staging directory's name.
fn tmp_name() -> String {
    format!("site.tmp-{}", std::process::id())
}

#[test]
fn a_failure_file_by_file_puts_everything_back() {
    let (_dir, b, _) = setup(&[("a/x", "x2"), ("c/z", "z2"), ("d/w", "w2")]);
    // Enough unchanged files that three changes go file by file.
    let unchanged: Vec<String> = (0..10).map(|i| format!("k/{i}")).collect();
    for p in &unchanged {
        put(&b.dest, &[(p, "k")]);
    }
    let mut old: Vec<(&str, u64)> = vec![("a/x", 1), ("b/y", 1), ("s/t", 1)];
    old.extend(unchanged.iter().map(|p| (p.as_str(), 1)));
    let previous = manifest(&old);
    previous.write(&b.dest).unwrap();
    let mut new: Vec<(&str, u64)> = vec![("a/x", 2), ("b/y", 1), ("c/z", 2), ("d/w", 2)];
    new.extend(unchanged.iter().map(|p| (p.as_str(), 1)));
    let new = manifest(&new);
    // Something stands where `c/` must go, after `a/x` has moved in.
    put(&b.dest, &[("c", "mine")]);
    let before = snapshot(&b.dest);
    let mut unstaged = vec!["b/y"];
    unstaged.extend(unchanged.iter().map(String::as_str));
    let files = Files {
        manifest: &new,
        previous: Some(&previous),
        changed: vec!["a/x", "c/z", "d/w"],
        unstaged,
    };
    let failed = place(&b, &files).expect_err("c is in the way");
    assert!(
        failed.error.to_string().contains("site/c"),
        "{}",
        failed.error
    );
    assert_eq!(failed.left, Left::AsItWas);
    assert_eq!(snapshot(&b.dest), before);
    assert_eq!(
        beside(&b.dest),
        [
            ".site.tsunagu-manifest".to_string(),
            "site".into(),
            tmp_name()
        ]
    );
}

#[test]
fn a_failure_swapping_the_tree_puts_it_back() {
    // The staged tree is missing when it should be renamed in: the old
    // tree, already renamed aside, goes back.
    let (_dir, b, _) = setup(&[]);
    fs::remove_dir(&b.tmp).unwrap();
    let before = snapshot(&b.dest);
    let new = manifest(&[("a/x", 2)]);
    let files = Files {
        manifest: &new,
        previous: None,
        changed: vec!["a/x"],
        unstaged: Vec::new(),
    };
    let failed = place(&b, &files).expect_err("nothing staged");
    assert_eq!(failed.left, Left::AsItWas);
    assert_eq!(snapshot(&b.dest), before);
    assert_eq!(beside(&b.dest), [".site.tsunagu-manifest", "site"]);

    // The old tree cannot be renamed aside (something is in the way):
    // the manifest goes back, and what was in the way is kept.
    let (_dir, b, previous) = setup(&[("a/x", "x2"), ("b/y", "y2")]);
    put(&b.backup, &[("mine", "mine")]);
    let before = snapshot(&b.dest);
    let new = manifest(&[("a/x", 2), ("b/y", 2), ("s/t", 1)]);
    let files = Files {
        manifest: &new,
        previous: Some(&previous),
        changed: vec!["a/x", "b/y"],
        unstaged: vec!["s/t"],
    };
    let failed = place(&b, &files).expect_err("backup in the way");
    assert_eq!(failed.left, Left::AsItWas);
    assert_eq!(snapshot(&b.dest), before);
    assert_eq!(fs::read_to_string(b.backup.join("mine")).unwrap(), "mine");
}

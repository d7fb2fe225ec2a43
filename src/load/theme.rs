//! The default theme, compiled into the binary (by `build.rs`, from the
//! repository's `templates/`): HTML templates, partials, UI strings
//! (`i18n/<lang>.toml`), CSS, scripts and `flyer.typ`. A project needs no
//! `templates/` directory; a file it puts there replaces the default file of
//! the same path, and its `i18n/<lang>.toml` replaces default strings key by
//! key.

use super::{InFile, Listing, RawStrings, SourceText, parse_toml, read_text, read_toml};
use crate::diag::{Diagnostic, Diagnostics};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The project directory whose files override the default theme's.
pub const THEME_DIR: &str = "templates";

/// Every file of the default theme: path below `templates/` (with `/`) and
/// its bytes, sorted by path.
pub static DEFAULT_THEME: &[(&str, &[u8])] =
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// The default theme's file at `name` (a path below `templates/`).
pub fn default_file(name: &str) -> Option<&'static [u8]> {
    DEFAULT_THEME
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, bytes)| *bytes)
}

/// How diagnostics name a default theme file, which is on no disk:
/// `(default theme)/base.html`. Run `tsunagu theme eject base.html` to get a
/// copy at `templates/base.html`.
pub fn default_path(name: &str) -> PathBuf {
    Path::new("(default theme)").join(name)
}

/// A text file of the theme (a tera template or `flyer.typ`): its name, the
/// path below `templates/` (`partials/contact.html`), and where it came
/// from: the project's `templates/<name>`, or [`default_path`].
#[derive(Debug, Clone)]
pub struct ThemeText {
    pub name: String,
    pub file: SourceText,
}

/// The theme a project builds with: the default theme with the project's
/// `templates/` files laid over it.
pub(super) struct Theme {
    /// The project's `templates/i18n/<lang>.toml`, by language code.
    pub strings: BTreeMap<String, InFile<RawStrings>>,
    /// The default theme's UI strings, by language code.
    pub default_strings: BTreeMap<String, InFile<RawStrings>>,
    /// Every template, a project's file in place of the default of its name,
    /// in path order.
    pub templates: Vec<ThemeText>,
    /// Static files below `assets/`, a project's in place of the default's.
    pub assets: Vec<(PathBuf, Vec<u8>)>,
}

/// The default theme overlaid with the project's `templates/` files.
pub(super) fn load(root: &Path, listing: &Listing, diags: &mut Diagnostics) -> Theme {
    let mut default_strings = BTreeMap::new();
    // Keyed by path below templates/: component order is the order a
    // directory walk lists them in.
    let mut templates: BTreeMap<PathBuf, ThemeText> = BTreeMap::new();
    let mut assets: BTreeMap<PathBuf, Vec<u8>> = BTreeMap::new();
    for (name, bytes) in DEFAULT_THEME {
        let below = PathBuf::from(name);
        if below.starts_with("assets") {
            assets.insert(below, bytes.to_vec());
            continue;
        }
        let file = SourceText {
            path: default_path(name),
            text: String::from_utf8_lossy(bytes).into_owned(),
        };
        if below.starts_with("i18n") {
            if let Some(value) = parse_toml(&file, 0, &file.text, diags) {
                default_strings.insert(language(&below), InFile { file, value });
            }
        } else {
            let name = name.to_string();
            templates.insert(below, ThemeText { name, file });
        }
    }
    let mut strings = BTreeMap::new();
    for rel in listing.files_below(THEME_DIR, diags) {
        let below = rel.strip_prefix(THEME_DIR).unwrap_or(&rel).to_path_buf();
        if below.starts_with("assets") {
            match std::fs::read(root.join(&rel)) {
                Ok(bytes) => {
                    assets.insert(below, bytes);
                }
                Err(e) => diags.push(Diagnostic::file(&rel, format!("cannot read: {e}"))),
            }
        } else if below.starts_with("i18n") {
            if let Some(file) = read_toml::<RawStrings>(root, &rel, diags) {
                strings.insert(language(&below), file);
            }
        } else if let Some(text) = read_text(root, &rel, diags) {
            let name: Vec<String> = below
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let name = name.join("/");
            templates.insert(
                below,
                ThemeText {
                    name,
                    file: SourceText { path: rel, text },
                },
            );
        }
    }
    Theme {
        strings,
        default_strings,
        templates: templates.into_values().collect(),
        assets: assets.into_iter().collect(),
    }
}

/// The language code of `i18n/<code>.toml`.
fn language(below: &Path) -> String {
    below
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_string()
}

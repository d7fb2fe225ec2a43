//! Render: model → HTML pages and data files in memory, through tera.
//!
//! Features (content, finder, figures, council, reference, registry) each
//! turn the model into [`PageDef`]s, or a [`PageSet`] of pages defined when
//! rendered; this module wraps every page in the shared
//! layout (language switcher, hreflang, breadcrumb, provenance footer) and
//! renders it. Nothing here touches the disk.

pub mod dataset;
pub mod escape;
pub mod links;
pub mod markdown;
pub mod minify;
mod templates;

use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;
use crate::model::{Provenance, Site};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeSet;
use templates::Templates;
use tera::Context;

/// Fills in the rest of a page's template data when the page is rendered,
/// so a national site's ~47,000 pages do not all hold their data at once.
pub struct Fill<'a> {
    pub run: Box<dyn Fn(&mut Context) + Send + Sync + 'a>,
    /// A hash of everything `run` reads from the model. When set, it stands
    /// for the filled-in data in the page's input hash, so an incremental
    /// build never builds the data of a page that has not changed.
    pub memo: Option<u64>,
}

/// A page to render, in one language. `key` is the language-independent
/// path: `""` (home), `areas`, `areas/141097`, `yokohama`.
pub struct PageDef<'a> {
    pub key: String,
    pub lang: Lang,
    pub template: &'static str,
    pub title: String,
    pub description: Option<String>,
    /// Ancestors after the home page, as (title, key).
    pub crumbs: Vec<(String, String)>,
    /// Shown in the footer as 出典 / 時点.
    pub provenance: Vec<ProvenanceCtx>,
    /// The template's own data.
    pub body: Context,
    /// More of it, computed at render time.
    pub fill: Option<Fill<'a>>,
}

/// Many pages of one template in one language, each defined only when it
/// is rendered: a national registry has 20,000 provider pages per
/// language, and a rebuild after one provider changed should not define
/// the 19,999 others just to find that they are unchanged.
pub struct PageSet<'a> {
    pub lang: Lang,
    pub template: &'static str,
    /// Each page's key, as [`PageDef::key`].
    pub keys: Vec<String>,
    /// Per page, a hash of everything its definition is made from (key,
    /// title, crumbs, provenance, body): it stands for the definition in
    /// the page's input hash, as [`Fill::memo`] stands for a fill's data.
    pub memos: Vec<u64>,
    /// Defines page `i`, its data whole (a page defined when rendered has
    /// no use for a [`Fill`]).
    pub define: Box<dyn Fn(usize) -> PageDef<'static> + Send + Sync + 'a>,
}

/// A rendered HTML page, minified.
pub struct RenderedPage {
    /// `None` for language-neutral pages (root index, 404).
    pub lang: Option<Lang>,
    pub key: String,
    /// Path below the output directory, e.g. `ja/areas/141097/index.html`.
    pub path: String,
    pub html: Vec<u8>,
}

/// Any other output file.
pub struct Artifact {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Everything a build writes: pages as definitions, rendered on demand (in
/// parallel, by `write`, so a national site's HTML is never all in memory
/// at once), and the other files as bytes.
pub struct Output<'a> {
    site: &'a Site,
    templates: Templates,
    defs: Vec<PageDef<'a>>,
    /// Pages defined when rendered; they come after `defs` in page order.
    sets: Vec<PageSet<'a>>,
    /// Navigation entries per language, as (title, key); the same on every page.
    nav: [Vec<(String, String)>; 2],
    live_reload: bool,
    /// The UI strings per language, converted for tera once.
    strings: [tera::Value; 2],
    /// Everything a page's HTML depends on besides its own data: the
    /// templates, the UI strings and this program (see [`PageInput`]).
    salt: u64,
    pub files: Vec<Artifact>,
    /// Files made when written, and only when their memo changed.
    pub lazy_files: Vec<LazyFile<'a>>,
    pub base_url: String,
}

/// A file made as it is written (e.g. open data, tens of MB nationally):
/// `memo` is a hash of everything `make` reads, so an incremental build can
/// skip making it.
pub struct LazyFile<'a> {
    pub path: String,
    pub memo: u64,
    pub make: Box<MakeFile<'a>>,
    /// The same bytes in parts, for a file mostly unchanged between builds.
    pub parts: Option<Parts<'a>>,
}

/// A [`LazyFile`] as a sequence of parts, each made alone and with a memo
/// of its own (`memos[i]` hashes everything part `i` is made from).
/// `write` copies a part whose memo it recorded last time from the
/// previous file instead of making it: one changed provider re-encodes
/// ~64 rows of the national open data, not 20,000.
pub struct Parts<'a> {
    pub memos: Vec<u64>,
    pub make: Box<MakePart<'a>>,
}

/// Writes part `i` of a [`Parts`].
pub type MakePart<'a> =
    dyn Fn(usize, &mut dyn std::io::Write) -> std::io::Result<()> + Send + Sync + 'a;

/// Writes a [`LazyFile`]'s bytes.
pub type MakeFile<'a> = dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()> + Send + Sync + 'a;

/// A page ready to render: its template, its data, and a hash of both with
/// everything else its HTML depends on. Two pages with the same hash render
/// to the same HTML, so an incremental build skips pages whose hash is the
/// one it recorded last time, and never builds their tera data.
pub struct PageInput<'o> {
    pub path: String,
    template: &'static str,
    data: PageData<'o>,
    pub hash: u64,
}

/// What a page's tera data is made from.
enum PageData<'o> {
    /// A language page: its definition and the data its fill made to be
    /// hashed (`None` if the fill has a memo and runs only when the page is
    /// rendered).
    Page {
        def: &'o PageDef<'o>,
        filled: Option<Context>,
    },
    /// Page `index` of a set, not defined yet.
    InSet { set: &'o PageSet<'o>, index: usize },
    /// A language-neutral page's whole data.
    Neutral(Context),
}

/// A hash of a value's `Debug` output: stands for model data in page memos
/// (the model's maps are ordered, so the output is stable).
pub fn debug_hash(value: &impl std::fmt::Debug) -> u64 {
    use std::fmt::Write as _;
    let mut h = std::hash::DefaultHasher::new();
    let _ = write!(HashWriter(&mut h), "{value:?}");
    std::hash::Hasher::finish(&h)
}

/// Feeds formatted text into a hasher without building the string.
struct HashWriter<'a>(&'a mut std::hash::DefaultHasher);

impl std::fmt::Write for HashWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        std::hash::Hasher::write(self.0, s.as_bytes());
        Ok(())
    }
}

/// The two language-neutral pages after the language pages.
const NEUTRAL: [(&str, &str); 2] = [("root.html", "index.html"), ("404.html", "404.html")];

/// Page `i` of an [`Output`], by where it comes from.
enum Slot<'o> {
    Def(&'o PageDef<'o>),
    InSet(&'o PageSet<'o>, usize),
    Neutral(usize),
}

impl Output<'_> {
    /// Number of HTML pages.
    pub fn page_count(&self) -> usize {
        self.defs.len() + self.sets.iter().map(|s| s.keys.len()).sum::<usize>() + NEUTRAL.len()
    }

    fn slot(&self, i: usize) -> Slot<'_> {
        if let Some(def) = self.defs.get(i) {
            return Slot::Def(def);
        }
        let mut i = i - self.defs.len();
        for set in &self.sets {
            if i < set.keys.len() {
                return Slot::InSet(set, i);
            }
            i -= set.keys.len();
        }
        Slot::Neutral(i)
    }

    /// Output path of page `i` (below the output directory), without rendering it.
    pub fn page_path(&self, i: usize) -> String {
        match self.slot(i) {
            Slot::Def(def) => format!("{}index.html", page_path(def.lang, &def.key)),
            Slot::InSet(set, j) => format!("{}index.html", page_path(set.lang, &set.keys[j])),
            Slot::Neutral(j) => NEUTRAL[j].1.to_string(),
        }
    }

    /// What a lazy file's output depends on: its memo and this program (a
    /// new version may encode it differently).
    pub fn lazy_input(&self, f: &LazyFile) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        (f.memo, crate::load::program_identity()).hash(&mut h);
        h.finish()
    }

    /// Language-independent keys of the language pages (for the sitemap).
    pub fn keys(&self) -> BTreeSet<&str> {
        let in_sets = self.sets.iter().flat_map(|s| &s.keys);
        self.defs
            .iter()
            .map(|d| &d.key)
            .chain(in_sets)
            .map(String::as_str)
            .collect()
    }

    /// The template and data of page `i` (`0..page_count()`), hashed.
    pub fn input(&self, i: usize) -> PageInput<'_> {
        use std::fmt::Write as _;
        use std::hash::{Hash, Hasher};
        let mut memo = None;
        let mut h = std::hash::DefaultHasher::new();
        let (template, data, lang) = match self.slot(i) {
            Slot::Def(def) => {
                // What `layout` makes the page's layout from (the rest of
                // it, the same on every page, is in the salt).
                (
                    (&def.key, def.lang, &def.title, &def.description),
                    (&def.crumbs, &def.provenance, debug_hash(&def.body)),
                )
                    .hash(&mut h);
                let mut filled = None;
                match &def.fill {
                    Some(fill) if fill.memo.is_some() => memo = fill.memo,
                    Some(fill) => {
                        let mut data = Context::new();
                        (fill.run)(&mut data);
                        let _ = write!(HashWriter(&mut h), "{data:?}");
                        filled = Some(data);
                    }
                    None => {}
                }
                let data = PageData::Page { def, filled };
                (def.template, data, Some(def.lang))
            }
            Slot::InSet(set, index) => {
                (&set.keys[index], set.memos[index]).hash(&mut h);
                (set.template, PageData::InSet { set, index }, Some(set.lang))
            }
            Slot::Neutral(j) => {
                let (template, path) = NEUTRAL[j];
                let ctx = neutral_context(self.site, path, self.live_reload);
                // Context's Debug output lists every value in a fixed order
                // (tera's `preserve_order`), so it stands for the data.
                let _ = write!(HashWriter(&mut h), "{ctx:?}");
                (template, PageData::Neutral(ctx), None)
            }
        };
        (self.salt, template, lang, memo).hash(&mut h);
        PageInput {
            path: self.page_path(i),
            template,
            data,
            hash: h.finish(),
        }
    }

    /// The minified HTML of a page.
    pub fn render_input(&self, input: PageInput) -> Result<Vec<u8>, Box<Diagnostic>> {
        let ctx = match input.data {
            PageData::Page { def, filled } => self.page_context(def, filled),
            PageData::InSet { set, index } => {
                let def = (set.define)(index);
                debug_assert!(def.key == set.keys[index] && def.template == set.template);
                self.page_context(&def, None)
            }
            PageData::Neutral(mut ctx) => {
                ctx.insert_value("t", self.strings[Lang::Ja as usize].clone());
                ctx.insert_value("t_en", self.strings[Lang::En as usize].clone());
                ctx
            }
        };
        self.templates.render(self.site, input.template, &ctx)
    }

    /// A language page's whole template data; `filled` is its fill's data
    /// if made already.
    fn page_context(&self, def: &PageDef, filled: Option<Context>) -> Context {
        let mut ctx = def.body.clone();
        ctx.insert("layout", &layout(self, def));
        let fill_now = filled.is_none();
        if let Some(filled) = filled {
            ctx.extend(filled);
        }
        ctx.insert_value("t", self.strings[def.lang as usize].clone());
        ctx.insert("other_lang", def.lang.other().code());
        if let Some(fill) = def.fill.as_ref().filter(|_| fill_now) {
            (fill.run)(&mut ctx);
        }
        ctx
    }

    /// Renders page `i` (`0..page_count()`).
    pub fn page(&self, i: usize) -> Result<RenderedPage, Box<Diagnostic>> {
        let input = self.input(i);
        let path = input.path.clone();
        let html = self.render_input(input)?;
        Ok(match self.slot(i) {
            Slot::Def(def) => RenderedPage {
                lang: Some(def.lang),
                key: def.key.clone(),
                path,
                html,
            },
            Slot::InSet(set, j) => RenderedPage {
                lang: Some(set.lang),
                key: set.keys[j].clone(),
                path,
                html,
            },
            Slot::Neutral(_) => RenderedPage {
                lang: None,
                key: String::new(),
                path,
                html,
            },
        })
    }

    /// Renders every page, in parallel, keeping none of them: every
    /// template error, or nothing (for `tsunagu check`).
    pub fn check_all(&self) -> Result<(), Diagnostics> {
        let results: Vec<_> = (0..self.page_count())
            .into_par_iter()
            .map(|i| self.page(i).map(drop))
            .collect();
        Diagnostics::collect(results).map(drop)
    }
}

/// The site-relative directory of a page: `ja/`, `en/areas/141097/`.
pub fn page_path(lang: Lang, key: &str) -> String {
    if key.is_empty() {
        format!("{lang}/")
    } else {
        format!("{lang}/{key}/")
    }
}

/// The relative path from a page back to the site root: `../../`.
pub fn root_prefix(lang: Lang, key: &str) -> String {
    "../".repeat(page_path(lang, key).matches('/').count())
}

/// Source and dates of a fact, ready for display.
#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct ProvenanceCtx {
    pub source_id: String,
    pub source: String,
    pub publisher: String,
    pub url: Option<String>,
    pub as_of: String,
    pub last_verified: Option<String>,
}

/// Display form of a record's provenance.
pub fn provenance(site: &Site, p: &Provenance, lang: Lang) -> ProvenanceCtx {
    let source = &site.sources[&p.source];
    ProvenanceCtx {
        source_id: p.source.to_string(),
        source: source.title.str(lang).to_string(),
        publisher: source.publisher.str(lang).to_string(),
        url: source.url.clone(),
        as_of: p.as_of.display(lang),
        last_verified: p.last_verified.map(|d| d.display(lang)),
    }
}

/// Adds provenance entries, skipping exact repeats.
pub fn push_provenance(list: &mut Vec<ProvenanceCtx>, p: ProvenanceCtx) {
    if !list.contains(&p) {
        list.push(p);
    }
}

#[derive(Serialize)]
struct Link {
    title: String,
    href: String,
    current: bool,
}

#[derive(Serialize)]
struct Alternate {
    hreflang: &'static str,
    href: String,
}

/// What the shared layout (`base.html`) needs on every page.
#[derive(Serialize)]
struct LayoutCtx<'a> {
    lang: &'static str,
    site_title: &'a str,
    title: &'a str,
    description: &'a str,
    root: String,
    canonical: String,
    alternates: Vec<Alternate>,
    switcher: Option<Link>,
    crumbs: Vec<Link>,
    nav: Vec<Link>,
    provenance: &'a [ProvenanceCtx],
    live_reload: bool,
}

/// The navigation, as page keys in order: home, then `before_content`,
/// then the top-level content pages by weight, then `after_content`. A key
/// with no page in a language is left out of that language's navigation.
pub struct NavKeys {
    pub before_content: Vec<String>,
    pub after_content: Vec<String>,
}

impl<'a> Output<'a> {
    /// Wraps the features' pages and files for writing: pages in output-path
    /// order (so every run writes and lists them alike), the theme's assets
    /// added to the files, and what every page shares hashed once.
    pub fn new(
        site: &'a Site,
        mut defs: Vec<PageDef<'a>>,
        sets: Vec<PageSet<'a>>,
        mut files: Vec<Artifact>,
        lazy_files: Vec<LazyFile<'a>>,
        nav_keys: &NavKeys,
        live_reload: bool,
    ) -> Result<Self, Diagnostics> {
        let templates = Templates::new(site).map_err(|d| {
            let mut all = Diagnostics::default();
            all.push(*d);
            all
        })?;
        defs.sort_by_cached_key(|d| page_path(d.lang, &d.key));
        let nav = [Lang::Ja, Lang::En].map(|l| nav(site, l, &defs, nav_keys));
        for (path, bytes) in &site.assets {
            files.push(Artifact {
                path: path.to_string_lossy().replace('\\', "/"),
                bytes: bytes.clone(),
            });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let strings =
            [Lang::Ja, Lang::En].map(|l| tera::Value::from_serializable(&site.strings[&l]));
        let salt = {
            use std::hash::{Hash, Hasher};
            let mut h = std::hash::DefaultHasher::new();
            for t in &site.templates {
                (&t.name, &t.text).hash(&mut h);
            }
            site.strings.hash(&mut h);
            (live_reload, crate::load::program_identity()).hash(&mut h);
            // What every page's layout shares (see `layout`).
            let homes = Lang::ALL.map(|l| home_title(site, l));
            (debug_hash(&site.config), &nav, homes).hash(&mut h);
            h.finish()
        };
        Ok(Output {
            site,
            templates,
            defs,
            sets,
            nav,
            live_reload,
            strings,
            salt,
            files,
            lazy_files,
            base_url: site.config.base_url.clone(),
        })
    }
}

/// The home page's title, from `content/_index.<lang>.md` (validate requires it).
fn home_title(site: &Site, lang: Lang) -> String {
    site.pages
        .iter()
        .find(|p| p.key.is_empty() && p.lang == lang)
        .map(|p| p.title.clone())
        .unwrap_or_default()
}

/// Navigation as (title, key), computed once per language (see [`NavKeys`]).
fn nav(site: &Site, lang: Lang, defs: &[PageDef], keys: &NavKeys) -> Vec<(String, String)> {
    let page = |key: &String| {
        defs.iter()
            .find(|d| d.key == *key && d.lang == lang)
            .map(|d| (d.title.clone(), key.clone()))
    };
    let mut items: Vec<(String, String)> = vec![(home_title(site, lang), String::new())];
    items.extend(keys.before_content.iter().filter_map(page));
    for p in site
        .pages
        .iter()
        .filter(|p| p.lang == lang && !p.key.is_empty() && !p.key.contains('/'))
    {
        items.push((p.title.clone(), p.key.clone()));
    }
    items.extend(keys.after_content.iter().filter_map(page));
    items
}

/// The shared layout's data for a page (`layout` in every template).
fn layout<'o>(out: &'o Output, def: &'o PageDef) -> LayoutCtx<'o> {
    let (site, live_reload) = (out.site, out.live_reload);
    let lang = def.lang;
    let root = root_prefix(lang, &def.key);
    let base = &site.config.base_url;
    let mut crumbs = Vec::new();
    if !def.key.is_empty() {
        crumbs.push(Link {
            title: home_title(site, lang),
            href: format!("{root}{}", page_path(lang, "")),
            current: false,
        });
        for (title, key) in &def.crumbs {
            crumbs.push(Link {
                title: title.clone(),
                href: format!("{root}{}", page_path(lang, key)),
                current: false,
            });
        }
        crumbs.push(Link {
            title: def.title.clone(),
            href: format!("{root}{}", page_path(lang, &def.key)),
            current: true,
        });
    }
    let x_default = if def.key.is_empty() {
        base.clone()
    } else {
        format!("{base}{}", page_path(Lang::Ja, &def.key))
    };
    LayoutCtx {
        lang: lang.code(),
        site_title: site.config.title.str(lang),
        title: &def.title,
        description: def
            .description
            .as_deref()
            .unwrap_or(site.config.description.str(lang)),
        canonical: format!("{base}{}", page_path(lang, &def.key)),
        alternates: vec![
            Alternate {
                hreflang: "ja",
                href: format!("{base}{}", page_path(Lang::Ja, &def.key)),
            },
            Alternate {
                hreflang: "en",
                href: format!("{base}{}", page_path(Lang::En, &def.key)),
            },
            Alternate {
                hreflang: "x-default",
                href: x_default,
            },
        ],
        switcher: Some(Link {
            title: lang.other().native_name().into(),
            href: format!("{root}{}", page_path(lang.other(), &def.key)),
            current: false,
        }),
        crumbs,
        nav: out.nav[lang as usize]
            .iter()
            .map(|(title, key)| Link {
                title: title.clone(),
                href: format!("{root}{}", page_path(lang, key)),
                current: *key == def.key,
            })
            .collect(),
        provenance: &def.provenance,
        live_reload,
        root,
    }
}

/// The root index and 404 page: bilingual, outside `/ja/` and `/en/`.
fn neutral_context(site: &Site, path: &str, live_reload: bool) -> Context {
    let base = &site.config.base_url;
    // The 404 page is served at any URL, so its links must be absolute.
    let root = if path == "404.html" {
        base.clone()
    } else {
        String::new()
    };
    let layout = LayoutCtx {
        lang: "ja",
        site_title: site.config.title.str(Lang::Ja),
        title: site.config.title.str(Lang::Ja),
        description: site.config.description.str(Lang::Ja),
        canonical: format!("{base}{}", if path == "index.html" { "" } else { path }),
        alternates: vec![
            Alternate {
                hreflang: "ja",
                href: format!("{base}ja/"),
            },
            Alternate {
                hreflang: "en",
                href: format!("{base}en/"),
            },
            Alternate {
                hreflang: "x-default",
                href: base.clone(),
            },
        ],
        switcher: None,
        crumbs: Vec::new(),
        nav: Vec::new(),
        provenance: &[],
        live_reload,
        root,
    };
    let mut ctx = Context::new();
    ctx.insert("layout", &layout);
    ctx.insert("site_title_en", site.config.title.str(Lang::En));
    ctx.insert("description_en", site.config.description.str(Lang::En));
    ctx
}

/// UI strings the Rust side uses (page titles of generated pages); validate
/// requires each of them in both languages.
pub const STRINGS: &[&str] = &[
    "areas_title",
    "hubs_title",
    "figures_title",
    "glossary_title",
    "sources_title",
    "council_title",
    "dimension_profession",
    "dimension_affiliation",
    "dimension_area",
    "dimension_training_year",
    "open_data_title",
];

/// A UI string. Every key a feature uses is in a list that validate
/// requires in both languages (this module's [`STRINGS`], a feature's own),
/// so it is always there; were one ever missed, the page would show the
/// key itself, never an empty string.
pub fn ui(site: &Site, lang: Lang, key: &str) -> String {
    match site.strings[&lang].get(key) {
        Some(s) => s.clone(),
        None => key.to_string(),
    }
}

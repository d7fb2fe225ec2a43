//! [`Output`]: every page and file of a build, pages kept as definitions
//! and rendered on demand, each with a hash of everything its HTML depends
//! on (so an incremental build skips unchanged pages unrendered).

use super::json_ld;
use super::layout::{self, NavKeys};
use super::templates::Templates;
use super::{
    Artifact, DigestFile, LazyFile, PageDef, PageSet, RenderedPage, TemplateData, page_path,
};
use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;
use crate::model::Site;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use tera::Context;

/// Everything a build writes: pages as definitions, rendered on demand (in
/// parallel, by `write`, so a national site's HTML is never all in memory
/// at once), and the other files as bytes.
pub struct Output<'a> {
    site: &'a Site,
    templates: Templates,
    defs: Vec<PageDef<'a>>,
    /// Pages defined when rendered; they come after `defs` in page order.
    sets: Vec<PageSet<'a>>,
    /// Navigation per variant ([`layout::Nav`]).
    nav: [layout::Nav; 3],
    /// The home page's title per variant, the first breadcrumb of every
    /// page: looked up once, not by scanning the pages for each page.
    homes: [String; 3],
    live_reload: bool,
    /// The UI strings per variant, converted for tera once.
    strings: [tera::Value; 3],
    /// Everything a page's HTML depends on besides its own data: the
    /// templates, the UI strings and this program (see [`PageInput`]).
    salt: u64,
    pub files: Vec<Artifact>,
    /// Files made when written, and only when their memo changed.
    pub lazy_files: Vec<LazyFile<'a>>,
    /// Files made from other files as written, after them.
    pub digest_files: Vec<DigestFile<'a>>,
    pub base_url: String,
}

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
    /// hashed, or why it could not (`None` if the fill has a memo and runs
    /// only when the page is rendered).
    Page {
        def: &'o PageDef<'o>,
        filled: Option<Result<TemplateData, Box<Diagnostic>>>,
    },
    /// Page `index` of a set, not defined yet.
    InSet { set: &'o PageSet<'o>, index: usize },
    /// A language-neutral page's whole data.
    Neutral(TemplateData),
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

    /// Every page index (`0..page_count()`) in the order to render them:
    /// a page's variants side by side (an easy page standing in for a
    /// missing one takes its Japanese page's body as the thread rendering
    /// both made it, see `features::content`), then the rest as listed.
    pub fn render_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.defs.len()).collect();
        order.par_sort_unstable_by_key(|&i| (&self.defs[i].key, self.defs[i].lang));
        order.extend(self.defs.len()..self.page_count());
        order
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

    /// Each page key's latest source date (both languages cite the same
    /// records): the sitemap's `lastmod`. Pages citing no source have none.
    pub fn lastmod(&self) -> BTreeMap<&str, &str> {
        let mut dates: BTreeMap<&str, &str> = BTreeMap::new();
        let defs = self.defs.iter().filter_map(|d| {
            let date = d.provenance.iter().map(|p| p.date.as_str()).max()?;
            Some((d.key.as_str(), date))
        });
        let sets = self.sets.iter().flat_map(|s| {
            s.keys
                .iter()
                .zip(&s.dates)
                .map(|(k, d)| (k.as_str(), d.as_str()))
        });
        for (key, date) in defs.chain(sets) {
            let latest = dates.entry(key).or_insert(date);
            if date > *latest {
                *latest = date;
            }
        }
        dates
    }

    /// The template and data of page `i` (`0..page_count()`), hashed.
    pub fn input(&self, i: usize) -> PageInput<'_> {
        use std::hash::{Hash, Hasher};
        let mut memo = None;
        let mut h = crate::hash::hasher();
        let (template, data, lang) = match self.slot(i) {
            Slot::Def(def) => {
                // What `layout` makes the page's layout from (the rest of
                // it, the same on every page, is in the salt).
                (&def.key, def.lang, &def.title, &def.description).hash(&mut h);
                (&def.crumbs, &def.provenance).hash(&mut h);
                crate::hash::feed(&mut h, &def.body);
                let mut filled = None;
                match &def.fill {
                    Some(fill) if fill.memo.is_some() => memo = fill.memo,
                    Some(fill) => {
                        let mut data = TemplateData::new();
                        let made = (fill.run)(&mut data);
                        crate::hash::feed(&mut h, &data);
                        filled = Some(made.map(|()| data));
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
                let data = layout::neutral_context(self.site, path, self.live_reload);
                crate::hash::feed(&mut h, &data);
                (template, PageData::Neutral(data), None)
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

    /// The minified HTML of a page; an easy page's with furigana.
    pub fn render_input(&self, input: PageInput) -> Result<Vec<u8>, Box<Diagnostic>> {
        let easy = match &input.data {
            PageData::Page { def, .. } => def.lang == Lang::Easy,
            PageData::InSet { set, .. } => set.lang == Lang::Easy,
            PageData::Neutral(_) => false,
        };
        let (ctx, json_ld) = match input.data {
            PageData::Page { def, filled } => self.page_context(def, filled)?,
            PageData::InSet { set, index } => {
                let def = (set.define)(index);
                debug_assert!(def.key == set.keys[index] && def.template == set.template);
                self.page_context(&def, None)?
            }
            PageData::Neutral(data) => {
                let mut ctx = Context::new();
                data.move_into(&mut ctx);
                ctx.insert_value("t", self.strings[Lang::Ja as usize].clone());
                ctx.insert_value("t_en", self.strings[Lang::En as usize].clone());
                // The 404 page stands for no page: it has no structured data.
                let json_ld = (input.path == "index.html").then(|| json_ld::root(self.site));
                (ctx, json_ld)
            }
        };
        let html = self.templates.render(self.site, input.template, &ctx)?;
        // Furigana before the JSON-LD goes in: its text takes none.
        let html = match easy {
            true => self.site.readings.annotate_html(&html),
            false => html,
        };
        Ok(match json_ld {
            Some(json) => json_ld::insert(html, &json),
            None => html,
        })
    }

    /// A language page's whole template data, and its JSON-LD; `filled`
    /// is its fill's data if made already.
    fn page_context(
        &self,
        def: &PageDef,
        filled: Option<Result<TemplateData, Box<Diagnostic>>>,
    ) -> Result<(Context, Option<String>), Box<Diagnostic>> {
        let mut ctx = Context::new();
        def.body.copy_into(&mut ctx);
        let nav = &self.nav[def.lang as usize];
        let home = &self.homes[def.lang as usize];
        ctx.insert(
            "layout",
            &layout::page(self.site, nav, home, self.live_reload, def),
        );
        let fill_now = filled.is_none();
        if let Some(filled) = filled {
            filled?.move_into(&mut ctx);
        }
        ctx.insert_value("t", self.strings[def.lang as usize].clone());
        ctx.insert("other_lang", def.lang.other().code());
        if let Some(fill) = def.fill.as_ref().filter(|_| fill_now) {
            let mut data = TemplateData::new();
            (fill.run)(&mut data)?;
            data.move_into(&mut ctx);
        }
        let json_ld = json_ld::page(self.site, def, home, json_ld::take_entity(&mut ctx));
        Ok((ctx, Some(json_ld)))
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
        defs.par_sort_by_cached_key(|d| page_path(d.lang, &d.key));
        let nav = Lang::VARIANTS.map(|l| layout::Nav::new(layout::nav(site, l, &defs, nav_keys)));
        for (path, bytes) in &site.assets {
            files.push(Artifact {
                path: path.to_string_lossy().replace('\\', "/"),
                bytes: bytes.clone(),
            });
        }
        if let Some(accent) = site.config.identity.accent_color {
            files.push(Artifact {
                path: "assets/accent.css".to_string(),
                bytes: layout::accent_css(accent),
            });
        }
        let accent = (site.config.identity.accent_color).unwrap_or(super::favicon::DEFAULT_ACCENT);
        files.push(Artifact {
            path: "favicon.svg".to_string(),
            bytes: super::favicon::svg(accent),
        });
        files.push(Artifact {
            path: "favicon.ico".to_string(),
            bytes: super::favicon::ico(accent),
        });
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let strings = Lang::VARIANTS.map(|l| tera::Value::from_serializable(&site.strings[&l]));
        let homes = Lang::VARIANTS.map(|l| layout::home_title(site, l));
        let salt = {
            use std::hash::{Hash, Hasher};
            let mut h = crate::hash::hasher();
            for t in &site.templates {
                (&t.name, &t.text).hash(&mut h);
            }
            site.strings.hash(&mut h);
            (live_reload, crate::load::program_identity()).hash(&mut h);
            // What every page's layout shares (see `layout`).
            let items = nav.each_ref().map(|n| &n.items);
            (&site.config, items, &homes).hash(&mut h);
            // Every easy page's furigana.
            site.readings.hash(&mut h);
            h.finish()
        };
        Ok(Output {
            site,
            templates,
            defs,
            sets,
            nav,
            homes,
            live_reload,
            strings,
            salt,
            files,
            lazy_files,
            digest_files: Vec::new(),
            base_url: site.config.base_url.clone(),
        })
    }
}

//! The shared layout every page is wrapped in (`layout` in `base.html`):
//! language switcher, hreflang alternates, breadcrumb, navigation and
//! provenance footer; and the two language-neutral pages' data.

use super::TemplateData;
use super::links::PhoneCtx;
use super::{PageDef, ProvenanceCtx, page_href, root_prefix};
use crate::lang::Lang;
use crate::model::Site;
use serde::Serialize;

#[derive(Serialize)]
struct Link {
    title: String,
    href: String,
    current: bool,
}

/// A link to the same page in another variant (the language switcher).
#[derive(Serialize)]
struct VariantLink {
    title: &'static str,
    href: String,
    /// BCP 47 tag, for its `lang` and `hreflang`.
    lang: &'static str,
}

#[derive(Serialize)]
struct Alternate {
    hreflang: &'static str,
    href: String,
}

/// What the shared layout (`base.html`) needs on every page.
#[derive(Serialize)]
pub(super) struct LayoutCtx<'a> {
    /// BCP 47 tag of the page's language, for `lang` (`ja` on easy pages).
    lang: &'static str,
    /// The variant's URL segment, for links to pages of the same variant
    /// (`ja`, `en`, `easy`).
    segment: &'static str,
    /// An easy-Japanese page: it carries the furigana switch.
    easy: bool,
    site_title: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    root: String,
    canonical: String,
    alternates: Vec<Alternate>,
    /// The page in the other variants; empty on the bilingual pages.
    switcher: Vec<VariantLink>,
    crumbs: Vec<Link>,
    /// [`Link`]s, as a template value (see [`Nav`]).
    nav: tera::Value,
    /// [`ProvenanceCtx`] values.
    provenance: Vec<tera::Value>,
    live_reload: bool,
    /// Who runs the site and how to report a mistake: in the page's
    /// language, or in both on the bilingual pages; empty when the project
    /// states neither.
    identity: Vec<IdentityCtx>,
    /// The logo's path below the site root, when there is one.
    logo: Option<String>,
    /// The icon the page links besides `favicon.ico`.
    icon: IconCtx,
    /// Whether `[identity] accent_color` is set: then the page links
    /// `assets/accent.css` ([`accent_css`]).
    accent: bool,
    /// The change feeds the page links (`rel="alternate"`): its language's,
    /// and on an area page its prefecture's.
    feeds: Vec<FeedLink>,
}

/// A change feed (Atom) a page links.
#[derive(Serialize)]
struct FeedLink {
    title: String,
    href: String,
}

/// The feeds a page links: see [`LayoutCtx::feeds`].
fn feeds(site: &Site, lang: Lang, key: &str, root: &str) -> Vec<FeedLink> {
    use super::links::{AREAS_KEY, changes_path, prefecture_changes_path};
    // Made only for a page that links a feed: most pages link none.
    let title = || {
        format!(
            "{}: {}",
            site.config.title.str(lang),
            super::ui(site, lang, "changes_title")
        )
    };
    // Easy pages link the Japanese feeds (the feeds are of records, and
    // records are written in Japanese and English).
    let feed_lang = lang.text_lang();
    // The site's feed is announced on the home page, an area's
    // prefecture's feed on the area's page: not on every page.
    let mut feeds = Vec::new();
    if key.is_empty() {
        feeds.push(FeedLink {
            title: title(),
            href: format!("{root}{}", changes_path(feed_lang)),
        });
    }
    let area = key
        .strip_prefix(AREAS_KEY)
        .and_then(|k| k.strip_prefix('/'))
        .and_then(|code| site.area(&crate::model::AreaCode(code.to_string())));
    if let Some(area) = area {
        let pref = site.prefecture_of(area);
        feeds.push(FeedLink {
            title: format!("{} ({})", title(), pref.name.str(lang)),
            href: format!("{root}{}", prefecture_changes_path(feed_lang, &pref.code)),
        });
    }
    feeds
}

/// The site's identity in one language, its labels included.
#[derive(Serialize)]
struct IdentityCtx {
    lang: &'static str,
    heading: String,
    publisher_label: String,
    publisher: Option<String>,
    report_label: String,
    contact_page_label: String,
    contact_url: Option<String>,
    email_label: String,
    email: Option<String>,
    phone_label: String,
    phone: Option<PhoneCtx>,
}

/// A page icon: path below the site root and media type.
#[derive(Serialize)]
struct IconCtx {
    href: String,
    mime: &'static str,
}

/// UI strings the identity footer uses.
pub const IDENTITY_STRINGS: &[&str] = &[
    "identity_heading",
    "identity_publisher",
    "identity_report",
    "identity_contact_page",
    "phone",
    "email",
];

/// The identity footer in `lang`, or `None` when the project gives neither
/// a publisher nor a contact.
fn identity(site: &Site, lang: Lang) -> Option<IdentityCtx> {
    let id = &site.config.identity;
    if id.publisher.is_none() && !id.has_contact() {
        return None;
    }
    let ui = |key: &str| super::ui(site, lang, key);
    Some(IdentityCtx {
        lang: lang.url_segment(),
        heading: ui("identity_heading"),
        publisher_label: ui("identity_publisher"),
        publisher: id.publisher.as_ref().map(|p| p.str(lang).to_string()),
        report_label: ui("identity_report"),
        contact_page_label: ui("identity_contact_page"),
        contact_url: id.contact_url.clone(),
        email_label: ui("email"),
        email: id.contact_email.clone(),
        phone_label: ui("phone"),
        phone: id.contact_phone.as_deref().map(PhoneCtx::of),
    })
}

/// What every page's head and footer share: identity, logo, icon, accent.
fn theme_parts(site: &Site, langs: &[Lang]) -> ThemeParts {
    let id = &site.config.identity;
    let logo = id.logo.as_ref().map(|l| format!("assets/{l}"));
    let icon = match &logo {
        Some(l) => {
            let lower = l.to_ascii_lowercase();
            let mime = match lower.rsplit('.').next() {
                Some("svg") => "image/svg+xml",
                Some("png") => "image/png",
                Some("webp") => "image/webp",
                _ => "image/jpeg",
            };
            IconCtx {
                href: l.clone(),
                mime,
            }
        }
        None => IconCtx {
            href: "favicon.svg".to_string(),
            mime: "image/svg+xml",
        },
    };
    ThemeParts {
        identity: langs.iter().filter_map(|&l| identity(site, l)).collect(),
        logo,
        icon,
        accent: id.accent_color.is_some(),
    }
}

/// `assets/accent.css`: the theme's accent colours replaced by
/// `[identity] accent_color` (a file, not a `<style>` element, so pages
/// stay free of inline CSS).
pub fn accent_css([r, g, b]: [u8; 3]) -> Vec<u8> {
    // Hover: 30 % darker, so it keeps at least the accent's contrast.
    let dark = |c: u8| u8::try_from(u16::from(c) * 7 / 10).unwrap_or(c);
    format!(
        ":root{{--accent:#{r:02x}{g:02x}{b:02x};--accent-dark:#{:02x}{:02x}{:02x}}}",
        dark(r),
        dark(g),
        dark(b)
    )
    .into_bytes()
}

struct ThemeParts {
    identity: Vec<IdentityCtx>,
    logo: Option<String>,
    icon: IconCtx,
    accent: bool,
}

/// The navigation, as page keys in order: home, then `before_content`,
/// then the top-level content pages by weight, then `after_content`. A key
/// with no page in a language is left out of that language's navigation.
/// The home page links them all; every other page links home and the keys
/// in `everywhere` (a page's footer is most of its bytes otherwise: 18
/// links on each of ~800 pages were 1.4 MB of the shipped site).
pub struct NavKeys {
    pub before_content: Vec<String>,
    pub after_content: Vec<String>,
    pub everywhere: Vec<String>,
}

/// The home page's title, from `content/_index.<lang>.md` (validate requires
/// it; an easy page without `_index.easy.md` takes the Japanese title).
pub(super) fn home_title(site: &Site, lang: Lang) -> String {
    site.page_title("", lang).unwrap_or_default()
}

/// Navigation as (title, key, linked from every page), computed once per
/// language (see [`NavKeys`]).
pub(super) fn nav(site: &Site, lang: Lang, defs: &[PageDef], keys: &NavKeys) -> Vec<NavItem> {
    let page = |key: &String| {
        defs.iter()
            .find(|d| d.key == *key && d.lang == lang)
            .map(|d| (d.title.clone(), key.clone(), keys.everywhere.contains(key)))
    };
    let mut items: Vec<NavItem> = vec![(home_title(site, lang), String::new(), true)];
    items.extend(keys.before_content.iter().filter_map(page));
    // Easy pages list the Japanese pages' keys (each has an easy page, its
    // own text or the Japanese one), in the Japanese order.
    for p in site
        .pages
        .iter()
        .filter(|p| p.lang == lang.text_lang() && !p.key.is_empty() && !p.key.contains('/'))
    {
        let title = site.page_title(&p.key, lang).unwrap_or_default();
        let everywhere = keys.everywhere.contains(&p.key);
        items.push((title, p.key.clone(), everywhere));
    }
    items.extend(keys.after_content.iter().filter_map(page));
    items
}

/// A navigation entry: title, page key, and whether every page links it.
pub(super) type NavItem = (String, String, bool);

/// The deepest page whose navigation [`Nav`] keeps (`ja/a/b/…/`).
const NAV_DEPTHS: usize = 16;

/// A language's navigation ([`nav`]), and the links of a page that is
/// neither the home page nor linked from every page, made a template value
/// once per depth: all those pages link the same entries, none of them
/// current (made for each page, they were ~3 % of a 20,000-page site's
/// build).
pub(super) struct Nav {
    pub(super) items: Vec<NavItem>,
    everywhere: [std::sync::OnceLock<tera::Value>; NAV_DEPTHS],
}

impl Nav {
    pub(super) fn new(items: Vec<NavItem>) -> Nav {
        Nav {
            items,
            everywhere: Default::default(),
        }
    }

    /// The links of the page `key` whose path to the site root is `root`.
    fn links(&self, lang: Lang, key: &str, root: &str) -> tera::Value {
        let make = || {
            let links: Vec<Link> = self
                .items
                .iter()
                .filter(|(_, _, everywhere)| key.is_empty() || *everywhere)
                .map(|(title, k, _)| Link {
                    title: title.clone(),
                    href: page_href(root, lang, k),
                    current: *k == key,
                })
                .collect();
            tera::Value::from_serializable(&links)
        };
        let linked = |(_, k, everywhere): &NavItem| *everywhere && k == key;
        let depth = root.len() / "../".len();
        match self.everywhere.get(depth) {
            Some(cell) if !key.is_empty() && !self.items.iter().any(linked) => {
                cell.get_or_init(make).clone()
            }
            _ => make(),
        }
    }
}

/// The shared layout's data for a page (`layout` in every template);
/// `nav` is its language's navigation (see [`nav`]).
pub(super) fn page<'o>(
    site: &'o Site,
    nav: &Nav,
    home: &str,
    live_reload: bool,
    def: &'o PageDef,
) -> LayoutCtx<'o> {
    let lang = def.lang;
    let parts = theme_parts(site, &[lang]);
    let root = root_prefix(&def.key);
    let base = &site.config.base_url;
    let mut crumbs = Vec::new();
    if !def.key.is_empty() {
        crumbs.push(Link {
            title: home.to_string(),
            href: page_href(&root, lang, ""),
            current: false,
        });
        for (title, key) in &def.crumbs {
            crumbs.push(Link {
                title: title.clone(),
                href: page_href(&root, lang, key),
                current: false,
            });
        }
        crumbs.push(Link {
            title: def.title.clone(),
            href: page_href(&root, lang, &def.key),
            current: true,
        });
    }
    LayoutCtx {
        lang: lang.code(),
        segment: lang.url_segment(),
        easy: lang == Lang::Easy,
        site_title: site.config.title.str(lang),
        title: &def.title,
        // The site's description only on the home page: the same text on
        // every page tells a search engine nothing about the page.
        description: def.description.as_deref().or_else(|| {
            def.key
                .is_empty()
                .then(|| site.config.description.str(lang))
        }),
        canonical: page_href(base, lang, &def.key),
        alternates: alternates(base, lang, &def.key),
        switcher: Lang::VARIANTS
            .into_iter()
            .filter(|&l| l != lang)
            .map(|l| VariantLink {
                title: l.native_name(),
                href: page_href(&root, l, &def.key),
                lang: l.code(),
            })
            .collect(),
        crumbs,
        nav: nav.links(lang, &def.key, &root),
        provenance: def.provenance.iter().map(ProvenanceCtx::value).collect(),
        live_reload,
        feeds: feeds(site, lang, &def.key, &root),
        root,
        identity: parts.identity,
        logo: parts.logo,
        icon: parts.icon,
        accent: parts.accent,
    }
}

/// A page's `hreflang` alternates. The ja and en pages name each other
/// (and x-default, the Japanese page). An easy page names none and is named
/// by none: it is Japanese too, and a second `hreflang="ja"` for the same
/// page would conflict with the ja page's, so search engines see easy
/// pages as pages of their own (canonical to themselves, in the sitemap)
/// and the ja/en pairing stays as it is.
fn alternates(base: &str, lang: Lang, key: &str) -> Vec<Alternate> {
    if lang == Lang::Easy {
        return Vec::new();
    }
    let x_default = if key.is_empty() {
        base.to_string()
    } else {
        page_href(base, Lang::Ja, key)
    };
    vec![
        Alternate {
            hreflang: "ja",
            href: page_href(base, Lang::Ja, key),
        },
        Alternate {
            hreflang: "en",
            href: page_href(base, Lang::En, key),
        },
        Alternate {
            hreflang: "x-default",
            href: x_default,
        },
    ]
}

/// The root index and 404 page: bilingual, outside `/ja/` and `/en/`.
pub(super) fn neutral_context(site: &Site, path: &str, live_reload: bool) -> TemplateData {
    let base = &site.config.base_url;
    let parts = theme_parts(site, &Lang::ALL);
    // The 404 page is served at any URL, so its links must be absolute.
    let root = if path == "404.html" {
        base.clone()
    } else {
        String::new()
    };
    let layout = LayoutCtx {
        lang: "ja",
        segment: "ja",
        easy: false,
        site_title: site.config.title.str(Lang::Ja),
        title: site.config.title.str(Lang::Ja),
        description: Some(site.config.description.str(Lang::Ja)),
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
        switcher: Vec::new(),
        crumbs: Vec::new(),
        nav: tera::Value::from_serializable(&[] as &[Link]),
        provenance: Vec::new(),
        live_reload,
        feeds: Vec::new(),
        root,
        identity: parts.identity,
        logo: parts.logo,
        icon: parts.icon,
        accent: parts.accent,
    };
    let mut ctx = TemplateData::new();
    ctx.insert("layout", &layout);
    ctx.insert("site_title_en", site.config.title.str(Lang::En));
    ctx.insert("description_en", site.config.description.str(Lang::En));
    ctx
}

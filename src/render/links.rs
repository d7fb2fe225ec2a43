//! Where pages live and how one page links to another: the keys of area,
//! hub and council pages, an area's display name, and the contact block
//! every hub view shows. Shared by the features, so none imports another.

use crate::lang::{Lang, Text};
use crate::model::{Area, AreaCode, AreaKind, Hub, ProviderId, Site};
use crate::render::page_path;
use serde::Serialize;

/// Key of the area list page.
pub const AREAS_KEY: &str = "areas";
/// Key of the hub list page.
pub const HUBS_KEY: &str = "hubs";
/// Key of the councils index, made when there is more than one prefecture.
pub const COUNCILS_KEY: &str = "councils";
pub fn area_key(code: &AreaCode) -> String {
    format!("{AREAS_KEY}/{code}")
}

pub fn hub_key(hub: &Hub) -> String {
    format!("{HUBS_KEY}/{}", hub.id)
}

/// Key of a provider's page.
pub fn provider_key(id: &ProviderId) -> String {
    format!("registry/{id}")
}

/// Site-relative path of a language's change feed (Atom).
pub fn changes_path(lang: Lang) -> String {
    format!("{}changes.xml", page_path(lang, ""))
}

/// Site-relative path of a prefecture's change feed, beside its area page.
pub fn prefecture_changes_path(lang: Lang, prefecture: &AreaCode) -> String {
    format!("{}changes.xml", page_path(lang, &area_key(prefecture)))
}

/// An area's name for display: wards carry their city (横浜市港北区).
pub fn full_name(site: &Site, area: &Area, lang: Lang) -> String {
    let name = area.name.str(lang);
    match (area.kind, area.parent.as_ref().and_then(|p| site.area(p))) {
        (AreaKind::Ward, Some(city)) => match lang {
            Lang::Ja | Lang::Easy => format!("{}{}", city.name.ja, name),
            Lang::En => format!("{name}, {}", city.name.en),
        },
        _ => name.to_string(),
    }
}

#[derive(Serialize)]
pub struct LinkCtx {
    pub name: String,
    pub path: String,
}

/// A link to an area's page, under its full name.
pub fn area_link(site: &Site, area: &Area, lang: Lang) -> LinkCtx {
    LinkCtx {
        name: full_name(site, area, lang),
        path: page_path(lang, &area_key(&area.code)),
    }
}

#[derive(Serialize)]
pub struct PhoneCtx {
    pub display: String,
    pub tel: String,
}

impl PhoneCtx {
    /// A phone number as written, and as a `tel:` link's digits.
    pub fn of(phone: &str) -> PhoneCtx {
        PhoneCtx {
            display: phone.to_string(),
            tel: phone
                .chars()
                .filter(|ch| ch.is_ascii_digit() || *ch == '+')
                .collect(),
        }
    }
}

/// A hub's contact routes; absent ones are shown as 未掲載 / not listed yet.
#[derive(Serialize)]
pub struct ContactCtx {
    pub known: bool,
    pub phone: Option<PhoneCtx>,
    pub fax: Option<String>,
    pub email: Option<String>,
    pub form_url: Option<String>,
    pub hours: Option<String>,
    pub ask_instead: Option<String>,
}

impl ContactCtx {
    /// Display form of contact routes; `ask_instead` is where to ask while
    /// they are unknown.
    pub fn new(c: &crate::model::Contact, ask_instead: Option<&Text>, lang: Lang) -> ContactCtx {
        ContactCtx {
            known: !c.is_unknown(),
            phone: c.phone.as_ref().map(|p| PhoneCtx::of(p)),
            fax: c.fax.clone(),
            email: c.email.clone(),
            form_url: c.form_url.clone(),
            hours: c.hours.as_ref().map(|h| h.str(lang).to_string()),
            ask_instead: ask_instead.map(|a| a.str(lang).to_string()),
        }
    }
}

/// Key of a prefecture's council page.
pub fn council_key(prefecture: &AreaCode) -> String {
    format!("{COUNCILS_KEY}/{prefecture}")
}

/// Areas sorted the way a reader of `lang` looks for them: 五十音 by reading
/// in Japanese, alphabetical in English.
pub fn sorted(mut areas: Vec<&Area>, lang: Lang) -> Vec<&Area> {
    match lang {
        Lang::Ja | Lang::Easy => areas.sort_by(|a, b| (&a.kana, &a.code).cmp(&(&b.kana, &b.code))),
        Lang::En => areas.sort_by(|a, b| {
            (a.name.en.to_lowercase(), &a.code).cmp(&(b.name.en.to_lowercase(), &b.code))
        }),
    }
    areas
}

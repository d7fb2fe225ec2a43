//! How a provider shows: its own page, its card in a list, and its entry
//! in a compact list.

use super::{care_string, kind_page_key, kind_string, provider_key};
use crate::lang::{Lang, opt};
use crate::model::*;
use crate::render::TemplateData;
use crate::render::json_ld::{self, Node};
use crate::render::links::{ContactCtx, LinkCtx, area_link, full_name};
use crate::render::{page_path, ui};
use rayon::prelude::*;
use serde::Serialize;

#[derive(Serialize)]
struct CapCtx {
    key: &'static str,
    label: String,
    state: &'static str,
}

#[derive(Serialize)]
pub(super) struct ProviderCtx {
    id: String,
    name: String,
    path: String,
    kind: String,
    kind_path: String,
    kana: Option<String>,
    areas: Vec<LinkCtx>,
    care: Vec<CapCtx>,
    ages: Vec<CapCtx>,
    operator: Option<String>,
    role: Option<String>,
    address: Option<String>,
    postcode: Option<String>,
    url: Option<String>,
    note: Option<String>,
    contact: ContactCtx,
    last_verified: Option<String>,
    as_of: String,
}

pub(super) fn provider_ctx(site: &Site, p: &Provider, lang: Lang) -> ProviderCtx {
    let care: Vec<CapCtx> = p
        .care
        .iter()
        .map(|(n, cap)| CapCtx {
            key: n.key(),
            label: ui(site, lang, &care_string(*n)),
            state: cap.key(),
        })
        .collect();
    let c = &p.contact;
    ProviderCtx {
        id: p.id.to_string(),
        name: p.name.str(lang).to_string(),
        path: page_path(lang, &provider_key(p)),
        kind: ui(site, lang, &kind_string(p.kind)),
        kind_path: page_path(lang, &kind_page_key(p.kind)),
        kana: p.kana.clone().filter(|_| lang.text_lang() == Lang::Ja),
        areas: p
            .areas
            .iter()
            .filter_map(|code| site.area(code))
            .map(|a| area_link(site, a, lang))
            .collect(),
        care,
        ages: p
            .ages
            .iter()
            .map(|(g, cap)| CapCtx {
                key: g.key(),
                label: ui(site, lang, &format!("age_{}", g.key())),
                state: cap.key(),
            })
            .collect(),
        operator: opt(&p.operator, lang),
        role: opt(&p.role, lang),
        address: opt(&p.address, lang),
        postcode: p.postcode.clone(),
        url: p.url.clone(),
        note: opt(&p.note, lang),
        contact: ContactCtx::new(c, None, lang),
        last_verified: p.provenance.last_verified.map(|d| d.display(lang)),
        as_of: p.provenance.as_of.display(lang),
    }
}

/// The schema.org type of a provider's kind: the closest of an allow-list
/// (care and welfare services are `LocalBusiness`es, as most are run by
/// companies and social-welfare corporations).
pub(super) fn schema_type(kind: ProviderKind) -> &'static str {
    match kind {
        ProviderKind::HospitalClinic | ProviderKind::VisitingNursing => "MedicalOrganization",
        ProviderKind::Nursery => "ChildCare",
        ProviderKind::School => "School",
        ProviderKind::MunicipalOffice => "GovernmentOffice",
        ProviderKind::HomeHelp
        | ProviderKind::ShortStay
        | ProviderKind::ChildDevelopmentSupport
        | ProviderKind::AfterSchoolDayService
        | ProviderKind::DailyLifeCare
        | ProviderKind::ConsultationSupport
        | ProviderKind::CoreConsultationCenter => "LocalBusiness",
        ProviderKind::Other => "Organization",
    }
}

/// A provider page's main entity: the organisation with what is known of
/// its address, location and contact.
pub(super) fn provider_entity(site: &Site, p: &Provider, lang: Lang) -> serde_json::Value {
    let address = (p.address.is_some() || p.postcode.is_some()).then(|| {
        Node::new("PostalAddress")
            .opt("streetAddress", p.address.as_ref().map(|a| a.str(lang)))
            .opt("postalCode", p.postcode.clone())
            .set("addressCountry", "JP")
            .value()
    });
    let geo = p.location.map(|LatLon(lat, lon)| {
        Node::new("GeoCoordinates")
            .set("latitude", lat)
            .set("longitude", lon)
            .value()
    });
    let operator = p
        .operator
        .as_ref()
        .map(|o| Node::new("Organization").set("name", o.str(lang)).value());
    let c = &p.contact;
    Node::new(schema_type(p.kind))
        .set(
            "@id",
            format!(
                "{}#organization",
                json_ld::url(site, lang, &provider_key(p))
            ),
        )
        .set("name", p.name.str(lang))
        .opt(
            "alternateName",
            p.kana.clone().filter(|_| lang.text_lang() == Lang::Ja),
        )
        .opt("description", p.role.as_ref().map(|r| r.str(lang)))
        .opt("address", address)
        .opt("geo", geo)
        .opt("telephone", c.phone.clone())
        .opt("faxNumber", c.fax.clone())
        .opt("email", c.email.clone())
        .opt("url", p.url.clone())
        .opt("contactPoint", json_ld::contact_point(c, lang))
        .opt("parentOrganization", operator)
        .set(
            "areaServed",
            p.areas
                .iter()
                .filter_map(|code| site.area(code))
                .map(|a| json_ld::administrative_area(site, a, lang))
                .collect::<Vec<_>>(),
        )
        .value()
}

/// A provider as a card in a list (`partials/provider-card.html`): only
/// what the card shows, as a prefecture page of a national registry has
/// hundreds of cards (and each value is converted for tera).
#[derive(Serialize)]
struct CardCtx {
    name: String,
    path: String,
    kind: String,
    /// The names of the areas it serves.
    areas: Vec<String>,
    /// `need=y|n|u` pairs for the filter script.
    care_data: String,
    care_yes: Vec<String>,
    care_no: Vec<String>,
    has_unknown: bool,
    last_verified: Option<String>,
}

fn card_ctx(site: &Site, p: &Provider, lang: Lang) -> CardCtx {
    let with = |want: Capability| -> Vec<String> {
        p.care
            .iter()
            .filter(|(_, c)| *c == want)
            .map(|(n, _)| ui(site, lang, &care_string(*n)))
            .collect()
    };
    CardCtx {
        name: p.name.str(lang).to_string(),
        path: page_path(lang, &provider_key(p)),
        kind: ui(site, lang, &kind_string(p.kind)),
        areas: p
            .areas
            .iter()
            .filter_map(|code| site.area(code))
            .map(|a| full_name(site, a, lang))
            .collect(),
        care_data: p
            .care
            .iter()
            .map(|(n, cap)| format!("{}={}", n.key(), &cap.key()[..1]))
            .collect::<Vec<_>>()
            .join(" "),
        care_yes: with(Capability::Yes),
        care_no: with(Capability::No),
        has_unknown: p.care.iter().any(|(_, c)| *c == Capability::Unknown),
        last_verified: p.provenance.last_verified.map(|d| d.display(lang)),
    }
}

/// A provider in a compact list (a split list's prefecture page).
#[derive(Serialize)]
struct CompactCtx {
    name: String,
    path: String,
    kind: String,
}

/// What a compact list shows of each provider in one language, made once
/// and shared: a national provider is listed compactly on its kind's and
/// 13 care needs' prefecture pages, and making its entry anew on each was
/// 5 % of a national build.
pub(super) struct CompactEntries<'a> {
    site: &'a Site,
    lang: Lang,
    made: Vec<std::sync::OnceLock<tera::Value>>,
}

impl<'a> CompactEntries<'a> {
    pub(super) fn new(site: &'a Site, lang: Lang) -> CompactEntries<'a> {
        CompactEntries {
            site,
            lang,
            made: (0..site.providers.len())
                .map(|_| Default::default())
                .collect(),
        }
    }

    /// Provider `i`'s entry (a clone shares it).
    fn get(&self, i: usize) -> tera::Value {
        let (site, lang) = (self.site, self.lang);
        let entry = self.made[i].get_or_init(|| {
            let p = &site.providers[i];
            tera::Value::from_serializable(&CompactCtx {
                name: p.name.str(lang).to_string(),
                path: page_path(lang, &provider_key(p)),
                kind: ui(site, lang, &kind_string(p.kind)),
            })
        });
        entry.clone()
    }
}

/// Puts the providers `members` (indices into `site.providers`) into a
/// page's data under `name`: as whole cards, or as names and kinds only
/// when `compact`.
pub(super) fn put_list(
    entries: &CompactEntries,
    body: &mut TemplateData,
    name: &'static str,
    members: &[usize],
    compact: bool,
) {
    let (site, lang) = (entries.site, entries.lang);
    if compact {
        let list: Vec<tera::Value> = members.iter().map(|&i| entries.get(i)).collect();
        body.insert_value(name, tera::Value::from(list));
    } else {
        // Whole cards, made in parallel: a prefecture page of a national
        // registry has hundreds (a rebuild waits for the largest).
        let list: Vec<tera::Value> = members
            .par_iter()
            .map(|&i| tera::Value::from_serializable(&card_ctx(site, &site.providers[i], lang)))
            .collect();
        body.insert_value(name, tera::Value::from(list));
    }
}

//! Validation of the registry: providers, individual coordinators, and the
//! privacy markers of every registry record.
//!
//! Privacy is enforced here, once: a record with `private = true` (or a
//! coordinator without `publish = true`) is validated and then dropped, and a
//! field named in `private_fields` is validated and then cleared. What is not
//! in the model cannot reach any page, data file, search index or flyer.

use super::Validator;
use super::fields::{
    RESERVED_PROVIDER_IDS, check_email, check_katakana, check_location, check_phone,
    check_postcode, check_url,
};
use crate::load::Spanned;
use crate::load::{Inputs, RawContact, RawProvider, SourceText};
use crate::model::*;
use std::collections::{BTreeMap, BTreeSet};

/// Keys `private_fields` may name in a hub record.
pub const HUB_PRIVATE_FIELDS: &[&str] = &[
    "operator",
    "address",
    "setting",
    "staff",
    "ask_instead",
    "contact.phone",
    "contact.fax",
    "contact.email",
    "contact.form_url",
    "contact.hours",
];

/// Keys `private_fields` may name in a provider record.
pub const PROVIDER_PRIVATE_FIELDS: &[&str] = &[
    "kana",
    "operator",
    "role",
    "address",
    "postcode",
    "location",
    "url",
    "note",
    "contact.phone",
    "contact.fax",
    "contact.email",
    "contact.form_url",
    "contact.hours",
];

/// Keys `private_fields` may name in a coordinator record.
pub const COORDINATOR_PRIVATE_FIELDS: &[&str] = &[
    "profession",
    "affiliation",
    "provider",
    "areas",
    "training_year",
];

impl Validator {
    /// Checks `private_fields` names; returns the set.
    fn private_fields(
        &mut self,
        file: &SourceText,
        raw: &[Spanned<String>],
        allowed: &[&str],
    ) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for f in raw {
            if allowed.contains(&f.get_ref().as_str()) {
                out.insert(f.get_ref().clone());
            } else {
                self.error(
                    file,
                    f.span(),
                    format!("`{}` cannot be marked private here", f.get_ref()),
                    &format!(
                        "use one of: {}; to keep the whole record off the site, write private = true",
                        allowed.join(", ")
                    ),
                );
            }
        }
        out
    }

    /// Validates a contact block and returns it with private fields cleared.
    fn registry_contact(
        &mut self,
        file: &SourceText,
        c: &RawContact,
        private: &BTreeSet<String>,
    ) -> Contact {
        for phone in [&c.phone, &c.fax].into_iter().flatten() {
            if let Err(msg) = check_phone(phone.get_ref()) {
                self.error(
                    file,
                    phone.span(),
                    msg,
                    "write it as in the source, e.g. 03-1234-5678",
                );
            }
        }
        if let Some(email) = &c.email
            && let Err(msg) = check_email(email.get_ref())
        {
            self.error(file, email.span(), msg, "");
        }
        if let Some(url) = &c.form_url
            && let Err(msg) = check_url(url.get_ref())
        {
            self.error(file, url.span(), msg, "write an absolute https:// URL");
        }
        let hours = self.opt_text(file, "contact.hours", &c.hours);
        if let Some(s) = c.source.as_ref().or(c.as_of.as_ref()) {
            self.error(
                file,
                s.span(),
                "a provider's contact cannot name its own source or as_of",
                "remove contact.source and contact.as_of: a provider's values come from the record's source",
            );
        }
        let keep = |key: &str| !private.contains(key);
        Contact {
            phone: c
                .phone
                .as_ref()
                .filter(|_| keep("contact.phone"))
                .map(|p| p.get_ref().clone()),
            fax: c
                .fax
                .as_ref()
                .filter(|_| keep("contact.fax"))
                .map(|p| p.get_ref().clone()),
            email: c
                .email
                .as_ref()
                .filter(|_| keep("contact.email"))
                .map(|p| p.get_ref().clone()),
            form_url: c
                .form_url
                .as_ref()
                .filter(|_| keep("contact.form_url"))
                .map(|p| p.get_ref().clone()),
            hours: hours.filter(|_| keep("contact.hours")),
            provenance: None,
        }
    }

    /// Applies hubs' `private` and `private_fields` (the hubs themselves are
    /// validated in `data.rs`).
    pub(super) fn hub_privacy(&mut self, inputs: &Inputs, hubs: Vec<Hub>) -> Vec<Hub> {
        let mut private_ids = BTreeSet::new();
        let mut fields: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for f in &inputs.hubs {
            for h in &f.value.hub {
                if h.private {
                    private_ids.insert(h.id.get_ref().clone());
                }
                let set = self.private_fields(&f.file, &h.private_fields, HUB_PRIVATE_FIELDS);
                fields.insert(h.id.get_ref().clone(), set);
            }
        }
        hubs.into_iter()
            .filter(|h| !private_ids.contains(h.id.as_str()))
            .map(|mut h| {
                if let Some(p) = fields.get(h.id.as_str()) {
                    let has = |k: &str| p.contains(k);
                    if has("operator") {
                        h.operator = None;
                    }
                    if has("address") {
                        h.address = None;
                    }
                    if has("setting") {
                        h.setting = None;
                    }
                    if has("staff") {
                        h.staff = None;
                    }
                    if has("ask_instead") {
                        h.ask_instead = None;
                    }
                    if has("contact.phone") {
                        h.contact.phone = None;
                    }
                    if has("contact.fax") {
                        h.contact.fax = None;
                    }
                    if has("contact.email") {
                        h.contact.email = None;
                    }
                    if has("contact.form_url") {
                        h.contact.form_url = None;
                    }
                    if has("contact.hours") {
                        h.contact.hours = None;
                    }
                }
                h
            })
            .collect()
    }

    pub(super) fn providers(&mut self, inputs: &Inputs, areas: &[Area]) -> Vec<Provider> {
        let mut seen = BTreeMap::new();
        // Sized up front: a national registry's 20,000 records would
        // otherwise be copied each time the list grows.
        let records = inputs.providers.iter().map(|f| f.value.provider.len());
        let mut out = Vec::with_capacity(records.sum());
        for f in &inputs.providers {
            let file = &f.file;
            for p in &f.value.provider {
                let id = p.id.get_ref();
                self.provider_id(file, p);
                if !self.unique(&mut seen, file, "provider id", &p.id) {
                    continue;
                }
                let private = self.private_fields(file, &p.private_fields, PROVIDER_PRIVATE_FIELDS);
                let keep = |key: &str| !private.contains(key);
                let codes = self.provider_areas(file, p, areas);
                self.provider_formats(file, p);
                let location = self.provider_location(file, p);
                let provider = Provider {
                    id: ProviderId(id.clone()),
                    name: self.name(file, "name", &p.name),
                    kana: p
                        .kana
                        .as_ref()
                        .filter(|_| keep("kana"))
                        .map(|k| k.get_ref().clone()),
                    kind: *p.kind.get_ref(),
                    areas: codes,
                    care: CareNeed::ALL
                        .iter()
                        .map(|n| (*n, p.care.get(n).copied().unwrap_or(Capability::Unknown)))
                        .collect(),
                    ages: AgeGroup::ALL
                        .iter()
                        .map(|g| (*g, p.ages.get(g).copied().unwrap_or(Capability::Unknown)))
                        .collect(),
                    operator: self
                        .opt_text(file, "operator", &p.operator)
                        .filter(|_| keep("operator")),
                    role: self
                        .opt_text(file, "role", &p.role)
                        .filter(|_| keep("role")),
                    address: self
                        .opt_text(file, "address", &p.address)
                        .filter(|_| keep("address")),
                    postcode: p
                        .postcode
                        .as_ref()
                        .filter(|_| keep("postcode"))
                        .map(|s| s.get_ref().clone()),
                    location: location.filter(|_| keep("location")),
                    url: p
                        .url
                        .as_ref()
                        .filter(|_| keep("url"))
                        .map(|s| s.get_ref().clone()),
                    contact: self.registry_contact(file, &p.contact, &private),
                    note: self
                        .opt_text(file, "note", &p.note)
                        .filter(|_| keep("note")),
                    provenance: self.provenance(file, &p.source, &p.as_of, Some(&p.last_verified)),
                    file: file.path.clone(),
                };
                if !p.private {
                    out.push(provider);
                }
            }
        }
        // Ids are unique here (a repeat was skipped), so an unstable sort
        // orders them alike, moving fewer of these large records.
        out.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        out
    }

    /// A provider id: lowercase letters, digits and hyphens (it becomes
    /// the page URL), and not one of the registry's own pages.
    fn provider_id(&mut self, file: &SourceText, p: &RawProvider) {
        let id = p.id.get_ref();
        if let Err(msg) = super::ids::check_id(id) {
            self.error(
                file,
                p.id.span(),
                format!("provider {msg}"),
                "it becomes the page URL, e.g. id = \"chiyoda-kodomo-hattatsu\"",
            );
        }
        if RESERVED_PROVIDER_IDS.contains(&id.as_str()) {
            self.error(
                file,
                p.id.span(),
                format!("provider id `{id}` is reserved for the registry's own pages"),
                "choose another id",
            );
        }
    }

    /// The areas a provider serves: at least one, none twice.
    fn provider_areas(
        &mut self,
        file: &SourceText,
        p: &RawProvider,
        areas: &[Area],
    ) -> Vec<AreaCode> {
        let mut codes = Vec::new();
        for a in p.areas.get_ref() {
            let code = self.area_ref(file, a, areas);
            if codes.contains(&code) {
                self.error(file, a.span(), format!("area `{code}` is listed twice"), "");
            }
            codes.push(code);
        }
        if codes.is_empty() {
            self.error(
                file,
                p.areas.span(),
                "a provider serves at least one area",
                "list the codes of the areas it serves, e.g. areas = [\"131016\"]",
            );
        }
        codes
    }

    /// The reading, postcode and URL, where given, as written in data.
    fn provider_formats(&mut self, file: &SourceText, p: &RawProvider) {
        if let Some(k) = &p.kana
            && let Err(msg) = check_katakana(k.get_ref())
        {
            self.error(file, k.span(), msg, "write the reading in full-width katakana, e.g. kana = \"チヨダクコドモハッタツセンター\"");
        }
        if let Some(pc) = &p.postcode
            && let Err(msg) = check_postcode(pc.get_ref())
        {
            self.error(file, pc.span(), msg, "");
        }
        if let Some(u) = &p.url {
            self.check_url(file, u);
        }
    }

    /// The provider's location: both latitude and longitude, in Japan, or neither.
    fn provider_location(&mut self, file: &SourceText, p: &RawProvider) -> Option<LatLon> {
        match (&p.latitude, &p.longitude) {
            (Some(la), Some(lo)) => {
                if let Err(msg) = check_location(*la.get_ref(), *lo.get_ref()) {
                    self.error(file, la.span(), msg, "");
                }
                Some(LatLon(*la.get_ref(), *lo.get_ref()))
            }
            (None, None) => None,
            (Some(s), None) | (None, Some(s)) => {
                self.error(
                    file,
                    s.span(),
                    "give both latitude and longitude, or neither",
                    "",
                );
                None
            }
        }
    }

    pub(super) fn coordinators(
        &mut self,
        inputs: &Inputs,
        areas: &[Area],
        providers: &[Provider],
    ) -> Vec<Coordinator> {
        // Every provider id, private ones included; gathered only if a
        // coordinator names a provider (a national registry has 20,000).
        let all_providers = std::cell::OnceCell::new();
        let exists = |id: &str| {
            all_providers
                .get_or_init(|| {
                    let records = inputs.providers.iter().flat_map(|f| &f.value.provider);
                    records
                        .map(|p| p.id.get_ref().as_str())
                        .collect::<BTreeSet<&str>>()
                })
                .contains(id)
        };
        let mut seen = BTreeMap::new();
        let mut out = Vec::new();
        for f in &inputs.coordinators {
            let file = &f.file;
            for c in &f.value.coordinator {
                if !self.unique(&mut seen, file, "coordinator id", &c.id) {
                    continue;
                }
                let private =
                    self.private_fields(file, &c.private_fields, COORDINATOR_PRIVATE_FIELDS);
                let keep = |key: &str| !private.contains(key);
                let provider = c.provider.as_ref().map(|p| {
                    if !exists(p.get_ref()) {
                        self.error(
                            file,
                            p.span(),
                            format!("provider `{}` does not exist", p.get_ref()),
                            "use an id from data/providers/",
                        );
                    }
                    ProviderId(p.get_ref().clone())
                });
                let codes: Vec<AreaCode> = c
                    .areas
                    .iter()
                    .map(|a| self.area_ref(file, a, areas))
                    .collect();
                let coordinator = Coordinator {
                    id: c.id.get_ref().clone(),
                    name: self.name(file, "name", &c.name),
                    profession: self
                        .opt_text(file, "profession", &c.profession)
                        .filter(|_| keep("profession")),
                    affiliation: self
                        .opt_text(file, "affiliation", &c.affiliation)
                        .filter(|_| keep("affiliation")),
                    // A link to a provider that is itself private is dropped.
                    provider: provider
                        .filter(|_| keep("provider"))
                        .filter(|p| providers.binary_search_by(|q| q.id.cmp(p)).is_ok()),
                    areas: if keep("areas") { codes } else { Vec::new() },
                    training_year: c
                        .training_year
                        .as_ref()
                        .filter(|_| keep("training_year"))
                        .map(|y| *y.get_ref()),
                    provenance: self.provenance(
                        file,
                        &c.source,
                        &c.as_of,
                        c.last_verified.as_ref(),
                    ),
                };
                if c.publish {
                    out.push(coordinator);
                }
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }
}

//! What `tsunagu check` reports of the registry: gaps (unknown values) and
//! records not verified for a long time.

use crate::model::*;

/// Gaps (unknown values) of the registry, for `tsunagu check`.
/// `gap(kind, missing, id)` notes record `id` under `kind` when `missing`.
pub fn gaps(site: &Site, gap: &mut impl FnMut(&'static str, bool, &str)) {
    for p in &site.providers {
        let id = p.id.as_str();
        let c = &p.contact;
        gap("provider contact phone", c.phone.is_none(), id);
        gap("provider contact (any route)", c.is_unknown(), id);
        gap("provider address", p.address.is_none(), id);
        gap("provider name reading (kana)", p.kana.is_none(), id);
        gap(
            "provider care needs (all unknown)",
            p.care.iter().all(|(_, c)| *c == Capability::Unknown),
            id,
        );
        gap(
            "provider ages served (all unknown)",
            p.ages.iter().all(|(_, c)| *c == Capability::Unknown),
            id,
        );
    }
}

/// Providers and coordinators whose `last_verified` is older than the
/// configured age, for `tsunagu check`.
pub fn stale(site: &Site, today: Date, out: &mut Vec<(String, Date)>) {
    let max = i32::try_from(site.config.stale_after_months).unwrap_or(i32::MAX);
    for p in &site.providers {
        if let Some(v) = p.provenance.last_verified
            && v.months_until(&today) >= max
        {
            out.push((format!("provider {} ({})", p.id, p.file.display()), v));
        }
    }
    for k in &site.coordinators {
        if let Some(v) = k.provenance.last_verified
            && v.months_until(&today) >= max
        {
            out.push((format!("coordinator {}", k.id), v));
        }
    }
}

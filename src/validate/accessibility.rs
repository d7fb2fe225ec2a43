//! `data/accessibility.toml` → [`AccessibilityRun`]: the harness writes it,
//! but a site's CI may hand-edit or truncate it, so every value is checked.

use super::Validator;
use crate::load::Inputs;
use crate::model::{AccessibilityRun, Criterion, PageResult};
use std::collections::BTreeMap;

/// `1.4.3`, `2.5.8`: three dot-separated numbers.
fn is_criterion(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
}

impl Validator {
    pub(super) fn accessibility(&mut self, inputs: &Inputs) -> Option<AccessibilityRun> {
        let f = inputs.accessibility.as_ref()?;
        let (file, raw) = (&f.file, &f.value);
        let date = self.date(file, &raw.date);
        if date.day.is_none() {
            self.error(
                file,
                raw.date.span(),
                "the run's date needs a day",
                "write it as YYYY-MM-DD",
            );
        }
        if let Some(today) = self.today
            && date > today
        {
            self.error(
                file,
                raw.date.span(),
                "the run's date is in the future",
                "the harness writes today's date; run it again",
            );
        }
        for v in [&raw.tool, &raw.version, &raw.browser] {
            if v.get_ref().trim().is_empty() {
                self.error(
                    file,
                    v.span(),
                    "this must not be empty",
                    "run the harness again to rewrite the file",
                );
            }
        }
        let mut criteria = Vec::new();
        for c in &raw.criteria {
            if !is_criterion(c.id.get_ref()) {
                self.error(
                    file,
                    c.id.span(),
                    format!(
                        "`{}` is not a WCAG success criterion number",
                        c.id.get_ref()
                    ),
                    "write it like \"1.4.3\"",
                );
            }
            if !matches!(c.level.get_ref().as_str(), "A" | "AA") {
                self.error(
                    file,
                    c.level.span(),
                    format!("level `{}` is not A or AA", c.level.get_ref()),
                    "the site's target is WCAG 2.2 AA: level A or AA",
                );
            }
            criteria.push(Criterion {
                id: c.id.get_ref().clone(),
                level: c.level.get_ref().clone(),
            });
        }
        let mut pages = BTreeMap::new();
        for p in &raw.pages {
            if !p.get_ref().starts_with('/') {
                self.error(
                    file,
                    p.span(),
                    format!("`{}` is not a site path", p.get_ref()),
                    "write pages as paths from the site's root, like \"/ja/areas/\"",
                );
            } else if pages
                .insert(p.get_ref().clone(), PageResult::default())
                .is_some()
            {
                self.error(
                    file,
                    p.span(),
                    format!("page `{}` is listed twice", p.get_ref()),
                    "list each page once",
                );
            }
        }
        for fail in &raw.failure {
            let failed: Vec<String> = fail.criteria.iter().map(|c| c.get_ref().clone()).collect();
            for c in &fail.criteria {
                if !criteria.iter().any(|k| &k.id == c.get_ref()) {
                    self.error(
                        file,
                        c.span(),
                        format!("criterion `{}` is not in `criteria`", c.get_ref()),
                        "list every failed criterion in `criteria` too",
                    );
                }
            }
            match pages.get_mut(fail.path.get_ref()) {
                Some(_) if fail.rules.is_empty() => {
                    self.error(
                        file,
                        fail.path.span(),
                        "a failure with no rules",
                        "list the axe rules that failed on this page",
                    );
                }
                Some(r) => {
                    *r = PageResult {
                        failed,
                        rules: fail.rules.iter().map(|r| r.get_ref().clone()).collect(),
                    }
                }
                None => self.error(
                    file,
                    fail.path.span(),
                    format!("page `{}` is not in `pages`", fail.path.get_ref()),
                    "list every tested page in `pages`",
                ),
            }
        }
        Some(AccessibilityRun {
            date,
            tool: raw.tool.get_ref().clone(),
            version: raw.version.get_ref().clone(),
            browser: raw.browser.get_ref().clone(),
            widths: raw.widths.clone(),
            criteria,
            pages,
        })
    }
}

//! The latest accessibility test of the site (アクセシビリティ試験結果),
//! from `data/accessibility.toml`, which the e2e harness writes.

use super::Date;
use std::collections::BTreeMap;

/// One run of the automated accessibility test over the whole site.
#[derive(Debug, Clone)]
pub struct AccessibilityRun {
    pub date: Date,
    /// The checker (`axe-core`) and its version.
    pub tool: String,
    pub version: String,
    pub browser: String,
    /// Window widths the checker ran at, in CSS pixels.
    pub widths: Vec<u32>,
    /// WCAG success criteria (達成基準) the run's rules test, in WCAG order.
    pub criteria: Vec<Criterion>,
    /// Every page tested, by site path (`/ja/areas/`).
    pub pages: BTreeMap<String, PageResult>,
}

/// A WCAG success criterion: `1.4.3`, level `AA`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    pub id: String,
    pub level: String,
}

/// What the run found on one page: nothing (passed), or the rules with a
/// violation and the criteria they test (a rule may test none at A or AA).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageResult {
    pub failed: Vec<String>,
    pub rules: Vec<String>,
}

impl PageResult {
    pub fn passed(&self) -> bool {
        self.rules.is_empty()
    }
}

//! [`TemplateData`]: what a page's template reads, open to hashing.

use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use tera::Context;

/// A page's template data, as tera's `Context` holds it (each value turned
/// into a tera value when inserted), but one that can be hashed: a page's
/// input hash covers its data itself ([`crate::hash::feed`]), and tera's
/// `Context` can neither be iterated nor hashed.
#[derive(Clone, Default, Serialize)]
#[serde(transparent)]
pub struct TemplateData(BTreeMap<Cow<'static, str>, tera::Value>);

impl TemplateData {
    pub fn new() -> Self {
        Self::default()
    }

    /// Inserts (or replaces) a value under `key`, as `Context::insert` does.
    pub fn insert<K: Into<Cow<'static, str>>, T: Serialize + ?Sized>(&mut self, key: K, value: &T) {
        self.0
            .insert(key.into(), tera::Value::from_serializable(value));
    }

    pub fn insert_value<K: Into<Cow<'static, str>>>(&mut self, key: K, value: tera::Value) {
        self.0.insert(key.into(), value);
    }

    /// Adds `other`'s values, replacing those under the same keys.
    pub fn extend(&mut self, other: TemplateData) {
        self.0.extend(other.0);
    }

    pub fn get(&self, key: &str) -> Option<&tera::Value> {
        self.0.get(key)
    }

    /// Moves the values into a tera context.
    pub(super) fn move_into(self, ctx: &mut Context) {
        for (key, value) in self.0 {
            ctx.insert_value(key, value);
        }
    }

    /// Copies the values into a tera context.
    pub(super) fn copy_into(&self, ctx: &mut Context) {
        for (key, value) in &self.0 {
            ctx.insert_value(key.clone(), value.clone());
        }
    }
}

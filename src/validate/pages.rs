//! Validation of Markdown pages, UI strings and templates.

use super::Validator;
use crate::diag::Diagnostic;
use crate::lang::Lang;
use crate::load::{Inputs, Spanned};
use crate::model::{ContentPage, SourceId, Template};
use rayon::slice::ParallelSliceMut;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

impl Validator {
    /// The content pages, their text moved out of `inputs.pages`.
    pub(super) fn pages(&mut self, inputs: &mut Inputs) -> Vec<ContentPage> {
        // Hashed, not ordered: it is only looked up, and a B-tree compares
        // key strings at every level.
        let mut by_key: HashMap<(&str, Lang), &std::path::Path> =
            HashMap::with_capacity(inputs.pages.len());
        let mut out = Vec::with_capacity(inputs.pages.len());
        // Which of `inputs.pages` each page of `out` is.
        let mut raw = Vec::with_capacity(inputs.pages.len());
        for (i, p) in inputs.pages.iter().enumerate() {
            if let Some(first) = by_key.insert((p.key.as_str(), p.lang), &p.file.path) {
                self.diags.push(
                    Diagnostic::file(
                        &p.file.path,
                        format!("two files make the same page: this and {}", first.display()),
                    )
                    .hint("keep either `x.ja.md` or `x/_index.ja.md`"),
                );
                continue;
            }
            if let Some(Err(msg)) = p.key.split('/').find_map(|seg| {
                let checked = super::ids::check_id(seg);
                checked.is_err().then_some(checked)
            }) && !p.key.is_empty()
            {
                self.diags.push(
                    Diagnostic::file(&p.file.path, format!("page name: {msg}"))
                        .hint("a page's file name becomes its URL: rename it, e.g. content/school-support.ja.md"),
                );
            }
            let f = &p.front;
            let sources: Vec<SourceId> = f
                .sources
                .get_ref()
                .iter()
                .map(|s| self.source_ref(&p.file, s))
                .collect();
            if sources.is_empty() {
                self.error(
                    &p.file,
                    f.sources.span(),
                    "a page must name its sources",
                    "list the ids of the documents its facts come from, e.g. sources = [\"yokohama-coordinators\"]",
                );
            }
            // Key, title, description and path are moved in below, once
            // the checks that read them are done.
            out.push(ContentPage {
                key: String::new(),
                lang: p.lang,
                title: String::new(),
                description: None,
                weight: f.weight,
                sources,
                as_of: self.date(&p.file, &f.as_of),
                file: PathBuf::new(),
                body_offset: p.body_offset,
                outline: Default::default(),
                body: None,
            });
            raw.push(i);
        }
        for p in &inputs.pages {
            if p.lang == Lang::Easy {
                if !by_key.contains_key(&(p.key.as_str(), Lang::Ja)) {
                    let path = p.file.path.to_string_lossy();
                    self.diags.push(
                        Diagnostic::file(
                            &p.file.path,
                            "an easy Japanese page without its Japanese page",
                        )
                        .hint(format!(
                            "create {} first: the easy page is a plainer reading of it",
                            path.replace(".easy.md", ".ja.md")
                        )),
                    );
                }
                continue;
            }
            let other = p.lang.other();
            if !by_key.contains_key(&(p.key.as_str(), other)) {
                let path = p.file.path.to_string_lossy();
                let wanted = path.replace(&format!(".{}.md", p.lang), &format!(".{other}.md"));
                let name = match other {
                    Lang::Ja => "Japanese",
                    Lang::En => "English",
                    Lang::Easy => "easy Japanese",
                };
                self.diags.push(
                    Diagnostic::file(
                        &p.file.path,
                        format!("missing {name} translation of this page"),
                    )
                    .hint(format!(
                        "create {wanted}: every page exists in Japanese and English"
                    )),
                );
            }
        }
        for lang in Lang::ALL {
            if !by_key.contains_key(&("", lang)) {
                self.diags.push(
                    Diagnostic::file(format!("content/_index.{lang}.md"), "the home page is missing")
                        .hint("create it with front matter (title, sources, as_of) and one sentence on what a coordinator does"),
                );
            }
        }
        // Moved, not copied: a Markdown site's pages are most of its model.
        for (page, i) in out.iter_mut().zip(raw) {
            let raw = &mut inputs.pages[i];
            page.key = std::mem::take(&mut raw.key);
            page.title = raw.front.title.take();
            page.description = raw.front.description.take();
            page.file = std::mem::take(&mut raw.file.path);
            page.outline = std::mem::take(&mut raw.outline);
            page.body = raw.body;
        }
        // Unstable, as no two pages share a key and language: a stable sort
        // would take a second list of the 20,000 pages (5 MB) for its merge.
        out.par_sort_unstable_by(|a, b| {
            (a.weight, &a.key, a.lang).cmp(&(b.weight, &b.key, b.lang))
        });
        out
    }

    /// The UI strings of each language: the default theme's, each key
    /// replaced by the project's `templates/i18n/<lang>.toml` where it has
    /// one. A key the project adds must exist in the other language too.
    pub(super) fn strings(
        &mut self,
        inputs: &Inputs,
        needed: &[super::NeededStrings],
    ) -> BTreeMap<Lang, BTreeMap<String, String>> {
        for (code, f) in &inputs.strings {
            if Lang::from_code(code).is_none() {
                self.diags.push(
                    Diagnostic::file(
                        &f.file.path,
                        "UI strings for a language tsunagu does not build",
                    )
                    .hint("only ja.toml, en.toml and easy.toml"),
                );
            }
        }
        let has = |lang: Lang, key: &Spanned<String>| {
            [&inputs.strings, &inputs.default_strings]
                .iter()
                .any(|files| {
                    files
                        .get(lang.url_segment())
                        .is_some_and(|f| f.value.contains_key(key))
                })
        };
        let mut out = BTreeMap::new();
        for lang in Lang::VARIANTS {
            let default = inputs.default_strings.get(lang.url_segment());
            let project = inputs.strings.get(lang.url_segment());
            let Some(shown) = project.or(default) else {
                self.diags.push(
                    Diagnostic::file(
                        format!("templates/i18n/{lang}.toml"),
                        "missing UI strings for this language",
                    )
                    .hint("create the file with the same keys as the other language's file"),
                );
                continue;
            };
            let mut merged: BTreeMap<String, String> = BTreeMap::new();
            for f in default.into_iter().chain(project) {
                merged.extend(
                    f.value
                        .iter()
                        .map(|(k, v)| (k.get_ref().clone(), v.get_ref().clone())),
                );
            }
            if let Some(f) = project {
                // An easy string stands for a Japanese one.
                let other = match lang {
                    Lang::Easy => Lang::Ja,
                    l => l.other(),
                };
                for key in f.value.keys() {
                    if !has(other, key) {
                        self.error(
                            &f.file,
                            key.span(),
                            format!("UI string `{}` has no {other} translation", key.get_ref()),
                            &format!("add `{}` to templates/i18n/{other}.toml", key.get_ref()),
                        );
                    }
                }
            }
            for need in needed {
                for key in &need.keys {
                    if !merged.contains_key(key) {
                        self.diags.push(
                            Diagnostic::file(
                                &shown.file.path,
                                format!("UI string `{key}` is missing (used by {})", need.by),
                            )
                            .hint(format!(
                                "add {key} = \"…\" to templates/i18n/ja.toml, en.toml and easy.toml"
                            )),
                        );
                    }
                }
            }
            out.insert(lang, merged);
        }
        self.complete_easy_strings(inputs, needed, &out);
        out
    }

    /// Easy Japanese has every UI string Japanese has, so no easy page
    /// shows a missing string (the lists features need cover only the Rust
    /// side's keys; templates use the rest).
    fn complete_easy_strings(
        &mut self,
        inputs: &Inputs,
        needed: &[super::NeededStrings],
        strings: &BTreeMap<Lang, BTreeMap<String, String>>,
    ) {
        let (Some(ja), Some(easy)) = (strings.get(&Lang::Ja), strings.get(&Lang::Easy)) else {
            return;
        };
        let code = Lang::Easy.url_segment();
        let Some(shown) = inputs
            .strings
            .get(code)
            .or(inputs.default_strings.get(code))
        else {
            return;
        };
        // A key a feature needs is reported missing already (in `strings`).
        let needed: BTreeSet<&str> = needed
            .iter()
            .flat_map(|n| n.keys.iter().map(String::as_str))
            .collect();
        for key in ja
            .keys()
            .filter(|k| !easy.contains_key(*k) && !needed.contains(k.as_str()))
        {
            self.diags.push(
                Diagnostic::file(
                    &shown.file.path,
                    format!("UI string `{key}` has no easy Japanese version"),
                )
                .hint(format!(
                    "add {key} = \"…\" to templates/i18n/easy.toml (やさしい日本語; the Japanese text if it is easy already)"
                )),
            );
        }
    }

    pub(super) fn templates(&mut self, inputs: &Inputs) -> Vec<Template> {
        inputs
            .templates
            .iter()
            .map(|t| Template {
                name: t.name.clone(),
                path: t.file.path.clone(),
                text: t.file.text.clone(),
            })
            .collect()
    }
}

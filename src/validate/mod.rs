//! Validate: `Raw*` structs → the typed [`Site`] model, collecting every
//! problem (missing translations, bad references, duplicates, bad values)
//! into one list.
//!
//! A record with a problem is still built, with a placeholder where the bad
//! value was, so one mistake does not cause a cascade of follow-on errors.

mod accessibility;
pub mod boundaries;
mod data;
mod easy;
pub mod fields;
mod identity;
pub mod ids;
mod pages;
pub mod postcodes;
mod registry;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::{Lang, Text};
use crate::load::Spanned;
use crate::load::{Inputs, RawContact, RawText, SourceText};
use crate::model::{Date, Origin, Provenance, Site, Source, SourceId};
use std::collections::BTreeMap;

/// UI strings one part of the site uses (`by`: "the registry"), each
/// required in both languages.
pub struct NeededStrings {
    pub by: &'static str,
    pub keys: Vec<String>,
}

impl NeededStrings {
    pub fn new(by: &'static str, keys: impl IntoIterator<Item = String>) -> Self {
        NeededStrings {
            by,
            keys: keys.into_iter().collect(),
        }
    }
}

/// Turns loaded inputs into the model, or every problem found. `needed`
/// lists the UI strings the features use: a missing one is an error here,
/// so no page renders it as "".
pub fn validate(
    mut inputs: Inputs,
    base_url_override: Option<&str>,
    needed: &[NeededStrings],
) -> Result<Site, Diagnostics> {
    let mut v = Validator {
        today: Some(crate::model::today()),
        ..Validator::default()
    };
    let config = v.config(&inputs, base_url_override);
    let sources = v.sources(&inputs);
    v.known_sources = sources.keys().cloned().collect();
    let areas = v.areas(&inputs);
    let hubs = v.hubs(&inputs, &areas);
    let councils = v.councils(&inputs, &areas);
    let aggregates = v.aggregates(&inputs, &areas);
    let hubs = v.hub_privacy(&inputs, hubs);
    let providers = v.providers(&inputs, &areas);
    let coordinators = v.coordinators(&inputs, &areas, &providers);
    // The parsed provider records (most of a national project's parse)
    // are read by nothing after this: freed now, their memory serves the
    // rest of validation instead of the build's peak growing by it.
    let records: Vec<_> = (inputs.providers.iter_mut())
        .map(|f| std::mem::take(&mut f.value.provider))
        .collect();
    std::thread::spawn(move || drop(records));
    let glossary = v.glossary(&inputs);
    // The readings' automaton (22,000 words nationally: 100 ms) is built
    // on the other core while the rest is checked.
    let (readings, (accessibility, postcodes, strings, templates)) = rayon::join(
        || crate::model::readings(&areas, &glossary, &providers),
        || {
            (
                v.accessibility(&inputs),
                v.postcodes(&inputs, &areas),
                v.strings(&inputs, needed),
                v.templates(&inputs),
            )
        },
    );
    v.easy_text(&inputs, &config.easy, &readings, &glossary);
    // Last to read the pages: it moves their text out of `inputs`. What is
    // left of them is freed now, so the pages rendering makes next take its
    // place (a Markdown site's peak is here).
    let pages = v.pages(&mut inputs);
    drop(std::mem::take(&mut inputs.pages));
    if v.diags.has_errors() {
        return Err(v.diags);
    }
    let assets = std::mem::take(&mut inputs.assets);
    let root = std::mem::take(&mut inputs.root);
    let bodies = inputs.bodies.take().map(std::sync::Arc::new);
    // Freeing the parsed files (millions of small allocations nationally)
    // takes tens of milliseconds that rendering need not wait for.
    std::thread::spawn(move || drop(inputs));
    Ok(Site {
        root,
        config,
        sources,
        areas,
        hubs,
        councils,
        aggregates,
        providers,
        coordinators,
        glossary,
        accessibility,
        postcodes,
        pages,
        bodies,
        strings,
        templates,
        assets,
        readings,
        index: Default::default(),
        warnings: v.warnings,
    })
}

#[derive(Default)]
struct Validator {
    diags: Diagnostics,
    known_sources: std::collections::BTreeSet<SourceId>,
    /// Per file, the last offset whose line was asked for, and that line:
    /// records are asked for in file order, so finding the next one's line
    /// counts only the newlines in between (a national provider file holds
    /// thousands of records). Keyed by the path's bytes: comparing them is
    /// cheaper than comparing paths component by component.
    line_cursors: BTreeMap<std::ffi::OsString, (usize, usize)>,
    /// The date records are judged against ([`crate::model::today`]).
    today: Option<Date>,
    warnings: Vec<Diagnostic>,
    /// The data records' easy texts, checked once every reading is known.
    easy_in_data: Vec<easy::DataEasyText>,
}

impl Validator {
    fn error(
        &mut self,
        file: &SourceText,
        span: std::ops::Range<usize>,
        msg: impl Into<String>,
        hint: &str,
    ) {
        let line = self.line(file, span.start);
        let d = Diagnostic::at_line(&file.path, &file.text, line, span, msg);
        self.diags
            .push(if hint.is_empty() { d } else { d.hint(hint) });
    }

    /// Both translations of a bilingual text, reporting each missing one,
    /// and its easy text if it has one.
    fn text(&mut self, file: &SourceText, field: &str, raw: &Spanned<RawText>) -> Text {
        let mut text = self.bilingual(file, field, raw);
        text.easy = raw.get_ref().easy.as_ref().map(|e| self.easy_data(file, e));
        text
    }

    /// A name (of an area, hub, provider, person, term or document): both
    /// translations, and no easy text. Names stay as they are on easy pages,
    /// with furigana from their reading.
    fn name(&mut self, file: &SourceText, field: &str, raw: &Spanned<RawText>) -> Text {
        if let Some(easy) = &raw.get_ref().easy {
            self.error(
                file,
                easy.span(),
                format!("`{field}` is a name and takes no easy text"),
                "remove `easy = …`: easy pages show names as they are, with furigana where their reading is known (`kana`, data/glossary.toml)",
            );
        }
        self.bilingual(file, field, raw)
    }

    fn bilingual(&mut self, file: &SourceText, field: &str, raw: &Spanned<RawText>) -> Text {
        let mut get = |lang: Lang, value: &Option<String>| match value {
            Some(s) if !s.trim().is_empty() => s.clone(),
            _ => {
                let name = match lang {
                    Lang::Ja => "Japanese",
                    Lang::En => "English",
                    Lang::Easy => "easy Japanese",
                };
                self.error(
                    file,
                    raw.span(),
                    format!("missing {name} translation of `{field}`"),
                    &format!("write both languages: {field} = {{ ja = \"…\", en = \"…\" }}"),
                );
                String::new()
            }
        };
        let ja = get(Lang::Ja, &raw.get_ref().ja);
        let en = get(Lang::En, &raw.get_ref().en);
        Text { ja, en, easy: None }
    }

    fn opt_text(
        &mut self,
        file: &SourceText,
        field: &str,
        raw: &Option<Spanned<RawText>>,
    ) -> Option<Text> {
        raw.as_ref().map(|r| self.text(file, field, r))
    }

    fn date(&mut self, file: &SourceText, raw: &Spanned<String>) -> Date {
        Date::parse(raw.get_ref()).unwrap_or_else(|msg| {
            self.error(file, raw.span(), msg, "");
            Date {
                year: 1970,
                month: 1,
                day: Some(1),
            }
        })
    }

    fn source_ref(&mut self, file: &SourceText, raw: &Spanned<String>) -> SourceId {
        let id = SourceId(raw.get_ref().clone());
        if !self.known_sources.contains(&id) {
            let known: Vec<&str> = self.known_sources.iter().map(SourceId::as_str).collect();
            self.error(
                file,
                raw.span(),
                format!("source `{id}` does not exist"),
                &format!(
                    "add it to data/sources.toml or use one of: {}",
                    known.join(", ")
                ),
            );
        }
        id
    }

    fn provenance(
        &mut self,
        file: &SourceText,
        source: &Spanned<String>,
        as_of: &Spanned<String>,
        last_verified: Option<&Spanned<String>>,
    ) -> Provenance {
        let p = Provenance {
            source: self.source_ref(file, source),
            as_of: self.date(file, as_of),
            last_verified: last_verified.map(|d| self.date(file, d)),
        };
        if let Some(today) = self.today {
            self.future_dates(file, &p, as_of, last_verified, today);
        }
        p
    }

    /// A hub contact's own `source` and `as_of` (both or neither).
    fn contact_provenance(&mut self, file: &SourceText, c: &RawContact) -> Option<Provenance> {
        match (&c.source, &c.as_of) {
            (Some(s), Some(a)) => Some(self.provenance(file, s, a, None)),
            (None, None) => None,
            (Some(s), None) | (None, Some(s)) => {
                self.error(
                    file,
                    s.span(),
                    "contact.source and contact.as_of go together",
                    "give both: the document the contact comes from and the date it says the contact holds",
                );
                None
            }
        }
    }

    /// A `last_verified` date in the future is an error (nobody checked a
    /// record tomorrow); an `as_of` in the future is a warning for `check`,
    /// since a source may state a planned date.
    fn future_dates(
        &mut self,
        file: &SourceText,
        p: &Provenance,
        as_of: &Spanned<String>,
        last_verified: Option<&Spanned<String>>,
        today: Date,
    ) {
        if let (Some(d), Some(raw)) = (p.last_verified, last_verified)
            && d > today
        {
            self.error(
                file,
                raw.span(),
                format!("last_verified {d} is in the future (today is {today})"),
                &format!(
                    "write the day the record was last checked against its source; {}=YYYY-MM-DD pins today for reproducible builds",
                    crate::model::TODAY_ENV
                ),
            );
        }
        if p.as_of > today {
            let line = self.line(file, as_of.span().start);
            self.warnings.push(
                Diagnostic::at_line(
                    &file.path,
                    &file.text,
                    line,
                    as_of.span(),
                    format!("as_of {} is in the future (today is {today})", p.as_of),
                )
                .hint("fine if the source states a planned date; otherwise write the date the source gives")
                .warning(),
            );
        }
    }

    /// Reports a second use of an id; returns whether it was new. `seen`
    /// holds each id's first record (its file and offset).
    fn unique<'a>(
        &mut self,
        seen: &mut BTreeMap<&'a str, (&'a SourceText, usize)>,
        file: &'a SourceText,
        what: &str,
        id: &'a Spanned<String>,
    ) -> bool {
        if let Some(&(first_file, offset)) = seen.get(id.get_ref().as_str()) {
            let first = format!(
                "{}:{}",
                first_file.path.display(),
                self.line(first_file, offset)
            );
            self.error(
                file,
                id.span(),
                format!("duplicate {what} `{}`", id.get_ref()),
                &format!("it is already used at {first}; ids must be unique"),
            );
            return false;
        }
        seen.insert(id.get_ref(), (file, id.span().start));
        true
    }

    /// The 1-based line of a byte offset in `file`.
    fn line(&mut self, file: &SourceText, offset: usize) -> usize {
        let newlines = |bytes: &[u8]| bytes.iter().filter(|&&b| b == b'\n').count();
        let offset = offset.min(file.text.len());
        let bytes = file.text.as_bytes();
        match self.line_cursors.get_mut(file.path.as_os_str()) {
            // From the previous position, forward or back: errors of one
            // record arrive slightly out of order, and counting from the
            // start of the file each time made 10,000 errors quadratic.
            Some(cursor) => {
                let (from, line) = *cursor;
                let line = if from <= offset {
                    line + newlines(&bytes[from..offset])
                } else {
                    line - newlines(&bytes[offset..from])
                };
                *cursor = (offset, line);
                line
            }
            None => {
                let line = 1 + newlines(&bytes[..offset]);
                let key = file.path.as_os_str().to_owned();
                self.line_cursors.insert(key, (offset, line));
                line
            }
        }
    }

    fn origin(&mut self, file: &SourceText, span: std::ops::Range<usize>) -> Origin {
        Origin {
            file: file.path.clone(),
            line: self.line(file, span.start),
        }
    }

    fn config(&mut self, inputs: &Inputs, base_url_override: Option<&str>) -> Config {
        let raw = &inputs.config.value;
        let file = &inputs.config.file;
        let langs: Vec<&str> = raw.languages.get_ref().iter().map(String::as_str).collect();
        if langs != ["ja", "en"] {
            self.error(
                file,
                raw.languages.span(),
                "tsunagu builds a Japanese and an English site",
                "write languages = [\"ja\", \"en\"] (Japanese is the default)",
            );
        }
        let base_url = match base_url_override {
            Some(url) => fields::normalize_base_url(url).unwrap_or_else(|msg| {
                self.diags.push(Diagnostic::file("--base-url", msg));
                String::new()
            }),
            None => fields::normalize_base_url(raw.base_url.get_ref()).unwrap_or_else(|msg| {
                self.error(
                    file,
                    raw.base_url.span(),
                    msg,
                    "e.g. base_url = \"https://example.org/iryo-care/\"",
                );
                String::new()
            }),
        };
        Config {
            base_url,
            title: self.text(file, "title", &raw.title),
            description: self.text(file, "description", &raw.description),
            stale_after_months: raw.stale_after_months,
            pdf_flyers: raw.pdf_flyers,
            allow_raw_html: raw.allow_raw_html,
            identity: self.identity(inputs),
            easy: raw.easy.clone(),
            open_data_licence: self.opt_text(file, "open_data_licence", &raw.open_data_licence),
            open_data_licence_url: raw.open_data_licence_url.as_ref().map(|u| {
                self.check_url(file, u);
                u.get_ref().clone()
            }),
        }
    }

    fn sources(&mut self, inputs: &Inputs) -> BTreeMap<SourceId, Source> {
        let mut seen = BTreeMap::new();
        let mut out = BTreeMap::new();
        for f in &inputs.sources {
            for s in &f.value.source {
                if !self.unique(&mut seen, &f.file, "source id", &s.id) {
                    continue;
                }
                if let Some(url) = &s.url {
                    self.check_url(&f.file, url);
                }
                let source = Source {
                    id: SourceId(s.id.get_ref().clone()),
                    title: self.name(&f.file, "title", &s.title),
                    publisher: self.name(&f.file, "publisher", &s.publisher),
                    published: s.published.as_ref().map(|d| self.date(&f.file, d)),
                    url: s.url.as_ref().map(|u| u.get_ref().clone()),
                    note: self.opt_text(&f.file, "note", &s.note),
                };
                out.insert(source.id.clone(), source);
            }
        }
        out
    }

    /// URLs from data must be absolute http(s) with a host and nothing that
    /// could break out of an attribute.
    fn check_url(&mut self, file: &SourceText, url: &Spanned<String>) {
        if let Err(msg) = fields::check_url(url.get_ref()) {
            self.error(file, url.span(), msg, "write an absolute https:// URL");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_in_any_order_of_offsets() {
        let file = SourceText {
            path: "data/x.toml".into(),
            text: "a\nbb\n\nccc\nd".into(),
        };
        let counted = |offset: usize| 1 + file.text[..offset].matches('\n').count();
        let mut v = Validator::default();
        for offset in [0, 3, 5, 6, 2, 11, 1, 11, 4, 4, 9] {
            assert_eq!(v.line(&file, offset), counted(offset), "offset {offset}");
        }
    }
}

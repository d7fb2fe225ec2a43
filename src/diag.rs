//! Diagnostics: what went wrong, where, and how to fix it.
//!
//! Every stage collects diagnostics instead of stopping at the first one, so a
//! single run reports every problem. Locations are 1-based lines and 1-based
//! *character* columns (not bytes), so they stay right in Japanese text.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error,
    Warning,
}

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub level: Level,
    /// Path relative to the project root, e.g. `data/hubs/yokohama.toml`.
    pub file: PathBuf,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based character column; 0 when unknown.
    pub col: usize,
    pub message: String,
    /// The offending source line and how many characters to underline.
    pub snippet: Option<(String, usize)>,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem with a whole file (missing, unreadable, misplaced).
    pub fn file(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Error,
            file: file.into(),
            line: 0,
            col: 0,
            message: message.into(),
            snippet: None,
            hint: None,
        }
    }

    /// A problem at a byte range of `src`, the full text of `file`.
    pub fn at(file: &Path, src: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        Self::at_position(file, src, Position::of(src, span.start), span, message)
    }

    /// As [`Diagnostic::at`], for a caller that already knows the line of
    /// `span.start`: counting the lines of a large file again for each of
    /// thousands of errors would make reporting them quadratic.
    pub fn at_line(
        file: &Path,
        src: &str,
        line: usize,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let offset = floor_char_boundary(src, span.start.min(src.len()));
        let line_start = src[..offset].rfind('\n').map_or(0, |i| i + 1);
        let pos = Position {
            line,
            col: src[line_start..offset].chars().count() + 1,
            line_start,
        };
        Self::at_position(file, src, pos, span, message)
    }

    fn at_position(
        file: &Path,
        src: &str,
        pos: Position,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let line_text = src[pos.line_start..]
            .split('\n')
            .next()
            .unwrap_or("")
            .trim_end_matches('\r');
        // A span from a parser may start or end inside a character (a byte
        // range over "𝔗"): widen it to whole characters before slicing.
        // It may also start past its line's text (at a `\r\n`).
        let line_end = pos.line_start + line_text.len();
        let start = floor_char_boundary(src, span.start.min(line_end));
        let mut end = span.end.max(start).min(line_end);
        while !src.is_char_boundary(end) {
            end += 1;
        }
        let width = src[start.min(end)..end].chars().count().max(1);
        Diagnostic {
            level: Level::Error,
            file: file.to_path_buf(),
            line: pos.line,
            col: pos.col,
            message: message.into(),
            snippet: Some((line_text.to_string(), width)),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn warning(mut self) -> Self {
        self.level = Level::Warning;
        self
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }
}

/// A line/column position of a byte offset.
pub struct Position {
    pub line: usize,
    pub col: usize,
    pub line_start: usize,
}

impl Position {
    pub fn of(src: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(src, offset.min(src.len()));
        let before = &src[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: before.matches('\n').count() + 1,
            col: before[line_start..].chars().count() + 1,
            line_start,
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Display width of text in a terminal: East Asian wide characters take two
/// columns, so the caret lands under the right character.
fn display_width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        writeln!(f, "{level}: {}", escape_controls(&self.message))?;
        let file = self.file.display();
        match (self.line, self.col) {
            (0, _) => writeln!(f, "  --> {file}")?,
            (l, 0) => writeln!(f, "  --> {file}:{l}")?,
            (l, c) => writeln!(f, "  --> {file}:{l}:{c}")?,
        }
        if let Some((text, width)) = &self.snippet {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            let lead: String = text.chars().take(self.col.saturating_sub(1)).collect();
            let marked: String = text
                .chars()
                .skip(self.col.saturating_sub(1))
                .take(*width)
                .collect();
            let (lead, marked) = (escape_controls(&lead), escape_controls(&marked));
            writeln!(f, "{pad} |")?;
            writeln!(f, "{num} | {}", escape_controls(text))?;
            writeln!(
                f,
                "{pad} | {}{}",
                " ".repeat(display_width(&lead)),
                "^".repeat(display_width(&marked).max(1))
            )?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "  = hint: {}", escape_controls(hint))?;
        }
        Ok(())
    }
}

/// Text from a data file as it may be printed to a terminal: control
/// characters (ESC, BEL, …) and bidirectional overrides are shown escaped
/// (`\u{1b}`), so a file can neither drive the terminal nor reorder what
/// the reader sees; a tab is shown as one space, keeping the caret aligned.
pub fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| match c {
            '\t' => " ".to_string(),
            c if hidden(c) => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect::<String>()
        .into()
}

/// A list of diagnostics gathered across a stage.
#[derive(Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// The values of `results`, or every diagnostic among them.
    pub fn collect<T>(
        results: impl IntoIterator<Item = Result<T, Box<Diagnostic>>>,
    ) -> Result<Vec<T>, Diagnostics> {
        let mut diags = Diagnostics::default();
        let results = results.into_iter();
        // Room for them all at once: a national build's 71,000 files grew a
        // vector of room for 131,072 (10.5 MB at the heap peak).
        let mut values = Vec::with_capacity(results.size_hint().0);
        for r in results {
            match r {
                Ok(v) => values.push(v),
                Err(d) => diags.push(*d),
            }
        }
        if diags.has_errors() {
            Err(diags)
        } else {
            Ok(values)
        }
    }

    /// Sorted by file and position, so output is stable run to run.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.col, &a.message).cmp(&(&b.file, b.line, b.col, &b.message))
        });
        self.0.dedup();
        self.0
    }
}

#[cfg(test)]
mod tests;

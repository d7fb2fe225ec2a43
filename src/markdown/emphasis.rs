//! Emphasis next to Japanese punctuation: `**強調。**` and
//! `これは**「括弧」**です` made bold, where CommonMark's flanking rules
//! leave the `**` literal.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::BTreeMap;
use std::ops::Range;

fn is_inline(e: &Event) -> bool {
    match e {
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineHtml(_)
        | Event::SoftBreak
        | Event::HardBreak => true,
        Event::FootnoteReference(_) | Event::InlineMath(_) => true,
        Event::Start(t) => matches!(
            t,
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
        ),
        Event::End(t) => matches!(
            t,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
        ),
        _ => false,
    }
}

/// A run of `*` inside a text event that CommonMark left literal.
struct Delim {
    event: usize,
    pos: usize,
    len: usize,
    depth: i32,
    can_open: bool,
    can_close: bool,
}

/// Pairs literal `**`/`*` runs that CommonMark rejected (see module docs).
pub(super) fn fix_cjk_emphasis<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    md: &str,
) -> Vec<(Event<'a>, Range<usize>)> {
    // Most pages, and most runs of inline events, have no `*` left to
    // pair: they are passed on, not copied.
    if !md.contains('*') {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut run: Vec<(Event<'a>, Range<usize>)> = Vec::new();
    for (e, r) in events {
        if is_inline(&e) {
            run.push((e, r));
            continue;
        }
        fix_run_into(&mut out, &mut run, md);
        out.push((e, r));
    }
    fix_run_into(&mut out, &mut run, md);
    out
}

/// Moves a run of inline events to `out`, its literal `*` paired.
fn fix_run_into<'a>(
    out: &mut Vec<(Event<'a>, Range<usize>)>,
    run: &mut Vec<(Event<'a>, Range<usize>)>,
    md: &str,
) {
    let has_star = run
        .iter()
        .any(|(e, _)| matches!(e, Event::Text(t) if t.contains('*')));
    if !has_star {
        out.append(run);
        return;
    }
    // Merge adjacent text events so `**` split across events is seen whole.
    let mut merged: Vec<(Event<'a>, Range<usize>)> = Vec::with_capacity(run.len());
    for (e, r) in run.drain(..) {
        if let (Event::Text(t), Some((Event::Text(prev), pr))) = (&e, merged.last_mut())
            && pr.end == r.start
        {
            *prev = CowStr::from(format!("{prev}{t}"));
            pr.end = r.end;
            continue;
        }
        merged.push((e, r));
    }
    out.extend(fix_run(&merged, md));
}

fn fix_run<'a>(run: &[(Event<'a>, Range<usize>)], md: &str) -> Vec<(Event<'a>, Range<usize>)> {
    // Inline nesting depth after each event (text events sit at that depth).
    let depths: Vec<i32> = run
        .iter()
        .scan(0, |d, (e, _)| {
            match e {
                Event::Start(_) => *d += 1,
                Event::End(_) => *d -= 1,
                _ => {}
            }
            Some(*d)
        })
        .collect();
    let delims = delims(run, &depths, md);
    let pairs = pairs(&delims, &depths);
    if pairs.is_empty() {
        return run.to_vec();
    }
    cut(run, &delims, pairs)
}

/// Every `*` or `**` in the run's text that may open or close emphasis
/// (`depths`: the inline nesting depth after each event).
fn delims(run: &[(Event, Range<usize>)], depths: &[i32], md: &str) -> Vec<Delim> {
    let mut delims: Vec<Delim> = Vec::new();
    for (idx, (e, r)) in run.iter().enumerate() {
        let depth = depths[idx];
        if let Event::Text(t) = e {
            {
                // An asterisk written as `\*` is literal: look at the source
                // byte before it when the event is the source text verbatim.
                let verbatim = md.get(r.clone()) == Some(t.as_ref());
                let escaped = |pos: usize| {
                    verbatim && r.start + pos > 0 && md.as_bytes()[r.start + pos - 1] == b'\\'
                };
                let bytes = t.as_bytes();
                let mut p = 0;
                while p < bytes.len() {
                    if bytes[p] != b'*' {
                        p += 1;
                        continue;
                    }
                    let s = p;
                    while p < bytes.len() && bytes[p] == b'*' {
                        p += 1;
                    }
                    let len = p - s;
                    if len > 2 || escaped(s) {
                        continue;
                    }
                    let before = t[..s].chars().next_back();
                    let after = t[p..].chars().next();
                    let prev_ok = before.map_or(
                        idx > 0 && !matches!(run[idx - 1].0, Event::SoftBreak | Event::HardBreak),
                        |c| !c.is_whitespace(),
                    );
                    let next_ok = after.map_or(
                        idx + 1 < run.len()
                            && !matches!(run[idx + 1].0, Event::SoftBreak | Event::HardBreak),
                        |c| !c.is_whitespace(),
                    );
                    delims.push(Delim {
                        event: idx,
                        pos: s,
                        len,
                        depth,
                        can_open: next_ok,
                        can_close: prev_ok,
                    });
                }
            }
        }
    }
    delims
}

/// Opening and closing delimiters paired, as indexes into `delims`.
fn pairs(delims: &[Delim], depths: &[i32]) -> Vec<(usize, usize)> {
    // Pair strong first, then emphasis; only at equal depth with nothing
    // between them that closes an enclosing tag.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for len in [2, 1] {
        let mut open: Vec<usize> = Vec::new();
        for (k, d) in delims.iter().enumerate() {
            if d.len != len || pairs.iter().any(|&(a, b)| a == k || b == k) {
                continue;
            }
            let closes = open.iter().rposition(|&o| {
                delims[o].depth == d.depth
                    && depths[delims[o].event..d.event]
                        .iter()
                        .all(|&x| x >= d.depth)
            });
            match closes {
                Some(pos) if d.can_close => {
                    let o = open[pos];
                    open.truncate(pos);
                    pairs.push((o, k));
                }
                _ if d.can_open => open.push(k),
                _ => {}
            }
        }
    }
    pairs
}

/// The run with each paired delimiter cut out of its text and replaced by
/// a strong or emphasis start or end.
fn cut<'a>(
    run: &[(Event<'a>, Range<usize>)],
    delims: &[Delim],
    pairs: Vec<(usize, usize)>,
) -> Vec<(Event<'a>, Range<usize>)> {
    // Cut points per event: (byte position, length, marker event).
    let mut cuts: BTreeMap<usize, Vec<(usize, usize, Event<'a>)>> = BTreeMap::new();
    for (o, c) in pairs {
        let (tag, end) = if delims[o].len == 2 {
            (Tag::Strong, TagEnd::Strong)
        } else {
            (Tag::Emphasis, TagEnd::Emphasis)
        };
        cuts.entry(delims[o].event).or_default().push((
            delims[o].pos,
            delims[o].len,
            Event::Start(tag),
        ));
        cuts.entry(delims[c].event).or_default().push((
            delims[c].pos,
            delims[c].len,
            Event::End(end),
        ));
    }
    let mut out = Vec::new();
    for (idx, (e, r)) in run.iter().enumerate() {
        let (Some(list), Event::Text(t)) = (cuts.get_mut(&idx), e) else {
            out.push((e.clone(), r.clone()));
            continue;
        };
        list.sort_by_key(|c| c.0);
        let mut last = 0;
        for (pos, len, marker) in list.drain(..) {
            if pos > last {
                out.push((
                    Event::Text(CowStr::from(t[last..pos].to_string())),
                    r.clone(),
                ));
            }
            out.push((marker, r.clone()));
            last = pos + len;
        }
        if last < t.len() {
            out.push((Event::Text(CowStr::from(t[last..].to_string())), r.clone()));
        }
    }
    out
}

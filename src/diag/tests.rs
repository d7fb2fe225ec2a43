use super::*;

#[test]
fn columns_count_characters_not_bytes() {
    let src = "a = 1\n名前 = \"x\"\n";
    let offset = src.find('=').unwrap() + src[src.find('=').unwrap() + 1..].find('=').unwrap() + 1;
    let d = Diagnostic::at(Path::new("f.toml"), src, offset..offset + 1, "bad");
    assert_eq!((d.line, d.col), (2, 4));
    let shown = d.to_string();
    assert!(shown.contains("f.toml:2:4"), "{shown}");
    // Two wide characters and a space: the caret sits at display column 6.
    assert!(shown.contains("  |      ^\n"), "{shown}");
}

#[test]
fn control_characters_from_a_file_are_shown_escaped() {
    let src = "name = \"\u{1b}[2Jx\u{7}\u{202e}\"\n";
    let d = Diagnostic::at(
        Path::new("f.toml"),
        src,
        7..src.len() - 1,
        "bad `\u{1b}[31m`",
    )
    .hint("not \u{7}");
    let shown = d.to_string();
    assert!(
        !shown.chars().any(|c| c.is_control() && c != '\n'),
        "{shown:?}"
    );
    assert!(!shown.contains('\u{202e}'), "{shown:?}");
    assert!(shown.contains("\\u{1b}[2Jx\\u{7}\\u{202e}"), "{shown}");
    assert!(shown.contains("bad `\\u{1b}[31m`"), "{shown}");
    // The caret still spans the escaped value.
    let caret_line = shown.lines().find(|l| l.contains('^')).unwrap();
    let text_line = shown.lines().find(|l| l.starts_with("1 |")).unwrap();
    assert_eq!(caret_line.rfind('^'), text_line.rfind('"'), "{shown}");
}

#[test]
fn a_known_line_gives_the_same_position_as_counting() {
    let src = "a = 1\nbb = 2\n名前 = 3\n";
    let offset = src.find('3').unwrap();
    let counted = Diagnostic::at(Path::new("f"), src, offset..offset + 1, "x");
    let known = Diagnostic::at_line(Path::new("f"), src, 3, offset..offset + 1, "x");
    assert_eq!(counted, known);
}

#[test]
fn spans_inside_a_character_or_past_a_line_are_shown_not_panicked_on() {
    let src = "𝔗ext\r\nnext\n";
    let inside = Diagnostic::at(Path::new("f.md"), src, 0..1, "x").to_string();
    assert!(
        inside.contains("f.md:1:1") && inside.contains('^'),
        "{inside}"
    );
    let at_cr = src.find('\r').unwrap();
    let past = Diagnostic::at(Path::new("f.md"), src, at_cr + 1..at_cr + 1, "x").to_string();
    assert!(past.contains("f.md:1:"), "{past}");
}

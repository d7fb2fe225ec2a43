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

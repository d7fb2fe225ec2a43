//! Readings: hiragana → Hepburn romaji, for searching area names in Latin
//! letters (港北区 → こうほくく → kouhokuku).

/// Romanises hiragana (Hepburn, long vowels spelled as written: `kou`).
/// Characters that are not hiragana are kept as they are.
pub fn to_romaji(kana: &str) -> String {
    let chars: Vec<char> = kana.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // Small っ doubles the next consonant.
        if c == 'っ' {
            if let Some(next) = chars
                .get(i + 1)
                .map(|n| syllable(*n, chars.get(i + 2).copied()).0)
                && let Some(first) = next.chars().next()
            {
                out.push(if next.starts_with("ch") { 't' } else { first });
            }
            i += 1;
            continue;
        }
        if c == 'ー' {
            if let Some(v) = out.chars().last() {
                out.push(v);
            }
            i += 1;
            continue;
        }
        if c == 'ん' {
            out.push('n');
            i += 1;
            continue;
        }
        let (s, used) = syllable(c, chars.get(i + 1).copied());
        out.push_str(&s);
        i += used;
    }
    out
}

/// One syllable starting at `c`, combined with a following small ゃゅょ;
/// returns the romaji and how many characters it used.
fn syllable(c: char, next: Option<char>) -> (String, usize) {
    let base = base_romaji(c);
    let Some(base) = base else {
        return (c.to_string(), 1);
    };
    if let Some(small) = next.and_then(|n| match n {
        'ゃ' => Some('a'),
        'ゅ' => Some('u'),
        'ょ' => Some('o'),
        _ => None,
    }) {
        let stem = &base[..base.len() - 1];
        let combined = match stem {
            "sh" | "ch" | "j" => format!("{stem}{small}"),
            _ => format!("{stem}y{small}"),
        };
        return (combined, 2);
    }
    (base.to_string(), 1)
}

fn base_romaji(c: char) -> Option<&'static str> {
    const TABLE: &[(char, &str)] = &[
        ('あ', "a"),
        ('い', "i"),
        ('う', "u"),
        ('え', "e"),
        ('お', "o"),
        ('か', "ka"),
        ('き', "ki"),
        ('く', "ku"),
        ('け', "ke"),
        ('こ', "ko"),
        ('さ', "sa"),
        ('し', "shi"),
        ('す', "su"),
        ('せ', "se"),
        ('そ', "so"),
        ('た', "ta"),
        ('ち', "chi"),
        ('つ', "tsu"),
        ('て', "te"),
        ('と', "to"),
        ('な', "na"),
        ('に', "ni"),
        ('ぬ', "nu"),
        ('ね', "ne"),
        ('の', "no"),
        ('は', "ha"),
        ('ひ', "hi"),
        ('ふ', "fu"),
        ('へ', "he"),
        ('ほ', "ho"),
        ('ま', "ma"),
        ('み', "mi"),
        ('む', "mu"),
        ('め', "me"),
        ('も', "mo"),
        ('や', "ya"),
        ('ゆ', "yu"),
        ('よ', "yo"),
        ('ら', "ra"),
        ('り', "ri"),
        ('る', "ru"),
        ('れ', "re"),
        ('ろ', "ro"),
        ('わ', "wa"),
        ('ゐ', "i"),
        ('ゑ', "e"),
        ('を', "o"),
        ('が', "ga"),
        ('ぎ', "gi"),
        ('ぐ', "gu"),
        ('げ', "ge"),
        ('ご', "go"),
        ('ざ', "za"),
        ('じ', "ji"),
        ('ず', "zu"),
        ('ぜ', "ze"),
        ('ぞ', "zo"),
        ('だ', "da"),
        ('ぢ', "ji"),
        ('づ', "zu"),
        ('で', "de"),
        ('ど', "do"),
        ('ば', "ba"),
        ('び', "bi"),
        ('ぶ', "bu"),
        ('べ', "be"),
        ('ぼ', "bo"),
        ('ぱ', "pa"),
        ('ぴ', "pi"),
        ('ぷ', "pu"),
        ('ぺ', "pe"),
        ('ぽ', "po"),
        ('ぁ', "a"),
        ('ぃ', "i"),
        ('ぅ', "u"),
        ('ぇ', "e"),
        ('ぉ', "o"),
        ('ゃ', "ya"),
        ('ゅ', "yu"),
        ('ょ', "yo"),
        ('ゔ', "vu"),
    ];
    TABLE.iter().find(|(k, _)| *k == c).map(|(_, v)| *v)
}

#[cfg(test)]
mod tests {
    use super::to_romaji;

    #[test]
    fn romanises_ward_names() {
        assert_eq!(to_romaji("こうほくく"), "kouhokuku");
        assert_eq!(to_romaji("つづきく"), "tsuzukiku");
        assert_eq!(to_romaji("ほどがやく"), "hodogayaku");
        assert_eq!(to_romaji("ちゅうおうく"), "chuuouku");
        assert_eq!(to_romaji("きょうと"), "kyouto");
        assert_eq!(to_romaji("さっぽろし"), "sapporoshi");
        assert_eq!(to_romaji("はっちょう"), "hatchou");
        assert_eq!(to_romaji("しんよこはま"), "shinyokohama");
    }
}

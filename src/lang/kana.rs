//! Readings: hiragana → Hepburn romaji, for searching area names in Latin
//! letters (港北区 → こうほくく → kouhokuku), and the finder's folding of
//! what a user types, so Rust matches names the way the finder script does.

use unicode_normalization::UnicodeNormalization;

/// A name or reading as the finder compares it: full-width → half-width,
/// katakana → hiragana, macrons and other accents dropped, lower case, no
/// spaces or middle dots (`ｺｳﾎｸ　ク` and `こうほくく`, `Kōhoku` and `kohoku`
/// fold alike). The same steps as `norm` in `templates/assets/finder.js`.
pub fn search_key(s: &str) -> String {
    let lower = s.nfkc().collect::<String>().to_lowercase();
    lower
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .nfc()
        .filter(|&c| !c.is_whitespace() && c != '・' && c != '･')
        .map(|c| match c {
            'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// One spelling for Hepburn, kunrei and long-vowel variants of romaji
/// (`kōhoku`, `kouhoku`, `kohoku` → `kohoku`; `sakai-shi` → `sakaisi`): only
/// the letters a–z of an already folded [`search_key`], as `roma` in
/// `templates/assets/finder.js` spells them.
pub fn romaji_key(folded: &str) -> String {
    let mut s: String = folded.chars().filter(char::is_ascii_lowercase).collect();
    for (from, to) in [
        ("tsu", "tu"),
        ("shi", "si"),
        ("chi", "ti"),
        ("fu", "hu"),
        ("ji", "zi"),
        ("sh", "sy"),
        ("ch", "ty"),
        ("j", "zy"),
    ] {
        s = s.replace(from, to);
    }
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    // m before b or p → n (Shimbashi, Shinbashi); ou, oo and oh before a
    // consonant or the end → o.
    while i < b.len() {
        let next = b.get(i + 1).copied();
        match (b[i], next) {
            (b'm', Some(b'b' | b'p')) => out.push('n'),
            (b'o', Some(b'u' | b'o')) => {
                out.push('o');
                i += 1;
            }
            (b'o', Some(b'h')) if !b.get(i + 2).is_some_and(|c| b"aiueo".contains(c)) => {
                out.push('o');
                i += 1;
            }
            (c, _) => out.push(c as char),
        }
        i += 1;
    }
    out.replace("uu", "u").replace("aa", "a").replace("ii", "i")
}

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
    use super::{romaji_key, search_key, to_romaji};

    #[test]
    fn folds_what_a_user_types_like_the_finder() {
        assert_eq!(search_key("ニセコ町"), "にせこ町");
        assert_eq!(search_key("ｻｶｲｼ"), "さかいし");
        assert_eq!(search_key(" 堺　市 "), "堺市");
        assert_eq!(search_key("Ｓａｋａｉ"), "sakai");
        assert_eq!(search_key("Kōhoku Ward"), "kohokuward");
        assert_eq!(search_key("ケ・ヶ"), "けゖ");
        assert_eq!(romaji_key(&search_key("Kōhoku")), "kohoku");
        assert_eq!(romaji_key("kouhoku"), "kohoku");
        assert_eq!(romaji_key("kohhoku"), "kohoku");
        assert_eq!(romaji_key("ohara"), "ohara");
        assert_eq!(romaji_key("sakai-shi"), "sakaisi");
        assert_eq!(romaji_key("shinbashi"), romaji_key("shimbashi"));
        assert_eq!(romaji_key("chuuou"), "tyuo");
        assert_eq!(romaji_key("ooita"), "oita");
        assert_eq!(romaji_key("tsuzuki"), "tuzuki");
    }

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

    #[test]
    fn romaji_is_folded_as_the_finder_script_folds_it() {
        assert_eq!(romaji_key("shinyokohama"), "sinyokohama");
        assert_eq!(romaji_key("kouhoku"), romaji_key("kohoku"));
        assert_eq!(romaji_key("ookurayama"), "okurayama");
        assert_eq!(romaji_key("ohashi"), "ohasi");
        assert_eq!(romaji_key("ohtsu"), "otu");
        assert_eq!(romaji_key("oohta"), "ohta");
        assert_eq!(romaji_key("tsuzuki"), "tuzuki");
        assert_eq!(romaji_key("chiyoda"), "tiyoda");
        assert_eq!(romaji_key("shinbashi"), "sinbasi");
        assert_eq!(romaji_key("nihombashi"), "nihonbasi");
    }
}

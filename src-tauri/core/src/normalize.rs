//! The search normaliser: one function that both the search index and every
//! query pass through, so that spelling variants of Persian and Arabic text
//! find each other.
//!
//! SQLite's FTS5 tokenizers fold case and Latin diacritics but none of the
//! Persian variants below, so this runs first. It is registered on every
//! connection as the deterministic SQL function `cb_normalize`; the index
//! triggers call it, so a connection without it cannot write.

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;

/// Folds the variants a Persian reader treats as the same word:
/// Arabic yeh and alef maksura to Persian yeh, Arabic kaf to Persian keheh,
/// harakat (U+064B–U+065F) and the superscript alef (U+0670) dropped,
/// tatweel dropped, zero-width non-joiner to a space, and Persian and
/// Arabic-Indic digits to ASCII digits.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Every character folded here is in U+0640–U+06FF or is U+200C, so its
    // UTF-8 form starts with 0xD9, 0xDB or 0xE2: the text between such bytes
    // is copied as it stands. This runs on every indexed text.
    let mut rest = text;
    while let Some(at) = rest.bytes().position(|b| matches!(b, 0xD9 | 0xDB | 0xE2)) {
        out.push_str(&rest[..at]);
        let c = rest[at..].chars().next().expect("a character starts at a lead byte");
        match c {
            '\u{064A}' | '\u{0649}' => out.push('\u{06CC}'),
            '\u{0643}' => out.push('\u{06A9}'),
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => {}
            '\u{200C}' => out.push(' '),
            '\u{06F0}'..='\u{06F9}' => out.push(char::from(b'0' + (c as u32 - 0x06F0) as u8)),
            '\u{0660}'..='\u{0669}' => out.push(char::from(b'0' + (c as u32 - 0x0660) as u8)),
            _ => out.push(c),
        }
        rest = &rest[at + c.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// Registers `cb_normalize(text)` on a connection.
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "cb_normalize",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC | FunctionFlags::SQLITE_INNOCUOUS,
        |ctx| {
            let text: Option<String> = ctx.get(0)?;
            Ok(text.map(|t| normalize(&t)))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn folds_persian_variants() {
        assert_eq!(normalize("كتاب"), "کتاب");
        assert_eq!(normalize("کِتاب"), "کتاب");
        assert_eq!(normalize("علي"), "علی");
        assert_eq!(normalize("مصطفى"), "مصطفی");
        assert_eq!(normalize("بـــرنامه"), "برنامه");
        assert_eq!(normalize("می\u{200C}شود"), "می شود");
        assert_eq!(normalize("۱۴۰۲"), "1402");
        assert_eq!(normalize("١٤٠٢"), "1402");
        assert_eq!(normalize("رحمٰن"), "رحمن");
        assert_eq!(normalize("Тоҷикистон and Oʻzbekiston"), "Тоҷикистон and Oʻzbekiston");
    }

    /// The byte-run copy gives what folding one character at a time gives.
    #[test]
    fn agrees_with_a_character_by_character_fold() {
        let fold = |text: &str| -> String {
            text.chars()
                .filter_map(|c| match c {
                    '\u{064A}' | '\u{0649}' => Some('\u{06CC}'),
                    '\u{0643}' => Some('\u{06A9}'),
                    '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => None,
                    '\u{200C}' => Some(' '),
                    '\u{06F0}'..='\u{06F9}' => char::from_digit(c as u32 - 0x06F0, 10),
                    '\u{0660}'..='\u{0669}' => char::from_digit(c as u32 - 0x0660, 10),
                    _ => Some(c),
                })
                .collect()
        };
        // Every character from U+0600 to U+06FF and the punctuation block
        // around U+200C, among Latin, Cyrillic and emoji.
        let mut text: String = ('\u{0600}'..='\u{06FF}').chain('\u{2000}'..='\u{206F}').collect();
        text.push_str("Oʻzbekiston Тоҷикистон 🙂 ë");
        assert_eq!(normalize(&text), fold(&text));
        let reversed: String = text.chars().rev().collect();
        assert_eq!(normalize(&reversed), fold(&reversed));
    }
}

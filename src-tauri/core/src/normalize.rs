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
    for c in text.chars() {
        match c {
            '\u{064A}' | '\u{0649}' => out.push('\u{06CC}'),
            '\u{0643}' => out.push('\u{06A9}'),
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => {}
            '\u{200C}' => out.push(' '),
            '\u{06F0}'..='\u{06F9}' => out.push(char::from(b'0' + (c as u32 - 0x06F0) as u8)),
            '\u{0660}'..='\u{0669}' => out.push(char::from(b'0' + (c as u32 - 0x0660) as u8)),
            _ => out.push(c),
        }
    }
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
}

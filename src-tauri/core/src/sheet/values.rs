//! Reading one cell as one field: clause numbers and the tree they imply,
//! deadlines (date cells, ISO and Solar Hijri text, phrases after signing),
//! statuses in English and Persian words, percentages and themes. A value
//! that cannot be read is a [`RowIssue`], never a guess.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDate;

use super::RowIssue;
use super::read::{Cell, trim_text};
use crate::calendar::{self, ascii_digits};
use crate::deadline::Deadline;
use crate::model::TAG_MAX_CHARS;
use crate::normalize::normalize;
use crate::vocab::{ClauseStatus, Lang};

/// Status words officers write, besides the statuses' own labels and codes.
pub const STATUS_WORDS: &[(ClauseStatus, &[&str])] = &[
    (
        ClauseStatus::NotStarted,
        &[
            "not started",
            "not yet started",
            "planned",
            "pending",
            "to do",
            "todo",
            "open",
            "new",
            "شروع نشده",
            "آغاز نشده",
            "انجام نشده",
            "برنامه ریزی شده",
            "در انتظار",
        ],
    ),
    (
        ClauseStatus::InProgress,
        &[
            "in progress",
            "ongoing",
            "on going",
            "underway",
            "under way",
            "started",
            "in process",
            "partially done",
            "در حال انجام",
            "در حال اجرا",
            "در دست اقدام",
            "در جریان",
            "نیمه تمام",
        ],
    ),
    (
        ClauseStatus::Completed,
        &[
            "completed",
            "complete",
            "done",
            "finished",
            "implemented",
            "achieved",
            "closed",
            "انجام شده",
            "تکمیل شده",
            "اجرا شده",
            "محقق شده",
            "پایان یافته",
            "انجام شد",
        ],
    ),
    (
        ClauseStatus::OnHold,
        &[
            "on hold",
            "hold",
            "suspended",
            "postponed",
            "paused",
            "stalled",
            "delayed",
            "متوقف",
            "معلق",
            "متوقف شده",
            "به تعویق افتاده",
            "تعلیق",
        ],
    ),
    (
        ClauseStatus::Cancelled,
        &[
            "cancelled",
            "canceled",
            "dropped",
            "withdrawn",
            "abandoned",
            "لغو شده",
            "لغو",
            "منتفی",
            "منتفی شده",
            "حذف شده",
        ],
    ),
];

/// Folds a word for matching: Persian letter variants, case, zero-width
/// non-joiners and spacing.
fn fold(s: &str) -> String {
    normalize(s).to_lowercase().replace(['_', '-'], " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text as the cell holds it, trimmed, with the apostrophe an export puts
/// before a formula-like value taken off: `'=x` reads as `=x`, and `''=x`
/// (a text that began with its own apostrophe) as `'=x`.
pub fn text(cell: Cell<&str>) -> Option<Cow<'_, str>> {
    let t: Cow<'_, str> = match cell {
        Cell::Empty => return None,
        Cell::Text(t) => Cow::Borrowed(trim_text(t)),
        other => Cow::Owned(other.display().trim().to_owned()),
    };
    if t.is_empty() {
        return None;
    }
    let formula_like = t.trim_start_matches('\'').starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula_like && t.starts_with('\'') {
        return Some(match t {
            Cow::Borrowed(b) => Cow::Borrowed(&b[1..]),
            Cow::Owned(o) => Cow::Owned(o[1..].to_owned()),
        });
    }
    Some(t)
}

/// Every status word folded, once: codes, labels in each language and
/// [`STATUS_WORDS`].
fn status_words() -> &'static HashMap<String, ClauseStatus> {
    static WORDS: OnceLock<HashMap<String, ClauseStatus>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut map = HashMap::new();
        for (s, words) in STATUS_WORDS {
            for w in *words {
                map.insert(fold(w), *s);
            }
        }
        for &s in ClauseStatus::ALL {
            map.insert(fold(s.as_str()), s);
            for &l in Lang::ALL {
                map.insert(fold(s.label(l)), s);
            }
        }
        map
    })
}

pub fn status(cell: Cell<&str>) -> Result<Option<ClauseStatus>, RowIssue> {
    let Some(t) = text(cell) else { return Ok(None) };
    match status_words().get(&fold(&t)) {
        Some(s) => Ok(Some(*s)),
        None => Err(RowIssue::Status { value: t.into_owned() }),
    }
}

pub fn percent(cell: Cell<&str>) -> Result<Option<u8>, RowIssue> {
    let bad = || RowIssue::Percent { value: cell.display() };
    let value = match cell {
        Cell::Empty => return Ok(None),
        // A percent-formatted cell holds a fraction: 0.45 for 45%.
        Cell::Number(n) if n > 0.0 && n < 1.0 => n * 100.0,
        Cell::Number(n) => n,
        Cell::Text(t) => {
            let t = ascii_digits(t.trim()).replace('٫', ".");
            let t = t.trim_end_matches(['%', '٪']).trim();
            if t.is_empty() {
                return Ok(None);
            }
            t.parse::<f64>().map_err(|_| bad())?
        }
        Cell::Date(_) | Cell::Bool(_) => return Err(bad()),
    };
    if !(0.0..=100.0).contains(&value) {
        return Err(bad());
    }
    Ok(Some(value.round() as u8))
}

pub fn deadline(cell: Cell<&str>) -> Result<Deadline, RowIssue> {
    match cell {
        Cell::Empty => Ok(Deadline::None),
        Cell::Date(date) => Ok(Deadline::On { date }),
        Cell::Text(_) | Cell::Number(_) | Cell::Bool(_) => {
            let Some(t) = text(cell) else { return Ok(Deadline::None) };
            match Deadline::parse(&t) {
                Ok(d) => Ok(d),
                // A date that names an impossible day says so (1404/12/30:
                // 1404 is not a leap year); other text is not a deadline.
                Err(calendar::CalendarError::Unreadable(_)) => Err(RowIssue::Deadline { value: t.into_owned() }),
                Err(e) => Err(RowIssue::Date(e)),
            }
        }
    }
}

pub fn themes(cell: Cell<&str>) -> Result<Vec<String>, RowIssue> {
    let Some(t) = text(cell) else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for part in t.split([',', '،', ';', '؛', '\n']) {
        let p = part.trim();
        if p.is_empty() {
            continue;
        }
        if p.chars().count() > TAG_MAX_CHARS {
            return Err(RowIssue::Theme { value: p.to_owned(), max: TAG_MAX_CHARS as i64 });
        }
        out.push(p.to_owned());
    }
    Ok(out)
}

/// How a clause number is written, for placing it in the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    /// As written, trimmed, without a trailing dot or closing bracket.
    pub written: String,
    /// Its segments in ASCII digits and lower case, as a [`Key`]: `1-2`
    /// and `۱.۲` are `1`, `2`; `3.a` is `3`, `a`; `(iv)` is `iv`.
    pub segments: Key,
    /// The kind of a one-segment number, which decides its level.
    pub style: Style,
}

impl Number {
    /// Its segments, outermost first.
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        parts(&self.segments)
    }
}

/// A path of clause numbers, outermost first, as one byte string with each
/// part ended by 0xFF, a byte UTF-8 never uses: two keys are equal exactly
/// when their parts are, and a key's parent is a prefix of it, found
/// without a copy. Empty is the top level.
pub type Key = Vec<u8>;

/// Appends one part (a number's segment, or a folded number) to a key.
pub fn push_part(key: &mut Key, part: &str) {
    key.extend_from_slice(part.as_bytes());
    key.push(0xFF);
}

/// The key of these parts, outermost first.
pub fn key_of<'a>(parts: impl IntoIterator<Item = &'a str>) -> Key {
    let mut key = Key::new();
    for p in parts {
        push_part(&mut key, p);
    }
    key
}

/// The key without its last part.
pub fn parent_key(key: &[u8]) -> &[u8] {
    let body = &key[..key.len().saturating_sub(1)];
    body.iter().rposition(|&b| b == 0xFF).map_or(&[], |i| &key[..=i])
}

/// A key's parts, outermost first.
pub fn parts(key: &[u8]) -> impl Iterator<Item = &str> {
    key.split(|&b| b == 0xFF)
        .take(key.iter().filter(|&&b| b == 0xFF).count())
        .map(|p| std::str::from_utf8(p).expect("a key's parts are text split at a byte UTF-8 never uses"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Digits,
    Letter,
    Roman,
    /// Several segments: the tree follows them.
    Dotted,
    Other,
}

pub fn number(cell: Cell<&str>) -> Option<Number> {
    let raw = text(cell)?;
    Some(plain_number(&raw).unwrap_or_else(|| any_number(&raw)))
}

/// [`number`] of the way nearly every clause is numbered, ASCII digits with
/// single dots between them (`12`, `3.1.2`), read in one pass: the number
/// [`any_number`] reads, at a tenth of its cost, which a 50,000-row sheet
/// pays on every row.
fn plain_number(raw: &str) -> Option<Number> {
    let b = raw.as_bytes();
    let plain = b.first()?.is_ascii_digit()
        && b.last()?.is_ascii_digit()
        && b.iter().all(|&c| c.is_ascii_digit() || c == b'.')
        && !b.windows(2).any(|w| w == b"..");
    if !plain {
        return None;
    }
    let mut segments = Key::with_capacity(b.len() + 1);
    segments.extend(b.iter().map(|&c| if c == b'.' { 0xFF } else { c }));
    segments.push(0xFF);
    let style = if b.contains(&b'.') { Style::Dotted } else { Style::Digits };
    Some(Number { written: raw.to_owned(), segments, style })
}

/// [`number`] of any text.
fn any_number(raw: &str) -> Number {
    let ascii = ascii_digits(raw);
    let trimmed = trim_text(trim_text(&ascii).trim_end_matches(['.', ')', ']']).trim_start_matches(['(', '[']));
    let written = trim_text(trim_text(raw).trim_end_matches('.'));
    let written = if written.is_empty() { trim_text(raw) } else { written }.to_owned();
    let mut segments = Key::with_capacity(trimmed.len() + 1);
    let mut count = 0;
    let mut first = "";
    for s in trimmed.split(['.', '-', '/', '_']).map(str::trim).filter(|s| !s.is_empty()) {
        if count == 0 {
            first = s;
        }
        count += 1;
        push_part(&mut segments, &lower(s));
    }
    if count == 0 {
        return Number { written, segments: key_of([&*trimmed.to_lowercase()]), style: Style::Other };
    }
    let style = if count > 1 {
        Style::Dotted
    } else {
        let s = lower(first);
        if s.bytes().all(|b| b.is_ascii_digit()) {
            Style::Digits
        } else if s.chars().all(|c| "ivxlc".contains(c)) && (s.len() > 1 || raw.contains('(')) {
            Style::Roman
        } else if s.chars().count() == 1 && s.chars().all(char::is_alphabetic) {
            Style::Letter
        } else {
            Style::Other
        }
    };
    Number { written, segments, style }
}

/// Text in lower case; a clause number's segments are mostly digits, copied
/// as they are.
pub(crate) fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().all(|b| !b.is_ascii_uppercase() && b.is_ascii()) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

/// A fixed deadline before the signing date, which the store would refuse.
pub fn before_signing(deadline: &Deadline, signed: Option<NaiveDate>) -> Option<RowIssue> {
    match (deadline, signed) {
        (Deadline::On { date }, Some(signed)) if *date < signed => {
            Some(RowIssue::BeforeSigning { deadline: *date, signed })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text of up to five characters from an alphabet of digits (ASCII
    /// and Persian), separators, brackets, letters and spaces: where the
    /// one-pass reading answers, it answers as the general one does.
    #[test]
    fn a_plain_number_is_read_as_any_number_is() {
        let alphabet = ['0', '1', '9', '.', '-', ' ', '(', ')', 'a', 'I', '\u{06F1}'];
        let mut texts = vec![String::new()];
        let mut plain = 0;
        for _ in 0..5 {
            texts = texts.iter().flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}"))).collect();
            for t in &texts {
                if let Some(n) = plain_number(t) {
                    assert_eq!(n, any_number(t), "{t:?}");
                    plain += 1;
                }
            }
        }
        // Digits and dots of up to five characters, not starting, ending or
        // doubling a dot: 3 + 9 + 36 + 135 + 513.
        assert_eq!(plain, 696);
        assert_eq!(number(t(" 3.1.2 ")), Some(any_number("3.1.2")));
    }

    fn t(s: &str) -> Cell<&str> {
        Cell::Text(s)
    }

    #[test]
    fn statuses_in_both_languages_and_their_synonyms() {
        for (text, want) in [
            ("Done", ClauseStatus::Completed),
            ("completed", ClauseStatus::Completed),
            ("انجام شده", ClauseStatus::Completed),
            ("انجام‌شده", ClauseStatus::Completed),
            ("در حال انجام", ClauseStatus::InProgress),
            ("در دست اقدام", ClauseStatus::InProgress),
            ("Ongoing", ClauseStatus::InProgress),
            ("in_progress", ClauseStatus::InProgress),
            ("شروع نشده", ClauseStatus::NotStarted),
            ("Postponed", ClauseStatus::OnHold),
            ("لغو شده", ClauseStatus::Cancelled),
            ("منتفی", ClauseStatus::Cancelled),
        ] {
            assert_eq!(status(t(text)).unwrap(), Some(want), "{text}");
        }
        assert_eq!(status(Cell::Empty).unwrap(), None);
        assert_eq!(status(t("almost")).unwrap_err().code(), "unreadable_status");
    }

    #[test]
    fn numbers_give_their_segments_and_style() {
        for (text, segments, style) in [
            ("1", &["1"][..], Style::Digits),
            ("1.1", &["1", "1"][..], Style::Dotted),
            ("1-2", &["1", "2"][..], Style::Dotted),
            ("۱-۲", &["1", "2"][..], Style::Dotted),
            ("3.a", &["3", "a"][..], Style::Dotted),
            ("(iv)", &["iv"][..], Style::Roman),
            ("a)", &["a"][..], Style::Letter),
            ("2.", &["2"][..], Style::Digits),
        ] {
            let n = number(t(text)).unwrap();
            assert_eq!(n.segments().collect::<Vec<_>>(), segments, "{text}");
            assert_eq!(n.style, style, "{text}");
        }
        assert_eq!(number(t("۱-۲")).unwrap().written, "۱-۲");
        assert_eq!(number(Cell::Number(4.0)).unwrap().written, "4");
    }

    #[test]
    fn deadlines_from_cells() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(deadline(Cell::Date(d)).unwrap(), Deadline::On { date: d });
        assert_eq!(deadline(t("2026-03-01")).unwrap(), Deadline::On { date: d });
        assert_eq!(
            deadline(t("۱۴۰۴/۱۲/۱۰")).unwrap(),
            Deadline::On { date: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap() }
        );
        assert!(matches!(deadline(t("within 10 months")).unwrap(), Deadline::AfterSigning { amount: 10, .. }));
        let e = deadline(t("1404/12/30")).unwrap_err();
        assert!(matches!(e, RowIssue::Date(_)), "{e:?}");
        assert_eq!(deadline(t("soon")).unwrap_err().code(), "unreadable_deadline");
    }

    #[test]
    fn percents_and_formula_guards() {
        assert_eq!(percent(Cell::Number(0.45)).unwrap(), Some(45));
        assert_eq!(percent(t("۴۵٪")).unwrap(), Some(45));
        assert_eq!(percent(Cell::Number(100.0)).unwrap(), Some(100));
        assert!(percent(t("half")).is_err());
        assert!(percent(Cell::Number(140.0)).is_err());
        assert_eq!(text(t("'=SUM(A1)")).unwrap(), "=SUM(A1)");
        assert_eq!(text(t("'quoted")).unwrap(), "'quoted");
        assert_eq!(text(t("''=x")).unwrap(), "'=x");
    }
}

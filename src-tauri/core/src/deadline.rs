//! Deadlines: none, a fixed date, or an offset after the agreement's signing.
//!
//! A relative deadline is counted in the agreement's own calendar: three
//! Solar Hijri months after 1400/06/31 is 1400/09/30 (2021-12-21), while
//! three Gregorian months after the same day is 2021-12-22. When the signing
//! date or the calendar changes, every relative deadline moves with it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{self, Calendar};

pub use crate::vocab::OffsetUnit;

/// When a clause is due, as the officer wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Deadline {
    #[default]
    None,
    /// Due on a fixed day.
    On { date: NaiveDate },
    /// Due `amount` days or months after the agreement is signed.
    AfterSigning { amount: u32, unit: OffsetUnit },
}

/// The longest offset we accept: fifty years.
pub const MAX_OFFSET_MONTHS: u32 = 600;
pub const MAX_OFFSET_DAYS: u32 = 600 * 31;

impl Deadline {
    /// The day the clause falls due: a fixed date as it is, a relative one
    /// counted from the signing date in `calendar`, or nothing while the
    /// agreement is unsigned.
    pub fn resolve(&self, signed_on: Option<NaiveDate>, calendar: Calendar) -> Option<NaiveDate> {
        match *self {
            Deadline::None => None,
            Deadline::On { date } => Some(date),
            Deadline::AfterSigning { amount, unit } => {
                let signed = signed_on?;
                match unit {
                    OffsetUnit::Days => signed.checked_add_days(chrono::Days::new(u64::from(amount))),
                    OffsetUnit::Months => calendar::add_months(signed, i32::try_from(amount).ok()?, calendar),
                }
            }
        }
    }

    /// Reads a deadline as officers write it: a date (see
    /// [`calendar::parse_date`]), or an offset after signing in English or
    /// Persian: `3 months`, `90 days after signing`, `within 10 months`,
    /// `within 3 months of signing`, `2 years`, `۳ ماه پس از امضا`,
    /// `ظرف ۶ ماه`. Weeks count as seven days and years as twelve months.
    /// Anything else is refused, never guessed.
    pub fn parse(input: &str) -> Result<Deadline, calendar::CalendarError> {
        let text = calendar::ascii_digits(input.trim());
        if text.is_empty() || text.eq_ignore_ascii_case("none") {
            return Ok(Deadline::None);
        }
        if let Some(d) = relative(&text) {
            return Ok(d);
        }
        calendar::parse_date(input).map(|date| Deadline::On { date })
    }
}

/// Words that may surround the number and unit of a relative deadline.
const FILLER_WORDS: &[&str] = &[
    "within",
    "in",
    "after",
    "of",
    "from",
    "the",
    "its",
    "signing",
    "signature",
    "date",
    "following",
    "at",
    "latest",
    "max",
    "maximum",
    "by",
    "ظرف",
    "طی",
    "تا",
    "در",
    "پس",
    "بعد",
    "از",
    "امضا",
    "امضای",
    "امضاء",
    "تاریخ",
    "مدت",
    "حداکثر",
    "حداکثرظرف",
    "سند",
    "تفاهم",
    "نامه",
];

/// The unit a word names, with how many of that unit it counts for.
fn unit_word(word: &str) -> Option<(OffsetUnit, u32)> {
    let unit = OffsetUnit::ALL.iter().copied().find(|u| {
        let code = u.as_str();
        word == code || Some(word) == code.strip_suffix('s') || word == u.label(crate::vocab::Lang::Fa)
    });
    match (unit, word) {
        (Some(u), _) => Some((u, 1)),
        (None, "week" | "weeks" | "هفته") => Some((OffsetUnit::Days, 7)),
        (None, "year" | "years" | "سال") => Some((OffsetUnit::Months, 12)),
        _ => None,
    }
}

/// An offset after signing: one number, its unit right after it, and only
/// filler words around them.
fn relative(text: &str) -> Option<Deadline> {
    let lowered = text.to_lowercase().replace('\u{200C}', " ");
    let words: Vec<&str> = lowered
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '،' | '.' | ':'))
        .filter(|w| !w.is_empty())
        .collect();
    let at = words.iter().position(|w| w.bytes().all(|b| b.is_ascii_digit()))?;
    let amount: u32 = words[at].parse().ok()?;
    let (unit, times) = unit_word(words.get(at + 1)?)?;
    let rest = words[..at].iter().chain(&words[at + 2..]);
    if !rest.into_iter().all(|w| FILLER_WORDS.contains(w)) {
        return None;
    }
    Some(Deadline::AfterSigning { amount: amount.checked_mul(times)?, unit })
}

impl std::fmt::Display for Deadline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Deadline::None => f.write_str("none"),
            Deadline::On { date } => write!(f, "{}", date.format("%Y-%m-%d")),
            Deadline::AfterSigning { amount, unit } => write!(f, "{amount} {} after signing", unit.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_deadlines_count_in_the_agreement_calendar() {
        let signed = calendar::parse_date("1400/06/31").unwrap();
        let three = Deadline::AfterSigning { amount: 3, unit: OffsetUnit::Months };
        assert_eq!(three.resolve(Some(signed), Calendar::Persian).unwrap().to_string(), "2021-12-21");
        assert_eq!(three.resolve(Some(signed), Calendar::Gregorian).unwrap().to_string(), "2021-12-22");
        assert_eq!(three.resolve(None, Calendar::Persian), None);
        let ninety = Deadline::AfterSigning { amount: 90, unit: OffsetUnit::Days };
        assert_eq!(ninety.resolve(Some(signed), Calendar::Persian).unwrap().to_string(), "2021-12-21");
    }

    #[test]
    fn parses_what_officers_write() {
        assert_eq!(
            Deadline::parse("3 months").unwrap(),
            Deadline::AfterSigning { amount: 3, unit: OffsetUnit::Months }
        );
        assert_eq!(
            Deadline::parse("90 days after signing").unwrap(),
            Deadline::AfterSigning { amount: 90, unit: OffsetUnit::Days }
        );
        assert_eq!(
            Deadline::parse("۶ months").unwrap(),
            Deadline::AfterSigning { amount: 6, unit: OffsetUnit::Months }
        );
        assert_eq!(Deadline::parse("۳ ماه").unwrap(), Deadline::AfterSigning { amount: 3, unit: OffsetUnit::Months });
        assert_eq!(
            Deadline::parse("۹۰ روز پس از امضا").unwrap(),
            Deadline::AfterSigning { amount: 90, unit: OffsetUnit::Days }
        );
        assert!(matches!(Deadline::parse("1404/03/15").unwrap(), Deadline::On { .. }));
        assert_eq!(Deadline::parse("").unwrap(), Deadline::None);
        assert!(Deadline::parse("soon").is_err());
    }

    #[test]
    fn reads_the_phrases_of_real_action_plans() {
        let months = |amount| Deadline::AfterSigning { amount, unit: OffsetUnit::Months };
        let days = |amount| Deadline::AfterSigning { amount, unit: OffsetUnit::Days };
        for (text, want) in [
            ("within 10 months", months(10)),
            ("10 months", months(10)),
            ("Within 3 months of signing", months(3)),
            ("3 months after the signing", months(3)),
            ("2 years", months(24)),
            ("6 weeks after signing", days(42)),
            ("۳ ماه پس از امضا", months(3)),
            ("ظرف ۶ ماه", months(6)),
            ("حداکثر ظرف ۲ ماه پس از امضای تفاهم‌نامه", months(2)),
            ("۱ سال", months(12)),
            ("۹۰ روز بعد از امضا", days(90)),
        ] {
            assert_eq!(Deadline::parse(text).unwrap(), want, "{text}");
        }
        for text in ["3 months before signing", "end of year", "10", "months", "1404/12/30"] {
            assert!(Deadline::parse(text).is_err(), "{text}");
        }
    }
}

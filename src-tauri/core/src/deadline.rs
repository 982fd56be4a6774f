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

/// A unit as officers type it: the code (`months`), its singular, or the
/// Persian word (`ماه`).
fn unit_word(word: &str) -> Option<OffsetUnit> {
    OffsetUnit::ALL.iter().copied().find(|u| {
        let code = u.as_str();
        word == code || Some(word) == code.strip_suffix('s') || word == u.label(crate::vocab::Lang::Fa)
    })
}

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

    /// Reads `3 months`, `90 days`, `3 months after signing`, the Persian
    /// `۳ ماه` or `۹۰ روز پس از امضا`, or a date.
    pub fn parse(input: &str) -> Result<Deadline, calendar::CalendarError> {
        let text = calendar::ascii_digits(input.trim());
        if text.is_empty() || text.eq_ignore_ascii_case("none") {
            return Ok(Deadline::None);
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        let relative = match words.as_slice() {
            [n, unit] | [n, unit, "after", "signing"] | [n, unit, "پس", "از", "امضا"] => {
                n.parse::<u32>().ok().zip(unit_word(unit))
            }
            _ => None,
        };
        if let Some((amount, unit)) = relative {
            return Ok(Deadline::AfterSigning { amount, unit });
        }
        calendar::parse_date(input).map(|date| Deadline::On { date })
    }
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
}

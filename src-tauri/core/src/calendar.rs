//! Gregorian and Solar Hijri (Persian) dates.
//!
//! Dates are stored as ISO Gregorian [`NaiveDate`]s. This module converts
//! them to and from the Solar Hijri calendar through `icu_calendar` (never a
//! hand-written formula: many of those got 1403 wrong), parses what officers
//! type (`1404/03/15`, `۱۴۰۴/۰۳/۱۵`, `2025-06-05`), formats dates for display,
//! and adds months in either calendar, clamping to the end of the month.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use icu_calendar::Date;
use icu_calendar::cal::Persian;
use serde::{Deserialize, Serialize};

use crate::detail::{Param, Params};

pub use crate::vocab::{Calendar, DateDisplay, Lang};

/// Why a date could not be read or computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The text is not a date in a form we read.
    #[error("\"{0}\" is not a date: write it as 2025-06-05 (Gregorian) or 1404/03/15 (Solar Hijri)")]
    Unreadable(String),
    /// The text names a month past the twelfth.
    #[error("{input} does not exist: the year has 12 months, not {month}")]
    NoSuchMonth { input: String, month: u32 },
    /// The text names a day the month does not have.
    #[error("{input} does not exist: {} {year} has {days} days{}", month_name(*.calendar, *.month), leap_note(*.leap, *.year))]
    NoSuchDay {
        input: String,
        calendar: Calendar,
        year: i32,
        month: u8,
        days: u8,
        /// For the last month of a Solar Hijri year: whether the year is a leap year.
        leap: Option<bool>,
    },
    /// The date lies outside the years the register handles.
    #[error("{0} is outside the supported years (Gregorian 1800–2300, Solar Hijri 1200–1700)")]
    OutOfRange(String),
}

impl CalendarError {
    /// A stable code front ends can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            CalendarError::Unreadable(_) => "date_unreadable",
            CalendarError::NoSuchMonth { .. } => "date_no_such_month",
            CalendarError::NoSuchDay { .. } => "date_no_such_day",
            CalendarError::OutOfRange(_) => "date_out_of_range",
        }
    }

    /// The values the message is built from (see [`crate::detail`]).
    pub fn params(&self) -> Params {
        match self {
            CalendarError::Unreadable(input) | CalendarError::OutOfRange(input) => {
                vec![("input", Param::Text(input.clone()))]
            }
            CalendarError::NoSuchMonth { input, month } => {
                vec![("input", Param::Text(input.clone())), ("month_number", Param::Number(i64::from(*month)))]
            }
            CalendarError::NoSuchDay { input, calendar, year, month, days, leap } => {
                let mut p = vec![
                    ("input", Param::Text(input.clone())),
                    ("month", Param::Month { calendar: *calendar, month: *month }),
                    ("year", Param::Number(i64::from(*year))),
                    ("days", Param::Number(i64::from(*days))),
                ];
                if let Some(leap) = leap {
                    p.push(("year_kind", Param::Word(if *leap { "leap_year" } else { "common_year" })));
                }
                p
            }
        }
    }

    /// One error of every variant, for [`crate::detail::catalog`]. The match
    /// below fails to compile when a variant is added, as a reminder to add
    /// its example here.
    pub fn examples() -> Vec<CalendarError> {
        let all = vec![
            CalendarError::Unreadable("next spring".into()),
            CalendarError::NoSuchMonth { input: "1404/13/01".into(), month: 13 },
            CalendarError::NoSuchDay {
                input: "1404/12/30".into(),
                calendar: Calendar::Persian,
                year: 1404,
                month: 12,
                days: 29,
                leap: Some(false),
            },
            CalendarError::OutOfRange("0999-01-01".into()),
        ];
        for e in &all {
            match e {
                CalendarError::Unreadable(_)
                | CalendarError::NoSuchMonth { .. }
                | CalendarError::NoSuchDay { .. }
                | CalendarError::OutOfRange(_) => {}
            }
        }
        all
    }
}

fn month_name(calendar: Calendar, month: u8) -> &'static str {
    let month = month.clamp(1, 12);
    match calendar {
        Calendar::Persian => PERSIAN_MONTHS_EN[usize::from(month - 1)],
        Calendar::Gregorian => chrono::Month::try_from(month).expect("clamped to 1..=12").name(),
    }
}

fn leap_note(leap: Option<bool>, year: i32) -> String {
    match leap {
        Some(true) => format!(" ({year} is a leap year)"),
        Some(false) => format!(" ({year} is not a leap year)"),
        None => String::new(),
    }
}

/// The Solar Hijri month names, Farvardin to Esfand.
pub const PERSIAN_MONTHS_FA: [&str; 12] =
    ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"];

/// The same names in Latin transliteration, for English screens.
pub const PERSIAN_MONTHS_EN: [&str; 12] = [
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
];

/// A day in the Solar Hijri calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PersianDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl std::fmt::Display for PersianDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}/{:02}/{:02}", self.year, self.month, self.day)
    }
}

const GREGORIAN_YEARS: std::ops::RangeInclusive<i32> = 1800..=2300;
const PERSIAN_YEARS: std::ops::RangeInclusive<i32> = 1200..=1700;

fn icu_iso(date: NaiveDate) -> Date<icu_calendar::Iso> {
    // A NaiveDate is always a valid ISO date.
    Date::try_new_iso(date.year(), date.month() as u8, date.day() as u8).expect("a chrono date is a valid ISO date")
}

/// The Solar Hijri date of a Gregorian day.
pub fn to_persian(date: NaiveDate) -> PersianDate {
    let p = icu_iso(date).to_calendar(Persian);
    PersianDate { year: p.year().extended_year(), month: p.month().ordinal, day: p.day_of_month().0 }
}

/// Whether a Solar Hijri year has 366 days (a 30-day Esfand).
pub fn is_persian_leap_year(year: i32) -> bool {
    Date::try_new_persian(year, 1, 1).map(|d| d.is_in_leap_year()).unwrap_or(false)
}

/// The number of days in a Solar Hijri month.
pub fn persian_month_len(year: i32, month: u8) -> u8 {
    Date::try_new_persian(year, month, 1).map(|d| d.days_in_month()).unwrap_or(0)
}

/// The Gregorian day of a Solar Hijri date, or why it does not exist.
pub fn from_persian(year: i32, month: u8, day: u8) -> Result<NaiveDate, CalendarError> {
    let input = PersianDate { year, month, day }.to_string();
    if !PERSIAN_YEARS.contains(&year) {
        return Err(CalendarError::OutOfRange(input));
    }
    if !(1..=12).contains(&month) {
        return Err(CalendarError::NoSuchMonth { input, month: u32::from(month) });
    }
    let days = persian_month_len(year, month);
    if day == 0 || day > days {
        let leap = (month == 12).then(|| is_persian_leap_year(year));
        return Err(CalendarError::NoSuchDay { input, calendar: Calendar::Persian, year, month, days, leap });
    }
    let iso = Date::try_new_persian(year, month, day)
        .map_err(|_| CalendarError::OutOfRange(input.clone()))?
        .to_calendar(icu_calendar::Iso);
    let naive = NaiveDate::from_ymd_opt(
        iso.year().extended_year(),
        u32::from(iso.month().ordinal),
        u32::from(iso.day_of_month().0),
    );
    naive.ok_or(CalendarError::OutOfRange(input))
}

/// A Gregorian date from its parts, or why it does not exist.
pub fn from_gregorian(year: i32, month: u32, day: u32) -> Result<NaiveDate, CalendarError> {
    let input = format!("{year:04}-{month:02}-{day:02}");
    if !GREGORIAN_YEARS.contains(&year) {
        return Err(CalendarError::OutOfRange(input));
    }
    if !(1..=12).contains(&month) {
        return Err(CalendarError::NoSuchMonth { input, month });
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| CalendarError::NoSuchDay {
        input,
        calendar: Calendar::Gregorian,
        year,
        month: month as u8,
        days: gregorian_month_len(year, month) as u8,
        leap: None,
    })
}

fn gregorian_month_len(year: i32, month: u32) -> u32 {
    let first = NaiveDate::from_ymd_opt(year, month, 1).expect("month checked above");
    let next = first.checked_add_months(chrono::Months::new(1)).expect("in range");
    (next - first).num_days() as u32
}

/// Replaces Persian (U+06F0–U+06F9) and Arabic-Indic (U+0660–U+0669) digits
/// with ASCII digits; text without them is returned as it is, uncopied.
pub fn ascii_digits(s: &str) -> Cow<'_, str> {
    // In UTF-8 the digits are 0xD9 0xA0–0xA9 and 0xDB 0xB0–0xB9.
    let other_digit = |w: &[u8]| matches!(w, [0xD9, 0xA0..=0xA9] | [0xDB, 0xB0..=0xB9]);
    if !s.as_bytes().windows(2).any(other_digit) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
                '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
                _ => c,
            })
            .collect(),
    )
}

/// Replaces ASCII digits with Persian digits.
pub fn persian_digits(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_digit() { char::from_u32(0x06F0 + (c as u32 - '0' as u32)).expect("digit") } else { c })
        .collect()
}

/// Reads a date as an officer types it.
///
/// `2025-06-05` is Gregorian. `1404/03/15` and `۱۴۰۴/۰۳/۱۵` are Solar Hijri.
/// The calendar follows from the year: a year below 1700 is Solar Hijri, so
/// `2025/06/05` is Gregorian too. Separators may be `-`, `/` or `.`.
pub fn parse_date(input: &str) -> Result<NaiveDate, CalendarError> {
    let text = ascii_digits(input.trim());
    let parts: Vec<&str> = text.split(['-', '/', '.']).collect();
    let unreadable = || CalendarError::Unreadable(input.trim().to_owned());
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(unreadable());
    }
    let year: i32 = parts[0].parse().map_err(|_| unreadable())?;
    let month: u32 = parts[1].parse().map_err(|_| unreadable())?;
    let day: u32 = parts[2].parse().map_err(|_| unreadable())?;
    if parts[0].len() != 4 {
        return Err(unreadable());
    }
    if year < 1700 {
        let month = u8::try_from(month).map_err(|_| unreadable())?;
        let day = u8::try_from(day).map_err(|_| unreadable())?;
        from_persian(year, month, day)
    } else {
        from_gregorian(year, month, day)
    }
}

/// Adds months in a calendar; a day past the end of the target month moves
/// back to its last day (31 Shahrivar + 1 month = 30 Mehr).
pub fn add_months(date: NaiveDate, months: i32, calendar: Calendar) -> Option<NaiveDate> {
    match calendar {
        Calendar::Gregorian => {
            if months >= 0 {
                date.checked_add_months(chrono::Months::new(months as u32))
            } else {
                date.checked_sub_months(chrono::Months::new(months.unsigned_abs()))
            }
        }
        Calendar::Persian => {
            let p = to_persian(date);
            let index = p.year * 12 + i32::from(p.month) - 1 + months;
            let year = index.div_euclid(12);
            let month = (index.rem_euclid(12) + 1) as u8;
            let day = p.day.min(persian_month_len(year, month));
            from_persian(year, month, day).ok()
        }
    }
}

/// `2025-06-05`.
pub fn format_gregorian(date: NaiveDate) -> String {
    let year = match u32::try_from(date.year()) {
        Ok(year) if year <= 9999 => year,
        _ => return date.format("%Y-%m-%d").to_string(),
    };
    // Digit by digit: the store writes two dates for every clause, and
    // formatting machinery costs more than the rest of the row's checks.
    let mut out = String::with_capacity(10);
    for (value, places) in [(year, 4), (date.month(), 2), (date.day(), 2)] {
        if !out.is_empty() {
            out.push('-');
        }
        for place in (0..places).rev() {
            out.push(char::from(b'0' + (value / 10u32.pow(place) % 10) as u8));
        }
    }
    out
}

/// `1404/03/15`, with Persian digits for [`Lang::Fa`].
pub fn format_persian(date: NaiveDate, lang: Lang) -> String {
    let s = to_persian(date).to_string();
    if lang == Lang::Fa { persian_digits(&s) } else { s }
}

/// `15 Khordad 1404`, or `۱۵ خرداد ۱۴۰۴` for [`Lang::Fa`].
pub fn format_persian_long(date: NaiveDate, lang: Lang) -> String {
    let p = to_persian(date);
    let m = usize::from(p.month - 1);
    match lang {
        Lang::En => format!("{} {} {}", p.day, PERSIAN_MONTHS_EN[m], p.year),
        Lang::Fa => persian_digits(&format!("{} {} {}", p.day, PERSIAN_MONTHS_FA[m], p.year)),
    }
}

/// A date as the display preference asks: one calendar, or both with the
/// Gregorian date first in English and the Solar Hijri date first in Persian.
pub fn format_date(date: NaiveDate, display: DateDisplay, lang: Lang) -> String {
    match (display, lang) {
        (DateDisplay::Gregorian, Lang::En) => format_gregorian(date),
        (DateDisplay::Gregorian, Lang::Fa) => persian_digits(&format_gregorian(date)),
        (DateDisplay::Persian, _) => format_persian(date, lang),
        (DateDisplay::Both, Lang::En) => format!("{} ({})", format_gregorian(date), format_persian(date, lang)),
        (DateDisplay::Both, Lang::Fa) => {
            format!("{} ({})", format_persian(date, lang), persian_digits(&format_gregorian(date)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn writes_gregorian_dates_as_chrono_does() {
        for text in ["0001-01-01", "0999-12-31", "1999-02-28", "2024-02-29", "2025-06-05", "9999-12-31"] {
            assert_eq!(format_gregorian(d(text)), text);
        }
        let far = NaiveDate::from_ymd_opt(12_345, 1, 2).unwrap();
        assert_eq!(format_gregorian(far), far.format("%Y-%m-%d").to_string());
        let before = NaiveDate::from_ymd_opt(-44, 3, 15).unwrap();
        assert_eq!(format_gregorian(before), before.format("%Y-%m-%d").to_string());
    }

    #[test]
    fn ascii_digits_copies_only_text_with_other_digits() {
        assert!(matches!(ascii_digits("1.2 ممنوع ۀ"), Cow::Borrowed("1.2 ممنوع ۀ")));
        assert_eq!(ascii_digits("۱۴۰۴/۰۳/۱۵"), "1404/03/15");
        assert_eq!(ascii_digits("٣-٢ ب"), "3-2 ب");
        // Every character of the two ranges' lead bytes that is not a digit
        // stays as it is.
        for c in ('\u{0640}'..='\u{067F}').chain('\u{06C0}'..='\u{06FF}') {
            let want = match c {
                '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
                '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
                _ => c,
            };
            assert_eq!(ascii_digits(&c.to_string()), want.to_string(), "{c:?}");
        }
    }

    #[test]
    fn reads_both_calendars_and_persian_digits() {
        assert_eq!(parse_date("2025-06-05").unwrap(), d("2025-06-05"));
        assert_eq!(parse_date("1404/03/15").unwrap(), d("2025-06-05"));
        assert_eq!(parse_date("۱۴۰۴/۰۳/۱۵").unwrap(), d("2025-06-05"));
        assert_eq!(parse_date(" 2025/6/5 ").unwrap(), d("2025-06-05"));
    }

    #[test]
    fn refuses_days_that_do_not_exist_and_says_why() {
        let e = parse_date("1404/12/30").unwrap_err();
        assert_eq!(e.code(), "date_no_such_day");
        assert!(e.to_string().contains("Esfand 1404 has 29 days (1404 is not a leap year)"), "{e}");
        let e = parse_date("2025-02-29").unwrap_err();
        assert!(e.to_string().contains("February 2025 has 28 days"), "{e}");
        assert!(parse_date("1403/12/30").is_ok(), "1403 is a leap year");
        assert_eq!(parse_date("next tuesday").unwrap_err().code(), "date_unreadable");
        assert_eq!(parse_date("1404/13/01").unwrap_err().code(), "date_no_such_month");
    }

    #[test]
    fn month_arithmetic_follows_the_calendar() {
        let signed = parse_date("1400/06/31").unwrap();
        assert_eq!(signed, d("2021-09-22"));
        assert_eq!(add_months(signed, 3, Calendar::Persian).unwrap(), d("2021-12-21"));
        assert_eq!(to_persian(d("2021-12-21")).to_string(), "1400/09/30");
        assert_eq!(add_months(signed, 3, Calendar::Gregorian).unwrap(), d("2021-12-22"));
        // Into a leap and a common Esfand.
        let bahman30 = parse_date("1403/11/30").unwrap();
        assert_eq!(to_persian(add_months(bahman30, 1, Calendar::Persian).unwrap()).to_string(), "1403/12/30");
        let bahman30 = parse_date("1404/11/30").unwrap();
        assert_eq!(to_persian(add_months(bahman30, 1, Calendar::Persian).unwrap()).to_string(), "1404/12/29");
        assert_eq!(add_months(d("2024-01-31"), 1, Calendar::Gregorian).unwrap(), d("2024-02-29"));
        assert_eq!(add_months(d("2024-03-31"), -1, Calendar::Gregorian).unwrap(), d("2024-02-29"));
    }

    #[test]
    fn formats_for_each_preference() {
        let date = d("2025-06-05");
        assert_eq!(format_date(date, DateDisplay::Both, Lang::En), "2025-06-05 (1404/03/15)");
        assert_eq!(format_date(date, DateDisplay::Persian, Lang::Fa), "۱۴۰۴/۰۳/۱۵");
        assert_eq!(format_persian_long(date, Lang::Fa), "۱۵ خرداد ۱۴۰۴");
        assert_eq!(format_persian_long(date, Lang::En), "15 Khordad 1404");
    }
}

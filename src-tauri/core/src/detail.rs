//! What an error is about, as values rather than words.
//!
//! Every error enum of the core has a stable `code()` and an English
//! `Display` that says what to fix. A front end in another language cannot
//! reuse that sentence, so each enum also gives its `params()`: the values
//! the sentence was built from (a clause number, two dates, a month of a
//! calendar), each with a name the front end's translations refer to
//! (`{number}`, `{deadline}`). Dates stay dates, so they can be shown in
//! the reader's calendar; fixed words such as "leap year" are [`Param::Word`]
//! keys, so they can be translated.
//!
//! This module sits low, beside [`crate::vocab`]: every error enum uses
//! it. The list of every code, which must know every error enum, is
//! [`crate::catalog`], at the top.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::vocab::Calendar;

/// One value an error message was built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    /// Text as the user typed it, or a name from the register: shown as it is.
    Text(String),
    /// A count or a limit.
    Number(i64),
    /// A day, to be shown in the reader's calendar.
    Date(NaiveDate),
    /// A month of a calendar (1–12), to be shown by its name.
    Month { calendar: Calendar, month: u8 },
    /// A fixed word from a small vocabulary (see [`WORDS`]), to be translated.
    Word(&'static str),
}

impl Param {
    /// The kind as a front end sees it: `text`, `number`, `date`, `month` or `word`.
    pub fn kind(&self) -> &'static str {
        match self {
            Param::Text(_) => "text",
            Param::Number(_) => "number",
            Param::Date(_) => "date",
            Param::Month { .. } => "month",
            Param::Word(_) => "word",
        }
    }
}

/// The params of one error: names with values, in the order the message uses them.
pub type Params = Vec<(&'static str, Param)>;

/// Every [`Param::Word`] an error can carry.
pub const WORDS: &[&str] = &["leap_year", "common_year", "months", "days", "characters", "bytes"];

/// One value of an error as front ends receive it (a [`Param`] in JSON),
/// typed so a front end can word it in its language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ErrorParam {
    /// Shown as it is (a clause number, a partner's name, the text typed).
    Text {
        value: String,
    },
    Number {
        value: i32,
    },
    /// An ISO date, shown in the reader's calendar.
    Date {
        value: String,
    },
    /// A month of a calendar, shown by its name.
    Month {
        calendar: Calendar,
        month: u8,
    },
    /// A word from [`WORDS`], translated.
    Word {
        value: String,
    },
}

impl From<Param> for ErrorParam {
    fn from(p: Param) -> Self {
        match p {
            Param::Text(value) => ErrorParam::Text { value },
            Param::Number(n) => ErrorParam::Number { value: i32::try_from(n).unwrap_or(i32::MAX) },
            Param::Date(d) => ErrorParam::Date { value: d.to_string() },
            Param::Month { calendar, month } => ErrorParam::Month { calendar, month },
            Param::Word(w) => ErrorParam::Word { value: w.to_owned() },
        }
    }
}

/// An error's params by name, as front ends receive them.
pub fn named(params: Params) -> BTreeMap<String, ErrorParam> {
    params.into_iter().map(|(name, p)| (name.to_owned(), ErrorParam::from(p))).collect()
}

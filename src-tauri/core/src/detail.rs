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

use chrono::NaiveDate;

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

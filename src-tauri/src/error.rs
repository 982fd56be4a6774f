//! The error every command returns: `{code, message, params}`. The UI
//! branches on `code` (the core's stable codes; every one is listed in the
//! bindings' `ERROR_CATALOG`). `message` is the core's English sentence,
//! which says what to fix; `params` are the values it was built from, so the
//! UI can say the same in Persian, with dates in the reader's calendar.

use std::collections::BTreeMap;

use clausebook_core::StoreError;
use clausebook_core::calendar::{Calendar, CalendarError};
use clausebook_core::demo::DemoError;
use clausebook_core::detail::{Param, Params};
use clausebook_core::report::ReportError;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AppError {
    pub code: String,
    pub message: String,
    /// Named values for the UI's translation of `code` (`{number}`, `{deadline}`).
    pub params: BTreeMap<String, ErrorParam>,
}

/// One value of an error, typed so the UI can word it in its language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
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
    /// A word from `ERROR_WORDS`, translated.
    Word {
        value: String,
    },
}

impl AppError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        AppError { code: code.to_owned(), message: message.into(), params: BTreeMap::new() }
    }

    fn with_params(code: &str, message: String, params: Params) -> Self {
        let params = params.into_iter().map(|(name, p)| (name.to_owned(), ErrorParam::from(p))).collect();
        AppError { code: code.to_owned(), message, params }
    }
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

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError::with_params(e.code(), e.to_string(), e.params())
    }
}

impl From<ReportError> for AppError {
    fn from(e: ReportError) -> Self {
        AppError::with_params(e.code(), e.to_string(), e.params())
    }
}

impl From<DemoError> for AppError {
    fn from(e: DemoError) -> Self {
        AppError::with_params(e.code(), e.to_string(), e.params())
    }
}

impl From<CalendarError> for AppError {
    fn from(e: CalendarError) -> Self {
        AppError::with_params(e.code(), e.to_string(), e.params())
    }
}

/// Every code the core can return, with its params' names and kinds: the UI
/// tests its translations against this (`ERROR_CATALOG` in the bindings).
pub fn error_catalog() -> BTreeMap<&'static str, BTreeMap<&'static str, &'static str>> {
    clausebook_core::catalog::catalog().into_iter().map(|e| (e.code, e.params.into_iter().collect())).collect()
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

pub type CmdResult<T> = Result<T, AppError>;

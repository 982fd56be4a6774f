//! The error every command returns: `{code, message}`. The UI branches on
//! `code` (the core's stable codes, listed in `ui/src/lib/errors.ts`), and
//! shows `message`, which says what to fix.

use clausebook_core::StoreError;
use clausebook_core::calendar::CalendarError;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AppError {
    pub code: String,
    pub message: String,
}

impl AppError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        AppError { code: code.to_owned(), message: message.into() }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError::new(e.code(), e.to_string())
    }
}

impl From<clausebook_core::report::ReportError> for AppError {
    fn from(e: clausebook_core::report::ReportError) -> Self {
        AppError::new(e.code(), e.to_string())
    }
}

impl From<CalendarError> for AppError {
    fn from(e: CalendarError) -> Self {
        AppError::new(e.code(), e.to_string())
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

pub type CmdResult<T> = Result<T, AppError>;

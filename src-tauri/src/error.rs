//! The error every command returns: `{code, message, params}`. The UI
//! branches on `code` (the core's stable codes; every one is listed in the
//! bindings' `ERROR_CATALOG`). `message` is the core's English sentence,
//! which says what to fix; `params` are the values it was built from, so the
//! UI can say the same in Persian, with dates in the reader's calendar.

use std::collections::BTreeMap;

use clausebook_core::StoreError;
use clausebook_core::calendar::CalendarError;
use clausebook_core::demo::DemoError;
use clausebook_core::detail::{ErrorParam, Params, named};
use clausebook_core::export::ExportError;
use clausebook_core::remind::DesktopError;
use clausebook_core::report::ReportError;
use clausebook_core::sheet::SheetError;
use clausebook_core::store::backup::BackupError;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AppError {
    pub code: String,
    pub message: String,
    /// Named values for the UI's translation of `code` (`{number}`, `{deadline}`).
    pub params: BTreeMap<String, ErrorParam>,
}

impl AppError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        AppError { code: code.to_owned(), message: message.into(), params: BTreeMap::new() }
    }

    fn with_params(code: &str, message: String, params: Params) -> Self {
        AppError { code: code.to_owned(), message, params: named(params) }
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

impl From<BackupError> for AppError {
    fn from(e: BackupError) -> Self {
        AppError::with_params(e.code(), e.to_string(), e.params())
    }
}

impl From<SheetError> for AppError {
    fn from(e: SheetError) -> Self {
        AppError::with_params(e.code(), e.to_string(), e.params())
    }
}

impl From<ExportError> for AppError {
    fn from(e: ExportError) -> Self {
        AppError::with_params(e.code(), e.to_string(), e.params())
    }
}

impl From<DemoError> for AppError {
    fn from(e: DemoError) -> Self {
        AppError::with_params(e.code(), e.to_string(), e.params())
    }
}

impl From<DesktopError> for AppError {
    fn from(e: DesktopError) -> Self {
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

//! Every error code of the core, with the names and kinds of its params.
//!
//! [`catalog`] is built from one example of every variant of every error
//! enum (their `examples()`, kept complete by exhaustive matches), so it
//! cannot forget a code. Front ends test their translations against it: the
//! app exports it into the TypeScript bindings as `ERROR_CATALOG`.
//!
//! It sits at the top of the core, above every module whose errors it lists.

use crate::detail::Params;

/// One code and the params its errors carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeEntry {
    pub code: &'static str,
    /// Param names with their kinds. Variants that share a code contribute
    /// all their names (a param a variant lacks is simply absent).
    pub params: Vec<(&'static str, &'static str)>,
}

/// Every error code of the core with its params, from one example of every
/// variant of every error enum (their `examples()`), sorted by code.
pub fn catalog() -> Vec<CodeEntry> {
    let mut errors: Vec<(&'static str, Params)> = Vec::new();
    errors.extend(crate::calendar::CalendarError::examples().iter().map(|e| (e.code(), e.params())));
    errors.extend(crate::model::ValidationError::examples().iter().map(|e| (e.code(), e.params())));
    errors.extend(crate::store::StoreError::examples().iter().map(|e| (e.code(), e.params())));
    errors.extend(crate::report::ReportError::examples().iter().map(|e| (e.code(), e.params())));
    errors.extend(crate::demo::DemoError::examples().iter().map(|e| (e.code(), e.params())));
    errors.extend(crate::export::ExportError::examples().iter().map(|e| (e.code(), e.params())));
    errors.extend(crate::sheet::SheetError::examples().iter().map(|e| (e.code(), e.params())));
    errors.extend(crate::sheet::RowIssue::examples().iter().map(|e| (e.code(), e.params())));
    errors.extend(crate::store::backup::BackupError::examples().iter().map(|e| (e.code(), e.params())));
    errors.extend(crate::remind::DesktopError::examples().iter().map(|e| (e.code(), e.params())));
    errors.extend(crate::store::meetings::MeetingError::examples().iter().map(|e| (e.code(), e.params())));
    errors.extend(crate::store::attachments::AttachmentError::examples().iter().map(|e| (e.code(), e.params())));
    errors.extend(crate::exchange::ExchangeError::examples().iter().map(|e| (e.code(), e.params())));
    let mut entries: Vec<CodeEntry> = Vec::new();
    for (code, params) in errors {
        let entry = match entries.iter_mut().find(|e| e.code == code) {
            Some(e) => e,
            None => {
                entries.push(CodeEntry { code, params: Vec::new() });
                entries.last_mut().expect("just pushed")
            }
        };
        for (name, value) in params {
            if !entry.params.iter().any(|(n, _)| *n == name) {
                entry.params.push((name, value.kind()));
            }
        }
    }
    entries.sort_by_key(|e| e.code);
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detail::{Param, WORDS};

    #[test]
    fn every_word_param_is_in_the_vocabulary() {
        let mut all = Vec::new();
        all.extend(crate::calendar::CalendarError::examples().iter().flat_map(|e| e.params()));
        all.extend(crate::model::ValidationError::examples().iter().flat_map(|e| e.params()));
        all.extend(crate::store::StoreError::examples().iter().flat_map(|e| e.params()));
        all.extend(crate::report::ReportError::examples().iter().flat_map(|e| e.params()));
        all.extend(crate::demo::DemoError::examples().iter().flat_map(|e| e.params()));
        all.extend(crate::export::ExportError::examples().iter().flat_map(|e| e.params()));
        all.extend(crate::sheet::SheetError::examples().iter().flat_map(|e| e.params()));
        all.extend(crate::sheet::RowIssue::examples().iter().flat_map(|e| e.params()));
        all.extend(crate::store::backup::BackupError::examples().iter().flat_map(|e| e.params()));
        all.extend(crate::remind::DesktopError::examples().iter().flat_map(|e| e.params()));
        all.extend(crate::store::meetings::MeetingError::examples().iter().flat_map(|e| e.params()));
        all.extend(crate::store::attachments::AttachmentError::examples().iter().flat_map(|e| e.params()));
        all.extend(crate::exchange::ExchangeError::examples().iter().flat_map(|e| e.params()));
        for (name, p) in all {
            if let Param::Word(w) = p {
                assert!(WORDS.contains(&w), "param {name} carries the word {w:?}, which WORDS does not list");
            }
        }
    }

    #[test]
    fn a_param_name_has_one_kind() {
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for entry in catalog() {
            for (name, kind) in entry.params {
                if let Some((_, k)) = seen.iter().find(|(n, _)| *n == name) {
                    assert_eq!(*k, kind, "param {name} is a {k} in one error and a {kind} in {}", entry.code);
                } else {
                    seen.push((name, kind));
                }
            }
        }
    }

    #[test]
    fn codes_are_snake_case_and_unique_per_entry() {
        let entries = catalog();
        assert!(entries.len() >= 30, "only {} codes", entries.len());
        for e in &entries {
            assert!(e.code.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}", e.code);
        }
        let mut codes: Vec<_> = entries.iter().map(|e| e.code).collect();
        codes.dedup();
        assert_eq!(codes.len(), entries.len());
    }
}

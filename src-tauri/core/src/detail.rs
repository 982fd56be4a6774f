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
//! [`catalog`] lists every code with the names and kinds of its params, built
//! from one example of every variant; front ends test their translations
//! against it.

use chrono::NaiveDate;

use crate::calendar::Calendar;

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

    #[test]
    fn every_word_param_is_in_the_vocabulary() {
        let mut all = Vec::new();
        all.extend(crate::calendar::CalendarError::examples().iter().flat_map(|e| e.params()));
        all.extend(crate::model::ValidationError::examples().iter().flat_map(|e| e.params()));
        all.extend(crate::store::StoreError::examples().iter().flat_map(|e| e.params()));
        all.extend(crate::report::ReportError::examples().iter().flat_map(|e| e.params()));
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

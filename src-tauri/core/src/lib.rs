//! The Clausebook core: a register of partners, agreements, clauses,
//! deadlines and progress notes kept in one SQLite file.
//!
//! Everything a front end needs goes through [`store::Store`]; the other
//! modules hold the rules and value types it applies:
//!
//! - [`vocab`]: every closed set (statuses, kinds, calendars…) with its
//!   labels in each interface language; the one source of those words.
//! - [`model`]: the records and their validation.
//! - [`calendar`]: Gregorian and Solar Hijri dates, parsing and month arithmetic.
//! - [`deadline`]: fixed and relative deadlines, resolved in an agreement's calendar.
//! - [`normalize`]: the search normaliser for Persian and Arabic text.
//! - [`demo`]: the bundled demo dataset.
//! - [`report`]: status reports as PDF (Typst, fonts and template built in).
//! - [`sheet`]: workbooks and CSV files read into the register: the import wizard's steps.
//! - [`export`]: the register written out as XLSX, CSV and ICS.
//! - [`exchange`]: the exchange file between officers' registers: its
//!   format, limits and errors (the store applies what it carries).
//! - [`detail`]: the values each error is about, for messages in other languages.
//! - [`catalog`]: every error code with its params, for front ends' translations.
//! - [`clock`]: the officer's today, from one place.
//!
//! Modules import downward only: `vocab` and `detail` at the bottom; then
//! `calendar`, `deadline`, `model`, `exchange` and `normalize`; then `store`; then
//! `report`, `demo`, `sheet` and `export`, which use the store; `catalog` at the top.
//!
//! The crate knows nothing of Tauri, IPC or any transport: front ends map its
//! typed errors (each has a stable [`code`](store::StoreError::code)) to their own.

mod atomic;
pub mod calendar;
pub mod catalog;
pub mod clock;
pub mod deadline;
pub mod demo;
pub mod detail;
pub mod exchange;
pub mod export;
pub mod model;
pub mod normalize;
pub mod remind;
pub mod report;
pub mod sheet;
pub mod store;
pub mod vocab;

pub use store::{Store, StoreError};

//! The commands the UI invokes, one module per area. Each is a few lines:
//! get the state, call the core, map the result. No SQL and no business
//! rule lives here.

pub mod agreements;
pub mod app;
pub mod attachments;
pub mod backups;
pub mod clauses;
pub mod dates;
pub mod exchange;
pub mod exports;
pub mod imports;
pub mod meetings;
pub mod overview;
pub mod partners;
pub mod reminders;
pub mod reports;
pub mod session;

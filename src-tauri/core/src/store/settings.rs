//! Settings: the officer's name (the actor of every audit row), our
//! organisation, the interface language and how dates are shown.

use rusqlite::OptionalExtension;
use rusqlite::types::FromSql;

use super::{Changes, Result, Store, strict};
use crate::calendar::{DateDisplay, Lang};
use crate::model::{Settings, SettingsPatch, optional_short};

const OFFICER: &str = "officer_name";
const ORGANISATION: &str = "organisation";
const LANGUAGE: &str = "ui_language";
const DATES: &str = "date_display";
const REMINDERS: &str = super::reminders::SETTING;
const TRAY: &str = "tray";

impl Store {
    /// The current settings, with defaults for what was never set.
    /// A setting never set reads as its default; a stored value this
    /// version does not know is an error ([`crate::store::StoreError::Damaged`]).
    pub fn settings(&self) -> Result<Settings> {
        fn get<T: FromSql>(store: &Store, key: &str) -> Result<Option<T>> {
            Ok(store
                .conn()
                .query_row("SELECT key, value FROM settings WHERE key = ?1", [key], |r| strict(r, 1, "settings", 0))
                .optional()?)
        }
        Ok(Settings {
            officer_name: get(self, OFFICER)?.unwrap_or_default(),
            organisation: get(self, ORGANISATION)?.unwrap_or_default(),
            ui_language: get::<Lang>(self, LANGUAGE)?.unwrap_or_default(),
            date_display: get::<DateDisplay>(self, DATES)?.unwrap_or_default(),
            reminders: get::<String>(self, REMINDERS)?.is_none_or(|v| v != "off"),
            tray: get::<String>(self, TRAY)?.is_some_and(|v| v == "on"),
        })
    }

    /// Changes settings; the change is audited under the officer name in
    /// force before it.
    pub fn update_settings(&mut self, patch: SettingsPatch) -> Result<Settings> {
        let old = self.settings()?;
        let officer = patch.officer_name.as_deref().map(|v| optional_short("officer name", Some(v))).transpose()?;
        let organisation =
            patch.organisation.as_deref().map(|v| optional_short("organisation", Some(v))).transpose()?;
        let mut changes = Changes::default();
        let mut values: Vec<(&str, String)> = Vec::new();
        if let Some(v) = officer {
            let v = v.unwrap_or_default();
            changes.field(OFFICER, Some(&old.officer_name), Some(&v));
            values.push((OFFICER, v));
        }
        if let Some(v) = organisation {
            let v = v.unwrap_or_default();
            changes.field(ORGANISATION, Some(&old.organisation), Some(&v));
            values.push((ORGANISATION, v));
        }
        if let Some(lang) = patch.ui_language {
            changes.field(LANGUAGE, Some(&old.ui_language.as_str()), Some(&lang.as_str()));
            values.push((LANGUAGE, lang.as_str().to_owned()));
        }
        if let Some(d) = patch.date_display {
            changes.field(DATES, Some(&old.date_display.as_str()), Some(&d.as_str()));
            values.push((DATES, d.as_str().to_owned()));
        }
        let word = |b: bool| if b { "on" } else { "off" };
        if let Some(on) = patch.reminders {
            changes.field(REMINDERS, Some(&word(old.reminders)), Some(&word(on)));
            values.push((REMINDERS, word(on).to_owned()));
        }
        if let Some(on) = patch.tray {
            changes.field(TRAY, Some(&word(old.tray)), Some(&word(on)));
            values.push((TRAY, word(on).to_owned()));
        }
        if changes.0.is_empty() {
            return Ok(old);
        }
        self.write(|tx| {
            for (key, value) in &values {
                tx.execute(
                    "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                    rusqlite::params![key, value, tx.now],
                )?;
            }
            tx.audit("settings", "settings", None, "update", &changes.0)
        })?;
        self.settings()
    }
}

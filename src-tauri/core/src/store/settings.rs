//! Settings: the officer's name (the actor of every audit row), our
//! organisation, the interface language and how dates are shown.

use rusqlite::OptionalExtension;

use super::{Changes, Result, Store};
use crate::calendar::{DateDisplay, Lang};
use crate::model::{Settings, SettingsPatch, optional_short};

const OFFICER: &str = "officer_name";
const ORGANISATION: &str = "organisation";
const LANGUAGE: &str = "ui_language";
const DATES: &str = "date_display";

impl Store {
    /// The current settings, with defaults for what was never set.
    pub fn settings(&self) -> Result<Settings> {
        let get = |key: &str| -> Result<Option<String>> {
            Ok(self.conn().query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
        };
        Ok(Settings {
            officer_name: get(OFFICER)?.unwrap_or_default(),
            organisation: get(ORGANISATION)?.unwrap_or_default(),
            ui_language: match get(LANGUAGE)?.as_deref() {
                Some("fa") => Lang::Fa,
                _ => Lang::En,
            },
            date_display: get(DATES)?.as_deref().and_then(DateDisplay::parse).unwrap_or_default(),
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
            let v = match lang {
                Lang::En => "en",
                Lang::Fa => "fa",
            };
            let old_v = match old.ui_language {
                Lang::En => "en",
                Lang::Fa => "fa",
            };
            changes.field(LANGUAGE, Some(&old_v), Some(&v));
            values.push((LANGUAGE, v.to_owned()));
        }
        if let Some(d) = patch.date_display {
            changes.field(DATES, Some(&old.date_display.as_str()), Some(&d.as_str()));
            values.push((DATES, d.as_str().to_owned()));
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

//! Calendar files (RFC 5545), written line by line: one all-day event per
//! open clause with a due date, with a reminder a week before.
//!
//! What calendar programs need, and this module gives: CRLF line ends,
//! lines folded at 75 octets (never inside a UTF-8 character), TEXT values
//! with `\`, `;`, `,` and line breaks escaped, a stable UID per clause, and
//! a `SEQUENCE` that grows with each revision of the due date, so that
//! Thunderbird or Outlook update an event they imported before instead of
//! adding a copy.

use chrono::{Days, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::{Part, Prepared};
use crate::calendar::format_date;
use crate::model::Clause;
use crate::vocab::{DateDisplay, DerivedColumn, Lang, SheetField};

/// The longest line, in octets, before it is folded.
const LINE_MAX: usize = 75;
/// How much of a clause's text its event's title shows, in characters.
const SUMMARY_MAX_CHARS: usize = 80;

/// Writes the calendar of `prepared`; returns it with its number of events.
/// `now` (local time) is each event's `DTSTAMP`.
pub(crate) fn write(prepared: &Prepared, now: NaiveDateTime) -> (String, usize) {
    let stamp = Local.from_local_datetime(&now).earliest().map_or_else(|| now.and_utc(), |t| t.with_timezone(&Utc));
    let stamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    let mut out = Lines::default();
    out.line("BEGIN:VCALENDAR");
    out.line("VERSION:2.0");
    out.line("PRODID:-//Clausebook//Clausebook//EN");
    out.line("CALSCALE:GREGORIAN");
    out.line("METHOD:PUBLISH");
    let name = prepared.name.as_deref().map_or_else(|| "Clausebook".to_owned(), |n| format!("Clausebook: {n}"));
    out.text("X-WR-CALNAME", &name);
    let mut events = 0;
    for part in &prepared.parts {
        for row in &part.rows {
            let c = &row.clause;
            let Some(due) = c.due_on.filter(|_| c.status.is_open()) else { continue };
            event(&mut out, part, c, due, &stamp, prepared.lang);
            events += 1;
        }
    }
    out.line("END:VCALENDAR");
    (out.0, events)
}

fn event(out: &mut Lines, part: &Part, c: &Clause, due: NaiveDate, stamp: &str, lang: Lang) {
    let day = |d: NaiveDate| d.format("%Y%m%d").to_string();
    let summary = format!("{} {}", c.number, shorten(&c.text, SUMMARY_MAX_CHARS));
    out.line("BEGIN:VEVENT");
    out.line(&format!("UID:{}@clausebook", c.id));
    out.line(&format!("DTSTAMP:{stamp}"));
    out.line(&format!("SEQUENCE:{}", part.revisions.get(&c.id).copied().unwrap_or(0)));
    out.line(&format!("DTSTART;VALUE=DATE:{}", day(due)));
    // An all-day event ends (exclusively) the next day.
    out.line(&format!("DTEND;VALUE=DATE:{}", day(due.checked_add_days(Days::new(1)).unwrap_or(due))));
    out.text("SUMMARY", &summary);
    out.text("DESCRIPTION", &description(part, c, due, lang));
    // A deadline does not make the officer busy that day.
    out.line("TRANSP:TRANSPARENT");
    out.line("BEGIN:VALARM");
    out.line("ACTION:DISPLAY");
    out.text("DESCRIPTION", &summary);
    out.line("TRIGGER:-P7D");
    out.line("END:VALARM");
    out.line("END:VEVENT");
}

/// The event's details, one labelled line each: the agreement, the clause,
/// who leads it on each side, its status, and the day in both calendars.
fn description(part: &Part, c: &Clause, due: NaiveDate, lang: Lang) -> String {
    let day = format_date(due, DateDisplay::Both, lang);
    let lines = [
        (DerivedColumn::Agreement.label(lang), Some(part.agreement.title.as_str())),
        (SheetField::Text.label(lang), Some(c.text.as_str())),
        (SheetField::OurLead.label(lang), c.our_lead.as_deref()),
        (SheetField::PartnerLead.label(lang), c.partner_lead.as_deref()),
        (SheetField::Status.label(lang), Some(c.status.label(lang))),
        (DerivedColumn::DueOn.label(lang), Some(day.as_str())),
    ];
    lines.iter().filter_map(|(label, value)| value.map(|v| format!("{label}: {v}"))).collect::<Vec<_>>().join("\n")
}

/// A text on one line, cut to `max` characters (at a space when one is
/// near) with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if cut[space..].chars().count() < 20 => cut[..space].to_owned(),
        _ => cut,
    };
    format!("{}…", cut.trim_end())
}

/// A TEXT value (RFC 5545, 3.3.11): backslashes, semicolons, commas and
/// line breaks escaped; other control characters, which TEXT may not hold,
/// dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Content lines, each folded and ended with CRLF.
#[derive(Default)]
struct Lines(String);

impl Lines {
    /// Adds one content line, folded: every physical line holds at most 75
    /// octets, a continuation line begins with a space, and no UTF-8
    /// character is split. No line is folded just before white space,
    /// which some programs drop when they unfold.
    fn line(&mut self, line: &str) {
        let chars: Vec<char> = line.chars().collect();
        let mut start = 0;
        loop {
            // The leading space of a continuation counts towards its octets.
            let room = if start == 0 { LINE_MAX } else { LINE_MAX - 1 };
            let (mut end, mut used) = (start, 0);
            while end < chars.len() && used + chars[end].len_utf8() <= room {
                used += chars[end].len_utf8();
                end += 1;
            }
            while end < chars.len() && end > start + 1 && chars[end].is_whitespace() {
                end -= 1;
            }
            if start > 0 {
                self.0.push_str("\r\n ");
            }
            self.0.extend(&chars[start..end]);
            if end == chars.len() {
                break;
            }
            start = end;
        }
        self.0.push_str("\r\n");
    }

    /// Adds a property with a TEXT value.
    fn text(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{}", escape(value)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fold_at_75_octets_between_characters() {
        let lines = [
            format!("DESCRIPTION:{}", "سند ".repeat(40)),
            format!("SUMMARY:{}", "word ".repeat(40)),
            format!("SUMMARY:{}", "x".repeat(200)),
            "END:VEVENT".to_owned(),
        ];
        for long in lines {
            let mut out = Lines::default();
            out.line(&long);
            let text = out.0;
            assert!(text.ends_with("\r\n"));
            for line in text.split("\r\n").filter(|l| !l.is_empty()) {
                assert!(line.len() <= LINE_MAX, "{} octets: {line}", line.len());
                assert!(!line.starts_with("  "), "folded before a space: {text}");
            }
            let unfolded = text.trim_end_matches("\r\n").replace("\r\n ", "");
            assert_eq!(unfolded, long);
        }
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a\\b;c,d\r\ne\rf\u{7}g"), "a\\\\b\\;c\\,d\\ne\\nfg");
    }

    #[test]
    fn summaries_are_cut_at_a_word() {
        assert_eq!(shorten("short\ntext", 80), "short text");
        let long = "word ".repeat(30);
        let cut = shorten(&long, 80);
        assert!(cut.chars().count() <= 80 && cut.ends_with("word…"), "{cut}");
    }
}

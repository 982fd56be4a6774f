//! The report's data: what the template prints, gathered from the store and
//! shaped as the template's input (documented in `assets/reports/README.md`).
//!
//! Every piece of user text is a [`Ut`]: the text and whether it reads right
//! to left, so the template can set each cell's direction from its content.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::{BriefSpec, ReportError, ReportOptions, ReportRequest};
use crate::calendar::{self, DateDisplay, Lang};
use crate::model::{Agreement, Clause, ClauseStatus, DueState};
use crate::store::Store;
use crate::vocab::{ClauseColumn, ClosedSet, Figure};

/// User text with its direction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ut {
    /// The text, with a soft hyphen in runs too long for its column (see
    /// [`Column`]).
    pub s: String,
    pub rtl: bool,
}

impl Ut {
    /// Text for a column of full width (clause text, notes, headings).
    pub fn new(s: impl Into<String>) -> Self {
        Ut::in_column(s, Column::Wide)
    }

    /// Text for a column of the given width: runs too long for it get soft
    /// hyphens (see [`Column`]).
    pub fn in_column(s: impl Into<String>, column: Column) -> Self {
        let s = breakable_runs(s.into(), column);
        let rtl = is_rtl(&s);
        Ut { s, rtl }
    }
}

/// How narrow the column is that a piece of user text is printed in.
///
/// Typst never breaks a line inside a run of characters that offers no
/// break opportunity (an e-mail address, a file hash, a 20,000-letter
/// token), so such a run would spill out of its cell and off the page. A run
/// longer than its column's limit gets a soft hyphen (U+00AD) after every few
/// graphemes: an optional break, invisible unless the line breaks there,
/// where a hyphen shows. A soft hyphen does not interrupt Persian letter
/// joining. This is done here, once per text, rather than by regular
/// expressions in the template: compiling those took a fifth of a small
/// report's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// A clause number (15 mm).
    Number,
    /// A lead body or a person (30 mm).
    Lead,
    /// Anything wider.
    Wide,
}

impl Column {
    /// The longest run left as it is, in characters, and how many graphemes
    /// a longer run keeps between soft hyphens.
    fn runs(self) -> (usize, usize) {
        match self {
            Column::Number => (8, 5),
            Column::Lead => (16, 8),
            Column::Wide => (25, 10),
        }
    }
}

const SOFT_HYPHEN: char = '\u{AD}';

/// Punctuation no line may begin with (Unicode's line-break classes IS, CL,
/// CP, EX and SY, as Typst's line breaker applies them): a soft hyphen just
/// before one offers no break, so "1.2.3.4.5.6.7.8.9.10.11" got none where
/// the chunks ended before a dot and ran out of its column.
const NO_BREAK_BEFORE: &[char] = &['.', ',', ':', ';', '!', '?', ')', ']', '}', '/', '،', '؛', '؟', '»'];

fn breakable_runs(s: String, column: Column) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    let (limit, chunk) = column.runs();
    let gap = |c: char| c.is_whitespace() || c == SOFT_HYPHEN;
    // A text of no more bytes than the limit has no longer run.
    if s.len() <= limit || !s.split(gap).any(|run| run.chars().nth(limit).is_some()) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    let mut rest = s.as_str();
    while !rest.is_empty() {
        let (run, after) = rest.split_at(rest.find(gap).unwrap_or(rest.len()));
        if run.chars().nth(limit).is_some() {
            let mut graphemes = run.graphemes(true).peekable();
            let mut n = 0;
            // Whether a soft hyphen is due: it waits past punctuation that
            // a line may not begin with, where it would offer no break.
            let mut due = false;
            while let Some(g) = graphemes.next() {
                out.push_str(g);
                n += 1;
                due |= n % chunk == 0;
                if due && graphemes.peek().is_some_and(|next| !next.starts_with(NO_BREAK_BEFORE)) {
                    out.push(SOFT_HYPHEN);
                    due = false;
                }
            }
        } else {
            out.push_str(run);
        }
        let gap_len = after.chars().next().map_or(0, char::len_utf8);
        out.push_str(&after[..gap_len]);
        rest = &after[gap_len..];
    }
    out
}

/// Whether text reads right to left: its first strong (alphabetic) character
/// is Hebrew or Arabic script, as `dir="auto"` decides in a browser.
pub fn is_rtl(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(|c| matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF))
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    pub lang: &'static str,
    /// The words the template prints for closed sets, in the report's
    /// language, from [`crate::vocab`]: the window shows the same ones.
    pub labels: Labels,
    pub kind: &'static str,
    pub letterhead: Letterhead,
    pub title: Ut,
    pub subtitle: Option<Ut>,
    pub summary: Summary,
    pub sections: Vec<Section>,
    /// A meeting's minutes (the `minutes` kind only).
    pub minutes: Option<super::minutes::Minutes>,
    pub generated_at: String,
}

impl ReportData {
    /// How many clause rows the report prints.
    pub fn row_count(&self) -> u32 {
        self.sections.iter().map(|s| s.rows.len() as u32).sum()
    }
}

/// Labels by code, per closed set (see [`crate::vocab`]), each an object
/// whose keys come in the set's order, so the template lists the statuses in
/// the order the window does without a list of its own.
#[derive(Debug, Clone, Serialize)]
pub struct Labels {
    pub status: Ordered,
    pub column: Ordered,
    pub figure: Ordered,
    pub calendar: Ordered,
}

/// Codes with their labels, serialised as a JSON object in this order.
#[derive(Debug, Clone)]
pub struct Ordered(Vec<(&'static str, &'static str)>);

impl Serialize for Ordered {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (code, label) in &self.0 {
            map.serialize_entry(code, label)?;
        }
        map.end()
    }
}

impl Labels {
    pub fn new(lang: Lang) -> Self {
        fn of<T: ClosedSet>(lang: Lang) -> Ordered {
            Ordered(T::all().iter().map(|v| (v.code(), v.label().get(lang))).collect())
        }
        Labels {
            status: of::<ClauseStatus>(lang),
            column: of::<ClauseColumn>(lang),
            figure: of::<Figure>(lang),
            calendar: of::<calendar::Calendar>(lang),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Letterhead {
    pub organisation: Ut,
    pub reference: Option<Ut>,
    /// Today, in each calendar the display setting shows (the other is `None`).
    pub date_gregorian: Option<String>,
    pub date_persian: Option<String>,
    pub attachments: Option<Ut>,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Summary {
    pub total: u32,
    pub not_started: u32,
    pub in_progress: u32,
    pub completed: u32,
    pub on_hold: u32,
    pub cancelled: u32,
    pub overdue: u32,
    pub due_soon: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub heading: Ut,
    pub meta: Vec<Ut>,
    pub rows: Vec<Row>,
    pub empty: Option<Ut>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    #[serde(skip)]
    clause_id: String,
    #[serde(skip)]
    due: DueState,
    pub number: Ut,
    pub depth: u32,
    pub text: Ut,
    pub our_lead: Option<Ut>,
    pub partner_lead: Option<Ut>,
    /// The deadline in the main calendar, and in the other one when the
    /// display setting shows both (see [`Words::day`]).
    pub deadline: Option<String>,
    pub deadline_other: Option<String>,
    pub status: ClauseStatus,
    pub percent: Option<u8>,
    pub overdue_days: Option<i32>,
    pub latest_note: Option<Ut>,
    pub latest_note_date: Option<String>,
    /// Whether the row may break across pages: its clause or note is longer
    /// than [`BREAKABLE_TEXT_BYTES`], or a lead longer than
    /// [`BREAKABLE_LEAD_BYTES`], so that it could be taller than a page.
    /// Every other row is kept whole on one page.
    pub breakable: bool,
}

/// A clause or note longer than this, in bytes as printed, may make its row
/// taller than a page, so the row may break across pages (a 100 KB clause
/// runs over dozens of pages). Kept whole, a row is laid out faster and
/// never split from its number.
pub const BREAKABLE_TEXT_BYTES: usize = 1500;
/// A lead body longer than this, in bytes, likewise (its column is narrow).
pub const BREAKABLE_LEAD_BYTES: usize = 300;

fn row(clause: &Clause, depth: u32, today: NaiveDate, note: Option<(NaiveDate, &str)>, w: &Words) -> Row {
    let due = clause.due_state(today);
    let text = Ut::new(&clause.text);
    let our_lead = clause.our_lead.as_deref().map(|l| Ut::in_column(l, Column::Lead));
    let partner_lead = clause.partner_lead.as_deref().map(|l| Ut::in_column(l, Column::Lead));
    let latest_note = note.map(|(_, text)| Ut::new(text));
    // Measured as printed, soft hyphens included.
    let longer = |u: Option<&Ut>, limit: usize| u.is_some_and(|u| u.s.len() > limit);
    let breakable = longer(Some(&text), BREAKABLE_TEXT_BYTES)
        || longer(latest_note.as_ref(), BREAKABLE_TEXT_BYTES)
        || longer(our_lead.as_ref(), BREAKABLE_LEAD_BYTES)
        || longer(partner_lead.as_ref(), BREAKABLE_LEAD_BYTES);
    Row {
        clause_id: clause.id.clone(),
        due,
        number: Ut::in_column(&clause.number, Column::Number),
        depth,
        text,
        our_lead,
        partner_lead,
        deadline: clause.due_on.map(|d| w.day(d, w.main_is_persian())),
        deadline_other: clause
            .due_on
            .filter(|_| w.display == DateDisplay::Both)
            .map(|d| w.day(d, !w.main_is_persian())),
        status: clause.status,
        percent: clause.percent,
        overdue_days: match due {
            DueState::Overdue { days } => Some(days),
            _ => None,
        },
        latest_note,
        latest_note_date: note.map(|(d, _)| w.day(d, w.main_is_persian())),
        breakable,
    }
}

/// The words the report composes itself, in its language.
pub(super) struct Words {
    pub(super) lang: Lang,
    /// Which calendars dates are shown in (the register's setting, unless the export chose).
    display: DateDisplay,
}

impl Words {
    pub(super) fn pick(&self, en: &'static str, fa: &'static str) -> &'static str {
        if self.lang == Lang::Fa { fa } else { en }
    }

    fn shows_gregorian(&self) -> bool {
        self.display != DateDisplay::Persian
    }

    fn shows_persian(&self) -> bool {
        self.display != DateDisplay::Gregorian
    }

    /// Whether the first (or only) calendar is Solar Hijri: when only it is
    /// shown, or both are in a Persian report.
    fn main_is_persian(&self) -> bool {
        match self.display {
            DateDisplay::Persian => true,
            DateDisplay::Gregorian => false,
            DateDisplay::Both => self.lang == Lang::Fa,
        }
    }

    /// A day in one calendar, numeric, ASCII digits (the template makes them
    /// Persian): `2025-06-05`, or `2025/06/05` in a Persian report (hyphens
    /// reorder inside right-to-left text), or Solar Hijri `1404/03/15`.
    fn day(&self, d: NaiveDate, persian: bool) -> String {
        match (persian, self.lang) {
            (true, _) => calendar::format_persian(d, Lang::En),
            (false, Lang::En) => calendar::format_gregorian(d),
            (false, Lang::Fa) => d.format("%Y/%m/%d").to_string(),
        }
    }

    /// "2026-11-22 10:30", the day in the main calendar ("1405/09/01 10:30").
    fn moment(&self, now: NaiveDateTime) -> String {
        format!("{} {}", self.day(now.date(), self.main_is_persian()), now.format("%H:%M"))
    }

    /// A date in the calendars the display setting shows, the main one first.
    /// In Persian the Gregorian date uses `/` (hyphens reorder inside RTL
    /// text) and every digit is Persian.
    pub(super) fn date(&self, d: NaiveDate) -> String {
        let (gregorian, persian) = (self.day(d, false), self.day(d, true));
        let text = match self.display {
            DateDisplay::Gregorian => gregorian,
            DateDisplay::Persian => persian,
            DateDisplay::Both if self.main_is_persian() => format!("{persian} ({gregorian})"),
            DateDisplay::Both => format!("{gregorian} ({persian})"),
        };
        if self.lang == Lang::Fa { calendar::persian_digits(&text) } else { text }
    }
}

fn party_names(a: &Agreement, w: &Words) -> String {
    let names: Vec<&str> = a
        .parties
        .iter()
        .map(|p| match (w.lang, &p.name_fa) {
            (Lang::Fa, Some(fa)) => fa.as_str(),
            _ => p.name.as_str(),
        })
        .collect();
    names.join(w.pick(", ", "، "))
}

/// The lines under an agreement's heading.
fn agreement_meta(a: &Agreement, w: &Words) -> Vec<Ut> {
    let mut first = vec![a.kind.label(w.lang).to_owned(), a.status.label(w.lang).to_owned()];
    if let Some(r) = &a.reference {
        first.insert(0, format!("{} {r}", w.pick("Reference", "شماره")));
    }
    let mut meta = vec![Ut::new(first.join(" · "))];
    let mut dates = Vec::new();
    match a.signed_on {
        Some(d) => dates.push(format!("{} {}", w.pick("Signed", "امضا:"), w.date(d))),
        None => dates.push(w.pick("Not signed yet", "هنوز امضا نشده").to_owned()),
    }
    if let Some(d) = a.in_force_until {
        dates.push(format!("{} {}", w.pick("in force until", "معتبر تا"), w.date(d)));
    }
    meta.push(Ut::new(dates.join(" · ")));
    let mut parties = format!("{} {}", w.pick("Parties:", "طرف‌ها:"), party_names(a, w));
    if let Some(o) = &a.our_signatory {
        parties = format!("{parties} · {} {o}", w.pick("Our signatory:", "امضاکننده ما:"));
    }
    meta.push(Ut::new(parties));
    meta
}

/// An agreement in full: its clause tree with each clause's latest note.
fn agreement_section(store: &Store, a: &Agreement, today: NaiveDate, w: &Words) -> Result<Section, ReportError> {
    let rows = store
        .clause_rows(&a.id, today)?
        .iter()
        .map(|r| row(&r.clause, r.depth, today, r.latest_note.as_ref().map(|n| (n.on_date, n.text.as_str())), w))
        .collect();
    Ok(Section {
        heading: Ut::new(&a.title),
        meta: agreement_meta(a, w),
        rows,
        empty: Some(Ut::new(
            w.pick("This agreement has no clauses yet.", "برای این تفاهم‌نامه هنوز بندی ثبت نشده است."),
        )),
    })
}

/// A clause listed in a brief: its agreement's title, the clause, and the
/// note to show with it (else its latest note is looked up).
type Listed = (String, Clause, Option<(NaiveDate, String)>);

/// A flat list of clauses from many agreements, one section per agreement
/// under a common heading ("Overdue — …").
fn grouped_sections(
    store: &Store,
    heading: &str,
    items: Vec<Listed>,
    empty: &str,
    today: NaiveDate,
    w: &Words,
) -> Result<Vec<Section>, ReportError> {
    if items.is_empty() {
        return Ok(vec![Section {
            heading: Ut::new(heading),
            meta: vec![],
            rows: vec![],
            empty: Some(Ut::new(empty)),
        }]);
    }
    let mut sections: Vec<Section> = Vec::new();
    for (title, clause, note) in items {
        let note = match note {
            Some(n) => Some(n),
            None => store.notes(&clause.id)?.pop().map(|n| (n.on_date, n.text)),
        };
        let r = row(&clause, 0, today, note.as_ref().map(|(d, t)| (*d, t.as_str())), w);
        let section_heading = format!("{heading} — {title}");
        match sections.last_mut() {
            Some(s) if s.heading.s == section_heading => s.rows.push(r),
            _ => sections.push(Section { heading: Ut::new(section_heading), meta: vec![], rows: vec![r], empty: None }),
        }
    }
    Ok(sections)
}

fn summarise(sections: &[Section]) -> Summary {
    let mut seen = HashSet::new();
    let mut s = Summary::default();
    for r in sections.iter().flat_map(|s| &s.rows) {
        if !seen.insert(r.clause_id.as_str()) {
            continue;
        }
        s.total += 1;
        match r.status {
            ClauseStatus::NotStarted => s.not_started += 1,
            ClauseStatus::InProgress => s.in_progress += 1,
            ClauseStatus::Completed => s.completed += 1,
            ClauseStatus::OnHold => s.on_hold += 1,
            ClauseStatus::Cancelled => s.cancelled += 1,
        }
        match r.due {
            DueState::Overdue { .. } => s.overdue += 1,
            DueState::DueSoon { .. } => s.due_soon += 1,
            _ => {}
        }
    }
    s
}

fn brief_sections(
    store: &Store,
    spec: &BriefSpec,
    today: NaiveDate,
    w: &Words,
) -> Result<(Vec<Section>, Option<String>), ReportError> {
    let mut sections = Vec::new();
    for id in &spec.agreements {
        let a = store.agreement(id)?;
        sections.push(agreement_section(store, &a, today, w)?);
    }
    if !spec.clauses.is_empty() {
        let mut items = Vec::new();
        for id in &spec.clauses {
            let c = store.clause(id)?;
            let title = store.agreement(&c.agreement_id)?.title;
            items.push((title, c, None));
        }
        sections.extend(grouped_sections(store, w.pick("Selected clauses", "بندهای برگزیده"), items, "", today, w)?);
    }
    let limit = 500;
    if spec.overdue {
        let items = store
            .overdue(today, spec.partner.as_deref(), limit)?
            .into_iter()
            .map(|o| (o.agreement_title, o.clause, None))
            .collect();
        let empty = w.pick("Nothing is overdue.", "هیچ بندی از موعد خود عقب نیست.");
        sections.extend(grouped_sections(store, w.pick("Overdue", "دارای تأخیر"), items, empty, today, w)?);
    }
    if let Some(until) = spec.due_before {
        let items = store
            .due_between(today, until, spec.partner.as_deref(), limit)?
            .into_iter()
            .map(|o| (o.agreement_title, o.clause, None))
            .collect();
        let heading = format!("{} {}", w.pick("Due by", "سررسید تا"), w.date(until));
        let empty = w.pick("Nothing falls due in this period.", "در این بازه سررسیدی نیست.");
        sections.extend(grouped_sections(store, &heading, items, empty, today, w)?);
    }
    if let Some(since) = spec.progress_since {
        let items = store
            .notes_since(since, spec.partner.as_deref(), limit)?
            .into_iter()
            .map(|p| (p.agreement_title, p.clause, Some((p.note.on_date, p.note.text))))
            .collect();
        let heading = format!("{} {}", w.pick("Progress since", "پیشرفت از"), w.date(since));
        let empty = w.pick("No progress was recorded in this period.", "در این بازه پیشرفتی ثبت نشده است.");
        sections.extend(grouped_sections(store, &heading, items, empty, today, w)?);
    }
    if sections.is_empty() {
        return Err(ReportError::EmptyBrief);
    }
    let subtitle = spec.partner.as_deref().map(|p| store.partner(p)).transpose()?.map(|p| match (w.lang, p.name_fa) {
        (Lang::Fa, Some(fa)) => fa,
        _ => p.name,
    });
    Ok((sections, subtitle))
}

/// Gathers a report's data.
pub fn build(
    store: &Store,
    request: &ReportRequest,
    options: &ReportOptions,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<ReportData, ReportError> {
    let settings = store.settings()?;
    let w = Words { lang: options.lang, display: options.dates.unwrap_or(settings.date_display) };
    let mut minutes = None;
    let (kind, title, subtitle, sections) = match request {
        ReportRequest::Minutes { id } => {
            let detail = store.meeting(id)?;
            let files = store.attachments(&detail.meeting.id)?;
            let (title, subtitle, m) = super::minutes::build(&w, &detail, &files);
            minutes = Some(m);
            ("minutes", title, subtitle, Vec::new())
        }
        ReportRequest::Agreement { id } => {
            let a = store.agreement(id)?;
            let subtitle = party_names(&a, &w);
            let section = agreement_section(store, &a, today, &w)?;
            ("agreement", a.title.clone(), Some(subtitle), vec![section])
        }
        ReportRequest::Partner { id } => {
            let p = store.partner(id)?;
            let agreements = store.agreements(Some(&p.id))?;
            let mut sections = Vec::with_capacity(agreements.len());
            for a in &agreements {
                sections.push(agreement_section(store, a, today, &w)?);
            }
            if sections.is_empty() {
                sections.push(Section {
                    heading: Ut::new(w.pick("Agreements", "تفاهم‌نامه‌ها")),
                    meta: vec![],
                    rows: vec![],
                    empty: Some(Ut::new(
                        w.pick("No agreement with this partner is recorded.", "تفاهم‌نامه‌ای با این شریک ثبت نشده است."),
                    )),
                });
            }
            let name = match (w.lang, &p.name_fa) {
                (Lang::Fa, Some(fa)) => fa.clone(),
                _ => p.name.clone(),
            };
            let subtitle = [p.name_local.clone(), (w.lang == Lang::Fa).then(|| p.name.clone())]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ");
            ("partner", name, Some(subtitle).filter(|s| !s.is_empty()), sections)
        }
        ReportRequest::Brief(spec) => {
            let (sections, subtitle) = brief_sections(store, spec, today, &w)?;
            let title = spec.title.clone().unwrap_or_else(|| {
                w.pick("Status of cooperation agreements", "وضعیت اجرای تفاهم‌نامه‌های همکاری").to_owned()
            });
            ("brief", title, subtitle, sections)
        }
    };
    let organisation = if settings.organisation.trim().is_empty() { "—".to_owned() } else { settings.organisation };
    Ok(ReportData {
        lang: options.lang.as_str(),
        labels: Labels::new(options.lang),
        kind,
        letterhead: Letterhead {
            organisation: Ut::new(organisation),
            reference: options.reference.as_deref().map(Ut::new),
            date_gregorian: w.shows_gregorian().then(|| calendar::format_gregorian(today)),
            date_persian: w.shows_persian().then(|| calendar::format_persian(today, Lang::En)),
            attachments: options.attachments.as_deref().map(Ut::new),
        },
        title: Ut::new(title),
        subtitle: subtitle.map(Ut::new),
        summary: summarise(&sections),
        sections,
        minutes,
        generated_at: w.moment(now),
    })
}

#[cfg(test)]
mod tests {
    use super::{Column, Ut, is_rtl};

    #[test]
    fn direction_follows_the_first_strong_character() {
        assert!(is_rtl("برنامه UNDP"));
        assert!(is_rtl("۱۴۰۴ برنامه"), "digits are not strong");
        assert!(!is_rtl("UNDP برنامه"));
        assert!(!is_rtl("Тоҷикистон"));
        assert!(!is_rtl("3.1"));
    }

    #[test]
    fn long_runs_get_soft_hyphens_and_nothing_else_changes() {
        let shy = |s: &str| s.replace('-', "\u{AD}");
        // (text, column, expected with '-' for a soft hyphen)
        let cases: &[(&str, Column, &str)] = &[
            ("The parties exchange experts.", Column::Wide, "The parties exchange experts."),
            ("abcdefghijklmnopqrstuvwxy", Column::Wide, "abcdefghijklmnopqrstuvwxy"),
            ("abcdefghijklmnopqrstuvwxyz", Column::Wide, "abcdefghij-klmnopqrst-uvwxyz"),
            ("abcdefghijklmnopqrst", Column::Wide, "abcdefghijklmnopqrst"),
            (
                "see ministry.of.health@example.gov.tj now",
                Column::Lead,
                "see ministry.-of.heal-th@examp-le.gov.t-j now",
            ),
            // Not before a dot, where no line may break: after it.
            ("1.2.3.4.5", Column::Number, "1.2.3.-4.5"),
            ("1.2.3.4.5.6.7.8.9.10.11", Column::Number, "1.2.3.-4.5.-6.7.8.-9.10.-11"),
            ("1.2.3.4", Column::Number, "1.2.3.4"),
            // Exactly two chunks: no soft hyphen after the last one.
            ("abcdefghij", Column::Number, "abcde-fghij"),
            ("abcdefghijklmnopqrst", Column::Lead, "abcdefgh-ijklmnop-qrst"),
            ("abcdefghijklmnop", Column::Lead, "abcdefghijklmnop"),
            ("abcdefghijklmnopq", Column::Lead, "abcdefgh-ijklmnop-q"),
            // A soft hyphen already there ends a run, as a space does.
            (
                "abcdefghijklm\u{AD}nopqrstuvwxyzabcdefghijkl",
                Column::Wide,
                "abcdefghijklm\u{AD}nopqrstuvwxyzabcdefghijkl",
            ),
            // Graphemes are counted, not characters: a mark (kasra) stays
            // with its letter.
            ("ایرانِایرانِایرانِ", Column::Number, "ایرانِ-ایرانِ-ایرانِ"),
        ];
        for (text, column, expected) in cases {
            let ut = Ut::in_column(*text, *column);
            assert_eq!(ut.s, shy(expected), "{text:?} in {column:?}");
            assert_eq!(ut.s.replace('\u{AD}', ""), text.replace('\u{AD}', ""), "only soft hyphens are added");
            assert_eq!(ut.rtl, is_rtl(text));
        }
        // A 20,000-letter token, and spaces of every kind end a run.
        let token = "x".repeat(20_000);
        let ut = Ut::new(format!("{token}\u{3000}{token}"));
        assert_eq!(ut.s.matches('\u{AD}').count(), 2 * 1_999);
    }
}

//! The dry run: rows become a clause tree, matched against the target
//! agreement, with every problem in its place. The same plan is what the
//! import writes, so the dry run and the import cannot disagree.
//!
//! The tree comes from the numbers: `1.2` and `1-2` go under `1`, a letter
//! or roman numeral under the number above it, a group column's value under
//! the row it names (or under a clause made of the group's title, once per
//! group). A row without a number continues the row above. In an existing
//! agreement a row whose number path (`3 › 3.1`) names a clause updates that
//! clause, only in the mapped fields that differ; the rest are added.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::hash::BuildHasher;

use chrono::NaiveDate;
use serde::Serialize;

use super::read::{Cell, Row, trim_text};
use super::values::{self, Key, Style, key_of, parent_key, push_part};
use super::{FieldColumn, ImportInto, Problem, RowIssue, SHORT_MAX, SheetError};
use crate::deadline::Deadline;
use crate::detail::named;
use crate::model::{AgreementStatus, ClausePatch, ClauseStatus, LONG_TEXT_MAX_BYTES, NewAgreement, NewClause};
use crate::store::Store;
use crate::store::import::{Import, ImportAgreement, ImportClause, ImportNote, ImportTarget, ImportUpdate};
use crate::vocab::SheetField;

/// What the import does with a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    /// A new clause.
    Create,
    /// A clause of the agreement, changed in the fields that differ.
    Update,
    /// A clause of the agreement that the row leaves as it is.
    Unchanged,
    /// More text for the clause of the row above.
    Continuation,
    /// Not imported (see its problems).
    Skip,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlannedRow {
    /// The sheet's row number.
    pub row: u32,
    /// The clause's number after its parents', outermost first (`["3",
    /// "3.1"]`); empty for a row with no number. A list, not a joined
    /// string, so each reader sets it out in its own direction.
    pub number: Vec<String>,
    /// The start of its text.
    pub text: String,
    pub action: RowAction,
    pub problems: Vec<Problem>,
}

/// The dry run's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportPlan {
    pub sheet: String,
    pub header_row: u32,
    pub rows: Vec<PlannedRow>,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub skipped: u32,
    /// Progress notes the remarks become.
    pub notes: u32,
    /// Problems that stop the import until the file is fixed.
    pub blocking: u32,
    /// Values that cannot be read; their rows can be imported without them.
    pub droppable: u32,
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportDone {
    pub agreement_id: String,
    /// Undoes the import ([`Store::undo_import`]).
    pub import_id: String,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub skipped: u32,
    pub notes: u32,
    /// Values left out because they could not be read.
    pub dropped: u32,
}

/// Where an entry hangs: an entry's index, or an existing clause's in
/// [`Existing`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parent {
    Top,
    Entry(usize),
    Existing(usize),
}

/// One clause of the sheet: where it stands in the tree. What its rows
/// say of it are its [`Values`], kept apart.
#[derive(Debug)]
struct Entry {
    /// The row it starts on (its plan row's index).
    plan_row: usize,
    parent: Parent,
    /// Its number as written (in [`Keys`]).
    number: Span,
    /// Its number folded for matching, with its parents' (in [`Keys`]).
    key: Span,
    /// Its own number's segments (`1.2` is `1`, `2`), by which a dotted
    /// number below finds it (in [`Keys`]).
    segments: Span,
    /// Whether its rows have remarks (a progress note).
    remarks: bool,
    /// The existing clause it updates (its index in [`Existing`]).
    existing: Option<usize>,
    /// Its children, in order: the first, the last, and each one's next
    /// ([`NONE`] for none).
    first_child: u32,
    last_child: u32,
    next_sibling: u32,
    /// A clause made of a group's title: the title (in [`Keys`]).
    group_of: Option<Span>,
}

/// No entry, in an [`Entry`]'s links.
const NONE: u32 = u32::MAX;

// An entry holds no memory of its own: the plan's entries are let go of at
// once, not read again one by one.
const _: () = assert!(!std::mem::needs_drop::<Entry>());

/// What a clause's rows say of it, kept only by a plan that writes them
/// or compares them with the clause they update: a dry run into a new
/// agreement reads every value (its problems are the plan's) and keeps
/// none of them.
#[derive(Debug, Default)]
struct Values<'g> {
    text: Cow<'g, str>,
    our_lead: Option<Cow<'g, str>>,
    partner_lead: Option<Cow<'g, str>>,
    deadline: Option<Deadline>,
    status: Option<ClauseStatus>,
    percent: Option<u8>,
    indicator: Option<Cow<'g, str>>,
    themes: Option<Vec<String>>,
    remarks: Option<Cow<'g, str>>,
}

fn fold_number(n: &str) -> Cow<'_, str> {
    match crate::calendar::ascii_digits(n) {
        Cow::Borrowed(b) => values::lower(trim_text(b)),
        Cow::Owned(o) => Cow::Owned(values::lower(trim_text(&o)).into_owned()),
    }
}

/// The keys of a plan's entries, and their numbers as written, end to end
/// in one buffer: an entry holds where they lie rather than texts of its
/// own, three allocations fewer a row.
#[derive(Default)]
struct Keys(Vec<u8>);

/// Where a key lies in [`Keys`].
#[derive(Debug, Clone, Copy)]
struct Span {
    start: u32,
    end: u32,
}

impl Keys {
    fn put(&mut self, key: &[u8]) -> Span {
        let start = self.0.len() as u32;
        self.0.extend_from_slice(key);
        Span { start, end: self.0.len() as u32 }
    }

    fn get(&self, span: Span) -> &[u8] {
        &self.0[span.start as usize..span.end as usize]
    }

    /// A text put in as it is ([`Keys::put`] of its bytes).
    fn text(&self, span: Span) -> &str {
        std::str::from_utf8(self.get(span)).unwrap_or_default()
    }
}

/// Entries by a key each of them holds. The table holds only their
/// indexes, a quarter of a megabyte for 50,000 rows, where a map holding
/// the keys as well spilled out of the processor's cache and missed it on
/// every row.
struct Index(hashbrown::HashTable<u32>);

impl Index {
    fn with_capacity(n: usize) -> Index {
        Index(hashbrown::HashTable::with_capacity(n))
    }

    fn hash(key: &[u8]) -> u64 {
        rustc_hash::FxBuildHasher.hash_one(key)
    }

    fn get(&self, entries: &[Entry], keys: &Keys, key: &[u8], of: fn(&Entry) -> Span) -> Option<usize> {
        self.0.find(Self::hash(key), |&i| keys.get(of(&entries[i as usize])) == key).map(|&i| i as usize)
    }

    /// Indexes `entries[idx]` by its key, in place of any entry with the
    /// same key.
    fn insert(&mut self, entries: &[Entry], keys: &Keys, idx: usize, of: fn(&Entry) -> Span) {
        let key = keys.get(of(&entries[idx]));
        let hash = Self::hash(key);
        match self.0.find_mut(hash, |&i| keys.get(of(&entries[i as usize])) == key) {
            Some(i) => *i = idx as u32,
            None => {
                self.0.insert_unique(hash, idx as u32, |&i| Self::hash(keys.get(of(&entries[i as usize]))));
            }
        }
    }
}

/// The existing clauses of the target, and each one's index by its number
/// path. An entry names them by index: it holds no text of its own, and a
/// plan of 50,000 rows drops its entries without reading them again.
#[derive(Default)]
struct Existing {
    clauses: Vec<ExistingClause>,
    by_key: HashMap<Key, usize>,
}

struct ExistingClause {
    id: String,
    /// Its number path.
    key: Key,
    clause: crate::model::Clause,
    latest_note: Option<String>,
}

impl Existing {
    fn get(&self, key: &[u8]) -> Option<usize> {
        self.by_key.get(key).copied()
    }
}

/// Plans `rows`: the sheet's rows below `header_row`, each with its 0-based
/// index in the sheet, in order. A row may be shorter than the sheet (its
/// missing cells are empty). `height` is about how many rows there are: it
/// sizes the plan's tables.
#[allow(clippy::too_many_arguments)]
pub(crate) fn build<'g, R: Row<'g>>(
    store: &Store,
    sheet: &str,
    rows_in: impl IntoIterator<Item = (usize, R)>,
    height: usize,
    header_row: u32,
    mapping: &[FieldColumn],
    into: &ImportInto,
    today: NaiveDate,
    with_import: bool,
) -> Result<(ImportPlan, Import), SheetError> {
    // Each field's column, looked up once rather than for every cell.
    let mut columns = [None; SheetField::ALL.len()];
    for m in mapping {
        columns[m.field as usize].get_or_insert(m.column as usize);
    }
    let col = |f: SheetField| columns[f as usize];
    let (signed_on, existing, target) = match into {
        ImportInto::New { partner_id, title, kind, signed_on, calendar } => {
            let partner = store.partner(partner_id)?;
            let mut new = NewAgreement::draft(title.clone(), vec![partner.id]);
            new.kind = *kind;
            new.calendar = *calendar;
            new.signed_on = *signed_on;
            if signed_on.is_some() {
                new.status = AgreementStatus::Signed;
            }
            (*signed_on, Existing::default(), ImportTarget::New(new))
        }
        ImportInto::Existing { agreement_id } => {
            let agreement = store.agreement(agreement_id)?;
            let rows = store.clause_rows(&agreement.id, today)?;
            // A row's remarks are compared with the clause's latest note,
            // whole: a row carries only the start of a long one.
            let cut = rows.iter().any(|r| r.latest_note.as_ref().is_some_and(crate::store::clauses::NoteBrief::is_cut));
            let mut whole = if cut { store.latest_note_texts(&agreement.id)? } else { Default::default() };
            // Each clause's key by its id, for its children's (a parent
            // comes before its children).
            let mut keys: HashMap<String, Key> = HashMap::default();
            let mut existing = Existing::default();
            for r in rows {
                let mut key = r.clause.parent_id.as_ref().and_then(|p| keys.get(p)).cloned().unwrap_or_default();
                push_part(&mut key, &fold_number(&r.clause.number));
                keys.insert(r.clause.id.clone(), key.clone());
                existing.by_key.insert(key.clone(), existing.clauses.len());
                existing.clauses.push(ExistingClause {
                    id: r.clause.id.clone(),
                    key,
                    latest_note: r.latest_note.map(|n| whole.remove(&r.clause.id).unwrap_or(n.text)),
                    clause: r.clause,
                });
            }
            (agreement.signed_on, existing, ImportTarget::Existing(agreement.id))
        }
    };

    // Sized once for every row: a large sheet's lists and maps would
    // otherwise be copied over and over as they grow.
    let mut rows: Vec<PlannedRow> = Vec::with_capacity(height);
    let mut entries: Vec<Entry> = Vec::with_capacity(height);
    // The values of each entry, when the plan writes them (an import) or
    // compares them (into an existing agreement).
    let keep_values = with_import || matches!(into, ImportInto::Existing { .. });
    let mut values: Vec<Values> = Vec::with_capacity(if keep_values { height } else { 0 });
    // Every entry by its key, to find a parent by number and duplicates.
    let mut by_key = Index::with_capacity(height);
    // The key being built for a row, reused.
    let mut scratch = Key::new();
    let mut keys = Keys::default();
    let mut by_segments = Index::with_capacity(height);
    let mut stack: Vec<(Style, usize)> = Vec::new();
    let mut groups: Option<(String, usize)> = None;
    let mut group_count = 0u32;
    let mut sequence: HashMap<Option<usize>, u32> = HashMap::default();
    let sheet = sheet.to_owned();
    let mut deadlines: HashMap<&str, Result<Deadline, RowIssue>> = HashMap::default();
    let mut statuses: HashMap<&str, Result<Option<ClauseStatus>, RowIssue>> = HashMap::default();

    for (i, cells) in rows_in {
        if cells.is_blank() {
            continue;
        }
        let row_no = i as u32 + 1;
        let cell = |f: SheetField| col(f).map_or(Cell::Empty, |c| cells.cell(c));
        let mut problems: Vec<Problem> = Vec::new();
        let issue = |problems: &mut Vec<Problem>, field: SheetField, e: RowIssue| {
            problems.push(Problem {
                sheet: sheet.clone(),
                row: row_no,
                column: col(field).map(super::read::column_letter),
                field: Some(field),
                can_drop: e.can_drop(),
                code: e.code().to_owned(),
                message: e.to_string(),
                params: named(e.params()),
            });
        };
        let number = col(SheetField::Number).and_then(|c| values::number(cells.cell(c)));
        let group = values::text(cell(SheetField::Group)).map(Cow::into_owned);
        let short = |problems: &mut Vec<Problem>, field: SheetField, name: &'static str| {
            let v = values::text(cell(field));
            match v {
                // No more bytes than the limit is no more characters.
                Some(t) if t.len() as i64 > SHORT_MAX && t.chars().count() as i64 > SHORT_MAX => {
                    let len = t.chars().count() as i64;
                    issue(
                        problems,
                        field,
                        RowIssue::TooLong { field: name, length: len, max: SHORT_MAX, unit: "characters" },
                    );
                    None
                }
                v => v,
            }
        };
        let our_lead = short(&mut problems, SheetField::OurLead, "our lead body");
        let partner_lead = short(&mut problems, SheetField::PartnerLead, "partner lead body");
        let long = |problems: &mut Vec<Problem>, field: SheetField, name: &'static str| {
            let v = values::text(cell(field));
            match v {
                Some(t) if t.len() > LONG_TEXT_MAX_BYTES => {
                    let length = t.len() as i64;
                    issue(
                        problems,
                        field,
                        RowIssue::TooLong { field: name, length, max: LONG_TEXT_MAX_BYTES as i64, unit: "bytes" },
                    );
                    None
                }
                v => v,
            }
        };
        let text = long(&mut problems, SheetField::Text, "clause text");
        let indicator = long(&mut problems, SheetField::Indicator, "indicator");
        let remarks = long(&mut problems, SheetField::Remarks, "remarks");
        // Real plans repeat their deadlines ("12 months", one date for a
        // whole action): each text is read once.
        let deadline_read = col(SheetField::Deadline).map(|_| match cell(SheetField::Deadline) {
            c @ Cell::Text(t) => deadlines.entry(t).or_insert_with(|| values::deadline(c)).clone(),
            c => values::deadline(c),
        });
        let deadline = match deadline_read {
            None => None,
            Some(Ok(d)) => match values::before_signing(&d, signed_on) {
                Some(e) => {
                    issue(&mut problems, SheetField::Deadline, e);
                    None
                }
                None => Some(d),
            },
            Some(Err(e)) => {
                issue(&mut problems, SheetField::Deadline, e);
                None
            }
        };
        let status_read = col(SheetField::Status).map(|_| match cell(SheetField::Status) {
            c @ Cell::Text(t) => statuses.entry(t).or_insert_with(|| values::status(c)).clone(),
            c => values::status(c),
        });
        let status = match status_read {
            Some(Ok(s)) => s,
            Some(Err(e)) => {
                issue(&mut problems, SheetField::Status, e);
                None
            }
            None => None,
        };
        let percent = match col(SheetField::Percent).map(|_| values::percent(cell(SheetField::Percent))) {
            Some(Ok(p)) => p,
            Some(Err(e)) => {
                issue(&mut problems, SheetField::Percent, e);
                None
            }
            None => None,
        };
        let themes = match col(SheetField::Themes).map(|_| values::themes(cell(SheetField::Themes))) {
            Some(Ok(t)) => Some(t),
            Some(Err(e)) => {
                issue(&mut problems, SheetField::Themes, e);
                None
            }
            None => None,
        };

        // A row with text and no number continues the clause above, unless
        // the sheet has no number column (or the row opens a group's items):
        // then it is numbered in turn.
        let numbered_by_sheet = col(SheetField::Number).is_some();
        if number.is_none() && numbered_by_sheet && group.is_none() {
            let Some(last) = entries.len().checked_sub(1) else {
                let e = RowIssue::NoNumber;
                issue(&mut problems, SheetField::Number, e);
                rows.push(planned(row_no, Vec::new(), text.as_deref(), RowAction::Skip, problems));
                continue;
            };
            entries[last].remarks |= remarks.is_some();
            if let Some(entry) = values.get_mut(last) {
                if let Some(t) = &text {
                    entry.text =
                        if entry.text.is_empty() { t.clone() } else { Cow::Owned(format!("{}\n{t}", entry.text)) };
                }
                if let Some(r) = remarks {
                    entry.remarks = Some(match entry.remarks.take() {
                        Some(old) => Cow::Owned(format!("{old}\n{r}")),
                        None => r,
                    });
                }
                entry.our_lead = entry.our_lead.take().or(our_lead);
                entry.partner_lead = entry.partner_lead.take().or(partner_lead);
                entry.indicator = entry.indicator.take().or(indicator);
                if entry.deadline.is_none_or(|d| d == Deadline::None) {
                    entry.deadline = deadline.or(entry.deadline);
                }
                entry.status = entry.status.or(status);
                entry.percent = entry.percent.or(percent);
            }
            let path = path_of(&entries, &keys, last);
            rows.push(planned(row_no, path, text.as_deref(), RowAction::Continuation, problems));
            continue;
        }
        if text.is_none() {
            if !problems.iter().any(|p| p.code == "value_too_long") {
                issue(&mut problems, SheetField::Text, RowIssue::NoText);
            }
            let n = number.as_ref().map(|n| vec![n.written.clone()]).unwrap_or_default();
            rows.push(planned(row_no, n, None, RowAction::Skip, problems));
            continue;
        }

        // Its parent: the group's row or title, or what its number says.
        let mut parent = Parent::Top;
        if let Some(g) = &group {
            let g_number = values::number(Cell::Text(g));
            let named = g_number
                .as_ref()
                .and_then(|n| by_segments.get(&entries, &keys, &n.segments, |e| e.segments))
                .map(Parent::Entry)
                .or_else(|| existing.get(&key_of([&*fold_number(g)])).map(Parent::Existing));
            parent = match named {
                Some(p) => p,
                None => {
                    // A group title: one clause per run of rows with it.
                    let idx = match &groups {
                        Some((title, idx)) if title == g => *idx,
                        _ => {
                            group_count += 1;
                            // The first part of its items' numbers (`2` above
                            // `2.a`), or the next number in turn.
                            let from_items = number
                                .as_ref()
                                .filter(|n| n.style == Style::Dotted)
                                .and_then(|n| n.segments().next())
                                .map(str::to_owned);
                            let invented = from_items.is_none();
                            // Written in the digits its items are written in:
                            // `۱` above `۱-۱`, not `1`.
                            let persian = number
                                .as_ref()
                                .is_some_and(|n| n.written.chars().any(|c| ('\u{06F0}'..='\u{06F9}').contains(&c)));
                            let in_digits = |n: String| if persian { crate::calendar::persian_digits(&n) } else { n };
                            let mut own = in_digits(from_items.unwrap_or_else(|| group_count.to_string()));
                            let mut key = key_of([&*fold_number(&own)]);
                            // A number in turn passes over the numbers rows
                            // above already have, and those of the target's
                            // clauses but a clause of the group's own title
                            // (the group imported before, found again).
                            while invented
                                && (by_key
                                    .get(&entries, &keys, &key, |e| e.key)
                                    .is_some_and(|i| entries[i].group_of.map(|t| keys.text(t)) != Some(g.as_str()))
                                    || existing
                                        .get(&key)
                                        .is_some_and(|c| trim_text(&existing.clauses[c].clause.text) != g.as_str()))
                            {
                                group_count += 1;
                                own = in_digits(group_count.to_string());
                                key = key_of([&*fold_number(&own)]);
                            }
                            let idx = match by_key.get(&entries, &keys, &key, |e| e.key) {
                                Some(idx) if entries[idx].group_of.map(|t| keys.text(t)) == Some(g.as_str()) => idx,
                                // The number the group's clause would take is
                                // another clause's: the import would refuse
                                // it, so the plan does.
                                Some(taken) => {
                                    let first_row = rows.get(entries[taken].plan_row).map_or(0, |r| r.row);
                                    issue(
                                        &mut problems,
                                        SheetField::Group,
                                        RowIssue::NumberTwice {
                                            number: own.clone(),
                                            first: i64::from(first_row),
                                            row: i64::from(row_no),
                                        },
                                    );
                                    rows.push(planned(row_no, vec![own], text.as_deref(), RowAction::Skip, problems));
                                    continue;
                                }
                                None => {
                                    let existing_id = existing.get(&key);
                                    entries.push(Entry {
                                        plan_row: rows.len(),
                                        parent: Parent::Top,
                                        number: keys.put(own.as_bytes()),
                                        key: keys.put(&key),
                                        segments: Span { start: 0, end: 0 },
                                        remarks: false,
                                        existing: existing_id,
                                        first_child: NONE,
                                        last_child: NONE,
                                        next_sibling: NONE,
                                        group_of: Some(keys.put(g.as_bytes())),
                                    });
                                    if keep_values {
                                        values.push(Values { text: Cow::Owned(g.clone()), ..Values::default() });
                                    }
                                    let idx = entries.len() - 1;
                                    // Its own number is its whole key.
                                    entries[idx].segments = entries[idx].key;
                                    by_key.insert(&entries, &keys, idx, |e| e.key);
                                    by_segments.insert(&entries, &keys, idx, |e| e.segments);
                                    idx
                                }
                            };
                            groups = Some((g.clone(), idx));
                            idx
                        }
                    };
                    Parent::Entry(idx)
                }
            };
        } else if let Some(n) = &number {
            match n.style {
                Style::Dotted => {
                    let prefix = parent_key(&n.segments);
                    parent = by_segments
                        .get(&entries, &keys, prefix, |e| e.segments)
                        .map(Parent::Entry)
                        .unwrap_or_else(|| existing.get(prefix).map_or(Parent::Top, Parent::Existing));
                }
                style => {
                    if let Some(pos) = stack.iter().position(|(s, _)| *s == style) {
                        stack.truncate(pos);
                    }
                    parent = stack.last().map_or(Parent::Top, |&(_, idx)| Parent::Entry(idx));
                }
            }
        }

        let parent_idx = match parent {
            Parent::Entry(i) => Some(i),
            _ => None,
        };
        // The row's own number, or the next in turn under its parent.
        let (written, segments, style) = match number {
            Some(n) => (n.written, n.segments, n.style),
            None => {
                let next = sequence.entry(parent_idx).or_insert(0);
                *next += 1;
                let written = next.to_string();
                let segments = key_of([written.as_str()]);
                (written, segments, Style::Digits)
            }
        };
        // Its key: its parent's, and its own number folded.
        scratch.clear();
        match &parent {
            Parent::Top => {}
            Parent::Entry(i) => scratch.extend_from_slice(keys.get(entries[*i].key)),
            Parent::Existing(i) => scratch.extend_from_slice(&existing.clauses[*i].key),
        }
        push_part(&mut scratch, &fold_number(&written));
        if let Some(first) = by_key.get(&entries, &keys, &scratch, |e| e.key) {
            let first_row = rows.get(entries[first].plan_row).map_or(0, |r| r.row);
            issue(
                &mut problems,
                SheetField::Number,
                RowIssue::NumberTwice { number: written.clone(), first: i64::from(first_row), row: i64::from(row_no) },
            );
            rows.push(planned(row_no, vec![written], text.as_deref(), RowAction::Skip, problems));
            continue;
        }
        let existing_id = existing.get(&scratch);
        entries.push(Entry {
            plan_row: rows.len(),
            parent,
            number: keys.put(written.as_bytes()),
            key: keys.put(&scratch),
            segments: keys.put(&segments),
            remarks: remarks.is_some(),
            existing: existing_id,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            group_of: None,
        });
        if keep_values {
            values.push(Values {
                text: text.clone().unwrap_or_default(),
                our_lead,
                partner_lead,
                deadline,
                status,
                percent,
                indicator,
                themes,
                remarks,
            });
        }
        let idx = entries.len() - 1;
        if let Parent::Entry(p) = parent {
            match entries[p].last_child {
                NONE => entries[p].first_child = idx as u32,
                last => entries[last as usize].next_sibling = idx as u32,
            }
            entries[p].last_child = idx as u32;
        }
        by_key.insert(&entries, &keys, idx, |e| e.key);
        by_segments.insert(&entries, &keys, idx, |e| e.segments);
        if group.is_none() {
            match style {
                Style::Dotted => {
                    stack.retain(|(s, _)| *s == Style::Digits);
                    stack.truncate(1);
                    stack.push((Style::Dotted, idx));
                }
                style => stack.push((style, idx)),
            }
        }
        // Its parent's path, then its number. A parent of its own row has
        // its path there already.
        let path = match entries[idx].parent {
            Parent::Entry(p) if entries[p].group_of.is_none() => {
                let above = &rows[entries[p].plan_row].number;
                let mut path = Vec::with_capacity(above.len() + 1);
                path.extend_from_slice(above);
                path.push(written);
                path
            }
            _ => path_of(&entries, &keys, idx),
        };
        rows.push(planned(row_no, path, text.as_deref(), RowAction::Create, problems));
    }

    // Match and build the import.
    let mut plan = ImportPlan {
        sheet: sheet.clone(),
        header_row,
        rows,
        created: 0,
        updated: 0,
        unchanged: 0,
        skipped: 0,
        notes: 0,
        blocking: 0,
        droppable: 0,
    };
    let mut updates = Vec::new();
    let mut tops: Vec<usize> = Vec::new();
    let mut group_rows: Vec<PlannedRow> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        match e.existing.filter(|&i| existing.get(keys.get(e.key)) == Some(i)).map(|i| &existing.clauses[i]) {
            Some(old) => {
                // An entry updates a clause only in an existing agreement,
                // whose plan keeps every entry's values.
                let v = &values[i];
                let note = |latest: Option<&String>| match (&v.remarks, latest) {
                    (Some(r), Some(l)) if r.trim() == l.trim() => None,
                    (Some(r), _) => {
                        Some(ImportNote { on_date: today, author: None, text: r.to_string(), status_to: None })
                    }
                    (None, _) => None,
                };
                let patch = patch_of(e, v, &old.clause);
                let notes: Vec<ImportNote> = note(old.latest_note.as_ref()).into_iter().collect();
                let action = if patch == ClausePatch::default() && notes.is_empty() {
                    RowAction::Unchanged
                } else {
                    RowAction::Update
                };
                plan.notes += notes.len() as u32;
                if action == RowAction::Update {
                    updates.push(ImportUpdate { clause_id: old.id.clone(), patch, notes });
                }
                set_action(&mut plan.rows, &mut group_rows, e, &keys, action, || path_of(&entries, &keys, i));
            }
            None => {
                plan.notes += u32::from(e.remarks);
                let top = match &e.parent {
                    Parent::Top | Parent::Existing(_) => true,
                    Parent::Entry(p) => entries[*p].existing.is_some(),
                };
                if top {
                    tops.push(i);
                }
                set_action(&mut plan.rows, &mut group_rows, e, &keys, RowAction::Create, || {
                    path_of(&entries, &keys, i)
                });
            }
        }
    }
    for r in plan.rows.iter().chain(&group_rows) {
        match r.action {
            RowAction::Create => plan.created += 1,
            RowAction::Update => plan.updated += 1,
            RowAction::Unchanged => plan.unchanged += 1,
            RowAction::Skip => plan.skipped += 1,
            RowAction::Continuation => {}
        }
        for p in &r.problems {
            if p.can_drop {
                plan.droppable += 1;
            } else {
                plan.blocking += 1;
            }
        }
    }
    // A group's clause shows on its first item's row, before the item.
    if !group_rows.is_empty() {
        group_rows.append(&mut plan.rows);
        plan.rows = group_rows;
        plan.rows.sort_by_key(|r| r.row);
    }

    // A dry run needs no copy of the rows to write.
    if !with_import {
        return Ok((plan, Import::default()));
    }
    let whole = Tree { entries: &entries, values: &values, keys: &keys, existing: &existing, today };
    let clauses = tops.iter().map(|&i| tree(&whole, i)).collect();
    let import = Import {
        partners: Vec::new(),
        agreements: vec![ImportAgreement { target, new_parties: Vec::new(), clauses, updates }],
    };
    Ok((plan, import))
}

/// Records an entry's action on its row; a group title's clause gets a row
/// of its own, on the row of the group's first item.
fn set_action(
    rows: &mut [PlannedRow],
    group_rows: &mut Vec<PlannedRow>,
    e: &Entry,
    keys: &Keys,
    action: RowAction,
    path: impl FnOnce() -> Vec<String>,
) {
    if let Some(title) = e.group_of.map(|t| keys.text(t)) {
        let row = rows.get(e.plan_row).map_or(0, |r| r.row);
        group_rows.push(planned(row, path(), Some(title), action, Vec::new()));
    } else if let Some(r) = rows.get_mut(e.plan_row) {
        r.action = action;
    }
}

fn planned(row: u32, number: Vec<String>, text: Option<&str>, action: RowAction, problems: Vec<Problem>) -> PlannedRow {
    let text = text.unwrap_or_default();
    // The first 120 characters; at most 120 bytes, or an ASCII start, need
    // no counting.
    let end = if text.len() <= 120 {
        text.len()
    } else if text.as_bytes()[..120].is_ascii() {
        120
    } else {
        text.char_indices().nth(120).map_or(text.len(), |(i, _)| i)
    };
    let text = text[..end].to_owned();
    PlannedRow { row, number, text, action, problems }
}

/// `["3", "3.1"]`: the entry's number after its parents'.
fn path_of(entries: &[Entry], keys: &Keys, i: usize) -> Vec<String> {
    let chain = || {
        std::iter::successors(Some(i), |&at| match entries[at].parent {
            Parent::Entry(p) => Some(p),
            _ => None,
        })
    };
    let mut parts = vec![String::new(); chain().count()];
    for (slot, at) in parts.iter_mut().rev().zip(chain()) {
        slot.push_str(keys.text(entries[at].number));
    }
    parts
}

/// The mapped fields of a row that differ from the clause.
fn patch_of(entry: &Entry, e: &Values<'_>, old: &crate::model::Clause) -> ClausePatch {
    let mut p = ClausePatch::default();
    if entry.group_of.is_none() && e.text.trim() != old.text.trim() {
        p.text = Some(e.text.to_string());
    }
    if e.our_lead.is_some() && e.our_lead.as_deref() != old.our_lead.as_deref() {
        p.our_lead = Some(owned(&e.our_lead));
    }
    if e.partner_lead.is_some() && e.partner_lead.as_deref() != old.partner_lead.as_deref() {
        p.partner_lead = Some(owned(&e.partner_lead));
    }
    if let Some(d) = e.deadline
        && d != Deadline::None
        && d != old.deadline
    {
        p.deadline = Some(d);
    }
    if let Some(s) = e.status
        && s != old.status
    {
        p.status = Some(s);
    }
    if e.percent.is_some() && e.percent != old.percent {
        p.percent = Some(e.percent);
    }
    if e.indicator.is_some() && e.indicator.as_deref() != old.indicator.as_deref() {
        p.indicator = Some(owned(&e.indicator));
    }
    if let Some(t) = &e.themes {
        let lowered: Vec<String> = t.iter().map(|s| s.to_lowercase()).collect();
        if !t.is_empty() && lowered != old.tags {
            p.tags = Some(t.clone());
        }
    }
    p
}

/// An optional text as the store takes it.
fn owned(t: &Option<Cow<'_, str>>) -> Option<String> {
    t.as_ref().map(|c| c.to_string())
}

/// What [`tree`] reads.
#[derive(Clone, Copy)]
struct Tree<'p, 'g> {
    entries: &'p [Entry],
    values: &'p [Values<'g>],
    keys: &'p Keys,
    existing: &'p Existing,
    today: NaiveDate,
}

/// The new clause an entry becomes, with its new children.
fn tree(plan: &Tree<'_, '_>, i: usize) -> ImportClause {
    let Tree { entries, values, keys, existing, today } = *plan;
    let (entry, e) = (&entries[i], &values[i]);
    let mut clause = NewClause::new(String::new(), keys.text(entry.number).to_owned(), e.text.to_string());
    clause.parent_id = match &entry.parent {
        Parent::Existing(c) => Some(existing.clauses[*c].id.clone()),
        Parent::Entry(p) => entries[*p].existing.map(|c| existing.clauses[c].id.clone()),
        Parent::Top => None,
    };
    clause.our_lead = owned(&e.our_lead);
    clause.partner_lead = owned(&e.partner_lead);
    clause.deadline = e.deadline.unwrap_or_default();
    clause.status = e.status.unwrap_or(ClauseStatus::NotStarted);
    clause.percent = e.percent;
    clause.indicator = owned(&e.indicator);
    clause.tags = e.themes.clone().unwrap_or_default();
    let notes = e
        .remarks
        .iter()
        .map(|r| ImportNote { on_date: today, author: None, text: r.to_string(), status_to: None })
        .collect();
    let link = |c: u32| (c != NONE).then_some(c as usize);
    let children = std::iter::successors(link(entry.first_child), |&c| link(entries[c].next_sibling))
        .filter(|&c| entries[c].existing.is_none())
        .map(|c| tree(plan, c))
        .collect();
    ImportClause { clause, notes, children }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_compare_as_their_parts_and_find_their_parent_without_a_copy() {
        let k = |parts: &[&str]| key_of(parts.iter().copied());
        assert_ne!(k(&["1", "1"]), k(&["11"]));
        assert_ne!(k(&["1", ""]), k(&["1"]));
        assert_eq!(parent_key(&k(&["1", "1.2", "a"])), &k(&["1", "1.2"])[..]);
        assert_eq!(parent_key(&k(&["۱"])), &[] as &[u8]);
        assert_eq!(parent_key(&[]), &[] as &[u8]);
        assert_eq!(fold_number(" ۱-۲ "), "1-2");
        assert_eq!(fold_number("IV"), "iv");
        assert!(matches!(fold_number("2.1"), Cow::Borrowed("2.1")));
    }
}

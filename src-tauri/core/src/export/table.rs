//! The table a workbook sheet or a CSV file holds: its heads, in the export's
//! language, and one row of cells per clause, in tree order.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{Part, Prepared};
use crate::calendar::{format_persian, persian_digits};
use crate::deadline::Deadline;
use crate::vocab::{ClauseStatus, DerivedColumn, Lang, SheetField};

/// A column of the table: one an import reads, or one it ignores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Head {
    Field(SheetField),
    Derived(DerivedColumn),
}

impl Head {
    pub(crate) fn label(self, lang: Lang) -> &'static str {
        match self {
            Head::Field(f) => f.label(lang),
            Head::Derived(d) => d.label(lang),
        }
    }
}

/// One cell's value, typed so that each format writes it as what it is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Empty,
    /// Text: the user's, or a word of the vocabulary.
    Text(String),
    /// A day: a date cell in a workbook, ISO 8601 in CSV.
    Date(NaiveDate),
    Number(i64),
    /// A clause's status: its label, coloured in a workbook.
    Status(ClauseStatus),
}

/// One table: a sheet of a workbook, or a whole CSV file.
pub(crate) struct Sheet {
    /// The agreement's title (the scope's, for a table of several).
    pub(crate) title: String,
    pub(crate) heads: Vec<Head>,
    pub(crate) rows: Vec<Row>,
}

/// One clause's row, with its number (to name it in an error).
pub(crate) struct Row {
    pub(crate) number: String,
    pub(crate) cells: Vec<Cell>,
}

/// The heads of a table, in order: the agreement (for a table of several),
/// every field an import reads, then the days a deadline falls on.
fn heads(several: bool, persian_dates: bool) -> Vec<Head> {
    let mut heads = Vec::with_capacity(SheetField::ALL.len() + 3);
    if several {
        heads.push(Head::Derived(DerivedColumn::Agreement));
    }
    heads.extend(SheetField::ALL.iter().map(|&f| Head::Field(f)));
    heads.push(Head::Derived(DerivedColumn::DueOn));
    if persian_dates {
        heads.push(Head::Derived(DerivedColumn::DueOnPersian));
    }
    heads
}

/// A relative deadline as `Deadline::parse` reads it back: `3 months after
/// signing`, or `۳ ماه پس از امضا` with Persian digits.
pub(crate) fn relative_deadline(deadline: &Deadline, lang: Lang) -> Option<String> {
    let Deadline::AfterSigning { amount, unit } = *deadline else { return None };
    Some(match lang {
        Lang::En => deadline.to_string(),
        Lang::Fa => format!("{} {} پس از امضا", persian_digits(&amount.to_string()), unit.label(Lang::Fa)),
    })
}

/// Themes as one text: `health, training`, or joined with the Persian comma.
fn themes(tags: &[String], lang: Lang) -> String {
    tags.join(match lang {
        Lang::En => ", ",
        Lang::Fa => "، ",
    })
}

fn text(value: Option<&str>) -> Cell {
    match value {
        Some(v) if !v.is_empty() => Cell::Text(v.to_owned()),
        _ => Cell::Empty,
    }
}

/// The rows of one agreement's clauses.
fn rows(part: &Part, heads: &[Head], lang: Lang) -> Vec<Row> {
    let numbers: HashMap<&str, &str> =
        part.rows.iter().map(|r| (r.clause.id.as_str(), r.clause.number.as_str())).collect();
    part.rows
        .iter()
        .map(|row| {
            let c = &row.clause;
            let note = part.notes.get(&c.id).map(String::as_str).or(row.latest_note.as_ref().map(|n| n.text.as_str()));
            let cells = heads
                .iter()
                .map(|head| match head {
                    Head::Derived(DerivedColumn::Agreement) => Cell::Text(part.agreement.title.clone()),
                    Head::Field(SheetField::Number) => Cell::Text(c.number.clone()),
                    // A parent that is not in the table (not live) leaves the
                    // clause at the top level, as the table shows it.
                    Head::Field(SheetField::Group) => {
                        text(c.parent_id.as_deref().and_then(|p| numbers.get(p).copied()))
                    }
                    Head::Field(SheetField::Text) => Cell::Text(c.text.clone()),
                    Head::Field(SheetField::OurLead) => text(c.our_lead.as_deref()),
                    Head::Field(SheetField::PartnerLead) => text(c.partner_lead.as_deref()),
                    Head::Field(SheetField::Deadline) => match c.deadline {
                        Deadline::None => Cell::Empty,
                        Deadline::On { date } => Cell::Date(date),
                        relative => text(relative_deadline(&relative, lang).as_deref()),
                    },
                    Head::Field(SheetField::Status) => Cell::Status(c.status),
                    Head::Field(SheetField::Percent) => c.percent.map_or(Cell::Empty, |p| Cell::Number(i64::from(p))),
                    Head::Field(SheetField::Indicator) => text(c.indicator.as_deref()),
                    Head::Field(SheetField::Themes) => text(Some(&themes(&c.tags, lang))),
                    Head::Field(SheetField::Remarks) => text(note),
                    Head::Derived(DerivedColumn::DueOn) => c.due_on.map_or(Cell::Empty, Cell::Date),
                    Head::Derived(DerivedColumn::DueOnPersian) => {
                        c.due_on.map_or(Cell::Empty, |d| Cell::Text(format_persian(d, lang)))
                    }
                })
                .collect();
            Row { number: c.number.clone(), cells }
        })
        .collect()
}

/// One table per agreement, as a workbook's sheets.
pub(crate) fn each(prepared: &Prepared) -> Vec<Sheet> {
    let heads = heads(false, prepared.persian_dates);
    prepared
        .parts
        .iter()
        .map(|p| Sheet { title: p.agreement.title.clone(), heads: heads.clone(), rows: rows(p, &heads, prepared.lang) })
        .collect()
}

/// One table for the whole export, as a CSV file: when the scope may cover
/// several agreements, its first column names each row's agreement.
pub(crate) fn one(prepared: &Prepared) -> Sheet {
    let heads = heads(prepared.several, prepared.persian_dates);
    let rows = prepared.parts.iter().flat_map(|p| rows(p, &heads, prepared.lang)).collect();
    Sheet { title: prepared.name.clone().unwrap_or_default(), heads, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::OffsetUnit;

    #[test]
    fn relative_deadlines_read_back() {
        for unit in OffsetUnit::ALL {
            for amount in [1, 3, 90, 600] {
                let d = Deadline::AfterSigning { amount, unit: *unit };
                for lang in Lang::ALL {
                    let text = relative_deadline(&d, *lang).unwrap();
                    assert_eq!(Deadline::parse(&text).unwrap(), d, "{text}");
                }
            }
        }
        let three = Deadline::AfterSigning { amount: 3, unit: OffsetUnit::Months };
        assert_eq!(relative_deadline(&three, Lang::En).unwrap(), "3 months after signing");
        assert_eq!(relative_deadline(&three, Lang::Fa).unwrap(), "۳ ماه پس از امضا");
        assert_eq!(relative_deadline(&Deadline::None, Lang::En), None);
    }
}

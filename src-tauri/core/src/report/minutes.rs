//! The minutes of a meeting, as the report template prints them: what the
//! meeting was, who took part on each side, the agenda with what each item
//! produced, the decisions with their owners and due dates, the changes
//! applied to the register, and the files attached to the meeting.

use chrono::NaiveDate;
use serde::Serialize;

use super::data::{Column, Ut, Words};
use crate::calendar::{self, Lang};
use crate::model::FieldChange;
use crate::model::attachment::Attachment;
use crate::model::meeting::MeetingDetail;
use crate::vocab::{ClauseField, ClauseStatus, ClosedSet, OutcomeKind, Side};

#[derive(Debug, Clone, Serialize)]
pub struct Minutes {
    /// Label and value lines under the title: kind, date, time, place,
    /// partners, agreements, status, next meeting.
    pub facts: Vec<Fact>,
    pub ours: Vec<Person>,
    pub theirs: Vec<Person>,
    pub items: Vec<Item>,
    pub decisions: Vec<Decision>,
    pub changes: Vec<Change>,
    pub attachments: Vec<File>,
    /// Headings and words, in the report's language.
    pub words: MinutesWords,
}

#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub label: &'static str,
    pub value: Ut,
}

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub name: Ut,
    pub role: Option<Ut>,
    pub body: Option<Ut>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// "1", "2"… in the report's digits.
    pub number: String,
    /// "Clause 3.1 · the agreement's title", when the item is a clause.
    pub clause: Option<Ut>,
    pub text: Option<Ut>,
    pub outcomes: Vec<ItemOutcome>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemOutcome {
    pub kind: &'static str,
    pub text: Option<Ut>,
    /// "Applied" or "Not applied" for a change to the register; none else.
    pub state: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub item: String,
    pub text: Ut,
    /// "Our side" or "Partner's side", when the owner's side is known.
    pub side: Option<&'static str>,
    pub owner: Option<Ut>,
    pub due: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub item: String,
    pub clause: Ut,
    pub field: &'static str,
    pub old: Option<Ut>,
    pub new: Option<Ut>,
}

#[derive(Debug, Clone, Serialize)]
pub struct File {
    pub name: Ut,
    pub media_type: String,
    pub size: String,
    /// The first 16 hex digits of its SHA-256.
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MinutesWords {
    pub participants: &'static str,
    pub ours: &'static str,
    pub theirs: &'static str,
    pub nobody: &'static str,
    pub agenda: &'static str,
    pub no_agenda: &'static str,
    pub decisions: &'static str,
    pub no_decisions: &'static str,
    pub decision: &'static str,
    pub owner: &'static str,
    pub due: &'static str,
    pub item: &'static str,
    pub changes: &'static str,
    pub no_changes: &'static str,
    pub clause: &'static str,
    pub field: &'static str,
    pub was: &'static str,
    pub now: &'static str,
    pub attachments: &'static str,
    pub no_attachments: &'static str,
    pub file: &'static str,
    pub kind: &'static str,
    pub size: &'static str,
    pub sha256: &'static str,
    pub empty: &'static str,
}

impl MinutesWords {
    fn new(w: &Words) -> Self {
        let p = |en, fa| w.pick(en, fa);
        MinutesWords {
            participants: p("Participants", "شرکت‌کنندگان"),
            ours: Side::Ours.label(w.lang),
            theirs: Side::Theirs.label(w.lang),
            nobody: p("No one recorded.", "کسی ثبت نشده است."),
            agenda: p("Agenda and outcomes", "دستور کار و نتیجه‌ها"),
            no_agenda: p("The agenda is empty.", "دستور کار خالی است."),
            decisions: p("Decisions", "تصمیم‌ها"),
            no_decisions: p("No decision was recorded.", "تصمیمی ثبت نشده است."),
            decision: OutcomeKind::Decision.label(w.lang),
            owner: p("Owner", "مسئول"),
            due: p("Due", "مهلت"),
            item: p("Item", "مورد"),
            changes: p("Changes applied to the register", "تغییرهای اعمال‌شده در دفتر"),
            no_changes: p("No change was applied to the register.", "تغییری در دفتر اعمال نشده است."),
            clause: p("Clause", "بند"),
            field: p("Field", "ویژگی"),
            was: p("Was", "پیشین"),
            now: p("Now", "کنونی"),
            attachments: p("Attachments", "پیوست‌ها"),
            no_attachments: p("No file is attached.", "پرونده‌ای پیوست نشده است."),
            file: p("File", "پرونده"),
            kind: p("Type", "نوع"),
            size: p("Size", "اندازه"),
            sha256: "SHA-256",
            empty: p("(empty)", "(خالی)"),
        }
    }
}

/// A count in the report's digits.
fn digits(w: &Words, n: impl ToString) -> String {
    let s = n.to_string();
    if w.lang == Lang::Fa { calendar::persian_digits(&s) } else { s }
}

fn size(w: &Words, bytes: u32) -> String {
    let kb = f64::from(bytes) / 1024.0;
    let (n, unit) = if kb < 1024.0 {
        (format!("{:.0}", kb.max(1.0)), w.pick("KB", "کیلوبایت"))
    } else {
        (format!("{:.1}", kb / 1024.0), w.pick("MB", "مگابایت"))
    };
    format!("{} {unit}", digits(w, n))
}

/// Words the report makes (a label, a date, a figure): in the document's
/// direction, whatever their first character.
fn own(w: &Words, s: String) -> Ut {
    Ut { s, rtl: w.lang == Lang::Fa }
}

/// A changed value as the minutes show it: statuses and field words in the
/// report's language, dates in its calendars, user text as it is.
fn value(w: &Words, field: Option<ClauseField>, v: Option<&str>) -> Option<Ut> {
    let v = v.filter(|v| !v.is_empty())?;
    let shown = match field {
        Some(ClauseField::Status) => ClauseStatus::from_code(v).map(|s| s.label(w.lang).to_owned()),
        Some(ClauseField::Percent) => v.parse::<u8>().ok().map(|p| digits(w, format!("{p}%"))),
        Some(ClauseField::Deadline) => NaiveDate::parse_from_str(v, "%Y-%m-%d").ok().map(|d| w.date(d)),
        _ => None,
    };
    Some(Ut::new(shown.unwrap_or_else(|| v.to_owned())))
}

fn name(w: &Words, name: &str, name_fa: Option<&str>) -> String {
    match (w.lang, name_fa) {
        (Lang::Fa, Some(fa)) => fa.to_owned(),
        _ => name.to_owned(),
    }
}

/// The minutes of a meeting and its attachments. Returns them with the
/// title and subtitle the report prints.
pub(super) fn build(w: &Words, d: &MeetingDetail, files: &[Attachment]) -> (String, Option<String>, Minutes) {
    let m = &d.meeting;
    let mut facts = vec![
        Fact { label: w.pick("Kind", "نوع"), value: own(w, m.kind.label(w.lang).to_owned()) },
        Fact {
            label: w.pick("Date", "تاریخ"),
            value: own(
                w,
                match &m.starts_at {
                    Some(t) => format!("{}{} {}", w.date(m.on_date), w.pick(",", "،"), digits(w, t)),
                    None => w.date(m.on_date),
                },
            ),
        },
        Fact {
            label: w.pick("Place", "محل"),
            value: if m.remote {
                own(w, w.pick("Remote", "برخط").to_owned())
            } else {
                Ut::new(m.place.clone().unwrap_or_else(|| "—".to_owned()))
            },
        },
        Fact { label: w.pick("Status", "وضعیت"), value: own(w, m.status.label(w.lang).to_owned()) },
    ];
    if !m.agreements.is_empty() {
        let names: Vec<String> = m.agreements.iter().map(|a| name(w, &a.name, a.name_fa.as_deref())).collect();
        facts.push(Fact {
            label: w.pick("Agreements", "تفاهم‌نامه‌ها"), value: Ut::new(names.join(" · "))
        });
    }
    if let Some(next) = m.next_on {
        facts.push(Fact { label: w.pick("Next meeting", "نشست بعدی"), value: own(w, w.date(next)) });
    }
    let person = |p: &crate::model::meeting::Participant| Person {
        name: Ut::in_column(p.name.clone(), Column::Lead),
        role: p.role.clone().map(|r| Ut::in_column(r, Column::Lead)),
        body: p.body.clone().map(|b| Ut::in_column(b, Column::Lead)),
    };
    let ours = m.participants.iter().filter(|p| p.side == Side::Ours).map(person).collect();
    let theirs = m.participants.iter().filter(|p| p.side == Side::Theirs).map(person).collect();
    let mut items = Vec::new();
    let mut decisions = Vec::new();
    let mut changes = Vec::new();
    for item in &d.agenda {
        let number = digits(w, item.position);
        // The agreement is named when the meeting concerns more than one.
        let clause_label = item.clause.as_ref().map(|c| {
            if m.agreements.len() > 1 {
                format!("{} {} · {}", w.pick("Clause", "بند"), c.number, c.agreement_title)
            } else {
                format!("{} {}", w.pick("Clause", "بند"), c.number)
            }
        });
        let mut outcomes = Vec::new();
        for o in &item.outcomes {
            let state = matches!(o.kind, OutcomeKind::ClauseUpdate | OutcomeKind::NewClause).then(|| {
                if o.applied_at.is_some() {
                    w.pick("Applied", "اعمال شد")
                } else {
                    w.pick("Not applied", "اعمال نشده")
                }
            });
            outcomes.push(ItemOutcome { kind: o.kind.label(w.lang), text: o.text.clone().map(Ut::new), state });
            if o.kind == OutcomeKind::Decision
                && let Some(text) = &o.text
            {
                decisions.push(Decision {
                    item: number.clone(),
                    text: Ut::new(text.clone()),
                    side: o.owner_side.map(|s| s.label(w.lang)),
                    owner: o.owner.clone().map(Ut::new),
                    due: o.due_on.map(|d| w.date(d)),
                });
            }
            if o.applied_at.is_some() {
                let clause = match (&item.clause, &o.new_clause) {
                    (_, Some(n)) => n.number.clone(),
                    (Some(c), None) => c.number.clone(),
                    (None, None) => String::new(),
                };
                for FieldChange { field, old, new } in &o.applied_changes {
                    let f = ClauseField::from_code(field);
                    changes.push(Change {
                        item: number.clone(),
                        clause: Ut::new(clause.clone()),
                        field: f.map_or("", |f| f.label(w.lang)),
                        old: value(w, f, old.as_deref()),
                        new: value(w, f, new.as_deref()),
                    });
                }
            }
        }
        items.push(Item {
            number,
            clause: clause_label.map(Ut::new),
            text: item.text.clone().or_else(|| item.clause.as_ref().map(|c| c.text.clone())).map(Ut::new),
            outcomes,
        });
    }
    let attachments = files
        .iter()
        .map(|f| File {
            name: Ut::new(f.name.clone()),
            media_type: f.media_type.clone(),
            size: size(w, f.size),
            sha256: f.sha256[..16].to_owned(),
        })
        .collect();
    let partners: Vec<String> = m.partners.iter().map(|p| name(w, &p.name, p.name_fa.as_deref())).collect();
    let minutes = Minutes { facts, ours, theirs, items, decisions, changes, attachments, words: MinutesWords::new(w) };
    (m.title.clone(), Some(partners.join(" · ")).filter(|s| !s.is_empty()), minutes)
}

//! Which column holds which field: guessed from the header words officers
//! write, in English and Persian, and from an export's own heads (the
//! [`SheetField`] and [`DerivedColumn`] labels, so an export reads back).
//!
//! The words are data: [`HEAD_WORDS`] lists, per field, the heads seen in
//! real action plans. A head matches a field when, folded (case, Persian and
//! Arabic letter variants, spacing, punctuation), it equals one of its words
//! or starts with one. The header row is the row among the first ones
//! whose cells match the most fields.

use super::FieldColumn;
use super::read::{Cell, Grid};
use crate::normalize::normalize;
use crate::vocab::{DerivedColumn, Lang, SheetField};

/// Header words per field, besides the field's own labels.
pub const HEAD_WORDS: &[(SheetField, &[&str])] = &[
    (
        SheetField::Number,
        &[
            "no",
            "number",
            "#",
            "item",
            "ref",
            "sn",
            "s/n",
            "serial",
            "clause no",
            "article",
            "ردیف",
            "شماره",
            "شماره بند",
            "کد",
        ],
    ),
    (SheetField::Group, &["group", "action area", "objective", "outcome", "component", "محور", "هدف", "سرفصل", "گروه"]),
    (
        SheetField::Text,
        &[
            "action",
            "activity",
            "activities",
            "milestone",
            "clause",
            "task",
            "description",
            "measure",
            "commitment",
            "اقدام",
            "اقدامات",
            "فعالیت",
            "فعالیت ها",
            "شرح",
            "شرح اقدام",
            "عنوان",
            "تعهد",
            "بند",
            "موضوع بند",
        ],
    ),
    (
        SheetField::OurLead,
        &[
            "responsible",
            "lead",
            "our lead",
            "lead body",
            "responsible body",
            "responsible agency",
            "focal point",
            "مسئول",
            "مسئول اجرا",
            "دستگاه مسئول",
            "دستگاه اجرایی",
            "مجری",
            "متولی",
        ],
    ),
    (
        SheetField::PartnerLead,
        &["partner lead", "partner", "counterpart", "partner responsible", "طرف مقابل", "مسئول طرف مقابل", "همتا"],
    ),
    (
        SheetField::Deadline,
        &[
            "deadline",
            "target date",
            "due",
            "due date",
            "timeline",
            "timeframe",
            "time frame",
            "by when",
            "مهلت",
            "زمان",
            "زمان بندی",
            "زمانبندی",
            "تاریخ",
            "موعد",
            "مهلت اجرا",
        ],
    ),
    (SheetField::Status, &["status", "state", "progress status", "وضعیت", "وضعیت اجرا", "وضعیت پیشرفت"]),
    (SheetField::Percent, &["percent", "%", "progress", "% done", "completion", "درصد", "درصد پیشرفت", "پیشرفت"]),
    (
        SheetField::Indicator,
        &["indicator", "kpi", "output", "deliverable", "means of verification", "شاخص", "خروجی", "شاخص تحقق"],
    ),
    (SheetField::Themes, &["themes", "theme", "tags", "topic", "sector", "موضوع", "موضوعات", "حوزه", "برچسب"]),
    (
        SheetField::Remarks,
        &["remarks", "comments", "notes", "note", "observations", "توضیحات", "ملاحظات", "یادداشت", "شرح پیشرفت"],
    ),
];

/// Folds a head for matching: normalised Persian letters, lower case,
/// punctuation and spacing dropped at the ends and squeezed inside.
pub fn fold(head: &str) -> String {
    let n = normalize(head).to_lowercase();
    let kept: String = n.chars().map(|c| if c.is_alphanumeric() || c == '#' || c == '%' { c } else { ' ' }).collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the heads are matched against, folded once per process: folding every
/// label and word again for every cell of the first twenty rows was a
/// quarter of a 10,000-row dry run.
struct Folded {
    /// Per field (in [`SheetField::ALL`]'s order): its labels in every
    /// language, then its [`HEAD_WORDS`].
    fields: Vec<(SheetField, Vec<String>, Vec<String>)>,
    /// The labels of the columns an export computes, in every language.
    derived: Vec<String>,
}

static FOLDED: std::sync::LazyLock<Folded> = std::sync::LazyLock::new(|| Folded {
    fields: SheetField::ALL
        .iter()
        .map(|&field| {
            let labels = Lang::ALL.iter().map(|&l| fold(field.label(l))).collect();
            let words = HEAD_WORDS.iter().find(|(f, _)| *f == field).map_or(&[][..], |(_, w)| *w);
            (field, labels, words.iter().map(|w| fold(w)).collect())
        })
        .collect(),
    derived: DerivedColumn::ALL.iter().flat_map(|d| Lang::ALL.iter().map(|&l| fold(d.label(l)))).collect(),
});

/// Whether a head is one of the columns an export computes.
pub fn is_derived(head: &str) -> bool {
    let h = fold(head);
    !h.is_empty() && FOLDED.derived.contains(&h)
}

/// How well a (folded) head names `field`: 3 for one of its labels, 2 for
/// one of its words, 1 for a head that starts with a word; 0 for none.
fn score(head: &str, field: SheetField) -> u8 {
    if head.is_empty() {
        return 0;
    }
    let Some((_, labels, words)) = FOLDED.fields.iter().find(|(f, _, _)| *f == field) else { return 0 };
    if labels.iter().any(|l| l == head) {
        return 3;
    }
    let mut best = 0;
    for w in words {
        if w == head {
            return 2;
        }
        if w.chars().count() >= 3 && head.strip_prefix(w.as_str()).is_some_and(|rest| rest.starts_with(' ')) {
            best = 1;
        }
    }
    best
}

/// The mapping the heads suggest: each field to the column that names it
/// best (the leftmost on a tie), each column to one field. A head like
/// "بند" (clause) names the number when the column's values are short.
pub fn guess_mapping(heads: &[String], body: &[Vec<Cell>]) -> Vec<FieldColumn> {
    let folded: Vec<String> = heads.iter().map(|h| fold(h)).collect();
    let mut candidates: Vec<(u8, usize, SheetField)> = Vec::new();
    for (i, h) in folded.iter().enumerate() {
        if is_derived(h) {
            continue;
        }
        for &field in SheetField::ALL {
            let s = score(h, field);
            if s > 0 {
                candidates.push((s, i, field));
            }
        }
    }
    // A column whose values all read as clause numbers (1, 3.1, (iv), a)
    // is a number column whatever its head says: "بند" heads numbers as
    // often as texts.
    let numbers = |i: usize| {
        let mut filled = body.iter().take(50).filter_map(|r| r.get(i)).filter(|c| !c.is_empty()).peekable();
        filled.peek().is_some()
            && filled.all(|c| {
                c.display().chars().count() <= 8
                    && super::values::number(c.view()).is_some_and(|n| n.style != super::values::Style::Other)
            })
    };
    for c in &mut candidates {
        if c.2 == SheetField::Text && numbers(c.1) {
            *c = (c.0, c.1, SheetField::Number);
        }
    }
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out: Vec<FieldColumn> = Vec::new();
    for (_, column, field) in candidates {
        if out.iter().any(|m| m.field == field || m.column as usize == column) {
            continue;
        }
        out.push(FieldColumn { field, column: column as u32 });
    }
    out.sort_by_key(|m| m.column);
    out
}

/// The row (from 1) among the first twenty whose cells name the most
/// fields; the first row when none names any.
pub fn guess_header_row(grid: &Grid) -> u32 {
    let mut best = (0usize, 1u32);
    for (i, row) in grid.rows.iter().take(20).enumerate() {
        let named = row
            .iter()
            .filter(|c| matches!(c, Cell::Text(_)))
            .filter(|c| {
                let h = fold(&c.display());
                is_derived(&h) || SheetField::ALL.iter().any(|&f| score(&h, f) > 0)
            })
            .count();
        if named > best.0 {
            best = (named, i as u32 + 1);
        }
    }
    best.1
}

/// The key a mapping is remembered under: the folded heads, in order.
pub fn header_key(heads: &[String]) -> String {
    heads.iter().map(|h| fold(h)).collect::<Vec<_>>().join("\u{1F}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heads(hs: &[&str]) -> Vec<String> {
        hs.iter().map(|h| (*h).to_owned()).collect()
    }

    fn mapped(m: &[FieldColumn]) -> Vec<(SheetField, u32)> {
        m.iter().map(|fc| (fc.field, fc.column)).collect()
    }

    #[test]
    fn english_and_persian_heads_are_recognised() {
        use SheetField::*;
        type Case<'a> = (&'a [&'a str], &'a [(SheetField, u32)]);
        let cases: &[Case<'_>] = &[
            (
                &["No.", "Action", "Responsible", "Target date", "Status", "Remarks"],
                &[(Number, 0), (Text, 1), (OurLead, 2), (Deadline, 3), (Status, 4), (Remarks, 5)],
            ),
            (
                &["ردیف", "اقدام", "مسئول", "مهلت", "وضعیت", "توضیحات"],
                &[(Number, 0), (Text, 1), (OurLead, 2), (Deadline, 3), (Status, 4), (Remarks, 5)],
            ),
            (
                &["Objective", "Milestone", "Partner lead", "Deadline", "Unrelated"],
                &[(Group, 0), (Text, 1), (PartnerLead, 2), (Deadline, 3)],
            ),
            (&["سند", "ردیف", "گروه", "بند", "سررسید", "سررسید (هجری شمسی)"], &[(Number, 1), (Group, 2), (Text, 3)]),
        ];
        for (hs, want) in cases {
            let body = vec![vec![Cell::Text("a long text of a clause".into()); hs.len()]];
            assert_eq!(mapped(&guess_mapping(&heads(hs), &body)), *want, "{hs:?}");
        }
    }

    #[test]
    fn the_header_row_is_the_one_that_names_fields() {
        let t = |s: &str| Cell::Text(s.into());
        let grid = Grid {
            name: "Plan".into(),
            rows: vec![
                vec![t("Action plan 2026–2027"), Cell::Empty, Cell::Empty],
                vec![Cell::Empty, Cell::Empty, Cell::Empty],
                vec![t("No."), t("Action"), t("Deadline")],
                vec![t("1"), t("Train"), t("3 months")],
            ],
        };
        assert_eq!(guess_header_row(&grid), 3);
    }
}

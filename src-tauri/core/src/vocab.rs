//! The closed sets of the register, and the words people read for them.
//!
//! Every value that a stored column, an input or a screen takes from a fixed
//! list — a clause's status, an agreement's kind, a calendar, a column of
//! the clause table — is an enum here, with its stable code (what SQLite,
//! JSON and the command line hold) and its label in each interface language.
//! This is the one place those words live: the app exports [`vocabulary`]
//! into the TypeScript bindings, which the window's translations read; the
//! report's data carries the labels its template prints; the command line
//! lists the codes with their English labels as help. A language added later
//! is added here, once.
//!
//! This module is the bottom of the core: it imports nothing else of it.

use serde::{Deserialize, Serialize};

/// An interface language: of the window, of a report, of dates' digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    En,
    Fa,
}

impl Lang {
    pub const ALL: &'static [Lang] = &[Lang::En, Lang::Fa];

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fa => "fa",
        }
    }

    /// The code as stored, or `None` for any other text.
    pub fn from_code(s: &str) -> Option<Lang> {
        Lang::ALL.iter().copied().find(|l| l.as_str() == s)
    }
}

impl clap::ValueEnum for Lang {
    fn value_variants<'a>() -> &'a [Self] {
        Lang::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        // Each language is named in its own words, as a language menu does.
        let own = match self {
            Lang::En => "English",
            Lang::Fa => "Persian (فارسی)",
        };
        Some(clap::builder::PossibleValue::new(self.as_str()).help(own))
    }
}

/// A value's label in every interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    pub en: &'static str,
    pub fa: &'static str,
}

impl Label {
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Fa => self.fa,
        }
    }
}

/// A text that is not one of a closed set's codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {set} \"{value}\": use one of {allowed}")]
pub struct UnknownCode {
    /// The set, in words: "clause status".
    pub set: &'static str,
    pub value: String,
    /// The set's codes, separated by spaces.
    pub allowed: &'static str,
}

/// What every closed set offers: its codes, its labels, and strict parsing.
pub trait ClosedSet: Copy + Eq + Sized + 'static {
    /// The set, in words, for errors: "clause status".
    const SET: &'static str;
    /// Every value, in the order screens list them.
    fn all() -> &'static [Self];
    /// The stable code.
    fn code(self) -> &'static str;
    /// The words for it in each language.
    fn label(self) -> Label;

    /// The value whose code is `s` exactly.
    fn from_code(s: &str) -> Option<Self> {
        Self::all().iter().copied().find(|v| v.code() == s)
    }
}

macro_rules! closed_set {
    ($(#[$meta:meta])* $name:ident, $set:literal, {
        $($(#[$vmeta:meta])* $variant:ident => $code:literal, $en:literal, $fa:literal $(, aliases: [$($alias:literal),+])?);+ $(;)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code: what SQLite, JSON and the command line hold.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The value whose code is `s`, or an error that lists the codes.
            pub fn parse(s: &str) -> Result<Self, UnknownCode> {
                <Self as ClosedSet>::from_code(s).ok_or_else(|| UnknownCode {
                    set: $set,
                    value: s.to_owned(),
                    allowed: concat!($($code, " "),+).trim_ascii_end(),
                })
            }

            /// What a person reads for it, in `lang`.
            pub fn label(self, lang: Lang) -> &'static str {
                <Self as ClosedSet>::label(self).get(lang)
            }
        }

        impl ClosedSet for $name {
            const SET: &'static str = $set;

            fn all() -> &'static [Self] {
                Self::ALL
            }

            fn code(self) -> &'static str {
                self.as_str()
            }

            fn label(self) -> Label {
                match self { $($name::$variant => Label { en: $en, fa: $fa }),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl clap::ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                Self::ALL
            }

            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                let value = clap::builder::PossibleValue::new(self.as_str())
                    .help(<Self as ClosedSet>::label(*self).en);
                match self {
                    $($name::$variant => Some(value $($(.alias($alias))+)?)),+
                }
            }
        }
    };
}

closed_set!(
    /// A country or an organisation.
    PartnerKind, "partner kind", {
        Country => "country", "Country", "کشور";
        Organisation => "organisation", "Organisation", "سازمان", aliases: ["organization"];
    }
);

closed_set!(
    /// The kind of instrument signed.
    AgreementKind, "agreement kind", {
        Mou => "mou", "Memorandum of understanding", "تفاهم‌نامه";
        CooperationMemorandum => "cooperation_memorandum", "Memorandum of cooperation", "یادداشت تفاهم همکاری";
        ActionPlan => "action_plan", "Action plan", "برنامه اقدام";
        JointProject => "joint_project", "Joint project", "طرح مشترک";
        Other => "other", "Other agreement", "سند دیگر";
    }
);

closed_set!(
    /// Where an agreement stands as a whole.
    AgreementStatus, "agreement status", {
        Draft => "draft", "Draft", "پیش‌نویس";
        Signed => "signed", "Signed", "امضاشده";
        InForce => "in_force", "In force", "لازم‌الاجرا";
        Expired => "expired", "Expired", "منقضی";
        Terminated => "terminated", "Terminated", "خاتمه‌یافته";
    }
);

closed_set!(
    /// How far a clause got.
    ClauseStatus, "clause status", {
        NotStarted => "not_started", "Not started", "شروع‌نشده";
        InProgress => "in_progress", "In progress", "در حال انجام";
        Completed => "completed", "Completed", "انجام‌شده";
        OnHold => "on_hold", "On hold", "متوقف";
        Cancelled => "cancelled", "Cancelled", "لغوشده";
    }
);

impl ClauseStatus {
    /// Open clauses still owe work: they can be overdue.
    pub fn is_open(self) -> bool {
        matches!(self, ClauseStatus::NotStarted | ClauseStatus::InProgress | ClauseStatus::OnHold)
    }
}

closed_set!(
    /// The calendar an agreement is drafted in. It decides how "N months
    /// after signing" is counted.
    Calendar, "calendar", {
        Persian => "persian", "Solar Hijri", "هجری شمسی", aliases: ["solar_hijri", "jalali"];
        Gregorian => "gregorian", "Gregorian", "میلادی";
    }
);

closed_set!(
    /// How dates are shown: in one calendar or both.
    DateDisplay, "date display", {
        Both => "both", "Both calendars", "هر دو تقویم";
        Persian => "persian", "Solar Hijri only", "فقط هجری شمسی", aliases: ["solar_hijri", "jalali"];
        Gregorian => "gregorian", "Gregorian only", "فقط میلادی";
    }
);

// Written out: the enum comes from `closed_set!`, whose other sets have no
// default to derive.
#[allow(clippy::derivable_impls)]
impl Default for DateDisplay {
    fn default() -> Self {
        DateDisplay::Both
    }
}

closed_set!(
    /// The unit of a relative deadline.
    OffsetUnit, "deadline unit", {
        Days => "days", "days", "روز", aliases: ["day"];
        Months => "months", "months", "ماه", aliases: ["month"];
    }
);

closed_set!(
    /// The columns of the clause table, as the window and the PDF head them.
    ClauseColumn, "clause column", {
        Number => "number", "No.", "شماره";
        Text => "text", "Clause", "بند";
        OurLead => "our_lead", "Our lead body", "دستگاه مسئول ما";
        PartnerLead => "partner_lead", "Partner’s lead body", "دستگاه مسئول طرف مقابل";
        Deadline => "deadline", "Deadline", "مهلت";
        Status => "status", "Status", "وضعیت";
        LatestNote => "latest_note", "Latest note", "آخرین یادداشت";
    }
);

closed_set!(
    /// The summary figures of a dashboard and of a report. "Due soon" is
    /// [`crate::model::DUE_SOON_DAYS`] days ahead (a test keeps its words in
    /// step).
    Figure, "figure", {
        Clauses => "clauses", "Clauses", "بندها";
        Overdue => "overdue", "Overdue", "دارای تأخیر";
        DueSoon => "due_soon", "Due within 30 days", "مهلت در ۳۰ روز آینده";
        ByStatus => "by_status", "Clauses by status", "بندها بر پایه وضعیت";
    }
);

closed_set!(
    /// The columns of a spreadsheet of clauses: what an import can read from
    /// a column, and the heads an export writes (so an export reads back).
    /// `Group` names a row's parent clause; `Remarks` becomes a progress
    /// note. The derived columns an export adds are [`DerivedColumn`].
    SheetField, "sheet field", {
        Number => "number", "No.", "ردیف";
        Group => "group", "Group", "گروه";
        Text => "text", "Clause", "بند";
        OurLead => "our_lead", "Our lead body", "دستگاه مسئول ما";
        PartnerLead => "partner_lead", "Partner’s lead body", "دستگاه مسئول طرف مقابل";
        Deadline => "deadline", "Deadline", "مهلت";
        Status => "status", "Status", "وضعیت";
        Percent => "percent", "Percent done", "درصد پیشرفت";
        Indicator => "indicator", "Indicator", "شاخص";
        Themes => "themes", "Themes", "موضوع‌ها";
        Remarks => "remarks", "Remarks", "توضیحات";
    }
);

closed_set!(
    /// Columns an export writes that an import does not read back: they are
    /// computed from the others (the day a deadline falls, in each calendar)
    /// or name where a row belongs.
    DerivedColumn, "derived column", {
        Agreement => "agreement", "Agreement", "سند";
        DueOn => "due_on", "Due on", "سررسید";
        DueOnPersian => "due_on_persian", "Due on (Solar Hijri)", "سررسید (هجری شمسی)";
    }
);

closed_set!(
    /// How far a clause's deadline has come, as reminders tell it: past, or
    /// within one of the lead times (`store::reminders::LEAD_DAYS`), or
    /// within the lead time set on the clause itself.
    ReminderStage, "reminder stage", {
        Overdue => "overdue", "Overdue", "دارای تأخیر";
        DueTomorrow => "due_tomorrow", "Due within a day", "مهلت تا یک روز دیگر";
        DueWeek => "due_week", "Due within a week", "مهلت تا یک هفته دیگر";
        DueMonth => "due_month", "Due within 30 days", "مهلت در ۳۰ روز آینده";
        DueLead => "due_lead", "Due within the clause's own lead time", "مهلت در بازهٔ یادآوری خود بند";
    }
);

closed_set!(
    /// What sort of meeting it is.
    MeetingKind, "meeting kind", {
        JointCommission => "joint_commission", "Joint commission", "کمیسیون مشترک";
        Bilateral => "bilateral", "Bilateral meeting", "دیدار دوجانبه";
        WorkingGroup => "working_group", "Working group", "کارگروه";
        Visit => "visit", "Visit", "بازدید";
        Remote => "remote", "Remote meeting", "نشست مجازی";
    }
);

closed_set!(
    /// Where a meeting stands.
    MeetingStatus, "meeting status", {
        Planned => "planned", "Planned", "برنامه‌ریزی‌شده";
        Held => "held", "Held", "برگزارشده";
        Cancelled => "cancelled", "Cancelled", "لغوشده";
    }
);

closed_set!(
    /// Which side of a meeting a person or a task belongs to.
    Side, "side", {
        Ours => "ours", "Our side", "طرف ما";
        Theirs => "theirs", "Partner's side", "طرف مقابل";
    }
);

closed_set!(
    /// What an agenda item produced.
    OutcomeKind, "outcome kind", {
        Information => "information", "Information", "اطلاع";
        Decision => "decision", "Decision", "تصمیم";
        ClauseUpdate => "clause_update", "Clause update", "به‌روزرسانی بند";
        NewClause => "new_clause", "New clause", "بند تازه";
    }
);

closed_set!(
    /// Why "suggest an agenda" proposes a clause.
    AgendaReason, "agenda reason", {
        Overdue => "overdue", "Overdue", "دارای تأخیر";
        DueSoon => "due_soon", "Due before the meeting or within 30 days after it", "مهلت پیش از نشست یا تا ۳۰ روز پس از آن";
        Changed => "changed", "Changed since the last meeting", "تغییرکرده از نشست پیشین";
    }
);

closed_set!(
    /// A clause's fields as a change to it names them: in its history, in a
    /// meeting's review of proposed changes and in the minutes.
    ClauseField, "clause field", {
        Number => "number", "Number", "شماره";
        Text => "text", "Text", "متن";
        OurLead => "our_lead", "Our lead body", "دستگاه مسئول ما";
        PartnerLead => "partner_lead", "Partner’s lead body", "دستگاه مسئول طرف مقابل";
        Deadline => "deadline", "Deadline", "مهلت";
        Status => "status", "Status", "وضعیت";
        Percent => "percent", "Percent done", "درصد پیشرفت";
        Indicator => "indicator", "Indicator", "شاخص";
        Tags => "tags", "Themes", "موضوع‌ها";
    }
);

closed_set!(
    /// What kind of record a file is attached to.
    AttachmentOwner, "attachment owner", {
        Agreement => "agreement", "Agreement", "تفاهم‌نامه";
        Clause => "clause", "Clause", "بند";
        Meeting => "meeting", "Meeting", "نشست";
    }
);

closed_set!(
    /// How long a clause's reminders are snoozed.
    SnoozeLength, "snooze length", {
        Day => "day", "For a day", "برای یک روز";
        Week => "week", "For a week", "برای یک هفته";
    }
);

impl SnoozeLength {
    /// The length in days.
    pub fn days(self) -> i64 {
        match self {
            SnoozeLength::Day => 1,
            SnoozeLength::Week => 7,
        }
    }
}

closed_set!(
    /// Why a backup was made.
    BackupReason, "backup reason", {
        Daily => "daily", "Daily", "روزانه";
        Manual => "manual", "Made by hand", "دستی";
        BeforeMigration => "before_migration", "Before an upgrade", "پیش از ارتقا";
        BeforeImport => "before_import", "Before an import", "پیش از ورود داده";
        BeforeRestore => "before_restore", "Before a restore", "پیش از بازگردانی";
        BeforeExchange => "before_exchange", "Before receiving a file", "پیش از دریافت پرونده";
    }
);

closed_set!(
    /// What an exchange file carries.
    ExchangeScope, "exchange scope", {
        Changes => "changes", "Changes since the last file", "تغییرها از پرونده قبلی";
        Everything => "everything", "Everything", "همه چیز";
        Since => "since", "Records changed since a date", "سوابق تغییرکرده از یک تاریخ";
        Partner => "partner", "One partner in full", "یک طرف به‌طور کامل";
        Agreement => "agreement", "One agreement in full", "یک تفاهم‌نامه به‌طور کامل";
    }
);

impl ExchangeScope {
    /// Whether the file carries records as they stand (received as a
    /// snapshot) rather than entries of the sender's log.
    pub fn is_records(self) -> bool {
        matches!(self, ExchangeScope::Since | ExchangeScope::Partner | ExchangeScope::Agreement)
    }
}

closed_set!(
    /// Why a received change waits for the officer.
    ConflictKind, "conflict kind", {
        BothChanged => "both_changed", "Changed on both sides", "در هر دو سو تغییر کرده";
        DeletedThere => "deleted_there", "Deleted there, edited here", "آنجا حذف شده، اینجا ویرایش شده";
        DeletedHere => "deleted_here", "Deleted here, edited there", "اینجا حذف شده، آنجا ویرایش شده";
    }
);

closed_set!(
    /// What the officer chose for a conflict.
    ConflictChoice, "conflict choice", {
        Mine => "mine", "Keep mine", "نگه داشتن نسخه خودم";
        Theirs => "theirs", "Take theirs", "پذیرفتن نسخه آنها";
    }
);

closed_set!(
    /// Whether a file was sent or received.
    ExchangeDirection, "exchange direction", {
        Sent => "sent", "Sent", "فرستاده";
        Received => "received", "Received", "دریافت‌شده";
    }
);

/// One value of a closed set with its labels, as front ends receive it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Term<T> {
    pub value: T,
    pub en: &'static str,
    pub fa: &'static str,
}

/// Every closed set a person reads, each value with its labels, in the
/// order screens list them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Vocabulary {
    pub clause_status: Vec<Term<ClauseStatus>>,
    pub agreement_status: Vec<Term<AgreementStatus>>,
    pub agreement_kind: Vec<Term<AgreementKind>>,
    pub partner_kind: Vec<Term<PartnerKind>>,
    pub calendar: Vec<Term<Calendar>>,
    pub date_display: Vec<Term<DateDisplay>>,
    pub clause_column: Vec<Term<ClauseColumn>>,
    pub figure: Vec<Term<Figure>>,
    pub sheet_field: Vec<Term<SheetField>>,
    pub derived_column: Vec<Term<DerivedColumn>>,
    pub backup_reason: Vec<Term<BackupReason>>,
    pub reminder_stage: Vec<Term<ReminderStage>>,
    pub snooze_length: Vec<Term<SnoozeLength>>,
    pub meeting_kind: Vec<Term<MeetingKind>>,
    pub meeting_status: Vec<Term<MeetingStatus>>,
    pub side: Vec<Term<Side>>,
    pub outcome_kind: Vec<Term<OutcomeKind>>,
    pub agenda_reason: Vec<Term<AgendaReason>>,
    pub attachment_owner: Vec<Term<AttachmentOwner>>,
    pub clause_field: Vec<Term<ClauseField>>,
    pub exchange_scope: Vec<Term<ExchangeScope>>,
    pub conflict_kind: Vec<Term<ConflictKind>>,
    pub conflict_choice: Vec<Term<ConflictChoice>>,
    pub exchange_direction: Vec<Term<ExchangeDirection>>,
}

fn terms<T: ClosedSet>() -> Vec<Term<T>> {
    T::all()
        .iter()
        .map(|&value| {
            let Label { en, fa } = value.label();
            Term { value, en, fa }
        })
        .collect()
}

/// The whole vocabulary, for front ends.
pub fn vocabulary() -> Vocabulary {
    Vocabulary {
        clause_status: terms(),
        agreement_status: terms(),
        agreement_kind: terms(),
        partner_kind: terms(),
        calendar: terms(),
        date_display: terms(),
        clause_column: terms(),
        figure: terms(),
        sheet_field: terms(),
        derived_column: terms(),
        backup_reason: terms(),
        reminder_stage: terms(),
        snooze_length: terms(),
        meeting_kind: terms(),
        meeting_status: terms(),
        side: terms(),
        outcome_kind: terms(),
        agenda_reason: terms(),
        attachment_owner: terms(),
        clause_field: terms(),
        exchange_scope: terms(),
        conflict_kind: terms(),
        conflict_choice: terms(),
        exchange_direction: terms(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T: ClosedSet + std::fmt::Debug + Serialize>() {
        let mut codes = Vec::new();
        for &v in T::all() {
            let code = v.code();
            // JSON (serde) and SQLite/the CLI (the code) spell it the same.
            assert_eq!(serde_json::to_value(v).unwrap(), serde_json::Value::from(code), "{v:?}");
            assert!(code.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{code}");
            assert_eq!(T::from_code(code), Some(v));
            assert!(!codes.contains(&code), "{} {code} twice", T::SET);
            codes.push(code);
            let Label { en, fa } = v.label();
            assert!(!en.trim().is_empty() && !fa.trim().is_empty(), "{v:?} lacks a label");
            assert!(!fa.chars().any(|c| c.is_ascii_alphabetic()), "the Persian label of {v:?} has Latin letters: {fa}");
        }
        assert_eq!(T::from_code("no such code"), None);
    }

    #[test]
    fn every_set_has_unique_codes_and_labels_in_every_language() {
        check::<PartnerKind>();
        check::<AgreementKind>();
        check::<AgreementStatus>();
        check::<ClauseStatus>();
        check::<Calendar>();
        check::<DateDisplay>();
        check::<OffsetUnit>();
        check::<ClauseColumn>();
        check::<Figure>();
        check::<SheetField>();
        check::<DerivedColumn>();
        check::<BackupReason>();
        check::<ReminderStage>();
        check::<SnoozeLength>();
        check::<MeetingKind>();
        check::<MeetingStatus>();
        check::<Side>();
        check::<OutcomeKind>();
        check::<AgendaReason>();
        check::<ExchangeScope>();
        check::<ConflictKind>();
        check::<ConflictChoice>();
        check::<ExchangeDirection>();
    }

    #[test]
    fn labels_within_a_set_differ() {
        fn distinct<T: ClosedSet>() {
            for lang in Lang::ALL {
                let mut seen: Vec<&str> = Vec::new();
                for &v in T::all() {
                    let l = v.label().get(*lang);
                    assert!(!seen.contains(&l), "{} has \"{l}\" twice", T::SET);
                    seen.push(l);
                }
            }
        }
        distinct::<AgreementKind>();
        distinct::<AgreementStatus>();
        distinct::<ClauseStatus>();
        distinct::<ClauseColumn>();
        distinct::<SheetField>();
        distinct::<DerivedColumn>();
    }

    #[test]
    fn parse_names_the_set_and_its_codes() {
        let e = ClauseStatus::parse("done").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown clause status \"done\": use one of not_started in_progress completed on_hold cancelled"
        );
        assert_eq!(Calendar::parse("persian"), Ok(Calendar::Persian));
    }
}

//! `clausebook`: the headless command line over the register, for scripts,
//! tests and officers who like a terminal.
//!
//! Thin like the app's commands: each subcommand is one function that reads
//! its arguments, makes one call into the core and prints the answer. Every
//! closed set (kinds, statuses, languages, calendars) is the core's own enum
//! from `vocab`, which clap parses and lists in the help.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{NaiveDate, NaiveDateTime};
use clap::{Args, Parser, Subcommand};
use clausebook_core::calendar::{self, Calendar, CalendarError, DateDisplay, Lang};
use clausebook_core::clock;
use clausebook_core::deadline::Deadline;
use clausebook_core::demo::DemoError;
use clausebook_core::export::{self, ExportError, ExportScope, SheetFormat};
use clausebook_core::model::meeting::{NewAgendaItem, NewMeeting, NewOutcome, NewParticipant};
use clausebook_core::model::{
    AgreementKind, AgreementStatus, ClauseMove, ClausePatch, ClauseStatus, DueState, NewAgreement, NewClause, NewNote,
    NewPartner, PartnerKind, SettingsPatch, ValidationError,
};
use clausebook_core::report::{self, BriefSpec, ReportError, ReportOptions, ReportRequest};
use clausebook_core::sheet::{self, FieldColumn, ImportInto, ImportRequest, SheetChoice, SheetError, TextEncoding};
use clausebook_core::store::backup::BackupError;
use clausebook_core::vocab::{
    BackupReason, ConflictChoice, Figure, MeetingKind, MeetingStatus, OutcomeKind, SheetField, Side, SnoozeLength,
};
use clausebook_core::{Store, StoreError};
use serde::Serialize;

/// mimalloc rather than the system allocator: an import of a large sheet
/// makes and frees a few hundred thousand small strings, and glibc's free
/// took a quarter of the time (see docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `println!`, except that output piped into a reader that has gone (`head`,
/// a pager quit early) ends the program quietly, as it ends every other
/// command-line tool. Rust ignores SIGPIPE, so `println!` would panic with
/// "Broken pipe" instead.
macro_rules! say {
    ($($arg:tt)*) => {
        say(format_args!($($arg)*))
    };
}

fn say(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    if let Err(e) = writeln!(std::io::stdout().lock(), "{line}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        panic!("failed printing to stdout: {e}");
    }
}

/// Follow every clause of your memoranda and action plans to completion.
///
/// Clausebook keeps partners, agreements, clauses (with both sides' lead
/// bodies and deadlines) and dated progress notes in one SQLite file.
/// Dates may be typed as 2025-06-05 (Gregorian) or 1404/03/15 (Solar Hijri,
/// Persian digits welcome).
///
/// Start with:  clausebook demo   then   clausebook agreements
#[derive(Parser)]
#[command(name = "clausebook", version, max_term_width = 100)]
struct Cli {
    /// The database file. Default: $CLAUSEBOOK_DB, else the app's own
    /// database in your user data folder.
    #[arg(long, global = true, value_name = "FILE")]
    db: Option<PathBuf>,

    /// Print results as JSON (for scripts).
    #[arg(long, global = true)]
    json: bool,

    /// The day to measure deadlines against (default: $CLAUSEBOOK_TODAY,
    /// else today).
    #[arg(long, global = true, value_name = "DATE")]
    today: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create an empty database (or check an existing one).
    Init,
    /// Load the demo data (five real cooperation situations) into an empty database.
    Demo {
        /// Do nothing (and succeed) if the database already holds data.
        #[arg(long)]
        if_empty: bool,
    },
    /// List partners.
    Partners,
    /// Add a partner country or organisation.
    AddPartner(AddPartner),
    /// List agreements, optionally of one partner.
    Agreements {
        /// Only agreements this partner (id) is a party to.
        #[arg(long)]
        partner: Option<String>,
    },
    /// Add an agreement.
    AddAgreement(AddAgreement),
    /// Show an agreement's clauses as a tree, with status, deadline and latest note.
    Clauses {
        /// The agreement id (or a unique start of it).
        agreement: String,
    },
    /// Add a clause to an agreement.
    AddClause(AddClause),
    /// Change a clause (to move it, see move-clause).
    UpdateClause(UpdateClause),
    /// Move a clause, with its sub-clauses: one step, or under another clause.
    MoveClause(MoveClause),
    /// Add a dated progress note to a clause, optionally changing its status.
    Note(AddNote),
    /// Full-text search across agreements, clauses and notes.
    Search {
        /// Words to find (any script; Persian spelling variants are folded).
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// The dashboard: every partner's counts, overdue and due soon.
    Dashboard,
    /// Open clauses past their deadline, most overdue first.
    Overdue {
        #[arg(long)]
        partner: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// What deadline reminders tell today: open clauses overdue or due within
    /// 30, 7 or 1 days (or the clause's own lead time), less the snoozed.
    Reminders,
    /// Meetings by date, with how many agenda items, outcomes and changes to
    /// apply each has.
    Meetings {
        #[arg(long)]
        partner: Option<String>,
    },
    /// Record a meeting and work on it: agenda, outcomes, review, apply.
    #[command(subcommand)]
    Meeting(MeetingWhat),
    // Its help names the limit the store enforces, from the store.
    #[command(about = attach_about())]
    Attach {
        /// The agreement, clause or meeting id (or a unique start of it).
        id: String,
        file: PathBuf,
        /// The name to show (default: the file's own name).
        #[arg(long)]
        name: Option<String>,
    },
    /// The files attached to an agreement, a clause or a meeting.
    Attachments { id: String },
    /// Write an attached file out, or remove it (undo with `restore`).
    #[command(subcommand)]
    Attachment(AttachmentWhat),
    /// Exchange changes with colleagues' registers through .clausebook
    /// files: `send`, `receive`, then `conflicts` and `resolve` for fields
    /// both sides changed; `history` lists the files.
    #[command(subcommand)]
    Exchange(ExchangeWhat),
    /// A clause's reminder lead time: show it, or set how many days before
    /// its deadline it is first reminded of (`default`: 30, 7 and 1).
    Remind {
        /// The clause id (or a unique start of it).
        clause: String,
        /// Days before the deadline (1 to 365), or `default`.
        #[arg(long, value_name = "N|default", value_parser = lead_days)]
        days: Option<LeadDays>,
    },
    /// Snooze a clause's reminders for a day or a week.
    Snooze {
        /// The clause id (or a unique start of it).
        clause: String,
        #[arg(long = "for", value_enum, default_value_t = SnoozeLength::Day)]
        length: SnoozeLength,
    },
    /// The change history of a partner, agreement or clause.
    History {
        /// The record's id.
        id: String,
    },
    /// Delete a partner, agreement, clause (with its sub-clauses) or note; prints the undo id.
    #[command(subcommand)]
    Delete(DeleteWhat),
    /// Undo a deletion (`restore DELETION_ID`), or replace the register with
    /// a backup (`restore FILE`): the file is checked first and the register
    /// as it is now is backed up before it is replaced.
    Restore {
        /// The id `delete` printed, or a backup file.
        what: String,
    },
    /// Back the register up now: a checked copy with its manifest, in the
    /// `backups` folder beside the register (rotated: 7 daily, 4 weekly,
    /// 12 monthly) or in `--to DIR`.
    Backup {
        /// Another folder to write this one backup to (not rotated).
        #[arg(long)]
        to: Option<PathBuf>,
    },
    /// List the backups beside the register, newest first.
    Backups,
    /// Show or change settings (officer name, organisation, language, date display).
    Settings(SettingsArgs),
    /// Make a status report as PDF: `clausebook report agreement ID -o plan.pdf --lang fa`.
    #[command(subcommand)]
    Report(ReportWhat),
    /// Write clauses out as a workbook, CSV or calendar file, chosen by the
    /// file's extension: `clausebook export agreement ID -o plan.xlsx --lang fa`.
    #[command(subcommand)]
    Export(ExportWhat),
    /// Import an action plan from a workbook or CSV file (.xlsx, .xls, .ods,
    /// .csv) into a new agreement or an existing one; `--dry-run` lists what
    /// it would do, row by row, and writes nothing.
    Import(ImportArgs),
    /// Undo an import as one step: `clausebook undo-import IMPORT_ID`.
    UndoImport {
        /// The import's id, as `import` printed it.
        import_id: String,
    },
    /// Print a date in both calendars: `clausebook date 1404/03/15`.
    Date {
        /// A date: 2025-06-05, 1404/03/15 or ۱۴۰۴/۰۳/۱۵.
        date: String,
    },
}

#[derive(Args)]
struct ImportArgs {
    /// The workbook or CSV file.
    file: PathBuf,
    /// The sheet to read (default: the first with rows).
    #[arg(long)]
    sheet: Option<String>,
    /// The header row, from 1 (default: guessed from the header words).
    #[arg(long, value_name = "N")]
    header_row: Option<u32>,
    /// A CSV file's encoding (default: detected).
    #[arg(long, value_enum)]
    encoding: Option<TextEncoding>,
    /// A column for a field, as FIELD=COLUMN: the column by its header's text
    /// or its letter (`--map text=C --map deadline=Target date`). Without
    /// any, the columns are guessed from the heads (or remembered).
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    map: Vec<String>,
    /// Import into this agreement (id or a unique start of it): rows are
    /// matched on clause number, new ones added, changed ones updated.
    #[arg(long, conflicts_with_all = ["partner", "title"])]
    agreement: Option<String>,
    /// The partner of a new agreement.
    #[arg(long, requires = "title")]
    partner: Option<String>,
    /// The title of a new agreement.
    #[arg(long, requires = "partner")]
    title: Option<String>,
    /// The new agreement's kind.
    #[arg(long, value_enum, default_value = "action_plan")]
    kind: AgreementKind,
    /// The new agreement's signing date (relative deadlines count from it).
    #[arg(long, value_name = "DATE")]
    signed: Option<String>,
    /// The new agreement's calendar (relative deadlines count in it).
    #[arg(long, value_enum, default_value = "gregorian")]
    calendar: Calendar,
    /// Import rows whose unreadable values are left out.
    #[arg(long)]
    drop_unreadable: bool,
    /// List what the import would do, and write nothing.
    #[arg(long)]
    dry_run: bool,
}

#[derive(Subcommand)]
enum DeleteWhat {
    /// A partner that no live agreement names.
    Partner {
        /// The partner id.
        id: String,
    },
    /// An agreement, with its clauses and their notes.
    Agreement {
        /// The agreement id.
        id: String,
    },
    /// A clause, with its sub-clauses and their notes.
    Clause {
        /// The clause id.
        id: String,
    },
    /// A progress note.
    Note {
        /// The note id.
        id: String,
    },
}

#[derive(Subcommand)]
enum ReportWhat {
    /// One agreement with all its clauses.
    Agreement {
        /// The agreement id.
        id: String,
        #[command(flatten)]
        common: ReportCommon,
    },
    /// Every agreement with one partner.
    Partner {
        /// The partner id.
        id: String,
        #[command(flatten)]
        common: ReportCommon,
    },
    /// A meeting brief: chosen agreements or clauses, what is overdue, what
    /// falls due before a date, and the progress recorded since a date.
    Brief {
        /// An agreement to show in full; repeat for several.
        #[arg(long = "agreement")]
        agreements: Vec<String>,
        /// A clause to show; repeat for several.
        #[arg(long = "clause")]
        clauses: Vec<String>,
        /// Limit overdue, due and progress to one partner.
        #[arg(long)]
        partner: Option<String>,
        /// Include what is overdue.
        #[arg(long)]
        overdue: bool,
        /// Include open clauses due from today up to this date.
        #[arg(long, value_name = "DATE")]
        due_before: Option<String>,
        /// Include progress notes dated on or after this date.
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// The brief's title (e.g. the meeting).
        #[arg(long)]
        title: Option<String>,
        /// Prepare a planned meeting: its title, its agenda's clauses, what
        /// is overdue or due by the meeting plus 30 days, and the progress
        /// since the last meeting with its partner (other options add to it).
        #[arg(long)]
        meeting: Option<String>,
        #[command(flatten)]
        common: ReportCommon,
    },
    /// The minutes of a meeting: participants, agenda with outcomes,
    /// decisions, the changes applied and the attached files.
    Minutes {
        /// The meeting id.
        id: String,
        #[command(flatten)]
        common: ReportCommon,
    },
}

#[derive(Subcommand)]
enum AttachmentWhat {
    /// Write the file to FILE.
    Save {
        id: String,
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Remove it from its record; prints the deletion id `restore` takes.
    Remove { id: String },
}

#[derive(Subcommand)]
enum ExchangeWhat {
    /// Write an exchange file: by default the changes since the last file
    /// sent to `--to NAME` (everything, the first time).
    Send {
        /// The colleague (or registrar) it is for; files to one name
        /// continue where the last one stopped.
        #[arg(long, value_name = "NAME")]
        to: Option<String>,
        /// The whole log, whatever was sent before.
        #[arg(long, conflicts_with_all = ["since", "partner", "agreement"])]
        everything: bool,
        /// The agreements with anything changed on or after DATE, in full.
        #[arg(long, value_name = "DATE", conflicts_with_all = ["partner", "agreement"])]
        since: Option<String>,
        /// One partner with its agreements, in full (for a colleague who has none of them).
        #[arg(long, value_name = "ID", conflicts_with = "agreement")]
        partner: Option<String>,
        /// One agreement in full.
        #[arg(long, value_name = "ID")]
        agreement: Option<String>,
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Receive a colleague's exchange file: checked whole, backed up first,
    /// applied in one step; `--dry-run` tells what it would do.
    Receive {
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
    },
    /// The fields both sides changed, waiting for a choice.
    Conflicts,
    /// Choose for a conflict: keep this register's value, or take theirs.
    Resolve {
        id: String,
        #[arg(value_enum)]
        choice: ConflictChoice,
    },
    /// The files sent and received, newest first.
    History,
}

#[derive(Subcommand)]
enum ExportWhat {
    /// One agreement's clauses.
    Agreement {
        /// The agreement id.
        id: String,
        #[command(flatten)]
        common: ExportCommon,
    },
    /// The clauses of every agreement with one partner.
    Partner {
        /// The partner id.
        id: String,
        #[command(flatten)]
        common: ExportCommon,
    },
    /// The clauses of every agreement.
    All {
        #[command(flatten)]
        common: ExportCommon,
    },
}

#[derive(Args)]
struct ExportCommon {
    /// Where to write: .xlsx (a sheet per agreement), .csv (one table) or
    /// .ics (the open clauses' deadlines as calendar events).
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    /// Language of the heads, statuses and Solar Hijri dates (default: the
    /// language in settings).
    #[arg(long, value_enum)]
    lang: Option<Lang>,
}

#[derive(Args)]
struct ReportCommon {
    /// Where to write the PDF.
    #[arg(short, long, value_name = "FILE.pdf")]
    output: PathBuf,
    /// Report language (Persian reads right to left, with Persian digits).
    #[arg(long, value_enum, default_value_t = Lang::En)]
    lang: Lang,
    /// Write PDF/A-2b, for archiving.
    #[arg(long)]
    pdf_a: bool,
    /// Reference number for the letterhead.
    #[arg(long)]
    reference: Option<String>,
    /// Attachments line for the letterhead.
    #[arg(long)]
    attachments: Option<String>,
}

#[derive(Args)]
struct AddPartner {
    /// English name.
    name: String,
    /// A country or an organisation.
    #[arg(long, value_enum, default_value_t = PartnerKind::Country)]
    kind: PartnerKind,
    #[arg(long)]
    name_fa: Option<String>,
    #[arg(long)]
    name_local: Option<String>,
    /// Language code of --name-local, e.g. tg or uz.
    #[arg(long)]
    local_lang: Option<String>,
}

#[derive(Args)]
struct AddAgreement {
    title: String,
    /// Partner id of a party; repeat for several parties.
    #[arg(long = "party", required = true)]
    parties: Vec<String>,
    /// The kind of instrument signed.
    #[arg(long, value_enum, default_value_t = AgreementKind::Mou)]
    kind: AgreementKind,
    /// Where the agreement stands as a whole.
    #[arg(long, value_enum, default_value_t = AgreementStatus::Draft)]
    status: AgreementStatus,
    /// The calendar it is drafted in: relative deadlines count months in it.
    #[arg(long, value_enum, default_value_t = Calendar::Gregorian)]
    calendar: Calendar,
    #[arg(long)]
    signed_on: Option<String>,
    #[arg(long)]
    in_force_from: Option<String>,
    #[arg(long)]
    in_force_until: Option<String>,
    #[arg(long)]
    reference: Option<String>,
    #[arg(long)]
    our_signatory: Option<String>,
    #[arg(long)]
    source: Option<String>,
    #[arg(long)]
    summary: Option<String>,
}

#[derive(Args)]
struct AddClause {
    /// The agreement id.
    agreement: String,
    /// The clause number, e.g. 3 or 3.1.
    #[arg(long)]
    number: String,
    #[arg(long)]
    text: String,
    /// Parent clause id, for a sub-clause or action.
    #[arg(long)]
    parent: Option<String>,
    #[arg(long)]
    our_lead: Option<String>,
    #[arg(long)]
    partner_lead: Option<String>,
    /// A date, or "3 months" / "90 days" after signing.
    #[arg(long)]
    deadline: Option<String>,
    /// How far the clause got.
    #[arg(long, value_enum, default_value_t = ClauseStatus::NotStarted)]
    status: ClauseStatus,
    #[arg(long)]
    percent: Option<u8>,
    /// What counts as done.
    #[arg(long)]
    indicator: Option<String>,
    /// A theme; repeat for several.
    #[arg(long = "tag")]
    tags: Vec<String>,
}

#[derive(Args)]
struct UpdateClause {
    /// The clause id.
    clause: String,
    #[arg(long)]
    number: Option<String>,
    #[arg(long)]
    text: Option<String>,
    #[arg(long)]
    our_lead: Option<String>,
    #[arg(long)]
    partner_lead: Option<String>,
    /// A date, "3 months" after signing, or "none".
    #[arg(long)]
    deadline: Option<String>,
    #[arg(long, value_enum)]
    status: Option<ClauseStatus>,
    #[arg(long)]
    percent: Option<u8>,
    #[arg(long)]
    indicator: Option<String>,
    /// Replace the themes; repeat for several.
    #[arg(long = "tag")]
    tags: Option<Vec<String>>,
}

#[derive(Args)]
struct MoveClause {
    /// The clause id.
    clause: String,
    #[command(flatten)]
    to: MoveTo,
    /// With --under or --top: its place among its new siblings, counting
    /// from 0 (default: last).
    #[arg(long, value_name = "N", conflicts_with_all = ["up", "down", "indent", "outdent"])]
    index: Option<u32>,
}

/// Where a clause goes: exactly one of these.
#[derive(Args)]
#[group(required = true, multiple = false)]
struct MoveTo {
    /// One place up among its siblings.
    #[arg(long)]
    up: bool,
    /// One place down among its siblings.
    #[arg(long)]
    down: bool,
    /// Make it the last sub-clause of the clause above it.
    #[arg(long)]
    indent: bool,
    /// Move it out one level, right after its parent.
    #[arg(long)]
    outdent: bool,
    /// Under this parent clause.
    #[arg(long, value_name = "PARENT_ID")]
    under: Option<String>,
    /// To the top level.
    #[arg(long)]
    top: bool,
}

impl MoveTo {
    /// The move the flags ask for; clap has checked that exactly one is set.
    fn into_move(self, index: Option<u32>) -> ClauseMove {
        match self {
            MoveTo { up: true, .. } => ClauseMove::Up,
            MoveTo { down: true, .. } => ClauseMove::Down,
            MoveTo { indent: true, .. } => ClauseMove::Indent,
            MoveTo { outdent: true, .. } => ClauseMove::Outdent,
            // `--under PARENT_ID`, or `--top` (no parent).
            MoveTo { under, .. } => ClauseMove::Under { parent: under, index },
        }
    }
}

#[derive(Args)]
struct AddNote {
    /// The clause id.
    clause: String,
    /// What happened.
    text: String,
    /// The day it happened (default: today).
    #[arg(long)]
    on: Option<String>,
    /// Change the clause's status with this note.
    #[arg(long, value_enum)]
    status: Option<ClauseStatus>,
    /// Default: the officer name in settings.
    #[arg(long)]
    author: Option<String>,
}

#[derive(Args)]
struct SettingsArgs {
    #[arg(long)]
    officer: Option<String>,
    #[arg(long)]
    organisation: Option<String>,
    /// The interface language.
    #[arg(long, value_enum)]
    language: Option<Lang>,
    /// The calendars dates are shown in.
    #[arg(long, value_enum)]
    dates: Option<DateDisplay>,
    /// Deadline reminders as desktop notifications in the app.
    #[arg(long, value_name = "on|off", value_parser = on_off)]
    reminders: Option<bool>,
    /// Closing the app's window leaves it running in the tray.
    #[arg(long, value_name = "on|off", value_parser = on_off)]
    tray: Option<bool>,
}

/// A meeting to record, or one to work on.
#[derive(Subcommand)]
enum MeetingWhat {
    /// Record a meeting.
    Add(AddMeeting),
    /// A meeting with its participants, agenda and outcomes.
    Show { meeting: String },
    /// Mark a meeting planned, held or cancelled.
    Status {
        meeting: String,
        #[arg(value_enum)]
        status: MeetingStatus,
    },
    /// What to put on the agenda: overdue clauses of its agreements, those
    /// due by the meeting plus 30 days, and those changed since the last
    /// meeting with the same partner.
    Suggest { meeting: String },
    /// Add items to the agenda: clauses (`--clause`), free text (`--text`),
    /// or everything suggested (`--suggested`).
    Agenda {
        meeting: String,
        #[arg(long = "clause")]
        clauses: Vec<String>,
        #[arg(long = "text")]
        texts: Vec<String>,
        #[arg(long)]
        suggested: bool,
    },
    /// Record what an agenda item produced.
    Outcome(AddOutcome),
    /// The changes the outcomes propose, as now → proposed.
    Review { meeting: String },
    /// Apply the proposed changes (all not applied yet, or the outcomes named).
    Apply { meeting: String, outcomes: Vec<String> },
}

#[derive(Args)]
struct AddMeeting {
    #[arg(long)]
    title: String,
    #[arg(long, value_enum, default_value_t = MeetingKind::Bilateral)]
    kind: MeetingKind,
    /// The day: 2026-12-10 or 1405/09/19.
    #[arg(long)]
    date: String,
    /// The calendar the date is shown in.
    #[arg(long, value_enum, default_value_t = Calendar::Gregorian)]
    calendar: Calendar,
    /// Start time, HH:MM.
    #[arg(long)]
    time: Option<String>,
    #[arg(long, conflicts_with = "remote")]
    place: Option<String>,
    #[arg(long)]
    remote: bool,
    #[arg(long, value_enum, default_value_t = MeetingStatus::Planned)]
    status: MeetingStatus,
    /// The next meeting's day.
    #[arg(long)]
    next: Option<String>,
    /// A partner (id); repeat for several.
    #[arg(long = "partner", required = true)]
    partners: Vec<String>,
    /// An agreement it concerns (id); repeat for several.
    #[arg(long = "agreement")]
    agreements: Vec<String>,
    /// A participant on our side: "Name|Position|Body"; repeat for several.
    #[arg(long = "ours")]
    ours: Vec<String>,
    /// A participant on the partner's side: "Name|Position|Body".
    #[arg(long = "theirs")]
    theirs: Vec<String>,
}

#[derive(Args)]
struct AddOutcome {
    /// The agenda item (id).
    item: String,
    #[arg(long, value_enum)]
    kind: OutcomeKind,
    /// What was said or decided.
    #[arg(long)]
    text: Option<String>,
    /// Who carries a decision out: "ours:Name" or "theirs:Name".
    #[arg(long)]
    owner: Option<String>,
    /// By when a decision is carried out.
    #[arg(long)]
    due: Option<String>,
    /// A clause update: the proposed status.
    #[arg(long, value_enum)]
    status: Option<ClauseStatus>,
    /// A clause update: the proposed percent done.
    #[arg(long)]
    percent: Option<u8>,
    /// A clause update: the proposed deadline (a date, "3 months", "none").
    #[arg(long)]
    deadline: Option<String>,
    #[arg(long)]
    our_lead: Option<String>,
    #[arg(long)]
    partner_lead: Option<String>,
    /// A new clause: its agreement, number and text (and --parent).
    #[arg(long)]
    agreement: Option<String>,
    #[arg(long)]
    number: Option<String>,
    #[arg(long)]
    clause_text: Option<String>,
    #[arg(long)]
    parent: Option<String>,
}

/// "Name|Position|Body" on `side`.
fn participant(side: Side, s: &str) -> NewParticipant {
    let mut parts = s.split('|').map(str::trim);
    let name = parts.next().unwrap_or_default().to_owned();
    let mut next = || parts.next().filter(|p| !p.is_empty()).map(str::to_owned);
    let role = next();
    let body = next();
    NewParticipant { side, name, role, body }
}

fn meetings(cx: &mut Ctx, partner: Option<&str>) -> Out {
    let dates = cx.dates()?;
    let list = cx.store()?.meetings(partner)?;
    cx.print(&list, |list| {
        if list.is_empty() {
            say!("no meetings yet");
        }
        for m in list {
            let with: Vec<&str> = m.partners.iter().map(|p| p.name.as_str()).collect();
            say!(
                "{}  {:<9} {} — {} ({} items, {} outcomes, {} to apply)\n    id {}",
                dates(m.on_date),
                m.status.as_str(),
                m.title,
                with.join(", "),
                m.items,
                m.outcomes,
                m.pending,
                m.id
            );
        }
    })
}

fn meeting(cx: &mut Ctx, what: MeetingWhat) -> Out {
    let today = cx.today;
    let dates = cx.dates()?;
    match what {
        MeetingWhat::Add(a) => {
            let mut participants: Vec<NewParticipant> = a.ours.iter().map(|p| participant(Side::Ours, p)).collect();
            participants.extend(a.theirs.iter().map(|p| participant(Side::Theirs, p)));
            let new = NewMeeting {
                title: a.title,
                kind: a.kind,
                on_date: calendar::parse_date(&a.date)?,
                calendar: a.calendar,
                starts_at: a.time,
                place: a.place,
                remote: a.remote,
                status: a.status,
                next_on: date_arg(a.next.as_deref())?,
                partner_ids: a.partners,
                agreement_ids: a.agreements,
                participants,
            };
            let m = cx.store()?.create_meeting(new)?;
            cx.print(&m, |m| say!("{}", m.id))
        }
        MeetingWhat::Show { meeting } => {
            let d = cx.store()?.meeting(&meeting)?;
            cx.print(&d, |d| {
                let m = &d.meeting;
                say!("{} ({}, {})", m.title, m.kind.label(Lang::En), m.status.label(Lang::En));
                let place = if m.remote { "remote".to_owned() } else { m.place.clone().unwrap_or_default() };
                say!("  {} {}  {place}", dates(m.on_date), m.starts_at.as_deref().unwrap_or(""));
                for p in &m.participants {
                    let more: Vec<&str> = [p.role.as_deref(), p.body.as_deref()].into_iter().flatten().collect();
                    say!("  {:<15} {} {}", p.side.label(Lang::En), p.name, more.join(", "));
                }
                for item in &d.agenda {
                    let what = match (&item.clause, &item.text) {
                        (Some(c), Some(t)) => format!("clause {} — {t}", c.number),
                        (Some(c), None) => {
                            format!("clause {} {}", c.number, c.text.chars().take(60).collect::<String>())
                        }
                        (None, Some(t)) => t.clone(),
                        (None, None) => String::new(),
                    };
                    say!("  {}. {what}\n     item {}", item.position, item.id);
                    for o in &item.outcomes {
                        let state = if o.pending() {
                            " (to apply)"
                        } else if o.applied_at.is_some() {
                            " (applied)"
                        } else {
                            ""
                        };
                        say!("     - {}{state}: {}", o.kind.label(Lang::En), o.text.as_deref().unwrap_or(""));
                    }
                }
            })
        }
        MeetingWhat::Status { meeting, status } => {
            let m = cx.store()?.set_meeting_status(&meeting, status)?;
            cx.print(&m, |m| say!("{} is {}", m.title, m.status.as_str()))
        }
        MeetingWhat::Suggest { meeting } => {
            let list = cx.store()?.suggest_agenda(&meeting, today)?;
            cx.print(&list, |list| {
                if list.is_empty() {
                    say!("nothing to suggest");
                }
                for s in list {
                    let why: Vec<&str> = s.reasons.iter().map(|r| r.as_str()).collect();
                    let text: String = s.clause.text.chars().take(60).collect();
                    say!("{} › {} {text}  [{}]", s.clause.agreement_title, s.clause.number, why.join(", "));
                }
            })
        }
        MeetingWhat::Agenda { meeting, clauses, texts, suggested } => {
            let store = cx.store()?;
            let mut items: Vec<NewAgendaItem> =
                clauses.into_iter().map(|c| NewAgendaItem { clause_id: Some(c), text: None }).collect();
            if suggested {
                items.extend(
                    store
                        .suggest_agenda(&meeting, today)?
                        .into_iter()
                        .map(|s| NewAgendaItem { clause_id: Some(s.clause.id), text: None }),
                );
            }
            items.extend(texts.into_iter().map(|t| NewAgendaItem { clause_id: None, text: Some(t) }));
            let d = store.add_agenda_items(&meeting, items)?;
            cx.print(&d, |d| say!("the agenda has {} items", d.agenda.len()))
        }
        MeetingWhat::Outcome(o) => {
            let (owner_side, owner) = match o.owner.as_deref().map(|s| s.split_once(':')) {
                Some(Some((side, name))) => (
                    Some(Side::parse(side.trim()).map_err(|e| StoreError::from(ValidationError::from(e)))?),
                    Some(name.trim().to_owned()),
                ),
                Some(None) => (None, o.owner.clone()),
                None => (None, None),
            };
            let update = (o.kind == OutcomeKind::ClauseUpdate).then(|| -> Result<ClausePatch, Failure> {
                Ok(ClausePatch {
                    status: o.status,
                    percent: o.percent.map(Some),
                    deadline: deadline_arg(o.deadline.as_deref())?,
                    our_lead: o.our_lead.clone().map(Some),
                    partner_lead: o.partner_lead.clone().map(Some),
                    ..ClausePatch::default()
                })
            });
            let new_clause = (o.kind == OutcomeKind::NewClause).then(|| -> Result<NewClause, Failure> {
                let mut c = NewClause::new(
                    o.agreement.clone().unwrap_or_default(),
                    o.number.clone().unwrap_or_default(),
                    o.clause_text.clone().unwrap_or_default(),
                );
                c.parent_id = o.parent.clone();
                c.our_lead = o.our_lead.clone();
                c.partner_lead = o.partner_lead.clone();
                c.deadline = deadline_arg(o.deadline.as_deref())?.unwrap_or_default();
                Ok(c)
            });
            let new = NewOutcome {
                item_id: o.item,
                kind: o.kind,
                text: o.text,
                owner_side,
                owner,
                due_on: date_arg(o.due.as_deref())?,
                update: update.transpose()?,
                new_clause: new_clause.transpose()?,
            };
            let added = cx.store()?.add_outcome(new)?;
            cx.print(&added, |o| say!("{}", o.id))
        }
        MeetingWhat::Review { meeting } => {
            let list = cx.store()?.review(&meeting)?;
            cx.print(&list, |list| {
                if list.is_empty() {
                    say!("no changes proposed");
                }
                for r in list {
                    let state = if r.applied { "applied" } else { "to apply" };
                    say!(
                        "item {} › {} clause {} ({state})  outcome {}",
                        r.item,
                        r.agreement_title,
                        r.number,
                        r.outcome_id
                    );
                    for c in &r.changes {
                        say!(
                            "    {}: {} → {}",
                            c.field,
                            c.old.as_deref().unwrap_or("—"),
                            c.new.as_deref().unwrap_or("—")
                        );
                    }
                }
            })
        }
        MeetingWhat::Apply { meeting, outcomes } => {
            let only = (!outcomes.is_empty()).then_some(outcomes);
            let applied = cx.store()?.apply_outcomes(&meeting, only, today)?;
            cx.print(&applied, |a| {
                say!("{} clauses updated, {} created, {} progress notes written", a.updated, a.created, a.notes)
            })
        }
    }
}

/// A lead time asked for on the command line.
#[derive(Clone, Copy)]
enum LeadDays {
    Default,
    Days(i64),
}

/// Reads a number of days or "default"; the range is the core's to check.
fn lead_days(s: &str) -> Result<LeadDays, String> {
    match s {
        "default" => Ok(LeadDays::Default),
        _ => s.parse().map(LeadDays::Days).map_err(|_| format!("\"{s}\": say a number of days, or default")),
    }
}

/// Reads "on" or "off".
fn on_off(s: &str) -> Result<bool, String> {
    match s {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(format!("\"{s}\": say on or off")),
    }
}

/// A failure with the exit code it maps to: 2 for what the user should fix,
/// 3 for a missing record, 1 for anything else.
struct Failure {
    message: String,
    code: &'static str,
    exit: u8,
}

/// The exit code of a store error.
fn exit_code(e: &StoreError) -> u8 {
    match e {
        StoreError::NotFound { .. } | StoreError::NothingToRestore(_) => 3,
        StoreError::Sqlite(_)
        | StoreError::Open { .. }
        | StoreError::Migration(_)
        | StoreError::Busy
        | StoreError::DiskFull
        | StoreError::ReadOnly
        | StoreError::BackupFirst { .. } => 1,
        _ => 2,
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure { code: e.code(), exit: exit_code(&e), message: e.to_string() }
    }
}

impl From<CalendarError> for Failure {
    fn from(e: CalendarError) -> Self {
        StoreError::from(e).into()
    }
}

impl From<ReportError> for Failure {
    fn from(e: ReportError) -> Self {
        let exit = match &e {
            ReportError::Store(e) => exit_code(e),
            ReportError::Typeset(_) | ReportError::Pdf(_) => 1,
            ReportError::Write { .. } | ReportError::EmptyBrief => 2,
        };
        Failure { code: e.code(), exit, message: e.to_string() }
    }
}

impl From<BackupError> for Failure {
    fn from(e: BackupError) -> Self {
        let exit = match &e {
            BackupError::Store(e) => exit_code(e),
            BackupError::Write { .. } | BackupError::Read { .. } | BackupError::NoFolder => 1,
            _ => 2,
        };
        Failure { code: e.code(), exit, message: e.to_string() }
    }
}

impl From<SheetError> for Failure {
    fn from(e: SheetError) -> Self {
        let exit = match &e {
            SheetError::Store(e) => exit_code(e),
            SheetError::Import(e) => exit_code(&e.source),
            SheetError::Unreadable { .. } => 1,
            _ => 2,
        };
        Failure { code: e.code(), exit, message: e.to_string() }
    }
}

impl From<ExportError> for Failure {
    fn from(e: ExportError) -> Self {
        let exit = match &e {
            ExportError::Store(e) => exit_code(e),
            ExportError::Xlsx(_) => 1,
            ExportError::UnknownFormat { .. }
            | ExportError::Empty
            | ExportError::CellTooLong { .. }
            | ExportError::TooManyRows { .. }
            | ExportError::Write { .. } => 2,
        };
        Failure { code: e.code(), exit, message: e.to_string() }
    }
}

impl From<DemoError> for Failure {
    fn from(e: DemoError) -> Self {
        let exit = match &e {
            DemoError::Store(e) => exit_code(e),
            DemoError::Import(e) => exit_code(&e.source),
            // The bundled dataset is broken: a defect in Clausebook.
            DemoError::Malformed(_) | DemoError::UnknownPartner(_) | DemoError::UnknownReference(_) => 1,
        };
        Failure { code: e.code(), exit, message: e.to_string() }
    }
}

type Out = Result<(), Failure>;

fn default_db() -> PathBuf {
    if let Some(p) = std::env::var_os("CLAUSEBOOK_DB") {
        return PathBuf::from(p);
    }
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("org.clausebook.app").join("clausebook.sqlite3")
}

/// The `attach` command's help, with the largest file the store takes.
fn attach_about() -> String {
    format!(
        "Attach a file (at most {} MB) to an agreement, a clause or a meeting; it is stored inside the register",
        clausebook_core::model::attachment::MAX_BYTES / (1024 * 1024)
    )
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if json {
                say!("{}", serde_json::json!({"error": {"code": f.code, "message": f.message}}));
            } else {
                eprintln!("clausebook: {}", f.message);
            }
            ExitCode::from(f.exit)
        }
    }
}

/// What every subcommand works with: the register (opened when first
/// needed, so `date` touches no file), the moment it is seen at, and how to
/// print.
struct Ctx {
    db: PathBuf,
    store: Option<Store>,
    json: bool,
    /// The day deadlines are measured against.
    today: NaiveDate,
    /// The moment a report is stamped with: `today` at the clock's time.
    now: NaiveDateTime,
}

impl Ctx {
    /// The moment from `--today` at the current time, else from the core's
    /// clock (which honours `CLAUSEBOOK_TODAY`). Today is that moment's day,
    /// so the two always agree.
    fn new(db: PathBuf, json: bool, today: Option<&str>) -> Result<Ctx, Failure> {
        let now = clock::now();
        let now = match today {
            Some(day) => calendar::parse_date(day)?.and_time(now.time()),
            None => now,
        };
        Ok(Ctx { db, store: None, json, today: now.date(), now })
    }

    /// The register, opened on first use.
    fn store(&mut self) -> Result<&mut Store, Failure> {
        let store = match self.store.take() {
            Some(store) => store,
            None => {
                let mut store = Store::open(&self.db)?;
                store.enable_auto_backups();
                store
            }
        };
        Ok(self.store.insert(store))
    }

    /// How text shows a date: as the register's settings say, in English.
    fn dates(&mut self) -> Result<impl Fn(NaiveDate) -> String + use<>, Failure> {
        let display = self.store()?.settings()?.date_display;
        Ok(move |d| calendar::format_date(d, display, Lang::En))
    }

    /// Prints `value` as JSON under `--json`, else as `text` words it.
    fn print<T: Serialize>(&self, value: &T, text: impl FnOnce(&T)) -> Out {
        if self.json {
            print_json(value);
        } else {
            text(value);
        }
        Ok(())
    }
}

fn print_json<T: Serialize>(value: &T) {
    say!("{}", serde_json::to_string_pretty(value).expect("serialisable"));
}

fn date_arg(s: Option<&str>) -> Result<Option<NaiveDate>, Failure> {
    Ok(s.map(calendar::parse_date).transpose()?)
}

fn deadline_arg(s: Option<&str>) -> Result<Option<Deadline>, Failure> {
    Ok(s.map(Deadline::parse).transpose()?)
}

fn run(cli: Cli) -> Out {
    let db = cli.db.unwrap_or_else(default_db);
    let cx = &mut Ctx::new(db, cli.json, cli.today.as_deref())?;
    let out = command(cx, cli.command);
    // An import's backup of the register as it was before it is made beside
    // the import: its answer is printed first, then the process waits for
    // the backup. A backup that failed fails the command (the import stays).
    let mut failed = None;
    if let Some(store) = cx.store.as_mut() {
        if store.backups_under_way() > 0 {
            eprintln!("clausebook: finishing the backup of the register as it was before the import…");
        }
        for made in store.finish_backups() {
            match made {
                Ok(made) if !cx.json => say!("kept a backup of the register as it was before: {}", made.path),
                Ok(_) => {}
                Err(e) => {
                    eprintln!(
                        "clausebook: the backup of the register as it was before the import failed. \
                         The import is in the register; `clausebook undo-import` takes it back."
                    );
                    failed.get_or_insert(Failure::from(e));
                }
            }
        }
    }
    match (out, failed) {
        (Ok(()), Some(f)) => Err(f),
        (out, _) => out,
    }
}

/// Runs one subcommand.
fn command(cx: &mut Ctx, command: Command) -> Out {
    match command {
        Command::Init => init(cx),
        Command::Demo { if_empty } => demo(cx, if_empty),
        Command::Partners => partners(cx),
        Command::AddPartner(a) => add_partner(cx, a),
        Command::Agreements { partner } => agreements(cx, partner.as_deref()),
        Command::AddAgreement(a) => add_agreement(cx, a),
        Command::Clauses { agreement } => clauses(cx, &agreement),
        Command::AddClause(a) => add_clause(cx, a),
        Command::UpdateClause(u) => update_clause(cx, u),
        Command::MoveClause(m) => move_clause(cx, m),
        Command::Note(n) => note(cx, n),
        Command::Search { query, limit } => search(cx, &query, limit),
        Command::Dashboard => dashboard(cx),
        Command::Overdue { partner, limit } => overdue(cx, partner.as_deref(), limit),
        Command::History { id } => history(cx, &id),
        Command::Delete(what) => delete(cx, what),
        Command::Restore { what } if Path::new(&what).is_file() => restore_backup(cx, Path::new(&what)),
        Command::Restore { what } => restore(cx, &what),
        Command::Backup { to } => backup(cx, to.as_deref()),
        Command::Backups => backups(cx),
        Command::Reminders => reminders(cx),
        Command::Snooze { clause, length } => snooze(cx, &clause, length),
        Command::Remind { clause, days } => remind(cx, &clause, days),
        Command::Meetings { partner } => meetings(cx, partner.as_deref()),
        Command::Meeting(what) => meeting(cx, what),
        Command::Attach { id, file, name } => attach(cx, &id, &file, name.as_deref()),
        Command::Attachments { id } => attachments(cx, &id),
        Command::Attachment(what) => attachment(cx, what),
        Command::Exchange(what) => exchange(cx, what),
        Command::Settings(s) => settings(cx, s),
        Command::Report(what) => make_report(cx, what),
        Command::Export(what) => make_export(cx, what),
        Command::Import(a) => import(cx, a),
        Command::UndoImport { import_id } => undo_import(cx, &import_id),
        Command::Date { date } => convert_date(cx, &date),
    }
}

fn init(cx: &mut Ctx) -> Out {
    cx.store()?;
    say!("database ready: {}", cx.db.display());
    Ok(())
}

fn demo(cx: &mut Ctx, if_empty: bool) -> Out {
    let counts = match cx.store()?.load_demo() {
        Err(DemoError::Store(StoreError::NotEmpty)) if if_empty => {
            say!("{} already holds data; demo not loaded", cx.db.display());
            return Ok(());
        }
        loaded => loaded?,
    };
    cx.print(&counts, |c| {
        say!(
            "demo loaded into {}: {} partners, {} agreements, {} clauses, {} notes",
            cx.db.display(),
            c.partners,
            c.agreements,
            c.clauses,
            c.notes
        );
    })
}

fn partners(cx: &mut Ctx) -> Out {
    let list = cx.store()?.partners()?;
    cx.print(&list, |list| {
        if list.is_empty() {
            say!(
                "no partners yet: add one with `clausebook add-partner NAME`, or load the demo with `clausebook demo`"
            );
        }
        for p in list {
            let names =
                [p.name_fa.as_deref(), p.name_local.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
            say!("{}  {:<12} {}  {}", p.id, p.kind.as_str(), p.name, names);
        }
    })
}

fn add_partner(cx: &mut Ctx, a: AddPartner) -> Out {
    let p = cx.store()?.create_partner(NewPartner {
        kind: Some(a.kind),
        name: a.name,
        name_fa: a.name_fa,
        name_local: a.name_local,
        local_lang: a.local_lang,
    })?;
    cx.print(&p, |p| say!("{}", p.id))
}

fn agreements(cx: &mut Ctx, partner: Option<&str>) -> Out {
    let list = cx.store()?.agreements(partner)?;
    let show = cx.dates()?;
    cx.print(&list, |list| {
        if list.is_empty() {
            say!("no agreements yet: add one with `clausebook add-agreement TITLE --party PARTNER_ID`");
        }
        for a in list {
            let parties = a.parties.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ");
            let signed = a.signed_on.map(&show).unwrap_or_else(|| "unsigned".into());
            say!("{}  {:<10} {:<22} {}  [{}]", a.id, a.status.as_str(), signed, a.title, parties);
        }
    })
}

fn add_agreement(cx: &mut Ctx, a: AddAgreement) -> Out {
    let new = NewAgreement {
        kind: a.kind,
        title: a.title,
        reference: a.reference,
        our_signatory: a.our_signatory,
        parties: a.parties,
        calendar: a.calendar,
        signed_on: date_arg(a.signed_on.as_deref())?,
        in_force_from: date_arg(a.in_force_from.as_deref())?,
        in_force_until: date_arg(a.in_force_until.as_deref())?,
        status: a.status,
        source: a.source,
        summary: a.summary,
    };
    let created = cx.store()?.create_agreement(new)?;
    cx.print(&created, |a| say!("{}", a.id))
}

fn clauses(cx: &mut Ctx, agreement: &str) -> Out {
    let today = cx.today;
    let rows = cx.store()?.clause_rows(agreement, today)?;
    if cx.json {
        print_json(&rows);
        return Ok(());
    }
    // The heading needs the agreement's title and full id, which the rows
    // of an agreement without clauses cannot give.
    let a = cx.store()?.agreement(agreement)?;
    let show = cx.dates()?;
    say!("{} ({} clauses)", a.title, rows.len());
    if rows.is_empty() {
        say!("  no clauses yet: add one with `clausebook add-clause {} --number 1 --text ...`", a.id);
    }
    for r in rows {
        let c = &r.clause;
        let due = c.due_on.map(&show).unwrap_or_else(|| "-".into());
        let flag = match r.due {
            DueState::Overdue { days } => format!(" OVERDUE {days}d"),
            DueState::DueSoon { days } => format!(" due in {days}d"),
            _ => String::new(),
        };
        let pct = c.percent.map(|p| format!(" {p}%")).unwrap_or_default();
        let roll = r
            .rollup
            .map(|u| format!(" [{} of {} sub-items done, {}%]", u.counts.completed, u.children, u.percent.unwrap_or(0)))
            .unwrap_or_default();
        let indent = "  ".repeat(r.depth as usize);
        let first_line: String = c.text.lines().next().unwrap_or("").chars().take(90).collect();
        say!("{indent}{} {}  ({}{pct}; due {due}{flag}){roll}", c.number, first_line, c.status.as_str());
        say!(
            "{indent}    lead: {} / {}   id {}",
            c.our_lead.as_deref().unwrap_or("-"),
            c.partner_lead.as_deref().unwrap_or("-"),
            c.id
        );
        if let Some(n) = &r.latest_note {
            let t: String = n.text.chars().take(90).collect();
            say!("{indent}    latest note {}: {t}", show(n.on_date));
        }
    }
    Ok(())
}

fn add_clause(cx: &mut Ctx, a: AddClause) -> Out {
    let new = NewClause {
        agreement_id: a.agreement,
        parent_id: a.parent,
        number: a.number,
        text: a.text,
        our_lead: a.our_lead,
        partner_lead: a.partner_lead,
        deadline: deadline_arg(a.deadline.as_deref())?.unwrap_or_default(),
        status: a.status,
        percent: a.percent,
        indicator: a.indicator,
        tags: a.tags,
    };
    let today = cx.today;
    let change = cx.store()?.create_clause(new, today)?;
    cx.print(&change.clause, |c| say!("{}", c.id))
}

fn update_clause(cx: &mut Ctx, u: UpdateClause) -> Out {
    let patch = ClausePatch {
        number: u.number,
        text: u.text,
        our_lead: u.our_lead.map(Some),
        partner_lead: u.partner_lead.map(Some),
        deadline: deadline_arg(u.deadline.as_deref())?,
        status: u.status,
        percent: u.percent.map(Some),
        indicator: u.indicator.map(Some),
        tags: u.tags,
    };
    let today = cx.today;
    let change = cx.store()?.update_clause(&u.clause, patch, today)?;
    cx.print(&change.clause, |c| say!("updated clause {} ({})", c.number, c.status.as_str()))
}

fn move_clause(cx: &mut Ctx, m: MoveClause) -> Out {
    let today = cx.today;
    let change = cx.store()?.move_clause(&m.clause, m.to.into_move(m.index), today)?;
    cx.print(&change.clause, |c| say!("moved clause {} ({})", c.number, c.status.as_str()))
}

fn note(cx: &mut Ctx, n: AddNote) -> Out {
    let today = cx.today;
    let new = NewNote {
        clause_id: n.clause,
        on_date: date_arg(n.on.as_deref())?.unwrap_or(today),
        author: n.author,
        text: n.text,
        status_to: n.status,
    };
    let added = cx.store()?.add_note(new, today)?;
    cx.print(&added.note, |note| say!("{}", note.id))
}

fn search(cx: &mut Ctx, query: &str, limit: u32) -> Out {
    let hits = cx.store()?.search(query, limit)?;
    cx.print(&hits, |hits| {
        if hits.is_empty() {
            say!("nothing found for \"{query}\"");
        }
        for h in hits {
            let place = match &h.clause_number {
                Some(n) => format!("{} › clause {n}", h.agreement_title),
                None => h.agreement_title.clone(),
            };
            let excerpt: String = h.excerpt.chars().take(100).collect();
            say!("{:?}  [{}]  {place}\n    {excerpt}\n    id {}", h.kind, h.partner_names.join(", "), h.id);
        }
    })
}

fn dashboard(cx: &mut Ctx) -> Out {
    let today = cx.today;
    let d = cx.store()?.dashboard(today)?;
    let show = cx.dates()?;
    cx.print(&d, |d| {
        let o = d.overall;
        // The words are the vocabulary's, as in the window and the PDF.
        let word = |label: &str| label.to_lowercase();
        let by_status: Vec<String> =
            ClauseStatus::ALL.iter().map(|s| format!("{} {}", o.counts.get(*s), word(s.label(Lang::En)))).collect();
        say!(
            "All partners on {}: {} clauses — {}; {} {}, {} {}",
            show(d.today),
            o.counts.total(),
            by_status.join(", "),
            o.overdue,
            word(Figure::Overdue.label(Lang::En)),
            o.due_soon,
            word(Figure::DueSoon.label(Lang::En)),
        );
        for c in &d.partners {
            let f = c.figures;
            say!(
                "  {:<28} {:>2} agreements {:>4} clauses {:>4} done {:>4} overdue {:>4} due soon",
                c.partner.name,
                c.agreements,
                f.counts.total(),
                f.counts.completed,
                f.overdue,
                f.due_soon
            );
        }
    })
}

fn overdue(cx: &mut Ctx, partner: Option<&str>, limit: u32) -> Out {
    let today = cx.today;
    let list = cx.store()?.overdue(today, partner, limit)?;
    cx.print(&list, |list| {
        if list.is_empty() {
            say!("nothing is overdue");
        }
        for o in list {
            let text: String = o.clause.text.chars().take(70).collect();
            say!("{:>4} days  {} › {} {}", o.days_overdue, o.agreement_title, o.clause.number, text);
        }
    })
}

fn reminders(cx: &mut Ctx) -> Out {
    let today = cx.today;
    let dates = cx.dates()?;
    let list = cx.store()?.reminders(today)?;
    cx.print(&list, |list| {
        if list.is_empty() {
            say!("nothing to remind of");
        }
        for r in list {
            let text: String = r.text.chars().take(60).collect();
            say!("{:<18} {}  {} › {} {}", r.stage.label(Lang::En), dates(r.due_on), r.agreement_title, r.number, text);
        }
    })
}

fn remind(cx: &mut Ctx, clause: &str, days: Option<LeadDays>) -> Out {
    let store = cx.store()?;
    let lead = match days {
        None => store.reminder_lead(clause)?,
        Some(LeadDays::Default) => store.set_reminder_lead(clause, None)?,
        Some(LeadDays::Days(n)) => store.set_reminder_lead(clause, Some(n))?,
    };
    cx.print(&lead, |lead| {
        let days: Vec<String> = lead.leads.iter().map(u32::to_string).collect();
        let whose = if lead.own.is_some() { "its own" } else { "the default" };
        say!("reminded {} days before the deadline ({whose})", days.join(", "));
    })
}

fn snooze(cx: &mut Ctx, clause: &str, length: SnoozeLength) -> Out {
    let today = cx.today;
    let until = cx.store()?.snooze_reminder(clause, length, today)?;
    cx.print(&serde_json::json!({ "until": until }), |_| say!("reminders snoozed until {until}"))
}

fn history(cx: &mut Ctx, id: &str) -> Out {
    let entries = cx.store()?.history(id)?;
    cx.print(&entries, |entries| {
        if entries.is_empty() {
            say!("no history for {id}");
        }
        for e in entries {
            say!("{}  {}  {} {}", e.at, e.actor, e.action, e.entity);
            for c in &e.changes {
                let (old, new) = (c.old.as_deref().unwrap_or("∅"), c.new.as_deref().unwrap_or("∅"));
                say!("    {}: {old} → {new}", c.field);
            }
        }
    })
}

fn delete(cx: &mut Ctx, what: DeleteWhat) -> Out {
    let store = cx.store()?;
    let deletion = match what {
        DeleteWhat::Partner { id } => store.delete_partner(&id)?,
        DeleteWhat::Agreement { id } => store.delete_agreement(&id)?,
        DeleteWhat::Clause { id } => store.delete_clause(&id)?,
        DeleteWhat::Note { id } => store.delete_note(&id)?,
    };
    cx.print(&serde_json::json!({"deletion_id": deletion}), |_| {
        say!("deleted; to undo: clausebook restore {deletion}");
    })
}

fn import(cx: &mut Ctx, a: ImportArgs) -> Out {
    let choice = SheetChoice { sheet: a.sheet, header_row: a.header_row, encoding: a.encoding };
    let today = cx.today;
    // Read once: the preview, the plan and the import all use this copy.
    let source = sheet::Source::read(&a.file, choice.encoding)?;
    let preview = sheet::preview_source(cx.store()?, &source, &choice)?;
    let mapping = if a.map.is_empty() {
        preview.mapping.clone()
    } else {
        let heads: Vec<String> = preview.columns.iter().map(|c| c.head.clone()).collect();
        let mut mapping = Vec::new();
        for m in &a.map {
            let Some((field, column)) = m.split_once('=') else {
                return Err(Failure {
                    code: "bad_argument",
                    exit: 2,
                    message: format!("--map {m}: write FIELD=COLUMN"),
                });
            };
            let field = SheetField::parse(field.trim()).map_err(|e| Failure {
                code: "bad_argument",
                exit: 2,
                message: format!("--map {m}: {e}"),
            })?;
            mapping.push(FieldColumn { field, column: sheet::resolve_column(&heads, column.trim())? });
        }
        mapping
    };
    let into = match (a.agreement, a.partner, a.title) {
        (Some(agreement_id), _, _) => ImportInto::Existing { agreement_id },
        (None, Some(partner_id), Some(title)) => ImportInto::New {
            partner_id,
            title,
            kind: a.kind,
            signed_on: date_arg(a.signed.as_deref())?,
            calendar: a.calendar,
        },
        _ => {
            return Err(Failure {
                code: "bad_argument",
                exit: 2,
                message: "say where the rows go: --agreement ID, or --partner ID --title TEXT".into(),
            });
        }
    };
    let request = ImportRequest {
        path: a.file.display().to_string(),
        choice: SheetChoice { sheet: Some(preview.sheet.clone()), header_row: Some(preview.header_row), ..choice },
        mapping,
        into,
        drop_unreadable: a.drop_unreadable,
    };
    if a.dry_run {
        let plan = sheet::plan_source(cx.store()?, &source, &request, today)?;
        return cx.print(&plan, |p| {
            say!("{} (sheet {:?}, header on row {}):", preview.file, p.sheet, p.header_row);
            for r in &p.rows {
                let action = format!("{:?}", r.action).to_lowercase();
                say!("  row {:>4}  {action:<12} {:<12} {}", r.row, r.number.join(" › "), r.text.lines().next().unwrap_or_default());
                for problem in &r.problems {
                    let how = if problem.can_drop { "can be left out" } else { "to fix" };
                    say!("            {} ({how}): {}", problem.column.as_deref().unwrap_or("-"), problem.message);
                }
            }
            say!(
                "would create {}, update {}, leave {} unchanged, skip {}; {} notes; {} problems to fix, {} values that can be left out",
                p.created, p.updated, p.unchanged, p.skipped, p.notes, p.blocking, p.droppable
            );
        });
    }
    let done = sheet::import_source(cx.store()?, &source, &request, today)?;
    cx.print(&done, |d| {
        say!(
            "imported into agreement {}: {} created, {} updated, {} unchanged, {} skipped, {} notes, {} values left out",
            d.agreement_id, d.created, d.updated, d.unchanged, d.skipped, d.notes, d.dropped
        );
        say!("undo with: clausebook undo-import {}", d.import_id);
    })
}

fn undo_import(cx: &mut Ctx, import_id: &str) -> Out {
    let undone = cx.store()?.undo_import(import_id)?;
    cx.print(&undone, |u| {
        say!("import undone: {} clauses removed, {} restored as they were", u.removed, u.restored);
        if u.agreement_deleted {
            say!("the agreement it created is deleted");
        }
    })
}

fn attach(cx: &mut Ctx, id: &str, file: &Path, name: Option<&str>) -> Out {
    let a = cx.store()?.attach(id, file, name)?;
    cx.print(&a, |a| say!("{}  {} ({}, {} bytes, sha256 {})", a.id, a.name, a.media_type, a.size, a.sha256))
}

fn attachments(cx: &mut Ctx, id: &str) -> Out {
    let list = cx.store()?.attachments(id)?;
    cx.print(&list, |list| {
        if list.is_empty() {
            say!("no files attached");
        }
        for a in list {
            say!("{}  {:<40} {:<24} {:>10} bytes  {}", a.id, a.name, a.media_type, a.size, &a.created_at[..10]);
        }
    })
}

fn attachment(cx: &mut Ctx, what: AttachmentWhat) -> Out {
    match what {
        AttachmentWhat::Save { id, output } => {
            let bytes = cx.store()?.copy_attachment(&id, &output)?;
            let path = output.display().to_string();
            cx.print(&serde_json::json!({"path": path, "bytes": bytes}), |_| say!("wrote {path} ({bytes} bytes)"))
        }
        AttachmentWhat::Remove { id } => {
            let deletion = cx.store()?.remove_attachment(&id)?;
            cx.print(&serde_json::json!({"deletion_id": deletion}), |_| {
                say!("removed; undo with: clausebook restore {deletion}")
            })
        }
    }
}

fn restore(cx: &mut Ctx, deletion_id: &str) -> Out {
    let kind = cx.store()?.restore(deletion_id)?;
    cx.print(&serde_json::json!({"restored": kind}), |_| say!("restored the {kind}"))
}

fn backup(cx: &mut Ctx, to: Option<&Path>) -> Out {
    let store = cx.store()?;
    let made = match to {
        Some(dir) => store.backup_into(dir, BackupReason::Manual, false)?,
        None => store.backup(BackupReason::Manual)?,
    };
    cx.print(&made, |m| {
        let c = &m.manifest.counts;
        say!("backed up to {}", m.path);
        say!(
            "  {} partners, {} agreements, {} clauses, {} notes; {} bytes; sha256 {}",
            c.partners,
            c.agreements,
            c.clauses,
            c.notes,
            m.manifest.bytes,
            m.manifest.sha256
        );
        if let Some(copy) = &m.mirrored_to {
            say!("  copied to {copy}");
        }
        if m.removed > 0 {
            say!("  {} older backup(s) rotated out", m.removed);
        }
    })
}

fn backups(cx: &mut Ctx) -> Out {
    let store = cx.store()?;
    let dir = store.backup_dir();
    let list = store.backups()?;
    cx.print(&list, |list| {
        if let Some(dir) = &dir {
            say!("backups in {}:", dir.display());
        }
        if list.is_empty() {
            say!("  none yet: `clausebook backup` makes one");
        }
        for m in list {
            let c = &m.counts;
            say!(
                "  {}  {:<16} schema {}  {} agreements, {} clauses, {} notes  {}",
                m.created_at,
                m.reason.as_str(),
                m.schema_version,
                c.agreements,
                c.clauses,
                c.notes,
                m.file
            );
        }
    })
}

fn exchange(cx: &mut Ctx, what: ExchangeWhat) -> Out {
    use clausebook_core::store::exchange::SendScope;
    match what {
        ExchangeWhat::Send { to, everything, since, partner, agreement, output } => {
            let scope = match (everything, since, partner, agreement) {
                (true, ..) => SendScope::Everything,
                (_, Some(day), ..) => SendScope::Since(calendar::parse_date(&day)?.to_string()),
                (_, _, Some(id), _) => SendScope::Partner(id),
                (_, _, _, Some(id)) => SendScope::Agreement(id),
                _ => SendScope::Changes,
            };
            let sent = cx.store()?.exchange_send(&scope, to.as_deref(), &output)?;
            cx.print(&sent, |s| {
                say!(
                    "wrote {} ({}): {} entr{}, {} bytes",
                    output.display(),
                    s.scope.label(Lang::En),
                    s.entries,
                    if s.entries == 1 { "y" } else { "ies" },
                    s.bytes
                );
            })
        }
        ExchangeWhat::Receive { file, dry_run } => {
            let got = cx.store()?.exchange_receive(&file, dry_run)?;
            cx.print(&got, |r| {
                if r.already {
                    say!("{} was received before: nothing to do", file.display());
                    return;
                }
                let verb = if r.dry_run { "would change" } else { "changed" };
                say!(
                    "from {} ({}, {}): {} new of {} entries; {verb} {} rows; {} conflict(s) to review",
                    r.officer,
                    r.scope.label(Lang::En),
                    r.sent_at,
                    r.new_entries,
                    r.entries,
                    r.changes,
                    r.conflicts
                );
                if r.dry_run {
                    say!("dry run: nothing was written");
                }
            })
        }
        ExchangeWhat::Conflicts => {
            let list = cx.store()?.exchange_conflicts()?;
            cx.print(&list, |list| {
                if list.is_empty() {
                    say!("no conflicts wait for a choice");
                }
                for c in list {
                    let what = [c.agreement_title.as_deref(), c.number.as_deref(), c.title.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" · ");
                    say!("{}  {}  {} {}: {}", c.id, c.kind.label(Lang::En), c.table, c.field, what);
                    let v = |v: &Option<String>| v.clone().unwrap_or_else(|| "(empty)".into());
                    say!("    before {}  here {}  from {} {}", v(&c.base), v(&c.mine), c.officer, v(&c.theirs));
                }
            })
        }
        ExchangeWhat::Resolve { id, choice } => {
            cx.store()?.resolve_conflict(&id, choice)?;
            cx.print(&serde_json::json!({"resolved": id, "choice": choice}), |_| {
                say!("{}: {}", id, choice.label(Lang::En));
            })
        }
        ExchangeWhat::History => {
            let overview = cx.store()?.exchange_overview()?;
            cx.print(&overview, |o| {
                say!(
                    "register {}; {} log entries; {} conflict(s) open",
                    o.register_id,
                    o.log_entries,
                    o.open_conflicts
                );
                for f in &o.files {
                    say!(
                        "  {}  {:<8} {:<28} {:<16} {} entries, {} changes, {} conflicts  {}",
                        f.at,
                        f.direction.as_str(),
                        f.scope.label(Lang::En),
                        f.peer,
                        f.entries,
                        f.changes,
                        f.conflicts,
                        f.file_name
                    );
                }
            })
        }
    }
}

fn restore_backup(cx: &mut Ctx, file: &Path) -> Out {
    let restored = cx.store()?.restore_backup(file)?;
    cx.print(&restored, |r| {
        let c = &r.counts;
        say!("restored from {}", r.from);
        say!("  the register now holds {} agreements, {} clauses, {} notes", c.agreements, c.clauses, c.notes);
        say!("  the register as it was is kept in {}", r.previous);
    })
}

fn settings(cx: &mut Ctx, s: SettingsArgs) -> Out {
    let out = cx.store()?.update_settings(SettingsPatch {
        officer_name: s.officer,
        organisation: s.organisation,
        ui_language: s.language,
        date_display: s.dates,
        reminders: s.reminders,
        tray: s.tray,
    })?;
    cx.print(&out, |out| {
        say!("officer:      {}", out.officer_name);
        say!("organisation: {}", out.organisation);
        say!("language:     {}", out.ui_language.as_str());
        say!("dates:        {}", out.date_display.as_str());
        say!("reminders:    {}", if out.reminders { "on" } else { "off" });
        say!("tray:         {}", if out.tray { "on" } else { "off" });
        say!("database:     {}", cx.db.display());
    })
}

impl ReportWhat {
    /// The report asked for, and how to make it.
    fn into_request(self, store: &Store) -> Result<(ReportRequest, ReportCommon), Failure> {
        Ok(match self {
            ReportWhat::Agreement { id, common } => (ReportRequest::Agreement { id }, common),
            ReportWhat::Partner { id, common } => (ReportRequest::Partner { id }, common),
            ReportWhat::Brief { agreements, clauses, partner, overdue, due_before, since, title, meeting, common } => {
                let mut spec = match meeting {
                    Some(m) => BriefSpec::for_meeting(store, &m)?,
                    None => BriefSpec::default(),
                };
                spec.agreements.extend(agreements);
                spec.clauses.extend(clauses);
                spec.partner = partner.or(spec.partner);
                spec.overdue |= overdue;
                spec.due_before = date_arg(due_before.as_deref())?.or(spec.due_before);
                spec.progress_since = date_arg(since.as_deref())?.or(spec.progress_since);
                spec.title = title.or(spec.title);
                (ReportRequest::Brief(spec), common)
            }
            ReportWhat::Minutes { id, common } => (ReportRequest::Minutes { id }, common),
        })
    }
}

fn make_report(cx: &mut Ctx, what: ReportWhat) -> Out {
    let (request, common) = what.into_request(cx.store()?)?;
    let options = ReportOptions {
        lang: common.lang,
        pdf_a: common.pdf_a,
        reference: common.reference,
        attachments: common.attachments,
        dates: None,
    };
    let (today, now) = (cx.today, cx.now);
    let summary = report::export(cx.store()?, &request, &options, today, now, &common.output)?;
    cx.print(&summary, |s| {
        say!("wrote {} ({} pages, {} clauses, {} KB)", s.path, s.pages, s.clauses, s.bytes / 1024);
    })
}

fn make_export(cx: &mut Ctx, what: ExportWhat) -> Out {
    let (scope, common) = match what {
        ExportWhat::Agreement { id, common } => (ExportScope::Agreement(id), common),
        ExportWhat::Partner { id, common } => (ExportScope::Partner(id), common),
        ExportWhat::All { common } => (ExportScope::All, common),
    };
    let lang = match common.lang {
        Some(lang) => lang,
        None => cx.store()?.settings()?.ui_language,
    };
    let (today, now) = (cx.today, cx.now);
    let file = export::export(cx.store()?, &scope, lang, today, now, &common.output)?;
    cx.print(&file, |f| {
        let events = if f.format == SheetFormat::Ics { format!(", {} events", f.events) } else { String::new() };
        say!(
            "wrote {} ({} agreements, {} clauses{events}, {} KB)",
            f.path,
            f.agreements,
            f.clauses,
            f.bytes.div_ceil(1024)
        );
    })
}

fn convert_date(cx: &Ctx, input: &str) -> Out {
    let d = calendar::parse_date(input)?;
    let json = serde_json::json!({
        "gregorian": calendar::format_gregorian(d),
        "persian": calendar::format_persian(d, Lang::En),
        "persian_long": calendar::format_persian_long(d, Lang::Fa),
        "weekday": d.format("%A").to_string(),
    });
    cx.print(&json, |_| {
        say!("Gregorian:    {} ({})", calendar::format_gregorian(d), d.format("%A, %-d %B %Y"));
        say!(
            "Solar Hijri:  {}  ({} / {})",
            calendar::format_persian(d, Lang::En),
            calendar::format_persian_long(d, Lang::En),
            calendar::format_persian_long(d, Lang::Fa)
        );
    })
}

//! `clausebook`: the headless command line over the register, for scripts,
//! tests and officers who like a terminal.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use clausebook_core::calendar::{self, DateDisplay, Lang};
use clausebook_core::deadline::Deadline;
use clausebook_core::model::{
    AgreementKind, AgreementStatus, ClausePatch, ClauseStatus, DueState, NewAgreement, NewClause, NewNote, NewPartner,
    PartnerKind, SettingsPatch,
};
use clausebook_core::{Store, StoreError};

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

    /// The day to measure deadlines against (default: today).
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
    /// Change a clause.
    UpdateClause(UpdateClause),
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
    /// The change history of a partner, agreement or clause.
    History {
        /// The record's id.
        id: String,
    },
    /// Delete a partner, agreement, clause (with its sub-clauses) or note; prints the undo id.
    Delete {
        /// partner, agreement, clause or note
        kind: String,
        id: String,
    },
    /// Undo a deletion.
    Restore {
        /// The id `delete` printed.
        deletion_id: String,
    },
    /// Show or change settings (officer name, organisation, language, date display).
    Settings(SettingsArgs),
    /// Make a status report as PDF: `clausebook report agreement ID -o plan.pdf --lang fa`.
    #[command(subcommand)]
    Report(ReportWhat),
    /// Print a date in both calendars: `clausebook date 1404/03/15`.
    Date {
        /// A date: 2025-06-05, 1404/03/15 or ۱۴۰۴/۰۳/۱۵.
        date: String,
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
        #[command(flatten)]
        common: ReportCommon,
    },
}

#[derive(Args)]
struct ReportCommon {
    /// Where to write the PDF.
    #[arg(short, long, value_name = "FILE.pdf")]
    output: PathBuf,
    /// Report language: en, or fa (right to left, Persian digits).
    #[arg(long, default_value = "en")]
    lang: String,
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
    /// country or organisation
    #[arg(long, default_value = "country")]
    kind: String,
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
    /// mou, cooperation_memorandum, action_plan, joint_project or other
    #[arg(long, default_value = "mou")]
    kind: String,
    /// draft, signed, in_force, expired or terminated
    #[arg(long, default_value = "draft")]
    status: String,
    /// gregorian or persian: relative deadlines count months in it.
    #[arg(long, default_value = "gregorian")]
    calendar: String,
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
    /// not_started, in_progress, completed, on_hold or cancelled
    #[arg(long, default_value = "not_started")]
    status: String,
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
    #[arg(long)]
    status: Option<String>,
    #[arg(long)]
    percent: Option<u8>,
    #[arg(long)]
    indicator: Option<String>,
    /// Replace the themes; repeat for several.
    #[arg(long = "tag")]
    tags: Option<Vec<String>>,
    /// Move under this parent clause id ("top" for the top level).
    #[arg(long)]
    parent: Option<String>,
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
    #[arg(long)]
    status: Option<String>,
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
    /// en or fa
    #[arg(long)]
    language: Option<String>,
    /// gregorian, persian or both
    #[arg(long)]
    dates: Option<String>,
}

/// A failure with the exit code it maps to: 2 for what the user should fix,
/// 3 for a missing record, 1 for anything else.
struct Failure {
    message: String,
    code: &'static str,
    exit: u8,
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        let exit = match &e {
            StoreError::NotFound { .. } | StoreError::NothingToRestore(_) => 3,
            StoreError::Sqlite(_) | StoreError::Open { .. } | StoreError::Migration(_) | StoreError::Busy => 1,
            _ => 2,
        };
        Failure { code: e.code(), message: e.to_string(), exit }
    }
}

impl From<clausebook_core::report::ReportError> for Failure {
    fn from(e: clausebook_core::report::ReportError) -> Self {
        use clausebook_core::report::ReportError;
        match e {
            ReportError::Store(e) => e.into(),
            e => {
                let exit = if matches!(e, ReportError::Typeset(_) | ReportError::Pdf(_)) { 1 } else { 2 };
                Failure { code: e.code(), message: e.to_string(), exit }
            }
        }
    }
}

impl From<calendar::CalendarError> for Failure {
    fn from(e: calendar::CalendarError) -> Self {
        StoreError::from(e).into()
    }
}

impl From<clausebook_core::model::ValidationError> for Failure {
    fn from(e: clausebook_core::model::ValidationError) -> Self {
        StoreError::from(e).into()
    }
}

fn usage(message: String) -> Failure {
    Failure { message, code: "usage", exit: 2 }
}

type Out = Result<(), Failure>;

fn default_db() -> PathBuf {
    if let Some(p) = std::env::var_os("CLAUSEBOOK_DB") {
        return PathBuf::from(p);
    }
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("org.clausebook.app").join("clausebook.sqlite3")
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if json {
                println!("{}", serde_json::json!({"error": {"code": f.code, "message": f.message}}));
            } else {
                eprintln!("clausebook: {}", f.message);
            }
            ExitCode::from(f.exit)
        }
    }
}

fn date_arg(s: Option<&str>) -> Result<Option<NaiveDate>, Failure> {
    Ok(s.map(calendar::parse_date).transpose()?)
}

fn print_json<T: serde::Serialize>(value: &T) {
    println!("{}", serde_json::to_string_pretty(value).expect("serialisable"));
}

fn run(cli: Cli) -> Out {
    let today = date_arg(cli.today.as_deref())?.unwrap_or_else(|| chrono::Local::now().date_naive());
    if let Command::Date { date } = &cli.command {
        let d = calendar::parse_date(date)?;
        if cli.json {
            print_json(&serde_json::json!({
                "gregorian": calendar::format_gregorian(d),
                "persian": calendar::format_persian(d, Lang::En),
                "persian_long": calendar::format_persian_long(d, Lang::Fa),
                "weekday": d.format("%A").to_string(),
            }));
        } else {
            println!("Gregorian:    {} ({})", calendar::format_gregorian(d), d.format("%A, %-d %B %Y"));
            println!(
                "Solar Hijri:  {}  ({} / {})",
                calendar::format_persian(d, Lang::En),
                calendar::format_persian_long(d, Lang::En),
                calendar::format_persian_long(d, Lang::Fa)
            );
        }
        return Ok(());
    }
    let path = cli.db.clone().unwrap_or_else(default_db);
    let mut store = Store::open(&path)?;
    let settings = store.settings()?;
    let show = |d: NaiveDate| calendar::format_date(d, settings.date_display, Lang::En);
    let json = cli.json;
    match cli.command {
        Command::Date { .. } => unreachable!("handled above"),
        Command::Init => println!("database ready: {}", path.display()),
        Command::Demo { if_empty } => {
            if if_empty && !store.is_empty()? {
                println!("{} already holds data; demo not loaded", path.display());
                return Ok(());
            }
            let c = store.load_demo()?;
            if json {
                print_json(
                    &serde_json::json!({"partners": c.partners, "agreements": c.agreements, "clauses": c.clauses, "notes": c.notes}),
                );
            } else {
                println!(
                    "demo loaded into {}: {} partners, {} agreements, {} clauses, {} notes",
                    path.display(),
                    c.partners,
                    c.agreements,
                    c.clauses,
                    c.notes
                );
            }
        }
        Command::Partners => {
            let list = store.partners()?;
            if json {
                print_json(&list);
            } else if list.is_empty() {
                println!(
                    "no partners yet: add one with `clausebook add-partner NAME`, or load the demo with `clausebook demo`"
                );
            } else {
                for p in list {
                    let names = [p.name_fa.as_deref(), p.name_local.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" · ");
                    println!("{}  {:<12} {}  {}", p.id, p.kind.as_str(), p.name, names);
                }
            }
        }
        Command::AddPartner(a) => {
            let p = store.create_partner(NewPartner {
                kind: Some(PartnerKind::parse(&a.kind)?),
                name: a.name,
                name_fa: a.name_fa,
                name_local: a.name_local,
                local_lang: a.local_lang,
            })?;
            if json { print_json(&p) } else { println!("{}", p.id) }
        }
        Command::Agreements { partner } => {
            let list = store.agreements(partner.as_deref())?;
            if json {
                print_json(&list);
            } else if list.is_empty() {
                println!("no agreements yet: add one with `clausebook add-agreement TITLE --party PARTNER_ID`");
            } else {
                for a in list {
                    let parties = a.parties.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ");
                    let signed = a.signed_on.map(show).unwrap_or_else(|| "unsigned".into());
                    println!("{}  {:<10} {:<22} {}  [{}]", a.id, a.status.as_str(), signed, a.title, parties);
                }
            }
        }
        Command::AddAgreement(a) => {
            let new = NewAgreement {
                kind: AgreementKind::parse(&a.kind)?,
                title: a.title,
                reference: a.reference,
                our_signatory: a.our_signatory,
                parties: a.parties,
                calendar: calendar::Calendar::parse(&a.calendar)?,
                signed_on: date_arg(a.signed_on.as_deref())?,
                in_force_from: date_arg(a.in_force_from.as_deref())?,
                in_force_until: date_arg(a.in_force_until.as_deref())?,
                status: AgreementStatus::parse(&a.status)?,
                source: a.source,
                summary: a.summary,
            };
            let created = store.create_agreement(new)?;
            if json { print_json(&created) } else { println!("{}", created.id) }
        }
        Command::Clauses { agreement } => {
            let a = store.agreement(&agreement)?;
            let rows = store.clause_rows(&a.id, today)?;
            if json {
                print_json(&rows);
            } else {
                println!("{} ({} clauses)", a.title, rows.len());
                if rows.is_empty() {
                    println!("  no clauses yet: add one with `clausebook add-clause {} --number 1 --text ...`", a.id);
                }
                for r in rows {
                    let c = &r.clause;
                    let due = c.due_on.map(show).unwrap_or_else(|| "-".into());
                    let flag = match c.due_state(today) {
                        DueState::Overdue { days } => format!(" OVERDUE {days}d"),
                        DueState::DueSoon { days } => format!(" due in {days}d"),
                        _ => String::new(),
                    };
                    let pct = c.percent.map(|p| format!(" {p}%")).unwrap_or_default();
                    let roll = r
                        .rollup
                        .map(|u| {
                            format!(
                                " [{} of {} sub-items done, {}%]",
                                u.counts.completed,
                                u.children,
                                u.percent.unwrap_or(0)
                            )
                        })
                        .unwrap_or_default();
                    let indent = "  ".repeat(r.depth as usize);
                    let first_line: String = c.text.lines().next().unwrap_or("").chars().take(90).collect();
                    println!(
                        "{indent}{} {}  ({}{pct}; due {due}{flag}){roll}",
                        c.number,
                        first_line,
                        c.status.as_str()
                    );
                    println!(
                        "{indent}    lead: {} / {}   id {}",
                        c.our_lead.as_deref().unwrap_or("-"),
                        c.partner_lead.as_deref().unwrap_or("-"),
                        c.id
                    );
                    if let Some(n) = &r.latest_note {
                        let t: String = n.text.chars().take(90).collect();
                        println!("{indent}    latest note {}: {t}", show(n.on_date));
                    }
                }
            }
        }
        Command::AddClause(a) => {
            let new = NewClause {
                agreement_id: a.agreement,
                parent_id: a.parent,
                number: a.number,
                text: a.text,
                our_lead: a.our_lead,
                partner_lead: a.partner_lead,
                deadline: a.deadline.as_deref().map(Deadline::parse).transpose()?.unwrap_or_default(),
                status: ClauseStatus::parse(&a.status)?,
                percent: a.percent,
                indicator: a.indicator,
                tags: a.tags,
            };
            let c = store.create_clause(new)?;
            if json { print_json(&c) } else { println!("{}", c.id) }
        }
        Command::UpdateClause(u) => {
            let patch = ClausePatch {
                number: u.number,
                text: u.text,
                our_lead: u.our_lead.map(Some),
                partner_lead: u.partner_lead.map(Some),
                deadline: u.deadline.as_deref().map(Deadline::parse).transpose()?,
                status: u.status.as_deref().map(ClauseStatus::parse).transpose()?,
                percent: u.percent.map(Some),
                indicator: u.indicator.map(Some),
                tags: u.tags,
            };
            let mut c = store.update_clause(&u.clause, patch)?;
            if let Some(parent) = u.parent {
                let parent = if parent == "top" { None } else { Some(parent) };
                c = store.move_clause(&c.id, parent.as_deref(), None)?;
            }
            if json { print_json(&c) } else { println!("updated clause {} ({})", c.number, c.status.as_str()) }
        }
        Command::Note(n) => {
            let note = store.add_note(NewNote {
                clause_id: n.clause,
                on_date: date_arg(n.on.as_deref())?.unwrap_or(today),
                author: n.author,
                text: n.text,
                status_to: n.status.as_deref().map(ClauseStatus::parse).transpose()?,
            })?;
            if json { print_json(&note) } else { println!("{}", note.id) }
        }
        Command::Search { query, limit } => {
            let hits = store.search(&query, limit)?;
            if json {
                print_json(&hits);
            } else if hits.is_empty() {
                println!("nothing found for \"{query}\"");
            } else {
                for h in hits {
                    let place = match &h.clause_number {
                        Some(n) => format!("{} › clause {n}", h.agreement_title),
                        None => h.agreement_title.clone(),
                    };
                    let excerpt: String = h.excerpt.chars().take(100).collect();
                    println!("{:?}  [{}]  {place}\n    {excerpt}\n    id {}", h.kind, h.partner_names.join(", "), h.id);
                }
            }
        }
        Command::Dashboard => {
            let d = store.dashboard(today)?;
            if json {
                print_json(&d);
            } else {
                let o = d.overall;
                println!(
                    "All partners on {}: {} clauses — {} completed, {} in progress, {} not started, {} on hold, {} cancelled; {} overdue, {} due within 30 days",
                    show(today),
                    o.counts.total(),
                    o.counts.completed,
                    o.counts.in_progress,
                    o.counts.not_started,
                    o.counts.on_hold,
                    o.counts.cancelled,
                    o.overdue,
                    o.due_soon
                );
                for c in d.partners {
                    let f = c.figures;
                    println!(
                        "  {:<28} {:>2} agreements {:>4} clauses {:>4} done {:>4} overdue {:>4} due soon",
                        c.partner.name,
                        c.agreements,
                        f.counts.total(),
                        f.counts.completed,
                        f.overdue,
                        f.due_soon
                    );
                }
            }
        }
        Command::Overdue { partner, limit } => {
            let list = store.overdue(today, partner.as_deref(), limit)?;
            if json {
                print_json(&list);
            } else if list.is_empty() {
                println!("nothing is overdue");
            } else {
                for o in list {
                    let text: String = o.clause.text.chars().take(70).collect();
                    println!("{:>4} days  {} › {} {}", o.days_overdue, o.agreement_title, o.clause.number, text);
                }
            }
        }
        Command::History { id } => {
            let entries = store.history(&id)?;
            if json {
                print_json(&entries);
            } else if entries.is_empty() {
                println!("no history for {id}");
            } else {
                for e in entries {
                    println!("{}  {}  {} {}", e.at, e.actor, e.action, e.entity);
                    for c in e.changes {
                        println!(
                            "    {}: {} → {}",
                            c.field,
                            c.old.as_deref().unwrap_or("∅"),
                            c.new.as_deref().unwrap_or("∅")
                        );
                    }
                }
            }
        }
        Command::Delete { kind, id } => {
            let deletion = match kind.as_str() {
                "partner" => store.delete_partner(&id)?,
                "agreement" => store.delete_agreement(&id)?,
                "clause" => store.delete_clause(&id)?,
                "note" => store.delete_note(&id)?,
                other => {
                    return Err(usage(format!("cannot delete a \"{other}\": use partner, agreement, clause or note")));
                }
            };
            if json {
                print_json(&serde_json::json!({"deletion_id": deletion}));
            } else {
                println!("deleted; to undo: clausebook restore {deletion}");
            }
        }
        Command::Restore { deletion_id } => {
            let kind = store.restore(&deletion_id)?;
            if json { print_json(&serde_json::json!({"restored": kind})) } else { println!("restored the {kind}") }
        }
        Command::Report(what) => {
            use clausebook_core::report::{self, BriefSpec, ReportOptions, ReportRequest};
            let (request, common) = match what {
                ReportWhat::Agreement { id, common } => (ReportRequest::Agreement { id }, common),
                ReportWhat::Partner { id, common } => (ReportRequest::Partner { id }, common),
                ReportWhat::Brief { agreements, clauses, partner, overdue, due_before, since, title, common } => {
                    let spec = BriefSpec {
                        agreements,
                        clauses,
                        partner,
                        overdue,
                        due_before: date_arg(due_before.as_deref())?,
                        progress_since: date_arg(since.as_deref())?,
                        title,
                    };
                    (ReportRequest::Brief(spec), common)
                }
            };
            let lang = match common.lang.as_str() {
                "en" => Lang::En,
                "fa" => Lang::Fa,
                other => return Err(usage(format!("unknown report language \"{other}\": use en or fa"))),
            };
            let options = ReportOptions {
                lang,
                pdf_a: common.pdf_a,
                reference: common.reference,
                attachments: common.attachments,
                dates: None,
            };
            let now = chrono::Local::now().naive_local();
            let summary = report::export(&store, &request, &options, today, now, &common.output)?;
            if json {
                print_json(&summary);
            } else {
                println!(
                    "wrote {} ({} pages, {} clauses, {} KB)",
                    summary.path,
                    summary.pages,
                    summary.clauses,
                    summary.bytes / 1024
                );
            }
        }
        Command::Settings(s) => {
            let language = match s.language.as_deref() {
                None => None,
                Some("en") => Some(Lang::En),
                Some("fa") => Some(Lang::Fa),
                Some(other) => return Err(usage(format!("unknown language \"{other}\": use en or fa"))),
            };
            let dates =
                match s.dates.as_deref() {
                    None => None,
                    Some(d) => Some(DateDisplay::parse(d).ok_or_else(|| {
                        usage(format!("unknown date display \"{d}\": use gregorian, persian or both"))
                    })?),
                };
            let out = store.update_settings(SettingsPatch {
                officer_name: s.officer,
                organisation: s.organisation,
                ui_language: language,
                date_display: dates,
            })?;
            if json {
                print_json(&out);
            } else {
                println!("officer:      {}", out.officer_name);
                println!("organisation: {}", out.organisation);
                println!("language:     {:?}", out.ui_language);
                println!("dates:        {}", out.date_display.as_str());
                println!("database:     {}", path.display());
            }
        }
    }
    Ok(())
}

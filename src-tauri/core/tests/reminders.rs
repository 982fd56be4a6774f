//! Deadline reminders through the core: which clauses, at which stage,
//! a clause's own lead time, snoozing, the setting that turns them off, that
//! a check tells each thing once, and what the tray shows.

use chrono::NaiveDate;
use clausebook_core::Store;
use clausebook_core::calendar::Lang;
use clausebook_core::model::SettingsPatch;
use clausebook_core::remind::{self, Notifier};
use clausebook_core::store::reminders::{leads, stage};
use clausebook_core::vocab::{ReminderStage, SnoozeLength};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn stages_follow_the_lead_times() {
    let today = day("2026-12-04");
    let cases = [
        ("2026-12-03", Some(ReminderStage::Overdue)),
        ("2026-12-04", Some(ReminderStage::DueTomorrow)),
        ("2026-12-05", Some(ReminderStage::DueTomorrow)),
        ("2026-12-06", Some(ReminderStage::DueWeek)),
        ("2026-12-11", Some(ReminderStage::DueWeek)),
        ("2026-12-12", Some(ReminderStage::DueMonth)),
        ("2027-01-03", Some(ReminderStage::DueMonth)),
        ("2027-01-04", None),
    ];
    for (due, want) in cases {
        assert_eq!(stage(day(due), today, None), want, "due {due}");
    }
}

#[test]
fn a_clause_s_own_lead_time_comes_first_and_the_shorter_defaults_follow() {
    let today = day("2026-12-04");
    // (own lead, due, stage): a 90-day lead reminds from 90 days before, then
    // at 30 days, the week and the day; a 3-day lead reminds 3 days before, then the
    // day before; 30 days is the default's own stage.
    let cases = [
        (90, "2027-03-04", Some(ReminderStage::DueLead)),
        (90, "2027-03-05", None),
        (90, "2027-01-04", Some(ReminderStage::DueLead)),
        (90, "2027-01-03", Some(ReminderStage::DueMonth)),
        (90, "2026-12-11", Some(ReminderStage::DueWeek)),
        (90, "2026-12-05", Some(ReminderStage::DueTomorrow)),
        (3, "2026-12-08", None),
        (3, "2026-12-07", Some(ReminderStage::DueLead)),
        (3, "2026-12-05", Some(ReminderStage::DueTomorrow)),
        (3, "2026-12-03", Some(ReminderStage::Overdue)),
        (30, "2027-01-03", Some(ReminderStage::DueMonth)),
        (7, "2026-12-12", None),
        (7, "2026-12-11", Some(ReminderStage::DueWeek)),
    ];
    for (own, due, want) in cases {
        assert_eq!(stage(day(due), today, Some(own)), want, "lead {own}, due {due}");
    }
    assert_eq!(leads(Some(90)).iter().map(|l| l.0).collect::<Vec<_>>(), [90, 30, 7, 1]);
    assert_eq!(leads(Some(3)).iter().map(|l| l.0).collect::<Vec<_>>(), [3, 1]);
    assert_eq!(leads(None).iter().map(|l| l.0).collect::<Vec<_>>(), [30, 7, 1]);
}

#[test]
fn setting_a_lead_time_changes_the_reminders_is_audited_and_checked() {
    let mut s = Store::open_in_memory().unwrap();
    s.load_demo().unwrap();
    let today = day("2026-12-04");
    // An open clause due beyond 30 days: no reminder until its own lead
    // time reaches it.
    let agreements = s.agreements(None).unwrap();
    let far = agreements
        .iter()
        .flat_map(|a| s.clause_rows(&a.id, today).unwrap())
        .map(|r| r.clause)
        .find(|c| {
            c.due_on.is_some_and(|d| (d - today).num_days() > 40 && (d - today).num_days() < 300)
                && !matches!(c.status.as_str(), "completed" | "cancelled")
        })
        .expect("the demo has an open clause due in 40 to 300 days");
    let days = (far.due_on.unwrap() - today).num_days();
    assert!(!s.reminders(today).unwrap().iter().any(|r| r.clause_id == far.id));

    let lead = s.set_reminder_lead(&far.id, Some(days)).unwrap();
    assert_eq!(lead.own, Some(days as u32));
    assert_eq!(lead.leads, [days as u32, 30, 7, 1]);
    assert_eq!(s.reminder_lead(&far.id).unwrap(), lead);
    let r = s.reminders(today).unwrap().into_iter().find(|r| r.clause_id == far.id).expect("reminded now");
    assert_eq!((r.stage, r.own_lead), (ReminderStage::DueLead, Some(days as u32)));
    let last = s.history(&far.id).unwrap().pop().unwrap();
    assert_eq!(last.changes[0].field, "reminder_lead_days");
    assert_eq!((last.changes[0].old.as_deref(), last.changes[0].new.as_deref()), (None, Some(&*days.to_string())));

    // The same value again writes nothing; back to the defaults does.
    let audits = s.history(&far.id).unwrap().len();
    s.set_reminder_lead(&far.id, Some(days)).unwrap();
    assert_eq!(s.history(&far.id).unwrap().len(), audits);
    assert_eq!(s.set_reminder_lead(&far.id, None).unwrap().leads, [30, 7, 1]);
    assert!(!s.reminders(today).unwrap().iter().any(|r| r.clause_id == far.id));

    for bad in [0, -5, 366, 100_000] {
        let e = s.set_reminder_lead(&far.id, Some(bad)).unwrap_err();
        assert_eq!(e.code(), "reminder_lead_out_of_range", "{bad}");
        assert!(e.to_string().contains("between 1 and 365"), "{e}");
    }
    assert_eq!(s.set_reminder_lead("no-such-clause", Some(10)).unwrap_err().code(), "not_found");
}

#[test]
fn the_tray_counts_what_is_overdue_in_the_officer_s_language() {
    let mut s = Store::open_in_memory().unwrap();
    let today = day("2026-12-04");
    let empty = remind::tray(&s, today).unwrap();
    assert_eq!(empty.label, "");
    assert!(empty.summary.contains("nothing overdue"), "{}", empty.summary);
    s.load_demo().unwrap();
    let overdue = s.reminders(today).unwrap().iter().filter(|r| r.stage == ReminderStage::Overdue).count();
    let tray = remind::tray(&s, today).unwrap();
    assert_eq!(tray.label, overdue.to_string());
    assert!(tray.summary.starts_with(&format!("Clausebook — Overdue: {overdue}")), "{}", tray.summary);
    assert_eq!((tray.open.as_str(), tray.quit.as_str()), ("Open Clausebook", "Quit Clausebook"));
    s.update_settings(SettingsPatch { ui_language: Some(Lang::Fa), ..Default::default() }).unwrap();
    let fa = remind::tray(&s, today).unwrap();
    assert_eq!(fa.label, clausebook_core::calendar::persian_digits(&overdue.to_string()));
    assert!(fa.summary.contains("دارای تأخیر"), "{}", fa.summary);

    assert!(!s.settings().unwrap().tray, "off by default");
    s.update_settings(SettingsPatch { tray: Some(true), ..Default::default() }).unwrap();
    assert!(s.settings().unwrap().tray);
}

#[test]
fn reminders_list_open_clauses_overdue_or_due_soon_and_snoozing_hides_one() {
    let mut s = Store::open_in_memory().unwrap();
    s.load_demo().unwrap();
    let today = day("2026-12-04");
    let list = s.reminders(today).unwrap();
    assert!(list.iter().any(|r| r.stage == ReminderStage::Overdue), "the demo has overdue clauses");
    for r in &list {
        assert_eq!(Some(r.stage), stage(r.due_on, today, None));
        assert_eq!(r.days as i64, (r.due_on - today).num_days());
        let clause = s.clause(&r.clause_id).unwrap();
        assert!(!matches!(clause.status.as_str(), "completed" | "cancelled"), "{} is open", r.number);
    }
    assert!(list.windows(2).all(|w| w[0].due_on <= w[1].due_on), "earliest first");

    let first = list[0].clone();
    let until = s.snooze_reminder(&first.clause_id, SnoozeLength::Week, today).unwrap();
    assert_eq!(until, day("2026-12-11"));
    assert!(!s.reminders(today).unwrap().iter().any(|r| r.clause_id == first.clause_id), "snoozed");
    assert!(s.reminders(until).unwrap().iter().any(|r| r.clause_id == first.clause_id), "back on the day it ends");
    let history = s.history(&first.clause_id).unwrap();
    let last = history.last().unwrap();
    assert_eq!(last.changes[0].field, "reminders_snoozed_until");
    assert_eq!(last.changes[0].new.as_deref(), Some("2026-12-11"));
    assert_eq!(s.snooze_reminder("no-such-clause", SnoozeLength::Day, today).unwrap_err().code(), "not_found");
}

#[test]
fn a_check_tells_each_thing_once_and_nothing_when_reminders_are_off() {
    let mut s = Store::open_in_memory().unwrap();
    s.load_demo().unwrap();
    let today = day("2026-12-04");
    let mut notifier = Notifier::new();
    let first = remind::check(&s, &mut notifier, today).unwrap().expect("the demo has reminders");
    let overdue = s.reminders(today).unwrap().iter().filter(|r| r.stage == ReminderStage::Overdue).count();
    assert!(first.title.contains(&format!("Overdue: {overdue}")), "{}", first.title);
    assert_eq!(remind::check(&s, &mut notifier, today).unwrap(), None, "an hour later, nothing new");

    assert!(s.settings().unwrap().reminders, "on by default");
    s.update_settings(SettingsPatch { reminders: Some(false), ..Default::default() }).unwrap();
    assert!(!s.settings().unwrap().reminders);
    assert_eq!(remind::check(&s, &mut Notifier::new(), today).unwrap(), None, "off");
}

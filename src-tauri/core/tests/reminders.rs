//! Deadline reminders through the core: which clauses, at which stage,
//! snoozing, the setting that turns them off, and that a check tells each
//! thing once.

use chrono::NaiveDate;
use clausebook_core::Store;
use clausebook_core::model::SettingsPatch;
use clausebook_core::remind::{self, Notifier};
use clausebook_core::store::reminders::stage;
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
        assert_eq!(stage(day(due), today), want, "due {due}");
    }
}

#[test]
fn reminders_list_open_clauses_overdue_or_due_soon_and_snoozing_hides_one() {
    let mut s = Store::open_in_memory().unwrap();
    s.load_demo().unwrap();
    let today = day("2026-12-04");
    let list = s.reminders(today).unwrap();
    assert!(list.iter().any(|r| r.stage == ReminderStage::Overdue), "the demo has overdue clauses");
    for r in &list {
        assert_eq!(Some(r.stage), stage(r.due_on, today));
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

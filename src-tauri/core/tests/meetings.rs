//! Meetings through the store: recording one, suggesting its agenda,
//! recording outcomes, reviewing and applying the changes they propose, and
//! every refusal leaving the register as it was.

mod common;

use clausebook_core::calendar::Calendar;
use clausebook_core::deadline::Deadline;
use clausebook_core::model::meeting::{NewAgendaItem, NewMeeting, NewOutcome, NewParticipant};
use clausebook_core::model::{Clause, ClausePatch, ClauseStatus, NewClause};
use clausebook_core::vocab::{AgendaReason, MeetingKind, MeetingStatus, OutcomeKind, Side};
use clausebook_core::{Store, StoreError};
use common::{agreement, date, footprint, outcome, partner, today};
use proptest::prelude::*;

/// A register with Tajikistan, an action plan signed 2025-04-27 with four
/// clauses (overdue, due soon, far off, completed), another agreement, and a
/// meeting on 2026-12-01 about the plan.
struct Fixture {
    store: Store,
    plan: String,
    other: String,
    clauses: Vec<Clause>,
    tajikistan: String,
}

fn clause(s: &mut Store, agreement: &str, number: &str, due: Option<&str>, status: ClauseStatus) -> Clause {
    let mut new = NewClause::new(agreement, number, format!("Clause {number} of the plan"));
    new.deadline = due.map_or(Deadline::None, |d| Deadline::On { date: date(d) });
    new.status = status;
    s.create_clause(new, today()).unwrap().clause
}

fn fixture() -> Fixture {
    let mut store = Store::open_in_memory().unwrap();
    let tj = partner(&mut store, "Tajikistan");
    let plan = agreement(&mut store, &[&tj], Some("2025-04-27"), Calendar::Persian).id;
    let other = agreement(&mut store, &[&tj], Some("2025-04-27"), Calendar::Gregorian).id;
    let clauses = vec![
        clause(&mut store, &plan, "1", Some("2026-06-01"), ClauseStatus::InProgress),
        clause(&mut store, &plan, "2", Some("2026-12-20"), ClauseStatus::NotStarted),
        clause(&mut store, &plan, "3", Some("2027-06-01"), ClauseStatus::NotStarted),
        clause(&mut store, &plan, "4", Some("2026-01-01"), ClauseStatus::Completed),
        clause(&mut store, &other, "1", Some("2026-01-01"), ClauseStatus::NotStarted),
    ];
    Fixture { store, plan, other, clauses, tajikistan: tj.id }
}

fn new_meeting(f: &Fixture, on: &str) -> NewMeeting {
    NewMeeting {
        title: "Joint commission, 3rd session".into(),
        kind: MeetingKind::JointCommission,
        on_date: date(on),
        calendar: Calendar::Persian,
        starts_at: Some("9:30".into()),
        place: Some("Dushanbe".into()),
        remote: false,
        status: MeetingStatus::Planned,
        next_on: None,
        partner_ids: vec![f.tajikistan.clone()],
        agreement_ids: vec![f.plan.clone()],
        participants: vec![
            NewParticipant {
                side: Side::Ours,
                name: "مریم احمدی".into(),
                role: Some("Deputy Minister".into()),
                body: None,
            },
            NewParticipant {
                side: Side::Theirs,
                name: "Гулнора Раҳимова".into(),
                role: Some("First Deputy Minister".into()),
                body: Some("Ministry of Health and Social Protection".into()),
            },
        ],
    }
}

fn update(item: &str, patch: ClausePatch) -> NewOutcome {
    NewOutcome { update: Some(patch), ..outcome(item, OutcomeKind::ClauseUpdate) }
}

#[test]
fn a_meeting_records_both_sides_and_refuses_what_is_missing() {
    let mut f = fixture();
    let m = f.store.create_meeting(new_meeting(&f, "2026-12-01")).unwrap();
    assert_eq!(m.starts_at.as_deref(), Some("09:30"));
    assert_eq!(m.partners[0].name, "Tajikistan");
    assert_eq!(m.participants.len(), 2);
    assert_eq!(m.participants[1].name, "Гулнора Раҳимова");
    assert_eq!(f.store.meetings(Some(&f.tajikistan)).unwrap().len(), 1);

    let before = footprint(&f.store);
    let cases: Vec<(NewMeeting, &str)> = vec![
        (NewMeeting { title: "  ".into(), ..new_meeting(&f, "2026-12-01") }, "empty_field"),
        (NewMeeting { partner_ids: vec![], ..new_meeting(&f, "2026-12-01") }, "no_parties"),
        (NewMeeting { starts_at: Some("25:00".into()), ..new_meeting(&f, "2026-12-01") }, "bad_time"),
        (NewMeeting { starts_at: Some("half past nine".into()), ..new_meeting(&f, "2026-12-01") }, "bad_time"),
        (NewMeeting { next_on: Some(date("2026-11-01")), ..new_meeting(&f, "2026-12-01") }, "next_before_meeting"),
        (NewMeeting { agreement_ids: vec!["nope".into()], ..new_meeting(&f, "2026-12-01") }, "not_found"),
    ];
    for (bad, code) in cases {
        let e = f.store.create_meeting(bad).unwrap_err();
        assert_eq!(e.code(), code, "{e}");
    }
    assert_eq!(footprint(&f.store), before, "nothing written by a refused meeting");
}

#[test]
fn the_suggested_agenda_holds_overdue_due_and_changed_clauses() {
    let mut f = fixture();
    let m = f.store.create_meeting(new_meeting(&f, "2026-12-01")).unwrap();
    let suggested = f.store.suggest_agenda(&m.id, today()).unwrap();
    let got: Vec<(&str, &[AgendaReason])> =
        suggested.iter().map(|s| (s.clause.number.as_str(), s.reasons.as_slice())).collect();
    // 1 is overdue on 2026-11-22; 2 falls due before the meeting plus 30
    // days; 3 is later; 4 is completed; the other agreement's is not this
    // meeting's.
    assert_eq!(got, [("1", &[AgendaReason::Overdue][..]), ("2", &[AgendaReason::DueSoon][..])]);

    // Taken onto the agenda, they are not suggested again.
    let items = suggested.iter().map(|s| NewAgendaItem { clause_id: Some(s.clause.id.clone()), text: None }).collect();
    let d = f.store.add_agenda_items(&m.id, items).unwrap();
    assert_eq!(d.agenda.len(), 2);
    assert!(f.store.suggest_agenda(&m.id, today()).unwrap().is_empty());

    // After a held meeting, the next one suggests what changed since.
    f.store.set_meeting_status(&m.id, MeetingStatus::Held).unwrap();
    let next = f.store.create_meeting(new_meeting(&f, "2027-03-01")).unwrap();
    let three = &f.clauses[2];
    f.store.update_clause(&three.id, ClausePatch { percent: Some(Some(40)), ..Default::default() }, today()).unwrap();
    let suggested = f.store.suggest_agenda(&next.id, today()).unwrap();
    let three_is = suggested.iter().find(|s| s.clause.id == three.id).expect("clause 3 changed since the last meeting");
    assert_eq!(three_is.reasons, [AgendaReason::Changed]);
}

#[test]
fn an_agenda_and_its_outcomes_refuse_what_does_not_fit() {
    let mut f = fixture();
    let m = f.store.create_meeting(new_meeting(&f, "2026-11-20")).unwrap();
    let before = footprint(&f.store);
    let foreign = NewAgendaItem { clause_id: Some(f.clauses[4].id.clone()), text: None };
    let e = f.store.add_agenda_items(&m.id, vec![foreign]).unwrap_err();
    assert_eq!(e.code(), "agenda_clause_unrelated");
    assert!(e.to_string().contains("add that agreement to the meeting first"), "{e}");
    let empty = NewAgendaItem { clause_id: None, text: Some("  ".into()) };
    assert_eq!(f.store.add_agenda_items(&m.id, vec![empty]).unwrap_err().code(), "empty_field");
    assert_eq!(footprint(&f.store), before);

    let d = f
        .store
        .add_agenda_items(
            &m.id,
            vec![
                NewAgendaItem { clause_id: Some(f.clauses[0].id.clone()), text: None },
                NewAgendaItem { clause_id: None, text: Some("Dates of the next session".into()) },
            ],
        )
        .unwrap();
    let (clause_item, text_item) = (&d.agenda[0].id, &d.agenda[1].id);
    let e = f.store.add_outcome(outcome(text_item, OutcomeKind::Decision)).unwrap_err();
    assert_eq!(e.code(), "empty_field", "a decision says what was decided");
    let patch = ClausePatch { status: Some(ClauseStatus::Completed), ..Default::default() };
    assert_eq!(f.store.add_outcome(update(text_item, patch)).unwrap_err().code(), "outcome_needs_clause");
    let early = ClausePatch { deadline: Some(Deadline::On { date: date("2025-01-01") }), ..Default::default() };
    assert_eq!(f.store.add_outcome(update(clause_item, early)).unwrap_err().code(), "deadline_before_signing");
    assert_eq!(f.store.add_outcome(update(clause_item, ClausePatch::default())).unwrap_err().code(), "empty_field");
    let mut elsewhere = NewClause::new(&f.other, "9", "A clause of another agreement");
    elsewhere.deadline = Deadline::None;
    let e = f
        .store
        .add_outcome(NewOutcome { new_clause: Some(elsewhere), ..outcome(text_item, OutcomeKind::NewClause) })
        .unwrap_err();
    assert_eq!(e.code(), "new_clause_elsewhere");
}

#[test]
fn applying_changes_the_clauses_notes_the_meeting_and_changes_nothing_twice() {
    let mut f = fixture();
    let m = f.store.create_meeting(new_meeting(&f, "2026-11-20")).unwrap();
    let items = vec![
        NewAgendaItem { clause_id: Some(f.clauses[0].id.clone()), text: None },
        NewAgendaItem { clause_id: Some(f.clauses[1].id.clone()), text: Some("Curricula".into()) },
        NewAgendaItem { clause_id: None, text: Some("Next session".into()) },
    ];
    let d = f.store.add_agenda_items(&m.id, items).unwrap();
    let ids: Vec<String> = d.agenda.iter().map(|i| i.id.clone()).collect();
    let done = ClausePatch { status: Some(ClauseStatus::Completed), ..Default::default() };
    f.store.add_outcome(NewOutcome { text: Some("Training held in Tehran".into()), ..update(&ids[0], done) }).unwrap();
    let later = ClausePatch {
        deadline: Some(Deadline::On { date: date("2027-03-01") }),
        partner_lead: Some(Some("Ministry of Labour".into())),
        ..Default::default()
    };
    f.store.add_outcome(update(&ids[1], later)).unwrap();
    let decision = NewOutcome {
        text: Some("Hold the 4th session in Tehran".into()),
        owner_side: Some(Side::Ours),
        owner: Some("International department".into()),
        due_on: Some(date("2027-02-01")),
        ..outcome(&ids[2], OutcomeKind::Decision)
    };
    f.store.add_outcome(decision).unwrap();
    let mut added = NewClause::new(&f.plan, "5", "Exchange of rehabilitation experts");
    added.deadline = Deadline::On { date: date("2027-05-01") };
    f.store.add_outcome(NewOutcome { new_clause: Some(added), ..outcome(&ids[2], OutcomeKind::NewClause) }).unwrap();

    // Not until it is held.
    assert_eq!(f.store.apply_outcomes(&m.id, None, today()).unwrap_err().code(), "meeting_not_held");
    f.store.set_meeting_status(&m.id, MeetingStatus::Held).unwrap();

    // The review: now → proposed.
    let review = f.store.review(&m.id).unwrap();
    assert_eq!(review.len(), 3);
    let first = &review[0].changes[0];
    assert_eq!(
        (first.field.as_str(), first.old.as_deref(), first.new.as_deref()),
        ("status", Some("in_progress"), Some("completed"))
    );
    assert_eq!(review[2].number, "5");

    let applied = f.store.apply_outcomes(&m.id, None, today()).unwrap();
    assert_eq!((applied.updated, applied.created, applied.notes), (2, 1, 3));
    let one = f.store.clause(&f.clauses[0].id).unwrap();
    assert_eq!((one.status, one.percent), (ClauseStatus::Completed, Some(100)));
    let two = f.store.clause(&f.clauses[1].id).unwrap();
    assert_eq!(two.due_on, Some(date("2027-03-01")));
    assert_eq!(two.partner_lead.as_deref(), Some("Ministry of Labour"));
    let notes = f.store.notes(&one.id).unwrap();
    let note = notes.last().unwrap();
    assert_eq!(note.on_date, date("2026-11-20"));
    assert!(note.text.starts_with("Meeting “Joint commission, 3rd session”, agenda item 1: "), "{}", note.text);
    assert!(note.text.ends_with("agenda item 1: Training held in Tehran"), "{}", note.text);
    // The clause's history says where the change came from.
    let history = f.store.history(&one.id).unwrap();
    let change = history.iter().rev().find(|e| e.action == "update").unwrap();
    assert!(
        change
            .changes
            .iter()
            .any(|c| c.field == "meeting" && c.new.as_deref().is_some_and(|v| v.starts_with("Joint commission")))
    );
    assert_eq!(f.store.review(&m.id).unwrap().iter().filter(|r| r.applied).count(), 3);

    // Again: nothing changes; naming an applied outcome is refused.
    let before = footprint(&f.store);
    let again = f.store.apply_outcomes(&m.id, None, today()).unwrap();
    assert_eq!((again.updated, again.created, again.notes), (0, 0, 0));
    assert_eq!(footprint(&f.store), before);
    let e = f.store.apply_outcomes(&m.id, Some(vec![review[0].outcome_id.clone()]), today()).unwrap_err();
    assert_eq!(e.code(), "outcome_applied");
}

#[test]
fn an_outcome_on_a_deleted_clause_stops_the_whole_apply() {
    let mut f = fixture();
    let m =
        f.store.create_meeting(NewMeeting { status: MeetingStatus::Held, ..new_meeting(&f, "2026-11-20") }).unwrap();
    let items = f.clauses[..2].iter().map(|c| NewAgendaItem { clause_id: Some(c.id.clone()), text: None }).collect();
    let d = f.store.add_agenda_items(&m.id, items).unwrap();
    for item in &d.agenda {
        let patch = ClausePatch { percent: Some(Some(50)), ..Default::default() };
        f.store.add_outcome(update(&item.id, patch)).unwrap();
    }
    f.store.delete_clause(&f.clauses[1].id).unwrap();
    let before = footprint(&f.store);
    let e = f.store.apply_outcomes(&m.id, None, today()).unwrap_err();
    assert_eq!(e.code(), "outcome_clause_deleted");
    assert!(e.to_string().contains("clause 2 was deleted"), "{e}");
    assert_eq!(footprint(&f.store), before, "nothing half-applied");
    assert_eq!(f.store.clause(&f.clauses[0].id).unwrap().percent, None);
    assert!(matches!(e, StoreError::Meeting(_)));
}

/// The fields a generated outcome may set, with small value sets so that
/// outcomes collide on the same clause and field.
fn patch_strategy() -> impl Strategy<Value = ClausePatch> {
    (
        proptest::option::of(prop_oneof![
            Just(ClauseStatus::InProgress),
            Just(ClauseStatus::Completed),
            Just(ClauseStatus::OnHold)
        ]),
        proptest::option::of(proptest::option::of(0u8..=100)),
        proptest::option::of(proptest::option::of(prop_oneof![Just("A".to_owned()), Just("B".to_owned())])),
    )
        .prop_filter("a change", |(s, p, l)| s.is_some() || p.is_some() || l.is_some())
        .prop_map(|(status, percent, our_lead)| ClausePatch { status, percent, our_lead, ..Default::default() })
}

proptest! {
    #![proptest_config(common::proptest_config(48))]

    /// Applying a meeting's outcomes in any grouping and order ends with the
    /// same clauses as applying them all at once: a field two outcomes set
    /// takes the later agenda item's value.
    #[test]
    fn applying_outcomes_in_any_order_gives_one_result(
        outcomes in proptest::collection::vec((0usize..3, patch_strategy()), 1..8),
        order in any::<u64>(),
    ) {
        let run = |batches: Vec<Vec<usize>>| -> Vec<(ClauseStatus, Option<u8>, Option<String>)> {
            let mut f = fixture();
            let m = f.store.create_meeting(NewMeeting { status: MeetingStatus::Held, ..new_meeting(&f, "2026-11-20") }).unwrap();
            let items = outcomes.iter().map(|(c, _)| NewAgendaItem { clause_id: Some(f.clauses[*c].id.clone()), text: None }).collect();
            let d = f.store.add_agenda_items(&m.id, items).unwrap();
            let ids: Vec<String> = d.agenda.iter().zip(&outcomes)
                .map(|(item, (_, patch))| f.store.add_outcome(update(&item.id, patch.clone())).unwrap().id)
                .collect();
            for batch in batches {
                f.store.apply_outcomes(&m.id, Some(batch.iter().map(|i| ids[*i].clone()).collect()), today()).unwrap();
            }
            f.clauses[..3].iter().map(|c| {
                let c = f.store.clause(&c.id).unwrap();
                (c.status, c.percent, c.our_lead)
            }).collect()
        };
        let all = run(vec![(0..outcomes.len()).collect()]);
        // A shuffled order, applied one outcome at a time and in two batches.
        let mut shuffled: Vec<usize> = (0..outcomes.len()).collect();
        let mut seed = order;
        for i in (1..shuffled.len()).rev() {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (seed >> 33) as usize % (i + 1));
        }
        let one_by_one = run(shuffled.iter().map(|i| vec![*i]).collect());
        prop_assert_eq!(&one_by_one, &all);
        let half = shuffled.len() / 2;
        let two = run(vec![shuffled[half..].to_vec(), shuffled[..half].to_vec()]);
        prop_assert_eq!(&two, &all);
    }
}

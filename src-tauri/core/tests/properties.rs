//! Property tests: random sequences of operations keep the register's
//! invariants.

mod common;

use clausebook_core::Store;
use clausebook_core::calendar::Calendar;
use clausebook_core::deadline::{Deadline, OffsetUnit};
use clausebook_core::model::{
    AgreementPatch, ClauseMove, ClausePatch, ClauseStatus, DUE_SOON_DAYS, DueState, NewClause,
};
use common::{agreement, date, partner, today};
use proptest::prelude::*;

proptest! {
    #![proptest_config(common::proptest_config(48))]

    /// Whatever moves are asked for, the clauses stay a forest: every
    /// ancestor chain ends, and refused moves are refused as cycles. Every
    /// answer a move gives holds: its rows are the table's rows as they now
    /// are, and its order is the table's order.
    #[test]
    fn tree_moves_never_create_cycles(moves in prop::collection::vec((0usize..8, 0u8..5, prop::option::of(0usize..8), prop::option::of(0u32..4)), 1..40)) {
        let mut s = Store::open_in_memory().unwrap();
        let tj = partner(&mut s, "Tajikistan");
        let a = agreement(&mut s, &[&tj], None, Calendar::Gregorian);
        let ids: Vec<String> = (0..8)
            .map(|i| s.create_clause(NewClause::new(&a.id, format!("{i}"), "Clause"), today()).unwrap().clause.id)
            .collect();
        let mut table = s.clause_rows(&a.id, today()).unwrap();
        for (clause, kind, parent, index) in moves {
            let to = match kind {
                0 => ClauseMove::Up,
                1 => ClauseMove::Down,
                2 => ClauseMove::Indent,
                3 => ClauseMove::Outdent,
                _ => ClauseMove::Under { parent: parent.map(|p| ids[p].clone()), index },
            };
            let under = matches!(to, ClauseMove::Under { .. });
            match s.move_clause(&ids[clause], to, today()) {
                Ok(change) => {
                    if under {
                        prop_assert_eq!(&change.clause.parent_id, &parent.map(|p| ids[p].clone()));
                    }
                    // What a front end does with the answer gives the table
                    // as it now is.
                    let rows = s.clause_rows(&a.id, today()).unwrap();
                    let order = change.order.clone().unwrap_or_else(|| table.iter().map(|r| r.clause.id.clone()).collect());
                    table = order
                        .iter()
                        .map(|id| change.rows.iter().chain(&table).find(|r| &r.clause.id == id).unwrap().clone())
                        .collect();
                    prop_assert_eq!(&table, &rows);
                }
                Err(e) => {
                    prop_assert!(under, "a one-step move is never refused: {}", e);
                    prop_assert_eq!(e.code(), "cycle");
                }
            }
        }
        let rows = s.clause_rows(&a.id, common::today()).unwrap();
        prop_assert_eq!(rows.len(), 8, "every clause still shows in the tree");
        for id in &ids {
            let mut at = s.clause(id).unwrap();
            let mut steps = 0;
            while let Some(p) = at.parent_id.clone() {
                at = s.clause(&p).unwrap();
                steps += 1;
                prop_assert!(steps < 8, "the ancestor chain of {} loops", id);
            }
        }
    }

    /// The trigger-kept dashboard always equals a count made from scratch,
    /// and the overdue and due-soon lists (read through the index of open
    /// clauses by due day) hold as many clauses as it counts.
    #[test]
    fn dashboard_counts_match_a_recount(ops in prop::collection::vec((0u8..8, 0usize..6, 0usize..5, 0i64..400), 1..30)) {
        let mut s = Store::open_in_memory().unwrap();
        let tj = partner(&mut s, "Tajikistan");
        let uz = partner(&mut s, "Uzbekistan");
        let a = agreement(&mut s, &[&tj, &uz], Some("2025-01-01"), Calendar::Persian);
        let b = agreement(&mut s, &[&tj], Some("2025-01-01"), Calendar::Gregorian);
        let today = date("2026-01-01");
        let mut clauses: Vec<String> = Vec::new();
        let mut deletions: Vec<String> = Vec::new();
        let mut n = 0;
        for (op, pick, status, days) in ops {
            let status = ClauseStatus::ALL[status];
            // Every third deadline counts from the signing, so that moving
            // the signing date (op 7) moves it.
            let due = if days % 3 == 0 {
                Deadline::AfterSigning { amount: days as u32, unit: OffsetUnit::Days }
            } else {
                Deadline::On { date: date("2025-06-01") + chrono::Days::new(days as u64) }
            };
            match op {
                0 | 1 => {
                    n += 1;
                    let mut new = NewClause::new(if op == 0 { &a.id } else { &b.id }, format!("{n}"), "Work");
                    new.status = status;
                    new.deadline = due;
                    // A deleted agreement refuses new clauses, and so does one
                    // signed (op 7) after the fixed deadline; that is fine here.
                    match s.create_clause(new, today) {
                        Ok(c) => clauses.push(c.clause.id),
                        Err(e) => prop_assert!(
                            matches!(e.code(), "not_found" | "deadline_before_signing"),
                            "unexpected refusal: {}", e
                        ),
                    }
                }
                2 if !clauses.is_empty() => {
                    let id = &clauses[pick % clauses.len()];
                    let _ = s.update_clause(id, ClausePatch { status: Some(status), deadline: Some(due), ..Default::default() }, today);
                }
                3 if !clauses.is_empty() => {
                    let id = clauses[pick % clauses.len()].clone();
                    if let Ok(d) = s.delete_clause(&id) { deletions.push(d) }
                }
                4 if !deletions.is_empty() => { let _ = s.restore(&deletions.remove(pick % deletions.len())); }
                5 => {
                    let parties = if pick % 2 == 0 { vec![tj.id.clone()] } else { vec![uz.id.clone(), tj.id.clone()] };
                    if let Err(e) = s.update_agreement(&a.id, AgreementPatch { parties: Some(parties), ..Default::default() }) {
                        prop_assert_eq!(e.code(), "not_found");
                    }
                }
                6 => {
                    if let Ok(d) = s.delete_agreement(if pick % 2 == 0 { &a.id } else { &b.id }) { deletions.push(d) }
                }
                7 => {
                    let signed = date("2024-09-01") + chrono::Days::new(days as u64);
                    let patch = AgreementPatch { signed_on: Some(Some(signed)), ..Default::default() };
                    // Refused when a fixed deadline would fall before the
                    // signing, or the agreement is deleted; fine here.
                    let _ = s.update_agreement(if pick % 2 == 0 { &a.id } else { &b.id }, patch);
                }
                _ => {}
            }
            // Recount from the clause lists, seen on days before, inside and
            // after the due dates (mid-month and month ends: the dashboard
            // sums whole months, then days).
            for today in [today, date("2025-05-20"), date("2025-09-17"), date("2026-02-28"), date("2026-07-10")] {
                let d = s.dashboard(today).unwrap();
                let mut overall = (0u32, 0u32, 0u32);
                let mut per_partner = std::collections::HashMap::<String, (u32, u32, u32)>::new();
                for ag in s.agreements(None).unwrap() {
                    for r in s.clause_rows(&ag.id, common::today()).unwrap() {
                        let (od, soon) = match r.clause.due_state(today) {
                            DueState::Overdue { .. } => (1, 0),
                            DueState::DueSoon { .. } => (0, 1),
                            _ => (0, 0),
                        };
                        overall = (overall.0 + 1, overall.1 + od, overall.2 + soon);
                        for p in &ag.parties {
                            let e = per_partner.entry(p.partner_id.clone()).or_default();
                            *e = (e.0 + 1, e.1 + od, e.2 + soon);
                        }
                    }
                }
                prop_assert_eq!((d.overall.counts.total(), d.overall.overdue, d.overall.due_soon), overall);
                let overdue = s.overdue(today, None, 1000).unwrap();
                prop_assert_eq!(overdue.len() as u32, overall.1);
                prop_assert!(overdue.windows(2).all(|w| w[0].clause.due_on <= w[1].clause.due_on), "most overdue first");
                let soon = s.due_between(today, today + chrono::Days::new(DUE_SOON_DAYS as u64), None, 1000).unwrap();
                prop_assert_eq!(soon.len() as u32, overall.2);
                for (partner, counted) in &per_partner {
                    prop_assert_eq!(s.overdue(today, Some(partner), 1000).unwrap().len() as u32, counted.1);
                }
                for card in &d.partners {
                    let live = s.agreements(None).unwrap().iter().filter(|ag| ag.parties.iter().any(|p| p.partner_id == card.partner.id)).count();
                    prop_assert_eq!(card.agreements as usize, live, "live agreements of {}", card.partner.name);
                    let f = card.figures;
                    prop_assert_eq!(
                        (f.counts.total(), f.overdue, f.due_soon),
                        per_partner.get(&card.partner.id).copied().unwrap_or_default(),
                        "partner {} on {}", card.partner.name, today
                    );
                }
            }
        }
    }
}

//! Shared fixtures for the integration tests.
#![allow(dead_code)]

use chrono::NaiveDate;
use clausebook_core::Store;
use clausebook_core::calendar::Calendar;
use clausebook_core::model::{
    Agreement, AgreementStatus, Clause, NewAgreement, NewClause, NewPartner, Partner, PartnerKind,
};
use clausebook_core::store::import::{Import, ImportAgreement, ImportClause, ImportError, ImportTarget};

/// The day the tests stand on.
pub fn today() -> NaiveDate {
    date("2026-11-22")
}

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test dates are ISO")
}

pub fn partner(store: &mut Store, name: &str) -> Partner {
    store
        .create_partner(NewPartner { kind: Some(PartnerKind::Country), name: name.into(), ..Default::default() })
        .expect("partner")
}

pub fn agreement(store: &mut Store, parties: &[&Partner], signed_on: Option<&str>, calendar: Calendar) -> Agreement {
    let mut new = NewAgreement::draft("Action plan", parties.iter().map(|p| p.id.clone()).collect());
    new.signed_on = signed_on.map(date);
    new.calendar = calendar;
    new.status = AgreementStatus::InForce;
    store.create_agreement(new).expect("agreement")
}

/// How many audit rows, and how many rows in all user tables: a failed write
/// must change neither.
pub fn footprint(store: &Store) -> (usize, usize, usize, usize) {
    let audit = store.recent_changes(u32::MAX).unwrap().len();
    let partners = store.partners().unwrap().len();
    let agreements = store.agreements(None).unwrap();
    let clauses: usize = agreements.iter().map(|a| store.clause_rows(&a.id, today()).unwrap().len()).sum();
    (audit, partners, agreements.len(), clauses)
}

/// Adds clauses to an existing agreement through the one bulk path, as an
/// import into it does; each clause's `parent_id` may name a clause there.
pub fn import_into(store: &mut Store, agreement_id: &str, clauses: Vec<NewClause>) -> Result<Vec<Clause>, ImportError> {
    let target = ImportAgreement {
        target: ImportTarget::Existing(agreement_id.to_owned()),
        new_parties: Vec::new(),
        clauses: clauses.into_iter().map(ImportClause::leaf).collect(),
        updates: Vec::new(),
    };
    Ok(store.import(Import { partners: Vec::new(), agreements: vec![target] })?.clauses)
}

/// An outcome of `kind` for agenda item `item`, every other field empty.
pub fn outcome(item: &str, kind: clausebook_core::vocab::OutcomeKind) -> clausebook_core::model::meeting::NewOutcome {
    clausebook_core::model::meeting::NewOutcome {
        item_id: item.into(),
        kind,
        text: None,
        owner_side: None,
        owner: None,
        due_on: None,
        update: None,
        new_clause: None,
    }
}

/// The property tests' settings: `cases` cases, the same ones every run (a
/// fixed seed), so that a case that fails only now and then cannot fail CI
/// at random. For a search, PROPTEST_CASES=500 and PROPTEST_RNG_SEED=<any
/// number>; a case a search finds becomes a test of its own.
pub fn proptest_config(cases: u32) -> proptest::test_runner::Config {
    use proptest::test_runner::{Config, RngSeed};
    Config {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(cases),
        rng_seed: match Config::default().rng_seed {
            RngSeed::Random => RngSeed::Fixed(20_261_207),
            seed => seed,
        },
        ..Config::default()
    }
}

//! The Solar Hijri calendar against the official leap-year table
//! (shared/data/persian-calendar/kabise.txt, years 1206–1498).

use chrono::{Datelike, NaiveDate};
use clausebook_core::calendar::{from_persian, is_persian_leap_year, persian_month_len, to_persian};

fn kabise() -> Vec<(i32, bool, NaiveDate)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/persian-calendar/kabise.txt");
    let text = std::fs::read_to_string(path).expect("the shared leap table sits beside the project");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (year, first) = l.split_once(' ').expect("two columns");
            let leap = year.ends_with('*');
            let year: i32 = year.trim_end_matches('*').parse().expect("year");
            (year, leap, NaiveDate::parse_from_str(first.trim(), "%Y-%m-%d").expect("date"))
        })
        .collect()
}

#[test]
fn every_year_of_the_official_table_starts_on_its_day_and_leaps_as_listed() {
    let table = kabise();
    assert_eq!(table.len(), 1498 - 1206 + 1);
    for (year, leap, first) in table {
        assert_eq!(from_persian(year, 1, 1).unwrap(), first, "1 Farvardin {year}");
        assert_eq!(to_persian(first).to_string(), format!("{year:04}/01/01"));
        assert_eq!(is_persian_leap_year(year), leap, "leap year {year}");
        assert_eq!(persian_month_len(year, 12), if leap { 30 } else { 29 }, "Esfand {year}");
    }
}

#[test]
fn every_day_of_1300_to_1500_round_trips() {
    let mut day = from_persian(1300, 1, 1).unwrap();
    let end = from_persian(1500, 12, persian_month_len(1500, 12)).unwrap();
    let mut count = 0;
    while day <= end {
        let p = to_persian(day);
        assert_eq!(from_persian(p.year, p.month, p.day).unwrap(), day);
        day = day.succ_opt().unwrap();
        count += 1;
    }
    assert_eq!(count, (end - from_persian(1300, 1, 1).unwrap()).num_days() + 1);
    assert!(count > 73_000 && end.year() == 2122);
}

//! What every bench shares: how a verdict is printed.

/// PASS or MISS: each figure is judged on its ratio to a reference measured
/// in the same run (or, for the register's reads, on an absolute target with
/// a 2× margin).
pub fn verdict(pass: bool) -> &'static str {
    if pass { "PASS" } else { "MISS" }
}

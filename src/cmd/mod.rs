//! The subcommands. Each takes its options and a [`Shell`], does its work through the
//! pipeline, and says whether it succeeded; `main.rs` maps that to an exit code.

pub mod build;
pub mod check;
pub mod init;
pub mod lock;
pub mod report;

use chrono::NaiveDate;

use crate::diagnostics::{self, Diagnostic};

/// The day statuses are computed for: `--as-of`, else `SOURCE_DATE_EPOCH` (for reproducible
/// builds), else today's local date.
pub fn as_of(explicit: Option<NaiveDate>) -> NaiveDate {
    explicit
        .or_else(|| {
            let seconds: i64 = std::env::var("SOURCE_DATE_EPOCH")
                .ok()?
                .trim()
                .parse()
                .ok()?;
            Some(chrono::DateTime::from_timestamp(seconds, 0)?.date_naive())
        })
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// `1 error, 2 warnings`.
pub fn tally(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics::count_errors(diagnostics);
    let warnings = diagnostics.len() - errors;
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

//! The subcommands. Each takes its options and a [`Shell`], does its work through the
//! pipeline, and says whether it succeeded; `main.rs` maps that to an exit code.

pub mod build;
pub mod check;
pub mod init;

use crate::diagnostics::{self, Diagnostic};

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

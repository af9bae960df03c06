//! Terminal output: status lines, diagnostics, and errors, on stderr so stdout stays clean
//! for machine-readable output. Colours are written only when stderr is a terminal (or
//! `--color always`); `anstream` strips them otherwise.

use std::io::Write;

use crate::diagnostics::{Diagnostic, Severity, Sources};

/// How much to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

pub struct Shell {
    pub verbosity: Verbosity,
}

const BOLD_GREEN: &str = "\x1b[1;32m";
const BOLD_RED: &str = "\x1b[1;31m";
const BOLD_CYAN: &str = "\x1b[1;36m";
const RESET: &str = "\x1b[0m";

impl Shell {
    pub fn new(verbosity: Verbosity) -> Self {
        Shell { verbosity }
    }

    /// A cargo-style status line: `    Building 37 pages`.
    pub fn status(&self, verb: &str, message: &str) {
        if self.verbosity >= Verbosity::Normal {
            let mut err = anstream::stderr();
            let _ = writeln!(err, "{BOLD_GREEN}{verb:>12}{RESET} {message}");
        }
    }

    /// Details shown with `-v`.
    pub fn verbose(&self, message: &str) {
        if self.verbosity >= Verbosity::Verbose {
            let mut err = anstream::stderr();
            let _ = writeln!(err, "{BOLD_CYAN}{:>12}{RESET} {message}", "Info");
        }
    }

    /// Prints diagnostics; warnings are hidden by `--quiet`, errors never are.
    pub fn diagnostics(&self, diagnostics: &[Diagnostic], sources: &Sources) {
        let mut err = anstream::stderr();
        for diagnostic in diagnostics {
            if diagnostic.severity == Severity::Warning && self.verbosity == Verbosity::Quiet {
                continue;
            }
            let _ = writeln!(err, "{}\n", diagnostic.render(sources, true));
        }
    }

    /// An environment failure, with its chain of causes.
    pub fn error(&self, error: &anyhow::Error) {
        let mut err = anstream::stderr();
        let _ = write!(err, "{BOLD_RED}error{RESET}: {error}");
        for cause in error.chain().skip(1) {
            let _ = write!(err, "\n  caused by: {cause}");
        }
        let _ = writeln!(err);
    }

    /// The last line of a failed run.
    pub fn failed(&self, message: &str) {
        let mut err = anstream::stderr();
        let _ = writeln!(err, "{BOLD_RED}error{RESET}: {message}");
    }
}

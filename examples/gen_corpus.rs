//! Generates a benchmark project: checklist pages shaped like the Learn checklists, evidence
//! records in every status with small attachments, training modules and framework mappings.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --pages 10000 --evidence 20000 --out /tmp/corpus
//! ppdocs build --root /tmp/corpus --as-of 2026-11-28
//! ```

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: gen_corpus --pages N --out DIR [--evidence M] [--modules K] [--seed S]

  --pages N      checklist pages (about 10 KB each, 5-7 sections of 4-8 tasks)
  --evidence M   evidence records spread over the tasks (default 2 x pages)
  --modules K    training modules (default one per 50 pages, at most 200)
  --seed S       the same seed gives the same files (default 1)
  --out DIR      where to write the project; must be missing or empty

Build it with `ppdocs build --root DIR --as-of 2026-11-28`: records are dated against that
day, so some have expired and some are due for review.";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut pages = None;
    let mut evidence = None;
    let mut modules = None;
    let mut seed = None;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            println!("{USAGE}");
            return Ok(());
        }
        let value = args
            .next()
            .ok_or_else(|| format!("`{flag}` needs a value"))?;
        let number = || {
            value
                .parse::<u64>()
                .map_err(|_| format!("`{flag}` takes a whole number, not `{value}`"))
        };
        match flag.as_str() {
            "--pages" => pages = Some(number()? as usize),
            "--evidence" => evidence = Some(number()? as usize),
            "--modules" => modules = Some(number()? as usize),
            "--seed" => seed = Some(number()?),
            "--out" => out = Some(PathBuf::from(&value)),
            _ => return Err(format!("unknown option `{flag}`")),
        }
    }
    let pages = pages.ok_or("`--pages` is required")?;
    let out = out.ok_or("`--out` is required")?;
    if out.exists()
        && std::fs::read_dir(&out)
            .map_err(|e| format!("{}: {e}", out.display()))?
            .next()
            .is_some()
    {
        return Err(format!(
            "{} is not empty; choose a new folder",
            out.display()
        ));
    }
    let mut options = corpus::Options::new(pages);
    options.evidence = evidence.unwrap_or(options.evidence);
    options.modules = modules.unwrap_or(options.modules);
    options.seed = seed.unwrap_or(options.seed);
    let summary =
        corpus::generate(&out, &options).map_err(|e| format!("writing {}: {e}", out.display()))?;
    println!(
        "{}: {} pages, {} tasks, {} evidence records, {} training modules; {} files, {:.1} MB",
        out.display(),
        options.pages,
        summary.tasks,
        options.evidence,
        options.modules,
        summary.files,
        summary.bytes as f64 / 1e6
    );
    println!(
        "build it with: ppdocs build --root {} --as-of {}",
        out.display(),
        corpus::AS_OF
    );
    Ok(())
}

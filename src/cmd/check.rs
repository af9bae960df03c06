//! `ppdocs check`: everything `build` does except writing, with a summary for people or CI.

use std::path::PathBuf;

use serde_json::json;

use crate::cmd::{plural, tally};
use crate::diagnostics::{self, Diagnostic, Sources};
use crate::load::load_project;
use crate::pipeline;
use crate::shell::Shell;
use crate::site::{Site, Status};

/// How `check` reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

pub struct CheckOptions {
    pub root: PathBuf,
    pub format: Format,
}

/// Validates the project. `Ok(false)` means it has errors.
pub fn run(options: &CheckOptions, shell: &Shell) -> anyhow::Result<bool> {
    let (project, load_diagnostics) = load_project(&options.root)?;
    let outcome = pipeline::run(&project, load_diagnostics);
    let site = outcome.built.as_ref().map(|b| &b.site);
    let ok = diagnostics::count_errors(&outcome.diagnostics) == 0;
    match options.format {
        Format::Json => {
            let report = json_report(site, &outcome.diagnostics, &project.sources);
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
        Format::Text => {
            shell.diagnostics(&outcome.diagnostics, &project.sources);
            let summary = match site {
                Some(site) => text_summary(site),
                None => "the site could not be assembled".to_string(),
            };
            let line = format!("{summary}; {}", tally(&outcome.diagnostics));
            if ok {
                shell.status("Checked", &line);
            } else {
                shell.failed(&format!("check failed: {line}"));
            }
        }
    }
    Ok(ok)
}

fn text_summary(site: &Site) -> String {
    let counts = site.count_by_status(0..site.tasks.len());
    let statuses: Vec<String> = Status::ALL
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {}", s.label().to_lowercase()))
        .collect();
    format!(
        "{} ({}, {}, {}: {})",
        plural(site.pages.len() + usize::from(site.home.is_some()), "page"),
        plural(site.articles.len(), "article"),
        plural(site.section_count(), "section"),
        plural(site.tasks.len(), "task"),
        statuses.join(", ")
    )
}

fn json_report(
    site: Option<&Site>,
    diagnostics: &[Diagnostic],
    sources: &Sources,
) -> serde_json::Value {
    let errors = diagnostics::count_errors(diagnostics);
    let summary = site.map(|site| {
        let counts = site.count_by_status(0..site.tasks.len());
        let by_status: serde_json::Map<String, serde_json::Value> = Status::ALL
            .iter()
            .zip(counts)
            .map(|(s, n)| (s.as_str().to_string(), json!(n)))
            .collect();
        json!({
            "pages": site.pages.len() + usize::from(site.home.is_some()),
            "articles": site.articles.len(),
            "sections": site.section_count(),
            "tasks": site.tasks.len(),
            "tasks_by_status": by_status,
        })
    });
    json!({
        "ok": errors == 0,
        "errors": errors,
        "warnings": diagnostics.len() - errors,
        "summary": summary,
        "diagnostics": diagnostics.iter().map(|d| d.to_json(sources)).collect::<Vec<_>>(),
    })
}

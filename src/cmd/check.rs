//! `ppdocs check`: everything `build` does except writing, with a summary for people or CI.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::json;

use crate::cmd::{plural, tally};
use crate::diagnostics::{self, Diagnostic, Sources};
use crate::load::load_project;
use crate::pipeline;
use crate::render::Discard;
use crate::shell::Shell;
use crate::site::{Site, Status};

/// How `check` reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Conditions `--deny` turns into failures, for CI gating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deny {
    /// Any task whose evidence expired.
    Expired,
    /// Any done task whose evidence expires within the review window.
    DueForReview,
    /// Any warning.
    Warnings,
}

pub struct CheckOptions {
    pub root: PathBuf,
    pub format: Format,
    pub as_of: Option<NaiveDate>,
    pub deny: Vec<Deny>,
    /// Overrides `target` in `ppdocs.toml`.
    pub target: Option<crate::config::Target>,
}

/// Validates the project. `Ok(false)` means it has errors or a denied condition.
pub fn run(options: &CheckOptions, shell: &Shell) -> anyhow::Result<bool> {
    let (mut project, load_diagnostics) = load_project(&options.root)?;
    if let Some(target) = options.target {
        project.config.target = target;
    }
    // Rendering finds template errors and publishing broken links; the pages themselves
    // are not needed.
    let outcome = pipeline::run(
        &project,
        load_diagnostics,
        crate::cmd::as_of(options.as_of),
        &Discard,
    )?;
    let site = outcome.site.as_ref();
    let denied = site
        .map(|s| denied(s, &outcome.diagnostics, &options.deny))
        .unwrap_or_default();
    let ok = diagnostics::count_errors(&outcome.diagnostics) == 0 && denied.is_empty();
    match options.format {
        Format::Json => {
            let report = json_report(site, &outcome.diagnostics, &project.sources, &denied, ok);
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
        Format::Text => {
            shell.diagnostics(&outcome.diagnostics, &project.sources);
            if let Some(site) = site {
                for line in detail_lines(site) {
                    shell.status("", &line);
                }
            }
            let summary = match site {
                Some(site) => text_summary(site),
                None => "the site could not be assembled".to_string(),
            };
            let line = format!("{summary}; {}", tally(&outcome.diagnostics));
            if ok {
                shell.status("Checked", &line);
            } else {
                for reason in &denied {
                    shell.failed(reason);
                }
                shell.failed(&format!("check failed: {line}"));
            }
        }
    }
    Ok(ok)
}

/// Why `--deny` fails the check, one line per condition met.
fn denied(site: &Site, diagnostics: &[Diagnostic], deny: &[Deny]) -> Vec<String> {
    let ids = |tasks: Vec<usize>| {
        tasks
            .iter()
            .map(|&i| site.tasks[i].id.0.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut reasons = Vec::new();
    for condition in deny {
        match condition {
            Deny::Expired if !site.expired().is_empty() => {
                reasons.push(format!(
                    "--deny expired: evidence expired for {}",
                    ids(site.expired())
                ));
            }
            Deny::DueForReview if !site.due_for_review().is_empty() => {
                reasons.push(format!(
                    "--deny due-for-review: due for review: {}",
                    ids(site.due_for_review())
                ));
            }
            Deny::Warnings if diagnostics.iter().any(|d| !d.is_error()) => {
                reasons.push("--deny warnings: the project has warnings".to_string());
            }
            _ => {}
        }
    }
    reasons
}

/// The lists a reviewer acts on: expired, due for review, reworded, orphans.
fn detail_lines(site: &Site) -> Vec<String> {
    let describe = |i: usize| {
        let task = &site.tasks[i];
        let expires = task
            .expires
            .map(|d| format!(" (expires {d})"))
            .unwrap_or_default();
        let owner = task
            .owner
            .as_deref()
            .map(|o| format!(", {o}"))
            .unwrap_or_default();
        format!("  {} {}{expires}{owner}", task.id, truncate(&task.text, 70))
    };
    let mut lines = Vec::new();
    let mut list = |title: String, tasks: Vec<usize>| {
        if !tasks.is_empty() {
            lines.push(title);
            lines.extend(tasks.into_iter().map(describe));
        }
    };
    list(
        format!("Expired evidence (as of {}):", site.as_of),
        site.expired(),
    );
    list(
        format!(
            "Due for review within {} days:",
            site.config.review_window_days
        ),
        site.due_for_review(),
    );
    list(
        "Reworded since their evidence was collected (review the evidence):".to_string(),
        site.reworded_since_evidence(),
    );
    if site.lock.present {
        list(
            "New since `ppdocs lock`:".to_string(),
            site.lock.new.clone(),
        );
        list(
            "Reworded since `ppdocs lock` (they kept their IDs):".to_string(),
            site.lock.reworded.clone(),
        );
        if !site.lock.removed.is_empty() {
            lines.push(format!(
                "Removed since `ppdocs lock`: {}",
                site.lock.removed.join(", ")
            ));
        }
    } else if !site.tasks.is_empty() {
        lines.push(
            "Task IDs are not pinned: run `ppdocs lock` so they survive checklist updates"
                .to_string(),
        );
    }
    if !site.orphan_attachments.is_empty() {
        lines.push("Files in content/evidence/ that no record names (not published):".to_string());
        lines.extend(site.orphan_attachments.iter().map(|f| format!("  {f}")));
    }
    lines
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
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
        "{} ({}, {}, {}: {}; {}, {} due for review)",
        plural(site.page_count(), "page"),
        plural(site.articles.len(), "article"),
        plural(site.section_count(), "section"),
        plural(site.tasks.len(), "task"),
        statuses.join(", "),
        plural(site.records.len(), "evidence record"),
        site.due_for_review().len(),
    )
}

fn json_report(
    site: Option<&Site>,
    diagnostics: &[Diagnostic],
    sources: &Sources,
    denied: &[String],
    ok: bool,
) -> serde_json::Value {
    let errors = diagnostics::count_errors(diagnostics);
    let summary = site.map(|site| {
        let counts = site.count_by_status(0..site.tasks.len());
        let by_status: serde_json::Map<String, serde_json::Value> = Status::ALL
            .iter()
            .zip(counts)
            .map(|(s, n)| (s.as_str().to_string(), json!(n)))
            .collect();
        let ids = |tasks: Vec<usize>| {
            tasks
                .into_iter()
                .map(|i| site.tasks[i].id.0.clone())
                .collect::<Vec<_>>()
        };
        json!({
            "as_of": site.as_of.to_string(),
            "pages": site.page_count(),
            "articles": site.articles.len(),
            "sections": site.section_count(),
            "tasks": site.tasks.len(),
            "task_ids": ids((0..site.tasks.len()).collect()),
            "records": site.records.len(),
            "tasks_by_status": by_status,
            "expired": ids(site.expired()),
            "due_for_review": ids(site.due_for_review()),
            "reworded_since_evidence": ids(site.reworded_since_evidence()),
            "orphan_attachments": site.orphan_attachments,
            "lock": {
                "present": site.lock.present,
                "new": ids(site.lock.new.clone()),
                "reworded": ids(site.lock.reworded.clone()),
                "removed": site.lock.removed,
            },
        })
    });
    json!({
        "ok": ok,
        "errors": errors,
        "warnings": diagnostics.len() - errors,
        "denied": denied,
        "summary": summary,
        "diagnostics": diagnostics.iter().map(|d| d.to_json(sources)).collect::<Vec<_>>(),
    })
}

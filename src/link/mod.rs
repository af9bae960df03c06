//! Linking: turns parsed documents and evidence into a [`Site`].
//!
//! Gives sections their pages and tasks their IDs (`ids`), ties evidence records to tasks
//! and computes each task's status (`evidence`), and checks what only the whole site can
//! check (`checks`). Reads nothing from disk.

mod checks;
mod evidence;
pub mod ids;
mod incremental;
mod training;

pub use incremental::{LinkCache, link_cached};

pub use evidence::status_on;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::diagnostics::{Code, Diagnostic};
use crate::load::{EVIDENCE_DIR, FRAMEWORKS_FILE, Project};
use crate::parse::{Document, ParsedProject};
use crate::site::{Article, LockReport, Page, Section, Site, Status, Task, TaskId};
use crate::urls;
use ids::IdAssigner;

/// Builds the site.
pub fn link(project: &Project, parsed: ParsedProject, as_of: NaiveDate) -> (Site, Vec<Diagnostic>) {
    let (site, mut diagnostics) = assemble(project, parsed, as_of);
    check(project, &site, &mut diagnostics);
    (site, diagnostics)
}

/// What only the finished site can check: output paths and links.
fn check(project: &Project, site: &Site, diagnostics: &mut Vec<Diagnostic>) {
    checks::check_outputs(site, diagnostics);
    checks::check_links(project, site, diagnostics);
}

/// Builds the site, without the checks of [`check`].
fn assemble(project: &Project, parsed: ParsedProject, as_of: NaiveDate) -> (Site, Vec<Diagnostic>) {
    let ParsedProject {
        documents,
        evidence,
        frameworks,
        lock,
        ..
    } = parsed;
    let mut diagnostics = Vec::new();
    let Documents {
        pages: documents,
        home,
        training_home,
    } = Documents::in_page_order(documents);
    if let Some(home) = &home
        && home.is_checklist()
    {
        diagnostics.push(
            Diagnostic::error(
                Code::OutputConflict,
                "content/index.md is the dashboard's introduction and cannot hold checklists",
            )
            .in_file(&home.source)
            .with_help(
                "move the checklist tables to a page of their own, e.g. content/checklist.md",
            ),
        );
    }

    let mut assigner = IdAssigner::new(lock.as_ref(), as_of);
    let mut pages = Vec::with_capacity(documents.len());
    let mut articles = Vec::new();
    let mut tasks = Vec::new();
    let mut lock_report = LockReport {
        present: lock.is_some(),
        ..LockReport::default()
    };
    let mut first_use: HashMap<TaskId, (std::path::PathBuf, std::ops::Range<usize>)> =
        HashMap::new();
    for document in documents {
        let page_index = pages.len();
        let article = (document.is_checklist() && document.module.is_none()).then(|| {
            let article_index = articles.len();
            let sections = assign_tasks(
                &document,
                article_index,
                &mut tasks,
                &mut assigner,
                &mut lock_report,
                &mut first_use,
                &mut diagnostics,
            );
            articles.push(Article {
                page: page_index,
                sections,
            });
            article_index
        });
        pages.push(Page {
            document,
            article,
            module: None,
        });
    }
    lock_report.removed = assigner.unclaimed();
    for (number, section) in articles
        .iter_mut()
        .flat_map(|a| a.sections.iter_mut())
        .enumerate()
    {
        section.number = number;
    }
    let mut modules = training::link_modules(&mut pages, &mut tasks, &assigner, &mut diagnostics);

    let framework_drafts = frameworks.unwrap_or_else(|| evidence::frameworks_from_tags(&evidence));
    let (records, attachments) = evidence::link_records(
        evidence,
        &mut tasks,
        &mut modules,
        &project.static_files,
        &framework_drafts,
        &assigner,
        &mut diagnostics,
    );
    evidence::compute_statuses(
        &mut tasks,
        &records,
        as_of,
        project.config.review_window_days,
    );
    let frameworks = evidence::link_frameworks(
        framework_drafts,
        &mut tasks,
        &records,
        Path::new(FRAMEWORKS_FILE),
        &mut diagnostics,
    );

    let published: Vec<&str> = attachments
        .iter()
        .map(|(output, _)| output.as_str())
        .collect();
    let orphan_attachments = project
        .static_files
        .iter()
        .filter(|f| f.digest.is_some() && !published.contains(&f.output.as_str()))
        .map(|f| format!("{}/{}", crate::load::CONTENT_DIR, f.output))
        .collect();
    let mut static_files: Vec<(String, std::path::PathBuf)> = project
        .static_files
        .iter()
        .filter(|f| {
            !Path::new(crate::load::CONTENT_DIR)
                .join(&f.output)
                .starts_with(EVIDENCE_DIR)
        })
        .map(|f| (f.output.clone(), f.source.clone()))
        .collect();
    static_files.extend(attachments);

    if lock_report.present && !lock_report.is_current() {
        diagnostics.push(
            Diagnostic::warning(
                Code::LockOutdated,
                format!(
                    "the checklist changed since `ppdocs lock` last ran: {} new, {} reworded, {} removed task(s)",
                    lock_report.new.len(),
                    lock_report.reworded.len(),
                    lock_report.removed.len()
                ),
            )
            .in_file(crate::load::LOCK_FILE)
            .with_help("review the changes with `ppdocs check`, then run `ppdocs lock` to record them"),
        );
    }

    let site = Site {
        config: project.config.clone(),
        pages,
        home,
        training_home,
        modules,
        articles,
        tasks,
        static_files,
        as_of,
        records,
        frameworks,
        orphan_attachments,
        lock: lock_report,
    };
    (site, diagnostics)
}

/// The parsed documents as the site holds them.
struct Documents {
    /// Every page but the two introductions, ordered by source path.
    pages: Vec<Arc<Document>>,
    /// `content/index.md`, the dashboard's introduction.
    home: Option<Arc<Document>>,
    /// `content/training/index.md`, the training hub's introduction.
    training_home: Option<Arc<Document>>,
}

impl Documents {
    fn in_page_order(mut documents: Vec<Arc<Document>>) -> Self {
        documents.sort_by(|a, b| a.source.cmp(&b.source));
        let mut take = |output: &str| {
            documents
                .iter()
                .position(|d| d.output == output)
                .map(|i| documents.remove(i))
        };
        let home = take("index.html");
        let training_home = take(urls::TRAINING_HUB);
        Documents {
            pages: documents,
            home,
            training_home,
        }
    }
}

/// Gives each section of `document` its prefix and page, and each task its ID.
#[allow(clippy::too_many_arguments)]
fn assign_tasks(
    document: &Document,
    article: usize,
    tasks: &mut Vec<Task>,
    assigner: &mut IdAssigner<'_>,
    lock_report: &mut LockReport,
    first_use: &mut HashMap<TaskId, (std::path::PathBuf, std::ops::Range<usize>)>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Section> {
    let folder = document.output.trim_end_matches("index.html");
    let mut sections = Vec::new();
    for draft in document.sections.iter().filter(|s| !s.tasks.is_empty()) {
        let section_index = sections.len();
        // The heading id may be anything the author wrote; the folder is always a slug.
        let folder_name = urls::slugify(&draft.anchor);
        let prefix = assigner.claim_prefix(
            draft.prefix.as_deref(),
            &document.source.to_string_lossy().replace('\\', "/"),
            &draft.title,
            &draft.file,
            draft.span.clone(),
            diagnostics,
        );
        let start = tasks.len();
        let assigned = assigner.assign(&prefix, &draft.tasks, diagnostics);
        for (task, assigned) in draft.tasks.iter().zip(assigned) {
            let span = task
                .explicit_id
                .as_ref()
                .map_or(task.span.clone(), |(_, s)| s.clone());
            if let Some((first_file, first_span)) = first_use.get(&assigned.id) {
                diagnostics.push(
                    Diagnostic::error(Code::TaskIdDuplicate, format!("task ID `{}` is used twice", assigned.id))
                        .at(&task.file, span)
                        .with_help(format!(
                            "it was first given to the task at {} (byte {}); give one of them another ID with `{{#NEW-ID}}` at the end of its text",
                            first_file.display(),
                            first_span.start
                        )),
                );
            } else {
                first_use.insert(assigned.id.clone(), (task.file.clone(), span));
            }
            if assigned.is_new {
                lock_report.new.push(tasks.len());
            }
            if assigned.reworded {
                lock_report.reworded.push(tasks.len());
            }
            tasks.push(Task {
                id: assigned.id,
                article,
                section: section_index,
                html: task.html.clone(),
                text: task.text.clone(),
                status: Status::NotStarted,
                records: Vec::new(),
                owner: None,
                last_collected: None,
                expires: None,
                due_for_review: false,
                frameworks: Vec::new(),
                text_change: assigned.text_change,
                modules: Vec::new(),
                file: task.file.clone(),
                span: task.span.clone(),
            });
        }
        sections.push(Section {
            title: draft.title.clone(),
            anchor: draft.anchor.clone(),
            appendix: format!(
                "appendix/{}-{}/index.html",
                prefix.to_ascii_lowercase(),
                folder_name
            ),
            prefix,
            output: format!("{folder}{folder_name}/index.html"),
            tasks: start..tasks.len(),
            number: 0,
        });
    }
    sections
}

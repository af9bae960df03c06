//! Evidence to tasks: which records prove what, each task's status, attachments, and the
//! framework mappings.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use chrono::{Days, NaiveDate};

use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::link::ids::IdAssigner;
use crate::load::{EVIDENCE_DIR, StaticFile};
use crate::parse::evidence::{EvidenceRecord, RecordStatus};
use crate::parse::frameworks::FrameworkDraft;
use crate::parse::learn::resolve_relative;
use crate::site::{Attachment, Control, Framework, Record, Status, Task, TrainingModule};
use crate::urls;

/// Links records to tasks and attachments; returns the records and the attachments to publish.
pub fn link_records(
    evidence: Vec<Arc<EvidenceRecord>>,
    tasks: &mut [Task],
    modules: &mut [TrainingModule],
    static_files: &[StaticFile],
    frameworks: &[FrameworkDraft],
    ids: &IdAssigner<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Record>, Vec<(String, std::path::PathBuf)>) {
    let by_id: HashMap<&str, usize> = tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.0.as_str(), i))
        .collect();
    let by_content_path: HashMap<String, &StaticFile> = static_files
        .iter()
        .map(|f| (format!("{}/{}", crate::load::CONTENT_DIR, f.output), f))
        .collect();
    let framework_ids: Vec<&str> = frameworks.iter().map(|f| f.id.as_str()).collect();
    let mut published = Vec::new();
    let mut records = Vec::with_capacity(evidence.len());

    let slugs: Vec<&str> = modules.iter().map(|m| m.slug.as_str()).collect();
    for record in evidence {
        let mut record_tasks = Vec::new();
        for task in &record.tasks {
            match by_id.get(task.value.as_str()) {
                Some(&index) => record_tasks.push(index),
                None => diagnostics.push(unknown_task(&record.file, task, &by_id, ids)),
            }
        }
        // A training record is evidence for every task its module trains for.
        let module = record.module.as_ref().and_then(|name| {
            let found = slugs.iter().position(|s| *s == name.value);
            if found.is_none() {
                let help = match did_you_mean(&name.value, slugs.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`? A module is named by its file name under content/training/, without .md"),
                    None => "a module is named by its file name under content/training/, without .md".to_string(),
                };
                diagnostics.push(
                    Diagnostic::error(Code::TrainingUnknownModule, format!("no training module is called `{}`", name.value))
                        .at(&record.file, name.span.clone())
                        .with_help(help),
                );
            }
            found
        });
        if let Some(module) = module {
            record_tasks.extend(modules[module].tasks.iter().copied());
            record_tasks.sort_unstable();
            record_tasks.dedup();
        }
        if !frameworks.is_empty() {
            for tag in &record.frameworks {
                if !framework_ids.contains(&tag.value.as_str()) {
                    let help = match did_you_mean(&tag.value, framework_ids.iter().copied()) {
                        Some(close) => format!(
                            "did you mean `{close}`? Frameworks are defined in content/frameworks.yaml: {}",
                            framework_ids.join(", ")
                        ),
                        None => format!(
                            "frameworks are defined in content/frameworks.yaml: {}",
                            framework_ids.join(", ")
                        ),
                    };
                    diagnostics.push(
                        Diagnostic::error(
                            Code::FrameworkUnknown,
                            format!("unknown framework `{}`", tag.value),
                        )
                        .at(&record.file, tag.span.clone())
                        .with_help(help),
                    );
                }
            }
        }
        let mut attachments = Vec::new();
        for name in &record.attachments {
            match resolve_attachment(&record.file, &name.value, &by_content_path) {
                Ok(file) => {
                    let Some(digest) = &file.digest else {
                        diagnostics.push(
                            Diagnostic::error(
                                Code::AttachmentInvalid,
                                format!("attachment `{}` could not be read", name.value),
                            )
                            .at(&record.file, name.span.clone())
                            .with_help("check the file's permissions"),
                        );
                        continue;
                    };
                    attachments.push(Attachment {
                        name: name.value.clone(),
                        output: file.output.clone(),
                        sha256: digest.sha256.clone(),
                        size: digest.size,
                    });
                    published.push((file.output.clone(), file.source.clone()));
                }
                Err((message, help)) => diagnostics.push(
                    Diagnostic::error(Code::AttachmentInvalid, message)
                        .at(&record.file, name.span.clone())
                        .with_help(help),
                ),
            }
        }
        records.push(Record {
            evidence: record,
            tasks: record_tasks,
            attachments,
            module,
        });
    }
    // Anchors are what auditors cite: two records must never share one.
    let mut anchors: HashMap<&str, &Path> = HashMap::new();
    for record in &records {
        let evidence = &record.evidence;
        if let Some(first) = anchors.insert(&evidence.anchor, &evidence.file) {
            diagnostics.push(
                Diagnostic::error(
                    Code::EvidenceInvalid,
                    format!("{} and {} would both be cited as #{}", first.display(), evidence.file.display(), evidence.anchor),
                )
                .in_file(&evidence.file)
                .with_help("rename one of the files: a record's anchor comes from its path under content/evidence/"),
            );
        }
    }
    // Newest first; ties broken by file so the order never depends on the walk.
    records.sort_by(|a, b| {
        b.evidence
            .collected
            .cmp(&a.evidence.collected)
            .then_with(|| a.evidence.file.cmp(&b.evidence.file))
    });
    for (index, record) in records.iter().enumerate() {
        for &task in &record.tasks {
            tasks[task].records.push(index);
        }
        if let Some(module) = record.module {
            modules[module].records.push(index);
        }
    }

    published.sort();
    published.dedup();
    (records, published)
}

pub(super) fn unknown_task(
    file: &Path,
    task: &crate::parse::evidence::Located<String>,
    by_id: &HashMap<&str, usize>,
    ids: &IdAssigner<'_>,
) -> Diagnostic {
    if let Some(retired) = ids.retired(&task.value) {
        return Diagnostic::error(
            Code::EvidenceUnknownTask,
            format!(
                "task `{}` was removed from the checklist on {retired}",
                task.value
            ),
        )
        .at(file, task.span.clone())
        .with_help("move this record to the task that replaced it, or delete the record");
    }
    let mut scored: Vec<(f64, &str)> = by_id
        .keys()
        .map(|id| (strsim::jaro_winkler(&task.value.to_uppercase(), id), *id))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let nearest: Vec<&str> = scored.iter().take(3).map(|(_, id)| *id).collect();
    Diagnostic::error(
        Code::EvidenceUnknownTask,
        format!("no task has the ID `{}`", task.value),
    )
    .at(file, task.span.clone())
    .with_help(format!(
        "the nearest IDs are {}; `ppdocs check --format json` lists them all",
        nearest.join(", ")
    ))
}

/// Finds an attachment named in the record at `record_file`, refusing paths that are
/// absolute, leave the evidence folder, or resolve outside the project.
fn resolve_attachment<'a>(
    record_file: &Path,
    name: &str,
    by_content_path: &HashMap<String, &'a StaticFile>,
) -> Result<&'a StaticFile, (String, String)> {
    let looks_absolute = name.starts_with('/')
        || name.starts_with('\\')
        || name.get(1..3) == Some(":\\")
        || name.get(1..3) == Some(":/");
    if looks_absolute {
        return Err((
            format!("attachment `{name}` is an absolute path"),
            "write the path relative to this evidence file, and keep the file beside it"
                .to_string(),
        ));
    }
    let resolved = resolve_relative(record_file, name).filter(|p| p.starts_with(EVIDENCE_DIR));
    let Some(resolved) = resolved else {
        return Err((
            format!("attachment `{name}` is outside content/evidence/"),
            "keep attachments in content/evidence/, beside the record that names them".to_string(),
        ));
    };
    let key = resolved.to_string_lossy().replace('\\', "/");
    let Some(file) = by_content_path.get(&key) else {
        return Err((
            format!("attachment `{name}` not found (looked for {key})"),
            "check the file name; paths are relative to this evidence file".to_string(),
        ));
    };
    if file.outside_project {
        return Err((
            format!("attachment `{name}` is a symlink to a file outside content/evidence/"),
            "copy the file into content/evidence/ instead of linking to it".to_string(),
        ));
    }
    Ok(file)
}

/// Each task's status from its newest record, as of `as_of`.
pub fn compute_statuses(
    tasks: &mut [Task],
    records: &[Record],
    as_of: NaiveDate,
    review_window_days: u64,
) {
    let review_until = as_of
        .checked_add_days(Days::new(review_window_days))
        .unwrap_or(as_of);
    for task in tasks {
        let Some(&newest) = task.records.first() else {
            task.status = Status::NotStarted;
            continue;
        };
        let record = &records[newest].evidence;
        task.owner = Some(record.owner.clone());
        task.last_collected = Some(record.collected);
        task.expires = record.expires;
        task.status = status_on(record, as_of);
        task.due_for_review =
            task.status == Status::Done && record.expires.is_some_and(|e| e <= review_until);
    }
}

/// The status a record gives its tasks on `day`: a done record past its expiry is expired.
pub fn status_on(record: &EvidenceRecord, day: NaiveDate) -> Status {
    match record.status {
        RecordStatus::Done if record.expires.is_some_and(|e| e < day) => Status::Expired,
        RecordStatus::Done => Status::Done,
        RecordStatus::InProgress => Status::InProgress,
        RecordStatus::NotApplicable => Status::NotApplicable,
    }
}

/// Frameworks named by evidence tags, for projects without `content/frameworks.yaml`.
pub fn frameworks_from_tags(records: &[Arc<EvidenceRecord>]) -> Vec<FrameworkDraft> {
    let mut tags: Vec<&str> = records
        .iter()
        .flat_map(|r| r.frameworks.iter().map(|f| f.value.as_str()))
        .collect();
    tags.sort();
    tags.dedup();
    tags.into_iter()
        .map(|tag| FrameworkDraft {
            id: tag.to_string(),
            name: tag.to_string(),
            url: None,
            description: None,
            controls: Vec::new(),
        })
        .collect()
}

/// Resolves the framework mappings' task IDs and collects the records tagged with each.
pub fn link_frameworks(
    drafts: Vec<FrameworkDraft>,
    tasks: &mut [Task],
    records: &[Record],
    path: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Framework> {
    let by_id: HashMap<String, usize> = tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.0.clone(), i))
        .collect();
    let mut frameworks = Vec::with_capacity(drafts.len());
    for draft in drafts {
        let mut controls = Vec::with_capacity(draft.controls.len());
        let mut addressed = HashSet::new();
        for control in draft.controls {
            let mut control_tasks = Vec::new();
            for task in &control.tasks {
                match by_id.get(&task.value) {
                    Some(&index) => {
                        control_tasks.push(index);
                        addressed.insert(index);
                    }
                    None => {
                        let help = did_you_mean(&task.value, by_id.keys().map(String::as_str))
                            .map(|close| format!("did you mean `{close}`?"))
                            .unwrap_or_else(|| {
                                "use the task IDs shown on the checklist pages".to_string()
                            });
                        diagnostics.push(
                            Diagnostic::error(
                                Code::FrameworksInvalid,
                                format!(
                                    "control `{}` of {} names unknown task `{}`",
                                    control.id, draft.id, task.value
                                ),
                            )
                            .at(path, task.span.clone())
                            .with_help(help),
                        );
                    }
                }
            }
            controls.push(Control {
                id: control.id,
                title: control.title,
                tasks: control_tasks,
            });
        }
        let tagged: Vec<usize> = (0..records.len())
            .filter(|&r| {
                records[r]
                    .evidence
                    .frameworks
                    .iter()
                    .any(|f| f.value == draft.id)
            })
            .collect();
        for &record in &tagged {
            addressed.extend(records[record].tasks.iter().copied());
        }
        for &task in &addressed {
            tasks[task].frameworks.push(draft.id.clone());
        }
        frameworks.push(Framework {
            output: format!("appendix/{}/index.html", urls::slugify(&draft.id)),
            id: draft.id,
            name: draft.name,
            url: draft.url,
            description: draft.description,
            controls,
            records: tagged,
        });
    }
    for task in tasks.iter_mut() {
        task.frameworks.sort();
        task.frameworks.dedup();
    }
    frameworks
}

//! `ppdocs lock`: records every task's ID and text in `ppdocs.lock`.
//!
//! The one command that writes inside the project (only `ppdocs.lock`, replaced atomically):
//! pinning IDs is a decision the team takes, like accepting an updated checklist, so no
//! build does it behind their back.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::NaiveDate;

use crate::diagnostics;
use crate::load::{LOCK_FILE, load_project};
use crate::parse::lock::{Lock, LockedTask, VERSION, parse_lock, write_lock};
use crate::pipeline;
use crate::render::Discard;
use crate::shell::Shell;
use crate::site::Site;

/// Writes `ROOT/ppdocs.lock`. `Ok(false)` when the project has errors (nothing written).
pub fn run(root: &Path, as_of: Option<NaiveDate>, shell: &Shell) -> anyhow::Result<bool> {
    let (project, load_diagnostics) = load_project(root)?;
    let as_of = crate::cmd::as_of(as_of);
    let outcome = pipeline::run(&project, load_diagnostics, as_of, &Discard)?;
    shell.diagnostics(&outcome.diagnostics, &project.sources);
    let Some(site) = outcome
        .site
        .filter(|_| diagnostics::count_errors(&outcome.diagnostics) == 0)
    else {
        shell.failed("fix the errors above first; ppdocs.lock was not changed");
        return Ok(false);
    };
    let previous = match &project.lock {
        Some(text) => parse_lock(text, Path::new(LOCK_FILE)).unwrap_or_default(),
        None => Lock::default(),
    };
    let lock = next_lock(&site, &previous, as_of);
    let path = project.root.join(LOCK_FILE);
    write_atomically(&path, write_lock(&lock).as_bytes())?;
    let report = &site.lock;
    let retired = lock.tasks.iter().filter(|t| t.retired.is_some()).count();
    shell.status(
        "Locked",
        &format!(
            "{} task IDs in {} ({} new, {} reworded, {} retired)",
            site.tasks.len(),
            path.display(),
            if report.present {
                report.new.len()
            } else {
                site.tasks.len()
            },
            report.reworded.len(),
            retired
        ),
    );
    Ok(true)
}

/// The lock for the current site: every task, then every task that left the checklist.
pub fn next_lock(site: &Site, previous: &Lock, as_of: NaiveDate) -> Lock {
    let by_id: HashMap<&str, &LockedTask> =
        previous.tasks.iter().map(|t| (t.id.as_str(), t)).collect();
    let today = as_of.to_string();
    let mut tasks: Vec<LockedTask> = site
        .tasks
        .iter()
        .map(|task| {
            let article = &site.articles[task.article];
            let (changed, prev) = match by_id.get(task.id.0.as_str()) {
                Some(old) if old.text == task.text => (old.changed.clone(), old.previous.clone()),
                Some(old) => (today.clone(), Some(old.text.clone())),
                None => (today.clone(), None),
            };
            LockedTask {
                id: task.id.0.clone(),
                article: site.pages[article.page]
                    .document
                    .source
                    .to_string_lossy()
                    .replace('\\', "/"),
                section: article.sections[task.section].title.clone(),
                text: task.text.clone(),
                changed,
                previous: prev,
                retired: None,
            }
        })
        .collect();
    let current: std::collections::HashSet<&str> =
        site.tasks.iter().map(|t| t.id.0.as_str()).collect();
    let mut gone: Vec<LockedTask> = previous
        .tasks
        .iter()
        .filter(|t| !current.contains(t.id.as_str()))
        .map(|t| LockedTask {
            retired: Some(t.retired.clone().unwrap_or_else(|| today.clone())),
            ..t.clone()
        })
        .collect();
    gone.sort_by(|a, b| a.id.cmp(&b.id));
    tasks.extend(gone);
    Lock {
        version: VERSION,
        tasks,
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    // Keep the file's permissions: a temporary file is private to its owner.
    let permissions = std::fs::metadata(path)
        .map(|m| m.permissions())
        .ok()
        .or_else(default_permissions);
    let mut file = tempfile::NamedTempFile::new_in(&dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    file.write_all(bytes)
        .with_context(|| format!("writing {}", path.display()))?;
    if let Some(permissions) = permissions {
        file.as_file()
            .set_permissions(permissions)
            .with_context(|| format!("setting the permissions of {}", path.display()))?;
    }
    file.persist(path)
        .with_context(|| format!("replacing {}", path.display()))?;
    Ok(())
}

/// What a new lock file gets: readable by everyone, like the content it sits beside.
#[cfg(unix)]
fn default_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<std::fs::Permissions> {
    None
}

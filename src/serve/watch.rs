//! Watching the project for edits: content, evidence, training, themes and config, never the
//! output. Editors' temporary files are ignored; bursts of events (atomic saves, a
//! `git checkout`) arrive as one batch after the debounce delay.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::Context;
use notify::RecursiveMode;
use notify::event::{EventKind, MetadataKind, ModifyKind};
use notify_debouncer_full::{DebounceEventResult, FileIdMap, new_debouncer_opt};

use crate::load::{CONTENT_DIR, is_ignored};

/// Keeps the watcher alive; dropping it stops watching.
pub struct Watcher {
    _debouncer: Box<dyn std::any::Any + Send>,
}

/// Starts watching `root`; each batch of relevant changed paths is sent to `changes`.
pub fn watch(
    root: &Path,
    poll: bool,
    debounce: Duration,
    changes: mpsc::Sender<Vec<PathBuf>>,
) -> anyhow::Result<Watcher> {
    let root_for_filter = root.to_path_buf();
    let handler = move |result: DebounceEventResult| {
        let Ok(events) = result else {
            return;
        };
        let mut paths: Vec<PathBuf> = events
            .iter()
            .filter(|event| changes_content(&event.kind))
            .flat_map(|event| event.paths.iter())
            .filter(|path| is_relevant(&root_for_filter, path))
            .cloned()
            .collect();
        paths.sort();
        paths.dedup();
        if !paths.is_empty() {
            let _ = changes.send(paths);
        }
    };
    let targets = [
        (root.to_path_buf(), RecursiveMode::NonRecursive),
        (root.join(CONTENT_DIR), RecursiveMode::Recursive),
        (root.join("themes"), RecursiveMode::Recursive),
    ];
    if poll {
        let config =
            notify::Config::default().with_poll_interval(debounce.max(Duration::from_millis(100)));
        start::<notify::PollWatcher>(debounce, handler, config, &targets)
            .context("starting the polling watcher")
    } else {
        start::<notify::RecommendedWatcher>(debounce, handler, notify::Config::default(), &targets)
            .context("starting the file watcher (try --poll on network drives and WSL mounts)")
    }
}

fn start<W: notify::Watcher + Send + 'static>(
    debounce: Duration,
    handler: impl notify_debouncer_full::DebounceEventHandler,
    config: notify::Config,
    targets: &[(PathBuf, RecursiveMode)],
) -> anyhow::Result<Watcher> {
    let mut debouncer =
        new_debouncer_opt::<_, W, FileIdMap>(debounce, None, handler, FileIdMap::new(), config)?;
    for (path, mode) in targets.iter().filter(|(p, _)| p.exists()) {
        debouncer
            .watch(path, *mode)
            .with_context(|| format!("watching {}", path.display()))?;
    }
    Ok(Watcher {
        _debouncer: Box::new(debouncer),
    })
}

/// Whether an event can change what a build reads. Reading files (which every rebuild
/// does) raises access events; rebuilding on those would never stop.
fn changes_content(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
    )
}

/// Files under `content/` and `themes/`, and `ppdocs.toml`/`ppdocs.lock` at the root; not
/// editors' swap, backup and temporary files.
fn is_relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    if rel
        .components()
        .any(|c| is_ignored(&c.as_os_str().to_string_lossy()))
    {
        return false;
    }
    match rel.components().count() {
        0 => false,
        1 => matches!(
            rel.to_str(),
            Some("ppdocs.toml" | "ppdocs.lock" | "content" | "themes")
        ),
        _ => rel.starts_with(CONTENT_DIR) || rel.starts_with("themes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_project_files_trigger_rebuilds() {
        let root = Path::new("/p");
        for path in [
            "/p/content/a.md",
            "/p/ppdocs.toml",
            "/p/themes/x/templates/page.html",
            "/p/content/evidence/r.yaml",
        ] {
            assert!(is_relevant(root, Path::new(path)), "{path}");
        }
        for path in [
            "/p/site/index.html",
            "/p/.git/index",
            "/p/content/.a.md.swp",
            "/p/content/a.md~",
            "/p/content/#a.md#",
            "/p/content/a.md___jb_tmp___",
            "/p/README.md",
            "/elsewhere/content/a.md",
        ] {
            assert!(!is_relevant(root, Path::new(path)), "{path}");
        }
    }
}

//! The site as `serve` holds it: rebuilt in memory on every change, reusing the parse results
//! of files that did not change.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::diagnostics::{self, Diagnostic, Sources};
use crate::load::{FileCache, load_project_cached};
use crate::pipeline::{self, Caches};
use crate::render::InMemory;
use crate::write::MemorySite;

/// A successful rebuild.
pub struct Rebuilt {
    pub site: Arc<MemorySite>,
    /// Warnings of this build, and where they point.
    pub warnings: Vec<Diagnostic>,
    pub sources: Sources,
    /// Pages and evidence files parsed afresh.
    pub reparsed: usize,
    /// Pages rendered afresh (the rest were reused).
    pub rendered: usize,
    /// Whether the previous site was patched rather than the whole site linked again.
    pub patched: bool,
    /// How long each stage took, for `-v`.
    pub timings: String,
}

/// A rebuild that found errors: the previous site stays in place.
pub struct Failed {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

impl Failed {
    /// The errors as plain text, for the browser overlay.
    pub fn plain_text(&self) -> String {
        self.diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.render(&self.sources, false))
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

pub struct LiveSite {
    root: PathBuf,
    as_of: Option<NaiveDate>,
    files: FileCache,
    caches: Caches,
}

impl LiveSite {
    pub fn new(root: &Path, as_of: Option<NaiveDate>) -> Self {
        LiveSite {
            root: root.to_path_buf(),
            as_of,
            files: FileCache::default(),
            caches: Caches::default(),
        }
    }

    /// Makes the next rebuild read `changed` (paths the watcher reported) again, whatever
    /// their stamps say.
    pub fn forget(&mut self, changed: &[PathBuf]) {
        for path in changed {
            self.files.forget(path);
        }
    }

    /// Loads the project again and rebuilds it, reading and re-parsing only changed files.
    pub fn rebuild(&mut self) -> anyhow::Result<Result<Rebuilt, Failed>> {
        let started = std::time::Instant::now();
        let (mut project, load_diagnostics) =
            load_project_cached(&self.root, Some(&mut self.files))?;
        // The preview is served over HTTP from memory: always plain `.html` pages.
        project.config.target = crate::config::Target::Default;
        let loaded = started.elapsed();
        let files = InMemory::default();
        let mut outcome = pipeline::run_cached(
            &project,
            load_diagnostics,
            crate::cmd::as_of(self.as_of),
            &mut self.caches,
            &files,
        )?;
        let has_errors = diagnostics::count_errors(&outcome.diagnostics) > 0;
        let sources = std::mem::take(&mut project.sources);
        let result = match outcome.site {
            Some(_) if !has_errors => Ok(Rebuilt {
                timings: std::iter::once(("load", loaded))
                    .chain(outcome.timings.stages.iter().copied())
                    .map(|(stage, time)| match stage {
                        "link" if outcome.patched => ("link (patched)", time),
                        _ => (stage, time),
                    })
                    .map(|(stage, time)| format!("{stage} {:.0} ms", time.as_secs_f64() * 1000.0))
                    .collect::<Vec<_>>()
                    .join(", "),
                site: Arc::new(MemorySite::new(files.into_parts(), &outcome.static_files)),
                warnings: outcome.diagnostics,
                sources,
                reparsed: outcome.reparsed,
                rendered: self.caches.rendered(),
                patched: outcome.patched,
            }),
            _ => Err(Failed {
                diagnostics: outcome.diagnostics,
                sources,
            }),
        };
        // The next rebuild patches this site, unless it failed.
        let failed = match outcome.site.take() {
            Some(site) if !has_errors => {
                self.caches.link.keep(Some(site));
                None
            }
            site => {
                self.caches.link.keep(None);
                site
            }
        };
        drop_later((failed, project));
        Ok(result)
    }
}

/// Frees `value` on another thread: a site is millions of small allocations, which take
/// tens of milliseconds to free, and the browsers' reload need not wait for that.
pub(super) fn drop_later<T: Send + 'static>(value: T) {
    // Should the system refuse a thread, the closure, and the value with it, drops here.
    let _ = std::thread::Builder::new()
        .name("ppdocs-drop".into())
        .spawn(move || drop(value));
}

/// What changed between two builds, to tell browsers how to refresh.
#[derive(Debug, PartialEq, Eq)]
pub enum Change {
    Nothing,
    /// Only stylesheets changed: browsers swap them without reloading.
    Styles,
    Pages,
}

pub fn change_between(old: &MemorySite, new: &MemorySite) -> Change {
    let changed = old.changed_paths(new);
    if changed.is_empty() {
        Change::Nothing
    } else if changed.iter().all(|p| p.ends_with(".css")) {
        Change::Styles
    } else {
        Change::Pages
    }
}

/// Every output file's bytes, for comparing a rebuilt site with a fresh build.
pub fn contents(site: &MemorySite) -> BTreeMap<String, Vec<u8>> {
    let mut all: BTreeMap<String, Vec<u8>> = site
        .paths()
        .filter_map(|p| Some((p.to_string(), site.file(p)?.into_owned())))
        .collect();
    let statics: HashMap<&str, &Path> = site.statics().collect();
    for (path, source) in statics {
        all.insert(path.to_string(), std::fs::read(source).unwrap_or_default());
    }
    all
}

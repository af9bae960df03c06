//! The stages in order, shared by `build` and `check`: parse → link → render, stopping at
//! the first stage that found errors so later stages never see a broken site.

use std::time::{Duration, Instant};

use chrono::NaiveDate;

use crate::diagnostics::{self, Diagnostic};
use crate::link::LinkCache;
use crate::load::Project;
use crate::parse::ParseCache;
use crate::publish::{Publisher, ScanCache};
use crate::render::{self, RenderCache, Sink};
use crate::site::Site;
use crate::{link, parse};

/// How long each stage took, for `-v`.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    fn time<T>(&mut self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let value = f();
        self.stages.push((stage, start.elapsed()));
        value
    }
}

/// The result of running the pipeline: the site when there were no errors, and every
/// diagnostic found on the way (sorted).
pub struct Outcome {
    pub site: Option<Site>,
    /// The files to copy from the project (output path as published, source path).
    pub static_files: Vec<(String, std::path::PathBuf)>,
    pub diagnostics: Vec<Diagnostic>,
    pub timings: Timings,
    /// Pages and evidence files parsed afresh (the rest came from the cache).
    pub reparsed: usize,
    /// Whether the previous site was patched rather than the whole site linked again.
    pub patched: bool,
}

impl Caches {
    /// Pages rendered by the last run (the rest were reused).
    pub fn rendered(&self) -> usize {
        self.render.rendered()
    }
}

/// What `serve --watch` keeps between rebuilds: parse results of unchanged files, the last
/// linked site, and rendered pages whose inputs did not change.
#[derive(Default)]
pub struct Caches {
    pub parse: ParseCache,
    pub link: LinkCache,
    pub render: RenderCache,
    pub scans: ScanCache,
}

/// Runs parse, link and render over a loaded project, handing each rendered file to `sink`.
/// `diagnostics` are those `load` found; `as_of` is the day task statuses are computed for.
/// `Err` only when the sink failed.
pub fn run(
    project: &Project,
    diagnostics: Vec<Diagnostic>,
    as_of: NaiveDate,
    sink: &dyn Sink,
) -> anyhow::Result<Outcome> {
    let mut outcome = assemble(project, diagnostics, as_of, None);
    render_into(&mut outcome, project, None, sink)?;
    Ok(outcome)
}

/// [`run`], reusing what `caches` hold from earlier runs (`serve --watch`).
pub fn run_cached(
    project: &Project,
    diagnostics: Vec<Diagnostic>,
    as_of: NaiveDate,
    caches: &mut Caches,
    sink: &dyn Sink,
) -> anyhow::Result<Outcome> {
    let mut outcome = assemble(project, diagnostics, as_of, Some(caches));
    render_into(
        &mut outcome,
        project,
        Some((&mut caches.render, &caches.scans)),
        sink,
    )?;
    Ok(outcome)
}

/// Parse and link. The outcome has no site if either found errors.
pub fn assemble(
    project: &Project,
    mut diagnostics: Vec<Diagnostic>,
    as_of: NaiveDate,
    mut caches: Option<&mut Caches>,
) -> Outcome {
    let mut timings = Timings::default();
    let (parsed, found) = timings.time("parse", || match caches.as_deref_mut() {
        Some(caches) => parse::parse_project_cached(project, &mut caches.parse),
        None => parse::parse_project(project),
    });
    let reparsed = parsed.reparsed;
    diagnostics.extend(found);
    let (site, found, patched) = timings.time("link", || match caches {
        Some(caches) => link::link_cached(project, parsed, as_of, &mut caches.link),
        None => {
            let (site, found) = link::link(project, parsed, as_of);
            (site, found, false)
        }
    });
    diagnostics.extend(found);
    diagnostics::sort(&mut diagnostics);
    let ok = diagnostics::count_errors(&diagnostics) == 0;
    Outcome {
        site: ok.then_some(site),
        static_files: Vec::new(),
        diagnostics,
        timings,
        reparsed,
        patched,
    }
}

/// Renders an assembled site and publishes it into `sink`: each page is shaped for the host
/// and its links recorded on its way out, and once all are out every link is checked.
/// Template errors, broken links and host problems join the diagnostics and take the site
/// away. Does nothing when there is no site. `Err` only when the sink failed.
pub fn render_into(
    outcome: &mut Outcome,
    project: &Project,
    caches: Option<(&mut RenderCache, &ScanCache)>,
    sink: &dyn Sink,
) -> anyhow::Result<()> {
    let Some(site) = &outcome.site else {
        return Ok(());
    };
    let (render_cache, scans) = caches.unzip();
    // Timed from here: the publisher makes the search index first for GitHub Pages.
    let start = Instant::now();
    let publisher = Publisher::new(site, &project.theme, &project.sources, sink, scans);
    let (rendered, search_index) = rayon::join(
        || match render_cache {
            Some(cache) => render::render_cached(site, &project.theme, cache, &publisher),
            None => render::render(site, &project.theme, &publisher),
        },
        || publisher.search_index(),
    );
    let errors = rendered?;
    outcome.timings.stages.push(("render", start.elapsed()));
    if !errors.is_empty() {
        outcome.diagnostics.extend(errors);
        outcome.site = None;
        return Ok(());
    }
    let published = outcome
        .timings
        .time("publish", || publisher.finish(search_index))?;
    outcome.static_files = published.static_files;
    outcome.diagnostics.extend(published.diagnostics);
    diagnostics::sort(&mut outcome.diagnostics);
    if diagnostics::count_errors(&outcome.diagnostics) > 0 {
        outcome.site = None;
    }
    Ok(())
}

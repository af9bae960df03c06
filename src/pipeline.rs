//! The stages in order, shared by `build` and `check`: parse → link → render → publish, stopping at
//! the first stage that found errors so later stages never see a broken site.

use std::time::{Duration, Instant};

use chrono::NaiveDate;

use crate::diagnostics::{self, Diagnostic};
use crate::load::Project;
use crate::parse::ParseCache;
use crate::render::RenderCache;
use crate::render::{self, OutputFile};
use crate::site::Site;
use crate::{link, parse, publish};

/// A site ready to be written.
pub struct Built {
    pub site: Site,
    pub files: Vec<OutputFile>,
    /// Files copied from the project: (output path, source path).
    pub static_files: Vec<(String, std::path::PathBuf)>,
}

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
    pub built: Option<Built>,
    pub diagnostics: Vec<Diagnostic>,
    pub timings: Timings,
    /// Pages and evidence files parsed afresh (the rest came from the cache).
    pub reparsed: usize,
}

impl Caches {
    /// Pages rendered by the last run (the rest were reused).
    pub fn rendered(&self) -> usize {
        self.render.rendered()
    }
}

/// Runs parse, link and render over a loaded project. `diagnostics` are those `load` found;
/// `as_of` is the day task statuses are computed for.
pub fn run(project: &Project, diagnostics: Vec<Diagnostic>, as_of: NaiveDate) -> Outcome {
    run_cached(project, diagnostics, as_of, &mut Caches::default())
}

/// What `serve --watch` keeps between rebuilds: parse results of unchanged files, and
/// rendered pages whose inputs did not change.
#[derive(Default)]
pub struct Caches {
    pub parse: ParseCache,
    pub render: RenderCache,
}

/// [`run`], reusing what `caches` hold from earlier runs (`serve --watch`).
pub fn run_cached(
    project: &Project,
    mut diagnostics: Vec<Diagnostic>,
    as_of: NaiveDate,
    caches: &mut Caches,
) -> Outcome {
    let mut timings = Timings::default();
    let (parsed, found) = timings.time("parse", || {
        parse::parse_project_cached(project, &mut caches.parse)
    });
    let reparsed = parsed.reparsed;
    diagnostics.extend(found);
    let (site, found) = timings.time("link", || link::link(project, parsed, as_of));
    diagnostics.extend(found);
    diagnostics::sort(&mut diagnostics);
    if diagnostics::count_errors(&diagnostics) > 0 {
        return Outcome {
            built: None,
            diagnostics,
            timings,
            reparsed,
        };
    }
    let rendered = timings.time("render", || {
        render::render_cached(&site, &project.theme, &mut caches.render)
    });
    let built = match rendered {
        Ok(files) => {
            let (published, found) = timings.time("publish", || {
                publish::publish(&site, files, &project.sources)
            });
            diagnostics.extend(found);
            diagnostics::sort(&mut diagnostics);
            published.map(|p| Built {
                site,
                files: p.files,
                static_files: p.static_files,
            })
        }
        Err(errors) => {
            diagnostics.extend(errors);
            None
        }
    };
    Outcome {
        built,
        diagnostics,
        timings,
        reparsed,
    }
}

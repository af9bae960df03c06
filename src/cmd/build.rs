//! `ppdocs build`: load → parse → link → render → write.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::bail;

use crate::cmd::{plural, tally};
use crate::config::{Target, normalize_base_url};
use crate::load::load_project;
use crate::pipeline;
use crate::shell::Shell;
use crate::write::{Guard, Staging};

pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `ROOT/site`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    /// Overrides `target` in `ppdocs.toml`.
    pub target: Option<Target>,
    pub force: bool,
    /// Compute statuses for this day instead of today.
    pub as_of: Option<chrono::NaiveDate>,
}

/// Builds the site. `Ok(false)` means the project has errors, already printed.
pub fn run(options: &BuildOptions, shell: &Shell) -> anyhow::Result<bool> {
    let start = Instant::now();
    let (mut project, load_diagnostics) = load_project(&options.root)?;
    let loaded = start.elapsed();
    if let Some(url) = &options.base_url {
        let Some(url) = normalize_base_url(url) else {
            bail!(
                "--base-url `{url}` is not an http(s) URL\nhelp: write it like https://contoso.github.io/security/"
            );
        };
        project.config.base_url = Some(url);
    }
    if let Some(target) = options.target {
        project.config.target = target;
    }
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| project.root.join("site"));

    let guard = Guard {
        root: &project.root,
        force: options.force,
    };
    let as_of = crate::cmd::as_of(options.as_of);
    let mut outcome = pipeline::assemble(&project, load_diagnostics, as_of, None);
    // The staging folder is made only for a site without errors; rendered pages go
    // straight into it, so the whole site never sits in memory.
    let staging = match outcome.site {
        Some(_) => Some(Staging::begin(&output, &guard)?),
        None => None,
    };
    if let Some(staging) = &staging {
        pipeline::render_into(&mut outcome, &project, None, staging)?;
    }
    shell.diagnostics(&outcome.diagnostics, &project.sources);
    let verbose_time = |stage: &str, time: std::time::Duration| {
        shell.verbose(&format!("{stage}: {:.1} ms", time.as_secs_f64() * 1000.0));
    };
    verbose_time("load", loaded);
    for (stage, time) in &outcome.timings.stages {
        verbose_time(stage, *time);
    }
    let (Some(site), Some(staging)) = (outcome.site, staging) else {
        shell.failed(&format!(
            "build failed ({}); {} was left as it was",
            tally(&outcome.diagnostics),
            output.display()
        ));
        return Ok(false);
    };
    let writing = Instant::now();
    let report = staging.finish(&outcome.static_files)?;
    verbose_time("write (attachments, swap)", writing.elapsed());
    shell.status(
        "Built",
        &format!(
            "{} ({}, {}, {}) in {:.2} s → {}",
            plural(report.files, "file"),
            plural(site.articles.len(), "article"),
            plural(site.section_count(), "section"),
            plural(site.tasks.len(), "task"),
            start.elapsed().as_secs_f64(),
            output.display()
        ),
    );
    let index = output.join(match project.config.target {
        Target::Sharepoint => format!("index.{}", project.config.sharepoint.page_extension),
        _ => "index.html".to_string(),
    });
    let index = index.canonicalize().unwrap_or(index);
    shell.status("Open", &format!("file://{}", index.display()));
    Ok(true)
}

//! `ppdocs report`: the dashboard and every compliance appendix as one self-contained HTML
//! file, for emailing to an auditor or printing to PDF.

use std::fs;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};

use crate::cmd::tally;
use crate::config::Target;
use crate::load::{CONTENT_DIR, load_project};
use crate::pipeline;
use crate::render::{self, InMemory, REPORT_FILE};
use crate::shell::Shell;

pub struct ReportOptions {
    pub root: PathBuf,
    /// Defaults to `ROOT/compliance-report.html`.
    pub output: Option<PathBuf>,
    pub as_of: Option<chrono::NaiveDate>,
    /// Overwrite a file ppdocs did not write.
    pub force: bool,
}

/// What every report contains, so a later run knows the file is its own to replace.
const GENERATOR_MARK: &str = "<meta name=\"generator\" content=\"ppdocs ";

/// Writes the report. `Ok(false)` means the project has errors, already printed.
pub fn run(options: &ReportOptions, shell: &Shell) -> anyhow::Result<bool> {
    let (mut project, load_diagnostics) = load_project(&options.root)?;
    // The report resolves links against the plain site, whatever the configured host.
    project.config.target = Target::Default;
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| project.root.join(REPORT_FILE));
    check_output(&output, &project.root, options.force)?;

    let files = InMemory::default();
    let outcome = pipeline::run(
        &project,
        load_diagnostics,
        crate::cmd::as_of(options.as_of),
        &files,
    )?;
    shell.diagnostics(&outcome.diagnostics, &project.sources);
    let Some(site) = outcome.site else {
        shell.failed(&format!(
            "report not written ({})",
            tally(&outcome.diagnostics)
        ));
        return Ok(false);
    };
    let html = match render::render_report(&site, &project.theme) {
        Ok(html) => html,
        Err(diagnostic) => {
            shell.diagnostics(&[diagnostic], &project.sources);
            shell.failed("report not written (1 error)");
            return Ok(false);
        }
    };
    let bytes = crate::publish::self_contained(&html, &files.into_files(), &outcome.static_files)
        .map_err(|err| {
        anyhow::anyhow!("the report template did not give well-formed HTML: {err}")
    })?;

    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), PathBuf::from);
    fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
    let mut file = tempfile::NamedTempFile::new_in(&parent)
        .with_context(|| format!("creating a temporary file in {}", parent.display()))?;
    file.write_all(&bytes)
        .with_context(|| format!("writing {}", output.display()))?;
    // A temporary file is private (0600); a report is meant to be shared like any document.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(file.path(), fs::Permissions::from_mode(0o644))
            .with_context(|| format!("writing {}", output.display()))?;
    }
    file.persist(&output)
        .with_context(|| format!("replacing {}", output.display()))?;
    shell.status(
        "Wrote",
        &format!(
            "{} ({} KiB, {} tasks, {} records)",
            output.display(),
            bytes.len().div_ceil(1024),
            site.tasks.len(),
            site.records.len()
        ),
    );
    Ok(true)
}

/// The report may replace only a report: never a folder, a content or theme file, or a
/// file ppdocs did not write (unless `--force`).
fn check_output(
    output: &std::path::Path,
    root: &std::path::Path,
    force: bool,
) -> anyhow::Result<()> {
    if output.is_dir() {
        bail!(
            "{} is a folder\nhelp: give --output a file name, like compliance-report.html",
            output.display()
        );
    }
    let absolute = std::path::absolute(output)?;
    let root = std::path::absolute(root)?;
    for protected in [CONTENT_DIR, "themes"] {
        if absolute.starts_with(root.join(protected)) {
            bail!(
                "{} is inside {protected}/, where it would become part of the project\nhelp: write the report outside content/ and themes/",
                output.display()
            );
        }
    }
    if !force && output.is_file() {
        let existing = fs::read(output).with_context(|| format!("reading {}", output.display()))?;
        let ours = existing
            .windows(GENERATOR_MARK.len())
            .any(|w| w == GENERATOR_MARK.as_bytes());
        if !ours {
            bail!(
                "{} exists and was not written by ppdocs\nhelp: choose another --output, or pass --force to replace it",
                output.display()
            );
        }
    }
    Ok(())
}

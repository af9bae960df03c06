//! `ppdocs init`: scaffolds a project that builds at once, with Microsoft's Power Platform
//! security checklist as its first article and its task IDs pinned in `ppdocs.lock`.
//! Never overwrites a file.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::cmd::lock;
use crate::load::LOCK_FILE;
use crate::shell::Shell;

/// The checklist article; the example project's copy is the single source.
const CHECKLIST: &str = include_str!("../../content/security-checklist.md");
const HOME: &str = include_str!("../../content/index.md");
const EVIDENCE_GUIDE: &str = include_str!("../../content/reference/evidence-files.md");
/// The starter training modules for makers, and the hub's introduction.
static TRAINING: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/content/training");

const CONFIG: &str = r#"# ppdocs settings. Every key is optional; see the README for all of them.

# Shown in the top bar and in every page title.
title = "Power Platform security"

# One sentence shown on the dashboard.
description = "Our Power Platform security checklist, and where each task stands."

# Where the site will be published, for canonical links (optional).
# base_url = "https://contoso.github.io/power-platform-security/"

# A folder under themes/ whose files override the built-in theme (optional).
# theme = "contoso"
"#;

const GITIGNORE: &str = "# ppdocs build output\n/site/\n";

/// A CI service `init --ci` writes a workflow for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ci {
    /// GitHub Actions: check, build for GitHub Pages, deploy.
    Github,
}

/// Where `init --ci github` writes its workflow.
pub const GITHUB_WORKFLOW: &str = ".github/workflows/ppdocs.yml";

/// Checks and builds on every push and once a day (statuses change as evidence expires),
/// and deploys to GitHub Pages with the official upload and deploy actions.
const GITHUB_WORKFLOW_TEXT: &str = r#"# Written by `ppdocs init --ci github`. Builds the site and publishes it to GitHub Pages.
#
# Enable Pages first: repository Settings → Pages → Source: "GitHub Actions".
# A public Pages site is public even when the repository is private: keep evidence
# that must stay internal on a private host (SharePoint, an intranet server).
name: ppdocs

on:
  push:
    branches: [main]
  pull_request:
  # Statuses depend on the date (evidence expires): rebuild every morning.
  schedule:
    - cron: "17 5 * * *"
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: dtolnay/rust-toolchain@stable
      - uses: Swatinem/rust-cache@v2
      - name: Install ppdocs
        # Pin the version your site was written for.
        run: cargo install --locked ppdocs --version "{VERSION}"
      - name: Check
        run: ppdocs check
      - name: Configure Pages
        id: pages
        uses: actions/configure-pages@v5
      - name: Build
        run: ppdocs build --target github-pages --base-url "${{ steps.pages.outputs.base_url }}/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site

  deploy:
    if: github.event_name != 'pull_request' && github.ref == 'refs/heads/main'
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - name: Deploy to GitHub Pages
        id: deployment
        uses: actions/deploy-pages@v4
"#;

/// The workflow file for `ci`, with this version of ppdocs pinned.
pub fn workflow(ci: Ci) -> (&'static str, String) {
    match ci {
        Ci::Github => (
            GITHUB_WORKFLOW,
            GITHUB_WORKFLOW_TEXT.replace("{VERSION}", env!("CARGO_PKG_VERSION")),
        ),
    }
}

/// The files `init` writes, relative to the new project's folder.
pub fn scaffold() -> Vec<(String, &'static str)> {
    let mut files: Vec<(String, &'static str)> = [
        ("ppdocs.toml", CONFIG),
        ("content/index.md", HOME),
        ("content/security-checklist.md", CHECKLIST),
        ("content/reference/evidence-files.md", EVIDENCE_GUIDE),
        (".gitignore", GITIGNORE),
    ]
    .into_iter()
    .map(|(path, text)| (path.to_string(), text))
    .collect();
    for file in TRAINING.files() {
        if let Some(text) = file.contents_utf8() {
            files.push((format!("content/training/{}", file.path().display()), text));
        }
    }
    files.sort();
    files
}

/// Writes the scaffold into `dir` (created if missing), and the CI workflow for `ci`.
/// Refuses if any file exists. In a folder that already is a project, `--ci` adds only the
/// workflow.
pub fn run(dir: &Path, ci: Option<Ci>, shell: &Shell) -> anyhow::Result<()> {
    let is_project = dir.join(crate::load::CONTENT_DIR).is_dir();
    if let (Some(ci), true) = (ci, is_project) {
        return write_workflow(dir, ci, shell);
    }
    let files = scaffold();
    let existing: Vec<PathBuf> = files
        .iter()
        .map(|(path, _)| path.as_str())
        .chain([LOCK_FILE])
        .map(|path| dir.join(path))
        .filter(|path| path.exists())
        .collect();
    if !existing.is_empty() {
        let list: Vec<String> = existing
            .iter()
            .map(|p| format!("  {}", p.display()))
            .collect();
        bail!(
            "refusing to overwrite existing files:\n{}\nhelp: run `ppdocs init` in an empty folder, or move these files away first",
            list.join("\n")
        );
    }
    for (path, text) in files {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        shell.status("Created", &path.display().to_string());
    }
    // Pin the checklist's task IDs from the start, so evidence stays attached to its tasks
    // when the checklist is updated.
    if !lock::run(dir, None, shell)? {
        bail!("the new project did not validate; this is a bug in ppdocs, please report it");
    }
    if let Some(ci) = ci {
        write_workflow(dir, ci, shell)?;
    }
    let shown = if dir == Path::new(".") {
        String::new()
    } else {
        format!(" --root {}", dir.display())
    };
    shell.status(
        "Next",
        &format!("ppdocs build{shown}   (then open site/index.html)"),
    );
    Ok(())
}

fn write_workflow(dir: &Path, ci: Ci, shell: &Shell) -> anyhow::Result<()> {
    let (path, text) = workflow(ci);
    let path = dir.join(path);
    if path.exists() {
        bail!(
            "refusing to overwrite {}\nhelp: delete it first to get a fresh workflow",
            path.display()
        );
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    shell.status("Created", &path.display().to_string());
    Ok(())
}

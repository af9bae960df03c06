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

/// Writes the scaffold into `dir` (created if missing). Refuses if any file exists.
pub fn run(dir: &Path, shell: &Shell) -> anyhow::Result<()> {
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

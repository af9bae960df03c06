//! Whole-site checks: no two sources share an output file, and every relative link and
//! `#anchor` lands on a page, file or heading.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::load::{ContentKind, Project};
use crate::site::Site;
use crate::urls;

/// Output paths the theme and the generated pages own.
const RESERVED_OUTPUTS: &[&str] = &[
    "index.html",
    "404.html",
    "records.json",
    "records.csv",
    urls::TRAINING_HUB,
    crate::publish::RESERVED_FILES[0],
    crate::publish::RESERVED_FILES[1],
    crate::publish::RESERVED_FILES[2],
    crate::publish::RESERVED_FILES[3],
];
const RESERVED_DIRS: &[&str] = &["assets/", "appendix/"];

/// Two sources must never be written to the same file.
pub fn check_outputs(site: &Site, diagnostics: &mut Vec<Diagnostic>) {
    let mut owners: BTreeMap<&str, &Path> = BTreeMap::new();
    let mut outputs: Vec<(String, PathBuf)> = Vec::new();
    for page in &site.pages {
        outputs.push((page.document.output.clone(), page.document.source.clone()));
        if let Some(article) = page.article {
            for section in &site.articles[article].sections {
                outputs.push((section.output.clone(), page.document.source.clone()));
            }
        }
    }
    for (output, _) in &site.static_files {
        outputs.push((
            output.clone(),
            Path::new(crate::load::CONTENT_DIR).join(output),
        ));
    }
    for (output, source) in &outputs {
        if RESERVED_OUTPUTS.contains(&output.as_str())
            || RESERVED_DIRS.iter().any(|d| output.starts_with(d))
        {
            diagnostics.push(
                Diagnostic::error(
                    Code::OutputConflict,
                    format!(
                        "{} would be written to {output}, which ppdocs uses",
                        source.display()
                    ),
                )
                .in_file(source)
                .with_help("rename the file or folder"),
            );
            continue;
        }
        if let Some(first) = owners.insert(output.as_str(), source.as_path()) {
            diagnostics.push(
                Diagnostic::error(
                    Code::OutputConflict,
                    format!(
                        "{} and {} would both be written to {output}",
                        first.display(),
                        source.display()
                    ),
                )
                .in_file(source)
                .with_help("rename one of them, or the section heading that makes the page"),
            );
        }
    }
    check_file_folder_clashes(&outputs, diagnostics);
}

/// A file must not sit where another output needs a folder (`content/a` beside `a.md`).
fn check_file_folder_clashes(outputs: &[(String, PathBuf)], diagnostics: &mut Vec<Diagnostic>) {
    let files: HashMap<&str, &Path> = outputs
        .iter()
        .map(|(o, s)| (o.as_str(), s.as_path()))
        .collect();
    let mut reported = HashSet::new();
    for (output, source) in outputs {
        let mut folder = output.as_str();
        while let Some((parent, _)) = folder.rsplit_once('/') {
            if let Some(file_source) = files.get(parent)
                && reported.insert(parent)
            {
                diagnostics.push(
                    Diagnostic::error(
                        Code::OutputConflict,
                        format!(
                            "{} would be written to the file {parent}, where {} needs a folder",
                            file_source.display(),
                            source.display()
                        ),
                    )
                    .in_file(*file_source)
                    .with_help("rename the file, for example by giving it an extension"),
                );
            }
            folder = parent;
        }
    }
}

/// Every relative link must land on a page or file, and every `#anchor` on a heading.
pub fn check_links(project: &Project, site: &Site, diagnostics: &mut Vec<Diagnostic>) {
    // hashbrown's (foldhash) tables: `serve` checks every page's links on every rebuild.
    let mut anchors: hashbrown::HashMap<&Path, hashbrown::HashSet<&str>> =
        hashbrown::HashMap::new();
    for document in site.documents() {
        anchors.insert(
            document.source.as_path(),
            document.headings.iter().map(|h| h.id.as_str()).collect(),
        );
    }
    let statics: hashbrown::HashSet<&str> = site
        .static_files
        .iter()
        .map(|(output, _)| output.as_str())
        .collect();
    // Pages that failed to parse still exist; links to them are not reported twice.
    let pages: hashbrown::HashSet<&Path> = project
        .content
        .iter()
        .filter(|f| matches!(f.kind, ContentKind::Page | ContentKind::Training))
        .map(|f| f.path.as_path())
        .collect();

    for document in site.documents() {
        for link in &document.links {
            let is_page = link.target.extension().is_some_and(|e| e == "md");
            let exists = if is_page {
                pages.contains(link.target.as_path())
            } else {
                statics.contains(urls::static_output(&link.target).as_str())
            };
            if !exists {
                diagnostics.push(
                    Diagnostic::error(Code::LinkBroken, format!("link target {} does not exist", link.target.display()))
                        .at(&link.file, link.span.clone())
                        .with_help("links are relative to the file they are written in; check the spelling and the folder"),
                );
                continue;
            }
            let (Some(fragment), Some(ids)) = (&link.fragment, anchors.get(link.target.as_path()))
            else {
                continue;
            };
            if is_page && !fragment.is_empty() && !ids.contains(fragment.as_str()) {
                let suggestion = did_you_mean(fragment, ids.iter().copied())
                    .map(|s| format!("did you mean `#{s}`? "))
                    .unwrap_or_default();
                diagnostics.push(
                    Diagnostic::error(
                        Code::AnchorBroken,
                        format!("{} has no heading with the id `{fragment}`", link.target.display()),
                    )
                    .at(&link.file, link.span.clone())
                    .with_help(format!(
                        "{suggestion}anchors are the heading text in lowercase with dashes: `## Threat protection` is `#threat-protection`"
                    )),
                );
            }
        }
    }
}

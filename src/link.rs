//! Linking: turns parsed documents into a [`Site`]. Assigns task IDs, gives sections their
//! pages, and checks what only the whole site can check: unique IDs and output paths, and
//! that every relative link and `#anchor` lands somewhere.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic};
use crate::load::Project;
use crate::parse::Document;
use crate::site::{Article, Page, Section, Site, Status, Task, TaskId};
use crate::urls;

/// Output paths the theme owns.
const RESERVED_OUTPUTS: &[&str] = &["index.html", "404.html"];
const RESERVED_DIR: &str = "assets/";

/// Longest explicit task ID accepted.
const MAX_ID_LEN: usize = 40;

/// Words left out when a section title is abbreviated into a task-ID prefix.
const STOP_WORDS: &[&str] = &[
    "and", "or", "of", "the", "for", "to", "in", "a", "an", "with", "on", "your",
];

/// Builds the site from the project's parsed documents.
pub fn link(project: &Project, mut documents: Vec<Document>) -> (Site, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    documents.sort_by(|a, b| a.source.cmp(&b.source));
    let home_index = documents.iter().position(|d| d.output == "index.html");
    let home = home_index.map(|i| documents.remove(i));
    if let Some(home) = &home
        && home.is_checklist()
    {
        diagnostics.push(
            Diagnostic::error(
                Code::OutputConflict,
                "content/index.md is the dashboard's introduction and cannot hold checklists",
            )
            .in_file(&home.source)
            .with_help(
                "move the checklist tables to a page of their own, e.g. content/checklist.md",
            ),
        );
    }

    let mut site = Site {
        config: project.config.clone(),
        pages: Vec::with_capacity(documents.len()),
        home,
        articles: Vec::new(),
        tasks: Vec::new(),
        static_files: project
            .static_files
            .iter()
            .map(|f| (f.output.clone(), f.source.clone()))
            .collect(),
    };
    let mut prefixes = PrefixRegistry::default();
    let mut ids: HashMap<TaskId, (PathBuf, std::ops::Range<usize>)> = HashMap::new();

    for document in documents {
        let page_index = site.pages.len();
        let article = document.is_checklist().then(|| {
            let article_index = site.articles.len();
            let sections = assign_tasks(
                &document,
                article_index,
                &mut site.tasks,
                &mut prefixes,
                &mut ids,
                &mut diagnostics,
            );
            site.articles.push(Article {
                page: page_index,
                sections,
            });
            article_index
        });
        site.pages.push(Page { document, article });
    }

    check_outputs(&site, &mut diagnostics);
    check_links(project, &site, &mut diagnostics);
    (site, diagnostics)
}

/// Gives each section of `document` its prefix and page, and each task its ID.
fn assign_tasks(
    document: &Document,
    article: usize,
    tasks: &mut Vec<Task>,
    prefixes: &mut PrefixRegistry,
    ids: &mut HashMap<TaskId, (PathBuf, std::ops::Range<usize>)>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Section> {
    let folder = document.output.trim_end_matches("index.html");
    let mut sections = Vec::new();
    for draft in document.sections.iter().filter(|s| !s.tasks.is_empty()) {
        let section_index = sections.len();
        let prefix = prefixes.claim(
            draft.prefix.as_deref(),
            &draft.title,
            &draft.file,
            draft.span.clone(),
            diagnostics,
        );
        let start = tasks.len();
        for (position, task) in draft.tasks.iter().enumerate() {
            let id = match &task.explicit_id {
                Some((id, _)) if valid_id(id) => TaskId(id.clone()),
                Some((id, span)) => {
                    diagnostics.push(
                        Diagnostic::error(Code::TaskIdInvalid, format!("`{id}` is not a valid task ID"))
                            .at(&task.file, span.clone())
                            .with_help(format!(
                                "task IDs use letters, digits and `-`, `_`, `.`, `:`, up to {MAX_ID_LEN} characters, e.g. TP-09"
                            )),
                    );
                    TaskId(format!("{prefix}-{:02}", position + 1))
                }
                None => TaskId(format!("{prefix}-{:02}", position + 1)),
            };
            let span = task
                .explicit_id
                .as_ref()
                .map_or(task.span.clone(), |(_, s)| s.clone());
            if let Some((first_file, first_span)) = ids.get(&id) {
                diagnostics.push(
                    Diagnostic::error(Code::TaskIdDuplicate, format!("task ID `{id}` is used twice"))
                        .at(&task.file, span)
                        .with_help(format!(
                            "it was first given to the task at {} (byte {}); give one of them another ID with `{{#NEW-ID}}` at the end of its text",
                            first_file.display(),
                            first_span.start
                        )),
                );
            } else {
                ids.insert(id.clone(), (task.file.clone(), span));
            }
            tasks.push(Task {
                id,
                article,
                section: section_index,
                html: task.html.clone(),
                text: task.text.clone(),
                status: Status::NotStarted,
                file: task.file.clone(),
                span: task.span.clone(),
            });
        }
        sections.push(Section {
            title: draft.title.clone(),
            anchor: draft.anchor.clone(),
            prefix,
            output: format!("{folder}{}/index.html", draft.anchor),
            tasks: start..tasks.len(),
        });
    }
    sections
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
}

/// Task-ID prefixes claimed so far, so that no two sections share one.
#[derive(Default)]
struct PrefixRegistry {
    taken: HashSet<String>,
}

impl PrefixRegistry {
    fn claim(
        &mut self,
        explicit: Option<&str>,
        title: &str,
        file: &Path,
        span: std::ops::Range<usize>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> String {
        if let Some(explicit) = explicit {
            let prefix = explicit.to_ascii_uppercase();
            if !self.taken.insert(prefix.clone()) {
                diagnostics.push(
                    Diagnostic::error(
                        Code::SectionPrefixDuplicate,
                        format!("task-ID prefix `{prefix}` is used by another section"),
                    )
                    .at(file, span)
                    .with_help("choose a prefix no other section uses: `## Title {prefix=XYZ}`"),
                );
            }
            return prefix;
        }
        let derived = derive_prefix(title);
        if self.taken.insert(derived.clone()) {
            return derived;
        }
        let prefix = (2..)
            .map(|n| format!("{derived}{n}"))
            .find(|p| !self.taken.contains(p))
            .unwrap_or_default();
        self.taken.insert(prefix.clone());
        diagnostics.push(
            Diagnostic::warning(
                Code::SectionPrefixDuplicate,
                format!("section \"{title}\" abbreviates to `{derived}` like an earlier section; its tasks use `{prefix}`"),
            )
            .at(file, span)
            .with_help(format!("give it a prefix of its own: `## {title} {{prefix=XYZ}}`")),
        );
        prefix
    }
}

/// "Data protection and privacy" → `DPP`; "Compliance" → `CO`: the initials of the
/// significant words (at most four), or the first two letters of a single word.
pub fn derive_prefix(title: &str) -> String {
    let ascii = deunicode(title);
    let words: Vec<&str> = ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(&w.to_ascii_lowercase().as_str()))
        .collect();
    let prefix: String = match words.as_slice() {
        [] => "S".to_string(),
        [word] => word.chars().take(2).collect(),
        many => many
            .iter()
            .take(4)
            .filter_map(|w| w.chars().next())
            .collect(),
    };
    prefix.to_ascii_uppercase()
}

fn deunicode(text: &str) -> String {
    // slug transliterates; keep word boundaries by slugifying word by word.
    text.split_whitespace()
        .map(slug::slugify)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Two sources must never be written to the same file.
fn check_outputs(site: &Site, diagnostics: &mut Vec<Diagnostic>) {
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
        if RESERVED_OUTPUTS.contains(&output.as_str()) || output.starts_with(RESERVED_DIR) {
            diagnostics.push(
                Diagnostic::error(
                    Code::OutputConflict,
                    format!(
                        "{} would be written to {output}, which the theme uses",
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
}

/// Every relative link must land on a page or file, and every `#anchor` on a heading.
fn check_links(project: &Project, site: &Site, diagnostics: &mut Vec<Diagnostic>) {
    let mut anchors: HashMap<&Path, HashSet<&str>> = HashMap::new();
    for document in site
        .pages
        .iter()
        .map(|p| &p.document)
        .chain(site.home.as_ref())
    {
        anchors.insert(
            document.source.as_path(),
            document.headings.iter().map(|h| h.id.as_str()).collect(),
        );
    }
    let statics: HashSet<&str> = site.static_files.iter().map(|(o, _)| o.as_str()).collect();
    // Pages that failed to parse still exist; links to them are not reported twice.
    let sources: HashSet<&Path> = project
        .content
        .iter()
        .filter(|f| !f.is_partial)
        .map(|f| f.path.as_path())
        .collect();

    for document in site
        .pages
        .iter()
        .map(|p| &p.document)
        .chain(site.home.as_ref())
    {
        for link in &document.links {
            let is_page = link.target.extension().is_some_and(|e| e == "md");
            let exists = if is_page {
                sources.contains(link.target.as_path())
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
                let suggestion = crate::diagnostics::did_you_mean(fragment, ids.iter().copied())
                    .map(|s| format!("did you mean `#{s}`? "))
                    .unwrap_or_default();
                diagnostics.push(
                    Diagnostic::error(
                        Code::AnchorBroken,
                        format!("{} has no heading with the id `{fragment}`", link.target.display()),
                    )
                    .at(&link.file, link.span.clone())
                    .with_help(format!("{suggestion}anchors are the heading text in lowercase with dashes: `## Threat protection` is `#threat-protection`")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_follow_the_documented_scheme() {
        assert_eq!(derive_prefix("Security posture management"), "SPM");
        assert_eq!(derive_prefix("Threat protection"), "TP");
        assert_eq!(derive_prefix("Data protection and privacy"), "DPP");
        assert_eq!(derive_prefix("Identity and access management"), "IAM");
        assert_eq!(derive_prefix("Compliance"), "CO");
        assert_eq!(derive_prefix("Workload security"), "WS");
        assert_eq!(derive_prefix("Sécurité des données"), "SDD");
        assert_eq!(derive_prefix("!!!"), "S");
    }

    #[test]
    fn ids_are_validated() {
        assert!(valid_id("SE:01"));
        assert!(valid_id("TP-09"));
        assert!(!valid_id("has space"));
        assert!(!valid_id("-leading"));
        assert!(!valid_id(&"A".repeat(41)));
    }
}

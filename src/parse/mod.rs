//! Parsing: text in, documents and diagnostics out. Never reads the disk.
//!
//! For each Markdown page: split and parse the front matter, rewrite the Microsoft Learn
//! extensions (`learn`), then render the Markdown while collecting headings, sections,
//! checklist tasks and links (`markdown`, `checklist`, `highlight`).

pub mod checklist;
pub mod front_matter;
pub mod highlight;
pub mod learn;
pub mod markdown;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

pub use front_matter::FrontMatter;
pub use markdown::{BodyPart, Heading, LocalLink, SectionDraft, TaskDraft};

use crate::diagnostics::Diagnostic;
use crate::load::{ContentFile, Project};
use crate::urls;

/// Every Markdown file's text by project-relative path, for includes.
pub type ContentIndex = HashMap<PathBuf, Arc<str>>;

/// A parsed page, before tasks get IDs and pages get neighbours.
#[derive(Clone, Debug)]
pub struct Document {
    /// Project-relative source path: `content/security-checklist.md`.
    pub source: PathBuf,
    /// Output path: `security-checklist/index.html`.
    pub output: String,
    pub front_matter: FrontMatter,
    /// The leading `# H1`, else the front matter's `title`, else the file name.
    pub title: String,
    pub parts: Vec<BodyPart>,
    pub headings: Vec<Heading>,
    pub sections: Vec<SectionDraft>,
    pub links: Vec<LocalLink>,
}

impl Document {
    /// A page with checklist tasks is a checklist article.
    pub fn is_checklist(&self) -> bool {
        self.sections.iter().any(|s| !s.tasks.is_empty())
    }
}

/// Parses every page of the project in parallel. Output order follows `project.content`.
pub fn parse_project(project: &Project) -> (Vec<Document>, Vec<Diagnostic>) {
    let index: ContentIndex = project
        .content
        .iter()
        .map(|f| (f.path.clone(), f.text.clone()))
        .collect();
    let results: Vec<(Option<Document>, Vec<Diagnostic>)> = project
        .content
        .par_iter()
        .filter(|file| !file.is_partial)
        .map(|file| parse_document(file, &index, &project.config.learn_base_url))
        .collect();
    let mut documents = Vec::with_capacity(results.len());
    let mut diagnostics = Vec::new();
    for (document, found) in results {
        documents.extend(document);
        diagnostics.extend(found);
    }
    (documents, diagnostics)
}

/// Parses one page. `None` when the page cannot be read at all (broken front matter).
pub fn parse_document(
    file: &ContentFile,
    index: &ContentIndex,
    learn_base_url: &str,
) -> (Option<Document>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let split = match front_matter::split(&file.text, &file.path) {
        Ok(split) => split,
        Err(d) => return (None, vec![d]),
    };
    let front_matter = match split.yaml {
        Some((yaml, offset)) => match front_matter::parse(yaml, offset, &file.path) {
            Ok((fm, warnings)) => {
                diagnostics.extend(warnings);
                fm
            }
            Err(d) => return (None, vec![d]),
        },
        None => FrontMatter::default(),
    };

    let output = urls::page_output(&file.path);
    let pre = learn::preprocess(
        split.body,
        split.body_offset,
        &file.path,
        index,
        &mut diagnostics,
    );
    let links = markdown::LinkContext {
        source: &file.path,
        output: &output,
        learn_base_url,
    };
    let rendered = markdown::render(&pre, &links, &mut diagnostics);
    let title = rendered
        .title
        .clone()
        .or_else(|| front_matter.title.clone())
        .unwrap_or_else(|| {
            file.path
                .file_stem()
                .map(|s| s.to_string_lossy().replace(['-', '_'], " "))
                .unwrap_or_default()
        });
    let document = Document {
        source: file.path.clone(),
        output,
        front_matter,
        title,
        parts: rendered.parts,
        headings: rendered.headings,
        sections: rendered.sections,
        links: rendered.links,
    };
    (Some(document), diagnostics)
}

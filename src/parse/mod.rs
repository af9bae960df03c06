//! Parsing: text in, documents and diagnostics out. Never reads the disk.
//!
//! For each Markdown page: split and parse the front matter, rewrite the Microsoft Learn
//! extensions (`learn`), then render the Markdown while collecting headings, sections,
//! checklist tasks and links (`markdown`, `checklist`, `highlight`).

pub mod checklist;
pub mod evidence;
pub mod frameworks;
pub mod front_matter;
pub mod highlight;
pub mod learn;
pub mod lock;
pub mod markdown;
pub mod training;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub use front_matter::FrontMatter;
pub use markdown::{BodyPart, Heading, LocalLink, SectionDraft, TaskDraft};

use evidence::EvidenceRecord;
use frameworks::FrameworkDraft;
use lock::Lock;
use training::ModuleMeta;

use crate::diagnostics::Diagnostic;
use crate::load::{ContentFile, ContentKind, Project};
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
    /// Set for training modules (`content/training/`).
    pub module: Option<ModuleMeta>,
}

impl Document {
    /// A page with checklist tasks is a checklist article.
    pub fn is_checklist(&self) -> bool {
        self.sections.iter().any(|s| !s.tasks.is_empty())
    }
}

/// Everything parsed from a project, ready for `link`.
#[derive(Debug)]
pub struct ParsedProject {
    pub documents: Vec<Document>,
    pub evidence: Vec<EvidenceRecord>,
    /// `None` when the project has no `content/frameworks.yaml`.
    pub frameworks: Option<Vec<FrameworkDraft>>,
    pub lock: Option<Lock>,
}

/// Parses every page and evidence file of the project in parallel, and the framework
/// mappings and lock file. Output order follows `project.content`.
pub fn parse_project(project: &Project) -> (ParsedProject, Vec<Diagnostic>) {
    let index: ContentIndex = project
        .content
        .iter()
        .filter(|f| f.kind != ContentKind::Evidence)
        .map(|f| (f.path.clone(), f.text.clone()))
        .collect();
    let pages: Vec<(Option<Document>, Vec<Diagnostic>)> = project
        .content
        .par_iter()
        .filter(|file| matches!(file.kind, ContentKind::Page | ContentKind::Training))
        .map(|file| parse_document(file, &index, &project.config.learn_base_url))
        .collect();
    let records: Vec<(Option<EvidenceRecord>, Vec<Diagnostic>)> = project
        .content
        .par_iter()
        .filter(|file| file.kind == ContentKind::Evidence)
        .map(evidence::parse_evidence)
        .collect();
    let mut diagnostics = Vec::new();
    let mut documents = Vec::with_capacity(pages.len());
    for (document, found) in pages {
        documents.extend(document);
        diagnostics.extend(found);
    }
    let mut evidence = Vec::with_capacity(records.len());
    for (record, found) in records {
        evidence.extend(record);
        diagnostics.extend(found);
    }
    let frameworks = project.frameworks.as_ref().map(|file| {
        let (frameworks, found) = frameworks::parse_frameworks(&file.text, &file.path);
        diagnostics.extend(found);
        frameworks
    });
    let lock = project.lock.as_ref().and_then(|text| {
        lock::parse_lock(text, Path::new(crate::load::LOCK_FILE))
            .map_err(|d| diagnostics.push(d))
            .ok()
    });
    let parsed = ParsedProject {
        documents,
        evidence,
        frameworks,
        lock,
    };
    (parsed, diagnostics)
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
    let module = (file.kind == ContentKind::Training).then(|| {
        let (yaml, offset) = split.yaml.unwrap_or(("", 0));
        let (module, found) = training::parse_module(&front_matter.meta, yaml, offset, &file.path);
        diagnostics.extend(found);
        module
    });
    if module.as_ref().is_some_and(Option::is_none) {
        return (None, diagnostics);
    }

    let output = urls::page_output(&file.path);
    let pre = learn::preprocess(
        split.body,
        split.body_offset,
        &file.path,
        index,
        &mut diagnostics,
    );
    let links = markdown::PageContext {
        source: &file.path,
        output: &output,
        learn_base_url,
        self_check: file.kind == ContentKind::Training,
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
        module: module.flatten(),
    };
    (Some(document), diagnostics)
}

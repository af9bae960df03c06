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
pub mod sanitize;
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

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::load::{ContentFile, ContentKind, Project};
use crate::urls;

/// Every Markdown file's text by project-relative path, for includes.
pub type ContentIndex = HashMap<PathBuf, Arc<str>>;

/// A parsed page, before tasks get IDs and pages get neighbours.
#[derive(Clone, Debug, Hash)]
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
    /// The files this document was built from: its source and the files it includes.
    pub inputs: Vec<PathBuf>,
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
    /// Shared with the parse cache, so an unchanged page is not copied.
    pub documents: Vec<Arc<Document>>,
    pub evidence: Vec<Arc<EvidenceRecord>>,
    /// `None` when the project has no `content/frameworks.yaml`.
    pub frameworks: Option<Vec<FrameworkDraft>>,
    pub lock: Option<Lock>,
    /// How many pages and evidence files were parsed afresh rather than taken from the cache.
    pub reparsed: usize,
}

/// A page's parse result and the hashes of the files it was built from.
type PageResult = (Option<Arc<Document>>, Vec<Diagnostic>);
type RecordResult = (Option<Arc<EvidenceRecord>>, Vec<Diagnostic>);

/// Parse results of earlier runs, reused while the files they were built from are unchanged.
/// `serve` keeps one across rebuilds, so an edit re-parses only the files it touched.
#[derive(Default)]
pub struct ParseCache {
    settings: Option<PageSettings>,
    pages: HashMap<PathBuf, (Vec<(PathBuf, u64)>, PageResult)>,
    records: HashMap<PathBuf, (u64, RecordResult)>,
    /// Each file's hash, with the text it was taken of: `load` hands an unchanged file's
    /// text back in the same allocation, so it is not hashed again.
    hashes: HashMap<PathBuf, (Arc<str>, u64)>,
    /// `frameworks.yaml` parsed, with the text it was parsed from.
    frameworks: Option<(Arc<str>, FrameworksResult)>,
}

type FrameworksResult = (Vec<FrameworkDraft>, Vec<Diagnostic>);

impl ParseCache {
    /// `frameworks.yaml` parsed, or the last result while `load` hands back the same text.
    fn frameworks(&mut self, file: &ContentFile) -> FrameworksResult {
        match &self.frameworks {
            Some((text, result)) if Arc::ptr_eq(text, &file.text) => result.clone(),
            _ => {
                let result = frameworks::parse_frameworks(&file.text, &file.path);
                self.frameworks = Some((file.text.clone(), result.clone()));
                result
            }
        }
    }
}

fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// Parses every page and evidence file of the project in parallel, and the framework
/// mappings and lock file. Output order follows `project.content`.
pub fn parse_project(project: &Project) -> (ParsedProject, Vec<Diagnostic>) {
    parse_all(project, None)
}

/// [`parse_project`], reusing what `cache` holds for files that did not change.
pub fn parse_project_cached(
    project: &Project,
    cache: &mut ParseCache,
) -> (ParsedProject, Vec<Diagnostic>) {
    parse_all(project, Some(cache))
}

/// Parses the project; with a cache, reuses and keeps results (a build without one keeps
/// no copies of what it parsed).
fn parse_all(
    project: &Project,
    mut cache: Option<&mut ParseCache>,
) -> (ParsedProject, Vec<Diagnostic>) {
    let settings = PageSettings::of(&project.config);
    if let Some(cache) = cache.as_deref_mut()
        && cache.settings.as_ref() != Some(&settings)
    {
        *cache = ParseCache {
            settings: Some(settings.clone()),
            ..ParseCache::default()
        };
    }
    let hashes: HashMap<&Path, u64> = match cache.as_deref() {
        Some(cache) => project
            .content
            .par_iter()
            .map(|f| {
                let hash = match cache.hashes.get(&f.path) {
                    Some((text, hash)) if Arc::ptr_eq(text, &f.text) => *hash,
                    _ => text_hash(&f.text),
                };
                (f.path.as_path(), hash)
            })
            .collect(),
        None => HashMap::new(),
    };
    let index: ContentIndex = project
        .content
        .iter()
        .filter(|f| f.kind != ContentKind::Evidence)
        .map(|f| (f.path.clone(), f.text.clone()))
        .collect();
    let reader = cache.as_deref();
    let cached_page = |file: &ContentFile| -> Option<PageResult> {
        let (inputs, result) = reader?.pages.get(&file.path)?;
        inputs
            .iter()
            .all(|(path, hash)| hashes.get(path.as_path()) == Some(hash))
            .then(|| result.clone())
    };
    let pages: Vec<(PathBuf, bool, PageResult)> = project
        .content
        .par_iter()
        .filter(|file| matches!(file.kind, ContentKind::Page | ContentKind::Training))
        .map(|file| match cached_page(file) {
            Some(result) => (file.path.clone(), false, result),
            None => (file.path.clone(), true, {
                let (document, found) = parse_document(file, &index, &settings);
                (document.map(Arc::new), found)
            }),
        })
        .collect();
    let records: Vec<(PathBuf, bool, RecordResult)> = project
        .content
        .par_iter()
        .filter(|file| file.kind == ContentKind::Evidence)
        .map(|file| {
            let hash = hashes.get(file.path.as_path()).copied().unwrap_or_default();
            match reader.and_then(|cache| cache.records.get(&file.path)) {
                Some((cached, result)) if *cached == hash => {
                    (file.path.clone(), false, result.clone())
                }
                _ => {
                    let (record, found) = evidence::parse_evidence(file);
                    (file.path.clone(), true, (record.map(Arc::new), found))
                }
            }
        })
        .collect();
    if let Some(cache) = cache.as_deref_mut() {
        keep(cache, &hashes, &pages, &records);
        cache.hashes = project
            .content
            .iter()
            .map(|f| (f.path.clone(), (f.text.clone(), hashes[f.path.as_path()])))
            .collect();
    }
    let reparsed = pages.iter().filter(|p| p.1).count() + records.iter().filter(|r| r.1).count();
    let pages: Vec<PageResult> = pages.into_iter().map(|(_, _, r)| r).collect();
    let records: Vec<RecordResult> = records.into_iter().map(|(_, _, r)| r).collect();
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
        let (frameworks, found) = match cache {
            Some(cache) => cache.frameworks(file),
            None => frameworks::parse_frameworks(&file.text, &file.path),
        };
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
        reparsed,
    };
    (parsed, diagnostics)
}

/// Stores freshly parsed results in `cache` with the hashes of the files they came from,
/// and forgets files that are gone.
fn keep(
    cache: &mut ParseCache,
    hashes: &HashMap<&Path, u64>,
    pages: &[(PathBuf, bool, PageResult)],
    records: &[(PathBuf, bool, RecordResult)],
) {
    cache
        .pages
        .retain(|path, _| hashes.contains_key(path.as_path()));
    cache
        .records
        .retain(|path, _| hashes.contains_key(path.as_path()));
    for (path, fresh, result) in pages {
        if *fresh {
            let inputs = match &result.0 {
                Some(document) => document.inputs.clone(),
                None => vec![path.clone()],
            };
            let inputs = inputs
                .into_iter()
                .map(|p| {
                    let hash = hashes.get(p.as_path()).copied().unwrap_or_default();
                    (p, hash)
                })
                .collect();
            cache.pages.insert(path.clone(), (inputs, result.clone()));
        }
    }
    for (path, fresh, result) in records {
        if *fresh {
            let hash = hashes.get(path.as_path()).copied().unwrap_or_default();
            cache.records.insert(path.clone(), (hash, result.clone()));
        }
    }
}

/// The settings of `ppdocs.toml` that change how a page parses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageSettings {
    pub learn_base_url: String,
    pub sanitize: bool,
}

impl PageSettings {
    pub fn of(config: &Config) -> Self {
        PageSettings {
            learn_base_url: config.learn_base_url.clone(),
            sanitize: config.sanitize,
        }
    }
}

/// Parses one page. `None` when the page cannot be read at all (broken front matter).
pub fn parse_document(
    file: &ContentFile,
    index: &ContentIndex,
    settings: &PageSettings,
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
        learn_base_url: &settings.learn_base_url,
        sanitize: settings.sanitize,
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
        inputs: pre.files().to_vec(),
    };
    (Some(document), diagnostics)
}

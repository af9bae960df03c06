//! Which pages a rebuild must render again. Each page that shows one article, module or
//! plain page gets a fingerprint of everything it shows; while it is unchanged the page's
//! previous bytes are reused. Pages that list the whole site are reused while their
//! template context has the same fingerprint (dashboard, appendix index, framework
//! appendices, training hub) or assembled from cached parts (all appendices, records); any
//! change to what every page shares (settings, navigation, theme) renders all.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::records::Chunk;
use crate::load::Theme;
use crate::parse::Document;
use crate::site::Site;

/// The hasher of fingerprints. foldhash rather than std's SipHash, which took a tenth of a
/// rebuild hashing every document, task and record; seeded the same in every run.
pub(super) type Fingerprinter = foldhash::quality::FoldHasher<'static>;

pub(super) fn fingerprinter() -> Fingerprinter {
    foldhash::quality::FixedState::with_seed(0x7070_646f_6373).build_hasher()
}

/// Rendered HTML with the fingerprint of what it shows.
type Fragment = (u64, Arc<str>);

/// A page that lists the whole site: the fingerprint of its context, and its bytes.
type Listing = (u64, Arc<[u8]>);

/// Each article's document's hash, by the address of the `Arc` the parse cache hands every
/// rebuild while the page is unchanged; the `Arc` is kept, so the address stays its own.
type DocumentHashes = hashbrown::HashMap<usize, (Arc<Document>, u64)>;

/// Pages of the previous build, by output path, with the fingerprint they were built from,
/// and the appendices of the all-appendices page, by position.
#[derive(Default)]
pub struct RenderCache {
    shared: u64,
    /// hashbrown's map (foldhash): every page is looked up on every rebuild.
    pages: hashbrown::HashMap<String, (u64, Arc<[u8]>)>,
    /// Written while pages render in parallel, hence the lock.
    appendices: Mutex<Vec<Option<Fragment>>>,
    /// Each article's part of `records.json` and `records.csv`, by article.
    records: Vec<(u64, Chunk)>,
    /// Pages that list the whole site, by path, with the fingerprint of their context.
    listings: Mutex<HashMap<String, Listing>>,
    /// So that only changed documents are hashed again.
    documents: DocumentHashes,
    rendered: usize,
}

impl RenderCache {
    /// How many pages the last run rendered (the rest were reused).
    pub fn rendered(&self) -> usize {
        self.rendered
    }

    /// Forgets every page if what all pages share changed.
    pub(super) fn start(&mut self, shared: u64) {
        self.rendered = 0;
        if shared != self.shared {
            self.pages.clear();
            self.appendices_mut().clear();
            self.records.clear();
            self.listings_mut().clear();
            self.shared = shared;
        }
    }

    /// This rebuild's fingerprints, hashing only the documents that changed.
    pub(super) fn fingerprints(&mut self, site: &Site) -> Fingerprints {
        let known = &self.documents;
        let hashed: Vec<_> = site
            .articles
            .par_iter()
            .map(|article| {
                let document = &site.pages[article.page].document;
                let key = Arc::as_ptr(document) as usize;
                let hash = match known.get(&key) {
                    Some((_, hash)) => *hash,
                    None => {
                        let mut hasher = fingerprinter();
                        document.hash(&mut hasher);
                        hasher.finish()
                    }
                };
                (key, (document.clone(), hash))
            })
            .collect();
        // Only this rebuild's documents are kept.
        self.documents = hashed.into_iter().collect();
        Fingerprints::of(site, &self.documents)
    }

    fn appendices_mut(&mut self) -> &mut Vec<Option<Fragment>> {
        self.appendices.get_mut().unwrap_or_else(|e| e.into_inner())
    }

    fn listings_mut(&mut self) -> &mut HashMap<String, Listing> {
        self.listings.get_mut().unwrap_or_else(|e| e.into_inner())
    }

    /// The page at `path` that lists the whole site, if rendered from the same context.
    pub(super) fn listing(&self, path: &str, fingerprint: u64) -> Option<Arc<[u8]>> {
        let listings = self.listings.lock().unwrap_or_else(|e| e.into_inner());
        match listings.get(path) {
            Some((cached, bytes)) if *cached == fingerprint => Some(bytes.clone()),
            _ => None,
        }
    }

    pub(super) fn store_listing(&self, path: String, fingerprint: u64, bytes: Arc<[u8]>) {
        let mut listings = self.listings.lock().unwrap_or_else(|e| e.into_inner());
        listings.insert(path, (fingerprint, bytes));
    }

    /// Article `article`'s records chunk, if made from the same inputs.
    pub(super) fn records(&self, article: usize, fingerprint: u64) -> Option<&Chunk> {
        match self.records.get(article) {
            Some((cached, chunk)) if *cached == fingerprint => Some(chunk),
            _ => None,
        }
    }

    pub(super) fn store_records(&mut self, chunks: Vec<(u64, Chunk)>) {
        self.records = chunks;
    }

    /// Part `part` of the all-appendices page, if it was rendered from the same inputs.
    pub(super) fn appendix(&self, part: usize, fingerprint: u64) -> Option<Arc<str>> {
        let appendices = self.appendices.lock().unwrap_or_else(|e| e.into_inner());
        match appendices.get(part) {
            Some(Some((cached, html))) if *cached == fingerprint => Some(html.clone()),
            _ => None,
        }
    }

    /// Keeps the parts of the all-appendices page for the next run (`parts` of them now).
    pub(super) fn store_appendices(&self, parts: Vec<Option<Fragment>>) {
        let mut appendices = self.appendices.lock().unwrap_or_else(|e| e.into_inner());
        *appendices = parts;
    }

    pub(super) fn get(&self, path: &str, fingerprint: u64) -> Option<&Arc<[u8]>> {
        match self.pages.get(path) {
            Some((cached, bytes)) if *cached == fingerprint => Some(bytes),
            _ => None,
        }
    }

    pub(super) fn count_rendered(&mut self, pages: usize) {
        self.rendered = pages;
    }

    pub(super) fn store(&mut self, path: String, fingerprint: u64, bytes: Arc<[u8]>) {
        self.pages.insert(path, (fingerprint, bytes));
    }
}

/// Where a page's template context goes: into a Tera context to render, or into a
/// [`ContextHasher`] that keeps only its fingerprint.
pub(super) trait ContextSink {
    fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T);
}

impl ContextSink for Context {
    fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        Context::insert(self, key, value);
    }
}

/// A context's fingerprint, made without building it: each value is hashed as JSON, which
/// keeps every type, order and string Tera would be given, and costs a fraction of
/// building Tera's values, rendering the page and scanning its links.
pub(super) struct ContextHasher(Fingerprinter);

impl Default for ContextHasher {
    fn default() -> Self {
        ContextHasher(fingerprinter())
    }
}

impl ContextHasher {
    pub(super) fn finish(&self) -> u64 {
        self.0.finish()
    }
}

impl ContextSink for ContextHasher {
    fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        key.hash(&mut self.0);
        // Writing into a hasher cannot fail; a value serde cannot write (none of ours) would
        // render as an error anyway.
        let _ = serde_json::to_writer(HashWriter(&mut self.0), value);
        // Ends the value, so no two contexts run together into one text.
        self.0.write_u8(0xff);
    }
}

struct HashWriter<'a>(&'a mut Fingerprinter);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What every page shares: settings, the theme, and the serialized global context.
pub(super) fn shared_fingerprint(site: &Site, theme: &Theme, globals: &[&[u8]]) -> u64 {
    let mut hasher = fingerprinter();
    theme.templates.hash(&mut hasher);
    theme.name.hash(&mut hasher);
    site.config.base_url.hash(&mut hasher);
    site.config.theme.hash(&mut hasher);
    globals.hash(&mut hasher);
    hasher.finish()
}

/// The fingerprints of a rebuild's articles and section appendices, each made once (the
/// section appendices, the all-appendices page and the records chunks all need them).
#[derive(Default)]
pub(super) struct Fingerprints {
    /// By article: what its page and section pages show.
    articles: Vec<u64>,
    /// By article, then section: what the section's appendix shows.
    appendices: Vec<Vec<u64>>,
}

impl Fingerprints {
    fn of(site: &Site, documents: &DocumentHashes) -> Self {
        let (articles, appendices) = (0..site.articles.len())
            .into_par_iter()
            .map(|article| {
                let fingerprint = article_fingerprint(site, article, documents);
                let sections = site.articles[article].sections.len();
                let appendices = (0..sections)
                    .map(|section| appendix_fingerprint(site, fingerprint, article, section))
                    .collect();
                (fingerprint, appendices)
            })
            .unzip();
        Fingerprints {
            articles,
            appendices,
        }
    }

    pub(super) fn article(&self, article: usize) -> u64 {
        self.articles[article]
    }

    pub(super) fn appendix(&self, article: usize, section: usize) -> u64 {
        self.appendices[article][section]
    }

    /// An article's records chunk shows its tasks and their records in full, like its
    /// sections' appendices together.
    pub(super) fn records(&self, article: usize) -> u64 {
        let mut hasher = fingerprinter();
        self.appendices[article].hash(&mut hasher);
        hasher.finish()
    }
}

/// What one article's pages show: its document (hashed in `documents`), its sections, and
/// its tasks with their evidence and training links.
fn article_fingerprint(site: &Site, article: usize, documents: &DocumentHashes) -> u64 {
    let article = &site.articles[article];
    let mut hasher = fingerprinter();
    let document = &site.pages[article.page].document;
    documents[&(Arc::as_ptr(document) as usize)]
        .1
        .hash(&mut hasher);
    for section in &article.sections {
        (
            &section.title,
            &section.anchor,
            &section.prefix,
            &section.output,
            &section.appendix,
            section.number,
        )
            .hash(&mut hasher);
        section.tasks.hash(&mut hasher);
    }
    for task in article.tasks() {
        task_inputs(site, task, &mut hasher);
    }
    hasher.finish()
}

/// A section appendix also shows its tasks' records in full.
fn appendix_fingerprint(
    site: &Site,
    article_fingerprint: u64,
    article: usize,
    section: usize,
) -> u64 {
    let mut hasher = fingerprinter();
    article_fingerprint.hash(&mut hasher);
    section.hash(&mut hasher);
    for task in site.articles[article].sections[section].tasks.clone() {
        for &record in &site.tasks[task].records {
            record_inputs(site, record, &mut hasher);
        }
    }
    hasher.finish()
}

pub(super) fn module_fingerprint(site: &Site, module: usize) -> u64 {
    let module = &site.modules[module];
    let mut hasher = fingerprinter();
    site.pages[module.page].document.hash(&mut hasher);
    for &task in &module.tasks {
        task_inputs(site, task, &mut hasher);
    }
    for &record in &module.records {
        record_inputs(site, record, &mut hasher);
    }
    hasher.finish()
}

pub(super) fn page_fingerprint(site: &Site, page: usize) -> u64 {
    let mut hasher = fingerprinter();
    site.pages[page].document.hash(&mut hasher);
    hasher.finish()
}

/// A task as its rows show it: the task, its section's names and places, its records'
/// titles and dates, and its modules' titles.
fn task_inputs(site: &Site, task: usize, hasher: &mut Fingerprinter) {
    let task = &site.tasks[task];
    task.hash(hasher);
    let section = &site.articles[task.article].sections[task.section];
    (&section.title, &section.output, &section.appendix).hash(hasher);
    for &record in &task.records {
        let evidence = &site.records[record].evidence;
        (&evidence.title, evidence.collected, &evidence.anchor).hash(hasher);
    }
    for &module in &task.modules {
        let document = &site.pages[site.modules[module].page].document;
        (&document.title, &document.output).hash(hasher);
    }
}

fn record_inputs(site: &Site, record: usize, hasher: &mut Fingerprinter) {
    let record = &site.records[record];
    record.evidence.hash(hasher);
    record.attachments.hash(hasher);
    for &task in &record.tasks {
        let task = &site.tasks[task];
        let section = &site.articles[task.article].sections[task.section];
        (&task.id, &section.appendix).hash(hasher);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fingerprint(values: &[(&'static str, serde_json::Value)]) -> u64 {
        let mut hasher = ContextHasher::default();
        for (key, value) in values {
            hasher.insert(key, value);
        }
        hasher.finish()
    }

    #[test]
    fn a_context_fingerprint_tells_apart_what_renders_differently() {
        use serde_json::json;
        let base = fingerprint(&[("a", json!(1)), ("b", json!(["x"]))]);
        assert_eq!(base, fingerprint(&[("a", json!(1)), ("b", json!(["x"]))]));
        // Tera's `==` takes these for equal; they render differently.
        assert_ne!(base, fingerprint(&[("a", json!(1.0)), ("b", json!(["x"]))]));
        assert_ne!(base, fingerprint(&[("a", json!(1)), ("b", json!("x"))]));
        assert_ne!(base, fingerprint(&[("b", json!(["x"])), ("a", json!(1))]));
        assert_ne!(
            fingerprint(&[("a", json!("b")), ("c", json!("d"))]),
            fingerprint(&[("a", json!("b\"c")), ("d", json!(""))])
        );
    }
}

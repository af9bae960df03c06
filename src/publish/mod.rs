//! Publishing: the rendered site shaped for its host (`target` in `ppdocs.toml`, or
//! `--target`), and every internal link in it proven to resolve.
//!
//! Sits between render and write. Sees the site and the rendered files; renames files the
//! host needs renamed (SharePoint's `.aspx` pages and safe names, GitHub Pages'
//! content-hashed assets), rewrites every link to them, adds the host's extra files
//! (`.nojekyll`, `sitemap.xml`, the SharePoint upload script), and fails the build on a
//! link or `#anchor` that leads nowhere. It reads nothing from disk but the sizes of the
//! static files it copies, for the hosts' size limits.

mod github;
mod html;
mod intern;
pub mod links;
mod report;
mod sharepoint;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::config::Target;
use crate::diagnostics::{Code, Diagnostic, Sources};
use crate::load::Theme;
use crate::parse::highlight;
use crate::render::{ASSETS_DIR, OutputFile, Sink, search};
use crate::site::Site;
use crate::urls;
use crate::write::MARKER_FILE;
use intern::{Id, Interner, Strings};

pub use report::self_contained;
pub use sharepoint::UPLOAD_SCRIPT;

/// Output files ppdocs adds beside the pages: no content may be written there.
pub const RESERVED_FILES: [&str; 4] = [
    "sitemap.xml",
    github::NO_JEKYLL,
    sharepoint::UPLOAD_SCRIPT,
    search::SEARCH_PAGE,
];

/// How the target names output files: render writes plain names, publish renames.
pub enum Names {
    /// Names stay as rendered.
    Plain,
    /// Some files renamed, the rest kept: old → new.
    Hashed(HashMap<String, String>),
    /// Every name made acceptable to SharePoint, pages ending in `.{0}`.
    SharePoint(String),
}

impl Names {
    pub fn is_plain(&self) -> bool {
        matches!(self, Names::Plain)
    }

    /// The published name of the rendered file at `path`.
    pub fn rename<'p>(&self, path: &'p str) -> Cow<'p, str> {
        match self {
            Names::Plain => Cow::Borrowed(path),
            Names::Hashed(map) => map
                .get(path)
                .map_or(Cow::Borrowed(path), |new| Cow::Owned(new.clone())),
            Names::SharePoint(extension) => Cow::Owned(sharepoint::safe_path(path, extension)),
        }
    }
}

/// What `serve` keeps between rebuilds: each page's links and ids as recorded (part by part
/// for pages made of parts), the strings they are interned in, and the search index. A page or part reused
/// from the render cache (the same bytes) is neither scanned nor recorded again; its links
/// are still checked on every rebuild.
#[derive(Default)]
pub struct ScanCache(Mutex<Recorded>);

#[derive(Default)]
struct Recorded {
    strings: Strings,
    /// By rendered path and part (0 for a page in one piece): the part's bytes (compared by
    /// pointer, as the render cache hands back the same allocation) and its record.
    parts: hashbrown::HashMap<(String, usize), RecordedPart>,
    /// The last search index, with the hash of its entries.
    search_index: Option<search::HashedIndex>,
}

/// A part's bytes as rendered, and its record.
type RecordedPart = (Arc<[u8]>, Arc<PageRecord>);

impl ScanCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Recorded> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The interned strings, lent to one run until its `finish` gives them back. A run that
    /// never finished (a template error) kept them: the records, which refer to them, go too.
    fn take_strings(&self) -> Strings {
        let mut recorded = self.lock();
        let strings = std::mem::take(&mut recorded.strings);
        if strings.is_empty() {
            recorded.parts.clear();
        }
        strings
    }

    fn get(&self, path: &str, part: usize, contents: &Arc<[u8]>) -> Option<Arc<PageRecord>> {
        let recorded = self.lock();
        let (bytes, record) = recorded.parts.get(&(path.to_string(), part))?;
        Arc::ptr_eq(bytes, contents).then(|| record.clone())
    }
}

/// What finishing publication gives: problems found, and the static files with their
/// published names (output path, source path) for `write` to copy.
pub struct Published {
    pub diagnostics: Vec<Diagnostic>,
    pub static_files: Vec<(String, PathBuf)>,
}

/// The publish stage as a [`Sink`] in front of the real one: every rendered file passes
/// through it on its way out (renamed, its links rewritten and recorded), and
/// [`Publisher::finish`] checks every recorded link once all files have passed.
pub struct Publisher<'a> {
    site: &'a Site,
    sources: &'a Sources,
    sink: &'a dyn Sink,
    names: Names,
    /// Made before rendering where it must be (GitHub Pages' hashed names link to its
    /// content); otherwise made by [`Publisher::search_index`] while pages render.
    search_index: Option<Arc<[OutputFile]>>,
    strings: Interner,
    found: Mutex<Found>,
    /// Pages' records kept by `serve`, with plain names only.
    cache: Option<&'a ScanCache>,
    /// Where `serve` keeps the last search index, whatever the names.
    index_cache: Option<&'a ScanCache>,
}

/// What the pages passing through hold, kept compactly: strings are interned (in the
/// publisher's [`Interner`]), so a link the sidebar repeats on every page costs a few integers
/// per page.
#[derive(Default)]
struct Found {
    /// Every rendered file's path, as rendered. (hashbrown's sets and maps, whose foldhash
    /// takes a fraction of SipHash's time on the million lookups of checking every link.)
    outputs: hashbrown::HashSet<Id>,
    /// Each page's ids and links, by its path.
    pages: hashbrown::HashMap<Id, Arc<PageRecord>>,
    /// Every part recorded this run, afresh or from the cache, for the next run's cache:
    /// (path, part, bytes, record).
    kept: Vec<(Id, usize, RecordedPart)>,
    /// Published path and size of every file, for the host's checks and the sitemap.
    published: Vec<(String, u64)>,
    problems: Vec<Diagnostic>,
}

/// One page's `#fragment` targets (sorted) and links, interned.
#[derive(Default)]
struct PageRecord {
    ids: Vec<Id>,
    links: Vec<FoundLink>,
}

impl PageRecord {
    /// The record of a page made of parts with these records.
    fn joined(parts: &[Arc<PageRecord>]) -> PageRecord {
        let mut ids: Vec<Id> = parts.iter().flat_map(|p| p.ids.iter().copied()).collect();
        ids.sort_unstable();
        ids.dedup();
        let links = parts.iter().flat_map(|p| p.links.iter().cloned()).collect();
        PageRecord { ids, links }
    }
}

#[derive(Clone)]
struct FoundLink {
    href: Id,
    target: Result<(Id, Id), &'static str>,
}

/// Records a page's links and ids as the scan finds them, interning each string.
struct Recorder<'a> {
    strings: &'a Interner,
    record: PageRecord,
}

impl Recorder<'_> {
    /// The record, its ids sorted for lookup.
    fn finish(mut self) -> PageRecord {
        self.record.ids.sort_unstable();
        self.record.ids.dedup();
        self.record
    }
}

impl links::Visit for Recorder<'_> {
    fn id(&mut self, id: &str) {
        self.record.ids.push(self.strings.intern(id));
    }

    fn link(&mut self, href: &str, target: Result<(&str, &str), &'static str>) {
        let href = self.strings.intern(href);
        let target = target
            .map(|(path, fragment)| (self.strings.intern(path), self.strings.intern(fragment)));
        self.record.links.push(FoundLink { href, target });
    }
}

impl<'a> Publisher<'a> {
    pub fn new(
        site: &'a Site,
        theme: &Theme,
        sources: &'a Sources,
        sink: &'a dyn Sink,
        cache: Option<&'a ScanCache>,
    ) -> Self {
        let mut search_index = None;
        let names = match site.config.target {
            Target::GithubPages => {
                let split_above = site.config.search.split_above();
                let index: &Arc<[OutputFile]> = search_index.insert(Arc::from(
                    search::index_files(site, &|url| url.to_string(), split_above),
                ));
                // Every asset's content is known before any page is rendered, so pages can
                // link to the hashed names as they pass.
                let highlight = highlight::stylesheet();
                let assets = theme
                    .static_files
                    .iter()
                    .map(|(name, bytes)| (format!("{ASSETS_DIR}/{name}"), &bytes[..]))
                    .chain([
                        (format!("{ASSETS_DIR}/highlight.css"), highlight.as_bytes()),
                        // The index's script comes first; a split index's parts are in a
                        // folder named by their hash already.
                        (search::INDEX_PATH.to_string(), &index[0].contents[..]),
                    ]);
                Names::Hashed(
                    assets
                        .map(|(path, bytes)| {
                            let new = github::hashed_name(&path, bytes);
                            (path, new)
                        })
                        .collect(),
                )
            }
            Target::Sharepoint => Names::SharePoint(site.config.sharepoint.page_extension.clone()),
            Target::Default => Names::Plain,
        };
        let index_cache = cache;
        // Only plain names leave a page's bytes unchanged, so only then can a record be reused.
        let cache = cache.filter(|_| names.is_plain());
        let strings = cache.map(ScanCache::take_strings).unwrap_or_default();
        Publisher {
            site,
            sources,
            sink,
            names,
            search_index,
            strings: strings.thaw(),
            found: Mutex::new(Found::default()),
            cache,
            index_cache,
        }
    }

    fn found(&self) -> std::sync::MutexGuard<'_, Found> {
        self.found.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The search index, unless it was made before rendering: `None` then. Meant to run while
    /// pages render (it reads only the site), as it takes as long as a tenth of them.
    pub fn search_index(&self) -> Option<Arc<[OutputFile]>> {
        if self.search_index.is_some() {
            return None;
        }
        if self.sink.discards() {
            // Only its path is needed, for the links to it to resolve.
            let path = search::INDEX_PATH.to_string();
            let contents = Arc::from(&b""[..]);
            return Some(Arc::from([OutputFile { path, contents }]));
        }
        // The index's URLs are pages, so they take the pages' published names.
        let publish_url = |url: &str| rename_url(url, &self.names);
        let split_above = self.site.config.search.split_above();
        let Some(cache) = self.index_cache else {
            return Some(Arc::from(search::index_files(
                self.site,
                &publish_url,
                split_above,
            )));
        };
        // `serve`: the last index is reused while its entries are unchanged. The lock is not
        // held meanwhile: pages being published need it.
        let previous = cache.lock().search_index.take();
        let index = search::index_files_reusing(self.site, &publish_url, split_above, previous);
        let files = index.1.clone();
        cache.lock().search_index = Some(index);
        Some(files)
    }

    /// Puts the search index out (`made` by [`Publisher::search_index`], or before rendering),
    /// checks every link, and adds the host's extra files.
    pub fn finish(mut self, made: Option<Arc<[OutputFile]>>) -> anyhow::Result<Published> {
        let index = made.or(self.search_index.take()).unwrap_or_default();
        for file in index.iter() {
            self.put(file.clone())?;
        }
        let Publisher {
            site,
            sources,
            sink,
            names,
            strings,
            found,
            cache,
            ..
        } = self;
        let static_files: Vec<(String, PathBuf)> = site
            .static_files
            .iter()
            .map(|(output, source)| (names.rename(output).into_owned(), source.clone()))
            .collect();
        let mut found = found.into_inner().unwrap_or_else(|e| e.into_inner());

        for (output, _) in &site.static_files {
            found.outputs.insert(strings.intern(output));
        }
        let strings = strings.freeze();
        for (published, source) in &static_files {
            found.published.push((published.clone(), file_size(source)));
        }
        let mut diagnostics = std::mem::take(&mut found.problems);
        diagnostics.extend(
            verify(&found, &strings)
                .iter()
                .map(|broken| broken_link(site, sources, broken)),
        );
        diagnostics.extend(name_collisions(&found.published));
        let mut extras = Vec::new();
        match site.config.target {
            Target::Default => {}
            Target::GithubPages => {
                diagnostics.extend(github_warnings(site, &found.published));
                extras.push(OutputFile {
                    path: github::NO_JEKYLL.to_string(),
                    contents: Arc::from(&b""[..]),
                });
            }
            Target::Sharepoint => {
                let settings = &site.config.sharepoint;
                diagnostics.extend(long_paths(&found.published, &settings.site_path));
                let script = sharepoint::upload_script(&settings.site_path, MARKER_FILE);
                extras.push(OutputFile {
                    path: sharepoint::UPLOAD_SCRIPT.to_string(),
                    contents: Arc::from(script.into_bytes()),
                });
            }
        }
        if let Some(base) = &site.config.base_url {
            extras.push(sitemap(base, &found.published, &site.config));
        }
        for file in extras {
            sink.put(file)?;
        }
        if let Some(cache) = cache {
            // Only what this run produced is kept: parts of deleted pages are forgotten.
            let parts = std::mem::take(&mut found.kept)
                .into_iter()
                .map(|(page, part, recorded)| ((strings.text(page).to_string(), part), recorded))
                .collect();
            let mut recorded = cache.lock();
            recorded.parts = parts;
            recorded.strings = strings;
        }
        Ok(Published {
            diagnostics,
            static_files,
        })
    }
}

/// One file (or one part of one) after publishing: its bytes, what it links to, and a
/// problem it has.
struct Passed {
    contents: Arc<[u8]>,
    links: Links,
    problem: Option<Diagnostic>,
}

/// A page's links: scanned now, or recorded by an earlier run (`serve`).
enum Links {
    None,
    Scanned(PageRecord),
    Recorded(Arc<PageRecord>),
}

impl Publisher<'_> {
    /// Scans an HTML file (or its part number `part`) and rewrites its links; escapes `<%`
    /// for SharePoint.
    fn pass(&self, rendered_path: &str, part: usize, contents: &Arc<[u8]>) -> Passed {
        let mut passed = Passed {
            contents: contents.clone(),
            links: Links::None,
            problem: None,
        };
        let is_page = rendered_path.ends_with(".html");
        if is_page {
            let base_url = self.site.config.base_url.as_deref();
            if let Some(record) = self
                .cache
                .and_then(|c| c.get(rendered_path, part, contents))
            {
                passed.links = Links::Recorded(record);
            } else {
                let mut recorder = Recorder {
                    strings: &self.strings,
                    record: PageRecord::default(),
                };
                let scanned = links::scan_with(
                    rendered_path,
                    contents,
                    &self.names,
                    base_url,
                    &mut recorder,
                );
                match scanned {
                    Ok(rewritten) => {
                        passed.links = Links::Scanned(recorder.finish());
                        if let Some(bytes) = rewritten {
                            passed.contents = Arc::from(bytes);
                        }
                    }
                    Err(err) => {
                        passed.problem = Some(Diagnostic::error(
                            Code::TemplateInvalid,
                            format!("{rendered_path} is not valid UTF-8: {err}"),
                        ));
                    }
                }
            }
        }
        if let Names::SharePoint(_) = self.names {
            if is_page {
                if let Some(escaped) = sharepoint::escape_code_blocks(&passed.contents) {
                    passed.contents = Arc::from(escaped);
                }
            } else if passed.contents.windows(2).any(|w| w == b"<%")
                && [".js", ".css", ".json"]
                    .iter()
                    .any(|e| rendered_path.ends_with(e))
            {
                passed.problem = Some(
                    Diagnostic::error(
                        Code::HostLimit,
                        format!("{rendered_path} contains `<%`, which SharePoint rejects"),
                    )
                    .with_help("remove `<%` from the theme file (write `<` and `%` apart)"),
                );
            }
        }
        passed
    }

    /// Notes a file on its way out: its names, its size, its links and ids, its problems.
    /// `rendered` are its parts as rendered, which a `serve` cache keys their records by.
    fn note(
        &self,
        rendered_path: &str,
        published_path: &str,
        size: u64,
        parts: Vec<Passed>,
        rendered: &[Arc<[u8]>],
    ) {
        let page = self.strings.intern(rendered_path);
        let mut found = self.found();
        found.outputs.insert(page);
        found.published.push((published_path.to_string(), size));
        let mut records = Vec::new();
        for (index, (part, bytes)) in parts.into_iter().zip(rendered).enumerate() {
            found.problems.extend(part.problem);
            let record = match part.links {
                Links::None => continue,
                Links::Scanned(record) => Arc::new(record),
                Links::Recorded(record) => record,
            };
            if self.cache.is_some() {
                found
                    .kept
                    .push((page, index, (bytes.clone(), record.clone())));
            }
            records.push(record);
        }
        let record = match <[_; 1]>::try_from(records) {
            Ok([whole]) => whole,
            Err(records) if records.is_empty() => return,
            Err(records) => Arc::new(PageRecord::joined(&records)),
        };
        found.pages.insert(page, record);
    }
}

impl Sink for Publisher<'_> {
    fn put(&self, file: OutputFile) -> anyhow::Result<()> {
        let mut passed = self.pass(&file.path, 0, &file.contents);
        if !self.names.is_plain() && file.path == "records.json" {
            passed.contents = Arc::from(rename_json_urls(&passed.contents, &self.names));
        }
        let published = OutputFile {
            path: self.names.rename(&file.path).into_owned(),
            contents: passed.contents.clone(),
        };
        self.note(
            &file.path,
            &published.path,
            published.contents.len() as u64,
            vec![passed],
            &[file.contents],
        );
        self.sink.put(published)
    }

    /// The largest files come in parts (rendered appendices, records chunks): each part is a
    /// run of whole elements, so each is scanned and rewritten on its own (or, in `serve`,
    /// its record reused while its bytes are) and the file is never joined in memory.
    fn put_parts(&self, path: String, parts: &[Arc<[u8]>]) -> anyhow::Result<()> {
        if !self.names.is_plain() && path == "records.json" {
            // Renaming its URLs needs the whole document.
            let contents: Vec<u8> = parts.iter().flat_map(|p| p.iter().copied()).collect();
            return self.put(OutputFile {
                path,
                contents: Arc::from(contents),
            });
        }
        let passed: Vec<Passed> = parts
            .iter()
            .enumerate()
            .map(|(index, part)| self.pass(&path, index, part))
            .collect();
        let published_parts: Vec<Arc<[u8]>> = passed.iter().map(|p| p.contents.clone()).collect();
        let size = published_parts.iter().map(|p| p.len() as u64).sum();
        let published_path = self.names.rename(&path).into_owned();
        self.note(&path, &published_path, size, passed, parts);
        self.sink.put_parts(published_path, &published_parts)
    }
}

/// Every recorded link that leads nowhere.
fn verify(found: &Found, strings: &Strings) -> Vec<links::Broken> {
    let mut broken: Vec<links::Broken> = found
        .pages
        .iter()
        .flat_map(|(&page, record)| record.links.iter().map(move |link| (page, link)))
        .filter_map(|(page, link)| {
            let problem = match link.target {
                Err(why) => (why.to_string(), false),
                Ok((path, fragment)) => check_target(found, strings, path, fragment)?,
            };
            Some(links::Broken {
                page: strings.text(page).to_string(),
                href: strings.text(link.href).to_string(),
                problem: problem.0,
                anchor: problem.1,
            })
        })
        .collect();
    broken.sort_by(|a, b| (&a.page, &a.href).cmp(&(&b.page, &b.href)));
    broken.dedup();
    broken
}

fn check_target(
    found: &Found,
    strings: &Strings,
    path: Id,
    fragment: Id,
) -> Option<(String, bool)> {
    let path_text = strings.text(path);
    if !found.outputs.contains(&path) {
        let folder = path_text.trim_end_matches('/');
        let index = if folder.is_empty() {
            "index.html".to_string()
        } else {
            format!("{folder}/index.html")
        };
        let is_folder = strings
            .get(&index)
            .is_some_and(|i| found.outputs.contains(&i));
        return Some(if is_folder {
            (
                format!(
                    "points at a folder; link to `{index}` (folder links open a directory listing from file://)"
                ),
                false,
            )
        } else {
            (
                format!("points at `{path_text}`, which the build does not produce"),
                false,
            )
        });
    }
    let fragment_text = strings.text(fragment);
    if fragment_text.is_empty() {
        return None;
    }
    let ids = &found.pages.get(&path)?.ids;
    ids.binary_search(&fragment).is_err().then(|| {
        (
            format!("`#{fragment_text}` names no element of `{path_text}`"),
            true,
        )
    })
}

/// Two files renamed to one name would overwrite each other.
fn name_collisions(published: &[(String, u64)]) -> Vec<Diagnostic> {
    let mut seen = HashSet::new();
    let mut clashes: Vec<&str> = published
        .iter()
        .filter(|(path, _)| !seen.insert(path.as_str()))
        .map(|(path, _)| path.as_str())
        .collect();
    clashes.sort_unstable();
    clashes.dedup();
    clashes
        .into_iter()
        .map(|path| {
            Diagnostic::error(
                Code::OutputConflict,
                format!("two files would both be published as {path} once renamed for the host"),
            )
            .with_help("rename one of them so their names differ in more than the characters the host refuses")
        })
        .collect()
}

/// `records.json` with the output paths in it (its `url` and `path` fields) renamed.
fn rename_json_urls(bytes: &[u8], names: &Names) -> Vec<u8> {
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return bytes.to_vec();
    };
    rename_url_fields(&mut value, names);
    let mut json = serde_json::to_vec_pretty(&value).unwrap_or_default();
    json.push(b'\n');
    json
}

fn rename_url_fields(value: &mut serde_json::Value, names: &Names) {
    match value {
        serde_json::Value::Array(items) => {
            items.iter_mut().for_each(|v| rename_url_fields(v, names))
        }
        serde_json::Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match value {
                    serde_json::Value::String(url) if key == "url" => {
                        *url = rename_url(url, names);
                    }
                    // A file's path, which may itself contain `#`.
                    serde_json::Value::String(path) if key == "path" => {
                        *path = names.rename(path).into_owned();
                    }
                    _ => rename_url_fields(value, names),
                }
            }
        }
        _ => {}
    }
}

/// `path#fragment` with the path renamed.
fn rename_url(url: &str, names: &Names) -> String {
    match url.split_once('#') {
        Some((path, fragment)) => format!("{}#{fragment}", names.rename(path)),
        None => names.rename(url).into_owned(),
    }
}

/// A broken link, pointed at the source that wrote it when one can be found: the page's
/// own Markdown first, then an evidence file that contains the link as written.
fn broken_link(site: &Site, sources: &Sources, broken: &links::Broken) -> Diagnostic {
    let code = if broken.anchor {
        Code::AnchorBroken
    } else {
        Code::LinkBroken
    };
    let diagnostic = Diagnostic::error(
        code,
        format!(
            "the link `{}` on {}: {}",
            broken.href, broken.page, broken.problem
        ),
    );
    let own_source = site.pages.iter().find_map(|page| {
        let document = &page.document;
        let shows_it = document.output == broken.page
            || page.article.is_some_and(|a| {
                site.articles[a]
                    .sections
                    .iter()
                    .any(|s| s.output == broken.page)
            });
        shows_it.then_some(document.source.as_path())
    });
    // Pages that are not one Markdown file (appendices, the dashboard) show evidence notes.
    let evidence = sources
        .paths()
        .filter(|p| p.starts_with(crate::load::EVIDENCE_DIR));
    let found = own_source.into_iter().chain(evidence).find_map(|path| {
        let at = find_link(sources.get(path)?, &broken.href)?;
        Some((path, at..at + broken.href.len()))
    });
    let diagnostic = match (found, own_source) {
        (Some((path, span)), _) => diagnostic.at(path, span),
        (None, Some(path)) => diagnostic.in_file(path),
        (None, None) => diagnostic,
    };
    diagnostic.with_help(if broken.anchor {
        "link to an id the page has (headings get one from their text; tasks are `#task-ID`)"
    } else {
        "link relative to the page, to a file the build writes (`../threat-protection/index.html`); a link the theme writes is fixed in its template"
    })
}

/// Where `href` is written in `text` as a whole attribute value or Markdown link target.
fn find_link(text: &str, href: &str) -> Option<usize> {
    text.match_indices(href).map(|(at, _)| at).find(|&at| {
        let before = text[..at].chars().next_back();
        let after = text[at + href.len()..].chars().next();
        matches!(before, Some('"' | '\'' | '(' | '=' | '<'))
            && matches!(after, Some('"' | '\'' | ')' | ' ' | '>'))
    })
}

fn github_warnings(site: &Site, published: &[(String, u64)]) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    if site.config.base_url.is_none() {
        warnings.push(
            Diagnostic::warning(
                Code::HostLimit,
                "GitHub Pages serves 404.html at any missing URL, where its relative links break",
            )
            .with_help("pass --base-url https://OWNER.github.io/REPO/ (or set base_url) so the 404 page links absolutely"),
        );
    }
    let mut total = 0;
    for (path, size) in published {
        let size = *size;
        total += size;
        if size > github::FILE_LIMIT {
            warnings.push(
                Diagnostic::warning(
                    Code::HostLimit,
                    format!(
                        "{path} is {} MiB; GitHub Pages refuses files over 100 MiB",
                        size >> 20
                    ),
                )
                .with_help("keep large evidence on a private host and link to it"),
            );
        }
        if github::is_dropped_dotfile(path, MARKER_FILE) {
            warnings.push(
                Diagnostic::warning(
                    Code::HostLimit,
                    format!(
                        "{path} starts with a dot; the Pages upload action leaves dotfiles out"
                    ),
                )
                .with_help("rename it without the leading dot"),
            );
        }
    }
    if total > github::SITE_LIMIT {
        warnings.push(
            Diagnostic::warning(
                Code::HostLimit,
                format!(
                    "the site is {} MiB; GitHub Pages sites may be at most 1 GB",
                    total >> 20
                ),
            )
            .with_help("publish evidence attachments elsewhere, or split the site"),
        );
    }
    warnings
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Paths SharePoint refuses: over 400 characters with the site's folder in front.
fn long_paths(published: &[(String, u64)], site_path: &str) -> Vec<Diagnostic> {
    let paths = published.iter().map(|(path, _)| path.as_str());
    sharepoint::too_long(paths, site_path)
        .into_iter()
        .map(|(path, length)| {
            Diagnostic::error(
                Code::PathTooLong,
                format!(
                    "{}/{path} is {length} characters; SharePoint allows {}",
                    site_path.trim_matches('/'),
                    sharepoint::PATH_LIMIT
                ),
            )
            .with_help("shorten the file, folder or section names in it, or `sharepoint.site_path` in ppdocs.toml")
        })
        .collect()
}

/// `sitemap.xml`: every page but the 404 page and the search page, under the base URL.
fn sitemap(base: &str, published: &[(String, u64)], config: &crate::config::Config) -> OutputFile {
    let page_suffix = match config.target {
        Target::Sharepoint => format!(".{}", config.sharepoint.page_extension),
        _ => ".html".to_string(),
    };
    let search_page = search::SEARCH_PAGE.trim_end_matches(".html");
    let mut pages: Vec<&str> = published
        .iter()
        .map(|(path, _)| path.as_str())
        .filter(|p| p.ends_with(&page_suffix))
        .filter(|p| !p.starts_with("404.") && !p.starts_with(search_page))
        .collect();
    pages.sort_unstable();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in pages {
        let url = format!("{base}{}", urls::encode_path(page));
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            url.replace('&', "&amp;").replace('<', "&lt;")
        ));
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: "sitemap.xml".to_string(),
        contents: Arc::from(xml.into_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_url_fields_of_records_json_are_renamed() {
        let names = Names::SharePoint("aspx".to_string());
        let json = br#"{"url":"a/index.html#task-X","text":"Use: a/b?","records":[{"path":"e/q #1.txt"}]}"#;
        let out = String::from_utf8(rename_json_urls(json, &names)).unwrap();
        assert!(out.contains(r#""url": "a/index.aspx#task-X""#), "{out}");
        assert!(out.contains(r#""text": "Use: a/b?""#), "{out}");
        assert!(out.contains(r#""path": "e/q -1.txt""#), "{out}");
    }

    #[test]
    fn verify_reports_missing_files_folders_and_anchors() {
        let pages = [
            (
                "a/index.html",
                &br##"<p id="here"></p><a href="../b/index.html#nope">1</a><a href="../b/">2</a><a href="../gone.html">3</a><a href="#here">4</a>"##[..],
            ),
            ("b/index.html", &br#"<h1 id="top">B</h1>"#[..]),
        ];
        let mut found = Found::default();
        let strings = Interner::default();
        for (path, html) in pages {
            let mut recorder = Recorder {
                strings: &strings,
                record: PageRecord::default(),
            };
            links::scan_with(path, html, &Names::Plain, None, &mut recorder).unwrap();
            let page = strings.intern(path);
            found.outputs.insert(page);
            found.pages.insert(page, Arc::new(recorder.finish()));
        }
        let broken = verify(&found, &strings.freeze());
        let problems: Vec<(&str, bool)> =
            broken.iter().map(|b| (b.href.as_str(), b.anchor)).collect();
        assert_eq!(
            problems,
            [
                ("../b/", false),
                ("../b/index.html#nope", true),
                ("../gone.html", false)
            ]
        );
        assert!(
            broken[0].problem.contains("b/index.html"),
            "{}",
            broken[0].problem
        );
    }

    #[test]
    fn files_renamed_to_one_name_are_an_error() {
        let published = [
            ("e/a-1.txt".to_string(), 1),
            ("e/b.txt".to_string(), 1),
            ("e/a-1.txt".to_string(), 1),
        ];
        let clashes = name_collisions(&published);
        assert_eq!(clashes.len(), 1);
        assert!(clashes[0].message.contains("e/a-1.txt"));
    }
}

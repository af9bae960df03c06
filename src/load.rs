//! Reads a project from disk: `ppdocs.toml`, every file under `content/`, and the theme.
//!
//! This is the only module that reads the project. It turns environment trouble into
//! diagnostics that name the file, and hands the rest of the pipeline plain text in memory.
//! Static files (images, attachments) are only listed here; `write` streams them to the
//! output so large files never sit in memory.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use include_dir::{Dir, include_dir};
use rayon::prelude::*;

use crate::config::{self, Config};
use crate::diagnostics::{Code, Diagnostic, Sources};

/// The default theme, compiled into the binary so a build needs no theme on disk.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Text files larger than this are refused rather than risking the machine's memory: a page
/// of this size already takes a few hundred MB to build. Static files are not bounded (they
/// are streamed, never read whole).
pub const MAX_CONTENT_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// The folder under the project root that holds the Markdown sources.
pub const CONTENT_DIR: &str = "content";

/// The folder under `content/` that holds evidence records and their attachments.
pub const EVIDENCE_DIR: &str = "content/evidence";

/// The folder under `content/` that holds training modules.
pub const TRAINING_DIR: &str = "content/training";

/// The framework mapping file.
pub const FRAMEWORKS_FILE: &str = "content/frameworks.yaml";

/// The file that pins task IDs to task text; written only by `ppdocs lock`.
pub const LOCK_FILE: &str = "ppdocs.lock";

/// What a text file under `content/` is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentKind {
    /// A Markdown page.
    Page,
    /// Markdown under an `includes/` folder, pulled in by `[!INCLUDE]`, not a page itself.
    Partial,
    /// An evidence record under `content/evidence/` (`.md`, `.yaml` or `.yml`).
    Evidence,
    /// A training module under `content/training/` (its `index.md` is the hub's page).
    Training,
}

/// A text file under `content/`.
#[derive(Clone, Debug)]
pub struct ContentFile {
    /// Relative to the project root, with `/` separators: `content/security-checklist.md`.
    pub path: PathBuf,
    pub text: Arc<str>,
    pub kind: ContentKind,
}

/// The SHA-256 and size of a file, so an auditor can verify a copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Digest {
    pub sha256: String,
    pub size: u64,
}

/// A file under `content/` that is copied to the output as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaticFile {
    /// Relative to `content/`, which is also its path in the output.
    pub output: String,
    pub source: PathBuf,
    /// Files under `content/evidence/` are attachments: hashed, and published only when a
    /// record names them. `None` for other files, or when the file could not be read.
    pub digest: Option<Digest>,
    /// A symlink (or a file inside a symlinked folder) that resolves outside the project,
    /// or, for an attachment, outside `content/evidence/`.
    pub outside_project: bool,
}

/// The theme after overrides: template sources and static assets by name.
#[derive(Clone, Debug)]
pub struct Theme {
    pub name: String,
    /// `(name, source)`, e.g. `("section.html", "...")`.
    pub templates: BTreeMap<String, String>,
    /// Written under `assets/` in the output.
    pub static_files: BTreeMap<String, Cow<'static, [u8]>>,
}

/// Everything the pipeline needs from disk.
#[derive(Clone, Debug)]
pub struct Project {
    pub root: PathBuf,
    pub config: Config,
    pub content: Vec<ContentFile>,
    pub static_files: Vec<StaticFile>,
    /// `content/frameworks.yaml`, when present.
    pub frameworks: Option<ContentFile>,
    /// `ppdocs.lock`, when present.
    pub lock: Option<Arc<str>>,
    pub theme: Theme,
    pub sources: Sources,
}

/// What `serve` keeps of the files it read, so a rebuild reads only files that changed: each
/// text file's text and each attachment's digest, with the stamp of the file they came from.
/// A file whose size, times, inode or device differ, or that the watcher named, is read again.
#[derive(Default)]
pub struct FileCache {
    /// The project root the files were read under (canonical).
    root: PathBuf,
    texts: HashMap<PathBuf, (Stamp, Arc<str>)>,
    digests: HashMap<PathBuf, (Stamp, Digest)>,
}

impl FileCache {
    /// Forgets `changed` (an absolute path the watcher reported) and everything under it:
    /// a write within the file system's timestamp granularity may leave the stamp as it was.
    pub fn forget(&mut self, changed: &Path) {
        let relative = changed.strip_prefix(&self.root).unwrap_or(changed);
        self.texts.retain(|path, _| !path.starts_with(relative));
        self.digests
            .retain(|source, _| !source.starts_with(changed));
    }
}

/// What identifies one version of a file without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    /// The change time, inode and device (Unix): a write always moves the change time, and
    /// a file replaced by a rename has another inode.
    #[cfg(unix)]
    changed: (i64, i64, u64, u64),
}

/// How long before a load a file must have last changed for its stamp to be trusted: file
/// times are coarse (a tick of a few milliseconds), so a file written again within the tick
/// of its read could keep its stamp (the "racy clean" problem git has).
const SETTLE_TIME: std::time::Duration = std::time::Duration::from_millis(50);

impl Stamp {
    /// Whether the file last changed well before `load_started`, so any later write gets
    /// another stamp.
    fn is_settled(&self, load_started: std::time::SystemTime) -> bool {
        #[cfg(unix)]
        let last_change = {
            let (seconds, nanos) = (self.changed.0, self.changed.1);
            u64::try_from(seconds).ok().map(|seconds| {
                std::time::UNIX_EPOCH
                    + std::time::Duration::new(seconds, u32::try_from(nanos).unwrap_or(0))
            })
        };
        #[cfg(not(unix))]
        let last_change = self.modified;
        last_change.is_some_and(|changed| changed + SETTLE_TIME < load_started)
    }

    fn of(metadata: &fs::Metadata) -> Self {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Stamp {
            len: metadata.len(),
            modified: metadata.modified().ok(),
            #[cfg(unix)]
            changed: (
                metadata.ctime(),
                metadata.ctime_nsec(),
                metadata.ino(),
                metadata.dev(),
            ),
        }
    }
}

/// Loads the project at `root`. Environment failures (no such folder) are `Err`; problems
/// with the project's files come back as diagnostics beside a best-effort project.
pub fn load_project(root: &Path) -> anyhow::Result<(Project, Vec<Diagnostic>)> {
    load_project_cached(root, None)
}

/// [`load_project`], reusing what `cache` holds of files that did not change (`serve`).
pub fn load_project_cached(
    root: &Path,
    cache: Option<&mut FileCache>,
) -> anyhow::Result<(Project, Vec<Diagnostic>)> {
    if !root.is_dir() {
        bail!("project root {} is not a directory", root.display());
    }
    let root = root
        .canonicalize()
        .with_context(|| format!("resolving {}", root.display()))?;
    let mut diagnostics = Vec::new();
    let mut sources = Sources::default();

    let config_path = root.join(config::FILE_NAME);
    let config = if config_path.is_file() {
        let text = read_root_text(&config_path)?;
        let text = strip_bom(&text).to_string();
        sources.insert(PathBuf::from(config::FILE_NAME), Arc::from(text.as_str()));
        Config::parse(&text, Path::new(config::FILE_NAME)).unwrap_or_else(|d| {
            diagnostics.push(d);
            Config::default()
        })
    } else {
        Config::default()
    };

    let cache = cache.map(|cache| {
        if cache.root != root {
            *cache = FileCache {
                root: root.clone(),
                ..FileCache::default()
            };
        }
        cache
    });
    let (mut content, static_files) = read_content(&root, &mut diagnostics, &mut sources, cache);
    sources.extend(content.iter().map(|f| (f.path.clone(), f.text.clone())));
    let frameworks = content
        .iter()
        .position(|f| f.path == Path::new(FRAMEWORKS_FILE))
        .map(|i| content.remove(i));
    let lock = read_optional_text(&root, LOCK_FILE, &mut sources)?;
    let theme = load_theme(&root, &config.theme, &mut diagnostics);
    // Point an unknown theme at its line in ppdocs.toml.
    if let Some(text) = sources.get(Path::new(config::FILE_NAME)) {
        for diagnostic in diagnostics
            .iter_mut()
            .filter(|d| d.code == Code::UnknownTheme)
        {
            if let Some(span) = config::key_span(text, "theme") {
                diagnostic.span = Some(span);
            }
        }
    }

    let project = Project {
        root,
        config,
        content,
        static_files,
        frameworks,
        lock,
        theme,
        sources,
    };
    Ok((project, diagnostics))
}

/// Reads a small text file of the project root if it exists, recording it as a source.
fn read_optional_text(
    root: &Path,
    name: &str,
    sources: &mut Sources,
) -> anyhow::Result<Option<Arc<str>>> {
    let path = root.join(name);
    if !path.is_file() {
        return Ok(None);
    }
    let text = read_root_text(&path)?;
    let text: Arc<str> = Arc::from(strip_bom(&text));
    sources.insert(PathBuf::from(name), text.clone());
    Ok(Some(text))
}

fn read_content(
    root: &Path,
    diagnostics: &mut Vec<Diagnostic>,
    sources: &mut Sources,
    cache: Option<&mut FileCache>,
) -> (Vec<ContentFile>, Vec<StaticFile>) {
    let content_dir = root.join(CONTENT_DIR);
    if !content_dir.is_dir() {
        diagnostics.push(
            Diagnostic::error(
                Code::ContentMissing,
                format!("no `{CONTENT_DIR}/` folder in {}", root.display()),
            )
            .with_help(
                "run `ppdocs init` to create a project here, or pass `--root` to point at one",
            ),
        );
        return (Vec::new(), Vec::new());
    }

    let started = std::time::SystemTime::now();
    let mut texts = Vec::new();
    let mut static_files = Vec::new();
    let walker = walkdir::WalkDir::new(&content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().map(|p| relative(root, p)).unwrap_or_default();
                diagnostics.push(
                    Diagnostic::error(Code::FileUnreadable, format!("cannot read {}: {err}", path.display()))
                        .in_file(path)
                        .with_help("check the file's permissions, and that no symlink points back at a parent folder"),
                );
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = relative(root, entry.path());
        if text_kind(&rel).is_some() {
            texts.push(rel);
        } else {
            let output = rel
                .strip_prefix(CONTENT_DIR)
                .unwrap_or(&rel)
                .to_string_lossy()
                .replace('\\', "/");
            static_files.push((rel, output, entry.path().to_path_buf()));
        }
    }

    let cached = cache.as_deref();
    let static_files: Vec<(StaticFile, Option<Stamp>)> = static_files
        .into_par_iter()
        .map(|(rel, output, source)| {
            let is_attachment = rel.starts_with(EVIDENCE_DIR);
            // Attachments must really be in the evidence folder; other files in the project.
            let allowed = if is_attachment {
                root.join(EVIDENCE_DIR)
            } else {
                root.to_path_buf()
            };
            let (digest, stamp) = if is_attachment {
                cached_digest(&source, cached)
            } else {
                (None, None)
            };
            let file = StaticFile {
                outside_project: source
                    .canonicalize()
                    .map_or(true, |real| !real.starts_with(&allowed)),
                digest,
                output,
                source,
            };
            (file, stamp)
        })
        .collect();
    let results: Vec<Result<(ContentFile, Stamp), Box<Unreadable>>> = texts
        .into_par_iter()
        .map(|rel| read_text(root, rel, cached))
        .collect();
    if let Some(cache) = cache {
        // Only files that are still there, as read now, and settled before this load began.
        let settled = |stamp: &Stamp| stamp.is_settled(started);
        cache.digests = static_files
            .iter()
            .filter_map(|(file, stamp)| {
                Some((file.source.clone(), ((*stamp)?, file.digest.clone()?)))
            })
            .filter(|(_, (stamp, _))| settled(stamp))
            .collect();
        cache.texts = results
            .iter()
            .flatten()
            .filter(|(_, stamp)| settled(stamp))
            .map(|(file, stamp)| (file.path.clone(), (*stamp, file.text.clone())))
            .collect();
    }
    let static_files = static_files.into_iter().map(|(file, _)| file).collect();
    let mut content = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok((file, _)) => content.push(file),
            Err(unreadable) => {
                if let Some((path, text)) = unreadable.lossy {
                    sources.insert(path, text);
                }
                diagnostics.push(unreadable.diagnostic);
            }
        }
    }
    (content, static_files)
}

/// Which text files under `content/` ppdocs reads, and as what; `None` for static files.
fn text_kind(rel: &Path) -> Option<ContentKind> {
    let extension = rel.extension()?.to_str()?;
    if rel.starts_with(EVIDENCE_DIR) {
        return matches!(extension, "md" | "yaml" | "yml").then_some(ContentKind::Evidence);
    }
    if rel == Path::new(FRAMEWORKS_FILE) {
        return Some(ContentKind::Partial);
    }
    if extension != "md" {
        return None;
    }
    if rel.components().any(|c| c.as_os_str() == "includes") {
        Some(ContentKind::Partial)
    } else if rel.starts_with(TRAINING_DIR) && rel.file_name().is_some_and(|n| n != "index.md") {
        Some(ContentKind::Training)
    } else {
        Some(ContentKind::Page)
    }
}

/// An attachment's digest, from `cache` while the file's stamp is unchanged, with the stamp
/// it was made under (`None` when the file could not be read).
fn cached_digest(source: &Path, cache: Option<&FileCache>) -> (Option<Digest>, Option<Stamp>) {
    let Ok(stamp) = fs::metadata(source).map(|m| Stamp::of(&m)) else {
        return (None, None);
    };
    if let Some((cached, digest)) = cache.and_then(|c| c.digests.get(source))
        && *cached == stamp
    {
        return (Some(digest.clone()), Some(stamp));
    }
    match digest(source) {
        Ok(digest) => (Some(digest), Some(stamp)),
        Err(_) => (None, None),
    }
}

/// SHA-256 and size of a file, read in chunks so large attachments never sit in memory.
fn digest(path: &Path) -> std::io::Result<Digest> {
    use sha2::Digest as _;
    use std::io::Read;
    let mut file = fs::File::open(path)?;
    let mut hasher = sha2::Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buffer[..n]);
    }
    let sha256 = hex(&hasher.finalize());
    Ok(Digest { sha256, size })
}

/// Lowercase hexadecimal, as digests are written.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Why a text file was not read, and its text with invalid bytes replaced, when there is
/// one, so the diagnostic can show the line.
struct Unreadable {
    diagnostic: Diagnostic,
    lossy: Option<(PathBuf, Arc<str>)>,
}

impl From<Diagnostic> for Box<Unreadable> {
    fn from(diagnostic: Diagnostic) -> Self {
        Box::new(Unreadable {
            diagnostic,
            lossy: None,
        })
    }
}

/// Reads a file, but never more than one byte past [`MAX_CONTENT_FILE_BYTES`]: it may have
/// grown since its size was checked, or be endless.
fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = fs::File::open(path)?;
    let size = file.metadata()?.len().min(MAX_CONTENT_FILE_BYTES);
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_CONTENT_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// `ppdocs.toml` or `ppdocs.lock`: UTF-8, size-bounded; trouble is an environment error.
fn read_root_text(path: &Path) -> anyhow::Result<String> {
    let bytes = read_bounded(path).with_context(|| format!("reading {}", path.display()))?;
    if bytes.len() as u64 > MAX_CONTENT_FILE_BYTES {
        bail!(
            "{} is larger than {} MiB, more than ppdocs reads",
            path.display(),
            MAX_CONTENT_FILE_BYTES / (1024 * 1024)
        );
    }
    String::from_utf8(bytes).with_context(|| format!("{} is not valid UTF-8", path.display()))
}

/// Reads a text file under `content/`, or takes its text from `cache` while its stamp is
/// unchanged; with the stamp it was read under.
fn read_text(
    root: &Path,
    rel: PathBuf,
    cache: Option<&FileCache>,
) -> Result<(ContentFile, Stamp), Box<Unreadable>> {
    let abs = root.join(&rel);
    let unreadable = |err: std::io::Error| {
        Diagnostic::error(
            Code::FileUnreadable,
            format!("cannot read {}: {err}", rel.display()),
        )
        .in_file(&rel)
        .with_help("check that the file exists and that you may read it")
    };
    let too_large = |size: u64| {
        Diagnostic::error(
            Code::ContentTooLarge,
            format!(
                "{} is {:.1} MiB; ppdocs accepts text files up to {} MiB",
                rel.display(),
                size as f64 / (1024.0 * 1024.0),
                MAX_CONTENT_FILE_BYTES / (1024 * 1024)
            ),
        )
        .in_file(&rel)
        .with_help("split the page into several files")
    };
    let metadata = fs::metadata(&abs).map_err(unreadable)?;
    let stamp = Stamp::of(&metadata);
    let kind = text_kind(&rel).unwrap_or(ContentKind::Page);
    if let Some((cached, text)) = cache.and_then(|c| c.texts.get(&rel))
        && *cached == stamp
    {
        let text = text.clone();
        return Ok((
            ContentFile {
                path: rel,
                text,
                kind,
            },
            stamp,
        ));
    }
    let size = metadata.len();
    if size > MAX_CONTENT_FILE_BYTES {
        return Err(too_large(size).into());
    }
    let bytes = read_bounded(&abs).map_err(unreadable)?;
    if bytes.len() as u64 > MAX_CONTENT_FILE_BYTES {
        return Err(too_large(bytes.len() as u64).into());
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            // Up to the first bad byte the lossy text is the file itself, so the span of
            // its replacement character is where the bad byte is.
            let at = err.utf8_error().valid_up_to();
            let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(err.as_bytes()));
            let diagnostic = Diagnostic::error(
                Code::InvalidUtf8,
                format!(
                    "{} is not valid UTF-8 (byte {at} cannot start a character)",
                    rel.display()
                ),
            )
            .at(&rel, at..at + '\u{fffd}'.len_utf8())
            .with_help(
                "save the file as UTF-8 in your editor (in VS Code: \"Save with Encoding\", UTF-8)",
            );
            return Err(Box::new(Unreadable {
                diagnostic,
                lossy: Some((rel, lossy)),
            }));
        }
    };
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    let file = ContentFile {
        path: rel,
        text: Arc::from(text),
        kind,
    };
    Ok((file, stamp))
}

/// Hidden files and the temporary files editors leave beside the ones they save.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bck")
        || name.contains("___jb_")
        || (name.starts_with('#') && name.ends_with('#'))
        || name.starts_with("~$")
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// `root/content/a.md` → `content/a.md`.
fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

fn load_theme(root: &Path, name: &str, diagnostics: &mut Vec<Diagnostic>) -> Theme {
    let mut theme = Theme {
        name: name.to_string(),
        templates: BTreeMap::new(),
        static_files: BTreeMap::new(),
    };
    for file in embedded_files(&DEFAULT_THEME) {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if let Some(name) = path.strip_prefix("templates/") {
            let text = String::from_utf8_lossy(file.contents()).into_owned();
            theme.templates.insert(name.to_string(), text);
        } else if let Some(name) = path.strip_prefix("static/") {
            theme
                .static_files
                .insert(name.to_string(), Cow::Borrowed(file.contents()));
        }
    }

    let dir = root.join("themes").join(name);
    if !dir.is_dir() {
        if name != "default" {
            let available = available_themes(root);
            diagnostics.push(
                Diagnostic::error(
                    Code::UnknownTheme,
                    format!("theme `{name}` not found: there is no folder themes/{name}/"),
                )
                .in_file(config::FILE_NAME)
                .with_help(format!(
                    "available themes: {}; create themes/{name}/templates/ or fix `theme` in ppdocs.toml",
                    available.join(", ")
                )),
            );
        }
        return theme;
    }
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) if entry.file_type().is_file() => entry,
            Ok(_) => continue,
            Err(err) => {
                diagnostics.push(Diagnostic::error(
                    Code::ThemeFileUnreadable,
                    format!("cannot read theme {name}: {err}"),
                ));
                continue;
            }
        };
        let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        if is_ignored(entry.file_name().to_string_lossy().as_ref()) {
            continue;
        }
        let bytes = match fs::read(entry.path()) {
            Ok(bytes) => bytes,
            Err(err) => {
                diagnostics.push(
                    Diagnostic::error(
                        Code::ThemeFileUnreadable,
                        format!("cannot read {rel}: {err}"),
                    )
                    .in_file(relative(root, entry.path())),
                );
                continue;
            }
        };
        if let Some(template) = rel.strip_prefix("templates/") {
            match String::from_utf8(bytes) {
                Ok(text) => {
                    theme.templates.insert(template.to_string(), text);
                }
                Err(_) => diagnostics.push(
                    Diagnostic::error(
                        Code::ThemeFileUnreadable,
                        format!("template {rel} is not UTF-8"),
                    )
                    .in_file(relative(root, entry.path())),
                ),
            }
        } else if let Some(asset) = rel.strip_prefix("static/") {
            theme
                .static_files
                .insert(asset.to_string(), Cow::Owned(bytes));
        }
    }
    theme
}

fn embedded_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut files = Vec::new();
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        files.extend(dir.files());
        stack.extend(dir.dirs());
    }
    files
}

fn available_themes(root: &Path) -> Vec<String> {
    let mut names = vec!["default".to_string()];
    if let Ok(entries) = fs::read_dir(root.join("themes")) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.path().is_dir() && name != "default" {
                names.push(name);
            }
        }
    }
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(project: &Project, path: &str) -> String {
        let file = project.content.iter().find(|f| f.path == Path::new(path));
        file.map(|f| f.text.to_string()).unwrap_or_default()
    }

    #[test]
    fn a_cached_file_is_reused_only_while_unchanged_settled_and_unnamed_by_the_watcher() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        fs::create_dir_all(root.join("content/evidence")).unwrap();
        fs::write(root.join("content/a.md"), "# A\n").unwrap();
        fs::write(root.join("content/b.md"), "# B\n").unwrap();
        fs::write(root.join("content/evidence/proof.txt"), "proof").unwrap();
        std::thread::sleep(SETTLE_TIME * 2);
        let mut cache = FileCache::default();
        load_project_cached(&root, Some(&mut cache)).unwrap();
        // Stands for writes a stamp could not tell apart: only a reused entry shows it.
        for (_, text) in cache.texts.values_mut() {
            *text = Arc::from("stale");
        }
        for (_, digest) in cache.digests.values_mut() {
            digest.sha256 = "stale".to_string();
        }
        let (project, _) = load_project_cached(&root, Some(&mut cache)).unwrap();
        assert_eq!(text_of(&project, "content/a.md"), "stale");
        assert_eq!(
            project.static_files[0].digest.as_ref().unwrap().sha256,
            "stale"
        );

        // A changed file is read again, and not kept while it may still change in its tick.
        fs::write(root.join("content/b.md"), "# Bee\n").unwrap();
        let (project, _) = load_project_cached(&root, Some(&mut cache)).unwrap();
        assert_eq!(text_of(&project, "content/b.md"), "# Bee\n");
        assert_eq!(text_of(&project, "content/a.md"), "stale");
        assert!(!cache.texts.contains_key(Path::new("content/b.md")));

        // What the watcher names is read again whatever its stamp.
        cache.forget(&root.join("content/a.md"));
        cache.forget(&root.join("content/evidence"));
        let (project, _) = load_project_cached(&root, Some(&mut cache)).unwrap();
        assert_eq!(text_of(&project, "content/a.md"), "# A\n");
        let digest = project.static_files[0].digest.as_ref().unwrap();
        assert_eq!(digest.sha256, digest_of("proof"));
    }

    fn digest_of(text: &str) -> String {
        use sha2::Digest as _;
        hex(&sha2::Sha256::digest(text.as_bytes()))
    }

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [
            ".git",
            "a.md~",
            ".a.md.swp",
            "#a.md#",
            "a.md___jb_tmp___",
            "~$report.docx",
            "x.bck",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        for name in ["a.md", "policy-export.json", "my file #1.md"] {
            assert!(!is_ignored(name), "{name}");
        }
    }

    #[test]
    fn embedded_theme_has_the_core_templates() {
        let mut diagnostics = Vec::new();
        let theme = load_theme(Path::new("/nonexistent"), "default", &mut diagnostics);
        assert!(diagnostics.is_empty());
        for name in [
            "base.html",
            "index.html",
            "article.html",
            "section.html",
            "page.html",
            "404.html",
        ] {
            assert!(theme.templates.contains_key(name), "{name}");
        }
        assert!(theme.static_files.contains_key("style.css"));
    }
}

//! The fixture harness: copies `tests/fixtures/<name>` (or the example project) into a
//! temporary folder, runs the real `ppdocs` binary on it, and reads the output back.

#![allow(dead_code)] // Each test file uses a different part of the harness.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use assert_cmd::Command;
use scraper::{Html, Selector};

pub struct TestProject {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl TestProject {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Self {
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        Self::copy_of(&source, &["content", "themes", "ppdocs.toml"])
    }

    /// A copy of the example project at the repository root.
    pub fn example() -> Self {
        Self::copy_of(
            Path::new(env!("CARGO_MANIFEST_DIR")),
            &["content", "ppdocs.toml"],
        )
    }

    /// An empty project folder.
    pub fn empty() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project");
        fs::create_dir_all(&root).unwrap();
        TestProject { _dir: dir, root }
    }

    fn copy_of(source: &Path, entries: &[&str]) -> Self {
        let project = Self::empty();
        for entry in entries {
            let from = source.join(entry);
            if from.exists() {
                copy_recursively(&from, &project.root.join(entry));
            }
        }
        project
    }

    pub fn write(&self, path: &str, text: &str) {
        let path = self.root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// Adds to the example an article of 1,200 tasks, each with 25 words of its own (task 17
    /// has `a17w0` to `a17w24`), so its word index fills many shards, most of them with words
    /// starting with `a`.
    pub fn add_many_tasks(&self) {
        let mut article = String::from("---\ntitle: Many tasks\n---\n\n# Many tasks\n");
        for section in 0..30 {
            article.push_str(&format!(
                "\n## Area {section}\n\n| Done? | Task |\n| --- | --- |\n"
            ));
            for task in 0..40 {
                let n = section * 40 + task;
                let words: Vec<String> = (0..25).map(|k| format!("a{n}w{k}")).collect();
                article.push_str(&format!("| &#9744; | Review {} |\n", words.join(" ")));
            }
        }
        self.write("content/many-tasks.md", &article);
    }

    /// [`TestProject::add_many_tasks`], and the search index split whatever its size.
    pub fn split_search_index(&self) {
        self.add_many_tasks();
        let config = self.read("ppdocs.toml");
        self.write(
            "ppdocs.toml",
            &format!("{config}\n[search]\nsplit_above_kb = 0\n"),
        );
    }

    pub fn read(&self, path: &str) -> String {
        fs::read_to_string(self.root.join(path)).unwrap_or_else(|e| panic!("reading {path}: {e}"))
    }

    /// Runs `ppdocs <args> --root ROOT` and returns its output.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::cargo_bin("ppdocs")
            .unwrap()
            .args(args)
            .arg("--root")
            .arg(&self.root)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }

    /// The day every test build computes statuses for.
    pub const AS_OF: &'static str = "2026-11-28";

    /// Builds into `ROOT/site` (as of [`Self::AS_OF`]) and panics with the output if the
    /// build fails.
    pub fn build(&self) -> Output {
        let output = self.run(&["build", "--as-of", Self::AS_OF]);
        assert!(
            output.status.success(),
            "build failed:\n{}",
            stderr(&output)
        );
        output
    }

    /// A copy of `tests/fixtures/<fixture>` with `text` written at `path`, built; expects the
    /// build to fail and returns its message.
    pub fn fixture_fails_with(fixture: &str, path: &str, text: &str) -> String {
        let project = Self::fixture(fixture);
        project.write(path, text);
        project.build_fails()
    }

    /// Builds and expects failure; returns stderr.
    pub fn build_fails(&self) -> String {
        let output = self.run(&["build", "--as-of", Self::AS_OF]);
        assert!(
            !output.status.success(),
            "build unexpectedly succeeded:\n{}",
            stderr(&output)
        );
        stderr(&output)
    }

    /// An output file of `ROOT/site`, parsed.
    pub fn page(&self, path: &str) -> Page {
        Page(Html::parse_document(&self.read(&format!("site/{path}"))))
    }

    pub fn site_file(&self, path: &str) -> PathBuf {
        self.root.join("site").join(path)
    }
}

pub struct Page(pub Html);

impl Page {
    pub fn select(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let selector = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
        self.0.select(&selector).collect()
    }

    pub fn text(&self, css: &str) -> String {
        self.select(css)
            .iter()
            .map(|e| e.text().collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn attr(&self, css: &str, attr: &str) -> Vec<String> {
        self.select(css)
            .iter()
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    /// All visible text of the page.
    pub fn body_text(&self) -> String {
        self.text("body")
    }
}

/// Starts `ppdocs serve --watch` (debounce 50 ms) on a free loopback port. Returns the
/// process, the URL it serves at, and its terminal output (stderr) line by line.
pub fn start_serve(project: &TestProject) -> (Child, String, mpsc::Receiver<String>) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ppdocs"))
        .args([
            "serve",
            "--watch",
            "--port",
            "0",
            "--debounce",
            "50",
            "--as-of",
            TestProject::AS_OF,
            "--root",
        ])
        .arg(&project.root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (log_lines, log) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = log_lines.send(line);
        }
    });
    let (lines, url_line) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let line = url_line
        .recv_timeout(Duration::from_secs(20))
        .expect("serve printed no URL");
    let url = line.trim_start_matches("Serving ").trim().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    (child, url, log)
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn copy_recursively(from: &Path, to: &Path) {
    if from.is_dir() {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_recursively(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        fs::copy(from, to).unwrap();
    }
}

/// Every file under `dir`, relative, with its bytes, sorted.
pub fn snapshot_dir(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.push((rel, fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

/// Follows every `href` and `src` of every HTML file under `site` and panics, listing them,
/// if any relative one does not name an existing file (and `#id` on it, when given).
pub fn assert_links_resolve(site: &Path) {
    let selector = Selector::parse("[href], [src]").unwrap();
    let mut broken = Vec::new();
    for (rel, bytes) in snapshot_dir(site) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = Html::parse_document(&String::from_utf8_lossy(&bytes));
        for element in html.select(&selector) {
            let value = element.value();
            if let Some(url) = value.attr("href").or_else(|| value.attr("src"))
                && let Err(problem) = follow(site, &rel, url, ".html")
            {
                broken.push(problem);
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// Where `url`, on the page `rel` of `site`, leads: `Ok(None)` for a link off the site,
/// `Ok(Some(file))` for a file of the site (with the `#id`, when given, on it if the file is a
/// page ending in `page_suffix`), `Err` saying what is missing.
fn follow(site: &Path, rel: &str, url: &str, page_suffix: &str) -> Result<Option<String>, String> {
    if url.contains("://") || url.starts_with("mailto:") || url.starts_with("data:") {
        return Ok(None);
    }
    let url = url.split('?').next().unwrap_or_default();
    let (path, fragment) = url.split_once('#').unwrap_or((url, ""));
    let target = if path.is_empty() {
        PathBuf::from(rel)
    } else {
        let base = Path::new(rel).parent().unwrap_or(Path::new(""));
        normalize(&base.join(ppdocs::parse::learn::percent_decode(path)))
    };
    let target_rel = target.to_string_lossy().replace('\\', "/");
    if !site.join(&target).is_file() {
        return Err(format!("{rel}: {url} (no file {target_rel})"));
    }
    if !fragment.is_empty() && target_rel.ends_with(page_suffix) {
        let page = Html::parse_document(&fs::read_to_string(site.join(&target)).unwrap());
        let fragment = ppdocs::parse::learn::percent_decode(fragment);
        let ids = Selector::parse("[id]").unwrap();
        if !page
            .select(&ids)
            .any(|e| e.value().attr("id") == Some(fragment.as_str()))
        {
            return Err(format!("{rel}: {url} (no id {fragment})"));
        }
    }
    Ok(Some(target_rel))
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                assert!(out.pop(), "link leaves the site: {}", path.display());
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Crawls the site from `home` like a reader would: follows every `href`, `src`, form
/// `action` and `data-src` of every page it reaches (pages are files ending in
/// `page_extension`), and panics listing every link that names no file or no `#id`.
/// Returns every file reached, relative to `site`.
pub fn walk_site(
    site: &Path,
    home: &str,
    page_extension: &str,
) -> std::collections::BTreeSet<String> {
    let url_selector = Selector::parse("[href], [src], form[action], [data-src]").unwrap();
    let mut reached = std::collections::BTreeSet::from([home.to_string()]);
    let mut queue = vec![home.to_string()];
    let mut broken = Vec::new();
    let suffix = format!(".{page_extension}");
    while let Some(rel) = queue.pop() {
        if !rel.ends_with(&suffix) {
            continue;
        }
        let html = Html::parse_document(&fs::read_to_string(site.join(&rel)).unwrap());
        for element in html.select(&url_selector) {
            let value = element.value();
            for url in ["href", "src", "action", "data-src"]
                .iter()
                .filter_map(|a| value.attr(a))
            {
                match follow(site, &rel, url, &suffix) {
                    Ok(Some(target)) => {
                        if reached.insert(target.clone()) {
                            queue.push(target);
                        }
                    }
                    Ok(None) => {}
                    Err(problem) => broken.push(problem),
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    reached
}

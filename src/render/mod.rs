//! Rendering: the linked [`Site`] through the theme's Tera templates into output files.
//!
//! Sees only the site and the theme; produces bytes in memory. Templates are compiled once;
//! data every page shares (site settings, navigation) goes in Tera's global context once,
//! so no page copies the whole site. Pages render in parallel.

mod all_appendices;
mod cache;
mod charts;
mod records;
pub mod search;
mod views;

pub use cache::RenderCache;
use cache::{ContextSink, Fingerprints};

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera, Value};

use crate::diagnostics::{Code, Diagnostic};
use crate::load::Theme;
use crate::parse::markdown::{ROOT_PLACEHOLDER, anchor_links, anchor_links_in};
use crate::parse::{BodyPart, highlight};
use crate::site::Site;
use crate::urls;
use views::{
    Crumb, Progress, RecordPrinter, article_view, owners, page_view, section_view, task_history,
    task_views,
};

/// The first breadcrumb of every page.
const DASHBOARD: Crumb<'static> = Crumb::new("Dashboard", "index.html");

/// Where the theme's static files and generated stylesheets go.
pub const ASSETS_DIR: &str = "assets";

/// The appendices' index page.
pub const APPENDIX_INDEX: &str = "appendix/index.html";
/// Every appendix on one page, for printing.
pub const APPENDIX_ALL: &str = "appendix/all/index.html";

/// A file of the finished site, relative to the output directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    /// Shared, so a page reused from the cache and kept by `serve` is never copied.
    pub contents: Arc<[u8]>,
}

/// Where rendered files go: the staging folder (`build`), memory (`serve`) or nowhere
/// (`check`). Files arrive from several threads, in no particular order.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> anyhow::Result<()>;

    /// A file made of `parts`, in order. A sink that writes to disk writes them one after
    /// the other, so the largest files of a site are never joined in memory.
    fn put_parts(&self, path: String, parts: &[Arc<[u8]>]) -> anyhow::Result<()> {
        let contents: Vec<u8> = parts.iter().flat_map(|part| part.iter().copied()).collect();
        self.put(OutputFile {
            path,
            contents: Arc::from(contents),
        })
    }

    /// Whether the files are dropped unread (`check`), so what no page links to (the search
    /// index's entries) need not be made.
    fn discards(&self) -> bool {
        false
    }
}

/// What a job made: whole files, or a large one in parts for the sink to join.
enum Made {
    Files(Vec<OutputFile>),
    /// A page that lists the whole site, taken from the cache: its context did not change.
    Reused(OutputFile),
    Parts {
        path: String,
        parts: Vec<Arc<[u8]>>,
    },
}

/// A file as its parts, in order: one for most files, many for the largest.
pub type Parts = Vec<Arc<[u8]>>;

/// Keeps every file in memory, for `serve`; a file that came in parts stays in parts, so a
/// rebuild neither joins nor copies the parts it reused.
#[derive(Default)]
pub struct InMemory(Mutex<Vec<(String, Parts)>>);

impl InMemory {
    /// The files with their parts, in the order they were made (`serve` puts them in a map).
    pub fn into_parts(self) -> Vec<(String, Parts)> {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    /// The files, sorted by path, each joined into one.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.into_parts();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
            .into_iter()
            .map(|(path, parts)| OutputFile {
                contents: match <[_; 1]>::try_from(parts) {
                    Ok([whole]) => whole,
                    Err(parts) => Arc::from(parts.concat()),
                },
                path,
            })
            .collect()
    }

    fn push(&self, path: String, parts: Parts) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path, parts));
    }
}

impl Sink for InMemory {
    fn put(&self, file: OutputFile) -> anyhow::Result<()> {
        self.push(file.path, vec![file.contents]);
        Ok(())
    }

    fn put_parts(&self, path: String, parts: &[Arc<[u8]>]) -> anyhow::Result<()> {
        self.push(path, parts.to_vec());
        Ok(())
    }
}

/// Drops every file: `check` renders only to find template errors.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: OutputFile) -> anyhow::Result<()> {
        Ok(())
    }

    fn discards(&self) -> bool {
        true
    }
}

/// Renders every page of the site into `sink`, each page handed over as soon as it is
/// rendered so the whole site never sits in memory. Returns the template errors (all of
/// them, not just the first); `Err` only when the sink failed.
pub fn render(site: &Site, theme: &Theme, sink: &dyn Sink) -> anyhow::Result<Vec<Diagnostic>> {
    render_each(site, theme, None, sink)
}

/// [`render`], reusing pages from `cache` whose inputs did not change (`serve --watch`).
pub fn render_cached(
    site: &Site,
    theme: &Theme,
    cache: &mut RenderCache,
    sink: &dyn Sink,
) -> anyhow::Result<Vec<Diagnostic>> {
    render_each(site, theme, Some(cache), sink)
}

fn render_each(
    site: &Site,
    theme: &Theme,
    mut cache: Option<&mut RenderCache>,
    sink: &dyn Sink,
) -> anyhow::Result<Vec<Diagnostic>> {
    let (site_view, nav_view) = (SiteView::new(site), NavView::new(site));
    if let Some(cache) = cache.as_deref_mut() {
        let shared = [
            serde_json::to_vec(&site_view).unwrap_or_default(),
            serde_json::to_vec(&nav_view).unwrap_or_default(),
        ];
        cache.start(cache::shared_fingerprint(
            site,
            theme,
            &[&shared[0], &shared[1]],
        ));
    }
    let tera = match compile(theme, &site_view, &nav_view) {
        Ok(tera) => tera,
        Err(error) => return Ok(vec![error]),
    };
    // Fingerprints only matter when the pages are kept for the next run.
    let fingerprints = match cache.as_deref_mut() {
        Some(cache) => cache.fingerprints(site),
        None => Fingerprints::default(),
    };
    let chunks = records::chunks(site, cache.as_deref_mut().map(|c| (c, &fingerprints)));
    let reader = cache.as_deref();
    let outcomes: Vec<Outcome> = jobs(site)
        .par_iter()
        .map(|job| {
            let fingerprint = reader.and_then(|_| fingerprint(site, job, &fingerprints));
            if let Some(fingerprint) = fingerprint
                && let Some(cache) = reader
                && let Some(files) = job_paths(site, job)
                    .into_iter()
                    .map(|path| {
                        let contents = cache.get(&path, fingerprint)?.clone();
                        Some(OutputFile { path, contents })
                    })
                    .collect::<Option<Vec<_>>>()
            {
                for file in files {
                    sink.put(file)?;
                }
                return Ok(Outcome::Reused);
            }
            let kept = reader.map(|c| (c, &fingerprints));
            match render_job(&tera, site, job, &chunks, kept) {
                Ok(Made::Files(files)) => {
                    let count = files.len();
                    let mut kept = Vec::new();
                    for file in files {
                        if let Some(f) = fingerprint {
                            kept.push((file.path.clone(), f, file.contents.clone()));
                        }
                        sink.put(file)?;
                    }
                    Ok(Outcome::Rendered { files: count, kept })
                }
                Ok(Made::Parts { path, parts }) => {
                    sink.put_parts(path, &parts)?;
                    let kept = Vec::new();
                    Ok(Outcome::Rendered { files: 1, kept })
                }
                Ok(Made::Reused(file)) => {
                    sink.put(file)?;
                    Ok(Outcome::Reused)
                }
                Err(error) => Ok(Outcome::Failed(error)),
            }
        })
        .collect::<anyhow::Result<_>>()?;
    let mut errors = Vec::new();
    let mut rendered = 0;
    for outcome in outcomes {
        match outcome {
            Outcome::Reused => {}
            Outcome::Rendered { files, kept } => {
                rendered += files;
                if let Some(cache) = cache.as_deref_mut() {
                    for (path, fingerprint, bytes) in kept {
                        cache.store(path, fingerprint, bytes);
                    }
                }
            }
            Outcome::Failed(error) => errors.push(error),
        }
    }
    if let Some(cache) = cache {
        cache.count_rendered(rendered);
    }
    if !errors.is_empty() {
        errors.dedup_by(|a, b| a.message == b.message);
        return Ok(errors);
    }
    for (name, bytes) in &theme.static_files {
        sink.put(OutputFile {
            path: format!("{ASSETS_DIR}/{name}"),
            contents: Arc::from(&bytes[..]),
        })?;
    }
    sink.put(OutputFile {
        path: format!("{ASSETS_DIR}/highlight.css"),
        contents: Arc::from(highlight::stylesheet().as_bytes()),
    })?;
    Ok(errors)
}

/// What became of one job.
enum Outcome {
    /// Taken from the cache.
    Reused,
    /// Rendered into `files` files; with what the cache keeps of them, when they may be
    /// cached.
    Rendered {
        files: usize,
        kept: Vec<(String, u64, Arc<[u8]>)>,
    },
    Failed(Diagnostic),
}

/// One output page to render.
enum Job {
    RecordsJson,
    RecordsCsv,
    Dashboard,
    NotFound,
    /// A page that is not an article.
    Page(usize),
    /// An article's page and each of its section pages, which share their checklists.
    Article(usize),
    AppendixIndex,
    AppendixAll,
    SectionAppendix {
        article: usize,
        section: usize,
    },
    FrameworkAppendix(usize),
    TrainingHub,
    Search,
}

fn jobs(site: &Site) -> Vec<Job> {
    // The largest pages first, so they do not hold up the end of the parallel run.
    let mut jobs = vec![
        Job::RecordsJson,
        Job::RecordsCsv,
        Job::Dashboard,
        Job::NotFound,
        Job::AppendixIndex,
        Job::AppendixAll,
        Job::Search,
    ];
    for (index, page) in site.pages.iter().enumerate() {
        match page.article {
            Some(article) => {
                jobs.push(Job::Article(article));
                let sections = site.articles[article].sections.len();
                jobs.extend((0..sections).map(|section| Job::SectionAppendix { article, section }));
            }
            None => jobs.push(Job::Page(index)),
        }
    }
    jobs.extend((0..site.frameworks.len()).map(Job::FrameworkAppendix));
    if has_training(site) {
        jobs.push(Job::TrainingHub);
    }
    jobs
}

fn has_training(site: &Site) -> bool {
    !site.modules.is_empty() || site.training_home.is_some()
}

fn compile(theme: &Theme, site: &SiteView<'_>, nav: &NavView) -> Result<Tera, Diagnostic> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_str())),
    )
    .map_err(|err| template_error(&theme.name, err))?;
    let globals = tera.global_context();
    globals.insert("site", site);
    globals.insert("nav", nav);
    Ok(tera)
}

/// Tera's HTML escaping (the same five characters, the same entities), writing each run of
/// plain text at once: Tera's own writes byte by byte, a tenth of all rendering.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut plain = 0;
    for (at, byte) in bytes.iter().enumerate() {
        let entity: &[u8] = match byte {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[plain..at])?;
        out.write_all(entity)?;
        plain = at + 1;
    }
    out.write_all(&bytes[plain..])
}

fn template_error(theme: &str, err: tera::Error) -> Diagnostic {
    Diagnostic::error(Code::TemplateInvalid, format!("theme `{theme}`: {err}"))
        .with_help("fix the template named above; `ppdocs check` shows the same error without writing anything")
}

/// The fingerprint of what a page shows, for pages that show one article, module or page;
/// `None` for pages that list the whole site, which are reused by their context's fingerprint
/// instead (`RenderCache::listing`) or assembled from cached parts.
fn fingerprint(site: &Site, job: &Job, fingerprints: &Fingerprints) -> Option<u64> {
    match *job {
        Job::Page(index) => Some(match site.pages[index].module {
            Some(module) => cache::module_fingerprint(site, module),
            None => cache::page_fingerprint(site, index),
        }),
        Job::Article(article) => Some(fingerprints.article(article)),
        Job::SectionAppendix { article, section } => Some(fingerprints.appendix(article, section)),
        _ => None,
    }
}

/// The output path of a page that lists the whole site (`serve` reuses one while its
/// context is unchanged); `None` for other jobs.
fn listing_path(site: &Site, job: &Job) -> Option<String> {
    match *job {
        Job::Dashboard => Some("index.html".to_string()),
        Job::AppendixIndex => Some(APPENDIX_INDEX.to_string()),
        Job::FrameworkAppendix(index) => Some(site.frameworks[index].output.clone()),
        Job::TrainingHub => Some(urls::TRAINING_HUB.to_string()),
        _ => None,
    }
}

/// The context of a page that lists the whole site.
fn fill_listing(site: &Site, job: &Job, context: &mut impl ContextSink) {
    match *job {
        Job::Dashboard => dashboard_context(site, context),
        Job::AppendixIndex => appendix_index_context(site, context),
        Job::FrameworkAppendix(index) => framework_appendix_context(site, index, context),
        Job::TrainingHub => training_hub_context(site, context),
        _ => {}
    }
}

/// The output paths of the pages a job makes that may come from the cache.
fn job_paths(site: &Site, job: &Job) -> Vec<String> {
    match *job {
        Job::Page(index) => vec![site.pages[index].document.output.clone()],
        Job::Article(article) => {
            let article = &site.articles[article];
            let page = site.pages[article.page].document.output.clone();
            let sections = article.sections.iter().map(|s| s.output.clone());
            std::iter::once(page).chain(sections).collect()
        }
        Job::SectionAppendix { article, section } => {
            vec![site.articles[article].sections[section].appendix.clone()]
        }
        _ => Vec::new(),
    }
}

/// Renders one job. `cache` (with the articles' fingerprints) lets the all-appendices page
/// reuse parts that did not change.
fn render_job(
    tera: &Tera,
    site: &Site,
    job: &Job,
    chunks: &records::Chunks,
    cache: Option<(&RenderCache, &Fingerprints)>,
) -> Result<Made, Diagnostic> {
    // A page that lists the whole site is reused while its context's fingerprint is.
    let listing = match (cache, listing_path(site, job)) {
        (Some((cache, _)), Some(path)) => {
            let mut hasher = cache::ContextHasher::default();
            fill_listing(site, job, &mut hasher);
            Some((cache, path, hasher.finish()))
        }
        _ => None,
    };
    if let Some((cache, path, fingerprint)) = &listing
        && let Some(contents) = cache.listing(path, *fingerprint)
    {
        let path = path.clone();
        return Ok(Made::Reused(OutputFile { path, contents }));
    }
    let (template, path, context) = match *job {
        Job::RecordsJson => {
            return Ok(Made::Parts {
                path: "records.json".to_string(),
                parts: records::records_json(site, chunks),
            });
        }
        Job::RecordsCsv => {
            return Ok(Made::Parts {
                path: "records.csv".to_string(),
                parts: records::records_csv(chunks),
            });
        }
        Job::Dashboard => (
            "index.html",
            "index.html".to_string(),
            context_of(|c| fill_listing(site, job, c)),
        ),
        Job::NotFound => ("404.html", "404.html".to_string(), not_found_context(site)),
        Job::Page(index) => {
            let page = &site.pages[index];
            let template = match page.module {
                Some(_) => "module.html",
                None => "page.html",
            };
            (
                template,
                page.document.output.clone(),
                page_context(site, index),
            )
        }
        Job::Article(article) => return article_pages(tera, site, article).map(Made::Files),
        Job::AppendixIndex => (
            "appendix-index.html",
            APPENDIX_INDEX.to_string(),
            context_of(|c| fill_listing(site, job, c)),
        ),
        Job::AppendixAll => return all_appendices::render(tera, site, cache),
        Job::SectionAppendix { article, section } => {
            let output = site.articles[article].sections[section].appendix.clone();
            (
                "appendix-section.html",
                output,
                section_appendix_context(site, article, section),
            )
        }
        Job::TrainingHub => (
            "training.html",
            urls::TRAINING_HUB.to_string(),
            context_of(|c| fill_listing(site, job, c)),
        ),
        Job::Search => (
            "search.html",
            search::SEARCH_PAGE.to_string(),
            search_context(),
        ),
        Job::FrameworkAppendix(index) => {
            let output = site.frameworks[index].output.clone();
            (
                "appendix-framework.html",
                output,
                context_of(|c| fill_listing(site, job, c)),
            )
        }
    };
    let root = match (job, &site.config.base_url) {
        (Job::NotFound, Some(base)) => base.clone(),
        _ => urls::root_prefix(&path),
    };
    let file = render_page(tera, site, template, &context, path, &root)?;
    if let Some((cache, path, fingerprint)) = listing {
        cache.store_listing(path, fingerprint, file.contents.clone());
    }
    Ok(Made::Files(vec![file]))
}

/// What a page's buffer starts with: most pages are 10 to 40 KiB.
const PAGE_CAPACITY: usize = 48 * 1024;

/// Renders `template` into the page at `path`. Internal links in Markdown (and in shared
/// checklists) were written relative to the site root; they are anchored here with `root`.
fn render_page(
    tera: &Tera,
    site: &Site,
    template: &str,
    context: &Context,
    path: String,
    root: &str,
) -> Result<OutputFile, Diagnostic> {
    // Most pages fit; rendering into a buffer of the right size saves growing it (and Tera's
    // own check that its output is UTF-8, which it always is).
    let mut html = Vec::with_capacity(PAGE_CAPACITY);
    tera.render_to(template, context, &mut html)
        .map_err(|err| template_error(&site.config.theme, err))?;
    let contents = match anchor_links(&html, root) {
        Cow::Borrowed(_) => Arc::from(html),
        Cow::Owned(anchored) => Arc::from(anchored),
    };
    Ok(OutputFile { path, contents })
}

/// What every template sees as `site`.
#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: Option<&'a str>,
    language: &'a str,
    generator: String,
    as_of: String,
    review_window_days: u64,
    articles: usize,
    sections: usize,
    tasks: usize,
    records: usize,
}

impl<'a> SiteView<'a> {
    fn new(site: &'a Site) -> Self {
        SiteView {
            title: &site.config.title,
            description: &site.config.description,
            base_url: site.config.base_url.as_deref(),
            language: &site.config.language,
            generator: format!("ppdocs {}", env!("CARGO_PKG_VERSION")),
            as_of: site.as_of.format("%-d %B %Y").to_string(),
            review_window_days: site.config.review_window_days,
            articles: site.articles.len(),
            sections: site.section_count(),
            tasks: site.tasks.len(),
            records: site.records.len(),
        }
    }
}

/// More articles or pages than this, and the sidebar lists only the current article (and
/// links to the dashboard, which lists them all): a sidebar repeating every entry on every
/// page would make the site's size grow with the square of its pages.
const NAV_LIMIT: usize = 40;

/// The sidebar: articles, other pages, the hub and the appendices. Each page's context adds
/// its own article's sections as `nav_article`.
#[derive(Serialize)]
struct NavView {
    articles: Vec<NavLink>,
    /// When the articles are too many to list: how many there are.
    more_articles: usize,
    pages: Vec<NavLink>,
    more_pages: usize,
    appendix: NavLink,
    /// Every appendix, listed under the appendix link on appendix pages; empty when they
    /// are too many to list.
    appendices: Vec<NavLink>,
    training: Option<NavLink>,
}

#[derive(Serialize)]
struct NavArticle {
    title: String,
    url: String,
    sections: Vec<NavLink>,
}

#[derive(Clone, Serialize)]
struct NavLink {
    title: String,
    url: String,
}

/// The current article and its sections, for the sidebar.
fn nav_article(site: &Site, article: usize) -> NavArticle {
    let article = &site.articles[article];
    let page = &site.pages[article.page].document;
    NavArticle {
        title: page.title.clone(),
        url: page.output.clone(),
        sections: article
            .sections
            .iter()
            .map(|s| NavLink {
                title: s.title.clone(),
                url: s.output.clone(),
            })
            .collect(),
    }
}

/// The appendices in their lettered order: sections, then frameworks.
fn nav_appendices(site: &Site) -> Vec<NavLink> {
    let sections = site.articles.iter().flat_map(|a| &a.sections);
    let links: Vec<NavLink> = sections
        .map(|s| (s.number, s.title.as_str(), s.appendix.as_str()))
        .chain(
            site.frameworks
                .iter()
                .enumerate()
                .map(|(i, f)| (site.section_count() + i, f.id.as_str(), f.output.as_str())),
        )
        .map(|(number, title, url)| NavLink {
            title: format!("{} · {title}", appendix_number(number)),
            url: url.to_string(),
        })
        .collect();
    if links.len() > NAV_LIMIT {
        Vec::new()
    } else {
        links
    }
}

/// Plain pages (not articles, not training modules), in source order.
fn plain_pages(site: &Site) -> Vec<NavLink> {
    site.pages
        .iter()
        .filter(|p| p.article.is_none() && p.module.is_none())
        .map(|p| NavLink {
            title: p.document.title.clone(),
            url: p.document.output.clone(),
        })
        .collect()
}

impl NavView {
    fn new(site: &Site) -> Self {
        let articles: Vec<NavLink> = site
            .articles
            .iter()
            .map(|article| {
                let page = &site.pages[article.page].document;
                NavLink {
                    title: page.title.clone(),
                    url: page.output.clone(),
                }
            })
            .collect();
        let pages = plain_pages(site);
        let (articles, more_articles) = if articles.len() > NAV_LIMIT {
            (Vec::new(), articles.len())
        } else {
            (articles, 0)
        };
        let (pages, more_pages) = if pages.len() > NAV_LIMIT {
            (Vec::new(), pages.len())
        } else {
            (pages, 0)
        };
        NavView {
            articles,
            more_articles,
            pages,
            more_pages,
            appendix: NavLink {
                title: "Compliance records".to_string(),
                url: APPENDIX_INDEX.to_string(),
            },
            appendices: nav_appendices(site),
            training: has_training(site).then(|| NavLink {
                title: "Training".to_string(),
                url: urls::TRAINING_HUB.to_string(),
            }),
        }
    }
}

fn article_views(site: &Site) -> Vec<views::ArticleView<'_>> {
    site.articles
        .iter()
        .map(|a| article_view(site, a))
        .collect()
}

/// The parts every page's context starts with.
fn base_context(output: &str) -> Context {
    let mut context = Context::new();
    fill_base(&mut context, output);
    context
}

fn fill_base(context: &mut impl ContextSink, output: &str) {
    context.insert("root", &urls::root_prefix(output));
    context.insert("current_url", output);
}

/// A new context filled by `fill`.
fn context_of(fill: impl FnOnce(&mut Context)) -> Context {
    let mut context = Context::new();
    fill(&mut context);
    context
}

fn dashboard_context(site: &Site, context: &mut impl ContextSink) {
    fill_base(context, "index.html");
    context.insert("progress", &Progress::of(site, 0..site.tasks.len()));
    context.insert("articles", &article_views(site));
    context.insert("expired", &task_views(site, site.expired()));
    context.insert("due_for_review", &task_views(site, site.due_for_review()));
    context.insert("owners", &owners(site));
    context.insert("pages", &plain_pages(site));
    context.insert("progress_chart", &charts::progress_chart(site));
    context.insert("trend_chart", &charts::trend_chart(site));
    if let Some(home) = &site.home {
        context.insert("page", &page_view(home));
        context.insert("body", &plain_body(&home.parts));
    }
}

fn not_found_context(site: &Site) -> Context {
    // The 404 page is served at any missing URL, so relative links cannot work from it;
    // with a base URL it links absolutely.
    let mut context = base_context("404.html");
    if let Some(base) = &site.config.base_url {
        context.insert("root", base);
    }
    context
}

fn page_context(site: &Site, index: usize) -> Context {
    let page = &site.pages[index];
    let document = &page.document;
    let mut context = base_context(&document.output);
    context.insert("page", &page_view(document));
    context.insert("body", &plain_body(&document.parts));
    match page.module {
        Some(module) => {
            context.insert("module", &views::module_view(site, module));
            context.insert("in_training", &true);
            let crumbs = [
                DASHBOARD,
                Crumb::new("Training", urls::TRAINING_HUB),
                Crumb::new(&document.title, &document.output),
            ];
            context.insert("breadcrumbs", &crumbs);
        }
        None => {
            let crumbs = [DASHBOARD, Crumb::new(&document.title, &document.output)];
            context.insert("breadcrumbs", &crumbs);
        }
    }
    context
}

/// An article's page, then each of its section pages. What they share (the page, the
/// article, the sidebar and the rendered checklists) is made once, and Tera's values are
/// shared, not copied, between their contexts.
fn article_pages(
    tera: &Tera,
    site: &Site,
    article_index: usize,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let article = &site.articles[article_index];
    let document = &site.pages[article.page].document;
    let page = Value::from_serializable(&page_view(document));
    let article_value = Value::from_serializable(&article_view(site, article));
    let nav_article = Value::from_serializable(&nav_article(site, article_index));
    let tables = checklists(tera, site, article_index)?;
    let shared = |output: &str| {
        let mut context = base_context(output);
        context.insert_value("page", page.clone());
        context.insert_value("article", article_value.clone());
        context.insert_value("nav_article", nav_article.clone());
        context
    };

    let mut files = Vec::with_capacity(article.sections.len() + 1);
    let mut context = shared(&document.output);
    context.insert("body", &article_body(&document.parts, &tables));
    if let Some(first) = article.sections.first() {
        context.insert("next", &Crumb::new(&first.title, &first.output));
    }
    let crumbs = [DASHBOARD, Crumb::new(&document.title, &document.output)];
    context.insert("breadcrumbs", &crumbs);
    let root = urls::root_prefix(&document.output);
    files.push(render_page(
        tera,
        site,
        "article.html",
        &context,
        document.output.clone(),
        &root,
    )?);

    for (section_index, section) in article.sections.iter().enumerate() {
        let mut context = shared(&section.output);
        context.insert("section", &section_view(site, article, section_index));
        let body = section_body(site, article_index, section_index, &document.parts, &tables);
        context.insert("body", &body);
        let crumbs = [
            DASHBOARD,
            Crumb::new(&document.title, &document.output),
            Crumb::new(&section.title, &section.output),
        ];
        context.insert("breadcrumbs", &crumbs);
        let prev = match section_index {
            0 => Crumb::new(&document.title, &document.output),
            n => Crumb::new(
                &article.sections[n - 1].title,
                &article.sections[n - 1].output,
            ),
        };
        context.insert("prev", &prev);
        if let Some(next) = article.sections.get(section_index + 1) {
            context.insert("next", &Crumb::new(&next.title, &next.output));
        }
        let root = urls::root_prefix(&section.output);
        files.push(render_page(
            tera,
            site,
            "section.html",
            &context,
            section.output.clone(),
            &root,
        )?);
    }
    Ok(files)
}

#[derive(Serialize)]
struct TagView<'a> {
    tag: &'a str,
    modules: usize,
}

fn training_hub_context(site: &Site, context: &mut impl ContextSink) {
    fill_base(context, urls::TRAINING_HUB);
    context.insert("in_training", &true);
    if let Some(intro) = &site.training_home {
        context.insert("page", &page_view(intro));
        context.insert("body", &plain_body(&intro.parts));
    }
    context.insert("paths", &views::learning_paths(site));
    let all: Vec<_> = views::path_order(site)
        .into_iter()
        .map(|m| views::module_view(site, m))
        .collect();
    context.insert("modules", &all);
    let mut tags: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for module in &site.modules {
        for tag in &module.meta.tags {
            *tags.entry(tag).or_default() += 1;
        }
    }
    let tags: Vec<TagView<'_>> = tags
        .into_iter()
        .map(|(tag, modules)| TagView { tag, modules })
        .collect();
    context.insert("tags", &tags);
    context.insert(
        "breadcrumbs",
        &[DASHBOARD, Crumb::new("Training", urls::TRAINING_HUB)],
    );
}

fn search_context() -> Context {
    let mut context = base_context(search::SEARCH_PAGE);
    context.insert(
        "breadcrumbs",
        &[DASHBOARD, Crumb::new("Search", search::SEARCH_PAGE)],
    );
    context
}

/// The name `ppdocs report` gives its file by default; the report's links are relative to it.
pub const REPORT_FILE: &str = "compliance-report.html";

/// The one-page compliance report (`report.html`): the dashboard's summary and every
/// appendix (`sections`, `frameworks`). Its links still point into the site;
/// `publish::self_contained` resolves them.
pub fn render_report(site: &Site, theme: &Theme) -> Result<String, Diagnostic> {
    let (site_view, nav_view) = (SiteView::new(site), NavView::new(site));
    let tera = compile(theme, &site_view, &nav_view)?;
    let mut context = context_of(|c| dashboard_context(site, c));
    let mut printer = RecordPrinter::default();
    let sections: Vec<_> = site
        .articles
        .iter()
        .enumerate()
        .flat_map(|(a, article)| {
            article
                .sections
                .iter()
                .enumerate()
                .map(move |(s, section)| (a, s, section.number))
        })
        .map(|(a, s, n)| section_appendix(site, a, s, appendix_number(n), &mut printer))
        .collect();
    let frameworks: Vec<_> = (0..site.frameworks.len())
        .map(|i| {
            let number = appendix_number(site.section_count() + i);
            framework_appendix(site, i, number, &mut printer)
        })
        .collect();
    context.insert("sections", &sections);
    context.insert("frameworks", &frameworks);
    context.insert("root", "");
    context.insert("current_url", REPORT_FILE);
    let html = tera
        .render("report.html", &context)
        .map_err(|err| template_error(&site.config.theme, err))?;
    Ok(anchor_links_in(html, ""))
}

fn appendix_crumbs<'a>(title: &'a str, url: &'a str) -> [Crumb<'a>; 3] {
    [
        DASHBOARD,
        Crumb::new("Compliance records", APPENDIX_INDEX),
        Crumb::new(title, url),
    ]
}

#[derive(Serialize)]
struct FrameworkSummary<'a> {
    id: &'a str,
    name: &'a str,
    url: &'a str,
    controls: usize,
    progress: Progress,
}

fn framework_summaries(site: &Site) -> Vec<FrameworkSummary<'_>> {
    (0..site.frameworks.len())
        .map(|f| framework_summary(site, f))
        .collect()
}

/// A framework's controls and the progress of every task mapped to it or tagged in its records.
fn framework_summary(site: &Site, index: usize) -> FrameworkSummary<'_> {
    let framework = &site.frameworks[index];
    let mut tasks: Vec<usize> = framework
        .controls
        .iter()
        .flat_map(|c| c.tasks.iter().copied())
        .collect();
    tasks.extend(
        framework
            .records
            .iter()
            .flat_map(|&r| site.records[r].tasks.iter().copied()),
    );
    tasks.sort_unstable();
    tasks.dedup();
    FrameworkSummary {
        id: &framework.id,
        name: &framework.name,
        url: &framework.output,
        controls: framework.controls.len(),
        progress: Progress::of(site, tasks),
    }
}

fn appendix_index_context(site: &Site, context: &mut impl ContextSink) {
    fill_base(context, APPENDIX_INDEX);
    context.insert("in_appendix", &true);
    context.insert("articles", &article_views(site));
    context.insert("frameworks", &framework_summaries(site));
    context.insert(
        "breadcrumbs",
        &[DASHBOARD, Crumb::new("Compliance records", APPENDIX_INDEX)],
    );
}

#[derive(Serialize)]
struct SectionAppendix<'a> {
    section: views::SectionView<'a>,
    number: String,
    tasks: Vec<views::TaskHistory<'a>>,
}

fn section_appendix<'a>(
    site: &'a Site,
    article: usize,
    section: usize,
    number: String,
    printer: &mut RecordPrinter<'_>,
) -> SectionAppendix<'a> {
    let article_ref = &site.articles[article];
    SectionAppendix {
        section: section_view(site, article_ref, section),
        number,
        tasks: article_ref.sections[section]
            .tasks
            .clone()
            .map(|t| task_history(site, t, printer))
            .collect(),
    }
}

/// Appendix letters: A, B, ... Z, AA, AB...
fn appendix_number(mut n: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push((b'A' + (n % 26) as u8) as char);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    letters.iter().rev().collect()
}

fn section_appendix_context(site: &Site, article: usize, section: usize) -> Context {
    let output = &site.articles[article].sections[section].appendix;
    let mut context = base_context(output);
    context.insert("in_appendix", &true);
    let number = appendix_number(site.articles[article].sections[section].number);
    let mut printer = RecordPrinter::default();
    let appendix = section_appendix(site, article, section, number, &mut printer);
    context.insert(
        "breadcrumbs",
        &appendix_crumbs(appendix.section.title, output),
    );
    context.insert("appendix", &appendix);
    context
}

#[derive(Serialize)]
struct FrameworkAppendix<'a> {
    id: &'a str,
    name: &'a str,
    url: Option<&'a str>,
    description: Option<&'a str>,
    number: String,
    progress: Progress,
    controls: Vec<ControlView<'a>>,
    records: Vec<views::RecordView<'a>>,
}

#[derive(Serialize)]
struct ControlView<'a> {
    id: &'a str,
    title: &'a str,
    progress: Progress,
    tasks: Vec<views::TaskView<'a>>,
}

fn framework_appendix<'a>(
    site: &'a Site,
    index: usize,
    number: String,
    printer: &mut RecordPrinter<'_>,
) -> FrameworkAppendix<'a> {
    let framework = &site.frameworks[index];
    let summary = framework_summary(site, index);
    FrameworkAppendix {
        id: &framework.id,
        name: &framework.name,
        url: framework.url.as_deref(),
        description: framework.description.as_deref(),
        number,
        progress: summary.progress,
        controls: framework
            .controls
            .iter()
            .map(|c| ControlView {
                id: &c.id,
                title: &c.title,
                progress: Progress::of(site, c.tasks.iter().copied()),
                tasks: task_views(site, c.tasks.iter().copied()),
            })
            .collect(),
        records: framework
            .records
            .iter()
            .map(|&r| printer.view(site, r))
            .collect(),
    }
}

fn framework_appendix_context(site: &Site, index: usize, context: &mut impl ContextSink) {
    let framework = &site.frameworks[index];
    fill_base(context, &framework.output);
    context.insert("in_appendix", &true);
    let number = appendix_number(site.section_count() + index);
    let mut printer = RecordPrinter::default();
    context.insert(
        "breadcrumbs",
        &appendix_crumbs(&framework.name, &framework.output),
    );
    context.insert(
        "framework",
        &framework_appendix(site, index, number, &mut printer),
    );
}

/// A body without checklists, as one HTML string.
fn plain_body(parts: &[BodyPart]) -> String {
    parts
        .iter()
        .filter_map(|p| match p {
            BodyPart::Html(html) => Some(html.as_str()),
            _ => None,
        })
        .collect()
}

/// The article's whole body, each checklist replaced by its table (`tables`, by part).
fn article_body(parts: &[BodyPart], tables: &[Option<String>]) -> String {
    let mut html = String::new();
    for (part, table) in parts.iter().zip(tables) {
        match part {
            BodyPart::Html(text) => html.push_str(text),
            BodyPart::Checklist { .. } => html.push_str(table.as_deref().unwrap_or_default()),
            BodyPart::SectionStart(_) | BodyPart::SectionBody(_) => {}
        }
    }
    html
}

/// The body of one section, from just after its heading to the next `##`.
fn section_body(
    site: &Site,
    article: usize,
    section: usize,
    parts: &[BodyPart],
    tables: &[Option<String>],
) -> String {
    // Sections in `parts` are numbered over all `##` headings; the site keeps only those
    // with tasks. Find this one by its anchor.
    let anchor = &site.articles[article].sections[section].anchor;
    let page = &site.pages[site.articles[article].page].document;
    let Some(draft_index) = page.sections.iter().position(|s| &s.anchor == anchor) else {
        return String::new();
    };
    let mut html = String::new();
    let mut inside = false;
    for (part, table) in parts.iter().zip(tables) {
        match part {
            BodyPart::SectionBody(n) if *n == draft_index => inside = true,
            BodyPart::SectionStart(_) if inside => break,
            BodyPart::Html(text) if inside => html.push_str(text),
            BodyPart::Checklist { .. } if inside => {
                html.push_str(table.as_deref().unwrap_or_default())
            }
            _ => {}
        }
    }
    html
}

/// Every checklist of an article rendered from `partials/checklist.html`, by body part
/// (`None` for other parts). Rendered once for the article and its section pages, which sit
/// at different depths, so links keep the root placeholder for each page to anchor.
fn checklists(tera: &Tera, site: &Site, article: usize) -> Result<Vec<Option<String>>, Diagnostic> {
    let article_ref = &site.articles[article];
    let page = &site.pages[article_ref.page].document;
    page.parts
        .iter()
        .map(|part| {
            let BodyPart::Checklist {
                section: draft,
                tasks,
            } = part
            else {
                return Ok(None);
            };
            let anchor = &page.sections[*draft].anchor;
            let Some(section) = article_ref.sections.iter().find(|s| &s.anchor == anchor) else {
                return Ok(Some(String::new()));
            };
            let start = section.tasks.start + tasks.start;
            let end = section.tasks.start + tasks.end;
            let mut context = Context::new();
            context.insert("root", ROOT_PLACEHOLDER);
            context.insert("tasks", &task_views(site, start..end));
            tera.render("partials/checklist.html", &context)
                .map(Some)
                .map_err(|err| template_error(&site.config.theme, err))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_matches_teras_own() {
        for text in ["", "plain", "<a href=\"x\">R&D's</a>", "é & ü <", "'\"&<>"] {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            escape_html(text, &mut ours).unwrap();
            tera::escape_html(text, &mut teras).unwrap();
            assert_eq!(ours, teras, "{text}");
        }
    }

    #[test]
    fn appendix_numbers_are_letters() {
        assert_eq!(appendix_number(0), "A");
        assert_eq!(appendix_number(25), "Z");
        assert_eq!(appendix_number(26), "AA");
        assert_eq!(appendix_number(27), "AB");
    }
}

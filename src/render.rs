//! Rendering: the linked [`Site`] through the theme's Tera templates into output files.
//!
//! Sees only the site and the theme; produces bytes in memory. Templates are compiled once;
//! data every page shares (site settings, navigation) goes in Tera's global context once,
//! so no page copies the whole site. Pages render in parallel.

use std::ops::Range;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::{Code, Diagnostic};
use crate::load::Theme;
use crate::parse::{BodyPart, Document, highlight};
use crate::site::{Article, Site, Status};
use crate::urls;

/// Where the theme's static files and generated stylesheets go.
pub const ASSETS_DIR: &str = "assets";

/// A file of the finished site, relative to the output directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub contents: Vec<u8>,
}

/// Renders every page of the site. All template errors are reported, not just the first.
pub fn render(site: &Site, theme: &Theme) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let tera = compile(site, theme).map_err(|d| vec![d])?;
    let jobs = jobs(site);
    let results: Vec<Result<OutputFile, Diagnostic>> = jobs
        .par_iter()
        .map(|job| render_job(&tera, site, job))
        .collect();
    let mut files = Vec::with_capacity(results.len() + theme.static_files.len() + 1);
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        errors.dedup_by(|a, b| a.message == b.message);
        return Err(errors);
    }
    for (name, bytes) in &theme.static_files {
        files.push(OutputFile {
            path: format!("{ASSETS_DIR}/{name}"),
            contents: bytes.to_vec(),
        });
    }
    files.push(OutputFile {
        path: format!("{ASSETS_DIR}/highlight.css"),
        contents: highlight::stylesheet().into_bytes(),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// One output page to render.
enum Job {
    Dashboard,
    NotFound,
    Page(usize),
    Section { article: usize, section: usize },
}

fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![Job::Dashboard, Job::NotFound];
    for (index, page) in site.pages.iter().enumerate() {
        jobs.push(Job::Page(index));
        if let Some(article) = page.article {
            for section in 0..site.articles[article].sections.len() {
                jobs.push(Job::Section { article, section });
            }
        }
    }
    jobs
}

fn compile(site: &Site, theme: &Theme) -> Result<Tera, Diagnostic> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_str())),
    )
    .map_err(|err| template_error(&theme.name, err))?;
    let globals = tera.global_context();
    globals.insert("site", &SiteView::new(site));
    globals.insert("nav", &NavView::new(site));
    Ok(tera)
}

fn template_error(theme: &str, err: tera::Error) -> Diagnostic {
    Diagnostic::error(Code::TemplateInvalid, format!("theme `{theme}`: {err}"))
        .with_help("fix the template named above; `ppdocs check` shows the same error without writing anything")
}

fn render_job(tera: &Tera, site: &Site, job: &Job) -> Result<OutputFile, Diagnostic> {
    let (template, path, context) = match *job {
        Job::Dashboard => (
            "index.html",
            "index.html".to_string(),
            dashboard_context(site),
        ),
        Job::NotFound => ("404.html", "404.html".to_string(), not_found_context(site)),
        Job::Page(index) => {
            let page = &site.pages[index];
            let template = if page.article.is_some() {
                "article.html"
            } else {
                "page.html"
            };
            (
                template,
                page.document.output.clone(),
                page_context(tera, site, index)?,
            )
        }
        Job::Section { article, section } => {
            let output = site.articles[article].sections[section].output.clone();
            (
                "section.html",
                output,
                section_context(tera, site, article, section)?,
            )
        }
    };
    let html = tera
        .render(template, &context)
        .map_err(|err| template_error(&site_theme(site), err))?;
    Ok(OutputFile {
        path,
        contents: html.into_bytes(),
    })
}

fn site_theme(site: &Site) -> String {
    site.config.theme.clone()
}

/// What every template sees as `site`.
#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: Option<&'a str>,
    language: &'a str,
    generator: String,
    articles: usize,
    sections: usize,
    tasks: usize,
}

impl<'a> SiteView<'a> {
    fn new(site: &'a Site) -> Self {
        SiteView {
            title: &site.config.title,
            description: &site.config.description,
            base_url: site.config.base_url.as_deref(),
            language: &site.config.language,
            generator: format!("ppdocs {}", env!("CARGO_PKG_VERSION")),
            articles: site.articles.len(),
            sections: site.section_count(),
            tasks: site.tasks.len(),
        }
    }
}

/// The sidebar: articles with their sections, then the other pages. URLs are relative to
/// the output root; templates prefix them with `root`.
#[derive(Serialize)]
struct NavView {
    articles: Vec<NavArticle>,
    pages: Vec<NavLink>,
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

impl NavView {
    fn new(site: &Site) -> Self {
        let articles = site
            .articles
            .iter()
            .map(|article| {
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
            })
            .collect();
        let pages = site
            .pages
            .iter()
            .filter(|p| p.article.is_none())
            .map(|p| NavLink {
                title: p.document.title.clone(),
                url: p.document.output.clone(),
            })
            .collect();
        NavView { articles, pages }
    }
}

#[derive(Serialize)]
struct StatusCount {
    status: &'static str,
    label: &'static str,
    count: usize,
}

/// Counts and progress for a group of tasks. Progress is done over applicable tasks.
#[derive(Serialize)]
struct Progress {
    total: usize,
    done: usize,
    applicable: usize,
    percent: usize,
    counts: Vec<StatusCount>,
}

impl Progress {
    fn of(site: &Site, tasks: Range<usize>) -> Self {
        let counts = site.count_by_status(tasks.clone());
        let get =
            |status: Status| counts[Status::ALL.iter().position(|s| *s == status).unwrap_or(0)];
        let total = tasks.len();
        let done = get(Status::Done);
        let applicable = total - get(Status::NotApplicable);
        let percent = (done * 100).checked_div(applicable).unwrap_or(0);
        Progress {
            total,
            done,
            applicable,
            percent,
            counts: Status::ALL
                .iter()
                .zip(counts)
                .map(|(s, count)| StatusCount {
                    status: s.as_str(),
                    label: s.label(),
                    count,
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct TaskView<'a> {
    id: &'a str,
    html: &'a str,
    text: &'a str,
    status: &'static str,
    status_label: &'static str,
    /// The section page, relative to the output root.
    section_url: &'a str,
}

fn task_views<'a>(site: &'a Site, tasks: Range<usize>) -> Vec<TaskView<'a>> {
    site.tasks[tasks]
        .iter()
        .map(|task| TaskView {
            id: &task.id.0,
            html: &task.html,
            text: &task.text,
            status: task.status.as_str(),
            status_label: task.status.label(),
            section_url: &site.articles[task.article].sections[task.section].output,
        })
        .collect()
}

#[derive(Serialize)]
struct SectionView<'a> {
    title: &'a str,
    anchor: &'a str,
    prefix: &'a str,
    url: &'a str,
    progress: Progress,
}

#[derive(Serialize)]
struct ArticleView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    url: &'a str,
    progress: Progress,
    sections: Vec<SectionView<'a>>,
}

fn article_view<'a>(site: &'a Site, article: &'a Article) -> ArticleView<'a> {
    let document = &site.pages[article.page].document;
    ArticleView {
        title: &document.title,
        description: document.front_matter.description.as_deref(),
        url: &document.output,
        progress: Progress::of(site, article.tasks()),
        sections: article
            .sections
            .iter()
            .map(|s| SectionView {
                title: &s.title,
                anchor: &s.anchor,
                prefix: &s.prefix,
                url: &s.output,
                progress: Progress::of(site, s.tasks.clone()),
            })
            .collect(),
    }
}

/// What templates see as `page`.
#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    /// ISO date (`2025-05-14`) and a readable one (`14 May 2025`).
    date: Option<String>,
    date_display: Option<String>,
    /// Every front-matter key as written: `page.meta["ms.author"]`.
    meta: &'a serde_yaml::Mapping,
    source: String,
    url: &'a str,
}

fn page_view(document: &Document) -> PageView<'_> {
    PageView {
        title: &document.title,
        description: document.front_matter.description.as_deref(),
        date: document
            .front_matter
            .date
            .map(|d| d.format("%Y-%m-%d").to_string()),
        date_display: document
            .front_matter
            .date
            .map(|d| d.format("%-d %B %Y").to_string()),
        meta: &document.front_matter.meta,
        source: document.source.to_string_lossy().replace('\\', "/"),
        url: &document.output,
    }
}

#[derive(Serialize)]
struct Crumb<'a> {
    title: &'a str,
    url: &'a str,
}

/// The parts every page's context starts with.
fn base_context(output: &str) -> Context {
    let mut context = Context::new();
    context.insert("root", &urls::root_prefix(output));
    context.insert("current_url", output);
    context
}

fn dashboard_context(site: &Site) -> Context {
    let mut context = base_context("index.html");
    let all = 0..site.tasks.len();
    context.insert("progress", &Progress::of(site, all));
    let articles: Vec<ArticleView<'_>> = site
        .articles
        .iter()
        .map(|a| article_view(site, a))
        .collect();
    context.insert("articles", &articles);
    if let Some(home) = &site.home {
        context.insert("page", &page_view(home));
        context.insert("body", &plain_body(&home.parts));
    }
    context
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

fn page_context(tera: &Tera, site: &Site, index: usize) -> Result<Context, Diagnostic> {
    let page = &site.pages[index];
    let document = &page.document;
    let mut context = base_context(&document.output);
    context.insert("page", &page_view(document));
    let mut crumbs = vec![Crumb {
        title: "Dashboard",
        url: "index.html",
    }];
    match page.article {
        Some(article_index) => {
            let article = &site.articles[article_index];
            let body = article_body(tera, site, article_index, &document.parts, &document.output)?;
            context.insert("body", &body);
            context.insert("article", &article_view(site, article));
            context.insert("current_article", &document.output);
            if let Some(first) = article.sections.first() {
                context.insert(
                    "next",
                    &Crumb {
                        title: &first.title,
                        url: &first.output,
                    },
                );
            }
        }
        None => {
            context.insert("body", &plain_body(&document.parts));
        }
    }
    crumbs.push(Crumb {
        title: &document.title,
        url: &document.output,
    });
    context.insert("breadcrumbs", &crumbs);
    Ok(context)
}

fn section_context(
    tera: &Tera,
    site: &Site,
    article_index: usize,
    section_index: usize,
) -> Result<Context, Diagnostic> {
    let article = &site.articles[article_index];
    let section = &article.sections[section_index];
    let document = &site.pages[article.page].document;
    let mut context = base_context(&section.output);
    context.insert("page", &page_view(document));
    context.insert("article", &article_view(site, article));
    context.insert("current_article", &document.output);
    context.insert("current_section", &section.output);
    context.insert(
        "section",
        &SectionView {
            title: &section.title,
            anchor: &section.anchor,
            prefix: &section.prefix,
            url: &section.output,
            progress: Progress::of(site, section.tasks.clone()),
        },
    );
    context.insert("tasks", &task_views(site, section.tasks.clone()));
    let intro = section_body(
        tera,
        site,
        article_index,
        section_index,
        &document.parts,
        &section.output,
    )?;
    context.insert("body", &intro);
    let crumbs = [
        Crumb {
            title: "Dashboard",
            url: "index.html",
        },
        Crumb {
            title: &document.title,
            url: &document.output,
        },
        Crumb {
            title: &section.title,
            url: &section.output,
        },
    ];
    context.insert("breadcrumbs", &crumbs);
    let prev = match section_index {
        0 => Crumb {
            title: &document.title,
            url: &document.output,
        },
        n => Crumb {
            title: &article.sections[n - 1].title,
            url: &article.sections[n - 1].output,
        },
    };
    context.insert("prev", &prev);
    if let Some(next) = article.sections.get(section_index + 1) {
        context.insert(
            "next",
            &Crumb {
                title: &next.title,
                url: &next.output,
            },
        );
    }
    Ok(context)
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

/// The article's whole body, each checklist replaced by its tasks with their statuses.
fn article_body(
    tera: &Tera,
    site: &Site,
    article: usize,
    parts: &[BodyPart],
    output: &str,
) -> Result<String, Diagnostic> {
    let mut html = String::new();
    for part in parts {
        match part {
            BodyPart::Html(text) => html.push_str(text),
            BodyPart::Checklist { section, tasks } => {
                html.push_str(&checklist(tera, site, article, *section, tasks, output)?)
            }
            BodyPart::SectionStart(_) | BodyPart::SectionBody(_) => {}
        }
    }
    Ok(html)
}

/// The body of one section, from just after its heading to the next `##`.
fn section_body(
    tera: &Tera,
    site: &Site,
    article: usize,
    section: usize,
    parts: &[BodyPart],
    output: &str,
) -> Result<String, Diagnostic> {
    // Sections in `parts` are numbered over all `##` headings; the site keeps only those
    // with tasks. Find this one by its anchor.
    let anchor = &site.articles[article].sections[section].anchor;
    let page = &site.pages[site.articles[article].page].document;
    let Some(draft_index) = page.sections.iter().position(|s| &s.anchor == anchor) else {
        return Ok(String::new());
    };
    let mut html = String::new();
    let mut inside = false;
    for part in parts {
        match part {
            BodyPart::SectionBody(n) if *n == draft_index => inside = true,
            BodyPart::SectionStart(_) if inside => break,
            BodyPart::Html(text) if inside => html.push_str(text),
            BodyPart::Checklist { section: s, tasks } if inside => {
                html.push_str(&checklist(tera, site, article, *s, tasks, output)?);
            }
            _ => {}
        }
    }
    Ok(html)
}

/// The rendered `partials/checklist.html` for tasks `tasks` of draft section `draft`.
fn checklist(
    tera: &Tera,
    site: &Site,
    article: usize,
    draft: usize,
    tasks: &Range<usize>,
    output: &str,
) -> Result<String, Diagnostic> {
    let article_ref = &site.articles[article];
    let page = &site.pages[article_ref.page].document;
    let anchor = &page.sections[draft].anchor;
    let Some(section) = article_ref.sections.iter().find(|s| &s.anchor == anchor) else {
        return Ok(String::new());
    };
    let start = section.tasks.start + tasks.start;
    let end = section.tasks.start + tasks.end;
    let mut context = base_context(output);
    context.insert("tasks", &task_views(site, start..end));
    tera.render("partials/checklist.html", &context)
        .map_err(|err| template_error(&site.config.theme, err))
}

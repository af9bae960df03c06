//! What templates see: small serializable views over the [`Site`], built per page.
//! URLs in views are relative to the output root; templates prefix them with `root`.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::parse::Document;
use crate::site::{Article, Record, Site, Status};

#[derive(Serialize)]
pub struct StatusCount {
    pub status: &'static str,
    pub label: &'static str,
    pub count: usize,
}

/// Counts and progress for a group of tasks. Progress is done over applicable tasks.
#[derive(Serialize)]
pub struct Progress {
    pub total: usize,
    pub done: usize,
    pub applicable: usize,
    pub percent: usize,
    pub counts: Vec<StatusCount>,
}

impl Progress {
    pub fn of(site: &Site, tasks: impl IntoIterator<Item = usize>) -> Self {
        let counts = site.count_by_status(tasks);
        let total: usize = counts.iter().sum();
        let done = counts[Status::Done.index()];
        let applicable = total - counts[Status::NotApplicable.index()];
        Progress {
            total,
            done,
            applicable,
            percent: (done * 100).checked_div(applicable).unwrap_or(0),
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

/// A link to a record from a task row.
#[derive(Serialize)]
pub struct RecordLink<'a> {
    pub title: &'a str,
    pub collected: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct TaskView<'a> {
    pub id: &'a str,
    pub html: &'a str,
    pub text: &'a str,
    pub status: &'static str,
    pub status_label: &'static str,
    pub owner: Option<&'a str>,
    pub last_collected: Option<String>,
    pub expires: Option<String>,
    pub due_for_review: bool,
    pub frameworks: &'a [String],
    pub section_title: &'a str,
    /// The section page and the task's row on it.
    pub url: String,
    /// The task in its section's appendix.
    pub appendix_url: String,
    pub records: Vec<RecordLink<'a>>,
    /// Training modules for this task.
    pub modules: Vec<ModuleLink<'a>>,
}

#[derive(Serialize)]
pub struct ModuleLink<'a> {
    pub title: &'a str,
    pub url: &'a str,
}

pub fn task_view(site: &Site, index: usize) -> TaskView<'_> {
    let task = &site.tasks[index];
    let section = &site.articles[task.article].sections[task.section];
    TaskView {
        id: &task.id.0,
        html: &task.html,
        text: &task.text,
        status: task.status.as_str(),
        status_label: task.status.label(),
        owner: task.owner.as_deref(),
        last_collected: task.last_collected.map(|d| d.to_string()),
        expires: task.expires.map(|d| d.to_string()),
        due_for_review: task.due_for_review,
        frameworks: &task.frameworks,
        section_title: &section.title,
        url: format!("{}#task-{}", section.output, task.id),
        appendix_url: format!("{}#task-{}", section.appendix, task.id),
        modules: task
            .modules
            .iter()
            .map(|&m| {
                let document = &site.pages[site.modules[m].page].document;
                ModuleLink {
                    title: &document.title,
                    url: &document.output,
                }
            })
            .collect(),
        records: task
            .records
            .iter()
            .map(|&r| {
                let record = &site.records[r].evidence;
                RecordLink {
                    title: &record.title,
                    collected: record.collected.to_string(),
                    url: format!("{}#{}", section.appendix, record.anchor),
                }
            })
            .collect(),
    }
}

pub fn task_views(site: &Site, tasks: impl IntoIterator<Item = usize>) -> Vec<TaskView<'_>> {
    tasks.into_iter().map(|i| task_view(site, i)).collect()
}

#[derive(Serialize)]
pub struct AttachmentView<'a> {
    pub name: &'a str,
    pub url: String,
    pub sha256: &'a str,
    pub size: u64,
    pub size_display: String,
}

#[derive(Serialize)]
pub struct TaskRef<'a> {
    pub id: &'a str,
    pub url: String,
}

/// A record as an appendix shows it. `full` is false where the record was already shown
/// in full earlier on the same page; then only a reference to it is rendered.
#[derive(Serialize)]
pub struct RecordView<'a> {
    pub full: bool,
    pub anchor: &'a str,
    pub title: &'a str,
    pub file: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub owner: &'a str,
    pub collected: String,
    pub expires: Option<String>,
    pub frameworks: Vec<&'a str>,
    pub links: &'a [String],
    pub justification: Option<&'a str>,
    pub notes_html: &'a str,
    pub attachments: Vec<AttachmentView<'a>>,
    pub tasks: Vec<TaskRef<'a>>,
}

/// Builds record views for one page, showing each record in full only once.
#[derive(Default)]
pub struct RecordPrinter<'p> {
    shown: HashSet<usize>,
    /// For a page rendered in parts: the part each record first appears in, and this part.
    part: Option<(&'p [usize], usize)>,
}

impl<'p> RecordPrinter<'p> {
    /// The printer of part `part` of a page whose parts render separately: a record is
    /// shown in full only in the part it first appears in (`first_part[record]`).
    pub fn for_part(first_part: &'p [usize], part: usize) -> Self {
        RecordPrinter {
            shown: HashSet::new(),
            part: Some((first_part, part)),
        }
    }

    fn first_time(&mut self, index: usize) -> bool {
        let in_this_part = self
            .part
            .is_none_or(|(first_part, part)| first_part[index] == part);
        in_this_part && self.shown.insert(index)
    }

    pub fn view<'a>(&mut self, site: &'a Site, index: usize) -> RecordView<'a> {
        let Record {
            evidence,
            tasks,
            attachments,
            ..
        } = &site.records[index];
        let status = match evidence.status {
            crate::parse::evidence::RecordStatus::Done => Status::Done,
            crate::parse::evidence::RecordStatus::InProgress => Status::InProgress,
            crate::parse::evidence::RecordStatus::NotApplicable => Status::NotApplicable,
        };
        RecordView {
            full: self.first_time(index),
            anchor: &evidence.anchor,
            title: &evidence.title,
            file: evidence.file.to_string_lossy().replace('\\', "/"),
            status: status.as_str(),
            status_label: status.label(),
            owner: &evidence.owner,
            collected: evidence.collected.to_string(),
            expires: evidence.expires.map(|d| d.to_string()),
            frameworks: evidence
                .frameworks
                .iter()
                .map(|f| f.value.as_str())
                .collect(),
            links: &evidence.links,
            justification: evidence.justification.as_deref(),
            notes_html: &evidence.notes_html,
            attachments: attachments
                .iter()
                .map(|a| AttachmentView {
                    name: &a.name,
                    url: crate::urls::encode_path(&a.output),
                    sha256: &a.sha256,
                    size: a.size,
                    size_display: human_size(a.size),
                })
                .collect(),
            tasks: tasks
                .iter()
                .map(|&t| {
                    let task = &site.tasks[t];
                    TaskRef {
                        id: &task.id.0,
                        url: format!(
                            "{}#task-{}",
                            site.articles[task.article].sections[task.section].appendix, task.id
                        ),
                    }
                })
                .collect(),
        }
    }
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} bytes"),
        b if b < 1024 * 1024 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// A task with its full evidence history, for appendices.
#[derive(Serialize)]
pub struct TaskHistory<'a> {
    pub task: TaskView<'a>,
    pub records: Vec<RecordView<'a>>,
}

pub fn task_history<'a>(
    site: &'a Site,
    index: usize,
    printer: &mut RecordPrinter<'_>,
) -> TaskHistory<'a> {
    TaskHistory {
        task: task_view(site, index),
        records: site.tasks[index]
            .records
            .iter()
            .map(|&r| printer.view(site, r))
            .collect(),
    }
}

#[derive(Serialize)]
pub struct SectionView<'a> {
    pub title: &'a str,
    pub anchor: &'a str,
    pub prefix: &'a str,
    pub url: &'a str,
    pub appendix_url: &'a str,
    pub article_title: &'a str,
    pub progress: Progress,
}

pub fn section_view<'a>(site: &'a Site, article: &'a Article, section: usize) -> SectionView<'a> {
    let s = &article.sections[section];
    SectionView {
        title: &s.title,
        anchor: &s.anchor,
        prefix: &s.prefix,
        url: &s.output,
        appendix_url: &s.appendix,
        article_title: &site.pages[article.page].document.title,
        progress: Progress::of(site, s.tasks.clone()),
    }
}

#[derive(Serialize)]
pub struct ArticleView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub url: &'a str,
    pub progress: Progress,
    pub sections: Vec<SectionView<'a>>,
}

pub fn article_view<'a>(site: &'a Site, article: &'a Article) -> ArticleView<'a> {
    let document = &site.pages[article.page].document;
    ArticleView {
        title: &document.title,
        description: document.front_matter.description.as_deref(),
        url: &document.output,
        progress: Progress::of(site, article.tasks()),
        sections: (0..article.sections.len())
            .map(|s| section_view(site, article, s))
            .collect(),
    }
}

/// What templates see as `page`.
#[derive(Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    /// ISO date (`2025-05-14`) and a readable one (`14 May 2025`).
    pub date: Option<String>,
    pub date_display: Option<String>,
    /// Every front-matter key as written: `page.meta["ms.author"]`.
    pub meta: &'a serde_yaml::Mapping,
    pub source: String,
    pub url: &'a str,
}

pub fn page_view(document: &Document) -> PageView<'_> {
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
pub struct OwnerView<'a> {
    pub owner: &'a str,
    pub progress: Progress,
    pub tasks: Vec<TaskView<'a>>,
}

/// Tasks grouped by the owner of their newest record, owners sorted by name.
pub fn owners(site: &Site) -> Vec<OwnerView<'_>> {
    let mut by_owner: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, task) in site.tasks.iter().enumerate() {
        if let Some(owner) = &task.owner {
            by_owner.entry(owner).or_default().push(i);
        }
    }
    by_owner
        .into_iter()
        .map(|(owner, tasks)| OwnerView {
            owner,
            progress: Progress::of(site, tasks.iter().copied()),
            tasks: task_views(site, tasks),
        })
        .collect()
}

#[derive(Serialize)]
pub struct Crumb<'a> {
    pub title: &'a str,
    pub url: &'a str,
}

impl<'a> Crumb<'a> {
    pub const fn new(title: &'a str, url: &'a str) -> Self {
        Crumb { title, url }
    }
}

/// A training module as the hub and its own page show it.
#[derive(Serialize)]
pub struct ModuleView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub url: &'a str,
    pub audience: Vec<&'static str>,
    pub audience_labels: Vec<&'static str>,
    pub duration: u32,
    pub level: &'static str,
    pub tags: &'a [String],
    pub tasks: Vec<TaskView<'a>>,
    pub last_delivered: Option<String>,
    pub last_attendees: Option<u32>,
    pub sessions: usize,
    pub people: u32,
    pub records: Vec<RecordLink<'a>>,
}

pub fn module_view(site: &Site, index: usize) -> ModuleView<'_> {
    let module = &site.modules[index];
    let document = &site.pages[module.page].document;
    let last = module.last_delivered(&site.records);
    let (sessions, people) = module.delivered_totals(&site.records);
    ModuleView {
        slug: &module.slug,
        title: &document.title,
        description: document.front_matter.description.as_deref(),
        url: &document.output,
        audience: module.meta.audience.iter().map(|a| a.as_str()).collect(),
        audience_labels: module.meta.audience.iter().map(|a| a.label()).collect(),
        duration: module.meta.duration,
        level: module.meta.level.as_str(),
        tags: &module.meta.tags,
        tasks: task_views(site, module.tasks.iter().copied()),
        last_delivered: last.map(|(date, _)| date.to_string()),
        last_attendees: last.map(|(_, n)| n),
        sessions,
        people,
        records: module
            .records
            .iter()
            .map(|&r| {
                let record = &site.records[r];
                let appendix = record
                    .tasks
                    .first()
                    .map(|&t| {
                        site.articles[site.tasks[t].article].sections[site.tasks[t].section]
                            .appendix
                            .as_str()
                    })
                    .unwrap_or_default();
                RecordLink {
                    title: &record.evidence.title,
                    collected: record.evidence.collected.to_string(),
                    url: format!("{appendix}#{}", record.evidence.anchor),
                }
            })
            .collect(),
    }
}

/// One audience's learning path: its modules in order, and the time they take.
#[derive(Serialize)]
pub struct PathView<'a> {
    pub audience: &'static str,
    pub label: &'static str,
    pub minutes: u32,
    pub modules: Vec<ModuleView<'a>>,
}

/// Modules in learning-path order: by `order`, then those without one, by title.
pub fn path_order(site: &Site) -> Vec<usize> {
    let mut order: Vec<usize> = (0..site.modules.len()).collect();
    order.sort_by(|&a, &b| {
        let key = |i: usize| {
            let module = &site.modules[i];
            (
                module.meta.order.unwrap_or(i64::MAX),
                site.pages[module.page].document.title.to_lowercase(),
            )
        };
        key(a).cmp(&key(b))
    });
    order
}

pub fn learning_paths(site: &Site) -> Vec<PathView<'_>> {
    let ordered = path_order(site);
    crate::parse::training::Audience::ALL
        .iter()
        .filter_map(|&audience| {
            let modules: Vec<usize> = ordered
                .iter()
                .copied()
                .filter(|&m| site.modules[m].meta.audience.contains(&audience))
                .collect();
            (!modules.is_empty()).then(|| PathView {
                audience: audience.as_str(),
                label: audience.label(),
                minutes: modules.iter().map(|&m| site.modules[m].meta.duration).sum(),
                modules: modules.into_iter().map(|m| module_view(site, m)).collect(),
            })
        })
        .collect()
}

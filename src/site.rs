//! The linked site: every page, checklist article, section and task, with IDs assigned and
//! cross-references resolved. `link` builds it; `render` only reads it.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

use serde::Serialize;

use crate::config::Config;
use crate::parse::Document;

/// A task's identifier: short, typable, unique across the site (`TP-02`, `SE:01`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct TaskId(pub String);

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a task stands. Without evidence every task is `NotStarted`: the check marks in
/// Microsoft's checklist are a template, not the organisation's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Done,
    InProgress,
    NotStarted,
    NotApplicable,
    Expired,
}

impl Status {
    /// Every status, in the order the dashboard lists them.
    pub const ALL: [Status; 5] = [
        Status::Done,
        Status::InProgress,
        Status::NotStarted,
        Status::Expired,
        Status::NotApplicable,
    ];

    /// The kebab-case name used in `data-status` attributes and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::InProgress => "in-progress",
            Status::NotStarted => "not-started",
            Status::NotApplicable => "not-applicable",
            Status::Expired => "expired",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Done => "Done",
            Status::InProgress => "In progress",
            Status::NotStarted => "Not started",
            Status::NotApplicable => "Not applicable",
            Status::Expired => "Expired",
        }
    }
}

/// One checklist item.
#[derive(Clone, Debug)]
pub struct Task {
    pub id: TaskId,
    pub article: usize,
    pub section: usize,
    /// The task text rendered as inline HTML (links, bold...).
    pub html: String,
    pub text: String,
    pub status: Status,
    pub file: PathBuf,
    pub span: Range<usize>,
}

/// A `##` section of a checklist article, which gets a page of its own.
#[derive(Clone, Debug)]
pub struct Section {
    pub title: String,
    /// The heading's id on the article page.
    pub anchor: String,
    /// The prefix of derived task IDs (`TP`).
    pub prefix: String,
    pub output: String,
    /// Indices into [`Site::tasks`].
    pub tasks: Range<usize>,
}

/// A page holding checklist tables.
#[derive(Clone, Debug)]
pub struct Article {
    /// Index into [`Site::pages`].
    pub page: usize,
    pub sections: Vec<Section>,
}

impl Article {
    /// The article's tasks, as indices into [`Site::tasks`].
    pub fn tasks(&self) -> Range<usize> {
        let start = self.sections.first().map_or(0, |s| s.tasks.start);
        let end = self.sections.last().map_or(0, |s| s.tasks.end);
        start..end
    }
}

/// Every content page, with the article it is (if it is one).
#[derive(Clone, Debug)]
pub struct Page {
    pub document: Document,
    pub article: Option<usize>,
}

/// Everything `render` needs, and nothing it must not see.
#[derive(Clone, Debug)]
pub struct Site {
    pub config: Config,
    /// Every page but the home page, ordered by source path.
    pub pages: Vec<Page>,
    /// `content/index.md`: the dashboard's introduction, when present.
    pub home: Option<Document>,
    pub articles: Vec<Article>,
    pub tasks: Vec<Task>,
    /// Static files under `content/`: (output path, source path).
    pub static_files: Vec<(String, PathBuf)>,
}

impl Site {
    /// How many of `tasks` are in each status, in [`Status::ALL`] order.
    pub fn count_by_status(&self, tasks: Range<usize>) -> [usize; 5] {
        let mut counts = [0; 5];
        for task in &self.tasks[tasks] {
            let slot = Status::ALL
                .iter()
                .position(|s| *s == task.status)
                .unwrap_or(0);
            counts[slot] += 1;
        }
        counts
    }

    pub fn section_count(&self) -> usize {
        self.articles.iter().map(|a| a.sections.len()).sum()
    }
}

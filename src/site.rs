//! The linked site: every page, checklist article, section and task, with IDs assigned and
//! cross-references resolved. `link` builds it; `render` only reads it.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use chrono::NaiveDate;

use crate::config::Config;
use crate::parse::Document;
use crate::parse::evidence::EvidenceRecord;
use crate::parse::training::ModuleMeta;

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

    /// This status's place in [`Status::ALL`].
    pub fn index(self) -> usize {
        Status::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

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
#[derive(Clone, Debug, Hash)]
pub struct Task {
    pub id: TaskId,
    pub article: usize,
    pub section: usize,
    /// The task text rendered as inline HTML (links, bold...).
    pub html: String,
    pub text: String,
    pub status: Status,
    /// Evidence about this task, as indices into [`Site::records`], newest first.
    pub records: Vec<usize>,
    /// From the newest record.
    pub owner: Option<String>,
    pub last_collected: Option<NaiveDate>,
    pub expires: Option<NaiveDate>,
    /// Done, but the evidence expires within the review window.
    pub due_for_review: bool,
    /// Frameworks whose controls this task addresses.
    pub frameworks: Vec<String>,
    /// When `ppdocs.lock` knows an earlier wording of this task.
    pub text_change: Option<TextChange>,
    /// Training modules that train for this task, as indices into [`Site::modules`].
    pub modules: Vec<usize>,
    pub file: PathBuf,
    pub span: Range<usize>,
}

/// An earlier wording of a task, and when it changed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TextChange {
    pub previous: String,
    pub changed: NaiveDate,
}

/// An evidence record linked to its tasks and attachments.
#[derive(Clone, Debug, Hash)]
pub struct Record {
    /// Shared with `serve`'s parse cache, which hands it to every rebuild.
    pub evidence: Arc<EvidenceRecord>,
    /// Indices into [`Site::tasks`].
    pub tasks: Vec<usize>,
    pub attachments: Vec<Attachment>,
    /// The training module a training record delivered, as an index into [`Site::modules`].
    pub module: Option<usize>,
}

/// A training module for makers, developers or admins.
#[derive(Clone, Debug)]
pub struct TrainingModule {
    /// Index into [`Site::pages`].
    pub page: usize,
    /// The file name without `.md`, as training records name it.
    pub slug: String,
    pub meta: ModuleMeta,
    /// Indices into [`Site::tasks`].
    pub tasks: Vec<usize>,
    /// Training records that delivered it, as indices into [`Site::records`], newest first.
    pub records: Vec<usize>,
}

impl TrainingModule {
    /// The most recent session: its date and how many attended.
    pub fn last_delivered(&self, records: &[Record]) -> Option<(NaiveDate, u32)> {
        self.records
            .iter()
            .flat_map(|&r| records[r].evidence.sessions.iter())
            .max_by_key(|s| s.date)
            .map(|s| (s.date, s.attendees))
    }

    /// Sessions and attendees over all training records.
    pub fn delivered_totals(&self, records: &[Record]) -> (usize, u32) {
        let sessions = self
            .records
            .iter()
            .flat_map(|&r| records[r].evidence.sessions.iter());
        sessions.fold((0, 0), |(n, people), s| (n + 1, people + s.attendees))
    }
}

/// A file attached to a record, copied into the site.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Attachment {
    /// As written in the record.
    pub name: String,
    /// Output path: `evidence/threat-protection/rules.json`.
    pub output: String,
    pub sha256: String,
    pub size: u64,
}

/// A regulation or standard and the tasks that address its controls.
#[derive(Clone, Debug)]
pub struct Framework {
    pub id: String,
    pub name: String,
    pub url: Option<String>,
    pub description: Option<String>,
    pub controls: Vec<Control>,
    /// Records tagged with this framework, as indices into [`Site::records`].
    pub records: Vec<usize>,
    pub output: String,
}

#[derive(Clone, Debug)]
pub struct Control {
    pub id: String,
    pub title: String,
    /// Indices into [`Site::tasks`].
    pub tasks: Vec<usize>,
}

/// How the checklist differs from `ppdocs.lock`.
#[derive(Clone, Debug, Default)]
pub struct LockReport {
    pub present: bool,
    /// Tasks with no entry in the lock (indices into [`Site::tasks`]).
    pub new: Vec<usize>,
    /// Tasks matched to an entry with different text.
    pub reworded: Vec<usize>,
    /// IDs in the lock that no task has any more.
    pub removed: Vec<String>,
}

impl LockReport {
    pub fn is_current(&self) -> bool {
        self.new.is_empty() && self.reworded.is_empty() && self.removed.is_empty()
    }
}

/// A `##` section of a checklist article, which gets a page of its own.
#[derive(Clone, Debug, Hash)]
pub struct Section {
    pub title: String,
    /// The heading's id on the article page.
    pub anchor: String,
    /// The prefix of derived task IDs (`TP`).
    pub prefix: String,
    pub output: String,
    /// Indices into [`Site::tasks`].
    pub tasks: Range<usize>,
    /// The section's compliance-record appendix.
    pub appendix: String,
    /// The section's position among all sections of the site; its appendix's letter.
    pub number: usize,
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

/// Every content page, with the article or training module it is (if it is one).
#[derive(Clone, Debug)]
pub struct Page {
    /// Shared with `serve`'s parse cache, which hands it to every rebuild.
    pub document: Arc<Document>,
    pub article: Option<usize>,
    pub module: Option<usize>,
}

/// Everything `render` needs, and nothing it must not see.
#[derive(Clone, Debug)]
pub struct Site {
    pub config: Config,
    /// Every page but the home page, ordered by source path.
    pub pages: Vec<Page>,
    /// `content/index.md`: the dashboard's introduction, when present.
    pub home: Option<Arc<Document>>,
    /// `content/training/index.md`: the training hub's introduction, when present.
    pub training_home: Option<Arc<Document>>,
    pub modules: Vec<TrainingModule>,
    pub articles: Vec<Article>,
    pub tasks: Vec<Task>,
    /// Files to copy into the site: (output path, source path). Attachments are included
    /// only when a record names them.
    pub static_files: Vec<(String, PathBuf)>,
    /// The day statuses are computed for (`--as-of`).
    pub as_of: NaiveDate,
    pub records: Vec<Record>,
    pub frameworks: Vec<Framework>,
    /// Files under `content/evidence/` that no record names (not published).
    pub orphan_attachments: Vec<String>,
    pub lock: LockReport,
}

impl Site {
    /// Every document: the pages, and the dashboard's and training hub's introductions.
    pub fn documents(&self) -> impl Iterator<Item = &Document> {
        self.pages
            .iter()
            .map(|p| &*p.document)
            .chain(self.home.as_deref())
            .chain(self.training_home.as_deref())
    }

    /// How many of `tasks` are in each status, in [`Status::ALL`] order.
    pub fn count_by_status(&self, tasks: impl IntoIterator<Item = usize>) -> [usize; 5] {
        let mut counts = [0; 5];
        for task in tasks {
            counts[self.tasks[task].status.index()] += 1;
        }
        counts
    }

    /// Every page, the dashboard's introduction included.
    pub fn page_count(&self) -> usize {
        self.pages.len() + usize::from(self.home.is_some())
    }

    /// Indices of tasks whose latest evidence expired.
    pub fn expired(&self) -> Vec<usize> {
        (0..self.tasks.len())
            .filter(|&i| self.tasks[i].status == Status::Expired)
            .collect()
    }

    /// Indices of done tasks whose evidence expires within the review window.
    pub fn due_for_review(&self) -> Vec<usize> {
        (0..self.tasks.len())
            .filter(|&i| self.tasks[i].due_for_review)
            .collect()
    }

    /// Tasks reworded (per `ppdocs.lock`) after their newest evidence was collected.
    pub fn reworded_since_evidence(&self) -> Vec<usize> {
        (0..self.tasks.len())
            .filter(|&i| {
                let task = &self.tasks[i];
                matches!((&task.text_change, task.last_collected), (Some(change), Some(collected)) if change.changed >= collected)
            })
            .collect()
    }

    pub fn section_count(&self) -> usize {
        self.articles.iter().map(|a| a.sections.len()).sum()
    }
}

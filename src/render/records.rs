//! `records.json` and `records.csv`: every task with its status and evidence, for auditors'
//! tools and spreadsheets. The JSON shape is documented in the README ("records.json").

use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::cache::{Fingerprints, RenderCache};
use crate::site::Site;

/// Bumped when the shape of `records.json` changes incompatibly.
const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct RecordsFile<'a> {
    schema_version: u32,
    generator: String,
    as_of: String,
    tasks: Vec<TaskRecord<'a>>,
}

#[derive(Serialize)]
struct TaskRecord<'a> {
    id: &'a str,
    article: &'a str,
    section: &'a str,
    text: &'a str,
    status: &'static str,
    due_for_review: bool,
    owner: Option<&'a str>,
    last_collected: Option<String>,
    expires: Option<String>,
    frameworks: &'a [String],
    /// The task on its section page, relative to the site root.
    url: String,
    records: Vec<EvidenceJson<'a>>,
}

#[derive(Serialize)]
struct EvidenceJson<'a> {
    id: &'a str,
    title: &'a str,
    file: String,
    status: crate::parse::evidence::RecordStatus,
    owner: &'a str,
    collected: String,
    expires: Option<String>,
    frameworks: Vec<&'a str>,
    justification: Option<&'a str>,
    links: &'a [String],
    notes: &'a str,
    attachments: Vec<AttachmentJson<'a>>,
    /// The record in its section's appendix, relative to the site root.
    url: String,
}

#[derive(Serialize)]
struct AttachmentJson<'a> {
    name: &'a str,
    path: &'a str,
    sha256: &'a str,
    size: u64,
}

fn task_records(site: &Site, tasks: Range<usize>) -> Vec<TaskRecord<'_>> {
    site.tasks[tasks]
        .iter()
        .map(|task| {
            let article = &site.articles[task.article];
            let section = &article.sections[task.section];
            TaskRecord {
                id: &task.id.0,
                article: &site.pages[article.page].document.title,
                section: &section.title,
                text: &task.text,
                status: task.status.as_str(),
                due_for_review: task.due_for_review,
                owner: task.owner.as_deref(),
                last_collected: task.last_collected.map(|d| d.to_string()),
                expires: task.expires.map(|d| d.to_string()),
                frameworks: &task.frameworks,
                url: format!("{}#task-{}", section.output, task.id),
                records: task
                    .records
                    .iter()
                    .map(|&r| {
                        let record = &site.records[r];
                        let e = &record.evidence;
                        EvidenceJson {
                            id: &e.anchor,
                            title: &e.title,
                            file: e.file.to_string_lossy().replace('\\', "/"),
                            status: e.status,
                            owner: &e.owner,
                            collected: e.collected.to_string(),
                            expires: e.expires.map(|d| d.to_string()),
                            frameworks: e.frameworks.iter().map(|f| f.value.as_str()).collect(),
                            justification: e.justification.as_deref(),
                            links: &e.links,
                            notes: &e.notes_text,
                            attachments: record
                                .attachments
                                .iter()
                                .map(|a| AttachmentJson {
                                    name: &a.name,
                                    path: &a.output,
                                    sha256: &a.sha256,
                                    size: a.size,
                                })
                                .collect(),
                            url: format!("{}#{}", section.appendix, e.anchor),
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

/// `records.json` in parts: the header, each article's tasks (see [`Chunk`]), the end.
pub fn records_json(site: &Site, chunks: &Chunks) -> Vec<Arc<[u8]>> {
    let header = serde_json::to_vec_pretty(&RecordsFile {
        schema_version: SCHEMA_VERSION,
        generator: format!("ppdocs {}", env!("CARGO_PKG_VERSION")),
        as_of: site.as_of.to_string(),
        tasks: Vec::new(),
    })
    .unwrap_or_default();
    // The header ends in `"tasks": []\n}`; the tasks go between the brackets.
    let Some(open) = header.iter().rposition(|&b| b == b'[') else {
        return vec![Arc::from(header)];
    };
    let (first, next): (Arc<[u8]>, Arc<[u8]>) =
        (Arc::from(&b"\n    "[..]), Arc::from(&b",\n    "[..]));
    let mut parts = vec![Arc::from(&header[..=open])];
    for chunk in chunks.iter().filter(|c| !c.json.is_empty()) {
        parts.push(if parts.len() == 1 {
            first.clone()
        } else {
            next.clone()
        });
        parts.push(chunk.json.clone());
    }
    if parts.len() > 1 {
        parts.push(Arc::from(&b"\n  "[..]));
    }
    let mut end = header[open + 1..].to_vec();
    end.push(b'\n');
    parts.push(Arc::from(end));
    parts
}

/// The parts of `records.json` and `records.csv` one article contributes: its tasks, in
/// the files' formats. Made per article in parallel, and kept by `serve` while the article
/// and its records do not change.
#[derive(Clone, Debug, Default)]
pub struct Chunk {
    /// The article's tasks as in `records.json`'s `tasks` array, indented for their place,
    /// separated by commas.
    pub json: Arc<[u8]>,
    /// The article's rows of `records.csv`.
    pub csv: Arc<[u8]>,
}

pub type Chunks = [Chunk];

/// Every article's chunk, in article order. With a cache (and the articles' fingerprints),
/// an article whose tasks and records did not change keeps its chunk.
pub(super) fn chunks(site: &Site, cache: Option<(&mut RenderCache, &Fingerprints)>) -> Vec<Chunk> {
    let Some((cache, fingerprints)) = cache else {
        return site
            .articles
            .par_iter()
            .map(|article| chunk(site, article.tasks()))
            .collect();
    };
    let made: Vec<(u64, Chunk)> = (0..site.articles.len())
        .into_par_iter()
        .map(|article| {
            let fingerprint = fingerprints.records(article);
            let chunk = match cache.records(article, fingerprint) {
                Some(chunk) => chunk.clone(),
                None => chunk(site, site.articles[article].tasks()),
            };
            (fingerprint, chunk)
        })
        .collect();
    let chunks = made.iter().map(|(_, chunk)| chunk.clone()).collect();
    cache.store_records(made);
    chunks
}

/// The chunk of the tasks `tasks` (one article's).
fn chunk(site: &Site, tasks: Range<usize>) -> Chunk {
    let records = task_records(site, tasks);
    let mut json = Vec::new();
    for (index, task) in records.iter().enumerate() {
        if index > 0 {
            json.extend_from_slice(b",\n    ");
        }
        let pretty = serde_json::to_vec_pretty(task).unwrap_or_default();
        // JSON strings cannot hold a raw newline, so every newline starts a line to indent.
        for (line, text) in pretty.split(|&b| b == b'\n').enumerate() {
            if line > 0 {
                json.extend_from_slice(b"\n    ");
            }
            json.extend_from_slice(text);
        }
    }
    Chunk {
        json: Arc::from(json),
        csv: Arc::from(csv_rows(&records)),
    }
}

/// The columns of `records.csv`.
const CSV_HEADER: [&str; 19] = [
    "task_id",
    "article",
    "section",
    "task",
    "status",
    "due_for_review",
    "owner",
    "last_collected",
    "expires",
    "frameworks",
    "record_id",
    "record_title",
    "record_file",
    "record_status",
    "record_owner",
    "record_collected",
    "record_expires",
    "justification",
    "attachments",
];

fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

/// `records.csv` in parts: one row per task and record (a task without evidence has one
/// row with empty record columns). UTF-8 with a byte-order mark and CRLF line ends, so
/// Excel opens it cleanly.
pub fn records_csv(chunks: &Chunks) -> Vec<Arc<[u8]>> {
    let mut writer = csv_writer();
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(CSV_HEADER);
    let mut header = b"\xEF\xBB\xBF".to_vec();
    header.extend(writer.into_inner().unwrap_or_default());
    std::iter::once(Arc::from(header))
        .chain(chunks.iter().map(|c| c.csv.clone()))
        .collect()
}

fn csv_rows(tasks: &[TaskRecord<'_>]) -> Vec<u8> {
    let mut writer = csv_writer();
    for task in tasks {
        let task_columns = [
            task.id.to_string(),
            task.article.to_string(),
            task.section.to_string(),
            task.text.to_string(),
            task.status.to_string(),
            task.due_for_review.to_string(),
            task.owner.unwrap_or_default().to_string(),
            task.last_collected.clone().unwrap_or_default(),
            task.expires.clone().unwrap_or_default(),
            task.frameworks.join("; "),
        ];
        if task.records.is_empty() {
            let mut row = task_columns.to_vec();
            row.extend(std::iter::repeat_n(
                String::new(),
                CSV_HEADER.len() - task_columns.len(),
            ));
            let _ = writer.write_record(&row);
        }
        for record in &task.records {
            let mut row = task_columns.to_vec();
            let status = serde_json::to_value(record.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            row.extend([
                record.id.to_string(),
                record.title.to_string(),
                record.file.clone(),
                status,
                record.owner.to_string(),
                record.collected.clone(),
                record.expires.clone().unwrap_or_default(),
                record.justification.unwrap_or_default().to_string(),
                record
                    .attachments
                    .iter()
                    .map(|a| format!("{} sha256:{} ({} bytes)", a.path, a.sha256, a.size))
                    .collect::<Vec<_>>()
                    .join("; "),
            ]);
            let _ = writer.write_record(&row);
        }
    }
    writer.into_inner().unwrap_or_default()
}

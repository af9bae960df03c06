//! `records.json` and `records.csv`: every task with its status and evidence, for auditors'
//! tools and spreadsheets. The JSON shape is documented in the README ("records.json").

use serde::Serialize;

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

fn task_records(site: &Site) -> Vec<TaskRecord<'_>> {
    site.tasks
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

pub fn records_json(site: &Site) -> Vec<u8> {
    let file = RecordsFile {
        schema_version: SCHEMA_VERSION,
        generator: format!("ppdocs {}", env!("CARGO_PKG_VERSION")),
        as_of: site.as_of.to_string(),
        tasks: task_records(site),
    };
    let mut bytes = serde_json::to_vec_pretty(&file).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// One row per task and record (a task without evidence has one row with empty record
/// columns). UTF-8 with a byte-order mark and CRLF line ends, so Excel opens it cleanly.
pub fn records_csv(site: &Site) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let header = [
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
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(header);
    for task in task_records(site) {
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
                header.len() - task_columns.len(),
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

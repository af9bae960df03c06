//! Evidence records: who did a task, when, the proof, and when it must be looked at again.
//!
//! One record per file under `content/evidence/`: YAML front matter and Markdown notes, or a
//! plain `.yaml` file. Every field is checked here, and each problem names the field's line.
//! Whether the task IDs, attachments and frameworks exist is checked by `link`.

use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;
use pulldown_cmark::{Event, Parser, html};
use serde::Serialize;
use serde_yaml::{Mapping, Value};

use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::load::{ContentFile, EVIDENCE_DIR};
use crate::parse::front_matter::{self, YamlProblem, find_key};
use crate::parse::markdown::{self, ROOT_PLACEHOLDER};
use crate::parse::sanitize;
use crate::parse::training::Audience;
use crate::urls;

/// The fields an evidence record may have.
pub const FIELDS: &[&str] = &[
    "title",
    "task",
    "status",
    "owner",
    "collected",
    "expires",
    "frameworks",
    "attachments",
    "links",
    "justification",
    "module",
    "sessions",
];

/// What a record says about its tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum RecordStatus {
    Done,
    InProgress,
    NotApplicable,
}

impl RecordStatus {
    const NAMES: [&'static str; 3] = ["done", "in-progress", "not-applicable"];

    fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "done" => Some(RecordStatus::Done),
            "in-progress" => Some(RecordStatus::InProgress),
            "not-applicable" => Some(RecordStatus::NotApplicable),
            _ => None,
        }
    }
}

/// One delivery of a training module.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Hash)]
pub struct Session {
    pub date: NaiveDate,
    pub audience: Vec<Audience>,
    pub attendees: u32,
}

/// A value and where it was written, for diagnostics.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Located<T> {
    pub value: T,
    pub span: Range<usize>,
}

/// One evidence record, with every field checked.
#[derive(Clone, Debug, Hash)]
pub struct EvidenceRecord {
    pub file: std::path::PathBuf,
    /// A stable anchor an auditor can cite: `record-threat-protection-sentinel-rules`.
    pub anchor: String,
    pub title: String,
    pub tasks: Vec<Located<String>>,
    pub status: RecordStatus,
    pub owner: String,
    pub collected: NaiveDate,
    pub expires: Option<NaiveDate>,
    pub frameworks: Vec<Located<String>>,
    pub attachments: Vec<Located<String>>,
    pub links: Vec<String>,
    pub justification: Option<String>,
    /// A training record names the module it delivered (`module: dlp-basics`).
    pub module: Option<Located<String>>,
    pub sessions: Vec<Session>,
    /// The notes as sanitized HTML: evidence is written by many people.
    pub notes_html: String,
    pub notes_text: String,
}

/// Where `needle` stands in `text` as a whole value: not inside a longer word (`TP-0` is
/// not found inside `TP-02`).
pub fn find_token(text: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':');
    text.match_indices(needle).map(|(i, _)| i).find(|&i| {
        let before = text[..i].chars().next_back();
        let after = text[i + needle.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

const SESSION_HELP: &str =
    "write each session as `- {date: 2026-10-01, audience: makers, attendees: 24}`";

/// Parses one evidence file, reporting every problem in it.
pub fn parse_evidence(file: &ContentFile) -> (Option<EvidenceRecord>, Vec<Diagnostic>) {
    let path = file.path.as_path();
    let is_markdown = path.extension().is_some_and(|e| e == "md");
    let (yaml, offset, body, body_offset) = if is_markdown || file.text.starts_with("---") {
        match front_matter::split(&file.text, path) {
            Ok(split) => match split.yaml {
                Some((yaml, offset)) => (yaml, offset, split.body, split.body_offset),
                None => {
                    let d = Diagnostic::error(Code::EvidenceInvalid, "an evidence file must start with front matter")
                        .at(path, 0..0)
                        .with_help("start the file with `---`, the fields (task, status, owner, collected), and `---`");
                    return (None, vec![d]);
                }
            },
            Err(d) => return (None, vec![d]),
        }
    } else {
        (&file.text[..], 0, "", file.text.len())
    };
    let map = match serde_yaml::from_str::<Value>(yaml) {
        Ok(Value::Mapping(map)) => map,
        Ok(_) => {
            let d = Diagnostic::error(
                Code::EvidenceInvalid,
                "evidence fields must be `key: value` lines",
            )
            .at(path, offset..offset + yaml.len());
            return (None, vec![d]);
        }
        Err(err) => {
            let problem = YamlProblem::of(&err, yaml);
            let d = Diagnostic::error(
                Code::EvidenceInvalid,
                format!(
                    "evidence front matter is not valid YAML: {}",
                    problem.message
                ),
            )
            .at(path, offset + problem.span.start..offset + problem.span.end)
            .with_help(problem.help.unwrap_or(
                "each field is `name: value`; lists are `[a, b]`; each field may appear once",
            ));
            return (None, vec![d]);
        }
    };
    let mut fields = Fields {
        map: &map,
        yaml,
        offset,
        path,
        diagnostics: Vec::new(),
    };
    let record = fields.record(body, body_offset);
    (record, fields.diagnostics)
}

struct Fields<'a> {
    map: &'a Mapping,
    yaml: &'a str,
    offset: usize,
    path: &'a Path,
    diagnostics: Vec<Diagnostic>,
}

impl Fields<'_> {
    fn key_span(&self, key: &str) -> Range<usize> {
        find_key(self.yaml, key).map_or(self.offset..self.offset, |r| {
            self.offset + r.start..self.offset + r.end
        })
    }

    /// Where `needle` is written in the value of `key`.
    fn value_span(&self, key: &str, needle: &str) -> Range<usize> {
        let Some(key_range) = find_key(self.yaml, key) else {
            return self.offset..self.offset;
        };
        match find_token(&self.yaml[key_range.end..], needle) {
            Some(i) => {
                let start = self.offset + key_range.end + i;
                start..start + needle.len()
            }
            None => self.offset + key_range.start..self.offset + key_range.end,
        }
    }

    fn error(&mut self, span: Range<usize>, message: String, help: String) {
        self.diagnostics.push(
            Diagnostic::error(Code::EvidenceInvalid, message)
                .at(self.path, span)
                .with_help(help),
        );
    }

    fn record(&mut self, body: &str, body_offset: usize) -> Option<EvidenceRecord> {
        for key in self.map.keys() {
            let Some(name) = key.as_str() else {
                let span = self.offset..self.offset + self.yaml.len();
                self.error(
                    span,
                    "evidence field names must be text".to_string(),
                    String::new(),
                );
                continue;
            };
            if !FIELDS.contains(&name) {
                let span = self.key_span(name);
                let help = match did_you_mean(name, FIELDS.iter().copied()) {
                    Some(close) => {
                        format!("did you mean `{close}`? Fields are: {}", FIELDS.join(", "))
                    }
                    None => format!("evidence fields are: {}", FIELDS.join(", ")),
                };
                self.error(span, format!("unknown field `{name}`"), help);
            }
        }

        // A training record may leave out what its module and sessions already say.
        let module = self.strings("module", false).into_iter().next();
        let sessions = self.sessions();
        let tasks = self.strings("task", module.is_none());
        let status = match (self.map.get("status"), &module) {
            (None, Some(_)) => Some(RecordStatus::Done),
            _ => self.status(),
        };
        let owner = self.text("owner", true);
        let latest_session = sessions.iter().map(|s| s.date).max();
        let collected = match (self.map.get("collected"), latest_session) {
            (None, Some(latest)) => Some(latest),
            _ => self.date("collected", true),
        };
        let expires = self.date("expires", false);
        let frameworks = self.strings("frameworks", false);
        let attachments = self.strings("attachments", false);
        let mut links = Vec::new();
        for link in self.strings("links", false) {
            let scheme = link
                .value
                .split(':')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            if link.value.contains(':') && matches!(scheme.as_str(), "http" | "https" | "mailto") {
                links.push(link.value);
            } else {
                self.error(
                    link.span,
                    format!("link `{}` is not a web address", link.value),
                    "links must start with https://, http:// or mailto:".to_string(),
                );
            }
        }
        let justification = self.text("justification", false);
        let title = self.text("title", false);

        if let (Some(collected), Some(expires)) = (collected, expires)
            && expires < collected
        {
            let span = self.value_span("expires", &expires.to_string());
            self.error(
                span,
                format!("`expires: {expires}` is before `collected: {collected}`"),
                "a record expires after it was collected; check both dates".to_string(),
            );
        }
        if status == Some(RecordStatus::NotApplicable)
            && justification.as_deref().is_none_or(|j| j.trim().is_empty())
        {
            let span = self.value_span("status", "not-applicable");
            self.error(
                span,
                "`status: not-applicable` needs a `justification`".to_string(),
                "add `justification: <why this task does not apply to us>`".to_string(),
            );
        }
        if !sessions.is_empty() && module.is_none() {
            let span = self.key_span("sessions");
            self.error(
                span,
                "`sessions` needs a `module`".to_string(),
                "name the training module these sessions delivered: `module: <file name without .md>`".to_string(),
            );
        }
        if tasks.is_empty() && self.map.get("task").is_some() {
            let span = self.key_span("task");
            self.error(
                span,
                "`task` names no task".to_string(),
                "write `task: TP-02` or `task: [TP-02, CO-02]`".to_string(),
            );
        }

        let (status, owner, collected) = (status?, owner?, collected?);
        if (tasks.is_empty() && module.is_none()) || !self.diagnostics.is_empty() {
            return None;
        }
        let rel = self
            .path
            .strip_prefix(EVIDENCE_DIR)
            .unwrap_or(self.path)
            .with_extension("");
        let anchor = format!("record-{}", urls::slugify(&rel.to_string_lossy()));
        let title = title.unwrap_or_else(|| {
            self.path
                .file_stem()
                .map(|s| s.to_string_lossy().replace(['-', '_'], " "))
                .unwrap_or_default()
        });
        let events: Vec<_> = Parser::new_ext(body, markdown::options())
            .into_offset_iter()
            .collect();
        let mut gauge = sanitize::NestingGauge::default();
        if let Some((_, span)) = events.iter().find(|(event, _)| match event {
            Event::Html(raw) | Event::InlineHtml(raw) => gauge.too_deep_after(raw),
            _ => false,
        }) {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::ContentTooLarge,
                    format!(
                        "HTML elements in the notes nest more than {} levels deep here",
                        sanitize::MAX_HTML_NESTING
                    ),
                )
                .at(self.path, body_offset + span.start..body_offset + span.end)
                .with_help(format!(
                    "notes may nest HTML at most {} levels; close the elements you open",
                    sanitize::MAX_HTML_NESTING
                )),
            );
            return None;
        }
        let mut notes_html = String::new();
        html::push_html(&mut notes_html, events.into_iter().map(|(event, _)| event));
        let notes_html = sanitize_notes(&notes_html, self.path);
        Some(EvidenceRecord {
            file: self.path.to_path_buf(),
            anchor,
            title,
            tasks,
            status,
            owner,
            collected,
            expires,
            frameworks,
            attachments,
            links,
            justification,
            module,
            sessions,
            notes_html,
            notes_text: body.trim().to_string(),
        })
    }

    /// `sessions: [{date: 2026-10-01, audience: makers, attendees: 24}, ...]`.
    fn sessions(&mut self) -> Vec<Session> {
        let items = match self.map.get("sessions") {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Sequence(items)) => items.clone(),
            Some(_) => {
                let span = self.key_span("sessions");
                self.error(
                    span,
                    "`sessions` must be a list".to_string(),
                    SESSION_HELP.to_string(),
                );
                return Vec::new();
            }
        };
        let mut sessions = Vec::new();
        for item in items {
            let Value::Mapping(map) = item else {
                let span = self.key_span("sessions");
                self.error(
                    span,
                    "each session must have `date`, `audience` and `attendees`".to_string(),
                    SESSION_HELP.to_string(),
                );
                continue;
            };
            let text = |key: &str| match map.get(key) {
                Some(Value::String(s)) => Some(s.trim().to_string()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            };
            let date_text = text("date").unwrap_or_default();
            let date = NaiveDate::parse_from_str(&date_text, "%Y-%m-%d").ok();
            if date.is_none() {
                let span = self.value_span("sessions", &date_text);
                self.error(
                    span,
                    format!("session date `{date_text}` is not a date"),
                    "write dates as YYYY-MM-DD".to_string(),
                );
            }
            let names: Vec<String> = match map.get("audience") {
                Some(Value::String(s)) => vec![s.trim().to_string()],
                Some(Value::Sequence(list)) => list
                    .iter()
                    .filter_map(|v| v.as_str().map(|s| s.trim().to_string()))
                    .collect(),
                _ => Vec::new(),
            };
            let mut audience = Vec::new();
            for name in names {
                match Audience::parse(&name) {
                    Some(a) => audience.push(a),
                    None => {
                        let span = self.value_span("sessions", &name);
                        self.error(
                            span,
                            format!("unknown audience `{name}`"),
                            "audiences are makers, developers and admins".to_string(),
                        );
                    }
                }
            }
            let attendees = match map.get("attendees") {
                Some(Value::Number(n)) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
                _ => None,
            };
            if attendees.is_none() {
                let span = self.key_span("sessions");
                self.error(
                    span,
                    "each session needs `attendees`, a whole number".to_string(),
                    SESSION_HELP.to_string(),
                );
            }
            if let (Some(date), Some(attendees)) = (date, attendees) {
                sessions.push(Session {
                    date,
                    audience,
                    attendees,
                });
            }
        }
        sessions
    }

    fn missing(&mut self, key: &str) {
        self.diagnostics.push(
            Diagnostic::error(Code::EvidenceInvalid, format!("missing field `{key}`"))
                .at(self.path, self.offset..self.offset)
                .with_help(format!(
                    "every evidence record needs `{key}`; required: task, status, owner, collected"
                )),
        );
    }

    fn text(&mut self, key: &str, required: bool) -> Option<String> {
        match self.map.get(key) {
            None | Some(Value::Null) => {
                if required {
                    self.missing(key);
                }
                None
            }
            Some(Value::String(s)) => Some(s.trim().to_string()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(_) => {
                let span = self.key_span(key);
                self.error(
                    span,
                    format!("`{key}` must be text"),
                    format!("write `{key}: some text`"),
                );
                None
            }
        }
    }

    fn strings(&mut self, key: &str, required: bool) -> Vec<Located<String>> {
        let values: Vec<String> = match self.map.get(key) {
            None | Some(Value::Null) => {
                if required {
                    self.missing(key);
                }
                return Vec::new();
            }
            Some(Value::String(s)) => vec![s.trim().to_string()],
            Some(Value::Sequence(items)) => {
                let mut values = Vec::new();
                for item in items {
                    match item {
                        Value::String(s) => values.push(s.trim().to_string()),
                        Value::Number(n) => values.push(n.to_string()),
                        _ => {
                            let span = self.key_span(key);
                            self.error(
                                span,
                                format!("every item of `{key}` must be text"),
                                format!("write `{key}: [a, b]`"),
                            );
                        }
                    }
                }
                values
            }
            Some(_) => {
                let span = self.key_span(key);
                self.error(
                    span,
                    format!("`{key}` must be text or a list"),
                    format!("write `{key}: [a, b]`"),
                );
                return Vec::new();
            }
        };
        values
            .into_iter()
            .filter(|v| !v.is_empty())
            .map(|value| Located {
                span: self.value_span(key, &value),
                value,
            })
            .collect()
    }

    fn status(&mut self) -> Option<RecordStatus> {
        let text = self.text("status", true)?;
        let status = RecordStatus::parse(&text);
        if status.is_none() {
            let span = self.value_span("status", &text);
            let help = match did_you_mean(&text, RecordStatus::NAMES) {
                Some(close) => format!(
                    "did you mean `{close}`? A record's status is done, in-progress or not-applicable"
                ),
                None => "a record's status is done, in-progress or not-applicable".to_string(),
            };
            self.error(span, format!("unknown status `{text}`"), help);
        }
        status
    }

    fn date(&mut self, key: &str, required: bool) -> Option<NaiveDate> {
        let text = self.text(key, required)?;
        let date = NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok();
        if date.is_none() {
            let span = self.value_span(key, &text);
            self.error(
                span,
                format!("`{key}: {text}` is not a date"),
                "write dates as YYYY-MM-DD, e.g. 2026-10-01".to_string(),
            );
        }
        date
    }
}

/// Cleans notes of anything that could run in a reader's browser (scripts, event handlers,
/// `javascript:` URLs, frames, objects). Relative links point beside the record, where
/// its attachments are published.
fn sanitize_notes(html: &str, record: &Path) -> String {
    let folder = urls::encode_path(&urls::static_output(
        record.parent().unwrap_or(Path::new("")),
    ));
    crate::parse::sanitize::policy()
        .url_relative(ammonia::UrlRelative::Custom(Box::new(BesideRecord {
            folder,
        })))
        .clean(html)
        .to_string()
}

/// Rewrites relative URLs in notes to the record's folder in the output.
struct BesideRecord {
    folder: String,
}

impl<'a> ammonia::UrlRelativeEvaluate<'a> for BesideRecord {
    fn evaluate<'url>(&self, url: &'url str) -> Option<std::borrow::Cow<'url, str>> {
        if url.starts_with('#') {
            return Some(url.into());
        }
        // A link may point beside the record or elsewhere in the evidence folder, never
        // out of it (`../../../etc/passwd`): such a link is dropped.
        let path = url.split(['#', '?']).next().unwrap_or_default();
        let mut depth = self.folder.split('/').filter(|s| !s.is_empty()).count();
        for segment in path.split('/') {
            match segment {
                "" | "." => {}
                ".." if depth <= 1 => return None,
                ".." => depth -= 1,
                _ => depth += 1,
            }
        }
        let url = url.trim_start_matches("./");
        Some(format!("{ROOT_PLACEHOLDER}{}/{url}", self.folder).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::ContentKind;
    use std::sync::Arc;

    fn parse(text: &str) -> (Option<EvidenceRecord>, Vec<Diagnostic>) {
        parse_evidence(&ContentFile {
            path: "content/evidence/tp/sentinel.md".into(),
            text: Arc::from(text),
            kind: ContentKind::Evidence,
        })
    }

    const GOOD: &str = "---\ntask: [TP-02, CO-02]\nstatus: done\nowner: SecOps\ncollected: 2026-10-01\nexpires: 2027-04-01\n---\nNotes <script>alert(1)</script> **bold**\n";

    #[test]
    fn a_good_record_parses() {
        let (record, diagnostics) = parse(GOOD);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let record = record.unwrap();
        assert_eq!(
            record
                .tasks
                .iter()
                .map(|t| t.value.as_str())
                .collect::<Vec<_>>(),
            ["TP-02", "CO-02"]
        );
        assert_eq!(record.status, RecordStatus::Done);
        assert_eq!(record.anchor, "record-tp-sentinel");
        assert_eq!(&GOOD[record.tasks[1].span.clone()], "CO-02");
        assert!(record.notes_html.contains("<strong>bold</strong>"));
        assert!(
            !record.notes_html.contains("<script"),
            "{}",
            record.notes_html
        );
    }

    #[test]
    fn notes_are_sanitized_and_relative_links_point_beside_the_record() {
        let (record, _) = parse(
            "---\ntask: TP-02\nstatus: done\nowner: a\ncollected: 2026-10-01\n---\n[export](rules.json) <a href=\"javascript:alert(1)\">x</a> <iframe src=\"https://e.com\"></iframe><img src=\"https://e.com/a.png\" onerror=\"alert(1)\">\n",
        );
        let html = record.unwrap().notes_html;
        assert!(
            html.contains("href=\"ppdocs-root:/evidence/tp/rules.json\""),
            "{html}"
        );
        for bad in ["javascript:", "<iframe", "onerror"] {
            assert!(!html.contains(bad), "{bad} survived: {html}");
        }
        let (record, _) = parse(
            "---\ntask: TP-02\nstatus: done\nowner: a\ncollected: 2026-10-01\n---\n[up](../other/x.json) [out](../../../etc/passwd)\n",
        );
        let html = record.unwrap().notes_html;
        assert!(
            html.contains("ppdocs-root:/evidence/tp/../other/x.json"),
            "{html}"
        );
        assert!(!html.contains("passwd\""), "{html}");
    }

    #[test]
    fn every_field_problem_is_reported_with_its_line() {
        let text = "---\ntask: TP-02\nstatus: finished\nowner: SecOps\ncollected: 2026-13-01\nexpire: 2027-01-01\n---\n";
        let (record, diagnostics) = parse(text);
        assert!(record.is_none());
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert!(messages.contains(&"unknown field `expire`"), "{messages:?}");
        assert!(
            messages.contains(&"unknown status `finished`"),
            "{messages:?}"
        );
        assert!(
            messages.contains(&"`collected: 2026-13-01` is not a date"),
            "{messages:?}"
        );
        let unknown = diagnostics
            .iter()
            .find(|d| d.message.contains("expire`"))
            .unwrap();
        assert_eq!(&text[unknown.span.clone().unwrap()], "expire");
        assert!(
            unknown
                .help
                .as_deref()
                .unwrap()
                .contains("did you mean `expires`")
        );
    }

    #[test]
    fn not_applicable_needs_a_justification_and_dates_must_be_ordered() {
        let (_, d) = parse(
            "---\ntask: TP-02\nstatus: not-applicable\nowner: a\ncollected: 2026-10-01\n---\n",
        );
        assert!(d[0].message.contains("needs a `justification`"), "{d:?}");
        let (_, d) = parse(
            "---\ntask: TP-02\nstatus: done\nowner: a\ncollected: 2026-10-01\nexpires: 2026-01-01\n---\n",
        );
        assert!(d[0].message.contains("is before"), "{d:?}");
    }

    #[test]
    fn missing_fields_and_duplicate_keys_are_errors() {
        let (_, d) = parse("---\ntask: TP-02\n---\n");
        let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert!(messages.contains(&"missing field `status`"), "{messages:?}");
        assert!(messages.contains(&"missing field `owner`"), "{messages:?}");
        let (_, d) = parse("---\ntask: TP-02\ntask: TP-03\n---\n");
        assert!(d[0].message.contains("duplicate"), "{d:?}");
    }

    #[test]
    fn plain_yaml_files_are_records_without_notes() {
        let record = parse_evidence(&ContentFile {
            path: "content/evidence/a.yaml".into(),
            text: Arc::from(
                "task: TP-01\nstatus: in-progress\nowner: CoE\ncollected: 2026-11-01\n",
            ),
            kind: ContentKind::Evidence,
        })
        .0
        .unwrap();
        assert_eq!(record.status, RecordStatus::InProgress);
        assert!(record.notes_html.is_empty());
    }
}

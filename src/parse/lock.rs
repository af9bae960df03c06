//! `ppdocs.lock`: task IDs pinned to task text, so IDs (and the evidence that names them)
//! stay with their tasks when Microsoft edits, inserts or removes checklist rows.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Code, Diagnostic};

/// The lock file's format version.
pub const VERSION: u32 = 1;

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    pub version: u32,
    #[serde(default, rename = "task")]
    pub tasks: Vec<LockedTask>,
}

/// One task as `ppdocs lock` last saw it.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LockedTask {
    pub id: String,
    pub article: String,
    pub section: String,
    pub text: String,
    /// When the text was first recorded or last changed (YYYY-MM-DD).
    pub changed: String,
    /// The text before the last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    /// When the task left the checklist; its ID is never given to another task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired: Option<String>,
}

pub fn parse_lock(text: &str, path: &Path) -> Result<Lock, Diagnostic> {
    let lock: Lock = toml::from_str(text).map_err(|err| {
        let d = Diagnostic::error(Code::LockInvalid, format!("ppdocs.lock: {}", err.message().trim()))
            .with_help("ppdocs.lock is written by `ppdocs lock`; restore it from version control, or delete it and run `ppdocs lock`");
        match err.span() {
            Some(span) => d.at(path, span),
            None => d.in_file(path),
        }
    })?;
    if lock.version != VERSION {
        return Err(Diagnostic::error(
            Code::LockInvalid,
            format!(
                "ppdocs.lock has version {}, this ppdocs reads version {VERSION}",
                lock.version
            ),
        )
        .in_file(path)
        .with_help("upgrade ppdocs, or run `ppdocs lock` to rewrite the file"));
    }
    Ok(lock)
}

const HEADER: &str = "# Task IDs pinned to task text. Written by `ppdocs lock`; commit it with your content.\n\
# ppdocs matches tasks to these entries by text, so IDs survive edits to the checklist.\n\n";

pub fn write_lock(lock: &Lock) -> String {
    let body = toml::to_string(lock).unwrap_or_default();
    format!("{HEADER}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let lock = Lock {
            version: VERSION,
            tasks: vec![LockedTask {
                id: "TP-02".into(),
                article: "content/a.md".into(),
                section: "Threat protection".into(),
                text: "Configure \"Sentinel\".".into(),
                changed: "2026-11-28".into(),
                previous: None,
                retired: None,
            }],
        };
        let text = write_lock(&lock);
        assert_eq!(parse_lock(&text, Path::new("ppdocs.lock")).unwrap(), lock);
    }

    #[test]
    fn bad_lock_is_a_diagnostic() {
        let err =
            parse_lock("version = 1\n[[task]]\nid = 3\n", Path::new("ppdocs.lock")).unwrap_err();
        assert_eq!(err.code, Code::LockInvalid);
    }
}

//! Task IDs: section prefixes, and numbers that stay with their tasks.
//!
//! Without `ppdocs.lock`, a task's number is its position in its section. With it, each
//! task first takes the ID of the locked task with the same text, then of the most similar
//! locked task of its section; tasks left over get numbers no task ever had. So inserting a
//! row or rewording a task keeps every existing ID, and so every piece of evidence, in place.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;

use crate::diagnostics::{Code, Diagnostic};
use crate::parse::TaskDraft;
use crate::parse::lock::{Lock, LockedTask};
use crate::site::{TaskId, TextChange};

/// Longest explicit task ID accepted.
const MAX_ID_LEN: usize = 40;

/// Longest explicit section prefix accepted.
const MAX_PREFIX_LEN: usize = 10;

/// Words left out when a section title is abbreviated into a task-ID prefix.
const STOP_WORDS: &[&str] = &[
    "and", "or", "of", "the", "for", "to", "in", "a", "an", "with", "on", "your",
];

/// How alike (0 to 1) two wordings must be to count as one task.
const SIMILARITY: f64 = 0.6;

/// Similarity of two task texts: the better of edit distance (catches small edits) and
/// shared letter pairs (catches words added or removed, as checklist updates often do).
fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    strsim::normalized_levenshtein(&a, &b).max(strsim::sorensen_dice(&a, &b))
}

/// "Data protection and privacy" → `DPP`; "Compliance" → `CO`: the initials of the
/// significant words (at most four), or the first two letters of a single word.
pub fn derive_prefix(title: &str) -> String {
    let ascii: String = title
        .split_whitespace()
        .map(slug::slugify)
        .collect::<Vec<_>>()
        .join(" ");
    let words: Vec<&str> = ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(&w.to_ascii_lowercase().as_str()))
        .collect();
    let prefix: String = match words.as_slice() {
        [] => "S".to_string(),
        [word] => word.chars().take(2).collect(),
        many => many
            .iter()
            .take(4)
            .filter_map(|w| w.chars().next())
            .collect(),
    };
    prefix.to_ascii_uppercase()
}

pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
}

/// Hands out prefixes and IDs across the whole site.
pub struct IdAssigner<'a> {
    prefixes: HashSet<String>,
    /// Locked tasks by prefix, retired ones included (their numbers stay reserved).
    locked: HashMap<String, Vec<&'a LockedTask>>,
    claimed: HashSet<String>,
    /// The highest number claimed so far under each prefix.
    highest: HashMap<String, u32>,
    /// Every locked task by ID.
    by_id: HashMap<&'a str, &'a LockedTask>,
    /// The prefix each locked section had, by (article, section title): a section keeps it
    /// even if a new section that sorts earlier abbreviates the same way.
    reserved: HashMap<(&'a str, &'a str), String>,
    as_of: NaiveDate,
    pub lock_present: bool,
}

/// An assigned ID, and whether the lock knew the task by other words.
pub struct Assigned {
    pub id: TaskId,
    pub text_change: Option<TextChange>,
    /// The lock had no entry for this task.
    pub is_new: bool,
    /// The lock's entry had different text.
    pub reworded: bool,
}

impl<'a> IdAssigner<'a> {
    pub fn new(lock: Option<&'a Lock>, as_of: NaiveDate) -> Self {
        let mut locked: HashMap<String, Vec<&LockedTask>> = HashMap::new();
        let mut by_id = HashMap::new();
        let mut reserved = HashMap::new();
        for task in lock.map(|l| l.tasks.as_slice()).unwrap_or_default() {
            by_id.insert(task.id.as_str(), task);
            if let Some((prefix, _)) = split_id(&task.id) {
                locked.entry(prefix.to_string()).or_default().push(task);
                if task.retired.is_none() {
                    reserved.insert(
                        (task.article.as_str(), task.section.as_str()),
                        prefix.to_string(),
                    );
                }
            }
        }
        IdAssigner {
            prefixes: HashSet::new(),
            locked,
            claimed: HashSet::new(),
            highest: HashMap::new(),
            by_id,
            reserved,
            as_of,
            lock_present: lock.is_some(),
        }
    }

    /// The prefix for a section: explicit (`{prefix=CO}`) or derived from its title.
    pub fn claim_prefix(
        &mut self,
        explicit: Option<&str>,
        article: &str,
        title: &str,
        file: &Path,
        span: Range<usize>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> String {
        if let Some(explicit) = explicit {
            let valid = !explicit.is_empty()
                && explicit.len() <= MAX_PREFIX_LEN
                && explicit.chars().all(|c| c.is_ascii_alphanumeric());
            if !valid {
                diagnostics.push(
                    Diagnostic::error(
                        Code::SectionPrefixInvalid,
                        format!("`{explicit}` is not a valid task-ID prefix"),
                    )
                    .at(file, span.clone())
                    .with_help(format!(
                        "a prefix is 1 to {MAX_PREFIX_LEN} letters or digits, e.g. `{{prefix=CO}}`"
                    )),
                );
                return self.claim_prefix(None, article, title, file, span, diagnostics);
            }
            let prefix = explicit.to_ascii_uppercase();
            if !self.prefixes.insert(prefix.clone()) {
                diagnostics.push(
                    Diagnostic::error(
                        Code::SectionPrefixDuplicate,
                        format!("task-ID prefix `{prefix}` is used by another section"),
                    )
                    .at(file, span)
                    .with_help("choose a prefix no other section uses: `## Title {prefix=XYZ}`"),
                );
            }
            return prefix;
        }
        if let Some(prefix) = self.reserved.get(&(article, title)).cloned()
            && self.prefixes.insert(prefix.clone())
        {
            return prefix;
        }
        // A prefix another locked section holds is not free either.
        let reserved: HashSet<&str> = self.reserved.values().map(String::as_str).collect();
        let free = |p: &str| !self.prefixes.contains(p) && !reserved.contains(p);
        let derived = derive_prefix(title);
        if free(&derived) {
            self.prefixes.insert(derived.clone());
            return derived;
        }
        let prefix = (2..)
            .map(|n| format!("{derived}{n}"))
            .find(|p| free(p))
            .unwrap_or_default();
        self.prefixes.insert(prefix.clone());
        diagnostics.push(
            Diagnostic::warning(
                Code::SectionPrefixDuplicate,
                format!("section \"{title}\" abbreviates to `{derived}` like an earlier section; its tasks use `{prefix}`"),
            )
            .at(file, span)
            .with_help(format!("give it a prefix of its own: `## {title} {{prefix=XYZ}}`")),
        );
        prefix
    }

    /// IDs for the tasks of one section, in order.
    pub fn assign(
        &mut self,
        prefix: &str,
        tasks: &[TaskDraft],
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<Assigned> {
        let mut result: Vec<Option<Assigned>> = tasks.iter().map(|_| None).collect();
        let entries: Vec<&LockedTask> = self
            .locked
            .get(prefix)
            .map(|v| v.iter().copied().filter(|t| t.retired.is_none()).collect())
            .unwrap_or_default();

        for (i, task) in tasks.iter().enumerate() {
            let Some((id, span)) = &task.explicit_id else {
                continue;
            };
            let id = if valid_id(id) {
                id.clone()
            } else {
                diagnostics.push(
                    Diagnostic::error(Code::TaskIdInvalid, format!("`{id}` is not a valid task ID"))
                        .at(&task.file, span.clone())
                        .with_help(format!(
                            "task IDs use letters, digits and `-`, `_`, `.`, `:`, up to {MAX_ID_LEN} characters, e.g. TP-09"
                        )),
                );
                format!("{prefix}-X{}", i + 1)
            };
            // An explicit ID must not take over a task the lock knows, or a retired one.
            if let Some(locked) = self.by_id.get(id.as_str()) {
                let problem = match &locked.retired {
                    Some(date) => Some(format!(
                        "task ID `{id}` was retired on {date}; IDs are never reused"
                    )),
                    None if similarity(&locked.text, &task.text) < SIMILARITY => Some(format!(
                        "task ID `{id}` belongs to another task in ppdocs.lock: \"{}\"",
                        locked.text
                    )),
                    None => None,
                };
                if let Some(message) = problem {
                    diagnostics.push(
                        Diagnostic::error(Code::TaskIdDuplicate, message)
                            .at(&task.file, span.clone())
                            .with_help("give this task an ID no task has had, e.g. the next free number of its section"),
                    );
                }
            }
            self.claim(&id);
            result[i] = Some(Assigned {
                id: TaskId(id),
                text_change: None,
                is_new: false,
                reworded: false,
            });
        }

        // Same text: the same task.
        for (i, task) in tasks.iter().enumerate() {
            if result[i].is_some() {
                continue;
            }
            if let Some(entry) = entries
                .iter()
                .find(|e| !self.claimed.contains(&e.id) && e.text == task.text)
            {
                self.claim(&entry.id);
                result[i] = Some(Assigned {
                    id: TaskId(entry.id.clone()),
                    text_change: entry.previous.as_ref().and_then(|previous| {
                        Some(TextChange {
                            previous: previous.clone(),
                            changed: NaiveDate::parse_from_str(&entry.changed, "%Y-%m-%d").ok()?,
                        })
                    }),
                    is_new: false,
                    reworded: false,
                });
            }
        }

        // Similar text: the same task, reworded. Best pairs first, so the result does not
        // depend on the order of rows.
        let mut pairs: Vec<(f64, usize, &LockedTask)> = Vec::new();
        for (i, task) in tasks.iter().enumerate() {
            if result[i].is_some() {
                continue;
            }
            for entry in entries.iter().filter(|e| !self.claimed.contains(&e.id)) {
                let score = similarity(&task.text, &entry.text);
                if score >= SIMILARITY {
                    pairs.push((score, i, entry));
                }
            }
        }
        pairs.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(a.1.cmp(&b.1))
                .then(a.2.id.cmp(&b.2.id))
        });
        for (_, i, entry) in pairs {
            if result[i].is_some() || self.claimed.contains(&entry.id) {
                continue;
            }
            self.claim(&entry.id);
            result[i] = Some(Assigned {
                id: TaskId(entry.id.clone()),
                text_change: Some(TextChange {
                    previous: entry.text.clone(),
                    changed: self.as_of,
                }),
                is_new: false,
                reworded: true,
            });
        }

        // New tasks: numbers after every number this prefix ever had.
        let mut next = self
            .locked
            .get(prefix)
            .into_iter()
            .flatten()
            .filter_map(|t| split_id(&t.id).map(|(_, n)| n))
            .chain(self.highest.get(prefix).copied())
            .max()
            .unwrap_or(0);
        let lock_present = self.lock_present;
        result
            .into_iter()
            .map(|assigned| {
                assigned.unwrap_or_else(|| {
                    next += 1;
                    let id = format!("{prefix}-{next:02}");
                    self.claim(&id);
                    Assigned {
                        id: TaskId(id),
                        text_change: None,
                        is_new: lock_present,
                        reworded: false,
                    }
                })
            })
            .collect()
    }

    fn claim(&mut self, id: &str) {
        self.claimed.insert(id.to_string());
        if let Some((prefix, number)) = split_id(id) {
            let highest = self.highest.entry(prefix.to_string()).or_default();
            *highest = (*highest).max(number);
        }
    }

    /// Locked tasks that no current task took.
    pub fn unclaimed(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .locked
            .values()
            .flatten()
            .filter(|t| t.retired.is_none() && !self.claimed.contains(&t.id))
            .map(|t| t.id.clone())
            .collect();
        ids.sort();
        ids
    }

    /// A retired task's ID and when it left, for evidence that still names it.
    pub fn retired(&self, id: &str) -> Option<&'a str> {
        let (prefix, _) = split_id(id)?;
        self.locked
            .get(prefix)?
            .iter()
            .find(|t| t.id == id)
            .and_then(|t| t.retired.as_deref())
    }
}

/// `TP-02` → (`TP`, 2).
fn split_id(id: &str) -> Option<(&str, u32)> {
    let (prefix, number) = id.rsplit_once('-')?;
    Some((prefix, number.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::lock::VERSION;

    #[test]
    fn prefixes_follow_the_documented_scheme() {
        assert_eq!(derive_prefix("Security posture management"), "SPM");
        assert_eq!(derive_prefix("Threat protection"), "TP");
        assert_eq!(derive_prefix("Data protection and privacy"), "DPP");
        assert_eq!(derive_prefix("Identity and access management"), "IAM");
        assert_eq!(derive_prefix("Compliance"), "CO");
        assert_eq!(derive_prefix("Workload security"), "WS");
        assert_eq!(derive_prefix("Sécurité des données"), "SDD");
        assert_eq!(derive_prefix("!!!"), "S");
    }

    #[test]
    fn ids_are_validated() {
        assert!(valid_id("SE:01"));
        assert!(valid_id("TP-09"));
        assert!(!valid_id("has space"));
        assert!(!valid_id("-leading"));
        assert!(!valid_id(&"A".repeat(41)));
    }

    fn draft(text: &str) -> TaskDraft {
        TaskDraft {
            explicit_id: None,
            html: text.to_string(),
            text: text.to_string(),
            file: "content/a.md".into(),
            span: 0..1,
        }
    }

    fn locked(id: &str, text: &str) -> LockedTask {
        LockedTask {
            id: id.into(),
            article: "content/a.md".into(),
            section: "Threat protection".into(),
            text: text.into(),
            changed: "2026-01-01".into(),
            previous: None,
            retired: None,
        }
    }

    fn two_tasks() -> Lock {
        Lock {
            version: VERSION,
            tasks: vec![
                locked("TP-01", "Track user activities with Sentinel."),
                locked("TP-02", "Configure alerts for suspicious activities."),
            ],
        }
    }

    fn ids(assigned: &[Assigned]) -> Vec<&str> {
        assigned.iter().map(|a| a.id.0.as_str()).collect()
    }

    const DAY: fn() -> NaiveDate = || NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();

    #[test]
    fn without_a_lock_numbers_are_positions() {
        let mut assigner = IdAssigner::new(None, DAY());
        let assigned = assigner.assign("TP", &[draft("a"), draft("b")], &mut Vec::new());
        assert_eq!(ids(&assigned), ["TP-01", "TP-02"]);
    }

    #[test]
    fn a_row_inserted_above_keeps_existing_ids() {
        let lock = two_tasks();
        let mut assigner = IdAssigner::new(Some(&lock), DAY());
        let tasks = [
            draft("A brand new first task about something else entirely."),
            draft("Track user activities with Sentinel."),
            draft("Configure alerts for suspicious activities."),
        ];
        let assigned = assigner.assign("TP", &tasks, &mut Vec::new());
        assert_eq!(ids(&assigned), ["TP-03", "TP-01", "TP-02"]);
        assert!(assigned[0].is_new);
    }

    #[test]
    fn a_reworded_task_keeps_its_id_and_reports_the_change() {
        let lock = two_tasks();
        let mut assigner = IdAssigner::new(Some(&lock), DAY());
        let tasks = [
            draft("Track user activities with Sentinel."),
            draft("Configure Sentinel alerts for suspicious activities and policy violations."),
        ];
        let assigned = assigner.assign("TP", &tasks, &mut Vec::new());
        assert_eq!(ids(&assigned), ["TP-01", "TP-02"]);
        assert!(assigned[1].reworded);
        assert_eq!(
            assigned[1].text_change.as_ref().unwrap().previous,
            "Configure alerts for suspicious activities."
        );
    }

    #[test]
    fn removed_tasks_keep_their_numbers_reserved() {
        let mut retired = locked("TP-03", "Old task.");
        retired.retired = Some("2026-06-01".into());
        let lock = Lock {
            version: VERSION,
            tasks: vec![
                locked("TP-01", "Kept."),
                locked("TP-02", "Removed now."),
                retired,
            ],
        };
        let mut assigner = IdAssigner::new(Some(&lock), DAY());
        let assigned = assigner.assign(
            "TP",
            &[draft("Kept."), draft("Something unrelated and new.")],
            &mut Vec::new(),
        );
        assert_eq!(ids(&assigned), ["TP-01", "TP-04"]);
        assert_eq!(assigner.unclaimed(), ["TP-02"]);
        assert_eq!(assigner.retired("TP-03"), Some("2026-06-01"));
    }
}

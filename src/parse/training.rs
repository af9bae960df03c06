//! Training modules: what a module's front matter says about its audience, length, level,
//! and the checklist tasks it trains for.

use std::path::Path;

use serde::Serialize;
use serde_yaml::Value;

use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::parse::evidence::Located;
use crate::parse::front_matter::find_key;

/// Who a module is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Audience {
    Makers,
    Developers,
    Admins,
}

impl Audience {
    pub const ALL: [Audience; 3] = [Audience::Makers, Audience::Developers, Audience::Admins];
    const NAMES: [&'static str; 3] = ["makers", "developers", "admins"];

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Makers => "makers",
            Audience::Developers => "developers",
            Audience::Admins => "admins",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Audience::Makers => "Makers",
            Audience::Developers => "Developers",
            Audience::Admins => "Admins",
        }
    }

    pub fn parse(text: &str) -> Option<Audience> {
        Audience::ALL
            .into_iter()
            .find(|a| a.as_str() == text.trim())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Beginner,
    Intermediate,
    Advanced,
}

impl Level {
    const NAMES: [&'static str; 3] = ["beginner", "intermediate", "advanced"];

    fn parse(text: &str) -> Option<Level> {
        match text.trim() {
            "beginner" => Some(Level::Beginner),
            "intermediate" => Some(Level::Intermediate),
            "advanced" => Some(Level::Advanced),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        Level::NAMES[self as usize]
    }
}

/// A module's front matter, checked.
#[derive(Clone, Debug, Hash)]
pub struct ModuleMeta {
    pub audience: Vec<Audience>,
    /// Reading time in minutes.
    pub duration: u32,
    pub level: Level,
    pub tasks: Vec<Located<String>>,
    pub tags: Vec<String>,
    /// Position in its learning paths; modules without one come last, by title.
    pub order: Option<i64>,
}

/// Reads the training fields of a module's front matter (`yaml`, at byte `offset` of `file`).
pub fn parse_module(
    meta: &serde_yaml::Mapping,
    yaml: &str,
    offset: usize,
    file: &Path,
) -> (Option<ModuleMeta>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let span = |key: &str, needle: Option<&str>| {
        let Some(key_range) = find_key(yaml, key) else {
            return offset..offset;
        };
        match needle.and_then(|n| {
            crate::parse::evidence::find_token(&yaml[key_range.end..], n).map(|i| (i, n.len()))
        }) {
            Some((i, len)) => offset + key_range.end + i..offset + key_range.end + i + len,
            None => offset + key_range.start..offset + key_range.end,
        }
    };
    let mut error = |key: &str, needle: Option<&str>, message: String, help: String| {
        diagnostics.push(
            Diagnostic::error(Code::TrainingInvalid, message)
                .at(file, span(key, needle))
                .with_help(help),
        );
    };
    let strings = |key: &str| -> Vec<String> {
        match meta.get(key) {
            Some(Value::String(s)) => vec![s.trim().to_string()],
            Some(Value::Sequence(items)) => items
                .iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s.trim().to_string()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    };

    let mut audience = Vec::new();
    let names = strings("audience");
    let named = !names.is_empty();
    for name in names {
        match Audience::parse(&name) {
            Some(a) => audience.push(a),
            None => {
                let help = match did_you_mean(&name, Audience::NAMES) {
                    Some(close) => format!(
                        "did you mean `{close}`? Audiences are makers, developers and admins"
                    ),
                    None => "audiences are makers, developers and admins".to_string(),
                };
                error(
                    "audience",
                    Some(&name),
                    format!("unknown audience `{name}`"),
                    help,
                );
            }
        }
    }
    if !named {
        error(
            "audience",
            None,
            "a training module needs an `audience`".to_string(),
            "add `audience: [makers]` (makers, developers, admins)".to_string(),
        );
    }
    let duration = match meta.get("duration") {
        Some(Value::Number(n)) => n
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n > 0),
        _ => None,
    };
    if duration.is_none() {
        error(
            "duration",
            None,
            "a training module needs a `duration` in minutes".to_string(),
            "add `duration: 15` (a whole number of minutes)".to_string(),
        );
    }
    let level = match meta.get("level") {
        Some(Value::String(text)) => {
            let level = Level::parse(text);
            if level.is_none() {
                let help = match did_you_mean(text, Level::NAMES) {
                    Some(close) => format!(
                        "did you mean `{close}`? Levels are beginner, intermediate and advanced"
                    ),
                    None => "levels are beginner, intermediate and advanced".to_string(),
                };
                error("level", Some(text), format!("unknown level `{text}`"), help);
            }
            level
        }
        _ => {
            error(
                "level",
                None,
                "a training module needs a `level`".to_string(),
                "add `level: beginner` (beginner, intermediate, advanced)".to_string(),
            );
            None
        }
    };
    let order = match meta.get("order") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64(),
        Some(_) => {
            error(
                "order",
                None,
                "`order` must be a whole number".to_string(),
                "write e.g. `order: 10`".to_string(),
            );
            None
        }
    };
    let tasks = strings("tasks")
        .into_iter()
        .map(|id| Located {
            span: span("tasks", Some(&id)),
            value: id,
        })
        .collect();
    let tags = strings("tags")
        .into_iter()
        .map(|t| t.to_lowercase())
        .collect();
    let module = match (duration, level) {
        (Some(duration), Some(level)) if diagnostics.is_empty() => Some(ModuleMeta {
            audience,
            duration,
            level,
            tasks,
            tags,
            order,
        }),
        _ => None,
    };
    (module, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> (Option<ModuleMeta>, Vec<Diagnostic>) {
        let Value::Mapping(map) = serde_yaml::from_str(yaml).unwrap() else {
            panic!()
        };
        parse_module(&map, yaml, 4, Path::new("content/training/m.md"))
    }

    #[test]
    fn a_good_module_parses() {
        let (module, d) = parse(
            "title: T\naudience: [makers, admins]\nduration: 15\nlevel: beginner\ntasks: [DPP-01]\ntags: [DLP]\norder: 10\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let module = module.unwrap();
        assert_eq!(module.audience, [Audience::Makers, Audience::Admins]);
        assert_eq!(module.tags, ["dlp"]);
        assert_eq!(module.tasks[0].value, "DPP-01");
    }

    #[test]
    fn unknown_audience_and_level_name_their_line() {
        let yaml = "title: T\naudience: [makers, citizens]\nduration: 15\nlevel: expert\n";
        let (module, d) = parse(yaml);
        assert!(module.is_none());
        assert_eq!(d[0].message, "unknown audience `citizens`");
        assert_eq!(
            &yaml[d[0].span.clone().unwrap().start - 4..][..8],
            "citizens"
        );
        assert_eq!(d[1].message, "unknown level `expert`");
    }
}

//! YAML front matter: splitting it from the body, parsing it, and the fields ppdocs reads.

use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;
use serde_yaml::{Mapping, Value};

use crate::diagnostics::{Code, Diagnostic};

/// A page's front matter: the fields ppdocs understands, and every key as written so
/// templates can read `ms.author`, `ms.topic` and the rest.
#[derive(Clone, Debug, Default, Hash)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    /// `ms.date` (Learn's `MM/DD/YYYY`) or `date` (`YYYY-MM-DD`).
    pub date: Option<NaiveDate>,
    pub meta: Mapping,
}

/// A file cut into its front matter and body.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences, and its byte offset in the file.
    pub yaml: Option<(&'a str, usize)>,
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_offset: usize,
}

/// Cuts `text` at its `---` fences. A file that does not start with `---` has no front matter.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    let Some(first_line_end) = opening_fence_end(text) else {
        return Ok(Split {
            yaml: None,
            body: text,
            body_offset: 0,
        });
    };
    let mut offset = first_line_end;
    for line in text[first_line_end..].split_inclusive('\n') {
        let trimmed = line.trim_end_matches(['\n', '\r']).trim_end();
        if trimmed == "---" || trimmed == "..." {
            let body_offset = offset + line.len();
            return Ok(Split {
                yaml: Some((&text[first_line_end..offset], first_line_end)),
                body: &text[body_offset..],
                body_offset,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        Code::FrontMatterUnclosed,
        "front matter starts with `---` but never ends",
    )
    .at(file, 0..3)
    .with_help("add a line with only `---` after the last YAML key"))
}

fn opening_fence_end(text: &str) -> Option<usize> {
    let line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first = text[..line_end].trim_end_matches(['\n', '\r']).trim_end();
    (first == "---").then_some(line_end)
}

/// Parses the YAML of a front matter block that starts at byte `offset` of `file`.
pub fn parse(
    yaml: &str,
    offset: usize,
    file: &Path,
) -> Result<(FrontMatter, Vec<Diagnostic>), Diagnostic> {
    let value: Value = if yaml.trim().is_empty() {
        Value::Mapping(Mapping::new())
    } else {
        serde_yaml::from_str(yaml).map_err(|err| yaml_error(&err, yaml, offset, file))?
    };
    let meta = match value {
        Value::Mapping(map) => map,
        Value::Null => Mapping::new(),
        _ => {
            return Err(Diagnostic::error(
                Code::FrontMatterInvalid,
                "front matter must be a set of `key: value` lines",
            )
            .at(file, offset..offset + yaml.len())
            .with_help("write e.g. `title: My page` between the `---` lines"));
        }
    };

    let mut warnings = Vec::new();
    let key_span = |key: &str| find_key(yaml, key).map(|r| offset + r.start..offset + r.end);
    let string_field = |key: &str, warnings: &mut Vec<Diagnostic>| -> Option<String> {
        match meta.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null => None,
            _ => {
                let d = Diagnostic::warning(
                    Code::FrontMatterField,
                    format!("`{key}` should be text; ignored"),
                );
                warnings.push(match key_span(key) {
                    Some(span) => d.at(file, span),
                    None => d.in_file(file),
                });
                None
            }
        }
    };
    let title = string_field("title", &mut warnings);
    let description = string_field("description", &mut warnings);
    let mut date = None;
    for key in ["ms.date", "date"] {
        if date.is_some() {
            break;
        }
        if let Some(raw) = string_field(key, &mut warnings) {
            date = parse_date(&raw);
            if date.is_none() {
                let d = Diagnostic::warning(
                    Code::FrontMatterField,
                    format!("`{key}: {raw}` is not a date; the page shows no date"),
                )
                .with_help("write MM/DD/YYYY (as Microsoft Learn does) or YYYY-MM-DD");
                warnings.push(match key_span(key) {
                    Some(span) => d.at(file, span),
                    None => d.in_file(file),
                });
            }
        }
    }
    Ok((
        FrontMatter {
            title,
            description,
            date,
            meta,
        },
        warnings,
    ))
}

/// Reads `2025-05-14` and Learn's `05/14/2025`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%m/%d/%Y"))
        .ok()
}

fn yaml_error(err: &serde_yaml::Error, yaml: &str, offset: usize, file: &Path) -> Diagnostic {
    let problem = YamlProblem::of(err, yaml);
    let help = problem.help.unwrap_or(
        "front matter is YAML: `key: value` per line, lists as `[a, b]` or `- item` lines",
    );
    Diagnostic::error(
        Code::FrontMatterInvalid,
        format!("front matter is not valid YAML: {}", problem.message),
    )
    .with_help(help)
    .at(file, offset + problem.span.start..offset + problem.span.end)
}

/// A serde_yaml error, ready for a diagnostic: the message without serde_yaml's position
/// (the snippet shows it), the character it points at, and help when the cause is known.
pub struct YamlProblem {
    pub message: String,
    /// A byte range of the YAML text, on character boundaries.
    pub span: Range<usize>,
    pub help: Option<&'static str>,
}

impl YamlProblem {
    pub fn of(err: &serde_yaml::Error, yaml: &str) -> YamlProblem {
        let message = err.to_string();
        let message = match message.find(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        let span = match duplicate_key_span(&message, yaml) {
            Some(span) => span,
            None => match err.location() {
                Some(loc) => {
                    let mut start = loc.index().min(yaml.len());
                    while !yaml.is_char_boundary(start) {
                        start -= 1;
                    }
                    let len = yaml[start..].chars().next().map_or(0, char::len_utf8);
                    start..start + len
                }
                None => 0..yaml.len(),
            },
        };
        // serde_yaml's bounds against hostile YAML: aliases may replay at most 100 events
        // per event of the document ("billion laughs"), and values nest at most 128 deep.
        let help = if message.contains("repetition limit exceeded") {
            Some(
                "ppdocs refuses YAML whose aliases (`*name`) expand to more than 100 times the document's size; write the values out instead of repeating aliases",
            )
        } else if message.contains("recursion limit exceeded") {
            Some("ppdocs accepts YAML nested at most 128 levels deep; flatten the value")
        } else if yaml.contains('\t') {
            Some("YAML does not allow tabs for indentation; indent with spaces")
        } else if message.contains("duplicate") {
            Some("each key may appear once; remove or rename the repeated one")
        } else {
            None
        };
        YamlProblem {
            message,
            span,
            help,
        }
    }
}

/// serde_yaml points a duplicate key at its mapping; point at the repeated key instead.
fn duplicate_key_span(message: &str, yaml: &str) -> Option<Range<usize>> {
    let key = message
        .strip_prefix("duplicate entry with key \"")?
        .strip_suffix('"')?;
    let first = find_key(yaml, key)?;
    let second = find_key(&yaml[first.end..], key)?;
    Some(first.end + second.start..first.end + second.end)
}

/// The byte range of `key:` at the start of a line of `yaml`, for pointing at a field.
pub fn find_key(yaml: &str, key: &str) -> Option<Range<usize>> {
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with(':')
        {
            return Some(offset + indent..offset + indent + key.len());
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path() -> &'static Path {
        Path::new("content/a.md")
    }

    #[test]
    fn splits_front_matter_with_crlf() {
        let text = "---\r\ntitle: A\r\n---\r\n# Body\r\n";
        let split = split(text, path()).unwrap();
        assert_eq!(split.yaml, Some(("title: A\r\n", 5)));
        assert_eq!(split.body, "# Body\r\n");
        assert_eq!(&text[split.body_offset..], split.body);
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let split = split("# Hi\n---\n", path()).unwrap();
        assert_eq!(split.yaml, None);
        assert_eq!(split.body_offset, 0);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let err = split("---\ntitle: A\n# Body\n", path()).unwrap_err();
        assert_eq!(err.code, Code::FrontMatterUnclosed);
    }

    #[test]
    fn reads_learn_fields_and_keeps_unknown_keys() {
        let yaml =
            "title: Checklist\n#customer intent: comment\nms.date: 05/14/2025\nms.custom:\n  - a\n";
        let (fm, warnings) = parse(yaml, 4, path()).unwrap();
        assert!(warnings.is_empty());
        assert_eq!(fm.title.as_deref(), Some("Checklist"));
        assert_eq!(fm.date, NaiveDate::from_ymd_opt(2025, 5, 14));
        assert!(fm.meta.contains_key("ms.custom"));
    }

    #[test]
    fn yaml_error_points_into_the_file() {
        let yaml = "title: A\nbad: [unclosed\n";
        let err = parse(yaml, 4, path()).unwrap_err();
        assert_eq!(err.code, Code::FrontMatterInvalid);
        assert!(err.span.clone().unwrap().start >= 4 + 9, "{:?}", err.span);
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = parse("title: A\ntitle: B\n", 4, path()).unwrap_err();
        assert!(err.message.contains("duplicate"), "{}", err.message);
    }

    #[test]
    fn bad_date_is_a_warning_naming_the_key() {
        let (fm, warnings) = parse("ms.date: 13/45/2025\n", 4, path()).unwrap();
        assert_eq!(fm.date, None);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].span, Some(4..11));
    }
}

//! `content/frameworks.yaml`: which checklist tasks address which controls of GDPR, HIPAA,
//! CCPA, PCI DSS, or any framework the project defines.

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Code, Diagnostic};
use crate::parse::evidence::Located;
use crate::parse::front_matter::YamlProblem;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDef {
    frameworks: Vec<FrameworkDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrameworkDef {
    id: String,
    name: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    controls: Vec<ControlDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ControlDef {
    id: String,
    title: String,
    #[serde(default)]
    tasks: Vec<String>,
}

/// A framework and its controls, task IDs not yet checked.
#[derive(Clone, Debug)]
pub struct FrameworkDraft {
    /// The tag evidence uses: `GDPR`, `PCI-DSS`.
    pub id: String,
    pub name: String,
    pub url: Option<String>,
    pub description: Option<String>,
    pub controls: Vec<ControlDraft>,
}

#[derive(Clone, Debug)]
pub struct ControlDraft {
    pub id: String,
    pub title: String,
    pub tasks: Vec<Located<String>>,
}

/// Parses the mapping file at `path`.
pub fn parse_frameworks(text: &str, path: &Path) -> (Vec<FrameworkDraft>, Vec<Diagnostic>) {
    let file: FileDef = match serde_yaml::from_str(text) {
        Ok(file) => file,
        Err(err) => {
            let problem = YamlProblem::of(&err, text);
            let d = Diagnostic::error(Code::FrameworksInvalid, format!("frameworks.yaml: {}", problem.message))
                .at(path, problem.span)
                .with_help(problem.help.unwrap_or("each framework has `id`, `name`, optional `url` and `description`, and `controls` (each with `id`, `title`, `tasks`)"));
            return (Vec::new(), vec![d]);
        }
    };
    let mut diagnostics = Vec::new();
    let mut seen = HashSet::new();
    let mut search_from = 0;
    let mut frameworks = Vec::new();
    for framework in file.frameworks {
        if !seen.insert(framework.id.clone()) {
            let at = text.find(&format!("id: {}", framework.id)).unwrap_or(0);
            diagnostics.push(
                Diagnostic::error(
                    Code::FrameworksInvalid,
                    format!("framework `{}` is defined twice", framework.id),
                )
                .at(path, at..at + framework.id.len() + 4)
                .with_help("merge the two definitions"),
            );
        }
        let controls = framework
            .controls
            .into_iter()
            .map(|control| {
                // Point each task at its own occurrence, scanning forward through the file.
                let control_at = text[search_from..]
                    .find(&control.id)
                    .map_or(search_from, |i| search_from + i);
                search_from = control_at;
                let tasks = control
                    .tasks
                    .into_iter()
                    .map(|task| {
                        let start = crate::parse::evidence::find_token(&text[search_from..], &task)
                            .map_or(search_from, |i| search_from + i);
                        search_from = start;
                        Located {
                            span: start..start + task.len(),
                            value: task,
                        }
                    })
                    .collect();
                ControlDraft {
                    id: control.id,
                    title: control.title,
                    tasks,
                }
            })
            .collect();
        frameworks.push(FrameworkDraft {
            id: framework.id,
            name: framework.name,
            url: framework.url,
            description: framework.description,
            controls,
        });
    }
    (frameworks, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frameworks_parse_with_task_spans() {
        let text = "frameworks:\n  - id: GDPR\n    name: General Data Protection Regulation\n    controls:\n      - id: \"Art. 32\"\n        title: Security of processing\n        tasks: [DPP-01, IAM-04]\n";
        let (frameworks, diagnostics) =
            parse_frameworks(text, Path::new("content/frameworks.yaml"));
        assert!(diagnostics.is_empty());
        let task = &frameworks[0].controls[0].tasks[1];
        assert_eq!(task.value, "IAM-04");
        assert_eq!(&text[task.span.clone()], "IAM-04");
    }

    #[test]
    fn unknown_keys_are_errors() {
        let (_, diagnostics) =
            parse_frameworks("frameworks:\n  - id: X\n    nme: Y\n", Path::new("f.yaml"));
        assert_eq!(diagnostics[0].code, Code::FrameworksInvalid);
        assert!(
            diagnostics[0].message.contains("nme"),
            "{}",
            diagnostics[0].message
        );
    }
}

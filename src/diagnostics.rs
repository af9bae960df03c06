//! One vocabulary for everything that can be wrong with a project.
//!
//! Content problems are values, not panics: every phase returns what it built *and* the
//! [`Diagnostic`]s it found, so a user sees every problem in one run. A diagnostic stores a
//! byte span in the original file; `file:line:col` and the source snippet are computed only
//! here, when diagnostics are printed.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

/// How bad a diagnostic is. Errors fail the build; warnings are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Warning,
    Error,
}

macro_rules! codes {
    ($($variant:ident => $name:literal: $doc:literal,)*) => {
        /// Stable, kebab-case identifiers of every diagnostic ppdocs emits. CI scripts match
        /// on them (`ppdocs check --format json`), so never rename one.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(#[doc = $doc] $variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }
        }
    };
}

codes! {
    ConfigInvalid => "config-invalid": "`ppdocs.toml` is not valid TOML or has an unknown or mistyped key.",
    UnknownTheme => "unknown-theme": "The configured theme has no folder under `themes/`.",
    ThemeFileUnreadable => "theme-file-unreadable": "A theme file could not be read.",
    TemplateInvalid => "template-invalid": "A theme template failed to compile or render.",
    ContentMissing => "content-missing": "The project has no `content/` folder.",
    FileUnreadable => "file-unreadable": "A content file could not be read (permissions, symlink loop, ...).",
    InvalidUtf8 => "invalid-utf8": "A content file is not valid UTF-8.",
    ContentTooLarge => "content-too-large": "A file or page exceeds a bound ppdocs sets to protect the machine: file size, nesting depth, tasks per page.",
    FrontMatterUnclosed => "front-matter-unclosed": "Front matter starts with `---` but never ends.",
    FrontMatterInvalid => "front-matter-invalid": "Front matter is not valid YAML or not a mapping.",
    FrontMatterField => "front-matter-field": "A front-matter field has the wrong type or value.",
    ChecklistBadMark => "checklist-bad-mark": "The first cell of a checklist row is not a check mark or empty box.",
    ChecklistEmptyTask => "checklist-empty-task": "A checklist row has no task text.",
    ChecklistExtraCells => "checklist-extra-cells": "A checklist row has more cells than its header; the extra cells would be lost.",
    ChecklistOutsideSection => "checklist-outside-section": "A checklist appears before the first `##` section heading.",
    TaskIdInvalid => "task-id-invalid": "An explicit task ID has characters ppdocs does not allow.",
    TaskIdDuplicate => "task-id-duplicate": "Two tasks share one ID.",
    SectionPrefixDuplicate => "section-prefix-duplicate": "Two sections have the same task-ID prefix (a derived one is renumbered, an explicit one is an error).",
    IncludeNotFound => "include-not-found": "`[!INCLUDE]` names a file that does not exist under `content/`.",
    IncludeCycle => "include-cycle": "Includes form a cycle.",
    IncludeTooLarge => "include-too-large": "Includes add more text to one page than ppdocs accepts.",
    SectionPrefixInvalid => "section-prefix-invalid": "An explicit section prefix has characters ppdocs does not allow.",
    LearnMarkerMisplaced => "learn-marker-misplaced": "An alert or `[!div]` marker is not the first line of its block quote.",
    LearnSyntaxUnsupported => "learn-syntax-unsupported": "A Microsoft Learn extension ppdocs cannot render.",
    LinkBroken => "link-broken": "A relative link points at a file that does not exist.",
    AnchorBroken => "anchor-broken": "A link's `#fragment` names no heading of its target page.",
    HostLimit => "host-limit": "The output breaks a limit or rule of the `--target` host (file size, dotfiles, `<%`).",
    PathTooLong => "path-too-long": "An output path is longer than SharePoint's 400-character limit.",
    OutputConflict => "output-conflict": "Two sources would be written to the same output file.",
    EvidenceInvalid => "evidence-invalid": "An evidence file has a missing, unknown or malformed field.",
    EvidenceUnknownTask => "evidence-unknown-task": "An evidence record names a task ID that no checklist has.",
    AttachmentInvalid => "attachment-invalid": "An attachment is missing, absolute, or outside the project.",
    FrameworksInvalid => "frameworks-invalid": "`content/frameworks.yaml` is malformed or names an unknown task.",
    FrameworkUnknown => "framework-unknown": "An evidence record names a framework `frameworks.yaml` does not define.",
    TrainingInvalid => "training-invalid": "A training module's front matter has a missing or unknown value.",
    TrainingUnknownModule => "training-unknown-module": "An evidence record names a training module that does not exist.",
    LockInvalid => "lock-invalid": "`ppdocs.lock` cannot be read.",
    LockOutdated => "lock-outdated": "Tasks were added, removed or reworded since `ppdocs lock` last ran.",
}

/// A problem found in the project, with where it is and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// Path relative to the project root (`content/foo.md`), when the problem is in a file.
    pub file: Option<PathBuf>,
    /// Byte range in the original text of `file`.
    pub span: Option<Range<usize>>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            file: None,
            span: None,
            help: None,
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, file: impl Into<PathBuf>, span: Range<usize>) -> Self {
        self.file = Some(file.into());
        self.span = Some(span);
        self
    }

    pub fn with_code(mut self, code: Code) -> Self {
        self.code = code;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The original text of every file a diagnostic may point into, keyed by project-relative path.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    files: BTreeMap<PathBuf, Arc<str>>,
}

impl Sources {
    pub fn insert(&mut self, path: PathBuf, text: Arc<str>) {
        self.files.insert(path, text);
    }

    /// Adds many files. Given in path order (as `load` walks them), the map is built in one
    /// pass; inserting each would compare paths, component by component, log n times.
    pub fn extend(&mut self, files: impl IntoIterator<Item = (PathBuf, Arc<str>)>) {
        let old = std::mem::take(&mut self.files);
        // A later entry wins, as with `insert`.
        self.files = old.into_iter().chain(files).collect();
    }

    pub fn get(&self, path: &Path) -> Option<&str> {
        self.files.get(path).map(|t| &**t)
    }

    /// Every file's path, in order.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.keys().map(PathBuf::as_path)
    }
}

/// A 1-based line and column (in characters), as editors count them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for LineCol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Where `offset` falls in `text`. Offsets past the end clamp to the end.
pub fn line_col(text: &str, offset: usize) -> LineCol {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    LineCol {
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

impl Diagnostic {
    /// Renders the diagnostic the way rustc does: message, location, snippet, help.
    pub fn render(&self, sources: &Sources, styled: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = self.file.as_ref().map(|p| p.display().to_string());
        let mut group =
            Group::with_title(level.primary_title(&self.message).id(self.code.as_str()));
        match (
            &path,
            &self.span,
            self.file.as_ref().and_then(|f| sources.get(f)),
        ) {
            (Some(path), Some(span), Some(text)) => {
                let span = clamp_span(text, span.clone());
                group = group.element(
                    Snippet::source(text)
                        .path(path.as_str())
                        .fold(true)
                        .annotation(AnnotationKind::Primary.span(span)),
                );
            }
            (Some(path), _, _) => {
                group = group.element(Level::NOTE.message(format!("in {path}")));
            }
            _ => {}
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help));
        }
        let report: [Group; 1] = [group];
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&report)
    }

    /// The machine-readable form used by `ppdocs check --format json`.
    pub fn to_json(&self, sources: &Sources) -> serde_json::Value {
        let position = match (&self.file, &self.span) {
            (Some(file), Some(span)) => sources.get(file).map(|t| line_col(t, span.start)),
            _ => None,
        };
        serde_json::json!({
            "code": self.code.as_str(),
            "severity": self.severity,
            "message": self.message,
            "file": self.file.as_ref().map(|f| f.to_string_lossy().replace('\\', "/")),
            "line": position.map(|p| p.line),
            "column": position.map(|p| p.column),
            "help": self.help,
        })
    }
}

/// Keeps a span inside the text and on character boundaries, so rendering never panics.
fn clamp_span(text: &str, span: Range<usize>) -> Range<usize> {
    let fix = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = fix(span.start);
    let end = fix(span.end.max(span.start));
    start..end.max(start)
}

/// Diagnostics gathered by a phase, in a stable order for printing.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.span.as_ref().map(|s| s.start), a.code).cmp(&(
            &b.file,
            b.span.as_ref().map(|s| s.start),
            b.code,
        ))
    });
}

pub fn count_errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.is_error()).count()
}

/// The closest candidate to `wanted` by edit distance, for "did you mean" hints.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted = wanted.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&wanted, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn sources_extended_keep_path_order_and_the_later_text() {
        let mut sources = Sources::default();
        sources.insert("ppdocs.toml".into(), Arc::from("config"));
        sources.insert("content/b.md".into(), Arc::from("old"));
        sources.extend([
            ("content/a.md".into(), Arc::from("a")),
            ("content/b.md".into(), Arc::from("new")),
        ]);
        let paths: Vec<&Path> = sources.paths().collect();
        assert_eq!(
            paths,
            ["content/a.md", "content/b.md", "ppdocs.toml"].map(Path::new)
        );
        assert_eq!(sources.get(Path::new("content/b.md")), Some("new"));
    }

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut seen = HashSet::new();
        for code in Code::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "duplicate code {name}");
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{name} is not kebab-case"
            );
        }
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ab\n✓✓x\n";
        assert_eq!(line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(line_col(text, 3), LineCol { line: 2, column: 1 });
        assert_eq!(line_col(text, 9), LineCol { line: 2, column: 3 });
        // Inside a multi-byte character and past the end: clamped, no panic.
        assert_eq!(line_col(text, 4), LineCol { line: 2, column: 1 });
        assert_eq!(line_col(text, 999), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn render_names_file_line_and_help() {
        let mut sources = Sources::default();
        sources.insert("content/a.md".into(), Arc::from("one\ntwo bad\n"));
        let d = Diagnostic::error(Code::ChecklistBadMark, "not a check mark")
            .at("content/a.md", 8..11)
            .with_help("use ✓ or leave the cell empty");
        let out = d.render(&sources, false);
        assert!(out.contains("content/a.md:2:5"), "{out}");
        assert!(out.contains("checklist-bad-mark"), "{out}");
        assert!(out.contains("use ✓ or leave the cell empty"), "{out}");
    }

    #[test]
    fn did_you_mean_finds_close_names() {
        assert_eq!(did_you_mean("titel", ["title", "theme"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["title", "theme"]), None);
    }
}

//! Entry points shared by the fuzz targets (`fuzz/`) and the property tests
//! (`tests/properties.rs`): arbitrary bytes in, the parse stage run on them, and the
//! properties every input must keep checked. Not part of the command line.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Sources};
use crate::load::{ContentFile, ContentKind};
use crate::parse::{self, ContentIndex, PageSettings};

/// The include a fuzzed page can pull in with `[!INCLUDE[x](includes/part.md)]`.
const INCLUDE: &str = "content/includes/part.md";

/// Parses `data` as a page (and, after its first 0xFF byte, as an include the page may
/// use). The first byte's low bits choose a training module or a page, and `sanitize`.
pub fn page(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let (page, include) = match rest.iter().position(|&b| b == 0xFF) {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, &[][..]),
    };
    let (Ok(page), Ok(include)) = (std::str::from_utf8(page), std::str::from_utf8(include)) else {
        return;
    };
    let training = flags & 1 == 1;
    let (path, kind) = if training {
        ("content/training/module.md", ContentKind::Training)
    } else {
        ("content/page.md", ContentKind::Page)
    };
    let file = ContentFile {
        path: PathBuf::from(path),
        text: Arc::from(page),
        kind,
    };
    let mut index = ContentIndex::new();
    index.insert(file.path.clone(), file.text.clone());
    index.insert(PathBuf::from(INCLUDE), Arc::from(include));
    let settings = PageSettings {
        learn_base_url: "https://learn.microsoft.com".to_string(),
        sanitize: flags & 2 == 2,
    };
    let (document, diagnostics) = parse::parse_document(&file, &index, &settings);
    if let Some(document) = &document {
        for section in &document.sections {
            for task in &section.tasks {
                assert_span_in(&index, &task.file, &task.span);
            }
        }
    }
    check_diagnostics(&index, &diagnostics);
}

/// Parses `data` as an evidence record; the first byte chooses a `.md` or `.yaml` file.
pub fn evidence(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let path = if flags & 1 == 1 {
        "content/evidence/tp/record.yaml"
    } else {
        "content/evidence/tp/record.md"
    };
    let file = ContentFile {
        path: PathBuf::from(path),
        text: Arc::from(text),
        kind: ContentKind::Evidence,
    };
    let (record, diagnostics) = parse::evidence::parse_evidence(&file);
    let mut index = ContentIndex::new();
    index.insert(file.path.clone(), file.text.clone());
    if let Some(record) = record {
        for task in &record.tasks {
            assert_span_in(&index, &file.path, &task.span);
        }
        assert!(
            !record.notes_html.contains("<script"),
            "{}",
            record.notes_html
        );
    }
    check_diagnostics(&index, &diagnostics);
}

/// Every diagnostic points inside the file it names, and prints.
fn check_diagnostics(index: &ContentIndex, diagnostics: &[Diagnostic]) {
    let mut sources = Sources::default();
    for (path, text) in index {
        sources.insert(path.clone(), text.clone());
    }
    for diagnostic in diagnostics {
        if let (Some(file), Some(span)) = (&diagnostic.file, &diagnostic.span) {
            assert_span_in(index, file, span);
        }
        diagnostic.render(&sources, false);
        diagnostic.to_json(&sources);
    }
}

fn assert_span_in(index: &ContentIndex, file: &Path, span: &std::ops::Range<usize>) {
    let text = index
        .get(file)
        .unwrap_or_else(|| panic!("span in unknown file {}", file.display()));
    assert!(
        span.start <= span.end && text.get(span.clone()).is_some(),
        "span {span:?} is not a range of {} ({} bytes)",
        file.display(),
        text.len()
    );
}

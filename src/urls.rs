//! Where each source lands in the output, and the way from a page back to the output root.
//!
//! Every internal link ppdocs writes is relative to the page and names a file
//! (`../threat-protection/index.html`), so one output works at a domain root, under a
//! sub-path, and from `file://`: links are written relative to the root and prefixed with
//! [`root_prefix`] of the page that shows them.

use std::path::Path;

use crate::load::CONTENT_DIR;

/// The training hub's page; `content/training/index.md` is its introduction.
pub const TRAINING_HUB: &str = "training/index.html";

/// `content/foo/Bar Baz.md` → `foo/bar-baz/index.html`; `content/index.md` → `index.html`.
pub fn page_output(source: &Path) -> String {
    let rel = source.strip_prefix(CONTENT_DIR).unwrap_or(source);
    let mut parts: Vec<String> = rel
        .parent()
        .into_iter()
        .flat_map(|p| p.components())
        .map(|c| slugify(&c.as_os_str().to_string_lossy()))
        .collect();
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    if stem != "index" && stem != "_index" {
        parts.push(slugify(&stem));
    }
    parts.push("index.html".to_string());
    parts.join("/")
}

/// `content/media/a.png` → `media/a.png`: static files keep their names.
pub fn static_output(source: &Path) -> String {
    let rel = source.strip_prefix(CONTENT_DIR).unwrap_or(source);
    rel.to_string_lossy().replace('\\', "/")
}

/// A URL slug: lowercase ASCII letters, digits and single dashes (Unicode is transliterated).
pub fn slugify(text: &str) -> String {
    let slug = slug::slugify(text);
    if slug.is_empty() {
        "page".to_string()
    } else {
        slug
    }
}

/// `../` repeated once per folder of `page`: the way back to the output root.
pub fn root_prefix(page: &str) -> String {
    "../".repeat(page.matches('/').count())
}

/// Percent-encodes what may not appear raw in a URL path (spaces, `#`, `%`, `?`, ...).
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b':'
            | b'@' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// `https:`, `mailto:`, `data:`... before any `/`, `?` or `#`; not a Windows drive (`C:`).
pub fn has_scheme(url: &str) -> bool {
    let Some((scheme, _)) = url.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    scheme.len() > 1
        && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_become_folders_with_index_html() {
        assert_eq!(
            page_output(Path::new("content/security-checklist.md")),
            "security-checklist/index.html"
        );
        assert_eq!(page_output(Path::new("content/index.md")), "index.html");
        assert_eq!(
            page_output(Path::new("content/guides/index.md")),
            "guides/index.html"
        );
        assert_eq!(
            page_output(Path::new("content/My Notes/Q1 #2 (50%).md")),
            "my-notes/q1-2-50/index.html"
        );
    }

    #[test]
    fn schemes_are_told_from_paths_and_drives() {
        for url in [
            "https://x.test/",
            "mailto:a@b.c",
            "data:image/png;base64,",
            "ms-word:x",
        ] {
            assert!(has_scheme(url), "{url}");
        }
        for url in ["C:/notes.md", "a/b:c", "../x.html", "#top", "1x:y"] {
            assert!(!has_scheme(url), "{url}");
        }
    }

    #[test]
    fn root_prefix_climbs_one_folder_per_level() {
        assert_eq!(root_prefix("a/b/index.html"), "../../");
        assert_eq!(root_prefix("index.html"), "");
    }
}

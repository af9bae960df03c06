//! Publishing: the rendered site shaped for its host (`target` in `ppdocs.toml`, or
//! `--target`), and every internal link in it proven to resolve.
//!
//! Sits between render and write. Sees the site and the rendered files; renames files the
//! host needs renamed (SharePoint's `.aspx` pages and safe names, GitHub Pages'
//! content-hashed assets), rewrites every link to them, adds the host's extra files
//! (`.nojekyll`, `sitemap.xml`, the SharePoint upload script), and fails the build on a
//! link or `#anchor` that leads nowhere. It reads nothing from disk but the sizes of the
//! static files it copies, for the hosts' size limits.

mod github;
mod html;
pub mod links;
mod report;
mod sharepoint;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Target;
use crate::diagnostics::{Code, Diagnostic, Sources};
use crate::render::{OutputFile, search};
use crate::site::Site;
use crate::urls;
use crate::write::MARKER_FILE;
use links::{PageScan, Renames};

pub use report::self_contained;
pub use sharepoint::UPLOAD_SCRIPT;

/// Output files ppdocs adds beside the pages: no content may be written there.
pub const RESERVED_FILES: [&str; 4] = [
    "sitemap.xml",
    github::NO_JEKYLL,
    sharepoint::UPLOAD_SCRIPT,
    search::SEARCH_PAGE,
];

/// The site as it will be written: rendered files and static files (output path, source).
pub struct Published {
    pub files: Vec<OutputFile>,
    pub static_files: Vec<(String, PathBuf)>,
}

/// Shapes `files` (and the site's static files) for the configured target and checks every
/// link. Errors are broken links and paths the host refuses; warnings are host limits.
pub fn publish(
    site: &Site,
    mut files: Vec<OutputFile>,
    sources: &Sources,
) -> (Option<Published>, Vec<Diagnostic>) {
    let target = site.config.target;
    let base_url = site.config.base_url.as_deref();
    let mut diagnostics = Vec::new();
    let mut static_files = site.static_files.clone();

    let renames = match target {
        Target::Default => Renames::new(),
        Target::GithubPages => github::asset_renames(&files),
        Target::Sharepoint => sharepoint::renames(
            files
                .iter()
                .map(|f| f.path.as_str())
                .chain(static_files.iter().map(|(o, _)| o.as_str())),
            &site.config.sharepoint.page_extension,
        ),
    };

    let scanned: Vec<links::Scanned> = files
        .par_iter()
        .map(|file| {
            if file.path.ends_with(".html") {
                links::scan(&file.path, &file.contents, &renames, base_url)
            } else {
                Ok((PageScan::default(), None))
            }
        })
        .collect();
    let mut scans = Vec::new();
    for (file, result) in files.iter_mut().zip(scanned) {
        match result {
            Ok((scan, rewritten)) => {
                if file.path.ends_with(".html") {
                    scans.push((file.path.clone(), scan));
                }
                if let Some(bytes) = rewritten {
                    file.contents = Arc::from(bytes);
                }
            }
            Err(err) => diagnostics.push(Diagnostic::error(
                Code::TemplateInvalid,
                format!("{} is not well-formed HTML: {err}", file.path),
            )),
        }
    }
    let outputs: HashSet<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .chain(static_files.iter().map(|(o, _)| o.as_str()))
        .collect();
    for broken in links::verify(&scans, &outputs) {
        diagnostics.push(broken_link(site, sources, &broken));
    }
    drop(outputs);

    if !renames.is_empty() {
        apply_renames(&mut files, &mut static_files, &renames);
    }
    match target {
        Target::Default => {}
        Target::GithubPages => {
            files.push(OutputFile {
                path: github::NO_JEKYLL.to_string(),
                contents: Arc::from(&b""[..]),
            });
            diagnostics.extend(github_warnings(site, &files, &static_files));
        }
        Target::Sharepoint => {
            diagnostics.extend(sharepoint_checks(site, &mut files, &static_files));
        }
    }
    if let Some(base) = base_url {
        files.push(sitemap(base, &files, &site.config));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    static_files.sort();

    if crate::diagnostics::count_errors(&diagnostics) > 0 {
        return (None, diagnostics);
    }
    (
        Some(Published {
            files,
            static_files,
        }),
        diagnostics,
    )
}

/// Gives every file its new name, and maps the URLs inside the machine-readable files
/// (`records.json`, the search index) too.
fn apply_renames(
    files: &mut [OutputFile],
    static_files: &mut [(String, PathBuf)],
    renames: &Renames,
) {
    for file in files.iter_mut() {
        if file.path == "records.json" || file.path == search::INDEX_PATH {
            file.contents = Arc::from(rename_json_urls(&file.contents, renames));
        }
        if let Some(new) = renames.get(&file.path) {
            file.path = new.clone();
        }
    }
    for (output, _) in static_files.iter_mut() {
        if let Some(new) = renames.get(output.as_str()) {
            *output = new.clone();
        }
    }
}

/// Every JSON string that is a renamed output path (with or without a `#fragment`), renamed.
/// Accepts plain JSON and the search index script (JSON between a prefix and a suffix).
fn rename_json_urls(bytes: &[u8], renames: &Renames) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    let (prefix, json, suffix) = match text
        .strip_prefix(search::INDEX_PREFIX)
        .and_then(|rest| rest.strip_suffix(search::INDEX_SUFFIX))
    {
        Some(json) => (search::INDEX_PREFIX, json, search::INDEX_SUFFIX),
        None => ("", text.as_ref(), ""),
    };
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(json) else {
        return bytes.to_vec();
    };
    rename_strings(&mut value, renames);
    let json = if prefix.is_empty() {
        serde_json::to_string_pretty(&value)
    } else {
        serde_json::to_string(&value)
    }
    .unwrap_or_default()
    .replace('<', "\\u003c");
    let newline = if prefix.is_empty() { "\n" } else { "" };
    format!("{prefix}{json}{newline}{suffix}").into_bytes()
}

fn rename_strings(value: &mut serde_json::Value, renames: &Renames) {
    match value {
        serde_json::Value::String(s) => {
            let (path, fragment) = s
                .split_once('#')
                .map_or((s.as_str(), None), |(p, f)| (p, Some(f)));
            if let Some(new) = renames.get(path) {
                *s = match fragment {
                    Some(f) => format!("{new}#{f}"),
                    None => new.clone(),
                };
            }
        }
        serde_json::Value::Array(items) => {
            items.iter_mut().for_each(|v| rename_strings(v, renames))
        }
        serde_json::Value::Object(map) => map.values_mut().for_each(|v| rename_strings(v, renames)),
        _ => {}
    }
}

/// A broken link, pointed at the source that wrote it when one can be found: the page's
/// own Markdown first, then any source that contains the link as written.
fn broken_link(site: &Site, sources: &Sources, broken: &links::Broken) -> Diagnostic {
    let code = if broken.anchor {
        Code::AnchorBroken
    } else {
        Code::LinkBroken
    };
    let diagnostic = Diagnostic::error(
        code,
        format!(
            "the link `{}` on {}: {}",
            broken.href, broken.page, broken.problem
        ),
    );
    let own_source = site.pages.iter().find_map(|page| {
        let document = &page.document;
        let shows_it = document.output == broken.page
            || page.article.is_some_and(|a| {
                site.articles[a]
                    .sections
                    .iter()
                    .any(|s| s.output == broken.page)
            });
        shows_it.then_some(document.source.as_path())
    });
    let found = own_source
        .into_iter()
        .chain(sources.paths())
        .find_map(|path| {
            let at = find_link(sources.get(path)?, &broken.href)?;
            Some((path, at..at + broken.href.len()))
        });
    let diagnostic = match (found, own_source) {
        (Some((path, span)), _) => diagnostic.at(path, span),
        (None, Some(path)) => diagnostic.in_file(path),
        (None, None) => diagnostic,
    };
    diagnostic.with_help(if broken.anchor {
        "link to an id the page has (headings get one from their text; tasks are `#task-ID`)"
    } else {
        "link relative to the page, to a file the build writes (`../threat-protection/index.html`); a link the theme writes is fixed in its template"
    })
}

/// Where `href` is written in `text` as a whole attribute value or Markdown link target.
fn find_link(text: &str, href: &str) -> Option<usize> {
    text.match_indices(href).map(|(at, _)| at).find(|&at| {
        let before = text[..at].chars().next_back();
        let after = text[at + href.len()..].chars().next();
        matches!(before, Some('"' | '\'' | '(' | '=' | '<'))
            && matches!(after, Some('"' | '\'' | ')' | ' ' | '>'))
    })
}

fn github_warnings(
    site: &Site,
    files: &[OutputFile],
    static_files: &[(String, PathBuf)],
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    if site.config.base_url.is_none() {
        warnings.push(
            Diagnostic::warning(
                Code::HostLimit,
                "GitHub Pages serves 404.html at any missing URL, where its relative links break",
            )
            .with_help("pass --base-url https://OWNER.github.io/REPO/ (or set base_url) so the 404 page links absolutely"),
        );
    }
    let sizes = files
        .iter()
        .map(|f| (f.path.as_str(), f.contents.len() as u64))
        .chain(
            static_files
                .iter()
                .map(|(o, source)| (o.as_str(), file_size(source))),
        );
    let mut total = 0;
    for (path, size) in sizes {
        total += size;
        if size > github::FILE_LIMIT {
            warnings.push(
                Diagnostic::warning(
                    Code::HostLimit,
                    format!(
                        "{path} is {} MiB; GitHub Pages refuses files over 100 MiB",
                        size >> 20
                    ),
                )
                .with_help("keep large evidence on a private host and link to it"),
            );
        }
        if github::is_dropped_dotfile(path, MARKER_FILE) {
            warnings.push(
                Diagnostic::warning(
                    Code::HostLimit,
                    format!(
                        "{path} starts with a dot; the Pages upload action leaves dotfiles out"
                    ),
                )
                .with_help("rename it without the leading dot"),
            );
        }
    }
    if total > github::SITE_LIMIT {
        warnings.push(
            Diagnostic::warning(
                Code::HostLimit,
                format!(
                    "the site is {} MiB; GitHub Pages sites may be at most 1 GB",
                    total >> 20
                ),
            )
            .with_help("publish evidence attachments elsewhere, or split the site"),
        );
    }
    warnings
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// SharePoint: no `<%` in pages or generated data, every path within 400 characters, and the
/// upload script.
fn sharepoint_checks(
    site: &Site,
    files: &mut Vec<OutputFile>,
    static_files: &[(String, PathBuf)],
) -> Vec<Diagnostic> {
    let settings = &site.config.sharepoint;
    let page_suffix = format!(".{}", settings.page_extension);
    let mut diagnostics = Vec::new();
    for file in files.iter_mut() {
        if file.path.ends_with(&page_suffix) {
            if let Some(escaped) = sharepoint::escape_code_blocks(&file.contents) {
                file.contents = Arc::from(escaped);
            }
        } else if (file.path.ends_with(".js")
            || file.path.ends_with(".css")
            || file.path.ends_with(".json"))
            && file.contents.windows(2).any(|w| w == b"<%")
        {
            diagnostics.push(
                Diagnostic::error(
                    Code::HostLimit,
                    format!("{} contains `<%`, which SharePoint rejects", file.path),
                )
                .with_help("remove `<%` from the theme file (write `<` and `%` apart)"),
            );
        }
    }
    let paths = files
        .iter()
        .map(|f| f.path.as_str())
        .chain(static_files.iter().map(|(o, _)| o.as_str()));
    for (path, length) in sharepoint::too_long(paths, &settings.site_path) {
        diagnostics.push(
            Diagnostic::error(
                Code::PathTooLong,
                format!(
                    "{}/{path} is {length} characters; SharePoint allows {}",
                    settings.site_path.trim_matches('/'),
                    sharepoint::PATH_LIMIT
                ),
            )
            .with_help("shorten the file, folder or section names in it, or `sharepoint.site_path` in ppdocs.toml"),
        );
    }
    files.push(OutputFile {
        path: sharepoint::UPLOAD_SCRIPT.to_string(),
        contents: Arc::from(
            sharepoint::upload_script(&settings.site_path, MARKER_FILE).into_bytes(),
        ),
    });
    diagnostics
}

/// `sitemap.xml`: every page but the 404 page and the search page, under the base URL.
fn sitemap(base: &str, files: &[OutputFile], config: &crate::config::Config) -> OutputFile {
    let page_suffix = match config.target {
        Target::Sharepoint => format!(".{}", config.sharepoint.page_extension),
        _ => ".html".to_string(),
    };
    let search_page = search::SEARCH_PAGE.trim_end_matches(".html");
    let mut pages: Vec<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| p.ends_with(&page_suffix))
        .filter(|p| !p.starts_with("404.") && !p.starts_with(search_page))
        .collect();
    pages.sort_unstable();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in pages {
        let url = format!("{base}{}", urls::encode_path(page));
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            url.replace('&', "&amp;").replace('<', "&lt;")
        ));
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: "sitemap.xml".to_string(),
        contents: Arc::from(xml.into_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_urls_follow_renames() {
        let renames: Renames = [("a/index.html".to_string(), "a/index.aspx".to_string())].into();
        let json = br#"{"url":"a/index.html#task-X","other":"a/index.html.bak","n":1}"#;
        let out = String::from_utf8(rename_json_urls(json, &renames)).unwrap();
        assert!(out.contains(r#""url": "a/index.aspx#task-X""#), "{out}");
        assert!(out.contains(r#""other": "a/index.html.bak""#));
        let script = format!(
            "{}{}{}",
            search::INDEX_PREFIX,
            r#"{"e":["a/index.html"]}"#,
            search::INDEX_SUFFIX
        );
        let out = String::from_utf8(rename_json_urls(script.as_bytes(), &renames)).unwrap();
        assert_eq!(
            out,
            format!(
                "{}{}{}",
                search::INDEX_PREFIX,
                r#"{"e":["a/index.aspx"]}"#,
                search::INDEX_SUFFIX
            )
        );
    }
}

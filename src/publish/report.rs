//! The one-file compliance report: the rendered `report.html` made self-contained. Stylesheets
//! are inlined, images become `data:` URIs, scripts are dropped, links into the report become
//! `#fragment` links and links to the rest of the site become plain text.

use std::collections::HashSet;
use std::path::PathBuf;

use base64::Engine;
use lol_html::html_content::ContentType;
use lol_html::{HtmlRewriter, Settings, element};

use super::Names;
use super::links::{self, LinkTarget};
use crate::render::{OutputFile, REPORT_FILE};

/// `html` (rendered as if at the site root) with every reference to another file resolved.
/// `static_files` are read from disk for images.
pub fn self_contained(
    html: &str,
    files: &[OutputFile],
    static_files: &[(String, PathBuf)],
) -> Result<Vec<u8>, String> {
    let (scan, _) = links::scan(REPORT_FILE, html.as_bytes(), &Names::Plain, None)?;
    let ids: HashSet<String> = scan.ids;
    let file_bytes = |path: &str| -> Option<Vec<u8>> {
        files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.contents.to_vec())
            .or_else(|| {
                let (_, source) = static_files.iter().find(|(o, _)| o == path)?;
                std::fs::read(source).ok()
            })
    };
    let target = |href: &str| match links::resolve(REPORT_FILE, href, None) {
        Some((LinkTarget::Internal { path, fragment }, _)) => Some((path, fragment)),
        _ => None,
    };

    let mut output = Vec::with_capacity(html.len() * 2);
    let mut rewriter = HtmlRewriter::new(
        Settings::new()
            .append_element_content_handler(element!("script", |el| {
                el.remove();
                Ok(())
            }))
            .append_element_content_handler(element!("link[href]", |el| {
                let href = el.get_attribute("href").unwrap_or_default();
                let is_stylesheet = el
                    .get_attribute("rel")
                    .is_some_and(|rel| rel.split_whitespace().any(|r| r == "stylesheet"));
                match target(&href).and_then(|(path, _)| file_bytes(&path)) {
                    Some(css) if is_stylesheet => {
                        let css = String::from_utf8_lossy(&css).replace("</style", "<\\/style");
                        el.replace(&format!("<style>\n{css}</style>"), ContentType::Html);
                    }
                    _ if target(&href).is_some() => el.remove(),
                    _ => {}
                }
                Ok(())
            }))
            .append_element_content_handler(element!("[src]", |el| {
                let src = el.get_attribute("src").unwrap_or_default();
                if let Some((path, _)) = target(&src) {
                    match file_bytes(&path) {
                        Some(bytes) => el.set_attribute("src", &data_uri(&path, &bytes))?,
                        None => el.remove_attribute("src"),
                    }
                }
                Ok(())
            }))
            .append_element_content_handler(element!("a[href]", |el| {
                let href = el.get_attribute("href").unwrap_or_default();
                if let Some((_, fragment)) = target(&href) {
                    if !fragment.is_empty() && ids.contains(&fragment) {
                        el.set_attribute("href", &format!("#{}", fragment.replace('"', "%22")))?;
                    } else {
                        el.remove_and_keep_content();
                    }
                }
                Ok(())
            }))
            .append_element_content_handler(element!("[data-src], form[action]", |el| {
                el.remove_attribute("data-src");
                el.remove_attribute("action");
                Ok(())
            })),
        |chunk: &[u8]| output.extend_from_slice(chunk),
    );
    rewriter
        .write(html.as_bytes())
        .and_then(|()| rewriter.end())
        .map_err(|e| e.to_string())?;
    Ok(output)
}

fn data_uri(path: &str, bytes: &[u8]) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    format!("data:{mime};base64,{encoded}")
}

//! `ppdocs.toml`: the optional project configuration, and the defaults when it is absent.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Code, Diagnostic};

/// The file name ppdocs looks for in the project root.
pub const FILE_NAME: &str = "ppdocs.toml";

/// Project settings. Every key is optional; unknown keys are errors, so typos surface.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Shown in the top bar and in every `<title>`.
    pub title: String,
    /// One sentence under the title on the dashboard, and the pages' meta description.
    pub description: String,
    /// Where the site will be published (`https://contoso.github.io/security/`). Links in the
    /// output stay relative; this is used for canonical URLs.
    pub base_url: Option<String>,
    /// A folder under `themes/` whose files override the built-in theme.
    pub theme: String,
    /// The `lang` attribute of every page.
    pub language: String,
    /// Root-relative Learn links (`/power-platform/...`) are rewritten onto this site.
    pub learn_base_url: String,
    /// Done tasks whose evidence expires within this many days are flagged for review.
    pub review_window_days: u64,
    /// Clean raw HTML in every page and training module with the policy evidence notes
    /// always get. Off by default: checklists are written by the security team, whose
    /// HTML (embedded videos, forms) would otherwise silently disappear.
    pub sanitize: bool,
    /// Where the site will be hosted; `--target` overrides it.
    pub target: Target,
    /// Settings for `target = "sharepoint"`.
    pub sharepoint: SharePoint,
    /// `[search]`: the client-side search index.
    pub search: Search,
}

/// The host the output is shaped for.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// Plain files: any web server, a sub-path, or `file://`.
    #[default]
    Default,
    /// GitHub Pages: `.nojekyll`, content-hashed asset names, a 404 page with absolute links.
    GithubPages,
    /// A SharePoint Online document library: `.aspx` pages and file names SharePoint accepts.
    Sharepoint,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Default => "default",
            Target::GithubPages => "github-pages",
            Target::Sharepoint => "sharepoint",
        }
    }
}

/// `[sharepoint]` in `ppdocs.toml`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SharePoint {
    /// The extension of every page (SharePoint downloads `.html` files instead of showing them).
    pub page_extension: String,
    /// The site's folder as SharePoint counts it (`sites/security/Shared Documents/ppdocs/`),
    /// for the 400-character path limit.
    pub site_path: String,
}

/// `[search]` in `ppdocs.toml`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Search {
    /// Past this size (in KB) the index is split into parts that a search loads on demand, so
    /// no reader downloads the whole index; below it, one file is quicker.
    pub split_above_kb: u64,
}

impl Default for Search {
    fn default() -> Self {
        Search {
            split_above_kb: 1024,
        }
    }
}

impl Search {
    /// [`Search::split_above_kb`] in bytes.
    pub fn split_above(&self) -> usize {
        usize::try_from(self.split_above_kb.saturating_mul(1024)).unwrap_or(usize::MAX)
    }
}

impl Default for SharePoint {
    fn default() -> Self {
        SharePoint {
            page_extension: "aspx".to_string(),
            site_path: "sites/security/Shared Documents/ppdocs/".to_string(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Power Platform security".to_string(),
            description: String::new(),
            base_url: None,
            theme: "default".to_string(),
            language: "en".to_string(),
            learn_base_url: "https://learn.microsoft.com".to_string(),
            review_window_days: 30,
            target: Target::Default,
            sharepoint: SharePoint::default(),
            search: Search::default(),
            sanitize: false,
        }
    }
}

impl Config {
    /// Parses the text of `ppdocs.toml`. `path` is only used to name the file in diagnostics.
    pub fn parse(text: &str, path: &Path) -> Result<Config, Diagnostic> {
        let mut config: Config = toml::from_str(text).map_err(|err| {
            let diagnostic =
                Diagnostic::error(Code::ConfigInvalid, err.message().trim().to_string()).with_help(
                    "see the README's \"ppdocs.toml\" section for every key and its type",
                );
            match err.span() {
                Some(span) => diagnostic.at(path, span),
                None => diagnostic.in_file(path),
            }
        })?;
        config.learn_base_url = config.learn_base_url.trim_end_matches('/').to_string();
        let extension = config.sharepoint.page_extension.trim_start_matches('.');
        if extension.is_empty() || !extension.chars().all(|c| c.is_ascii_alphanumeric()) {
            let diagnostic = Diagnostic::error(
                Code::ConfigInvalid,
                format!("sharepoint.page_extension `{extension}` is not a file extension"),
            )
            .with_help("use letters and digits only, like `aspx`");
            return Err(match key_span(text, "page_extension") {
                Some(span) => diagnostic.at(path, span),
                None => diagnostic.in_file(path),
            });
        }
        config.sharepoint.page_extension = extension.to_ascii_lowercase();
        if let Some(url) = &config.base_url {
            config.base_url = Some(normalize_base_url(url).ok_or_else(|| {
                Diagnostic::error(
                    Code::ConfigInvalid,
                    format!("base_url `{url}` is not an http(s) URL"),
                )
                .in_file(path)
                .with_help("write it like `https://contoso.github.io/security/`")
            })?);
        }
        Ok(config)
    }
}

/// The byte range of a top-level `key = ...` line's key in `ppdocs.toml`.
pub fn key_span(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return Some(offset + indent..offset + indent + key.len());
        }
        offset += line.len();
    }
    None
}

/// Accepts `http(s)://host/path`, and makes sure it ends with one `/`.
pub fn normalize_base_url(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    if rest.is_empty() || rest.starts_with('/') || rest.contains(char::is_whitespace) {
        return None;
    }
    Some(format!("{}/", url.trim_end_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_defaults() {
        assert_eq!(
            Config::parse("", Path::new("ppdocs.toml")).unwrap(),
            Config::default()
        );
    }

    #[test]
    fn unknown_key_is_an_error_with_a_span() {
        let err = Config::parse(
            "title = \"x\"\ntheem = \"dark\"\n",
            Path::new("ppdocs.toml"),
        )
        .unwrap_err();
        assert_eq!(err.code, Code::ConfigInvalid);
        assert!(err.message.contains("theem"), "{}", err.message);
        assert_eq!(err.span.as_ref().unwrap().start, 12);
    }

    #[test]
    fn base_url_gets_one_trailing_slash() {
        assert_eq!(
            normalize_base_url("https://contoso.github.io/sec").as_deref(),
            Some("https://contoso.github.io/sec/")
        );
        assert_eq!(normalize_base_url("contoso.com"), None);
        assert_eq!(normalize_base_url("https:///x"), None);
    }
}

//! `--target github-pages`: Pages caches every file for 10 minutes, so assets get
//! content-hashed names; Jekyll must be switched off (`.nojekyll`); the upload action drops
//! dotfiles, and Pages refuses files over 100 MiB and sites over 1 GB.

use sha2::{Digest, Sha256};

use super::links::Renames;
use crate::render::{ASSETS_DIR, OutputFile};

/// Turns Jekyll off, so folders and files starting with `_` are published.
pub const NO_JEKYLL: &str = ".nojekyll";
/// GitHub Pages refuses larger files.
pub const FILE_LIMIT: u64 = 100 * 1024 * 1024;
/// GitHub Pages' limit on a published site.
pub const SITE_LIMIT: u64 = 1024 * 1024 * 1024;

/// `assets/style.css` → `assets/style.3f2a9c1b0d.css`, for every generated asset.
pub fn asset_renames(files: &[OutputFile]) -> Renames {
    let prefix = format!("{ASSETS_DIR}/");
    files
        .iter()
        .filter(|f| f.path.starts_with(&prefix))
        .map(|f| {
            let hash = Sha256::digest(&f.contents);
            let hex: String = hash[..5].iter().map(|b| format!("{b:02x}")).collect();
            let new = match f.path.rsplit_once('.') {
                Some((stem, extension)) if !stem.ends_with('/') => {
                    format!("{stem}.{hex}.{extension}")
                }
                _ => format!("{}.{hex}", f.path),
            };
            (f.path.clone(), new)
        })
        .collect()
}

/// Dotfiles other than `.nojekyll` (and ppdocs' own marker): the upload action leaves them out.
pub fn is_dropped_dotfile(path: &str, marker: &str) -> bool {
    path != NO_JEKYLL && path != marker && path.split('/').any(|segment| segment.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn assets_get_a_content_hash_in_their_name() {
        let file = |path: &str, text: &str| OutputFile {
            path: path.to_string(),
            contents: Arc::from(text.as_bytes()),
        };
        let renames = asset_renames(&[
            file("assets/style.css", "body{}"),
            file("assets/other.css", "body{}"),
            file("index.html", "<p>"),
        ]);
        let style = &renames["assets/style.css"];
        assert!(style.starts_with("assets/style.") && style.ends_with(".css"));
        assert_eq!(style.len(), "assets/style.0123456789.css".len());
        assert_eq!(
            style.trim_start_matches("assets/style."),
            renames["assets/other.css"].trim_start_matches("assets/other.")
        );
        assert!(!renames.contains_key("index.html"));
    }

    #[test]
    fn only_foreign_dotfiles_are_flagged() {
        assert!(is_dropped_dotfile("evidence/.env", ".ppdocs-site"));
        assert!(!is_dropped_dotfile(".nojekyll", ".ppdocs-site"));
        assert!(!is_dropped_dotfile(".ppdocs-site", ".ppdocs-site"));
        assert!(!is_dropped_dotfile("a/b.txt", ".ppdocs-site"));
    }
}

//! `--target github-pages`: Pages caches every file for 10 minutes, so assets get
//! content-hashed names; Jekyll must be switched off (`.nojekyll`); the upload action drops
//! dotfiles, and Pages refuses files over 100 MiB and sites over 1 GB.

use sha2::{Digest, Sha256};

/// Turns Jekyll off, so folders and files starting with `_` are published.
pub const NO_JEKYLL: &str = ".nojekyll";
/// GitHub Pages refuses larger files.
pub const FILE_LIMIT: u64 = 100 * 1024 * 1024;
/// GitHub Pages' limit on a published site.
pub const SITE_LIMIT: u64 = 1024 * 1024 * 1024;

/// `assets/style.css` → `assets/style.3f2a9c1b0d.css`: the name carries the content's hash.
pub fn hashed_name(path: &str, contents: &[u8]) -> String {
    let hash = Sha256::digest(contents);
    let hex = crate::load::hex(&hash[..5]);
    match path.rsplit_once('.') {
        Some((stem, extension)) if !stem.ends_with('/') => format!("{stem}.{hex}.{extension}"),
        _ => format!("{path}.{hex}"),
    }
}

/// Dotfiles other than `.nojekyll` (and ppdocs' own marker): the upload action leaves them out.
pub fn is_dropped_dotfile(path: &str, marker: &str) -> bool {
    path != NO_JEKYLL && path != marker && path.split('/').any(|segment| segment.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_get_a_content_hash_in_their_name() {
        let style = hashed_name("assets/style.css", b"body{}");
        assert!(style.starts_with("assets/style.") && style.ends_with(".css"));
        assert_eq!(style.len(), "assets/style.0123456789.css".len());
        assert_eq!(
            style.trim_start_matches("assets/style."),
            hashed_name("assets/other.css", b"body{}").trim_start_matches("assets/other.")
        );
        assert_ne!(style, hashed_name("assets/style.css", b"body{x}"));
    }

    #[test]
    fn only_foreign_dotfiles_are_flagged() {
        assert!(is_dropped_dotfile("evidence/.env", ".ppdocs-site"));
        assert!(!is_dropped_dotfile(".nojekyll", ".ppdocs-site"));
        assert!(!is_dropped_dotfile(".ppdocs-site", ".ppdocs-site"));
        assert!(!is_dropped_dotfile("a/b.txt", ".ppdocs-site"));
    }
}

//! Every link of a rendered page: found, rewritten when the target renamed files, and checked
//! against the files and `id`s the build produces.

use std::borrow::Cow;
use std::collections::HashSet;

use super::html;

use crate::parse::learn::percent_decode;
use crate::urls;

use super::Names;

/// What a page links to and which fragments it offers.
#[derive(Debug, Default)]
pub struct PageScan {
    /// Every `id` (and `<a name>`) on the page: the `#fragments` other pages may use.
    pub ids: HashSet<String>,
    pub links: Vec<Link>,
}

#[derive(Clone, Debug)]
pub struct Link {
    /// As written in the page.
    pub href: String,
    pub target: LinkTarget,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTarget {
    /// A file of the site (relative to its root, decoded) and the fragment, possibly empty.
    Internal { path: String, fragment: String },
    /// A link that cannot work wherever the site is hosted; says why.
    Unusable(&'static str),
}

/// A page's links and ids, and its new bytes when links had to be rewritten; or why the
/// page could not be read as HTML.
pub type Scanned = Result<(PageScan, Option<Vec<u8>>), String>;

/// What a scan finds, as it finds it: borrowed strings, valid for the call only.
pub trait Visit {
    /// An `id` (or `<a name>`) on the page: a `#fragment` other pages may use.
    fn id(&mut self, id: &str);
    /// A link to a file of the site: as written, and its target (path relative to the
    /// site root, decoded, and fragment), or why it cannot work.
    fn link(&mut self, href: &str, target: Result<(&str, &str), &'static str>);
}

impl Visit for PageScan {
    fn id(&mut self, id: &str) {
        self.ids.insert(id.to_string());
    }

    fn link(&mut self, href: &str, target: Result<(&str, &str), &'static str>) {
        let target = match target {
            Ok((path, fragment)) => LinkTarget::Internal {
                path: path.to_string(),
                fragment: fragment.to_string(),
            },
            Err(why) => LinkTarget::Unusable(why),
        };
        self.links.push(Link {
            href: href.to_string(),
            target,
        });
    }
}

/// Scans `html` (the page at `page`). With `renames`, also rewrites every link whose page or
/// target moved and returns the new bytes.
pub fn scan(page: &str, html: &[u8], names: &Names, base_url: Option<&str>) -> Scanned {
    let mut found = PageScan::default();
    let rewritten = scan_with(page, html, names, base_url, &mut found)?;
    Ok((found, rewritten))
}

/// [`scan`], handing what it finds to `visit` instead of keeping it.
pub fn scan_with(
    page: &str,
    html: &[u8],
    names: &Names,
    base_url: Option<&str>,
    visit: &mut impl Visit,
) -> Result<Option<Vec<u8>>, String> {
    let html = std::str::from_utf8(html).map_err(|e| e.to_string())?;
    let rewriting = !names.is_plain();
    let new_page = names.rename(page);
    let mut replacements: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    // One buffer for every resolved path of the page.
    let mut path = String::new();
    html::for_each_start_tag(html, |tag, attributes| {
        for attribute in attributes {
            let name = attribute.name;
            if name.eq_ignore_ascii_case("id")
                || (name.eq_ignore_ascii_case("name") && tag.eq_ignore_ascii_case("a"))
            {
                visit.id(&decode_entities(attribute.value));
                continue;
            }
            let holds_url = ["href", "src", "data-src"]
                .iter()
                .any(|a| name.eq_ignore_ascii_case(a))
                || (name.eq_ignore_ascii_case("action") && tag.eq_ignore_ascii_case("form"));
            if !holds_url {
                continue;
            }
            let href = decode_entities(attribute.value);
            let Some((target, absolute)) = resolve_into(page, &href, base_url, &mut path) else {
                continue;
            };
            if rewriting && target.is_ok() {
                let new_href = relink(&new_page, &path, &href, names, absolute);
                if new_href != *href {
                    let escaped = new_href.replace('&', "&amp;").replace('"', "&quot;");
                    replacements.push((attribute.value_range.clone(), escaped));
                }
            }
            match &target {
                Ok(fragment) => visit.link(&href, Ok((&path, fragment))),
                Err(why) => visit.link(&href, Err(why)),
            }
        }
    });
    if !rewriting {
        return Ok(None);
    }
    let mut output = Vec::with_capacity(html.len() + replacements.len() * 8);
    let mut copied = 0;
    for (range, value) in replacements {
        output.extend_from_slice(&html.as_bytes()[copied..range.start]);
        output.extend_from_slice(value.as_bytes());
        copied = range.end;
    }
    output.extend_from_slice(&html.as_bytes()[copied..]);
    Ok(Some(output))
}

/// Where `href`, on `page`, leads. `None` for links off the site (`https:`, `mailto:`, ...);
/// otherwise the target and, for links written absolutely under `base_url`, the base URL.
pub fn resolve<'b>(
    page: &str,
    href: &str,
    base_url: Option<&'b str>,
) -> Option<(LinkTarget, Option<&'b str>)> {
    let mut path = String::new();
    let (target, absolute) = resolve_into(page, href, base_url, &mut path)?;
    let target = match target {
        Ok(fragment) => LinkTarget::Internal {
            path,
            fragment: fragment.into_owned(),
        },
        Err(why) => LinkTarget::Unusable(why),
    };
    Some((target, absolute))
}

/// A link's fragment when it leads into the site (its path is written aside), or why it
/// cannot work.
type Resolved<'h> = Result<Cow<'h, str>, &'static str>;

/// [`resolve`], writing the target's path into `path` (cleared first) and returning its
/// fragment, so that the common link costs no allocation.
fn resolve_into<'h, 'b>(
    page: &str,
    href: &'h str,
    base_url: Option<&'b str>,
    path: &mut String,
) -> Option<(Resolved<'h>, Option<&'b str>)> {
    let href = href.trim();
    path.clear();
    if let Some(base) = base_url
        && let Some(rest) = href.strip_prefix(base)
    {
        return Some((internal("", rest, path), Some(base)));
    }
    if urls::has_scheme(href) || href.starts_with("//") {
        return None;
    }
    if href.starts_with('/') {
        return Some((
            Err(
                "starts with `/`, so it works only at a domain root: not under a sub-path, not from file://",
            ),
            None,
        ));
    }
    let page_dir = page.rsplit_once('/').map_or("", |(dir, _)| dir);
    let target = if href.starts_with('#') || href.starts_with('?') || href.is_empty() {
        let fragment = href.split_once('#').map_or("", |(_, f)| f);
        path.push_str(page);
        Ok(decode_percent(fragment))
    } else {
        internal(page_dir, href, path)
    };
    Some((target, None))
}

/// `href` (without scheme) relative to the folder `dir`, both relative to the site root:
/// its path written into `path`, and its fragment.
fn internal<'h>(dir: &str, href: &'h str, path: &mut String) -> Resolved<'h> {
    let (rest, fragment) = href.split_once('#').unwrap_or((href, ""));
    let rest = rest.split_once('?').map_or(rest, |(p, _)| p);
    let decoded = decode_percent(rest);
    path.push_str(dir);
    // The usual link climbs with `../` and then names a path with no `.`, `..` or empty
    // segment; it needs no splitting (every page has dozens, so this is worth the shortcut).
    let mut tail: &str = &decoded;
    while let Some(rest) = tail.strip_prefix("../") {
        if path.is_empty() {
            return Err("climbs above the site's root folder");
        }
        path.truncate(path.rfind('/').unwrap_or(0));
        tail = rest;
    }
    let plain = !tail.starts_with(['.', '/'])
        && !tail.as_bytes().windows(2).any(|w| w == b"/." || w == b"//");
    if plain {
        if !path.is_empty() && !tail.is_empty() {
            path.push('/');
        }
        path.push_str(tail);
        if tail.is_empty() {
            path.push('/');
        }
        return Ok(decode_percent(fragment));
    }
    for segment in tail.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if path.is_empty() {
                    return Err("climbs above the site's root folder");
                }
                let parent = path.rfind('/').unwrap_or(0);
                path.truncate(parent);
            }
            name => {
                if !path.is_empty() {
                    path.push('/');
                }
                path.push_str(name);
            }
        }
    }
    if decoded.ends_with('/') || decoded.is_empty() {
        path.push('/');
    }
    Ok(decode_percent(fragment))
}

/// [`percent_decode`], without copying the common text that has nothing to decode.
fn decode_percent(text: &str) -> Cow<'_, str> {
    if text.contains('%') {
        Cow::Owned(percent_decode(text))
    } else {
        Cow::Borrowed(text)
    }
}

/// The link to `target` (an old path) from the page now at `new_page`, keeping the query
/// and fragment of `href`; under `base_url` when the link was absolute.
fn relink(
    new_page: &str,
    target: &str,
    href: &str,
    names: &Names,
    absolute: Option<&str>,
) -> String {
    let new_target = names.rename(target);
    let tail = href.find(['?', '#']).map_or("", |i| &href[i..]);
    if href.starts_with('#') || href.starts_with('?') {
        return href.to_string();
    }
    match absolute {
        Some(base) => format!("{base}{}{tail}", urls::encode_path(&new_target)),
        None => format!(
            "{}{tail}",
            urls::encode_path(&relative(new_page, &new_target))
        ),
    }
}

/// The relative URL from the page `from` to the file `to`, both relative to the site root.
pub fn relative(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts[..to_parts.len() - 1])
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from_dirs.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

/// The character references ppdocs' templates and Markdown produce in attribute values.
fn decode_entities(value: &str) -> Cow<'_, str> {
    if !value.contains('&') {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// A link that does not resolve: on which page, as written, and what is wrong.
#[derive(Debug, PartialEq, Eq)]
pub struct Broken {
    pub page: String,
    pub href: String,
    pub problem: String,
    /// The fragment is the broken part (the file exists).
    pub anchor: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(page: &str, href: &str) -> Option<LinkTarget> {
        resolve(page, href, Some("https://contoso.github.io/sec/")).map(|(t, _)| t)
    }

    fn internal_path(path: &str, fragment: &str) -> Option<LinkTarget> {
        Some(LinkTarget::Internal {
            path: path.to_string(),
            fragment: fragment.to_string(),
        })
    }

    #[test]
    fn links_resolve_against_the_page_folder() {
        assert_eq!(
            target("a/b/index.html", "../c/index.html#x"),
            internal_path("a/c/index.html", "x")
        );
        assert_eq!(
            target("a/index.html", "#top"),
            internal_path("a/index.html", "top")
        );
        assert_eq!(
            target("a/index.html", "My%20File.pdf"),
            internal_path("a/My File.pdf", "")
        );
        assert_eq!(target("a/index.html", "../b/"), internal_path("b/", ""));
        assert_eq!(target("a/b/index.html", "../"), internal_path("a/", ""));
        assert_eq!(target("a/index.html", "../"), internal_path("/", ""));
        assert_eq!(target("a/b/index.html", "c/"), internal_path("a/b/c/", ""));
        assert_eq!(
            target("a/b/index.html", "./c//d/../e.html"),
            internal_path("a/b/c/e.html", "")
        );
        assert_eq!(
            target("a/b/index.html", "../.well-known/x"),
            internal_path("a/.well-known/x", "")
        );
        assert_eq!(
            target("a/b/index.html", "../../../x.html"),
            None.or(Some(LinkTarget::Unusable(
                "climbs above the site's root folder"
            )))
        );
        assert_eq!(
            target("404.html", "https://contoso.github.io/sec/assets/s.css"),
            internal_path("assets/s.css", "")
        );
        assert_eq!(
            target("a/index.html", "https://learn.microsoft.com/x"),
            None
        );
        assert_eq!(target("a/index.html", "mailto:secops@contoso.com"), None);
        assert!(matches!(
            target("a/index.html", "/threat-protection/"),
            Some(LinkTarget::Unusable(_))
        ));
        assert!(matches!(
            target("index.html", "../../etc/passwd"),
            Some(LinkTarget::Unusable(_))
        ));
    }

    #[test]
    fn relative_urls_climb_to_the_common_folder() {
        assert_eq!(
            relative("a/b/index.aspx", "a/c/index.aspx"),
            "../c/index.aspx"
        );
        assert_eq!(relative("index.aspx", "a/index.aspx"), "a/index.aspx");
        assert_eq!(relative("a/index.aspx", "index.aspx"), "../index.aspx");
        assert_eq!(relative("a/index.aspx", "a/index.aspx"), "index.aspx");
    }

    #[test]
    fn entities_in_attributes_are_decoded() {
        assert_eq!(decode_entities("a?x=1&amp;y=2"), "a?x=1&y=2");
        assert_eq!(decode_entities("&#x2F;x&#47;"), "/x/");
        assert_eq!(decode_entities("R&D"), "R&D");
    }

    #[test]
    fn scanning_rewrites_renamed_targets_and_collects_ids() {
        let renames = Names::Hashed(
            [
                ("a/index.html", "a/index.aspx"),
                ("index.html", "index.aspx"),
            ]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
        );
        let html = br##"<h2 id="x">X</h2><a href="../index.html#top">home</a><a href="https://x.test/">ext</a><a href="#x">self</a>"##;
        let (scan, output) = scan("a/index.html", html, &renames, None).unwrap();
        let output = String::from_utf8(output.unwrap()).unwrap();
        assert!(output.contains(r##"href="../index.aspx#top""##), "{output}");
        assert!(output.contains(r##"href="https://x.test/""##));
        assert!(output.contains(r##"href="#x""##));
        assert!(scan.ids.contains("x"));
        assert_eq!(scan.links.len(), 2);
    }
}

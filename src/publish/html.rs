//! A fast, zero-copy scan of HTML start tags and their attributes: just what link checking
//! needs (a tokenizer building no tree). Comments, doctypes, end tags and the text of
//! `script`, `style`, `textarea` and `title` are skipped as a browser would skip them.
//! lol_html does the same job more generally but was several times slower on whole sites,
//! and every build checks every page.

use std::ops::Range;

/// One attribute of a start tag. `value` is as written (character references not decoded).
#[derive(Debug, PartialEq, Eq)]
pub struct Attribute<'a> {
    pub name: &'a str,
    pub value: &'a str,
    /// Where `value` is in the document, for rewriting it.
    pub value_range: Range<usize>,
}

/// Elements whose content is text up to their end tag, whatever it looks like.
const TEXT_ELEMENTS: [&str; 4] = ["script", "style", "textarea", "title"];

/// Calls `visit(tag_name, attributes)` for every start tag, in document order.
pub fn for_each_start_tag<'a>(html: &'a str, mut visit: impl FnMut(&'a str, &[Attribute<'a>])) {
    let bytes = html.as_bytes();
    let mut attributes: Vec<Attribute<'a>> = Vec::new();
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + offset;
        let rest = &html[start..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            at = comment
                .find("-->")
                .map_or(bytes.len(), |end| start + 4 + end + 3);
            continue;
        }
        let Some(&next) = bytes.get(start + 1) else {
            break;
        };
        if matches!(next, b'!' | b'?' | b'/') {
            at = memchr::memchr(b'>', &bytes[start..]).map_or(bytes.len(), |end| start + end + 1);
            continue;
        }
        if !next.is_ascii_alphabetic() {
            at = start + 1;
            continue;
        }
        let name_end = start
            + 1
            + bytes[start + 1..]
                .iter()
                .position(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))
                .unwrap_or(bytes.len() - start - 1);
        let name = &html[start + 1..name_end];
        attributes.clear();
        at = parse_attributes(html, name_end, &mut attributes);
        visit(name, &attributes);
        if let Some(text_element) = TEXT_ELEMENTS.iter().find(|t| t.eq_ignore_ascii_case(name)) {
            at = find_end_tag(html, at, text_element);
        }
    }
}

/// Parses attributes from `at` to the end of the tag; returns the offset after its `>`.
fn parse_attributes<'a>(html: &'a str, mut at: usize, out: &mut Vec<Attribute<'a>>) -> usize {
    let bytes = html.as_bytes();
    loop {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            at += 1;
        }
        if at >= bytes.len() {
            return bytes.len();
        }
        if bytes[at] == b'>' {
            return at + 1;
        }
        let name_start = at;
        while at < bytes.len()
            && !bytes[at].is_ascii_whitespace()
            && !matches!(bytes[at], b'=' | b'>' | b'/')
        {
            at += 1;
        }
        let name = &html[name_start..at];
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if bytes.get(at) != Some(&b'=') {
            out.push(Attribute {
                name,
                value: "",
                value_range: at..at,
            });
            continue;
        }
        at += 1;
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let value_range = match bytes.get(at) {
            Some(&quote @ (b'"' | b'\'')) => {
                let value_start = at + 1;
                let value_end = memchr::memchr(quote, &bytes[value_start..])
                    .map_or(bytes.len(), |end| value_start + end);
                at = (value_end + 1).min(bytes.len());
                value_start..value_end
            }
            _ => {
                let value_start = at;
                while at < bytes.len() && !bytes[at].is_ascii_whitespace() && bytes[at] != b'>' {
                    at += 1;
                }
                value_start..at
            }
        };
        out.push(Attribute {
            name,
            value: &html[value_range.clone()],
            value_range,
        });
    }
}

/// The offset just past `</name ...>` (ASCII case-insensitive), or the end of `html`.
fn find_end_tag(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(offset) = memchr::memmem::find(&bytes[at..], b"</") {
        let start = at + offset;
        let candidate = &bytes[start + 2..];
        if candidate.len() >= name.len()
            && candidate[..name.len()].eq_ignore_ascii_case(name.as_bytes())
        {
            return html[start..]
                .find('>')
                .map_or(bytes.len(), |end| start + end + 1);
        }
        at = start + 2;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(html: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_start_tag(html, |name, attributes| {
            let attributes: Vec<String> = attributes
                .iter()
                .map(|a| format!("{}={}", a.name, a.value))
                .collect();
            out.push(format!("{name}[{}]", attributes.join(" ")));
        });
        out
    }

    #[test]
    fn attributes_in_every_quoting_style() {
        assert_eq!(
            tags(r#"<a href="x.html" class='c d' data-x=y hidden>t</a>"#),
            ["a[href=x.html class=c d data-x=y hidden=]"]
        );
        assert_eq!(tags("<IMG SRC = \"a.png\"/>"), ["IMG[SRC=a.png]"]);
        assert_eq!(tags("<br/><p id=x>"), ["br[]", "p[id=x]"]);
    }

    #[test]
    fn comments_end_tags_and_text_content_are_skipped() {
        assert_eq!(
            tags("<!-- <a href=no> --><!DOCTYPE html></p><p>1 < 2</p>"),
            ["p[]"]
        );
        assert_eq!(
            tags("<script>if (a<b) { x = '<a href=no>'; }</script><a href=yes>"),
            ["script[]", "a[href=yes]"]
        );
        assert_eq!(tags("<title>a <b> c</TITLE><i>"), ["title[]", "i[]"]);
    }

    #[test]
    fn value_ranges_point_into_the_document() {
        let html = r#"<link rel=stylesheet href="a.css">"#;
        let mut ranges = Vec::new();
        for_each_start_tag(html, |_, attributes| {
            ranges.extend(attributes.iter().map(|a| a.value_range.clone()));
        });
        assert_eq!(&html[ranges[1].clone()], "a.css");
    }

    #[test]
    fn truncated_input_ends_cleanly() {
        assert_eq!(tags("<a href=\"x"), ["a[href=x]"]);
        assert_eq!(tags("<a"), ["a[]"]);
        assert_eq!(tags("<!--"), Vec::<String>::new());
        assert_eq!(tags("<"), Vec::<String>::new());
    }
}

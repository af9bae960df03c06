//! The one HTML sanitizing policy: evidence notes always go through it, and every page,
//! section and training module does when `ppdocs.toml` sets `sanitize = true`.
//!
//! The policy is ammonia's (no `<script>`, `<style>`, event handlers, `javascript:` URLs,
//! `<iframe>`, `<object>`, forms) plus exactly what ppdocs itself writes into HTML from
//! Markdown: heading `id`s, `class`es, ARIA labels, `<details>` for self-checks, task-list
//! check boxes, table alignment and the `ppdocs-root:` links `render` makes relative.

use std::collections::HashSet;

use ammonia::Builder;

use crate::parse::markdown::ROOT_PLACEHOLDER;

/// Attributes allowed on every element: what ppdocs generates (`id` on headings and
/// footnotes, `class` on alerts, code and layout blocks, ARIA on anchors and icons).
const GENERIC_ATTRIBUTES: &[&str] = &[
    "class",
    "id",
    "role",
    "aria-label",
    "aria-hidden",
    "title",
    "lang",
];

/// The policy, ready to clean HTML. Callers may set how relative URLs are treated.
pub fn policy() -> Builder<'static> {
    let mut builder = Builder::default();
    builder
        .add_generic_attributes(GENERIC_ATTRIBUTES)
        // Not `set_tag_attribute_value`: ammonia appends those in hash-map order, which
        // would make the output differ from build to build.
        .add_tags(["input"])
        .add_tag_attributes("input", ["checked", "disabled"])
        .add_tag_attribute_values("input", "type", ["checkbox"])
        .add_tag_attributes("pre", ["data-lang"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .filter_style_properties(HashSet::from(["text-align"]))
        .add_url_schemes([ROOT_PLACEHOLDER.trim_end_matches(":/")])
        // Links in content point within the site or to well-known pages; `noopener` only
        // matters with `target`, which the policy removes.
        .link_rel(None);
    builder
}

/// Raw HTML may nest this deep where it is sanitized. The HTML parser's work grows with the
/// square of the depth (100,000 nested `<div>`s take many minutes); browsers stop at 512 too.
pub const MAX_HTML_NESTING: usize = 512;

/// Elements that hold nothing or close themselves when a sibling starts: they never nest.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody",
    "tfoot", "colgroup", "rt", "rp",
];

/// Follows how deep raw HTML nests, fed piece by piece in document order. It counts start
/// and end tags, so it is an estimate, never lower than the parser's depth for HTML that
/// closes what it opens.
#[derive(Default)]
pub struct NestingGauge {
    depth: usize,
}

impl NestingGauge {
    /// Feeds the next piece of raw HTML; `true` once it nests deeper than [`MAX_HTML_NESTING`].
    pub fn too_deep_after(&mut self, html: &str) -> bool {
        let bytes = html.as_bytes();
        for (at, _) in html.match_indices('<') {
            match bytes.get(at + 1) {
                Some(b'/') => self.depth = self.depth.saturating_sub(1),
                Some(c) if c.is_ascii_alphabetic() => {
                    let rest = &html[at + 1..];
                    let name_len = rest
                        .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                        .unwrap_or(rest.len());
                    let name = rest[..name_len].to_ascii_lowercase();
                    let self_closing = rest.find('>').is_some_and(|end| rest[..end].ends_with('/'));
                    if !self_closing && !NOT_NESTING.contains(&name.as_str()) {
                        self.depth += 1;
                        if self.depth > MAX_HTML_NESTING {
                            return true;
                        }
                    }
                }
                _ => {}
            }
        }
        false
    }
}

/// An element that stands for one of `markdown`'s NUL part markers while the body is
/// sanitized (the HTML parser drops NUL). Content cannot forge it: any tag of this name in
/// the author's HTML is escaped before the markers are put in.
const PART_TAG: &str = "ppdocs-part";

/// Sanitizes a page body that carries `markdown`'s part markers (`\0name\0`), keeping them.
pub fn clean_body(html: &str, marker: char) -> String {
    let neutralized = escape_tag_named(html, PART_TAG);
    let mut with_tags = String::with_capacity(neutralized.len());
    for (i, piece) in neutralized.split(marker).enumerate() {
        if i % 2 == 0 {
            with_tags.push_str(piece);
        } else {
            with_tags.push_str(&format!(
                "<{PART_TAG} title=\"{}\"></{PART_TAG}>",
                crate::parse::highlight::escape_html(piece)
            ));
        }
    }
    let mut builder = policy();
    builder
        .add_tags([PART_TAG])
        .add_tag_attributes(PART_TAG, ["title"]);
    let clean = builder.clean(&with_tags).to_string();
    restore_markers(&clean, marker)
}

/// Sanitizes HTML without part markers: a task's text, evidence notes.
pub fn clean(html: &str) -> String {
    policy().clean(html).to_string()
}

/// `<name` and `</name` (any case) become text, so the author's HTML cannot open that tag.
fn escape_tag_named(html: &str, name: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    for (at, _) in lower.match_indices(name) {
        let before = &lower[..at];
        let open = if before.ends_with("</") {
            at - 2
        } else if before.ends_with('<') {
            at - 1
        } else {
            continue;
        };
        if open < last {
            continue;
        }
        out.push_str(&html[last..open]);
        out.push_str("&lt;");
        last = open + 1;
    }
    out.push_str(&html[last..]);
    out
}

/// Turns the marker elements back into `\0name\0`.
fn restore_markers(html: &str, marker: char) -> String {
    let open = format!("<{PART_TAG} title=\"");
    let close = format!("\"></{PART_TAG}>");
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        out.push_str(&rest[..start]);
        let after = &rest[start + open.len()..];
        let Some(end) = after.find(&close) else {
            break;
        };
        out.push(marker);
        out.push_str(&unescape_marker(&after[..end]));
        out.push(marker);
        rest = &after[end + close.len()..];
    }
    out.push_str(rest);
    out
}

/// Markers are ASCII names and numbers (`s:0`, `c:1:0:4`); the serializer escapes only `&`,
/// `"` and non-breaking spaces in attributes, none of which they contain.
fn unescape_marker(text: &str) -> String {
    text.replace("&quot;", "\"").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_javascript_urls_are_removed() {
        let html = clean(
            "<p onclick=\"x()\">a<script>alert(1)</script><a href=\"javascript:alert(1)\">b</a>\
             <iframe src=\"https://e.com\"></iframe><object data=\"x\"></object>\
             <img src=\"x.png\" onerror=\"alert(1)\"><style>body{}</style></p>",
        );
        for bad in [
            "onclick",
            "<script",
            "javascript:",
            "<iframe",
            "<object",
            "onerror",
            "<style",
        ] {
            assert!(!html.contains(bad), "{bad} survived: {html}");
        }
        assert!(html.contains("<img src=\"x.png\">"), "{html}");
    }

    #[test]
    fn what_ppdocs_generates_survives() {
        let generated = "<h2 id=\"a\">A<a class=\"heading-anchor\" href=\"#a\" aria-label=\"Link to this heading\">#</a></h2>\
             <div class=\"alert alert-note\" role=\"note\"><p class=\"alert-title\"><span class=\"alert-icon\" aria-hidden=\"true\"></span>Note</p></div>\
             <pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\"><span class=\"hl-k\">fn</span></code></pre>\
             <table><thead><tr><th style=\"text-align: center\">x</th></tr></thead></table>\
             <ul><li><input disabled=\"\" type=\"checkbox\" checked=\"\">t</li></ul>\
             <ol class=\"self-check\"><li><details><summary>q</summary><div class=\"self-check-answer\">a</div></details></li></ol>\
             <a href=\"ppdocs-root:/x/index.html#y\">l</a>";
        // Only the serialization changes: attribute order and spacing in `style`.
        let normalized = generated.replace("text-align: center", "text-align:center");
        assert_eq!(clean(generated), normalized);
    }

    #[test]
    fn style_keeps_only_alignment_and_inputs_only_check_boxes() {
        let html = clean(
            "<table><tr><td style=\"text-align: left; background: url(javascript:x)\">a</td></tr></table><input type=\"text\" value=\"x\">",
        );
        assert!(html.contains("style=\"text-align:left\""), "{html}");
        // A text box loses its type (and so shows as one, harmlessly: there is no form).
        assert!(html.ends_with("<input>"), "{html}");
        assert!(!html.contains("value"), "{html}");
    }

    #[test]
    fn cleaning_is_deterministic() {
        // Regression: attributes the policy added to an element that lacked them came out
        // in hash-map order, which differs from one policy to the next.
        let html = "<ul><li><input>t</li><li><input checked>u</li></ul>";
        let first = clean(html);
        for _ in 0..20 {
            assert_eq!(clean(html), first);
        }
    }

    #[test]
    fn the_gauge_counts_nesting_not_tags() {
        let mut gauge = NestingGauge::default();
        let siblings = "<div><p>a<br><img src=x /></div>".repeat(10_000);
        assert!(!gauge.too_deep_after(&siblings));
        let mut gauge = NestingGauge::default();
        assert!(!gauge.too_deep_after(&"<span>".repeat(MAX_HTML_NESTING)));
        assert!(gauge.too_deep_after("<span>"));
    }

    #[test]
    fn markers_survive_and_cannot_be_forged() {
        let html = "<p>a</p>\0s:0\0<h2 id=\"x\">x</h2>\0b:0\0<div><script>x</script>\0c:0:0:2\0</div>\
                    <PPDOCS-PART title=\"s:9\"></ppdocs-part><ppdocs-part title=\"s:8\">";
        let clean = clean_body(html, '\0');
        assert_eq!(clean.matches('\0').count(), 6, "{clean}");
        assert!(clean.contains("\0s:0\0<h2 id=\"x\">x</h2>\0b:0\0<div>\0c:0:0:2\0</div>"));
        assert!(
            !clean.contains("s:9\0") && !clean.contains("<ppdocs"),
            "{clean}"
        );
        assert!(!clean.contains("<script"), "{clean}");
    }
}

//! The client-side search index: every article, section, task, training module and evidence
//! record, as a script that sets a global. A script file (not JSON fetched at run time)
//! because `fetch` fails under `file://`; `assets/search.js` loads it on first use.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use serde::Serialize;

use crate::site::Site;

/// Where the index is written.
pub const INDEX_PATH: &str = "assets/search-index.js";
/// The search results page (the search form's `action`, for the full list of hits).
pub const SEARCH_PAGE: &str = "search/index.html";
/// The index script is exactly this, the index as JSON, and [`INDEX_SUFFIX`].
pub const INDEX_PREFIX: &str = "window.ppdocsSearchIndex = ";
pub const INDEX_SUFFIX: &str = ";\n";

/// Longest text kept per entry: enough for a snippet and for matching the words that
/// matter, while a 10,000-task site stays a few MB.
const TEXT_LIMIT: usize = 240;

#[derive(Serialize)]
struct Index<'a> {
    /// Entry fields, in order, so each entry is an array rather than a keyed object.
    fields: [&'static str; 5],
    entries: Vec<Entry<'a>>,
}

/// `[kind, title, url, context, text]`. `url` is relative to the site root.
#[derive(Serialize, Hash)]
struct Entry<'a>(&'static str, &'a str, String, &'a str, String);

/// The index script's bytes, with each URL passed through `publish_url` (the host may rename
/// pages). Output is deterministic: entries follow the site's order.
pub fn index_js(site: &Site, publish_url: &dyn Fn(&str) -> String) -> Vec<u8> {
    script(published_entries(site, publish_url))
}

/// An index script with the hash of its entries, so `serve` can tell an unchanged index.
pub type HashedIndex = (u64, Arc<[u8]>);

/// [`index_js`], reusing `previous` when its entries are the same (most edits change no
/// title, task or record): making the entries costs far less than writing the script.
pub fn index_js_reusing(
    site: &Site,
    publish_url: &dyn Fn(&str) -> String,
    previous: Option<HashedIndex>,
) -> HashedIndex {
    let entries = published_entries(site, publish_url);
    let mut hasher = DefaultHasher::new();
    entries.hash(&mut hasher);
    let hash = hasher.finish();
    match previous {
        Some((previous_hash, bytes)) if previous_hash == hash => (hash, bytes),
        _ => (hash, Arc::from(script(entries))),
    }
}

fn published_entries<'a>(site: &'a Site, publish_url: &dyn Fn(&str) -> String) -> Vec<Entry<'a>> {
    let mut entries = entries(site);
    for entry in &mut entries {
        entry.2 = publish_url(&entry.2);
    }
    entries
}

fn script(entries: Vec<Entry<'_>>) -> Vec<u8> {
    let index = Index {
        fields: ["kind", "title", "url", "context", "text"],
        entries,
    };
    let json = serde_json::to_string(&index).unwrap_or_else(|_| "{}".to_string());
    // `<` only occurs inside JSON strings, where `\u003c` means the same: no `</script>`
    // or `<%` (which SharePoint rejects) can appear in the file.
    let json = json.replace('<', "\\u003c");
    format!("{INDEX_PREFIX}{json}{INDEX_SUFFIX}").into_bytes()
}

fn entries(site: &Site) -> Vec<Entry<'_>> {
    let mut entries = Vec::new();
    for page in &site.pages {
        let document = &page.document;
        let kind = match (page.article, page.module) {
            (Some(_), _) => "checklist",
            (None, Some(_)) => "training",
            (None, None) => "page",
        };
        let description = document.front_matter.description.as_deref().unwrap_or("");
        let context = match page.module.map(|m| &site.modules[m].meta) {
            Some(meta) => meta.tags.join(", "),
            None => String::new(),
        };
        entries.push(Entry(
            kind,
            &document.title,
            document.output.clone(),
            "",
            clip(&format!("{description} {context}")),
        ));
        let Some(article) = page.article else {
            continue;
        };
        for section in &site.articles[article].sections {
            entries.push(Entry(
                "section",
                &section.title,
                section.output.clone(),
                &document.title,
                String::new(),
            ));
            for task in &site.tasks[section.tasks.clone()] {
                entries.push(Entry(
                    "task",
                    &task.id.0,
                    format!("{}#task-{}", section.output, task.id),
                    &section.title,
                    clip(&format!("{} ({})", task.text, task.status.label())),
                ));
            }
        }
    }
    for record in &site.records {
        let evidence = &record.evidence;
        let url = match (record.tasks.first(), record.module) {
            (Some(&task), _) => {
                let task = &site.tasks[task];
                let section = &site.articles[task.article].sections[task.section];
                format!("{}#{}", section.appendix, evidence.anchor)
            }
            (None, Some(module)) => site.pages[site.modules[module].page]
                .document
                .output
                .clone(),
            (None, None) => continue,
        };
        entries.push(Entry(
            "record",
            &evidence.title,
            url,
            &evidence.owner,
            clip(&evidence.notes_text),
        ));
    }
    entries
}

/// `text` with runs of white space made single, cut at a word boundary near [`TEXT_LIMIT`].
fn clip(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(TEXT_LIMIT + 4));
    for word in text.split_whitespace() {
        if out.len() + word.len() > TEXT_LIMIT {
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_keeps_short_text_and_cuts_long_text_at_a_word() {
        assert_eq!(clip("  Enable   Sentinel \n now "), "Enable Sentinel now");
        let long = "word ".repeat(100);
        let clipped = clip(&long);
        assert!(clipped.len() <= TEXT_LIMIT + '…'.len_utf8());
        assert!(clipped.ends_with("word…"), "{clipped}");
    }
}

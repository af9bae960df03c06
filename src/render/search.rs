//! The client-side search index: every article, section, task, training module and evidence
//! record, as scripts that set globals. Scripts (not JSON fetched at run time) because `fetch`
//! fails under `file://`; `assets/search.js` loads them on first use.
//!
//! A small site's index is one script. Past `[search] split_above_kb` it is split, as
//! Pagefind splits its index, so a search loads a few small files whatever the site's size:
//! `assets/search-index.js` then holds only a manifest; the entries are in chunks of
//! [`CHUNK_ENTRIES`], and a term index maps each word to the entries it occurs in, in shards
//! of about [`SHARD_BYTES`] cut at word boundaries in sorted order, so the words starting with
//! any prefix sit in one shard or a few neighbours.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use hashbrown::HashMap;
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::OutputFile;
use crate::site::{Page, Record, Site};

/// Where the index (or, when split, its manifest) is written.
pub const INDEX_PATH: &str = "assets/search-index.js";
/// The search results page (the search form's `action`, for the full list of hits).
pub const SEARCH_PAGE: &str = "search/index.html";
/// The index script is exactly this, the index as JSON, and [`INDEX_SUFFIX`].
const INDEX_PREFIX: &str = "window.ppdocsSearchIndex = ";
const INDEX_SUFFIX: &str = ";\n";
/// A split index's parts are in a folder here named by their hash, so a host or browser that
/// caches files never mixes the parts of two builds.
const PARTS_DIR: &str = "assets/search";
/// Entries per chunk: a search shows at most a few hundred hits, drawn from as many chunks.
const CHUNK_ENTRIES: usize = 128;
/// Entries per batch when the word index is made in parallel.
const TERMS_BATCH: usize = 4096;
/// A term shard is cut at the first word boundary past this size.
const SHARD_BYTES: usize = 64 * 1024;

/// Longest text kept per entry: enough for a snippet and for matching the words that
/// matter, while a 10,000-task site stays a few MB.
const TEXT_LIMIT: usize = 240;

/// The entry fields, in order, so each entry is an array rather than a keyed object.
const FIELDS: [&str; 5] = ["kind", "title", "url", "context", "text"];

#[derive(Serialize)]
struct Index<'a> {
    fields: [&'static str; 5],
    entries: &'a [Entry<'a>],
}

/// The manifest of a split index: where its parts are and which words each shard starts at.
#[derive(Serialize)]
struct Manifest {
    fields: [&'static str; 5],
    split: Split,
}

#[derive(Serialize)]
struct Split {
    /// The parts' folder, relative to the site root, ending in `/`.
    dir: String,
    /// Entries per chunk: entry `n` is in chunk `e{n / chunk}.js`.
    chunk: usize,
    /// How many entries there are.
    entries: usize,
    /// The first word of each term shard `t{i}.js`, in the order of [`utf16_order`].
    shards: Vec<String>,
}

/// `[kind, title, url, context, text]`. `url` is relative to the site root.
#[derive(Serialize, Hash)]
struct Entry<'a>(&'static str, &'a str, String, &'a str, String);

/// How the host names a page (`publish::rename_url`), shared by the threads making entries.
pub type PublishUrl<'f> = &'f (dyn Fn(&str) -> String + Sync);

/// The index's files, its script at [`INDEX_PATH`] first, with each URL passed through
/// `publish_url` (the host may rename pages). It is split when its entries pass `split_above`
/// bytes. Output is deterministic: entries follow the site's order.
pub fn index_files(
    site: &Site,
    publish_url: PublishUrl<'_>,
    split_above: usize,
) -> Vec<OutputFile> {
    files(&published_entries(site, publish_url), split_above)
}

/// The index's files with the hash of its entries, so `serve` can tell an unchanged index.
pub type HashedIndex = (u64, Arc<[OutputFile]>);

/// [`index_files`], reusing `previous` when its entries are the same (most edits change no
/// title, task or record): making the entries costs far less than writing the scripts.
pub fn index_files_reusing(
    site: &Site,
    publish_url: PublishUrl<'_>,
    split_above: usize,
    previous: Option<HashedIndex>,
) -> HashedIndex {
    let entries = published_entries(site, publish_url);
    let mut hasher = super::cache::fingerprinter();
    entries.hash(&mut hasher);
    split_above.hash(&mut hasher);
    let hash = hasher.finish();
    match previous {
        Some((previous_hash, files)) if previous_hash == hash => (hash, files),
        _ => (hash, Arc::from(files(&entries, split_above))),
    }
}

/// Every entry, in the site's order, its URL passed through `publish_url`. Made in parallel:
/// `serve` makes them all on every rebuild, to find them unchanged.
fn published_entries<'a>(site: &'a Site, publish_url: PublishUrl<'_>) -> Vec<Entry<'a>> {
    let pages = site.pages.par_iter();
    let mut entries: Vec<Entry> = pages
        .flat_map_iter(|page| page_entries(site, page))
        .collect();
    let records = site.records.par_iter();
    entries.par_extend(records.filter_map(|record| record_entry(site, record)));
    entries
        .par_iter_mut()
        .for_each(|entry| entry.2 = publish_url(&entry.2));
    entries
}

fn files(entries: &[Entry<'_>], split_above: usize) -> Vec<OutputFile> {
    // The JSON's size, near enough: each entry's strings and its quotes, commas and kind.
    let size: usize = entries
        .iter()
        .map(|e| e.1.len() + e.2.len() + e.3.len() + e.4.len() + 24)
        .sum();
    if size <= split_above {
        let index = Index {
            fields: FIELDS,
            entries,
        };
        return vec![output(INDEX_PATH.to_string(), INDEX_PREFIX, &json(&index))];
    }
    split(entries)
}

/// The chunks, the term shards and the manifest that lists them.
fn split(entries: &[Entry<'_>]) -> Vec<OutputFile> {
    let terms = terms(entries);
    // A word in more than a quarter of the entries narrows a search too little to be worth its
    // lists (at 100,000 pages "the" alone would be an 8 MB shard): it is written as `0`, and a
    // search lets it match every entry and leaves it to the final check.
    let common = (entries.len() / 4).max(CHUNK_ENTRIES);
    let encoded: Vec<String> = terms
        .par_iter()
        .map(
            |(term, postings)| match postings[0].len() + postings[1].len() {
                count if count > common => format!("{}:0", json(term)),
                _ => format!("{}:{}", json(term), json(postings)),
            },
        )
        .collect();
    // Each shard is cut at the first word past SHARD_BYTES, and named by its first word.
    let mut shards: Vec<(String, String)> = Vec::new();
    for ((term, _), entry) in terms.iter().zip(encoded) {
        match shards.last_mut() {
            Some((_, shard)) if shard.len() < SHARD_BYTES => {
                shard.push(',');
                shard.push_str(&entry);
            }
            _ => shards.push((term.clone(), format!("{{{entry}"))),
        }
    }
    drop(terms);
    // Each part names itself (not its folder), so the folder can be named by the parts' hash.
    let part = |name: String, json: &str| {
        let prefix =
            format!("(window.ppdocsSearchParts = window.ppdocsSearchParts || {{}})[\"{name}\"] = ");
        output(name, &prefix, json)
    };
    let chunks = entries.par_chunks(CHUNK_ENTRIES).enumerate();
    let mut parts: Vec<OutputFile> = chunks
        .map(|(n, chunk)| part(format!("e{n}"), &json(chunk)))
        .collect();
    for (n, (_, shard)) in shards.iter_mut().enumerate() {
        shard.push('}');
        parts.push(part(format!("t{n}"), shard));
    }
    // The parts' digests are made in parallel (at 100,000 pages the parts are 1.1 GB), then
    // hashed in order.
    let digests: Vec<_> = parts
        .par_iter()
        .map(|p| Sha256::digest(&p.contents))
        .collect();
    let mut hasher = Sha256::new();
    for digest in &digests {
        hasher.update(digest);
    }
    let dir = format!("{PARTS_DIR}/{}/", crate::load::hex(&hasher.finalize()[..5]));
    for part in &mut parts {
        part.path = format!("{dir}{}.js", part.path);
    }
    let manifest = Manifest {
        fields: FIELDS,
        split: Split {
            dir,
            chunk: CHUNK_ENTRIES,
            entries: entries.len(),
            shards: shards.into_iter().map(|(first, _)| first).collect(),
        },
    };
    let index = output(INDEX_PATH.to_string(), INDEX_PREFIX, &json(&manifest));
    std::iter::once(index).chain(parts).collect()
}

/// Each word with the entries it occurs in, sorted by [`utf16_order`]: two lists of ascending
/// entry numbers, each number given as the difference from the one before (so most take a
/// byte or two), the first for entries with the word in their title.
fn terms(entries: &[Entry<'_>]) -> Vec<(String, [Vec<u32>; 2])> {
    // Batches are merged in order as they are made, so few are held at once.
    let postings = entries
        .par_chunks(TERMS_BATCH)
        .enumerate()
        .map(|(batch, entries)| postings(entries, batch * TERMS_BATCH))
        .reduce(Postings::new, |mut earlier, later| {
            if earlier.is_empty() {
                return later;
            }
            // The later batch's entries come after: appended, the lists stay in order.
            for (word, [title, other]) in later {
                let lists = earlier.entry(word).or_default();
                lists[0].extend(title);
                lists[1].extend(other);
            }
            earlier
        });
    let mut terms: Vec<(String, [Vec<u32>; 2])> = postings.into_iter().collect();
    terms.sort_unstable_by(|a, b| utf16_order(&a.0, &b.0));
    for (_, lists) in &mut terms {
        for list in lists {
            let mut previous = 0;
            for n in list.iter_mut() {
                (*n, previous) = (*n - previous, *n);
            }
        }
    }
    terms
}

/// Each word with the entries it occurs in: title words, then the others.
type Postings = HashMap<String, [Vec<u32>; 2]>;

/// The postings of `entries`, the first of which is entry number `first`.
fn postings(entries: &[Entry<'_>], first: usize) -> Postings {
    let mut postings = Postings::new();
    for (n, entry) in entries.iter().enumerate() {
        let n = (first + n) as u32;
        for (text, in_title) in [(entry.1, true), (entry.3, false), (&entry.4[..], false)] {
            // Words as `search.js` cuts a query: lowercased as a whole (as `toLowerCase`, final
            // sigma included), then cut at every character that is neither a letter nor a
            // digit (`/[^\p{Alphabetic}\p{N}]+/u`).
            let lowercase = text.to_lowercase();
            let words = lowercase.split(|c: char| !c.is_alphanumeric());
            for word in words.filter(|word| !word.is_empty()) {
                let lists = postings.entry_ref(word).or_default();
                // The title's words come first, so a word is listed once, as a title word
                // when it is one.
                if lists[0].last() != Some(&n) && lists[1].last() != Some(&n) {
                    lists[usize::from(!in_title)].push(n);
                }
            }
        }
    }
    postings
}

/// The order of JavaScript's `<` on strings (UTF-16 code units), which the manifest's shard
/// list must follow for `search.js` to find a word's shard by comparing.
fn utf16_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

fn json<T: Serialize + ?Sized>(value: &T) -> String {
    // Entries are strings and numbers: serializing them cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

/// `prefix`, then `json` made safe inside a script, then `;`.
fn output(path: String, prefix: &str, json: &str) -> OutputFile {
    // `<` only occurs inside JSON strings, where `\u003c` means the same: no `</script>`
    // or `<%` (which SharePoint rejects) can appear in the file.
    let json = json.replace('<', "\\u003c");
    OutputFile {
        path,
        contents: Arc::from(format!("{prefix}{json}{INDEX_SUFFIX}").into_bytes()),
    }
}

/// A page's entries: the page, and an article's sections and tasks.
fn page_entries<'a>(site: &'a Site, page: &'a Page) -> Vec<Entry<'a>> {
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
    let mut entries = vec![Entry(
        kind,
        &document.title,
        document.output.clone(),
        "",
        clip(&format!("{description} {context}")),
    )];
    let Some(article) = page.article else {
        return entries;
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
    entries
}

/// A record's entry, if it has a page to lead to.
fn record_entry<'a>(site: &'a Site, record: &'a Record) -> Option<Entry<'a>> {
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
        (None, None) => return None,
    };
    Some(Entry(
        "record",
        &evidence.title,
        url,
        &evidence.owner,
        clip(&evidence.notes_text),
    ))
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

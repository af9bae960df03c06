//! Markdown to HTML with pulldown-cmark, plus what ppdocs reads on the way: headings and
//! their anchors, `##` sections, checklist tasks, and the links to check later.
//!
//! The HTML is cut into [`BodyPart`]s so `render` can show the article whole, each section
//! alone, and put each checklist's tasks (with their statuses) where the table was.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html,
};

use crate::diagnostics::{Code, Diagnostic};
use crate::parse::checklist::{self, RawTask, RowProblem, Spanned, plain_text};
use crate::parse::highlight::{escape_html, highlight};
use crate::parse::learn::{self, ALERTS, MARKER_PREFIX, Preprocessed};
use crate::parse::sanitize;
use crate::urls;

/// Internal links are written as `ppdocs-root:/<output path>` and made relative to each
/// page that shows them when it is rendered: a section's text appears on the article page
/// and on the section page, one folder deeper.
pub const ROOT_PLACEHOLDER: &str = "ppdocs-root:/";

/// `html` with every [`ROOT_PLACEHOLDER`] replaced by `root` (the way from the page showing
/// it to the output root). Searches with SIMD and copies nothing when there is no link to
/// anchor: every page goes through here.
pub fn anchor_links<'h>(html: &'h [u8], root: &str) -> Cow<'h, [u8]> {
    let finder = memchr::memmem::Finder::new(ROOT_PLACEHOLDER);
    let mut found = finder.find_iter(html).peekable();
    if found.peek().is_none() {
        return Cow::Borrowed(html);
    }
    let mut out = Vec::with_capacity(html.len());
    let mut copied = 0;
    for at in found {
        out.extend_from_slice(&html[copied..at]);
        out.extend_from_slice(root.as_bytes());
        copied = at + ROOT_PLACEHOLDER.len();
    }
    out.extend_from_slice(&html[copied..]);
    Cow::Owned(out)
}

/// [`anchor_links`] for HTML held as a `String`.
pub fn anchor_links_in(html: String, root: &str) -> String {
    match anchor_links(html.as_bytes(), root) {
        Cow::Borrowed(_) => html,
        // Only ASCII was replaced by UTF-8, so this is always UTF-8.
        Cow::Owned(bytes) => String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    }
}

/// The pulldown-cmark extensions ppdocs enables.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A piece of a rendered page body.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum BodyPart {
    Html(String),
    /// Where the `##` heading of section `n` begins.
    SectionStart(usize),
    /// Where the body of section `n` begins, just after its heading.
    SectionBody(usize),
    /// A checklist that stood here: tasks `tasks` of section `section`.
    Checklist {
        section: usize,
        tasks: Range<usize>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A `##` section as written, with its tasks before IDs are assigned.
#[derive(Clone, Debug, Hash)]
pub struct SectionDraft {
    pub title: String,
    pub anchor: String,
    /// An explicit task-ID prefix: `## Compliance {prefix=CO}`.
    pub prefix: Option<String>,
    pub tasks: Vec<TaskDraft>,
    pub file: PathBuf,
    pub span: Range<usize>,
}

#[derive(Clone, Debug, Hash)]
pub struct TaskDraft {
    pub explicit_id: Option<(String, Range<usize>)>,
    pub html: String,
    pub text: String,
    /// The file the task was written in (an include, possibly) and where.
    pub file: PathBuf,
    pub span: Range<usize>,
}

/// A link to another file of the project, checked once every page is known.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LocalLink {
    /// Project-relative path of the target (`content/other.md`).
    pub target: PathBuf,
    pub fragment: Option<String>,
    pub file: PathBuf,
    pub span: Range<usize>,
}

/// The result of rendering one page's Markdown.
#[derive(Debug, Default)]
pub struct Rendered {
    pub title: Option<String>,
    pub parts: Vec<BodyPart>,
    pub headings: Vec<Heading>,
    pub sections: Vec<SectionDraft>,
    pub links: Vec<LocalLink>,
}

/// What a page is rendered against.
pub struct PageContext<'a> {
    /// The page's own source (`content/a.md`) and output path (`a/index.html`).
    pub source: &'a Path,
    pub output: &'a str,
    pub learn_base_url: &'a str,
    /// Clean the HTML of anything that could run in a reader's browser (`sanitize = true`).
    pub sanitize: bool,
    /// Training modules turn the list under a `## Self-check` heading into questions whose
    /// answers the reader reveals.
    pub self_check: bool,
}

/// Headings that start a training module's self-check.
const SELF_CHECK_TITLES: &[&str] = &[
    "self-check",
    "self check",
    "check your knowledge",
    "knowledge check",
];

/// Lists and block quotes may nest this deep. Real pages nest a handful of levels; the
/// bound keeps the work per page linear (each list is scanned once per enclosing list).
pub const MAX_NESTING: usize = 32;

/// A page may hold this many checklist tasks. Every task is rendered on several pages
/// (article, section, appendices), so the bound keeps a build's memory and output in check.
pub const MAX_TASKS_PER_PAGE: usize = 5_000;

/// Renders preprocessed Markdown; problems are appended to `diagnostics`.
pub fn render(
    pre: &Preprocessed,
    links: &PageContext<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Rendered {
    let mut events: Vec<Spanned<'_>> = Parser::new_ext(&pre.text, options())
        .into_offset_iter()
        .collect();
    if let Some(too_deep) = too_deep(&events, pre, links.sanitize) {
        diagnostics.push(too_deep);
        return Rendered::default();
    }
    let mut state = State {
        pre,
        links,
        diagnostics,
        rendered: Rendered::default(),
        used_ids: HashSet::new(),
        quotes: Vec::new(),
        seen_block: false,
        in_task: false,
        in_self_check: false,
    };
    state.rewrite_links(&mut events);
    let mut out = Vec::with_capacity(events.len());
    state.process(&events, &mut out);
    let mut html = String::with_capacity(pre.text.len() * 3 / 2);
    html::push_html(&mut html, out.into_iter());
    if links.sanitize {
        html = sanitize::clean_body(&html, PART_MARK);
        for task in state
            .rendered
            .sections
            .iter_mut()
            .flat_map(|s| &mut s.tasks)
        {
            task.html = sanitize::clean(&task.html);
        }
    }
    state.rendered.parts = split_parts(&html);
    let tasks: usize = state.rendered.sections.iter().map(|s| s.tasks.len()).sum();
    if tasks > MAX_TASKS_PER_PAGE {
        let (file, span) = state
            .rendered
            .sections
            .iter()
            .flat_map(|s| &s.tasks)
            .nth(MAX_TASKS_PER_PAGE)
            .map(|t| (t.file.clone(), t.span.clone()))
            .unwrap_or_default();
        state.diagnostics.push(
            Diagnostic::error(
                Code::ContentTooLarge,
                format!("this page has {tasks} checklist tasks; ppdocs accepts at most {MAX_TASKS_PER_PAGE} per page"),
            )
            .at(file, span)
            .with_help("split the checklist into several articles"),
        );
        return Rendered::default();
    }
    state.rendered
}

/// An error at the first list or block quote nested deeper than [`MAX_NESTING`], or, when
/// the page is to be sanitized, raw HTML nested deeper than the sanitizer accepts.
fn too_deep(events: &[Spanned<'_>], pre: &Preprocessed, sanitize: bool) -> Option<Diagnostic> {
    let mut depth = 0usize;
    let mut html = sanitize::NestingGauge::default();
    for (event, span) in events {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) if sanitize && html.too_deep_after(raw) => {
                let (file, origin) = pre.origin(span.clone());
                return Some(
                    Diagnostic::error(
                        Code::ContentTooLarge,
                        format!(
                            "HTML elements nest more than {} levels deep here",
                            sanitize::MAX_HTML_NESTING
                        ),
                    )
                    .at(file, origin)
                    .with_help(format!("with `sanitize = true` ppdocs accepts HTML nested at most {} levels; close the elements you open", sanitize::MAX_HTML_NESTING)),
                );
            }
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => {
                depth += 1;
                if depth > MAX_NESTING {
                    let (file, origin) = pre.origin(span.start..span.start);
                    return Some(
                        Diagnostic::error(
                            Code::ContentTooLarge,
                            format!("lists and block quotes nest more than {MAX_NESTING} levels deep here"),
                        )
                        .at(file, origin)
                        .with_help(format!("ppdocs accepts at most {MAX_NESTING} levels; flatten the list or quote")),
                    );
                }
            }
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Markers between parts: NUL never survives pulldown-cmark, so content cannot forge them.
const PART_MARK: char = '\0';

fn split_parts(html: &str) -> Vec<BodyPart> {
    let mut parts = Vec::new();
    let mut pieces = html.split(PART_MARK);
    if let Some(first) = pieces.next()
        && !first.is_empty()
    {
        parts.push(BodyPart::Html(first.to_string()));
    }
    // After the first piece, pieces alternate: marker, html, marker, html...
    while let Some(marker) = pieces.next() {
        let mut fields = marker.split(':');
        let part = match (fields.next(), fields.next(), fields.next(), fields.next()) {
            (Some("s"), Some(n), None, None) => n.parse().ok().map(BodyPart::SectionStart),
            (Some("b"), Some(n), None, None) => n.parse().ok().map(BodyPart::SectionBody),
            (Some("c"), Some(s), Some(a), Some(b)) => match (s.parse(), a.parse(), b.parse()) {
                (Ok(section), Ok(start), Ok(end)) => Some(BodyPart::Checklist {
                    section,
                    tasks: start..end,
                }),
                _ => None,
            },
            _ => None,
        };
        parts.extend(part);
        if let Some(html) = pieces.next()
            && !html.is_empty()
        {
            parts.push(BodyPart::Html(html.to_string()));
        }
    }
    parts
}

fn marker(text: String) -> Event<'static> {
    Event::Html(CowStr::from(format!("{PART_MARK}{text}{PART_MARK}")))
}

struct State<'p, 'd> {
    pre: &'p Preprocessed,
    links: &'p PageContext<'p>,
    diagnostics: &'d mut Vec<Diagnostic>,
    rendered: Rendered,
    used_ids: HashSet<String>,
    /// For each open block quote, the HTML that closes it.
    quotes: Vec<&'static str>,
    /// Whether any block came before: only a leading `# H1` is the page title.
    seen_block: bool,
    /// Inside a task's text, lists, tables and headings are only rendered.
    in_task: bool,
    /// Under a training module's `## Self-check` heading.
    in_self_check: bool,
}

impl<'a> State<'_, '_> {
    fn origin(&self, span: &Range<usize>) -> (PathBuf, Range<usize>) {
        let (file, range) = self.pre.origin(span.clone());
        (file.to_path_buf(), range)
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Rewrites link and image targets in place and records the local ones.
    fn rewrite_links(&mut self, events: &mut [Spanned<'a>]) {
        for (event, span) in events.iter_mut() {
            let dest = match event {
                Event::Start(Tag::Link { dest_url, .. })
                | Event::Start(Tag::Image { dest_url, .. }) => dest_url,
                _ => continue,
            };
            if let Some(new) = self.resolve_link(dest, span) {
                *dest = CowStr::from(new);
            }
        }
    }

    /// The output URL for a link written as `dest`, or `None` to keep it as written.
    fn resolve_link(&mut self, dest: &str, span: &Range<usize>) -> Option<String> {
        if dest.is_empty() || dest.starts_with("//") || urls::has_scheme(dest) {
            return None;
        }
        if dest.starts_with('/') {
            return Some(format!("{}{dest}", self.links.learn_base_url));
        }
        let (path_part, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f.to_string())),
            None => (dest, None),
        };
        let path_part = path_part.split('?').next().unwrap_or_default();
        let (file, origin) = self.origin(span);
        if path_part.is_empty() {
            // `#anchor` on this page: the article page, wherever the text is shown.
            self.rendered.links.push(LocalLink {
                target: self.links.source.to_path_buf(),
                fragment: fragment.clone(),
                file,
                span: origin,
            });
            return Some(format!(
                "{ROOT_PLACEHOLDER}{}#{}",
                urls::encode_path(self.links.output),
                fragment.unwrap_or_default()
            ));
        }
        let Some(target) = learn::resolve_relative(&file, path_part) else {
            self.push(
                Diagnostic::error(
                    Code::LinkBroken,
                    format!("link `{dest}` leaves the project"),
                )
                .at(&file, origin)
                .with_help("link to files inside content/ with paths relative to this file"),
            );
            return None;
        };
        let target_output = if target.extension().is_some_and(|e| e == "md") {
            urls::page_output(&target)
        } else {
            urls::static_output(&target)
        };
        let mut url = format!("{ROOT_PLACEHOLDER}{}", urls::encode_path(&target_output));
        if let Some(fragment) = &fragment {
            url.push('#');
            url.push_str(fragment);
        }
        self.rendered.links.push(LocalLink {
            target,
            fragment,
            file,
            span: origin,
        });
        Some(url)
    }

    fn process(&mut self, events: &[Spanned<'a>], out: &mut Vec<Event<'a>>) {
        let mut i = 0;
        while i < events.len() {
            let (event, span) = &events[i];
            match event {
                Event::Start(Tag::Heading {
                    level, id, attrs, ..
                }) if !self.in_task => {
                    let end = matching_end(events, i);
                    let heading = Heading {
                        level: heading_level(*level),
                        id: id.as_ref().map(|s| s.to_string()).unwrap_or_default(),
                        text: plain_text(&events[i + 1..end]).trim().to_string(),
                    };
                    let prefix = attrs
                        .iter()
                        .find(|(k, _)| k.as_ref() == "prefix")
                        .and_then(|(_, v)| v.as_ref().map(|v| v.to_string()));
                    self.heading(heading, prefix, span, &events[i + 1..end], out);
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::Table(_)) if !self.in_task => {
                    let end = matching_end(events, i);
                    self.table(&events[i..=end], out);
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::List(_)) if self.in_self_check && !self.in_task => {
                    let end = matching_end(events, i);
                    self.self_check(&events[i..=end], out);
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::List(None)) if !self.in_task => {
                    let end = matching_end(events, i);
                    if let Some(tasks) = checklist::extract_task_list(&events[i..=end])
                        && !self.rendered.sections.is_empty()
                    {
                        self.checklist(tasks, out);
                        i = end + 1;
                        continue;
                    }
                    out.push(event.clone());
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let end = matching_end(events, i);
                    let code: String = events[i + 1..end]
                        .iter()
                        .filter_map(|(e, _)| match e {
                            Event::Text(t) => Some(t.as_ref()),
                            _ => None,
                        })
                        .collect();
                    let lang = match kind {
                        CodeBlockKind::Fenced(info) => info.split_whitespace().next(),
                        CodeBlockKind::Indented => None,
                    };
                    out.push(Event::Html(CowStr::from(highlight(&code, lang))));
                    self.seen_block = true;
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::BlockQuote(_)) => {
                    if let Some((open, close, skip)) = quote_marker(&events[i + 1..]) {
                        out.push(Event::Html(CowStr::from(open)));
                        self.quotes.push(close);
                        i += 1 + skip;
                        continue;
                    }
                    self.quotes.push("</blockquote>\n");
                    out.push(event.clone());
                }
                Event::End(TagEnd::BlockQuote(_)) => {
                    let close = self.quotes.pop().unwrap_or("</blockquote>\n");
                    out.push(Event::Html(CowStr::Borrowed(close)));
                }
                Event::Start(Tag::Paragraph) => {
                    self.seen_block = true;
                    out.push(event.clone());
                }
                Event::Html(html) if html.trim_start().starts_with(MARKER_PREFIX) => {
                    let (file, origin) = self.origin(span);
                    self.push(
                        Diagnostic::error(
                            Code::LearnMarkerMisplaced,
                            "an alert or `[!div]` must be the first line of its block quote",
                        )
                        .at(file, origin)
                        .with_help(
                            "start a new block quote for it: a blank line, then `> [!NOTE]`",
                        ),
                    );
                }
                _ => out.push(event.clone()),
            }
            i += 1;
        }
    }

    fn heading(
        &mut self,
        mut heading: Heading,
        prefix: Option<String>,
        span: &Range<usize>,
        inner: &[Spanned<'a>],
        out: &mut Vec<Event<'a>>,
    ) {
        if heading.level == 1 && self.rendered.title.is_none() && !self.seen_block {
            self.rendered.title = Some(heading.text);
            return;
        }
        self.seen_block = true;
        let base = if heading.id.is_empty() {
            urls::slugify(&heading.text)
        } else {
            heading.id.clone()
        };
        heading.id = self.unique_id(base);
        let level = heading.level;
        let id = escape_html(&heading.id);
        self.in_self_check = false;
        if level == 2 {
            self.in_self_check = self.links.self_check
                && SELF_CHECK_TITLES.contains(&heading.text.to_lowercase().as_str());
            let index = self.rendered.sections.len();
            let (file, origin) = self.origin(span);
            self.rendered.sections.push(SectionDraft {
                title: heading.text.clone(),
                anchor: heading.id.clone(),
                prefix,
                tasks: Vec::new(),
                file,
                span: origin,
            });
            out.push(marker(format!("s:{index}")));
        }
        out.push(Event::Html(CowStr::from(format!("<h{level} id=\"{id}\">"))));
        out.extend(inner.iter().map(|(e, _)| e.clone()));
        out.push(Event::Html(CowStr::from(format!(
            "<a class=\"heading-anchor\" href=\"#{id}\" aria-label=\"Link to this heading\">#</a></h{level}>\n"
        ))));
        if level == 2 {
            out.push(marker(format!("b:{}", self.rendered.sections.len() - 1)));
        }
        self.rendered.headings.push(heading);
    }

    fn unique_id(&mut self, base: String) -> String {
        let mut id = base.clone();
        let mut n = 1;
        while !self.used_ids.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    fn table(&mut self, table: &[Spanned<'a>], out: &mut Vec<Event<'a>>) {
        self.seen_block = true;
        let Some((tasks, problems)) = checklist::extract_table(table, &self.pre.text) else {
            self.process_plain(table, out);
            return;
        };
        for problem in problems {
            self.row_problem(problem);
        }
        if self.rendered.sections.is_empty() {
            let (file, origin) = self.origin(&table[0].1);
            self.push(
                Diagnostic::warning(Code::ChecklistOutsideSection, "this checklist is not under a `##` section heading")
                    .at(file, origin)
                    .with_help("add a `## Section name` heading above the table; its tasks are not tracked until then"),
            );
            self.process_plain(table, out);
            return;
        }
        self.checklist(tasks, out);
    }

    /// Processes nested events of a block that is rendered as written.
    fn process_plain(&mut self, events: &[Spanned<'a>], out: &mut Vec<Event<'a>>) {
        out.push(events[0].0.clone());
        self.process(&events[1..events.len() - 1], out);
        out.push(events[events.len() - 1].0.clone());
    }

    fn checklist(&mut self, tasks: Vec<RawTask<'a>>, out: &mut Vec<Event<'a>>) {
        self.seen_block = true;
        let section_index = self.rendered.sections.len() - 1;
        let start = self.rendered.sections[section_index].tasks.len();
        for task in tasks {
            let mut inner = Vec::new();
            self.in_task = true;
            self.process(&task.text, &mut inner);
            self.in_task = false;
            let mut task_html = String::new();
            html::push_html(&mut task_html, inner.into_iter());
            let (file, span) = self.origin(&task.span);
            let explicit_id = task.explicit_id.map(|(id, s)| (id, self.origin(&s).1));
            self.rendered.sections[section_index].tasks.push(TaskDraft {
                explicit_id,
                html: task_html.trim().to_string(),
                text: plain_text(&task.text).trim().to_string(),
                file,
                span,
            });
        }
        let end = self.rendered.sections[section_index].tasks.len();
        out.push(marker(format!("c:{section_index}:{start}:{end}")));
    }

    /// A self-check list: each item's first block is a question, the rest its answer,
    /// revealed with `<details>` so it works without JavaScript.
    fn self_check(&mut self, list: &[Spanned<'a>], out: &mut Vec<Event<'a>>) {
        out.push(Event::Html(CowStr::Borrowed("<ol class=\"self-check\">\n")));
        let mut i = 1;
        while i < list.len() - 1 {
            let end = matching_end(list, i);
            let item = &list[i + 1..end];
            let split = match item.first() {
                Some((Event::Start(Tag::Paragraph), _)) => matching_end(item, 0) + 1,
                _ => item
                    .iter()
                    .position(|(e, _)| matches!(e, Event::Start(tag) if !is_inline(tag)))
                    .unwrap_or(item.len()),
            };
            let (question, answer) = item.split_at(split);
            let question = match question.first() {
                Some((Event::Start(Tag::Paragraph), _)) => &question[1..question.len() - 1],
                _ => question,
            };
            out.push(Event::Html(CowStr::Borrowed("<li><details><summary>")));
            // Lists inside a question or answer are plain lists.
            self.in_self_check = false;
            self.process(question, out);
            out.push(Event::Html(CowStr::Borrowed(
                "</summary>\n<div class=\"self-check-answer\">\n",
            )));
            self.process(answer, out);
            self.in_self_check = true;
            out.push(Event::Html(CowStr::Borrowed("</div></details></li>\n")));
            i = end + 1;
        }
        out.push(Event::Html(CowStr::Borrowed("</ol>\n")));
        // Only the first list after the heading is the self-check.
        self.in_self_check = false;
    }

    fn row_problem(&mut self, problem: RowProblem) {
        let diagnostic = match problem {
            RowProblem::BadMark { text, span } => {
                let (file, origin) = self.origin(&span);
                Diagnostic::error(Code::ChecklistBadMark, format!("`{text}` is not a check mark"))
                    .at(file, origin)
                    .with_help("the first column of a checklist holds ✓ (&check;), ☐ (&#9744;), [x], [ ] or nothing")
            }
            RowProblem::EmptyTask { span } => {
                let (file, origin) = self.origin(&span);
                Diagnostic::error(
                    Code::ChecklistEmptyTask,
                    "this checklist row has no task text",
                )
                .at(file, origin)
                .with_help("write the task in the task column, or delete the row")
            }
            RowProblem::ExtraCells {
                expected,
                found,
                span,
            } => {
                let (file, origin) = self.origin(&span);
                Diagnostic::error(
                    Code::ChecklistExtraCells,
                    format!("this row has {found} cells but the header has {expected}; the extra cells would be lost"),
                )
                .at(file, origin)
                .with_help("escape a `|` inside task text as `\\|`, or add a column to the header")
            }
        };
        self.push(diagnostic);
    }
}

/// For a block quote that opens with a Learn marker, the opening and closing HTML and how
/// many events the marker takes.
fn quote_marker(events: &[Spanned<'_>]) -> Option<(String, &'static str, usize)> {
    let (html, skip) = match (events.first(), events.get(1)) {
        (Some((Event::Start(Tag::HtmlBlock), _)), Some((Event::Html(html), _))) => (
            html,
            if matches!(events.get(2), Some((Event::End(TagEnd::HtmlBlock), _))) {
                3
            } else {
                2
            },
        ),
        _ => return None,
    };
    let body = html
        .trim()
        .strip_prefix(MARKER_PREFIX)?
        .strip_suffix("-->")?;
    if let Some(kind) = body.strip_prefix("alert:") {
        let (kind, title) = ALERTS.iter().find(|(k, _)| *k == kind)?;
        return Some((
            format!(
                "<div class=\"alert alert-{kind}\" role=\"note\"><p class=\"alert-title\"><span class=\"alert-icon\" aria-hidden=\"true\"></span>{title}</p>\n"
            ),
            "</div>\n",
            skip,
        ));
    }
    let class = body.strip_prefix("div:")?;
    Some((
        format!("<div class=\"{}\">\n", escape_html(class)),
        "</div>\n",
        skip,
    ))
}

fn matching_end(events: &[Spanned<'_>], start: usize) -> usize {
    let mut depth = 0usize;
    for (i, (event, _)) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
    )
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_links_replaces_every_placeholder() {
        let html = format!(
            r#"<a href="{ROOT_PLACEHOLDER}a/index.html">é</a><img src="{ROOT_PLACEHOLDER}b.png">"#
        );
        assert_eq!(
            anchor_links_in(html, "../../"),
            r#"<a href="../../a/index.html">é</a><img src="../../b.png">"#
        );
        assert_eq!(
            anchor_links_in("<p>none</p>".to_string(), "../"),
            "<p>none</p>"
        );
        assert_eq!(anchor_links_in(format!("{ROOT_PLACEHOLDER}x"), ""), "x");
        assert!(matches!(
            anchor_links(b"<p>none</p>", "../"),
            Cow::Borrowed(_)
        ));
    }
}

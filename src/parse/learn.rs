//! Microsoft Learn's Markdown extensions, rewritten into CommonMark before parsing.
//!
//! Learn articles use `> [!NOTE]` alerts, `:::image ...:::`, `[!INCLUDE[...](...)]`,
//! `> [!div class="..."]` and `:::row:::`-style layout blocks. This pass rewrites each into
//! Markdown or a marker comment that `markdown` turns into HTML, outside code fences only.
//! It keeps a map from every output line back to its file and byte offset, so diagnostics
//! found later still point at the author's line (includes point into the included file).

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Code, Diagnostic};
use crate::parse::{ContentIndex, front_matter};

/// How deep includes may nest before ppdocs assumes something is wrong.
const MAX_INCLUDE_DEPTH: usize = 16;

/// How many bytes includes may add to one page in all, so nested includes cannot explode.
const MAX_INCLUDED_BYTES: usize = crate::load::MAX_CONTENT_FILE_BYTES as usize;

/// Alert kinds Learn supports, with the title each renders with.
pub const ALERTS: &[(&str, &str)] = &[
    ("note", "Note"),
    ("tip", "Tip"),
    ("important", "Important"),
    ("caution", "Caution"),
    ("warning", "Warning"),
];

/// The prefix of the marker comments this pass leaves for `markdown`.
pub const MARKER_PREFIX: &str = "<!--ppdocs:";

/// CommonMark text plus the way back to the author's files.
#[derive(Debug)]
pub struct Preprocessed {
    pub text: String,
    files: Vec<PathBuf>,
    /// Each file's text, when the content index has it, to keep mapped ranges inside it.
    sources: Vec<Option<Arc<str>>>,
    lines: Vec<LineOrigin>,
}

#[derive(Debug, Clone, Copy)]
struct LineOrigin {
    out_start: usize,
    file: usize,
    src_start: usize,
    /// The output line is the source line unchanged, so columns map one to one.
    verbatim: bool,
}

impl Preprocessed {
    /// Every file this text was built from: the page and the files it includes.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// Maps a byte range of [`Preprocessed::text`] back to a file and a range in it, on
    /// character boundaries of that file.
    pub fn origin(&self, out: Range<usize>) -> (&Path, Range<usize>) {
        let (file, range) = self.origin_unclamped(out);
        let source = self
            .files
            .iter()
            .position(|f| f == file)
            .and_then(|i| self.sources[i].as_deref());
        let Some(source) = source else {
            return (file, range);
        };
        let mut start = range.start.min(source.len());
        while !source.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = range.end.clamp(start, source.len());
        while !source.is_char_boundary(end) {
            end += 1;
        }
        (file, start..end)
    }

    fn origin_unclamped(&self, out: Range<usize>) -> (&Path, Range<usize>) {
        let index = self
            .lines
            .partition_point(|l| l.out_start <= out.start)
            .saturating_sub(1);
        let Some(line) = self.lines.get(index) else {
            return (
                self.files.first().map_or(Path::new(""), |p| p.as_path()),
                0..0,
            );
        };
        let file = self.files[line.file].as_path();
        if !line.verbatim {
            return (file, line.src_start..line.src_start + 1);
        }
        let start = line.src_start + (out.start - line.out_start);
        let line_end = self
            .lines
            .get(index + 1)
            .map_or(self.text.len(), |next| next.out_start);
        let end = if out.end <= line_end {
            line.src_start + (out.end - line.out_start)
        } else {
            line.src_start + (line_end - line.out_start)
        };
        (file, start..end.max(start))
    }
}

/// Rewrites the Learn extensions in `body`, which starts at byte `offset` of `file`.
pub fn preprocess(
    body: &str,
    offset: usize,
    file: &Path,
    index: &ContentIndex,
    diagnostics: &mut Vec<Diagnostic>,
) -> Preprocessed {
    let mut out = Preprocessed {
        text: String::with_capacity(body.len() + body.len() / 16),
        files: Vec::new(),
        sources: Vec::new(),
        lines: Vec::new(),
    };
    let mut stack = vec![file.to_path_buf()];
    Rewriter::new(&mut out, index, diagnostics).rewrite(body, offset, &mut stack, "");
    out
}

struct Rewriter<'a> {
    out: &'a mut Preprocessed,
    index: &'a ContentIndex,
    diagnostics: &'a mut Vec<Diagnostic>,
    /// Bytes includes may still add, so that nested includes cannot explode.
    include_budget: usize,
}

impl Rewriter<'_> {
    fn new<'a>(
        out: &'a mut Preprocessed,
        index: &'a ContentIndex,
        diagnostics: &'a mut Vec<Diagnostic>,
    ) -> Rewriter<'a> {
        Rewriter {
            out,
            index,
            diagnostics,
            include_budget: MAX_INCLUDED_BYTES,
        }
    }

    /// Rewrites `text` (at `offset` of the file on top of `stack`), prefixing every output
    /// line with `prefix` (the block-quote or list indentation of an include line).
    fn rewrite(&mut self, text: &str, offset: usize, stack: &mut Vec<PathBuf>, prefix: &str) {
        let file_path = stack.last().cloned().unwrap_or_default();
        let file = self.file_index(&file_path);
        if prefix.is_empty() && !text.contains(":::") && !text.contains("[!") {
            // Nothing to rewrite: one verbatim segment maps every byte.
            self.push_segment(file, offset, true);
            self.out.text.push_str(text);
            if !text.is_empty() && !text.ends_with('\n') {
                self.out.text.push('\n');
            }
            return;
        }
        // pulldown-cmark decides what is code, so this pass agrees with the real parse
        // (fences in list items, indented code, HTML blocks).
        let code = code_block_ranges(text);
        let mut complex_image: Option<Range<usize>> = None;
        let mut line_offset = 0;
        for raw_line in text.split_inclusive('\n') {
            let rel_start = line_offset;
            let src_start = offset + line_offset;
            line_offset += raw_line.len();
            let line = raw_line.trim_end_matches(['\n', '\r']);
            let (quote, rest) = split_block_prefix(line);
            let content_at = rel_start + (line.len() - rest.len());
            if code.iter().any(|r| r.contains(&content_at)) || rest.is_empty() {
                self.push_verbatim(prefix, line, file, src_start);
                continue;
            }
            let span = |start: usize, len: usize| src_start + start..src_start + start + len;
            let rest_at = line.len() - rest.len();

            if complex_image.is_some() {
                if rest.starts_with(":::image-end:::") {
                    complex_image = None;
                    self.push_rewritten(prefix, quote, file, src_start);
                } else {
                    self.push_verbatim(prefix, line, file, src_start);
                }
                continue;
            }

            if let Some(directive) = rest.strip_prefix(":::") {
                match self.directive(directive, &file_path, span(rest_at, rest.len())) {
                    Directive::Image { markdown, complex } => {
                        if complex {
                            complex_image = Some(span(rest_at, rest.len()));
                        }
                        self.push_rewritten(prefix, &format!("{quote}{markdown}"), file, src_start);
                    }
                    Directive::Lines(lines) => {
                        for l in lines {
                            self.push_rewritten(prefix, &format!("{quote}{l}"), file, src_start);
                        }
                    }
                }
                continue;
            }

            if let Some(after) = rest.strip_prefix("[!") {
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                let upper = name.to_ascii_uppercase();
                if upper == "INCLUDE" {
                    if let Some((target, consumed)) = parse_include(rest)
                        && rest[consumed..].trim().is_empty()
                    {
                        self.include(
                            &target,
                            stack,
                            span(rest_at, consumed),
                            prefix,
                            quote,
                            file,
                            src_start,
                        );
                        continue;
                    }
                } else if let Some(block) =
                    self.quote_marker(&upper, after, quote, &file_path, span(rest_at, rest.len()))
                {
                    for l in block {
                        self.push_rewritten(prefix, &l, file, src_start);
                    }
                    continue;
                }
            }

            // Inline includes, and any other `[!` extension, anywhere in the line.
            if !self.inline(prefix, line, stack, file, src_start) {
                self.push_verbatim(prefix, line, file, src_start);
            }
        }
        if let Some(span) = complex_image {
            self.error(
                Code::LearnSyntaxUnsupported,
                &file_path,
                span,
                "`:::image type=\"complex\"` is never closed".to_string(),
                "end the image's long description with a line `:::image-end:::`",
            );
        }
    }

    fn file_index(&mut self, path: &Path) -> usize {
        match self.out.files.iter().position(|p| p == path) {
            Some(i) => i,
            None => {
                self.out.files.push(path.to_path_buf());
                self.out.sources.push(self.index.get(path).cloned());
                self.out.files.len() - 1
            }
        }
    }

    /// Starts a new mapping segment at the current end of the output, unless the previous
    /// segment already continues into it byte for byte.
    fn push_segment(&mut self, file: usize, src_start: usize, verbatim: bool) {
        let out_start = self.out.text.len();
        if let Some(last) = self.out.lines.last()
            && verbatim
            && last.verbatim
            && last.file == file
            && last.src_start + (out_start - last.out_start) == src_start
        {
            return;
        }
        self.out.lines.push(LineOrigin {
            out_start,
            file,
            src_start,
            verbatim,
        });
    }

    fn push_line(
        &mut self,
        prefix: &str,
        line: &str,
        file: usize,
        src_start: usize,
        verbatim: bool,
    ) {
        // A prefixed line (inside an include) no longer maps column for column.
        self.push_segment(file, src_start, verbatim && prefix.is_empty());
        self.out.text.push_str(prefix);
        self.out.text.push_str(line);
        self.out.text.push('\n');
    }

    fn push_verbatim(&mut self, prefix: &str, line: &str, file: usize, src_start: usize) {
        self.push_line(prefix, line, file, src_start, true);
    }

    fn push_rewritten(&mut self, prefix: &str, line: &str, file: usize, src_start: usize) {
        self.push_line(prefix, line, file, src_start, false);
    }

    fn error(&mut self, code: Code, file: &Path, span: Range<usize>, message: String, help: &str) {
        self.diagnostics.push(
            Diagnostic::error(code, message)
                .at(file, span)
                .with_help(help),
        );
    }

    /// `:::image ...:::`, `:::row:::` and friends. `text` follows the leading `:::`.
    fn directive(&mut self, text: &str, file: &Path, span: Range<usize>) -> Directive {
        let name: String = text
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let Some(body) = text[name.len()..].trim_end().strip_suffix(":::") else {
            self.error(
                Code::LearnSyntaxUnsupported,
                file,
                span,
                format!("`:::{name}` is not closed with `:::` on the same line"),
                "write the whole directive on one line: `:::image type=\"content\" source=\"a.png\" alt-text=\"...\":::`",
            );
            return Directive::Lines(vec![String::new()]);
        };
        let attrs = parse_attributes(body);
        match name.as_str() {
            "image" => {
                let source = attr(&attrs, "source");
                let alt = attr(&attrs, "alt-text").unwrap_or_default();
                let Some(source) = source else {
                    self.error(
                        Code::LearnSyntaxUnsupported,
                        file,
                        span,
                        "`:::image` has no `source` attribute".to_string(),
                        "add source=\"path/to/image.png\"",
                    );
                    return Directive::Lines(vec![String::new()]);
                };
                let complex = attr(&attrs, "type").as_deref() == Some("complex");
                let markdown = format!("![{}](<{}>)", escape_alt(&alt), source.replace('>', "%3E"));
                Directive::Image { markdown, complex }
            }
            "row" | "column" | "zone" | "moniker" => {
                let class = format!("learn-{name}");
                Directive::Lines(vec![format!("<div class=\"{class}\">"), String::new()])
            }
            "row-end" | "column-end" | "zone-end" | "moniker-end" => {
                Directive::Lines(vec![String::new(), "</div>".to_string(), String::new()])
            }
            _ => {
                self.error(
                    Code::LearnSyntaxUnsupported,
                    file,
                    span,
                    format!("ppdocs cannot render the Learn extension `:::{name}`"),
                    "supported: :::image, :::row, :::column, :::zone, :::moniker; paste code as a fenced block instead of :::code",
                );
                Directive::Lines(vec![String::new()])
            }
        }
    }

    /// `> [!NOTE]`, `> [!div class="..."]`, `> [!VIDEO url]` at the start of a quoted line.
    /// Returns the output lines, or `None` when `name` is not a block extension.
    fn quote_marker(
        &mut self,
        upper: &str,
        after: &str,
        quote: &str,
        file: &Path,
        span: Range<usize>,
    ) -> Option<Vec<String>> {
        let close = after.find(']')?;
        let inner = &after[..close];
        let rest = after[close + 1..].trim();
        let in_quote = quote.contains('>');
        let lower = upper.to_ascii_lowercase();
        let marker = if ALERTS.iter().any(|(kind, _)| *kind == lower) && inner.len() == upper.len()
        {
            format!("{MARKER_PREFIX}alert:{lower}-->")
        } else if upper == "DIV" {
            let attrs = parse_attributes(&inner[3..]);
            let class: String = attr(&attrs, "class")
                .unwrap_or_default()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_' || *c == ' ')
                .collect();
            format!("{MARKER_PREFIX}div:{}-->", class.trim())
        } else if upper == "VIDEO" {
            let url = inner[5..].trim();
            return Some(vec![format!("{quote}[Watch the video](<{url}>)")]);
        } else if upper.chars().all(|c| c.is_ascii_uppercase()) && !upper.is_empty() {
            self.error(
                Code::LearnSyntaxUnsupported,
                file,
                span,
                format!("unknown Learn extension `[!{upper}]`"),
                "alerts are [!NOTE], [!TIP], [!IMPORTANT], [!CAUTION] and [!WARNING]",
            );
            return Some(vec![quote.to_string()]);
        } else {
            return None;
        };
        if !in_quote {
            self.error(
                Code::LearnSyntaxUnsupported,
                file,
                span,
                format!("`[!{upper}]` must start a block quote"),
                "write it as `> [!NOTE]`, with the text on the following `>` lines",
            );
            return Some(vec![quote.to_string()]);
        }
        let mut lines = vec![format!("{quote}{marker}")];
        if !rest.is_empty() {
            lines.push(format!("{quote}{rest}"));
        }
        Some(lines)
    }

    #[allow(clippy::too_many_arguments)]
    fn include(
        &mut self,
        target: &str,
        stack: &mut Vec<PathBuf>,
        span: Range<usize>,
        prefix: &str,
        quote: &str,
        file: usize,
        src_start: usize,
    ) {
        match self.resolve_include(target, stack, span) {
            Some((path, text, body_offset)) => {
                stack.push(path);
                let nested_prefix = format!("{prefix}{quote}");
                self.rewrite(&text[body_offset..], body_offset, stack, &nested_prefix);
                stack.pop();
            }
            None => self.push_rewritten(prefix, quote, file, src_start),
        }
    }

    /// Finds an include's file; reports a missing file or a cycle.
    fn resolve_include(
        &mut self,
        target: &str,
        stack: &[PathBuf],
        span: Range<usize>,
    ) -> Option<(PathBuf, std::sync::Arc<str>, usize)> {
        let current = stack.last().cloned().unwrap_or_default();
        let target_path = target.split(['#', '?']).next().unwrap_or(target);
        let resolved = resolve_relative(&current, target_path);
        let Some(path) = resolved.filter(|p| self.index.get(p).is_some()) else {
            self.error(
                Code::IncludeNotFound,
                &current,
                span,
                format!("included file `{target}` not found"),
                "include paths are relative to this file and must stay inside content/",
            );
            return None;
        };
        if stack.contains(&path) || stack.len() > MAX_INCLUDE_DEPTH {
            let chain: Vec<String> = stack
                .iter()
                .chain(std::iter::once(&path))
                .map(|p| p.display().to_string())
                .collect();
            self.error(
                Code::IncludeCycle,
                &current,
                span,
                format!("include cycle: {}", chain.join(" → ")),
                "remove one of the [!INCLUDE] lines so that no file includes itself",
            );
            return None;
        }
        let text = self.index.get(&path)?.clone();
        if text.len() > self.include_budget {
            self.error(
                Code::IncludeTooLarge,
                &current,
                span,
                format!(
                    "includes add more than {} MiB to this page",
                    MAX_INCLUDED_BYTES / (1024 * 1024)
                ),
                "includes nest too widely; include each shared file once",
            );
            return None;
        }
        self.include_budget -= text.len();
        let body_offset = match front_matter::split(&text, &path) {
            Ok(split) => split.body_offset,
            Err(d) => {
                self.diagnostics.push(d);
                return None;
            }
        };
        Some((path, text, body_offset))
    }

    /// Writes `line` with its inline `[!INCLUDE]`s replaced, and reports other `[!`
    /// extensions in it. Returns `false` (writing nothing) when the line needs no change.
    /// Included text gets a mapping segment of its own, so its links and diagnostics
    /// resolve against the included file.
    fn inline(
        &mut self,
        prefix: &str,
        line: &str,
        stack: &mut Vec<PathBuf>,
        file: usize,
        src_start: usize,
    ) -> bool {
        let current = stack.last().cloned().unwrap_or_default();
        let mut pieces: Vec<InlineInclude> = Vec::new();
        for at in extension_positions(line) {
            if pieces.last().is_some_and(|p| at < p.end) {
                continue;
            }
            let rest = &line[at..];
            if let Some((target, consumed)) = parse_include(rest) {
                let span = src_start + at..src_start + at + consumed;
                let mut piece = InlineInclude {
                    start: at,
                    end: at + consumed,
                    text: String::new(),
                    origin: None,
                };
                if let Some((path, text, body_offset)) = self.resolve_include(&target, stack, span)
                {
                    stack.push(path.clone());
                    let mut nested = Vec::new();
                    let inner = preprocess_nested(
                        &text[body_offset..],
                        body_offset,
                        stack,
                        self.index,
                        &mut nested,
                        &mut self.include_budget,
                    );
                    self.diagnostics.extend(nested);
                    stack.pop();
                    piece.text = inner.trim().replace('\n', " ");
                    piece.origin = Some((self.file_index(&path), body_offset));
                }
                pieces.push(piece);
                continue;
            }
            let name: String = rest[2..]
                .chars()
                .take_while(|c| !matches!(c, ']' | '[' | '(') && !c.is_whitespace())
                .collect();
            let known = ALERTS.iter().any(|(k, _)| k.eq_ignore_ascii_case(&name))
                || name.eq_ignore_ascii_case("div");
            let (message, help) = if known {
                (
                    format!("`[!{name}]` must start a block quote line"),
                    "write it as `> [!NOTE]` on its own line, with the text on the following `>` lines",
                )
            } else {
                (
                    format!("ppdocs cannot render the Learn extension `[!{name}`"),
                    "supported: > [!NOTE]/[!TIP]/[!IMPORTANT]/[!CAUTION]/[!WARNING], > [!div class=\"...\"], [!INCLUDE[...](...)]",
                )
            };
            let span = src_start + at..src_start + at + 2 + name.len();
            self.error(Code::LearnSyntaxUnsupported, &current, span, message, help);
        }
        if pieces.is_empty() {
            return false;
        }
        let mut last = 0;
        self.push_segment(file, src_start, prefix.is_empty());
        self.out.text.push_str(prefix);
        for piece in pieces {
            self.push_segment(file, src_start + last, prefix.is_empty());
            self.out.text.push_str(&line[last..piece.start]);
            if let Some((included, offset)) = piece.origin {
                self.push_segment(included, offset, false);
            }
            self.out.text.push_str(&piece.text);
            last = piece.end;
        }
        self.push_segment(file, src_start + last, prefix.is_empty());
        self.out.text.push_str(&line[last..]);
        self.out.text.push('\n');
        true
    }
}

/// An `[!INCLUDE]` in the middle of a line: what it replaces, and with what.
struct InlineInclude {
    start: usize,
    end: usize,
    text: String,
    /// The included file (index into `files`) and where its body starts.
    origin: Option<(usize, usize)>,
}

/// Preprocesses an inline include's text on its own, returning only the text.
/// `budget` is shared with the including page, so inline includes cannot explode either.
fn preprocess_nested(
    text: &str,
    offset: usize,
    stack: &mut Vec<PathBuf>,
    index: &ContentIndex,
    diagnostics: &mut Vec<Diagnostic>,
    budget: &mut usize,
) -> String {
    let mut out = Preprocessed {
        text: String::new(),
        files: Vec::new(),
        sources: Vec::new(),
        lines: Vec::new(),
    };
    let mut rewriter = Rewriter::new(&mut out, index, diagnostics);
    rewriter.include_budget = *budget;
    rewriter.rewrite(text, offset, stack, "");
    *budget = rewriter.include_budget;
    out.text
}

/// Byte ranges of `text` that pulldown-cmark parses as code blocks.
fn code_block_ranges(text: &str) -> Vec<Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new_ext(text, crate::parse::markdown::options())
        .into_offset_iter()
        .filter_map(|(event, range)| {
            matches!(event, Event::Start(Tag::CodeBlock(_))).then_some(range)
        })
        .collect()
}

enum Directive {
    Image { markdown: String, complex: bool },
    Lines(Vec<String>),
}

/// Byte positions of `[!WORD` outside inline code spans and not escaped with `\`.
fn extension_positions(line: &str) -> Vec<usize> {
    let bytes = line.as_bytes();
    let mut positions = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => {
                let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                let closing = "`".repeat(run);
                match line[i + run..].find(&closing) {
                    Some(end) => i += run + end + run,
                    None => i += run,
                }
            }
            b'[' if bytes.get(i + 1) == Some(&b'!')
                && bytes.get(i + 2).is_some_and(|b| b.is_ascii_alphabetic()) =>
            {
                positions.push(i);
                i += 2;
            }
            _ => i += 1,
        }
    }
    positions
}

/// Parses `[!INCLUDE[title](path)]` (a space before `[title]` is allowed) at the start of
/// `text`; returns the path and the bytes consumed.
fn parse_include(text: &str) -> Option<(String, usize)> {
    let rest = text.get(2..)?;
    if !rest.get(..7)?.eq_ignore_ascii_case("include") {
        return None;
    }
    let mut i = 2 + 7;
    i += text[i..].len() - text[i..].trim_start().len();
    let after_title = text[i..].strip_prefix('[')?;
    let title_end = after_title.find(']')?;
    i += 1 + title_end + 1;
    let after = text[i..].strip_prefix('(')?;
    let path_end = after.find(')')?;
    let path = after[..path_end]
        .trim()
        .trim_matches(['<', '>'])
        .to_string();
    i += 1 + path_end + 1;
    let after = text[i..].strip_prefix(']')?;
    let _ = after;
    Some((path, i + 1))
}

/// Splits a line into its leading whitespace and `>` markers, and the rest.
fn split_block_prefix(line: &str) -> (&str, &str) {
    let end = line
        .char_indices()
        .find(|(_, c)| !(c.is_whitespace() || *c == '>'))
        .map_or(line.len(), |(i, _)| i);
    (&line[..end], &line[end..])
}

/// `type="content" source="a.png" alt-text="A \"b\""` → pairs.
fn parse_attributes(text: &str) -> Vec<(String, String)> {
    let mut attrs = Vec::new();
    let mut rest = text.trim();
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].trim().to_ascii_lowercase();
        let after = rest[eq + 1..].trim_start();
        let (value, remainder) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                Some(end) => (&after[1..1 + end], &after[1 + end + 1..]),
                None => (&after[1..], ""),
            },
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        attrs.push((key, value.to_string()));
        rest = remainder.trim_start();
    }
    attrs
}

fn attr(attrs: &[(String, String)], key: &str) -> Option<String> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

fn escape_alt(alt: &str) -> String {
    let mut out = String::with_capacity(alt.len());
    for c in alt.chars() {
        if matches!(c, '[' | ']' | '\\' | '*' | '_' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Resolves `target` relative to the folder of `from`, normalising `.` and `..`.
/// `None` when the result would leave the project (more `..` than folders).
pub fn resolve_relative(from: &Path, target: &str) -> Option<PathBuf> {
    let base = from.parent().unwrap_or(Path::new(""));
    let mut parts: Vec<String> = base
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    for part in target.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(percent_decode(other)),
        }
    }
    Some(parts.iter().collect())
}

/// Decodes `%XX` escapes, or `None` when an escape is malformed or the result is not UTF-8.
pub fn percent_decode_strict(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let byte = u8::from_str_radix(text.get(i + 1..i + 3)?, 16).ok()?;
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Decodes `%20`-style escapes in a link path segment; a path with a malformed escape stays
/// as written.
pub fn percent_decode(text: &str) -> String {
    percent_decode_strict(text).unwrap_or_else(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn run(text: &str, files: &[(&str, &str)]) -> (Preprocessed, Vec<Diagnostic>) {
        let mut index = ContentIndex::default();
        index.insert("content/a.md".into(), Arc::from(text));
        for (path, body) in files {
            index.insert(PathBuf::from(path), Arc::from(*body));
        }
        let mut diagnostics = Vec::new();
        let out = preprocess(text, 0, Path::new("content/a.md"), &index, &mut diagnostics);
        (out, diagnostics)
    }

    #[test]
    fn alerts_become_markers_with_or_without_a_space() {
        let (out, d) = run("> [!NOTE]\n> Text\n\n>[!TIP]\n> More\n", &[]);
        assert!(d.is_empty(), "{d:?}");
        assert!(
            out.text.contains("> <!--ppdocs:alert:note-->\n> Text"),
            "{}",
            out.text
        );
        assert!(
            out.text.contains("><!--ppdocs:alert:tip-->"),
            "{}",
            out.text
        );
    }

    #[test]
    fn images_become_markdown_even_in_lists() {
        let (out, d) = run(
            "1. Step\n\n   :::image type=\"content\" source=\"media/a b.png\" alt-text=\"The [admin] center.\":::\n",
            &[],
        );
        assert!(d.is_empty(), "{d:?}");
        assert!(
            out.text
                .contains("   ![The \\[admin\\] center.](<media/a b.png>)"),
            "{}",
            out.text
        );
    }

    #[test]
    fn code_fences_are_left_alone() {
        let text = "```md\n> [!NOTE]\n:::image source=\"x\":::\n```\n";
        let (out, d) = run(text, &[]);
        assert!(d.is_empty());
        assert_eq!(out.text, text);
    }

    #[test]
    fn includes_inline_the_file_without_front_matter() {
        let (out, d) = run(
            "Intro\n\n[!INCLUDE[shared](includes/shared.md)]\n",
            &[(
                "content/includes/shared.md",
                "---\ntitle: x\n---\nShared text\n",
            )],
        );
        assert!(d.is_empty(), "{d:?}");
        assert!(out.text.contains("Shared text"), "{}", out.text);
        assert!(!out.text.contains("title: x"));
        // The included line maps back into the included file.
        let at = out.text.find("Shared").unwrap();
        let (file, span) = out.origin(at..at + 6);
        assert_eq!(file, Path::new("content/includes/shared.md"));
        assert_eq!(span.start, 17);
    }

    #[test]
    fn missing_include_and_cycles_are_errors() {
        let (_, d) = run("[!INCLUDE[x](nope.md)]\n", &[]);
        assert_eq!(d[0].code, Code::IncludeNotFound);
        assert_eq!(d[0].span, Some(0..22));

        let (_, d) = run(
            "[!INCLUDE[x](b.md)]\n",
            &[("content/b.md", "[!INCLUDE[a](a.md)]\n")],
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, Code::IncludeCycle);
    }

    #[test]
    fn unknown_extensions_are_reported_not_leaked() {
        let (_, d) = run(":::code language=\"ps\" source=\"a.ps1\":::\n", &[]);
        assert_eq!(d[0].code, Code::LearnSyntaxUnsupported);
        let (_, d) = run("Text [!code-csharp[](a.cs)] here\n", &[]);
        assert_eq!(d[0].code, Code::LearnSyntaxUnsupported);
        assert_eq!(d[0].span, Some(5..18));
        // Inside an inline code span it is just text.
        let (_, d) = run("Write `> [!NOTE]` to make a note.\n", &[]);
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn verbatim_lines_map_column_for_column() {
        let (out, _) = run("> [!NOTE]\n> Text here\n", &[]);
        let at = out.text.find("here").unwrap();
        assert_eq!(out.origin(at..at + 4).1, 17..21);
    }

    #[test]
    fn fences_opened_in_list_items_are_code() {
        let text = "- ```sh\n  echo hi\n  ```\n\n> [!TIP]\n> Should be a tip\n\n- ```md\n  > [!NOTE]\n  ```\n";
        let (out, d) = run(text, &[]);
        assert!(d.is_empty(), "{d:?}");
        assert!(
            out.text.contains("> <!--ppdocs:alert:tip-->"),
            "{}",
            out.text
        );
        assert!(
            out.text.contains("  > [!NOTE]"),
            "code stays code: {}",
            out.text
        );
    }

    #[test]
    fn an_unclosed_complex_image_is_an_error() {
        let (_, d) = run(
            ":::image type=\"complex\" source=\"a.png\" alt-text=\"x\":::\nLong description.\n",
            &[],
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("never closed"), "{}", d[0].message);
    }

    #[test]
    fn inline_includes_map_back_to_the_included_file() {
        let (out, d) = run(
            "Inline: [!INCLUDE[s](includes/snip.md)] end.\n",
            &[("content/includes/snip.md", "see [other](../other.md)\n")],
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(out.text, "Inline: see [other](../other.md) end.\n");
        let at = out.text.find("[other]").unwrap();
        assert_eq!(
            out.origin(at..at + 7).0,
            Path::new("content/includes/snip.md")
        );
        let end = out.text.find("end.").unwrap();
        let (file, span) = out.origin(end..end + 4);
        assert_eq!(file, Path::new("content/a.md"));
        assert_eq!(span, 40..44);
    }

    #[test]
    fn include_explosions_are_bounded() {
        // Each file includes the next ten times: 10^12 lines if nothing stopped it.
        let mut files = Vec::new();
        for n in 0..12 {
            let line = format!("[!INCLUDE[x](f{}.md)]\n\n", n + 1);
            files.push((
                format!("content/includes/f{n}.md"),
                line.repeat(10) + &"x".repeat(200_000),
            ));
        }
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let (_, d) = run("[!INCLUDE[x](includes/f0.md)]\n", &refs);
        assert!(
            d.iter().any(|d| d.code == Code::IncludeTooLarge),
            "{:?}",
            d.first()
        );
    }

    #[test]
    fn resolve_relative_stays_inside() {
        assert_eq!(
            resolve_relative(Path::new("content/a/b.md"), "../c.md"),
            Some(PathBuf::from("content/c.md"))
        );
        assert_eq!(
            resolve_relative(Path::new("content/b.md"), "../../x.md"),
            None
        );
        assert_eq!(
            resolve_relative(Path::new("content/b.md"), "my%20file.md"),
            Some(PathBuf::from("content/my file.md"))
        );
    }
}

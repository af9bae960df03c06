//! Recognising checklists: GFM tables whose first column holds check marks, and Markdown
//! task lists. Pure functions over pulldown-cmark events; `markdown` decides what to do
//! with what they find.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// An event and its byte range in the preprocessed text.
pub type Spanned<'a> = (Event<'a>, Range<usize>);

/// Header names of the first column that mark a table as a checklist.
const CHECK_HEADERS: &[&str] = &[
    "",
    "done",
    "complete",
    "completed",
    "check",
    "checked",
    "✓",
    "✔",
    "☐",
    "☑",
    "✅",
];
/// Header names of the column holding the task text.
const TASK_HEADERS: &[&str] = &[
    "task",
    "tasks",
    "recommendation",
    "recommendations",
    "action",
    "actions",
    "activity",
    "activities",
    "item",
    "requirement",
    "control",
    "step",
    "check item",
    "description",
];
/// Header names of a column holding task IDs.
const ID_HEADERS: &[&str] = &["code", "id", "ref", "reference", "task id", "#"];

/// What may stand in a checklist's first column. The marks are Microsoft's template, not
/// the organisation's status, so ppdocs only checks that they are marks.
const MARKS: &[&str] = &[
    "", "✓", "✔", "☑", "✅", "☒", "[x]", "[X]", "☐", "□", "⬜", "[ ]", "[]",
];

/// A checklist row or task-list item, before IDs are assigned.
#[derive(Debug)]
pub struct RawTask<'a> {
    /// The task text's events, with any `{#ID}` suffix removed.
    pub text: Vec<Spanned<'a>>,
    /// An ID given by an ID column or a trailing `{#ID}`.
    pub explicit_id: Option<(String, Range<usize>)>,
    pub span: Range<usize>,
}

/// A problem in one row, found while extracting.
#[derive(Debug, PartialEq, Eq)]
pub enum RowProblem {
    BadMark {
        text: String,
        span: Range<usize>,
    },
    EmptyTask {
        span: Range<usize>,
    },
    ExtraCells {
        expected: usize,
        found: usize,
        span: Range<usize>,
    },
}

/// The tasks of a checklist table, or `None` when the table is not a checklist.
pub fn extract_table<'a>(
    events: &[Spanned<'a>],
    source: &str,
) -> Option<(Vec<RawTask<'a>>, Vec<RowProblem>)> {
    let (header, rows) = table_cells(events);
    let headers: Vec<String> = header
        .iter()
        .map(|cell| normalize(&plain_text(&events[cell.events.clone()])))
        .collect();
    if headers.len() < 2 {
        return None;
    }
    // A check-mark header makes a checklist when at least half the rows hold marks (the
    // others are then reported); a blank header needs marks in every row, since layout
    // tables often have blank headers too.
    let marks = rows
        .iter()
        .filter(|row| {
            row.cells
                .first()
                .is_some_and(|c| is_mark(&plain_text(&events[c.events.clone()])))
        })
        .count();
    let is_checklist = if headers[0].is_empty() {
        !rows.is_empty() && marks == rows.len()
    } else {
        CHECK_HEADERS.contains(&headers[0].as_str()) && marks * 2 >= rows.len()
    };
    if !is_checklist {
        return None;
    }
    let id_col = headers
        .iter()
        .skip(1)
        .position(|h| ID_HEADERS.contains(&h.as_str()))
        .map(|i| i + 1);
    let task_col = headers
        .iter()
        .skip(1)
        .position(|h| TASK_HEADERS.contains(&h.as_str()))
        .map(|i| i + 1)
        .or_else(|| (1..headers.len()).find(|i| Some(*i) != id_col))?;

    let mut tasks = Vec::new();
    let mut problems = Vec::new();
    for row in &rows {
        let found = count_cells(&source[row.span.clone()]);
        if found > headers.len() {
            problems.push(RowProblem::ExtraCells {
                expected: headers.len(),
                found,
                span: row.span.clone(),
            });
        }
        if let Some(check) = row.cells.first() {
            let text = plain_text(&events[check.events.clone()]);
            if !is_mark(&text) {
                problems.push(RowProblem::BadMark {
                    text: text.trim().to_string(),
                    span: check.span.clone(),
                });
            }
        }
        let Some(cell) = row
            .cells
            .get(task_col)
            .filter(|c| !plain_text(&events[c.events.clone()]).trim().is_empty())
        else {
            problems.push(RowProblem::EmptyTask {
                span: row.span.clone(),
            });
            continue;
        };
        let mut text: Vec<Spanned<'a>> = events[cell.events.clone()].to_vec();
        let mut explicit_id = id_col
            .and_then(|c| row.cells.get(c))
            .map(|c| {
                (
                    plain_text(&events[c.events.clone()]).trim().to_string(),
                    c.span.clone(),
                )
            })
            .filter(|(id, _)| !id.is_empty());
        if let Some(suffix) = take_id_suffix(&mut text) {
            explicit_id = Some(suffix);
        }
        tasks.push(RawTask {
            text,
            explicit_id,
            span: row.span.clone(),
        });
    }
    Some((tasks, problems))
}

/// The tasks of a Markdown task list (`- [ ] ...`), or `None` when some item has no box.
pub fn extract_task_list<'a>(events: &[Spanned<'a>]) -> Option<Vec<RawTask<'a>>> {
    let mut tasks = Vec::new();
    let mut depth = 0usize;
    let mut item_start = None;
    for (i, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(_) => {
                depth += 1;
                if depth == 2 {
                    item_start = Some(i);
                }
            }
            Event::End(_) => {
                if depth == 2
                    && let Some(start) = item_start.take()
                {
                    tasks.push(task_list_item(&events[start..=i])?);
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    (!tasks.is_empty()).then_some(tasks)
}

/// One `Item`: its box must come first; its text is the rest, unwrapped from a lone paragraph.
fn task_list_item<'a>(item: &[Spanned<'a>]) -> Option<RawTask<'a>> {
    let inner = &item[1..item.len() - 1];
    let (skip, unwrap_paragraph) = match inner.first() {
        Some((Event::TaskListMarker(_), _)) => (1, false),
        Some((Event::Start(Tag::Paragraph), _))
            if matches!(inner.get(1), Some((Event::TaskListMarker(_), _))) =>
        {
            (2, true)
        }
        _ => return None,
    };
    let mut text: Vec<Spanned<'a>> = inner[skip..].to_vec();
    if unwrap_paragraph
        && let Some(end) = text
            .iter()
            .position(|(e, _)| matches!(e, Event::End(TagEnd::Paragraph)))
    {
        text.remove(end);
    }
    while matches!(text.first(), Some((Event::SoftBreak, _))) {
        text.remove(0);
    }
    let explicit_id = take_id_suffix(&mut text);
    if plain_text(&text).trim().is_empty() {
        return None;
    }
    Some(RawTask {
        text,
        explicit_id,
        span: item[0].1.clone(),
    })
}

struct Cell {
    /// Index range of the cell's inner events in the table's events.
    events: Range<usize>,
    span: Range<usize>,
}

struct Row {
    cells: Vec<Cell>,
    span: Range<usize>,
}

fn table_cells(events: &[Spanned<'_>]) -> (Vec<Cell>, Vec<Row>) {
    let mut header = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut in_head = false;
    let mut cell_start = None;
    for (i, (event, span)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) => rows.push(Row {
                cells: Vec::new(),
                span: span.clone(),
            }),
            Event::Start(Tag::TableCell) => cell_start = Some((i + 1, span.clone())),
            Event::End(TagEnd::TableCell) => {
                if let Some((start, span)) = cell_start.take() {
                    let cell = Cell {
                        events: start..i,
                        span,
                    };
                    if in_head {
                        header.push(cell);
                    } else if let Some(row) = rows.last_mut() {
                        row.cells.push(cell);
                    }
                }
            }
            _ => {}
        }
    }
    (header, rows)
}

/// The text of inline events, as a reader would copy it.
pub fn plain_text(events: &[Spanned<'_>]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

fn normalize(header: &str) -> String {
    header
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{fe0f}')
        .trim_end_matches(['?', ':'])
        .to_lowercase()
}

fn is_mark(text: &str) -> bool {
    let text: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{fe0f}')
        .collect();
    MARKS.contains(&text.as_str())
}

/// Removes a trailing `{#ID}` from the task text and returns the ID and its span.
fn take_id_suffix(text: &mut Vec<Spanned<'_>>) -> Option<(String, Range<usize>)> {
    let index = text
        .iter()
        .rposition(|(e, _)| matches!(e, Event::Text(_)))?;
    let (Event::Text(t), span) = &text[index] else {
        return None;
    };
    let trimmed = t.trim_end();
    let open = trimmed.rfind("{#")?;
    let id = trimmed[open + 2..].strip_suffix('}')?;
    if id.is_empty() || id.contains(char::is_whitespace) {
        return None;
    }
    let id = id.to_string();
    let id_span = span.start + open..span.start + trimmed.len();
    let kept = t[..open].trim_end().to_string();
    if kept.is_empty() {
        text.remove(index);
    } else {
        text[index].0 = Event::Text(CowStr::from(kept));
    }
    Some((id, id_span))
}

/// Cells in a raw table row, counting unescaped pipes the way GFM splits them.
fn count_cells(row: &str) -> usize {
    let row = row.trim();
    let bytes = row.as_bytes();
    let mut pipes = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'|' => {
                pipes.push(i);
                i += 1;
            }
            _ => i += 1,
        }
    }
    let leading = pipes.first() == Some(&0);
    let trailing = pipes.last().is_some_and(|&p| p == row.len() - 1) && row.len() > 1;
    pipes.len() + 1 - usize::from(leading) - usize::from(trailing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    fn events(md: &str) -> Vec<Spanned<'_>> {
        Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS)
            .into_offset_iter()
            .collect()
    }

    fn table_of(md: &str) -> Option<(Vec<String>, Vec<RowProblem>)> {
        let evs = events(md);
        let start = evs
            .iter()
            .position(|(e, _)| matches!(e, Event::Start(Tag::Table(_))))?;
        let (tasks, problems) = extract_table(&evs[start..], md)?;
        Some((
            tasks.iter().map(|t| plain_text(&t.text)).collect(),
            problems,
        ))
    }

    #[test]
    fn learn_checklist_tables_are_recognised() {
        let md = "| Done? | Task |\n| :-----: | ---- |\n| &check; | First **task**. |\n|  &check; | Second.|\n| &#9744; | Third. | \n";
        let (tasks, problems) = table_of(md).unwrap();
        assert_eq!(tasks, ["First task.", "Second.", "Third."]);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn blank_header_needs_marks_in_every_row() {
        assert!(table_of("| &nbsp; | Task |\n|---|---|\n| ✓ | a |\n| ☐ | b |\n").is_some());
        // A layout table with a blank header is not a checklist.
        assert!(table_of("| | |\n|---|---|\n| Logo | text |\n").is_none());
        assert!(table_of("| Name | Value |\n|---|---|\n| a | b |\n").is_none());
    }

    #[test]
    fn a_check_header_over_plain_text_is_a_plain_table() {
        // Regression: `| Check | Description |` tables failed the build with bad-mark errors.
        assert!(
            table_of("| Check | Description |\n|---|---|\n| Firewall | On |\n| DNS | Set |\n")
                .is_none()
        );
    }

    #[test]
    fn id_column_supplies_ids() {
        let md = "| Done | Code | Recommendation |\n|---|---|---|\n| [x] | SE:01 | Do it |\n";
        let evs = events(md);
        let (tasks, _) = extract_table(&evs, md).unwrap();
        assert_eq!(tasks[0].explicit_id.as_ref().unwrap().0, "SE:01");
        assert_eq!(plain_text(&tasks[0].text), "Do it");
    }

    #[test]
    fn bad_rows_are_reported() {
        let md = "| Done? | Task |\n|---|---|\n| maybe | a |\n| ✓ |  |\n| ✓ | b | extra |\n";
        let (tasks, problems) = table_of(md).unwrap();
        assert_eq!(tasks, ["a", "b"]);
        assert!(matches!(&problems[0], RowProblem::BadMark { text, .. } if text == "maybe"));
        assert!(matches!(problems[1], RowProblem::EmptyTask { .. }));
        assert!(matches!(
            problems[2],
            RowProblem::ExtraCells {
                expected: 2,
                found: 3,
                ..
            }
        ));
    }

    #[test]
    fn trailing_id_attribute_is_taken() {
        let md = "| Done? | Task |\n|---|---|\n| ✓ | Review logs {#TP-09} |\n";
        let evs = events(md);
        let (tasks, _) = extract_table(&evs, md).unwrap();
        assert_eq!(tasks[0].explicit_id.as_ref().unwrap().0, "TP-09");
        assert_eq!(plain_text(&tasks[0].text), "Review logs");
    }

    #[test]
    fn task_lists_are_checklists() {
        let md = "- [ ] One\n- [x] Two {#X-2}\n";
        let tasks = extract_task_list(&events(md)).unwrap();
        assert_eq!(tasks.len(), 2);
        assert_eq!(plain_text(&tasks[1].text), "Two");
        assert_eq!(tasks[1].explicit_id.as_ref().unwrap().0, "X-2");
        assert!(extract_task_list(&events("- [ ] One\n- Two\n")).is_none());
    }

    #[test]
    fn cells_are_counted_like_gfm() {
        assert_eq!(count_cells("| a | b |"), 2);
        assert_eq!(count_cells("a | b"), 2);
        assert_eq!(count_cells("| a \\| b | c | "), 2);
        assert_eq!(count_cells("| a | b | c |"), 3);
    }
}

//! The dashboard's charts, laid out at build time: progress per section, and the number of
//! completed tasks at the end of each month. This module computes the numbers and the
//! geometry; the theme's `partials/chart-*.html` draw them as inline SVG, so no chart
//! library runs in the browser. Horizontal positions are percentages of the chart's width
//! (the SVG has no `viewBox`, so text keeps its size on phones); vertical ones are pixels.
//! Every number is an integer or a fixed-point string: the output is deterministic.

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use super::views::Progress;
use crate::link::status_on;
use crate::site::{Site, Status};

/// More sections than this and the progress chart shows one bar per checklist instead.
const MAX_SECTION_ROWS: usize = 24;
/// The trend shows at most this many months (the most recent ones).
const MAX_MONTHS: usize = 24;
/// Above this many months only every other label (or fewer) is drawn, so labels never collide.
const MAX_MONTH_LABELS: usize = 12;
/// On phones only this many labels are shown: the others are marked `minor`, and hidden by CSS.
const MAX_PHONE_LABELS: usize = 6;
/// Longer row titles are cut, so they never run into the counts on a phone.
const MAX_TITLE_CHARS: usize = 36;

/// Height of one row of the progress chart, and where its text and bar sit in it.
const ROW_HEIGHT: u32 = 44;
const ROW_TEXT_Y: u32 = 16;
const ROW_BAR_Y: u32 = 24;
/// The trend's plot: room for value labels above, the bars, and month labels below.
const TREND_TOP: u32 = 20;
const TREND_PLOT: u32 = 150;
const TREND_BOTTOM: u32 = 26;
/// The trend's left gutter for the axis labels, in hundredths of a percent of the width.
const TREND_GUTTER: u32 = 800;

/// A percentage with two decimals, from hundredths of a percent: `1250` → `"12.50"`.
fn percent(hundredths: u32) -> String {
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// `part / whole` in hundredths of a percent, rounded.
fn share(part: usize, whole: usize) -> u32 {
    if whole == 0 {
        return 0;
    }
    ((part as u64 * 10_000 + whole as u64 / 2) / whole as u64) as u32
}

fn short_title(title: &str) -> String {
    if title.chars().count() <= MAX_TITLE_CHARS {
        return title.to_string();
    }
    let cut: String = title.chars().take(MAX_TITLE_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// Progress per section (or per checklist when the sections are too many).
#[derive(Serialize)]
pub struct ProgressChart {
    /// "section" or "checklist": what one bar stands for.
    pub per: &'static str,
    pub height: u32,
    pub rows: Vec<ProgressRow>,
    /// The statuses that occur, for the legend.
    pub legend: Vec<LegendItem>,
}

#[derive(Serialize)]
pub struct ProgressRow {
    pub label: String,
    pub title: String,
    pub done: usize,
    pub applicable: usize,
    pub percent: usize,
    pub text_y: u32,
    pub bar_y: u32,
    pub segments: Vec<Segment>,
}

/// A run of one status in a bar.
#[derive(Serialize)]
pub struct Segment {
    pub status: &'static str,
    pub count: usize,
    pub x: String,
    pub width: String,
}

#[derive(Serialize)]
pub struct LegendItem {
    pub status: &'static str,
    pub label: &'static str,
}

pub fn progress_chart(site: &Site) -> Option<ProgressChart> {
    let per_section = site.section_count() <= MAX_SECTION_ROWS;
    let groups: Vec<(String, String, std::ops::Range<usize>)> = site
        .articles
        .iter()
        .flat_map(|article| {
            let page = &site.pages[article.page].document;
            if per_section {
                article
                    .sections
                    .iter()
                    .map(|s| {
                        let label = format!("{} · {}", s.prefix, short_title(&s.title));
                        (label, s.title.clone(), s.tasks.clone())
                    })
                    .collect()
            } else {
                vec![(
                    short_title(&page.title),
                    page.title.clone(),
                    article.tasks(),
                )]
            }
        })
        .collect();
    if groups.is_empty() {
        return None;
    }
    let mut seen = [false; Status::ALL.len()];
    let rows: Vec<ProgressRow> = groups
        .into_iter()
        .enumerate()
        .map(|(i, (label, title, tasks))| {
            let progress = Progress::of(site, tasks);
            let mut before = 0;
            let segments = Status::ALL
                .iter()
                .zip(&progress.counts)
                .filter(|(_, c)| c.count > 0)
                .map(|(status, c)| {
                    seen[status.index()] = true;
                    let start = share(before, progress.total);
                    before += c.count;
                    let end = share(before, progress.total);
                    Segment {
                        status: c.status,
                        count: c.count,
                        x: percent(start),
                        width: percent(end - start),
                    }
                })
                .collect();
            let top = i as u32 * ROW_HEIGHT;
            ProgressRow {
                label,
                title,
                done: progress.done,
                applicable: progress.applicable,
                percent: progress.percent,
                text_y: top + ROW_TEXT_Y,
                bar_y: top + ROW_BAR_Y,
                segments,
            }
        })
        .collect();
    Some(ProgressChart {
        per: if per_section { "section" } else { "checklist" },
        height: rows.len() as u32 * ROW_HEIGHT,
        rows,
        legend: Status::ALL
            .iter()
            .filter(|s| seen[s.index()])
            .map(|s| LegendItem {
                status: s.as_str(),
                label: s.label(),
            })
            .collect(),
    })
}

/// Tasks done at the end of each month, from the first evidence to the build's `as_of` day.
#[derive(Serialize)]
pub struct TrendChart {
    pub height: u32,
    /// The axis maximum: the tasks that are applicable today.
    pub max: usize,
    pub first: String,
    pub last: String,
    pub points: Vec<TrendPoint>,
    pub gridlines: Vec<Gridline>,
    pub plot_bottom: u32,
    pub gutter: String,
}

#[derive(Serialize)]
pub struct TrendPoint {
    /// `Nov`, and `November 2026` for text alternatives.
    pub label: String,
    pub month: String,
    /// The day counted: the month's last day, or `as_of` for the current month.
    pub day: String,
    pub done: usize,
    pub x: String,
    pub width: String,
    pub center: String,
    pub bar_y: u32,
    pub bar_height: u32,
    pub show_label: bool,
    pub show_value: bool,
    /// Hidden on narrow screens, where there is room for fewer labels.
    pub minor: bool,
    pub current: bool,
}

#[derive(Serialize)]
pub struct Gridline {
    pub value: usize,
    pub y: u32,
}

/// The number of tasks that are done on `day`: each task's newest record collected by then
/// decides, as it does for the build's own day.
fn done_on(site: &Site, day: NaiveDate) -> usize {
    site.tasks
        .iter()
        .filter(|task| {
            task.records
                .iter()
                .map(|&r| &site.records[r].evidence)
                .find(|record| record.collected <= day)
                .is_some_and(|record| status_on(record, day) == Status::Done)
        })
        .count()
}

/// The first day of each month from `first`'s month to `last`'s, at most `MAX_MONTHS`
/// (the latest).
fn months(first: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
    let start = |d: NaiveDate| d.with_day(1).unwrap_or(d);
    let mut month = start(first);
    let end = start(last);
    let mut months = Vec::new();
    while month <= end {
        months.push(month);
        match month.checked_add_months(Months::new(1)) {
            Some(next) => month = next,
            None => break,
        }
    }
    let skip = months.len().saturating_sub(MAX_MONTHS);
    months.split_off(skip)
}

/// Round steps for the axis: 1, 2, 5, 10, 20, 50…, giving at most four intervals.
fn axis_step(max: usize) -> usize {
    let mut scale = 1;
    loop {
        for step in [scale, scale * 2, scale * 5] {
            if max.div_ceil(step) <= 4 {
                return step;
            }
        }
        scale *= 10;
    }
}

pub fn trend_chart(site: &Site) -> Option<TrendChart> {
    let as_of = site.as_of;
    let first = site
        .records
        .iter()
        .filter(|r| !r.tasks.is_empty())
        .map(|r| r.evidence.collected)
        .filter(|&d| d <= as_of)
        .min()?;
    let applicable = Progress::of(site, 0..site.tasks.len()).applicable;
    let days: Vec<(NaiveDate, NaiveDate)> = months(first, as_of)
        .into_iter()
        .map(|month| {
            let end = month
                .checked_add_months(Months::new(1))
                .and_then(|next| next.pred_opt())
                .unwrap_or(month);
            (month, end.min(as_of))
        })
        .collect();
    let done: Vec<usize> = days.iter().map(|&(_, day)| done_on(site, day)).collect();
    let max = applicable
        .max(done.iter().copied().max().unwrap_or(0))
        .max(1);
    let y = |value: usize| TREND_TOP + TREND_PLOT - (value as u32 * TREND_PLOT / max as u32);
    let n = days.len() as u32;
    let column = (10_000 - TREND_GUTTER) / n;
    let label_every = days.len().div_ceil(MAX_MONTH_LABELS);
    let phone_label_every = days.len().div_ceil(MAX_PHONE_LABELS);
    let points = days
        .iter()
        .zip(&done)
        .enumerate()
        .map(|(i, (&(month, day), &done))| {
            let left = TREND_GUTTER + i as u32 * column;
            let last = i + 1 == days.len();
            TrendPoint {
                label: month.format("%b").to_string(),
                month: month.format("%B %Y").to_string(),
                day: day.to_string(),
                done,
                x: percent(left + column / 5),
                width: percent(column * 3 / 5),
                center: percent(left + column / 2),
                bar_y: y(done),
                bar_height: TREND_TOP + TREND_PLOT - y(done),
                show_label: last || (days.len() - 1 - i).is_multiple_of(label_every),
                show_value: last || days.len() <= MAX_MONTH_LABELS,
                minor: !(days.len() - 1 - i).is_multiple_of(phone_label_every),
                current: last,
            }
        })
        .collect();
    let step = axis_step(max);
    let gridlines = (0..=max / step)
        .map(|k| k * step)
        .chain((max % step != 0).then_some(max))
        .map(|value| Gridline { value, y: y(value) })
        .collect();
    Some(TrendChart {
        height: TREND_TOP + TREND_PLOT + TREND_BOTTOM,
        max,
        first: days[0].0.format("%B %Y").to_string(),
        last: days[days.len() - 1].0.format("%B %Y").to_string(),
        points,
        gridlines,
        plot_bottom: TREND_TOP + TREND_PLOT,
        gutter: percent(TREND_GUTTER),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn shares_are_exact_hundredths() {
        assert_eq!(percent(share(1, 3)), "33.33");
        assert_eq!(percent(share(2, 3)), "66.67");
        assert_eq!(percent(share(3, 3)), "100.00");
        assert_eq!(share(1, 0), 0);
    }

    #[test]
    fn months_run_from_the_first_month_to_the_last() {
        let months = months(date("2026-06-20"), date("2026-11-28"));
        assert_eq!(months.first(), Some(&date("2026-06-01")));
        assert_eq!(months.last(), Some(&date("2026-11-01")));
        assert_eq!(months.len(), 6);
    }

    #[test]
    fn months_keep_only_the_latest_two_years() {
        let months = months(date("2020-01-15"), date("2026-11-28"));
        assert_eq!(months.len(), MAX_MONTHS);
        assert_eq!(months[0], date("2024-12-01"));
    }

    #[test]
    fn axis_steps_are_round() {
        assert_eq!(axis_step(1), 1);
        assert_eq!(axis_step(4), 1);
        assert_eq!(axis_step(7), 2);
        assert_eq!(axis_step(26), 10);
        assert_eq!(axis_step(300), 100);
    }

    #[test]
    fn long_titles_are_cut_with_an_ellipsis() {
        assert_eq!(short_title("Threat protection"), "Threat protection");
        let cut = short_title(&"word ".repeat(20));
        assert!(cut.ends_with('…'));
        assert!(cut.chars().count() <= MAX_TITLE_CHARS);
    }
}

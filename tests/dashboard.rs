//! The dashboard's build-time charts: progress per section and completed tasks per month.

mod common;

use common::TestProject;

/// `"12.50%"` → hundredths of a percent.
fn hundredths(value: &str) -> u32 {
    let number = value.strip_suffix('%').expect("a percentage");
    let (whole, fraction) = number.split_once('.').expect("two decimals");
    whole.parse::<u32>().unwrap() * 100 + fraction.parse::<u32>().unwrap()
}

#[test]
fn the_progress_chart_has_a_bar_per_section_that_adds_up() {
    let project = TestProject::example();
    project.build();
    let home = project.page("index.html");
    let rows = home.select(".chart-progress .chart-row");
    assert_eq!(rows.len(), 6, "one bar per section of the example");
    let table_totals: Vec<u32> = home
        .select("table.sections tbody tr")
        .iter()
        .map(|row| {
            let cells: Vec<String> = row
                .select(&scraper::Selector::parse("td").unwrap())
                .map(|td| td.text().collect::<String>())
                .collect();
            cells[1].trim().parse().unwrap()
        })
        .collect();
    let rect = scraper::Selector::parse("rect[data-status]").unwrap();
    for (row, total) in rows.iter().zip(&table_totals) {
        let segments: Vec<_> = row.select(&rect).collect();
        let width: u32 = segments
            .iter()
            .map(|s| hundredths(s.value().attr("width").unwrap()))
            .sum();
        assert_eq!(width, 10_000, "segments fill the bar exactly");
        let count: u32 = segments
            .iter()
            .map(|s| {
                s.value()
                    .attr("data-count")
                    .unwrap()
                    .parse::<u32>()
                    .unwrap()
            })
            .sum();
        assert_eq!(count, *total, "the bar counts the same tasks as the table");
    }
    // Accessible: named by its title and described in words.
    assert_eq!(
        home.attr(".chart-progress", "aria-labelledby"),
        ["chart-progress-title chart-progress-desc"]
    );
    let desc = home.text("#chart-progress-desc");
    assert!(
        desc.contains("Threat protection: 3 of 5 applicable tasks done (60%)"),
        "{desc}"
    );
    assert_eq!(home.text("#chart-progress-title"), "Progress by section");
}

#[test]
fn the_trend_counts_done_tasks_at_each_month_end_with_expiry() {
    let project = TestProject::empty();
    project.write(
        "content/check.md",
        "# Check\n\n## Threat protection\n\n| Done? | Task |\n|---|---|\n| ☐ | One |\n| ☐ | Two |\n| ☐ | Three |\n",
    );
    let record = |name: &str, task: &str, collected: &str, expires: &str| {
        project.write(
            &format!("content/evidence/{name}.md"),
            &format!(
                "---\ntask: {task}\nstatus: done\nowner: SOC\ncollected: {collected}\n{expires}---\n"
            ),
        );
    };
    // Done in September, expired in the middle of October.
    record("one", "TP-01", "2026-09-10", "expires: 2026-10-15\n");
    record("two", "TP-02", "2026-10-05", "");
    record("three", "TP-03", "2026-11-20", "");
    project.build();
    let home = project.page("index.html");
    assert_eq!(
        home.attr(".chart-trend rect.trend-bar", "data-day"),
        ["2026-09-30", "2026-10-31", TestProject::AS_OF]
    );
    assert_eq!(
        home.attr(".chart-trend rect.trend-bar", "data-done"),
        ["1", "1", "2"]
    );
    // The table alternative holds the same numbers.
    assert_eq!(
        home.text(".trend-table tbody th"),
        "September 2026\nOctober 2026\nNovember 2026"
    );
    assert_eq!(home.text(".trend-table td.count"), "1\n1\n2");
    let desc = home.text("#chart-trend-desc");
    assert!(desc.contains("October 2026: 1 done"), "{desc}");
    assert!(desc.contains("3 tasks apply"), "{desc}");
}

#[test]
fn a_site_without_evidence_has_no_trend_chart() {
    let project = TestProject::empty();
    project.write(
        "content/check.md",
        "# Check\n\n## Threat protection\n\n| Done? | Task |\n|---|---|\n| ☐ | One |\n",
    );
    project.build();
    let home = project.page("index.html");
    assert!(home.select(".chart-trend").is_empty());
    assert_eq!(home.select(".chart-progress .chart-row").len(), 1);
}

#[test]
fn with_more_than_24_sections_the_chart_shows_one_bar_per_checklist() {
    let project = TestProject::empty();
    for n in 0..13 {
        project.write(
            &format!("content/list-{n:02}.md"),
            &format!(
                "# List {n}\n\n## First {n} {{prefix=F{n}}}\n\n- [ ] One\n\n## Second {n} {{prefix=S{n}}}\n\n- [ ] Two\n"
            ),
        );
    }
    project.build();
    let home = project.page("index.html");
    assert_eq!(home.text("#chart-progress-title"), "Progress by checklist");
    assert_eq!(home.select(".chart-progress .chart-row").len(), 13);
    assert!(
        home.text("#chart-progress-desc")
            .starts_with("List 0: 0 of 2")
    );
}

//! Evidence files, statuses, validation, ID stability, appendices and records.

mod common;

use common::{TestProject, assert_links_resolve, stderr, stdout};
use sha2::{Digest, Sha256};

fn statuses(project: &TestProject) -> Vec<(String, String)> {
    let page = project.page("checklist/threat-protection/index.html");
    page.select("tr[data-task-id]")
        .iter()
        .map(|row| {
            (
                row.value().attr("data-task-id").unwrap().to_string(),
                row.value().attr("data-status").unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_status_comes_from_the_newest_record() {
    let project = TestProject::fixture("evidence");
    project.build();
    let expected = [
        ("TP-01", "done"),
        ("TP-02", "expired"), // newest record is done but expired on 2026-11-01
        ("TP-03", "in-progress"), // plain .yaml record
        ("TP-04", "not-applicable"),
        ("TP-05", "done"),
        ("TP-06", "done"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(statuses(&project), expected);
    let page = project.page("checklist/threat-protection/index.html");
    // Due for review: done, expiring within 30 days of the test date.
    assert_eq!(
        page.attr("tr[data-due-for-review]", "data-task-id"),
        ["TP-05", "TP-06"]
    );
    assert_eq!(page.text("#task-TP-02 .task-owner"), "SOC team");
    assert!(
        page.text("#task-TP-02 .task-evidence")
            .contains("2026-09-01")
    );
}

#[test]
fn as_of_moves_statuses_in_time() {
    let project = TestProject::fixture("evidence");
    let output = project.run(&["build", "--as-of", "2026-10-15"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let page = project.page("checklist/threat-protection/index.html");
    assert_eq!(
        page.attr("#task-TP-02", "data-status"),
        ["done"],
        "not yet expired on 2026-10-15"
    );
    assert_eq!(
        page.attr("tr[data-due-for-review]", "data-task-id"),
        ["TP-02"]
    );
}

#[test]
fn the_dashboard_lists_expired_due_and_owners() {
    let project = TestProject::fixture("evidence");
    project.build();
    let home = project.page("index.html");
    let attention = home.attr(".attention-list li", "data-task-id");
    assert_eq!(attention, ["TP-02", "TP-05", "TP-06"]);
    let owners = home.text("table.owners th[scope=row]");
    assert_eq!(owners, "CISO\nIdentity team\nSOC team\nSecurity operations");
}

#[test]
fn appendices_show_full_history_hashes_and_sanitized_notes() {
    let project = TestProject::fixture("evidence");
    project.build();
    let appendix = project.page("appendix/tp-threat-protection/index.html");
    // TP-02's history, newest first.
    let tp02: Vec<String> = appendix.attr("#task-TP-02 .record", "data-status");
    assert_eq!(tp02, ["done", "in-progress"]);
    // Attachments are copied, with their SHA-256 and size.
    let bytes = std::fs::read(project.root.join("content/evidence/tp/rules.json")).unwrap();
    let sha: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(appendix.text("#record-tp-tp-01-done .hash"), sha);
    assert_eq!(
        std::fs::read(project.site_file("evidence/tp/rules.json")).unwrap(),
        bytes
    );
    assert!(
        !project.site_file("evidence/tp/unreferenced.txt").exists(),
        "unnamed files are not published"
    );
    // Notes are sanitized: no script, no event handlers.
    let html = project.read("site/appendix/tp-threat-protection/index.html");
    assert!(!html.contains("<script>alert"), "script survived");
    assert!(!html.contains("onerror"), "event handler survived");
    assert!(
        appendix
            .text("#record-tp-tp-01-done .record-notes")
            .contains("Reviewed the workbook")
    );
    // A record covering two tasks is shown in full once per page, then referenced.
    assert_eq!(appendix.select("#record-tp-tp-05-due").len(), 1);
    assert_eq!(
        appendix
            .select(".record-ref a[href='#record-tp-tp-05-due']")
            .len(),
        1
    );
    // The justification of the not-applicable record.
    assert!(
        appendix
            .text("#record-tp-tp-04-na")
            .contains("managed SOC provider")
    );
    assert_links_resolve(&project.root.join("site"));
}

#[test]
fn framework_appendices_map_controls_to_tasks() {
    let project = TestProject::fixture("evidence");
    project.build();
    let gdpr = project.page("appendix/gdpr/index.html");
    assert_eq!(gdpr.text(".control h3"), "Art. 32: Security of processing");
    assert_eq!(
        gdpr.attr(".control-tasks tr[data-task-id]", "data-task-id"),
        ["TP-01", "TP-02"]
    );
    // The record tagged GDPR is listed in full.
    assert_eq!(
        gdpr.attr(".record", "data-record-id"),
        ["record-tp-tp-01-done"]
    );
    let index = project.page("appendix/index.html");
    assert_eq!(
        index.attr("main a[href$='gdpr/index.html']", "href").len(),
        1
    );
    assert_eq!(
        index
            .attr("nav.sidebar a[href$='gdpr/index.html']", "href")
            .len(),
        1,
        "the sidebar lists the appendices on appendix pages"
    );
    let all = project.page("appendix/all/index.html");
    assert_eq!(
        all.select("section.appendix").len(),
        3,
        "one section + two frameworks"
    );
    let ids = all.attr("[id]", "id");
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(
        ids.len(),
        unique.len(),
        "ids are unique on the all-appendices page"
    );
}

#[test]
fn records_json_matches_the_pages() {
    let project = TestProject::fixture("evidence");
    project.build();
    let json: serde_json::Value = serde_json::from_str(&project.read("site/records.json")).unwrap();
    assert_eq!(json["as_of"], "2026-11-28");
    let tasks = json["tasks"].as_array().unwrap();
    let from_json: Vec<(String, String)> = tasks
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap().to_string(),
                t["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(from_json, statuses(&project));
    let tp01 = &tasks[0];
    assert_eq!(tp01["frameworks"], serde_json::json!(["GDPR", "HIPAA"]));
    assert_eq!(
        tp01["records"][0]["attachments"][0]["path"],
        "evidence/tp/rules.json"
    );
    assert_eq!(
        tp01["records"][0]["attachments"][0]["size"],
        bytes_len("content/evidence/tp/rules.json")
    );
    assert_eq!(tasks[1]["records"].as_array().unwrap().len(), 2);

    let csv = std::fs::read(project.site_file("records.csv")).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(text.contains("\r\n"), "CRLF line ends");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // One row per task and record: TP-02 has two records, TP-05/TP-06 share one.
    assert_eq!(rows.len(), 7);
    assert_eq!(&rows[0][0], "TP-01");
    assert!(rows[0][18].contains("sha256:"), "{:?}", &rows[0]);
}

/// Writes `text` into the evidence fixture at `path` and returns the failing build's message.
fn fails_with(path: &str, text: &str) -> String {
    TestProject::fixture_fails_with("evidence", path, text)
}

#[test]
fn an_unknown_task_id_suggests_the_nearest() {
    let message = fails_with(
        "content/evidence/bad.md",
        "---\ntask: TP-07\nstatus: done\nowner: x\ncollected: 2026-01-01\n---\n",
    );
    assert!(message.contains("no task has the ID `TP-07`"), "{message}");
    assert!(message.contains("content/evidence/bad.md:2:7"), "{message}");
    assert!(message.contains("nearest IDs are TP-0"), "{message}");
}

#[test]
fn every_field_error_names_the_file_line_and_field() {
    let cases = [
        (
            "stauts: done\n",
            "unknown field `stauts`",
            ":5:1",
            "did you mean `status`",
        ),
        (
            "status: finished\n",
            "unknown status `finished`",
            ":5:9",
            "done, in-progress or not-applicable",
        ),
        (
            "status: not-applicable\n",
            "needs a `justification`",
            ":5:9",
            "justification:",
        ),
        (
            "status: done\nexpires: 2025-01-01\n",
            "is before `collected",
            ":6:10",
            "check both dates",
        ),
        (
            "status: done\nexpires: next year\n",
            "`expires: next year` is not a date",
            ":6:10",
            "YYYY-MM-DD",
        ),
        (
            "status: done\nattachments: [missing.json]\n",
            "attachment `missing.json` not found",
            ":6:15",
            "relative",
        ),
        (
            "status: done\nattachments: [/etc/passwd]\n",
            "is an absolute path",
            ":6:15",
            "relative",
        ),
        (
            "status: done\nattachments: [../../../ppdocs.toml]\n",
            "outside content/evidence/",
            ":6:15",
            "beside the record",
        ),
        (
            "status: done\nframeworks: [GDRP]\n",
            "unknown framework `GDRP`",
            ":6:14",
            "did you mean `GDPR`",
        ),
        ("status: done\nstatus: done\n", "duplicate", ":", "once"),
    ];
    for (extra, message, position, help) in cases {
        let text = format!("---\ntask: TP-01\nowner: x\ncollected: 2026-01-01\n{extra}---\n");
        let output = fails_with("content/evidence/tp/case.md", &text);
        assert!(output.contains(message), "{extra:?}: {output}");
        assert!(
            output.contains(&format!("content/evidence/tp/case.md{position}")),
            "{extra:?}: {output}"
        );
        assert!(output.contains(help), "{extra:?}: {output}");
    }
}

#[cfg(unix)]
#[test]
fn a_symlinked_attachment_pointing_outside_the_project_is_refused() {
    let project = TestProject::fixture("evidence");
    let outside = tempfile::NamedTempFile::new().unwrap();
    std::os::unix::fs::symlink(
        outside.path(),
        project.root.join("content/evidence/tp/link.json"),
    )
    .unwrap();
    project.write(
        "content/evidence/tp/case.md",
        "---\ntask: TP-01\nstatus: done\nowner: x\ncollected: 2026-01-01\nattachments: [link.json]\n---\n",
    );
    let message = project.build_fails();
    assert!(
        message.contains("symlink to a file outside content/evidence/"),
        "{message}"
    );
}

#[test]
fn check_deny_expired_fails_ci_and_json_lists_it() {
    let project = TestProject::fixture("evidence");
    let output = project.run(&["check", "--as-of", TestProject::AS_OF]);
    assert!(output.status.success(), "{}", stderr(&output));
    let denied = project.run(&["check", "--as-of", TestProject::AS_OF, "--deny", "expired"]);
    assert!(!denied.status.success());
    assert!(
        stderr(&denied).contains("evidence expired for TP-02"),
        "{}",
        stderr(&denied)
    );
    let json = project.run(&["check", "--as-of", TestProject::AS_OF, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(report["summary"]["expired"], serde_json::json!(["TP-02"]));
    assert_eq!(
        report["summary"]["due_for_review"],
        serde_json::json!(["TP-05", "TP-06"])
    );
    assert_eq!(
        report["summary"]["orphan_attachments"],
        serde_json::json!(["content/evidence/tp/unreferenced.txt"])
    );
}

fn lock(project: &TestProject) {
    let output = project.run(&["lock", "--as-of", "2026-11-01"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn ids_survive_a_row_inserted_above() {
    let project = TestProject::fixture("evidence");
    lock(&project);
    let checklist = project.read("content/checklist.md");
    let inserted = checklist.replace(
        "| &check; | Track user activities with Sentinel. |",
        "| &check; | Enable Managed Environments for production. |\n| &check; | Track user activities with Sentinel. |",
    );
    project.write("content/checklist.md", &inserted);
    project.build();
    let page = project.page("checklist/threat-protection/index.html");
    // The new row gets a new number; every existing task, and its evidence, keeps its ID.
    assert_eq!(
        page.attr("tr[data-task-id]", "data-task-id"),
        [
            "TP-07", "TP-01", "TP-02", "TP-03", "TP-04", "TP-05", "TP-06"
        ]
    );
    assert!(
        page.text("#task-TP-01 .task-text")
            .contains("Track user activities")
    );
    assert_eq!(page.attr("#task-TP-01", "data-status"), ["done"]);
    let check = project.run(&["check", "--as-of", TestProject::AS_OF]);
    assert!(
        stderr(&check).contains("New since `ppdocs lock`"),
        "{}",
        stderr(&check)
    );
}

#[test]
fn a_reworded_task_keeps_its_id_and_check_asks_for_review() {
    let project = TestProject::fixture("evidence");
    lock(&project);
    let checklist = project.read("content/checklist.md");
    project.write(
        "content/checklist.md",
        &checklist.replace(
            "Track user activities with Sentinel.",
            "Track user activities with Microsoft Sentinel and the admin center.",
        ),
    );
    project.build();
    let page = project.page("checklist/threat-protection/index.html");
    assert!(page.text("#task-TP-01 .task-text").contains("admin center"));
    let check = project.run(&["check", "--as-of", TestProject::AS_OF, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&check)).unwrap();
    assert_eq!(
        report["summary"]["lock"]["reworded"],
        serde_json::json!(["TP-01"])
    );
    assert_eq!(
        report["summary"]["reworded_since_evidence"],
        serde_json::json!(["TP-01"])
    );

    // Locking records the change; the ID stays, the old wording is kept.
    lock(&project);
    let lock_text = project.read("ppdocs.lock");
    assert!(
        lock_text.contains("previous = \"Track user activities with Sentinel.\""),
        "{lock_text}"
    );
}

#[test]
fn evidence_for_a_removed_task_says_so() {
    let project = TestProject::fixture("evidence");
    lock(&project);
    let checklist = project.read("content/checklist.md");
    project.write(
        "content/checklist.md",
        &checklist.replace("| &check; | Monitor identity risk events. |\n", ""),
    );
    let output = project.run(&["lock", "--as-of", "2026-11-02"]);
    assert!(!output.status.success(), "TP-03 still has evidence");
    project.write(
        "content/evidence/tp/tp-03.yaml",
        "task: TP-04\nstatus: in-progress\nowner: x\ncollected: 2026-11-20\n",
    );
    lock(&project);
    project.write(
        "content/evidence/tp/tp-03.yaml",
        "task: TP-03\nstatus: in-progress\nowner: x\ncollected: 2026-11-20\n",
    );
    let message = project.build_fails();
    assert!(
        message.contains("task `TP-03` was removed from the checklist on 2026-11-01"),
        "{message}"
    );
}

fn bytes_len(path: &str) -> u64 {
    std::fs::metadata(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/evidence")
            .join(path),
    )
    .unwrap()
    .len()
}

/// The all-appendices page renders its appendices separately and splices them together;
/// a record must still be shown in full exactly once, before every reference back to it.
#[test]
fn all_appendices_show_each_record_in_full_once_before_its_references() {
    for project in [TestProject::example(), TestProject::fixture("evidence")] {
        project.build();
        let html = project.read("site/appendix/all/index.html");
        let all = project.page("appendix/all/index.html");
        let full = all.attr("article.record", "id");
        let unique: std::collections::HashSet<&String> = full.iter().collect();
        assert_eq!(full.len(), unique.len(), "a record shown in full twice");
        let json: serde_json::Value =
            serde_json::from_str(&project.read("site/records.json")).unwrap();
        let mut anchors: Vec<&str> = json["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| t["records"].as_array().unwrap())
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        anchors.sort_unstable();
        anchors.dedup();
        let mut shown: Vec<&str> = full.iter().map(String::as_str).collect();
        shown.sort_unstable();
        assert_eq!(shown, anchors, "every record of a task is shown in full");
        for reference in all.attr(".record-ref a", "href") {
            let anchor = reference.trim_start_matches('#');
            let shown_at = html.find(&format!("id=\"{anchor}\"")).unwrap();
            let referred_at = html
                .find(&format!("record-ref\">Also: <a href=\"#{anchor}\""))
                .unwrap();
            assert!(
                shown_at < referred_at,
                "{anchor} referred to before it is shown"
            );
        }
    }
}

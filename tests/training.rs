//! The training hub: learning paths, module pages, task links both ways, training records.

mod common;

use common::{TestProject, assert_links_resolve};

#[test]
fn the_hub_lists_each_audience_path_in_order_with_totals() {
    let project = TestProject::fixture("training");
    project.build();
    let hub = project.page("training/index.html");
    assert_eq!(hub.text("h1"), "Training hub");
    let makers: Vec<String> = hub.attr("#path-makers .path-steps a", "href");
    assert_eq!(
        makers,
        [
            "../training/dlp-basics/index.html",
            "../training/sharing/index.html"
        ]
    );
    assert!(
        hub.text("#path-makers-title")
            .contains("2 modules, 27 min in all")
    );
    assert_eq!(
        hub.attr("#path-developers .path-steps a", "href"),
        ["../training/secrets/index.html"]
    );
    assert!(
        hub.text("#path-developers-title")
            .contains("1 module, 20 min in all")
    );
    assert_eq!(
        hub.attr("#path-admins .path-steps a", "href"),
        ["../training/sharing/index.html"]
    );
    // Every module is listed without JavaScript; the filter form stays hidden until the script runs.
    assert_eq!(hub.select("#module-list .module-card").len(), 3);
    assert_eq!(hub.attr("#module-filter", "hidden"), [""]);
    assert_eq!(
        hub.attr(".module-card", "data-audience"),
        ["makers", "makers admins", "developers"]
    );
    // The main navigation reaches the hub.
    let home = project.page("index.html");
    assert_eq!(
        home.attr("nav.sidebar a[href='training/index.html']", "href")
            .len(),
        1
    );
    assert_links_resolve(&project.root.join("site"));
}

#[test]
fn the_filter_is_a_theme_script_not_inline() {
    let project = TestProject::fixture("training");
    project.build();
    let script = project.read("site/assets/training-filter.js");
    assert!(script.contains("module-filter"));
    let hub = project.page("training/index.html");
    assert_eq!(
        hub.attr("script", "src"),
        [
            "../assets/theme.js",
            "../assets/search.js",
            "../assets/training-filter.js"
        ]
    );
    for script in hub.select("script") {
        assert!(
            script.inner_html().trim().is_empty(),
            "inline script on the hub"
        );
    }
    assert!(
        !project
            .read("site/training/index.html")
            .contains(" onclick=")
    );
}

#[test]
fn modules_and_tasks_link_both_ways() {
    let project = TestProject::fixture("training");
    project.build();
    let module = project.page("training/dlp-basics/index.html");
    assert_eq!(
        module.attr(".module-tasks li", "data-task-id"),
        ["DPP-01", "SPM-01"]
    );
    assert_eq!(
        module.attr(".module-tasks a", "href"),
        [
            "../../checklist/data-protection-and-privacy/index.html#task-DPP-01",
            "../../checklist/security-posture-management/index.html#task-SPM-01"
        ]
    );
    let section = project.page("checklist/security-posture-management/index.html");
    assert_eq!(
        section.attr("#task-SPM-01 .task-training a", "href"),
        [
            "../../training/dlp-basics/index.html",
            "../../training/sharing/index.html"
        ]
    );
}

#[test]
fn self_checks_reveal_answers_without_javascript() {
    let project = TestProject::fixture("training");
    project.build();
    let module = project.page("training/dlp-basics/index.html");
    let questions = module.text(".self-check summary");
    assert_eq!(
        questions,
        "Your flow fails with \"This operation violates data policy\". What happened?\nCan you use a blocked connector in the Default environment?"
    );
    assert!(
        module
            .text(".self-check details .self-check-answer")
            .contains("mixes a business")
    );
}

#[test]
fn a_training_record_shows_on_the_hub_and_counts_as_evidence() {
    let project = TestProject::fixture("training");
    project.build();
    let hub = project.page("training/index.html");
    assert!(
        hub.text(".module-card:first-child .module-delivery")
            .contains("Last delivered 2026-10-15 to 25 people (2 sessions, 43 people in all)")
    );
    // The module's tasks take the record as evidence: done, owned by the CoE.
    let section = project.page("checklist/data-protection-and-privacy/index.html");
    assert_eq!(section.attr("#task-DPP-01", "data-status"), ["done"]);
    assert_eq!(
        section.text("#task-DPP-01 .task-owner"),
        "Center of Excellence"
    );
    assert_eq!(section.attr("#task-DPP-02", "data-status"), ["not-started"]);
    let appendix = project.page("appendix/spm-security-posture-management/index.html");
    assert_eq!(
        appendix.attr("#task-SPM-01 .record", "data-record-id"),
        ["record-dlp-sessions"]
    );
}

/// Writes `text` into the training fixture at `path` and returns the failing build's message.
fn fails_with(path: &str, text: &str) -> String {
    TestProject::fixture_fails_with("training", path, text)
}

#[test]
fn module_errors_name_the_file_and_line() {
    let module = |audience: &str, level: &str, tasks: &str| {
        format!(
            "---\ntitle: M\naudience: [{audience}]\nduration: 10\nlevel: {level}\ntasks: [{tasks}]\n---\nBody.\n"
        )
    };
    let message = fails_with(
        "content/training/m.md",
        &module("citizens", "beginner", "DPP-01"),
    );
    assert!(message.contains("unknown audience `citizens`"), "{message}");
    assert!(message.contains("content/training/m.md:3:12"), "{message}");
    let message = fails_with(
        "content/training/m.md",
        &module("makers", "expert", "DPP-01"),
    );
    assert!(message.contains("unknown level `expert`"), "{message}");
    assert!(message.contains("content/training/m.md:5:8"), "{message}");
    let message = fails_with(
        "content/training/m.md",
        &module("makers", "beginner", "DPP-09"),
    );
    assert!(message.contains("no task has the ID `DPP-09`"), "{message}");
    assert!(message.contains("content/training/m.md:6:9"), "{message}");
}

#[test]
fn an_unknown_module_slug_suggests_the_nearest() {
    let message = fails_with(
        "content/evidence/dlp-sessions.md",
        "---\nmodule: dlp-basic\nowner: CoE\nsessions:\n  - {date: 2026-09-10, audience: makers, attendees: 18}\n---\n",
    );
    assert!(
        message.contains("no training module is called `dlp-basic`"),
        "{message}"
    );
    assert!(message.contains("did you mean `dlp-basics`"), "{message}");
    assert!(
        message.contains("content/evidence/dlp-sessions.md:2:9"),
        "{message}"
    );
    let message = fails_with(
        "content/evidence/dlp-sessions.md",
        "---\nmodule: dlp-basics\nowner: CoE\nsessions:\n  - {date: 2026-09-10, audience: citizens, attendees: 18}\n---\n",
    );
    assert!(message.contains("unknown audience `citizens`"), "{message}");
    assert!(
        message.contains("content/evidence/dlp-sessions.md:5:"),
        "{message}"
    );
}

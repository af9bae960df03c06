//! Bad input: every error names file:line:col, exits non-zero, and leaves the previous
//! site untouched.

mod common;

use common::{TestProject, stderr};

/// Builds `fixture` after a good build of the same project, and checks that the failed
/// build left the good site in place.
fn fails_keeping_previous_site(fixture: &str) -> String {
    let project = TestProject::fixture(fixture);
    // A good build first: replace the content with a valid page, build, then restore.
    let broken = common::snapshot_dir(&project.root.join("content"));
    let good = TestProject::empty();
    good.write("content/page.md", "# Good\n\nFine.\n");
    std::fs::remove_dir_all(project.root.join("content")).unwrap();
    common::copy_recursively(&good.root.join("content"), &project.root.join("content"));
    let config = project.root.join("ppdocs.toml");
    let saved_config = std::fs::read_to_string(&config).ok();
    let _ = std::fs::remove_file(&config);
    project.build();
    let before = common::snapshot_dir(&project.root.join("site"));

    std::fs::remove_dir_all(project.root.join("content")).unwrap();
    for (path, bytes) in broken {
        let target = project.root.join("content").join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
    if let Some(text) = saved_config {
        std::fs::write(&config, text).unwrap();
    }
    let message = project.build_fails();
    assert_eq!(
        common::snapshot_dir(&project.root.join("site")),
        before,
        "the previous site changed"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&project.root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("ppdocs-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    message
}

#[test]
fn malformed_front_matter_names_file_line_and_column() {
    let message = fails_keeping_previous_site("bad-yaml");
    assert!(message.contains("front-matter-invalid"), "{message}");
    assert!(message.contains("content/page.md:4:1"), "{message}");
    assert!(message.contains("not valid YAML"), "{message}");
}

#[test]
fn a_bad_checklist_row_names_the_cell() {
    let message = fails_keeping_previous_site("bad-row");
    assert!(message.contains("checklist-bad-mark"), "{message}");
    assert!(message.contains("content/checklist.md:8:2"), "{message}");
    assert!(message.contains("`maybe` is not a check mark"), "{message}");
    assert!(message.contains("help:"), "{message}");
}

#[test]
fn an_unknown_theme_lists_the_available_ones() {
    let message = fails_keeping_previous_site("unknown-theme");
    assert!(message.contains("theme `corporate` not found"), "{message}");
    assert!(message.contains("ppdocs.toml:1:1"), "{message}");
    assert!(message.contains("available themes: default"), "{message}");
}

#[test]
fn a_missing_include_names_the_include_line() {
    let message = fails_keeping_previous_site("missing-include");
    assert!(message.contains("include-not-found"), "{message}");
    assert!(message.contains("content/page.md:5:1"), "{message}");
}

#[test]
fn include_cycles_are_reported() {
    let project = TestProject::empty();
    project.write("content/a.md", "# A\n\n[!INCLUDE[b](includes/b.md)]\n");
    project.write("content/includes/b.md", "B text\n\n[!INCLUDE[c](c.md)]\n");
    project.write("content/includes/c.md", "[!INCLUDE[b](b.md)]\n");
    let message = project.build_fails();
    assert!(message.contains("include-cycle"), "{message}");
    assert!(message.contains("content/includes/c.md:1:1"), "{message}");
}

#[test]
fn extra_cells_and_empty_tasks_are_errors() {
    let project = TestProject::empty();
    project.write(
        "content/c.md",
        "## S\n\n| Done? | Task |\n|---|---|\n| ✓ | a | lost |\n| ✓ |   |\n",
    );
    let message = project.build_fails();
    assert!(message.contains("content/c.md:5:1"), "{message}");
    assert!(message.contains("checklist-extra-cells"), "{message}");
    assert!(message.contains("content/c.md:6:1"), "{message}");
    assert!(message.contains("checklist-empty-task"), "{message}");
}

#[test]
fn duplicate_task_ids_are_errors() {
    let project = TestProject::empty();
    project.write(
        "content/c.md",
        "## S\n\n| Done? | Task |\n|---|---|\n| ✓ | a {#X-1} |\n| ✓ | b {#X-1} |\n",
    );
    let message = project.build_fails();
    assert!(message.contains("task ID `X-1` is used twice"), "{message}");
    assert!(message.contains("content/c.md:6:"), "{message}");
}

#[test]
fn broken_relative_links_and_anchors_are_errors() {
    let project = TestProject::empty();
    project.write(
        "content/a.md",
        "# A\n\nSee [b](b.md) and [c](c.md#nope) and [img](media/x.png).\n",
    );
    project.write("content/c.md", "# C\n\n## Real heading\n");
    let message = project.build_fails();
    assert!(
        message.contains("link target content/b.md does not exist"),
        "{message}"
    );
    assert!(
        message.contains("content/c.md has no heading with the id `nope`"),
        "{message}"
    );
    assert!(
        message.contains("link target content/media/x.png does not exist"),
        "{message}"
    );
    assert!(message.contains("content/a.md:3:5"), "{message}");
}

#[test]
fn unsupported_learn_syntax_is_an_error_not_literal_text() {
    let project = TestProject::empty();
    project.write(
        "content/a.md",
        "# A\n\n:::code language=\"powershell\" source=\"a.ps1\":::\n",
    );
    let message = project.build_fails();
    assert!(message.contains("learn-syntax-unsupported"), "{message}");
    assert!(message.contains("content/a.md:3:1"), "{message}");
}

#[test]
fn a_bad_config_key_is_named() {
    let project = TestProject::empty();
    project.write("ppdocs.toml", "title = \"x\"\nthem = \"dark\"\n");
    project.write("content/a.md", "# A\n");
    let message = project.build_fails();
    assert!(message.contains("ppdocs.toml:2:1"), "{message}");
    assert!(message.contains("them"), "{message}");
}

#[test]
fn invalid_utf8_names_the_file() {
    let project = TestProject::empty();
    project.write("content/a.md", "# A\n");
    std::fs::write(project.root.join("content/b.md"), b"# B\n\xff\xfe bad\n").unwrap();
    let message = project.build_fails();
    assert!(
        message.contains("content/b.md is not valid UTF-8"),
        "{message}"
    );
}

#[test]
fn a_missing_content_folder_says_how_to_start() {
    let project = TestProject::empty();
    let output = project.run(&["build"]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("no `content/` folder"), "{message}");
    assert!(message.contains("ppdocs init"), "{message}");
}

#[test]
fn hostile_markdown_does_not_panic() {
    let project = TestProject::empty();
    let deep_quotes = ">".repeat(5_000);
    let deep_lists: String = (0..2_000)
        .map(|i| format!("{}- item\n", "  ".repeat(i)))
        .collect();
    project.write("content/quotes.md", &format!("# Q\n\n{deep_quotes} deep\n"));
    project.write("content/lists.md", &format!("# L\n\n{deep_lists}"));
    project.write("content/crlf.md", "---\r\ntitle: CRLF\r\n---\r\n\r\n## S\r\n\r\n| Done? | Task |\r\n|---|---|\r\n| ✓ | a |\r\n");
    project.write("content/bom.md", "\u{feff}---\ntitle: BOM\n---\n# BOM\n");
    project.write(
        "content/odd [!x] :::.md",
        "# Odd name\n\n[!\n\n:::\n\n> [!\n",
    );
    let output = project.run(&["build"]);
    let message = stderr(&output);
    assert!(!message.contains("panicked"), "{message}");
}

#[test]
fn diagnostics_read_like_rustc() {
    let project = TestProject::fixture("bad-row");
    let message = project
        .build_fails()
        .replace(&project.root.display().to_string(), "[ROOT]");
    insta::assert_snapshot!(message);
}

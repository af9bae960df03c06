//! One test per bug found and fixed, named after what broke.

mod common;

use common::{TestProject, assert_links_resolve};

#[test]
fn heading_id_with_dot_dot_cannot_write_outside_the_site() {
    let project = TestProject::empty();
    project.write(
        "content/a.md",
        "# A\n\n## Evil {#../../outside}\n\n| Done? | Task |\n|---|---|\n| ☐ | Do it |\n",
    );
    project.build();
    assert!(!project.root.join("outside").exists());
    assert!(!project.root.parent().unwrap().join("outside").exists());
    assert!(project.site_file("a/outside/index.html").is_file());
    assert_links_resolve(&project.root.join("site"));
}

#[test]
fn relative_links_on_section_pages_resolve() {
    let project = TestProject::empty();
    project.write(
        "content/check.md",
        "# Check\n\n## Threat protection\n\nSee [other](other.md) and ![p](media/x.png) and [here](#threat-protection).\n\n| Done? | Task |\n|---|---|\n| ☐ | Read [the other page](other.md#part). |\n",
    );
    project.write("content/other.md", "# Other\n\n## Part\n");
    project.write("content/media/x.png", "png");
    project.build();
    let section = project.page("check/threat-protection/index.html");
    assert!(
        section
            .attr("a", "href")
            .contains(&"../../other/index.html".to_string())
    );
    assert_links_resolve(&project.root.join("site"));
}

#[test]
fn nested_task_lists_leak_no_markers_and_keep_document_order() {
    let project = TestProject::empty();
    project.write(
        "content/a.md",
        "# A\n\n## Threat protection\n\n- [ ] Parent task\n  - [ ] Child one\n  - [ ] Child two\n- [ ] Second parent\n",
    );
    project.build();
    let html = project.read("site/a/index.html");
    assert!(!html.contains('\0'), "NUL byte in output");
    assert!(!html.contains("c:0:"), "marker text in output");
    let page = project.page("a/index.html");
    assert_eq!(
        page.attr("tr[data-task-id]", "data-task-id"),
        ["TP-01", "TP-02"]
    );
    assert!(page.text("#task-TP-01 .task-text").contains("Child one"));
}

#[test]
fn a_check_header_table_of_plain_text_is_not_a_checklist() {
    let project = TestProject::empty();
    project.write(
        "content/a.md",
        "# A\n\n## Setup\n\n| Check | Description |\n|---|---|\n| Firewall | On |\n",
    );
    project.build();
    assert!(
        project
            .page("a/index.html")
            .select("[data-task-id]")
            .is_empty()
    );
}

#[test]
fn invalid_explicit_prefixes_are_errors() {
    let project = TestProject::empty();
    project.write("content/a.md", "# A\n\n## Two {prefix=../é}\n\n- [ ] t\n");
    let message = project.build_fails();
    assert!(message.contains("section-prefix-invalid"), "{message}");
    assert!(message.contains("content/a.md:3:1"), "{message}");
}

#[test]
fn an_unclosed_complex_image_is_reported() {
    let project = TestProject::empty();
    project.write(
        "content/a.md",
        "# A\n\n:::image type=\"complex\" source=\"a.png\" alt-text=\"x\":::\nLong description.\n\n> [!WARNING]\n> Danger\n",
    );
    let message = project.build_fails();
    assert!(message.contains("never closed"), "{message}");
}

#[test]
fn a_file_where_a_page_needs_a_folder_is_caught_before_writing() {
    let project = TestProject::empty();
    project.write("content/a.md", "# A\n");
    project.write("content/a", "not a folder");
    let message = project.build_fails();
    assert!(message.contains("needs a folder"), "{message}");
}

#[test]
fn a_note_marker_inside_a_quote_is_reported_not_dropped() {
    let project = TestProject::empty();
    project.write("content/a.md", "# A\n\n> Some text\n> [!NOTE]\n> More\n");
    let message = project.build_fails();
    assert!(message.contains("learn-marker-misplaced"), "{message}");
}

#[test]
fn links_inside_inline_includes_resolve_from_the_included_file() {
    let project = TestProject::empty();
    project.write("content/includes/snip.md", "see [other](../other.md)\n");
    project.write(
        "content/a.md",
        "# A\n\nInline: [!INCLUDE[s](includes/snip.md)] end.\n",
    );
    project.write("content/other.md", "# Other\n");
    project.build();
    assert_eq!(
        project.page("a/index.html").attr(".prose a", "href"),
        ["../other/index.html"]
    );
}

#[test]
fn example_site_has_no_broken_links() {
    let project = TestProject::example();
    project.build();
    assert_links_resolve(&project.root.join("site"));
}

#[test]
fn links_between_training_modules_resolve() {
    // Regression: links to training modules were reported broken (they are not plain pages).
    let project = TestProject::fixture("training");
    project.write("content/training/sharing.md", "---\ntitle: Share\naudience: [makers]\nduration: 5\nlevel: beginner\n---\nSee [DLP](dlp-basics.md#self-check).\n");
    project.build();
    assert_eq!(
        project
            .page("training/sharing/index.html")
            .attr(".prose a", "href"),
        ["../../training/dlp-basics/index.html#self-check"]
    );
}

#[test]
fn large_sites_do_not_repeat_every_article_in_every_sidebar() {
    // Regression: each page listed every article, so output grew with the square of the
    // page count (20 GB of memory for 3,000 checklist pages in `serve`).
    let project = TestProject::empty();
    for n in 0..45 {
        project.write(
            &format!("content/c{n:02}.md"),
            &format!("# Checklist {n}\n\n## Area {{prefix=A{n}}}\n\n| Done? | Task |\n|---|---|\n| ☐ | Task {n} |\n"),
        );
    }
    project.build();
    let page = project.page("c07/area/index.html");
    let sidebar = page.attr("nav.sidebar a", "href");
    assert!(sidebar.len() < 10, "{sidebar:?}");
    assert!(sidebar.contains(&"../../c07/index.html".to_string()));
    assert!(page.text("nav.sidebar").contains("All 45 checklists"));
    let home = project.page("index.html");
    assert_eq!(home.select(".article-card").len(), 45);
    assert_links_resolve(&project.root.join("site"));
}

fn evidence_project() -> TestProject {
    TestProject::fixture("evidence")
}

#[test]
fn evidence_links_must_be_web_addresses() {
    // Regression: `links: [javascript:alert(1)]` reached the appendix as a clickable link.
    let project = evidence_project();
    project.write(
        "content/evidence/tp/xss.md",
        "---\ntask: TP-04\nstatus: in-progress\nowner: x\ncollected: 2026-11-01\nlinks: [javascript:alert(1), \" JaVaScRiPt:alert(2)\", \"data:text/html,x\"]\n---\n",
    );
    let message = project.build_fails();
    assert!(
        message.contains("link `javascript:alert(1)` is not a web address"),
        "{message}"
    );
    assert!(
        message.contains("content/evidence/tp/xss.md:6:9"),
        "{message}"
    );
    assert!(message.contains("data:text/html,x"), "{message}");
}

#[test]
fn a_retired_or_locked_id_cannot_be_given_to_another_task() {
    let project = evidence_project();
    assert!(
        project
            .run(&["lock", "--as-of", "2026-11-01"])
            .status
            .success()
    );
    let checklist = project.read("content/checklist.md");
    // TP-02 belongs to "Configure alerts..." in the lock.
    project.write(
        "content/checklist.md",
        &checklist.replace(
            "Investigate incidents.",
            "Run tabletop exercises twice a year. {#TP-02}",
        ),
    );
    let message = project.build_fails();
    assert!(
        message.contains("task ID `TP-02` belongs to another task in ppdocs.lock"),
        "{message}"
    );

    // Remove TP-06, lock (retiring it), then try to give its ID to a new task.
    project.write(
        "content/checklist.md",
        &checklist.replace("| &check; | Review the security page monthly. |\n", ""),
    );
    project.write(
        "content/evidence/tp/tp-05-due.md",
        "---\ntask: TP-05\nstatus: done\nowner: CISO\ncollected: 2025-12-10\nexpires: 2026-12-10\n---\n",
    );
    assert!(
        project
            .run(&["lock", "--as-of", "2026-11-02"])
            .status
            .success()
    );
    project.write(
        "content/checklist.md",
        &checklist.replace(
            "Review the security page monthly.",
            "Something new entirely, with an old number. {#TP-06}",
        ),
    );
    let message = project.build_fails();
    assert!(
        message.contains("task ID `TP-06` was retired on 2026-11-02"),
        "{message}"
    );
}

#[test]
fn a_new_section_cannot_take_a_locked_sections_prefix() {
    // Regression: a new section sorting earlier and abbreviating the same way took the
    // locked section's prefix, and with it its tasks' IDs and evidence.
    let project = evidence_project();
    assert!(
        project
            .run(&["lock", "--as-of", "2026-11-01"])
            .status
            .success()
    );
    let checklist = project.read("content/checklist.md");
    project.write(
        "content/checklist.md",
        &checklist.replace(
            "## Threat protection",
            "## Training plan\n\n| Done? | Task |\n|---|---|\n| ✓ | Track user activities with Sentinel training. |\n\n## Threat protection",
        ),
    );
    project.build();
    let page = project.page("checklist/threat-protection/index.html");
    assert_eq!(page.attr("tr[data-task-id]", "data-task-id")[0], "TP-01");
    assert_eq!(page.attr("#task-TP-01", "data-status"), ["done"]);
    let new = project.page("checklist/training-plan/index.html");
    assert_eq!(new.attr("tr[data-task-id]", "data-task-id"), ["TP2-01"]);
}

#[test]
fn two_evidence_files_cannot_share_an_anchor() {
    let project = evidence_project();
    let record = "---\ntask: TP-04\nstatus: in-progress\nowner: x\ncollected: 2026-11-01\n---\n";
    project.write("content/evidence/sub/x.md", record);
    project.write("content/evidence/sub-x.md", record);
    let message = project.build_fails();
    assert!(
        message.contains("would both be cited as #record-sub-x"),
        "{message}"
    );
}

#[test]
fn only_the_first_list_after_self_check_is_the_self_check() {
    let project = TestProject::fixture("training");
    project.write(
        "content/training/sharing.md",
        "---\ntitle: Share\naudience: [makers]\nduration: 5\nlevel: beginner\n---\n## Self-check\n\n1. Question one?\n\n   Answer with a list:\n\n   - nested a\n   - nested b\n\n### Further reading\n\n- [Link A](https://learn.microsoft.com/a)\n- [Link B](https://learn.microsoft.com/b)\n",
    );
    project.build();
    let page = project.page("training/sharing/index.html");
    assert_eq!(page.select(".self-check details").len(), 1);
    assert_eq!(page.text(".self-check-answer li"), "nested a\nnested b");
    assert_eq!(
        page.select("ul:not(.self-check) a[href='https://learn.microsoft.com/a']")
            .len(),
        1
    );
}

#[test]
fn attachment_links_are_url_encoded() {
    let project = evidence_project();
    project.write("content/evidence/tp/a b#1.txt", "x");
    project.write(
        "content/evidence/tp/enc.md",
        "---\ntask: TP-04\nstatus: in-progress\nowner: x\ncollected: 2026-11-01\nattachments: [\"a b#1.txt\"]\n---\n",
    );
    project.build();
    let appendix = project.page("appendix/tp-threat-protection/index.html");
    assert_eq!(
        appendix.attr("#record-tp-enc .attachments a", "href"),
        ["../../evidence/tp/a%20b%231.txt"]
    );
    assert_links_resolve(&project.root.join("site"));
}

#[cfg(unix)]
#[test]
fn lock_keeps_the_lock_file_readable() {
    use std::os::unix::fs::PermissionsExt;
    let project = evidence_project();
    assert!(project.run(&["lock"]).status.success());
    let mode = std::fs::metadata(project.root.join("ppdocs.lock"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o644);
}

#[test]
fn duplicate_module_names_and_empty_audiences_are_errors() {
    let project = TestProject::fixture("training");
    project.write(
        "content/training/more/dlp-basics.md",
        "---\ntitle: Again\naudience: [makers]\nduration: 5\nlevel: beginner\n---\n",
    );
    let message = project.build_fails();
    assert!(
        message.contains("two training modules are called `dlp-basics`"),
        "{message}"
    );
    let project = TestProject::fixture("training");
    project.write(
        "content/training/m.md",
        "---\ntitle: M\naudience: []\nduration: 5\nlevel: beginner\n---\n",
    );
    let message = project.build_fails();
    assert!(
        message.contains("a training module needs an `audience`"),
        "{message}"
    );
}

#[cfg(unix)]
#[test]
fn an_attachment_symlinked_elsewhere_in_the_project_is_refused() {
    let project = evidence_project();
    std::os::unix::fs::symlink(
        project.root.join("content/checklist.md"),
        project.root.join("content/evidence/tp/cfg.md.txt"),
    )
    .unwrap();
    project.write(
        "content/evidence/tp/link.md",
        "---\ntask: TP-04\nstatus: in-progress\nowner: x\ncollected: 2026-11-01\nattachments: [cfg.md.txt]\n---\n",
    );
    let message = project.build_fails();
    assert!(
        message.contains("symlink to a file outside content/evidence/"),
        "{message}"
    );
}

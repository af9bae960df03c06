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

//! Building the example project and the feature fixtures, checked on the generated HTML.

mod common;

use common::{TestProject, snapshot_dir};

#[test]
fn example_project_yields_the_27_seed_tasks_in_6_sections() {
    let project = TestProject::example();
    project.build();
    let article = project.page("security-checklist/index.html");
    let ids = article.attr("[data-task-id]", "data-task-id");
    assert_eq!(ids.len(), 27, "{ids:?}");

    let sections = [
        ("security-posture-management", "SPM", 6),
        ("threat-protection", "TP", 5),
        ("data-protection-and-privacy", "DPP", 7),
        ("identity-and-access-management", "IAM", 4),
        ("compliance", "CO", 4),
        ("workload-security", "WS", 1),
    ];
    for (slug, prefix, count) in sections {
        let page = project.page(&format!("security-checklist/{slug}/index.html"));
        let ids = page.attr("tr[data-task-id]", "data-task-id");
        let expected: Vec<String> = (1..=count).map(|n| format!("{prefix}-{n:02}")).collect();
        assert_eq!(ids, expected, "section {slug}");
    }
    // The row with leading spaces and the row with a trailing space parse like the others.
    let tp = project.page("security-checklist/threat-protection/index.html");
    assert!(
        tp.text("#task-TP-05 .task-text")
            .starts_with("Define and test incident response plans.")
    );
    let iam = project.page("security-checklist/identity-and-access-management/index.html");
    assert!(
        iam.text("#task-IAM-04 .task-text")
            .contains("least privilege")
    );
}

#[test]
fn dashboard_lists_articles_sections_and_counts() {
    let project = TestProject::example();
    project.build();
    let home = project.page("index.html");
    let rows = home.select("table.sections tbody tr");
    assert_eq!(rows.len(), 6);
    let links = home.attr("table.sections tbody th a", "href");
    assert_eq!(
        links[0],
        "security-checklist/security-posture-management/index.html"
    );
    let count = |status: &str| home.text(&format!(".status-counts .status-{status} strong"));
    // The example evidence, as of the test date.
    assert_eq!(count("done"), "7");
    assert_eq!(count("in-progress"), "2");
    assert_eq!(count("not-started"), "16");
    assert_eq!(count("expired"), "1");
    assert_eq!(count("not-applicable"), "1");
}

#[test]
fn section_pages_have_breadcrumbs_and_neighbours() {
    let project = TestProject::example();
    project.build();
    let page = project.page("security-checklist/threat-protection/index.html");
    let crumbs = page.attr(".breadcrumbs a", "href");
    assert_eq!(
        crumbs,
        ["../../index.html", "../../security-checklist/index.html"]
    );
    assert_eq!(
        page.attr(".pager-prev", "href"),
        ["../../security-checklist/security-posture-management/index.html"]
    );
    assert_eq!(
        page.attr(".pager-next", "href"),
        ["../../security-checklist/data-protection-and-privacy/index.html"]
    );
    // Learn links in task text point at learn.microsoft.com.
    let ws = project.page("security-checklist/workload-security/index.html");
    assert_eq!(
        ws.attr(".task-text a", "href"),
        ["https://learn.microsoft.com/power-platform/well-architected/security/"]
    );
}

#[test]
fn learn_extensions_render_without_leaking_syntax() {
    let project = TestProject::fixture("learn-features");
    project.build();
    let page = project.page("guides/learn-syntax/index.html");

    assert_eq!(page.text(".alert-note .alert-title"), "Note");
    assert!(page.text(".alert-note").contains("A note with bold text."));
    assert_eq!(
        page.text(".alert-tip .alert-title"),
        "Tip",
        "`>[!TIP]` without a space"
    );
    assert_eq!(page.select(".alert-warning").len(), 1);

    let images = page.select("ol li img");
    assert_eq!(images.len(), 1, "the indented :::image inside the list");
    assert_eq!(
        images[0].value().attr("alt"),
        Some("The Power Platform admin center home page.")
    );
    assert_eq!(
        images[0].value().attr("src"),
        Some("../../media/admin-center.png")
    );
    assert!(
        project.site_file("media/admin-center.png").is_file(),
        "static files are copied"
    );

    assert!(
        page.body_text()
            .contains("This paragraph comes from an include file.")
    );
    assert!(
        !page.body_text().contains("ms.topic"),
        "the include's front matter is stripped"
    );

    assert_eq!(
        page.attr(".nextstepaction a", "href"),
        ["../../checklist/index.html#threat-protection"]
    );
    assert!(
        page.attr("a", "href").contains(
            &"https://learn.microsoft.com/power-platform/admin/managed-environment-overview"
                .to_string()
        )
    );
    assert!(
        page.body_text().contains("✓ entities"),
        "&check; renders as ✓"
    );

    let text = page.body_text();
    for leaked in [":::", "[!NOTE", "[!TIP", "[!INCLUDE", "[!div"] {
        assert!(!text.contains(leaked), "`{leaked}` leaked into the page");
    }
}

#[test]
fn code_blocks_are_highlighted_with_classes() {
    let project = TestProject::fixture("learn-features");
    project.build();
    let page = project.page("guides/learn-syntax/index.html");
    let cmdlets = page.text("pre[data-lang=powershell] .hl-support.hl-function");
    assert!(
        cmdlets.contains("Get-AdminPowerAppEnvironment"),
        "{cmdlets}"
    );
    let kql = page.text("pre[data-lang=kusto] .hl-keyword");
    assert!(kql.contains("where") && kql.contains("summarize"), "{kql}");
    let css = project.read("site/assets/highlight.css");
    assert!(css.contains(".hl-support") && css.contains("prefers-color-scheme: dark"));
}

#[test]
fn id_columns_task_lists_and_explicit_ids() {
    let project = TestProject::fixture("learn-features");
    project.build();
    let article = project.page("checklist/index.html");
    assert_eq!(
        article.attr("tr[data-task-id]", "data-task-id"),
        [
            "SPM-01", "SPM-02", "SPM-03", "SE:01", "SE:02", "TR-01", "DRILL-1"
        ]
    );
    // The plain table stays a table of the page.
    assert_eq!(article.select("table:not(.checklist)").len(), 1);
    // The Learn link inside a task is rewritten.
    assert_eq!(
        article.attr("#task-SPM-01 .task-text a", "href"),
        ["https://learn.microsoft.com/entra/identity/"]
    );
    // Sections without tasks get no page.
    assert!(!project.site_file("checklist/notes/index.html").exists());
    assert!(project.site_file("checklist/training/index.html").is_file());
}

#[test]
fn front_matter_reaches_the_page() {
    let project = TestProject::fixture("learn-features");
    project.build();
    let page = project.page("guides/learn-syntax/index.html");
    assert_eq!(page.text("h1"), "Learn syntax guide");
    assert_eq!(page.attr("time", "datetime"), ["2025-05-14"]);
    assert_eq!(page.text("time"), "14 May 2025");
    let home = project.page("index.html");
    assert_eq!(
        home.attr(".prose a", "href"),
        ["guides/learn-syntax/index.html"]
    );
}

#[test]
fn a_project_theme_overrides_templates_and_adds_assets() {
    let project = TestProject::fixture("theme-override");
    project.build();
    let page = project.page("about/index.html");
    assert_eq!(page.text("h1.corp-title"), "CORP: About");
    // Templates the theme does not override come from the built-in theme.
    assert_eq!(page.select("nav.sidebar").len(), 1);
    assert!(project.site_file("assets/corp.css").is_file());
    assert!(project.site_file("assets/style.css").is_file());
}

#[test]
fn a_404_page_links_home() {
    let project = TestProject::example();
    project.build();
    let page = project.page("404.html");
    assert_eq!(page.text("h1"), "Page not found");
    assert!(
        page.attr("main a", "href")
            .contains(&"index.html".to_string())
    );
}

#[test]
fn builds_are_byte_for_byte_reproducible() {
    let project = TestProject::fixture("learn-features");
    project.build();
    let first = snapshot_dir(&project.root.join("site"));
    project.build();
    let second = snapshot_dir(&project.root.join("site"));
    assert_eq!(first.len(), second.len());
    for ((name_a, a), (name_b, b)) in first.iter().zip(&second) {
        assert_eq!(name_a, name_b);
        assert!(a == b, "{name_a} differs between two builds");
    }
}

#[test]
fn every_page_has_landmarks_and_one_h1() {
    let project = TestProject::example();
    project.build();
    for path in [
        "index.html",
        "security-checklist/index.html",
        "security-checklist/compliance/index.html",
        "404.html",
    ] {
        let page = project.page(path);
        assert_eq!(page.select("h1").len(), 1, "{path}");
        assert_eq!(page.select("main#main").len(), 1, "{path}");
        assert!(!page.select("nav[aria-label]").is_empty(), "{path}");
        assert_eq!(page.attr("html", "lang"), ["en"], "{path}");
        for script in page.select("script") {
            let src = script.value().attr("src").unwrap_or_default();
            assert!(
                src.ends_with("assets/theme.js") || src.ends_with("assets/search.js"),
                "{path}: script {src}"
            );
            assert!(
                script.inner_html().trim().is_empty(),
                "{path}: inline script"
            );
        }
        for href in page.attr("a", "href") {
            assert!(!href.starts_with('/'), "{path}: root-relative link {href}");
        }
    }
}

/// Pages go to the staging folder as they are rendered: a template error found after some
/// were written must still leave the previous site as it was, and no staging folder behind.
#[test]
fn a_template_error_during_rendering_leaves_the_previous_site_and_no_staging_folder() {
    let project = TestProject::example();
    project.build();
    let before = snapshot_dir(&project.root.join("site"));
    // Only section pages fail: the dashboard, articles and appendices render (and are
    // written) before and beside them.
    project.write(
        "themes/broken/templates/section.html",
        "{% extends \"base.html\" %}{% block content %}{{ no_such_value.field }}{% endblock content %}",
    );
    project.write("ppdocs.toml", "title = \"Broken\"\ntheme = \"broken\"\n");
    let stderr = project.build_fails();
    assert!(stderr.contains("no_such_value"), "{stderr}");
    assert_eq!(snapshot_dir(&project.root.join("site")), before);
    let leftovers: Vec<String> = std::fs::read_dir(&project.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("ppdocs-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

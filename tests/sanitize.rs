//! Untrusted text: `sanitize = true` cleans raw HTML in every page with the policy evidence
//! notes always get, and every other value reaching a template is escaped.

mod common;

use std::path::Path;

use common::{TestProject, snapshot_dir};
use scraper::{Html, Selector};

const HOSTILE: &str = r#"---
title: Hostile
---
# Hostile <em>page</em>

<script>alert("page")</script>
<div onclick="alert(1)" class="note">Kept text</div>
<iframe src="https://evil.example"></iframe>
<object data="x.swf"></object>
<form action="https://evil.example"><input type="password" name="p"></form>

[click](javascript:alert(2)) and <a href="javascript:alert(3)">this</a>

<img src="../media/a.png" onerror="alert(4)" alt="pic">

## Controls

| Done | Task |
|---|---|
| ☐ | Check <img src=https://intranet.example/x.png onerror="alert(5)"> the <b>tenant</b> <script>alert(6)</script> |
"#;

const MODULE: &str = r#"---
title: Module <script>alert("title")</script>
audience: [makers]
level: beginner
duration: 10
---
Module body.

<svg onload="alert(7)"><circle r="1"/></svg>
<a href="JaVaScRiPt:alert(8)">x</a>
"#;

/// The default theme's own drawings and forms (its logo, icons and charts, the search box):
/// not content, so never sanitized.
const THEME_ELEMENTS: &[(&str, &str)] = &[
    ("svg", "brand-mark"),
    ("svg", "icon icon-moon"),
    ("svg", "icon icon-sun"),
    ("svg", "chart chart-progress"),
    ("svg", "chart chart-trend"),
    ("svg", "donut"),
    ("form", "search topbar-search"),
];

/// Every script, event handler, frame, object, form and `javascript:` URL in the output.
fn active_content(site: &Path) -> Vec<String> {
    let any = Selector::parse("*").unwrap();
    let mut found = Vec::new();
    for (rel, bytes) in snapshot_dir(site) {
        if !rel.ends_with(".html") {
            continue;
        }
        let page = Html::parse_document(&String::from_utf8_lossy(&bytes));
        for element in page.select(&any) {
            let el = element.value();
            if THEME_ELEMENTS.contains(&(el.name(), el.attr("class").unwrap_or_default())) {
                continue;
            }
            match el.name() {
                "iframe" | "object" | "embed" | "svg" => {
                    found.push(format!("{rel}: <{}>", el.name()))
                }
                "form" if el.attr("action").is_some() => found.push(format!("{rel}: <form>")),
                // The theme's own scripts come from its assets.
                "script" if !el.attr("src").is_some_and(|s| s.contains("assets/")) => {
                    found.push(format!("{rel}: inline <script>"))
                }
                _ => {}
            }
            for (name, value) in el.attrs() {
                if name.starts_with("on") {
                    found.push(format!("{rel}: {name}= on <{}>", el.name()));
                }
                if value.trim().to_ascii_lowercase().starts_with("javascript:") {
                    found.push(format!("{rel}: {name}=\"{value}\""));
                }
            }
        }
    }
    found
}

fn hostile_project(sanitize: bool) -> TestProject {
    let project = TestProject::empty();
    project.write("ppdocs.toml", &format!("sanitize = {sanitize}\n"));
    project.write("content/index.md", "# Home\n");
    project.write("content/hostile.md", HOSTILE);
    project.write("content/media/a.png", "png");
    project.write("content/training/index.md", "# Training\n");
    project.write("content/training/hostile.md", MODULE);
    project
}

#[test]
fn sanitize_removes_active_content_from_pages_tasks_and_modules() {
    let project = hostile_project(true);
    project.build();
    let found = active_content(&project.root.join("site"));
    assert!(
        found.is_empty(),
        "active content survived:\n{}",
        found.join("\n")
    );

    let page = project.page("hostile/index.html");
    assert!(page.body_text().contains("Kept text"));
    assert_eq!(page.attr("div.note", "class"), ["note"]);
    // Raw HTML keeps its URLs as written; only the handler goes.
    assert_eq!(page.attr("img[alt=pic]", "src"), ["../media/a.png"]);
    // The task keeps its harmless markup and its row.
    assert_eq!(page.text("tr[data-task-id] b"), "tenant");
    assert_eq!(page.select("tr[data-task-id]").len(), 1);
    let module = project.page("training/hostile/index.html");
    assert!(module.body_text().contains("Module body."));
}

#[test]
fn without_sanitize_raw_html_is_kept_but_template_values_are_escaped() {
    let project = hostile_project(false);
    project.build();
    let found = active_content(&project.root.join("site"));
    // Raw HTML is the author's to write: it stays, which is why the option exists...
    for expected in [
        "hostile/index.html: inline <script>",
        "onclick= on <div>",
        "<iframe>",
    ] {
        assert!(
            found.iter().any(|f| f.contains(expected)),
            "{expected} not found in {found:#?}"
        );
    }
    // ...but a value that reaches a template as text never becomes markup.
    let module = project.read("site/training/hostile/index.html");
    assert!(!module.contains("<script>alert(\"title\")"), "{module}");
    assert!(module.contains("&lt;script&gt;"), "{module}");
}

#[test]
fn sanitize_keeps_everything_ppdocs_generates_in_the_example() {
    // Every element, id and class of the example site survives the policy: it removes
    // only what authors add, never what ppdocs writes.
    let shape = |sanitize: bool| {
        let project = TestProject::example();
        let config = project.read("ppdocs.toml");
        project.write("ppdocs.toml", &format!("{config}\nsanitize = {sanitize}\n"));
        project.build();
        let any = Selector::parse("body *").unwrap();
        snapshot_dir(&project.root.join("site"))
            .into_iter()
            .filter(|(rel, _)| rel.ends_with(".html"))
            .map(|(rel, bytes)| {
                let page = Html::parse_document(&String::from_utf8_lossy(&bytes));
                let elements: Vec<String> = page
                    .select(&any)
                    .map(|e| {
                        let el = e.value();
                        let mut attrs: Vec<String> = el
                            .attrs()
                            .filter(|(name, _)| !matches!(*name, "rel" | "style"))
                            .map(|(name, value)| format!("{name}={value}"))
                            .collect();
                        attrs.sort();
                        format!("<{} {}>", el.name(), attrs.join(" "))
                    })
                    .collect();
                (rel, elements)
            })
            .collect::<Vec<_>>()
    };
    let plain = shape(false);
    let clean = shape(true);
    assert_eq!(plain.len(), clean.len());
    for ((rel, a), (_, b)) in plain.iter().zip(&clean) {
        assert_eq!(a, b, "{rel} changed under sanitize = true");
    }
}

#[test]
fn sanitize_must_be_a_boolean() {
    let project = TestProject::empty();
    project.write("ppdocs.toml", "title = \"x\"\nsanitize = \"yes\"\n");
    project.write("content/index.md", "# Home\n");
    let stderr = project.build_fails();
    assert!(stderr.contains("ppdocs.toml:2:"), "{stderr}");
    assert!(stderr.contains("expected a boolean"), "{stderr}");
}

#[test]
fn only_html_ppdocs_generated_is_marked_safe_in_the_theme() {
    // Every other value is escaped by Tera. A new `| safe` must be HTML ppdocs made from
    // Markdown (and sanitized where the policy applies): add it here only if it is.
    // `appendices` is the appendix partials, rendered by ppdocs and spliced in whole.
    const GENERATED_HTML: &[&str] = &[
        "body",
        "task.html",
        "entry.task.html",
        "record.notes_html",
        "appendices",
    ];
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let mut unsafe_values = Vec::new();
    for (rel, bytes) in snapshot_dir(&templates) {
        let text = String::from_utf8(bytes).unwrap();
        for (at, _) in text.match_indices("safe") {
            let Some(open) = text[..at].rfind("{{") else {
                continue;
            };
            let expression = &text[open + 2..at];
            let Some((value, filters)) = expression.split_once('|') else {
                continue;
            };
            // Only where `safe` is a filter: `{{ value | safe }}`, `{{ value | upper | safe }}`.
            let filters = filters.trim();
            if !(filters.is_empty() || filters.ends_with('|')) {
                continue;
            }
            let value = value.trim();
            if !GENERATED_HTML.contains(&value) {
                unsafe_values.push(format!("{rel}: {value} | safe"));
            }
        }
    }
    assert!(unsafe_values.is_empty(), "{unsafe_values:#?}");
}

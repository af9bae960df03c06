//! Hosting: the default output works from any folder and from file://, `--target
//! github-pages` and `--target sharepoint` shape it for their hosts, and a link or anchor
//! that leads nowhere fails the build.

mod common;

use std::fs;
use std::path::Path;

use common::{TestProject, snapshot_dir, stderr, walk_site};
use scraper::{Html, Selector};

const BASE: &str = "https://contoso.github.io/security/";

fn build(project: &TestProject, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", "--as-of", TestProject::AS_OF];
    args.extend_from_slice(extra);
    let output = project.run(&args);
    assert!(
        output.status.success(),
        "build failed:\n{}",
        stderr(&output)
    );
    output
}

fn files_under(site: &Path) -> Vec<String> {
    snapshot_dir(site).into_iter().map(|(p, _)| p).collect()
}

/// No inline `<script>` and no `on*=` handler anywhere: SharePoint's Content Security Policy
/// blocks both.
fn assert_no_inline_script(site: &Path, page_extension: &str) {
    let any = Selector::parse("*").unwrap();
    for (path, bytes) in snapshot_dir(site) {
        if !path.ends_with(page_extension) {
            continue;
        }
        let html = Html::parse_document(&String::from_utf8_lossy(&bytes));
        for element in html.select(&any) {
            let value = element.value();
            if value.name() == "script" {
                assert!(value.attr("src").is_some(), "{path}: inline <script>");
            }
            for (name, _) in value.attrs() {
                assert!(
                    !name.starts_with("on"),
                    "{path}: `{name}` handler on <{}>",
                    value.name()
                );
            }
        }
    }
}

#[test]
fn default_output_links_name_files_and_reach_every_page() {
    let project = TestProject::example();
    build(&project, &[]);
    let site = project.root.join("site");
    let reached = walk_site(&site, "index.html", "html");
    for path in files_under(&site) {
        if path.ends_with(".html") && path != "404.html" {
            assert!(
                reached.contains(&path),
                "{path} cannot be reached from the dashboard"
            );
        }
    }
    // Every internal link names a file: no folder links, no root-relative links.
    let links = Selector::parse("a[href]").unwrap();
    for (path, bytes) in snapshot_dir(&site) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = Html::parse_document(&String::from_utf8_lossy(&bytes));
        for a in html.select(&links) {
            let href = a.value().attr("href").unwrap();
            if href.contains("://") || href.starts_with("mailto:") || href.starts_with('#') {
                continue;
            }
            let file = href.split(['#', '?']).next().unwrap();
            assert!(!href.starts_with('/'), "{path}: root-relative {href}");
            assert!(
                !file.ends_with('/') && !file.is_empty(),
                "{path}: folder link {href}"
            );
        }
    }
    assert_no_inline_script(&site, ".html");
    assert!(
        !site.join("sitemap.xml").exists(),
        "no sitemap without an absolute base URL"
    );
    assert!(!site.join(".nojekyll").exists());
}

#[test]
fn search_index_is_a_script_that_finds_tasks_records_and_modules() {
    let project = TestProject::example();
    build(&project, &[]);
    let script = project.read("site/assets/search-index.js");
    let json = script
        .strip_prefix("window.ppdocsSearchIndex = ")
        .and_then(|s| s.strip_suffix(";\n"))
        .expect("the index sets one global");
    let index: serde_json::Value = serde_json::from_str(json).unwrap();
    let entries = index["entries"].as_array().unwrap();
    let kinds = |kind: &str| entries.iter().filter(|e| e[0] == kind).count();
    assert_eq!(kinds("task"), 27);
    assert_eq!(kinds("section"), 6);
    assert!(kinds("record") >= 12, "{}", kinds("record"));
    assert_eq!(kinds("training"), 6);
    let sentinel: Vec<&serde_json::Value> = entries
        .iter()
        .filter(|e| e[0] == "task" && e[4].as_str().unwrap().contains("Sentinel"))
        .collect();
    assert!(!sentinel.is_empty(), "a task mentions Microsoft Sentinel");
    // Every URL in the index leads to a file of the site and an id on it.
    let site = project.root.join("site");
    for entry in entries {
        let url = entry[2].as_str().unwrap();
        let (file, fragment) = url.split_once('#').unwrap_or((url, ""));
        assert!(site.join(file).is_file(), "{url}");
        if !fragment.is_empty() {
            let page = project.page(file);
            assert_eq!(page.select(&format!("[id='{fragment}']")).len(), 1, "{url}");
        }
    }
    // The search box is on every page and points at the index and the results page.
    let page = project.page("security-checklist/threat-protection/index.html");
    assert_eq!(
        page.attr("form.search", "data-src"),
        ["../../assets/search-index.js"]
    );
    assert_eq!(
        page.attr("form.search", "action"),
        ["../../search/index.html"]
    );
    assert!(project.site_file("search/index.html").is_file());
}

/// The JSON a search script assigns (`window.ppdocsSearchIndex = JSON;\n`, or for a part of a
/// split index, `(…)["name"] = JSON;\n`).
fn script_json(script: &str) -> serde_json::Value {
    let json = script.strip_prefix("window.ppdocsSearchIndex = ");
    let json = json.or_else(|| script.split_once("] = ").map(|(_, json)| json));
    let json = json.expect("the script assigns a global");
    let json = json.strip_suffix(";\n").expect("the script ends with `;`");
    serde_json::from_str(json).unwrap()
}

/// The lowercased words of `text`, as the split index and `search.js` cut them.
fn words(text: &str) -> Vec<String> {
    let lowercase = text.to_lowercase();
    let words = lowercase.split(|c: char| !c.is_alphanumeric());
    words
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Builds the example with [`TestProject::split_search_index`] and `extra` arguments, and
/// returns its manifest and the folder that holds its parts, after checking that each part
/// sets the global under its own name. `home` is the dashboard's file name.
fn split_index(
    project: &TestProject,
    extra: &[&str],
    home: &str,
) -> (serde_json::Value, std::path::PathBuf) {
    project.split_search_index();
    build(project, extra);
    let page = project.page(home);
    let manifest_path = project
        .root
        .join("site")
        .join(&page.attr("form.search", "data-src")[0]);
    let manifest = script_json(&fs::read_to_string(manifest_path).unwrap());
    let dir = project
        .root
        .join("site")
        .join(manifest["split"]["dir"].as_str().unwrap());
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        let script = fs::read_to_string(&path).unwrap();
        let expected =
            format!("(window.ppdocsSearchParts = window.ppdocsSearchParts || {{}})[\"{name}\"] = ");
        assert!(script.starts_with(&expected), "{}", path.display());
    }
    (manifest, dir)
}

#[test]
fn a_large_search_index_is_split_into_chunks_and_term_shards() {
    let whole = TestProject::example();
    whole.add_many_tasks();
    build(&whole, &[]);
    let entries = script_json(&whole.read("site/assets/search-index.js"))["entries"].clone();
    let entries = entries.as_array().unwrap();

    let project = TestProject::example();
    let (manifest, dir) = split_index(&project, &[], "index.html");
    let split = &manifest["split"];
    assert_eq!(
        manifest["fields"],
        serde_json::json!(["kind", "title", "url", "context", "text"])
    );
    assert_eq!(split["entries"], entries.len());
    let chunk = split["chunk"].as_u64().unwrap() as usize;
    let part =
        |name: String| script_json(&fs::read_to_string(dir.join(format!("{name}.js"))).unwrap());

    // The chunks hold the same entries as the whole index, in order.
    let chunks = entries.len().div_ceil(chunk);
    let chunked: Vec<serde_json::Value> = (0..chunks)
        .flat_map(|n| part(format!("e{n}")).as_array().unwrap().clone())
        .collect();
    assert_eq!(&chunked, entries);

    // Each shard holds the words from its first up to the next shard's first, in JavaScript's
    // order; together they list every word of every entry once, under the entry (as a title
    // word if it is one), each list as differences from the number before, except the words
    // in more than a quarter of the entries, written as `0`.
    let firsts: Vec<&str> = split["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(firsts.len() > 2, "{firsts:?}");
    let utf16 = |word: &str| word.encode_utf16().collect::<Vec<u16>>();
    let mut postings = std::collections::BTreeMap::new();
    let mut common = std::collections::BTreeSet::new();
    for (n, first) in firsts.iter().enumerate() {
        let shard = part(format!("t{n}"));
        for (word, lists) in shard.as_object().unwrap() {
            assert!(utf16(word) >= utf16(first), "{word} in shard {n}");
            if let Some(next) = firsts.get(n + 1) {
                assert!(utf16(word) < utf16(next), "{word} in shard {n}");
            }
            if lists == 0 {
                common.insert(word.clone());
                continue;
            }
            for (list, in_title) in lists.as_array().unwrap().iter().zip([true, false]) {
                let mut entry = 0;
                for gap in list.as_array().unwrap() {
                    entry += gap.as_u64().unwrap();
                    assert!(postings.insert((word.clone(), entry), in_title).is_none());
                }
            }
        }
    }
    let mut expected = std::collections::BTreeMap::new();
    for (n, entry) in entries.iter().enumerate() {
        let text = |field: usize| entry[field].as_str().unwrap();
        for word in words(text(3)).into_iter().chain(words(text(4))) {
            expected.insert((word, n as u64), false);
        }
        for word in words(text(1)) {
            expected.insert((word, n as u64), true);
        }
    }
    let mut counts = std::collections::BTreeMap::new();
    for (word, _) in expected.keys() {
        *counts.entry(word.clone()).or_insert(0) += 1;
    }
    let quarter = entries.len() / 4;
    let expected_common: std::collections::BTreeSet<String> = counts
        .into_iter()
        .filter(|(_, count)| *count > quarter.max(chunk))
        .map(|(word, _)| word)
        .collect();
    // "review" starts every task of the added article.
    assert!(expected_common.contains("review"), "{expected_common:?}");
    assert_eq!(common, expected_common);
    expected.retain(|(word, _), _| !common.contains(word));
    assert_eq!(postings, expected);
    // Nothing else is in the parts' folder.
    let files = fs::read_dir(&dir).unwrap().count();
    assert_eq!(files, chunks + firsts.len());
}

#[test]
fn a_split_search_index_works_on_github_pages_and_sharepoint() {
    // `assets/search-index.<10 hex digits>.js`.
    let hashed = |src: &str| {
        let hash = src
            .strip_prefix("assets/search-index.")
            .and_then(|s| s.strip_suffix(".js"));
        hash.is_some_and(|h| h.len() == 10 && h.bytes().all(|b| b.is_ascii_hexdigit()))
    };
    for target in ["github-pages", "sharepoint"] {
        let project = TestProject::example();
        let home = if target == "sharepoint" {
            "index.aspx"
        } else {
            "index.html"
        };
        let (manifest, dir) = split_index(&project, &["--target", target], home);
        let src = project.page(home).attr("form.search", "data-src")[0].clone();
        match target {
            "github-pages" => assert!(hashed(&src), "{target}: {src}"),
            _ => assert_eq!(src, "assets/search-index.js", "{target}"),
        }
        let split = &manifest["split"];
        let chunks = split["entries"]
            .as_u64()
            .unwrap()
            .div_ceil(split["chunk"].as_u64().unwrap());
        let shards = split["shards"].as_array().unwrap().len() as u64;
        for name in (0..chunks)
            .map(|n| format!("e{n}"))
            .chain((0..shards).map(|n| format!("t{n}")))
        {
            assert!(dir.join(format!("{name}.js")).is_file(), "{target}: {name}");
        }
        // The entries' URLs carry the host's page names.
        let first = script_json(&fs::read_to_string(dir.join("e0.js")).unwrap());
        let url = first[0][2].as_str().unwrap();
        let file = url.split_once('#').map_or(url, |(file, _)| file);
        assert!(
            project.root.join("site").join(file).is_file(),
            "{target}: {url}"
        );
    }
}

#[test]
fn base_url_adds_a_sitemap_of_every_page() {
    let project = TestProject::example();
    build(&project, &["--base-url", BASE]);
    let sitemap = project.read("site/sitemap.xml");
    let locs: Vec<&str> = sitemap
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<url><loc>"))
        .filter_map(|l| l.strip_suffix("</loc></url>"))
        .collect();
    assert!(locs.contains(&"https://contoso.github.io/security/index.html"));
    assert!(locs.contains(
        &"https://contoso.github.io/security/security-checklist/threat-protection/index.html"
    ));
    assert!(!locs.iter().any(|l| l.ends_with("404.html")));
    for loc in &locs {
        let file = loc.strip_prefix(BASE).unwrap();
        assert!(project.site_file(file).is_file(), "{loc}");
    }
}

#[test]
fn github_pages_gets_nojekyll_hashed_assets_and_an_absolute_404() {
    let project = TestProject::example();
    build(&project, &["--target", "github-pages", "--base-url", BASE]);
    let site = project.root.join("site");
    assert!(site.join(".nojekyll").is_file());
    let assets: Vec<String> = files_under(&site.join("assets"));
    assert!(!assets.contains(&"style.css".to_string()), "{assets:?}");
    let hashed = assets
        .iter()
        .find(|a| a.starts_with("style.") && a.ends_with(".css"))
        .expect("a hashed stylesheet");
    let hash = hashed.trim_start_matches("style.").trim_end_matches(".css");
    assert!(
        hash.len() == 10 && hash.chars().all(|c| c.is_ascii_hexdigit()),
        "{hashed}"
    );
    walk_site(&site, "index.html", "html");

    // GitHub serves 404.html at the missing URL itself: its links must carry the base path.
    let page = project.page("404.html");
    let mut urls = page.attr("[href]", "href");
    urls.extend(page.attr("[src]", "src"));
    urls.extend(page.attr("[data-src]", "data-src"));
    for url in urls {
        if url.starts_with('#') || url.starts_with("mailto:") {
            continue;
        }
        let file = url
            .strip_prefix(BASE)
            .unwrap_or_else(|| panic!("404.html links to {url} without the base URL"));
        let file = file.split('#').next().unwrap();
        assert!(site.join(file).is_file(), "{url}");
    }
}

#[test]
fn github_pages_without_a_base_url_warns_about_the_404_page() {
    let project = TestProject::example();
    let output = build(&project, &["--target", "github-pages"]);
    let err = stderr(&output);
    assert!(err.contains("warning") && err.contains("404.html"), "{err}");
    assert!(err.contains("--base-url"), "{err}");
}

/// The example, plus an evidence attachment whose name SharePoint refuses and a page with
/// `<%` in raw HTML.
fn sharepoint_project() -> TestProject {
    let project = TestProject::example();
    project.write(
        "content/evidence/threat-protection/Q3 #2 (50%).txt",
        "export of 2026-09-30\n",
    );
    project.write(
        "content/evidence/threat-protection/tp-01-extra.md",
        "---\ntitle: Extra export\ntask: TP-01\nstatus: done\nowner: SecOps\ncollected: 2026-10-01\nattachments: [\"Q3 #2 (50%).txt\"]\n---\nSee the export.\n",
    );
    project.write(
        "content/reference/asp.md",
        "# Server tags\n\nClassic ASP wrote <span class=\"asp\"><% Response.Write(1) %></span> inline.\n",
    );
    project
}

#[test]
fn sharepoint_gets_aspx_pages_safe_names_and_an_upload_script() {
    let project = sharepoint_project();
    build(&project, &["--target", "sharepoint"]);
    let site = project.root.join("site");
    let files = files_under(&site);
    assert!(!files.iter().any(|f| f.ends_with(".html")), "{files:?}");
    assert!(files.contains(&"index.aspx".to_string()));
    assert!(files.contains(&"security-checklist/threat-protection/index.aspx".to_string()));
    for file in &files {
        let name = file.rsplit('/').next().unwrap();
        assert!(
            !name.contains(['#', '%', '"', '*', ':', '<', '>', '?', '\\', '|']),
            "{file}"
        );
    }
    let attachment = files
        .iter()
        .find(|f| f.contains("Q3 -2 (50-)"))
        .unwrap_or_else(|| panic!("renamed attachment in {files:?}"));
    assert_eq!(
        fs::read_to_string(site.join(attachment)).unwrap(),
        "export of 2026-09-30\n"
    );

    let reached = walk_site(&site, "index.aspx", "aspx");
    assert!(
        reached.contains(attachment),
        "the renamed attachment is linked"
    );
    assert_no_inline_script(&site, ".aspx");
    for (path, bytes) in snapshot_dir(&site) {
        if path.ends_with(".aspx") || path.ends_with(".js") || path.ends_with(".json") {
            assert!(!bytes.windows(2).any(|w| w == b"<%"), "{path} contains <%");
        }
    }
    let page = project.page("reference/asp/index.aspx");
    assert!(page.text("span.asp").contains("<% Response.Write(1) %>"));

    let records: serde_json::Value =
        serde_json::from_str(&project.read("site/records.json")).unwrap();
    let url = records["tasks"][0]["url"].as_str().unwrap();
    assert!(url.contains(".aspx#task-"), "{url}");
    let script = project.read("site/upload-to-sharepoint.ps1");
    assert!(script.contains("Copy-PnPFolder -LocalPath"), "{script}");
    assert!(script.contains("DenyAddAndCustomizePages"), "{script}");
}

#[test]
fn sharepoint_page_extension_is_configurable() {
    let project = TestProject::example();
    project.write(
        "ppdocs.toml",
        "title = \"Security\"\ntarget = \"sharepoint\"\n[sharepoint]\npage_extension = \".ASPX\"\n",
    );
    build(&project, &[]);
    assert!(project.site_file("index.aspx").is_file());
    walk_site(&project.root.join("site"), "index.aspx", "aspx");
}

#[test]
fn sharepoint_paths_over_400_characters_fail_the_build() {
    let project = TestProject::example();
    let site_path = format!("sites/security/Shared Documents/{}/", "deep".repeat(90));
    project.write(
        "ppdocs.toml",
        &format!("target = \"sharepoint\"\n[sharepoint]\nsite_path = \"{site_path}\"\n"),
    );
    let err = project.build_fails();
    assert!(err.contains("path-too-long"), "{err}");
    assert!(err.contains("SharePoint allows 400"), "{err}");
    assert!(err.contains("security-checklist/"), "{err}");
    assert!(!project.root.join("site").exists(), "nothing written");
}

#[test]
fn a_broken_link_in_raw_html_fails_the_build_with_file_and_line() {
    let project = TestProject::example();
    project.write(
        "content/reference/links.md",
        "# Links\n\nFirst paragraph.\n\n<p>See <a href=\"../nowhere/index.html\">this</a>.</p>\n",
    );
    let err = project.build_fails();
    assert!(err.contains("link-broken"), "{err}");
    assert!(err.contains("../nowhere/index.html"), "{err}");
    assert!(err.contains("content/reference/links.md:5:"), "{err}");
}

#[test]
fn a_broken_anchor_and_a_folder_link_fail_the_build() {
    let project = TestProject::example();
    project.write(
        "content/reference/links.md",
        "# Links\n\n<a href=\"../../security-checklist/index.html#no-such-heading\">a</a>\n\n<a href=\"../../security-checklist/\">b</a>\n",
    );
    let err = project.build_fails();
    assert!(err.contains("anchor-broken"), "{err}");
    assert!(err.contains("#no-such-heading"), "{err}");
    assert!(err.contains("points at a folder"), "{err}");
    assert!(err.contains("content/reference/links.md:3:10"), "{err}");
    assert!(err.contains("content/reference/links.md:5:10"), "{err}");
}

#[test]
fn a_broken_link_in_a_theme_template_names_the_page() {
    let project = TestProject::example();
    project.write("ppdocs.toml", "theme = \"custom\"\n");
    project.write(
        "themes/custom/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Lost</h1><a href=\"{{ root }}missing.html\">x</a>{% endblock content %}",
    );
    let err = project.build_fails();
    assert!(err.contains("missing.html"), "{err}");
    assert!(err.contains("on 404.html"), "{err}");
}

#[test]
fn report_is_one_self_contained_file_with_every_appendix() {
    let project = sharepoint_project();
    let output = project.run(&["report", "--as-of", TestProject::AS_OF]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = project.read("compliance-report.html");
    let html = Html::parse_document(&text);
    let select = |css: &str| html.select(&Selector::parse(css).unwrap()).count();
    assert_eq!(select("script"), 0, "no JavaScript");
    assert!(select("style") >= 1, "the stylesheet is inlined");
    assert_eq!(select("link[rel=stylesheet]"), 0);
    // Every task of the example is in the section appendices, once.
    assert_eq!(select(".appendix-task[data-task-id]"), 27);
    assert!(
        text.contains("GDPR") && text.contains("HIPAA"),
        "framework appendices"
    );
    // Nothing refers to another file: links are #fragments on this page, or external.
    let ids: std::collections::HashSet<&str> = html
        .select(&Selector::parse("[id]").unwrap())
        .filter_map(|e| e.value().attr("id"))
        .collect();
    for element in html.select(&Selector::parse("[href], [src]").unwrap()) {
        let value = element.value();
        let url = value.attr("href").or(value.attr("src")).unwrap();
        if let Some(fragment) = url.strip_prefix('#') {
            assert!(ids.contains(fragment), "#{fragment} has no target");
        } else {
            assert!(
                url.starts_with("https://")
                    || url.starts_with("http://")
                    || url.starts_with("mailto:")
                    || url.starts_with("data:"),
                "reference to another file: {url}"
            );
        }
    }
    // An attachment stays visible with its digest, without a link.
    assert!(text.contains("Q3 #2 (50%).txt"));
}

#[test]
fn report_never_replaces_a_file_ppdocs_did_not_write() {
    let project = TestProject::example();
    project.write("notes.html", "<p>mine</p>");
    let output = project.run(&[
        "report",
        "--output",
        &project.root.join("notes.html").to_string_lossy(),
    ]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("was not written by ppdocs"),
        "{}",
        stderr(&output)
    );
    assert_eq!(project.read("notes.html"), "<p>mine</p>");
    let output = project.run(&[
        "report",
        "--output",
        &project.root.join("content/r.html").to_string_lossy(),
    ]);
    assert!(
        stderr(&output).contains("inside content/"),
        "{}",
        stderr(&output)
    );
    // Its own earlier report it replaces.
    assert!(project.run(&["report"]).status.success());
    assert!(project.run(&["report"]).status.success());
}

#[test]
fn init_ci_github_writes_a_pages_workflow_that_builds_with_ppdocs() {
    let project = TestProject::empty();
    let output = assert_cmd::Command::cargo_bin("ppdocs")
        .unwrap()
        .args(["init", "--ci", "github"])
        .arg(&project.root)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(project.root.join("content/security-checklist.md").is_file());
    let text = project.read(".github/workflows/ppdocs.yml");
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let steps = |job: &str| -> Vec<String> {
        workflow["jobs"][job]["steps"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|s| serde_yaml::to_string(s).unwrap())
            .collect()
    };
    let build = steps("build");
    assert!(build.iter().any(|s| s.contains("ppdocs check")));
    assert!(
        build
            .iter()
            .any(|s| s.contains("ppdocs build --target github-pages --base-url"))
    );
    assert!(
        build
            .iter()
            .any(|s| s.contains("actions/upload-pages-artifact"))
    );
    assert!(
        steps("deploy")
            .iter()
            .any(|s| s.contains("actions/deploy-pages"))
    );
    assert_eq!(workflow["permissions"]["pages"], "write");
    assert!(text.contains("public even when the repository is private"));

    // In an existing project it adds only the workflow, and never overwrites it.
    fs::remove_file(project.root.join(".github/workflows/ppdocs.yml")).unwrap();
    assert!(project.run(&["init", "--ci", "github"]).status.success());
    assert!(project.root.join(".github/workflows/ppdocs.yml").is_file());
    let again = project.run(&["init", "--ci", "github"]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("refusing to overwrite"),
        "{}",
        stderr(&again)
    );
}

//! The hostile and broken inputs corpus: each folder of `tests/bad_inputs/` is a project and
//! its `expected.toml` says what a build gives: a site (with pages to check) or an error
//! (with the text stderr must contain, naming the file). Inputs too big or too odd to commit
//! (50 MiB files, invalid UTF-8, symlink loops) are made at test time by the generator the
//! case names. Every build runs under a time limit, so a hang fails the test.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use common::{TestProject, assert_links_resolve, copy_recursively, stderr};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    /// Makes the inputs that are not committed; see [`generate`].
    generate: Option<String>,
    outcome: Outcome,
    /// For errors: text stderr must contain.
    #[serde(default)]
    stderr: Vec<String>,
    /// For sites: pages to check.
    #[serde(default)]
    page: Vec<PageCheck>,
    #[serde(default)]
    links_resolve: bool,
}

#[derive(Deserialize, PartialEq, Debug)]
#[serde(rename_all = "lowercase")]
enum Outcome {
    Site,
    Error,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageCheck {
    path: String,
    /// Text the page must show.
    #[serde(default)]
    text: Vec<String>,
    /// CSS selector → how many elements it must match.
    #[serde(default)]
    count: std::collections::BTreeMap<String, usize>,
}

/// Long enough for the largest accepted input in a debug build on a busy machine, short
/// enough that a hang fails.
const TIME_LIMIT: Duration = Duration::from_secs(120);

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_inputs")
}

fn run_case(name: &str) {
    let case = corpus().join(name);
    let expected: Expected =
        toml::from_str(&fs::read_to_string(case.join("expected.toml")).unwrap())
            .unwrap_or_else(|e| panic!("{name}/expected.toml: {e}"));
    let project = TestProject::empty();
    // Cases whose every input is generated have no committed `content/`.
    if case.join("content").exists() {
        copy_recursively(&case.join("content"), &project.root.join("content"));
    }
    if case.join("ppdocs.toml").exists() {
        fs::copy(case.join("ppdocs.toml"), project.root.join("ppdocs.toml")).unwrap();
    }
    if let Some(generator) = &expected.generate
        && !generate(generator, &project.root.join("content"))
    {
        return;
    }
    let output = Command::cargo_bin("ppdocs")
        .unwrap()
        .args(["build", "--as-of", TestProject::AS_OF, "--root"])
        .arg(&project.root)
        .env("NO_COLOR", "1")
        .timeout(TIME_LIMIT)
        .output()
        .unwrap();
    let stderr = stderr(&output);
    assert!(
        !stderr.contains("panicked"),
        "{name}: ppdocs panicked:\n{stderr}"
    );
    match expected.outcome {
        Outcome::Error => {
            assert_eq!(
                output.status.code(),
                Some(1),
                "{name}: expected a failed build:\n{stderr}"
            );
            for text in &expected.stderr {
                assert!(
                    stderr.contains(text.as_str()),
                    "{name}: stderr lacks {text:?}:\n{stderr}"
                );
            }
            assert!(
                !project.root.join("site").exists(),
                "{name}: a failed build wrote a site"
            );
        }
        Outcome::Site => {
            assert!(output.status.success(), "{name}: build failed:\n{stderr}");
            for check in &expected.page {
                let page = project.page(&check.path);
                let text = page.body_text();
                for wanted in &check.text {
                    assert!(
                        text.contains(wanted.as_str()),
                        "{name}: {} lacks {wanted:?}",
                        check.path
                    );
                }
                for (selector, count) in &check.count {
                    assert_eq!(
                        page.select(selector).len(),
                        *count,
                        "{name}: {} matches of {selector} in {}",
                        page.select(selector).len(),
                        check.path
                    );
                }
            }
            if expected.links_resolve {
                assert_links_resolve(&project.root.join("site"));
            }
        }
    }
}

/// Makes a case's uncommitted inputs in its `content/`. `false` when the case cannot run
/// here (it says why).
fn generate(generator: &str, content: &Path) -> bool {
    fs::create_dir_all(content).unwrap();
    let rewrite = |name: &str, change: &dyn Fn(Vec<u8>) -> Vec<u8>| {
        let path = content.join(name);
        fs::write(&path, change(fs::read(&path).unwrap())).unwrap();
    };
    match generator {
        "latin1" => rewrite("page.md", &|bytes| {
            String::from_utf8(bytes)
                .unwrap()
                .replace("BADBYTE", "caf\u{1}")
                .into_bytes()
                .into_iter()
                .map(|b| if b == 1 { 0xE9 } else { b })
                .collect()
        }),
        "bom" => rewrite("page.md", &|bytes| {
            [&[0xEF, 0xBB, 0xBF][..], &bytes].concat()
        }),
        "crlf" => rewrite("page.md", &|bytes| {
            String::from_utf8(bytes)
                .unwrap()
                .replace('\n', "\r\n")
                .into_bytes()
        }),
        "50-mib-page" => {
            // Sparse: the size is what matters, and it is refused before being read.
            let file = fs::File::create(content.join("huge.md")).unwrap();
            file.set_len(50 * 1024 * 1024).unwrap();
        }
        "50-mib-lock" => {
            let file = fs::File::create(content.parent().unwrap().join("ppdocs.lock")).unwrap();
            file.set_len(50 * 1024 * 1024).unwrap();
        }
        "7-mib-page" => {
            let paragraph = "Lorem ipsum **dolor** sit amet, [consectetur](https://example.com) `adipiscing` elit. ".repeat(6);
            let mut text = String::from("# Large\n\n");
            for section in 0..1400 {
                text.push_str(&format!("## Heading {section}\n\n"));
                while text.len() < (section + 1) * 5 * 1024 {
                    text.push_str(&paragraph);
                    text.push_str("\n\n");
                }
            }
            assert!(text.len() > 6 * 1024 * 1024 && text.len() < 8 * 1024 * 1024);
            fs::write(content.join("large.md"), text).unwrap();
        }
        "checklist-100k-rows" => {
            let mut text = String::from("# Rows\n\n## Controls\n\n| Done | Task |\n|---|---|\n");
            for row in 0..100_000 {
                text.push_str(&format!("| ☐ | Review control {row} |\n"));
            }
            fs::write(content.join("rows.md"), text).unwrap();
        }
        "table-100k-rows" => {
            let mut text = String::from("# Rows\n\n| Setting | Value |\n|---|---|\n");
            for row in 0..100_000 {
                text.push_str(&format!("| cell {row} | value {row} |\n"));
            }
            fs::write(content.join("rows.md"), text).unwrap();
        }
        "nested-lists" => {
            fs::write(
                content.join("deep.md"),
                format!("# Deep\n\n{}item\n", "- ".repeat(10_000)),
            )
            .unwrap();
        }
        "nested-quotes" => {
            fs::write(
                content.join("deep.md"),
                format!("# Deep\n\n{}quote\n", "> ".repeat(10_000)),
            )
            .unwrap();
        }
        "nested-divs" => {
            let divs = format!(
                "{}deep{}",
                "<div>".repeat(100_000),
                "</div>".repeat(100_000)
            );
            fs::write(content.join("deep.md"), format!("# Deep\n\n{divs}\n")).unwrap();
        }
        "nested-divs-in-notes" => {
            let divs = format!(
                "{}deep{}",
                "<div>".repeat(100_000),
                "</div>".repeat(100_000)
            );
            fs::create_dir_all(content.join("evidence")).unwrap();
            let record =
                "---\ntask: CO-01\nstatus: done\nowner: SecOps\ncollected: 2026-10-01\n---\n";
            fs::write(
                content.join("evidence/deep.md"),
                format!("{record}{divs}\n"),
            )
            .unwrap();
        }
        "symlink-loop" => symlink("..", &content.join("guides/up")),
        "broken-symlink" => symlink("nowhere.md", &content.join("gone.md")),
        "unreadable" => {
            use std::os::unix::fs::PermissionsExt;
            let path = content.join("secret.md");
            fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
            if fs::read(&path).is_ok() {
                eprintln!("skipped: this user may read a file without read permission (root)");
                return false;
            }
        }
        other => panic!("unknown generator {other}"),
    }
    true
}

fn symlink(target: &str, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

macro_rules! cases {
    ($($test:ident => $folder:literal,)*) => {
        $(
            #[test]
            fn $test() {
                run_case($folder);
            }
        )*

        #[test]
        fn every_folder_of_the_corpus_is_a_case() {
            let mut folders: Vec<String> = fs::read_dir(corpus())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            folders.sort();
            let mut cases = vec![$($folder),*];
            cases.sort();
            assert_eq!(folders, cases);
        }
    };
}

cases! {
    invalid_utf8 => "invalid-utf8",
    bom => "bom",
    crlf => "crlf",
    crlf_error_positions => "crlf-error",
    tabs_in_yaml => "yaml-tabs",
    billion_laughs_in_front_matter => "yaml-billion-laughs",
    billion_laughs_in_evidence => "yaml-billion-laughs-evidence",
    deeply_nested_yaml => "yaml-deep-nesting",
    duplicate_keys => "yaml-duplicate-keys",
    fifty_mib_file => "huge-file",
    fifty_mib_lock_file => "huge-lock",
    seven_mib_page_builds => "large-page",
    checklist_of_100k_rows => "checklist-100k-rows",
    plain_table_of_100k_rows => "table-100k-rows",
    ten_thousand_nested_lists => "nested-lists-10000",
    ten_thousand_nested_quotes => "nested-quotes-10000",
    deeply_nested_html_when_sanitizing => "nested-html-sanitized",
    deeply_nested_html_in_evidence_notes => "nested-html-evidence",
    nesting_at_the_bound => "nested-within-bound",
    symlink_loop => "symlink-loop",
    broken_symlink => "broken-symlink",
    unreadable_file => "unreadable-file",
    file_names => "file-names",
}

//! Runs the browser specs (`tests/browser/specs/*.test.mjs`: axe-core, phone layout, theme
//! toggle, keyboard, print to PDF, search) in headless Chromium against the example site,
//! built here into a temporary folder (and, for search, a copy whose index is split). Without Chromium, Node or the harness's `node_modules`
//! (`npm ci` in `tests/browser`), the test says that it SKIPPED them, and passes, unless
//! `PPDOCS_REQUIRE_BROWSER` is set (as `.ci/run` does), when it fails.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::TestProject;

/// Writes past libtest's output capture, so a skip is seen even when the test passes.
fn announce(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}

fn harness() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

fn chromium() -> PathBuf {
    std::env::var_os("PPDOCS_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Why the specs cannot run here, if they cannot.
fn missing_prerequisite(harness: &Path, chromium: &Path) -> Option<String> {
    if !chromium.is_file() {
        return Some(format!(
            "no Chromium at {} (apt-get install chromium, or set PPDOCS_CHROMIUM)",
            chromium.display()
        ));
    }
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Some("no `node` on PATH (Node 20 or newer)".to_string());
    }
    for package in ["playwright-core", "axe-core", "pdfjs-dist"] {
        if !harness.join("node_modules").join(package).is_dir() {
            return Some(format!(
                "{package} is not installed (run `npm ci` in {})",
                harness.display()
            ));
        }
    }
    None
}

fn specs(harness: &Path) -> Vec<String> {
    let mut specs: Vec<String> = std::fs::read_dir(harness.join("specs"))
        .expect("reading tests/browser/specs")
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".test.mjs"))
        .map(|name| format!("specs/{name}"))
        .collect();
    specs.sort();
    specs
}

#[test]
fn browser_specs_pass_in_headless_chromium() {
    let (harness, chromium) = (harness(), chromium());
    if let Some(reason) = missing_prerequisite(&harness, &chromium) {
        assert!(
            std::env::var_os("PPDOCS_REQUIRE_BROWSER").is_none(),
            "PPDOCS_REQUIRE_BROWSER is set but {reason}"
        );
        announce(&format!("browser tests SKIPPED: {reason}"));
        return;
    }
    let project = TestProject::example();
    project.build();
    // The same site with its search index split into parts, for the search specs.
    let split = TestProject::example();
    split.split_search_index();
    split.build();
    let specs = specs(&harness);
    assert!(specs.len() >= 5, "specs found: {specs:?}");
    let output = Command::new("node")
        .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
        .args(&specs)
        .current_dir(&harness)
        .env("PPDOCS_SITE", project.root.join("site"))
        .env("PPDOCS_SPLIT_INDEX_SITE", split.root.join("site"))
        .env("PPDOCS_CHROMIUM", &chromium)
        .env("NO_COLOR", "1")
        .output()
        .expect("running node --test");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "browser specs failed:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: Vec<&str> = report
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("ℹ "))
        .collect();
    announce(&format!("browser tests ran: {}", summary.join("; ")));
}

//! Reproducible output: the same input gives byte-identical sites whatever the thread count
//! or the order the file system lists files in, and `SOURCE_DATE_EPOCH` sets every date the
//! output shows when `--as-of` is not given.

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use common::{TestProject, snapshot_dir, stderr};

/// 2025-11-28 00:00:00 UTC.
const EPOCH: &str = "1764288000";

/// Copies `from` into `to` creating entries in reverse name order, so a walk that trusted
/// the file system's order would see them differently than in the original copy.
fn copy_reversed(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    let mut entries: Vec<_> = fs::read_dir(from)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    entries.reverse();
    for path in entries {
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_reversed(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

fn build(project: &TestProject, threads: &str) -> Vec<(String, Vec<u8>)> {
    let output = Command::cargo_bin("ppdocs")
        .unwrap()
        .args(["build", "--quiet", "--root"])
        .arg(&project.root)
        .env("RAYON_NUM_THREADS", threads)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    snapshot_dir(&project.root.join("site"))
}

#[test]
fn builds_are_byte_identical_across_thread_counts_and_file_order() {
    let first = TestProject::example();
    let second = TestProject::empty();
    for entry in ["content", "ppdocs.toml", "ppdocs.lock"] {
        let from = first.root.join(entry);
        if from.is_dir() {
            copy_reversed(&from, &second.root.join(entry));
        } else if from.exists() {
            fs::copy(&from, second.root.join(entry)).unwrap();
        }
    }
    let one_thread = build(&first, "1");
    let eight_threads = build(&second, "8");
    assert!(
        one_thread.len() > 20,
        "the example builds {} files",
        one_thread.len()
    );
    let names = |files: &[(String, Vec<u8>)]| files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&one_thread), names(&eight_threads));
    for ((name, a), (_, b)) in one_thread.iter().zip(&eight_threads) {
        assert!(a == b, "{name} differs between the two builds");
    }
    // Again in the same folder: nothing depends on the previous output either.
    assert!(build(&second, "8") == eight_threads);
}

#[test]
fn source_date_epoch_sets_every_date_shown() {
    let project = TestProject::example();
    let files = build(&project, "2");
    let index = String::from_utf8(
        files
            .iter()
            .find(|f| f.0 == "index.html")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    assert!(index.contains("Statuses as of 28 November 2025"), "{index}");
    let records: serde_json::Value =
        serde_json::from_slice(&files.iter().find(|f| f.0 == "records.json").unwrap().1).unwrap();
    assert_eq!(records["as_of"], "2025-11-28");
    // Every page says the same day; today's date never leaks in.
    for (name, bytes) in files.iter().filter(|f| f.0.ends_with(".html")) {
        let text = String::from_utf8_lossy(bytes);
        let days: Vec<String> = text
            .match_indices("as of ")
            .map(|(at, _)| {
                let rest = &text[at + 6..];
                let day: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == ' ')
                    .collect();
                day.trim().to_string()
            })
            .filter(|day| day.starts_with(|c: char| c.is_ascii_digit()))
            .collect();
        assert!(
            days.iter().all(|d| *d == "28 November 2025"),
            "{name}: {days:?}"
        );
    }
}

#[test]
fn sanitized_builds_are_byte_identical() {
    // Regression: the sanitizer added attributes in hash-map order, different in every run.
    let project = TestProject::example();
    let config = project.read("ppdocs.toml");
    project.write("ppdocs.toml", &format!("{config}\nsanitize = true\n"));
    project.write(
        "content/steps.md",
        "# Steps\n\n- [x] Export the policies <b title=\"t\" class=\"c\">now</b>\n- [ ] File them\n\n| A | B |\n|:-:|--:|\n| 1 | 2 |\n",
    );
    let first = build(&project, "1");
    for threads in ["8", "2"] {
        assert!(
            build(&project, threads) == first,
            "a sanitized build differs"
        );
    }
}

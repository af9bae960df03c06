//! Interrupted builds: SIGKILL a build at many moments and check that the output directory
//! always holds one complete site (byte for byte the previous or the new one, never a mix
//! and never missing), and that the next build removes what a killed one left behind.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use common::{TestProject, snapshot_dir};

/// Enough pages that a build takes a good fraction of a second, most of it writing.
const PAGES: usize = 300;
const KILLS: usize = 20;

fn project(version: &str) -> TestProject {
    let project = TestProject::empty();
    let filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(30);
    for page in 0..PAGES {
        project.write(
            &format!("content/page-{page:04}.md"),
            &format!(
                "# Page {page}\n\nVersion {version} of page {page}. {filler}\n\n## Part\n\nMore.\n"
            ),
        );
    }
    project
}

fn build(project: &TestProject, output: &Path) -> Command {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("ppdocs"));
    command
        .args(["build", "--quiet", "--as-of", TestProject::AS_OF, "--root"])
        .arg(&project.root)
        .arg("--output")
        .arg(output)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

fn leftovers(parent: &Path) -> Vec<String> {
    fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".site.ppdocs-"))
        .collect()
}

#[test]
fn a_killed_build_leaves_a_complete_site_and_the_next_build_cleans_up() {
    let versions = [project("one"), project("two")];
    let work = tempfile::tempdir().unwrap();
    let references: Vec<_> = versions
        .iter()
        .enumerate()
        .map(|(i, project)| {
            let output = work.path().join(format!("reference-{i}"));
            assert!(build(project, &output).status().unwrap().success());
            snapshot_dir(&output)
        })
        .collect();
    assert_ne!(references[0], references[1]);

    let parent = work.path().join("out");
    let output = parent.join("site");
    assert!(build(&versions[0], &output).status().unwrap().success());
    // How long a build that replaces a site takes, here and now.
    let started = Instant::now();
    assert!(build(&versions[1], &output).status().unwrap().success());
    let full_build = started.elapsed();

    let mut shown = 1;
    let (mut kept_old, mut got_new, mut with_leftovers) = (0, 0, 0);
    for kill in 0..KILLS {
        let next = 1 - shown;
        // From at once to twice a full build, so kills land in every stage and some
        // builds finish.
        let delay = full_build.mul_f64(2.0 * kill as f64 / (KILLS - 1) as f64);
        let mut child = build(&versions[next], &output).spawn().unwrap();
        std::thread::sleep(delay);
        child.kill().unwrap();
        child.wait().unwrap();

        let site = snapshot_dir(&output);
        if site == references[shown] {
            kept_old += 1;
        } else if site == references[next] {
            got_new += 1;
            shown = next;
        } else {
            panic!(
                "after a kill at {delay:?} the output is neither complete site ({} files)",
                site.len()
            );
        }
        if !leftovers(&parent).is_empty() {
            with_leftovers += 1;
        }
    }
    eprintln!(
        "{KILLS} kills (full build {full_build:?}): {kept_old} kept the previous site, {got_new} showed the new one, {with_leftovers} left temporary folders"
    );
    assert!(
        kept_old > 0 && got_new > 0,
        "the kills did not span a build"
    );

    // A build that runs to the end removes every leftover.
    let next = 1 - shown;
    assert!(build(&versions[next], &output).status().unwrap().success());
    assert_eq!(snapshot_dir(&output), references[next]);
    assert_eq!(leftovers(&parent), Vec::<String>::new());
}

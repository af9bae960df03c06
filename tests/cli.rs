//! The command line contract: `init`, `check`, `--root`, `--output`, exit codes, help.

mod common;

use common::{TestProject, stderr, stdout};

#[test]
fn init_scaffolds_a_project_that_builds_and_never_overwrites() {
    let project = TestProject::empty();
    let output = assert_cmd::Command::cargo_bin("ppdocs")
        .unwrap()
        .arg("init")
        .arg(&project.root)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    for file in [
        "ppdocs.toml",
        "content/index.md",
        "content/security-checklist.md",
        ".gitignore",
        "ppdocs.lock",
        "content/training/index.md",
        "content/training/dlp-and-blocked-connectors.md",
    ] {
        assert!(project.root.join(file).is_file(), "{file}");
    }
    assert!(project.read(".gitignore").contains("/site/"));
    project.build();
    assert_eq!(
        project
            .page("security-checklist/index.html")
            .select("[data-task-id]")
            .len(),
        27
    );

    project.write("content/index.md", "# Mine\n");
    let again = assert_cmd::Command::cargo_bin("ppdocs")
        .unwrap()
        .arg("init")
        .arg(&project.root)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("refusing to overwrite"),
        "{}",
        stderr(&again)
    );
    assert_eq!(project.read("content/index.md"), "# Mine\n");
}

#[test]
fn check_writes_nothing_and_summarises() {
    let project = TestProject::example();
    let output = project.run(&["check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains("1 article, 6 sections, 27 tasks"),
        "{message}"
    );
    assert!(message.contains("0 errors, 0 warnings"), "{message}");
    assert!(!project.root.join("site").exists());
}

#[test]
fn check_json_reports_diagnostics_with_positions() {
    let project = TestProject::fixture("bad-row");
    let output = project.run(&["check", "--format", "json"]);
    assert!(!output.status.success());
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(report["errors"], 1);
    let diagnostic = &report["diagnostics"][0];
    assert_eq!(diagnostic["code"], "checklist-bad-mark");
    assert_eq!(diagnostic["file"], "content/checklist.md");
    assert_eq!(diagnostic["line"], 8);
    assert_eq!(diagnostic["column"], 2);

    let good =
        TestProject::example().run(&["check", "--format", "json", "--as-of", TestProject::AS_OF]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&good)).unwrap();
    assert_eq!(report["summary"]["tasks"], 27);
    assert_eq!(report["summary"]["tasks_by_status"]["not-started"], 16);
    assert_eq!(report["summary"]["expired"], serde_json::json!(["IAM-02"]));
}

#[test]
fn output_flag_and_root_from_another_folder() {
    let project = TestProject::example();
    let out = project.root.join("public");
    let output = project.run(&["build", "--output", out.to_str().unwrap(), "--quiet"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(out.join("index.html").is_file());
    assert!(
        stderr(&output).is_empty(),
        "--quiet prints nothing on success: {}",
        stderr(&output)
    );
}

#[test]
fn output_guard_refuses_a_folder_ppdocs_did_not_make() {
    let project = TestProject::example();
    project.write("docs/keep.txt", "important");
    let out = project.root.join("docs");
    let output = project.run(&["build", "--output", out.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("--force"), "{}", stderr(&output));
    assert_eq!(project.read("docs/keep.txt"), "important");
    let root_as_output = project.run(&["build", "--output", project.root.to_str().unwrap()]);
    assert!(!root_as_output.status.success());
    assert!(project.root.join("content/security-checklist.md").is_file());
}

#[test]
fn base_url_adds_canonical_links() {
    let project = TestProject::example();
    let output = project.run(&["build", "--base-url", "https://contoso.github.io/security"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let page = project.page("security-checklist/compliance/index.html");
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        ["https://contoso.github.io/security/security-checklist/compliance/index.html"]
    );
    let bad = project.run(&["build", "--base-url", "contoso"]);
    assert!(!bad.status.success());
}

#[test]
fn help_describes_every_command() {
    let output = assert_cmd::Command::cargo_bin("ppdocs")
        .unwrap()
        .arg("--help")
        .output()
        .unwrap();
    let help = stdout(&output);
    for word in ["build", "check", "init", "--root", "--quiet", "--verbose"] {
        assert!(help.contains(word), "{word} missing from --help:\n{help}");
    }
    let output = assert_cmd::Command::cargo_bin("ppdocs")
        .unwrap()
        .args(["build", "--help"])
        .output()
        .unwrap();
    let help = stdout(&output);
    for word in ["--output", "--base-url", "--force", "temporary folder"] {
        assert!(
            help.contains(word),
            "{word} missing from build --help:\n{help}"
        );
    }
}

//! The property `serve --watch` relies on: after any sequence of edits, the incrementally
//! rebuilt site is byte-for-byte the site a fresh full build makes of the same files.

mod common;

use common::TestProject;
use ppdocs::serve::{LiveSite, contents};

/// A small deterministic generator, so a failure names its seed and can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const EDITS: usize = 12;

fn apply_random_edit(project: &TestProject, rng: &mut Rng, step: usize) -> String {
    let n = rng.below(12);
    match n {
        0 if rng.below(2) == 0 => {
            // Prose only, the tasks as they were: the previous site is patched.
            let text = format!(
                "# Checklist\n\n[!INCLUDE[intro](includes/intro.md)]\n\nProse, take {step}.\n\n## Threat protection\n\n| Done? | Task |\n|---|---|\n| ✓ | Track activity. |\n| ✓ | Configure alerts. |\n"
            );
            project.write("content/checklist.md", &text);
            "edit checklist prose".into()
        }
        0 => {
            let text = format!(
                "# Checklist\n\n[!INCLUDE[intro](includes/intro.md)]\n\n## Threat protection\n\n| Done? | Task |\n|---|---|\n| ✓ | Track activity, take {step}. |\n| ✓ | Configure alerts. |\n"
            );
            project.write("content/checklist.md", &text);
            "edit checklist".into()
        }
        1 => {
            project.write(
                "content/includes/intro.md",
                &format!("Included text, version {step}.\n"),
            );
            "edit include".into()
        }
        2 => {
            let status = ["done", "in-progress"][rng.below(2) as usize];
            project.write(
                &format!("content/evidence/r{}.md", rng.below(3)),
                &format!("---\ntask: TP-0{}\nstatus: {status}\nowner: Team {step}\ncollected: 2026-0{}-01\n---\nNotes {step}.\n", 1 + rng.below(2), 1 + rng.below(9)),
            );
            "write evidence".into()
        }
        3 => {
            let _ = std::fs::remove_file(
                project
                    .root
                    .join(format!("content/evidence/r{}.md", rng.below(3))),
            );
            "delete evidence".into()
        }
        4 => {
            project.write(
                "themes/custom/templates/page.html",
                &format!("{{% extends \"base.html\" %}}{{% block content %}}<h1>{{{{ page.title }}}} v{step}</h1>{{{{ body | safe }}}}{{% endblock content %}}"),
            );
            project.write("ppdocs.toml", "theme = \"custom\"\n");
            "theme override".into()
        }
        5 => {
            let base =
                ["https://learn.microsoft.com", "https://docs.example.com"][rng.below(2) as usize];
            // The search index in one file or split into parts (and back).
            let split_above_kb = [0, 1024][rng.below(2) as usize];
            project.write(
                "ppdocs.toml",
                &format!("title = \"Site {step}\"\nlearn_base_url = \"{base}\"\n[search]\nsplit_above_kb = {split_above_kb}\n"),
            );
            "edit config".into()
        }
        6 => {
            project.write(
                &format!("content/page{}.md", rng.below(3)),
                &format!("# Page\n\nSee [Learn](/power-platform/) {step}.\n"),
            );
            "write page".into()
        }
        7 => {
            let _ = std::fs::remove_file(
                project
                    .root
                    .join(format!("content/page{}.md", rng.below(3))),
            );
            "delete page".into()
        }
        8 if rng.below(2) == 0 => {
            project.write(
                "content/evidence/titled.md",
                &format!("---\ntitle: Record title {step}\ntask: TP-02\nstatus: done\nowner: X\ncollected: 2026-01-0{}\n---\n", 1 + rng.below(9)),
            );
            "record title".into()
        }
        8 => {
            project.write("content/training/m.md", &format!("---\ntitle: Module {step}\naudience: [makers]\nduration: {}\nlevel: beginner\ntasks: [TP-01]\n---\nBody.\n", 5 + rng.below(10)));
            "write module".into()
        }
        9 if rng.below(2) == 0 => {
            // An attachment rewritten in place, at the same size: its digest must follow.
            project.write(
                "content/evidence/att.md",
                "---\ntask: TP-01\nstatus: done\nowner: X\ncollected: 2026-03-01\nattachments: [proof.csv]\n---\n",
            );
            project.write(
                "content/evidence/proof.csv",
                &format!("proof {}\n", step % 10),
            );
            "rewrite attachment".into()
        }
        10 => {
            // A second article: the all-appendices page gets parts of its own.
            project.write(
                "content/second.md",
                &format!("# Second\n\n## Identity {{prefix=ID}}\n\n| Done? | Task |\n|---|---|\n| ✓ | Review roles, take {step}. |\n| ✓ | Rotate keys. |\n"),
            );
            "write second article".into()
        }
        11 => {
            // One record for tasks of two sections: shown in full in the first part only.
            let tasks = ["[TP-01, ID-01]", "[ID-02, TP-02]", "TP-01"][rng.below(3) as usize];
            project.write(
                "content/evidence/both.md",
                &format!("---\ntask: {tasks}\nstatus: done\nowner: Both {step}\ncollected: 2026-02-01\nframeworks: [GDPR]\n---\nNotes.\n"),
            );
            "record for two sections".into()
        }
        _ => {
            project.write("content/evidence/t.md", "---\nmodule: m\nowner: CoE\nsessions:\n  - {date: 2026-05-01, audience: makers, attendees: 3}\n---\n");
            "training record".into()
        }
    }
}

#[test]
fn incremental_rebuilds_equal_full_builds() {
    for seed in [1u64, 7, 42, 2026, 99_991] {
        let project = TestProject::empty();
        project.write("content/includes/intro.md", "Included text.\n");
        project.write(
            "content/checklist.md",
            "# Checklist\n\n[!INCLUDE[intro](includes/intro.md)]\n\n## Threat protection\n\n| Done? | Task |\n|---|---|\n| ✓ | Track activity. |\n| ✓ | Configure alerts. |\n",
        );
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 28);
        let mut live = LiveSite::new(&project.root, as_of);
        let mut rng = Rng(seed);
        let mut history = Vec::new();
        for step in 0..EDITS {
            history.push(apply_random_edit(&project, &mut rng, step));
            rebuild_like_fresh(&mut live, &project, &format!("seed {seed}: {history:?}"));
        }
    }
}

#[test]
fn an_unchanged_rebuild_parses_nothing_and_an_edit_parses_one_file() {
    let project = TestProject::example();
    let mut live = LiveSite::new(&project.root, chrono::NaiveDate::from_ymd_opt(2026, 11, 28));
    let first = live.rebuild().unwrap().ok().unwrap();
    assert!(first.reparsed > 20, "{}", first.reparsed);
    assert_eq!(live.rebuild().unwrap().ok().unwrap().reparsed, 0);
    let path = "content/evidence/threat-protection/tp-02-sentinel-analytics-rules.md";
    let text = project.read(path);
    project.write(path, &text.replace("owner:", "owner: Renamed"));
    let rebuilt = live.rebuild().unwrap().ok().unwrap();
    assert_eq!(rebuilt.reparsed, 1);
    // The article, its sections and their appendices, and the pages that list the whole
    // site and show the record's owner render again; the reference page, the six training
    // modules, the appendix index and the training hub do not.
    assert_eq!(rebuilt.rendered, first.rendered - 9);
    for listing in ["appendix/index.html", "training/index.html"] {
        let (a, b) = (
            first.site.file(listing).unwrap(),
            rebuilt.site.file(listing).unwrap(),
        );
        assert_eq!(a.as_ptr(), b.as_ptr(), "{listing} is reused");
    }
}

#[test]
fn a_link_broken_by_editing_another_page_is_caught_though_its_page_is_reused() {
    let project = TestProject::example();
    project.write(
        "content/reference/links.md",
        "# Links\n\n<a href=\"../evidence-files/index.html#the-fields\">fields</a>\n",
    );
    let guide = "content/reference/evidence-files.md";
    let text = project.read(guide);
    assert!(
        text.contains("## The fields"),
        "the example's guide has this heading"
    );
    let mut live = LiveSite::new(&project.root, chrono::NaiveDate::from_ymd_opt(2026, 11, 28));
    assert!(live.rebuild().unwrap().is_ok());

    // Renaming the heading breaks the link on the links page, whose bytes do not change.
    project.write(guide, &text.replace("## The fields", "## Fields"));
    let messages = failed_rebuild(&mut live, "the broken anchor fails the rebuild");
    assert!(
        messages
            .iter()
            .any(|m| m.contains("#the-fields") && m.contains("reference/links/index.html")),
        "{messages:?}"
    );
    project.write(guide, &text);
    assert!(live.rebuild().unwrap().is_ok(), "fixing it recovers");

    // A rebuild that stops at a template error must not leave stale records behind.
    project.write("ppdocs.toml", "theme = \"broken\"\n");
    project.write(
        "themes/broken/templates/page.html",
        "{% extends \"base.html\" %}{% block content %}{{ page.nope.nope }}{% endblock content %}",
    );
    assert!(
        live.rebuild().unwrap().is_err(),
        "the template error fails the rebuild"
    );
    std::fs::remove_file(project.root.join("ppdocs.toml")).unwrap();
    assert!(live.rebuild().unwrap().is_ok());
    project.write(guide, &text.replace("## The fields", "## Fields"));
    let messages = failed_rebuild(&mut live, "still caught after a failed rebuild");
    assert!(
        messages.iter().any(|m| m.contains("#the-fields")),
        "{messages:?}"
    );
}

/// The diagnostics' messages of a rebuild that must fail (`expect` says why).
fn failed_rebuild(live: &mut LiveSite, expect: &str) -> Vec<String> {
    let failed = live.rebuild().unwrap().err().expect(expect);
    failed.diagnostics.into_iter().map(|d| d.message).collect()
}

#[test]
fn links_in_reused_and_rerendered_parts_of_the_all_appendices_page_are_checked() {
    let project = TestProject::empty();
    let article = |task: &str| {
        format!(
            "# Checklist\n\n## Threat protection\n\n| Done? | Task |\n|---|---|\n| ✓ | {task} |\n"
        )
    };
    project.write("content/checklist.md", &article("Track activity."));
    project.write(
        "content/second.md",
        "# Second\n\n## Identity {prefix=ID}\n\n| Done? | Task |\n|---|---|\n| ✓ | Rotate keys. |\n",
    );
    let guide = "# Guide\n\n## The fields\n\nText.\n";
    project.write("content/guide.md", guide);
    // Every section's appendix links to the guide's heading.
    let partial = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default/templates/partials/section-appendix.html"),
    )
    .unwrap();
    project.write(
        "themes/custom/templates/partials/section-appendix.html",
        &format!("{partial}<a href=\"../../guide/index.html#the-fields\">fields</a>\n"),
    );
    project.write("ppdocs.toml", "theme = \"custom\"\n");
    let mut live = LiveSite::new(&project.root, chrono::NaiveDate::from_ymd_opt(2026, 11, 28));
    assert!(live.rebuild().unwrap().is_ok());
    let broken_on_all_appendices = |live: &mut LiveSite, href: &str| {
        failed_rebuild(live, "the broken link fails the rebuild")
            .iter()
            .any(|m| m.contains(&format!("`{href}` on appendix/all/index.html")))
    };

    // Only the guide changed: every part is reused, and their links now lead nowhere.
    project.write("content/guide.md", "# Guide\n\n## Fields\n\nText.\n");
    assert!(broken_on_all_appendices(
        &mut live,
        "../../guide/index.html#the-fields"
    ));
    project.write("content/guide.md", guide);
    assert!(live.rebuild().unwrap().is_ok(), "fixing it recovers");

    // A part rendered again is scanned again.
    project.write(
        "content/checklist.md",
        &article("Track activity <a href=\"#nowhere\">here</a>."),
    );
    assert!(broken_on_all_appendices(&mut live, "#nowhere"));
    project.write("content/checklist.md", &article("Track all activity."));
    assert!(live.rebuild().unwrap().is_ok());
    std::fs::remove_file(project.root.join("content/guide.md")).unwrap();
    assert!(broken_on_all_appendices(
        &mut live,
        "../../guide/index.html#the-fields"
    ));
}

#[test]
fn a_prose_edit_reuses_what_lists_the_whole_site_and_a_status_change_does_not() {
    let project = TestProject::example();
    let mut live = LiveSite::new(&project.root, chrono::NaiveDate::from_ymd_opt(2026, 11, 28));
    let first = live.rebuild().unwrap().ok().unwrap();
    let article = "content/security-checklist.md";
    let text = project.read(article);
    project.write(article, &format!("{text}\nOne more paragraph of prose.\n"));
    let second = live.rebuild().unwrap().ok().unwrap();
    let same_bytes = |a: &ppdocs::serve::Rebuilt, b: &ppdocs::serve::Rebuilt, path: &str| {
        let (a, b) = (a.site.file(path).unwrap(), b.site.file(path).unwrap());
        (a.as_ptr() == b.as_ptr(), a == b)
    };
    for listing in [
        "index.html",
        "appendix/index.html",
        "training/index.html",
        "assets/search-index.js",
    ] {
        assert_eq!(
            same_bytes(&first, &second, listing),
            (true, true),
            "{listing}"
        );
    }
    assert!(!same_bytes(&first, &second, "security-checklist/index.html").1);

    // A record's status shows on the dashboard and in the search index: both are made again.
    let record = "content/evidence/threat-protection/tp-02-sentinel-analytics-rules.md";
    let text = project.read(record);
    assert!(
        text.contains("status: done"),
        "the example's record is done"
    );
    project.write(record, &text.replace("status: done", "status: in-progress"));
    let third = live.rebuild().unwrap().ok().unwrap();
    for listing in ["index.html", "assets/search-index.js"] {
        assert_eq!(
            same_bytes(&second, &third, listing),
            (false, false),
            "{listing}"
        );
    }
}

/// Rebuilds `live` after an edit, checks it against a fresh build of the same files, and
/// returns whether the previous site was patched (`None` when both builds failed).
fn rebuild_like_fresh(live: &mut LiveSite, project: &TestProject, edit: &str) -> Option<bool> {
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 28);
    let incremental = live.rebuild().unwrap();
    let fresh = LiveSite::new(&project.root, as_of).rebuild().unwrap();
    match (incremental, fresh) {
        (Ok(a), Ok(b)) => {
            assert!(
                contents(&a.site) == contents(&b.site),
                "outputs differ after: {edit}"
            );
            assert_eq!(a.warnings, b.warnings, "warnings differ after: {edit}");
            Some(a.patched)
        }
        (Err(a), Err(b)) => {
            assert_eq!(
                a.plain_text(),
                b.plain_text(),
                "errors differ after: {edit}"
            );
            None
        }
        (a, _) => panic!(
            "only one build failed after: {edit} (incremental ok: {})",
            a.is_ok()
        ),
    }
}

#[test]
fn edits_that_keep_every_task_id_patch_the_linked_site_and_others_link_it_in_full() {
    let project = TestProject::example();
    let lock = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ppdocs.lock"),
    )
    .unwrap();
    project.write("ppdocs.lock", &lock);
    let mut live = LiveSite::new(&project.root, chrono::NaiveDate::from_ymd_opt(2026, 11, 28));
    assert!(live.rebuild().unwrap().is_ok());
    let article = "content/security-checklist.md";
    let original = project.read(article);
    let task = "Define and test incident response plans.";
    assert!(original.contains(task), "the example has this task");
    let record = "content/evidence/threat-protection/tp-02-sentinel-analytics-rules.md";
    let module = "content/training/default-environment.md";
    let frameworks = "content/frameworks.yaml";
    let frameworks_text = project.read(frameworks);
    assert!(frameworks_text.contains("title: Accountability"));
    let write = |path: &str, text: &str| project.write(path, text);
    let remove = |path: &str| std::fs::remove_file(project.root.join(path)).unwrap();

    // (what the edit is, the edit, whether the rebuild patches: `None` when it fails)
    type Edit<'a> = (&'a str, Box<dyn Fn() + 'a>, Option<bool>);
    let edits: Vec<Edit> = vec![
        ("nothing", Box::new(|| {}), Some(true)),
        (
            "prose appended to the article",
            Box::new(|| write(article, &format!("{original}\nMore prose.\n"))),
            Some(true),
        ),
        (
            "a paragraph above the first table (every task moves)",
            Box::new(|| {
                write(
                    article,
                    &original.replacen("\n## ", "\nA new paragraph.\n\n## ", 1),
                )
            }),
            Some(true),
        ),
        (
            "a task's markup changed, not its text",
            Box::new(|| {
                write(
                    article,
                    &original.replace(task, "**Define** and test incident response plans."),
                )
            }),
            Some(true),
        ),
        (
            "a task reworded",
            Box::new(|| {
                write(
                    article,
                    &original.replace(task, "Define and rehearse incident response plans."),
                )
            }),
            Some(false),
        ),
        (
            "prose while the lock is outdated (its warning stays)",
            Box::new(|| {
                write(
                    article,
                    &format!(
                        "{}\nProse.\n",
                        original.replace(task, "Define and rehearse incident response plans.")
                    ),
                )
            }),
            Some(true),
        ),
        (
            "the wording restored",
            Box::new(|| write(article, &original)),
            Some(false),
        ),
        (
            "prose again",
            Box::new(|| write(article, &format!("{original}\nProse.\n"))),
            Some(true),
        ),
        (
            "an explicit task ID",
            Box::new(|| {
                write(
                    article,
                    &original.replace(task, &format!("{task} {{#IR-01}}")),
                )
            }),
            Some(false),
        ),
        (
            "the ID removed",
            Box::new(|| write(article, &original)),
            Some(false),
        ),
        (
            "a section heading renamed (its tasks' IDs change, so records lose them)",
            Box::new(|| {
                write(
                    article,
                    &original.replace("## Security posture management", "## Posture management"),
                )
            }),
            None,
        ),
        (
            "the heading restored",
            Box::new(|| write(article, &original)),
            Some(false),
        ),
        (
            "a broken link in the article",
            Box::new(|| write(article, &format!("{original}\n[gone](missing.md)\n"))),
            None,
        ),
        (
            "the link fixed",
            Box::new(|| write(article, &original)),
            Some(false),
        ),
        (
            "a broken anchor on the reference page",
            Box::new(|| {
                write(
                    "content/reference/evidence-files.md",
                    "# Evidence files\n\n[x](../security-checklist.md#nowhere)\n",
                )
            }),
            None,
        ),
        (
            "the anchor fixed",
            Box::new(|| {
                write(
                    "content/reference/evidence-files.md",
                    "# Evidence files\n\n[x](../security-checklist.md#security-posture-management)\n",
                )
            }),
            Some(false),
        ),
        (
            "the reference page edited",
            Box::new(|| {
                write(
                    "content/reference/evidence-files.md",
                    "# Evidence files\n\nProse.\n",
                )
            }),
            Some(true),
        ),
        (
            "the dashboard's introduction edited",
            Box::new(|| write("content/index.md", "# Home\n\nWelcome.\n")),
            Some(true),
        ),
        (
            "an evidence record edited",
            Box::new(|| {
                write(
                    record,
                    &project.read(record).replace("owner:", "owner: Renamed"),
                )
            }),
            Some(false),
        ),
        (
            "an evidence record removed",
            Box::new(|| remove(record)),
            Some(false),
        ),
        (
            "prose once more",
            Box::new(|| write(article, &format!("{original}\nProse 2.\n"))),
            Some(true),
        ),
        (
            "the lock edited",
            Box::new(|| {
                write(
                    "ppdocs.lock",
                    &lock.replacen("changed = \"2026-11-28\"", "changed = \"2026-11-27\"", 1),
                )
            }),
            Some(false),
        ),
        (
            "the lock restored",
            Box::new(|| write("ppdocs.lock", &lock)),
            Some(false),
        ),
        (
            "a framework's control renamed",
            Box::new(|| {
                write(
                    frameworks,
                    &frameworks_text.replace("title: Accountability", "title: Being accountable"),
                )
            }),
            Some(false),
        ),
        (
            "prose after the framework edit",
            Box::new(|| write(article, &format!("{original}\nProse 4.\n"))),
            Some(true),
        ),
        (
            "the framework restored",
            Box::new(|| write(frameworks, &frameworks_text)),
            Some(false),
        ),
        (
            "a new article",
            Box::new(|| {
                write(
                    "content/second.md",
                    "# Second\n\n## Identity {prefix=ID}\n\n| Done? | Task |\n|---|---|\n| ✓ | Rotate keys. |\n",
                )
            }),
            Some(false),
        ),
        (
            "the article deleted",
            Box::new(|| remove("content/second.md")),
            Some(false),
        ),
        (
            "a training module edited",
            Box::new(|| {
                write(
                    module,
                    &project
                        .read(module)
                        .replacen("\n---\n", "\n---\n\nMore.\n", 1),
                )
            }),
            Some(false),
        ),
        (
            "prose last",
            Box::new(|| write(article, &format!("{original}\nProse 3.\n"))),
            Some(true),
        ),
    ];
    for (what, edit, patched) in edits {
        edit();
        assert_eq!(
            rebuild_like_fresh(&mut live, &project, what),
            patched,
            "{what}"
        );
    }
}

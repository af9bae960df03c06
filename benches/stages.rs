//! Criterion micro-benchmarks of the hot stages, on a generated project of `PAGES` pages:
//! Markdown + checklist extraction of one page, highlighting one code block, linking,
//! template rendering of the whole site, and writing it. Run with `cargo bench --bench stages`.

#[path = "support/corpus.rs"]
mod corpus;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ppdocs::load::{ContentKind, Project, load_project};
use ppdocs::parse::{ContentIndex, PageSettings, highlight, parse_document, parse_project};
use ppdocs::render::{self, Discard, InMemory};
use ppdocs::write::{Guard, write_site};

const PAGES: usize = 50;

fn project() -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    corpus::generate(dir.path(), &corpus::Options::new(PAGES)).unwrap();
    let (project, _) = load_project(dir.path()).unwrap();
    (dir, project)
}

fn as_of() -> chrono::NaiveDate {
    corpus::AS_OF.parse().unwrap()
}

fn stages(c: &mut Criterion) {
    let (dir, project) = project();
    let page = project
        .content
        .iter()
        .find(|f| f.kind == ContentKind::Page && f.path.starts_with("content/checklists"))
        .unwrap();
    let index: ContentIndex = project
        .content
        .iter()
        .map(|f| (f.path.clone(), f.text.clone()))
        .collect();
    let settings = PageSettings::of(&project.config);
    c.bench_function("markdown and checklists, one ~10 KB page", |b| {
        b.iter(|| parse_document(black_box(page), &index, &settings))
    });

    let script = "$environments = Get-AdminPowerAppEnvironment\nforeach ($env in $environments) {\n    if ($env.IsDefault -eq $true) {\n        Write-Output \"Default: $($env.DisplayName)\"\n    }\n    Get-DlpPolicy -EnvironmentName $env.EnvironmentName | Select-Object DisplayName, Type\n}\n";
    let query = "SigninLogs\n| where TimeGenerated > ago(7d)\n| where AppDisplayName has \"Power Apps\"\n| summarize Attempts = count(), Failures = countif(ResultType != 0) by UserPrincipalName\n| where Failures > 5\n| order by Failures desc\n";
    highlight::highlight(script, Some("powershell"));
    c.bench_function("highlighting, a 7-line PowerShell block", |b| {
        b.iter(|| highlight::highlight(black_box(script), Some("powershell")))
    });
    c.bench_function("highlighting, a 6-line KQL block", |b| {
        b.iter(|| highlight::highlight(black_box(query), Some("kusto")))
    });

    c.bench_function(&format!("link, {PAGES} pages"), |b| {
        b.iter_batched(
            || parse_project(&project).0,
            |parsed| ppdocs::link::link(&project, parsed, as_of()),
            criterion::BatchSize::LargeInput,
        )
    });

    let (site, _) = ppdocs::link::link(&project, parse_project(&project).0, as_of());
    let mut group = c.benchmark_group("whole site");
    group.sample_size(20);
    group.bench_function(format!("template rendering, {PAGES} pages"), |b| {
        b.iter(|| render::render(&site, &project.theme, &Discard).unwrap())
    });
    let files = InMemory::default();
    render::render(&site, &project.theme, &files).unwrap();
    let files = files.into_files();
    let output = dir.path().join("site");
    let guard = Guard {
        root: dir.path(),
        force: false,
    };
    // Writing goes to the disk the temporary folder is on, replacing the previous site.
    group.bench_function(
        format!("writing, {} files of {PAGES} pages", files.len()),
        |b| b.iter(|| write_site(&output, &files, &[], &guard).unwrap()),
    );
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);

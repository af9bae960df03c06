//! Training modules: each module page gets its place in the site, and its tasks learn which
//! modules train for them.

use std::collections::HashMap;

use crate::diagnostics::{Code, Diagnostic};
use crate::link::ids::IdAssigner;
use crate::site::{Page, Task, TrainingModule};
use crate::urls;

/// Makes a [`TrainingModule`] of every page that is one, in page order.
pub fn link_modules(
    pages: &mut [Page],
    tasks: &mut [Task],
    ids: &IdAssigner<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<TrainingModule> {
    let by_id: HashMap<&str, usize> = tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.0.as_str(), i))
        .collect();
    let mut modules: Vec<TrainingModule> = Vec::new();
    let pages_sources: Vec<std::path::PathBuf> =
        pages.iter().map(|p| p.document.source.clone()).collect();
    let mut links: Vec<(usize, usize)> = Vec::new(); // (task, module)
    for (page_index, page) in pages.iter_mut().enumerate() {
        let Some(meta) = &page.document.module else {
            continue;
        };
        let index = modules.len();
        let mut module_tasks = Vec::new();
        for task in &meta.tasks {
            match by_id.get(task.value.as_str()) {
                Some(&t) => {
                    module_tasks.push(t);
                    links.push((t, index));
                }
                None => diagnostics.push(
                    super::evidence::unknown_task(&page.document.source, task, &by_id, ids)
                        .with_code(Code::TrainingInvalid),
                ),
            }
        }
        let slug = page
            .document
            .source
            .file_stem()
            .map(|s| urls::slugify(&s.to_string_lossy()))
            .unwrap_or_default();
        if let Some(first) = modules.iter().find(|m: &&TrainingModule| m.slug == slug) {
            let first_source = &pages_sources[first.page];
            diagnostics.push(
                Diagnostic::error(
                    Code::TrainingInvalid,
                    format!(
                        "two training modules are called `{slug}`: {} and this one",
                        first_source.display()
                    ),
                )
                .in_file(&page.document.source)
                .with_help("training records name modules by file name; rename one of the files"),
            );
        }
        page.module = Some(index);
        modules.push(TrainingModule {
            page: page_index,
            slug,
            meta: meta.clone(),
            tasks: module_tasks,
            records: Vec::new(),
        });
    }
    for (task, module) in links {
        tasks[task].modules.push(module);
    }
    modules
}

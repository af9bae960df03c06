//! `serve`'s incremental link: after an edit that cannot change any task's ID, record or
//! status, the previous site is patched instead of the whole site being linked again.
//!
//! The previous site is reused when everything `link` reads besides the pages is as it was
//! (settings, the `as_of` day, evidence records, `frameworks.yaml`, `ppdocs.lock`, static
//! files), the same pages exist, and every changed page links as it did: same output, no
//! training module, and the same sections with tasks (titles, anchors, prefixes, files)
//! holding the same task texts and explicit IDs, which are all that IDs are assigned from.
//! Such a page's document, and its tasks' HTML and positions, are swapped in; links are
//! checked again over the whole site, since a changed heading can break a link on another
//! page (output paths cannot have changed). Anything else is linked in full.

use std::sync::Arc;

use chrono::NaiveDate;

use super::Documents;
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::load::{Project, StaticFile};
use crate::parse::evidence::EvidenceRecord;
use crate::parse::{Document, ParsedProject};
use crate::site::Site;

/// What `serve` keeps of the last successful link, to patch it on the next rebuild.
#[derive(Default)]
pub struct LinkCache {
    /// The last site that built without errors, handed back by [`LinkCache::keep`].
    site: Option<Site>,
    /// What the last link read besides the pages.
    inputs: Option<Inputs>,
    /// What assembling the last site found (its checks run again each time).
    diagnostics: Vec<Diagnostic>,
}

impl LinkCache {
    /// Keeps the site the last link made for the next rebuild to patch, if it built
    /// without errors (`None` makes the next rebuild link in full).
    pub fn keep(&mut self, site: Option<Site>) {
        self.site = site;
    }
}

/// Everything `link` reads but the pages.
struct Inputs {
    config: Config,
    as_of: NaiveDate,
    lock: Option<Arc<str>>,
    frameworks: Option<Arc<str>>,
    static_files: Vec<StaticFile>,
    /// The parse cache hands an unchanged record back in the same allocation.
    evidence: Vec<Arc<EvidenceRecord>>,
}

impl Inputs {
    fn of(project: &Project, parsed: &ParsedProject, as_of: NaiveDate) -> Self {
        Inputs {
            config: project.config.clone(),
            as_of,
            lock: project.lock.clone(),
            frameworks: project.frameworks.as_ref().map(|f| f.text.clone()),
            static_files: project.static_files.clone(),
            evidence: parsed.evidence.clone(),
        }
    }

    fn same_as(&self, other: &Inputs) -> bool {
        self.config == other.config
            && self.as_of == other.as_of
            && self.lock == other.lock
            && self.frameworks == other.frameworks
            && self.static_files == other.static_files
            && self.evidence.len() == other.evidence.len()
            && (self.evidence.iter())
                .zip(&other.evidence)
                .all(|(a, b)| Arc::ptr_eq(a, b))
    }
}

/// [`super::link`], patching the site `cache` kept when the edit allows it. Also says
/// whether it did.
pub fn link_cached(
    project: &Project,
    parsed: ParsedProject,
    as_of: NaiveDate,
    cache: &mut LinkCache,
) -> (Site, Vec<Diagnostic>, bool) {
    let inputs = Inputs::of(project, &parsed, as_of);
    let reusable = cache.inputs.as_ref().is_some_and(|i| i.same_as(&inputs));
    cache.inputs = Some(inputs);
    let previous = cache.site.take().filter(|_| reusable);
    // Ordered only when there is a site to patch: `assemble` orders them itself.
    if let Some(mut site) = previous
        && patch(
            &mut site,
            &Documents::in_page_order(parsed.documents.clone()),
            &cache.diagnostics,
        )
    {
        let mut diagnostics = cache.diagnostics.clone();
        // Output paths are as they were (the same pages, outputs and sections), and the site
        // they came from had no conflict; links are checked again.
        super::checks::check_links(project, &site, &mut diagnostics);
        return (site, diagnostics, true);
    }
    let (site, mut diagnostics) = super::assemble(project, parsed, as_of);
    cache.diagnostics = diagnostics.clone();
    super::check(project, &site, &mut diagnostics);
    (site, diagnostics, false)
}

/// Swaps `documents` into `site` if every changed one links as the one it replaces
/// (see the module's comment); leaves `site` as it was and says `false` otherwise.
fn patch(site: &mut Site, documents: &Documents, diagnostics: &[Diagnostic]) -> bool {
    if site.pages.len() != documents.pages.len()
        || !introduction_links_alike(site.home.as_ref(), documents.home.as_ref(), diagnostics)
        || !introduction_links_alike(
            site.training_home.as_ref(),
            documents.training_home.as_ref(),
            diagnostics,
        )
        || !(site.pages.iter().zip(&documents.pages)).all(|(page, new)| {
            Arc::ptr_eq(&page.document, new) || links_alike(&page.document, new, diagnostics)
        })
    {
        return false;
    }
    site.home.clone_from(&documents.home);
    site.training_home.clone_from(&documents.training_home);
    for (page, new) in site.pages.iter_mut().zip(&documents.pages) {
        if Arc::ptr_eq(&page.document, new) {
            continue;
        }
        page.document = new.clone();
        if let Some(article) = page.article {
            let drafts = new.sections.iter().filter(|s| !s.tasks.is_empty());
            for (section, draft) in site.articles[article].sections.iter().zip(drafts) {
                let tasks = &mut site.tasks[section.tasks.clone()];
                for (task, draft) in tasks.iter_mut().zip(&draft.tasks) {
                    task.html.clone_from(&draft.html);
                    task.file.clone_from(&draft.file);
                    task.span = draft.span.clone();
                }
            }
        }
    }
    true
}

fn introduction_links_alike(
    old: Option<&Arc<Document>>,
    new: Option<&Arc<Document>>,
    diagnostics: &[Diagnostic],
) -> bool {
    match (old, new) {
        (None, None) => true,
        (Some(old), Some(new)) => Arc::ptr_eq(old, new) || links_alike(old, new, diagnostics),
        _ => false,
    }
}

/// Whether `new` links exactly as `old` did: the same output, no training module, and the
/// same task IDs (assigned from sections and task texts); and linking `old` reported
/// nothing in its files, which would now point at the wrong lines.
fn links_alike(old: &Document, new: &Document, diagnostics: &[Diagnostic]) -> bool {
    fn checklists(d: &Document) -> impl Iterator<Item = impl PartialEq + '_> {
        let sections = d.sections.iter().filter(|s| !s.tasks.is_empty());
        sections.map(|s| {
            let tasks = s.tasks.iter().map(|t| {
                let explicit_id = t.explicit_id.as_ref().map(|(id, _)| id);
                (&t.text, explicit_id)
            });
            (
                &s.title,
                &s.anchor,
                &s.prefix,
                &s.file,
                tasks.collect::<Vec<_>>(),
            )
        })
    }
    let reported_in = |d: &Document| {
        diagnostics.iter().any(|diagnostic| {
            diagnostic
                .file
                .as_ref()
                .is_some_and(|f| d.inputs.contains(f))
        })
    };
    old.source == new.source
        && old.output == new.output
        && old.module.is_none()
        && new.module.is_none()
        && checklists(old).eq(checklists(new))
        && !reported_in(old)
        && !reported_in(new)
}

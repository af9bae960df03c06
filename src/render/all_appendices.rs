//! The all-appendices page, for printing: every section and framework appendix on one page.
//!
//! It is the largest page of a site (it holds every record), so it is not rendered as one
//! template over one huge context: each appendix renders on its own, in parallel, from the
//! theme's partials, and `appendix-all.html` receives them as `appendices`. A record is
//! still shown in full once on the page — in the appendix it first appears in — and
//! referred back to after, exactly as if the page had been rendered in one go. `serve`
//! keeps each appendix and renders again only those whose inputs changed.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Tera};

use super::cache::{self, ContextHasher, ContextSink, Fingerprints, RenderCache};
use super::views::RecordPrinter;
use super::{
    APPENDIX_ALL, Made, appendix_crumbs, appendix_number, base_context, fill_base,
    framework_appendix, section_appendix, template_error,
};
use crate::diagnostics::Diagnostic;
use crate::parse::markdown::anchor_links_in;
use crate::site::Site;
use crate::urls;

/// Stands for the appendices in the page template's output until they are spliced in.
/// Markdown and escaped values cannot contain NUL.
const APPENDICES_MARKER: &str = "\u{0}ppdocs-appendices\u{0}";

/// One appendix of the page, in page order: sections first, then frameworks.
#[derive(Clone, Copy)]
enum Part {
    Section { article: usize, section: usize },
    Framework(usize),
}

fn parts(site: &Site) -> Vec<Part> {
    let sections = site.articles.iter().enumerate().flat_map(|(article, a)| {
        (0..a.sections.len()).map(move |section| Part::Section { article, section })
    });
    sections
        .chain((0..site.frameworks.len()).map(Part::Framework))
        .collect()
}

/// For each record, the first part that shows it (`usize::MAX` for none): the order in
/// which the templates meet them, tasks' records in a section, tagged records in a framework.
fn first_parts(site: &Site, parts: &[Part]) -> Vec<usize> {
    let mut first = vec![usize::MAX; site.records.len()];
    let mut mark = |record: usize, part: usize| {
        if first[record] == usize::MAX {
            first[record] = part;
        }
    };
    for (index, part) in parts.iter().enumerate() {
        match *part {
            Part::Section { article, section } => {
                for task in site.articles[article].sections[section].tasks.clone() {
                    for &record in &site.tasks[task].records {
                        mark(record, index);
                    }
                }
            }
            Part::Framework(framework) => {
                for &record in &site.frameworks[framework].records {
                    mark(record, index);
                }
            }
        }
    }
    first
}

/// Puts one appendix's context into `context` and names its partial.
fn fill_part(
    site: &Site,
    part: Part,
    printer: &mut RecordPrinter<'_>,
    context: &mut impl ContextSink,
) -> &'static str {
    fill_base(context, APPENDIX_ALL);
    match part {
        Part::Section { article, section } => {
            let number = appendix_number(site.articles[article].sections[section].number);
            let appendix = section_appendix(site, article, section, number, printer);
            context.insert("appendix", &appendix);
            "partials/section-appendix.html"
        }
        Part::Framework(index) => {
            let number = appendix_number(site.section_count() + index);
            let framework = framework_appendix(site, index, number, printer);
            context.insert("framework", &framework);
            "partials/framework-appendix.html"
        }
    }
}

/// Renders one appendix of the page with its partial.
fn render_part(
    tera: &Tera,
    site: &Site,
    part: Part,
    printer: &mut RecordPrinter<'_>,
) -> Result<String, Diagnostic> {
    let mut context = Context::new();
    let template = fill_part(site, part, printer, &mut context);
    tera.render(template, &context)
        .map_err(|err| template_error(&site.config.theme, err))
}

/// What a part shows. A section's part: its section appendix's inputs, and which of its
/// records it shows in full. A framework's part lists tasks and records from anywhere, so
/// its context is fingerprinted instead (as the pages that list the whole site are).
fn part_fingerprint(
    site: &Site,
    fingerprints: &Fingerprints,
    first: &[usize],
    index: usize,
    part: Part,
) -> u64 {
    let Part::Section { article, section } = part else {
        let mut hasher = ContextHasher::default();
        fill_part(
            site,
            part,
            &mut RecordPrinter::for_part(first, index),
            &mut hasher,
        );
        return hasher.finish();
    };
    let mut hasher = cache::fingerprinter();
    fingerprints.appendix(article, section).hash(&mut hasher);
    for task in site.articles[article].sections[section].tasks.clone() {
        for &record in &site.tasks[task].records {
            (first[record] == index).hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// The page `appendix/all/index.html`. With a cache (and the fingerprints of the
/// articles), a section's appendix whose inputs did not change is reused.
pub(super) fn render(
    tera: &Tera,
    site: &Site,
    cache: Option<(&RenderCache, &Fingerprints)>,
) -> Result<Made, Diagnostic> {
    let parts = parts(site);
    let first = first_parts(site, &parts);
    let root = urls::root_prefix(APPENDIX_ALL);
    let fragments: Vec<(Option<u64>, Arc<str>)> = parts
        .par_iter()
        .enumerate()
        .map(|(index, &part)| {
            let fingerprint =
                cache.map(|(_, prints)| part_fingerprint(site, prints, &first, index, part));
            if let (Some((cache, _)), Some(fingerprint)) = (cache, fingerprint)
                && let Some(html) = cache.appendix(index, fingerprint)
            {
                return Ok((Some(fingerprint), html));
            }
            let mut printer = RecordPrinter::for_part(&first, index);
            let html = render_part(tera, site, part, &mut printer)?;
            Ok((fingerprint, Arc::from(anchor_links_in(html, &root))))
        })
        .collect::<Result<_, Diagnostic>>()?;
    if let Some((cache, _)) = cache {
        cache.store_appendices(
            fragments
                .iter()
                .map(|(fingerprint, html)| fingerprint.map(|f| (f, html.clone())))
                .collect(),
        );
    }

    let mut context = base_context(APPENDIX_ALL);
    context.insert("in_appendix", &true);
    context.insert("appendices", APPENDICES_MARKER);
    context.insert(
        "breadcrumbs",
        &appendix_crumbs("All appendices", APPENDIX_ALL),
    );
    let page = tera
        .render("appendix-all.html", &context)
        .map_err(|err| template_error(&site.config.theme, err))?;
    let page = anchor_links_in(page, &root);
    // A theme's page that does not print `appendices` simply has none.
    let (head, tail) = page.split_once(APPENDICES_MARKER).unwrap_or((&page, ""));
    let mut parts: Vec<Arc<[u8]>> = Vec::with_capacity(fragments.len() + 2);
    parts.push(Arc::from(head.as_bytes()));
    parts.extend(
        fragments
            .into_iter()
            .map(|(_, html)| Arc::<[u8]>::from(html)),
    );
    parts.push(Arc::from(tail.as_bytes()));
    Ok(Made::Parts {
        path: APPENDIX_ALL.to_string(),
        parts,
    })
}

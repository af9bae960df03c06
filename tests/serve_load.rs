//! A bounded load test of `ppdocs serve --watch` on loopback: many concurrent requests while
//! every page is rewritten again and again. No request may fail, and every page served must
//! be exactly one complete version of that page (never a mix, never half-written), never
//! older than a version the same client saw before.

mod common;

use std::process::Child;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::TestProject;

const PAGES: usize = 12;
const VERSIONS: usize = 12;
const CLIENTS: usize = 8;
/// Lines per page: a version is complete when all of them are there, and only them.
const LINES: usize = 40;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn page_text(page: usize, version: usize) -> String {
    let mut text = format!("# Page {page}\n\n");
    for line in 0..LINES {
        text.push_str(&format!("- v{version}p{page}l{line} ok\n"));
    }
    text
}

/// Writes a page the way editors save: a temporary file renamed over the old one.
fn save(project: &TestProject, page: usize, version: usize) {
    let dir = project.root.join("content");
    let temporary = dir.join(format!(".page-{page}.md.tmp"));
    std::fs::write(&temporary, page_text(page, version)).unwrap();
    std::fs::rename(&temporary, dir.join(format!("page-{page}.md"))).unwrap();
}

/// The version an HTML page shows, checking it is complete and unmixed.
fn version_of(html: &str, page: usize) -> Result<usize, String> {
    if !html.trim_end().ends_with("</html>") {
        return Err("the page is cut short".to_string());
    }
    let versions: Vec<usize> = html
        .match_indices(" ok<")
        .map(|(at, _)| {
            let start = html[..at].rfind("<li>").map_or(0, |i| i + 4);
            let marker = &html[start..at];
            let (version, rest) = marker
                .trim_start_matches('v')
                .split_once('p')
                .unwrap_or(("x", ""));
            let mentioned_page = rest.split('l').next().unwrap_or_default();
            assert_eq!(
                mentioned_page,
                page.to_string(),
                "page {page} shows {marker}"
            );
            version.parse().unwrap_or(usize::MAX)
        })
        .collect();
    match versions.first() {
        Some(&first) if versions.len() == LINES && versions.iter().all(|&v| v == first) => {
            Ok(first)
        }
        _ => Err(format!("{} lines of versions {versions:?}", versions.len())),
    }
}

#[test]
fn concurrent_requests_during_rebuilds_always_get_one_complete_version() {
    let project = TestProject::empty();
    project.write("content/index.md", "# Home\n");
    for page in 0..PAGES {
        save(&project, page, 0);
    }
    let (child, url, _log) = common::start_serve(&project);
    let _server = Server(child);

    let writing = Arc::new(AtomicBool::new(true));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (url, writing) = (url.clone(), writing.clone());
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(10)))
                    .build()
                    .into();
                let mut seen = [0usize; PAGES];
                let mut versions = std::collections::BTreeSet::new();
                let (mut requests, mut problems) = (0, Vec::new());
                let mut page = client;
                while writing.load(Ordering::Relaxed) {
                    page = (page + 5) % PAGES;
                    requests += 1;
                    let result = agent
                        .get(&format!("{url}page-{page}/"))
                        .call()
                        .map_err(|e| e.to_string())
                        .and_then(|mut response| {
                            let status = response.status().as_u16();
                            let body = response
                                .body_mut()
                                .read_to_string()
                                .map_err(|e| e.to_string())?;
                            if status != 200 {
                                return Err(format!("status {status}"));
                            }
                            version_of(&body, page)
                        });
                    match result {
                        Ok(version) if version < seen[page] => problems.push(format!(
                            "page {page}: version {version} after version {}",
                            seen[page]
                        )),
                        Ok(version) => {
                            seen[page] = version;
                            versions.insert(version);
                        }
                        Err(problem) => problems.push(format!("page {page}: {problem}")),
                    }
                }
                (requests, problems, versions)
            })
        })
        .collect();

    let started = Instant::now();
    for version in 1..=VERSIONS {
        for page in 0..PAGES {
            save(&project, page, version);
        }
        std::thread::sleep(Duration::from_millis(150));
    }
    // Every page reaches the last version within a bounded wait.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let deadline = Instant::now() + Duration::from_secs(30);
    for page in 0..PAGES {
        loop {
            let body = agent
                .get(&format!("{url}page-{page}/"))
                .call()
                .unwrap()
                .body_mut()
                .read_to_string()
                .unwrap();
            if version_of(&body, page) == Ok(VERSIONS) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "page {page} never showed version {VERSIONS}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    writing.store(false, Ordering::Relaxed);
    let elapsed = started.elapsed();
    let (mut requests, mut problems, mut versions) =
        (0, Vec::new(), std::collections::BTreeSet::new());
    for client in clients {
        let (count, found, seen) = client.join().unwrap();
        requests += count;
        problems.extend(found);
        versions.extend(seen);
    }
    eprintln!(
        "{requests} requests from {CLIENTS} clients in {elapsed:.1?} while {PAGES} pages were saved {VERSIONS} times; {} versions seen",
        versions.len()
    );
    assert!(requests > CLIENTS * 10, "only {requests} requests");
    // The requests overlapped the rebuilds: clients saw versions between the first and last.
    assert!(versions.len() > 3, "clients saw only versions {versions:?}");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

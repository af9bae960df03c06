//! `ppdocs serve --watch` against a temporary project: serving, live reload, editor-style
//! saves, errors that keep the last good site, traversal attempts, and `site/` untouched.
//! Every wait is bounded; the server process is killed when a test ends.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Child;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::TestProject;

const WAIT: Duration = Duration::from_secs(20);

/// A running `ppdocs serve`, killed on drop.
struct Server {
    child: Child,
    url: String,
    events: mpsc::Receiver<String>,
    /// The server's terminal output (stderr), line by line.
    log: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(10)))
            .build(),
    )
}

impl Server {
    fn start(project: &TestProject) -> Server {
        let (child, url, log) = common::start_serve(project);

        // Subscribe to live-reload events before any edit.
        let (sender, events) = mpsc::channel();
        let events_url = format!("{url}__ppdocs/events");
        let (ready, connected) = mpsc::channel();
        std::thread::spawn(move || {
            let agent = ureq::Agent::new_with_config(
                ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .build(),
            );
            let Ok(response) = agent.get(&events_url).call() else {
                return;
            };
            let _ = ready.send(());
            let reader = BufReader::new(response.into_body().into_reader());
            let (mut event, mut data) = (String::new(), Vec::new());
            for line in reader.lines().map_while(Result::ok) {
                if let Some(name) = line.strip_prefix("event: ") {
                    event = name.to_string();
                } else if let Some(text) = line.strip_prefix("data:") {
                    data.push(text.strip_prefix(' ').unwrap_or(text).to_string());
                } else if line.is_empty() && !event.is_empty() {
                    let _ = sender.send(format!("{event}: {}", data.join("\n")));
                    data.clear();
                    event.clear();
                }
            }
        });
        connected.recv_timeout(WAIT).expect("no event stream");
        Server {
            child,
            url,
            events,
            log,
        }
    }

    fn get(&self, path: &str) -> (u16, String) {
        let mut response = agent().get(&format!("{}{path}", self.url)).call().unwrap();
        let status = response.status().as_u16();
        (
            status,
            response.body_mut().read_to_string().unwrap_or_default(),
        )
    }

    /// Waits for an event whose text starts with `prefix`, skipping others.
    fn expect_event(&self, prefix: &str) -> String {
        let deadline = Instant::now() + WAIT;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.events.recv_timeout(left) {
                Ok(event) if event.starts_with(prefix) => return event,
                Ok(_) => continue,
                Err(_) => break,
            }
        }
        panic!("no `{prefix}` event within {WAIT:?}");
    }

    /// The status line of a request sent byte for byte, so no client can normalise the path.
    fn raw_status(&self, path: &str) -> String {
        let address = self.url.trim_start_matches("http://").trim_end_matches('/');
        let mut stream = TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        response.lines().next().unwrap_or_default().to_string()
    }
}

fn project() -> TestProject {
    let project = TestProject::empty();
    project.write("content/index.md", "# Home\n\nWelcome.\n");
    project.write("content/a.md", "# Page A\n\nFirst version.\n");
    project
}

#[test]
fn serves_pages_with_the_reload_script_and_reloads_on_edit() {
    let project = project();
    let server = Server::start(&project);
    let (status, html) = server.get("a/");
    assert_eq!(status, 200);
    assert!(html.contains("First version."));
    assert!(
        html.contains("/__ppdocs/livereload.js"),
        "the reload script is injected"
    );

    project.write("content/a.md", "# Page A\n\nSecond version.\n");
    server.expect_event("reload");
    assert!(server.get("a/").1.contains("Second version."));
    assert!(
        !project.root.join("site").exists(),
        "serve never writes site/"
    );
}

#[test]
fn an_idle_server_does_not_rebuild() {
    // Regression: reading the project raised file-access events, which triggered another
    // rebuild, forever.
    let project = project();
    let server = Server::start(&project);
    std::thread::sleep(Duration::from_millis(300));
    project.write("content/a.md", "# Page A\n\nOne edit.\n");
    server.expect_event("reload");
    std::thread::sleep(Duration::from_millis(500));
    while server.log.try_recv().is_ok() {}
    std::thread::sleep(Duration::from_secs(2));
    let rebuilds: Vec<String> = server
        .log
        .try_iter()
        .filter(|l| l.contains("Rebuilt"))
        .collect();
    assert!(rebuilds.is_empty(), "rebuilt without an edit: {rebuilds:?}");
}

#[test]
fn an_atomic_rename_save_is_picked_up() {
    let project = project();
    let server = Server::start(&project);
    // How vim and VS Code save: write a temporary file, then rename it over the original.
    let temp = project.root.join("content/.a.md.swp");
    std::fs::write(&temp, "# Page A\n\nSaved atomically.\n").unwrap();
    std::fs::rename(&temp, project.root.join("content/a.md")).unwrap();
    server.expect_event("reload");
    assert!(server.get("a/").1.contains("Saved atomically."));
}

#[test]
fn a_broken_edit_keeps_the_last_good_page_until_fixed() {
    let project = project();
    let server = Server::start(&project);
    project.write(
        "content/a.md",
        "---\ntitle: [broken\n---\n# Page A\n\nBroken.\n",
    );
    let error = server.expect_event("failed");
    assert!(error.contains("content/a.md:"), "{error}");
    let (status, html) = server.get("a/");
    assert_eq!(status, 200);
    assert!(
        html.contains("First version."),
        "the last good page is still served"
    );

    project.write("content/a.md", "# Page A\n\nFixed.\n");
    server.expect_event("reload");
    assert!(server.get("a/").1.contains("Fixed."));
}

#[test]
fn requests_that_try_to_leave_the_site_get_404() {
    let project = project();
    project.write("secret.txt", "outside the site");
    let server = Server::start(&project);
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/a/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/content/a.md",
        "/ppdocs.toml",
    ] {
        let status = server.raw_status(path);
        assert!(
            status.contains(" 404 ") || status.contains(" 400 "),
            "{path}: {status}"
        );
    }
    assert!(server.raw_status("/").contains(" 200 "));
    let (status, html) = server.get("no/such/page/");
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"));
    // Served at any depth, the 404 page's root-relative links need a base.
    assert!(html.contains("<base href=\"/\">"), "{html}");
}

#[test]
fn only_get_and_head_are_allowed() {
    let project = project();
    let server = Server::start(&project);
    let post = agent().post(&server.url).send("x").unwrap();
    assert_eq!(post.status().as_u16(), 405);
    let head = agent().head(&format!("{}a/", server.url)).call().unwrap();
    assert_eq!(head.status().as_u16(), 200);
    let css = agent()
        .get(&format!("{}assets/style.css", server.url))
        .call()
        .unwrap();
    assert_eq!(
        css.headers().get("content-type").unwrap(),
        "text/css; charset=utf-8"
    );
}

#[test]
fn many_files_at_once_and_a_deleted_then_recreated_file_end_in_the_right_site() {
    let project = project();
    let server = Server::start(&project);
    // A `git checkout`: many files change within a few milliseconds.
    for n in 0..25 {
        project.write(
            &format!("content/bulk{n}.md"),
            &format!("# Bulk {n}\n\nBulk page {n}.\n"),
        );
    }
    server.expect_event("reload");
    let deadline = Instant::now() + WAIT;
    while server.get("bulk24/").0 != 200 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(server.get("bulk24/").1.contains("Bulk page 24."));

    // Deleted, then recreated with new text.
    std::fs::remove_file(project.root.join("content/a.md")).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    project.write("content/a.md", "# Page A\n\nRecreated.\n");
    let deadline = Instant::now() + WAIT;
    while !server.get("a/").1.contains("Recreated.") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(server.get("a/").1.contains("Recreated."));

    // A folder renamed: its pages move.
    project.write("content/guides/one.md", "# One\n\nGuide.\n");
    server.expect_event("reload");
    std::fs::rename(
        project.root.join("content/guides"),
        project.root.join("content/howto"),
    )
    .unwrap();
    let deadline = Instant::now() + WAIT;
    while server.get("howto/one/").0 != 200 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(server.get("howto/one/").0, 200);
    assert_eq!(server.get("guides/one/").0, 404);
}

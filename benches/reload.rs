//! Save-to-reload latency of `ppdocs serve --watch`, beside the time of a full build of the
//! same project, measured in one run. Run with `cargo bench --bench reload`.
//!
//! For each project (the example, and one of `PAGES` pages generated like `gen_corpus`), the
//! benchmark starts the server, listens to its live-reload stream, edits one page `RUNS`
//! times and reports the median time from the write to the `reload` event.

#[path = "support/corpus.rs"]
mod corpus;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const PAGES: usize = 2_000;
const RUNS: usize = 7;

fn main() {
    let example = tempfile::tempdir().unwrap();
    for entry in ["content", "ppdocs.toml", "ppdocs.lock"] {
        copy(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join(entry),
            &example.path().join(entry),
        );
    }
    measure(
        "example project",
        example.path(),
        "content/security-checklist.md",
    );

    let generated = tempfile::tempdir().unwrap();
    corpus::generate(generated.path(), &corpus::Options::new(PAGES)).unwrap();
    measure(
        &format!("generated project ({PAGES} pages, `examples/gen_corpus.rs`)"),
        generated.path(),
        "content/checklists/001/page-001000.md",
    );
}

fn measure(name: &str, root: &Path, edited: &str) {
    let binary = env!("CARGO_BIN_EXE_ppdocs");
    let started = Instant::now();
    let status = Command::new(binary)
        .args(["build", "--quiet", "--as-of", corpus::AS_OF, "--output"])
        .arg(root.join("site-bench"))
        .arg("--root")
        .arg(root)
        .status()
        .unwrap();
    assert!(status.success());
    let full_build = started.elapsed();

    let mut child = Command::new(binary)
        .args([
            "serve",
            "--watch",
            "--port",
            "0",
            "--quiet",
            "--as-of",
            corpus::AS_OF,
            "--root",
        ])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = lines
        .next()
        .unwrap()
        .unwrap()
        .trim_start_matches("Serving ")
        .trim()
        .to_string();
    let (events, received) = mpsc::channel();
    let events_url = format!("{url}__ppdocs/events");
    std::thread::spawn(move || {
        let response = ureq::get(&events_url).call().unwrap();
        for line in BufReader::new(response.into_body().into_reader())
            .lines()
            .map_while(Result::ok)
        {
            if line == "event: reload" {
                let _ = events.send(Instant::now());
            }
        }
    });
    std::thread::sleep(Duration::from_millis(500));

    let path = root.join(edited);
    let original = std::fs::read_to_string(&path).unwrap();
    let mut latencies = Vec::new();
    for run in 0..RUNS {
        // Start from a quiet server: no rebuild running, no event queued.
        while received.recv_timeout(Duration::from_secs(2)).is_ok() {}
        let saved = Instant::now();
        std::fs::write(&path, format!("{original}\nEdit number {run}.\n")).unwrap();
        let reloaded = received
            .recv_timeout(Duration::from_secs(120))
            .expect("no reload event");
        latencies.push(reloaded.saturating_duration_since(saved));
    }
    let _ = child.kill();
    let _ = child.wait();
    latencies.sort();
    let median = latencies[RUNS / 2];
    println!(
        "{name}: full build {:.0} ms; save → reload median {:.0} ms (min {:.0}, max {:.0}) over {RUNS} edits; \
         ratio {:.1}% (includes the debounce, 50 ms by default)",
        full_build.as_secs_f64() * 1000.0,
        median.as_secs_f64() * 1000.0,
        latencies[0].as_secs_f64() * 1000.0,
        latencies[RUNS - 1].as_secs_f64() * 1000.0,
        100.0 * median.as_secs_f64() / full_build.as_secs_f64()
    );
}

fn copy(from: &Path, to: &PathBuf) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else if from.exists() {
        std::fs::copy(from, to).unwrap();
    }
}

//! `ppdocs serve`: builds the site into memory, serves it over HTTP, and with `--watch`
//! rebuilds on every save and tells open browser tabs to reload.
//!
//! The pipeline runs on a plain thread; the HTTP server (axum on tokio) only reads the
//! current in-memory site, which each successful rebuild replaces whole. A failed rebuild
//! keeps the last good site and sends its errors to the browsers.

mod http;
mod live;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock, mpsc};
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::NaiveDate;
use tokio::sync::broadcast;

pub use http::{Notice, Resolved, resolve};
pub use live::{Change, Failed, LiveSite, Rebuilt, change_between, contents};

use crate::shell::Shell;
use crate::write::MemorySite;
use http::Shared;

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// `0` picks a free port.
    pub port: u16,
    pub watch: bool,
    pub poll: bool,
    pub debounce: Duration,
    pub open: bool,
    pub as_of: Option<NaiveDate>,
}

/// Serves until Ctrl-C. Only environment failures (a port taken) are errors; a broken
/// project is reported and served as an error page until it is fixed.
pub fn run(options: &ServeOptions, shell: &Shell) -> anyhow::Result<bool> {
    let root = options
        .root
        .canonicalize()
        .with_context(|| format!("resolving {}", options.root.display()))?;
    let mut live = LiveSite::new(&root, options.as_of);
    let (notices, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        site: RwLock::new(Arc::new(MemorySite::default())),
        error: RwLock::new(None),
        notices,
        root: root.clone(),
    });
    let started = Instant::now();
    apply(&shared, live.rebuild()?, shell, false);
    shell.status(
        "Built",
        &format!(
            "in {:.2} s (in memory; site/ is not touched)",
            started.elapsed().as_secs_f64()
        ),
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the HTTP server")?;
    let address = SocketAddr::new(options.bind, options.port);
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(address))
        .with_context(|| {
            format!("listening on {address} (is another server using the port? try --port)")
        })?;
    let local = listener
        .local_addr()
        .context("reading the server address")?;
    let url = format!("http://{local}/");
    // Tests and scripts read this line to find an ephemeral port.
    println!("Serving {url}");
    shell.status("Serving", &format!("{url}  (Ctrl-C to stop)"));
    if !options.bind.is_loopback() {
        shell.failed(&format!(
            "serving on {} makes the site, evidence included, reachable by other machines on the network",
            options.bind
        ));
    }

    let _watcher = if options.watch {
        let (changes, batches) = mpsc::channel();
        let watcher = watch::watch(&root, options.poll, options.debounce, changes)?;
        shell.status("Watching", &format!("{} for changes", root.display()));
        let shared = shared.clone();
        let quiet = Shell::new(shell.verbosity);
        std::thread::spawn(move || {
            while let Ok(mut paths) = batches.recv() {
                // Drain batches that queued up during the last rebuild: one rebuild covers them.
                while let Ok(more) = batches.try_recv() {
                    paths.extend(more);
                }
                let started = Instant::now();
                let assets_touched = paths.iter().any(|p| is_static_asset(p));
                live.forget(&paths);
                match live.rebuild() {
                    Ok(result) => {
                        let built = apply(&shared, result, &quiet, assets_touched);
                        if let Some((reparsed, rendered)) = built {
                            quiet.status(
                                "Rebuilt",
                                &format!(
                                    "in {:.0} ms ({reparsed} files re-parsed, {rendered} pages rendered; {})",
                                    started.elapsed().as_secs_f64() * 1000.0,
                                    describe(&paths, &root)
                                ),
                            );
                        }
                    }
                    Err(err) => quiet.error(&err),
                }
            }
        });
        Some(watcher)
    } else {
        None
    };

    if options.open
        && let Err(err) = opener::open(&url)
    {
        shell.failed(&format!("could not open a browser: {err}"));
    }

    let app = http::router(shared);
    runtime.block_on(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    })?;
    shell.status("Stopped", "");
    Ok(true)
}

/// Installs a rebuild's result: a good site replaces the old one and browsers reload; a
/// failed one leaves the old site and shows its errors. Returns the numbers of files
/// re-parsed and pages rendered when the rebuild succeeded.
fn apply(
    shared: &Shared,
    result: Result<Rebuilt, Failed>,
    shell: &Shell,
    assets_touched: bool,
) -> Option<(usize, usize)> {
    match result {
        Ok(rebuilt) => {
            shell.diagnostics(&rebuilt.warnings, &rebuilt.sources);
            shell.verbose(&rebuilt.timings);
            let change = {
                let Ok(mut site) = shared.site.write() else {
                    return None;
                };
                let change = change_between(&site, &rebuilt.site);
                live::drop_later(std::mem::replace(&mut *site, rebuilt.site));
                change
            };
            let had_error = shared
                .error
                .write()
                .map(|mut e| e.take().is_some())
                .unwrap_or(false);
            let notice = match change {
                Change::Styles if !had_error && !assets_touched => Some(Notice::Styles),
                Change::Nothing if !had_error && !assets_touched => None,
                _ => Some(Notice::Reload),
            };
            if let Some(notice) = notice {
                let _ = shared.notices.send(notice);
            }
            Some((rebuilt.reparsed, rebuilt.rendered))
        }
        Err(failed) => {
            shell.diagnostics(&failed.diagnostics, &failed.sources);
            shell.failed("the site has errors; still serving the last good build");
            let text = failed.plain_text();
            if let Ok(mut error) = shared.error.write() {
                *error = Some(text.clone());
            }
            let _ = shared.notices.send(Notice::Error(text));
            None
        }
    }
}

/// Files served as they are (images, attachments): their content is not compared by the
/// rebuild, so an edit to one always reloads.
fn is_static_asset(path: &std::path::Path) -> bool {
    !matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "yaml" | "yml" | "toml" | "lock" | "html" | "css" | "js")
    )
}

fn describe(paths: &[PathBuf], root: &std::path::Path) -> String {
    let shown: Vec<String> = paths
        .iter()
        .take(3)
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .collect();
    match paths.len() {
        n if n > 3 => format!("{} and {} more", shown.join(", "), n - 3),
        _ => shown.join(", "),
    }
}

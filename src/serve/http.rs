//! The HTTP side of `serve`: answers GET and HEAD from the in-memory site, streams
//! live-reload events, and refuses any path that tries to leave the site.

use std::convert::Infallible;
use std::path::Path;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use crate::write::MemorySite;

/// Where the live-reload script and event stream live; no site path starts with `__ppdocs`.
const RELOAD_SCRIPT: &str = "/__ppdocs/livereload.js";
const EVENTS: &str = "/__ppdocs/events";

/// What browsers are told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    Reload,
    Styles,
    /// The last rebuild failed; the text goes in the overlay.
    Error(String),
}

/// What the server shares with the rebuild loop.
pub struct Shared {
    pub site: RwLock<Arc<MemorySite>>,
    /// The error of the last rebuild, shown to browsers that connect while it stands.
    pub error: RwLock<Option<String>>,
    pub notices: broadcast::Sender<Notice>,
    /// The project root: static files must resolve inside it.
    pub root: std::path::PathBuf,
}

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(RELOAD_SCRIPT, get(reload_script))
        .route(EVENTS, get(events))
        .fallback(get(page))
        .with_state(shared)
}

async fn reload_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("livereload.js"),
    )
        .into_response()
}

async fn events(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let current = shared
        .error
        .read()
        .ok()
        .and_then(|e| e.clone())
        .map(Notice::Error);
    let updates = BroadcastStream::new(shared.notices.subscribe()).filter_map(Result::ok);
    let stream = tokio_stream::iter(current).chain(updates).map(|notice| {
        let event = match notice {
            Notice::Reload => Event::default().event("reload").data("reload"),
            Notice::Styles => Event::default().event("styles").data("styles"),
            Notice::Error(text) => Event::default().event("failed").data(text),
        };
        Ok::<_, Infallible>(event)
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn page(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let site = match shared.site.read() {
        Ok(site) => site.clone(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    match resolve(&site, &shared.root, uri.path()) {
        Resolved::File { path, bytes } => respond(StatusCode::OK, &path, bytes),
        Resolved::Static { path, source } => match tokio::fs::read(&source).await {
            Ok(bytes) => respond(StatusCode::OK, &path, bytes),
            Err(_) => not_found(&site),
        },
        Resolved::Redirect(location) => {
            let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Resolved::NotFound => not_found(&site),
    }
}

fn not_found(site: &MemorySite) -> Response {
    // Before the first good build there is no 404 page; this one still carries the
    // live-reload script, so the error overlay shows and the fix reloads it.
    const NOT_BUILT: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>ppdocs</title></head>\
        <body><h1>Not found</h1><p>The site has not been built yet, or has no page here.</p></body></html>";
    let html =
        String::from_utf8_lossy(&site.file("404.html").unwrap_or(NOT_BUILT.as_bytes().into()))
            .into_owned();
    // The page is served at any depth; its links are relative to the site root.
    let html = html.replacen("<head>", "<head><base href=\"/\">", 1);
    respond(StatusCode::NOT_FOUND, "404.html", html.into_bytes())
}

fn respond(status: StatusCode, path: &str, mut bytes: Vec<u8>) -> Response {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    if is_html {
        bytes = inject_reload_script(bytes);
    }
    let content_type = if mime.type_() == "text" || mime.essence_str() == "application/javascript" {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let mut response = (status, Body::from(bytes)).into_response();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Adds the live-reload script before `</body>`: only to what `serve` sends, never to files.
fn inject_reload_script(bytes: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{RELOAD_SCRIPT}\" defer></script>");
    let mut html = match String::from_utf8(bytes) {
        Ok(html) => html,
        // Not ours to change: serve it as it is.
        Err(err) => return err.into_bytes(),
    };
    match html.rfind("</body>") {
        Some(at) => html.insert_str(at, &tag),
        None => html.push_str(&tag),
    }
    html.into_bytes()
}

/// How a request path maps onto the site.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File {
        path: String,
        bytes: Vec<u8>,
    },
    Static {
        path: String,
        source: std::path::PathBuf,
    },
    Redirect(String),
    NotFound,
}

/// Maps a raw (still percent-encoded) request path to a site file. Anything that could
/// leave the site — `..`, encoded slashes or backslashes, NUL, a static file whose source
/// resolves outside the project — is not found.
pub fn resolve(site: &MemorySite, root: &Path, raw: &str) -> Resolved {
    let lower = raw.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") || raw.contains('\\')
    {
        return Resolved::NotFound;
    }
    let Some(decoded) = crate::parse::learn::percent_decode_strict(raw) else {
        return Resolved::NotFound;
    };
    let trimmed = decoded.trim_start_matches('/');
    if trimmed
        .split('/')
        .any(|segment| segment == ".." || segment == "." || segment.contains('\0'))
    {
        return Resolved::NotFound;
    }
    let path = if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    };
    if let Some(bytes) = site.file(&path) {
        return Resolved::File {
            path,
            bytes: bytes.into_owned(),
        };
    }
    if let Some(source) = site.static_source(&path) {
        let inside = match (source.canonicalize(), root.canonicalize()) {
            (Ok(real), Ok(root)) => real.starts_with(root),
            _ => false,
        };
        return if inside {
            Resolved::Static {
                path,
                source: source.to_path_buf(),
            }
        } else {
            Resolved::NotFound
        };
    }
    if site.file(&format!("{path}/index.html")).is_some() {
        return Resolved::Redirect(format!("/{path}/"));
    }
    Resolved::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> MemorySite {
        let file = |path: &str| {
            (
                path.to_string(),
                vec![std::sync::Arc::from(path.as_bytes())],
            )
        };
        MemorySite::new(
            vec![
                file("index.html"),
                file("a b/index.html"),
                file("assets/style.css"),
            ],
            &[],
        )
    }

    #[test]
    fn directories_serve_index_html_and_redirect_without_a_slash() {
        let site = site();
        let root = Path::new("/");
        assert!(
            matches!(resolve(&site, root, "/"), Resolved::File { path, .. } if path == "index.html")
        );
        assert!(
            matches!(resolve(&site, root, "/a%20b/"), Resolved::File { path, .. } if path == "a b/index.html")
        );
        assert_eq!(
            resolve(&site, root, "/a%20b"),
            Resolved::Redirect("/a b/".to_string())
        );
    }

    #[test]
    fn traversal_attempts_are_not_found() {
        let site = site();
        let root = Path::new("/");
        for raw in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/assets/..%2f..%2fetc/passwd",
            "/assets%2fstyle.css",
            "/assets%5cstyle.css",
            "/..\\..\\etc\\passwd",
            "//etc/passwd",
            "/%00",
            "/%ff%fe",
        ] {
            assert_eq!(resolve(&site, root, raw), Resolved::NotFound, "{raw}");
        }
    }

    #[test]
    fn html_that_is_not_utf8_is_served_as_it_is() {
        // Regression: such files were served empty.
        assert_eq!(
            inject_reload_script(b"<p>caf\xe9</p>".to_vec()),
            b"<p>caf\xe9</p>"
        );
    }

    #[test]
    fn the_reload_script_goes_before_the_closing_body() {
        let html = inject_reload_script(b"<html><body><p>x</p></body></html>".to_vec());
        assert_eq!(
            String::from_utf8(html).unwrap(),
            format!(
                "<html><body><p>x</p><script src=\"{RELOAD_SCRIPT}\" defer></script></body></html>"
            )
        );
    }
}

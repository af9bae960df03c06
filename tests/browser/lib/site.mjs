// The site under test ($PPDOCS_SITE, a built ppdocs site) and two ways to open it: straight
// from disk (file://) and from a small HTTP server under a sub-path, as a web host serves it.
import { createReadStream, readdirSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";

export const siteDir = process.env.PPDOCS_SITE;
if (!siteDir) {
  throw new Error("PPDOCS_SITE is not set: point it at a built site (cargo test --test browser does this)");
}

/** The example with its search index split into parts ($PPDOCS_SPLIT_INDEX_SITE), if built. */
export const splitIndexSiteDir = process.env.PPDOCS_SPLIT_INDEX_SITE;

/** The pages the specs look at, by role. */
export const PAGES = {
  dashboard: "index.html",
  article: "security-checklist/index.html",
  section: "security-checklist/threat-protection/index.html",
  sectionWithLinks: "security-checklist/workload-security/index.html",
  appendix: "appendix/tp-threat-protection/index.html",
  appendixAll: "appendix/all/index.html",
  framework: "appendix/gdpr/index.html",
  training: "training/index.html",
  module: "training/dlp-and-blocked-connectors/index.html",
};

/** A page of the site as a file:// URL. */
export function fileUrl(path, dir = siteDir) {
  return pathToFileURL(join(dir, path)).href;
}

/** Every HTML page of the site, as paths relative to its root, sorted. */
export function htmlPages(dir = siteDir) {
  return readdirSync(dir, { recursive: true })
    .map((entry) => entry.split(sep).join("/"))
    .filter((entry) => entry.endsWith(".html") && statSync(join(dir, entry)).isFile())
    .sort();
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/**
 * Serves the site in `dir` at http://127.0.0.1:<free port><prefix> (prefix like "/ppdocs/").
 * Returns { url(path), close() }. Anything outside the prefix or the site is 404.
 */
export async function serveSite(prefix = "/ppdocs/", dir = siteDir) {
  const server = createServer((request, response) => {
    let path = null;
    try {
      path = decodeURIComponent(new URL(request.url, "http://host").pathname);
    } catch {
      // A malformed escape: 404 below.
    }
    const inside = path?.startsWith(prefix) ? normalize(path.slice(prefix.length)) : null;
    let file = inside === null ? null : join(dir, inside);
    if (file && !relative(dir, file).startsWith("..")) {
      try {
        if (statSync(file).isDirectory()) {
          file = join(file, "index.html");
        }
        statSync(file);
        response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
        createReadStream(file).pipe(response);
        return;
      } catch {
        // Falls through to 404.
      }
    }
    response.writeHead(404, { "content-type": "text/plain" });
    response.end("not found");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}${prefix}`;
  return {
    url: (path = "") => base + path,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

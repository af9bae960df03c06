// Makes docs/screenshots/*.png: the dashboard, a section, an appendix and the training hub,
// at desktop and phone width, in the light and the dark scheme, in headless Chromium.
//
//   cd tests/browser && npm ci && node screenshots.mjs
//
// Builds the example project (cargo run --release) as of a fixed day, so the pictures change
// only when the theme or the example does; PPDOCS_SITE=<dir> uses a site you built instead.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const AS_OF = "2026-11-28";

let built = null;
if (!process.env.PPDOCS_SITE) {
  built = mkdtempSync(join(tmpdir(), "ppdocs-screenshots-"));
  const site = join(built, "site");
  execFileSync("cargo", ["run", "--release", "--quiet", "--", "build", "--quiet", "--root", repo, "--as-of", AS_OF, "--output", site], {
    cwd: repo,
    stdio: "inherit",
  });
  process.env.PPDOCS_SITE = site;
}
// Imported after PPDOCS_SITE is set: site.mjs reads it.
const { openBrowser } = await import("./lib/browser.mjs");
const { PAGES, fileUrl } = await import("./lib/site.mjs");

const SHOTS = ["dashboard", "section", "appendix", "training"];
const SIZES = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
};
const out = join(repo, "docs", "screenshots");
mkdirSync(out, { recursive: true });

try {
  for (const colorScheme of ["light", "dark"]) {
    for (const [size, viewport] of Object.entries(SIZES)) {
      const browser = await openBrowser({ colorScheme, viewport });
      try {
        for (const name of SHOTS) {
          await browser.page.goto(fileUrl(PAGES[name]));
          const path = join(out, `${name}-${size}-${colorScheme}.png`);
          await browser.page.screenshot({ path });
          console.log(`wrote ${path}`);
        }
      } finally {
        await browser.close();
      }
    }
  }
} finally {
  if (built) {
    rmSync(built, { recursive: true, force: true });
  }
}

// Headless Chromium for the specs and the screenshot script: Debian's chromium (or
// $PPDOCS_CHROMIUM) driven by playwright-core, each session in a fresh, throw-away profile.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.PPDOCS_CHROMIUM || "/usr/bin/chromium";

export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };

/**
 * Opens Chromium with a new profile directory. `options` are Playwright context options
 * (viewport, colorScheme, javaScriptEnabled…). Returns { context, page, close }; close()
 * also deletes the profile.
 */
export async function openBrowser(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), "ppdocs-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
    headless: true,
    viewport: DESKTOP,
    ...options,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

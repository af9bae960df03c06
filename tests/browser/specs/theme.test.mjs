// The colour scheme follows the system until the reader picks one with the toggle; the choice
// is remembered across pages and reloads, from disk and from a web server under a sub-path.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { openBrowser } from "../lib/browser.mjs";
import { PAGES, fileUrl, serveSite } from "../lib/site.mjs";

/** The page's background is dark when its luminance is low. */
function backgroundIsDark(page) {
  return page.evaluate(() => {
    const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
  });
}

async function state(page) {
  return {
    theme: await page.evaluate(() => document.documentElement.getAttribute("data-theme")),
    pressed: await page.locator("#theme-toggle").getAttribute("aria-pressed"),
    dark: await backgroundIsDark(page),
  };
}

test("theme.js is loaded in <head>, synchronously, so a stored choice applies before the first paint", async () => {
  const browser = await openBrowser();
  try {
    await browser.page.goto(fileUrl(PAGES.dashboard));
    const blocking = await browser.page.evaluate(
      () => document.head.querySelectorAll('script[src$="assets/theme.js"]:not([defer]):not([async]):not([type="module"])').length,
    );
    assert.equal(blocking, 1);
    assert.equal(await browser.page.locator("script:not([src])").count(), 0, "no inline script");
  } finally {
    await browser.close();
  }
});

const origins = [
  ["file://", async () => ({ url: fileUrl, close: async () => {} })],
  ["http://…/ppdocs/", async () => serveSite("/ppdocs/")],
];

for (const [origin, open] of origins) {
  describe(`theme toggle from ${origin}`, () => {
    let browser;
    let site;
    before(async () => {
      site = await open();
      browser = await openBrowser({ colorScheme: "light" });
    });
    after(async () => {
      await browser.close();
      await site.close();
    });

    test("follows the system, then remembers the reader's choice", async () => {
      const { page } = browser;
      await page.goto(site.url(PAGES.dashboard));
      assert.deepEqual(await state(page), { theme: null, pressed: "false", dark: false });

      await page.getByRole("button", { name: "Dark theme" }).click();
      assert.deepEqual(await state(page), { theme: "dark", pressed: "true", dark: true });

      await page.locator("nav.sidebar").getByRole("link", { name: "Compliance records" }).click();
      await page.waitForURL(/appendix\/index\.html$/);
      assert.deepEqual(await state(page), { theme: "dark", pressed: "true", dark: true }, "next page");

      await page.reload();
      assert.deepEqual(await state(page), { theme: "dark", pressed: "true", dark: true }, "reload");

      await page.getByRole("button", { name: "Dark theme" }).click();
      await page.goto(site.url(PAGES.section));
      assert.deepEqual(await state(page), { theme: "light", pressed: "false", dark: false }, "back to light");
    });
  });
}

test("a dark system starts dark, and the toggle can pin light", async () => {
  const browser = await openBrowser({ colorScheme: "dark" });
  try {
    const { page } = browser;
    await page.goto(fileUrl(PAGES.training));
    assert.deepEqual(await state(page), { theme: null, pressed: "true", dark: true });
    await page.getByRole("button", { name: "Dark theme" }).click();
    await page.goto(fileUrl(PAGES.module));
    assert.deepEqual(await state(page), { theme: "light", pressed: "false", dark: false });
  } finally {
    await browser.close();
  }
});

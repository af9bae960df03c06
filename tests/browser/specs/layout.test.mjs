// Phones: at 360 px wide no page scrolls sideways (wide tables scroll inside their own box or
// reflow), with JavaScript on and off; navigation works without JavaScript.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DESKTOP, PHONE, openBrowser } from "../lib/browser.mjs";
import { PAGES, fileUrl, htmlPages } from "../lib/site.mjs";

/** How far the page is wider than the window, in CSS pixels (0 when it fits). */
function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

for (const javaScriptEnabled of [true, false]) {
  describe(`360 px wide, JavaScript ${javaScriptEnabled ? "on" : "off"}`, () => {
    let browser;
    before(async () => {
      browser = await openBrowser({ viewport: PHONE, javaScriptEnabled });
    });
    after(() => browser.close());

    test("no page scrolls horizontally", async () => {
      const pages = htmlPages();
      assert.ok(pages.length >= 20, `only ${pages.length} pages found`);
      const wide = [];
      for (const path of pages) {
        await browser.page.goto(fileUrl(path));
        const extra = await overflow(browser.page);
        if (extra > 0) {
          wide.push(`${path}: ${extra}px too wide`);
        }
      }
      assert.deepEqual(wide, []);
    });
  });
}

describe("navigation without JavaScript", () => {
  let browser;
  before(async () => {
    browser = await openBrowser({ viewport: PHONE, javaScriptEnabled: false });
  });
  after(() => browser.close());

  test("the phone menu is open and its links lead to their pages", async () => {
    const { page } = browser;
    await page.goto(fileUrl(PAGES.dashboard));
    assert.equal(await page.locator("#nav-drawer").getAttribute("open"), "");
    await page.locator("nav.sidebar").getByRole("link", { name: "Compliance records" }).click();
    await page.waitForURL(/appendix\/index\.html$/);
    assert.equal(await page.locator("h1").textContent(), "Compliance records");
  });

  test("the theme toggle stays hidden and the training filter leaves every module listed", async () => {
    const { page } = browser;
    await page.goto(fileUrl(PAGES.training));
    assert.equal(await page.locator("#theme-toggle").isVisible(), false);
    assert.equal(await page.locator("#module-filter").isVisible(), false);
    const cards = page.locator("#module-list .module-card");
    assert.ok((await cards.count()) > 0);
    for (const card of await cards.all()) {
      assert.ok(await card.isVisible());
    }
  });
});

describe("phone menu with JavaScript", () => {
  let browser;
  before(async () => {
    browser = await openBrowser({ viewport: PHONE });
  });
  after(() => browser.close());

  test("starts closed, opens on tap, and is open again on a wide window", async () => {
    const { page } = browser;
    await page.goto(fileUrl(PAGES.section));
    const drawer = page.locator("#nav-drawer");
    const link = page.locator("nav.sidebar").getByRole("link", { name: "Training" });
    assert.equal(await link.isVisible(), false);
    await page.locator(".nav-toggle").click();
    assert.equal(await link.isVisible(), true);
    await page.locator(".nav-toggle").click();
    assert.equal(await drawer.getAttribute("open"), null);
    await page.setViewportSize(DESKTOP);
    await page.waitForFunction(() => document.getElementById("nav-drawer").open);
    assert.equal(await link.isVisible(), true);
  });
});

// Keyboard: the skip link comes first and moves focus to the content; Tab reaches the search
// box (once the theme has one), the theme toggle and the main links; focus is always visible.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { openBrowser } from "../lib/browser.mjs";
import { PAGES, fileUrl } from "../lib/site.mjs";

/** What has focus: a label for it, and whether a focus indicator is drawn. */
function focused(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return {
      tag: element.tagName.toLowerCase(),
      id: element.id,
      name: (element.getAttribute("aria-label") || element.textContent || element.getAttribute("placeholder") || "").trim(),
      search: element.matches('input[type="search"], [role="search"] input, [role="searchbox"]'),
      visible: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    };
  });
}

/** Presses Tab up to `limit` times from the top of the page, recording every stop. */
async function tabStops(page, limit) {
  const stops = [];
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press("Tab");
    stops.push(await focused(page));
  }
  return stops;
}

describe("keyboard navigation", () => {
  let browser;
  before(async () => {
    browser = await openBrowser();
  });
  after(() => browser.close());

  test("the skip link is the first stop and moves focus to the main content", async () => {
    const { page } = browser;
    await page.goto(fileUrl(PAGES.section));
    await page.keyboard.press("Tab");
    const first = await focused(page);
    assert.equal(first.name, "Skip to content");
    assert.ok(first.visible, "the skip link shows focus");
    assert.ok(await page.locator(".skip-link").isVisible(), "the skip link appears when focused");
    await page.keyboard.press("Enter");
    assert.equal((await focused(page)).id, "main");
  });

  test("Tab reaches the search box (when there is one), the toggle and the main links, each with a visible focus", async (t) => {
    const { page } = browser;
    await page.goto(fileUrl(PAGES.dashboard));
    const stops = await tabStops(page, 14);
    const names = stops.map((s) => s.name);
    for (const name of ["Skip to content", "Dark theme", "Dashboard", "Training", "Compliance records", "Writing evidence files"]) {
      assert.ok(names.includes(name), `${name} not reached; reached ${JSON.stringify(names)}`);
    }
    assert.ok(names.some((n) => n.startsWith("Security checklist")), "the checklist article");
    assert.deepEqual(stops.filter((s) => !s.visible).map((s) => s.name), [], "stops without a visible focus");
    const hasSearch = await page.locator('input[type="search"], [role="search"] input').count();
    if (hasSearch) {
      const search = stops.findIndex((s) => s.search);
      assert.ok(search >= 0, "the search box is reached");
      assert.ok(search < names.indexOf("Dashboard"), "search comes before the sidebar");
    } else {
      t.diagnostic("no search box in the theme yet: the search stop is not checked");
    }
  });

  test("the phone menu opens from the keyboard", async () => {
    const phone = await openBrowser({ viewport: { width: 360, height: 740 } });
    try {
      const { page } = phone;
      await page.goto(fileUrl(PAGES.dashboard));
      const names = [];
      while (names.length < 6 && names.at(-1) !== "Menu") {
        await page.keyboard.press("Tab");
        names.push((await focused(page)).name);
      }
      assert.equal(names.at(-1), "Menu", `Menu not reached: ${JSON.stringify(names)}`);
      await page.keyboard.press("Enter");
      await page.keyboard.press("Tab");
      assert.equal((await focused(page)).name, "Dashboard");
    } finally {
      await phone.close();
    }
  });
});

// WCAG 2.1 AA with axe-core: no serious or critical violations on the main kinds of page,
// in the light and the dark colour scheme.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { seriousViolations } from "../lib/axe.mjs";
import { openBrowser } from "../lib/browser.mjs";
import { PAGES, fileUrl } from "../lib/site.mjs";

const CHECKED = ["dashboard", "section", "appendix", "training", "module", "article", "framework"];

for (const colorScheme of ["light", "dark"]) {
  describe(`axe-core, ${colorScheme} scheme`, () => {
    let browser;
    before(async () => {
      browser = await openBrowser({ colorScheme });
    });
    after(() => browser.close());

    for (const name of CHECKED) {
      test(`${name} (${PAGES[name]}) has no serious or critical violations`, async () => {
        await browser.page.goto(fileUrl(PAGES[name]));
        const scheme = await browser.page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches);
        assert.equal(scheme, colorScheme === "dark");
        assert.deepEqual(await seriousViolations(browser.page), []);
      });
    }
  });
}

// WCAG 2.1 AA with axe-core: no serious or critical violations on the main kinds of page,
// in the light and the dark colour scheme, and at phone width (where tables reflow or scroll).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { seriousViolations } from "../lib/axe.mjs";
import { PHONE, openBrowser } from "../lib/browser.mjs";
import { PAGES, fileUrl } from "../lib/site.mjs";

const CHECKED = ["dashboard", "article", "section", "appendix", "framework", "training", "module"];

const SETTINGS = [
  ["light scheme", { colorScheme: "light" }],
  ["dark scheme", { colorScheme: "dark" }],
  ["360 px, dark scheme", { colorScheme: "dark", viewport: PHONE }],
];

for (const [label, options] of SETTINGS) {
  describe(`axe-core, ${label}`, () => {
    let browser;
    before(async () => {
      browser = await openBrowser(options);
    });
    after(() => browser.close());

    for (const name of CHECKED) {
      test(`${name} (${PAGES[name]}) has no serious or critical violations`, async () => {
        await browser.page.goto(fileUrl(PAGES[name]));
        const dark = await browser.page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches);
        assert.equal(dark, options.colorScheme === "dark");
        assert.deepEqual(await seriousViolations(browser.page), []);
      });
    }
  });
}
